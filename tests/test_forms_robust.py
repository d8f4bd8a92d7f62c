"""Metamorphic tests for the form readers (issue 9): a 表1 table changed the way real
applicants change it must give the same fields, or change exactly as the change implies.

Each case takes ``ENTERPRISE_ROWS``, applies one perturbation, and compares every field's
value with the clean reading (``expected`` lists the keys the perturbation changes on
purpose). Further tests cover the scanned-grid mistakes of issue 9 (title text in every
2018 cell, a cut label read as 员工总数) and the table-kind decisions (示范模式 and 汇总表
inside a filled value).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_forms_kit import (
    ENTERPRISE_ROWS,
    add_grid_table,
    line,
    paragraph,
    pdf_document,
    pdf_page,
    table,
    values,
    word_document,
)
from test_forms_platform import platform_rows
from test_forms_project_city import CITY_ROWS, PROJECT_ROWS

from extractors.forms import FORM_EXTRACTORS
from models.document import BBox, Cell, Provenance, Table

TITLE = "服务型制造示范培育企业申报表"
Rows = list[list[str]]

# Row indexes in ENTERPRISE_ROWS.
NAME, NATURE, ADDRESS, MAIL, CONTACT, MOBILE = 1, 2, 3, 4, 5, 6
STAFF_LABELS, STAFF_VALUES, YEAR_HEADER = 7, 8, 10
ASSETS, DEBT, REVENUE, SERVICE, TAXES, PROFIT, GROWTH, RD = range(11, 19)
INVENTION, UTILITY, DESIGN, CONTENT = 19, 20, 21, 23


def read_tables(tables: list[Table], title: str = TITLE) -> dict[str, Any]:
    doc = word_document([paragraph("表 1", 1), paragraph(title, 2)], tables)
    return FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields


def read(rows: Rows) -> dict[str, Any]:
    return read_tables([table(rows)])


BASELINE = values(read(ENTERPRISE_ROWS))


@dataclass
class Case:
    """One perturbation: a change to the rows and the values it changes on purpose."""

    id: str
    change: Callable[[Rows], Rows]
    expected: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # keys the change removes (a removed row)


def cell(row: int, col: int, text: str) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        rows[row][col] = text
        return rows

    return change


def cells(*edits: tuple[int, int, str]) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        for row, col, text in edits:
            rows[row][col] = text
        return rows

    return change


def _swap(a: int, b: int) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        rows[a], rows[b] = rows[b], rows[a]
        return rows

    return change


def _insert(at: int, row: list[str]) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        rows.insert(at, row)
        return rows

    return change


def _remove(at: int) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        del rows[at]
        return rows

    return change


def _label_spans_two_columns(rows: Rows) -> Rows:
    rows[NAME] = ["企业名称", "<", "山西示范机械有限公司", "<", "<"]
    return rows


def _year_label_spans_two_columns(rows: Rows) -> Rows:
    """The 经营指标 column merged with the blank row-header column on its left."""
    for r in range(YEAR_HEADER, RD + 1):
        rows[r] = [rows[r][1], "<", *rows[r][2:]]
    return rows


def _years_reversed(rows: Rows) -> Rows:
    for r in range(YEAR_HEADER, RD + 1):
        rows[r][2], rows[r][4] = rows[r][4], rows[r][2]
    return rows


def _years_shifted(rows: Rows) -> Rows:
    rows[YEAR_HEADER][2:] = ["2020年", "2021年", "2022年"]
    return rows


def _years_2019(rows: Rows) -> Rows:
    rows[YEAR_HEADER][2:] = ["2019年度", "2020年度", "2021年度"]
    return rows


def _shifted(years: tuple[str, str, str]) -> dict[str, Any]:
    """The clean year values under other year keys (2018→years[0], …)."""
    out: dict[str, Any] = {}
    for key, value in BASELINE.items():
        for old, new in zip(("2018", "2019", "2020"), years, strict=True):
            if key.startswith(f"financials.{old}."):
                out[key.replace(old, new)] = value
    return out


CONTENT_MODE = "申报示范模式：全生命周期管理，联系电话见上"
CONTENT_WORDS = "详见汇总表；企业名称、合计、承诺等见表1及示范模式说明"
CONTENT_LABEL_FIRST = "联系电话：见上表。申报示范模式为供应链管理"

CASES: list[Case] = [
    # free text with other labels and trigger words
    Case("content-mode", cell(CONTENT, 0, CONTENT_MODE), {"content": CONTENT_MODE}),
    Case("content-trigger-words", cell(CONTENT, 0, CONTENT_WORDS), {"content": CONTENT_WORDS}),
    Case("content-starts-with-label", cell(CONTENT, 0, CONTENT_LABEL_FIRST), {"content": CONTENT_LABEL_FIRST}),
    *[
        Case(f"{name}-value-with-words", cell(row, col, text), {key: text})
        for name, row, col, key, text in [
            ("business", ADDRESS, 3, "main_business", "电子邮箱系统开发"),
            ("business-phone", ADDRESS, 3, "main_business", "电话机、传真机制造"),
            ("business-title", ADDRESS, 3, "main_business", "职务培训及企业名称设计服务"),
            ("address", ADDRESS, 1, "reg_address", "太原市示范模式大厦汇总表路1号"),
            ("legal-rep", NATURE, 3, "legal_rep", "张三（承诺人）"),
            ("nature", NATURE, 1, "nature", "民营（合计持股100%）"),
            ("title", CONTACT, 3, "title", "法定代表人"),
        ]
    ],
    # label spacing, colons, brackets
    *[Case(f"title-label-{i}", cell(CONTACT, 2, t)) for i, t in enumerate(["职务", "职 务", "职　务", "职　　务"])],
    Case("label-colon-full", cell(CONTACT, 2, "职务：")),
    Case("label-colon-half", cell(NAME, 0, "企业名称:")),
    Case("label-colon-spaced", cell(NATURE, 0, "企 业 性 质 ：")),
    Case("bracket-full", cell(ASSETS, 1, "资产总额（万元）")),
    Case("bracket-half", cell(DEBT, 1, "资产负债率(%)")),
    Case("bracket-ratio-full", cell(STAFF_LABELS, 2, "研发和设计人员比例（%）")),
    Case("bracket-staff", cell(STAFF_LABELS, 1, "员工总数（人）")),
    # synonyms
    Case("synonym-legal-rep", cell(NATURE, 2, "法定代表人")),
    Case("synonym-unit-name", cell(NAME, 0, "单位名称")),
    Case("synonym-phone", cell(CONTACT, 4, "电话：0351-7654321")),
    Case("synonym-email-en", cell(MOBILE, 2, "E-mail")),
    Case("synonym-email-short", cell(MOBILE, 2, "邮箱")),
    Case("synonym-email-colon", cell(MOBILE, 2, "电子邮箱：")),
    # units, marks and number forms inside values
    Case("amount-with-unit", cell(REVENUE, 2, "8,000万元")),
    Case("amount-in-yuan", cell(REVENUE, 2, "80,000,000元")),
    Case("amount-thousands", cell(ASSETS, 4, "15,000")),
    Case("amount-full-width", cell(ASSETS, 2, "１２，０００")),
    Case("percent-sign", cell(DEBT, 2, "45%")),
    Case("percent-full-width", cell(DEBT, 2, "45％")),
    Case("percent-approx", cell(DEBT, 2, "约45%")),
    Case("percent-decimal", cell(STAFF_VALUES, 4, "35.5%")),
    Case("staff-with-unit", cell(STAFF_VALUES, 1, "320人")),
    Case("minus-sign", cell(GROWTH, 3, "−3.5")),
    Case("minus-full-width", cell(GROWTH, 3, "－3.5")),
    Case("minus-percent", cell(GROWTH, 3, "-3.5%")),
    Case("blank-design-wu", cell(DESIGN, 2, "无")),
    Case("blank-design-dash", cell(DESIGN, 2, "—")),
    Case("blank-design-slash", cell(DESIGN, 2, "/")),
    # rows added, removed, reordered; other merges
    Case("row-added", _insert(2, ["统一社会信用代码", "91140100MA0K00000X", "<", "<", "<"])),
    Case("row-added-in-years", _insert(12, ["^", "其他指标（万元）", "1", "2", "3"])),
    Case("row-removed", _remove(MOBILE), missing=("mobile", "email", "fax")),
    Case("rows-swapped", _swap(NATURE, MAIL)),
    Case("year-rows-swapped", _swap(ASSETS, TAXES)),
    Case("label-spans-two-columns", _label_spans_two_columns),
    Case("year-label-spans-two-columns", _year_label_spans_two_columns),
    Case("year-header-full-width", cell(YEAR_HEADER, 2, "２０１８年")),
    Case("year-header-nian-du", cells(*[(YEAR_HEADER, c, f"{y}年度") for c, y in ((2, 2018), (3, 2019), (4, 2020))])),
    Case("year-header-nian-mo", cells(*[(YEAR_HEADER, c, f"{y}年末") for c, y in ((2, 2018), (3, 2019), (4, 2020))])),
    Case("year-header-bare", cells(*[(YEAR_HEADER, c, f"{y}") for c, y in ((2, 2018), (3, 2019), (4, 2020))])),
    Case("year-header-unit", cell(YEAR_HEADER, 3, "2019年（万元）")),
    Case("year-label-spaced", cell(TAXES, 1, "税 金 总 额（万元）")),
    Case("year-label-colon", cell(PROFIT, 1, "利润总额（万元）：")),
    Case("duplicate-label", _insert(MAIL + 1, ["联系电话", "0351-7654321", "<", "<", "<"])),
    # other years, other column order
    Case("years-reversed", _years_reversed),
    Case("years-2020-2022", _years_shifted, _shifted(("2020", "2021", "2022")), missing=("financials.2018.revenue",)),
    Case("years-2019-2021", _years_2019, _shifted(("2019", "2020", "2021")), missing=("financials.2018.revenue",)),
]


def _check(got: dict[str, Any], case: Case, baseline: dict[str, Any]) -> None:
    """Every field as in ``baseline``, except those the case changes or removes; no field
    more (a field that appears from nowhere is a misreading too)."""
    shifted = any(k.startswith("financials.") for k in case.expected)
    expected = {
        k: v for k, v in baseline.items() if k not in case.missing and not (shifted and k.startswith("financials."))
    }
    expected.update(case.expected)
    assert got == expected


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_perturbed_table_reads_the_same(case: Case) -> None:
    rows = case.change(copy.deepcopy(ENTERPRISE_ROWS))
    _check(values(read(rows)), case, BASELINE)


def read_project(rows: Rows) -> dict[str, Any]:
    doc = word_document([paragraph("服务型制造示范培育项目申报表", 1)], [table(rows)])
    return FORM_EXTRACTORS["form_project"].extract(doc, [1]).fields


PROJECT_BASELINE = values(read_project(PROJECT_ROWS))
P_NAME, P_PARTIES, P_INDUSTRY, P_YEARS, P_CONTACT, P_FIN, P_CONTENT = 1, 2, 3, 4, 8, 12, 19
PROJECT_CONTENT = "申报示范模式：共享制造。合计投资2500万元，承诺按期完成，企业名称见表1"
PROJECT_CASES: list[Case] = [
    Case("content-with-words", cell(P_CONTENT, 0, PROJECT_CONTENT), {"content": PROJECT_CONTENT}),
    Case("bracket-half", cells((P_PARTIES, 0, "委托单位(甲方)"), (P_PARTIES, 2, "实施单位(乙方)"))),
    Case("label-colon", cells((P_NAME, 0, "项目名称："), (P_INDUSTRY, 2, "投资额度（万元）:"))),
    Case("label-spaced", cells((P_INDUSTRY, 0, "所 在 行 业"), (P_YEARS, 0, "项目实施　年限"))),
    Case("investment-with-unit", cell(P_INDUSTRY, 3, "2,500万元")),
    Case("investment-full-width", cell(P_INDUSTRY, 3, "２５００")),
    Case("years-with-dash", cell(P_YEARS, 1, "2019年—2021年")),
    Case("years-compact", cell(P_YEARS, 1, "2019-2021")),
    Case("industry-word", cell(P_INDUSTRY, 1, "制造业"), {"industry": "制造业"}),
    Case("contact-title-synonym", cell(P_CONTACT, 2, "职　　务")),
    Case("year-row-label-spaced", cell(P_FIN, 1, "资 产 总 额（万元）")),
    Case("year-row-value-unit", cell(P_FIN, 2, "8,000万元")),
    Case("rows-swapped", _swap(P_CONTACT, P_CONTACT + 1)),
]


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[c.id for c in PROJECT_CASES])
def test_perturbed_project_table_reads_the_same(case: Case) -> None:
    rows = case.change(copy.deepcopy(PROJECT_ROWS))
    _check(values(read_project(rows)), case, PROJECT_BASELINE)


def read_city(rows: Rows) -> dict[str, Any]:
    doc = word_document([paragraph("服务型制造示范城市（培育）申报表", 1)], [table(rows)])
    return FORM_EXTRACTORS["form_city"].extract(doc, [1]).fields


CITY_BASELINE = values(read_city(CITY_ROWS))
CITY_CASES: list[Case] = [
    Case("gdp-label-half-bracket", cell(2, 0, "GDP(2020年,下同)")),
    Case("gdp-synonym", cell(2, 0, "地区生产总值（2020年）")),
    Case("name-colon", cell(1, 0, "城市名称：")),
    Case("growth-percent-sign", cell(3, 3, "5.1%")),
    Case("growth-minus-full-width", cell(5, 3, "－1.2")),
    Case("growth-blank-dash", cell(4, 3, "—")),
    Case("value-full-width", cell(3, 1, "５２０")),
]


@pytest.mark.parametrize("case", CITY_CASES, ids=[c.id for c in CITY_CASES])
def test_perturbed_city_table_reads_the_same(case: Case) -> None:
    rows = case.change(copy.deepcopy(CITY_ROWS))
    _check(values(read_city(rows)), case, CITY_BASELINE)


def read_platform(rows: Rows) -> dict[str, Any]:
    doc = word_document([paragraph("服务型制造示范平台（培育）申报表", 1)], [table(rows)])
    return FORM_EXTRACTORS["form_platform"].extract(doc, [1]).fields


PLATFORM_BASELINE = values(read_platform(platform_rows()))
PLATFORM_CASES: list[Case] = [
    Case("website-label-spaced", cell(1, 4, "网　　址")),
    Case("website-synonym", cell(1, 4, "平台网址：")),
    Case("capital-with-colon", cell(6, 0, "注册资本：1,000万元")),
    Case("capital-full-width", cell(6, 0, "注册资本 １０００ 万元")),
    Case("investor-ratio-percent", cell(7, 4, "60%")),
    Case("area-with-unit", cell(13, 3, "1,200平方米")),
    Case("staff-with-unit", cell(13, 5, "85人")),
    Case("name-with-words", cell(1, 1, "晋云汇总表平台"), {"name": "晋云汇总表平台"}),
    Case(
        "operator-synonym-unit",
        cell(2, 1, "山西晋云科技有限公司（示范模式：平台运营）"),
        {"operator": "山西晋云科技有限公司（示范模式：平台运营）"},
    ),
    Case("years-reversed", lambda rows: _reverse_platform_years(rows)),
]


def _reverse_platform_years(rows: Rows) -> Rows:
    for r in (15, 16, 17):
        rows[r][1], rows[r][5] = rows[r][5], rows[r][1]
    return rows


@pytest.mark.parametrize("case", PLATFORM_CASES, ids=[c.id for c in PLATFORM_CASES])
def test_perturbed_platform_table_reads_the_same(case: Case) -> None:
    rows = case.change(copy.deepcopy(platform_rows()))
    _check(values(read_platform(rows)), case, PLATFORM_BASELINE)


@pytest.mark.parametrize("blank", ["无", "—", "/", "——", "－"])
def test_a_placeholder_is_blank_not_an_error(blank: str) -> None:
    """无 / — / / in a numeric or phone cell means nothing filled in: value None, no parse
    error (so no VALUE_NOT_NUMERIC), the raw text kept for the reviewer."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[DESIGN][2] = blank
    rows[RD][4] = blank
    rows[MOBILE][1] = blank
    fields = read(rows)
    for key in ("patents.design", "financials.2020.rd_ratio", "mobile"):
        assert fields[key].value is None and fields[key].error is None, key


