"""总览: one row per submission with its verdict, counts and the reviewer's decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from intake.priority import Priority, priority_of
from intake.writers.reviewer import OVERVIEW_KEY, SavedRow
from intake.writers.sheets.common import (
    STATUS_HEADER,
    Links,
    kind_label,
    missing_labels,
    uscc_of,
    write_saved_row,
)
from intake.writers.sheets.style import (
    INT_FORMAT,
    STATUS_CURRENT,
    VERDICT_COLOURS,
    Column,
    add_choice_list,
    colour,
    finish_table,
    put,
    set_link,
    write_header,
)
from models.campaign import Campaign
from models.findings import Finding
from models.records import Record

SHEET_TITLE = "总览"
OPINIONS = ("同意推荐", "不予推荐", "补充材料后再审", "待定")

COLUMNS: tuple[Column, ...] = (
    Column("序号", max_width=6, center=True),
    Column("推荐单位", max_width=20, wrap=True),
    Column("申报类型", max_width=10, center=True),
    Column("申报单位", max_width=30, wrap=True),
    Column("统一社会信用代码", max_width=22),
    Column("材料位置", max_width=30, wrap=True),
    Column("结论", max_width=8, center=True),
    Column("依据", max_width=32, wrap=True),
    Column("错误数", max_width=8, center=True),
    Column("警告数", max_width=8, center=True),
    Column("缺少附件", max_width=30, wrap=True),
    Column("优先级", max_width=8, center=True),
    Column("优先级说明", max_width=36, wrap=True),
    Column("审核意见", min_width=16, max_width=16, reviewer=True),
    Column("审核人", min_width=10, max_width=12, reviewer=True),
    Column("备注", min_width=24, max_width=30, wrap=True, reviewer=True),
    Column(STATUS_HEADER, max_width=8, center=True),
    Column(OVERVIEW_KEY, max_width=20, hidden=True),
)
_INDEX = {column.title: i for i, column in enumerate(COLUMNS, start=1)}


def write_overview(
    ws: Worksheet,
    records: Sequence[Record],
    findings: Mapping[str, Sequence[Finding]],
    campaign: Campaign,
    links: Links,
    saved: Mapping[str, SavedRow],
    priorities: Mapping[str, Priority] | None = None,
) -> None:
    """Fill the 总览 sheet.

    ``records`` come in display order; ``findings`` maps a submission id to all its
    findings (record and batch findings); ``saved`` holds the previous run's rows, whose
    reviewer input is copied onto the matching submission. A saved row with reviewer input
    whose submission is gone is written again at the end, marked 已消除. ``priorities``
    (default: computed from ``findings``) give the 优先级 score and its reason; findings
    marked 误报 are not counted.
    """
    ws.title = SHEET_TITLE
    write_header(ws, COLUMNS)
    row = 1
    for number, record in enumerate(records, start=1):
        row += 1
        own = findings.get(record.submission_id, ())
        counted = [f for f in own if not f.dismissed]
        priority = (priorities or {}).get(record.submission_id) or priority_of(own)
        verdict = record.verdict
        values = {
            "序号": number,
            "优先级": priority.score,
            "优先级说明": priority.reason,
            "推荐单位": record.recommender or "",
            "申报类型": kind_label(record.kind),
            "申报单位": record.applicant or "",
            "统一社会信用代码": uscc_of(record) or "",
            "材料位置": record.path,
            "结论": verdict.value if verdict else "",
            "依据": verdict.reason if verdict else "",
            "错误数": sum(1 for f in counted if f.severity == "error"),
            "警告数": sum(1 for f in counted if f.severity == "warning"),
            "缺少附件": "\n".join(missing_labels(record, campaign)),
            STATUS_HEADER: STATUS_CURRENT,
            OVERVIEW_KEY: record.submission_id,
        }
        old = saved.get(record.submission_id)
        if old is not None:
            values.update(old.reviewer)
        for title, value in values.items():
            fmt = INT_FORMAT if title in ("错误数", "警告数", "序号", "优先级") else None
            put(ws, row, _INDEX[title], value, number_format=fmt)
        set_link(ws.cell(row=row, column=_INDEX["材料位置"]), links.target(record.path))
        if verdict and verdict.value in VERDICT_COLOURS:
            colour(ws.cell(row=row, column=_INDEX["结论"]), VERDICT_COLOURS[verdict.value], bold=True)

    current = {record.submission_id for record in records}
    for key, old in saved.items():
        if key in current or not old.has_input:
            continue
        row += 1
        write_saved_row(ws, row, COLUMNS, old)

    finish_table(ws, COLUMNS, row)
    add_choice_list(ws, _INDEX["审核意见"], OPINIONS, 2, row)
