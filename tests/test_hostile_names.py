"""Issue 11 points 1, 2, 3 and the symlink part of 7: odd file names never stop a run, two
real paths never share one entry, and links carry the real bytes (never point outside)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from intake.discover import discover, display_name, escaped_name
from intake.options import RunOptions
from intake.pipeline import run
from intake.writers.sheets.style import link_target


def _write_raw(folder: Path, raw_name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), raw_name), "wb") as fh:
        fh.write(data)


def test_names_that_display_alike_stay_apart(tmp_path: Path) -> None:
    raws = [b"a\xff.pdf", b"a\xfe.pdf", "a\ufffd.pdf".encode(), "申报书.pdf".encode(), "申报书.pdf".encode("gbk")]
    raws += [b"a\\xff.pdf", b"b\x01.pdf", "c\ufffe.pdf".encode()]
    for raw in raws:
        _write_raw(tmp_path, raw, raw)
    found = discover(tmp_path)
    rels = [f.rel for f in found.files]
    assert len(rels) == len(set(rels)) == len(raws)
    # every entry still reads its own file
    assert sorted(f.path.read_bytes() for f in found.files) == sorted(raws)
    assert "申报书.pdf" in rels  # the UTF-8 name keeps its plain form
    assert "\\xc9\\xea\\xb1\\xa8\\xca\\xe9.pdf" in rels  # its GBK twin shows its bytes
    assert {"a\\xff.pdf", "a\\xfe.pdf", "a\\\\xff.pdf", "b\\x01.pdf", "c\\ufffe.pdf"} <= set(rels)


def test_discovery_order_does_not_change_names(tmp_path: Path) -> None:
    _write_raw(tmp_path, "表.pdf".encode("gbk"), b"1")
    _write_raw(tmp_path, "表.pdf".encode(), b"2")
    first = {f.rel: f.path.read_bytes() for f in discover(tmp_path).files}
    assert first == {"表.pdf": b"2", escaped_name(os.fsdecode("表.pdf".encode("gbk"))): b"1"}
    assert display_name(os.fsdecode("营业执照.jpg".encode("gbk"))) == "营业执照.jpg"


def test_self_symlink_is_skipped_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "self").symlink_to(tmp_path / "self")
    (tmp_path / "book.pdf").write_bytes(b"x")
    found = discover(tmp_path)
    assert [f.rel for f in found.files] == ["book.pdf"]
    assert [(e.path, "循环" in (e.reason or "")) for e in found.skipped] == [("self", True)]


def test_links_carry_the_real_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for name, raw in [
        ("b\\x01.pdf", b"b\x01.pdf"),
        ("a\\xff.pdf", b"a\xff.pdf"),
        ("c\\ufffe.pdf", "c\ufffe.pdf".encode()),
    ]:
        target = link_target(f"某市/{name}", out, tmp_path / "in")
        assert target is not None and "\\" not in target
        quoted = "".join(f"%{b:02X}" if b < 0x21 or b > 0x7E else chr(b) for b in raw)
        assert target.endswith(quoted)
    assert link_target("某市/x\\\\y.pdf", out, tmp_path / "in").endswith("x%5Cy.pdf")  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def odd_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("odd")
    received = base / "收件"
    folder = received / "某市工信局" / "甲公司"
    folder.mkdir(parents=True)
    for raw in [
        b"ctl\x01name.docx",
        b"ctl\x1fname.pdf",
        "bom\ufffe.pdf".encode(),
        "non\uffff.xlsx".encode(),
        b"x\xff.pdf",
    ]:
        _write_raw(folder, raw, b"not really a document")
    (folder / "loop").symlink_to(folder / "loop")
    secret = base / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (folder / "outside.pdf").symlink_to(secret)
    out = base / "out"
    # an old workbook must be replaced, not left stale
    out.mkdir()
    (out / "review.xlsx").write_bytes(b"old")
    options = RunOptions(received=received, campaign="shanxi-2021", out=out, jobs=1, progress=False)
    run(options)
    return received, out


def test_run_with_control_characters_writes_the_review(odd_run: tuple[Path, Path]) -> None:
    _, out = odd_run
    wb = openpyxl.load_workbook(out / "review.xlsx")
    listed = [str(c.value) for c in wb["运行信息"]["B"] if c.value]
    for name in ["ctl\\x01name.docx", "ctl\\x1fname.pdf", "bom\\ufffe.pdf", "non\\uffff.xlsx", "x\\xff.pdf"]:
        assert sum(name in v for v in listed) == 1, name
    links = [c.hyperlink.target for ws in wb for row in ws.iter_rows() for c in row if c.hyperlink]
    assert any(t.endswith("ctl%01name.docx") for t in links)
    assert any(t.endswith("x%FF.pdf") for t in links)


def test_skipped_outside_symlink_has_no_link(odd_run: tuple[Path, Path]) -> None:
    _, out = odd_run
    ws = openpyxl.load_workbook(out / "review.xlsx")["运行信息"]
    rows = {str(c.value): c for c in ws["B"] if c.value}
    outside = next(cell for value, cell in rows.items() if value.endswith("outside.pdf"))
    assert outside.hyperlink is None
    loop = next(cell for value, cell in rows.items() if value.endswith("/loop"))
    assert loop.hyperlink is None
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "secret" not in json.dumps(records, ensure_ascii=False)


def test_display_paths_lead_back_to_the_real_files(tmp_path: Path) -> None:
    from intake.discover import real_path

    folder = tmp_path / "某市"
    folder.mkdir()
    raws = [
        b"a\xff.pdf",
        b"b\x01.pdf",
        "c\ufffe.pdf".encode(),
        b"x\\y.pdf",
        "执照.jpg".encode("gbk"),
        "表.pdf".encode(),
    ]
    raws.append("表.pdf".encode("gbk"))
    for raw in raws:
        _write_raw(folder, raw, raw)
    for found in discover(tmp_path).files:
        assert real_path(tmp_path, found.rel).read_bytes() == found.path.read_bytes(), found.rel


def test_a_link_to_a_file_inside_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "甲").mkdir()
    (tmp_path / "甲" / "申报书.pdf").write_bytes(b"x")
    (tmp_path / "乙").mkdir()
    (tmp_path / "乙" / "链接.pdf").symlink_to(tmp_path / "甲" / "申报书.pdf")
    found = discover(tmp_path)
    assert [f.rel for f in found.files] == ["甲/申报书.pdf"]
    (skipped,) = found.skipped
    assert skipped.path == "乙/链接.pdf" and "甲/申报书.pdf" in (skipped.reason or "")
