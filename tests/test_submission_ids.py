"""Submission and finding ids follow the applicant, not its folder: a reviewer's notes and 误报
marks made on one run's review.xlsx still apply after the applicant's and the recommender's
folders were renamed or moved (intake.submission_ids, validators.runner.rebase)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from intake.grouping import group
from intake.options import RunOptions
from intake.pipeline import Outcome, run
from intake.reading import FileResult
from intake.submission_ids import identity_of, path_id, stable_ids
from models.fields import Extracted
from models.identity import relative_source, submission_folder
from models.records import ExtractedDocument, FileEntry, Submission
from models.values import normalise_name, uscc_check_char

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "received" / "shanxi-2021"
RECOMMENDER = "大同市工业和信息化局"
APPLICANTS = ("大同云冈新能源装备有限公司", "大同恒通物流装备有限公司")


def _run(received: Path, out: Path) -> Outcome:
    return run(RunOptions(received=received, campaign="shanxi-2021", out=out, jobs=1, progress=False))


def _ids(outcome: Outcome, leave_out: tuple[str, ...] = ()) -> dict[str, tuple[str, set[str]]]:
    """Applicant → (submission id, ids of its findings but those of codes ``leave_out``)."""
    return {
        r.applicant or "": (r.submission_id, {f.id for f in r.findings if f.code not in leave_out})
        for r in outcome.records
    }


def _row(sheet: Worksheet, header: str, key: str) -> int:
    """The row whose ``header`` column holds ``key``."""
    col = [c.value for c in sheet[1]].index(header) + 1
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col).value == key)


def _col(sheet: Worksheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def _mark(workbook: Path, submission_id: str, finding_id: str) -> None:
    """What a reviewer does: a note on the submission's 总览 row, 误报 on one finding's row."""
    book = load_workbook(workbook)
    overview, findings = book["总览"], book["问题清单"]
    overview.cell(_row(overview, "申报编号", submission_id), _col(overview, "备注")).value = "已电话核实"
    findings.cell(_row(findings, "问题编号", finding_id), _col(findings, "处理结果")).value = "误报"
    book.save(workbook)


READING_CODES = ("FILE_UNREADABLE", "FILE_NOT_PROCESSED")
"""Findings the reader makes (not a rule): intake.records.build_record names their source."""


@dataclass
class TwoRuns:
    first: Outcome
    second: Outcome
    submission_id: str  # the submission a reviewer wrote a note on after the first run
    dismissed: str  # the finding marked 误报 then
    out: Path


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> TwoRuns:
    """A run, a reviewer's note and 误报 mark, the folders renamed and moved, a second run."""
    root = tmp_path_factory.mktemp("renamed")
    received, out = root / "received", root / "out"
    for name in APPLICANTS:
        shutil.copytree(SAMPLES / RECOMMENDER / name, received / RECOMMENDER / name)
    first = _run(received, out)
    applicant = next(r for r in first.records if APPLICANTS[0] in (r.applicant or ""))
    dismissed = next(f.id for f in applicant.findings if f.source and f.code not in READING_CODES)
    _mark(out / "review.xlsx", applicant.submission_id, dismissed)
    # the recommender's folder renamed, one applicant's folder renamed in it, the other moved
    # to another recommender under a new name
    (received / RECOMMENDER).rename(received / "大同市工信局")
    (received / "大同市工信局" / APPLICANTS[0]).rename(received / "大同市工信局" / "02 云冈新能源装备公司")
    (received / "省小企业局").mkdir()
    (received / "大同市工信局" / APPLICANTS[1]).rename(received / "省小企业局" / "恒通物流 公司")
    return TwoRuns(first, _run(received, out), applicant.submission_id, dismissed, out)


def test_submission_and_rule_finding_ids_survive_renamed_and_moved_folders(two_runs: TwoRuns) -> None:
    before, after = _ids(two_runs.first), _ids(two_runs.second)
    assert len(before) == 2 and all(findings for _, findings in before.values()), before
    assert {a: sub for a, (sub, _) in after.items()} == {a: sub for a, (sub, _) in before.items()}
    assert [r.path for r in two_runs.second.records] == [
        "大同市工信局/02 云冈新能源装备公司",
        "省小企业局/恒通物流 公司",
    ]
    assert _ids(two_runs.second, READING_CODES) == _ids(two_runs.first, READING_CODES)


