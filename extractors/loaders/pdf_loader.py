"""Digital PDF → ``Document``, one page at a time.

Text comes from pypdfium2 (fast, and it reads CID/CFF fonts that pdfminer cannot): its
characters are de-duplicated, grouped into lines, and lines are cut into separate blocks
at wide gaps and at table-cell borders, because label/value geometry matters downstream.
Ruled tables come from pdfplumber's table finder, run only on pages that draw lines or
rectangles; each cell's text is taken from the pypdfium2 characters inside its box.
Pages without a usable text layer (scans, invisible OCR layers, garbled fonts) come back
with ``needs_ocr=True`` and no blocks. Coordinates: PDF points, origin top-left.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.loaders import safety
from models.document import (
    BBox,
    Block,
    Cell,
    Document,
    Page,
    Provenance,
    Seal,
    Table,
    normalise_text,
)
from models.errors import FileReadError

log = logging.getLogger(__name__)

NEGLIGIBLE_CHARS = 8  # fewer visible characters than this: no text layer worth keeping
STAMPED_SCAN_CHARS = 40  # a full-page image with at most this much text is a scan
SPLIT_GAP = 1.5  # horizontal gap, in character heights, that starts a new block
SPACE_GAP = 0.3  # gap, in character heights, read as a space inside a block
GARBLED_SHARE = 0.3
TABLE_MIN_PATHS = 4
RENDER_MODE_INVISIBLE = 3

MSG_CORRUPT = "PDF 文件已损坏或不完整，无法打开；请申报单位重新提供"
MSG_NO_PAGES = "PDF 文件没有任何页面"


@dataclass(slots=True)
class Char:
    """One glyph in page space: top-left origin, points."""

    ch: str
    x0: float
    top: float
    x1: float
    bottom: float
    index: int  # position in pdfium's stream order
    space_before: bool  # pdfium put a (real or generated) space right before it

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


Transform = Callable[[float, float], tuple[float, float]]


def page_transform(page: pdfium.PdfPage) -> Transform:
    """PDF user space → displayed page space (top-left origin, rotation and crop box
    applied), measured from pdfium itself so /Rotate and odd boxes are handled once."""
    width, height = page.get_size()
    scale = 16
    size_x, size_y = max(1, round(width * scale)), max(1, round(height * scale))

    def device(px: float, py: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size_x, size_y, 0, px, py, ctypes.byref(dx), ctypes.byref(dy))
        return dx.value / scale, dy.value / scale

    ox, oy = device(0, 0)
    ax, ay = device(1000, 0)
    bx, by = device(0, 1000)
    a, b = (ax - ox) / 1000, (ay - oy) / 1000
    c, d = (bx - ox) / 1000, (by - oy) / 1000
    return lambda x, y: (ox + a * x + c * y, oy + b * x + d * y)


def _display_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """Width and height as displayed (swapped by /Rotate 90 or 270)."""
    width, height = page.get_size()
    return (height, width) if page.get_rotation() in (90, 270) else (width, height)


def to_box(tf: Transform, left: float, bottom: float, right: float, top: float) -> BBox:
    x0, y0 = tf(left, bottom)
    x1, y1 = tf(right, top)
    return BBox(x0=min(x0, x1), y0=min(y0, y1), x1=max(x0, x1), y1=max(y0, y1))


@dataclass
class _Layer:
    chars: list[Char]
    invisible: int
    garbled: int


def read_chars(textpage: pdfium.PdfTextPage, tf: Transform, check_modes: bool = True) -> _Layer:
    """Visible characters of a page, de-duplicated (glyphs drawn twice at one place),
    with counts of invisible (render mode 3) and garbled (no Unicode mapping) ones."""
    raw = textpage.raw
    chars: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    modes: dict[int | None, int] = {}
    invisible = garbled = 0
    space_pending = False
    rect = pdfium_c.FS_RECTF()
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace():
            space_pending = (space_pending or ch in " \u3000\xa0") and ch not in "\r\n"
            continue
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        if check_modes:
            obj = pdfium_c.FPDFText_GetTextObject(raw, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value
            if key not in modes:
                modes[key] = pdfium_c.FPDFTextObj_GetTextRenderMode(obj) if obj else 0
            if modes[key] == RENDER_MODE_INVISIBLE:
                invisible += 1
                continue
        if code < 0x20 or 0x7F <= code < 0xA0:
            garbled += 1  # control codes: a font without a usable Unicode map
            continue
        if code == 0xFFFD or 0xE000 <= code <= 0xF8FF or pdfium_c.FPDFText_HasUnicodeMapError(raw, i):
            garbled += 1
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        x_a, y_a = tf(rect.left, rect.bottom)
        x_b, y_b = tf(rect.right, rect.top)
        x0, x1 = (x_a, x_b) if x_a <= x_b else (x_b, x_a)
        top, bottom = (y_a, y_b) if y_a <= y_b else (y_b, y_a)
        dedupe = (ch, round(x0), round(top))
        if dedupe in seen:
            continue
        seen.add(dedupe)
        chars.append(Char(ch, x0, top, x1, bottom, i, space_pending))
        space_pending = False
    return _Layer(chars, invisible, garbled)


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters into lines (vertical overlap), each sorted left to right."""
    lines: list[list[Char]] = []
    line_cy = line_h = 0.0
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(c.cy - line_cy) <= 0.45 * max(c.height, line_h):
            line = lines[-1]
            line.append(c)
            line_cy += (c.cy - line_cy) / len(line)
            line_h = max(line_h, c.height)
        else:
            lines.append([c])
            line_cy, line_h = c.cy, c.height
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def join_chars(chars: list[Char]) -> str:
    """Text of left-to-right characters, a space where the gap or pdfium says so."""
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            follows = c.space_before and c.index > prev.index
            if gap > SPACE_GAP * max(c.height, prev.height) or (follows and gap > -1.0):
                out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out)


