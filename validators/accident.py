"""No major quality, environmental or safety accident since the round's cut-off (both notices).

Documents cannot prove a negative: what a book can show is the applicant's 真实性承诺 (填报单位
意见及真实性承诺 … 申报单位（章） 负责人（签章）), present, signed and sealed. So the rule
lists the condition as a reviewer item (info) on every book of the kinds it applies to,
quoting the notice's condition and ``accident_cutoff`` and pointing at the commitment page
with what was seen there (seal found, not found, or not visible in an electronic copy). No
commitment block found in a book whose form was read is a warning: the only document that
speaks to the condition is missing. A missing seal at the block is SEAL_MISSING's finding;
this one only says what was seen. Signatures are not detected: the item asks the reviewer to
look at 负责人（签章）.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.fields import Evidence
from models.findings import Finding, Severity
from models.records import Record, SealSlot
from validators.base import RecordContext, register
from validators.common import finding as make
from validators.common import fmt
from validators.identity import RecordRule


def commitment_slots(record: Record) -> list[tuple[str, SealSlot]]:
    """(file, slot) of every applicant seal slot on the record's commitment pages."""
    return [
        (doc.file, slot)
        for doc in record.documents
        if doc.kind == "commitment"
        for slot in doc.seal_slots
        if slot.role == "applicant"
    ]


def _seen(slot: SealSlot) -> str:
    if not slot.checkable:
        return "电子版无法显示印章，请核对纸质件的申报单位公章"
    if slot.seal is None:
        return "该处未见申报单位印章"
    return "该处见有申报单位印章"


class AccidentCommitment(RecordRule):
    """The accident condition as a reviewer item, with the commitment that vouches for it."""

    code = "ACCIDENT_COMMITMENT"
    title = "无重大事故条件待核实"
    checks = "申报主体自规定日期以来未发生重大质量、环保或安全事故：核对真实性承诺已填写、签字并盖章"
    severity: Severity = "info"
    config_keys = ("accident_cutoff", "rules.ACCIDENT_COMMITMENT.condition", "rules.ACCIDENT_COMMITMENT.kinds")

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        config = ctx.campaign.rules.ACCIDENT_COMMITMENT
        record = ctx.record
        if record.form is None or record.kind is None or record.kind not in config.kinds:
            return
        cutoff = ctx.campaign.accident_cutoff
        since = f"{fmt(cutoff)}以后" if cutoff is not None else ""
        condition = config.condition or f"{since}未发生重大质量、环保或安全事故"
        slots = commitment_slots(record)
        if not slots:
            yield make(
                self.code,
                "warning",
                f"申报书中未找到“填报单位意见及真实性承诺”（申报单位盖章处）。通知要求申报主体{condition}，"
                "申报材料中只能以申报单位的真实性承诺体现，请核对承诺是否填写、签字并盖章。",
                record,
                field="commitment.applicant",
                found_value="未找到真实性承诺",
            )
            return
        file, slot = slots[0]
        at = f"第{slot.page}页" if slot.page is not None else ""
        yield make(
            self.code,
            self.severity,
            f"请核实：申报主体{condition}（申报材料只能以真实性承诺体现）。真实性承诺见{file}{at}，"
            f"{_seen(slot)}；负责人（签章）请人工核对。",
            record,
            field="commitment.applicant",
            found_value="见有印章" if slot.seal is not None else "未见印章",
            evidence=[Evidence(file=file, page=slot.page, bbox=slot.bbox, text=slot.label)],
            source=file,
        )


register(AccidentCommitment(), "accident_commitment")
