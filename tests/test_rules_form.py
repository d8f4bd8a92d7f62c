"""Form and body rules (validators.form_rules, validators.body_rules) on records built in code:
for each rule a case that
fires and a near miss that must not."""

from __future__ import annotations

from typing import Any

import pytest

from models.campaign import Campaign, FormatRule, load_campaign
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding
from models.forms import FormType, form_from_fields
from models.records import ExtractedDocument, Record, Section, StyleSample
from validators.base import RULES as REGISTERED
from validators.base import RecordContext
from validators.body_rules import RULES as BODY_RULES
from validators.common import fmt, font_family, label_of, latest_year, section_matches
from validators.form_rules import RULES as FORM_RULES

FORM_FILE = "申报书.docx"


def ex(value: Any, raw: str | None = None, error: str | None = None) -> Extracted[Any]:
    """A field as an extractor gives it: value, raw text and a cell as evidence."""
    text = raw if raw is not None else ("" if value is None else fmt(value))
    return Extracted[Any](
        value=value,
        raw=text,
        error=error,
        evidence=[Evidence(file=FORM_FILE, page=1, cell="table 1 r5 c2", text=text)],
    )


YEARS = ("2018", "2019", "2020")


def enterprise_fields(**changes: Extracted[Any] | None) -> FieldMap:
    fields: FieldMap = {
        key: ex(value)
        for key, value in {
            "name": "山西某某装备制造有限公司",
            "nature": "民营企业",
            "legal_rep": "张三",
            "reg_address": "山西省太原市小店区某路1号",
            "main_business": "装备制造及服务",
            "mail_address": "山西省太原市小店区某路1号",
            "postcode": "030006",
            "contact": "李四",
            "title": "经理",
            "phone": "0351-2022229",
            "mobile": "15635390920",
            "email": "li@example.com",
            "fax": "0351-2022228",
            "staff_total": 320.0,
            "rd_staff_ratio": 18.5,
            "senior_staff_ratio": 22.0,
            "bachelor_ratio": 40.0,
            "patents.invention": 3.0,
            "patents.utility_model": 12.0,
            "patents.design": 0.0,
        }.items()
    }
    for year in YEARS:
        for key, value in {
            "total_assets": 12000.0,
            "debt_ratio": 45.2,
            "revenue": 8000.0,
            "service_revenue": 2800.0,
            "taxes": 300.0,
            "total_profit": 600.0,
            "net_profit_growth": -12.5,
            "rd_ratio": 4.1,
        }.items():
            fields[f"financials.{year}.{key}"] = ex(value)
    for key, item in changes.items():
        key = key.replace("__", ".")
        if item is None:
            fields.pop(key, None)
        else:
            fields[key] = item
    return fields


def project_fields(**changes: Extracted[Any] | None) -> FieldMap:
    base = {k: v for k, v in enterprise_fields().items() if not k.startswith("financials.")}
    for key in ("mail_address", "postcode", "mobile", "email"):
        base.pop(key)
    base.update(
        {
            "name": ex("智能运维服务项目"),
            "client": ex("甲公司"),
            "contractor": ex("乙公司"),
            "industry": ex("装备制造"),
            "investment": ex(500.0),
            "start_year": ex(2019.0),
            "end_year": ex(2020.0),
            "patents.total": ex(15.0),
        }
    )
    for key, value in {"total_assets": 1.0, "debt_ratio": 1.0, "revenue": 1.0, "total_profit": 1.0,
                       "net_profit_growth": 1.0, "rd_ratio": 1.0}.items():  # fmt: skip
        base[f"financials.2020.{key}"] = ex(value)
    for key, item in changes.items():
        key = key.replace("__", ".")
        if item is None:
            base.pop(key, None)
        else:
            base[key] = item
    return base


STANDARD_SECTIONS = ("企业概况", "主要做法", "经验总结", "下一步设想")


def body(
    titles: tuple[str, ...] | list[str] = STANDARD_SECTIONS, styles: list[StyleSample] | None = None
) -> ExtractedDocument:
    return ExtractedDocument(
        kind="application_body",
        file=FORM_FILE,
        pages=[1],
        sections=[Section(title=t, level=1) for t in titles],
        styles=styles or [],
    )


