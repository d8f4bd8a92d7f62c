"""Ruled tables of a digital PDF page, and their cells on a row/column grid.

The rules come from pypdfium2's path objects: every straight segment of a painted path
(line, rectangle side, polyline piece; a Bézier piece counts from its start to its end
point, as pdfminer counts it) that runs horizontally or vertically becomes an edge in
displayed page space. pdfplumber's table finder then snaps, joins and intersects those
edges exactly as it does its own, so the tables are pdfplumber's without pdfminer parsing
the page (the slow part: about 0.1 s a page; segments and finder take 10-20 ms).

pdfplumber on the whole page stays as the fallback when the segments give no table while
the path objects' own bounds show at least two horizontal and two vertical rules (a path
pdfium could not take apart, a form nested deeper than we walk). Each cell's text is taken
from the pypdfium2 characters inside its box.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c

from extractors.loaders.pdf_text import Char, Transform, cell_text
from models.document import BBox, Cell, Provenance, Table, normalise_text

log = logging.getLogger(__name__)

TABLE_MIN_PATHS = 4  # fewer path objects than this: no ruled table worth looking for
AXIS_TOLERANCE = 0.01  # points: a segment this close to level or plumb counts as such
RULE_MAX_THICKNESS = 3.0  # a path whose bounds are thinner than this is a rule…
RULE_MIN_LENGTH = 10.0  # …when it is at least this long

FoundTable = tuple[tuple[float, float, float, float], list[tuple[float, float, float, float]]]
"""A table's bbox and its cells' boxes (x0, top, x1, bottom), as pdfplumber gives them."""

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PathObjects:
    """The page's path objects, each with the matrix of the form holding it, and how
    many of them look like rules by their bounds alone."""

    paths: list[tuple[Any, Matrix]] = field(default_factory=list)
    h_rules: int = 0
    v_rules: int = 0

    def add(self, obj: Any, outer: Matrix, bounds: tuple[float, float, float, float] | None) -> None:
        """Keep a path (``bounds``: its left, bottom, right, top in PDF space, when known)."""
        self.paths.append((obj, outer))
        if bounds is None:
            return
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        if height <= RULE_MAX_THICKNESS and width >= RULE_MIN_LENGTH:
            self.h_rules += 1
        elif width <= RULE_MAX_THICKNESS and height >= RULE_MIN_LENGTH:
            self.v_rules += 1

    @property
    def has_rules(self) -> bool:
        return self.h_rules >= 2 and self.v_rules >= 2


def object_matrix(obj: Any) -> Matrix:
    """A page object's matrix (its space → the space of whatever holds it)."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def path_points(obj: Any) -> list[list[tuple[float, float]]] | None:
    """A path's subpaths as lists of points in the path's own space: each segment's end
    point (a Bézier curve's two control points are skipped), the start point again where
    a subpath is closed. None when pdfium cannot give the segments."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count < 0:
        return None
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for i in range(count):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            return None
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        point = (x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
            bezier = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # control, control, end
                subpaths[-1].append(point)
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    """An edge in the dict shape pdfplumber's table finder works on."""
    return {
        "object_type": "pdfium_edge",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def ruled_edges(objects: PathObjects, tf: Transform) -> list[dict[str, Any]] | None:
    """Horizontal and vertical segments of every path, in displayed page space (top-left
    origin). None when some path could not be read (the caller then trusts pdfplumber)."""
    edges: list[dict[str, Any]] = []
    for obj, outer in objects.paths:
        subpaths = path_points(obj)
        if subpaths is None:
            return None
        a, b, c, d, e, f = compose(object_matrix(obj), outer)
        for points in subpaths:
            shown = [tf(a * x + c * y + e, b * x + d * y + f) for x, y in points]
            for (xa, ya), (xb, yb) in itertools.pairwise(shown):
                x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
                top, bottom = (ya, yb) if ya <= yb else (yb, ya)
                if bottom - top <= AXIS_TOLERANCE and x1 - x0 > AXIS_TOLERANCE:
                    mid = (top + bottom) / 2
                    edges.append(_edge(x0, mid, x1, mid, "h"))
                elif x1 - x0 <= AXIS_TOLERANCE and bottom - top > AXIS_TOLERANCE:
                    mid = (x0 + x1) / 2
                    edges.append(_edge(mid, top, mid, bottom, "v"))
    return edges


@dataclass
class _EdgePage:
    """What pdfplumber's ``TableFinder`` reads from a page under the "lines" strategy."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


def find_tables_in_edges(edges: list[dict[str, Any]], width: float, height: float) -> list[FoundTable]:
    """pdfplumber's table finder (default settings) on edges we supply."""
    from pdfplumber.table import TableFinder

    finder = TableFinder(_EdgePage(edges, (0.0, 0.0, width, height)))  # type: ignore[arg-type]
    return [(tuple(t.bbox), list(t.cells)) for t in finder.tables]


class Plumber:
    """pdfplumber opened on first need and kept for the document; failures only cost
    the tables, never the page."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None
        self.broken = False

    def cells(self, index: int) -> list[FoundTable]:
        if self.broken:
            return []
        try:
            if self.pdf is None:
                import pdfplumber

                self.pdf = pdfplumber.open(self.path)
            page = self.pdf.pages[index]
            try:
                return [(tuple(t.bbox), list(t.cells)) for t in page.find_tables()]
            finally:
                page.close()
        except Exception as exc:  # pdfminer raises many kinds; tables are best effort
            log.warning("%s page %d: table finder failed: %s", self.path.name, index + 1, exc)
            self.broken = isinstance(exc, (OSError, MemoryError)) or self.pdf is None
            return []

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def find_ruled_tables(
    objects: PathObjects,
    tf: Transform,
    size: tuple[float, float],
    plumber: Plumber,
    index: int,
) -> list[FoundTable]:
    """Tables from the page's own path segments; pdfplumber's full parse only when those
    give nothing although the page shows rules (or a path could not be read)."""
    if len(objects.paths) < TABLE_MIN_PATHS:
        return []
    edges = ruled_edges(objects, tf)
    found: list[FoundTable] = []
    if edges is not None:
        try:
            found = find_tables_in_edges(edges, *size)
        except Exception as exc:  # best effort, like the fallback itself
            log.warning("%s page %d: ruled grid failed: %s", plumber.path.name, index + 1, exc)
            edges = None
    if found or (edges is not None and not objects.has_rules):
        return found
    log.debug("%s page %d: no grid from path segments, asking pdfplumber", plumber.path.name, index + 1)
    return plumber.cells(index)


def _edges(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Distinct coordinates, near-equal ones merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def build_tables(found: list[FoundTable], chars: list[Char], rel: str, number: int) -> list[Table]:
    """Tables on their grid: rows are the distinct cell tops, columns the distinct cell
    lefts (as pdfplumber counts them), so a merged cell appears once with its spans.
    Cells that do not fit a clean grid are clipped; a cell starting inside another one
    gives its text to that one."""
    tables: list[Table] = []
    by_cy = sorted(range(len(chars)), key=[c.cy for c in chars].__getitem__)
    cys = [chars[i].cy for i in by_cy]
    for bbox, boxes in found:
        if not boxes:
            continue
        tops = _edges([b[1] for b in boxes])
        lefts = _edges([b[0] for b in boxes])
        t_no = len(tables) + 1
        owner: dict[tuple[int, int], dict[str, Any]] = {}
        specs: list[dict[str, Any]] = []
        for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
            row, col = _index(tops, top), _index(lefts, x0)
            band = by_cy[bisect_left(cys, top) : bisect_right(cys, bottom)]
            inside = [chars[i] for i in sorted(band) if x0 <= chars[i].cx <= x1]  # stream order
            orig = cell_text(inside)
            if (row, col) in owner:
                host = owner[(row, col)]
                host["orig"] = "\n".join(t for t in (host["orig"], orig) if t)
                continue
            colspan = max(1, sum(1 for x in lefts if x0 - 1.5 < x < x1 - 1.5))
            rowspan = max(1, sum(1 for t in tops if top - 1.5 < t < bottom - 1.5))
            colspan = next((k for k in range(1, colspan) if (row, col + k) in owner), colspan)
            rowspan = next(
                (k for k in range(1, rowspan) if any((row + k, col + j) in owner for j in range(colspan))),
                rowspan,
            )
            spec = {"row": row, "col": col, "rowspan": rowspan, "colspan": colspan}
            spec |= {"orig": orig, "box": BBox(x0=x0, y0=top, x1=x1, y1=bottom)}
            specs.append(spec)
            for r in range(row, row + rowspan):
                for c in range(col, col + colspan):
                    owner[(r, c)] = spec
        cells = [
            Cell(
                text=normalise_text(s["orig"]),
                orig=s["orig"],
                row=s["row"],
                col=s["col"],
                rowspan=s["rowspan"],
                colspan=s["colspan"],
                prov=Provenance(
                    file=rel,
                    page=number,
                    bbox=s["box"],
                    cell=f"table {t_no} r{s['row'] + 1} c{s['col'] + 1}",
                ),
            )
            for s in specs
        ]
        x0, top, x1, bottom = bbox
        box = BBox(x0=x0, y0=top, x1=x1, y1=bottom)
        prov = Provenance(file=rel, page=number, bbox=box, cell=f"table {t_no}")
        tables.append(Table(cells=cells, n_rows=len(tops), n_cols=len(lefts), prov=prov))
    return tables