def test_the_clean_reading_is_complete() -> None:
    """The baseline itself: every value the form prints, so the cases compare something."""
    assert BASELINE["name"] == "山西示范机械有限公司" and BASELINE["title"] == "经理"
    assert BASELINE["financials.2019.net_profit_growth"] == -3.5
    assert BASELINE["patents.design"] is None and len(BASELINE) >= 45


def test_a_value_that_looks_like_a_year_is_a_value() -> None:
    """Regression: 服务收入 2000 (万元) was taken for a year header and dropped, so the row's
    values slid one year left when the year table continued without its header."""
    assert BASELINE["financials.2018.service_revenue"] == 2000.0
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[REVENUE][2:] = ["2019", "2020", "2021"]
    got = values(read(rows))
    assert [got[f"financials.{y}.revenue"] for y in ("2018", "2019", "2020")] == [2019.0, 2020.0, 2021.0]
    assert got["financials.2018.service_revenue"] == 2000.0


# ---------------------------------------------------------------- year table split


def _split(with_header: bool) -> list[Table]:
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    first, second = rows[:SERVICE], rows[SERVICE:]
    header = ["", "经营指标", "2018 年", "2019 年", "2020 年"]
    second = [[c if c != "^" else "" for c in r] for r in second]
    if with_header:
        second = [header, *second]
    return [table(first), table(second, index=2)]


