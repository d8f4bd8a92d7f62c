"""Independent legal person (both notices: 具有独立法人资格): the applicant's licence must not
be that of an entity without legal personality.

The licence's 类型 (组成形式 on a 个体工商户 licence) is compared with the round's
``[rules.LEGAL_PERSON_INELIGIBLE] ineligible_types`` (个体工商户, 个人独资, 合伙企业, 分公司,
分支机构, 非法人 …). The words are matched as written, so a one-person company
(有限责任公司（自然人独资）) or a company wholly owned by a legal person
(…（非自然人投资或控股的法人独资）) is not caught. A 事业单位法人证书 is a legal person.

Precision first: an error (fatal) only for a type read from a typed or confidently read
licence of the applicant; a type OCR read with low confidence, a licence whose name does not
match the applicant, or no readable type but a name ending in 分公司 / 办事处 … are warnings.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.campaign import LegalPersonConfig
from models.findings import Finding, Severity
from models.values import names_equal, normalise_name
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.identity import (
    RecordRule,
    Source,
    applicant_fields,
    licence_type,
    sources,
    text,
    where,
)
from validators.ocr_noise import doubt_note, doubtful


def ineligible_word(company_type: str, config: LegalPersonConfig) -> str | None:
    """The first ineligible word in a licence's 类型, or None."""
    folded = normalise_name(company_type) or company_type
    for word in config.ineligible_types:
        if word and (word in company_type or normalise_name(word) in folded):
            return word
    return None


def branch_ending(name: str, config: LegalPersonConfig) -> str | None:
    """The branch ending (分公司, 办事处 …) the name ends with, or None."""
    stripped = normalise_name(name)
    for ending in config.branch_name_endings:
        if ending and stripped.endswith(normalise_name(ending)):
            return ending
    return None


class LegalPersonIneligible(RecordRule):
    """The applicant's business licence shows an entity without independent legal personality."""

    code = "LEGAL_PERSON_INELIGIBLE"
    title = "不具有独立法人资格"
    checks = "申报主体营业执照类型不是个体工商户、个人独资企业、合伙企业、分公司等非法人主体"
    severity: Severity = "error"
    fatal = True
    config_keys = (
        "rules.LEGAL_PERSON_INELIGIBLE.ineligible_types",
        "rules.LEGAL_PERSON_INELIGIBLE.branch_name_endings",
        "rules.LEGAL_PERSON_INELIGIBLE.kinds",
    )

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        config = ctx.campaign.rules.LEGAL_PERSON_INELIGIBLE
        record = ctx.record
        if record.kind is None or record.kind not in config.kinds:
            return
        names = [text(ex) for _, ex in applicant_fields(record)] or [record.applicant or ""]
        ltype = licence_type(record)
        licences = sources(record, "business_license")
        for src in licences:
            own = any(names_equal(name, text(src.get("name")), ltype) for name in names if name)
            if not own and len(licences) > 1:
                continue  # a project may attach its client's licence too
            yield from self._judge(ctx, src, config, own)

    def _judge(self, ctx: RecordContext, src: Source, config: LegalPersonConfig, own: bool) -> Iterator[Finding]:
        record = ctx.record
        kind_ex = src.get("type")
        name_ex = src.get("name")
        variant = text(src.get("variant"))
        word = ineligible_word(text(kind_ex), config) if kind_ex is not None else None
        if word is None and variant == "individual" and "个体工商户" in config.ineligible_types:
            word = "个体工商户"
        if word is not None:
            doubt = doubtful(kind_ex, ctx.campaign, src.method)
            severity: Severity = "warning" if doubt or not own else self.severity
            shown = text(kind_ex) or "个体工商户营业执照"
            note = doubt_note(kind_ex) if doubt else ""
            if not own:
                note += "（该执照名称与申报单位不一致，请核对是否为申报主体的执照）"
            yield finding(
                self.code,
                severity,
                f"{where(src)}上的类型为“{shown}”（{word}），不具有独立法人资格，不符合申报主体条件{note}。",
                record,
                field=f"{src.kind}.type",
                found_value=shown,
                evidence=evidence_of(kind_ex, name_ex),
                source=src.file,
            )
            return
        name = text(name_ex)
        ending = branch_ending(name, config) if name else None
        if ending is not None and (kind_ex is None or not text(kind_ex)):
            yield finding(
                self.code,
                "warning",
                f"{where(src)}上的名称“{name}”以“{ending}”结尾，可能为分支机构，未能读出执照类型，"
                "请核对申报主体是否具有独立法人资格。",
                record,
                field=f"{src.kind}.name",
                found_value=name,
                evidence=evidence_of(name_ex),
                source=src.file,
            )


register(LegalPersonIneligible(), "legal_person_ineligible")
