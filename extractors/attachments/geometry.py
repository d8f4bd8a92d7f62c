"""Label → value by boxes: how fields are read from certificate-like pages.

OCR engines return lines in an order that does not follow a licence's two-column layout, so
fields are read by geometry: find the label's box (or boxes, when a letter-spaced label such
as "名　　称" comes back as "名" and "称"), then take the boxes to its right on the same row
(vertical overlap), up to the next label to the right, and, for values that wrap, the lines
below that start in the value column until the next labelled row.

Pages without boxes (Word paragraphs, table cells without a bbox) get synthetic boxes in
reading order, so the same code reads "名称：某某有限公司" from a paragraph.
"""

from __future__ import annotations

import bisect
import re
import statistics
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property

from models.document import BBox, Document, Page
from models.fields import Evidence, Extracted

SEPARATORS = " :：　\t·•"

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

    @cached_property
    def flat(self) -> str:
        """The text without whitespace, computed once (asked for again and again while every
        kind scores the page; ``cached_property`` writes the instance dict, which a frozen
        dataclass allows, and fields, equality and ``replace`` ignore it)."""
        return compact(self.text)


@dataclass
class Hit:
    """A label found on the page: its boxes and any value text that shares its last box."""

    label: str
    lines: list[Line]
    rest: str = ""

    @property
    def bbox(self) -> BBox:
        return union([ln.bbox for ln in self.lines])

    @property
    def value_x0(self) -> float:
        """Where the value column starts: after the label, or inside its box when inline."""
        last = self.lines[-1]
        if not self.rest:
            return last.bbox.x1
        width = last.bbox.width / max(len(last.text), 1)
        return last.bbox.x1 - width * len(self.rest)


@dataclass
class Value:
    """The text read for a label, and the boxes it came from (label included)."""

    text: str
    lines: list[Line] = field(default_factory=list)
    label: Hit | None = None

    def extracted(self, value: object, raw: str | None = None) -> Extracted:
        return extracted(value, self.text if raw is None else raw, self.lines, self.label)


def union(boxes: list[BBox]) -> BBox:
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out


def extracted(
    value: object, raw: str, lines: list[Line], label: Hit | None = None, method: str | None = None
) -> Extracted:
    """An ``Extracted`` citing ``lines``: confidence is the lowest of the boxes used, the
    evidence box the union of the label and value boxes."""
    used = [*(label.lines if label else []), *lines]
    if not used:
        return Extracted(value=value, raw=raw, confidence=0.5, method=method or "inferred")
    first = used[0]
    return Extracted(
        value=value,
        raw=raw,
        confidence=min(ln.confidence for ln in used),
        evidence=[
            Evidence(
                file=first.file,
                page=first.page,
                bbox=union([ln.bbox for ln in used]),
                text=raw,
            )
        ],
        method=method or first.method,
    )


_LINES_KEPT = 4  # pages whose lines are kept: classification asks for one page's lines per kind
_lines_cache: dict[int, tuple[Document, Page, list[Line]]] = {}
_lines_lock = threading.Lock()


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
    for their number)."""
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
    lh = line_height(lines)
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


def line_height(lines: list[Line]) -> float:
    heights = [ln.bbox.height for ln in lines if ln.bbox.height > 0]
    return statistics.median(heights) if heights else 12.0


def same_row(a: BBox, b: BBox, share: float = 0.45) -> bool:
    """True when the boxes overlap vertically by ``share`` of the smaller height."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= share * max(min(a.height, b.height), 1e-6)


def _strip_prefix(text: str, label: str) -> str | None:
    """``text`` after the characters of ``label`` (spaces inside ignored), or None."""
    i = 0
    for ch in label:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != ch:
            return None
        i += 1
    return text[i:].strip(SEPARATORS)


