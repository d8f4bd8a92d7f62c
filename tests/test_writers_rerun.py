"""Re-runs keep what reviewers typed; a failed write keeps the previous workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from test_writers_workbook import (
    column,
    default_findings,
    enterprise,
    find_row,
    headers,
    platform,
    project,
    write,
)

from intake.writers.reviewer import read_reviewer_state
from models.campaign import Campaign, load_campaign
from models.findings import Finding

ENT_BASE = "太原市工业和信息化局/甲公司"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign("shanxi-2021")


def set_value(ws: Worksheet, key_title: str, key: str, title: str, value: str) -> None:
    ws.cell(row=find_row(ws, key_title, key), column=column(ws, title)).value = value


def finding_id(code: str) -> str:
    return next(f.id for f in default_findings("sub-enterprise", ENT_BASE) if f.code == code)


def review(path: Path) -> None:
    """What a reviewer does between runs: fill the reviewer columns and save."""
    book = load_workbook(path)
    overview = book["总览"]
    set_value(overview, "申报编号", "sub-enterprise", "审核意见", "同意推荐")
    set_value(overview, "申报编号", "sub-enterprise", "审核人", "刘审核")
    set_value(overview, "申报编号", "sub-project", "备注", "合同待补交")
    findings = book["问题清单"]
    set_value(findings, "问题编号", finding_id("NAME_MISMATCH"), "处理结果", "误报")
    set_value(findings, "问题编号", finding_id("NAME_MISMATCH"), "备注", "执照为简称，已电话核实")
    set_value(findings, "问题编号", finding_id("FORMAT_DEVIATION"), "备注", "可忽略")
    book.save(path)


def later_records() -> list:
    """The next run: NAME_MISMATCH and the service-share warning are gone; so is the project."""
    kept = [f for f in default_findings("sub-enterprise", ENT_BASE) if f.code == "FORMAT_DEVIATION"]
    return [enterprise(findings=kept), platform()]


def test_rerun_keeps_reviewer_input_and_marks_vanished(tmp_path: Path, campaign: Campaign) -> None:
    path = write(tmp_path, campaign)
    review(path)
    write(tmp_path, campaign, later_records())
    book = load_workbook(path)

    overview = book["总览"]
    ent = find_row(overview, "申报编号", "sub-enterprise")
    assert overview.cell(row=ent, column=column(overview, "审核意见")).value == "同意推荐"
    assert overview.cell(row=ent, column=column(overview, "审核人")).value == "刘审核"
    assert overview.cell(row=ent, column=column(overview, "状态")).value == "当前"
    gone = find_row(overview, "申报编号", "sub-project")  # vanished, but it had a note
    assert overview.cell(row=gone, column=column(overview, "备注")).value == "合同待补交"
    assert overview.cell(row=gone, column=column(overview, "状态")).value == "已消除"
    assert overview.cell(row=gone, column=column(overview, "申报单位")).value == "山西乙科技有限公司"
    assert overview.cell(row=gone, column=1).fill.fgColor.rgb == "00EDEDED"

    findings = book["问题清单"]
    name = find_row(findings, "问题编号", finding_id("NAME_MISMATCH"))
    assert findings.cell(row=name, column=column(findings, "状态")).value == "已消除"
    assert findings.cell(row=name, column=column(findings, "处理结果")).value == "误报"
    assert findings.cell(row=name, column=column(findings, "备注")).value == "执照为简称，已电话核实"
    link = findings.cell(row=name, column=column(findings, "证据文件")).hyperlink
    assert link is not None and link.target.endswith("营业执照.pdf#page=3")
    fmt = find_row(findings, "问题编号", finding_id("FORMAT_DEVIATION"))
    assert findings.cell(row=fmt, column=column(findings, "状态")).value == "当前"
    assert findings.cell(row=fmt, column=column(findings, "备注")).value == "可忽略"
    codes = [findings.cell(row=r, column=column(findings, "代码")).value for r in range(2, findings.max_row + 1)]
    assert "SERVICE_SHARE_BELOW_THRESHOLD" not in codes  # gone and nobody had written on it
    assert "ATTACHMENT_MISSING" not in codes  # the vanished project's finding had no input
    dv = findings.data_validations.dataValidation[0]
    assert str(dv.sqref).endswith(str(findings.max_row))  # drop-down covers the kept rows


def test_third_run_is_stable_and_a_returning_finding_gets_its_note(tmp_path: Path, campaign: Campaign) -> None:
    path = write(tmp_path, campaign)
    review(path)
    write(tmp_path, campaign, later_records())
    write(tmp_path, campaign, later_records())
    state = read_reviewer_state(path)
    assert state.submissions["sub-project"].reviewer == {"备注": "合同待补交"}
    assert state.findings[finding_id("NAME_MISMATCH")].values["状态"] == "已消除"

    write(tmp_path, campaign)  # the finding comes back
    findings = load_workbook(path)["问题清单"]
    name = find_row(findings, "问题编号", finding_id("NAME_MISMATCH"))
    assert findings.cell(row=name, column=column(findings, "状态")).value == "当前"
    assert findings.cell(row=name, column=column(findings, "处理结果")).value == "误报"
    assert findings.cell(row=name, column=column(findings, "严重程度")).fill.fgColor.rgb == "00FFC7CE"
    ids = [findings.cell(row=r, column=1).value for r in range(2, findings.max_row + 1)]
    assert len(ids) == len(set(ids))


def test_reviewer_columns_found_by_header_after_reordering(tmp_path: Path, campaign: Campaign) -> None:
    path = write(tmp_path, campaign)
    book = load_workbook(path)
    ws = book["总览"]
    ws.insert_cols(2)  # a reviewer inserts a column of their own
    ws.cell(row=1, column=2).value = "我的列"
    set_value(ws, "申报编号", "sub-platform", "审核意见", "待定")
    book.save(path)
    write(tmp_path, campaign)
    ws = load_workbook(path)["总览"]
    assert "我的列" not in headers(ws)
    row = find_row(ws, "申报编号", "sub-platform")
    assert ws.cell(row=row, column=column(ws, "审核意见")).value == "待定"


def test_findings_sharing_an_id_keep_separate_notes(tmp_path: Path, campaign: Campaign) -> None:
    twins = [
        Finding(code="SEAL_MISSING", severity="warning", message=f"第{n}页缺少印章", submission_id="sub-enterprise")
        for n in (1, 2)
    ]
    path = write(tmp_path, campaign, [enterprise(findings=twins)])
    book = load_workbook(path)
    ws = book["问题清单"]
    keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert keys == [twins[0].id, f"{twins[0].id}~2"]
    set_value(ws, "问题编号", f"{twins[0].id}~2", "备注", "第二处")
    book.save(path)
    write(tmp_path, campaign, [enterprise(findings=twins)])
    ws = load_workbook(path)["问题清单"]
    assert ws.cell(row=3, column=column(ws, "备注")).value == "第二处"
    assert ws.cell(row=2, column=column(ws, "备注")).value is None


def test_failed_write_leaves_previous_workbook(
    tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, campaign)
    before = load_workbook(path)["总览"].max_row

    def broken_save(self: Workbook, target: object) -> None:
        target.write(b"PK\x03\x04 half a zip")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError):
        write(tmp_path, campaign, [platform()])
    monkeypatch.undo()
    assert load_workbook(path)["总览"].max_row == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["review.xlsx"]


def test_unreadable_previous_workbook_is_kept_aside(tmp_path: Path, campaign: Campaign) -> None:
    path = tmp_path / "out" / "review.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"not a workbook")
    write(tmp_path, campaign, [project()])
    backups = list(path.parent.glob("review.unreadable-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"not a workbook"
    assert load_workbook(path).sheetnames[0] == "总览"
