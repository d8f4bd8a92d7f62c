"""Building one Record from a submission's read files."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from intake.reading import FileResult
from models.fields import Extracted, FieldMap
from models.forms import FORM_TYPES, FormType
from models.identity import COVER_KEY, applicant_keys, relative_source, submission_folder
from models.records import Record, Submission, choose_form

__all__ = ["applicant_name", "build_record", "choose_form"]


def _text(fields: FieldMap, key: str) -> str | None:
    value: Extracted[Any] | None = fields.get(key)
    if value is None or value.value is None:
        return None
    text = str(value.value).strip()
    return text or None


def applicant_name(kind: FormType | None, form: FieldMap, cover: FieldMap) -> str | None:
    """申报单位 as written: the enterprise or city name, a project's 实施单位, a platform's
    运营主体 (the keys the rules judge the applicant by, ``models.identity.applicant_keys``);
    the cover's 申报单位 where the form does not say."""
    for key in applicant_keys(kind):
        if value := _text(form, key):
            return value
    return _text(cover, COVER_KEY)


def build_record(submission: Submission, results: dict[str, FileResult], campaign_id: str) -> Record:
    """The record of one submission: its documents (the form and attachments are views of
    them, ``models.records.Record``), the applicant it is known by and the readers' findings."""
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
    applicant = applicant_name(kind, form_fields, cover)
    if applicant is None:
        licence = next((d for d in docs if d.kind == "business_license"), None)
        applicant = _text(licence.fields, "name") if licence else None
    # a reading finding's source rebased as the runner rebases the rules' (stable finding ids)
    folder = submission_folder(submission.path, submission.files)
    findings = [
        f.model_copy(update={"submission_id": submission.id, "source": relative_source(f.source, folder)})
        for rel in submission.files
        for f in results[rel].findings
    ]
    return Record(
        submission_id=submission.id,
        path=submission.path,
        kind=kind,
        applicant=applicant or PurePosixPath(submission.path.rstrip("*")).name or None,
        recommender=submission.recommender or _text(cover, "recommender"),
        campaign=campaign_id,
        form_file=form_doc.file if form_doc else None,
        cover=cover,
        documents=docs,
        files=[results[rel].entry for rel in submission.files],
        findings=findings,
    )
