"""问题清单: one row per finding, with its evidence as a link and the reviewer's decision."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from intake.evidence import Crop, EvidenceIndex
from intake.writers.reviewer import FINDINGS_KEY, SavedRow
from intake.writers.sheets.common import STATUS_HEADER, Links, field_label, pages_label, write_saved_row
from intake.writers.sheets.style import (
    SEVERITY_COLOURS,
    STATUS_CURRENT,
    Column,
    add_choice_list,
    colour,
    finish_table,
    grey_row,
    put,
    set_link,
    write_header,
)
from intake.writers.sheets.thumbnails import embed
from models.document import BBox
from models.fields import Evidence
from models.findings import FINDING_CODES, SEVERITY_LABELS, Finding
from models.records import Record

SHEET_TITLE = "问题清单"
OUTCOMES = ("确认", "误报", "已更正")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_DISMISSED = "误报·不计入"  # marked 误报 in an earlier run: shown, not counted
CROP_COLUMNS = ("截图1", "截图2")  # both sides of a mismatch; more are listed in review.html

COLUMNS: tuple[Column, ...] = (
    Column(FINDINGS_KEY, max_width=14),
    Column("申报单位", max_width=30, wrap=True),
    Column("代码", max_width=30),
    Column("问题类型", max_width=22),
    Column("严重程度", max_width=10, center=True),
    Column("说明", min_width=30, max_width=50, wrap=True),
    Column("字段", max_width=22, wrap=True),
    Column("申报表填写值", max_width=28, wrap=True),
    Column("核对值", max_width=28, wrap=True),
    Column("证据文件", max_width=36, wrap=True),
    Column("页码", max_width=6, center=True),
    Column("位置", max_width=22, wrap=True),
    Column("证据文字", min_width=20, max_width=44, wrap=True),
    Column("依据", min_width=20, max_width=44, wrap=True),
    Column(CROP_COLUMNS[0], max_width=16, wrap=True),
    Column(CROP_COLUMNS[1], max_width=16, wrap=True),
    Column("截图预览", min_width=34, max_width=34),
    Column("处理结果", min_width=12, max_width=12, reviewer=True),
    Column("备注", min_width=30, max_width=40, wrap=True, reviewer=True),
    Column(STATUS_HEADER, max_width=12, center=True),
)
_INDEX = {column.title: i for i, column in enumerate(COLUMNS, start=1)}


@dataclass(frozen=True)
class FindingRow:
    """A finding with the key it is shown under and the applicant it belongs to."""

    key: str
    finding: Finding
    applicant: str


def finding_rows(
    records: Sequence[Record], findings: Mapping[str, Sequence[Finding]], orphans: Sequence[Finding]
) -> list[FindingRow]:
    """Findings in display order (by submission, then severity, code, field).

    ``Finding.id`` is the reviewer key; two findings that share an id (same submission,
    code, field and source) get ``~2``, ``~3`` … appended in that stable order, so each
    row keeps its own note.
    """
    ordered: list[tuple[Finding, str]] = []
    for record in records:
        own = sorted(findings.get(record.submission_id, ()), key=_finding_order)
        ordered.extend((finding, record.applicant or "") for finding in own)
    ordered.extend((finding, "") for finding in sorted(orphans, key=_finding_order))
    seen: dict[str, int] = {}
    rows = []
    for finding, applicant in ordered:
        seen[finding.id] = seen.get(finding.id, 0) + 1
        key = finding.id if seen[finding.id] == 1 else f"{finding.id}~{seen[finding.id]}"
        rows.append(FindingRow(key=key, finding=finding, applicant=applicant))
    return rows


def _finding_order(finding: Finding) -> tuple[int, str, str, str]:
    return (SEVERITY_RANK.get(finding.severity, 3), finding.code, finding.field or "", finding.message)


def bbox_label(bbox: BBox | None) -> str:
    if bbox is None:
        return ""
    return f"({bbox.x0:.0f}, {bbox.y0:.0f})–({bbox.x1:.0f}, {bbox.y1:.0f})"


def evidence_fragment(evidence: Evidence) -> str | None:
    """PDF viewers open ``file.pdf#page=N`` at that page."""
    if evidence.page and PurePosixPath(evidence.file).suffix.lower() == ".pdf":
        return f"page={evidence.page}"
    return None


