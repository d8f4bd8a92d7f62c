"""表3 platform form: check boxes, investors, customers, a year table split over pages."""

from __future__ import annotations

import pytest
from test_forms_kit import paragraph, pdf_document, pdf_page, table, values, word_document

from extractors.forms import FORM_EXTRACTORS
from models.forms import PlatformForm, form_from_fields

TITLE = "服务型制造示范平台（培育）申报表"


def platform_rows(choice: str = "☑面向行业的专业服务平台") -> list[list[str]]:
    other = "□面向区域的综合服务平台"
    return [
        ["一、平台基本情况", "<", "<", "<", "<", "<"],
        ["平台名称", "晋云工业互联网平台", "<", "<", "网 址", "www.jinyun.cn"],
        ["运营主体", "山西晋云科技有限公司", "<", "<", "平台性质", "企业"],
        ["注册地址", "太原市", "<", "<", "主营业务", "工业软件"],
        ["法人代表", "刘一", "联系人", "陈二", "职 务", "主任"],
        ["联系电话", "0351-1111111", "传 真", "", "电子邮箱", "chen@jinyun.cn"],
        ["注册资本 1000 万元", "主要投资方名称", "<", "性质", "投资比例(%)", "<"],
        ["^", "山西晋云科技有限公司", "<", "民营", "60", "<"],
        ["^", "太原产业投资公司", "<", "国有", "40", "<"],
        ["^", "", "<", "", "", "<"],
        ["二、申报类型", "<", "<", "<", "<", "<"],
        [choice, "<", "<", other, "<", "<"],
        ["三、平台绩效", "<", "<", "<", "<", "<"],
        ["上年末总资产 (万元)", "5000", "服务场地面积 (平方米)", "1200", "从业人数 (人)", "85"],
        ["研发和设计\n人员比例(%)", "30", "中高级职业资\n格人员比例(%)", "25", "本科以上学历\n人员比例 (%)", "70"],
        ["经营指标", "2018 年", "<", "2019 年", "<", "2020 年"],
        ["营业收入(万元)", "900", "<", "1100", "<", "1500"],
        ["其中:服务收入(万\n元)", "600", "<", "800", "<", "1200"],
    ]


CONTINUATION = [
    ["资产总额（万元）", "3000", "<", "3500", "<", "5000"],
    ["利润总额（万元）", "100", "<", "150", "<", "200"],
    ["上缴税金（万元）", "20", "<", "30", "<", "40"],
    ["服务企业户数（个）", "120", "<", "150", "<", "210"],
]
CUSTOMERS = [
    ["服务典型企业名单", "<", "<", "<", "<"],
    ["序号", "服务企业名称", "联系人", "联系电话", "服务内容简述"],
    ["1", "太原重型机械集团", "吴三", "0351-2222222", "设备远程运维"],
    ["2", "晋城精工有限公司", "郑四", "13900001111", "供应链协同"],
    ["3", "", "", "", ""],
]


def _book(choice: str = "☑面向行业的专业服务平台"):
    page1 = pdf_page(1, [], [table(platform_rows(choice), file="p.pdf", method="pdf-text")])
    page2 = pdf_page(
        2,
        [],
        [
            table(CONTINUATION, file="p.pdf", page=2, method="pdf-text"),
            table(CUSTOMERS, file="p.pdf", page=2, index=2, method="pdf-text"),
        ],
    )
    title_line = word_document([paragraph(TITLE, 1)], []).pages[0].blocks[0]
    page1 = page1.model_copy(update={"blocks": [title_line]})
    return pdf_document([page1, page2], file="p.pdf")


