"""Text of a digital PDF page from pypdfium2: characters in displayed page space,
de-duplicated, grouped into lines, and lines cut into blocks at wide gaps and at table-cell
borders (label/value geometry matters downstream). Coordinates: PDF points, origin top-left.
"""

from __future__ import annotations

import ctypes
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from models.document import BBox, Block, Provenance, Table, normalise_text

SPLIT_GAP = 1.5  # horizontal gap, in character heights, that starts a new block
SPACE_GAP = 0.3  # gap, in character heights, read as a space inside a block
RENDER_MODE_INVISIBLE = 3


class Char:
    """One glyph in page space: top-left origin, points. A plain slotted class (a page has
    hundreds of them; a dataclass's generated ``__init__`` and ``__post_init__`` cost a
    third of reading the text layer)."""

    __slots__ = ("bottom", "ch", "cx", "cy", "height", "index", "space_before", "top", "x0", "x1")

    def __init__(
        self, ch: str, x0: float, top: float, x1: float, bottom: float, index: int, space_before: bool
    ) -> None:
        self.ch = ch
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.index = index  # position in pdfium's stream order
        self.space_before = space_before  # pdfium put a (real or generated) space right before it
        # derived once: read for every character by line grouping and cell assignment
        height = bottom - top
        self.height = 1.0 if height < 1.0 else height  # max(height, 1.0), without the call
        self.cy = (top + bottom) / 2
        self.cx = (x0 + x1) / 2

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Char) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"Char({self.ch!r}, x0={self.x0}, top={self.top}, x1={self.x1}, bottom={self.bottom})"


Transform = Callable[[float, float], tuple[float, float]]


class Affine:
    """An affine map (x, y) → (ox + a·x + c·y, oy + b·x + d·y): PDF user space to displayed
    page space. Callable as a ``Transform``; ``read_chars`` applies it inline."""

    __slots__ = ("a", "b", "c", "d", "ox", "oy")

    def __init__(self, ox: float, oy: float, a: float, b: float, c: float, d: float) -> None:
        self.ox, self.oy, self.a, self.b, self.c, self.d = ox, oy, a, b, c, d

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (self.ox + self.a * x + self.c * y, self.oy + self.b * x + self.d * y)


def page_transform(page: pdfium.PdfPage) -> Affine:
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
    return Affine(ox, oy, a, b, c, d)


def display_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """Width and height as displayed (swapped by /Rotate 90 or 270)."""
    width, height = page.get_size()
    return (height, width) if page.get_rotation() in (90, 270) else (width, height)


def to_box(tf: Transform, left: float, bottom: float, right: float, top: float) -> BBox:
    x0, y0 = tf(left, bottom)
    x1, y1 = tf(right, top)
    return BBox(x0=min(x0, x1), y0=min(y0, y1), x1=max(x0, x1), y1=max(y0, y1))


@dataclass
class TextLayer:
    chars: list[Char]
    invisible: int
    garbled: int


