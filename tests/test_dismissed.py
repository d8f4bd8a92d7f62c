"""Reviewer decisions flow back: a finding marked 误报 in review.xlsx no longer counts toward
the verdict on the next run, is still shown (marked), and the run log says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from openpyxl import load_workbook

from intake.feedback import apply_dismissals, dismissed_ids
from intake.writers.reviewer import read_reviewer_state
from intake.writers.sheets.findings import STATUS_DISMISSED
from intake.writers.workbook import write_workbook
from models.campaign import Campaign, load_campaign
from models.records import Record
from tests.test_evidence_kit import record, run_info
from validators.verdict import decide


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign("shanxi-2021")


def decided(campaign: Campaign) -> Record:
    rec = record()
    return rec.model_copy(update={"verdict": decide(rec, campaign)})


def mark_false_positive(workbook: Path, code: str) -> None:
    """What a reviewer does: pick 误报 in 处理结果 on the finding's row, save."""
    book = load_workbook(workbook)
    ws = book["问题清单"]
    headers = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, headers.index("代码") + 1).value == code:
            ws.cell(row, headers.index("处理结果") + 1).value = "误报"
    book.save(workbook)


def test_false_positive_changes_the_next_verdict(
    tmp_path: Path, campaign: Campaign, caplog: pytest.LogCaptureFixture
) -> None:
    workbook = tmp_path / "review.xlsx"
    first = decided(campaign)
    assert first.verdict is not None and first.verdict.value == "不符合"
    write_workbook(workbook, [first], [], campaign, run_info(tmp_path), tmp_path)
    mark_false_positive(workbook, "LICENSE_EXPIRED")
    expired = next(f for f in first.findings if f.code == "LICENSE_EXPIRED")
    assert dismissed_ids(read_reviewer_state(workbook)) == {expired.id}

    records = [decided(campaign)]  # the next run finds the same things again
    with caplog.at_level(logging.INFO, logger="intake.feedback"):
        unattached, ids = apply_dismissals(workbook, records, [], campaign)
    assert ids == {expired.id} and unattached == []
    again = records[0]
    assert [f.code for f in again.findings if f.dismissed] == ["LICENSE_EXPIRED"]
    assert len(again.findings) == 3, "a dismissed finding is still shown"
    assert again.verdict is not None and again.verdict.value == "需复核"
    assert "LICENSE_EXPIRED" not in again.verdict.reason
    log = caplog.text
    assert "marked 误报" in log and expired.id in log and "不符合 to 需复核" in log

    write_workbook(workbook, records, [], campaign, run_info(tmp_path), tmp_path)
    book = load_workbook(workbook)
    ws = book["问题清单"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, headers.index("代码") + 1).value == "LICENSE_EXPIRED")
    assert ws.cell(row, headers.index("状态") + 1).value == STATUS_DISMISSED
    assert ws.cell(row, headers.index("处理结果") + 1).value == "误报", "the reviewer's mark is kept"
    overview = book["总览"]
    top = [c.value for c in overview[1]]
    assert overview.cell(2, top.index("结论") + 1).value == "需复核"
    assert overview.cell(2, top.index("错误数") + 1).value == 1  # FILE_UNREADABLE only


def test_no_workbook_or_no_marks_dismisses_nothing(tmp_path: Path, campaign: Campaign) -> None:
    records = [decided(campaign)]
    assert apply_dismissals(tmp_path / "review.xlsx", records, [], campaign)[1] == set()
    write_workbook(tmp_path / "review.xlsx", records, [], campaign, run_info(tmp_path), tmp_path)
    assert apply_dismissals(tmp_path / "review.xlsx", records, [], campaign)[1] == set()
    assert not any(f.dismissed for f in records[0].findings)


def test_verdict_ignores_dismissed_findings(campaign: Campaign) -> None:
    rec = record()
    quiet = [f.model_copy(update={"dismissed": True}) for f in rec.findings]
    assert decide(rec.model_copy(update={"findings": quiet}), campaign).value == "通过"
