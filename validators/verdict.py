"""The verdict of a submission from its findings: 不符合, 需复核 or 通过.

不符合 needs an error finding of a hard rule: the form is missing, a required attachment is
missing, or the applicant fails an eligibility condition of the notice (registered outside the
province, licence or legal-person certificate expired, platform too young, service share under
a strict threshold, over the recommender's quota, submitted twice). Any other error or warning
(a name that differs, a low-confidence value, an unreadable file, a rule that crashed) makes it
需复核: a reviewer must look. Info findings alone (formatting) leave it 通过.

An expired high-tech certificate is not fatal: that certificate is optional (（如有）), so it
only loses its weight; it goes to review (the rule's ``soft_fields``). A legal-person
certificate that has lapsed is fatal.

Which codes are hard is no list here: each rule declares ``fatal`` and a round may change it
in its ``[rules.CODE]`` table (``validators.registry.fatal_codes``).
"""

from __future__ import annotations

from models.campaign import Campaign
from models.findings import FINDING_CODES, Finding
from models.records import Record, Verdict
from validators.registry import fatal_codes, soft_fields

HARD_CODES: tuple[str, ...] = fatal_codes()
"""Codes whose error findings fail the application by the rules' declarations, in the order
that names the reason; a round's ``[rules.CODE] fatal`` changes them (``decide(…, campaign)``)."""

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def is_hard(finding: Finding, hard: tuple[str, ...] = HARD_CODES) -> bool:
    """Whether the finding alone makes the application 不符合."""
    if finding.severity != "error" or finding.code not in hard:
        return False
    soft = soft_fields(finding.code)
    return not (soft and finding.field and finding.field.startswith(soft))


def _ranked(findings: list[Finding], hard_codes: tuple[str, ...] = HARD_CODES) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int]:
        hard = hard_codes.index(f.code) if f.code in hard_codes else len(hard_codes)
        return (_SEVERITY_ORDER.get(f.severity, 3), hard)

    return sorted(findings, key=key)


def decide(record: Record, campaign: Campaign | None = None) -> Verdict:
    """The verdict of ``record`` from ``record.findings`` (those dismissed as 误报 do not count);
    ``rule`` is the code that decided. With ``campaign``, its ``[rules.CODE] fatal`` settings
    decide which codes fail."""
    codes = HARD_CODES if campaign is None else fatal_codes(campaign)
    findings = [f for f in record.findings if not f.dismissed]  # 误报 marked by a reviewer
    hard = _ranked([f for f in findings if is_hard(f, codes)], codes)
    if hard:
        first = hard[0]
        more = f"另有{len(hard) - 1}项不符合条件。" if len(hard) > 1 else ""
        return Verdict(
            value="不符合",
            rule=first.code,
            reason=f"{FINDING_CODES.get(first.code, first.code)}：{first.message}{more}",
        )
    review = _ranked([f for f in findings if f.severity in ("error", "warning")], codes)
    if review:
        first = review[0]
        errors = sum(f.severity == "error" for f in review)
        warnings = len(review) - errors
        return Verdict(
            value="需复核",
            rule=first.code,
            reason=f"有{errors}个错误、{warnings}个警告需人工复核，首项为"
            f"{FINDING_CODES.get(first.code, first.code)}：{first.message}",
        )
    return Verdict(value="通过", rule="no findings", reason="未发现错误或警告。")
