"""Required seals (``campaign.seals``): the seal slots the extractors found, and the licence copy.

A slot that asks for a seal (申报单位（章）, 推荐单位意见, 市人民政府) gives a finding when it is
checkable and no seal was found at it. A slot that cannot show seals (text-only source) or a
role with no slot at all gives none: absence of evidence is not reported.

Precision first (a false error costs a reviewer more than a missed warning): the error is
kept for a slot whose page shows no seal at all. A slot whose page shows a seal that no slot
took (stamped over the date line, lower on the page, farther from the label than slot
matching looks) gets a warning to check that it is the right seal; a slot holding only a
possible seal (a scan seal scored under ``SURE_SEAL``: faint, broken, partly red, or a ring on
a black-and-white scan) gets a warning to look at the page.

A round that asks for a 骑缝章 (role ``seam``) expects a slice of it at the edge of the pages
of each scanned application book. Only scans can show it: the pages that show no slice are
listed (a warning: a faint slice can be missed); a digital book says nothing.

The licence copy must bear the applicant's seal. Every printed licence already carries the
registration authority's seal, so a seal whose legend names an authority (市场监督管理局,
工商行政管理局, 行政审批…) or that sits over the 登记机关 / issue date does not count; any other
seal, legible or not, counts (the benefit of the doubt). The check runs only where seals can
be seen (an OCR'd page, or any seal detected on the document) and is a warning: the seal
detector can miss faint stamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from models.document import Seal
from models.fields import Evidence, page_ranges
from models.findings import Finding, Severity
from models.records import BOOK_KINDS, ExtractedDocument, Record, SealSlot, SummaryTable
from validators.base import BatchContext, Declared, RecordContext, register
from validators.common import finding
from validators.identity import RecordRule

AUTHORITY_WORDS = (
    "市场监督管理局",
    "市场监管局",
    "工商行政管理局",
    "工商局",
    "行政审批",
    "登记机关",
    "事业单位登记管理局",
    "编制委员会",
)


def is_authority_seal(seal: Seal, anchors: Sequence[Evidence] = ()) -> bool:
    """A seal whose legend names a registration authority, or one that sits over the licence's
    登记机关 / issue date (``anchors``: their evidence), where the authority stamps."""
    if seal.text and any(word in seal.text for word in AUTHORITY_WORDS):
        return True
    return any(_near(seal, ev) for ev in anchors)


def _near(seal: Seal, ev: Evidence) -> bool:
    """The seal's box, grown by half its size, overlaps the evidence box on the same page."""
    if seal.bbox is None or ev.bbox is None or (ev.page is not None and ev.page != seal.page):
        return False
    box, grow_x, grow_y = seal.bbox, seal.bbox.width / 2, seal.bbox.height / 2
    return not (
        box.x1 + grow_x < ev.bbox.x0
        or ev.bbox.x1 < box.x0 - grow_x
        or box.y1 + grow_y < ev.bbox.y0
        or ev.bbox.y1 < box.y0 - grow_y
    )


SURE_SEAL = 0.6
"""A scan seal scoring under this is only a possible seal (``extractors.ocr.seals.SEAL_SCORE``;
kept apart so rules do not load the image code)."""


def _slot_evidence(doc: ExtractedDocument, slot: SealSlot) -> Evidence:
    return Evidence(file=doc.file, page=slot.page, bbox=slot.bbox, text=slot.label)


def is_weak(seal: Seal) -> bool:
    """A seal found on a scan with little evidence (``score`` under ``SURE_SEAL``)."""
    return seal.source == "image" and seal.score < SURE_SEAL


def missing_slots(record: Record, role: str) -> dict[str, list[Evidence]]:
    """Checkable slots of ``role`` without a seal, as evidence, by file."""
    out: dict[str, list[Evidence]] = {}
    for doc in record.documents:
        for slot in doc.seal_slots:
            if slot.role == role and slot.checkable and slot.seal is None:
                out.setdefault(doc.file, []).append(_slot_evidence(doc, slot))
    return out


def weak_slots(record: Record, role: str) -> dict[str, list[Evidence]]:
    """Checkable slots of ``role`` holding only a possible seal, as evidence (the seal's box), by file."""
    out: dict[str, list[Evidence]] = {}
    for doc in record.documents:
        for slot in doc.seal_slots:
            if slot.role == role and slot.checkable and slot.seal is not None and is_weak(slot.seal):
                ev = Evidence(file=doc.file, page=slot.page, bbox=slot.seal.bbox or slot.bbox, text=slot.label)
                out.setdefault(doc.file, []).append(ev)
    return out


