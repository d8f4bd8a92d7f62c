"""PDF loader: real documents from ../shared/realdocs and small PDFs drawn with reportlab."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from extractors.loaders.digital import DIGITAL_LOADERS
from models.document import Document, Table
from models.errors import FileReadError

PDF = next(loader for loader in DIGITAL_LOADERS if loader.kind == "pdf")
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK = "pdfplumber-cjk"


def load(path: Path) -> Document:
    return PDF.load(path, path.name)


def assert_grid_once(table: Table) -> None:
    """Every grid position is covered by at most one cell (merged cells appear once)."""
    covered: set[tuple[int, int]] = set()
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in covered, f"{cell.prov.cell} overlaps"
                assert r < table.n_rows and c < table.n_cols
                covered.add((r, c))


# -- real documents -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "issue-336-example.pdf",
        "issue-461-example.pdf",
        "issue-463-example.pdf",
        "issue-67-example.pdf",
        "issue-71-duplicate-chars.pdf",
        "issue-71-duplicate-chars-2.pdf",
        "issue-842-example.pdf",
        "pr-136-example.pdf",
    ],
)
def test_realdocs_load(realdocs: Path, name: str) -> None:
    doc = load(realdocs / CJK / name)
    assert doc.source_kind == "pdf" and doc.pages
    for page in doc.pages:
        for block in page.blocks:
            box = block.prov.bbox
            assert box is not None and box.x0 <= box.x1 and box.y0 <= box.y1
            assert box.y0 >= -1 and box.y1 <= page.height + 1
        for table in page.tables:
            assert_grid_once(table)


def test_issue_336_tables(realdocs: Path) -> None:
    page = load(realdocs / CJK / "issue-336-example.pdf").pages[0]
    assert [t.n_rows for t in page.tables] == [8, 11, 2]
    assert page.tables[0].prov.cell == "table 1"
    assert any(c.rowspan > 1 for t in page.tables for c in t.cells)
    assert all(c.prov.cell and c.prov.cell.startswith("table ") for c in page.tables[1].cells)
    assert sum(1 for c in page.tables[1].cells if c.text) > 10


def test_issue_71_duplicates_removed(realdocs: Path) -> None:
    page = load(realdocs / CJK / "issue-71-duplicate-chars.pdf").pages[0]
    last_y = max(b.prov.bbox.y0 for b in page.blocks if b.prov.bbox)
    last = sorted(
        (b for b in page.blocks if b.prov.bbox and abs(b.prov.bbox.y0 - last_y) < 3),
        key=lambda b: b.prov.bbox.x0 if b.prov.bbox else 0,
    )
    assert " ".join(b.orig for b in last) == "微软 培训课程： 名模意义一些有意义一些"
    assert "微微软软" not in page.text()


def test_pr_136_invisible_ocr_layer(realdocs: Path) -> None:
    doc = load(realdocs / CJK / "pr-136-example.pdf")
    assert len(doc.pages) == 6
    assert all(p.needs_ocr and not p.blocks for p in doc.pages)
    assert "说阴" not in doc.text()


def test_gbk_font_names(realdocs: Path) -> None:
    assert "安利股份" in load(realdocs / CJK / "issue-842-example.pdf").text()
    assert load(realdocs / CJK / "issue-461-example.pdf").text().strip()


def test_application_template_pdf(realdocs: Path) -> None:
    """The 2026 template is a text outline (no tables); its last page is blank."""
    doc = load(realdocs / "application-templates" / "GDNSF_2026年省自然模板.pdf")
    assert not doc.pages[0].needs_ocr
    assert [b.text for b in doc.pages[0].blocks][1] == "报告正文"
    assert "立论依据" in doc.text()
    assert doc.pages[-1].needs_ocr and not doc.pages[-1].has_text_layer


# -- generated documents ----------------------------------------------------------------------


def _canvas(path: Path, **kwargs: object) -> object:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    return canvas.Canvas(str(path), pagesize=(595, 842), **kwargs)


def _red_seal_png() -> bytes:
    img = Image.new("RGBA", (200, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 10, 190, 190), outline=(220, 20, 30, 255), width=12)
    draw.polygon([(100, 60), (120, 120), (80, 120)], fill=(220, 20, 30, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1: a ruled form with a merged cell, a label/value line and a red seal.
    Page 2: a scan-like page (a big grey image, an invisible text layer). Page 3: blank."""
    from reportlab.lib.utils import ImageReader

    path = tmp_path_factory.mktemp("pdf") / "form.pdf"
    c = _canvas(path)
    c.setFont("WQY", 12)
    c.drawString(72, 800, "企业名称：")
    c.drawString(250, 800, "广西某某科技有限公司")
    xs, ys = [72, 200, 350, 500], [700, 670, 640, 610]
    for x in (72, 200, 500):
        c.line(x, ys[0], x, ys[-1])
    c.line(350, 700, 350, 670)  # no border between r2 c2 and c3: merged
    c.line(350, 640, 350, 610)
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.drawString(80, 680, "年份")
    c.drawString(210, 680, "2020")
    c.drawString(360, 680, "2021")
    c.drawString(80, 650, "营业收入")
    c.drawString(210, 650, "合并单元格")
    c.drawString(80, 620, "利润")
    c.drawString(210, 620, "10")
    c.drawString(360, 620, "20")
    c.drawImage(ImageReader(io.BytesIO(_red_seal_png())), 380, 420, 120, 120, mask="auto")
    c.showPage()
    grey = Image.new("RGB", (400, 560), (235, 235, 235))
    c.drawImage(ImageReader(grey), 0, 0, 595, 842)
    text = c.beginText(72, 700)
    text.setFont("WQY", 12)
    text.setTextRenderMode(3)
    text.textLine("说阴 这是一个错误的识别层 ZOq5 年度报告 全部不可见")
    c.drawText(text)
    c.showPage()
    c.showPage()
    c.save()
    return path


