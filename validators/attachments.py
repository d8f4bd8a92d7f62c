"""Required attachments per the round's config (``campaign.attachments[kind]``).

An attachment rule is met by a document of its kind or of one of its ``satisfied_by`` kinds
(a 事业单位法人证书 for the licence). Presence is decided by the classified kind of every
document of the submission (whole files, and page ranges of a bound book alike), never by file
names. Optional attachments (（如有）) that are absent give no finding; the workbook's 附件核对
sheet shows them.

A missing attachment is an error (it fails the application), unless the submission holds
scanned or photographed pages nothing could recognise (kind "other" read by OCR, or nothing
legible): the attachment may be among them, a blurred or unusual scan OCR could not read, so
the finding is a LOW_CONFIDENCE warning that names those pages and asks a reviewer to look.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.campaign import AttachmentRule
from models.fields import Evidence
from models.findings import Finding, Severity
from models.records import DOC_KIND_LABELS, ExtractedDocument, Record
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


def unrecognised(record: Record) -> list[ExtractedDocument]:
    """Scanned or photographed documents of the record that no extractor recognised (the
    classifier makes an "other" document only of pages that score low everywhere)."""
    return [d for d in record.documents if d.kind == "other" and (d.method == "ocr" or d.low_text)]


def _pages(doc: ExtractedDocument) -> str:
    if not doc.pages:
        return doc.file
    span = f"{doc.pages[0]}" if len(doc.pages) == 1 else f"{doc.pages[0]}–{doc.pages[-1]}"
    return f"{doc.file}第{span}页"


class AttachmentMissing(RecordRule):
    """A required attachment kind of the round that no document of the record satisfies."""

    code = "ATTACHMENT_MISSING"
    title = "缺少附件"
    checks = "申报类型要求的附件齐全"
    fatal = True
    config_keys = ("attachments",)
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        if record.kind is None:
            return  # FORM_NOT_FOUND says it; without a kind we do not know what is required
        unknown = unrecognised(record)
        for rule in ctx.campaign.attachments.get(record.kind, []):
            if not rule.required or attachment_status(record, rule):
                continue
            also = "、".join(DOC_KIND_LABELS.get(k, k) for k in rule.satisfied_by)
            extra = f"（{also}亦可）" if also else ""
            if unknown:
                where = "、".join(_pages(d) for d in unknown[:3]) + ("等" if len(unknown) > 3 else "")
                yield finding(
                    "LOW_CONFIDENCE",
                    "warning",
                    f"未识别出必需附件“{rule.label}”{extra}；{where}为扫描或照片材料，未能识别其类型"
                    "（图像模糊、残缺或版式特殊），可能即为该附件，请对照原件人工核对。",
                    record,
                    field=f"attachments.{rule.kind}",
                    found_value="未识别",
                    evidence=[Evidence(file=d.file, page=d.pages[0] if d.pages else None) for d in unknown],
                    source=rule.kind,
                )
                continue
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
