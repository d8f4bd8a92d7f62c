"""Issue 11 points 4 and 7 (XXE): every dimension of a hostile Office file is capped before
the work (grid spans, rows, merged ranges) and XML is never parsed with entities on."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from extractors.attachments.geometry import Line, _RowIndex, same_row
from extractors.loaders import xlsx_loader
from extractors.loaders.docx_loader import load_docx, parse_part
from extractors.loaders.docx_tables import MAX_GRID_COLS, MAX_TABLE_ROWS
from extractors.loaders.safety import MSG_XML_TRICK
from extractors.loaders.xlsx_loader import MAX_ROWS, MSG_MERGE_BOMB, load_xlsx
from intake.reading import read_file
from models.document import BBox
from models.errors import FileReadError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
    '+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx(path: Path, body: str, prologue: str = "") -> Path:
    head = f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
    document = f'{head}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
    return path


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def test_grid_span_bomb_is_clipped(tmp_path: Path) -> None:
    row1 = '<w:tr><w:trPr><w:gridBefore w:val="999999999"/></w:trPr>'
    row1 += _tc("甲", '<w:gridSpan w:val="999999999"/>') + _tc("乙", '<w:gridSpan w:val="-7"/>') + "</w:tr>"
    row2 = "<w:tr>" + _tc("名称", '<w:gridSpan w:val="999999999"/>') + _tc("测试公司") + "</w:tr>"
    doc = load_docx(_docx(tmp_path / "span.docx", f"<w:tbl>{row1}{row2}</w:tbl>"), "span.docx")
    (table,) = doc.pages[0].tables
    assert table.n_cols <= MAX_GRID_COLS
    assert all(c.col + c.colspan <= MAX_GRID_COLS for c in table.cells)
    assert {"甲", "名称"} <= {c.text for c in table.cells}


def test_long_word_table_is_read_up_to_the_cap_and_says_so(tmp_path: Path) -> None:
    rows = "".join(f"<w:tr>{_tc(f'名称{r}')}{_tc(str(r))}</w:tr>" for r in range(MAX_TABLE_ROWS + 7))
    path = _docx(tmp_path / "rows.docx", f"{_p('汇总')}<w:tbl>{rows}</w:tbl>")
    doc = load_docx(path, "rows.docx")
    assert doc.pages[0].tables[0].n_rows == MAX_TABLE_ROWS
    result = read_file(path, "rows.docx", ocr_engine="replay")
    assert result.entry.status == "read"
    (finding,) = result.findings
    assert finding.severity == "warning" and f"只读取了前 {MAX_TABLE_ROWS} 行" in finding.message


def _xlsx_with(tmp_path: Path, name: str, extra_sheet_xml: bytes) -> Path:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "名称"
    wb.active["C3"] = "x"
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + extra_sheet_xml)
            out.writestr(info, data)
    return path


def test_merged_range_bomb_is_refused_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _xlsx_with(tmp_path, "merge.xlsx", b'<mergeCells count="1"><mergeCell ref="C3:XFD1048576"/></mergeCells>')

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a merge bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(FileReadError) as exc:
        load_xlsx(path, "merge.xlsx")
    assert exc.value.message == MSG_MERGE_BOMB


def test_ordinary_merges_still_read(tmp_path: Path) -> None:
    path = _xlsx_with(tmp_path, "ok.xlsx", b'<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>')
    (table,) = load_xlsx(path, "ok.xlsx").pages[0].tables
    first = next(c for c in table.cells if c.text == "名称")
    assert (first.rowspan, first.colspan) == (2, 2)


def test_many_rows_are_streamed_up_to_the_cap(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "单位名称"])
    for r in range(MAX_ROWS + 50):
        ws.append([r, f"公司{r}"])
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    doc = load_xlsx(path, "rows.xlsx")
    (table,) = doc.pages[0].tables
    assert table.n_rows == MAX_ROWS
    assert "只读取了前" in doc.meta["truncated"]
    assert xlsx_loader.scan_sheets(path)["xl/worksheets/sheet1.xml"] == (MAX_ROWS + 51, 0)


def test_row_index_finds_exactly_the_lines_on_a_row() -> None:
    """The bisection that made label finding linear must find what the full scan found."""
    rng = random.Random(7)
    lines = []
    for i in range(400):
        y0 = rng.uniform(0, 2000)
        box = BBox(x0=rng.uniform(0, 500), y0=y0, x1=rng.uniform(500, 900), y1=y0 + rng.choice([8, 12, 20, 90]))
        lines.append(Line(text=f"l{i}", bbox=box, confidence=1.0, file="f", page=1, method="ocr"))
    index = _RowIndex(lines)
    for start in lines:
        brute = [ln for ln in lines if same_row(start.bbox, ln.bbox)]
        assert [ln for ln in index.near(start.bbox) if same_row(start.bbox, ln.bbox)] == brute


SECRET = "top-secret-xxe-marker"


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def test_xxe_after_padding_is_refused(tmp_path: Path, secret_file: Path) -> None:
    padding = "<!--" + " " * 8192 + "-->"
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
    path = _docx(tmp_path / "xxe.docx", _p("&xxe;"), prologue=padding + doctype)
    result = read_file(path, "xxe.docx", ocr_engine="replay")
    assert result.entry.status == "unreadable" and result.entry.reason == MSG_XML_TRICK
    assert SECRET not in result.model_dump_json()


def test_parsers_never_resolve_entities(secret_file: Path) -> None:
    """Behind the zip check, every parser we hand package XML to has entities off."""
    from docx.oxml.parser import oxml_parser
    from openpyxl.xml.functions import fromstring as openpyxl_fromstring

    xml = (
        f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        f'<w:document xmlns:w="{W}"><w:body>{_p("&xxe;")}</w:body></w:document>'
    ).encode()
    from lxml import etree

    for root in (parse_part(xml), etree.fromstring(xml, oxml_parser), openpyxl_fromstring(xml)):
        assert SECRET not in etree.tostring(root, encoding="unicode")


def test_docx_with_a_broken_content_types_part_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: a duplicate [Content_Types].xml holding ``<x/>`` made
    python-docx raise AttributeError (caught only by the last-resort guard, with a traceback)."""
    path = _docx(tmp_path / "ok.docx", _p("名称"))
    broken = tmp_path / "dup.docx"
    src = zipfile.ZipFile(path)
    with zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = b"<x/>" if info.filename == "[Content_Types].xml" else src.read(info)
            out.writestr(info.filename, data)
    with pytest.raises(FileReadError) as exc:
        load_docx(broken, "dup.docx")
    assert "Word" in exc.value.message and "AttributeError" in exc.value.detail
