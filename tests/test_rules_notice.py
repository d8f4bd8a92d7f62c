"""The rules issue 10 adds from the two notices: each with cases that must fire and near
misses that must not. Records are built in code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from models.campaign import Campaign, load_campaign
from models.document import BBox, Seal
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding
from models.forms import FormType, form_from_fields
from models.records import Attachment, ExtractedDocument, Record, SealSlot, SummaryRow, SummaryTable
from models.values import uscc_check_char
from validators.base import RecordContext
from validators.registry import rules
from validators.runner import check_record

FORM = "太原市工信局/示例科技/申报书.docx"
LICENCE = "太原市工信局/示例科技/营业执照.jpg"
NAME = "山西示例科技有限公司"


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


@pytest.fixture(scope="module")
def guangxi() -> Campaign:
    return load_campaign("guangxi-2021")


def ex(value: Any, raw: str | None = None, conf: float = 1.0, file: str = FORM, method: str | None = None) -> Any:
    raw = raw if raw is not None else ("" if value is None else str(value))
    ev = [Evidence(file=file, page=1, text=raw)]
    return Extracted[Any](value=value, raw=raw, confidence=conf, evidence=ev, method=method)


def code_of(division: str, body: str = "MA0GTHK2X") -> str:
    first = "91" + division + body
    return first + uscc_check_char(first)


def licence(**values: Any) -> Attachment:
    base: dict[str, Any] = {"name": NAME, "uscc": code_of("140105"), "type": "有限责任公司（自然人投资或控股）"}
    base.update(values)
    fields = {k: v if isinstance(v, Extracted) else ex(v, file=LICENCE) for k, v in base.items() if v is not None}
    return Attachment(kind="business_license", file=LICENCE, pages=[1], fields=fields)


def record(
    kind: FormType = "enterprise",
    fields: dict[str, Any] | None = None,
    attachments: list[Attachment] | None = None,
    documents: list[ExtractedDocument] | None = None,
) -> Record:
    values: dict[str, Any] = {"name": NAME} if kind != "city" else {}
    values.update(fields or {})
    fmap: FieldMap = {k: v if isinstance(v, Extracted) else ex(v) for k, v in values.items()}
    docs = [ExtractedDocument(kind="application_form", file=FORM, pages=[1], form_type=kind)]
    return Record(
        submission_id="s1",
        path="太原市工信局/示例科技",
        kind=kind,
        applicant=NAME if kind != "city" else None,
        recommender="太原市工信局",
        form=form_from_fields(kind, fmap),  # type: ignore[arg-type]
        form_fields=fmap,
        form_file=FORM,
        attachments=attachments or [],
        documents=docs + (documents or []),
    )


def run(name: str, rec: Record, campaign: Campaign) -> list[Finding]:
    return list(rules()[name].check(RecordContext(rec, campaign)))


# ---------------------------------------------------------------- item 1: independent legal person


@pytest.mark.parametrize(
    "company_type",
    [
        "个体工商户",
        "个人独资企业",
        "有限责任公司分公司（自然人投资或控股）",
        "股份有限公司分公司（上市）",
        "普通合伙企业",
        "非法人企业分支机构",
    ],
)
def test_no_legal_person_fails(shanxi: Campaign, company_type: str) -> None:
    (found,) = run("legal_person_ineligible", record(attachments=[licence(type=company_type)]), shanxi)
    assert (found.code, found.severity, found.field) == ("LEGAL_PERSON_INELIGIBLE", "error", "business_license.type")
    assert company_type in found.message and "独立法人资格" in found.message


@pytest.mark.parametrize(
    "company_type",
    [
        "有限责任公司（自然人独资）",
        "有限责任公司（非自然人投资或控股的法人独资）",
        "股份有限公司（上市、自然人投资或控股）",
        "其他有限责任公司",
        "有限责任公司（国有独资）",
        "农民专业合作社",
    ],
)
def test_legal_persons_pass(shanxi: Campaign, company_type: str) -> None:
    assert run("legal_person_ineligible", record(attachments=[licence(type=company_type)]), shanxi) == []


def test_individual_licence_without_type_fails(guangxi: Campaign) -> None:
    rec = record(attachments=[licence(type=None, variant=ex("individual", file=LICENCE))])
    (found,) = run("legal_person_ineligible", rec, guangxi)
    assert found.severity == "error" and "个体工商户" in found.message


def test_doubtful_type_or_other_party_is_a_warning(shanxi: Campaign) -> None:
    low = ex("有限责任公司分公司", conf=0.5, file=LICENCE, method="ocr")
    (found,) = run("legal_person_ineligible", record(attachments=[licence(type=low)]), shanxi)
    assert found.severity == "warning" and "置信度" in found.message
    other = licence(name="太原某某集团有限公司分公司", type="有限责任公司分公司")
    rec = record("project", {"contractor": NAME, "client": "太原某某集团"}, attachments=[licence(), other])
    assert run("legal_person_ineligible", rec, shanxi) == []  # the client's branch is not the applicant


def test_branch_name_without_type_is_a_warning(shanxi: Campaign) -> None:
    rec = record(
        fields={"name": "山西示例科技有限公司太原分公司"},
        attachments=[licence(name="山西示例科技有限公司太原分公司", type=None)],
    )
    (found,) = run("legal_person_ineligible", rec, shanxi)
    assert found.severity == "warning" and found.field == "business_license.name"


def test_legal_person_certificate_and_city_are_not_checked(shanxi: Campaign) -> None:
    cert = Attachment(kind="legal_person_certificate", file="证书.jpg", fields={"name": ex(NAME)})
    assert run("legal_person_ineligible", record("platform", {"operator": NAME}, attachments=[cert]), shanxi) == []
    assert run("legal_person_ineligible", record("city", {"name": "太原市"}), shanxi) == []


# ---------------------------------------------------------------- item 2: service share by direction


def _shares(content: str, service: float = 200.0) -> dict[str, Any]:
    return {"content": content, "financials.2020.revenue": 1000.0, "financials.2020.service_revenue": service}


@pytest.mark.parametrize(
    ("content", "severity"),
    [
        ("申报示范模式：信息增值服务。依托智能家居开展在线增值服务。", "error"),  # 30%以上
        ("申报示范模式：全生命周期管理。", "warning"),  # 30%左右
        ("重点发展总集成总承包服务。", "warning"),
        ("本企业从事装备制造及服务。", "warning"),  # none declared: the round's 30%左右
        ("示范模式：信息增值服务、全生命周期管理（综合型）", "warning"),  # most lenient of the two
    ],
)
def test_share_threshold_of_the_declared_direction(shanxi: Campaign, content: str, severity: str) -> None:
    (found,) = run("form.service_share_below_threshold", record(fields=_shares(content)), shanxi)
    assert found.severity == severity and found.form_value == 20.0


def test_supply_chain_sets_no_share(shanxi: Campaign) -> None:
    rec = record(fields=_shares("申报示范模式：供应链管理。实施集中采购与VMI。"))
    assert run("form.service_share_below_threshold", rec, shanxi) == []
    rec = record(fields=_shares("申报示范模式：供应链管理、全生命周期管理"))  # one direction without a share
    assert run("form.service_share_below_threshold", rec, shanxi) == []


def test_the_applicants_name_declares_nothing(shanxi: Campaign) -> None:
    name = "山西华晟供应链管理有限公司"
    content = f"本企业（{name}）以配件供应链管理服务为基础，重点发展全生命周期管理和总集成总承包服务。"
    (found,) = run("form.service_share_below_threshold", record(fields={**_shares(content), "name": name}), shanxi)
    assert found.severity == "warning" and "全生命周期管理、总集成总承包" in found.message


def _summary(mode: str, name: str = NAME) -> SummaryTable:
    row = SummaryRow(kind="enterprise", name=name, mode=mode, file="太原市工信局/汇总表.xlsx")
    return SummaryTable(recommender="太原市工信局", file="太原市工信局/汇总表.xlsx", rows=[row])


def test_direction_from_the_summary_table(shanxi: Campaign) -> None:
    """The 汇总表's 示范模式 column declares the direction when the form does not."""
    rec = record(fields=_shares("本企业从事装备制造及服务。"))
    ctx = RecordContext(rec, shanxi, [_summary("信息增值服务")])
    assert [f.severity for f in rules()["form.service_share_below_threshold"].check(ctx)] == ["error"]
    ctx = RecordContext(rec, shanxi, [_summary("供应链管理")])
    assert list(rules()["form.service_share_below_threshold"].check(ctx)) == []
    ctx = RecordContext(rec, shanxi, [_summary("信息增值服务", name="另一家有限公司")])  # another applicant's row
    assert [f.severity for f in rules()["form.service_share_below_threshold"].check(ctx)] == ["warning"]
    explicit = record(fields=_shares("申报示范模式：全生命周期管理。"))  # the form's own words win
    ctx = RecordContext(explicit, shanxi, [_summary("信息增值服务")])
    assert [f.severity for f in rules()["form.service_share_below_threshold"].check(ctx)] == ["warning"]


