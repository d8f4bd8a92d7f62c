"""Word .docx and Excel .xlsx loaders: generated files for each rule, real files for
robustness (the GDNSF template's 15 tables, the chatchat drafts)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, ImageDraw

from extractors.loaders.digital import DIGITAL_LOADERS
from models.document import Document, Table

LOADERS = {loader.kind: loader for loader in DIGITAL_LOADERS}
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def load(path: Path) -> Document:
    return LOADERS[path.suffix.lstrip(".")].load(path, path.name)


def assert_grid_once(table: Table) -> None:
    covered: set[tuple[int, int]] = set()
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in covered, f"{cell.prov.cell} overlaps"
                assert r < table.n_rows and c < table.n_cols
                covered.add((r, c))


def _png(color: tuple[int, int, int]) -> io.BytesIO:
    img = Image.new("RGB", (120, 120), "white")
    ImageDraw.Draw(img).ellipse((5, 5, 115, 115), outline=color, width=10)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    buf.seek(0)
    return buf


def _inject(paragraph: object, xml: str) -> None:
    paragraph._p.append(etree.fromstring(f"<w:wrap {NS}>{xml}</w:wrap>")[0])  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def form_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    doc.sections[0].header.add_paragraph("页眉不读")
    doc.add_heading("总则", level=1)
    first = doc.add_paragraph("一、基本情况")
    first.runs[0].bold = True
    doc.add_paragraph("（二）财务状况")
    spaced = doc.add_paragraph("1. 说明事项")
    spaced.paragraph_format.line_spacing = 1.5
    exact = doc.add_paragraph("这是一个较长的正文段落，用固定值行距排版，不应被当作标题处理。" * 2)
    exact.paragraph_format.line_spacing = Pt(28)
    boxes = doc.add_paragraph("是否高新技术企业：")
    _inject(boxes, '<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>')
    _inject(boxes, "<w:r><w:t>是 □否 </w:t></w:r>")
    _inject(
        boxes,
        "<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val='1'/></w14:checkbox></w:sdtPr>"
        "<w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>",
    )
    cover = doc.add_paragraph()
    _inject(
        cover,
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx>"
        "<w:txbxContent><w:p><w:r><w:t>封面文本框</w:t></w:r></w:p></w:txbxContent>"
        "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        "<w:txbxContent><w:p><w:r><w:t>封面文本框</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    doc.add_paragraph("列表项", style="List Number")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "企业名称"
    table.cell(0, 2).text = "某某公司"
    table.cell(1, 0).text = "法定代表人"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "跨两行"
    table.cell(1, 1).paragraphs[0].add_run().add_picture(_png((40, 40, 40)))
    seal_cell = table.cell(2, 1)
    seal_cell.paragraphs[0].add_run().add_picture(_png((230, 20, 20)))
    nested = table.cell(2, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "嵌套甲"
    nested.cell(0, 1).text = "嵌套乙"
    table.cell(2, 0).paragraphs[0].text = "单位公章"
    doc.add_paragraph("结尾段落")
    path = tmp_path_factory.mktemp("docx") / "form.docx"
    doc.save(str(path))
    return path


def test_blocks_roles_and_styles(form_docx: Path) -> None:
    doc = load(form_docx)
    page = doc.pages[0]
    assert (page.number, page.unit, doc.source_kind) == (1, "none", "docx")
    by_text = {b.text: b for b in page.blocks}
    assert by_text["总则"].role == "heading" and by_text["总则"].level == 1
    assert (by_text["一、基本情况"].level, by_text["(二)财务状况"].level) == (1, 2)
    assert by_text["1. 说明事项"].level == 3
    body = next(b for b in page.blocks if b.text.startswith("这是一个较长"))
    assert body.role == "paragraph" and body.level is None
    assert body.style is not None and body.style.line_spacing is None
    assert body.style.font == "仿宋_GB2312" and body.style.size_pt == 16
    assert by_text["1. 说明事项"].style.line_spacing == 1.5  # type: ignore[union-attr]
    assert by_text["一、基本情况"].style.bold is True  # type: ignore[union-attr]
    assert by_text["总则"].prov.cell == "paragraph 1"
    assert "页眉不读" not in doc.text()


def test_checkboxes_textboxes_numbering(form_docx: Path) -> None:
    page = load(form_docx).pages[0]
    texts = [b.text for b in page.blocks]
    assert "是否高新技术企业:☑是 □否 ☑" in texts
    assert texts.count("封面文本框") == 1  # one branch of mc:AlternateContent
    assert "1.列表项" in texts


def test_table_grid_and_seal(form_docx: Path) -> None:
    doc = load(form_docx)
    page = doc.pages[0]
    (table,) = page.tables
    assert (table.n_rows, table.n_cols, table.prov.cell) == (3, 3, "table 1")
    assert_grid_once(table)
    name = next(c for c in table.cells if c.text == "企业名称")
    assert (name.row, name.col, name.colspan) == (0, 0, 2)
    tall = next(c for c in table.cells if c.text == "跨两行")
    assert (tall.row, tall.col, tall.rowspan, tall.prov.cell) == (1, 2, 2, "table 1 r2 c3")
    assert next(c for c in table.cells if c.row == 2 and c.col == 0).text == ("单位公章 嵌套甲 嵌套乙")
    assert [c.image_count for c in table.cells if c.row in (1, 2) and c.col == 1] == [1, 1]
    (seal,) = page.seals  # the grey picture is not a seal
    assert seal.source == "docx-picture" and seal.page == 1
    assert seal.text == "单位公章 嵌套甲 嵌套乙"  # empty cell: nearest label on its left
    assert seal.anchor == "table 1 r3 c2"
    assert doc.meta["body_order"].endswith("t1 p10")


def test_seal_anchors(tmp_path: Path) -> None:
    """Each picture seal names the paragraph or cell holding it, with the same string as
    that block's or cell's ``prov.cell``; a seal in a vertically merged cell's lower part
    belongs to the merged cell."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("申报单位（盖章）：")
    doc.add_paragraph().add_run().add_picture(_png((220, 20, 30)))
    doc.add_paragraph("推荐单位意见")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "法定代表人签字"
    table.cell(1, 0).text = "单位公章"
    merged = table.cell(1, 1).merge(table.cell(2, 1))
    picture = merged.add_paragraph()
    picture.add_run().add_picture(_png((220, 20, 30)))
    table._tbl.tr_lst[2].tc_lst[1].append(picture._p)  # into the vMerge continuation
    table.cell(2, 0).paragraphs[0].add_run().add_picture(_png((40, 40, 40)))  # not a seal
    path = tmp_path / "anchors.docx"
    doc.save(str(path))

    page = load(path).pages[0]
    assert [(s.anchor, s.text) for s in page.seals] == [
        ("paragraph 2", "申报单位(盖章):"),
        ("table 1 r2 c2", "单位公章"),
    ]
    cell_refs = {c.prov.cell for c in page.tables[0].cells}
    assert page.seals[1].anchor in cell_refs
    assert next(c for c in page.tables[0].cells if c.prov.cell == "table 1 r2 c2").rowspan == 2