def split_line(line: list[Char], borders: list[float]) -> list[list[Char]]:
    """Cut a line at wide gaps and at the vertical borders of table cells."""
    pieces: list[list[Char]] = [[line[0]]]
    for prev, c in itertools.pairwise(line):
        gap = c.x0 - prev.x1
        crosses = any(prev.x1 - 0.5 <= x <= c.x0 + 0.5 or prev.cx < x < c.cx for x in borders)
        if gap > SPLIT_GAP * max(c.height, prev.height) or crosses:
            pieces.append([c])
        else:
            pieces[-1].append(c)
    return pieces


def _edges(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Distinct coordinates, near-equal ones merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def cell_text(chars: list[Char]) -> str:
    """A cell's lines; a wrapped line joins the next directly between Chinese characters."""
    text = ""
    for line in group_lines(chars):
        piece = join_chars(line)
        if text and not (_is_cjk(text[-1]) and _is_cjk(piece[0])):
            text += "\n"
        text += piece
    return text


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def build_tables(
    found: list[tuple[tuple[float, float, float, float], list[tuple]]],
    chars: list[Char],
    rel: str,
    number: int,
) -> list[Table]:
    """Tables on their grid: rows are the distinct cell tops, columns the distinct cell
    lefts (as pdfplumber counts them), so a merged cell appears once with its spans.
    Cells that do not fit a clean grid are clipped; a cell starting inside another one
    gives its text to that one."""
    tables: list[Table] = []
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
            inside = [c for c in chars if x0 <= c.cx <= x1 and top <= c.cy <= bottom]
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


def make_blocks(chars: list[Char], rel: str, number: int, tables: list[Table]) -> list[Block]:
    blocks: list[Block] = []
    for line in group_lines(chars):
        cy = sum(c.cy for c in line) / len(line)
        borders = sorted(
            {
                x
                for t in tables
                for cell in t.cells
                if cell.prov.bbox and cell.prov.bbox.y0 <= cy <= cell.prov.bbox.y1
                for x in (cell.prov.bbox.x0, cell.prov.bbox.x1)
            }
        )
        for piece in split_line(line, borders):
            orig = join_chars(piece)
            box = BBox(
                x0=min(c.x0 for c in piece),
                y0=min(c.top for c in piece),
                x1=max(c.x1 for c in piece),
                y1=max(c.bottom for c in piece),
            )
            prov = Provenance(file=rel, page=number, bbox=box, method="pdf-text")
            blocks.append(Block(text=normalise_text(orig), orig=orig, prov=prov, role="line"))
    return blocks


@dataclass
class _Objects:
    """What a page draws, from one pass over its objects (and one level of forms)."""

    paths: int = 0
    invisible_text: bool = False
    images: list[tuple[Any, BBox]] = field(default_factory=list)


def scan_objects(page: pdfium.PdfPage, tf: Transform) -> _Objects:
    found = _Objects()
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    stack: list[tuple[Any, bool]] = [(page.raw, False)]
    while stack:
        holder, is_form = stack.pop()
        count_fn = pdfium_c.FPDFFormObj_CountObjects if is_form else pdfium_c.FPDFPage_CountObjects
        get_fn = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
        for i in range(max(count_fn(holder), 0)):
            obj = get_fn(holder, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                found.paths += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
                found.invisible_text |= mode == RENDER_MODE_INVISIBLE
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and not is_form:
                stack.append((obj, True))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(
                obj, *(ctypes.byref(v) for v in (left, bottom, right, top))
            ):
                box = to_box(tf, left.value, bottom.value, right.value, top.value)
                found.images.append((obj, box))
    return found


def find_seals(page: pdfium.PdfPage, images: list[tuple[Any, BBox]], number: int) -> list[Seal]:
    """Red-dominant, seal-sized embedded images (electronic seals of digital PDFs)."""
    width, height = page.get_size()
    seals: list[Seal] = []
    for raw_obj, box in images:
        if box.width * box.height > 0.3 * width * height:
            continue
        if not (15 <= box.width <= 350 and 15 <= box.height <= 350):
            continue
        if not 0.4 <= box.width / max(box.height, 1e-6) <= 2.5:
            continue
        try:
            image = pdfium.PdfImage(raw_obj, page=page, pdf=page.pdf)
            px_w, px_h = image.get_px_size()
            if px_w * px_h > 16_000_000:
                continue
            img = image.get_bitmap(render=True).to_pil()
            img.thumbnail((160, 160))
            red = safety.red_share_of(img)
        except (pdfium.PdfiumError, ValueError, OSError) as exc:
            log.debug("page %d: image skipped: %s", number, exc)
            continue
        if safety.is_red_dominant(red):
            seals.append(Seal(page=number, bbox=box, score=round(red, 3), source="pdf-image"))
    return seals


class _Plumber:
    """pdfplumber opened on first need and kept for the document; failures only cost
    the tables, never the page."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None
        self.broken = False

    def cells(self, index: int) -> list[tuple[tuple[float, float, float, float], list[tuple]]]:
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


def _read_page(pdf: pdfium.PdfDocument, index: int, rel: str, plumber: _Plumber) -> Page:
    number = index + 1
    page = pdf[index]
    textpage = None
    try:
        tf = page_transform(page)
        width, height = _display_size(page)
        textpage = page.get_textpage()
        objects = scan_objects(page, tf)
        layer = read_chars(textpage, tf, objects.invisible_text)
        page_area = max(width * height, 1.0)
        largest_image = max((b.width * b.height / page_area for _, b in objects.images), default=0)
        seals = find_seals(page, objects.images, number)
        base = {
            "number": number,
            "width": round(width, 2),
            "height": round(height, 2),
            "unit": "pt",
            "seals": seals,
        }
        visible = len(layer.chars)
        if layer.invisible and layer.invisible >= visible:
            log.info("%s p%d: invisible OCR text layer, page goes to OCR", rel, number)
            return Page(**base, has_text_layer=True, needs_ocr=True)
        if visible - layer.garbled < NEGLIGIBLE_CHARS or (largest_image > 0.5 and visible < STAMPED_SCAN_CHARS):
            return Page(**base, has_text_layer=False, needs_ocr=True)
        if layer.garbled > GARBLED_SHARE * visible:
            log.info("%s p%d: text layer without Unicode mapping, page goes to OCR", rel, number)
            return Page(**base, has_text_layer=True, needs_ocr=True)
        tables: list[Table] = []
        if objects.paths >= TABLE_MIN_PATHS:
            tables = build_tables(plumber.cells(index), layer.chars, rel, number)
        blocks = make_blocks(layer.chars, rel, number, tables)
        return Page(**base, blocks=blocks, tables=tables)
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open with pdfium; encrypted files open only when the empty password works."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise FileReadError(safety.MSG_ENCRYPTED, detail=str(exc)) from exc
        raise FileReadError(MSG_CORRUPT, detail=str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise FileReadError(MSG_CORRUPT, detail=str(exc)) from exc


def load_pdf(path: Path, rel: str, sniffed: str | None = None) -> Document:
    """Read a PDF page by page; page objects are closed as soon as a page is read."""
    kind = sniffed or safety.sniff(path)
    if kind == "empty":
        raise FileReadError(safety.MSG_EMPTY)
    if kind != "pdf":
        safety.check_ole(kind)
        raise FileReadError(safety.MSG_NOT_PDF, detail=f"sniffed as {kind}")
    pdf = open_pdf(path)
    plumber = _Plumber(path)
    try:
        count = len(pdf)
        if count == 0:
            raise FileReadError(MSG_NO_PAGES)
        pages: list[Page] = []
        failed: list[str] = []
        for index in range(count):
            try:
                pages.append(_read_page(pdf, index, rel, plumber))
            except pdfium.PdfiumError as exc:
                log.warning("%s page %d unreadable: %s", rel, index + 1, exc)
                failed.append(str(index + 1))
                pages.append(Page(number=index + 1, has_text_layer=False, needs_ocr=True))
        if len(failed) == count:
            raise FileReadError(MSG_CORRUPT, detail="no page could be loaded")
    finally:
        plumber.close()
        pdf.close()
    meta = {"pages": str(count)}
    if failed:
        meta["unreadable_pages"] = ",".join(failed)
    ocr = [str(p.number) for p in pages if p.needs_ocr]
    if ocr:
        meta["needs_ocr_pages"] = ",".join(ocr)
    return Document(file=rel, source_kind="pdf", pages=pages, meta=meta)
