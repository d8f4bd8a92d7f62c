"""表1 enterprise form read from tables and lines built in code."""

from __future__ import annotations

from test_forms_kit import ENTERPRISE_ROWS, line, paragraph, pdf_document, pdf_page, table, values, word_document

from extractors.forms import FORM_EXTRACTORS
from models.forms import EnterpriseForm, form_from_fields

TITLE = "服务型制造示范培育企业申报表"


def _extract(rows: list[list[str]], title: str = TITLE):
    doc = word_document([paragraph("表 1", 1), paragraph(title, 2)], [table(rows)])
    extractor = FORM_EXTRACTORS["form_enterprise"]
    return extractor.score(doc.pages[0], doc), extractor.extract(doc, [1])


def test_clean_enterprise_form_reads_every_field() -> None:
    score, doc = _extract(ENTERPRISE_ROWS)
    assert score >= 0.9
    assert doc.kind == "application_form" and doc.form_type == "enterprise"
    got = values(doc.fields)
    assert got["name"] == "山西示范机械有限公司"
    assert got["nature"] == "民营" and got["legal_rep"] == "张三"
    assert got["reg_address"] == "太原市小店区一号" and got["main_business"] == "机械制造"
    assert got["postcode"] == "030000"
    assert got["contact"] == "李四" and got["title"] == "经理"
    assert got["phone"] == "0351-7654321"
    assert got["mobile"] == "13812345678" and got["email"] == "li@example.com"
    assert got["fax"] is None and doc.fields["fax"].raw == ""
    assert got["staff_total"] == 320
    assert got["rd_staff_ratio"] == 15.0 and got["senior_staff_ratio"] == 20.0
    assert got["bachelor_ratio"] == 35.5
    assert got["financials.2018.total_assets"] == 12000.0
    assert got["financials.2020.service_revenue"] == 3200.0
    assert got["financials.2019.net_profit_growth"] == -3.5
    assert got["financials.2020.net_profit_growth"] == 120.0
    assert got["financials.2020.rd_ratio"] == 4.0
    assert got["financials.2019.taxes"] == 320.0
    assert got["patents.invention"] == 5 and got["patents.utility_model"] == 12
    assert got["patents.design"] is None and "patents.design" in doc.fields
    assert got["content"].startswith("以供应链管理")
    assert doc.title == TITLE


def test_evidence_points_at_the_value_cell() -> None:
    _, doc = _extract(ENTERPRISE_ROWS)
    field = doc.fields["financials.2019.revenue"]
    assert field.evidence[0].cell == "table 1 r14 c4"
    assert field.raw == "9000" and field.method == "docx"
    staff = doc.fields["staff_total"]
    assert staff.evidence[0].cell == "table 1 r9 c2"


def test_form_model_from_fields() -> None:
    _, doc = _extract(ENTERPRISE_ROWS)
    form = form_from_fields("enterprise", doc.fields)
    assert isinstance(form, EnterpriseForm)
    assert form.financials["2020"].revenue == 10000.0
    assert form.patents.utility_model == 12


def test_text_in_numeric_cell_and_blank_year_column() -> None:
    rows = [list(r) for r in ENTERPRISE_ROWS]
    rows[13] = ["^", "营业收入 (万元)", "见审计报告", "9000", ""]
    for r in range(11, 19):
        rows[r][4] = ""
    _, doc = _extract(rows)
    bad = doc.fields["financials.2018.revenue"]
    assert bad.value is None and bad.raw == "见审计报告" and bad.error == "not_numeric"
    for item in ("total_assets", "revenue", "taxes", "rd_ratio"):
        blank = doc.fields[f"financials.2020.{item}"]
        assert blank.value is None and blank.raw == "" and blank.error is None
        assert blank.evidence and blank.evidence[0].cell is not None


