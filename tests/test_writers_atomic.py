"""atomic_write and records.jsonl: the previous file survives a failed write."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from intake.writers.atomic import atomic_write
from intake.writers.jsonl import write_records
from models.fields import Evidence, Extracted
from models.findings import Finding
from models.forms import EnterpriseForm, Patents, YearFinancials
from models.records import Attachment, Record


def test_atomic_write_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with atomic_write(target, "w") as handle:
        handle.write("新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_atomic_write_keeps_old_file_when_writing_raises(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write(b"half-written")
        raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_atomic_write_creates_missing_parent(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "new.bin"
    with atomic_write(target) as handle:
        handle.write(b"x")
    assert target.read_bytes() == b"x"


def _record(submission_id: str, path: str) -> Record:
    form = EnterpriseForm(
        name="示例制造有限公司",
        staff_total=120,
        financials={"2020": YearFinancials(revenue=1000.5, service_revenue=320)},
        patents=Patents(total=3),
    )
    evidence = Evidence(file=f"{path}/申报书.docx", cell="table 1 r 2 c 2", text="示例制造有限公司")
    return Record(
        submission_id=submission_id,
        path=path,
        kind="enterprise",
        applicant="示例制造有限公司",
        form=form,
        form_fields={"name": Extracted[str](value="示例制造有限公司", raw=" 示例制造有限公司", evidence=[evidence])},
        attachments=[
            Attachment(
                kind="business_license",
                file=f"{path}/执照.pdf",
                pages=[1],
                fields={"established": Extracted[dt.date](value=dt.date(2010, 5, 6), raw="2010年5月6日")},
            )
        ],
        findings=[Finding(code="SEAL_MISSING", severity="warning", message="缺少印章", submission_id=submission_id)],
    )


def test_write_records_stable_order_and_plain_form(tmp_path: Path) -> None:
    target = tmp_path / "records.jsonl"
    count = write_records(target, [_record("b", "市2/企业B"), _record("a", "市1/企业A")])
    assert count == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["submission_id"] for o in objects] == ["a", "b"]
    first = objects[0]
    assert first["form"]["financials"]["2020"]["revenue"] == 1000.5  # plain typed value
    assert first["form"]["name"] == "示例制造有限公司"
    assert first["form_fields"]["name"]["raw"] == " 示例制造有限公司"  # raw and evidence kept
    assert first["form_fields"]["name"]["evidence"][0]["cell"] == "table 1 r 2 c 2"
    assert first["attachments"][0]["fields"]["established"]["value"] == "2010-05-06"
    assert len(first["findings"][0]["id"]) == 12
    assert "示例" in lines[0]  # UTF-8, not \\u escapes


def test_write_records_keeps_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "records.jsonl"
    write_records(target, [_record("a", "甲/企业A")])
    before = target.read_bytes()

    def boom(record: Record) -> dict[str, object]:
        raise RuntimeError("serialisation failed")

    monkeypatch.setattr("intake.writers.jsonl.record_to_json", boom)
    with pytest.raises(RuntimeError):
        write_records(target, [_record("b", "乙/企业B")])
    assert target.read_bytes() == before
