"""Batch checks: quotas per recommender, the recommenders' 汇总表, duplicate submissions."""

from __future__ import annotations

from typing import Any

import pytest

import validators.batch_rules  # noqa: F401  (registers the batch rules)
from models.campaign import Campaign, load_campaign
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding
from models.forms import form_from_fields
from models.records import Attachment, Record, SummaryRow, SummaryTable
from models.values import uscc_check_char
from validators.base import RULES, BatchContext


def uscc(body: str) -> str:
    first = "9114010" + body
    return first + uscc_check_char(first)


def fmap(file: str, **values: Any) -> FieldMap:
    return {
        key: Extracted[Any](value=v, raw=str(v), evidence=[Evidence(file=file, page=1, text=str(v))])
        for key, v in values.items()
        if v is not None
    }


def rec(
    name: str,
    recommender: str | None = "太原市工信局",
    kind: str = "enterprise",
    code: str | None = None,
    path: str | None = None,
    **form: Any,
) -> Record:
    """A submission named ``name`` under ``recommender``; ``code`` adds a licence with that
    credit code. Platforms and projects are run by 山西运营有限公司 unless told otherwise."""
    path = path or f"{recommender}/{name}"
    values: dict[str, Any] = {"name": name, **form}
    applicant = name
    if kind == "platform":
        values.setdefault("operator", "山西运营有限公司")
        applicant = values["operator"]
    if kind == "project":
        values.setdefault("contractor", "山西运营有限公司")
        applicant = values["contractor"]
    fields = fmap(f"{path}/申报书.docx", **values)
    attachments = []
    if code:
        lic = fmap(f"{path}/执照.jpg", name=applicant, uscc=code)
        attachments.append(Attachment(kind="business_license", file=f"{path}/执照.jpg", fields=lic))
    return Record(
        submission_id=path,
        path=path,
        kind=kind,  # type: ignore[arg-type]
        applicant=applicant,
        recommender=recommender,
        form=form_from_fields(kind, fields),  # type: ignore[arg-type]
        form_fields=fields,
        attachments=attachments,
    )


def row(name: str, kind: str = "enterprise", **values: Any) -> SummaryRow:
    return SummaryRow(kind=kind, name=name, file="太原市工信局/汇总表.xlsx", cell=f"B{len(name)}", **values)  # type: ignore[arg-type]


def summary(*rows: SummaryRow, recommender: str | None = "太原市工信局") -> SummaryTable:
    return SummaryTable(recommender=recommender, file="太原市工信局/汇总表.xlsx", rows=list(rows))


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


@pytest.fixture(scope="module")
def guangxi() -> Campaign:
    return load_campaign("guangxi-2021")


def run(
    rule: str, records: list[Record], campaign: Campaign, summaries: list[SummaryTable] | None = None
) -> list[Finding]:
    return list(RULES[rule].check(BatchContext(records, campaign, summaries or [])))


# -- QUOTA_EXCEEDED -------------------------------------------------------------------------


def test_quota_excess_attaches_to_the_ones_beyond(shanxi: Campaign) -> None:
    records = [rec(f"企业{i}有限公司", path=f"太原市工信局/{i:02d}") for i in range(6, 0, -1)]
    (f,) = run("quota_exceeded", records, shanxi)
    assert f.submission_id == "太原市工信局/06" and f.severity == "error"
    assert f.field == "quota.enterprise" and "5个" in f.message and "6个" in f.message


def test_quota_within_limits(shanxi: Campaign) -> None:
    five = [rec(f"企业{i}有限公司") for i in range(5)]
    two_cities = [rec(f"企业{i}有限公司", recommender=f"市{i % 2}") for i in range(6)]
    assert run("quota_exceeded", five, shanxi) == []
    assert run("quota_exceeded", two_cities, shanxi) == []


def test_quota_per_kind(shanxi: Campaign) -> None:
    projects = [rec(f"项目{i}", kind="project") for i in range(3)]
    (f,) = run("quota_exceeded", [*projects, rec("企业有限公司")], shanxi)
    assert f.field == "quota.project" and f.submission_id == projects[2].path


