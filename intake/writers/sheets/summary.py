"""汇总表: the notice's Annex 3 (服务型制造示范培育遴选申报汇总表) filled from the records,
one block per recommender, each block on its own printed page.

Names and contacts come from the application forms (the recommender's own table fills the
gaps); 示范模式 comes from the recommender's own 汇总表 row for the applicant, and for
platforms from the form's 专业平台/区域平台 box otherwise. Which row is the applicant's is
the rules' pairing (``validators.summary_pairing``), shown beside each line (column G, not
printed) with the received rows that match no submission below the print area.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.sheets.common import form_value
from intake.writers.sheets.style import AMBER, BORDER, FONT_NAME, HEADER_FILL, colour, print_setup, put, set_style
from models.campaign import Campaign
from models.records import FORM_KIND_LABELS, Record, SummaryTable
from validators.summary_pairing import RowPair, SummaryPairing, pair_summaries, rows_by_submission

SHEET_TITLE = "汇总表"
TABLE_TITLE = "服务型制造示范培育遴选申报汇总表"
UNKNOWN_RECOMMENDER = "（未识别推荐单位）"
NUMERALS = "一二三四五六七八九十"
WIDTHS = {"A": 7, "B": 42, "C": 20, "D": 12, "E": 18, "F": 28, "G": 30}
NOTE_COLUMN = 7  # G: beside the table, outside its print area
NOTE_HEADER = "报送汇总表核对"
LISTED = "已列入"
UNLISTED = "未列入报送的汇总表"
UNMATCHED_TITLE = "报送的汇总表中未找到申报材料的项目（不打印）"
UNMATCHED_NOTE = "未找到申报材料"
NAME_HEADERS = {"enterprise": "企业名称", "project": "项目名称", "platform": "平台名称", "city": "城市名称"}
MODE_HEADERS = {"enterprise": "示范模式", "project": "示范模式", "platform": "专业平台/区域平台"}
PLATFORM_TYPES = {"professional": "专业平台", "regional": "区域平台"}
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")


def _recommenders(records: Sequence[Record], summaries: Sequence[SummaryTable]) -> list[str | None]:
    names = {r.recommender for r in records} | {s.recommender for s in summaries}
    known: list[str | None] = [n for n in sorted(n for n in names if n)]
    return [*known, None] if None in names else known


def _tables_of(recommender: str | None, summaries: Sequence[SummaryTable]) -> list[SummaryTable]:
    return [s for s in summaries if s.recommender == recommender]


def entry_of(record: Record, pair: RowPair | None) -> tuple[str, str, str, str, str]:
    """(name, mode, contact, phone, email) for one record's line of the table; ``pair`` is the
    recommender's 汇总表 row the rules paired with the record (``validators.summary_pairing``)."""
    match = pair.row if pair is not None else None
    name = (
        (form_value(record, "name") or record.applicant or "")
        if record.kind in ("project", "platform", "city")
        else (record.applicant or form_value(record, "name") or "")
    )
    mode = match.mode if match and match.mode else ""
    if not mode and record.kind == "platform":
        mode = PLATFORM_TYPES.get(form_value(record, "platform_type") or "", "")
    contact = form_value(record, "contact") or (match.contact if match else None) or ""
    phone = form_value(record, "phone") or form_value(record, "mobile") or (match.phone if match else None) or ""
    email = form_value(record, "email") or (match.email if match else None) or ""
    return (str(name), str(mode), str(contact), str(phone), str(email))


def pairing_note(record: Record, pairings: Sequence[SummaryPairing], rows: dict[str, RowPair]) -> str:
    """How the recommender's own 汇总表 lists the record, as the rules paired them: 已列入,
    已列入 under a differing name, 未列入 (SUMMARY_MISMATCH), or nothing when no 汇总表 of
    its recommender was received."""
    pair = rows.get(record.submission_id)
    if pair is not None:
        return LISTED if pair.exact else f"{LISTED}，名称为“{pair.row.name}”"
    if any(record.submission_id == r.submission_id for p in pairings for r in p.unlisted):
        return UNLISTED
    return ""


