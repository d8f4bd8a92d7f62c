"""Ruled tables on a scanned page → ``Table``s shaped like the digital loaders' tables.

Recipe: ink mask → long horizontal / vertical strokes (morphological opening) → table
regions → row and column boundary positions → for every pair of neighbouring grid cells,
is the ruled line between them drawn? Missing inner lines merge cells (rowspan/colspan).
OCR lines are then put into cells by their boxes; a line that crosses a cell border is
split at the border by character position. Coordinates are pixels of the given image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from extractors.ocr.base import OcrLine
from models.document import BBox, Cell, Provenance, Table, normalise_text

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _ink(image: np.ndarray) -> np.ndarray:
    """Dark strokes of a page (uint8 0/255), by a local threshold."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)


def _level_strokes(ink: np.ndarray) -> np.ndarray:
    """Long horizontal strokes of an ink mask, small breaks (scanning, text touching the
    rule) closed."""
    w = ink.shape[1]
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, w // 35), 1)))
    return cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))


def _upright_strokes(ink: np.ndarray) -> np.ndarray:
    """Long vertical strokes of an ink mask, small breaks closed."""
    h = ink.shape[0]
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 60))))
    return cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))


def ruled_masks(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks (uint8 0/255) of long horizontal and long vertical strokes."""
    ink = _ink(image)
    return _level_strokes(ink), _upright_strokes(ink)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(group)) for group in out]


def _strokes(mask: np.ndarray, origin: tuple[int, int] = (0, 0)) -> np.ndarray:
    """Bounding boxes (x, y, w, h) of the mask's connected strokes, moved by ``origin``."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes = stats[1:n, :4].copy()
    boxes[:, 0] += origin[0]
    boxes[:, 1] += origin[1]
    return boxes


def _between_rules(stroke: np.ndarray, ys: list[float], tol: float) -> bool:
    """A vertical stroke is a cell border when both its ends meet horizontal rules; a tall
    glyph stroke does not."""
    _x, y, _w, h = stroke
    return min(abs(y - v) for v in ys) <= 2 * tol and min(abs(y + h - v) for v in ys) <= 2 * tol


@dataclass
class _Grid:
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # row, col, rowspan, colspan


def _coverage(
    mask: np.ndarray, x0: float, y0: float, x1: float, y1: float, origin: tuple[int, int], shape: tuple[int, ...]
) -> float:
    """Share of the segment's length where the stroke mask is set (band ±3 px). ``mask``
    holds a region of a page of ``shape`` from ``origin`` (x, y) on, blank around it; the
    segment is in page pixels."""
    h, w = shape[:2]
    ox, oy = origin
    if x1 - x0 >= y1 - y0:  # horizontal segment at y0
        y = round(y0)
        c0, c1 = max(0, int(x0)), min(w, int(x1))
        band = mask[max(0, y - 3 - oy) : max(0, min(h, y + 4) - oy), max(0, c0 - ox) : max(0, c1 - ox)]
        return float(np.count_nonzero(band.any(axis=0))) / max(1, c1 - c0)
    x = round(x0)
    r0, r1 = max(0, int(y0)), min(h, int(y1))
    band = mask[max(0, r0 - oy) : max(0, r1 - oy), max(0, x - 3 - ox) : max(0, min(w, x + 4) - ox)]
    return float(np.count_nonzero(band.any(axis=1))) / max(1, r1 - r0)


def _build_grid(horiz: np.ndarray, vert: np.ndarray, origin: tuple[int, int], shape: tuple[int, ...]) -> _Grid | None:
    """The grid of one table region: ``horiz`` and ``vert`` are the region's stroke masks,
    cut from a page of ``shape`` at ``origin`` (x, y); the grid is in page pixels."""
    tol = max(6.0, min(shape[:2]) / 250)
    h_strokes = _strokes(horiz, origin)
    if len(h_strokes) < 2:
        return None
    ys = _cluster([float(y + h / 2) for _x, y, _w, h in h_strokes], tol)
    hx0 = float(min(x for x, _y, _w, _h in h_strokes))
    hx1 = float(max(x + w for x, _y, w, _h in h_strokes))
    v_strokes = [s for s in _strokes(vert, origin) if _between_rules(s, ys, tol)]
    xs = _cluster([float(x + w / 2) for x, _y, w, _h in v_strokes], tol)
    if len(ys) < 2:
        return None
    # open tables: rules drawn past the outermost vertical line get a virtual border
    if not xs or hx0 < xs[0] - 3 * tol:
        xs.insert(0, hx0)
    if hx1 > xs[-1] + 3 * tol:
        xs.append(hx1)
    if len(xs) < 2:
        return None
    grid = _Grid(xs=xs, ys=ys)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(n_rows):
        margin_y = 0.2 * (ys[r + 1] - ys[r])
        for c in range(n_cols - 1):  # vertical separator right of (r, c)
            x = xs[c + 1]
            if _coverage(vert, x, ys[r] + margin_y, x, ys[r + 1] - margin_y, origin, shape) < 0.6:
                join(r * n_cols + c, r * n_cols + c + 1)
    for c in range(n_cols):
        margin_x = 0.2 * (xs[c + 1] - xs[c])
        for r in range(n_rows - 1):  # horizontal separator below (r, c)
            y = ys[r + 1]
            if _coverage(horiz, xs[c] + margin_x, y, xs[c + 1] - margin_x, y, origin, shape) < 0.6:
                join(r * n_cols + c, (r + 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    for members in groups.values():
        rows = [m[0] for m in members]
        cols = [m[1] for m in members]
        grid.cells.append((min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1))
    grid.cells.sort()
    return grid


def _join_texts(parts: list[str]) -> str:
    """Wrapped lines of one cell: no space between two CJK characters, one otherwise."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(part[0])):
            out += " "
        out += part
    return out


def _pieces(line: OcrLine, boxes: list[BBox]) -> list[tuple[int, str]]:
    """(cell index, text) pieces of a line: whole when one cell holds most of it, else split
    by the x position each character would have if the line's glyphs were evenly spaced."""
    lb = line.bbox
    area = max(1.0, lb.width * lb.height)
    overlaps = []
    for i, b in enumerate(boxes):
        ox = min(lb.x1, b.x1) - max(lb.x0, b.x0)
        oy = min(lb.y1, b.y1) - max(lb.y0, b.y0)
        if ox > 0 and oy > 0:
            overlaps.append((ox * oy / area, i))
    if not overlaps:
        return []
    overlaps.sort(reverse=True)
    if overlaps[0][0] >= 0.8 or len(overlaps) == 1:
        return [(overlaps[0][1], line.text)]
    # Slivers under 5 % are border noise, unless nothing else touches the line.
    candidates = [i for share, i in overlaps if share > 0.05] or [i for _, i in overlaps]
    text = line.text
    step = lb.width / max(1, len(text))
    pieces: dict[int, str] = {}
    for k, ch in enumerate(text):
        x = lb.x0 + (k + 0.5) * step
        owner = min(
            candidates,
            key=lambda i: 0 if boxes[i].x0 <= x <= boxes[i].x1 else min(abs(boxes[i].x0 - x), abs(boxes[i].x1 - x)),
        )
        pieces[owner] = pieces.get(owner, "") + ch
    return [(i, t) for i, t in pieces.items() if t.strip()]


def _table(grid: _Grid, lines: list[OcrLine], page: int, file: str, index: int, engine: str | None) -> Table:
    xs, ys = grid.xs, grid.ys
    boxes = [BBox(x0=xs[c], y0=ys[r], x1=xs[c + cs], y1=ys[r + rs]) for r, c, rs, cs in grid.cells]
    found: dict[int, list[tuple[OcrLine, str]]] = {}
    for line in lines:
        for i, text in _pieces(line, boxes):
            found.setdefault(i, []).append((line, text))
    cells = []
    for i, (r, c, rs, cs) in enumerate(grid.cells):
        parts = sorted(found.get(i, []), key=lambda p: (round(p[0].bbox.cy / 8), p[0].bbox.x0))
        orig = _join_texts([t for _, t in parts])
        conf = min((ln.confidence for ln, _ in parts), default=1.0)
        prov = Provenance(
            file=file,
            page=page,
            bbox=boxes[i],
            cell=f"table {index} r{r + 1} c{c + 1}",
            method="ocr",
            engine=engine,
            confidence=round(conf, 4),
        )
        cells.append(Cell(text=normalise_text(orig), orig=orig, row=r, col=c, rowspan=rs, colspan=cs, prov=prov))
    whole = BBox(x0=xs[0], y0=ys[0], x1=xs[-1], y1=ys[-1])
    prov = Provenance(file=file, page=page, bbox=whole, cell=f"table {index}", method="ocr", engine=engine)
    return Table(cells=cells, n_rows=len(ys) - 1, n_cols=len(xs) - 1, prov=prov)


def recover_tables(
    image: np.ndarray, lines: list[OcrLine], page: int, file: str, engine: str | None = None
) -> list[Table]:
    """Tables ruled on an RGB page (pass the red-suppressed copy), top to bottom, with the
    OCR ``lines`` of the same image placed in their cells. Blank cells stay blank. A region
    needs at least two rows of cells or two columns to count as a table."""
    ink = _ink(image)
    horiz = _level_strokes(ink)
    if cv2.countNonZero(horiz) == 0:  # a table needs two level rules: skip the upright ones
        return []
    vert = _upright_strokes(ink)
    h, w = horiz.shape
    union = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(union, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = sorted(
        (cv2.boundingRect(c) for c in contours),
        key=lambda r: (r[1], r[0]),
    )
    tables: list[Table] = []
    for x, y, rw, rh in regions:
        if rw < w * 0.2 or rh < max(20, h * 0.02):
            continue
        # the region's strokes alone, labelled inside the region (not on a page-sized copy)
        grid = _build_grid(horiz[y : y + rh, x : x + rw], vert[y : y + rh, x : x + rw], (x, y), horiz.shape)
        if grid is None or (len(grid.ys) < 3 and len(grid.xs) < 3):
            continue
        inside = [ln for ln in lines if x - 5 <= ln.bbox.cx <= x + rw + 5 and y - 5 <= ln.bbox.cy <= y + rh + 5]
        tables.append(_table(grid, inside, page, file, len(tables) + 1, engine))
    return tables
