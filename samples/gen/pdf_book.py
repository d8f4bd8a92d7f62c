"""Digital PDF books (reportlab, embedded WQY TrueType so that every PDF library reads the
text): the same cover, ruled form tables with spans, sealed commitment block and body as
the Word books; plus plain one-to-three page documents (certificates, opinions, policies)
that use the standard CJK font STSong-Light without embedding it (UniGB-UCS2-H, as
iText-made documents often do: PDF readers supply the font), and image-only PDFs for scans.
``invariant=1`` keeps the bytes stable; images are stored without ASCII85 (smaller)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
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
CID_FONT = "STSong-Light"  # not embedded
_registered = False
rl_config.useA85 = 0  # binary image streams: ASCII85 only adds a quarter


def register_fonts() -> None:
    """Register the TrueType collections once (TrueType, not CFF: pdfplumber reads them)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    pdfmetrics.registerFont(TTFont(FONT2, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))
    # only the ☑ glyph: no ASCII block in its subset
    pdfmetrics.registerFont(TTFont(SYMBOL, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", asciiReadable=False))
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
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

    def __init__(self, label: str, seal: Path | None, size: float = 12, font: str = FONT) -> None:
        super().__init__()
        self.label, self.seal, self.size, self.font = label, seal, size, font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.6

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self.size)
        right = self.width - 1.2 * cm
        c.drawRightString(right, self.size * 0.4, self.label)
        if self.seal is not None:
            d = 3.6 * cm
            c.drawImage(str(self.seal), right - d * 0.75, self.size * 0.8 - d / 2, d, d, mask="auto")


def grid_table(grid: Grid, total_width: float, size: float = 9.5, font: str = FONT) -> Table:
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


def commitment_table(book: Book, width: float, font: str = FONT) -> Table:
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
    rows = []
    for title, text, label, role, date in blocks:
        rows.append(
            [
                [
                    Paragraph(markup(title), style(12, font=font)),
                    Paragraph(markup(text), style(12, indent=24, font=font)),
                    Spacer(1, 0.8 * cm),
                    SealedLine(label, book.seals.get(role), font=font),
                    Paragraph("负责人（签章）", style(12, TA_RIGHT, font=font)),
                    Paragraph(markup(date), style(12, TA_RIGHT, font=font)),
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


def book_story(book: Book, width: float, font: str = FONT) -> list[Flowable]:
    """Cover, form, commitment and body as flowables."""
    story: list[Flowable] = [
        Spacer(1, 3 * cm),
        Paragraph(markup(book.round_title), style(22, TA_CENTER, font=font)),
        Spacer(1, 0.6 * cm),
        Paragraph("申 报 书", style(36, TA_CENTER, font=font)),
        Spacer(1, 3 * cm),
    ]
    boxes = kind_checkboxes(book.kind)
    for line in (
        f"申报单位：{book.applicant}",
        f"申报类型：{boxes[0]}",
        f"{'　' * 5}{boxes[1]}",
        f"推荐单位：{book.recommender}",
    ):
        story += [Paragraph(markup(line), style(16, leading=30, font=font)), Spacer(1, 0.3 * cm)]
    story += [Spacer(1, 5 * cm), Paragraph(markup(book.issuer_line), style(16, TA_CENTER, font=font)), PageBreak()]
    number, title = FORM_HEADINGS[book.kind]
    story += [
        Paragraph(number, style(14, font=font)),
        Paragraph(markup(title), style(16, TA_CENTER, font=font)),
        Spacer(1, 0.3 * cm),
    ]
    for i, grid in enumerate(form_grids(book.kind, book.values)):
        if i == 1:
            story += [PageBreak(), Paragraph("服务典型企业名单", style(12, TA_CENTER, font=font))]
        story += [grid_table(grid, width, font=font), Spacer(1, 0.4 * cm)]
    story += [
        commitment_table(book, width, font=font),
        PageBreak(),
        Paragraph(markup(BODY_TITLES[book.kind]), style(16, TA_CENTER, font=font)),
        Spacer(1, 0.4 * cm),
    ]
    for level, text in book.body:
        story.append(
            Paragraph(markup(text), style(12, TA_JUSTIFY, leading=18, indent=24 if level == 0 else 0, font=font))
        )
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


def write_pdf_book(book: Book, path: Path, embed: bool = True) -> None:
    """``embed``: WQY subsets embedded (as Word's PDF export does), else STSong-Light."""
    doc = _doc(path, f"{book.applicant}申报书", book.applicant)
    doc.build(book_story(book, A4[0] - 4.8 * cm, FONT if embed else CID_FONT))


def write_plain_pdf(
    path: Path,
    title: str,
    paragraphs: Sequence[str],
    seal: Path | None = None,
    seal_label: str = "（盖章）",
    table: list[list[str]] | None = None,
    date: str = "",
    embed: bool = False,
) -> None:
    """A short document: title, paragraphs, an optional ruled table, a sealed sign-off.
    ``embed``: set in embedded WQY instead of the standard STSong-Light (for rasterising)."""
    doc = _doc(path, title, "")
    width = A4[0] - 4.8 * cm
    font = FONT if embed else CID_FONT
    story: list[Flowable] = [
        Paragraph(markup(title), style(18, TA_CENTER, leading=28, font=font)),
        Spacer(1, 0.5 * cm),
    ]
    for text in paragraphs:
        story.append(Paragraph(markup(text), style(12, TA_JUSTIFY, leading=20, font=font, indent=24)))
    if table:
        n = len(table[0])
        t = Table(
            [[Paragraph(markup(c), style(10.5, TA_CENTER, font=font)) for c in row] for row in table],
            colWidths=[width / n] * n,
        )
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [Spacer(1, 0.3 * cm), t]
    story += [Spacer(1, 1.2 * cm), SealedLine(seal_label, seal, font=font)]
    if date:
        story.append(Paragraph(markup(date), style(12, TA_RIGHT, font=font)))
    doc.build(story)


def write_image_pdf(path: Path, images: Sequence[Path], dpi: float = 150) -> None:
    """An image-only PDF (no text layer), one image per page at its own size and ``dpi``:
    a JPEG file is stored as it is (DCTDecode), any other image as a 1-bit black-and-white
    page (FlateDecode), as a scanner writes them. Written by hand: no dates, stable bytes."""
    from PIL import Image

    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree
    kids = []
    for image in images:
        with Image.open(image) as im:
            w, h = im.size
            if im.format == "JPEG":
                data = Path(image).read_bytes()
                colour, filt, bits = "/DeviceRGB" if im.mode == "RGB" else "/DeviceGray", "/DCTDecode", 8
            else:
                data = zlib.compress(im.convert("1").tobytes(), 9)  # 1 = white, rows byte-padded
                colour, filt, bits = "/DeviceGray", "/FlateDecode", 1
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {colour} "
            f"/BitsPerComponent {bits} /Filter {filt} /Length {len(data)} >>\nstream\n".encode()
            + data
            + b"\nendstream"
        )
        image_id = len(objects)
        pw, ph = w * 72 / dpi, h * 72 / dpi
        content = f"q {pw:.4f} 0 0 {ph:.4f} 0 0 cm /Im0 Do Q".encode()
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.4f} {ph:.4f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {image_id + 1} 0 R >>".encode()
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
