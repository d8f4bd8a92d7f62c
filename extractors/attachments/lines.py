"""A page's text boxes as ``Line``s, and what is known about one list of lines, computed once.

Every attachment kind scores every page: each looks for its labels, its title rows and its
watermarks on the same lines. ``facts(lines)`` keeps, per list of lines (the same ``Line``
objects in the same order), the median line height, a row index, the rows, the boxes by
first character and any result a caller memoises (``LineFacts.memo``: the labels found by
``geometry.find_label``, the lines without watermarks, the title rows), so each is worked
out once per page and shared by all kinds. ``Line`` and the models are frozen, so a
result cannot go stale while the lines it was computed from are held.
"""

from __future__ import annotations

import bisect
import operator
import re
import statistics
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar

from models.document import BBox, Document, Page

T = TypeVar("T")

SEPARATORS = " :：　\t·•"
LABEL_HEAD_STRIP = SEPARATORS + "【[（("
"""What is stripped from a box's start before it is compared with a label."""

WATERMARK = re.compile(
    r"(?:仅供[\u4e00-\u9fff]{0,16}?(?:使用|存档|备案|参考|办理|申报|查阅)|仅供存档|再次复印无效|复印无效|"
    r"复印件无效|与原件(?:一致|相符)|此复印件)"
)
"""Watermark and certification wording stamped or printed over a copy."""


def compact(text: str) -> str:
    """Text without any whitespace: how labels are compared."""
    return "".join(text.split())


@dataclass(frozen=True)
class Line:
    """One box of text on a page, with what is needed to cite it."""

    text: str
    bbox: BBox
    confidence: float
    file: str
    page: int
    method: str
    flat: str = field(init=False, compare=False, repr=False)
    """The text without whitespace, computed once: asked for again and again while every
    kind scores the page (a plain attribute: ``cached_property`` takes a lock on each first
    use, which cost more than the work). Not compared, and ``replace`` computes it anew."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "flat", compact(self.text))


def union(boxes: list[BBox]) -> BBox:
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out


class RowIndex:
    """Lines sorted by top edge, so the lines that can share a row with a box are found by
    bisection instead of a scan of the page (a Word page has thousands of lines)."""

    def __init__(self, lines: list[Line]) -> None:
        order = sorted(range(len(lines)), key=lambda i: lines[i].bbox.y0)
        self.lines = lines
        self.order = order
        self.tops = [lines[i].bbox.y0 for i in order]
        self.tallest = max((ln.bbox.height for ln in lines), default=0.0)

    def near(self, box: BBox) -> list[Line]:
        """Every line whose box overlaps ``box`` vertically (and some that only come close:
        callers test ``same_row``), in the page's order."""
        lo = bisect.bisect_left(self.tops, box.y0 - self.tallest)
        hi = bisect.bisect_left(self.tops, box.y1)
        return [self.lines[i] for i in sorted(self.order[lo:hi])]


_RowIndex = RowIndex  # the name tests and older callers use


