"""A 汇总表 row's contact, phone and e-mail against the application form's.

Equal is equal after the notation is set aside (case and spaces in addresses, area-code dashes
and +86 in numbers, spaces and middle dots in names). Where either side may have been read by
OCR, a difference made of known OCR confusions is none, and one of at most two edits on a long
value is "unsure": a LOW_CONFIDENCE warning quoting both, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from models.fields import Extracted
from models.findings import Finding
from models.forms import FORM_TITLES
from models.records import FORM_KIND_LABELS, Record, SummaryRow, SummaryTable
from models.values import normalise_person, phone_numbers, phones_match
from validators.common import evidence_of, finding
from validators.identity import form_field, text
from validators.ocr_noise import Judgement, fold_confusions, fold_email, near, read_by_ocr
from validators.summary_pairing import row_evidence, summary_maybe_ocr


def _emails(cell: str) -> list[str]:
    return [part for part in re.split(r"[;；/／、]", cell) if part.strip()]


def _email_key(address: str) -> str:
    """Addresses hold no spaces and ignore case: a gap a PDF or OCR put inside one is not a
    difference."""
    return "".join(address.split()).casefold()


def _same_email(a: str, b: str) -> bool:
    return any(_email_key(x) == _email_key(y) for x in _emails(a) for y in _emails(b))


def _same_person(a: str, b: str) -> bool:
    return normalise_person(a) == normalise_person(b)


def judge_email(listed: str, mine: str, ocr: bool) -> Judgement:
    """Same address (case and spaces ignored); with OCR on either side, the same once the known
    OCR noise is folded (``ocr_noise.fold_email``), or unsure when at most two edits apart."""
    if _same_email(listed, mine):
        return "same"
    if not ocr:
        return "differs"
    pairs = [(fold_email(x), fold_email(y)) for x in _emails(listed) for y in _emails(mine)]
    if any(x == y for x, y in pairs):
        return "same"
    return "unsure" if any(near(x, y) for x, y in pairs) else "differs"


def judge_phone(listed: str, mine: str, ocr: bool) -> Judgement:
    """Any number of one cell equal to any of the other (digits only: area-code dashes, +86,
    spaces dropped; look-alike letters read as digits); with OCR, unsure when two numbers of
    7+ digits are at most two edits apart."""
    if phones_match(listed, mine):
        return "same"
    if ocr and any(near(x, y, min_length=7) for x in phone_numbers(listed) for y in phone_numbers(mine)):
        return "unsure"
    return "differs"


def judge_person(listed: str, mine: str, ocr: bool) -> Judgement:
    """Same person name (spaces, middle dots ignored); with OCR, after folding confusions."""
    if _same_person(listed, mine):
        return "same"
    if ocr and _same_person(fold_confusions(listed), fold_confusions(mine)):
        return "same"
    return "differs"


CONTACT_CHECKS = (
    # (row attribute, form keys any of which may agree, label, judgement)
    ("contact", ("contact",), "联系人", judge_person),
    ("phone", ("phone", "mobile"), "联系电话/手机", judge_phone),
    ("email", ("email",), "电子邮箱", judge_email),
)


def _cell_texts(ex: Extracted[Any]) -> list[str]:
    """The form's value and, when it differs, its raw cell (a phone cell's second number)."""
    return list(dict.fromkeys(t for t in (text(ex), ex.raw.strip()) if t))


def contact_findings(row: SummaryRow, record: Record, summary: SummaryTable, threshold: float) -> Iterator[Finding]:
    """SUMMARY_MISMATCH (or LOW_CONFIDENCE) warnings for a paired row's contact, phone, e-mail
    and kind that differ from the form's."""
    row_ocr = summary_maybe_ocr(row)
    for attr, keys, label, judge in CONTACT_CHECKS:
        listed = getattr(row, attr)
        mine = [ex for key in keys if (ex := form_field(record, key)) is not None and text(ex)]
        if not listed or not mine:
            continue
        ocr = row_ocr or any(read_by_ocr(ex) for ex in mine)
        verdicts = [judge(listed, cell, ocr) for ex in mine for cell in _cell_texts(ex)]
        if "same" in verdicts:
            continue
        low = [ex.confidence for ex in mine if read_by_ocr(ex) and ex.confidence < threshold]
        shown = "／".join(text(ex) for ex in mine)
        evidence = [*evidence_of(*mine), row_evidence(row)]
        if "unsure" in verdicts or low:
            code = "LOW_CONFIDENCE"
            message = f"汇总表{label}“{listed}”与申报表{label}“{shown}”略有差异，可能来自扫描识别误差，请对照原件核对。"
        else:
            code, message = "SUMMARY_MISMATCH", f"汇总表{label}“{listed}”与申报表{label}“{shown}”不一致。"
        yield finding(
            code,
            "warning",
            message,
            record,
            field=f"summary.{attr}",
            form_value=shown,
            found_value=listed,
            evidence=evidence,
            source=summary.file,
        )
    if record.kind is not None and row.kind != record.kind:
        yield finding(
            "SUMMARY_MISMATCH",
            "warning",
            f"汇总表将本申报列为{FORM_KIND_LABELS[row.kind]}，申报表为{FORM_TITLES[record.kind]}。",
            record,
            field="summary.kind",
            form_value=record.kind,
            found_value=row.kind,
            evidence=[row_evidence(row)],
            source=summary.file,
        )