def test_years_come_from_the_header() -> None:
    rows = [list(r) for r in ENTERPRISE_ROWS]
    rows[10] = ["", "经营指标", "2019年", "2020年", "2021年度"]
    _, doc = _extract(rows)
    assert doc.fields["financials.2021.revenue"].value == 10000.0
    assert "financials.2018.revenue" not in doc.fields


def test_values_below_labels_and_national_title() -> None:
    rows = [
        ["企业名称", "企业性质", "法定代表人"],
        ["某某科技股份有限公司", "国有", "王五"],
        ["联系人", "电话", "E-mail"],
        ["赵六", "010-12345678", "zhao@example.cn"],
    ]
    score, doc = _extract(rows, title="服务型制造示范企业申报表")
    assert score >= 0.7
    got = values(doc.fields)
    assert got["name"] == "某某科技股份有限公司" and got["legal_rep"] == "王五"
    assert got["nature"] == "国有" and got["contact"] == "赵六"
    assert got["phone"] == "010-12345678" and got["email"] == "zhao@example.cn"


def test_value_left_of_label() -> None:
    rows = [["企业名称", "甲公司", "<"], ["联系人", "钱七", "职务"], ["传真", "", ""]]
    _, doc = _extract(rows)
    assert doc.fields["contact"].value == "钱七"
    assert doc.fields["name"].value == "甲公司"


def test_pdf_lines_without_a_table() -> None:
    blocks = [
        line(TITLE, 150, 60),
        line("企业名称 山西线条有限公司", 60, 100),
        line("企业性质 民营 法人代表 孙八", 60, 130),
        line("联系人 周九 职 务 总监", 60, 160),
        line("经营指标 2018 年 2019 年 2020 年", 60, 200, width=400),
        line("营业收入(万元) 100 200 300", 60, 230, width=400),
        line("员工总数 研发和设计 人员比例", 60, 260, width=300),
        line("88 12%", 60, 290, width=300),
    ]
    doc = pdf_document([pdf_page(1, blocks)])
    extractor = FORM_EXTRACTORS["form_enterprise"]
    assert extractor.score(doc.pages[0], doc) >= 0.7
    got = values(extractor.extract(doc, [1]).fields)
    assert got["name"] == "山西线条有限公司"
    assert got["nature"] == "民营" and got["legal_rep"] == "孙八"
    assert got["contact"] == "周九" and got["title"] == "总监"
    assert got["financials.2018.revenue"] == 100.0
    assert got["financials.2020.revenue"] == 300.0


def test_ocr_confidence_is_carried() -> None:
    doc = word_document([paragraph(TITLE, 1)], [table(ENTERPRISE_ROWS, method="ocr", confidence=0.62)])
    fields = FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields
    assert fields["name"].confidence == 0.62 and fields["name"].method == "ocr"


def test_other_forms_score_low_on_table_1() -> None:
    doc = word_document([paragraph(TITLE, 1)], [table(ENTERPRISE_ROWS)])
    page = doc.pages[0]
    own = FORM_EXTRACTORS["form_enterprise"].score(page, doc)
    for name in ("form_project", "form_platform", "form_city"):
        assert FORM_EXTRACTORS[name].score(page, doc) < own - 0.3


def test_values_keep_the_characters_as_printed() -> None:
    """Regression: the applicant name lost its full-width brackets, because values were taken
    from the NFKC-normalised text that labels are matched on."""
    from models.document import normalise_text

    name = "山西示范（太原）机械有限公司"
    rows = [[cell.replace("山西示范机械有限公司", name) for cell in row] for row in ENTERPRISE_ROWS]
    built = table(rows)
    built = built.model_copy(
        update={"cells": [c.model_copy(update={"text": normalise_text(c.orig)}) for c in built.cells]}
    )
    doc = word_document([paragraph("表 1", 1), paragraph(TITLE, 2)], [built])
    fields = FORM_EXTRACTORS["form_enterprise"].extract(doc, [1]).fields
    assert fields["name"].value == name