def test_generated_form_text_and_blocks(form_pdf: Path) -> None:
    page = load(form_pdf).pages[0]
    texts = [b.text for b in page.blocks]
    assert "企业名称:" in texts and "广西某某科技有限公司" in texts  # split at the wide gap
    value = next(b for b in page.blocks if b.text == "广西某某科技有限公司")
    assert value.prov.bbox is not None and 30 < value.prov.bbox.y0 < 50  # top-left origin
    assert value.prov.page == 1 and value.prov.method == "pdf-text"


def test_generated_form_table(form_pdf: Path) -> None:
    page = load(form_pdf).pages[0]
    assert len(page.tables) == 1
    table = page.tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert_grid_once(table)
    merged = next(c for c in table.cells if c.text == "合并单元格")
    assert (merged.row, merged.col, merged.colspan) == (1, 1, 2)
    assert merged.prov.cell == "table 1 r2 c2"
    assert [c.text for c in table.rows()[2]] == ["利润", "10", "20"]
    assert "营业收入" in [b.text for b in page.blocks]  # cells split the line into blocks


def test_generated_seal_and_ocr_pages(form_pdf: Path) -> None:
    doc = load(form_pdf)
    first, scan, blank = doc.pages
    assert len(first.seals) == 1 and first.seals[0].source == "pdf-image"
    box = first.seals[0].bbox
    assert box is not None and abs(box.x0 - 380) < 2 and abs(box.y0 - (842 - 540)) < 2
    assert scan.needs_ocr and not scan.blocks and "说阴" not in doc.text()
    assert blank.needs_ocr and not blank.has_text_layer
    assert doc.meta["needs_ocr_pages"] == "2,3"