def test_share_met_for_the_strict_direction_passes(shanxi: Campaign) -> None:
    rec = record(fields=_shares("申报示范模式：信息增值服务", service=300.0))
    assert run("form.service_share_below_threshold", rec, shanxi) == []


# ---------------------------------------------------------------- item 3: accident commitment


def _commitment(seal: bool = True, checkable: bool = True) -> ExtractedDocument:
    slot = SealSlot(
        role="applicant",
        page=3,
        bbox=BBox(x0=10, y0=10, x1=50, y1=20),
        label="申报单位（章）",
        seal=Seal(page=3, bbox=BBox(x0=20, y0=5, x1=60, y1=45)) if seal else None,
        checkable=checkable,
    )
    return ExtractedDocument(kind="commitment", file=FORM, pages=[3], seal_slots=[slot])


def test_accident_condition_is_a_reviewer_item_quoting_the_notice(shanxi: Campaign) -> None:
    (found,) = run("accident_commitment", record(documents=[_commitment()]), shanxi)
    assert found.severity == "info" and "2019年1月1日以后" in found.message
    assert "见有申报单位印章" in found.message and found.evidence[0].page == 3
    (unsealed,) = run("accident_commitment", record(documents=[_commitment(seal=False)]), shanxi)
    assert "未见申报单位印章" in unsealed.message and unsealed.severity == "info"
    (digital,) = run("accident_commitment", record(documents=[_commitment(checkable=False)]), shanxi)
    assert "纸质件" in digital.message


