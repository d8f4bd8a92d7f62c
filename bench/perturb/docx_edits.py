"""Edits a real applicant or clerk makes to a Word application book, applied to a copy.

Each edit takes a python-docx ``Document`` and changes it in place; ``Edit.truth`` says how
the book's known answers change (most edits change nothing a reader should see). The edits
find the form's cells by what the notice prints (its labels), never by how our sample
generator happened to lay them out, so they apply to any book of the same forms.

This module is a test oracle: it shares no code with ``extractors/`` or ``samples/gen``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell

from models.values import squash

Truth = dict[str, Any]

# The labels the notice's forms print (表1–表4), as printed, without spaces or remarks.
PRINTED_LABELS = {
    "企业名称", "项目名称", "平台名称", "城市名称", "企业性质", "平台性质", "法人代表", "注册地址",
    "主营业务", "通信地址", "邮政编码", "联系人", "职务", "联系电话", "手机", "电子邮箱", "传真",
    "员工总数", "研发和设计人员比例", "中高级职业资格人员比例", "本科以上学历人员比例", "资产总额",
    "资产负债率", "营业收入", "服务收入", "税金总额", "利润总额", "净利润增长率", "研发设计投入比例",
    "发明", "实用新型", "外观设计", "网址", "运营主体", "上缴税金", "服务企业户数", "上年末总资产",
    "服务场地面积", "从业人数", "委托单位", "实施单位", "所在行业", "投资额度", "项目实施年限",
    "研发设计投入占收入比", "总数", "发明专利", "经营指标", "从业人员",
}  # fmt: skip
AMOUNT_LABELS = {"资产总额", "营业收入", "服务收入", "税金总额", "利润总额", "上缴税金", "上年末总资产", "投资额度"}
PERCENT_LABELS = {
    "资产负债率", "净利润增长率", "研发设计投入比例", "研发设计投入占收入比", "研发和设计人员比例",
    "中高级职业资格人员比例", "本科以上学历人员比例",
}  # fmt: skip
SYNONYMS = {  # printed label → what other books print for the same field
    "法人代表": "法定代表人",
    "企业名称": "单位名称",
    "联系电话": "电话",
    "电子邮箱": "E-mail",
    "邮政编码": "邮编",
    "通信地址": "通讯地址",
}
_REMARK = re.compile(r"[（(][^（()）]*[)）]$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_YEAR_CELL = re.compile(r"^((?:19|20)\d\d)(\s*年(?:度.*)?)?$")


def label_of(text: str) -> str | None:
    """The printed label a cell holds (remark and colon dropped), or None."""
    flat = squash(text).rstrip(":：")
    flat = re.sub(r"^其中[,，:：]?", "", flat)
    while True:
        shorter = _REMARK.sub("", flat)
        if shorter == flat:
            break
        flat = shorter
    return flat if flat in PRINTED_LABELS else None


@dataclass
class Edit:
    """One perturbation of a Word book: ``apply`` edits the document, ``truth`` maps the
    known form answers to what they become (identity by default)."""

    name: str
    what: str
    apply: Callable[[DocxDocument], None]
    truth: Callable[[Truth], Truth] = field(default=lambda t: t)
    expects: frozenset[tuple[str, str]] = frozenset()  # (code, field) findings it may bring


# ---------------------------------------------------------------- cells


def unique_cells(table: Table) -> list[list[_Cell]]:
    """Rows of distinct cells (a horizontally merged cell once), in reading order."""
    rows: list[list[_Cell]] = []
    for tr in table._tbl.tr_lst:
        rows.append([_Cell(tc, table) for tc in tr.tc_lst])
    return rows


def set_text(cell: _Cell, text: str) -> None:
    """Replace a cell's text, keeping the first run's formatting."""
    paragraphs = cell.paragraphs
    first = paragraphs[0]
    runs = first.runs
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
    else:
        first.add_run(text)
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def form_tables(doc: DocxDocument) -> list[Table]:
    """Tables that hold at least three printed labels (the form, not the 承诺 block)."""
    out = []
    for table in doc.tables:
        hits = sum(1 for row in unique_cells(table) for c in row if label_of(c.text))
        if hits >= 3:
            out.append(table)
    return out


def _cells_with_labels(doc: DocxDocument) -> list[tuple[_Cell, str]]:
    return [(c, lab) for t in form_tables(doc) for row in unique_cells(t) for c in row if (lab := label_of(c.text))]


def _value_cells(doc: DocxDocument) -> list[tuple[_Cell, str | None]]:
    """Every non-label cell of the forms with the nearest label to its left in its row (or,
    for a row of values under a row of labels, the label above)."""
    out: list[tuple[_Cell, str | None]] = []
    for table in form_tables(doc):
        grid = [[c for c in row.cells] for row in table.rows]
        for r, row in enumerate(grid):
            last: str | None = None
            seen: set[int] = set()
            for c_i, cell in enumerate(row):
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                lab = label_of(cell.text)
                if lab:
                    last = lab
                    continue
                owner = last
                if r > 0 and c_i < len(grid[r - 1]):
                    above = label_of(grid[r - 1][c_i].text)
                    if above and (owner is None or owner == "从业人员"):
                        owner = above
                out.append((cell, owner))
    return out


# ---------------------------------------------------------------- label edits


def _respace(label_text: str, style: int) -> str:
    core = squash(label_text)
    if style == 0:
        return core
    if style == 1:
        return " ".join(core)
    if style == 2:
        return "\u3000".join(core)
    return "\u3000\u3000".join(core) if len(core) <= 3 else core


def label_spacing(doc: DocxDocument) -> None:
    """职务 / 职 务 / 职　务 / 职　　务, rotating over the labels."""
    for i, (cell, _) in enumerate(_cells_with_labels(doc)):
        set_text(cell, _respace(cell.text, i % 4))


def label_colon(doc: DocxDocument) -> None:
    for i, (cell, _) in enumerate(_cells_with_labels(doc)):
        set_text(cell, cell.text.rstrip() + ("：" if i % 2 == 0 else ":"))


def label_brackets(doc: DocxDocument) -> None:
    swap = str.maketrans({"（": "(", "）": ")", "(": "（", ")": "）"})
    for cell, _ in _cells_with_labels(doc):
        set_text(cell, cell.text.translate(swap))


def synonyms(doc: DocxDocument) -> None:
    for cell, lab in _cells_with_labels(doc):
        if lab in SYNONYMS:
            set_text(cell, SYNONYMS[lab])


# ---------------------------------------------------------------- value edits


def _numeric_cells(doc: DocxDocument) -> list[tuple[_Cell, str]]:
    """(cell, "amount"|"percent") for cells holding a plain number under such a label."""
    out = []
    for cell, owner in _value_cells(doc):
        text = squash(cell.text)
        if not _NUMBER.match(text) or owner is None:
            continue
        if owner in AMOUNT_LABELS:
            out.append((cell, "amount"))
        elif owner in PERCENT_LABELS:
            out.append((cell, "percent"))
    return out


def units_in_values(doc: DocxDocument) -> None:
    """5,000万元 and 12.5%: units and thousands separators written into the cells."""
    for cell, kind in _numeric_cells(doc):
        text = squash(cell.text)
        if kind == "amount":
            number = float(text)
            whole, _, frac = text.lstrip("-").partition(".")
            grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
            set_text(cell, ("-" if number < 0 else "") + grouped + "万元")
        else:
            set_text(cell, text + "%")


def approx_percent(doc: DocxDocument) -> None:
    """约30%: an approximate mark before a ratio."""
    for cell, kind in _numeric_cells(doc):
        if kind == "percent":
            set_text(cell, "约" + squash(cell.text) + "%")


_FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．", "-": "－"})


def fullwidth_digits(doc: DocxDocument) -> None:
    for cell, _ in _numeric_cells(doc):
        set_text(cell, squash(cell.text).translate(_FULL))


def minus_signs(doc: DocxDocument) -> None:
    """Negative numbers typed with − (U+2212) or － (U+FF0D)."""
    i = 0
    for cell, _ in _numeric_cells(doc):
        text = squash(cell.text)
        if text.startswith("-"):
            set_text(cell, ("−" if i % 2 == 0 else "－") + text[1:])
            i += 1


BLANKED = {"传真": ("fax", "无"), "邮政编码": ("postcode", "/"), "手机": ("mobile", "—")}
"""Fields a clerk leaves empty with a mark: label → (key, mark)."""


def blank_marks(doc: DocxDocument) -> None:
    """传真 written as 无, 邮政编码 as /, 手机 as —: filled-in marks for "nothing"."""
    for cell, owner in _value_cells(doc):
        if owner in BLANKED and squash(cell.text):
            set_text(cell, BLANKED[owner][1])


def _blank_truth(truth: Truth) -> Truth:
    keys = {key for key, _ in BLANKED.values()}
    return {k: v for k, v in truth.items() if k not in keys}


TRIGGER_TEXT = "（申报示范模式：全生命周期管理。企业名称、联系电话详见表1及汇总表，合计数据已承诺属实。）"


def trigger_text(doc: DocxDocument) -> None:
    """Free text in the 主要申报内容 cell that names other labels and trigger words."""
    for table in form_tables(doc):
        rows = unique_cells(table)
        for r, row in enumerate(rows):
            if any(squash(c.text).endswith("主要申报内容") for c in row) and r + 1 < len(rows):
                for cell in rows[r + 1]:
                    if squash(cell.text):
                        set_text(cell, cell.text + TRIGGER_TEXT)
                return


def _trigger_truth(truth: Truth) -> Truth:
    out = dict(truth)
    if out.get("content"):
        out["content"] = out["content"] + TRIGGER_TEXT
    return out


# ---------------------------------------------------------------- layout edits


def _year_rows(table: Table) -> tuple[int, list[int]] | None:
    """(header row index, indexes of the year-value rows under it) of the year table."""
    rows = unique_cells(table)
    yearly = AMOUNT_LABELS | PERCENT_LABELS | {"服务企业户数"}
    for r, row in enumerate(rows):
        if sum(1 for c in row if _YEAR_CELL.match(squash(c.text))) >= 2:
            body = [r2 for r2 in range(r + 1, len(rows)) if any(label_of(c.text) in yearly for c in rows[r2])]
            return r, body
    return None


def year_order(doc: DocxDocument) -> None:
    """Year columns printed newest first (2020 | 2019 | 2018)."""
    for table in form_tables(doc):
        found = _year_rows(table)
        if not found:
            continue
        header, body = found
        rows = unique_cells(table)
        n_years = sum(1 for c in rows[header] if _YEAR_CELL.match(squash(c.text)))
        for r in [header, *body]:
            cells = rows[r][-n_years:]
            texts = [c.text for c in cells]
            for cell, text in zip(cells, reversed(texts), strict=True):
                set_text(cell, text)


def other_years(doc: DocxDocument) -> None:
    """The same form for a later round: every year heading one year on (2019–2021)."""
    for table in form_tables(doc):
        for row in unique_cells(table):
            for cell in row:
                text = squash(cell.text)
                m = re.match(r"^((?:19|20)\d\d)(年(?:度.*)?)?$", text)
                if m:
                    set_text(cell, str(int(m.group(1)) + 1) + (m.group(2) or ""))


def _shift_years(truth: Truth) -> Truth:
    out: Truth = {}
    for key, value in truth.items():
        m = re.match(r"^financials\.(\d{4})\.(.+)$", key)
        out[f"financials.{int(m.group(1)) + 1}.{m.group(2)}" if m else key] = value
    return out


def _insert_after(table: Table, anchor_row: int, texts: list[str]) -> None:
    tr = table._tbl.tr_lst[anchor_row]
    new = copy.deepcopy(tr)
    tr.addnext(new)
    cells = [_Cell(tc, table) for tc in new.tc_lst]
    for cell, text in zip(cells, texts + [""] * len(cells), strict=False):
        set_text(cell, text)


def extra_row(doc: DocxDocument) -> None:
    """A row the notice does not print (统一社会信用代码), added under the first field row."""
    for table in form_tables(doc):
        rows = unique_cells(table)
        for r, row in enumerate(rows):
            if label_of(row[0].text) in {"企业名称", "项目名称", "平台名称"}:
                _insert_after(table, r, ["统一社会信用代码", "（见营业执照）"])
                return


def swap_rows(doc: DocxDocument) -> None:
    """Two rows of the basic-information block in the other order."""
    for table in form_tables(doc):
        rows = unique_cells(table)
        starts = [r for r, row in enumerate(rows) if label_of(row[0].text) in {"注册地址", "通信地址", "联系人"}]
        if len(starts) >= 2:
            a, b = table._tbl.tr_lst[starts[0]], table._tbl.tr_lst[starts[1]]
            a_next = a.getnext()
            b.addnext(a)
            if a_next is not b:
                a_next.addprevious(b)
            return


def _fix_vmerge(tr: Any) -> None:
    """A row that starts a new table cannot continue a vertical merge: make it restart."""
    for tc in tr.tc_lst:
        tc_pr = tc.tcPr
        if tc_pr is None:
            continue
        v = tc_pr.find(qn("w:vMerge"))
        if v is not None and v.get(qn("w:val")) in (None, "continue"):
            v.set(qn("w:val"), "restart")


def _split(doc: DocxDocument, repeat_header: bool) -> None:
    for table in form_tables(doc):
        found = _year_rows(table)
        if not found or len(found[1]) < 3:
            continue
        header, body = found
        cut = body[len(body) // 2]
        tbl = table._tbl
        second = copy.deepcopy(tbl)
        trs_first, trs_second = tbl.tr_lst, second.tr_lst
        for tr in trs_first[cut:]:
            tbl.remove(tr)
        for tr in trs_second[:cut]:
            second.remove(tr)
        if repeat_header:
            second.tr_lst[0].addprevious(copy.deepcopy(trs_first[header]))
        _fix_vmerge(second.tr_lst[0])
        para = copy.deepcopy(doc.paragraphs[-1]._p) if doc.paragraphs else None
        if para is not None:
            for t in para.iter(qn("w:t")):
                t.text = ""
            tbl.addnext(para)
            para.addnext(second)
        else:
            tbl.addnext(second)
        return


def split_table(doc: DocxDocument) -> None:
    """The year table broken across pages: a second table without the year header."""
    _split(doc, repeat_header=False)


def split_table_header(doc: DocxDocument) -> None:
    """The year table broken across pages, the header row repeated on the second part."""
    _split(doc, repeat_header=True)


def fonts(doc: DocxDocument) -> None:
    """Another font and size everywhere (宋体 10.5 pt, as WPS writes it)."""
    for table in doc.tables:
        for row in unique_cells(table):
            for cell in row:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.name = "宋体"
                        run.font.size = Pt(10.5)
                        r_pr = run._r.get_or_add_rPr()
                        r_fonts = r_pr.find(qn("w:rFonts"))
                        if r_fonts is not None:
                            r_fonts.set(qn("w:eastAsia"), "宋体")


EDITS: dict[str, Edit] = {
    e.name: e
    for e in [
        Edit("label_spacing", "标签内加空格（职务/职 务/职　务/职　　务）", label_spacing),
        Edit("label_colon", "标签后加冒号（：/:）", label_colon),
        Edit("label_brackets", "标签括号全角/半角互换", label_brackets),
        Edit("synonyms", "同义标签（法定代表人、单位名称、电话、E-mail、邮编、通讯地址）", synonyms),
        Edit(
            "trigger_text",
            "填写内容含其他标签和触发词（汇总表、示范模式、表1、合计、承诺）",
            trigger_text,
            _trigger_truth,
        ),
        Edit("units_in_values", "数值内写单位和千位分隔符（5,000万元、12.5%）", units_in_values),
        Edit("approx_percent", "比例前写“约”（约30%）", approx_percent),
        Edit("fullwidth_digits", "全角数字", fullwidth_digits),
        Edit("minus_signs", "负号写作 − 或 －", minus_signs),
        Edit(
            "blank_marks",
            "空项填“无”“—”“/”（传真、邮编、手机）",
            blank_marks,
            _blank_truth,
            frozenset({("FORM_FIELD_MISSING", "fax"), ("FORM_FIELD_MISSING", "postcode")}),
        ),
        Edit("extra_row", "多出一行（统一社会信用代码）", extra_row),
        Edit("swap_rows", "基本情况行顺序调换", swap_rows),
        Edit("year_order", "年度列倒序（2020、2019、2018）", year_order),
        Edit(
            "other_years",
            "其他年度（2019–2021）",
            other_years,
            _shift_years,
            frozenset({("FORM_FIELD_MISSING", "financials.2018")}),  # one warning: 2018 not filled
        ),
        Edit("split_table", "年度表跨页断开，无重复表头", split_table),
        Edit("split_table_header", "年度表跨页断开，重复表头", split_table_header),
        Edit("fonts", "其他字体字号（宋体五号）", fonts),
    ]
}
"""Every single edit, by name."""

COMBINED = (
    "label_spacing",
    "label_colon",
    "synonyms",
    "trigger_text",
    "units_in_values",
    "fullwidth_digits",
    "year_order",
    "fonts",
)
"""The edits applied together in the ``combined`` perturbation (they touch different cells)."""


def apply_edits(doc: DocxDocument, names: tuple[str, ...] | list[str]) -> None:
    for name in names:
        EDITS[name].apply(doc)


def expected_findings(names: tuple[str, ...] | list[str]) -> set[tuple[str, str]]:
    """(code, field) pairs the edits may add: a blanked optional field's warning."""
    return {pair for name in names for pair in EDITS[name].expects}


def truth_after(truth: Truth, names: tuple[str, ...] | list[str]) -> Truth:
    for name in names:
        truth = EDITS[name].truth(truth)
    return truth