class _RowIndex:
    """Lines sorted by top edge, so the lines that can share a row with a box are found by
    bisection instead of a scan of the page (a Word page has thousands of lines)."""

    def __init__(self, lines: list[Line]) -> None:
        order = sorted(range(len(lines)), key=lambda i: lines[i].bbox.y0)
        self.lines = lines
        self.order = order
        self.tops = [lines[i].bbox.y0 for i in order]
        self.tallest = max((ln.bbox.height for ln in lines), default=0.0)

    def near(self, box: BBox) -> list[Line]:
        """Every line whose box overlaps ``box`` vertically, in the page's order."""
        lo = bisect.bisect_left(self.tops, box.y0 - self.tallest)
        hi = bisect.bisect_left(self.tops, box.y1)
        return [self.lines[i] for i in sorted(self.order[lo:hi])]


def find_label(lines: list[Line], aliases: list[str], name: str | None = None) -> list[Hit]:
    """Places where one of ``aliases`` starts a box, possibly spread over boxes on one row
    (letter-spaced labels). Best first: label-only boxes, then longer aliases."""
    if not _may_hold_label(lines, aliases):
        return []  # most pages, for most kinds' labels: skip the per-page set-up below
    lh = line_height(lines)
    hits: list[tuple[tuple[int, int, float], Hit]] = []
    rows = _RowIndex(lines)
    for start in lines:
        head = start.text.lstrip(SEPARATORS + "【[（(")
        matched = False
        if head and any(a[0] == head[0] for a in aliases):
            right = sorted(
                (
                    ln
                    for ln in rows.near(start.bbox)
                    if ln is not start and same_row(start.bbox, ln.bbox) and ln.bbox.x0 >= start.bbox.x1 - 0.3 * lh
                ),
                key=lambda ln: ln.bbox.x0,
            )
            for alias in sorted(aliases, key=len, reverse=True):
                hit = _match_alias(start, head, right, alias, lh, name or aliases[0])
                if hit:
                    rank = (0 if not hit.rest else 1, -len(alias), start.bbox.y0)
                    hits.append((rank, hit))
                    matched = True
                    break
        if not matched and len(start.flat) == 1:
            # "类" alone, "型" lost or read as part of nothing on its row
            lone = _lone_char_label(start, lines, aliases, lh, name or aliases[0])
            if lone is not None:
                hits.append(((2, -2, start.bbox.y0), lone))
    hits.sort(key=lambda pair: pair[0])
    return [hit for _, hit in hits]


def _may_hold_label(lines: list[Line], aliases: list[str]) -> bool:
    """Whether some box could start one of ``aliases`` in ``find_label``: its head begins
    with an alias's first character, or it is one character of a two-character alias (a
    letter-spaced label). False means ``find_label`` finds nothing (classification asks
    every kind's labels of every page; this check halves its cost)."""
    firsts = {a[0] for a in aliases if a}
    pairs = {c for a in aliases if len(a) == 2 for c in a}
    for ln in lines:
        head = ln.text.lstrip(SEPARATORS + "【[（(")
        if (head and head[0] in firsts) or (pairs and ln.flat in pairs):
            return True
    return False


def _lone_char_label(start: Line, lines: list[Line], aliases: list[str], lh: float, name: str) -> Hit | None:
    """A letter-spaced two-character label of which OCR kept one character ("类" without
    "型"): accepted when no other box shares its row within a label's width on either side
    and the value is to its right."""
    char = start.flat
    if not any(len(a) == 2 and char in a for a in aliases):
        return None
    for ln in lines:
        if ln is start or not same_row(start.bbox, ln.bbox):
            continue
        gap = max(ln.bbox.x0 - start.bbox.x1, start.bbox.x0 - ln.bbox.x1)
        if gap < 6 * lh and len(ln.flat) == 1:
            return None  # its partner is there: the full label matches instead
    right = [ln for ln in lines if same_row(start.bbox, ln.bbox) and ln.bbox.x0 > start.bbox.x1]
    return Hit(label=name, lines=[start]) if right else None