def make_record(
    fields: FieldMap | None,
    kind: FormType = "enterprise",
    documents: list[ExtractedDocument] | None = None,
) -> Record:
    form = form_from_fields(kind, fields) if fields is not None else None
    docs = [ExtractedDocument(kind="application_form", file=FORM_FILE, pages=[1], form_type=kind)]
    return Record(
        submission_id="sub-1",
        path="太原市/某公司",
        kind=kind,
        form=form,  # type: ignore[arg-type]
        form_fields=fields or {},
        form_file=FORM_FILE,
        documents=docs + (documents if documents is not None else [body()]),
    )


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


@pytest.fixture(scope="module")
def guangxi() -> Campaign:
    return load_campaign("guangxi-2021")


RULES = {**FORM_RULES, **BODY_RULES}
"""The record's own form and body rules (validators.form_rules and validators.body_rules)."""


def run(name: str, record: Record, campaign: Campaign) -> list[Finding]:
    return list(RULES[name].check(RecordContext(record=record, campaign=campaign)))


def test_rules_registered() -> None:
    for name, rule in RULES.items():
        assert REGISTERED[name] is rule
        assert rule.scope == "record"


def test_clean_enterprise_has_no_findings(shanxi: Campaign) -> None:
    record = make_record(enterprise_fields())
    for name in RULES:
        assert run(name, record, shanxi) == [], name


# ---------------------------------------------------------------- FORM_NOT_FOUND


def test_form_not_found(shanxi: Campaign) -> None:
    found = run("form.not_found", make_record(None), shanxi)
    assert [f.code for f in found] == ["FORM_NOT_FOUND"]
    assert "表1" in found[0].message
    assert run("form.not_found", make_record(enterprise_fields()), shanxi) == []
    # the other form rules stay silent without a form
    assert run("form.field_missing", make_record(None), shanxi) == []


# ---------------------------------------------------------------- FORM_FIELD_MISSING


def test_missing_year_cell(shanxi: Campaign) -> None:
    record = make_record(enterprise_fields(financials__2019__revenue=ex(None)))
    found = run("form.field_missing", record, shanxi)
    assert [(f.field, f.severity) for f in found] == [("financials.2019.revenue", "error")]
    assert found[0].message == "表1“2019年 营业收入（万元）”未填写"
    assert found[0].evidence[0].cell == "table 1 r5 c2"


def test_missing_row_points_at_form(shanxi: Campaign) -> None:
    record = make_record(enterprise_fields(email=None))
    found = run("form.field_missing", record, shanxi)
    assert [f.field for f in found] == ["email"]
    assert found[0].evidence[0].file == FORM_FILE


def test_unparsed_text_is_not_missing(shanxi: Campaign) -> None:
    fields = enterprise_fields(financials__2020__revenue=ex(None, raw="见审计报告", error="not_numeric"))
    assert run("form.field_missing", make_record(fields), shanxi) == []


def test_dash_in_numeric_cell_is_missing(shanxi: Campaign) -> None:
    fields = enterprise_fields(financials__2018__taxes=ex(None, raw="—"))
    found = run("form.field_missing", make_record(fields), shanxi)
    assert [f.field for f in found] == ["financials.2018.taxes"]
    assert run("form.value_not_numeric", make_record(fields), shanxi) == []


def test_phone_or_mobile(shanxi: Campaign) -> None:
    assert run("form.field_missing", make_record(enterprise_fields(phone=ex(None))), shanxi) == []
    found = run("form.field_missing", make_record(enterprise_fields(phone=None, mobile=ex(None))), shanxi)
    assert [f.field for f in found] == ["phone"]
    assert "至少填写一项" in found[0].message


def test_optional_fields_are_warnings_and_may_say_none(shanxi: Campaign) -> None:
    found = run("form.field_missing", make_record(enterprise_fields(fax=ex(None))), shanxi)
    assert [(f.field, f.severity) for f in found] == [("fax", "warning")]
    assert run("form.field_missing", make_record(enterprise_fields(fax=ex(None, raw="无"))), shanxi) == []