def test_no_commitment_is_a_warning(guangxi: Campaign) -> None:
    (found,) = run("accident_commitment", record(), guangxi)
    assert found.severity == "warning" and "2019年1月1日起" in found.message


def test_accident_item_needs_a_form_and_skips_cities(shanxi: Campaign) -> None:
    rec = record().model_copy(update={"form": None})
    assert run("accident_commitment", rec, shanxi) == []
    assert run("accident_commitment", record("city", {"name": "太原市"}), shanxi) == []


# ---------------------------------------------------------------- item 4: cities


@pytest.mark.parametrize("name", ["太原市", "太原", "山西省太原市", "太原市人民政府", "吕梁市"])
def test_prefecture_cities_pass(shanxi: Campaign, name: str) -> None:
    assert run("city_not_eligible", record("city", {"name": name}), shanxi) == []


@pytest.mark.parametrize("name", ["介休市", "郑州市", "小店区", "南宁市"])
def test_other_cities_fail(shanxi: Campaign, name: str) -> None:
    (found,) = run("city_not_eligible", record("city", {"name": name}), shanxi)
    assert (found.severity, found.form_value) == ("error", name) and "地级市" in found.message


def test_guangxi_cities_and_categories(guangxi: Campaign) -> None:
    assert run("city_not_eligible", record("city", {"name": "防城港市"}), guangxi) == []
    (found,) = run("city_not_eligible", record("city", {"name": "凭祥市"}), guangxi)
    assert "设区市" in found.message and "工业设计特色类" in found.message


def test_ocr_city_name_is_a_warning(shanxi: Campaign) -> None:
    rec = record("city", {"name": ex("太源市", conf=0.5, method="ocr")})
    assert [f.severity for f in run("city_not_eligible", rec, shanxi)] == ["warning"]


# ---------------------------------------------------------------- item 9: credit-code division


def test_division_must_exist(guangxi: Campaign) -> None:
    (found,) = run("uscc_division_unknown", record(attachments=[licence(uscc=code_of("999901"))]), guangxi)
    assert found.severity == "warning" and "999901" in found.message
    for division in ("450103", "110105", "100000", "140000", "142300"):  # 142300: 吕梁地区 before 2003
        assert run("uscc_division_unknown", record(attachments=[licence(uscc=code_of(division))]), guangxi) == []