def _evidence_text(evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return ""
    lines = [evidence[0].text]
    for extra in evidence[1:]:
        place = " ".join(p for p in (extra.file, pages_label([extra.page] if extra.page else [])) if p)
        lines.append(f"另见：{place}" + (f"：{extra.text}" if extra.text else ""))
    return "\n".join(line for line in lines if line)


def crop_label(crop: Crop, number: int, total: int) -> str:
    """What a crop link says: which document it shows, and how many more there are."""
    more = f"（另有{total - 2}张）" if number == 2 and total > 2 else ""
    page = f"第{crop.page}页" if crop.page else ""
    return f"{crop.side}{page}{more}"


def _crop_link(crop: Crop, evidence: EvidenceIndex, workbook_dir: Path) -> str:
    target = os.path.relpath(evidence.path(crop), os.path.abspath(workbook_dir))
    return target.replace(os.sep, "/")


def write_findings(
    ws: Worksheet,
    rows: Sequence[FindingRow],
    links: Links,
    saved: Mapping[str, SavedRow],
    evidence: EvidenceIndex | None = None,
    workbook_dir: Path | None = None,
) -> None:
    """Fill the 问题清单 sheet; old rows with reviewer input whose finding is gone stay,
    marked 已消除 (rows without input are dropped). A finding's crops (``evidence``) are
    linked in 截图1/截图2 and the first is shown in 截图预览 when the pictures are small
    enough (``intake.writers.sheets.thumbnails``); a finding marked 误报 earlier is greyed
    and its 状态 says it is not counted."""
    ws.title = SHEET_TITLE
    write_header(ws, COLUMNS)
    row = 1
    previews: dict[int, Path] = {}
    for item in rows:
        row += 1
        finding = item.finding
        first = finding.evidence[0] if finding.evidence else None
        severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
        values = {
            FINDINGS_KEY: item.key,
            "申报单位": item.applicant,
            "代码": finding.code,
            "问题类型": FINDING_CODES.get(finding.code, finding.code),
            "严重程度": severity,
            "说明": finding.message,
            "字段": field_label(finding.field),
            "申报表填写值": finding.form_value,
            "核对值": finding.found_value,
            "证据文件": first.file if first else "",
            "页码": first.page if first else None,
            "位置": (bbox_label(first.bbox) or first.cell or "") if first else "",
            "证据文字": _evidence_text(finding.evidence),
            "依据": finding.basis or "",
            STATUS_HEADER: STATUS_DISMISSED if finding.dismissed else STATUS_CURRENT,
        }
        crops = evidence.of(finding) if evidence is not None else []
        for number, (title, crop) in enumerate(zip(CROP_COLUMNS, crops, strict=False), start=1):
            values[title] = crop_label(crop, number, len(crops))
        old = saved.get(item.key)
        if old is not None:
            values.update(old.reviewer)
        for title, value in values.items():
            put(ws, row, _INDEX[title], value)
        if first is not None:
            set_link(
                ws.cell(row=row, column=_INDEX["证据文件"]),
                links.target(first.file),
                evidence_fragment(first),
            )
        for title, crop in zip(CROP_COLUMNS, crops, strict=False):
            set_link(ws.cell(row=row, column=_INDEX[title]), _crop_link(crop, evidence, workbook_dir or Path(".")))
        if crops and evidence is not None:
            previews[row] = evidence.path(crops[0])
        severity_cell = ws.cell(row=row, column=_INDEX["严重程度"])
        if finding.dismissed:
            grey_row(ws, row, len(COLUMNS))
        elif severity in SEVERITY_COLOURS:
            colour(severity_cell, SEVERITY_COLOURS[severity], bold=True)

    current = {item.key for item in rows}
    for key, old in saved.items():
        if key in current or not old.has_input:
            continue
        row += 1
        write_saved_row(ws, row, COLUMNS, old)

    finish_table(ws, COLUMNS, row)
    add_choice_list(ws, _INDEX["处理结果"], OUTCOMES, 2, row)
    embed(ws, get_column_letter(_INDEX["截图预览"]), previews)
