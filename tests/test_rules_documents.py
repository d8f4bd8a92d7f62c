"""Across documents (validators.documents): each rule fires on its case and stays quiet on
the near misses (OCR noise in a name, a group company's seal note, a property certificate
without a term, unread parties)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from test_rules_cross import GOOD_USCC, NAME, attachment, ex, licence, record, uscc

from models.campaign import Campaign, load_campaign
from models.findings import Finding
from validators.base import RecordContext
from validators.registry import rules

RULES = rules()
"""Every registered rule (validators.registry imports the rule modules)."""

LEASE = "太原市工信局/示例科技/房屋租赁合同.jpg"


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


def run(rule: str, rec: Any, campaign: Campaign) -> list[Finding]:
    return list(RULES[rule].check(RecordContext(rec, campaign)))


def ocr(value: Any, raw: str | None = None, conf: float = 0.95, file: str = LEASE) -> Any:
    item = ex(value, raw=raw, conf=conf, file=file)
    return item.model_copy(update={"method": "ocr"})


def platform(*extra: Any, form: dict[str, Any] | None = None) -> Any:
    return record("platform", form=form, attachments=[licence(), *extra])


def lease(**values: Any) -> Any:
    base: dict[str, Any] = {
        "party__lessor": "太原高新区建设投资有限公司",
        "party__lessee": NAME,
        "start": dt.date(2019, 1, 1),
        "end": dt.date(2023, 12, 31),
    }
    base.update(values)
    return attachment("premises_proof", file=LEASE, **{k: v for k, v in base.items() if v is not None})


# -- premises ---------------------------------------------------------------------------


def test_lease_of_someone_else_is_a_warning(shanxi: Campaign) -> None:
    found = run("premises_not_applicant", platform(lease(party__lessee="太原恒泰商贸有限公司")), shanxi)
    assert [f.code for f in found] == ["PREMISES_NOT_APPLICANT"]
    assert found[0].severity == "warning"
    assert "太原恒泰商贸有限公司" in found[0].message and found[0].evidence


@pytest.mark.parametrize(
    "lessee",
    [
        NAME,
        "山西示例科技有限公司（盖章）",  # a seal note run on
        "山西示例料技有限公司",  # one character misread
        "山西示例科技有限责任公司",  # 有限公司 for 有限责任公司 on an LLC licence
    ],
)
def test_lease_naming_the_applicant_is_quiet(lessee: str, shanxi: Campaign) -> None:
    assert run("premises_not_applicant", platform(lease(party__lessee=lessee)), shanxi) == []


def test_property_certificate_uses_its_owner(shanxi: Campaign) -> None:
    cert = attachment("premises_proof", file=LEASE, party__owner=NAME)
    assert run("premises_not_applicant", platform(cert), shanxi) == []
    other = attachment("premises_proof", file=LEASE, party__owner="太原某置业有限公司")
    assert [f.code for f in run("premises_not_applicant", platform(other), shanxi)] == ["PREMISES_NOT_APPLICANT"]


def test_unread_parties_give_nothing(shanxi: Campaign) -> None:
    bare = attachment("premises_proof", file=LEASE, date=dt.date(2018, 12, 1))
    assert run("premises_not_applicant", platform(bare), shanxi) == []
    assert run("premises_term_short", platform(bare), shanxi) == []


def test_parties_without_roles_count_when_none_was_labelled(shanxi: Campaign) -> None:
    loose = attachment("premises_proof", file=LEASE, parties=["太原高新区建设投资有限公司", NAME])
    assert run("premises_not_applicant", platform(loose), shanxi) == []
    other = attachment("premises_proof", file=LEASE, parties=["太原高新区建设投资有限公司"])
    assert run("premises_not_applicant", platform(other), shanxi)


def test_lease_ending_before_the_deadline(shanxi: Campaign) -> None:
    found = run("premises_term_short", platform(lease(end=dt.date(2021, 6, 30))), shanxi)
    assert [(f.code, f.severity) for f in found] == [("PREMISES_TERM_SHORT", "error")]
    assert "2021年6月30日" in found[0].message


def test_lease_ending_on_the_deadline_is_quiet(shanxi: Campaign) -> None:
    assert run("premises_term_short", platform(lease(end=shanxi.deadline)), shanxi) == []


def test_lease_starting_after_the_deadline(shanxi: Campaign) -> None:
    found = run("premises_term_short", platform(lease(start=dt.date(2022, 1, 1))), shanxi)
    assert [f.code for f in found] == ["PREMISES_TERM_SHORT"]


def test_lease_end_read_with_low_confidence_is_a_warning(shanxi: Campaign) -> None:
    item = lease(end=ocr(dt.date(2021, 6, 30), raw="2021年06月30日", conf=0.5))
    found = run("premises_term_short", platform(item), shanxi)
    assert [(f.code, f.severity) for f in found] == [("PREMISES_TERM_SHORT", "warning")]


def test_property_certificate_has_no_term(shanxi: Campaign) -> None:
    cert = attachment("premises_proof", file=LEASE, party__owner=NAME, end=dt.date(2020, 1, 1))
    assert run("premises_term_short", platform(cert), shanxi) == []


# -- project contract and acceptance ----------------------------------------------------


def project(*docs: Any) -> Any:
    return record("project", attachments=[licence(), *docs])


def contract(**values: Any) -> Any:
    base: dict[str, Any] = {
        "party__client": "太原甲方有限公司",
        "party__contractor": NAME,
        "date": dt.date(2019, 3, 20),
        "start": dt.date(2019, 4, 1),
    }
    base.update(values)
    return attachment("project_contract", **{k: v for k, v in base.items() if v is not None})


def acceptance(day: dt.date) -> Any:
    return attachment("acceptance_opinion", date=day, parties=["太原甲方有限公司", NAME])


def test_contract_between_others(shanxi: Campaign) -> None:
    rec = project(contract(party__client="太原甲方有限公司", party__contractor="太原乙方工程有限公司"))
    found = run("contract_not_applicant", rec, shanxi)
    assert [(f.code, f.severity) for f in found] == [("CONTRACT_NOT_APPLICANT", "warning")]


def test_contract_with_the_applicant_as_client_is_quiet(shanxi: Campaign) -> None:
    """表2's 委托单位（甲方） is an applicant too."""
    rec = record(
        "project",
        form={"contractor": "太原乙方工程有限公司", "client": NAME},
        attachments=[licence(), contract(party__client=NAME, party__contractor="太原乙方工程有限公司")],
    )
    assert run("contract_not_applicant", rec, shanxi) == []