@pytest.mark.parametrize("with_header", [True, False], ids=["repeated-header", "no-header"])
def test_year_table_broken_across_two_tables(with_header: bool) -> None:
    assert values(read_tables(_split(with_header))) == BASELINE


def test_year_table_broken_across_two_pages() -> None:
    first, second = _split(with_header=False)
    second = second.model_copy(
        update={"cells": [c.model_copy(update={"prov": c.prov.model_copy(update={"page": 2})}) for c in second.cells]}
    )
    title = paragraph(TITLE, 1)
    doc = pdf_document([pdf_page(1, [title], [first]), pdf_page(2, [], [second])], file="book.docx")
    got = values(FORM_EXTRACTORS["form_enterprise"].extract(doc, [1, 2]).fields)
    assert got == BASELINE


# ---------------------------------------------------------------- table kind and score


def test_form_page_with_mode_in_content_scores_as_the_form() -> None:
    """Regression (issue 9.1): 示范模式 and 汇总表 inside a filled value neither throw the
    table away nor lower the page's score, nor make it a summary table."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[CONTENT][0] = "申报示范模式：全生命周期管理（详见汇总表及申报书正文）"
    doc = word_document([paragraph(TITLE, 1)], [table(rows)])
    page = doc.pages[0]
    own = FORM_EXTRACTORS["form_enterprise"].score(page, doc)
    assert own >= 0.9
    assert FORM_EXTRACTORS["summary_table"].score(page, doc) < own - 0.3
    assert FORM_EXTRACTORS["application_body"].score(page, doc) < own
    assert values(FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields)["name"] == BASELINE["name"]


def test_a_title_quoted_in_a_value_is_not_the_title() -> None:
    """The project form's content quoting 企业申报表 does not make its page an enterprise
    form's; a title with a date after it on the same (OCR) line is still the title."""
    rows = copy.deepcopy(PROJECT_ROWS)
    rows[-1][0] = "申报示范模式：同企业申报表"
    doc = word_document([paragraph("服务型制造示范培育项目申报表", 1)], [table(rows)])
    page = doc.pages[0]
    assert FORM_EXTRACTORS["form_enterprise"].title_in(page) is None
    assert FORM_EXTRACTORS["form_enterprise"].score(page, doc) < 0.5
    dated = word_document([paragraph("表1 服务型制造示范培育企业申报表 填报日期：2021年3月", 1)], [])
    assert FORM_EXTRACTORS["form_enterprise"].title_in(dated.pages[0]) is not None