def test_platform_subquota_from_summary_mode(guangxi: Campaign) -> None:
    a = rec("甲平台", kind="platform", path="太原市工信局/01")
    b = rec("乙平台", kind="platform", path="太原市工信局/02")
    table = summary(row("甲平台", "platform", mode="共享制造"), row("乙平台", "platform", mode="共享制造类"))
    (f,) = run("quota_exceeded", [a, b], guangxi, [table])
    assert f.field == "quota.shared_manufacturing" and f.submission_id == b.path


def test_platform_subquota_from_form_text(guangxi: Campaign) -> None:
    a = rec("甲共享制造平台", kind="platform", path="太原市工信局/01")
    b = rec("乙平台", kind="platform", path="太原市工信局/02", main_business="提供共享制造服务")
    assert [f.submission_id for f in run("quota_exceeded", [a, b], guangxi)] == [b.path]


def test_platforms_of_unknown_mode_are_counted_where_they_cost_least(guangxi: Campaign) -> None:
    """Issue 10 item 6: an unread category is counted (1 共享制造类 + 1 其他类, then the 其他类
    band up to 3 as warnings), not left out; beyond the band it is an error."""
    records = [rec(f"平台{i}", kind="platform", path=f"太原市工信局/{i}") for i in range(3)]
    assert [f.severity for f in run("quota_exceeded", records, guangxi)] == ["warning"]
    assert len(run("platform_type_unknown", records, guangxi)) == 3
    records = [rec(f"平台{i}", kind="platform", path=f"太原市工信局/{i}") for i in range(5)]
    found = run("quota_exceeded", records, guangxi)  # total 4 exceeded, and 其他类 over its band
    assert sorted(f.severity for f in found) == ["error", "error", "warning", "warning"]


def test_no_recommender_no_quota(shanxi: Campaign) -> None:
    records = [rec(f"企业{i}有限公司", recommender=None, path=f"x/{i}") for i in range(7)]
    assert run("quota_exceeded", records, shanxi) == []


# -- SUMMARY_MISMATCH -----------------------------------------------------------------------


def test_summary_listed_and_submitted_sets(shanxi: Campaign) -> None:
    a, c = rec("甲有限公司"), rec("丙有限公司")
    table = summary(row("甲有限公司"), row("乙贸易集团"))
    found = run("summary_mismatch", [a, c], shanxi, [table])
    by_sub = {(f.submission_id, f.field) for f in found}
    assert by_sub == {(None, "summary.enterprise.乙贸易集团"), (c.path, "summary")}
    assert all(f.code == "SUMMARY_MISMATCH" and f.severity == "error" for f in found)


def test_summary_brackets_and_contact_tolerance(shanxi: Campaign) -> None:
    a = rec(
        "山西（太原）甲有限公司",
        contact="张三",
        phone="0351-2022229",
        mobile="15635390920",
        email="Zhang@Example.com",
    )
    table = summary(
        row(
            "山西(太原)甲有限公司",
            contact="张 三",
            phone="156 3539 0920",  # the form's mobile, not its phone
            email="zhang@example.com",
        )
    )
    assert run("summary_mismatch", [a], shanxi, [table]) == []


def test_summary_contact_differs(shanxi: Campaign) -> None:
    a = rec("甲有限公司", contact="张三", phone="0351-2022229", mobile="15635390920")
    table = summary(row("甲有限公司", contact="李四", phone="0351-2022228"))
    found = run("summary_mismatch", [a], shanxi, [table])
    assert {f.field for f in found} == {"summary.contact", "summary.phone"}
    assert all(f.severity == "warning" and f.submission_id == a.path for f in found)
    phone = next(f for f in found if f.field == "summary.phone")
    assert phone.found_value == "0351-2022228" and {e.file for e in phone.evidence} >= {"太原市工信局/汇总表.xlsx"}