def test_acceptance_before_the_contract(shanxi: Campaign) -> None:
    found = run("acceptance_date_invalid", project(contract(), acceptance(dt.date(2019, 1, 5))), shanxi)
    assert [(f.code, f.severity) for f in found] == [("ACCEPTANCE_DATE_INVALID", "error")]
    assert len(found[0].evidence) == 2


def test_acceptance_after_the_deadline(shanxi: Campaign) -> None:
    found = run("acceptance_date_invalid", project(contract(), acceptance(dt.date(2021, 12, 1))), shanxi)
    assert [f.code for f in found] == ["ACCEPTANCE_DATE_INVALID"]
    assert "晚于申报截止日" in found[0].message


@pytest.mark.parametrize("day", [dt.date(2021, 3, 26), dt.date(2019, 3, 20), dt.date(2021, 11, 20)])
def test_acceptance_in_between_is_quiet(day: dt.date, shanxi: Campaign) -> None:
    assert run("acceptance_date_invalid", project(contract(), acceptance(day)), shanxi) == []


def test_acceptance_without_a_contract_date_checks_the_deadline_only(shanxi: Campaign) -> None:
    rec = project(contract(date=None, start=None), acceptance(dt.date(2018, 1, 1)))
    assert run("acceptance_date_invalid", rec, shanxi) == []


# -- customer evaluations ---------------------------------------------------------------

CUSTOMERS = {"customers__0__name": "晋中纺织机械股份有限公司", "customers__1__name": "大同北方机械有限公司"}


def evaluation(customer: str, n: int) -> Any:
    return attachment("customer_evaluation", file=f"太原市工信局/示例科技/客户评价{n}.jpg", party__customer=customer)


def test_two_evaluations_from_one_customer(shanxi: Campaign) -> None:
    rec = platform(evaluation("晋中纺织机械股份有限公司", 1), evaluation("晋中纺织机械股份有限公司", 2), form=CUSTOMERS)
    found = run("evaluation_duplicate", rec, shanxi)
    assert [(f.code, f.severity) for f in found] == [("EVALUATION_DUPLICATE", "warning")]


def test_evaluations_from_distinct_listed_customers_are_quiet(shanxi: Campaign) -> None:
    rec = platform(evaluation("晋中纺织机械股份有限公司", 1), evaluation("大同北方机械有限公司", 2), form=CUSTOMERS)
    assert run("evaluation_duplicate", rec, shanxi) == []
    assert run("evaluation_not_listed", rec, shanxi) == []


def test_evaluation_from_an_unlisted_customer(shanxi: Campaign) -> None:
    rec = platform(evaluation("长治某某重工有限公司", 1), form=CUSTOMERS)
    found = run("evaluation_not_listed", rec, shanxi)
    assert [(f.code, f.severity) for f in found] == [("EVALUATION_NOT_LISTED", "warning")]