def test_the_year_of_lone_financial_rows_comes_from_a_heading_not_prose() -> None:
    """表2's one year comes from its ``2020年度生产经营状况`` heading, not from a value that
    mentions another year (``自2018年度起…``)."""
    rows = [
        ["项目名称", "共享铸造工厂建设项目", "<", "<"],
        ["主营业务", "自2018年度起从事铸造", "<", "<"],
        ["2020年度生产经营状况", "<", "<", "<"],
        ["资产总额（万元）", "8000", "营业收入（万元）", "6000"],
    ]
    doc = word_document([paragraph("服务型制造示范培育项目申报表", 1)], [table(rows)])
    got = values(FORM_EXTRACTORS["form_project"].extract(doc, [1]).fields)
    assert got["financials.2020.total_assets"] == 8000.0 and got["financials.2020.revenue"] == 6000.0
    assert not any(k.startswith("financials.2018") for k in got)


SUMMARY_ROWS = [
    ["一、示范企业", "<", "<", "<", "<", "<"],
    ["序号", "企业名称", "示范模式", "联系人", "联系电话", "电子邮箱"],
    ["1", "山西示范机械有限公司", "供应链管理", "李四", "0351-7654321", "li@example.com"],
]


@pytest.mark.parametrize("titled", [True, False], ids=["titled", "header-only"])
def test_summary_table_is_still_not_a_form(titled: bool) -> None:
    """A 汇总表 (its header row of column labels) is never read as a form table, with or
    without its title."""
    blocks = [paragraph("服务型制造示范培育遴选申报汇总表", 1)] if titled else []
    doc = word_document(blocks, [table(SUMMARY_ROWS)])
    assert FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields == {}


