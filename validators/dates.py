"""Terms against the round's deadline: licence term, certificate validity, platform age.

A date read by OCR with a confidence under the round's threshold (``ocr_noise.doubtful``) does
not fail an application on its own: the finding keeps its code but is a warning that says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from models.fields import Extracted
from models.findings import Finding, Severity
from models.records import Record
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.identity import (
    RecordRule,
    applicant_licences,
    form_field,
    sources,
    where,
)
from validators.ocr_noise import doubt_note, doubtful

LONG_TERM = ("长期", "永久", "不约定期限", "无固定期限")


def shift_years(day: dt.date, years: float) -> dt.date:
    """``day`` moved by ``years`` (negative: back); 29 February becomes 28 February; a fraction
    of a year counts as days."""
    whole = int(years)
    try:
        moved = day.replace(year=day.year + whole)
    except ValueError:
        moved = day.replace(year=day.year + whole, day=28)
    return moved + dt.timedelta(days=round((years - whole) * 365.25))


def as_date(ex: Extracted[Any] | None) -> dt.date | None:
    """The date the reader read (a ``dt.date`` in this process, a worker's or the cache's:
    ``Extracted`` keeps its type through JSON); None when it read none. The raw text is not
    parsed again: the readers try ``parse_date`` and then every date in the text
    (``find_dates``), so a raw text they left without a date has none a rule could trust."""
    if ex is None or not isinstance(ex.value, dt.date):
        return None
    return ex.value


def term_end(ex: Extracted[Any] | None) -> tuple[dt.date | None, bool]:
    """(end date, is long term) of a licence's 营业期限: the reader gives 长期 and its kin as
    no value with the printed word as raw text (SPEC §4: term_end null for 长期)."""
    if ex is None:
        return None, False
    if any(word in ex.raw for word in LONG_TERM):
        return None, True
    return as_date(ex), False


def _iso(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class LicenseExpired(RecordRule):
    """营业期限 ending before the round's deadline (长期 never ends)."""

    code = "LICENSE_EXPIRED"
    title = "营业执照已过期"
    checks = "营业执照营业期限覆盖申报截止日"
    fatal = True
    config_keys = ("deadline",)
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        deadline = ctx.campaign.deadline
        for src in sources(ctx.record, "business_license"):
            found = src.get("term_end")
            end, long_term = term_end(found)
            if long_term or end is None or end >= deadline:
                continue
            doubt = doubtful(found, ctx.campaign, src.method)
            yield finding(
                self.code,
                "warning" if doubt else self.severity,
                f"{where(src)}营业期限至{_iso(end)}，早于本批次申报截止日{_iso(deadline)}"
                f"{doubt_note(found) if doubt else ''}。",
                ctx.record,
                field=f"{src.kind}.term_end",
                found_value=end,
                evidence=evidence_of(found),
                source=src.file,
            )


class CertExpired(RecordRule):
    """A high-tech certificate (valid_until, else issued + the round's validity years) or a
    legal-person certificate that is not valid on the deadline."""

    code = "CERT_EXPIRED"
    title = "证书已过期"
    checks = "法人证书、高新技术企业证书在申报截止日有效"
    fatal = True
    config_keys = ("deadline", "cert_validity_years")
    soft_fields = ("high_tech_certificate.",)  # optional (（如有）): it only loses its weight
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        campaign = ctx.campaign
        for src in sources(ctx.record, "high_tech_certificate", "legal_person_certificate"):
            until_ex, issued_ex = src.get("valid_until"), src.get("issued")
            until = as_date(until_ex)
            how = "有效期至"
            if until is None and src.kind == "high_tech_certificate":
                issued = as_date(issued_ex)
                if issued is not None:
                    until = shift_years(issued, campaign.cert_validity_years)
                    how = f"发证日期{_iso(issued)}，按{campaign.cert_validity_years}年有效期至"
            if until is None or until >= campaign.deadline:
                continue
            read = until_ex if as_date(until_ex) is not None else issued_ex
            doubt = doubtful(read, campaign, src.method)
            yield finding(
                self.code,
                "warning" if doubt else self.severity,
                f"{where(src)}{how}{_iso(until)}，在本批次申报截止日{_iso(campaign.deadline)}已失效"
                f"{doubt_note(read) if doubt else ''}。",
                ctx.record,
                field=f"{src.kind}.valid_until",
                found_value=until,
                evidence=evidence_of(until_ex, issued_ex),
                source=src.file,
            )