def test_shanxi_division_digits_3_to_8_inside_the_province(shanxi: Campaign) -> None:
    (found,) = run("uscc_division_unknown", record(attachments=[licence(uscc=code_of("149900"))]), shanxi)
    assert "山西省的有效行政区划代码" in found.message
    assert run("uscc_division_unknown", record(attachments=[licence(uscc=code_of("141002"))]), shanxi) == []
    # another province or a malformed code is another rule's business
    assert run("uscc_division_unknown", record(attachments=[licence(uscc=code_of("450103"))]), shanxi) == []
    assert run("uscc_division_unknown", record(attachments=[licence(uscc="91149900MA0GTHK2X0")]), shanxi) == []


# ---------------------------------------------------------------- item 10: financial health


def _years(key: str, *values: float) -> dict[str, float]:
    return {f"financials.{year}.{key}": v for year, v in zip((2018, 2019, 2020), values, strict=True)}


def test_losses_every_year(shanxi: Campaign) -> None:
    (found,) = run("financial_risk", record(fields=_years("total_profit", -10, -5, -1)), shanxi)
    assert found.field == "financials.total_profit" and found.severity == "warning"
    assert run("financial_risk", record(fields=_years("total_profit", -10, -5, 0.5)), shanxi) == []
    assert run("financial_risk", record(fields=_years("total_profit", -10, -5, 0)), shanxi) == []  # 0 is no loss
    partial = {"financials.2019.total_profit": -5.0, "financials.2020.total_profit": -1.0}
    assert run("financial_risk", record(fields=partial), shanxi) == []  # a blank year is no sign


def test_debt_ratio_over_the_limit(guangxi: Campaign) -> None:
    (found,) = run("financial_risk", record(fields=_years("debt_ratio", 80, 95, 104.5)), guangxi)
    assert found.field == "financials.2020.debt_ratio" and "104.5%" in found.message
    assert run("financial_risk", record(fields=_years("debt_ratio", 80, 95, 100)), guangxi) == []


def test_revenue_falling_every_year(shanxi: Campaign) -> None:
    (found,) = run("financial_risk", record(fields=_years("revenue", 900, 800, 700)), shanxi)
    assert found.field == "financials.revenue"
    assert run("financial_risk", record(fields=_years("revenue", 900, 800, 800)), shanxi) == []
    assert run("financial_risk", record(fields=_years("revenue", 700, 800, 750)), shanxi) == []


def test_financial_thresholds_are_config(shanxi: Campaign) -> None:
    rules_ = shanxi.rules.model_validate({"FINANCIAL_RISK": {"debt_ratio_max": 90, "decline_years": 2}})
    strict = shanxi.model_copy(update={"rules": rules_})
    found = run(
        "financial_risk", record(fields=_years("debt_ratio", 80, 95, 85) | _years("revenue", 700, 900, 800)), strict
    )
    assert sorted(f.field or "" for f in found) == ["financials.2019.debt_ratio", "financials.revenue"]


# ---------------------------------------------------------------- through the runner


def test_new_rules_carry_their_basis_through_the_runner(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(type="个体工商户", uscc=code_of("149900"))], fields=_years("revenue", 9, 8, 7))
    found = {f.code: f for f in check_record(RecordContext(rec, shanxi))}
    assert "具有独立法人资格" in (found["LEGAL_PERSON_INELIGIBLE"].basis or "")
    assert "山西省境内注册" in (found["USCC_DIVISION_UNKNOWN"].basis or "")
    assert "运营和财务状况良好" in (found["FINANCIAL_RISK"].basis or "")
    assert "2019年1月1日以后" in (found["ACCIDENT_COMMITMENT"].basis or "")


def test_licence_dates_do_not_matter_here(shanxi: Campaign) -> None:
    """Regression guard: the legal-person rule reads the type only (an expired licence of a
    company is LICENSE_EXPIRED's business)."""
    rec = record(attachments=[licence(term_end=dt.date(2019, 1, 1))])
    assert run("legal_person_ineligible", rec, shanxi) == []
