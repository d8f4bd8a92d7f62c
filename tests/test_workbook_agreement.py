"""The workbook says what the findings say: 附件核对, 汇总表 and 问题清单 read back from
review.xlsx agree with records.jsonl.

A real run (``intake.api.run``) over a subset of the Shanxi samples that needs no OCR: one
recommender's Word books and digital certificates with its 汇总表, the licences (photos)
left out so attachments go missing, and two listed applicants left out so 汇总表 rows match
no submission. ``check_agreement`` takes any output folder; set ``INTAKE_AGREEMENT_OUT`` to a
run of the full samples to check that too.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from intake import api
from intake.writers.reviewer import FINDINGS_KEY, OVERVIEW_KEY
from intake.writers.sheets.attachments import MISSING, UNSURE, attachment_kinds
from intake.writers.sheets.attachments import SHEET_TITLE as ATTACHMENT_SHEET
from intake.writers.sheets.findings import SHEET_TITLE as FINDINGS_SHEET
from intake.writers.sheets.summary import LISTED, NOTE_COLUMN, UNLISTED, UNMATCHED_NOTE
from intake.writers.sheets.summary import SHEET_TITLE as SUMMARY_SHEET
from models.campaign import load_campaign
from validators.attachments import attachment_checks

ROOT = Path(__file__).resolve().parent.parent
RECOMMENDER = ROOT / "samples" / "received" / "shanxi-2021" / "大同市工业和信息化局"
SPEC_KEYS = {"submission_id", "path", "kind", "applicant", "recommender", "form", "attachments", "findings"}
LEFT_OUT = ("大同煤机智造有限公司", "山西工业技术公共服务平台")  # listed in the 汇总表, not sent


def _subset(target: Path) -> Path:
    """The recommender's 汇总表, Word books and digital certificates; no photo, no scan."""
    folder = target / RECOMMENDER.name
    for source in sorted(RECOMMENDER.rglob("*")):
        rel = source.relative_to(RECOMMENDER)
        if not source.is_file() or rel.parts[0] in LEFT_OUT:
            continue
        if source.suffix == ".docx" or source.name.endswith("技术水平评价证书.pdf"):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / rel)
    return target


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    """A header-row sheet as dicts by column title."""
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) if h is not None else "" for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def _records(out: Path) -> list[dict[str, Any]]:
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def check_agreement(out: Path, campaign_name: str) -> dict[str, int]:
    """Assert that review.xlsx in ``out`` agrees with records.jsonl there; return what was
    compared (counts), so a caller can see the check was not empty."""
    records = _records(out)
    book = load_workbook(out / "review.xlsx")
    by_id = {r["submission_id"]: r for r in records}
    overview = {row[OVERVIEW_KEY]: row for row in _table(book["总览"]) if row.get(OVERVIEW_KEY)}
    assert set(overview) == set(by_id)

    # 问题清单: every finding of every record once, under its own id; nothing else of a record.
    keys = Counter(str(row[FINDINGS_KEY]) for row in _table(book[FINDINGS_SHEET]) if row.get(FINDINGS_KEY))
    ids = [f["id"] for r in records for f in r["findings"]]
    for finding_id in ids:
        assert keys[finding_id] == 1, finding_id
    repeated = [key for key, count in keys.items() if count > 1]
    assert not repeated

    # 附件核对: a 缺失 cell for each ATTACHMENT_MISSING and none without one; 未识别（待核对）
    # for each attachment LOW_CONFIDENCE warning and none without one.
    campaign = load_campaign(campaign_name)
    sheet = _table(book[ATTACHMENT_SHEET])
    header = [c.value for c in book[ATTACHMENT_SHEET][1]]
    missing_cells: set[tuple[str, str]] = set()
    unsure_cells: set[tuple[str, str]] = set()
    order = [row[OVERVIEW_KEY] for row in _table(book["总览"]) if row.get(OVERVIEW_KEY)]
    kinds = [kind for kind, _rules in attachment_kinds(campaign)]  # the columns after the lead four
    assert len(header) == 4 + len(kinds)
    for sid, row in zip(order, sheet, strict=False):  # both sheets list submissions in one order
        assert row["申报单位"] == (by_id[sid]["applicant"] or "")
        for title, kind in zip(header[4:], kinds, strict=True):
            if row[title] == MISSING:
                missing_cells.add((sid, kind))
            elif row[title] == UNSURE:
                unsure_cells.add((sid, kind))
    missing_findings = {
        (r["submission_id"], f["source"]) for r in records for f in r["findings"] if f["code"] == "ATTACHMENT_MISSING"
    }
    unsure_findings = {
        (r["submission_id"], f["source"])
        for r in records
        for f in r["findings"]
        if f["code"] == "LOW_CONFIDENCE" and (f["field"] or "").startswith("attachments.")
    }
    assert missing_cells == missing_findings
    assert unsure_cells == unsure_findings
    for record in api.load_records(out):  # the decision the cells render, from the stored record
        decided = {(record.submission_id, c.rule.kind) for c in attachment_checks(record, campaign)}
        assert {c for c in missing_cells if c[0] == record.submission_id} <= decided

    # 汇总表: the note beside each line and the unmatched rows below agree with SUMMARY_MISMATCH.
    ws = book[SUMMARY_SHEET]
    notes = {}
    unmatched_rows = set()
    for cells in ws.iter_rows(values_only=True):
        note = cells[NOTE_COLUMN - 1] if len(cells) >= NOTE_COLUMN else None
        if note in (LISTED, UNLISTED) or (isinstance(note, str) and note.startswith(LISTED + "，")):
            notes[str(cells[1])] = note
        elif note == UNMATCHED_NOTE:
            unmatched_rows.add(str(cells[1]))
    unlisted = {
        r["submission_id"]
        for r in records
        for f in r["findings"]
        if f["code"] == "SUMMARY_MISMATCH" and f["field"] == "summary"
    }
    shown_unlisted = {
        sid for sid in by_id if _line_name(by_id[sid]) in notes and notes[_line_name(by_id[sid])] == UNLISTED
    }
    assert shown_unlisted == unlisted
    renamed = {r["submission_id"] for r in records for f in r["findings"] if f["field"] == "summary.name"}
    shown_renamed = {sid for sid in by_id if str(notes.get(_line_name(by_id[sid]), "")).startswith(LISTED + "，")}
    assert shown_renamed == renamed
    orphan_rows = _orphan_rows(out)
    assert unmatched_rows == orphan_rows
    return {
        "findings": len(ids),
        "missing": len(missing_cells),
        "unsure": len(unsure_cells),
        "listed": sum(1 for n in notes.values() if n == LISTED),
        "unlisted": len(shown_unlisted),
        "unmatched": len(unmatched_rows),
    }


