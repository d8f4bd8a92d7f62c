"""附件3 服务型制造示范培育遴选申报汇总表, filled by a recommender, as .xlsx, .docx or PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from samples.gen.docx_book import FANGSONG, FIXED_TIME, HEITI, add_text, set_run_font
from samples.gen.files import normalise_zip
from samples.gen.pdf_book import SealedLine, _doc, markup, style

SECTIONS = [  # kind, heading, name column, mode column, template rows
    ("enterprise", "一、示范企业", "企业名称", "示范模式", 5),
    ("project", "二、示范项目", "项目名称", "示范模式", 2),
    ("platform", "三、示范平台", "平台名称", "专业平台/区域平台", 2),
    ("city", "四、示范城市", "城市名称", "", 1),
]
HEAD = ["序号", "名称", "示范模式", "联系人", "联系电话", "电子邮箱"]


@dataclass
class SummaryRow:
    kind: str
    name: str
    mode: str
    contact: str
    phone: str
    email: str


@dataclass
class Summary:
    recommender: str
    filled_by: str
    phone: str
    title: str = "服务型制造示范培育遴选申报汇总表"
    rows: list[SummaryRow] = field(default_factory=list)

    def grid(self) -> list[list[str]]:
        """All lines of the table: a section heading line, a column line, numbered rows."""
        lines: list[list[str]] = []
        for kind, heading, name_col, mode_col, template in SECTIONS:
            rows = [r for r in self.rows if r.kind == kind]
            lines.append([heading, "", "", "", "", ""])
            lines.append(["序号", name_col, mode_col, "联系人", "联系电话", "电子邮箱"])
            for i in range(max(template, len(rows))):
                r = rows[i] if i < len(rows) else None
                lines.append([str(i + 1), *((r.name, r.mode, r.contact, r.phone, r.email) if r else ("",) * 5)])
        return lines

    def truth(self, file: str) -> dict[str, object]:
        return {
            "recommender": self.recommender,
            "file": file,
            "filled_by": self.filled_by,
            "phone": self.phone,
            "rows": [
                {
                    "kind": r.kind,
                    "name": r.name,
                    "mode": r.mode,
                    "contact": r.contact,
                    "phone": r.phone,
                    "email": r.email,
                }
                for r in self.rows
            ],
        }


def write_xlsx(summary: Summary, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    thin = Side(style="thin")
    ws.append(["附件3"])
    ws.append([summary.title])
    ws.merge_cells("A2:F2")
    ws["A2"].font = Font(name="黑体", size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            f"推荐单位（盖章）：{summary.recommender}",
            "",
            "",
            f"填报人：{summary.filled_by}",
            f"联系电话：{summary.phone}",
            "",
        ]
    )
    ws.merge_cells("A3:C3")
    first = ws.max_row + 1
    for line in summary.grid():
        ws.append(line)
        row = ws.max_row
        if line[0].startswith(("一", "二", "三", "四")):
            ws.merge_cells(f"A{row}:F{row}")
            ws[f"A{row}"].font = Font(bold=True)
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=6):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for col, width in zip("ABCDEF", (6, 36, 18, 10, 16, 24), strict=True):
        ws.column_dimensions[col].width = width
    wb.properties.creator = summary.filled_by
    wb.properties.created = wb.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    normalise_zip(path)


def write_docx(summary: Summary, path: Path) -> None:
    doc = Document()
    add_text(doc, "附件3", HEITI, 14)
    add_text(doc, summary.title, HEITI, 16, True, "center")
    add_text(
        doc,
        f"推荐单位（盖章）：{summary.recommender}    填报人：{summary.filled_by}    联系电话：{summary.phone}",
        FANGSONG,
        12,
    )
    lines = summary.grid()
    table = doc.add_table(rows=len(lines), cols=6)
    table.style = "Table Grid"
    for r, line in enumerate(lines):
        if line[0].startswith(("一", "二", "三", "四")):
            cell = table.cell(r, 0).merge(table.cell(r, 5))
            set_run_font(cell.paragraphs[0].add_run(line[0]), HEITI, 10.5, True)
            continue
        for c, text in enumerate(line):
            cell = table.cell(r, c)
            cell.width = Cm((1.2, 5.0, 2.6, 1.8, 2.8, 3.4)[c])
            set_run_font(cell.paragraphs[0].add_run(text), FANGSONG, 10.5)
    props = doc.core_properties
    props.author = summary.filled_by
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path)


def write_pdf(summary: Summary, path: Path, seal: Path | None) -> None:
    doc = _doc(path, summary.title, summary.filled_by)
    width = 21 * cm - 4.8 * cm
    lines = summary.grid()
    commands: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    data = []
    for r, line in enumerate(lines):
        data.append([Paragraph(markup(t), style(9.5, TA_CENTER)) for t in line])
        if line[0].startswith(("一", "二", "三", "四")):
            commands.append(("SPAN", (0, r), (5, r)))
    table = Table(data, colWidths=[w * width / 16.8 for w in (1.2, 5.0, 2.6, 1.8, 2.8, 3.4)])
    table.setStyle(TableStyle(commands))
    doc.build(
        [
            Paragraph("附件3", style(14)),
            Paragraph(markup(summary.title), style(16, TA_CENTER)),
            Spacer(1, 0.3 * cm),
            Paragraph(markup(f"推荐单位（盖章）：{summary.recommender}"), style(12)),
            SealedLine("", seal),
            Paragraph(markup(f"填报人：{summary.filled_by}　　联系电话：{summary.phone}"), style(12)),
            Spacer(1, 0.3 * cm),
            table,
        ]
    )