def test_reviewer_note_and_false_positive_follow_the_applicant(two_runs: TwoRuns) -> None:
    again = next(r for r in two_runs.second.records if r.submission_id == two_runs.submission_id)
    assert again.path == "大同市工信局/02 云冈新能源装备公司"
    assert [f.id for f in again.findings if f.dismissed] == [two_runs.dismissed]
    overview = load_workbook(two_runs.out / "review.xlsx")["总览"]
    row = _row(overview, "申报编号", two_runs.submission_id)
    assert overview.cell(row, _col(overview, "备注")).value == "已电话核实"


def test_reading_finding_ids_survive_renamed_and_moved_folders(two_runs: TwoRuns) -> None:
    assert any(f.code in READING_CODES for r in two_runs.first.records for f in r.findings)
    assert _ids(two_runs.second) == _ids(two_runs.first)


def _doc(kind: str, file: str, **fields: str) -> ExtractedDocument:
    return ExtractedDocument(
        kind=kind,  # type: ignore[arg-type]
        file=file,
        pages=[1],
        form_type="enterprise" if kind == "application_form" else None,
        fields={k: Extracted[str](value=v, raw=v) for k, v in fields.items()},
    )


def _result(rel: str, sha: str, *docs: ExtractedDocument) -> FileResult:
    return FileResult(entry=FileEntry(path=rel, sha256=sha), documents=list(docs), findings=[])


def test_identity_prefers_the_applicants_credit_code_then_its_name() -> None:
    body = "91140100MA0GTHK2X"
    valid, invalid = body + uscc_check_char(body), body + ("0" if uscc_check_char(body) != "0" else "1")
    other_body = "91140105MA0ABCDE1"
    other = other_body + uscc_check_char(other_body)
    form = _doc("application_form", "a/书.docx", name="山西示例科技有限公司")
    assert identity_of([form]) == "name:" + normalise_name("山西示例科技有限公司")
    misread = _doc("business_license", "a/照.jpg", name="山西示例科技有限公司", uscc=invalid)
    assert identity_of([form, misread]) == identity_of([form]), "an invalid code is no identity"
    own = _doc("business_license", "a/照.jpg", name="山西示例科技有限公司", uscc=valid)
    partner = _doc("business_license", "a/乙方.jpg", name="太原别家有限公司", uscc=other)
    assert identity_of([form, partner, own]) == f"uscc:{valid}", "the licence named like the applicant"
    assert identity_of([form, partner]) == identity_of([form]), "another's licence is not the applicant's"
    assert identity_of([own]) == f"uscc:{valid}", "no form: the licence names the applicant"
    assert identity_of([_doc("cover", "a/封面.pdf")]) is None


def test_same_applicant_twice_gets_distinct_deterministic_ids() -> None:
    def book(rel: str, sha: str, name: str) -> tuple[str, FileResult]:
        return rel, _result(rel, sha, _doc("application_form", rel, name=name))

    results = dict(
        [
            book("甲/A/书.docx", "1", "山西示例科技有限公司"),
            book("乙/A/书.docx", "2", "山西示例科技有限公司"),
            book("乙/B/书.docx", "3", "太原别家有限公司"),
            ("丙/x.txt", _result("丙/x.txt", "4")),
        ]
    )
    subs = group(results).submissions
    ids = [s.id for s in subs]
    assert len(set(ids)) == len(ids) == 4
    assert ids == [s.id for s in group(dict(reversed(results.items()))).submissions]
    nobody = next(s for s in subs if s.path == "丙")
    assert nobody.id == path_id("丙"), "no identity read: the path's id"
    twins = [Submission(id="x", path=p, files=[p + "/书.docx"]) for p in ("甲/A", "乙/A")]
    same = {
        p + "/书.docx": _result(p + "/书.docx", "9", results["甲/A/书.docx"].documents[0]) for p in ("甲/A", "乙/A")
    }
    assert len({s.id for s in stable_ids(twins, same)}) == 2, "identical copies still apart (by path)"


def test_sources_are_named_from_the_submission_folder() -> None:
    assert submission_folder("推荐/甲", ["推荐/甲/附件/照.jpg"]) == "推荐/甲"
    assert submission_folder("推荐/甲-申报书.docx", ["推荐/甲-申报书.docx"]) == "推荐"
    assert relative_source("推荐/甲/附件/照.jpg", "推荐/甲") == "附件/照.jpg"
    assert relative_source("推荐/汇总表.xlsx", "推荐/甲") == "../汇总表.xlsx"
    assert relative_source("推荐/乙", "推荐/甲", {"推荐/乙": "S2", "推荐/甲": "S1"}, "S1") == "S2"
    assert relative_source("business_license", "推荐/甲") == "business_license"
