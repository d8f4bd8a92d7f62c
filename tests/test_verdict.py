"""The verdict: 不符合 for hard-rule errors, 需复核 for other errors and warnings, else 通过."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import validators.cross  # noqa: F401  (registers the cross-check rules)
from models.campaign import load_campaign
from models.fields import Extracted
from models.findings import Finding
from models.records import Attachment, Record
from validators.base import RULES, RecordContext
from validators.verdict import decide

CROSS_MODULES = {f"validators.{m}" for m in ("identity", "cross", "dates", "attachments", "seals")}


def finding(code: str, severity: str = "error", field: str | None = None) -> Finding:
    return Finding(code=code, severity=severity, message=f"{code}的说明", field=field)  # type: ignore[arg-type]


def with_findings(*findings: Finding) -> Record:
    return Record(submission_id="s1", path="a/b", kind="enterprise", findings=list(findings))


def test_no_findings_passes() -> None:
    verdict = decide(with_findings())
    assert (verdict.value, verdict.rule) == ("通过", "no findings")


def test_info_only_passes() -> None:
    assert decide(with_findings(finding("FORMAT_DEVIATION", "info"))).value == "通过"


@pytest.mark.parametrize(
    "f",
    [
        finding("LOW_CONFIDENCE", "warning"),
        finding("NAME_MISMATCH"),
        finding("USCC_INVALID"),
        finding("FILE_UNREADABLE"),
        finding("RULE_FAILED", "warning"),
        finding("SERVICE_SHARE_BELOW_THRESHOLD", "warning"),  # 30%左右: judgement
        finding("CERT_EXPIRED", field="high_tech_certificate.valid_until"),  # optional cert
        finding("SEAL_MISSING", "warning", "seal.license_copy"),
    ],
    ids=lambda f: f"{f.code}-{f.severity}",
)
def test_review(f: Finding) -> None:
    verdict = decide(with_findings(f))
    assert (verdict.value, verdict.rule) == ("需复核", f.code)
    assert f.message in verdict.reason


@pytest.mark.parametrize(
    "f",
    [
        finding("FORM_NOT_FOUND"),
        finding("REGISTERED_OUTSIDE_REGION"),
        finding("LICENSE_EXPIRED"),
        finding("CERT_EXPIRED", field="legal_person_certificate.valid_until"),
        finding("PLATFORM_TOO_YOUNG"),
        finding("SERVICE_SHARE_BELOW_THRESHOLD"),  # 30%以上: strict
        finding("QUOTA_EXCEEDED"),
        finding("DUPLICATE_SUBMISSION"),
        finding("ATTACHMENT_MISSING"),
    ],
    ids=lambda f: f.code,
)
def test_fails(f: Finding) -> None:
    verdict = decide(with_findings(finding("LOW_CONFIDENCE", "warning"), f))
    assert (verdict.value, verdict.rule) == ("不符合", f.code)


def test_first_hard_reason_wins_and_others_are_counted() -> None:
    verdict = decide(with_findings(finding("ATTACHMENT_MISSING"), finding("FORM_NOT_FOUND")))
    assert verdict.rule == "FORM_NOT_FOUND" and "另有1项" in verdict.reason


def test_error_outranks_warning_for_review() -> None:
    verdict = decide(with_findings(finding("LOW_CONFIDENCE", "warning"), finding("NAME_MISMATCH")))
    assert verdict.rule == "NAME_MISMATCH" and "1个错误、1个警告" in verdict.reason


def test_rules_then_verdict_on_an_expired_licence() -> None:
    campaign = load_campaign("shanxi-2021")
    licence = Attachment(
        kind="business_license",
        file="a/b/执照.jpg",
        fields={"term_end": Extracted[Any](value=dt.date(2020, 12, 31), raw="2020年12月31日")},
    )
    record = Record(submission_id="s1", path="a/b", kind="enterprise", attachments=[licence])
    ctx = RecordContext(record, campaign)
    mine = [r for r in RULES.values() if type(r).__module__ in CROSS_MODULES]
    record.findings = [f for rule in mine for f in rule.check(ctx)]
    assert {f.code for f in record.findings} == {"LICENSE_EXPIRED", "ATTACHMENT_MISSING"}
    verdict = decide(record)
    assert (verdict.value, verdict.rule) == ("不符合", "LICENSE_EXPIRED")
    assert "2020年12月31日" in verdict.reason and "另有" in verdict.reason
