"""review.xlsx: the review workbook (SPEC §6), written atomically, keeping reviewer input.

Sheets, in order: 总览, 问题清单, 附件核对, 汇总表, 提取数据, 运行信息 (one module each under
``intake.writers.sheets``). When the workbook already exists, what reviewers typed in the
reviewer columns is read first and written back onto the same submission / finding; rows
whose submission or finding has gone but that carry reviewer input stay, marked 已消除.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from intake.evidence import EvidenceIndex
from intake.priority import rank
from intake.writers.atomic import atomic_write
from intake.writers.reviewer import ReviewerState, read_reviewer_state
from intake.writers.sheets.attachments import write_attachments
from intake.writers.sheets.common import Links, record_sort_key
from intake.writers.sheets.extracted import write_extracted
from intake.writers.sheets.findings import finding_rows, write_findings
from intake.writers.sheets.overview import write_overview
from intake.writers.sheets.run_info import write_run_info
from intake.writers.sheets.style import use_house_font
from intake.writers.sheets.summary import write_summary
from models.campaign import Campaign
from models.errors import IntakeError
from models.findings import Finding
from models.records import Record, SummaryTable
from models.run import RunInfo

log = logging.getLogger(__name__)


def load_previous(path: Path) -> ReviewerState:
    """Reviewer input of the workbook at ``path``; empty when there is none.

    A file that exists but cannot be read as a workbook is copied aside (never lost) and the
    run starts from an empty state.
    """
    if not path.exists():
        return ReviewerState()
    try:
        return read_reviewer_state(path)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
        shutil.copy2(path, backup)
        log.warning("could not read reviewer input from %s (%s); kept a copy as %s", path, exc, backup)
        return ReviewerState()


def group_findings(
    records: Sequence[Record], unattached: Sequence[Finding]
) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Each submission's findings (its own plus batch findings naming it, without repeats),
    and the batch findings that name no known submission."""
    by_submission: dict[str, list[Finding]] = {}
    seen: set[str] = set()
    for record in records:
        own = by_submission.setdefault(record.submission_id, [])
        for finding in record.findings:
            own.append(finding)
            seen.add(finding.model_dump_json())
    orphans = []
    for finding in unattached:
        if finding.model_dump_json() in seen:
            continue
        seen.add(finding.model_dump_json())
        if finding.submission_id in by_submission:
            by_submission[finding.submission_id].append(finding)
        else:
            orphans.append(finding)
    return by_submission, orphans


def build_workbook(
    workbook_dir: Path,
    records: Sequence[Record],
    summaries: Sequence[SummaryTable],
    campaign: Campaign,
    run_info: RunInfo,
    received_dir: Path | None,
    previous: ReviewerState,
    unattached: Sequence[Finding] = (),
    evidence: EvidenceIndex | None = None,
) -> Workbook:
    """The review workbook in memory; links are relative to ``workbook_dir``.

    Submissions go by review priority (highest first), then recommender, kind, applicant.
    """
    findings, orphans = group_findings(records, unattached)
    priorities = rank(records, findings)
    ordered = sorted(records, key=lambda r: (-priorities[r.submission_id].score, record_sort_key(r)))
    links = Links(workbook_dir=workbook_dir, received_dir=received_dir)

    workbook = Workbook()
    use_house_font(workbook)
    workbook.properties.title = f"{campaign.title} 审核表"
    workbook.properties.creator = f"intake {run_info.version}"
    write_overview(workbook.active, ordered, findings, campaign, links, previous.submissions, priorities)
    rows = finding_rows(ordered, findings, orphans)
    write_findings(workbook.create_sheet(), rows, links, previous.findings, evidence, workbook_dir)
    write_attachments(workbook.create_sheet(), ordered, campaign, links)
    write_summary(workbook.create_sheet(), ordered, summaries, campaign)
    write_extracted(workbook.create_sheet(), ordered, links)
    write_run_info(workbook.create_sheet(), run_info, campaign, links)
    return workbook


def write_workbook(
    path: str | os.PathLike[str],
    records: Sequence[Record],
    summaries: Sequence[SummaryTable],
    campaign: Campaign,
    run_info: RunInfo,
    received_dir: Path | None = None,
    *,
    unattached: Sequence[Finding] = (),
    evidence: EvidenceIndex | None = None,
    previous: ReviewerState | None = None,
) -> Path:
    """Write the review workbook to ``path`` atomically and return the path.

    ``received_dir`` is where record paths are relative to (default: ``run_info.received_dir``);
    links in the workbook point there relative to the workbook's own folder.
    ``unattached`` are findings not stored on any record (e.g. a 汇总表 line without a
    submission); those naming a submission are counted with it, the rest listed at the end.
    ``previous`` is the reviewer input of the workbook at ``path`` when the caller has read
    it already (with :func:`load_previous`); it is read here otherwise.
    Raises ``IntakeError`` when the file cannot be replaced (e.g. held open on Windows).
    """
    target = Path(path)
    base = received_dir if received_dir is not None else Path(run_info.received_dir)
    if previous is None:
        previous = load_previous(target)
    if not previous.empty:
        log.info(
            "keeping reviewer input: %d submissions, %d findings",
            sum(1 for r in previous.submissions.values() if r.has_input),
            sum(1 for r in previous.findings.values() if r.has_input),
        )
    workbook = build_workbook(
        target.parent, records, summaries, campaign, run_info, base, previous, unattached, evidence
    )
    try:
        with atomic_write(target) as handle:
            workbook.save(handle)
    except PermissionError as exc:
        raise IntakeError(
            f"无法写入审核表 {target}：文件可能正在 Excel/WPS 中打开或目录不可写。"
            "请关闭该文件或换一个输出目录后重新运行。"
        ) from exc
    return target
