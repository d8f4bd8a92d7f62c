"""提取数据: the key values read from each submission, one row each, typed.

Amounts and counts are numbers, dates are real dates, so the reviewer can sort, filter and
compute. A value whose text did not parse is shown as that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.reviewer import OVERVIEW_KEY
from intake.writers.sheets.common import (
    Links,
    as_date,
    form_value,
    kind_label,
    licence_of,
    raw_of,
    uscc_of,
    value_of,
)
from intake.writers.sheets.style import (
    AMOUNT_FORMAT,
    DATE_FORMAT,
    INT_FORMAT,
    Column,
    finish_table,
    put,
    set_link,
    write_header,
)
from models.records import Attachment, Record

SHEET_TITLE = "提取数据"
PERCENT_FORMAT = "0.00"
YEAR_FORMAT = "0"

# (column, number format or None for text)
FIELDS: tuple[tuple[Column, str | None], ...] = (
    (Column("序号", max_width=6, center=True), INT_FORMAT),
    (Column("推荐单位", max_width=24, wrap=True), None),
    (Column("申报类型", max_width=10, center=True), None),
    (Column("申报单位", max_width=36, wrap=True), None),
    (Column("名称（申报表）", max_width=36, wrap=True), None),
    (Column("法定代表人", max_width=12), None),
    (Column("注册地址", max_width=40, wrap=True), None),
    (Column("联系人", max_width=10), None),
    (Column("联系电话", max_width=18), None),
    (Column("手机", max_width=14), None),
    (Column("电子邮箱", max_width=28), None),
    (Column("员工总数", max_width=10), INT_FORMAT),
    (Column("最近年度", max_width=10), YEAR_FORMAT),
    (Column("营业收入（万元）", max_width=18), AMOUNT_FORMAT),
    (Column("服务收入（万元）", max_width=18), AMOUNT_FORMAT),
    (Column("服务收入占比（%）", max_width=18), PERCENT_FORMAT),
    (Column("专利总数", max_width=10), INT_FORMAT),
    (Column("统一社会信用代码", max_width=22), None),
    (Column("成立日期", max_width=12), DATE_FORMAT),
    (Column("营业期限至", max_width=12), DATE_FORMAT),
    (Column("高企证书编号", max_width=22), None),
    (Column("高企证书有效期至", max_width=18), DATE_FORMAT),
    (Column(OVERVIEW_KEY, max_width=20, hidden=True), None),
)
COLUMNS: tuple[Column, ...] = tuple(column for column, _ in FIELDS)


def latest_year(record: Record) -> tuple[int | None, float | None, float | None]:
    """(year, revenue, service revenue) of the latest year with either figure filled."""
    financials = form_value(record, "financials") or {}
    years = sorted(
        (
            int(year)
            for year, figures in financials.items()
            if year.isdigit() and (figures.revenue is not None or figures.service_revenue is not None)
        ),
        reverse=True,
    )
    if not years:
        return (None, None, None)
    figures = financials[str(years[0])]
    return (years[0], figures.revenue, figures.service_revenue)


def _number(value: Any) -> int | float | None:
    """Counts stored as floats (员工总数 120.0) come out as whole numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _date_or_text(attachment: Attachment | None, key: str) -> Any:
    """A real date, or the printed text (长期, an unparsed date) when there is no date."""
    if attachment is None:
        return None
    parsed = as_date(value_of(attachment.fields, key))
    return parsed if parsed is not None else (raw_of(attachment.fields, key) or None)


def row_values(record: Record, number: int) -> list[Any]:
    """The sheet's values for one record, in column order."""
    year, revenue, service = latest_year(record)
    share = round(service / revenue * 100, 2) if revenue and service is not None else None
    patents = form_value(record, "patents")
    licence = licence_of(record)
    cert = next((a for a in record.attachments if a.kind == "high_tech_certificate"), None)
    cert_number = value_of(cert.fields, "number") if cert else None
    return [
        number,
        record.recommender or "",
        kind_label(record.kind),
        record.applicant or "",
        form_value(record, "name") or "",
        form_value(record, "legal_rep") or "",
        form_value(record, "reg_address") or "",
        form_value(record, "contact") or "",
        form_value(record, "phone") or "",
        form_value(record, "mobile") or "",
        form_value(record, "email") or "",
        _number(form_value(record, "staff_total")),
        year,
        _number(revenue),
        _number(service),
        share,
        _number(patents.total) if patents is not None else None,
        uscc_of(record) or "",
        _date_or_text(licence, "established"),
        _date_or_text(licence, "term_end"),
        str(cert_number) if cert_number else (raw_of(cert.fields, "number") if cert else ""),
        _date_or_text(cert, "valid_until"),
        record.submission_id,
    ]


def write_extracted(ws: Worksheet, records: Sequence[Record], links: Links) -> None:
    """Fill the 提取数据 sheet in display order; the applicant links to the form file."""
    ws.title = SHEET_TITLE
    write_header(ws, COLUMNS)
    row = 1
    for number, record in enumerate(records, start=1):
        row += 1
        for col, ((_column, fmt), value) in enumerate(zip(FIELDS, row_values(record, number), strict=True), start=1):
            fmt_for_value = fmt if not isinstance(value, str) else None
            put(ws, row, col, value, number_format=fmt_for_value)
        if record.form_file:
            set_link(ws.cell(row=row, column=4), links.target(record.form_file))
    finish_table(ws, COLUMNS, row)
