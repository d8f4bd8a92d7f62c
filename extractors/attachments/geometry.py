"""Label → value by boxes: how fields are read from certificate-like pages.

OCR engines return lines in an order that does not follow a licence's two-column layout, so
fields are read by geometry: find the label's box (or boxes, when a letter-spaced label such
as "名　　称" comes back as "名" and "称"), then take the boxes to its right on the same row
(vertical overlap), up to the next label to the right, and, for values that wrap, the lines
below that start in the value column until the next labelled row.

Pages without boxes (Word paragraphs, table cells without a bbox) get synthetic boxes in
reading order, so the same code reads "名称：某某有限公司" from a paragraph.

The page's boxes, their rows and the facts shared by every kind live in ``lines`` (imported
here too, so ``geometry`` stays the one import for readers); the labels found on a list of
lines are remembered there, so the kinds that look for the same label on a page (甲方 for a
contract and a lease) find it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from extractors.attachments.lines import (
    LABEL_HEAD_STRIP,
    SEPARATORS,
    WATERMARK,
    Line,
    LineFacts,
    RowIndex,
    _RowIndex,
    compact,
    drop_watermarks,
    facts,
    join_parts,
    line_height,
    nearest,
    page_lines,
    row_text,
    rows,
    same_row,
    split_vertical,
    union,
)
from models.document import BBox
from models.fields import Evidence, Extracted

__all__ = [
    "SEPARATORS",
    "WATERMARK",
    "Hit",
    "LabelIndex",
    "Line",
    "RowIndex",
    "Value",
    "_RowIndex",
    "compact",
    "contiguous",
    "drop_watermarks",
    "extracted",
    "find_label",
    "join_parts",
    "line_height",
    "nearest",
    "page_lines",
    "row_text",
    "rows",
    "same_row",
    "split_vertical",
    "union",
    "value_right",
]


@dataclass
class Hit:
    """A label found on the page: its boxes and any value text that shares its last box."""

    label: str
    lines: list[Line]
    rest: str = ""

    @cached_property
    def bbox(self) -> BBox:
        """The union of the label's boxes (asked for by every value read on the page; a
        hit's boxes never change once found)."""
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


def find_label(lines: list[Line], aliases: list[str], name: str | None = None) -> list[Hit]:
    """Places where one of ``aliases`` starts a box, possibly spread over boxes on one row
    (letter-spaced labels). Best first: label-only boxes, then longer aliases. Found once
    per list of lines and aliases (``lines.facts``); a new list each call."""
    return _found(facts(lines), aliases, name)


def _found(known: LineFacts, aliases: list[str], name: str | None) -> list[Hit]:
    found = known.get(("find_label", tuple(aliases), name), lambda: _find_label(known, aliases, name))
    return list(found)


def _find_label(known: LineFacts, aliases: list[str], name: str | None) -> list[Hit]:
    # Only boxes whose head starts like an alias, or one character of a two-character alias
    # (a letter-spaced label), can start a hit: the others are skipped through the page's
    # index of first characters, in the page's order as a scan would meet them.
    firsts = {a[0] for a in aliases if a}
    pairs = {c for a in aliases if len(a) == 2 for c in a}
    starts = {i for c in firsts for i in known.by_first.get(c, ())}
    lone = {i for c in pairs for i in known.singles.get(c, ())}
    if not starts and not lone:
        return []  # most pages, for most kinds' labels
    lines = known.lines
    lh = known.height
    rows_near = known.index
    longest_first = sorted(aliases, key=len, reverse=True)
    label = name or aliases[0]
    hits: list[tuple[tuple[int, int, float], Hit]] = []
    for i in sorted(starts | lone):
        start = lines[i]
        matched = False
        if i in starts:
            head = start.text.lstrip(LABEL_HEAD_STRIP)
            right = sorted(
                (
                    ln
                    for ln in rows_near.near(start.bbox)
                    if ln is not start and same_row(start.bbox, ln.bbox) and ln.bbox.x0 >= start.bbox.x1 - 0.3 * lh
                ),
                key=lambda ln: ln.bbox.x0,
            )
            for alias in longest_first:
                hit = _match_alias(start, head, right, alias, lh, label)
                if hit:
                    rank = (0 if not hit.rest else 1, -len(alias), start.bbox.y0)
                    hits.append((rank, hit))
                    matched = True
                    break
        if not matched and i in lone:
            # "类" alone, "型" lost or read as part of nothing on its row
            found = _lone_char_label(start, rows_near, lh, label)
            if found is not None:
                hits.append(((2, -2, start.bbox.y0), found))
    hits.sort(key=lambda pair: pair[0])
    return [hit for _, hit in hits]


def _lone_char_label(start: Line, rows_near: RowIndex, lh: float, name: str) -> Hit | None:
    """A letter-spaced two-character label of which OCR kept one character ("类" without
    "型"): accepted when no other box shares its row within a label's width on either side
    and the value is to its right. (``start`` is one character of a two-character alias.)"""
    beside = [ln for ln in rows_near.near(start.bbox) if ln is not start and same_row(start.bbox, ln.bbox)]
    for ln in beside:
        gap = max(ln.bbox.x0 - start.bbox.x1, start.bbox.x0 - ln.bbox.x1)
        if gap < 6 * lh and len(ln.flat) == 1:
            return None  # its partner is there: the full label matches instead
    right = [ln for ln in beside if ln.bbox.x0 > start.bbox.x1]
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
    known: LineFacts | None = None,
) -> Value:
    """The value of ``hit``: its inline rest, the boxes to its right on the same row up to the
    next label, and (``multiline``) the wrapped lines below in the value column. ``known``:
    the facts of ``lines`` when the caller holds them."""
    lh = known.height if known is not None else line_height(lines)
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


class LabelIndex:
    """The labels of one page found once, so each value stops at its neighbours' labels."""

    def __init__(self, lines: list[Line], labels: dict[str, list[str]]) -> None:
        self.lines = lines
        self.known = facts(lines)
        self.hits: dict[str, Hit] = {}
        taken: set[int] = set()
        # Longer labels first, so "法定代表人姓名" is not read as "名称"'s neighbour.
        for key, aliases in sorted(labels.items(), key=lambda kv: -max(map(len, kv[1]))):
            for hit in _found(self.known, aliases, key):
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
        return value_right(hit, self.lines, self.all(), multiline=multiline, max_rows=max_rows, known=self.known)