def test_patents_zero_or_none_is_filled(shanxi: Campaign) -> None:
    fields = enterprise_fields(patents__design=ex(0.0), patents__invention=ex(None, raw="无"))
    assert run("form.field_missing", make_record(fields), shanxi) == []
    found = run("form.field_missing", make_record(enterprise_fields(patents__design=ex(None))), shanxi)
    assert [f.field for f in found] == ["patents.design"]


def test_project_single_year_block(shanxi: Campaign) -> None:
    assert run("form.field_missing", make_record(project_fields(), "project"), shanxi) == []
    found = run("form.field_missing", make_record(project_fields(financials__2020__rd_ratio=None), "project"), shanxi)
    assert [f.field for f in found] == ["financials.2020.rd_ratio"]
    assert found[0].message == "表2“2020年 研发设计投入占收入比（%）”未填写"


def test_city_form(shanxi: Campaign) -> None:
    fields = {k: ex(1.0) for k in ("gdp", "gdp_growth", "manufacturing_value_added", "industrial_revenue")}
    fields["name"] = ex("太原市")
    found = run("form.field_missing", make_record(fields, "city"), shanxi)
    assert "policy_documents" in {f.field for f in found}
    assert "城市名称" not in " ".join(f.message for f in found)


# ---------------------------------------------------------------- VALUE_NOT_NUMERIC


def test_value_not_numeric(shanxi: Campaign) -> None:
    fields = enterprise_fields(financials__2020__revenue=ex(None, raw="见审计报告", error="not_numeric"))
    found = run("form.value_not_numeric", make_record(fields), shanxi)
    assert [(f.field, f.found_value) for f in found] == [("financials.2020.revenue", "见审计报告")]
    assert "见审计报告" in found[0].message
    # a text field with any text is never "not numeric"
    fields = enterprise_fields(nature=ex("民营", raw="民营"))
    assert run("form.value_not_numeric", make_record(fields), shanxi) == []


# ---------------------------------------------------------------- PERCENT_OUT_OF_RANGE


def test_percent_out_of_range(shanxi: Campaign) -> None:
    fields = enterprise_fields(financials__2019__debt_ratio=ex(-3.0), bachelor_ratio=ex(112.0))
    found = run("form.percent_out_of_range", make_record(fields), shanxi)
    assert sorted(f.field or "" for f in found) == ["bachelor_ratio", "financials.2019.debt_ratio"]


def test_debt_ratio_over_100_is_not_out_of_range(shanxi: Campaign) -> None:
    """An insolvent company's 资产负债率 is over 100%: FINANCIAL_RISK's warning, not an error."""
    fields = enterprise_fields(financials__2019__debt_ratio=ex(120.0))
    assert run("form.percent_out_of_range", make_record(fields), shanxi) == []


def test_growth_rates_may_leave_0_100(shanxi: Campaign) -> None:
    fields = enterprise_fields(
        financials__2019__net_profit_growth=ex(-35.0), financials__2020__net_profit_growth=ex(250.0)
    )
    assert run("form.percent_out_of_range", make_record(fields), shanxi) == []
    fields = enterprise_fields(financials__2019__debt_ratio=ex(100.0), rd_staff_ratio=ex(0.0))
    assert run("form.percent_out_of_range", make_record(fields), shanxi) == []


# ---------------------------------------------------------------- TOTAL_MISMATCH


def test_patent_total_mismatch(shanxi: Campaign) -> None:
    fields = project_fields(**{"patents.total": ex(20.0)})
    found = run("form.total_mismatch", make_record(fields, "project"), shanxi)
    assert [(f.field, f.form_value, f.found_value) for f in found] == [("patents.total", 20.0, 15.0)]
    assert "发明3 + 实用新型12 + 外观设计0 = 15" in found[0].message


def test_patent_total_blank_part_counts_zero(shanxi: Campaign) -> None:
    fields = project_fields(patents__design=ex(None))  # 3 + 12 + blank = 15
    assert run("form.total_mismatch", make_record(fields, "project"), shanxi) == []
    # 表1 prints no 总数: nothing to compare
    assert run("form.total_mismatch", make_record(enterprise_fields()), shanxi) == []