def _match_alias(start: Line, head: str, right: list[Line], alias: str, lh: float, name: str) -> Hit | None:
    used = [start]
    text = head
    flat = compact(text)
    for nxt in [None, *right]:
        if nxt is not None:
            if nxt.bbox.x0 - used[-1].bbox.x1 > 6 * lh:
                return None
            used.append(nxt)
            text = nxt.text
            flat += nxt.flat
        if flat.startswith(alias):
            consumed = len(flat) - len(compact(text))
            rest = _strip_prefix(text, alias[max(consumed, 0) :]) if consumed < len(alias) else ""
            if rest is None:
                rest = text.strip(SEPARATORS)
            return Hit(label=name, lines=used, rest=rest)
        if not alias.startswith(flat):
            return None
    return None


def value_right(
    hit: Hit,
    lines: list[Line],
    labels: list[Hit],
    *,
    multiline: bool = False,
    max_rows: int = 12,
) -> Value:
    """The value of ``hit``: its inline rest, the boxes to its right on the same row up to the
    next label, and (``multiline``) the wrapped lines below in the value column."""
    lh = line_height(lines)
    box = hit.bbox
    label_boxes = {id(ln) for h in labels for ln in h.lines}
    right_labels = [h.bbox.x0 for h in labels if h.bbox.x0 > box.x1 + 0.5 * lh and h.bbox.y0 < box.y1 + lh]
    limit = min(right_labels, default=float("inf"))
    used = set(map(id, hit.lines))
    first = [
        ln
        for ln in lines
        if id(ln) not in used
        and id(ln) not in label_boxes
        and same_row(box, ln.bbox, 0.45)
        # OCR pads boxes: a value box may start a little inside the label's box
        and (ln.bbox.x0 >= box.x1 - 0.5 * lh or (ln.bbox.x0 >= box.x1 - 1.2 * lh and ln.bbox.cx > box.x1 + lh))
        and ln.bbox.x0 < limit - 0.3 * lh
    ]
    stacked = rows(first)
    if len(stacked) > 1 and any(ln.bbox.height > 1.6 * lh for ln in hit.lines):
        # a tall (merged or estimated) label box reaches two value rows: the nearer one
        first = min(stacked, key=lambda r: abs(sum(ln.bbox.cy for ln in r) / len(r) - box.cy))
        first.sort(key=lambda ln: ln.bbox.x0)
    else:  # tilted lines: one value may span two rows of the label's height
        first = [ln for row in stacked for ln in sorted(row, key=lambda x: x.bbox.x0)]
        if len(stacked) == 1:
            first = contiguous(first, hit, lh)
    parts = [hit.rest] if hit.rest else []
    parts += [ln.text for ln in first]
    taken = list(first)
    if multiline and (parts or first):
        col_x0 = min([hit.value_x0] + [ln.bbox.x0 for ln in first]) if first else hit.value_x0
        # the value's type size: what its wrapped lines are printed in (a caption is smaller)
        ref = first[0].bbox.height if first else hit.lines[-1].bbox.height
        bottom = max([box.y1] + [ln.bbox.y1 for ln in first])
        below = sorted(
            (ln for ln in lines if ln.bbox.y0 > box.y1 - 0.3 * lh and id(ln) not in used),
            key=lambda ln: ln.bbox.cy,
        )
        starts = [
            h.bbox for h in labels if h.bbox.y0 > box.y0 + 0.3 * lh and box.x0 - 2 * lh <= h.bbox.x0 < limit - 0.3 * lh
        ]
        for row in rows([ln for ln in below if ln not in taken]):
            top = min(ln.bbox.y0 for ln in row)
            if top - bottom > 1.2 * lh or max_rows <= 0:
                break
            if any(lb.y0 < top + 0.5 * lh for lb in starts):
                break  # the next label of this column
            if any(box.x0 - lh <= ln.bbox.x0 < col_x0 - lh for ln in row):
                break  # something in the label zone: a new (unread) labelled row
            inside = [
                ln
                for ln in row
                if ln.bbox.x0 >= col_x0 - lh and ln.bbox.x0 < limit - 0.3 * lh and ln.bbox.height >= 0.7 * ref
            ]
            if not inside:
                continue
            if any(id(ln) in label_boxes for ln in inside):
                break
            inside.sort(key=lambda ln: ln.bbox.x0)
            if inside[0].bbox.x0 > col_x0 + 3 * lh:
                continue  # a wrapped value starts at its column: this is something printed beside it
            parts += [ln.text for ln in inside]
            taken += inside
            bottom = max(ln.bbox.y1 for ln in inside)
            max_rows -= 1
    return Value(text=join_parts(parts), lines=taken, label=hit)


