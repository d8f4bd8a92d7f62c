"""Builders for form tests: tables from rows of strings, line blocks, pages, documents.

In ``table(rows)`` a cell written ``"<"`` is covered by the cell to its left and ``"^"``
by the cell above, so merged cells come out once with their spans, as loaders give them.
"""

from __future__ import annotations

from typing import Any

from models.document import BBox, Block, Cell, Document, Page, Provenance, Seal, Table, TextStyle

CELL_W, CELL_H = 80.0, 20.0


def table(
    rows: list[list[str]],
    *,
    file: str = "book.docx",
    page: int = 1,
    index: int = 1,
    method: str = "docx",
    confidence: float = 1.0,
    top: float = 100.0,
    boxes: bool = False,
) -> Table:
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    grid = [r + [""] * (n_cols - len(r)) for r in rows]
    cells: list[Cell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            text = grid[r][c]
            if text in ("<", "^"):
                continue
            colspan = 1
            while c + colspan < n_cols and grid[r][c + colspan] == "<":
                colspan += 1
            rowspan = 1
            while r + rowspan < n_rows and grid[r + rowspan][c] == "^":
                rowspan += 1
            bbox = (
                BBox(
                    x0=50 + c * CELL_W,
                    y0=top + r * CELL_H,
                    x1=50 + (c + colspan) * CELL_W,
                    y1=top + (r + rowspan) * CELL_H,
                )
                if boxes
                else None
            )
            prov = Provenance(
                file=file,
                page=page,
                bbox=bbox,
                cell=f"table {index} r{r + 1} c{c + 1}",
                method=method,  # type: ignore[arg-type]
                confidence=confidence,
            )
            cells.append(
                Cell(
                    text=" ".join(text.split()),
                    orig=text,
                    row=r,
                    col=c,
                    rowspan=rowspan,
                    colspan=colspan,
                    prov=prov,
                )
            )
    table_box = BBox(x0=50, y0=top, x1=50 + n_cols * CELL_W, y1=top + n_rows * CELL_H)
    prov = Provenance(
        file=file,
        page=page,
        bbox=table_box if boxes else None,
        cell=f"table {index}",
        method=method,  # type: ignore[arg-type]
    )
    return Table(cells=cells, n_rows=n_rows, n_cols=n_cols, prov=prov)


def line(
    text: str,
    x0: float,
    y0: float,
    *,
    file: str = "book.pdf",
    page: int = 1,
    width: float | None = None,
    method: str = "pdf-text",
    confidence: float = 1.0,
) -> Block:
    """A PDF text line at (x0, y0), 10pt per character unless ``width`` is given."""
    w = width if width is not None else 10.0 * len(text)
    prov = Provenance(
        file=file,
        page=page,
        bbox=BBox(x0=x0, y0=y0, x1=x0 + w, y1=y0 + 12),
        method=method,  # type: ignore[arg-type]
        confidence=confidence,
    )
    return Block(text=" ".join(text.split()), orig=text, prov=prov)


def paragraph(
    text: str,
    n: int,
    *,
    file: str = "book.docx",
    role: str = "paragraph",
    level: int | None = None,
    style: TextStyle | None = None,
) -> Block:
    prov = Provenance(file=file, page=1, cell=f"paragraph {n}", method="docx")
    return Block(
        text=" ".join(text.split()),
        orig=text,
        prov=prov,
        role=role,  # type: ignore[arg-type]
        level=level,
        style=style,
    )


def pdf_page(
    number: int,
    blocks: list[Block] | None = None,
    tables: list[Table] | None = None,
    seals: list[Seal] | None = None,
) -> Page:
    return Page(
        number=number,
        width=595,
        height=842,
        unit="pt",
        blocks=blocks or [],
        tables=tables or [],
        seals=seals or [],
    )


def word_document(
    blocks: list[Block], tables: list[Table], seals: list[Seal] | None = None, file: str = "book.docx"
) -> Document:
    page = Page(number=1, unit="none", blocks=blocks, tables=tables, seals=seals or [])
    return Document(file=file, source_kind="docx", pages=[page])


def pdf_document(pages: list[Page], file: str = "book.pdf") -> Document:
    return Document(file=file, source_kind="pdf", pages=pages)


def values(fields: dict) -> dict:  # type: ignore[type-arg]
    """key → value of a FieldMap, for compact asserts."""
    return {k: v.value for k, v in fields.items()}


ENTERPRISE_ROWS = [
    ["一、企业基本情况", "<", "<", "<", "<"],
    ["企业名称", "山西示范机械有限公司", "<", "<", "<"],
    ["企业性质", "民营", "法人代表", "张三", "<"],
    ["注册地址", "太原市小店区一号", "主营业务", "机械制造", "<"],
    ["通信地址", "太原市小店区一号", "邮政编码", "030000", "<"],
    ["联系人", "李四", "职 务", "经理", "联系电话 0351-7654321"],
    ["手 机", "13812345678", "电子邮箱", "li@example.com", "传 真"],
    ["从业人员", "员工总数", "研发和设计\n人员比例", "中高级职业资\n格人员比例", "本科以上学历人员比例"],
    ["^", "320", "15%", "20", "35.5"],
    ["二、经营管理状况", "<", "<", "<", "<"],
    ["", "经营指标", "2018 年", "2019 年", "2020 年"],
    ["^", "资产总额 (万元)", "12,000", "13000", "15000"],
    ["^", "资产负债率 (%)", "45", "44", "40"],
    ["^", "营业收入 (万元)", "8000", "9000", "10000"],
    ["^", "其中, 服务收入 (万\n元)", "2000", "2500", "3200"],
    ["^", "税金总额 (万元)", "300", "320", "350"],
    ["^", "利润总额 (万元)", "500", "600", "700"],
    ["^", "净利润增长率 (%)", "5", "-3.5", "120"],
    ["^", "研发设计投入比例 (%)", "3", "3.5", "4"],
    ["企业累\n计获得\n专利\n(项)", "发 明", "5", "<", "<"],
    ["^", "实用新型", "12", "<", "<"],
    ["^", "外观设计", "", "<", "<"],
    ["三、主要申报内容", "<", "<", "<", "<"],
    ["以供应链管理为核心的服务型制造转型。", "<", "<", "<", "<"],
]


def add_grid_table(document: Any, rows: list[list[str]]) -> Any:
    """Add ``rows`` to a python-docx document as a ruled table: "<" merges a cell into the one
    on its left, "^" into the one above (the notation of ``ENTERPRISE_ROWS``)."""
    n_rows, n_cols = len(rows), len(rows[0])
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    for r, row in enumerate(rows):  # horizontal merges
        c = 0
        while c < n_cols:
            end = c
            while end + 1 < n_cols and row[end + 1] == "<":
                end += 1
            if end > c:
                table.cell(r, c).merge(table.cell(r, end))
            c = end + 1
    for c in range(n_cols):  # vertical merges
        r = 0
        while r < n_rows:
            end = r
            while end + 1 < n_rows and rows[end + 1][c] == "^":
                end += 1
            if end > r:
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text not in ("<", "^"):
                table.cell(r, c).text = text
    return table
