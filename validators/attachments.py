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

``attachment_checks`` is the one decision (status and the files and pages satisfying each
attachment); the rule reports it and the workbook renders it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from models.campaign import AttachmentRule, Campaign
from models.fields import Evidence
from models.findings import Finding, Severity
from models.records import DOC_KIND_LABELS, Attachment, ExtractedDocument, Record
from validators.base import RecordContext, register
from validators.common import finding
from validators.identity import RecordRule

AttachmentStatus = Literal["present", "missing", "unsure", "optional_absent"]
"""How one attachment the round asks for stands: found; required and not found; required, not
found, but scans nothing recognised may hold it (LOW_CONFIDENCE); or optional and absent."""


@dataclass(frozen=True)
class AttachmentCheck:
    """The decision on one attachment the round asks of a submission: its status and the
    documents (files and pages) that satisfy it. ``AttachmentMissing`` reports it and the
    workbook's 附件核对 and 总览 render it; neither decides it again."""

    rule: AttachmentRule
    status: AttachmentStatus
    found: tuple[Attachment, ...] = ()
    unknown: tuple[ExtractedDocument, ...] = ()  # the unrecognised scans, when "unsure"

    @property
    def present(self) -> bool:
        return self.status == "present"


def present_kinds(record: Record) -> set[str]:
    """Document kinds found among the record's documents (attachments are views of them)."""
    return {d.kind for d in record.documents}


def unrecognised(record: Record) -> list[ExtractedDocument]:
    """Scanned or photographed documents of the record that no extractor recognised (the
    classifier makes an "other" document only of pages that score low everywhere)."""
    return [d for d in record.documents if d.kind == "other" and (d.method == "ocr" or d.low_text)]


def _found(record: Record, rule: AttachmentRule) -> tuple[Attachment, ...]:
    """The record's documents of the rule's kind or of one that satisfies it, once per file
    and pages (a book's own documents included: a rule may accept one of them)."""
    kinds = {rule.kind, *rule.satisfied_by}
    seen: dict[tuple[str, str, tuple[int, ...]], Attachment] = {}
    for doc in record.documents:
        if doc.kind in kinds:
            key = (doc.kind, doc.file, tuple(doc.pages))
            seen.setdefault(
                key,
                Attachment(kind=doc.kind, file=doc.file, pages=doc.pages, fields=doc.fields, confidence=doc.confidence),
            )
    return tuple(seen.values())


def attachment_checks(record: Record, campaign: Campaign) -> list[AttachmentCheck]:
    """The round's attachment rules for the record's kind, each decided (empty without a kind:
    FORM_NOT_FOUND says it, and what is required is not known)."""
    if record.kind is None:
        return []
    unknown = tuple(unrecognised(record))
    checks = []
    for rule in campaign.attachments.get(record.kind, []):
        found = _found(record, rule)
        if found:
            checks.append(AttachmentCheck(rule, "present", found))
        elif not rule.required:
            checks.append(AttachmentCheck(rule, "optional_absent"))
        else:
            checks.append(AttachmentCheck(rule, "unsure" if unknown else "missing", unknown=unknown))
    return checks


def attachment_status(record: Record, rule: AttachmentRule) -> list[str]:
    """Files that satisfy ``rule`` (empty when it is not met)."""
    return sorted({a.file for a in _found(record, rule)})


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
        for check in attachment_checks(record, ctx.campaign):
            rule = check.rule
            if check.status not in ("missing", "unsure"):
                continue
            also = "、".join(DOC_KIND_LABELS.get(k, k) for k in rule.satisfied_by)
            extra = f"（{also}亦可）" if also else ""
            if check.status == "unsure":
                unknown = check.unknown
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