def test_gdnsf_template(realdocs: Path) -> None:
    folder = realdocs / "application-templates"
    doc = load(next(folder.glob("GDNSF_2025*.docx")))
    tables = doc.pages[0].tables
    assert len(tables) == 15
    for table in tables:
        assert_grid_once(table)
    merged = [c for t in tables for c in t.cells if c.rowspan > 1 or c.colspan > 1]
    assert len(merged) > 20
    assert tables[2].cells[0].text == "研 究 项 目 情 况" and tables[2].cells[0].rowspan > 1
    headings = [b.text for b in doc.pages[0].blocks if b.role == "heading" and b.level == 1]
    assert "一、基本信息" in headings


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (Path(__file__).parent.parent.parent / "shared/realdocs/chatchat-docx").glob("*.docx")),
)
def test_chatchat_docx_load(realdocs: Path, name: str) -> None:
    doc = load(realdocs / "chatchat-docx" / name)
    assert doc.pages[0].blocks
    for table in doc.pages[0].tables:
        assert_grid_once(table)


def test_ocr_test_docx(realdocs: Path) -> None:
    assert "我是文字" in load(realdocs / "chatchat-docx" / "ocr_test.docx").text()


# -- xlsx (same OOXML family) -----------------------------------------------------------------


def test_xlsx_sheets_spans_and_numbers(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws["B1"] = "附件3 汇总表"
    ws.merge_cells("B1:D1")
    ws.append([None, "序号", "单位名称", "营业收入（万元）"])
    ws.append([None, 1, "某某有限公司", 1234.0])
    ws["E3"], ws["E3"].number_format = 0.256, "0.0%"
    ws["F3"], ws["F3"].number_format = 1234567.891, "#,##0.00"
    wb.create_sheet("空表")
    path = tmp_path / "summary.xlsx"
    wb.save(path)
    doc = load(path)
    assert doc.source_kind == "xlsx" and len(doc.pages) == 2
    assert doc.meta["sheet_names"] == '["汇总表", "空表"]'
    table = doc.pages[0].tables[0]
    assert (table.n_rows, table.n_cols) == (3, 5)  # column A dropped
    assert_grid_once(table)
    title = table.cells[0]
    assert (title.text, title.colspan, title.prov.cell) == ("附件3 汇总表", 3, "汇总表!B1")
    assert [c.text for c in table.rows()[2]] == ["1", "某某有限公司", "1234", "25.6%", "1,234,567.89"]
    assert doc.pages[1].tables == [] and doc.pages[1].unit == "none"
