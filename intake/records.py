"""Building one Record from a submission's read files."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from intake.reading import FileResult
from models.fields import Extracted, FieldMap
from models.forms import FORM_TYPES, FormType, form_from_fields
from models.records import FORM_KINDS, Attachment, ExtractedDocument, Record, Submission

_METHOD_RANK = {"docx": 3, "pdf-text": 2, "xlsx": 2, "ocr": 1}


def _filled(fields: FieldMap) -> int:
    return sum(1 for v in fields.values() if v.value is not None)


def _text(fields: FieldMap, key: str) -> str | None:
    value: Extracted[Any] | None = fields.get(key)
    if value is None or value.value is None:
        return None
    text = str(value.value).strip()
    return text or None


def choose_form(docs: list[ExtractedDocument]) -> ExtractedDocument | None:
    """The form to check when a submission has several (a .docx and its PDF twin): the
    fullest one, digital before OCR."""
    forms = [d for d in docs if d.kind == "application_form"]
    if not forms:
        return None
    return max(forms, key=lambda d: (_filled(d.fields), _METHOD_RANK.get(d.method or "", 0)))


def applicant_name(kind: FormType | None, form: FieldMap, cover: FieldMap) -> str | None:
    """申报单位 as written: the enterprise or city name, a project's 实施单位, a platform's
    运营主体; the cover's 申报单位 where the form does not say."""
    keys = {
        "enterprise": ["name"],
        "project": ["contractor", "client"],
        "platform": ["operator"],
        "city": ["name"],
    }.get(kind or "", ["name"])
    for key in keys:
        if value := _text(form, key):
            return value
    return _text(cover, "applicant")


def build_record(submission: Submission, results: dict[str, FileResult], campaign_id: str) -> Record:
    docs = [doc for rel in submission.files for doc in results[rel].documents]
    form_doc = choose_form(docs)
    cover_doc = next((d for d in docs if d.kind == "cover"), None)
    cover = cover_doc.fields if cover_doc else {}
    kind: FormType | None = form_doc.form_type if form_doc else None
    if kind is None:
        declared = _text(cover, "declared_kind")
        if declared in FORM_TYPES:
            kind = declared  # type: ignore[assignment]
    if kind is None:
        kind = next((d.form_type for d in docs if d.form_type), None)
    form_fields = form_doc.fields if form_doc else {}
    form = form_from_fields(kind, form_fields) if form_doc and kind else None
    attachments = [
        Attachment(kind=d.kind, file=d.file, pages=d.pages, fields=d.fields, confidence=d.confidence)
        for d in docs
        if d.kind not in FORM_KINDS
    ]
    applicant = applicant_name(kind, form_fields, cover)
    if applicant is None:
        licence = next((a for a in attachments if a.kind == "business_license"), None)
        applicant = _text(licence.fields, "name") if licence else None
    findings = [
        f.model_copy(update={"submission_id": submission.id}) for rel in submission.files for f in results[rel].findings
    ]
    return Record(
        submission_id=submission.id,
        path=submission.path,
        kind=kind,
        applicant=applicant or PurePosixPath(submission.path.rstrip("*")).name or None,
        recommender=submission.recommender or _text(cover, "recommender"),
        campaign=campaign_id,
        form=form,  # type: ignore[arg-type]
        form_fields=form_fields,
        form_file=form_doc.file if form_doc else None,
        cover=cover,
        attachments=attachments,
        documents=docs,
        files=[results[rel].entry for rel in submission.files],
        findings=findings,
    )
