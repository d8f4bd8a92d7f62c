"""Every kind of bad file becomes a FILE_UNREADABLE finding and the batch still writes."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from intake.options import RunOptions
from intake.pipeline import run


def _jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    return buf.getvalue()


def _pdf_bytes(encrypt: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    c.drawString(72, 720, "Hello application book")
    c.showPage()
    c.save()
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (64 << 20))
    return buf.getvalue()


def _pixel_bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (21000, 21000)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("received")
    folder = root / "某市工信局" / "坏文件公司"
    folder.mkdir(parents=True)
    good = _pdf_bytes()
    files = {
        "截断.pdf": good[: len(good) // 2],
        "加密.pdf": _pdf_bytes(encrypt="secret"),
        "空文件.pdf": b"",
        "其实是图片.docx": _jpeg_bytes(),
        "压缩炸弹.docx": _zip_bomb(),
        "像素炸弹.png": _pixel_bomb(),
        "乱码.jpg": b"\xff\xd8\xff\xe0" + os.urandom(2000),
        "说明.zip": b"PK\x05\x06" + b"\0" * 18,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return root


def test_bad_files_become_findings_and_outputs_are_written(bad_folder: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in bad_folder.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    outcome = run(RunOptions(received=bad_folder, campaign="shanxi-2021", out=out, jobs=1, progress=False))
    assert (out / "review.xlsx").is_file() and (out / "records.jsonl").is_file()
    assert (out / "run.log").read_text(encoding="utf-8")
    codes: dict[str, str] = {}
    for record in outcome.records:
        for finding in record.findings:
            if finding.source:
                codes[finding.source.rsplit("/", 1)[-1]] = finding.code
    for name in ("截断.pdf", "加密.pdf", "空文件.pdf", "其实是图片.docx", "压缩炸弹.docx", "像素炸弹.png", "乱码.jpg"):
        assert codes.get(name) == "FILE_UNREADABLE", (name, codes)
    assert codes["说明.zip"] == "FILE_NOT_PROCESSED"
    messages = [f.message for r in outcome.records for f in r.findings if f.code == "FILE_UNREADABLE"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)
    assert any("加密" in m for m in messages)
    # inputs untouched
    assert before == {p: p.read_bytes() for p in bad_folder.rglob("*") if p.is_file()}
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(outcome.records) and all(json.loads(line) for line in lines)
