"""Submission ids that follow the applicant, not the folder.

Reviewers' notes in review.xlsx (总览 by submission id, 问题清单 by finding id, 误报 marks)
must follow an applicant whose folder is renamed or moved to another recommender between two
runs. So a submission's id is derived from who applies, read from its documents:

1. the credit code (统一社会信用代码, valid by GB 32100) on its licence or legal-person
   certificate, the one whose name is the applicant's (or the only code printed, when no
   applicant name was read);
2. else the applicant's name as the form (else the cover) gives it, normalised
   (``models.values.normalise_name``: 有限公司 = 有限责任公司, brackets, spaces);
3. else, when no identity was read at all, the submission's path (as before).

Two submissions of one applicant (a real duplicate application, which the batch rule
DUPLICATE_SUBMISSION reports) still get distinct ids, deterministically: their files'
contents (sha256) are added to the key, and their paths when even those are the same.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from intake.reading import FileResult
from intake.records import applicant_name, choose_form
from models.fields import FieldMap
from models.forms import FORM_TYPES
from models.identity import COVER_KEY, LICENCE_KINDS
from models.records import ExtractedDocument, Submission
from models.values import names_equal, normalise_name, normalise_uscc, uscc_problem


def path_id(path: str) -> str:
    """The id of a submission known by its path only."""
    return "S" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


def _text(fields: FieldMap, key: str) -> str:
    item = fields.get(key)
    return str(item.value).strip() if item is not None and item.value is not None else ""


def _form_type(docs: list[ExtractedDocument], form: ExtractedDocument | None, cover: FieldMap) -> str | None:
    """The kind of submission as ``intake.records.build_record`` decides it."""
    if form is not None and form.form_type:
        return form.form_type
    declared = _text(cover, "declared_kind")
    if declared in FORM_TYPES:
        return declared
    return next((d.form_type for d in docs if d.form_type), None)


def _credit_code(docs: list[ExtractedDocument], applicant: str | None) -> str | None:
    """The valid credit code of the applicant's licence: the one named like the applicant;
    with no applicant name read, the one code all licences print."""
    codes: list[tuple[str, str]] = []  # (code, name on the licence)
    for doc in docs:
        if doc.kind in LICENCE_KINDS:
            code = _text(doc.fields, "uscc")
            if code and uscc_problem(code) is None:
                codes.append((normalise_uscc(code), _text(doc.fields, "name")))
    licence_type = next((_text(d.fields, "type") for d in docs if d.kind == "business_license"), None)
    if applicant:
        own = sorted({code for code, name in codes if names_equal(applicant, name, licence_type)})
        return own[0] if own else None
    distinct = {code for code, _ in codes}
    return distinct.pop() if len(distinct) == 1 else None


def identity_of(docs: list[ExtractedDocument]) -> str | None:
    """ "uscc:<code>", "name:<normalised name>", or None when the documents name nobody."""
    form = choose_form(docs)
    cover_doc = next((d for d in docs if d.kind == "cover"), None)
    cover = cover_doc.fields if cover_doc else {}
    kind = _form_type(docs, form, cover)
    applicant = applicant_name(kind, form.fields if form else {}, cover)  # type: ignore[arg-type]
    if applicant is None:
        licence = next((d for d in docs if d.kind == "business_license"), None)
        applicant = _text(licence.fields, "name") if licence else None
    code = _credit_code(docs, applicant)
    if code:
        return f"uscc:{code}"
    name = normalise_name(applicant or _text(cover, COVER_KEY))
    return f"name:{name}" if name else None


def _contents(submission: Submission, results: dict[str, FileResult]) -> str:
    """The submission's file contents, independent of their names and folders."""
    return "|".join(sorted(results[rel].entry.sha256 or "" for rel in submission.files))


def _hashed(*parts: str) -> str:
    return "S" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


def stable_ids(submissions: Iterable[Submission], results: dict[str, FileResult]) -> list[Submission]:
    """The submissions with ids from their applicant's identity (see the module's doc)."""
    subs = list(submissions)
    keys: dict[int, str | None] = {}
    for i, sub in enumerate(subs):
        keys[i] = identity_of([doc for rel in sub.files for doc in results[rel].documents])
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, key in keys.items():
        if key is not None:
            by_key[key].append(i)
    ids: dict[int, str] = {i: path_id(sub.path) for i, sub in enumerate(subs) if keys[i] is None}
    for key, members in by_key.items():
        if len(members) == 1:
            ids[members[0]] = _hashed(key)
            continue
        contents = {i: _contents(subs[i], results) for i in members}
        for i in members:
            twins = sum(1 for j in members if contents[j] == contents[i])
            ids[i] = _hashed(key, contents[i]) if twins == 1 else _hashed(key, contents[i], subs[i].path)
    return [sub if ids[i] == sub.id else sub.model_copy(update={"id": ids[i]}) for i, sub in enumerate(subs)]