def test_unlabelled_evaluation_skips_the_applicant_named_in_the_letter(shanxi: Campaign) -> None:
    letter = attachment("customer_evaluation", parties=[NAME, "晋中纺织机械股份有限公司"])
    assert run("evaluation_not_listed", platform(letter, form=CUSTOMERS), shanxi) == []


def test_no_listed_customers_no_finding(shanxi: Campaign) -> None:
    assert run("evaluation_not_listed", platform(evaluation("长治某某重工有限公司", 1)), shanxi) == []


# -- technology evaluation certificate --------------------------------------------------


def test_tech_evaluation_of_another_company(shanxi: Campaign) -> None:
    cert = attachment("tech_evaluation_certificate", party__holder="山西别家装备有限公司")
    found = run("tech_eval_not_applicant", record(attachments=[licence(), cert]), shanxi)
    assert [(f.code, f.severity) for f in found] == [("TECH_EVAL_NOT_APPLICANT", "warning")]


def test_tech_evaluation_listing_the_applicant_second_is_quiet(shanxi: Campaign) -> None:
    holder = ex("太原理工大学", raw=f"太原理工大学、{NAME}")
    cert = attachment("tech_evaluation_certificate", party__holder=holder)
    assert run("tech_eval_not_applicant", record(attachments=[licence(), cert]), shanxi) == []


def test_tech_evaluation_with_applicant_among_unlabelled_parties_is_quiet(shanxi: Campaign) -> None:
    cert = attachment("tech_evaluation_certificate", parties=[NAME, "山西省生产力促进中心"])
    assert run("tech_eval_not_applicant", record(attachments=[licence(), cert]), shanxi) == []


# -- credit codes -----------------------------------------------------------------------


def test_code_under_the_applicant_on_a_lease_differs(shanxi: Campaign) -> None:
    other = uscc(body="MA0GTHK3X")
    found = run("uscc_mismatch", platform(lease(uscc__lessee=other)), shanxi)
    assert [(f.code, f.severity) for f in found] == [("USCC_MISMATCH", "warning")]
    assert found[0].form_value == GOOD_USCC and found[0].found_value == other


def test_code_under_another_party_is_not_compared(shanxi: Campaign) -> None:
    other = uscc(body="MA0GTHK3X")
    assert run("uscc_mismatch", platform(lease(uscc__lessor=other)), shanxi) == []
    assert run("uscc_mismatch", platform(lease(uscc__lessee=GOOD_USCC)), shanxi) == []


def test_code_with_a_wrong_check_character_is_not_compared(shanxi: Campaign) -> None:
    bad = GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1")
    assert run("uscc_mismatch", platform(lease(uscc__lessee=bad)), shanxi) == []


def test_legal_person_certificate_with_another_code(shanxi: Campaign) -> None:
    cert = licence(file="证书.jpg", kind="legal_person_certificate", uscc=uscc(body="MB0123456"))
    found = run("uscc_mismatch", record(attachments=[licence(), cert]), shanxi)
    assert [(f.code, f.severity) for f in found] == [("USCC_MISMATCH", "error")]


def test_unlabelled_letters_naming_a_partner_are_no_duplicates(shanxi: Campaign) -> None:
    """Two letters without a 评价单位 label that both name a partner besides their writer: the
    writer is the one 表3 lists, so they are from different customers."""
    partner = "太原理工大学"
    one = attachment("customer_evaluation", file="评价1.jpg", parties=[partner, "晋中纺织机械股份有限公司", NAME])
    two = attachment("customer_evaluation", file="评价2.jpg", parties=[partner, "大同北方机械有限公司", NAME])
    rec = platform(one, two, form=CUSTOMERS)
    assert run("evaluation_duplicate", rec, shanxi) == []
    assert run("evaluation_not_listed", rec, shanxi) == []


def test_unlabelled_letter_without_any_listed_name_is_reported(shanxi: Campaign) -> None:
    letter = attachment("customer_evaluation", parties=["长治某某重工有限公司", NAME])
    found = run("evaluation_not_listed", platform(letter, form=CUSTOMERS), shanxi)
    assert [f.code for f in found] == ["EVALUATION_NOT_LISTED"]


def test_a_party_read_with_low_confidence_gives_no_warning(shanxi: Campaign) -> None:
    """OCR that garbled the tenant's name beyond two characters is no evidence of another tenant."""
    garbled = ocr("山西示仞斜抆有限公司", conf=0.55)
    assert run("premises_not_applicant", platform(lease(party__lessee=garbled)), shanxi) == []
    sure = ocr("太原恒泰商贸有限公司", conf=0.97)
    assert run("premises_not_applicant", platform(lease(party__lessee=sure)), shanxi)
