"""Digital PDF books (reportlab, embedded WQY TrueType so that every PDF library reads the
text): the same cover, ruled form tables with spans, sealed commitment block and body as
the Word books; plus plain one-to-three page documents (contracts, certificates, policies)
and image-only PDFs for scans. ``invariant=1`` keeps the bytes stable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from samples.gen.content import Book
from samples.gen.layout import BODY_TITLES, FORM_HEADINGS, Grid, form_grids, kind_checkboxes

FONT = "WQYZenHei"
FONT2 = "WQYMicroHei"
SYMBOL = "DejaVuSans"
_registered = False


def register_fonts() -> None:
    """Register the TrueType collections once (TrueType, not CFF: pdfplumber reads them)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    pdfmetrics.registerFont(TTFont(FONT2, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))
    pdfmetrics.registerFont(TTFont(SYMBOL, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    _registered = True


def style(
    size: float = 12, align: int = TA_LEFT, leading: float | None = None, font: str = FONT, indent: float = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{align}{font}{indent}",
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.35,
        alignment=align,
        wordWrap="CJK",
        firstLineIndent=indent,
    )


def markup(text: str) -> str:
    """Escape text for a Paragraph; ☑ comes from DejaVu (WQY lacks it); newlines break."""
    out = escape(text).replace("☑", f'<font name="{SYMBOL}">☑</font>')
    return out.replace("\n", "<br/>")


class SealedLine(Flowable):
    """A right-aligned label such as 申报单位（章） with a seal image pressed over its end."""

    def __init__(self, label: str, seal: Path | None, size: float = 12) -> None:
        super().__init__()
        self.label, self.seal, self.size = label, seal, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.6

    def draw(self) -> None:
        c = self.canv
        c.setFont(FONT, self.size)
        right = self.width - 1.2 * cm
        c.drawRightString(right, self.size * 0.4, self.label)
        if self.seal is not None:
            d = 3.6 * cm
            c.drawImage(str(self.seal), right - d * 0.75, self.size * 0.8 - d / 2, d, d, mask="auto")


def grid_table(grid: Grid, total_width: float, size: float = 9.5) -> Table:
    """A platypus Table with the grid's spans, ruled on every edge."""
    data: list[list[object]] = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for spec in grid.cells:
        align = TA_CENTER if spec.align == "center" else TA_LEFT
        font = FONT
        data[spec.row][spec.col] = Paragraph(markup(spec.text), style(size, align, font=font))
        if spec.rowspan > 1 or spec.colspan > 1:
            commands.append(("SPAN", (spec.col, spec.row), (spec.col + spec.colspan - 1, spec.row + spec.rowspan - 1)))
    scale = total_width / sum(grid.widths)
    heights: list[float | None] = [None] * grid.n_rows
    for r, h in grid.tall_rows.items():
        heights[r] = h * cm
    table = Table(data, colWidths=[w * scale for w in grid.widths], rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def commitment_table(book: Book, width: float) -> Table:
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
    rows = []
    for title, text, label, role, date in blocks:
        rows.append(
            [
                [
                    Paragraph(markup(title), style(12)),
                    Paragraph(markup(text), style(12, indent=24)),
                    Spacer(1, 0.8 * cm),
                    SealedLine(label, book.seals.get(role)),
                    Paragraph("负责人（签章）", style(12, TA_RIGHT)),
                    Paragraph(markup(date), style(12, TA_RIGHT)),
                ]
            ]
        )
    table = Table(rows, colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


def book_story(book: Book, width: float) -> list[Flowable]:
    """Cover, form, commitment and body as flowables."""
    story: list[Flowable] = [
        Spacer(1, 3 * cm),
        Paragraph(markup(book.round_title), style(22, TA_CENTER)),
        Spacer(1, 0.6 * cm),
        Paragraph("申 报 书", style(36, TA_CENTER)),
        Spacer(1, 3 * cm),
    ]
    boxes = kind_checkboxes(book.kind)
    for line in (
        f"申报单位：{book.applicant}",
        f"申报类型：{boxes[0]}",
        f"{'　' * 5}{boxes[1]}",
        f"推荐单位：{book.recommender}",
    ):
        story += [Paragraph(markup(line), style(16, leading=30)), Spacer(1, 0.3 * cm)]
    story += [Spacer(1, 5 * cm), Paragraph(markup(book.issuer_line), style(16, TA_CENTER)), PageBreak()]
    number, title = FORM_HEADINGS[book.kind]
    story += [Paragraph(number, style(14)), Paragraph(markup(title), style(16, TA_CENTER)), Spacer(1, 0.3 * cm)]
    for i, grid in enumerate(form_grids(book.kind, book.values)):
        if i == 1:
            story += [PageBreak(), Paragraph("服务典型企业名单", style(12, TA_CENTER))]
        story += [grid_table(grid, width), Spacer(1, 0.4 * cm)]
    story += [
        commitment_table(book, width),
        PageBreak(),
        Paragraph(markup(BODY_TITLES[book.kind]), style(16, TA_CENTER)),
        Spacer(1, 0.4 * cm),
    ]
    for level, text in book.body:
        story.append(Paragraph(markup(text), style(12, TA_JUSTIFY, leading=18, indent=24 if level == 0 else 0)))
    return story


def _doc(path: Path, title: str, author: str) -> SimpleDocTemplate:
    register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2.4 * cm,
        rightMargin=2.4 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.2 * cm,
        title=title,
        author=author,
        creator="",
        producer="",
        invariant=1,
    )


def write_pdf_book(book: Book, path: Path) -> None:
    doc = _doc(path, f"{book.applicant}申报书", book.applicant)
    doc.build(book_story(book, A4[0] - 4.8 * cm))


def write_plain_pdf(
    path: Path,
    title: str,
    paragraphs: Sequence[str],
    seal: Path | None = None,
    seal_label: str = "（盖章）",
    table: list[list[str]] | None = None,
    date: str = "",
) -> None:
    """A short document: title, paragraphs, an optional ruled table, a sealed sign-off."""
    doc = _doc(path, title, "")
    width = A4[0] - 4.8 * cm
    story: list[Flowable] = [Paragraph(markup(title), style(18, TA_CENTER, leading=28)), Spacer(1, 0.5 * cm)]
    for text in paragraphs:
        story.append(Paragraph(markup(text), style(12, TA_JUSTIFY, leading=20, indent=24)))
    if table:
        n = len(table[0])
        t = Table(
            [[Paragraph(markup(c), style(10.5, TA_CENTER)) for c in row] for row in table], colWidths=[width / n] * n
        )
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [Spacer(1, 0.3 * cm), t]
    story += [Spacer(1, 1.2 * cm), SealedLine(seal_label, seal)]
    if date:
        story.append(Paragraph(markup(date), style(12, TA_RIGHT)))
    doc.build(story)


def write_image_pdf(path: Path, images: Sequence[Path], dpi: float = 150) -> None:
    """An image-only PDF (no text layer), one JPEG per page at its own size and ``dpi``."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    c = pdfcanvas.Canvas(str(path), invariant=1)
    c.setCreator("")
    c.setProducer("")
    for image in images:
        with Image.open(image) as im:
            w, h = im.size
        pw, ph = w * 72 / dpi, h * 72 / dpi
        c.setPageSize((pw, ph))
        c.drawImage(str(image), 0, 0, pw, ph)
        c.showPage()
    c.save()