def test_encrypted_pdf(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    c = _canvas(locked, encrypt="secret")
    c.setFont("WQY", 12)
    c.drawString(72, 800, "加密文件")
    c.save()
    with pytest.raises(FileReadError) as err:
        load(locked)
    assert "已加密" in err.value.message


def test_owner_password_only_opens(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "owner.pdf"
    c = _canvas(path, encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0))
    c.setFont("WQY", 12)
    c.drawString(72, 800, "只有所有者密码的文件内容可以读取")
    c.save()
    assert "只有所有者密码" in load(path).text()


# -- ruled tables from pdfium path segments ---------------------------------------------------


def _rule_grid(c: object, x0: float, top: float, widths: list[int], heights: list[int], filled: bool) -> None:
    """Draw a 3-column grid whose middle rule stops after the first row (so row 2 has a
    cell spanning columns 2-3), as stroked lines or as thin filled rectangles."""
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top - sum(heights[:i]) for i in range(len(heights) + 1)]

    def rule(xa: float, ya: float, xb: float, yb: float) -> None:
        if filled:
            c.rect(min(xa, xb) - 0.4, min(ya, yb) - 0.4, abs(xb - xa) + 0.8, abs(yb - ya) + 0.8, stroke=0, fill=1)  # type: ignore[attr-defined]
        else:
            c.line(xa, ya, xb, yb)  # type: ignore[attr-defined]

    for y in ys:
        rule(xs[0], y, xs[-1], y)
    for i, x in enumerate(xs):
        if i == 2:  # no rule inside row 2
            rule(x, ys[0], x, ys[1])
            rule(x, ys[2], x, ys[3])
        else:
            rule(x, ys[0], x, ys[-1])
    c.setFont("WQY", 10)  # type: ignore[attr-defined]
    for r, labels in enumerate((["名称", "2021", "2022"], ["收入", "合并"], ["利润", "10", "20"])):
        for col, label in enumerate(labels):
            c.drawString(xs[col] + 4, ys[r] - 14, label)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def ruled_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1: rules as thin filled rectangles. Page 2: the same grid drawn as lines
    inside a form XObject placed with a translation."""
    path = tmp_path_factory.mktemp("pdf") / "ruled.pdf"
    c = _canvas(path)
    _rule_grid(c, 72, 760, [100, 80, 80], [24, 24, 24], filled=True)
    c.showPage()
    c.beginForm("grid")
    _rule_grid(c, 0, 0, [100, 80, 80], [24, 24, 24], filled=False)
    c.endForm()
    c.saveState()
    c.translate(90, 700)
    c.doForm("grid")
    c.restoreState()
    c.showPage()
    c.save()
    return path


def test_ruled_grid_from_segments(ruled_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Filled-rectangle rules and rules inside a form XObject give the table without
    pdfplumber, with the merged cell once, and the same cells pdfplumber finds."""
    import pdfplumber

    from extractors.loaders import pdf_tables

    with pdfplumber.open(ruled_pdf) as plumbed:
        expected = [sorted(t.cells) for page in plumbed.pages for t in page.find_tables()]

    def no_plumber(self: object, index: int) -> list:
        raise AssertionError("pdfplumber was asked although the segments hold the grid")

    monkeypatch.setattr(pdf_tables.Plumber, "cells", no_plumber)
    doc = load(ruled_pdf)
    found = [
        sorted((c.prov.bbox.x0, c.prov.bbox.y0, c.prov.bbox.x1, c.prov.bbox.y1) for c in t.cells)
        for p in doc.pages
        for t in p.tables
    ]  # type: ignore[union-attr]
    assert len(found) == len(expected) == 2
    for ours, theirs in zip(found, expected, strict=True):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            assert a == pytest.approx(b, abs=0.05)
    for page in doc.pages:
        (table,) = page.tables
        assert (table.n_rows, table.n_cols) == (3, 3)
        assert_grid_once(table)
        merged = next(c for c in table.cells if c.text == "合并")
        assert (merged.row, merged.col, merged.colspan, merged.prov.cell) == (1, 1, 2, "table 1 r2 c2")
        assert [c.text for c in table.rows()[2]] == ["利润", "10", "20"]


def test_issue_336_tables_without_pdfplumber(realdocs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.loaders import pdf_tables

    def no_plumber(self: object, index: int) -> list:
        raise AssertionError("pdfplumber was asked")

    monkeypatch.setattr(pdf_tables.Plumber, "cells", no_plumber)
    page = load(realdocs / CJK / "issue-336-example.pdf").pages[0]
    assert [t.n_rows for t in page.tables] == [8, 11, 2]


def test_pdfplumber_fallback_when_segments_unreadable(realdocs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path pdfium cannot take apart sends the page to pdfplumber's own parse."""
    from extractors.loaders import pdf_tables

    asked: list[int] = []
    real_cells = pdf_tables.Plumber.cells

    def spy(self: pdf_tables.Plumber, index: int) -> list:
        asked.append(index)
        return real_cells(self, index)

    monkeypatch.setattr(pdf_tables, "path_points", lambda obj: None)
    monkeypatch.setattr(pdf_tables.Plumber, "cells", spy)
    page = load(realdocs / CJK / "issue-336-example.pdf").pages[0]
    assert asked == [0]
    assert [t.n_rows for t in page.tables] == [8, 11, 2]


def test_generated_characters_are_whitespace(form_pdf: Path, realdocs: Path) -> None:
    """``read_chars`` skips whitespace before anything else and asks pdfium nothing more
    about it: pdfium generates only spaces and line breaks, never a visible character."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    generated = 0
    for path in [form_pdf, *sorted((realdocs / CJK).glob("*.pdf"))]:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for page in pdf:
                textpage = page.get_textpage()  # held: its handle lives as long as it does
                raw = textpage.raw
                for i in range(pdfium_c.FPDFText_CountChars(raw)):
                    if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                        generated += 1
                        code = pdfium_c.FPDFText_GetUnicode(raw, i)
                        assert code == 0 or chr(code).isspace(), f"{path.name}: generated {code:#x}"
        finally:
            pdf.close()
    assert generated > 0  # the check saw pdfium's generated characters
