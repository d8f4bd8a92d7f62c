"""The verdict of a submission from its findings: 不符合, 需复核 or 通过.

不符合 needs an error finding of a hard rule: the form is missing, a required attachment is
missing, or the applicant fails an eligibility condition of the notice (registered outside the
province, licence or legal-person certificate expired, platform too young, service share under
a strict threshold, over the recommender's quota, submitted twice). Any other error or warning
(a name that differs, a low-confidence value, an unreadable file, a rule that crashed) makes it
需复核: a reviewer must look. Info findings alone (formatting) leave it 通过.

An expired high-tech certificate is not fatal: that certificate is optional (（如有）), so it
only loses its weight; it goes to review. A legal-person certificate that has lapsed is fatal.
"""

from __future__ import annotations

from models.findings import FINDING_CODES, Finding
from models.records import Record, Verdict

HARD_CODES: tuple[str, ...] = (
    "FORM_NOT_FOUND",
    "REGISTERED_OUTSIDE_REGION",
    "LICENSE_EXPIRED",
    "CERT_EXPIRED",
    "PLATFORM_TOO_YOUNG",
    "SERVICE_SHARE_BELOW_THRESHOLD",
    "QUOTA_EXCEEDED",
    "DUPLICATE_SUBMISSION",
    "ATTACHMENT_MISSING",
)
"""Codes whose error findings fail the application, in the order that names the reason."""

SOFT_FIELDS: dict[str, tuple[str, ...]] = {
    "CERT_EXPIRED": ("high_tech_certificate.",),
}
"""Fields (prefixes) of a hard code whose findings only call for review."""

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def is_hard(finding: Finding) -> bool:
    """Whether the finding alone makes the application 不符合."""
    if finding.severity != "error" or finding.code not in HARD_CODES:
        return False
    soft = SOFT_FIELDS.get(finding.code, ())
    return not (finding.field and finding.field.startswith(soft))


def _ranked(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int]:
        hard = HARD_CODES.index(f.code) if f.code in HARD_CODES else len(HARD_CODES)
        return (_SEVERITY_ORDER.get(f.severity, 3), hard)

    return sorted(findings, key=key)


def decide(record: Record) -> Verdict:
    """The verdict of ``record`` from ``record.findings`` (those dismissed as 误报 do not count);
    ``rule`` is the code that decided."""
    findings = [f for f in record.findings if not f.dismissed]  # 误报 marked by a reviewer
    hard = _ranked([f for f in findings if is_hard(f)])
    if hard:
        first = hard[0]
        more = f"另有{len(hard) - 1}项不符合条件。" if len(hard) > 1 else ""
        return Verdict(
            value="不符合",
            rule=first.code,
            reason=f"{FINDING_CODES.get(first.code, first.code)}：{first.message}{more}",
        )
    review = _ranked([f for f in findings if f.severity in ("error", "warning")])
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