def test_summary_title_inside_the_table_is_not_a_form() -> None:
    rows = [["服务型制造示范培育遴选申报汇总表", "<", "<", "<"], ["企业名称", "甲", "联系人", "乙"]]
    doc = word_document([], [table(rows)])
    assert FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields == {}


def test_outline_page_still_scores_low() -> None:
    """A 申报书正文 heading (a short item of its own) still lowers a page that only quotes
    form labels."""
    blocks = [paragraph("服务型制造示范培育企业申报书正文", 1), paragraph("企业名称 通信地址 邮政编码 税金总额", 2)]
    doc = word_document(blocks, [])
    assert FORM_EXTRACTORS["form_enterprise"].score(doc.pages[0], doc) < 0.3


def test_commitment_slots_survive_a_value_mentioning_the_summary() -> None:
    """A Word book is one pseudo-page: 汇总表 inside the form's content cell must not hide
    the commitment's seal slots."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[CONTENT][0] = "申报示范模式：详见汇总表"
    blocks = [
        paragraph(TITLE, 1),
        paragraph("填报单位意见及真实性承诺：", 2),
        paragraph("申报单位（章）", 3),
    ]
    doc = word_document(blocks, [table(rows)])
    out = FORM_EXTRACTORS["commitment"].extract(doc, [1])
    assert [s.role for s in out.seal_slots] == ["applicant"]


def test_project_form_with_mode_in_content() -> None:
    rows = copy.deepcopy(PROJECT_ROWS)
    rows[-1][0] = "申报示范模式：共享制造。合计投资2500万元，承诺按期完成"
    doc = word_document([paragraph("服务型制造示范培育项目申报表", 1)], [table(rows)])
    got = values(FORM_EXTRACTORS["form_project"].extract(doc, [1]).fields)
    assert got["name"] == "共享铸造工厂建设项目" and got["investment"] == 2500.0
    assert got["content"] == rows[-1][0]


# ---------------------------------------------------------------- scanned grids (issue 9.3)


def _ocr(rows: Rows) -> Table:
    return table(rows, method="ocr", confidence=0.9, boxes=True)


def test_title_cell_over_the_year_columns_is_not_a_value() -> None:
    """Regression: a mis-segmented scan gave a cell holding the title and address that
    reached down over the 2018 column; it was read as every 2018 value."""
    built = _ocr(ENTERPRISE_ROWS)
    rogue = Cell(
        text="服务型制造示范培育企业申报表 通信地址 太原市小店区一号",
        orig="服务型制造示范培育企业申报表 通信地址 太原市小店区一号",
        row=0,
        col=2,
        rowspan=RD + 1,
        colspan=1,
        prov=Provenance(file="book.docx", page=1, bbox=BBox(x0=210, y0=60, x1=290, y1=480), method="ocr"),
    )
    built = built.model_copy(update={"cells": [rogue, *built.cells]})
    got = values(read_tables([built]))
    for item in ("total_assets", "revenue", "taxes"):
        assert got[f"financials.2018.{item}"] == BASELINE[f"financials.2018.{item}"]


def _merged_2018_column(text: str) -> Table:
    """ENTERPRISE_ROWS as a scan that lost the rules of the 2018 column: one tall cell."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[ASSETS][2] = text
    for r in range(DEBT, RD + 1):
        rows[r][2] = "^"
    return _ocr(rows)


