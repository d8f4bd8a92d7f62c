"""Read label → value pairs off a ``Grid`` the way the notice's forms print them.

A value sits right of its label (the cells up to the next label), else below it (the
从业人员 row: labels in one row, values in the next), else left of it, else inside the
label's own cell after a separator (``注册资本 ___ 万元``, ``手机：138…``). Rows under a
header of years (``2018 年 | 2019 年 | 2020 年``) give ``financials.<year>.*``; the years
come from the header, or from the previous table when a form's year table runs onto a
second page without its header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from extractors.forms.fieldvalue import make_field
from extractors.forms.grid import Grid, Slot
from extractors.forms.labels import (
    FINANCIAL_LABELS,
    STRUCTURAL,
    label_unit,
    norm_label,
    squash,
    strip_numbering,
    value_type,
    year_of,
)
from extractors.forms.labelset import GROWTH, SECTION, LabelSet, is_template, is_year_header
from models.fields import Extracted, FieldMap

_YEAR_IN = re.compile(r"(?:19|20)\d\d")
_YEARS_ONLY = re.compile(r"(?:(?:19|20)\d\d(?:年度?|年末)?)+")
_NUMBERISH = re.compile(r"[-+]?[\d,.:%]*\d[\d,.:%]*|[-—/]+|无")
_YEAR_HEADING = re.compile(r"(?:19|20)\d\d年度[^，,。；;:：]{0,10}")  # 2020年度生产经营状况, not prose


@dataclass
class GridReader:
    """Reads one grid into ``fields``; ``claimed`` slots (used by special readers or as
    values) are never read as labels again."""

    grid: Grid
    labels: LabelSet
    fields: FieldMap = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)
    carried_years: list[str] = field(default_factory=list)

    def claim(self, *slots: Slot) -> None:
        self.claimed.update(id(s) for s in slots)

    def free(self, slot: Slot) -> bool:
        return id(slot) not in self.claimed

    def put(self, key: str, slots: list[Slot], label: Slot, unit: str | None = None) -> None:
        """Set ``key`` from the value slots (or a blank at the label), first reading wins."""
        if key in self.fields and not self.fields[key].blank:
            self.claim(label, *slots)  # a label printed twice: its value is nobody else's
            return
        raw = " ".join(s.orig or s.text for s in slots if s.text.strip())
        if is_template(raw):
            raw = ""
        sources = [(s.prov, s.text) for s in slots if s.text.strip()] or [
            (s.prov, s.text) for s in (slots[:1] or [label])
        ]
        self.fields[key] = make_field(raw, sources, value_type(key), unit)
        self.claim(label, *slots)

    def put_value(self, key: str, value: Extracted[Any]) -> None:
        if key not in self.fields or self.fields[key].blank:
            self.fields[key] = value

    def read(self) -> FieldMap:
        """Year table, then every remaining label in reading order."""
        self._read_years()
        row_keys: dict[int, str] = {}
        for slot in list(self.grid.slots):
            if not self.free(slot):
                continue
            key = self.labels.key_of(slot.text)
            inline = None if key else self.labels.inline(slot.text)
            if inline:
                key, rest = inline
                if key not in self.fields or self.fields[key].blank:
                    raw = "" if is_template(rest) else rest
                    unit = label_unit(slot.text)
                    sources = [(slot.prov, slot.text)]
                    self.fields[key] = make_field(raw, sources, value_type(key), unit)
                self.claim(slot)
                row_keys[slot.row] = key
                continue
            if not key:
                continue
            if key == GROWTH:
                base = row_keys.get(slot.row)
                if not base:
                    continue
                key = base + "_growth"
            if key.startswith("financials.*."):
                year = self._row_year(slot)
                if year is None:
                    continue
                key = key.replace("*", year)
            self.put(key, self._value_slots(slot), slot, label_unit(slot.text))
            row_keys[slot.row] = key
        return self.fields

    def furniture(self, slot: Slot) -> bool:
        """Printed furniture, never a value: a label, or, on a scan or a line grid where
        labels may be cut in pieces, a piece of a label."""
        if self.labels.is_label(slot.text):
            return True
        scanned = self.grid.geometric or slot.prov.method == "ocr"
        return scanned and self.labels.is_fragment(slot.text)

    def _value_slots(self, label: Slot) -> list[Slot]:
        """The value of ``label``: the run right of it, else the slot below, else left."""
        run: list[Slot] = []
        for slot in self.grid.right_run(label):
            if not self.free(slot) or slot.row < label.row:
                break  # used already, or a cell of the row above reaching down
            adjacent = not run
            if self.furniture(slot) and not (adjacent and self._read_before(slot)):
                break
            if self.labels.inline(slot.text, colon=adjacent):
                break  # "联系电话 0351-…": the next label with its own value
            run.append(slot)
        if run:
            return run
        below = self._below(label)
        if below is not None:
            return [below]
        left = self.grid.left(label)
        if left is not None and self.free(left) and not self.furniture(left):
            return [left]
        return []

    def _read_before(self, slot: Slot) -> bool:
        """True when a label-like text stands where a value goes and its own label has
        been read already (职务 filled in as 法定代表人): it is that value, not a label."""
        key = self.labels.key_of(slot.text)
        if key is None or "*" in key or value_type(key) != "text":
            return False
        return key in self.fields and not self.fields[key].blank

    def _below(self, label: Slot) -> Slot | None:
        """The value under ``label``: the slot below, passing over a line of label pieces a
        scan cut off (``员比例 | 格人员比例``); never a slot in a row of labels."""
        row = label.row + (1 if self.grid.geometric else label.rowspan)
        for _ in range(2):
            if not self._pieces_row(row):
                break
            row += 1
        below = self.grid.below(label, row)
        if below is None or not self.free(below) or self.furniture(below):
            return None
        if sum(1 for s in self.grid.row(below.row) if self.furniture(s)) >= 2:
            return None
        return below

    def _pieces_row(self, row: int) -> bool:
        """A row of label furniture with pieces of labels in it: the second line of labels
        that a scan cut at their line breaks."""
        filled = [s for s in self.grid.row(row) if s.text.strip()]
        pieces = any(self.labels.is_fragment(s.text) for s in filled)
        return pieces and all(self.furniture(s) for s in filled)

    def _read_years(self) -> list[str]:
        """Financial rows under a year header: one key per (row label, year column)."""
        headers = self._year_header()
        years = [year_of(h.text) or "" for h in headers]
        if not headers and not self.carried_years:
            return []
        self.claim(*headers)
        for slot in self.grid.slots:
            item = FINANCIAL_LABELS.get(norm_label(slot.text))
            if item is None or not self.free(slot):
                continue
            if headers and slot.row <= headers[0].row:
                continue
            unit = label_unit(slot.text)
            if headers:
                placed = self._year_cells(slot, headers)
                for i, year in enumerate(years):
                    found = placed.get(i)
                    self.put(f"financials.{year}.{item}", [found] if found else [], slot, unit)
            else:
                run = [s for s in self.grid.right_run(slot) if s.row >= slot.row and not self.furniture(s)]
                for year, cell in zip(self.carried_years, run, strict=False):
                    self.put(f"financials.{year}.{item}", [cell], slot, unit)
            self.claim(slot)
        if headers:
            self.carried_years = years
        return years or self.carried_years

    def _year_header(self) -> list[Slot]:
        """The first row with two year headers or more and no financial label (a row of
        values that happen to look like years is not a header)."""
        for r in range(self.grid.n_rows):
            row = self.grid.row(r)
            if any(norm_label(s.text) in FINANCIAL_LABELS for s in row):
                continue
            found = [h for s in row for h in ([s] if is_year_header(s.text) else _split_years(s))]
            if len(found) >= 2:
                return found
        return []

    def _year_cells(self, label: Slot, headers: list[Slot]) -> dict[int, Slot]:
        """Header index → the value cell of ``label``'s row standing in that year column.

        Only cells right of the label, in its row and under the header row count, each in
        exactly one year column; a cell reaching up past the header, spanning two years or
        lying far outside the columns (a title or address a scan cut into the row) is none.
        A line grid whose row holds one value per year takes them in order, since boxes
        estimated along a line are only roughly placed."""
        run = [s for s in self.grid.right_run(label) if headers[0].row < s.row <= label.row and not self.furniture(s)]
        if self.grid.geometric:
            run = [s for s in run if self.grid.column_of(s, headers) is not None or _within(s, headers)]
            if len(run) == len(headers):
                order = sorted(range(len(headers)), key=lambda i: headers[i].col)
                return dict(zip(order, sorted(run, key=lambda s: s.col), strict=True))
        placed: dict[int, Slot] = {}
        for slot in run:
            part = self._row_part(slot, label)
            if part is None:
                continue
            for index, value in self._column_parts(part, headers).items():
                placed.setdefault(index, value)
        return placed

    def _column_parts(self, cell: Slot, headers: list[Slot]) -> dict[int, Slot]:
        """Header index → value, for a cell in the year columns: the cell under its one
        header; for a cell spanning several year columns (a scan that lost the rules
        between them), one value per column when it holds exactly one number per column;
        else nothing (a title or address is no year's value)."""
        index = self.grid.column_of(cell, headers)
        if index is not None:
            return {index: cell}
        if self.grid.geometric:
            return {}
        under = [i for i, h in enumerate(headers) if set(cell.cols) & set(h.cols)]
        parts = _numbers_in(cell, len(under))
        if len(under) < 2 or parts is None:
            return {}
        return {
            i: Slot(text, cell.row, headers[i].col, cell.prov, 1, headers[i].colspan, text)
            for i, text in zip(under, parts, strict=True)
        }

    def _row_part(self, cell: Slot, label: Slot) -> Slot | None:
        """What of a value cell belongs to ``label``'s row. A scan that lost the rules
        between rows gives one tall cell holding a column's values line by line: with one
        value per financial row it covers, the label's row gets its own line; otherwise
        only the cell's top row reads the cell."""
        if cell.rowspan == 1:
            return cell
        covered = range(cell.row, cell.row + cell.rowspan)
        rows = sorted({s.row for s in self.grid.slots if s.row in covered and norm_label(s.text) in FINANCIAL_LABELS})
        parts = _numbers_in(cell, len(rows))
        if len(rows) > 1 and parts is not None and label.row in rows:
            text = parts[rows.index(label.row)]
            return Slot(text, label.row, cell.col, cell.prov, 1, cell.colspan, text)
        return cell if cell.row == label.row else None

    def _row_year(self, label: Slot) -> str | None:
        """The year of a lone financial pair (表2: ``2020 年度生产经营状况`` row header)."""
        for slot in self.grid.row_through(label.row):
            if slot is not label and year_of(slot.text) and "年" in slot.text:
                return year_of(slot.text)
        for slot in self.grid.slots:
            if _YEAR_HEADING.fullmatch(squash(slot.text)):
                return year_of(slot.text)
        return None


def _numbers_in(cell: Slot, count: int) -> list[str] | None:
    """The cell's text as exactly ``count`` whitespace-separated numbers (or blanks written
    as —, /), else None."""
    parts = (cell.orig or cell.text).split()
    if len(parts) != count or not all(_NUMBERISH.fullmatch(unicodedata.normalize("NFKC", p)) for p in parts):
        return None
    return parts


def _split_years(slot: Slot) -> list[Slot]:
    """Year headers from one cell holding several (``2018年 2019年 2020年`` over three
    columns, where a scan lost the rules between them): one header per year, the cell's
    columns shared out evenly. Nothing when the cell is anything else."""
    flat = norm_label(slot.text)
    years = _YEAR_IN.findall(flat)
    if len(years) < 2 or not _YEARS_ONLY.fullmatch(flat) or slot.colspan % len(years):
        return []
    width = slot.colspan // len(years)
    return [
        Slot(f"{year}年", slot.row, slot.col + i * width, slot.prov, 1, width, f"{year}年")
        for i, year in enumerate(years)
    ]


def _within(slot: Slot, headers: list[Slot]) -> bool:
    """On a line grid: the slot's centre lies between the first and the last year header."""
    boxes = [h.bbox for h in headers if h.bbox is not None]
    if slot.bbox is None or not boxes:
        return False
    return min(b.x0 for b in boxes) <= slot.bbox.cx <= max(b.x1 for b in boxes)


def read_list(grid: Grid, header_keys: dict[str, str], anchor: str) -> tuple[list[dict[str, Slot]], list[Slot]]:
    """Rows of a list table (序号 | 服务企业名称 | 联系人 …) under the header row that holds
    ``anchor``; stops at a section title or a row of labels. Returns the non-empty rows as
    key → slot, and every slot used (header included) so the caller can claim them."""
    start = next((s for s in grid.slots if norm_label(s.text) == anchor), None)
    if start is None:
        return [], []
    header_row = [s for s in grid.row(start.row) if norm_label(s.text) in header_keys]
    headers = sorted(header_row, key=lambda s: s.col)
    keys = [header_keys[norm_label(h.text)] for h in headers]
    used: list[Slot] = list(headers)
    rows: list[dict[str, Slot]] = []
    for r in range(start.row + 1, grid.n_rows + 1):
        row = [s for s in grid.row(r) if s.col >= min(h.col for h in headers) or grid.geometric]
        if not row:
            continue
        joined = strip_numbering(squash(" ".join(s.text for s in row)))
        if SECTION.match(squash(row[0].text)) or joined in STRUCTURAL:
            break
        if len(row) == 1 and not grid.geometric and row[0].colspan >= len(headers) > 1:
            break  # a full-width row: the list has ended
        placed = grid.columns_of(row, headers)
        item = {keys[i]: slot for i, slot in placed.items()}
        used.extend(placed.values())
        if any(s.text.strip() for k, s in item.items() if k != "index"):
            rows.append(item)
    return rows, used