def unclaimed_seals(record: Record, file: str, page: int | None) -> list[Seal]:
    """Whole seals on ``file``'s ``page`` that no seal slot of the record took, sure ones first."""
    if page is None:
        return []
    taken = [slot.seal for doc in record.documents for slot in doc.seal_slots if slot.seal is not None]
    found: list[Seal] = []
    for doc in record.documents:
        if doc.file != file:
            continue
        for seal in doc.seals:
            if seal.page == page and seal.edge is None and seal not in taken and seal not in found:
                found.append(seal)
    return sorted(found, key=lambda seal: -seal.score)


def _licence_seal_state(record: Record, doc: ExtractedDocument) -> bool | None:
    """True: the applicant's seal is on the licence copy; False: it is not; None: cannot tell."""
    slots = [s for s in doc.seal_slots if s.role == "license_copy"]
    if slots:
        if not any(s.checkable for s in slots):
            return None
        return any(s.seal is not None for s in slots)
    pages = set(doc.pages)
    seals = [
        seal
        for other in record.documents
        if other.file == doc.file
        for seal in other.seals
        if (not pages or seal.page in pages) and seal.edge is None
    ]
    if not seals and doc.method != "ocr":
        return None
    anchors = [ev for key in ("authority", "issued") if key in doc.fields for ev in doc.fields[key].evidence]
    return any(not is_authority_seal(seal, anchors) for seal in seals)


def seam_gaps(record: Record) -> dict[str, tuple[list[int], list[int]]]:
    """Scanned application books of two pages or more with pages that show no 骑缝章 slice:
    file → (its pages, the pages without a slice). A page counts as sliced when any document
    read from it holds a slice on it (every document keeps its pages' slices)."""
    pages: dict[str, set[int]] = {}
    books: set[str] = set()
    sliced: dict[str, set[int]] = {}
    for doc in record.documents:
        if doc.method != "ocr":
            continue
        pages.setdefault(doc.file, set()).update(doc.pages)
        if doc.kind in BOOK_KINDS:
            books.add(doc.file)
        sliced.setdefault(doc.file, set()).update(seal.page for seal in doc.seals if seal.edge is not None)
    out: dict[str, tuple[list[int], list[int]]] = {}
    for file in sorted(books):
        missing = sorted(pages[file] - sliced.get(file, set()))
        if len(pages[file]) >= 2 and missing:
            out[file] = (sorted(pages[file]), missing)
    return out


def unsealed_scanned_books(record: Record) -> dict[str, list[int]]:
    """Scanned application books of two pages or more without a 骑缝章 slice on any page:
    file → its pages."""
    return {file: book for file, (book, missing) in seam_gaps(record).items() if book == missing}


def page_list(pages: list[int]) -> str:
    """Pages as a reviewer reads them: 第1–3、7页."""
    return f"第{page_ranges(pages)}页"


def _pages(slots: list[Evidence]) -> str:
    return "、".join(f"第{ev.page}页" for ev in slots if ev.page is not None)