def test_a_tall_cell_of_year_values_is_split_by_row() -> None:
    column = [BASELINE[f"financials.2018.{k}"] for k in ("total_assets", "debt_ratio", "revenue")]
    assert column == [12000.0, 45.0, 8000.0]
    got = values(read_tables([_merged_2018_column("12,000 45 8000 2000 300 500 5 3")]))
    assert {k: v for k, v in got.items() if k.startswith("financials.2018")} == {
        k: v for k, v in BASELINE.items() if k.startswith("financials.2018")
    }


def test_a_tall_cell_of_year_values_that_does_not_split_is_read_once() -> None:
    """Seven values for eight rows: the cell is not spread over rows it cannot be split
    into; only its top row reads it (and the reviewer sees the raw text)."""
    fields = read_tables([_merged_2018_column("12,000 45 8000 2000 300 500 5")])
    assert fields["financials.2018.total_assets"].raw.startswith("12,000 45")
    for item in ("debt_ratio", "revenue", "rd_ratio"):
        assert fields[f"financials.2018.{item}"].raw == ""
    assert fields["financials.2019.revenue"].value == 9000.0


def test_a_header_cell_holding_all_years_is_split() -> None:
    """A scan that lost the rules between the year headers gives one cell
    ``2018年 2019年 2020年`` over three columns: still three year columns."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[YEAR_HEADER] = ["", "经营指标", "2018年 2019年 2020年", "<", "<"]
    assert values(read_tables([_ocr(rows)])) == BASELINE


def test_a_value_cell_over_all_year_columns_is_split() -> None:
    """The same in a value row: ``8000 9000 10000`` in one cell over the three years."""
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[REVENUE] = ["^", "营业收入 (万元)", "8000 9000 10000", "<", "<"]
    rows[TAXES] = ["^", "税金总额 (万元)", "300 320", "<", "<"]  # two numbers, three years
    got = values(read_tables([_ocr(rows)]))
    assert [got[f"financials.{y}.revenue"] for y in ("2018", "2019", "2020")] == [8000.0, 9000.0, 10000.0]
    assert [got[f"financials.{y}.taxes"] for y in ("2018", "2019", "2020")] == [None, None, None]


def test_year_values_never_come_from_above_the_header() -> None:
    """A financial label printed above the year header (a wrongly cut scan) takes no value
    from the rows above the header."""
    rows = [
        ["服务型制造示范培育企业申报表 太原市小店区一号", "<", "<", "<"],
        ["资产总额（万元）", "太原市小店区一号", "<", "<"],
        ["经营指标", "2018 年", "2019 年", "2020 年"],
        ["营业收入（万元）", "8000", "9000", "10000"],
        ["利润总额（万元）", "500", "600", "700"],
    ]
    got = values(read_tables([_ocr(rows)]))
    assert got["financials.2018.revenue"] == 8000.0 and got["financials.2020.total_profit"] == 700.0
    assert not any(isinstance(v, str) and "小店区" in v for k, v in got.items() if k.startswith("financials"))


def _lines(texts: list[tuple[str, float, float, float]]) -> list:  # type: ignore[type-arg]
    return [line(t, x, y, width=w, method="ocr", confidence=0.9) for t, x, y, w in texts]


def test_geometric_year_values_stay_in_their_columns() -> None:
    """Scanned lines: a long title line at the height of a financial row (a skewed scan) is
    not read as the 2018 value; values come from the year columns."""
    blocks = _lines(
        [
            (TITLE, 150, 40, 300),
            ("经营指标", 60, 200, 80),
            ("2018 年", 200, 200, 60),
            ("2019 年", 300, 200, 60),
            ("2020 年", 400, 200, 60),
            ("资产总额(万元)", 60, 230, 100),
            ("12000", 205, 230, 50),
            ("13000", 305, 230, 50),
            ("15000", 405, 230, 50),
            ("营业收入(万元)", 60, 260, 100),
            ("地址：太原市小店区一号", 600, 260, 200),
            ("9000", 305, 260, 40),
            ("10000", 405, 260, 50),
        ]
    )
    doc = pdf_document([pdf_page(1, blocks)])
    got = values(FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields)
    assert got["financials.2018.total_assets"] == 12000.0
    assert got["financials.2020.total_assets"] == 15000.0
    assert got["financials.2019.revenue"] == 9000.0 and got["financials.2020.revenue"] == 10000.0
    assert got.get("financials.2018.revenue") is None


def test_cut_label_is_not_the_value_of_the_label_before_it() -> None:
    """Regression: OCR cut 研发和设计人员比例 at its line break; the piece 研发和设计人 stood
    right of 员工总数 (one OCR line) and was read as the staff count."""
    blocks = _lines(
        [
            (TITLE, 150, 40, 300),
            ("企业名称 山西线条有限公司", 60, 70, 260),
            ("从业人员 员工总数 研发和设计人 中高级职业资", 60, 100, 400),
            ("员比例 格人员比例", 260, 114, 200),
            ("320 15% 20", 140, 140, 300),
        ]
    )
    doc = pdf_document([pdf_page(1, blocks)])
    fields = FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields
    assert fields["name"].value == "山西线条有限公司"
    assert fields["staff_total"].value == 320 and fields["staff_total"].error is None


def test_cut_label_in_a_table_cell_is_not_a_value() -> None:
    """The same in a recovered table: the cell below 员工总数 holds a piece of a label."""
    rows = [
        ["从业人员", "员工总数", "研发和设计", "中高级职业资格人员比例", "本科以上学历人员比例"],
        ["^", "研发和设计人", "人员比例", "", ""],
        ["^", "320", "15", "20", "35.5"],
    ]
    fields = read_tables([_ocr(rows)])
    assert "研发" not in fields["staff_total"].raw


def test_a_label_with_a_colon_right_of_a_label_without_value_is_a_label() -> None:
    """``电子邮箱：…`` typed into the cell after an empty 传真 is the e-mail with its label,
    not 传真's value: in a value position only a label followed by a colon counts."""
    rows = [["企业名称", "甲公司", "<"], ["联系人", "钱七", "<"], ["传真", "电子邮箱：li@example.com", "<"]]
    got = read_tables([table(rows)])
    assert got["fax"].raw == "" and got["email"].value == "li@example.com"