_LAUNCH = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?[^。；;，,]{0,8}?"
    r"(?:正式)?(?:上线|投入运营|投入使用|开通|运营|运行)"
)


def launch_in_text(raw: str) -> dt.date | None:
    """The date in "平台于2020年3月正式上线/投入运营" (the 1st of the month when no day is
    given, which favours the applicant)."""
    match = _LAUNCH.search(raw)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


TEXT_KEYS = ("main_business", "content", "nature", "platform_intro", "intro")
"""Form keys whose free text may state when the platform went live (not the customer list:
a customer's project going live is not the platform's)."""


def launched(record: Record) -> tuple[dt.date, Extracted[Any] | None, str] | None:
    """When the platform went live: an extracted ``launched`` field on the form or body, else
    the earliest 上线/投入运营 statement in the form's text fields, the body's fields or its
    headings (the earliest favours the applicant: a platform relaunched later still counts
    from its first launch)."""
    candidates: list[tuple[Extracted[Any] | None, str]] = [(form_field(record, "launched"), "")]
    for src in sources(record, "application_body", "application_form"):
        candidates.append((src.get("launched"), src.file))
    for ex, file in candidates:
        day = as_date(ex)
        if day is not None:
            return day, ex, file or record.form_file or ""
    found: list[tuple[dt.date, Extracted[Any] | None, str]] = []
    texts = [(form_field(record, key), record.form_file or "") for key in TEXT_KEYS]
    for src in sources(record, "application_body"):
        texts += [(ex, src.file) for ex in src.fields.values()]
    for ex, file in texts:
        day = launch_in_text(ex.raw) if ex is not None else None
        if day is not None:
            found.append((day, ex, file))
    for doc in record.documents:
        for section in doc.sections if doc.kind == "application_body" else []:
            day = launch_in_text(section.title)
            if day is not None:
                found.append((day, None, doc.file))
    return min(found, key=lambda item: item[0]) if found else None


class PlatformTooYoung(RecordRule):
    """A platform that was not in operation for the round's minimum years on the deadline:
    by its stated launch date, else by its operator's date of establishment (a platform cannot
    be older than its operator)."""

    code = "PLATFORM_TOO_YOUNG"
    title = "平台运营年限不足"
    checks = "平台截至申报日正式投入运营满规定年限"
    fatal = True
    config_keys = ("platform_min_years", "deadline")
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record, campaign = ctx.record, ctx.campaign
        if record.kind != "platform":
            return
        latest = shift_years(campaign.deadline, -campaign.platform_min_years)
        years = f"{campaign.platform_min_years:g}年"
        live = launched(record)
        if live is not None:
            day, ex, file = live
            if day > latest:
                yield finding(
                    self.code,
                    self.severity,
                    f"平台于{_iso(day)}上线/投入运营，至申报截止日{_iso(campaign.deadline)}"
                    f"不满{years}（应不晚于{_iso(latest)}）。",
                    record,
                    field="launched",
                    form_value=day,
                    evidence=evidence_of(ex),
                    source=file or None,
                )
            return
        for src in applicant_licences(record):
            found = src.get("established")
            day_est = as_date(found)
            if day_est is None or day_est <= latest:
                continue
            doubt = doubtful(found, campaign, src.method)
            yield finding(
                self.code,
                "warning" if doubt else self.severity,
                f"平台运营主体成立于{_iso(day_est)}（{where(src)}），至申报截止日"
                f"{_iso(campaign.deadline)}不满{years}，平台运营时间不可能满{years}"
                f"{doubt_note(found) if doubt else ''}。",
                record,
                field=f"{src.kind}.established",
                found_value=day_est,
                evidence=evidence_of(found),
                source=src.file,
            )


register(LicenseExpired(), "license_expired")
register(CertExpired(), "cert_expired")
register(PlatformTooYoung(), "platform_too_young")