class SealMissing(RecordRule):
    """Required seals of the round that the record's documents do not show."""

    code = "SEAL_MISSING"
    title = "缺少印章"
    checks = "须盖章处（承诺、推荐意见、市政府、执照复印件、骑缝章）见有印章"
    config_keys = ("seals",)
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        for rule in ctx.campaign.seals:
            if record.kind is None or record.kind not in rule.kinds:
                continue
            if rule.role == "license_copy":
                yield from self._licence(record, rule.label)
                continue
            if rule.role == "seam":
                yield from self._seam(record, rule.label)
                continue
            yield from self._slots(record, rule.role, rule.label)

    def _slots(self, record: Record, role: str, label: str) -> Iterator[Finding]:
        """One finding per file (its id is per file and role): an error where a slot's page
        shows no seal; else a warning where the page shows a seal away from the slot, or the
        slot holds only a possible seal."""
        missing, weak = missing_slots(record, role), weak_slots(record, role)
        for file in sorted(set(missing) | set(weak)):
            bare: list[Evidence] = []
            elsewhere: list[Evidence] = []
            for slot in missing.get(file, []):
                seals = unclaimed_seals(record, file, slot.page)
                if seals:
                    elsewhere.append(slot.model_copy(update={"bbox": seals[0].bbox or slot.bbox}))
                else:
                    bare.append(slot)
            unclear = weak.get(file, [])
            if bare:
                message, severity, found = f"{file}{_pages(bare)}“{label}”处未见印章。", self.severity, "未见印章"
                evidence = bare
            elif elsewhere:
                message = f"{file}{_pages(elsewhere)}见有印章，但不在“{label}”处附近；请核对是否为该处应盖的印章。"
                severity, found, evidence = "warning", "印章位置不符", elsewhere + unclear
            else:
                message = (
                    f"{file}{_pages(unclear)}“{label}”处疑似有印章，但印迹不清（浅淡、残缺或黑白扫描），请人工核对。"
                )
                severity, found, evidence = "warning", "印章不清", unclear
            yield finding(
                self.code,
                severity,
                message,
                record,
                field=f"seal.{role}",
                found_value=found,
                evidence=evidence,
                source=file,
            )

    def _seam(self, record: Record, label: str) -> Iterator[Finding]:
        """A warning per scanned book: every page without a slice is listed (a faint slice
        can be missed, so it asks the reviewer to check the paper)."""
        for file, (book, missing) in seam_gaps(record).items():
            if book == missing:
                message = f"申报书扫描件“{file}”（共{len(book)}页）各页边缘均未见骑缝章（{label}）；请核对纸质材料。"
            else:
                message = (
                    f"申报书扫描件“{file}”（共{len(book)}页）中{page_list(missing)}边缘未见骑缝章切片"
                    f"（{label}），其余各页可见；请核对这些页是否漏盖或为后补。"
                )
            yield finding(
                self.code,
                "warning",
                message,
                record,
                field="seal.seam",
                form_value=f"共{len(book)}页",
                found_value="未见骑缝章" if book == missing else f"{page_list(missing)}未见骑缝章",
                evidence=[Evidence(file=file, page=page, text="骑缝章") for page in missing],
                source=file,
            )

    def _licence(self, record: Record, label: str) -> Iterator[Finding]:
        seen: set[str] = set()
        for doc in record.documents:
            if doc.kind != "business_license" or doc.file in seen:
                continue
            seen.add(doc.file)
            if _licence_seal_state(record, doc) is not False:
                continue
            page = doc.pages[0] if doc.pages else None
            at = f"第{page}页" if page is not None else ""
            yield finding(
                self.code,
                "warning",
                f"营业执照复印件（{doc.file}{at}）未见申报单位公章（{label}）；"
                "执照上登记机关的印章不计在内，请人工核对。",
                record,
                field="seal.license_copy",
                found_value="未见申报单位公章",
                evidence=[Evidence(file=doc.file, page=page, text="营业执照")],
                source=doc.file,
            )


class SummarySealMissing(Declared):
    """The recommender's 汇总表 bears its seal at 推荐单位（盖章）. Only a table that can show a
    seal is checked (a PDF or a scan; a spreadsheet or a Word draft cannot), and only where its
    推荐单位（盖章） line was found. An error when the table's pages show no seal at all; a
    warning when a seal is elsewhere on them or only a possible (faint) seal is at the line."""

    code = "SUMMARY_SEAL_MISSING"
    title = "汇总表未盖推荐单位章"
    checks = "推荐单位汇总表（盖章件）在“推荐单位（盖章）”处见有印章"
    severity: Severity = "error"
    scope: Literal["record", "batch"] = "batch"
    config_keys = ("rules.SUMMARY_SEAL_MISSING.basis",)

    def check(self, ctx: RecordContext | BatchContext) -> Iterable[Finding]:
        if not isinstance(ctx, BatchContext):
            return []
        return [item for summary in ctx.summaries if (item := self._summary(summary)) is not None]

    def _summary(self, summary: SummaryTable) -> Finding | None:
        slots = [slot for slot in summary.seal_slots if slot.role == "recommender" and slot.checkable]
        if not slots or any(slot.seal is not None and not is_weak(slot.seal) for slot in slots):
            return None
        who = summary.recommender or "推荐单位"
        slot = slots[0]
        evidence = Evidence(file=summary.file, page=slot.page, bbox=slot.bbox, text=slot.label or "推荐单位（盖章）")
        elsewhere = [seal for seal in summary.seals if seal.edge is None and not is_weak(seal)]
        at = f"第{slot.page}页" if slot.page is not None else ""
        if any(slot.seal is not None for slot in slots):
            severity: Severity = "warning"
            message = f"{who}汇总表（{summary.file}{at}）“推荐单位（盖章）”处疑似有印章，但印迹不清，请人工核对。"
            found = "印章不清"
        elif elsewhere:
            severity, found = "warning", "印章位置不符"
            message = (
                f"{who}汇总表（{summary.file}{at}）见有印章，但不在“推荐单位（盖章）”处附近；请核对是否为推荐单位公章。"
            )
            evidence = evidence.model_copy(update={"bbox": elsewhere[0].bbox or slot.bbox})
        else:
            severity, found = self.severity, "未见印章"
            message = f"{who}汇总表（{summary.file}{at}）“推荐单位（盖章）”处未见推荐单位印章。"
        return finding(
            self.code,
            severity,
            message,
            None,
            field="summary.seal",
            form_value=who,
            found_value=found,
            evidence=[evidence],
            source=summary.file,
        )


register(SealMissing(), "seal_missing")
register(SummarySealMissing(), "summary_seal_missing")
