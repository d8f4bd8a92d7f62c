"""Cross-checks of the form against its attachments and the round: the credit code's
validity, the region of registration, and the low-confidence check of every value the
cross-checks rely on.

The sibling cross-check modules are listed, like this one, in ``validators.registry.MODULES``:
``identity`` (names, legal representative, address), ``dates`` (licence and certificate
terms, platform age), ``documents`` and ``evaluations`` (what the attachments say about the
applicant), ``attachments`` (required attachments) and ``seals`` (required seals).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.campaign import Campaign
from models.fields import Evidence, Extracted
from models.findings import Finding, Severity
from models.identity import COVER_KEY, IDENTITY_KEYS, applicant_keys
from models.records import Record
from models.values import (
    PROVINCES,
    normalise_uscc,
    province_of_address,
    uscc_problem,
    uscc_province,
)
from validators.base import RecordContext, register
from validators.common import evidence_of, finding, latest_year
from validators.identity import (
    DOC_FIELD_LABELS,
    LICENCE_KINDS,
    NAMED_KINDS,
    RecordRule,
    applicant_licences,
    form_field,
    form_label,
    sources,
    text,
    where,
)
from validators.ocr_noise import doubt_note, doubtful


class UsccInvalid(RecordRule):
    """Every credit code read from a licence or certificate: shape and GB 32100 check
    character. The message names the offending character. A code read by OCR with low
    confidence gives a warning: the wrong character is more likely misread than printed."""

    code = "USCC_INVALID"
    title = "统一社会信用代码无效"
    checks = "统一社会信用代码符合GB 32100-2015（位数、校验码）"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        for src in sources(ctx.record, *LICENCE_KINDS):
            found = src.get("uscc")
            if found is None:
                continue
            problem = uscc_problem(text(found))
            if problem is None:
                continue
            doubt = doubtful(found, ctx.campaign, src.method)
            yield finding(
                self.code,
                "warning" if doubt else self.severity,
                f"{where(src)}上的统一社会信用代码“{text(found)}”无效：{problem}{doubt_note(found) if doubt else ''}。",
                ctx.record,
                field=f"{src.kind}.uscc",
                found_value=text(found),
                evidence=evidence_of(found),
                source=src.file,
            )


class RegisteredOutsideRegion(RecordRule):
    """The applicant must be registered in the round's province: the credit code's division
    code (digits 3–4) and a province named at the start of 住所. National rounds skip it."""

    code = "REGISTERED_OUTSIDE_REGION"
    title = "注册地不在本省"
    checks = "申报主体在本省境内注册（信用代码区划码、住所）"
    fatal = True
    config_keys = ("province", "region_code")
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        region = ctx.campaign.region_code
        if region is None:
            return
        province = ctx.campaign.province or PROVINCES.get(region, region)
        for src in applicant_licences(ctx.record):
            uscc, address = src.get("uscc"), src.get("address")
            reasons: list[str] = []
            code_province = uscc_province(text(uscc)) if uscc_problem(text(uscc)) is None else None
            if code_province is not None and code_province != region:
                other = PROVINCES.get(code_province, f"区划码{code_province}")
                reasons.append(
                    f"统一社会信用代码“{normalise_uscc(text(uscc))}”的第3–4位为"
                    f"{code_province}（{other}），不是{province}（{region}）"
                )
            addr_province = province_of_address(text(address))
            if addr_province is not None and addr_province != region:
                reasons.append(f"住所“{text(address)}”位于{PROVINCES[addr_province]}")
            if not reasons:
                continue
            by_code = code_province is not None and code_province != region
            yield finding(
                self.code,
                self.severity,
                f"{where(src)}显示申报主体不在{province}境内注册：" + "；".join(reasons) + "。",
                ctx.record,
                field=f"{src.kind}.{'uscc' if by_code else 'address'}",
                form_value=province,
                found_value=text(uscc) if by_code else text(address),
                evidence=evidence_of(uscc, address),
                source=src.file,
            )


RELIED_ON: dict[str, tuple[str, ...]] = {
    "business_license": ("name", "uscc", "type", "legal_rep", "address", "established", "term_end"),
    "legal_person_certificate": ("name", "uscc", "legal_rep", "address", "valid_until"),
    "high_tech_certificate": ("name", "issued", "valid_until"),
}
"""Attachment fields the cross-checks rely on, per document kind."""

_PATENTS = ("total", "invention", "utility_model", "design")


def relied_form_keys(record: Record, campaign: Campaign) -> list[str]:
    """Form keys whose values the rules compare or test (revenue of the latest year with
    figures, as the service-share rule reads it)."""
    keys = [*applicant_keys(record.kind), "name", *IDENTITY_KEYS]
    latest = latest_year(record, campaign)
    if latest is None and campaign.financial_years:
        latest = max(campaign.financial_years)
    if latest is not None:
        keys += [f"financials.{latest}.revenue", f"financials.{latest}.service_revenue"]
    keys += [f"patents.{k}" for k in _PATENTS]
    keys.append("launched")
    return list(dict.fromkeys(keys))


class LowConfidence(RecordRule):
    """A value a rule relied on that was read (by OCR) with a confidence under the round's
    ``low_confidence``: the reviewer should compare it with the page."""

    code = "LOW_CONFIDENCE"
    title = "识别置信度低"
    checks = "核对所依据的扫描识别值置信度足够"
    config_keys = ("low_confidence",)
    severity: Severity = "warning"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record, limit = ctx.record, ctx.campaign.low_confidence
        # (field, where it was read, label, file, value, read from the form)
        checked: list[tuple[str, str, str, str, Extracted[Any] | None, bool]] = []
        for key in relied_form_keys(record, ctx.campaign):
            label = form_label(key, record)
            checked.append((key, "申报表", label, record.form_file or "", form_field(record, key), True))
        cover = record.cover.get(COVER_KEY)
        checked.append(("cover.applicant", "封面", "申报单位", "", cover, True))
        for src in sources(record, *NAMED_KINDS):
            place = f"{src.label}（{src.file}）"
            for key in RELIED_ON.get(src.kind, ()):
                label = DOC_FIELD_LABELS.get(key, key)
                checked.append((f"{src.kind}.{key}", place, label, src.file, src.get(key), False))
        yield from self._unreadable(ctx)
        for field, place, label, file, ex, on_form in checked:
            if ex is None or ex.blank or ex.confidence >= limit:
                continue
            page = next((ev.page for ev in ex.evidence if ev.page is not None), None)
            file = file or (ex.evidence[0].file if ex.evidence else "")
            at = f"第{page}页" if page is not None else ""
            raw = ex.raw.strip()
            yield finding(
                self.code,
                self.severity,
                f"{place}{at}“{label}”识别为“{raw}”，置信度{ex.confidence:.2f}（低于{limit:.2f}），请对照原件核对。",
                record,
                field=field,
                form_value=raw if on_form else None,
                found_value=None if on_form else raw,
                evidence=evidence_of(ex),
                source=file or None,
            )

    def _unreadable(self, ctx: RecordContext) -> Iterator[Finding]:
        """A licence or certificate that was recognised (by its title) but of whose relied-on
        fields OCR could read none: confidence nil, so every check on it was skipped
        silently; the reviewer must read the page instead (a blurred phone photo)."""
        for src in sources(ctx.record, *RELIED_ON):
            if any(src.get(key) is not None for key in RELIED_ON[src.kind]):
                continue
            labels = "、".join(DOC_FIELD_LABELS.get(key, key) for key in RELIED_ON[src.kind][:4])
            page = src.pages[0] if src.pages else None
            at = f"第{page}页" if page is not None else ""
            yield finding(
                self.code,
                self.severity,
                f"{src.label}（{src.file}）{at}未能识别出{labels}等内容（图像模糊或残缺），"
                "相关核对均未进行，请对照原件人工核对。",
                ctx.record,
                field=src.kind,
                evidence=[Evidence(file=src.file, page=page)],
                source=src.file,
            )


def applicant_uscc(record: Record) -> str | None:
    """The first valid credit code on the applicant's licence or legal-person certificate."""
    for src in applicant_licences(record):
        code = text(src.get("uscc"))
        if code and uscc_problem(code) is None:
            return normalise_uscc(code)
    return None


register(UsccInvalid(), "uscc_invalid")
register(RegisteredOutsideRegion(), "registered_outside_region")
register(LowConfidence(), "low_confidence")
