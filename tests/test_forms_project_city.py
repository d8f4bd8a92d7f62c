"""表2 project and 表4 city forms built in code."""

from __future__ import annotations

from test_forms_kit import paragraph, table, values, word_document

from extractors.forms import FORM_EXTRACTORS
from models.forms import CityForm, ProjectForm, form_from_fields

PROJECT_ROWS = [
    ["一、项目基本情况", "<", "<", "<", "<"],
    ["项目名称", "共享铸造工厂建设项目", "<", "<", "<"],
    ["委托单位（甲方）", "甲方集团", "实施单位（乙方）", "乙方科技", "<"],
    ["所在行业", "铸造", "投资额度（万元）", "2,500", "<"],
    ["项目实施年限", "2019 年至 2021 年", "<", "<", "<"],
    ["二、项目委托单位或实施单位情况", "<", "<", "<", "<"],
    ["企业性质", "民营", "主营业务", "铸件", "<"],
    ["注册地址", "晋中市", "法人代表", "冯五", "<"],
    ["联系人", "褚六", "职 务", "部长", "<"],
    ["联系电话", "0354-3333333", "传 真", "0354-3333334", "<"],
    [
        "从业人员",
        "员工总数（人）",
        "研发和设计人员比例（%）",
        "中高级职业资格人员比例（%）",
        "本科以上学历人员比例（%）",
    ],
    ["^", "210", "18", "22", "40"],
    ["2020 年度生产经营状况", "资产总额（万元）", "8000", "资产负债率（%）", "55"],
    ["^", "营业收入（万元）", "6000", "利润总额（万元）", "300"],
    ["^", "净利润增长率（%）", "8", "研发设计投入占收入比（%）", "3.2"],
    ["本项目获得或已被受理专利情况", "总数（项）", "其中", "<", "<"],
    ["^", "^", "发明专利（项）", "实用新型（项）", "外观设计（项）"],
    ["^", "9", "2", "5", "2"],
    ["三、主要申报内容", "<", "<", "<", "<"],
    ["", "<", "<", "<", "<"],
]

CITY_ROWS = [
    ["一、城市基本情况", "<", "<", "<"],
    ["城市名称", "长治市", "<", "<"],
    ["GDP（2020年，下同）", "1711.6亿元", "同比增速（%，下同）", "3.8"],
    ["制造业增加值", "520", "同比增速", "5.1"],
    ["生产性服务业增加值", "见附表", "同比增速", ""],
    ["规模以上工业企业主营业务收入", "2800", "同比增速", "-1.2"],
    ["二、城市服务型制造发展指标", "<", "<", "<"],
    [
        "1、落实《发展服务型制造专项行动指南》，发布本地推动服务型制造发展的政策文件。（请填写名称及主要内容）",
        "<",
        "<",
        "<",
    ],
    ["《长治市服务型制造实施方案》", "<", "<", "<"],
    [
        "2、开展服务型制造示范遴选的工作情况。（请填写遴选批次、遴选类型和数量、专项资金支持的情况）遴选两批共12家",
        "<",
        "<",
        "<",
    ],
    ["3、开展服务型制造政策宣贯和经验推广的工作情况。（请填写批次、内容和主要效果）", "<", "<", "<"],
    ["", "<", "<", "<"],
]


def test_project_form() -> None:
    doc = word_document([paragraph("服务型制造示范培育项目申报表", 1)], [table(PROJECT_ROWS)])
    extractor = FORM_EXTRACTORS["form_project"]
    assert extractor.score(doc.pages[0], doc) >= 0.9
    assert FORM_EXTRACTORS["form_enterprise"].score(doc.pages[0], doc) < 0.5
    out = extractor.extract(doc, [1])
    got = values(out.fields)
    assert got["name"] == "共享铸造工厂建设项目"
    assert got["client"] == "甲方集团" and got["contractor"] == "乙方科技"
    assert got["industry"] == "铸造" and got["investment"] == 2500.0
    assert got["start_year"] == 2019 and got["end_year"] == 2021
    assert got["nature"] == "民营" and got["legal_rep"] == "冯五" and got["fax"] == "0354-3333334"
    assert got["staff_total"] == 210 and got["bachelor_ratio"] == 40.0
    assert got["financials.2020.total_assets"] == 8000.0
    assert got["financials.2020.debt_ratio"] == 55.0
    assert got["financials.2020.rd_ratio"] == 3.2
    assert got["financials.2020.total_profit"] == 300.0
    assert got["patents.total"] == 9 and got["patents.invention"] == 2
    assert got["patents.utility_model"] == 5 and got["patents.design"] == 2
    assert out.fields["content"].raw == ""
    form = form_from_fields("project", out.fields)
    assert isinstance(form, ProjectForm) and form.financials["2020"].revenue == 6000.0


def test_project_template_years_are_blank() -> None:
    rows = [list(r) for r in PROJECT_ROWS]
    rows[4] = ["项目实施年限", "年至 年", "<", "<", "<"]
    doc = word_document([paragraph("服务型制造示范项目申报表", 1)], [table(rows)])
    fields = FORM_EXTRACTORS["form_project"].extract(doc, [1]).fields
    assert fields["start_year"].value is None and fields["start_year"].raw == ""


def test_city_form() -> None:
    doc = word_document([paragraph("服务型制造示范城市（培育）申报表", 1)], [table(CITY_ROWS)])
    extractor = FORM_EXTRACTORS["form_city"]
    assert extractor.score(doc.pages[0], doc) >= 0.9
    out = extractor.extract(doc, [1])
    got = values(out.fields)
    assert got["name"] == "长治市"
    assert got["gdp"] == 17116000.0  # 1711.6 亿元 in 万元
    assert got["gdp_growth"] == 3.8
    assert got["manufacturing_value_added"] == 520.0
    assert got["manufacturing_value_added_growth"] == 5.1
    assert out.fields["producer_services_value_added"].error == "not_numeric"
    assert got["producer_services_value_added_growth"] is None
    assert got["industrial_revenue_growth"] == -1.2
    assert got["policy_documents"] == "《长治市服务型制造实施方案》"
    assert got["selection_work"] == "遴选两批共12家"
    assert got["promotion_work"] is None and out.fields["promotion_work"].raw == ""
    form = form_from_fields("city", out.fields)
    assert isinstance(form, CityForm) and form.gdp_growth == 3.8
