"""Reviewer decisions flow back: findings marked 误报 in the previous review.xlsx.

A reviewer who judges a finding wrong picks 误报 in 问题清单's 处理结果 column. On the next
run over the same ``--out`` the finding with that 问题编号 is kept and shown, but marked
``dismissed``: it no longer counts toward the verdict, the counts or the review priority,
and the run log names it. Row keys with a ``~2`` suffix (two findings sharing an id) dismiss
that id, since the suffix follows display order, which a re-run may change.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from intake.writers.reviewer import FINDINGS_SHEET, ReviewerState
from models.campaign import Campaign
from models.findings import Finding
from models.records import Record

log = logging.getLogger(__name__)

FALSE_POSITIVE = "误报"
OUTCOME_HEADER = "处理结果"


def dismissed_ids(state: ReviewerState) -> set[str]:
    """Finding ids whose 问题清单 row a reviewer marked 误报."""
    ids = set()
    for key, row in state.findings.items():
        value = row.reviewer.get(OUTCOME_HEADER)
        if isinstance(value, str) and value.strip() == FALSE_POSITIVE:
            ids.add(key.split("~", 1)[0])
    return ids


def mark(findings: Sequence[Finding], ids: set[str]) -> list[Finding]:
    """The findings with those in ``ids`` marked dismissed (the others unchanged)."""
    return [f.model_copy(update={"dismissed": True}) if f.id in ids and not f.dismissed else f for f in findings]


def apply_dismissals(
    workbook: Path,
    records: list[Record],
    unattached: list[Finding],
    campaign: Campaign | None = None,
    *,
    previous: ReviewerState | None = None,
) -> tuple[list[Finding], set[str]]:
    """Mark the findings a reviewer dismissed in ``workbook`` and decide the verdicts again.

    ``records`` are updated in place; returns the new ``unattached`` list and the ids that
    were dismissed. A missing or unreadable workbook dismisses nothing. ``previous`` is the
    workbook's reviewer input when the caller has read it already (read here otherwise).
    """
    from intake.writers.workbook import load_previous
    from validators.verdict import decide

    if not workbook.exists():
        return unattached, set()
    ids = dismissed_ids(previous if previous is not None else load_previous(workbook))
    if not ids:
        return unattached, set()
    applied: set[str] = set()
    for i, record in enumerate(records):
        if not any(f.id in ids for f in record.findings):
            continue
        before = record.verdict.value if record.verdict else ""
        findings = mark(record.findings, ids)
        applied.update(f.id for f in findings if f.dismissed)
        record = record.model_copy(update={"findings": findings})
        records[i] = record.model_copy(update={"verdict": decide(record, campaign)})
        after = records[i].verdict
        for f in findings:
            if f.dismissed:
                log.info(
                    "finding %s (%s) of %s marked 误报 by a reviewer in %s: shown, not counted toward the verdict",
                    f.id,
                    f.code,
                    record.path,
                    FINDINGS_SHEET,
                )
        if after is not None and after.value != before:
            log.info("verdict of %s changed from %s to %s after 误报 marks", record.path, before, after.value)
    marked = mark(unattached, ids)
    applied.update(f.id for f in marked if f.dismissed)
    missing = ids - applied
    log.info(
        "reviewer feedback: %d findings marked 误报 do not count; %d marked findings no longer occur",
        len(applied),
        len(missing),
    )
    return marked, applied
