"""Telling submissions apart: folders per applicant, loose books, files side by side.

The usual tree is RECEIVED/推荐单位/申报单位/files. Folder names are hints; content decides:
a folder holding two applicants' books is split by the books, and every other file joins
the book whose applicant (or file-name stem) it matches best. A recommender's 汇总表 is
not part of any submission.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from intake.reading import FileResult
from models.records import ExtractedDocument, Submission

_RECOMMENDER_HINT = re.compile(r"工信局|工业和信息化局|经信委|经信局|管委会|小企业局|推荐单位|工信委")


@dataclass
class Grouping:
    submissions: list[Submission] = field(default_factory=list)
    summary_files: list[tuple[str, str | None]] = field(default_factory=list)  # (file, rec.)
    loose: list[str] = field(default_factory=list)  # unread files beside submissions, in no one's


def submission_id(path: str) -> str:
    return "S" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


def _applicant_of(docs: list[ExtractedDocument]) -> str | None:
    for kind in ("application_form", "cover"):
        for doc in docs:
            if doc.kind != kind:
                continue
            for key in ("operator", "contractor", "name", "applicant"):
                if (
                    kind == "application_form"
                    and key == "name"
                    and doc.form_type
                    in (
                        "project",
                        "platform",
                    )
                ):
                    continue
                value = doc.fields.get(key)
                if value is not None and isinstance(value.value, str) and value.value.strip():
                    return value.value.strip()
    return None


def _is_book(result: FileResult) -> bool:
    return any(d.kind == "application_form" for d in result.documents)


def _is_summary(result: FileResult) -> bool:
    kinds = {d.kind for d in result.documents}
    return "summary_table" in kinds and not kinds & {"application_form", "application_body"}


def _stem_key(rel: str) -> str:
    stem = PurePosixPath(rel).stem
    return re.split(r"[-_—－·\s（(]", stem, maxsplit=1)[0]


def _similarity(a: str, b: str) -> int:
    """Length of the longest common prefix of two names, a cheap and explainable match."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _recommender_for(folder: tuple[str, ...], depth_of_submission: int) -> str | None:
    if depth_of_submission >= 2:
        return folder[depth_of_submission - 2]
    return None


def group(results: dict[str, FileResult]) -> Grouping:
    """Group read files (keyed by relative path) into submissions."""
    out = Grouping()
    by_folder: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for rel in sorted(results):
        by_folder[tuple(rel.split("/")[:-1])].append(rel)
    folders = set(by_folder)

    def has_subfolder_files(folder: tuple[str, ...]) -> bool:
        n = len(folder)
        return any(len(f) > n and f[:n] == folder for f in folders)

    for folder, rels in sorted(by_folder.items()):
        summaries = [r for r in rels if _is_summary(results[r])]
        for rel in summaries:
            rec = folder[-1] if folder else None
            out.summary_files.append((rel, rec))
        rest = [r for r in rels if r not in summaries]
        if not rest:
            continue
        books = [r for r in rest if _is_book(results[r])]
        is_recommender_level = has_subfolder_files(folder) or (
            bool(folder) and _RECOMMENDER_HINT.search(folder[-1]) is not None
        )
        recommender = folder[-1] if is_recommender_level and folder else _recommender_for(folder, len(folder))
        applicants = {a for a in (_applicant_of(results[r].documents) for r in books) if a}
        if not is_recommender_level and len(applicants) <= 1:
            path = "/".join(folder) or "."
            out.submissions.append(Submission(id=submission_id(path), path=path, recommender=recommender, files=rest))
            continue
        unread = [r for r in rest if not results[r].documents and r not in books]
        if is_recommender_level and unread:
            # A 报送说明.txt or a broken file lying beside the applicants' folders belongs to
            # no applicant: its finding is reported for the batch, not as a fake submission.
            out.loose.extend(unread)
            rest = [r for r in rest if r not in unread]
            if not rest:
                continue
        out.submissions.extend(_split_loose(rest, books, results, recommender))
    out.submissions.sort(key=lambda s: s.path)
    return out


def _split_loose(
    rels: list[str], books: list[str], results: dict[str, FileResult], recommender: str | None
) -> list[Submission]:
    """Files of several applicants side by side: one submission per book, others attached
    to the book whose applicant name or file-name stem they share the longest prefix with."""
    groups: dict[str, list[str]] = {book: [book] for book in books}
    keys = {book: (_applicant_of(results[book].documents) or "", _stem_key(book)) for book in books}
    orphans: list[str] = []
    for rel in rels:
        if rel in groups:
            continue
        stem = _stem_key(rel)
        names = [
            v.value
            for d in results[rel].documents
            for k, v in d.fields.items()
            if k == "name" and isinstance(v.value, str)
        ]
        best, best_score = None, 1
        for book, (applicant, book_stem) in keys.items():
            score = max(
                _similarity(stem, book_stem),
                _similarity(stem, applicant),
                *(_similarity(n, applicant) for n in names if applicant),
                0,
            )
            if score > best_score:
                best, best_score = book, score
        if best is None:
            orphans.append(rel)
        else:
            groups[best].append(rel)
    subs = [
        Submission(id=submission_id(book), path=book, recommender=recommender, files=files)
        for book, files in groups.items()
    ]
    by_stem: dict[str, list[str]] = defaultdict(list)
    for rel in orphans:
        by_stem[_stem_key(rel)].append(rel)
    for stem, files in by_stem.items():
        folder = "/".join(files[0].split("/")[:-1])
        path = f"{folder}/{stem}*" if folder else f"{stem}*"
        subs.append(Submission(id=submission_id(path), path=path, recommender=recommender, files=files))
    return subs
