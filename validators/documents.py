"""Across documents: what the attachments say about the applicant (issue 10, item 11).

- ``USCC_MISMATCH``: the credit code printed for the applicant differs between its licence, a
  legal-person certificate and the attachments that print one under the applicant's name.
- ``PREMISES_NOT_APPLICANT`` / ``PREMISES_TERM_SHORT``: the 房产证 or 租赁合同 names someone
  else as 承租方/权利人, or the lease ends (or starts) so that it does not cover the deadline.
- ``CONTRACT_NOT_APPLICANT``: no party of the 项目建设合同 is the applicant.
- ``ACCEPTANCE_DATE_INVALID``: the 验收意见 is dated before the contract or after the deadline.
- ``EVALUATION_DUPLICATE`` / ``EVALUATION_NOT_LISTED`` (``validators.evaluations``, which
  shares this module's name matching): two 客户评价 from one customer, or a customer that
  表3's 服务典型企业名单 does not list.
- ``TECH_EVAL_NOT_APPLICANT``: the 技术水平评价证书 names another 完成单位.

Precision first. Parties are read by their role labels (``extractors.attachments.parties``);
where none was read no finding is made. A name that differs from the applicant's only by OCR
noise (confusable characters, two edits, a prefix or suffix run on) counts as the applicant.
A date read by OCR with low confidence softens an error into a warning. A party that is not
the applicant is a warning: a group company may lease the premises or sign the contract, and
the reviewer decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from models.fields import Extracted
from models.findings import Finding, Severity
from models.identity import COVER_KEY
from models.records import Record
from models.values import edit_distance, names_equal, normalise_name, normalise_uscc, uscc_problem
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.dates import as_date
from validators.identity import (
    LICENCE_KINDS,
    RecordRule,
    Source,
    applicant_fields,
    applicant_licences,
    licence_type,
    sources,
    text,
    where,
)
from validators.ocr_noise import doubt_note, doubtful, fold_confusions

Match = Literal["same", "near", "differs"]


def applicant_names(record: Record) -> list[str]:
    """The applicant as the cover and the applicant's licences name it; the form's applicant
    fields only when neither is there (表2 names both parties, and either may apply)."""
    names: list[str] = []
    cover = record.cover.get(COVER_KEY)
    if cover is not None and record.kind != "city":
        names.append(text(cover))
    names += [text(src.get("name")) for src in applicant_licences(record)]
    if not any(normalise_name(n) for n in names):
        names = [text(ex) for _, ex in applicant_fields(record)]
    return [n for n in dict.fromkeys(names) if normalise_name(n)]


def match_name(name: str, candidates: list[str], licence_type: str | None = None) -> Match:
    """Whether ``name`` is one of ``candidates``: ``same`` (equal after normalising),
    ``near`` (OCR confusions, at most two edits in a long name, or one name inside the other:
    a seal note or the next line run on) or ``differs``."""
    mine = normalise_name(name)
    if not mine:
        return "differs"
    best: Match = "differs"
    for other in candidates:
        theirs = normalise_name(other)
        if not theirs:
            continue
        if names_equal(name, other, licence_type):
            return "same"
        if fold_confusions(mine) == fold_confusions(theirs) or (
            min(len(mine), len(theirs)) >= 6 and (edit_distance(mine, theirs) <= 2 or mine in theirs or theirs in mine)
        ):
            best = "near"
    return best


def party_names(src: Source, roles: tuple[str, ...]) -> tuple[list[tuple[str, Extracted[Any]]], bool]:
    """The names ``src`` gives for ``roles`` with their values, and whether they came from
    role labels (else from the document's ``parties``)."""
    found = [(text(ex), ex) for role in roles if (ex := src.get(f"party.{role}")) is not None and text(ex)]
    if found:
        return found, True
    parties = src.get("parties")
    if parties is None or not isinstance(parties.value, list):
        return [], False
    return [(str(name), parties) for name in parties.value if str(name).strip()], False


def _names_someone_else(
    src: Source, roles: tuple[str, ...], applicants: list[str], ltype: str | None
) -> tuple[list[tuple[str, Extracted[Any]]], bool] | None:
    """The parties ``src`` names in ``roles`` when none of them is the applicant; None when one
    is, or none was read."""
    names, labelled = party_names(src, roles)
    if not names or not applicants:
        return None
    # the raw text too: a label may list several units (完成单位：甲公司、乙大学)
    if any(match_name(said, applicants, ltype) != "differs" for name, ex in names for said in (name, ex.raw)):
        return None
    return names, labelled


def _applicant_label(record: Record) -> str:
    names = applicant_names(record)
    return names[0] if names else "申报单位"


class DocumentRule(RecordRule):
    """Shared declaration of this module's rules."""

    fatal = False
    soft_fields: tuple[str, ...] = ()


class _NotApplicant(DocumentRule):
    """A document of ``kind`` whose parties in ``roles`` do not include the applicant."""

    severity: Severity = "warning"
    kind: str = ""
    roles: tuple[str, ...] = ()
    what: str = ""  # how the message names the parties (承租方/权利人)

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        applicants = applicant_names(record)
        ltype = licence_type(record)
        for src in sources(record, self.kind):
            found = _names_someone_else(src, self.roles, applicants, ltype)
            if found is None:
                continue
            names, labelled = found
            if any(doubtful(ex, ctx.campaign, src.method) for _, ex in names):
                continue  # a name read with low confidence: LOW_CONFIDENCE's business, not a mismatch
            listed = "、".join(f"“{name}”" for name, _ in names)
            who = self.what if labelled else "所列单位"
            yield finding(
                self.code,
                self.severity,
                f"{where(src)}{who}为{listed}，未见申报单位“{_applicant_label(record)}”；请核对是否为申报单位的材料。",
                record,
                field=f"{self.kind}.parties",
                form_value=_applicant_label(record),
                found_value="；".join(name for name, _ in names),
                evidence=evidence_of(*(ex for _, ex in names)),
                source=src.file,
            )


class PremisesNotApplicant(_NotApplicant):
    """The 固定的经营服务场所证明 (房产证 or 租赁合同) must be the applicant's: its 承租方 or
    权利人 (else any party read from it) is the applicant."""

    code = "PREMISES_NOT_APPLICANT"
    config_keys = ("rules.PREMISES_NOT_APPLICANT.basis", "rules.PREMISES_NOT_APPLICANT.severity")
    title = "场所证明非申报单位"
    checks = "房产证或租赁合同的承租方/权利人为申报单位"
    kind = "premises_proof"
    roles = ("lessee", "owner")
    what = "承租方/权利人"


class ContractNotApplicant(_NotApplicant):
    """A 项目建设合同 must have the applicant (实施单位 or 委托单位) as a party."""

    code = "CONTRACT_NOT_APPLICANT"
    config_keys = ("rules.CONTRACT_NOT_APPLICANT.basis", "rules.CONTRACT_NOT_APPLICANT.severity")
    title = "合同当事方无申报单位"
    checks = "项目建设合同的甲方或乙方为申报单位"
    kind = "project_contract"
    roles = ("client", "contractor")
    what = "甲方/乙方"


class TechEvalNotApplicant(_NotApplicant):
    """The 技术水平评价证书 (鉴定证书) must name the applicant as 完成单位."""

    code = "TECH_EVAL_NOT_APPLICANT"
    config_keys = ("rules.TECH_EVAL_NOT_APPLICANT.basis", "rules.TECH_EVAL_NOT_APPLICANT.severity")
    title = "评价证书完成单位非申报单位"
    checks = "技术水平评价证书（鉴定证书）的完成单位为申报单位"
    kind = "tech_evaluation_certificate"
    roles = ("holder",)
    what = "完成单位"


def _soften(
    severity: Severity, ctx: RecordContext, src: Source, *values: Extracted[Any] | None
) -> tuple[Severity, str]:
    """The rule's severity, or a warning with the OCR note when a value it relied on is doubtful."""
    for value in values:
        if value is not None and doubtful(value, ctx.campaign, src.method):
            return "warning", doubt_note(value)
    return severity, ""


def _ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class PremisesTermShort(DocumentRule):
    """A lease (a premises proof with 出租方/承租方 or a 租赁 title) must cover the round's
    deadline: its term must not end before it (nor start after it). A 房产证 has no term."""

    code = "PREMISES_TERM_SHORT"
    config_keys = ("rules.PREMISES_TERM_SHORT.basis", "rules.PREMISES_TERM_SHORT.severity")
    title = "租赁期限未覆盖申报截止日"
    checks = "租赁合同的租赁期限覆盖申报截止日期"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        deadline = ctx.campaign.deadline
        for src in sources(ctx.record, "premises_proof"):
            if src.get("party.owner") is not None and src.get("party.lessee") is None:
                continue  # a property certificate
            start_ex, end_ex = src.get("start"), src.get("end")
            start, end = as_date(start_ex), as_date(end_ex)
            if end is not None and end < deadline:
                problem, used = f"租赁期限至{_ymd(end)}止，早于申报截止日{_ymd(deadline)}", end_ex
            elif start is not None and start > deadline:
                problem, used = f"租赁期限自{_ymd(start)}起，晚于申报截止日{_ymd(deadline)}", start_ex
            else:
                continue
            severity, note = _soften(self.severity, ctx, src, used)
            yield finding(
                self.code,
                severity,
                f"{where(src)}{problem}，不能证明截止日时的固定经营服务场所{note}。",
                ctx.record,
                field="premises_proof.end" if used is end_ex else "premises_proof.start",
                form_value=deadline.isoformat(),
                found_value=text(used),
                evidence=evidence_of(used),
                source=src.file,
            )


class AcceptanceDateInvalid(DocumentRule):
    """The 验收意见 comes after the 项目建设合同 (its 签订日期, else the start of its term) and
    before the round's deadline."""

    code = "ACCEPTANCE_DATE_INVALID"
    config_keys = ("rules.ACCEPTANCE_DATE_INVALID.basis", "rules.ACCEPTANCE_DATE_INVALID.severity")
    title = "验收日期不合理"
    checks = "项目验收意见日期晚于合同签订日期、早于申报截止日期"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record, deadline = ctx.record, ctx.campaign.deadline
        signed: list[tuple[dt.date, Source, Extracted[Any]]] = []
        for src in sources(record, "project_contract"):
            ex = src.get("date") or src.get("start")
            day = as_date(ex)
            if day is not None and ex is not None:
                signed.append((day, src, ex))
        for src in sources(record, "acceptance_opinion"):
            ex = src.get("date")
            day = as_date(ex)
            if day is None or ex is None:
                continue
            if day > deadline:
                severity, note = _soften(self.severity, ctx, src, ex)
                yield finding(
                    self.code,
                    severity,
                    f"{where(src)}落款日期{_ymd(day)}晚于申报截止日{_ymd(deadline)}{note}。",
                    record,
                    field="acceptance_opinion.date",
                    form_value=deadline.isoformat(),
                    found_value=text(ex),
                    evidence=evidence_of(ex),
                    source=src.file,
                )
            if signed and all(day < first for first, _, _ in signed):
                first, contract, cex = min(signed, key=lambda item: item[0])
                severity, note = _soften(self.severity, ctx, src, ex)
                if severity == self.severity:
                    severity, note = _soften(self.severity, ctx, contract, cex)
                yield finding(
                    self.code,
                    severity,
                    f"{where(src)}落款日期{_ymd(day)}早于{where(contract)}的日期{_ymd(first)}，"
                    f"验收不应早于合同{note}。",
                    record,
                    field="acceptance_opinion.date",
                    form_value=first.isoformat(),
                    found_value=text(ex),
                    evidence=evidence_of(ex, cex),
                    source=src.file,
                )


class UsccMismatch(DocumentRule):
    """The applicant's credit code is one code: its licence's against a legal-person
    certificate of the same name and against a code printed under the applicant's name on
    another attachment. Only codes with a right check character are compared (a misread
    character is USCC_INVALID's or LOW_CONFIDENCE's business). Against a licence of the same
    name it is an error; against a code placed under a party by layout, a warning."""

    code = "USCC_MISMATCH"
    config_keys = ("rules.USCC_MISMATCH.basis", "rules.USCC_MISMATCH.severity")
    title = "统一社会信用代码不一致"
    checks = "营业执照、证书及其他附件上申报单位的统一社会信用代码一致"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        licences = [
            (src, ex)
            for src in applicant_licences(record)
            if (ex := src.get("uscc")) is not None and uscc_problem(text(ex)) is None
        ]
        if not licences:
            return
        ref_src, ref = licences[0]
        code = normalise_uscc(text(ref))
        applicants, ltype = applicant_names(record), licence_type(record)
        for src, ex in licences[1:]:
            if normalise_uscc(text(ex)) != code and src.kind in LICENCE_KINDS:
                yield self._finding(ctx, ref_src, ref, src, ex, "error")
        for src in sources(record):
            if src.kind in LICENCE_KINDS:
                continue
            for key, ex in src.fields.items():
                if not key.startswith("uscc.") or uscc_problem(text(ex)) is not None:
                    continue
                party = src.get(f"party.{key.removeprefix('uscc.')}")
                if party is None or match_name(text(party), applicants, ltype) == "differs":
                    continue
                if normalise_uscc(text(ex)) != code:
                    yield self._finding(ctx, ref_src, ref, src, ex, "warning")

    def _finding(
        self,
        ctx: RecordContext,
        ref_src: Source,
        ref: Extracted[Any],
        src: Source,
        ex: Extracted[Any],
        severity: Severity,
    ) -> Finding:
        return finding(
            self.code,
            severity,
            f"{where(src)}上申报单位的统一社会信用代码“{text(ex)}”与{where(ref_src)}上的“{text(ref)}”不一致。",
            ctx.record,
            field=f"{src.kind}.uscc",
            form_value=normalise_uscc(text(ref)),
            found_value=normalise_uscc(text(ex)),
            evidence=evidence_of(ref, ex),
            source=src.file,
        )


register(UsccMismatch(), "uscc_mismatch")
register(PremisesNotApplicant(), "premises_not_applicant")
register(PremisesTermShort(), "premises_term_short")
register(ContractNotApplicant(), "contract_not_applicant")
register(AcceptanceDateInvalid(), "acceptance_date_invalid")
register(TechEvalNotApplicant(), "tech_eval_not_applicant")