class _Block:
    """Writes one recommender's block from ``row`` down."""

    def __init__(self, ws: Worksheet, row: int) -> None:
        self.ws = ws
        self.row = row

    def line(self, text: str, *, size: int = 11, bold: bool = False, center: bool = False) -> None:
        cell = put(self.ws, self.row, 1, text)
        set_style(cell, "font", ("line", size, bold), lambda: Font(name=FONT_NAME, size=size, bold=bold))
        horizontal = "center" if center else "left"
        set_style(cell, "alignment", ("line", horizontal), lambda: Alignment(horizontal=horizontal, vertical="center"))
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=6)
        if size > 11:
            self.ws.row_dimensions[self.row].height = size * 2
        self.row += 1

    def section(self, title: str) -> None:
        self.line(title, bold=True)
        for col in range(1, 7):
            set_style(self.ws.cell(row=self.row - 1, column=col), "fill", "section", lambda: SECTION_FILL)

    def note(self, text: str, *, header: bool = False) -> None:
        """The pairing note beside the table row just written (column G, outside the print
        area: the printed Annex 3 is unchanged)."""
        if not text:
            return
        cell = put(self.ws, self.row - 1, NOTE_COLUMN, text)
        if header:
            set_style(cell, "font", ("table", True), lambda: Font(name=FONT_NAME, bold=True))
        elif text != LISTED:
            colour(cell, AMBER)

    def table_row(self, values: Sequence[object], *, header: bool = False, city: bool = False) -> None:
        columns = (1, 2, 4, 5, 6) if city else (1, 2, 3, 4, 5, 6)
        for col, value in zip(columns, values, strict=True):
            cell = put(self.ws, self.row, col, value)
            set_style(cell, "font", ("table", header), lambda: Font(name=FONT_NAME, bold=header))
            horizontal = "center" if header or col == 1 else "left"
            set_style(
                cell,
                "alignment",
                ("table", horizontal),
                lambda h=horizontal: Alignment(horizontal=h, vertical="center", wrap_text=True),
            )
            if header:
                set_style(cell, "fill", "header", lambda: HEADER_FILL)
        if city:
            self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=3)
        for col in range(1, 7):
            set_style(self.ws.cell(row=self.row, column=col), "border", "thin", lambda: BORDER)
        self.row += 1


def write_summary(
    ws: Worksheet, records: Sequence[Record], summaries: Sequence[SummaryTable], campaign: Campaign
) -> None:
    """Fill the 汇总表 sheet: a block per recommender with a page break after each; beside
    each line how the recommender's own 汇总表 lists it, and below the print area the rows of
    received 汇总表 that match no submission."""
    ws.title = SHEET_TITLE
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    pairings = pair_summaries(records, summaries)
    rows = rows_by_submission(pairings)
    recommenders = _recommenders(records, summaries) or [None]
    block = _Block(ws, 1)
    for index, recommender in enumerate(recommenders):
        tables = _tables_of(recommender, summaries)
        filled_by = next((t.filled_by for t in tables if t.filled_by), "")
        phone = next((t.phone for t in tables if t.phone), "")
        block.line(campaign.summary_title or TABLE_TITLE, size=16, bold=True, center=True)  # the round's title
        block.line(f"推荐单位（盖章）：{recommender or UNKNOWN_RECOMMENDER}")
        block.line(f"填报人：{filled_by}")
        block.line(f"联系电话：{phone}")
        own = [r for r in records if r.recommender == recommender]
        for number, kind in enumerate(campaign.kinds):
            block.section(f"{NUMERALS[number]}、{FORM_KIND_LABELS[kind]}")
            city = kind == "city"
            header = ["序号", NAME_HEADERS[kind], "联系人", "联系电话", "电子邮箱"]
            if not city:
                header.insert(2, MODE_HEADERS[kind])
            block.table_row(header, header=True, city=city)
            block.note(NOTE_HEADER, header=True)
            mine = [r for r in own if r.kind == kind]
            quota = campaign.quotas.get(kind) or 1
            for line in range(max(len(mine), quota)):
                record = mine[line] if line < len(mine) else None
                name, mode, contact, tel, email = (
                    entry_of(record, rows.get(record.submission_id)) if record else ("",) * 5
                )
                values: list[object] = [line + 1, name, contact, tel, email]
                if not city:
                    values.insert(2, mode)
                block.table_row(values, city=city)
                if record is not None:
                    block.note(pairing_note(record, pairings, rows))
        if index < len(recommenders) - 1:
            block.row += 1  # a blank line between blocks on screen, ending the page
            ws.row_breaks.append(Break(id=block.row - 1))
    print_setup(ws, landscape=False)
    ws.print_area = f"A1:F{block.row - 1}"
    _write_unmatched(block, pairings)


def _write_unmatched(block: _Block, pairings: Sequence[SummaryPairing]) -> None:
    """The 汇总表 rows that match no submission (SUMMARY_MISMATCH), below the print area."""
    unmatched = [(p.summary, row) for p in pairings for row in p.unmatched]
    if not unmatched:
        return
    block.row += 1
    block.line(UNMATCHED_TITLE, bold=True)
    block.table_row(["序号", "汇总表所列名称", "申报类型", "推荐单位", "汇总表文件", ""], header=True)
    for number, (summary, row) in enumerate(unmatched, start=1):
        who = summary.recommender or UNKNOWN_RECOMMENDER
        block.table_row([number, row.name, FORM_KIND_LABELS.get(row.kind, row.kind), who, summary.file, ""])
        block.note(UNMATCHED_NOTE)
