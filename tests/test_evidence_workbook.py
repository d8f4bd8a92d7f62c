"""问题清单 links each finding to its crops, shows the notice's words (依据) and, while the
pictures stay small, a thumbnail of the first crop."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from intake.evidence import write_evidence
from intake.writers.workbook import write_workbook
from models.campaign import load_campaign
from tests.test_evidence_kit import make_received, record, run_info


def build(tmp_path: Path) -> tuple[Path, Path]:
    received = make_received(tmp_path / "received")
    out = tmp_path / "out"
    rec = record()
    evidence = write_evidence(out, received, [rec])
    workbook = out / "review.xlsx"
    write_workbook(workbook, [rec], [], load_campaign("shanxi-2021"), run_info(received), received, evidence=evidence)
    return workbook, out


def cells(workbook: Path, code: str) -> dict[str, object]:
    ws = load_workbook(workbook)["问题清单"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, headers.index("代码") + 1).value == code)
    return {title: ws.cell(row, i + 1) for i, title in enumerate(headers)}


def test_findings_link_to_both_crops(tmp_path: Path) -> None:
    workbook, out = build(tmp_path)
    mismatch = record().findings[0]
    row = cells(workbook, "LEGAL_REP_MISMATCH")
    assert row["截图1"].value == "申报表第1页"
    assert row["截图2"].value == "营业执照第1页"
    assert row["截图1"].hyperlink.target == f"evidence/{mismatch.id}-1.png"
    assert row["截图2"].hyperlink.target == f"evidence/{mismatch.id}-2.png"
    assert (out / row["截图2"].hyperlink.target).is_file()
    assert row["依据"].value == "申报单位名称、法定代表人应与营业执照一致"
    unreadable = cells(workbook, "FILE_UNREADABLE")
    assert unreadable["截图1"].value is None and unreadable["截图1"].hyperlink is None


def test_thumbnails_embedded_within_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook, _ = build(tmp_path)
    ws = load_workbook(workbook)["问题清单"]
    assert len(ws._images) == 2  # the two findings with crops; the unreadable file has none
    column = [c.value for c in ws[1]].index("截图预览")
    assert {image.anchor._from.col for image in ws._images} == {column}
    assert all((ws.row_dimensions[image.anchor._from.row + 1].height or 0) >= 50 for image in ws._images)

    monkeypatch.setattr("intake.writers.sheets.thumbnails.EMBED_BUDGET", 100)
    small, _ = build(tmp_path / "again")
    assert load_workbook(small)["问题清单"]._images == []
    assert cells(small, "LICENSE_EXPIRED")["截图1"].hyperlink is not None, "links stay without pictures"
