"""Application books as Word files: cover with ☑/□ boxes, the form as a real Word table with
merged cells, the commitment block with seal pictures, and the body in the notice's fonts
(正文 小四 仿宋_GB2312 single spacing; 一级标题 小四 黑体; 二级标题 小四 楷体_GB2312)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from samples.gen.content import Book
from samples.gen.files import normalise_zip
from samples.gen.layout import BODY_TITLES, FORM_HEADINGS, Grid, form_grids, kind_checkboxes

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
FIXED_TIME = dt.datetime(2021, 11, 1, 9, 0, 0)


def set_run_font(run, east: str, size: float, bold: bool = False, ascii_font: str | None = None):
    """Give a run its east-asian font (w:rFonts w:eastAsia), size and weight."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = ascii_font or "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east)
    return run


def add_text(
    container,
    text: str,
    east: str = FANGSONG,
    size: float = 12.0,
    bold: bool = False,
    align: str = "left",
    spacing: float = 1.0,
) -> Paragraph:
    """A paragraph with one run, single spacing and no space after unless asked."""
    para = container.add_paragraph()
    para.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = para.paragraph_format
    fmt.line_spacing = spacing
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    set_run_font(para.add_run(text), east, size, bold)
    return para


def _cell_text(cell: _Cell, text: str, align: str, size: float = 10.5) -> None:
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    para.paragraph_format.space_after = Pt(0)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = set_run_font(para.add_run(line), FANGSONG, size)
        if i < len(lines) - 1:
            run.add_break()
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_grid(doc, grid: Grid) -> None:
    """Build the Word table cell by cell, merging spans the way Word stores them."""
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.autofit = False
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Cm(grid.widths[c])
    for r, height in grid.tall_rows.items():
        table.rows[r].height = Cm(height)
    for spec in grid.cells:
        cell = table.cell(spec.row, spec.col)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(spec.row + spec.rowspan - 1, spec.col + spec.colspan - 1))
        _cell_text(cell, spec.text, spec.align)
        if spec.header:
            for run in cell.paragraphs[0].runs:
                set_run_font(run, HEITI, 10.5, bold=True)


def _seal_line(cell: _Cell, label: str, seal: Path | None) -> None:
    para = cell.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_run_font(para.add_run(label), FANGSONG, 12)
    if seal is not None:
        para.add_run().add_picture(str(seal), width=Cm(3.6))


def add_commitment(doc, book: Book) -> None:
    """填报单位意见及真实性承诺 and 市级推荐单位意见 (or the city government's opinion)."""
    table = doc.add_table(rows=2 if book.kind != "city" and book.commitment else 1, cols=1)
    table.style = "Table Grid"
    blocks: list[tuple[str, str, str, str | None, str]]
    if book.kind == "city":
        blocks = [("申报城市人民政府意见：", "同意申报。", "市人民政府（章）", "city_government", book.recommend_date)]
    else:
        blocks = [
            (
                "填报单位意见及真实性承诺：",
                "本申报表所有材料，均真实、完整，如有不实，愿承担相应的责任。",
                "申报单位（章）",
                "applicant",
                book.commit_date,
            ),
            (
                "市级推荐单位意见：",
                "经审核，该单位申报材料真实，符合申报条件，同意推荐。",
                "单 位（章）",
                "recommender",
                book.recommend_date,
            ),
        ]
    if not book.commitment:
        blocks = [b for b in blocks if b[3] != "applicant"]
    for row, (title, text, label, role, date) in zip(table.rows, blocks, strict=True):
        cell = row.cells[0]
        cell.width = Cm(15)
        _cell_text(cell, title, "left", 12)
        para = cell.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(24)
        set_run_font(para.add_run(text), FANGSONG, 12)
        _seal_line(cell, label, book.seals.get(role or ""))
        for line in ("负责人（签章）", date):
            p = cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_run_font(p.add_run(line), FANGSONG, 12)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_cover(doc, book: Book) -> None:
    for _ in range(4):
        add_text(doc, "")
    add_text(doc, book.round_title, HEITI, 22, True, "center")
    add_text(doc, "申 报 书", HEITI, 36, True, "center", spacing=1.5)
    for _ in range(3):
        add_text(doc, "")
    add_text(doc, f"申报单位：{book.applicant}", FANGSONG, 16, align="left", spacing=2.0)
    boxes = kind_checkboxes(book.kind)
    add_text(doc, f"申报类型：{boxes[0]}", FANGSONG, 16, spacing=1.5)
    add_text(doc, f"          {boxes[1]}", FANGSONG, 16, spacing=1.5)
    add_text(doc, f"推荐单位：{book.recommender}", FANGSONG, 16, spacing=2.0)
    for _ in range(5):
        add_text(doc, "")
    add_text(doc, book.issuer_line, FANGSONG, 16, align="center")
    page_break(doc)


def add_body(doc, book: Book) -> None:
    add_text(doc, BODY_TITLES[book.kind], HEITI, 16, True, "center")
    add_text(doc, "")
    for level, text in book.body:
        if book.deviant_format:
            east, size, spacing = SONGTI, 14.0, 1.5
            if level == 1:
                east = HEITI
        else:
            east = {0: FANGSONG, 1: HEITI, 2: KAITI}[level]
            size, spacing = 12.0, 1.0
        para = add_text(doc, text, east, size, align="justify", spacing=spacing)
        if level == 0:
            para.paragraph_format.first_line_indent = Pt(size * 2)


def write_docx(book: Book, path: Path) -> None:
    """The whole book as one .docx: cover, form, commitment, body."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin = section.bottom_margin = Cm(2.5)
    add_cover(doc, book)
    number, title = FORM_HEADINGS[book.kind]
    add_text(doc, number, HEITI, 14)
    add_text(doc, title, HEITI, 16, True, "center")
    add_text(doc, "")
    for i, grid in enumerate(form_grids(book.kind, book.values)):
        if i == 1:  # 表3's second table
            add_text(doc, "服务典型企业名单", HEITI, 12, True, "center")
        add_grid(doc, grid)
        add_text(doc, "")
    add_commitment(doc, book)
    doc.add_section(WD_SECTION.NEW_PAGE)
    add_body(doc, book)
    props = doc.core_properties
    props.author = book.applicant
    props.last_modified_by = book.applicant
    props.title = f"{book.applicant}申报书"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path)