def contiguous(row: list[Line], hit: Hit, lh: float, gap: float = 4.0, shrink: float = 0.7) -> list[Line]:
    """The boxes of one value row (left to right) up to the first that belongs to something
    else: one after a gap wider than ``gap`` line heights, or one printed much smaller than
    the value (the QR code's "扫描二维码登录…" caption set beside the name)."""
    if not row:
        return row
    # A label box that holds the start of the value ("法定代表人王某") is the value's first box.
    out = [hit.lines[-1]] if hit.rest else [row[0]]
    ref = out[0].bbox.height
    for ln in row if hit.rest else row[1:]:
        if ln.bbox.x0 - out[-1].bbox.x1 > gap * lh or ln.bbox.height < shrink * ref:
            break
        out.append(ln)
    return out[1:] if hit.rest else out


_rows_cache: dict[tuple[int, ...], tuple[list[Line], list[list[Line]]]] = {}


def rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows, top to bottom. Grouped once for the same lines (every
    kind looks for its title in a page's top rows); new lists each call."""
    key = tuple(map(id, lines))
    with _lines_lock:
        hit = _rows_cache.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], lines, strict=True)):
        return [list(row) for row in hit[1]]
    grouped = _rows(lines)
    with _lines_lock:
        _rows_cache[key] = (list(lines), grouped)  # holding the lines keeps their ids theirs
        while len(_rows_cache) > 2 * _LINES_KEPT:
            del _rows_cache[next(iter(_rows_cache))]
    return [list(row) for row in grouped]


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
    read as one box per character), joined left to right without spaces."""
    h = line.bbox.height
    row = [ln for ln in lines if same_row(line.bbox, ln.bbox, 0.6) and 0.7 * h <= ln.bbox.height <= 1.4 * h]
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


class LabelIndex:
    """The labels of one page found once, so each value stops at its neighbours' labels."""

    def __init__(self, lines: list[Line], labels: dict[str, list[str]]) -> None:
        self.lines = lines
        self.hits: dict[str, Hit] = {}
        taken: set[int] = set()
        # Longer labels first, so "法定代表人姓名" is not read as "名称"'s neighbour.
        for key, aliases in sorted(labels.items(), key=lambda kv: -max(map(len, kv[1]))):
            for hit in find_label(lines, aliases, key):
                if not any(id(ln) in taken for ln in hit.lines):
                    self.hits[key] = hit
                    taken.update(id(ln) for ln in hit.lines)
                    break

    def add(self, key: str, hit: Hit) -> None:
        """Record a label found by other means (a letter-spaced label whose first character
        OCR lost), so the other values stop at it too."""
        self.hits[key] = hit

    def all(self) -> list[Hit]:
        return list(self.hits.values())

    def value(self, key: str, *, multiline: bool = False, max_rows: int = 12) -> Value | None:
        """The value beside label ``key``; None when the label is not on the page."""
        hit = self.hits.get(key)
        if hit is None:
            return None
        return value_right(hit, self.lines, self.all(), multiline=multiline, max_rows=max_rows)
