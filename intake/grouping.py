"""Telling submissions apart: folders per applicant, loose books, files side by side.

The usual tree is RECEIVED/推荐单位/申报单位/files. Folder names are hints; content decides.

- A *container* folder (a recommender's, or any folder that plainly holds several
  applicants) gives no submission of its own: its sub-folders are read one by one, and the
  files lying loose in it are split by their books and file names.
- Any other folder holding files is an *applicant folder*: its files and everything in its
  sub-folders (附件/, 扫描件/, …) make one submission, also when no application form could be
  read there (the record then says FORM_NOT_FOUND). A sub-folder stays apart only when
  content proves it is someone else's: its forms name another applicant than the folder's
  own forms, it holds several applicants, a 汇总表, or its name is a recommender's.

Submission ids follow the applicant (its credit code, else its name), not the folder, so a
renamed or moved folder keeps its reviewer notes (``intake.submission_ids``).

A recommender's 汇总表 is not part of any submission. An unreadable file lying loose in a
container joins the applicant whose file names it shares; matching nobody, it is reported
for the batch (``Grouping.loose``), not as a fake submission.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from intake.reading import FileResult
from intake.submission_ids import path_id, stable_ids
from models.identity import COVER_KEY, applicant_keys
from models.records import ExtractedDocument, Submission

_RECOMMENDER_HINT = re.compile(r"工信局|工业和信息化局|经信委|经信局|管委会|小企业局|推荐单位|工信委")
# A folder named like an organisation or a candidate (公司, 平台, 项目, 示范城市 …).
_APPLICANT_NAME = re.compile(r"公司|集团|平台|项目|中心|研究院|研究所|学院|大学|协会|厂|人民政府|示范城市|[市区县]$")
# A folder named like a part of one application (附件/, 扫描件/, 正文/ …).
_PART_NAME = re.compile(
    r"附件|附表|佐证|证明|支撑|证书|材料|扫描|图片|照片|复印件|正文|申报书|申报表|资质|合同|执照|"
    r"attach|scan|image|img|photo|pic|appendix",
    re.IGNORECASE,
)

Folder = tuple[str, ...]


@dataclass
class Grouping:
    submissions: list[Submission] = field(default_factory=list)
    summary_files: list[tuple[str, str | None]] = field(default_factory=list)  # (file, rec.)
    loose: list[str] = field(default_factory=list)  # unread files beside submissions, in no one's


def submission_id(path: str) -> str:
    """A provisional id from the path; ``group`` replaces it by the applicant's (``stable_ids``)."""
    return path_id(path)


def _applicant_of(docs: list[ExtractedDocument]) -> str | None:
    """The applicant an application form (else a cover) names: a project's 实施单位, a
    platform's 运营主体, an enterprise's or city's name."""
    for kind in ("application_form", "cover"):
        for doc in docs:
            if doc.kind != kind:
                continue
            # the form's most specific applicant key (a project's 实施单位, not its 委托单位)
            for key in applicant_keys(doc.form_type)[:1] if kind == "application_form" else (COVER_KEY,):
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


def _recommender_for(folder: Folder, depth_of_submission: int) -> str | None:
    if depth_of_submission >= 2:
        return folder[depth_of_submission - 2]
    return None


def _is_part_name(name: str) -> bool:
    """附件/, 扫描件/, 证明材料/ … : a part of one application, not an applicant of its own
    ("长治潞安智能装备有限公司 申报材料" names an applicant)."""
    return _PART_NAME.search(name) is not None and _APPLICANT_NAME.search(name) is None


def _is_applicant_name(name: str) -> bool:
    return _APPLICANT_NAME.search(name) is not None and not _RECOMMENDER_HINT.search(name)


class _Tree:
    """The received folder as folders → own files, with the facts grouping asks of them."""

    def __init__(self, results: dict[str, FileResult]) -> None:
        self.results = results
        self.own: dict[Folder, list[str]] = defaultdict(list)
        self.summaries: dict[Folder, list[str]] = defaultdict(list)
        self.children: dict[Folder, set[Folder]] = defaultdict(set)
        for rel in sorted(results):
            folder = tuple(rel.split("/")[:-1])
            (self.summaries if _is_summary(results[rel]) else self.own)[folder].append(rel)
            for i in range(len(folder)):
                self.children[folder[:i]].add(folder[: i + 1])

    def kids(self, folder: Folder) -> list[Folder]:
        return sorted(self.children.get(folder, ()))

    def subtree(self, folder: Folder) -> list[str]:
        """Every non-summary file in ``folder`` and below it."""
        n = len(folder)
        return sorted(r for f, rels in self.own.items() if f[:n] == folder for r in rels)

    def applicants(self, rels: list[str]) -> set[str]:
        return {a for r in rels if _is_book(self.results[r]) for a in [_applicant_of(self.results[r].documents)] if a}

    def has_summary_below(self, folder: Folder) -> bool:
        n = len(folder)
        return any(f[:n] == folder and rels for f, rels in self.summaries.items())

    def is_container(self, folder: Folder) -> bool:
        """A folder that holds applicants rather than being one: a recommender's name or
        汇总表, several applicants' forms among its own files, several sub-folders named like
        applicants, or no files of its own beside sub-folders that are not parts of one."""
        if folder and _RECOMMENDER_HINT.search(folder[-1]):
            return True
        if self.summaries.get(folder) or len(self.applicants(self.own.get(folder, []))) >= 2:
            return True
        kids = self.kids(folder)
        if sum(1 for k in kids if _is_applicant_name(k[-1])) >= 2:
            return True
        return bool(kids) and not self.own.get(folder) and not all(_is_part_name(k[-1]) for k in kids)

    def joins(self, folder: Folder, kid: Folder) -> bool:
        """Whether sub-folder ``kid`` belongs to applicant folder ``folder``: yes, unless
        content (or a recommender's name) proves it is another applicant's or several."""
        if _RECOMMENDER_HINT.search(kid[-1]) or self.has_summary_below(kid):
            return False
        below = self.applicants(self.subtree(kid))
        if len(below) >= 2:
            return False
        if sum(1 for k in self.kids(kid) if _is_applicant_name(k[-1])) >= 2:
            return False
        mine = self.applicants(self.own.get(folder, []))
        return not (mine and below and not mine & below)


