"""Bad input never escapes a digital loader as anything but ``FileReadError`` with a
Chinese message: empty, truncated, renamed, encrypted, zip bombs, XML entity tricks, and
random corruption of valid files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from extractors.loaders import safety
from extractors.loaders.digital import DIGITAL_LOADERS
from models.document import Document
from models.errors import FileReadError

LOADERS = {loader.kind: loader for loader in DIGITAL_LOADERS}


def load(path: Path, kind: str | None = None) -> Document:
    return LOADERS[kind or path.suffix.lstrip(".")].load(path, path.name)


def read_error(path: Path, kind: str | None = None) -> str:
    with pytest.raises(FileReadError) as err:
        load(path, kind)
    message = err.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One small valid file per kind, as bytes."""
    import docx
    import openpyxl
    from reportlab.pdfgen import canvas

    folder = tmp_path_factory.mktemp("good")
    document = docx.Document()
    document.add_paragraph("申报单位：某某有限公司")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "名称"
    document.save(str(folder / "a.docx"))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "序号"
    wb.save(folder / "a.xlsx")
    c = canvas.Canvas(str(folder / "a.pdf"))
    c.drawString(72, 720, "Application form, page one")
    c.line(72, 700, 300, 700)
    c.save()
    return {kind: (folder / f"a.{kind}").read_bytes() for kind in ("docx", "xlsx", "pdf")}


@pytest.mark.parametrize("kind", ["docx", "doc", "pdf", "xlsx"])
def test_zero_bytes(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"empty.{kind}"
    path.write_bytes(b"")
    assert "0 字节" in read_error(path)


def test_jpeg_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "photo.docx"
    Image.new("RGB", (20, 20), "red").save(path, "JPEG")
    assert read_error(path) == safety.MSG_NOT_WORD


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path, good: dict[str, bytes]) -> None:
    path = tmp_path / "form.docx"
    path.write_bytes(good["pdf"])
    doc = load(path)
    assert doc.source_kind == "pdf" and doc.meta["sniffed_as"] == "pdf"
    assert "Application form" in doc.text()


def test_docx_named_doc_needs_no_libreoffice(
    tmp_path: Path, good: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractors.loaders import doc_loader

    monkeypatch.setattr(doc_loader, "find_soffice", lambda: None)
    path = tmp_path / "renamed.doc"
    path.write_bytes(good["docx"])
    doc = load(path)
    assert doc.meta["sniffed_as"] == "docx" and "某某有限公司" in doc.text()


@pytest.mark.parametrize("cut", [100, 600, 0.5])
def test_truncated_pdf(tmp_path: Path, good: dict[str, bytes], cut: float) -> None:
    data = good["pdf"]
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(cut * len(data)) if cut < 1 else int(cut)])
    try:
        load(path)  # pdfium may repair a mildly truncated file; that is fine
    except FileReadError as err:
        assert "PDF" in err.message


def test_garbage_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert "PDF" in read_error(path)
    path.write_bytes(b"not a pdf at all" * 10)
    assert read_error(path) == safety.MSG_NOT_PDF


def test_encrypted_ooxml_in_ole(tmp_path: Path) -> None:
    blob = safety.OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    for name in ("secret.docx", "secret.xlsx", "secret.doc"):
        path = tmp_path / name
        path.write_bytes(blob)
        assert read_error(path) == safety.MSG_ENCRYPTED


def test_encrypted_legacy_doc(tmp_path: Path) -> None:
    data = bytearray(2048)
    data[:8] = safety.OLE_MAGIC
    data[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    entry = 512 + 128
    name = "WordDocument".encode("utf-16-le")
    data[entry : entry + len(name)] = name
    data[entry + 0x74 : entry + 0x78] = (1).to_bytes(4, "little")  # stream at sector 1
    fib = 2 * 512
    data[fib : fib + 2] = b"\xec\xa5"
    data[fib + 0x0A : fib + 0x0C] = (0x0100).to_bytes(2, "little")  # fEncrypted
    path = tmp_path / "legacy.doc"
    path.write_bytes(bytes(data))
    assert safety.sniff(path) == "ole-encrypted"
    assert read_error(path) == safety.MSG_ENCRYPTED


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename, src.read(info.filename)))
        for name, content in replace.items():
            if name not in src.namelist():
                dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bomb(tmp_path: Path, good: dict[str, bytes], kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_UNZIPPED_BYTES", 4 * 1024 * 1024)
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(_rezip(good[kind], {"padding.bin": bytes(8 * 1024 * 1024)}))
    assert read_error(path) == safety.MSG_BOMB
    monkeypatch.setattr(safety, "MAX_UNZIPPED_BYTES", 300 * 1024 * 1024)
    monkeypatch.setattr(safety, "RATIO_FLOOR_BYTES", 1024 * 1024)
    assert read_error(path) == safety.MSG_BOMB  # ratio about 1000


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_xml_entities(tmp_path: Path, good: dict[str, bytes], kind: str) -> None:
    part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(io.BytesIO(good[kind])) as zf:
        xml = zf.read(part)
    head, _, rest = xml.rpartition(b"?>")
    laughs = b'<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    path = tmp_path / f"entities.{kind}"
    prologue = head + b"?>" if head else b""
    path.write_bytes(_rezip(good[kind], {part: prologue + laughs + rest}))
    assert read_error(path) == safety.MSG_XML_TRICK


def test_corrupt_zip(tmp_path: Path, good: dict[str, bytes]) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(good["docx"][: len(good["docx"]) // 2])
    read_error(path)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
def test_random_corruption(tmp_path: Path, good: dict[str, bytes], kind: str) -> None:
    """Flip bytes of a valid file: a Document or a FileReadError, nothing else."""
    rng = random.Random(20240601)
    data = good[kind]
    seen: set[str] = set()
    for trial in range(12):
        mutated = bytearray(data)
        for _ in range(rng.choice([1, 5, 40])):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path = tmp_path / f"m{trial}.{kind}"
        path.write_bytes(bytes(mutated))
        try:
            load(path)
        except FileReadError as err:
            seen.add(err.message)
    print(kind, seen)