def test_investor_ratios(shanxi: Campaign) -> None:
    fields: FieldMap = {"name": ex("平台"), "investors.0.ratio": ex(60.0), "investors.1.ratio": ex(50.0)}
    found = run("form.total_mismatch", make_record(fields, "platform"), shanxi)
    assert [(f.field, f.form_value) for f in found] == [("investors.ratio", 110.0)]
    fields["investors.1.ratio"] = ex(40.0)
    assert run("form.total_mismatch", make_record(fields, "platform"), shanxi) == []


# ---------------------------------------------------------------- service revenue


def test_service_revenue_exceeds_total(shanxi: Campaign) -> None:
    fields = enterprise_fields(financials__2019__service_revenue=ex(9000.0))
    found = run("form.service_revenue_exceeds_total", make_record(fields), shanxi)
    assert [f.field for f in found] == ["financials.2019.service_revenue"]
    assert [e.text for e in found[0].evidence] == ["9000", "8000"]  # both cells
    assert found[0].message == "表1中2019年服务收入9000万元大于营业收入8000万元"
    fields = enterprise_fields(financials__2019__service_revenue=ex(8000.0))
    assert run("form.service_revenue_exceeds_total", make_record(fields), shanxi) == []


def _share(service: float, revenue: float = 1000.0, year: str = "2020", **more: Any) -> FieldMap:
    changes: dict[str, Any] = {f"financials__{year}__service_revenue": ex(service)}
    changes[f"financials__{year}__revenue"] = ex(revenue)
    return enterprise_fields(**(changes | more))


def test_share_below_strict_threshold_is_error(guangxi: Campaign) -> None:
    found = run("form.service_share_below_threshold", make_record(_share(290.0)), guangxi)
    assert [(f.severity, f.form_value) for f in found] == [("error", 29.0)]
    assert "29.0%" in found[0].message and "30%以上" in found[0].message


def test_share_below_about_threshold_is_warning(shanxi: Campaign) -> None:
    found = run("form.service_share_below_threshold", make_record(_share(290.0)), shanxi)
    assert [f.severity for f in found] == ["warning"]
    assert "30%左右" in found[0].message


def test_share_exactly_at_threshold_passes(guangxi: Campaign) -> None:
    assert run("form.service_share_below_threshold", make_record(_share(300.0)), guangxi) == []
    found = run("form.service_share_below_threshold", make_record(_share(299.6)), guangxi)
    assert "29.96%" in found[0].message  # never shown as 30.0


def test_share_that_prints_as_threshold_passes(guangxi: Campaign) -> None:
    """Regression: 7468.57 / 24895.24 is 29.99999%, i.e. 30.00% as the amounts are printed."""
    assert run("form.service_share_below_threshold", make_record(_share(7468.57, 24895.24)), guangxi) == []


def test_share_needs_revenue_and_kind(guangxi: Campaign) -> None:
    assert run("form.service_share_below_threshold", make_record(_share(0.0, revenue=0.0)), guangxi) == []
    fields = _share(10.0, financials__2020__revenue=None)
    assert run("form.service_share_below_threshold", make_record(fields), guangxi) == []
    platform: FieldMap = {"financials.2020.revenue": ex(100.0), "financials.2020.service_revenue": ex(1.0)}
    assert run("form.service_share_below_threshold", make_record(platform, "platform"), guangxi) == []


def test_share_uses_latest_year_with_data(guangxi: Campaign) -> None:
    fields = _share(100.0, year="2019")
    for key in [k for k in fields if k.startswith("financials.2020.")]:
        fields.pop(key)
    record = make_record(fields)
    assert latest_year(record, guangxi) == 2019
    found = run("form.service_share_below_threshold", record, guangxi)
    assert [f.field for f in found] == ["financials.2019.service_revenue"]


# ---------------------------------------------------------------- SECTION_MISSING


def test_headings_worded_differently_match(shanxi: Campaign) -> None:
    titles = ["一、企业基本情况及发展历程", "（二）主要做法和成效", "3. 经验 总结", "第四部分 下一步工作计划"]
    assert run("form.section_missing", make_record(enterprise_fields(), documents=[body(titles)]), shanxi) == []


def test_section_missing(shanxi: Campaign) -> None:
    titles = ["一、企业概况", "二、主要做法", "四、下一步设想"]
    found = run("form.section_missing", make_record(enterprise_fields(), documents=[body(titles)]), shanxi)
    assert [(f.field, f.severity) for f in found] == [("sections.经验总结", "error")]
    assert "经验总结" in found[0].message