def group(results: dict[str, FileResult]) -> Grouping:
    """Group read files (keyed by relative path) into submissions."""
    out = Grouping()
    tree = _Tree(results)
    for folder, rels in sorted(tree.summaries.items()):
        for rel in rels:
            out.summary_files.append((rel, folder[-1] if folder else None))
    _visit(tree, (), out)
    out.submissions = sorted(stable_ids(out.submissions, results), key=lambda s: s.path)
    return out


def _visit(tree: _Tree, folder: Folder, out: Grouping) -> None:
    """Make the submissions of ``folder``: its own (and its joined sub-folders') when it is an
    applicant folder; its loose files split by content when it is a container; then the
    sub-folders that stand apart."""
    kids = tree.kids(folder)
    if tree.is_container(folder):
        _container_files(tree, folder, out)
        for kid in kids:
            _visit(tree, kid, out)
        return
    joined = [k for k in kids if tree.joins(folder, k)]
    rels = sorted([*tree.own.get(folder, []), *(r for k in joined for r in tree.subtree(k))])
    if rels:
        recommender = _recommender_for(folder, len(folder))
        if len(tree.applicants(rels)) <= 1:
            path = "/".join(folder) or "."
            out.submissions.append(Submission(id=submission_id(path), path=path, recommender=recommender, files=rels))
        else:
            books = [r for r in rels if _is_book(tree.results[r])]
            out.submissions.extend(_split_loose(rels, books, tree.results, recommender))
    for kid in kids:
        if kid not in joined:
            _visit(tree, kid, out)


def _container_files(tree: _Tree, folder: Folder, out: Grouping) -> None:
    """Files lying loose in a container: split by book and name. An unread file (a
    报送说明.txt, a broken scan) joins an applicant whose file names it shares; otherwise it
    belongs to no applicant and is reported for the batch."""
    rels = tree.own.get(folder, [])
    named = bool(folder) and bool(
        _RECOMMENDER_HINT.search(folder[-1]) or tree.summaries.get(folder) or tree.kids(folder)
    )
    recommender = folder[-1] if named else _recommender_for(folder, len(folder))
    books = [r for r in rels if _is_book(tree.results[r])]
    for sub in _split_loose(rels, books, tree.results, recommender):
        if all(not tree.results[r].documents for r in sub.files):
            out.loose.extend(sub.files)
        else:
            out.submissions.append(sub)


def _names_in(docs: list[ExtractedDocument]) -> tuple[list[str], list[str]]:
    """Who a file is about: the names it prints as its holder (a licence's or certificate's
    名称), and the parties of a contract, evaluation or proof (甲方, 乙方, 评价单位 …)."""
    names: list[str] = []
    parties: list[str] = []
    for doc in docs:
        for key, item in doc.fields.items():
            if key in ("name", "applicant") and isinstance(item.value, str):
                names.append(item.value)
            elif key == "parties" and isinstance(item.value, list):
                parties += [p for p in item.value if isinstance(p, str)]
    return names, parties


def _same_party(party: str, applicant: str) -> bool:
    """A party is the applicant when one name holds the other whole (not a shared 山西…
    prefix): 乙方 "山西智造云服务科技有限公司" is the applicant "山西智造云服务科技有限公司"."""
    a, b = re.sub(r"[\s()（）]", "", party), re.sub(r"[\s()（）]", "", applicant)
    return len(a) >= 4 and len(b) >= 4 and (a in b or b in a)


def _split_loose(
    rels: list[str], books: list[str], results: dict[str, FileResult], recommender: str | None
) -> list[Submission]:
    """Files of several applicants side by side: one submission per book, others attached
    to the book whose applicant name or file-name stem they share the longest prefix with;
    files matching no book are grouped by their file-name stem."""
    groups: dict[str, list[str]] = {book: [book] for book in books}
    keys = {book: (_applicant_of(results[book].documents) or "", _stem_key(book)) for book in books}
    orphans: list[str] = []
    for rel in rels:
        if rel in groups:
            continue
        stem = _stem_key(rel)
        names, parties = _names_in(results[rel].documents)
        best, best_score = None, 1
        for book, (applicant, book_stem) in keys.items():
            score = max(
                _similarity(stem, book_stem),
                _similarity(stem, applicant),
                *(_similarity(n, applicant) for n in names if applicant),
                *(len(applicant) for p in parties if applicant and _same_party(p, applicant)),
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