def test_below_cell_in_a_row_of_labels_is_not_a_value() -> None:
    """The cell under 传真 stands in a row of labels (手机, 电子邮箱): it is not 传真's value."""
    rows = [
        ["传真", "联系人", "李四"],
        ["总经理办公室", "手机", "电子邮箱"],
        ["", "13812345678", "li@example.com"],
    ]
    fields = read_tables([_ocr(rows)])
    assert fields["fax"].raw == "" and fields["fax"].error is None
    assert fields["mobile"].value == "13812345678" and fields["email"].value == "li@example.com"


# ---------------------------------------------------------------- OCR number repairs


@pytest.mark.parametrize(
    ("raw", "item", "year", "expected"),
    [
        ("-3.5.", "net_profit_growth", "2019", -3.5),
        ("5309.", "revenue", "2018", 5309.0),
        (".65.9", "debt_ratio", "2018", 65.9),
        ("-4:7", "net_profit_growth", "2019", -4.7),
        ("1O000", "revenue", "2019", 10000.0),
    ],
)
def test_ocr_punctuation_in_a_scanned_cell_is_repaired(raw: str, item: str, year: str, expected: float) -> None:
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    row = {"net_profit_growth": GROWTH, "revenue": REVENUE, "debt_ratio": DEBT}[item]
    rows[row][{"2018": 2, "2019": 3, "2020": 4}[year]] = raw
    fields = read_tables([table(rows, method="ocr", confidence=0.9)])
    got = fields[f"financials.{year}.{item}"]
    assert got.value == pytest.approx(expected) and got.error is None
    assert got.raw == raw and got.confidence == pytest.approx(0.72)
    assert fields["name"].confidence == pytest.approx(0.9)