def test_no_body(shanxi: Campaign) -> None:
    found = run("form.section_missing", make_record(enterprise_fields(), documents=[]), shanxi)
    assert [(f.field, f.message[:8]) for f in found] == [("body", "未找到申报书正文")]


def test_body_without_headings_is_one_warning(shanxi: Campaign) -> None:
    found = run("form.section_missing", make_record(enterprise_fields(), documents=[body([])]), shanxi)
    assert [(f.field, f.severity) for f in found] == [("body.sections", "warning")]


@pytest.mark.parametrize(
    ("required", "heading", "matches"),
    [
        ("企业概况", "一、企业概况及发展历程", True),
        ("平台概述", "一、平台概况", True),
        ("工作举措", "二、主要工作措施", True),
        ("下一步设想", "四、下一步打算", True),
        ("经验总结", "三、经验总节", True),  # one wrong character
        ("主要做法", "三、经验总结", False),
        ("取得成效", "一、基本情况", False),
    ],
)
def test_section_matching(required: str, heading: str, matches: bool) -> None:
    assert section_matches(required, heading) is matches


# ---------------------------------------------------------------- FORMAT_DEVIATION


def _style(element: str = "body", font: str = "仿宋_GB2312", size: float = 12.0, spacing: float = 1.0,
           paragraph: int = 1) -> StyleSample:  # fmt: skip
    return StyleSample(element=element, font=font, size_pt=size, line_spacing=spacing,  # type: ignore[arg-type]
                       paragraph=paragraph, sample=f"第{paragraph}段文字")  # fmt: skip


def _format_findings(styles: list[StyleSample], campaign: Campaign) -> list[Finding]:
    record = make_record(enterprise_fields(), documents=[body(styles=styles)])
    return run("form.format_deviation", record, campaign)


def test_format_equivalent_fonts_pass(shanxi: Campaign) -> None:
    styles = [
        _style(font="仿宋_GB2312"),
        _style(font="FangSong", size=12.2),
        _style(font="方正仿宋_GBK", spacing=1.02),
        _style("heading1", font="SimHei", spacing=1.5),  # headings: no spacing rule
        _style("heading2", font="楷体_GB2312"),
    ]
    assert _format_findings(styles, shanxi) == []


def test_format_deviations_are_aggregated(shanxi: Campaign) -> None:
    styles = [_style(font="宋体", paragraph=3), _style(font="宋体", paragraph=5), _style(paragraph=6),
              _style(size=14.0, paragraph=7), _style("heading2", font="黑体", paragraph=2)]  # fmt: skip
    found = {(f.field, f.found_value): f for f in _format_findings(styles, shanxi)}
    assert set(found) == {
        ("body.body.font", "宋体"),
        ("body.body.size", "14磅（四号）"),
        ("body.heading2.font", "黑体"),
    }
    font = found[("body.body.font", "宋体")]
    assert font.severity == "info"
    assert "有2段（共4段）" in font.message
    assert font.evidence[0].cell == "paragraph 3"


def test_format_rule_absent(shanxi: Campaign) -> None:
    no_format = shanxi.model_copy(update={"format": None})
    assert _format_findings([_style(font="宋体")], no_format) == []
    spaced = shanxi.model_copy(update={"format": FormatRule(line_spacing=1.5)})
    assert [f.field for f in _format_findings([_style()], spaced)] == ["body.body.spacing"]


# ---------------------------------------------------------------- helpers


def test_helpers() -> None:
    assert fmt(None) == "（空）" and fmt(12.0) == "12" and fmt(123.450) == "123.45"
    assert label_of("financials.2019.revenue") == "2019年 营业收入（万元）"
    assert label_of("name", "platform") == "平台名称"
    assert label_of("investors.0.ratio") == "第1个主要投资方 投资比例（%）"
    assert font_family("仿宋GB2312") == font_family("FangSong_GB2312") == "仿宋"
    assert font_family("KaiTi") == "楷体" and font_family("方正黑体_GBK") == "黑体"
    assert font_family("微软雅黑") == "微软雅黑"
