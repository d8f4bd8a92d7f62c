"""Legacy .doc through LibreOffice: the converted text must match the .docx twin. Each
conversion starts soffice (a few seconds), so the real-file tests are kept few."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.loaders import doc_loader, safety
from extractors.loaders.digital import DIGITAL_LOADERS
from models.errors import FileReadError

LOADERS = {loader.kind: loader for loader in DIGITAL_LOADERS}
needs_soffice = pytest.mark.skipif(doc_loader.find_soffice() is None, reason="no LibreOffice")
STEM = "核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）"


@needs_soffice
def test_doc_matches_docx(realdocs: Path) -> None:
    folder = realdocs / "chatchat-docx"
    doc = LOADERS["doc"].load(folder / f"{STEM}.doc", f"推荐单位/{STEM}.doc")
    twin = LOADERS["docx"].load(folder / f"{STEM}.docx", f"{STEM}.docx")
    assert doc.source_kind == "doc" and doc.file == f"推荐单位/{STEM}.doc"
    assert doc.meta["converted_by"] == "libreoffice"
    assert doc.pages[0].blocks[0].prov.file == f"推荐单位/{STEM}.doc"
    ours = {b.text for b in doc.pages[0].blocks}
    theirs = {b.text for b in twin.pages[0].blocks}
    assert len(ours & theirs) >= 0.95 * max(len(ours), len(theirs))
    assert len(doc.pages[0].tables) == len(twin.pages[0].tables) == 4
    for ours_t, theirs_t in zip(doc.pages[0].tables, twin.pages[0].tables, strict=True):
        assert (ours_t.n_rows, ours_t.n_cols) == (theirs_t.n_rows, theirs_t.n_cols)
        assert ours_t.text() == theirs_t.text()


def test_soffice_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_loader, "find_soffice", lambda: None)
    path = tmp_path / "old.doc"
    path.write_bytes(safety.OLE_MAGIC + "WordDocument".encode("utf-16-le") + bytes(1000))
    with pytest.raises(FileReadError) as err:
        LOADERS["doc"].load(path, "old.doc")
    assert err.value.message == doc_loader.MSG_NO_SOFFICE


def test_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "text.doc"
    path.write_bytes(b"\x00\x01binary junk that is no document" * 20)
    with pytest.raises(FileReadError) as err:
        LOADERS["doc"].load(path, "text.doc")
    assert err.value.message == safety.MSG_NOT_WORD


@needs_soffice
def test_conversion_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(safety.OLE_MAGIC + bytes(56) + b"\xff" * 3000)
    with pytest.raises(FileReadError) as err:
        LOADERS["doc"].load(path, "broken.doc")
    assert err.value.message == doc_loader.MSG_FAILED