def read_chars(textpage: pdfium.PdfTextPage, tf: Affine, check_modes: bool = True) -> TextLayer:
    """Visible characters of a page, de-duplicated (glyphs drawn twice at one place),
    with counts of invisible (render mode 3) and garbled (no Unicode mapping) ones. The
    loop runs once per character of every page: pdfium's functions and the transform's
    coefficients are bound to locals, and the transform is applied inline."""
    raw = textpage.raw
    chars: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    modes: dict[int | None, int] = {}
    invisible = garbled = 0
    space_pending = False
    rect = pdfium_c.FS_RECTF()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    char_box = pdfium_c.FPDFText_GetLooseCharBox
    ox, oy, a, b, c, d = tf.ox, tf.oy, tf.a, tf.b, tf.c, tf.d
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace():
            # pdfium's generated characters are all here: it generates only spaces and line
            # breaks (CPDF_TextPage::AppendGeneratedCharacter: ' ', '\r', '\n'), so no
            # FPDFText_IsGenerated call is needed for the rest (checked on every sample and
            # real PDF: 11,606 generated characters, none other than whitespace)
            space_pending = (space_pending or ch in " \u3000\xa0") and ch not in "\r\n"
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
        if code == 0xFFFD or 0xE000 <= code <= 0xF8FF or map_error(raw, i):
            garbled += 1
        char_box(raw, i, rect)
        left, bottom_, right, top_ = rect.left, rect.bottom, rect.right, rect.top
        x_a, y_a = ox + a * left + c * bottom_, oy + b * left + d * bottom_
        x_b, y_b = ox + a * right + c * top_, oy + b * right + d * top_
        x0, x1 = (x_a, x_b) if x_a <= x_b else (x_b, x_a)
        top, bottom = (y_a, y_b) if y_a <= y_b else (y_b, y_a)
        dedupe = (ch, round(x0), round(top))
        if dedupe in seen:
            continue
        seen.add(dedupe)
        chars.append(Char(ch, x0, top, x1, bottom, i, space_pending))
        space_pending = False
    return TextLayer(chars, invisible, garbled)


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters into lines (vertical overlap), each sorted left to right."""
    lines: list[list[Char]] = []
    line_cy = line_h = 0.0
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        height = c.height
        if lines and abs(c.cy - line_cy) <= 0.45 * (line_h if line_h > height else height):
            line = lines[-1]
            line.append(c)
            line_cy += (c.cy - line_cy) / len(line)
            line_h = height if height > line_h else line_h
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
            taller = prev.height if prev.height > c.height else c.height  # max(), inline
            if gap > SPACE_GAP * taller or (follows and gap > -1.0):
                out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out)


def split_line(line: list[Char], borders: list[float]) -> list[list[Char]]:
    """Cut a line at wide gaps and at the vertical borders of table cells."""
    pieces: list[list[Char]] = [[line[0]]]
    for prev, c in itertools.pairwise(line):
        gap = c.x0 - prev.x1
        crosses = bool(borders) and (
            _any_within(borders, prev.x1 - 0.5, c.x0 + 0.5) or _any_inside(borders, prev.cx, c.cx)
        )
        taller = prev.height if prev.height > c.height else c.height  # max(), inline
        if gap > SPLIT_GAP * taller or crosses:
            pieces.append([c])
        else:
            pieces[-1].append(c)
    return pieces


def _any_within(ordered: list[float], lo: float, hi: float) -> bool:
    """Whether some value of the sorted list lies in [lo, hi]."""
    return lo <= hi and bisect_right(ordered, hi) > bisect_left(ordered, lo)


def _any_inside(ordered: list[float], lo: float, hi: float) -> bool:
    """Whether some value of the sorted list lies in (lo, hi)."""
    return lo < hi and bisect_left(ordered, hi) > bisect_right(ordered, lo)


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


_X0, _TOP, _X1, _BOTTOM = (attrgetter(name) for name in ("x0", "top", "x1", "bottom"))


def make_blocks(chars: list[Char], rel: str, number: int, tables: list[Table]) -> list[Block]:
    """One block per piece of a line, the line cut at wide gaps and at the left and right
    borders of every table cell the line passes through."""
    cell_boxes = [cell.prov.bbox for t in tables for cell in t.cells if cell.prov.bbox]
    spans = [(b.y0, b.y1, b.x0, b.x1) for b in cell_boxes]
    blocks: list[Block] = []
    for line in group_lines(chars):
        cy = sum(c.cy for c in line) / len(line)
        borders = sorted({x for y0, y1, x0, x1 in spans if y0 <= cy <= y1 for x in (x0, x1)})
        for piece in split_line(line, borders):
            orig = join_chars(piece)
            box = BBox(
                x0=min(map(_X0, piece)),
                y0=min(map(_TOP, piece)),
                x1=max(map(_X1, piece)),
                y1=max(map(_BOTTOM, piece)),
            )
            prov = Provenance(file=rel, page=number, bbox=box, method="pdf-text")
            blocks.append(Block(text=normalise_text(orig), orig=orig, prov=prov, role="line"))
    return blocks