def _line_name(record: dict[str, Any]) -> str:
    """The name the 汇总表 sheet lists a record under (``summary.entry_of``)."""
    form = record.get("form") or {}
    if record["kind"] in ("project", "platform", "city"):
        return str(form.get("name") or record["applicant"] or "")
    return str(record["applicant"] or form.get("name") or "")


def _orphan_rows(out: Path) -> set[str]:
    """Names of 汇总表 rows without a submission, from the findings the run wrote to no record
    (问题清单 rows with no 申报编号 of a record; SUMMARY_MISMATCH on field summary.<kind>.<name>)."""
    book = load_workbook(out / "review.xlsx")
    names = set()
    for row in _table(book[FINDINGS_SHEET]):
        if row.get("代码") == "SUMMARY_MISMATCH" and row.get("核对值") and not row.get("申报单位"):
            names.add(str(row["核对值"]))
    return names


@pytest.fixture(scope="module")
def subset_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("agreement")
    received = _subset(root / "received")
    out = root / "out"
    api.run(received, "shanxi-2021", out, jobs=1)
    return out


def test_workbook_agrees_with_records(subset_run: Path) -> None:
    counts = check_agreement(subset_run, "shanxi-2021")
    # The subset is built so every kind of agreement is exercised, not vacuously true.
    assert counts["findings"] > 0
    assert counts["missing"] >= 3  # no licence sent with any book
    assert counts["listed"] >= 3
    assert counts["unmatched"] == len(LEFT_OUT)


def test_jsonl_keeps_spec_keys_and_the_form_is_its_documents(subset_run: Path) -> None:
    for line in _records(subset_run):
        assert {"submission_id", "path", "kind", "applicant", "recommender", "form", "attachments", "findings"} <= set(
            line
        )
        forms = [d for d in line["documents"] if d["kind"] == "application_form" and d["file"] == line["form_file"]]
        assert any(d["fields"] == line["form_fields"] for d in forms)
        book = {"application_form", "application_body", "cover", "commitment", "summary_table"}
        assert [(a["kind"], a["file"]) for a in line["attachments"]] == [
            (d["kind"], d["file"]) for d in line["documents"] if d["kind"] not in book
        ]
    for record in api.load_records(subset_run):  # read back: one copy, the same views
        assert record.model_dump(mode="json")["attachments"] == [a.model_dump(mode="json") for a in record.attachments]


@pytest.mark.skipif(not os.environ.get("INTAKE_AGREEMENT_OUT"), reason="set INTAKE_AGREEMENT_OUT=DIR[:ROUND]")
def test_workbook_agrees_on_a_given_run() -> None:
    folder, _, round_name = os.environ["INTAKE_AGREEMENT_OUT"].partition(":")
    counts = check_agreement(Path(folder), round_name or "shanxi-2021")
    assert counts["findings"] > 0
