"""Review priority: which submission a reviewer should open first, and why, in words.

The score adds up what a reviewer has to look at in a submission's findings (those a
reviewer marked 误报 do not count):

- each error: 10 points, plus 5 when it alone fails the application (a hard rule);
- each warning: 3 points;
- each LOW_CONFIDENCE finding: 4 more (a value the checks relied on may be misread);
- each missing required attachment: 4 more (the bureau may have to ask for it);
- each batch problem (quota, duplicate, 汇总表 mismatch): 4 more (it involves other files);
- info findings (formatting) add nothing.

The reason lists the problems by severity with their short names, e.g.
"2 项错误：营业执照已过期；缺少技术水平评价证书". Higher scores come first; ties keep the
usual order (recommender, kind, applicant).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.findings import FINDING_CODES, Finding
from models.records import DOC_KIND_LABELS, Record

ERROR_POINTS = 10
HARD_POINTS = 5
WARNING_POINTS = 3
LOW_CONFIDENCE_POINTS = 4
MISSING_ATTACHMENT_POINTS = 4
BATCH_POINTS = 4
BATCH_CODES = frozenset({"QUOTA_EXCEEDED", "DUPLICATE_SUBMISSION", "SUMMARY_MISMATCH"})
MAX_NAMED = 4  # problems named per severity before "等"


@dataclass(frozen=True)
class Priority:
    """A submission's review priority: the score (0 = nothing to look at) and its reason."""

    score: int
    reason: str


def problem_name(finding: Finding) -> str:
    """A short Chinese name of what is wrong: the code's title, or 缺少<附件> for a missing one."""
    if finding.code == "ATTACHMENT_MISSING" and finding.field:
        kind = finding.field.split(".")[-1]
        if kind in DOC_KIND_LABELS:
            return f"缺少{DOC_KIND_LABELS[kind]}"
    return FINDING_CODES.get(finding.code, finding.code)


def _names(findings: Iterable[Finding]) -> list[str]:
    names: list[str] = []
    for finding in findings:
        name = problem_name(finding)
        if name not in names:
            names.append(name)
    return names


def _part(label: str, findings: list[Finding]) -> str:
    names = _names(findings)
    shown = "；".join(names[:MAX_NAMED]) + ("等" if len(names) > MAX_NAMED else "")
    return f"{len(findings)} 项{label}：{shown}"


def priority_of(findings: Sequence[Finding]) -> Priority:
    """The priority of a submission with these findings (its own and batch findings)."""
    from validators.verdict import is_hard

    counted = [f for f in findings if not f.dismissed]
    errors = [f for f in counted if f.severity == "error"]
    warnings = [f for f in counted if f.severity == "warning"]
    score = ERROR_POINTS * len(errors) + WARNING_POINTS * len(warnings)
    score += HARD_POINTS * sum(1 for f in errors if is_hard(f))
    score += LOW_CONFIDENCE_POINTS * sum(1 for f in counted if f.code == "LOW_CONFIDENCE")
    score += MISSING_ATTACHMENT_POINTS * sum(1 for f in errors if f.code == "ATTACHMENT_MISSING")
    score += BATCH_POINTS * sum(1 for f in counted if f.code in BATCH_CODES)
    parts = []
    if errors:
        parts.append(_part("错误", errors))
    if warnings:
        parts.append(_part("警告", warnings))
    dismissed = len(findings) - len(counted)
    if dismissed:
        parts.append(f"{dismissed} 项已标为误报，不计入")
    if not parts:
        parts.append("无需重点复核的问题")
    return Priority(score=score, reason="；".join(parts[:1]) + "".join(f"。{p}" for p in parts[1:]))


def rank(records: Sequence[Record], findings: dict[str, Sequence[Finding]]) -> dict[str, Priority]:
    """Priority per submission id; ``findings`` maps a submission id to all its findings."""
    return {r.submission_id: priority_of(findings.get(r.submission_id, r.findings)) for r in records}
