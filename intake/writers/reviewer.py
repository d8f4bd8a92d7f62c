"""Reading back what reviewers typed into a previous review workbook.

A re-run rewrites the whole workbook, so before writing, the reviewer columns of the old
one are read and keyed: 总览 rows by the hidden 申报编号 (submission id), 问题清单 rows by
问题编号 (finding id). Columns are found by their header text, so a reviewer who moved or
inserted columns does not lose anything. The whole old row is kept too, so a row whose
submission or finding no longer occurs can be written again as it was (marked 已消除).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.relationship import RelationshipList, get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.worksheet import Worksheet

OVERVIEW_SHEET = "总览"
OVERVIEW_KEY = "申报编号"
OVERVIEW_REVIEWER = ("审核意见", "审核人", "备注")

FINDINGS_SHEET = "问题清单"
FINDINGS_KEY = "问题编号"
FINDINGS_REVIEWER = ("处理结果", "备注")


@dataclass
class SavedRow:
    """One row of the old workbook: every value by header, its links, the reviewer input."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    reviewer: dict[str, Any] = field(default_factory=dict)

    @property
    def has_input(self) -> bool:
        return bool(self.reviewer)


@dataclass
class ReviewerState:
    """Reviewer input of a previous run, keyed by submission id and by finding id."""

    submissions: dict[str, SavedRow] = field(default_factory=dict)
    findings: dict[str, SavedRow] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.submissions and not self.findings


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet_rows(ws: Worksheet, key_header: str, reviewer_headers: tuple[str, ...]) -> dict[str, SavedRow]:
    """Rows of a table sheet (header in row 1) keyed by the ``key_header`` column."""
    header_row = next(ws.iter_rows(min_row=1, max_row=1), ())
    headers = {index: str(cell.value).strip() for index, cell in enumerate(header_row) if not _blank(cell.value)}
    key_index = next((i for i, title in headers.items() if title == key_header), None)
    if key_index is None:
        return {}
    rows: dict[str, SavedRow] = {}
    for row in ws.iter_rows(min_row=2):
        if key_index >= len(row) or _blank(row[key_index].value):
            continue
        saved = SavedRow(key=str(row[key_index].value).strip())
        for index, title in headers.items():
            if index >= len(row):
                continue
            cell = row[index]
            if title in saved.values:  # a duplicated header: keep the first
                continue
            saved.values[title] = cell.value
            if cell.hyperlink is not None and cell.hyperlink.target:
                saved.links[title] = cell.hyperlink.target
            if title in reviewer_headers and not _blank(cell.value):
                saved.reviewer[title] = cell.value
        rows[saved.key] = saved
    return rows


class _SheetsReader(ExcelReader):
    """openpyxl's reader (``load_workbook``, not read-only: it binds hyperlinks) that reads
    the cells of the named sheets only; the other sheets are there, empty. The old 附件核对,
    汇总表, 提取数据 and 运行信息 hold a third of the cells and nothing a re-run keeps."""

    def __init__(self, path: str | os.PathLike[str], names: tuple[str, ...]) -> None:
        super().__init__(path, read_only=False, keep_vba=False, data_only=False, keep_links=True, rich_text=False)
        self.names = names

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            ws = self.wb.create_sheet(sheet.name)  # every sheet, so sheet indices stay right
            if sheet.name not in self.names or rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            rels_path = get_rels_path(rel.target)
            ws._rels = get_dependents(self.archive, rels_path) if rels_path in self.valid_files else RelationshipList()
            with self.archive.open(rel.target) as fh:
                WorksheetReader(ws, fh, self.shared_strings, self.data_only, self.rich_text).bind_all()
            ws.sheet_state = sheet.state


def _load_sheets(path: str | os.PathLike[str], names: tuple[str, ...]) -> Workbook:
    """The workbook at ``path`` as ``load_workbook`` reads it, with only ``names`` filled."""
    reader = _SheetsReader(path, names)
    reader.read()
    return reader.wb


def read_reviewer_state(path: str | os.PathLike[str]) -> ReviewerState:
    """Read the reviewer columns of an existing review workbook.

    Raises whatever openpyxl raises for a file that is not a workbook; the caller decides
    what to do with it (the workbook writer keeps a copy and starts afresh).
    """
    workbook = _load_sheets(path, (OVERVIEW_SHEET, FINDINGS_SHEET))
    try:
        state = ReviewerState()
        if OVERVIEW_SHEET in workbook.sheetnames:
            state.submissions = read_sheet_rows(workbook[OVERVIEW_SHEET], OVERVIEW_KEY, OVERVIEW_REVIEWER)
        if FINDINGS_SHEET in workbook.sheetnames:
            state.findings = read_sheet_rows(workbook[FINDINGS_SHEET], FINDINGS_KEY, FINDINGS_REVIEWER)
        return state
    finally:
        workbook.close()
