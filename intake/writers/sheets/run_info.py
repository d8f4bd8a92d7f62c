"""运行信息: what this run was (round, version, time, options), what it counted, and every
input file once with its status (the files that could not be used first, with the reason)."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.sheets.common import Links
from intake.writers.sheets.style import (
    BORDER,
    DATETIME_FORMAT,
    FONT_NAME,
    HEADER_FILL,
    INT_FORMAT,
    Column,
    finish_table,
    put,
    set_link,
    write_header,
)
from models.campaign import Campaign
from models.records import FileEntry
from models.run import RunInfo

SHEET_TITLE = "运行信息"
STATUS_LABELS = {
    "read": "已读取",
    "unreadable": "无法读取",
    "not_processed": "未处理",
    "skipped": "已跳过",
}
COLUMNS: tuple[Column, ...] = (
    Column("项目", min_width=16, max_width=20),
    Column("内容", min_width=30, max_width=60, wrap=True),
    Column("", max_width=10),  # the problem-file table below uses columns 3-5
    Column("", min_width=20, max_width=50, wrap=True),
    Column("", min_width=12, max_width=14),
)
FILE_HEADERS = ("序号", "文件", "状态", "原因", "大小（字节）")


def _duration(info: RunInfo) -> str:
    if info.finished is None:
        return ""
    seconds = int((info.finished - info.started).total_seconds())
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}小时{minutes}分{seconds}秒" if hours else f"{minutes}分{seconds}秒"


def facts(info: RunInfo, campaign: Campaign) -> list[tuple[str, Any]]:
    """The (label, value) lines at the top of the sheet."""
    by_severity = info.findings_by_severity
    return [
        ("批次编号", campaign.id),
        ("批次名称", campaign.title),
        ("发文单位", campaign.issuer),
        ("申报截止日期", campaign.deadline),
        ("省份", campaign.province or "全国（不限注册地）"),
        ("程序版本", info.version),
        ("开始时间", info.started),
        ("结束时间", info.finished),
        ("用时", _duration(info)),
        ("OCR 引擎", info.ocr_engine),
        ("并行进程数", info.jobs),
        ("接收目录", info.received_dir),
        ("申报数", info.submissions),
        ("文件总数", info.files_total),
        ("已读取文件", info.files_read),
        ("使用缓存的文件", info.files_cached),
        ("页数", info.pages),
        ("错误", by_severity.get("error", 0)),
        ("警告", by_severity.get("warning", 0)),
        ("提示", by_severity.get("info", 0)),
        ("问题文件", len(info.problem_files)),
    ]


_STATUS_ORDER = {"unreadable": 0, "not_processed": 1, "skipped": 2, "read": 3}


def listed_files(info: RunInfo) -> list[FileEntry]:
    """Every input file once (problem files first, then by path); the problem files alone
    when the run did not list them all."""
    entries = info.files or info.problem_files
    return sorted(entries, key=lambda e: (_STATUS_ORDER.get(e.status, 9), e.path))


def write_run_info(ws: Worksheet, info: RunInfo, campaign: Campaign, links: Links) -> None:
    """Fill the 运行信息 sheet: facts as label/value rows, then the problem-file table.

    The header row (frozen) names the columns of both parts; the auto-filter covers the
    problem-file table, which is the part worth filtering.
    """
    ws.title = SHEET_TITLE
    write_header(ws, COLUMNS)
    row = 1
    for label, value in facts(info, campaign):
        row += 1
        put(ws, row, 1, label).font = Font(name=FONT_NAME, bold=True)
        fmt = DATETIME_FORMAT if label in ("开始时间", "结束时间") else None
        cell = put(ws, row, 2, value, number_format=fmt or (INT_FORMAT if isinstance(value, int) else None))
        cell.alignment = Alignment(horizontal="left", wrap_text=True)

    entries = listed_files(info)
    row += 2
    title = f"文件清单（共 {len(entries)} 个，每个文件一行；无法读取、未处理或跳过的在前）"
    if not info.files:  # a RunInfo from before every file was listed
        title = "无法读取、未处理或跳过的文件"
    put(ws, row - 1, 1, title).font = Font(name=FONT_NAME, bold=True, size=12)
    table_header = row
    for col, title in enumerate(FILE_HEADERS, start=1):
        cell = put(ws, table_header, col, title)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    if not entries:
        row += 1
        put(ws, row, 2, "（无）")
    for number, entry in enumerate(entries, start=1):
        row += 1
        put(ws, row, 1, number)
        cell = put(ws, row, 2, entry.path)
        if entry.status != "skipped":  # a skipped symlink may point outside the folder
            set_link(cell, links.target(entry.path))
        put(ws, row, 3, STATUS_LABELS.get(entry.status, entry.status))
        put(ws, row, 4, entry.reason or "")
        put(ws, row, 5, entry.size, number_format=INT_FORMAT)

    finish_table(ws, COLUMNS, row, filter_table=False)
    ws.auto_filter.ref = f"A{table_header}:E{max(row, table_header + 1)}"