class LineFacts:
    """What is known about one list of lines, each item worked out on first use."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.memo: dict[Any, Any] = {}

    def get(self, key: Any, make: Callable[[], T]) -> T:
        """The memoised result under ``key``, made by ``make()`` the first time."""
        try:
            return self.memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self.memo[key] = make()
            return value

    @cached_property
    def height(self) -> float:
        heights = [ln.bbox.height for ln in self.lines if ln.bbox.height > 0]
        return statistics.median(heights) if heights else 12.0

    @cached_property
    def index(self) -> RowIndex:
        return RowIndex(self.lines)

    @cached_property
    def rows(self) -> list[list[Line]]:
        return _rows(self.lines)

    @cached_property
    def by_first(self) -> dict[str, list[int]]:
        """First character of each box's head (separators and opening brackets stripped) →
        the positions of the boxes that start with it."""
        out: dict[str, list[int]] = {}
        for i, ln in enumerate(self.lines):
            head = ln.text.lstrip(LABEL_HEAD_STRIP)
            if head:
                out.setdefault(head[0], []).append(i)
        return out

    @cached_property
    def singles(self) -> dict[str, list[int]]:
        """One-character boxes (a letter-spaced label's pieces) by their character."""
        out: dict[str, list[int]] = {}
        for i, ln in enumerate(self.lines):
            if len(ln.flat) == 1:
                out.setdefault(ln.flat, []).append(i)
        return out


_FACTS_KEPT = 24  # lists of lines remembered: a page's, its unwatermarked ones, a few more
_facts: OrderedDict[tuple[int, ...], LineFacts] = OrderedDict()
_lines_lock = threading.Lock()


def facts(lines: list[Line]) -> LineFacts:
    """The shared facts of ``lines`` (see the module docstring). Keyed by the identities of
    the lines in order: the cache holds them, so a key cannot be taken by other lines."""
    key = tuple(map(id, lines))
    with _lines_lock:
        hit = _facts.get(key)
        if hit is not None and len(hit.lines) == len(lines) and all(map(operator.is_, hit.lines, lines)):
            _facts.move_to_end(key)
            return hit
    made = LineFacts(list(lines))
    with _lines_lock:
        _facts[key] = made
        while len(_facts) > _FACTS_KEPT:
            _facts.popitem(last=False)
    return made


_LINES_KEPT = 4  # pages whose lines are kept: classification asks for one page's lines per kind
_lines_cache: dict[int, tuple[Document, Page, list[Line]]] = {}


def page_lines(document: Document, page: Page) -> list[Line]:
    """Every block and table cell of ``page`` as a ``Line``, inventing boxes in reading
    order for items that have none (Word paragraphs and cells). Built once per page (every
    attachment kind scores every page), a new list each call; models are frozen, and the
    cache holds the page itself, so an identical id is the same page."""
    key = id(page)
    with _lines_lock:
        hit = _lines_cache.get(key)
    if hit is not None and hit[0] is document and hit[1] is page:
        return list(hit[2])
    lines = _page_lines(document, page)
    with _lines_lock:
        _lines_cache[key] = (document, page, lines)
        while len(_lines_cache) > _LINES_KEPT:
            del _lines_cache[next(iter(_lines_cache))]
    return list(lines)


def _page_lines(document: Document, page: Page) -> list[Line]:
    out: list[Line] = []
    y = 0.0
    for block in page.blocks:
        if not block.text.strip():
            continue
        box = block.prov.bbox
        if box is None or box.height <= 0:
            box = BBox(x0=0, y0=y, x1=12.0 * max(len(block.text), 1), y1=y + 12)
            y += 20
        out.append(_line(document, page, block.text, box, block.prov))
    base = max([ln.bbox.y1 for ln in out], default=0.0) + 40
    for t, table in enumerate(page.tables):
        for cell in table.cells:
            if not cell.text.strip():
                continue
            box = cell.prov.bbox
            if box is None or box.height <= 0:
                x0 = 400.0 * cell.col
                y0 = base + 20.0 * cell.row
                box = BBox(x0=x0, y0=y0, x1=x0 + 380, y1=y0 + 12)
            out.append(_line(document, page, cell.text, box, cell.prov))
        base += 20.0 * (table.n_rows + 2) + 40 * t
    return split_vertical(out)


def drop_watermarks(lines: list[Line]) -> list[Line]:
    """``lines`` without watermarks: boxes of a watermark's words, and the boxes of
    diagonal text (a tilted line gives a box far taller than its characters and too narrow
    for their number). Worked out once per list of lines; a new list each call."""
    return list(facts(lines).get("unmarked", lambda: _drop_watermarks(lines)))


def _drop_watermarks(lines: list[Line]) -> list[Line]:
    lh = line_height(lines)
    out = []
    for ln in lines:
        flat = ln.flat
        box = ln.bbox
        # Horizontal CJK text of any size is about len(text) heights wide; a diagonal
        # line's box is nearly square and several lines tall.
        tilted = box.height > 1.8 * lh and box.width < 0.6 * max(len(flat), 1) * box.height
        stamped = len(WATERMARK.sub("", flat)) <= 1 and WATERMARK.search(flat) is not None
        if not (tilted or stamped or _stray_glyph(ln, lines, lh)):
            out.append(ln)
    return out


def _stray_glyph(line: Line, lines: list[Line], lh: float) -> bool:
    """A character or two in a box several lines tall with no box of its size on its row:
    a piece of a diagonal watermark (the title's letter-spaced characters have each other)."""
    box = line.bbox
    if len(line.flat) > 2 or box.height < 2.5 * lh:
        return False
    return not any(
        ln is not line and same_row(box, ln.bbox, 0.6) and 0.7 * box.height <= ln.bbox.height <= 1.4 * box.height
        for ln in lines
    )


def split_vertical(lines: list[Line]) -> list[Line]:
    """Boxes the detector drew down a column of letter-spaced labels ("名类住" for the first
    characters of 名称/类型/住所) split back into one box per character."""
    lh = _median_height(lines)
    out: list[Line] = []
    for ln in lines:
        flat = ln.flat
        box = ln.bbox
        if len(flat) >= 2 and box.height > 1.8 * lh and box.height / len(flat) > 0.6 * box.width:
            step = box.height / len(flat)
            for i, ch in enumerate(flat):
                part = BBox(x0=box.x0, y0=box.y0 + i * step, x1=box.x1, y1=box.y0 + (i + 1) * step)
                out.append(replace(ln, text=ch, bbox=part))
        else:
            out.append(ln)
    return out


def _line(document: Document, page: Page, text: str, box: BBox, prov: object) -> Line:
    return Line(
        text=text,
        bbox=box,
        confidence=float(getattr(prov, "confidence", 1.0)),
        file=getattr(prov, "file", None) or document.file,
        page=getattr(prov, "page", None) or page.number,
        method=str(getattr(prov, "method", "ocr")),
    )


def _median_height(lines: list[Line]) -> float:
    heights = [ln.bbox.height for ln in lines if ln.bbox.height > 0]
    return statistics.median(heights) if heights else 12.0


def line_height(lines: list[Line]) -> float:
    """The median height of the boxes (12 when none has a height): the unit of every gap."""
    return facts(lines).height


def same_row(a: BBox, b: BBox, share: float = 0.45) -> bool:
    """True when the boxes overlap vertically by ``share`` of the smaller height."""
    # the arithmetic of BBox.height written out: the hottest test of the attachment readers
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= share * max(min(a.y1 - a.y0, b.y1 - b.y0), 1e-6)


def rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows, top to bottom. Grouped once for the same lines (every
    kind looks for its title in a page's top rows); new lists each call."""
    return [list(row) for row in facts(lines).rows]


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: x.bbox.cy):
        if rows and any(same_row(ln.bbox, other.bbox) for other in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def row_text(line: Line, lines: list[Line]) -> str:
    """``line`` and the boxes of similar height beside it on its row (a letter-spaced title
    read as one box per character), joined left to right without spaces. Only the boxes the
    row index puts near ``line`` are tested: the others cannot share its row."""
    h = line.bbox.height
    near = facts(lines).index.near(line.bbox)
    row = [ln for ln in near if same_row(line.bbox, ln.bbox, 0.6) and 0.7 * h <= ln.bbox.height <= 1.4 * h]
    row.sort(key=lambda ln: ln.bbox.x0)
    out: list[Line] = []
    for ln in row:
        if out and ln.bbox.x0 - out[-1].bbox.x1 > 2.5 * h:
            if line in out:
                break
            out = []
        out.append(ln)
    return "".join(ln.flat for ln in out)


def join_parts(parts: list[str]) -> str:
    """Join wrapped pieces of Chinese text: no space between CJK characters, one between
    two ASCII words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def nearest(box: BBox, lines: list[Line]) -> list[Line]:
    """``lines`` sorted by distance of their centres to ``box``'s centre."""
    return sorted(lines, key=lambda ln: (ln.bbox.cx - box.cx) ** 2 + (ln.bbox.cy - box.cy) ** 2)