# ---------------------------------------------------------------- a Word file through the loader


def _write_docx(path: Path, rows: Rows) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("表 1")
    document.add_paragraph(TITLE)
    add_grid_table(document, rows)
    document.save(str(path))


def test_word_book_with_mode_in_content_is_read(tmp_path: Path) -> None:
    """Regression (issue 9.1) through the real loader: 申报示范模式 in 主要申报内容."""
    loader = pytest.importorskip("extractors.loaders.docx_loader")
    rows = copy.deepcopy(ENTERPRISE_ROWS)
    rows[CONTENT][0] = CONTENT_MODE
    path = tmp_path / "申报书.docx"
    _write_docx(path, rows)
    document = loader.load_docx(path, "申报书.docx")
    extractor = FORM_EXTRACTORS["form_enterprise"]
    assert extractor.score(document.pages[0], document) >= 0.9
    got = values(extractor.extract(document, [1]).fields)
    assert got["content"] == CONTENT_MODE
    assert {k: v for k, v in got.items() if k != "content"} == {k: v for k, v in BASELINE.items() if k != "content"}


WORD_CASES = [
    c
    for c in CASES
    if c.id.startswith(("content-", "title-label-", "synonym-", "years-"))
    or c.id
    in {
        "business-phone-value-with-words",
        "title-value-with-words",
        "label-colon-full",
        "amount-with-unit",
        "percent-approx",
        "minus-full-width",
        "blank-design-wu",
        "row-added",
        "rows-swapped",
        "label-spans-two-columns",
        "year-label-spans-two-columns",
    }
]


@pytest.mark.parametrize("case", WORD_CASES, ids=[c.id for c in WORD_CASES])
def test_perturbed_word_book_reads_the_same(case: Case, tmp_path: Path) -> None:
    """The same perturbations written with python-docx and read through the real loader."""
    loader = pytest.importorskip("extractors.loaders.docx_loader")
    path = tmp_path / "申报书.docx"
    _write_docx(path, case.change(copy.deepcopy(ENTERPRISE_ROWS)))
    document = loader.load_docx(path, "申报书.docx")
    _check(values(FORM_EXTRACTORS["form_enterprise"].extract(document, [1]).fields), case, BASELINE)
