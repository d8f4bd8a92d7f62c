"""One view over a form's layout, whether it came as a table or as loose lines of text.

A ``Grid`` holds ``Slot``s: the cells of a ``Table`` (Word, ruled PDF tables, OCR'd scans
all give the same shape), or, for pages without a table, the pieces of each text line cut
at the labels it contains (``联系人 张三 职 务 经理`` → four slots) with boxes estimated
along the line. Readers then ask for the slots right of, below or left of a label without
knowing which of the two it was.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from extractors.forms.labels import squash
from models.document import BBox, Block, Provenance, Table, normalise_text

_NUMERIC = re.compile(r"^[-+]?[\d,.]+%?$")


@dataclass(frozen=True)
class Slot:
    """A cell of the layout: its text, its place (row/col with spans) and provenance."""

    text: str
    row: int
    col: int
    prov: Provenance
    rowspan: int = 1
    colspan: int = 1
    orig: str = ""  # as printed (whitespace folded, no NFKC): values keep （） and full-width text

    @property
    def bbox(self) -> BBox | None:
        return self.prov.bbox

    @property
    def cols(self) -> range:
        return range(self.col, self.col + self.colspan)


@dataclass
class Grid:
    """Slots with neighbour look-ups. ``geometric`` grids (from lines) find the slot below
    by horizontal overlap of boxes instead of by column index."""

    slots: list[Slot]
    geometric: bool = False
    _cover: dict[tuple[int, int], Slot] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.slots.sort(key=lambda s: (s.row, s.col))
        for slot in sorted(self.slots, key=lambda s: s.rowspan * s.colspan):
            for r in range(slot.row, slot.row + slot.rowspan):
                for c in slot.cols:
                    self._cover.setdefault((r, c), slot)  # a mis-cut scan may overlap cells: the smallest wins

    @classmethod
    def from_table(cls, table: Table) -> Grid:
        slots = [
            Slot(c.text, c.row, c.col, c.prov, max(1, c.rowspan), max(1, c.colspan), " ".join(c.orig.split()))
            for c in table.cells
        ]
        return cls(slots)

    @property
    def n_rows(self) -> int:
        return max((s.row + s.rowspan for s in self.slots), default=0)

    def at(self, row: int, col: int) -> Slot | None:
        return self._cover.get((row, col))

    def row(self, row: int) -> list[Slot]:
        """Slots whose top row is ``row``, left to right."""
        return [s for s in self.slots if s.row == row]

    def row_through(self, row: int) -> list[Slot]:
        """Every distinct slot covering ``row`` (merged row headers included), left to right."""
        seen: list[Slot] = []
        for slot in self.slots:
            if slot.row <= row < slot.row + slot.rowspan and slot not in seen:
                seen.append(slot)
        return sorted(seen, key=lambda s: s.col)

    def right_run(self, slot: Slot) -> list[Slot]:
        """Slots right of ``slot`` on its top row, nearest first."""
        if self.geometric:
            return [s for s in self.row(slot.row) if s.col > slot.col]
        out: list[Slot] = []
        col = slot.col + slot.colspan
        while True:
            nxt = self.at(slot.row, col)
            if nxt is None:
                break
            if nxt not in out and nxt is not slot:
                out.append(nxt)
            col = nxt.col + nxt.colspan if nxt.col + nxt.colspan > col else col + 1
        return out

    def left(self, slot: Slot) -> Slot | None:
        if self.geometric:
            before = [s for s in self.row(slot.row) if s.col < slot.col]
            return before[-1] if before else None
        return self.at(slot.row, slot.col - 1) if slot.col > 0 else None

    def below(self, slot: Slot, row: int | None = None) -> Slot | None:
        """The slot under ``slot`` in the next row (or in ``row``, further down)."""
        if not self.geometric:
            return self.at(slot.row + slot.rowspan if row is None else row, slot.col)
        candidates = self.row(slot.row + 1 if row is None else row)
        if not candidates or slot.bbox is None:
            return None
        best = max(candidates, key=lambda s: _overlap(slot.bbox, s.bbox))
        return best if _overlap(slot.bbox, best.bbox) > 0 else None

    def columns_of(self, row_slots: Iterable[Slot], headers: list[Slot]) -> dict[int, Slot]:
        """Header index → the slot of ``row_slots`` standing under that header."""
        out: dict[int, Slot] = {}
        for slot in row_slots:
            index = self._header_index(slot, headers)
            if index is not None and index not in out:
                out[index] = slot
        return out

    def column_of(self, slot: Slot, headers: list[Slot]) -> int | None:
        """The one header column ``slot`` stands in, strictly: None when it stands under no
        header, spans two of them (a title or address cut into the table), or, on a line
        grid, lies outside the band of every header (text far right of the table)."""
        if self.geometric:
            return _band_index(slot, headers)
        under = [i for i, h in enumerate(headers) if set(slot.cols) & set(h.cols)]
        return under[0] if len(under) == 1 else None

    def _header_index(self, slot: Slot, headers: list[Slot]) -> int | None:
        if self.geometric:
            if slot.bbox is None:
                return None
            scored = [(abs(h.bbox.cx - slot.bbox.cx), i) for i, h in enumerate(headers) if h.bbox]
            return min(scored)[1] if scored else None
        for i, header in enumerate(headers):
            if slot.col in header.cols or header.col in slot.cols:
                return i
        return None


def _band_index(slot: Slot, headers: list[Slot]) -> int | None:
    """Index of the header whose column band (half-way to its neighbours, half a step
    beyond the outer ones) holds the slot's centre; None when outside all of them or when
    the slot is wider than two bands."""
    boxed = sorted((h.bbox.cx, i) for i, h in enumerate(headers) if h.bbox is not None)
    if slot.bbox is None or not boxed:
        return None
    centres = [c for c, _ in boxed]
    step = min((b - a for a, b in itertools.pairwise(centres)), default=0.0)
    if step <= 0:
        step = max(h.bbox.width for h in headers if h.bbox is not None)
    if slot.bbox.width > 2 * step:
        return None
    for centre, index in boxed:
        if abs(slot.bbox.cx - centre) <= step / 2:
            return index
    return None


def _overlap(a: BBox | None, b: BBox | None) -> float:
    if a is None or b is None:
        return 0.0
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))


def grid_from_blocks(blocks: list[Block], is_label: Callable[[str], bool]) -> Grid:
    """A geometric grid from text lines: lines on the same height form a row, and each line
    is cut into label and value pieces (labels may be printed with spaces: ``职 务``)."""
    lines = [b for b in blocks if b.text.strip() and b.prov.bbox is not None]
    lines.sort(key=lambda b: (b.prov.bbox.cy, b.prov.bbox.x0))  # type: ignore[union-attr]
    rows: list[list[Block]] = []
    for block in lines:
        box = block.prov.bbox
        assert box is not None
        if rows:
            last = rows[-1][0].prov.bbox
            assert last is not None
            if abs(box.cy - last.cy) < max(2.0, 0.5 * min(box.height, last.height)):
                rows[-1].append(block)
                continue
        rows.append([block])
    slots: list[Slot] = []
    for r, row in enumerate(rows):
        col = 0
        for block in sorted(row, key=lambda b: b.prov.bbox.x0):  # type: ignore[union-attr]
            for text, prov in _cut_line(block, is_label):
                slots.append(Slot(text, r, col, prov))
                col += 1
    return Grid(slots, geometric=True)


def _cut_line(block: Block, is_label: Callable[[str], bool]) -> list[tuple[str, Provenance]]:
    """Split a line at its labels: tokens joined (up to five) that form a label become one
    piece, runs of other tokens become value pieces; boxes are spread along the line."""
    tokens = normalise_text(block.orig or block.text).split(" ")
    pieces: list[tuple[list[int], bool]] = []  # token indexes, is label
    i = 0
    while i < len(tokens):
        for k in range(min(5, len(tokens) - i), 0, -1):
            if is_label(squash("".join(tokens[i : i + k]))):
                pieces.append((list(range(i, i + k)), True))
                i += k
                break
        else:
            numbers = _NUMERIC.match(tokens[i]) and pieces and _NUMERIC.match(tokens[pieces[-1][0][-1]])
            if pieces and not pieces[-1][1] and not numbers:
                pieces[-1][0].append(i)
            else:
                pieces.append(([i], False))
            i += 1
    box = block.prov.bbox
    assert box is not None
    total = max(1, len(" ".join(tokens)))
    offsets: list[tuple[int, int]] = []
    pos = 0
    for token in tokens:
        offsets.append((pos, pos + len(token)))
        pos += len(token) + 1
    out: list[tuple[str, Provenance]] = []
    for indexes, _ in pieces:
        start, end = offsets[indexes[0]][0], offsets[indexes[-1]][1]
        sub = BBox(
            x0=box.x0 + box.width * start / total,
            y0=box.y0,
            x1=box.x0 + box.width * end / total,
            y1=box.y1,
        )
        text = " ".join(tokens[j] for j in indexes)
        out.append((text, block.prov.model_copy(update={"bbox": sub})))
    return out
