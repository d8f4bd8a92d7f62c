"""Required attachments per the round's config (``campaign.attachments[kind]``).

An attachment rule is met by a document of its kind or of one of its ``satisfied_by`` kinds
(a 事业单位法人证书 for the licence). Optional attachments (（如有）) that are absent give no
finding; the workbook's 附件核对 sheet shows them.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.campaign import AttachmentRule
from models.findings import Finding, Severity
from models.records import DOC_KIND_LABELS, Record
from validators.base import RecordContext, register
from validators.common import finding
from validators.identity import RecordRule


def present_kinds(record: Record) -> set[str]:
    """Document kinds found among the record's attachments and extracted documents."""
    return {a.kind for a in record.attachments} | {d.kind for d in record.documents}


def attachment_status(record: Record, rule: AttachmentRule) -> list[str]:
    """Files that satisfy ``rule`` (empty when it is not met)."""
    kinds = {rule.kind, *rule.satisfied_by}
    files = {a.file for a in record.attachments if a.kind in kinds}
    return sorted(files | {d.file for d in record.documents if d.kind in kinds})


class AttachmentMissing(RecordRule):
    """A required attachment kind of the round that no document of the record satisfies."""

    code = "ATTACHMENT_MISSING"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        if record.kind is None:
            return  # FORM_NOT_FOUND says it; without a kind we do not know what is required
        for rule in ctx.campaign.attachments.get(record.kind, []):
            if not rule.required or attachment_status(record, rule):
                continue
            also = "、".join(DOC_KIND_LABELS.get(k, k) for k in rule.satisfied_by)
            extra = f"（{also}亦可）" if also else ""
            yield finding(
                self.code,
                self.severity,
                f"未找到必需附件“{rule.label}”{extra}。",
                record,
                field=f"attachments.{rule.kind}",
                found_value="缺失",
                source=rule.kind,
            )


register(AttachmentMissing(), "attachment_missing")
