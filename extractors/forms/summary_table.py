"""The recommender's 汇总表 (Annex 3; kind "summary_table").

Header lines ``推荐单位（盖章）：`` / ``填报人：`` / ``联系电话：`` (above the table, or in its top
rows as in a spreadsheet) become fields ``recommender``, ``filled_by``, ``phone``. Rows under
``一、示范企业`` … ``四、示范城市`` become ``rows`` dicts (kind, index, name, mode, contact,
phone, email, page, cell); numbered rows left empty are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from extractors.forms.commitment import find_slots, seals_checkable
from extractors.forms.fieldvalue import make_field
from extractors.forms.grid import Grid, Slot
from extractors.forms.labels import ValueType, norm_label, squash
from extractors.forms.pagetext import is_heading, method_of, page_items, pages_of, titles
from models.document import Document, Page, Provenance
from models.fields import FieldMap
from models.records import FORM_KIND_LABELS, DocKind, ExtractedDocument

SECTIONS = {label: kind for kind, label in FORM_KIND_LABELS.items()}
HEADERS = {
    "序号": "index",
    "企业名称": "name",
    "项目名称": "name",
    "平台名称": "name",
    "城市名称": "name",
    "申报单位": "name",
    "单位名称": "name",
    "名称": "name",
    "示范模式": "mode",
    "专业平台/区域平台": "mode",
    "平台类型": "mode",
    "联系人": "contact",
    "联系电话": "phone",
    "电话": "phone",
    "电子邮箱": "email",
    "邮箱": "email",
}
_HEAD_FIELDS = (
    ("recommender", re.compile(r"推荐单位\s*(?:[(（]\s*盖\s*章\s*[)）])?\s*[:：]\s*(.*?)\s*(?=填报人|联系电话|$)")),
    ("filled_by", re.compile(r"填\s*报\s*人\s*[:：]\s*(.*?)\s*(?=联系电话|推荐单位|$)")),
    ("phone", re.compile(r"联系电话\s*[:：]\s*(.*?)\s*(?=填报人|推荐单位|$)")),
)
MODE_HEADERS = {label for label, key in HEADERS.items() if key == "mode"}
_SECTION_ROW = re.compile(r"^[一二三四五六七八九十]+、(示范企业|示范项目|示范平台|示范城市)")


def _section(text: str) -> str | None:
    match = _SECTION_ROW.match(squash(text))
    return SECTIONS[match.group(1)] if match else None


class _Positioned(Protocol):
    text: str
    row: int


def is_summary_table(cells: Iterable[_Positioned]) -> bool:
    """A 汇总表 told by its furniture, never by words inside filled values: a cell that is
    the 汇总表 title, or a header row of its column labels (序号, a name column and the
    示范模式-like column, each the whole text of its cell)."""
    rows: dict[int, set[str]] = {}
    for cell in cells:
        if is_heading(cell.text, "汇总表"):
            return True
        rows.setdefault(cell.row, set()).add(norm_label(cell.text))
    return any("序号" in row and row & MODE_HEADERS and len(row & HEADERS.keys()) >= 3 for row in rows.values())


def _is_title(item: str) -> bool:
    """The 汇总表's title, also with a date or page mark after it on its (OCR) line."""
    return titles(item, "汇总表")


class SummaryTableExtractor:
    kind: DocKind = "summary_table"

    def score(self, page: Page, document: Document) -> float:
        _, items = page_items(page)
        titled = any(_is_title(item) for item in items)
        sections = sum(1 for item in items if _section(item))
        headers = any(norm_label(i) == "示范模式" or i == "专业平台/区域平台" for i in items)
        score = 0.6 * titled + 0.1 * min(sections, 2) + 0.2 * headers
        return min(0.95, score)

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        chosen = pages_of(document, pages)
        fields: FieldMap = {}
        rows: list[dict[str, Any]] = []
        title = None
        for page in chosen:
            _, items = page_items(page)
            title = title or next((i for i in items if _is_title(i)), None)
            for text, prov in _head_items(page):
                for key, pattern in _HEAD_FIELDS:
                    match = pattern.search(text)
                    if match and (key not in fields or fields[key].blank):
                        vtype: ValueType = "phone" if key == "phone" else "text"
                        fields[key] = make_field(match.group(1), [(prov, text)], vtype)
            kind: str | None = None
            for table in page.tables:
                kind = _read_rows(Grid.from_table(table), page, kind, rows)
        checkable = seals_checkable(document)
        slots = [s for page in chosen for s in find_slots_summary(page, checkable)]
        return ExtractedDocument(
            kind="summary_table",
            file=document.file,
            pages=[p.number for p in chosen],
            fields=fields,
            rows=rows,
            title=title,
            seal_slots=slots,
            seals=[s for p in chosen for s in p.seals],
            method=method_of(document, chosen),
            low_text=not rows and not fields,
        )


def find_slots_summary(page: Page, checkable: bool) -> list:  # type: ignore[type-arg]
    """The 推荐单位（盖章） line is where the recommender's seal goes."""
    stripped = page.model_copy(
        update={
            "blocks": [
                b.model_copy(update={"text": "推荐单位意见 推荐单位(章)"})
                for b in page.blocks
                if re.search(r"推荐单位\s*[(（]\s*盖\s*章", b.text)
            ],
            "tables": [],
        }
    )
    return find_slots(stripped, checkable)


def _head_items(page: Page) -> list[tuple[str, Provenance]]:
    items = [(b.text, b.prov) for b in page.blocks]
    for table in page.tables:
        items.extend((c.text, c.prov) for c in table.cells if ":" in c.text or "：" in c.text)
    return items


def _read_rows(grid: Grid, page: Page, kind: str | None, rows: list[dict[str, Any]]) -> str | None:
    """Walk the table: section rows set the kind, 序号 rows set the columns, the rest are
    entries. Returns the kind in force at the end (a table may continue on the next page)."""
    headers: list[Slot] = []
    keys: list[str] = []
    for r in range(grid.n_rows):
        row = grid.row(r)
        if not row:
            continue
        joined = " ".join(s.text for s in row)
        section = _section(joined)
        if section:
            kind, headers, keys = section, [], []
            continue
        if any(norm_label(s.text) == "序号" for s in row):
            headers = [s for s in row if norm_label(s.text) in HEADERS]
            keys = [HEADERS[norm_label(s.text)] for s in headers]
            continue
        if not headers or kind is None:
            continue
        placed = grid.columns_of(row, headers)
        entry: dict[str, Any] = {keys[i]: slot.text.strip() for i, slot in placed.items()}
        if not any(v for k, v in entry.items() if k != "index"):
            continue
        name_slot = next((placed[i] for i, k in enumerate(keys) if k == "name" and i in placed), row[0])
        entry.update(kind=kind, page=page.number, cell=name_slot.prov.cell)
        rows.append(entry)
    return kind