def test_platform_form_over_two_pages() -> None:
    doc = _book()
    extractor = FORM_EXTRACTORS["form_platform"]
    assert extractor.score(doc.pages[0], doc) >= 0.9
    out = extractor.extract(doc, [1, 2])
    got = values(out.fields)
    assert out.pages == [1, 2] and out.form_type == "platform"
    assert got["name"] == "晋云工业互联网平台" and got["website"] == "www.jinyun.cn"
    assert got["operator"] == "山西晋云科技有限公司" and got["nature"] == "企业"
    assert got["legal_rep"] == "刘一" and got["contact"] == "陈二" and got["title"] == "主任"
    assert got["registered_capital"] == 1000.0
    assert got["investors.0.name"] == "山西晋云科技有限公司"
    assert got["investors.1.nature"] == "国有" and got["investors.1.ratio"] == 40.0
    assert "investors.2.name" not in got
    assert got["platform_type"] == "professional"
    assert got["total_assets_last_year"] == 5000.0 and got["service_area"] == 1200.0
    assert got["staff_total"] == 85 and got["bachelor_ratio"] == 70.0
    assert got["financials.2020.service_revenue"] == 1200.0
    assert got["financials.2018.total_assets"] == 3000.0  # continuation table, years carried
    assert got["financials.2020.served_companies"] == 210
    assert got["financials.2019.taxes"] == 30.0
    assert got["customers.0.name"] == "太原重型机械集团"
    assert got["customers.1.phone"] == "13900001111"
    assert got["customers.0.summary"] == "设备远程运维"
    assert "customers.2.name" not in got
    assert got["phone"] == "0351-1111111"  # the customer list's 联系电话 did not win
    form = form_from_fields("platform", out.fields)
    assert isinstance(form, PlatformForm)
    assert form.platform_type == "professional" and len(form.investors) == 2
    assert len(form.customers) == 2


@pytest.mark.parametrize(
    ("choice", "other", "expected"),
    [
        ("☑面向行业的专业服务平台", "□面向区域的综合服务平台", "professional"),
        ("□面向行业的专业服务平台", "■面向区域的综合服务平台", "regional"),
        ("□ 面向行业的专业服务平台", "☒ 面向区域的综合服务平台", "regional"),
        ("面向行业的专业服务平台 √", "面向区域的综合服务平台", "professional"),
        ("✓面向行业的专业服务平台", "□面向区域的综合服务平台", "professional"),
        ("□面向行业的专业服务平台", "□面向区域的综合服务平台", None),
        ("面向行业的专业服务平台", "面向区域的综合服务平台", None),
    ],
)
def test_platform_type_check_boxes(choice: str, other: str, expected: str | None) -> None:
    rows = platform_rows()
    rows[11] = [choice, "<", "<", other, "<", "<"]
    doc = word_document([paragraph(TITLE, 1)], [table(rows)])
    fields = FORM_EXTRACTORS["form_platform"].extract(doc, [1]).fields
    assert fields["platform_type"].value == expected


def test_both_options_in_one_cell() -> None:
    rows = platform_rows()
    rows[11] = ["□面向行业的专业服务平台    ☑面向区域的综合服务平台", "<", "<", "<", "<", "<"]
    doc = word_document([paragraph(TITLE, 1)], [table(rows)])
    assert FORM_EXTRACTORS["form_platform"].extract(doc, [1]).fields["platform_type"].value == "regional"


def test_blank_registered_capital_template() -> None:
    rows = platform_rows()
    rows[6][0] = "注册资本 _____ 万元"
    doc = word_document([paragraph(TITLE, 1)], [table(rows)])
    field = FORM_EXTRACTORS["form_platform"].extract(doc, [1]).fields["registered_capital"]
    assert field.value is None and field.raw == "" and field.error is None


def test_platform_name_ending_in_an_option_word_is_the_name() -> None:
    """Regression (桂林工业互联网综合服务平台): the name cell holds "综合服务平台", was read as
    the 申报类型 options, and 平台名称 came out blank (FORM_FIELD_MISSING, SUMMARY_MISMATCH)."""
    rows = platform_rows("□面向行业的专业服务平台")
    rows[1][1] = "桂林工业互联网综合服务平台"
    rows[11][3] = "☑面向区域的综合服务平台"
    doc = word_document([paragraph(TITLE, 1)], [table(rows)])
    got = values(FORM_EXTRACTORS["form_platform"].extract(doc, [1]).fields)
    assert got["name"] == "桂林工业互联网综合服务平台"
    assert got["platform_type"] == "regional"