def test_summary_near_name_is_a_name_mismatch(shanxi: Campaign) -> None:
    a = rec("山西示例科技有限公司")
    found = run("summary_mismatch", [a], shanxi, [summary(row("山西示例技术有限公司"))])
    (f,) = found
    assert (f.code, f.field, f.submission_id) == ("NAME_MISMATCH", "summary.name", a.path)
    assert f.found_value == "山西示例技术有限公司"


def test_summary_kind_differs(shanxi: Campaign) -> None:
    a = rec("甲平台", kind="platform")
    (f,) = run("summary_mismatch", [a], shanxi, [summary(row("甲平台", "enterprise"))])
    assert f.field == "summary.kind" and f.severity == "warning"


def test_summary_matched_by_folder_when_recommender_names_differ(shanxi: Campaign) -> None:
    a = rec("甲有限公司", recommender="太原市工信局")
    table = summary(row("甲有限公司"), recommender="太原市工业和信息化局")
    assert run("summary_mismatch", [a], shanxi, [table]) == []


def test_summary_of_an_unknown_recommender(shanxi: Campaign) -> None:
    table = SummaryTable(recommender="大同市工信局", file="大同/汇总表.xlsx", rows=[row("甲有限公司")])
    (f,) = run("summary_mismatch", [rec("甲有限公司")], shanxi, [table])
    assert f.field == "summary.recommender" and f.submission_id is None


def test_project_listed_by_its_title(shanxi: Campaign) -> None:
    p = rec("共享工厂建设项目", kind="project")
    assert run("summary_mismatch", [p], shanxi, [summary(row("共享工厂建设项目", "project"))]) == []


# -- DUPLICATE_SUBMISSION -------------------------------------------------------------------


def test_duplicate_by_credit_code_via_two_recommenders(shanxi: Campaign) -> None:
    code = uscc("5MA0GTHK2X")
    a = rec("甲有限公司", recommender="太原市工信局", code=code)
    b = rec("甲有限责任公司", recommender="省小企业局", code=code)
    found = run("duplicate_submission", [a, b], shanxi)
    assert sorted((f.submission_id, f.source) for f in found) == sorted([(a.path, b.path), (b.path, a.path)])
    assert all(f.field == "uscc" and f.severity == "error" for f in found)
    assert "省小企业局" in next(f.message for f in found if f.submission_id == a.path)


def test_duplicate_by_name_when_a_code_is_missing(shanxi: Campaign) -> None:
    a = rec("山西（太原）甲有限公司", code=uscc("5MA0GTHK2X"))
    b = rec("山西(太原)甲有限公司", recommender="省小企业局")
    found = run("duplicate_submission", [a, b], shanxi)
    assert len(found) == 2 and {f.field for f in found} == {"name"}


@pytest.mark.parametrize(
    "pair",
    [
        # same name, two different valid credit codes: two companies
        (("甲有限公司", "enterprise", "5MA0GTHK2X"), ("甲有限公司", "enterprise", "5MA0GTHK3Y")),
        # the same company applying as an enterprise and running a platform
        (("山西运营有限公司", "enterprise", None), ("甲平台", "platform", None)),
        # one operator, two platforms
        (("甲平台", "platform", None), ("乙平台", "platform", None)),
        (("甲有限公司", "enterprise", None), ("甲科技有限公司", "enterprise", None)),
    ],
)
def test_not_duplicates(pair: tuple[tuple[str, str, str | None], ...], shanxi: Campaign) -> None:
    records = [
        rec(name, recommender=f"市{i}", kind=kind, code=uscc(body) if body else None)
        for i, (name, kind, body) in enumerate(pair)
    ]
    assert run("duplicate_submission", records, shanxi) == []


def test_email_split_by_a_gap_is_not_a_difference() -> None:
    """Regression: a PDF 汇总表 read 'a@b.com. cn' for the form's 'a@b.com.cn'."""
    from validators.summary_contacts import _same_email

    assert _same_email("ajbfhz@ajbfhz.com.cn", "ajbfhz@ajbfhz.com. cn")
    assert not _same_email("ajbfhz@ajbfhz.com.cn", "ajbfhz@ajbfhz.com")
