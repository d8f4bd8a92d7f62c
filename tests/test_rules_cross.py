"""Cross-checks of a record: form against cover, licence, certificates, the round's dates,
attachments, seals and read confidence. Records are built in code; each rule has cases that
must fire and near misses that must not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from models.campaign import Campaign, load_campaign
from models.document import BBox, Seal
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding
from models.forms import form_from_fields
from models.records import Attachment, ExtractedDocument, Record, SealSlot
from models.values import (
    USCC_ALPHABET,
    addresses_equal,
    chinese_numeral,
    names_equal,
    phones_equal,
    uscc_check_char,
    uscc_problem,
)
from validators.base import RecordContext
from validators.registry import rules

RULES = rules()
"""Every registered rule (validators.registry imports the rule modules)."""

FORM = "太原市工信局/示例科技/申报书.docx"
LICENCE = "太原市工信局/示例科技/营业执照.jpg"
NAME = "山西示例科技有限公司"
LLC = "有限责任公司（自然人投资或控股）"


def uscc(division: str = "140105", body: str = "MA0GTHK2X") -> str:
    first = "91" + division + body
    return first + uscc_check_char(first)


GOOD_USCC = uscc()


def ex(value: Any, raw: str | None = None, conf: float = 1.0, file: str = FORM, page: int = 1):
    raw = raw if raw is not None else ("" if value is None else str(value))
    return Extracted[Any](value=value, raw=raw, confidence=conf, evidence=[Evidence(file=file, page=page, text=raw)])


def fmap(file: str = FORM, **values: Any) -> FieldMap:
    out: FieldMap = {}
    for key, value in values.items():
        out[key.replace("__", ".")] = value if isinstance(value, Extracted) else ex(value, file=file)
    return out


def licence(file: str = LICENCE, kind: str = "business_license", **values: Any) -> Attachment:
    base: dict[str, Any] = {
        "name": NAME,
        "uscc": GOOD_USCC,
        "type": LLC,
        "legal_rep": "张三",
        "address": "太原市小店区长治路1号",
        "established": dt.date(2010, 1, 1),
        "term_end": ex(None, raw="长期", file=file),
    }
    if kind != "business_license":
        base = {"name": NAME}
    base.update(values)
    return Attachment(kind=kind, file=file, pages=[1], fields=fmap(file=file, **base))  # type: ignore[arg-type]


def attachment(kind: str, file: str | None = None, **values: Any) -> Attachment:
    file = file or f"太原市工信局/示例科技/{kind}.pdf"
    return Attachment(kind=kind, file=file, pages=[1], fields=fmap(file=file, **values))  # type: ignore[arg-type]


FORM_DEFAULTS: dict[str, dict[str, Any]] = {
    "enterprise": {"name": NAME, "legal_rep": "张三", "reg_address": "山西省太原市小店区长治路1号"},
    "project": {"name": "共享工厂建设项目", "contractor": NAME, "client": "太原甲方有限公司"},
    "platform": {"name": "示例共享制造平台", "operator": NAME, "legal_rep": "张三"},
    "city": {"name": "太原市"},
}
DEFAULT_ATTACHMENTS = {
    "enterprise": ("tech_evaluation_certificate",),
    "project": ("project_contract", "acceptance_opinion"),
    "platform": ("premises_proof", "service_evidence", "customer_evaluation"),
    "city": ("policy_document",),
}


def record(
    kind: str = "enterprise",
    form: dict[str, Any] | None = None,
    cover: str | None = NAME,
    attachments: list[Attachment] | None = None,
    documents: list[ExtractedDocument] | None = None,
    path: str = "太原市工信局/示例科技",
    recommender: str | None = "太原市工信局",
) -> Record:
    """A record that passes every cross-check of shanxi-2021 unless told otherwise."""
    values = {**FORM_DEFAULTS[kind], **(form or {})}
    values = {k: v for k, v in values.items() if v is not None}
    fields = fmap(**values)
    if attachments is None:
        attachments = [] if kind == "city" else [licence()]
        attachments += [attachment(k) for k in DEFAULT_ATTACHMENTS[kind]]
    return Record(
        submission_id=path,
        path=path,
        kind=kind,  # type: ignore[arg-type]
        applicant=NAME,
        recommender=recommender,
        form=form_from_fields(kind, fields),  # type: ignore[arg-type]
        form_fields=fields,
        form_file=FORM,
        cover={"applicant": ex(cover, file=FORM)} if cover else {},
        attachments=attachments,
        documents=documents or [],
    )


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


@pytest.fixture(scope="module")
def guangxi() -> Campaign:
    return load_campaign("guangxi-2021")


def run(rule: str, rec: Record, campaign: Campaign) -> list[Finding]:
    return list(RULES[rule].check(RecordContext(rec, campaign)))


RECORD_RULES = [name for name, rule in RULES.items() if rule.scope == "record"]
CROSS_RULES = [
    "name_mismatch",
    "legal_rep_mismatch",
    "address_mismatch",
    "uscc_invalid",
    "registered_outside_region",
    "license_expired",
    "cert_expired",
    "platform_too_young",
    "attachment_missing",
    "seal_missing",
    "low_confidence",
]


# -- normalisers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "ltype", "equal"),
    [
        ("山西（太原）示例有限公司", "山西(太原)示例有限公司", None, True),
        ("山西 示例 有限公司", "山西示例有限公司", None, True),
        ("ＡＢＣ科技有限公司", "abc科技有限公司", None, True),
        ("山西示例科技有限公司", "山西示例科枝有限公司", None, False),
        ("山西示例有限公司", "山西示例有限责任公司", LLC, True),
        ("山西示例有限责任公司", "山西示例有限公司", "有限责任公司(国有独资)", True),
        ("山西示例有限公司", "山西示例有限责任公司", None, False),
        ("山西示例有限公司", "山西示例股份有限公司", "股份有限公司（非上市）", False),
        ("山西示例有限公司", "山西示例有限责任公司", "股份有限公司", False),
    ],
)
def test_names_equal(a: str, b: str, ltype: str | None, equal: bool) -> None:
    assert names_equal(a, b, ltype) is equal


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("山西省太原市小店区长治路1号", "太原市小店区长治路1号", True),
        ("山西省太原市小店区长治路一号", "太原市小店区长治路1号", True),
        ("太原市小店区长治路１２３号", "太原市小店区长治路一百二十三号", True),
        ("太原市小店区长治路1号院", "山西省太原市小店区长治路1号", True),
        ("内蒙古自治区呼和浩特市新城区某街二十三号楼", "呼和浩特市新城区某街23号", True),
        ("太原市小店区长治路1号", "太原市小店区长治路2号", False),
        ("太原市小店区长治路1号", "太原市小店区长风街1号", False),
        ("太原市小店区长治路1号", "太原市迎泽区长治路1号", False),
        ("陕西省西安市长治路1号", "山西省太原市长治路1号", False),
    ],
)
def test_addresses_equal(a: str, b: str, equal: bool) -> None:
    assert addresses_equal(a, b) is equal


def test_chinese_numerals() -> None:
    assert [chinese_numeral(t) for t in ("一", "十", "十二", "二十三", "一〇八", "一百零五")] == [
        1,
        10,
        12,
        23,
        108,
        105,
    ]
    assert chinese_numeral("长治") is None


def test_phones_equal() -> None:
    assert phones_equal("0351-202 2229", "03512022229")
    assert phones_equal("2022229", "0351－2022229")
    assert not phones_equal("0351-2022228", "0351-2022229")
    assert not phones_equal("", "0351-2022229")


@pytest.mark.parametrize("body", ["MA0GTHK2X", "000000000", "L12345678", "MA7XY1234"])
def test_uscc_problem_agrees_with_stdnum(body: str) -> None:
    good = uscc(body=body)
    assert uscc_problem(good) is None and stdnum_uscc.is_valid(good)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert uscc_problem(wrong) is not None and not stdnum_uscc.is_valid(wrong)


def test_uscc_problem_names_the_character() -> None:
    bad = GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1")
    problem = uscc_problem(bad) or ""
    assert f"“{bad[17]}”" in problem and f"“{GOOD_USCC[17]}”" in problem
    assert "“O”" in (uscc_problem(GOOD_USCC[:10] + "O" + GOOD_USCC[11:]) or "")
    assert "17位" in (uscc_problem(GOOD_USCC[:17]) or "")


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(_CJK, min_size=2, max_size=12), st.sampled_from(["（", "(", " ", "　"]))
def test_names_equal_ignores_bracket_style_and_spaces(core: str, opener: str) -> None:
    closer = {"（": "）", "(": ")"}.get(opener, opener)
    assert names_equal(f"山西{opener}{core}{closer}有限公司", f"山西（{core}）有限公司")


@given(st.text(_CJK, min_size=2, max_size=8), st.integers(1, 9999))
def test_addresses_equal_with_prefix(road: str, number: int) -> None:
    tail = f"{road}路{number}号"
    assert addresses_equal(f"山西省太原市小店区{tail}", f"小店区{tail}")
    assert not addresses_equal(f"小店区{tail}", f"小店区{road}路{number + 1}号")


@given(st.text(st.sampled_from(USCC_ALPHABET), min_size=18, max_size=18))
def test_uscc_problem_matches_stdnum(code: str) -> None:
    code = "9" + code[1:]  # a registration authority stdnum also knows
    assert (uscc_problem(code) is None) == stdnum_uscc.is_valid(code)


# -- a clean record passes every cross-check ------------------------------------------------


@pytest.mark.parametrize("kind", ["enterprise", "project", "platform", "city"])
def test_clean_record_has_no_findings(kind: str, shanxi: Campaign) -> None:
    rec = record(kind, form={"launched": dt.date(2015, 1, 1)} if kind == "platform" else None)
    assert {name: run(name, rec, shanxi) for name in CROSS_RULES} == {name: [] for name in CROSS_RULES}


def test_all_cross_rules_are_registered() -> None:
    assert set(CROSS_RULES) <= set(RECORD_RULES)


# -- NAME_MISMATCH --------------------------------------------------------------------------


def test_name_one_character_differs(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(name="山西示例科枝有限公司")])
    (f,) = run("name_mismatch", rec, shanxi)
    assert (f.code, f.severity, f.field, f.source) == (
        "NAME_MISMATCH",
        "error",
        "business_license.name",
        LICENCE,
    )
    assert (f.form_value, f.found_value) == (NAME, "山西示例科枝有限公司")
    assert {e.file for e in f.evidence} == {FORM, LICENCE}
    assert "山西示例科枝有限公司" in f.message


def test_name_bracket_styles_are_equal(shanxi: Campaign) -> None:
    rec = record(
        form={"name": "山西示例（太原）科技有限公司"},
        cover="山西示例(太原)科技有限公司",
        attachments=[licence(name="山西示例(太原)科技有限公司")],
    )
    assert run("name_mismatch", rec, shanxi) == []


def test_name_llc_abbreviation_only_for_llc_licence(shanxi: Campaign) -> None:
    ok = record(attachments=[licence(name="山西示例科技有限责任公司", type=LLC)])
    assert run("name_mismatch", ok, shanxi) == []
    joint = record(attachments=[licence(name="山西示例科技股份有限公司", type="股份有限公司")])
    assert [f.field for f in run("name_mismatch", joint, shanxi)] == ["business_license.name"]


def test_name_cover_differs(shanxi: Campaign) -> None:
    (f,) = run("name_mismatch", record(cover="山西范例科技有限公司"), shanxi)
    assert f.field == "cover.applicant" and f.found_value == "山西范例科技有限公司"


def test_name_project_either_party_matches(shanxi: Campaign) -> None:
    client = record("project", form={"client": NAME, "contractor": "太原乙方有限公司"})
    assert run("name_mismatch", client, shanxi) == []
    neither = record("project", form={"contractor": "太原乙方有限公司", "client": "太原甲方有限公司"})
    (f,) = [f for f in run("name_mismatch", neither, shanxi) if f.field == "business_license.name"]
    assert f.form_value == "太原乙方有限公司"


def test_name_platform_uses_operator(shanxi: Campaign) -> None:
    rec = record("platform", form={"launched": dt.date(2015, 1, 1)}, cover=NAME)
    assert run("name_mismatch", rec, shanxi) == []
    wrong = record("platform", form={"operator": "山西另一家有限公司"})
    fields = {f.field for f in run("name_mismatch", wrong, shanxi)}
    assert fields == {"business_license.name", "cover.applicant"}


def test_name_attachment_and_its_document_report_once(shanxi: Campaign) -> None:
    lic = licence(name="山西示例科枝有限公司")
    doc = ExtractedDocument(kind="business_license", file=LICENCE, pages=[1], fields=lic.fields)
    rec = record(attachments=[lic, attachment("tech_evaluation_certificate")], documents=[doc])
    assert len(run("name_mismatch", rec, shanxi)) == 1


def test_name_high_tech_certificate(shanxi: Campaign) -> None:
    cert = licence("太原市工信局/示例科技/高新证书.jpg", kind="high_tech_certificate", name="山西示例技术有限公司")
    rec = record(attachments=[licence(), cert, attachment("tech_evaluation_certificate")])
    (f,) = run("name_mismatch", rec, shanxi)
    assert f.field == "high_tech_certificate.name" and f.source.endswith("高新证书.jpg")


# -- LEGAL_REP_MISMATCH / ADDRESS_MISMATCH --------------------------------------------------


@pytest.mark.parametrize(
    ("form_rep", "licence_rep", "fires"),
    [("张 三", "张三", False), ("阿不都·热合曼", "阿不都热合曼", False), ("张三", "张珊", True)],
)
def test_legal_rep(form_rep: str, licence_rep: str, fires: bool, shanxi: Campaign) -> None:
    rec = record(form={"legal_rep": form_rep}, attachments=[licence(legal_rep=licence_rep)])
    found = run("legal_rep_mismatch", rec, shanxi)
    assert bool(found) is fires
    if fires:
        assert found[0].field == "business_license.legal_rep" and found[0].severity == "error"


@pytest.mark.parametrize(
    ("form_addr", "fires"),
    [
        ("山西省太原市小店区长治路一号", False),
        ("太原市小店区长治路１号院", False),
        ("小店区长治路1号", False),
        ("山西省太原市小店区长治路11号", True),
        ("山西省太原市小店区长风街1号", True),
    ],
)
def test_address(form_addr: str, fires: bool, shanxi: Campaign) -> None:
    found = run("address_mismatch", record(form={"reg_address": form_addr}), shanxi)
    assert bool(found) is fires
    if fires:
        assert found[0].severity == "warning" and found[0].found_value == "太原市小店区长治路1号"


# -- USCC_INVALID / REGISTERED_OUTSIDE_REGION -----------------------------------------------


def test_uscc_wrong_check_character(shanxi: Campaign) -> None:
    bad = GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1")
    (f,) = run("uscc_invalid", record(attachments=[licence(uscc=bad)]), shanxi)
    assert f.field == "business_license.uscc" and f.found_value == bad
    assert f"“{GOOD_USCC[17]}”" in f.message


def test_uscc_forbidden_letter_and_legal_person_certificate(shanxi: Campaign) -> None:
    cert = licence(
        "太原市工信局/示例科技/法人证书.jpg",
        kind="legal_person_certificate",
        uscc="12140000MB0O12345X",
    )
    (f,) = run("uscc_invalid", record(attachments=[cert]), shanxi)
    assert f.field == "legal_person_certificate.uscc" and "“O”" in f.message


def test_uscc_valid_is_quiet(shanxi: Campaign) -> None:
    assert run("uscc_invalid", record(attachments=[licence(uscc=f" {GOOD_USCC.lower()} ")]), shanxi) == []


def test_region_by_credit_code(shanxi: Campaign) -> None:
    shaanxi = uscc(division="610113")
    (f,) = run("registered_outside_region", record(attachments=[licence(uscc=shaanxi)]), shanxi)
    assert f.field == "business_license.uscc" and "陕西" in f.message and f.severity == "error"


def test_region_by_address(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(address="陕西省西安市雁塔区科技路1号")])
    (f,) = run("registered_outside_region", rec, shanxi)
    assert f.field == "business_license.address" and "陕西" in f.message


def test_region_street_named_after_a_province_is_fine(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(address="太原市小店区北京路1号")])
    assert run("registered_outside_region", rec, shanxi) == []


def test_region_national_round_skips(guangxi: Campaign) -> None:
    rec = record(attachments=[licence(uscc=uscc(division="610113"), address="陕西省西安市1号")])
    assert run("registered_outside_region", rec, guangxi) == []


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "fires"),
    [
        (ex(None, raw="长期", file=LICENCE), False),
        (ex(None, raw="2010年01月01日至长期", file=LICENCE), False),
        (ex(dt.date(2021, 11, 20), file=LICENCE), False),
        (ex(dt.date(2021, 6, 30), file=LICENCE), True),
        # a 营业期限 range as the licence reader gives it: its end date typed, the range raw
        (ex(dt.date(2021, 6, 30), raw="2001年7月1日至2021年6月30日", file=LICENCE), True),
    ],
)
def test_license_expired(term: Extracted[Any], fires: bool, shanxi: Campaign) -> None:
    found = run("license_expired", record(attachments=[licence(term_end=term)]), shanxi)
    assert bool(found) is fires
    if fires:
        assert found[0].found_value == "2021-06-30" and "2021年11月20日" in found[0].message


def _cert(**values: Any) -> Attachment:
    return licence("太原市工信局/示例科技/高新证书.jpg", kind="high_tech_certificate", **values)


@pytest.mark.parametrize(
    ("values", "fires"),
    [
        ({"valid_until": dt.date(2021, 11, 27)}, False),  # a week after the deadline
        ({"valid_until": dt.date(2021, 11, 19)}, True),
        ({"issued": dt.date(2018, 11, 27)}, False),  # issued + 3 years
        ({"issued": dt.date(2018, 11, 10)}, True),
        ({}, False),  # nothing to judge by
    ],
)
def test_cert_expired(values: dict[str, Any], fires: bool, shanxi: Campaign) -> None:
    found = run("cert_expired", record(attachments=[licence(), _cert(**values)]), shanxi)
    assert bool(found) is fires
    if fires:
        assert found[0].field == "high_tech_certificate.valid_until"


def test_legal_person_certificate_expired(shanxi: Campaign) -> None:
    cert = licence(
        "太原市工信局/示例科技/法人证书.jpg",
        kind="legal_person_certificate",
        valid_until=dt.date(2021, 3, 31),
    )
    (f,) = run("cert_expired", record("platform", attachments=[cert]), shanxi)
    assert f.field == "legal_person_certificate.valid_until"


@pytest.mark.parametrize(
    ("form", "established", "fires"),
    [
        ({"launched": dt.date(2020, 3, 1)}, dt.date(2010, 1, 1), True),
        ({"launched": dt.date(2019, 11, 20)}, dt.date(2010, 1, 1), False),  # exactly 2 years
        ({"main_business": "平台于2019年3月正式上线运营，服务企业300家"}, dt.date(2010, 1, 1), False),
        ({"main_business": "平台于2020年3月正式投入运营"}, dt.date(2010, 1, 1), True),
        ({"customers__0__summary": "2021年3月上线ERP系统"}, dt.date(2010, 1, 1), False),
        ({}, dt.date(2020, 5, 1), True),  # operator younger than two years
        ({}, dt.date(2015, 5, 1), False),
    ],
)
def test_platform_too_young(form: dict[str, Any], established: dt.date, fires: bool, shanxi: Campaign) -> None:
    rec = record(
        "platform",
        form=form,
        attachments=[licence(established=established), attachment("premises_proof")],
    )
    found = run("platform_too_young", rec, shanxi)
    assert bool(found) is fires


def test_platform_age_only_for_platforms(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(established=dt.date(2021, 1, 1))])
    assert run("platform_too_young", rec, shanxi) == []


# -- ATTACHMENT_MISSING ---------------------------------------------------------------------


def test_attachment_missing_names_the_label(shanxi: Campaign) -> None:
    (f,) = run("attachment_missing", record(attachments=[licence()]), shanxi)
    assert f.field == "attachments.tech_evaluation_certificate" and f.severity == "error"
    assert "相关产品的技术水平评价证书（鉴定证书）" in f.message


def test_optional_attachment_absent_is_quiet(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(), attachment("tech_evaluation_certificate")])
    assert run("attachment_missing", rec, shanxi) == []


def test_legal_person_certificate_satisfies_licence(shanxi: Campaign) -> None:
    cert = licence("太原市工信局/示例科技/法人证书.jpg", kind="legal_person_certificate")
    rec = record("platform", attachments=[cert] + [attachment(k) for k in DEFAULT_ATTACHMENTS["platform"]])
    assert run("attachment_missing", rec, shanxi) == []
    bare = record("platform", attachments=[attachment(k) for k in DEFAULT_ATTACHMENTS["platform"]])
    assert [f.field for f in run("attachment_missing", bare, shanxi)] == ["attachments.business_license"]


def test_attachment_found_as_document_of_a_bound_book(shanxi: Campaign) -> None:
    book = ExtractedDocument(kind="tech_evaluation_certificate", file="book.pdf", pages=[30])
    rec = record(attachments=[licence()], documents=[book])
    assert run("attachment_missing", rec, shanxi) == []


# -- SEAL_MISSING ---------------------------------------------------------------------------


def _form_doc(*slots: SealSlot, file: str = FORM) -> ExtractedDocument:
    return ExtractedDocument(kind="commitment", file=file, pages=[5], seal_slots=list(slots))


def test_seal_slot_without_seal(shanxi: Campaign) -> None:
    slot = SealSlot(role="applicant", page=5, bbox=BBox(x0=1, y0=2, x1=3, y1=4), label="申报单位（章）")
    (f,) = run("seal_missing", record(documents=[_form_doc(slot)]), shanxi)
    assert (f.field, f.severity, f.source) == ("seal.applicant", "error", FORM)
    assert f.evidence[0].page == 5 and f.evidence[0].bbox is not None


def test_two_empty_slots_in_one_file_are_one_finding(shanxi: Campaign) -> None:
    slots = [SealSlot(role="recommender", page=p, label="单位（章）") for p in (5, 9)]
    (f,) = run("seal_missing", record(documents=[_form_doc(*slots)]), shanxi)
    assert [e.page for e in f.evidence] == [5, 9] and "第5页、第9页" in f.message


def test_seal_present_or_not_checkable_is_quiet(shanxi: Campaign) -> None:
    stamped = SealSlot(role="recommender", page=5, seal=Seal(page=5))
    unseen = SealSlot(role="applicant", page=5, checkable=False)
    assert run("seal_missing", record(documents=[_form_doc(stamped, unseen)]), shanxi) == []


def test_city_government_seal_not_asked_of_enterprises(shanxi: Campaign) -> None:
    slot = SealSlot(role="city_government", page=2)
    assert run("seal_missing", record(documents=[_form_doc(slot)]), shanxi) == []
    (f,) = run("seal_missing", record("city", documents=[_form_doc(slot)]), shanxi)
    assert f.field == "seal.city_government"


def _licence_doc(method: str, *seals: Seal) -> ExtractedDocument:
    """A licence page whose 登记机关 line is at (420, 740)–(560, 760)."""
    box = BBox(x0=420, y0=740, x1=560, y1=760)
    authority = ex("太原市市场监督管理局", file=LICENCE).model_copy(
        update={"evidence": [Evidence(file=LICENCE, page=1, bbox=box, text="太原市市场监督管理局")]}
    )
    return ExtractedDocument(
        kind="business_license",
        file=LICENCE,
        pages=[1],
        method=method,
        seals=list(seals),
        fields={"authority": authority},
    )


@pytest.mark.parametrize(
    ("doc", "fires"),
    [
        (_licence_doc("ocr"), True),
        (_licence_doc("ocr", Seal(page=1, text="太原市市场监督管理局")), True),
        (_licence_doc("ocr", Seal(page=1, text="太原市市场监督管理局"), Seal(page=1)), False),
        (_licence_doc("ocr", Seal(page=1, text=f"{NAME}")), False),
        (_licence_doc("docx"), False),  # cannot see seals
        (_licence_doc("ocr", Seal(page=1, bbox=BBox(x0=400, y0=700, x1=500, y1=800))), True),
        (_licence_doc("ocr", Seal(page=1, bbox=BBox(x0=100, y0=300, x1=200, y1=400))), False),
    ],
)
def test_licence_copy_seal(doc: ExtractedDocument, fires: bool, shanxi: Campaign) -> None:
    found = run("seal_missing", record(documents=[doc]), shanxi)
    assert bool(found) is fires
    if fires:
        assert found[0].severity == "warning" and found[0].field == "seal.license_copy"


def _scanned_book(*seals: Seal, method: str = "ocr", pages: int = 4) -> list[ExtractedDocument]:
    book = ExtractedDocument(kind="application_form", file=FORM, pages=list(range(1, pages)), method=method)
    licence_page = ExtractedDocument(
        kind="business_license", file=FORM, pages=[pages], method=method, seals=list(seals)
    )
    return [book, licence_page]


@pytest.mark.parametrize(
    ("documents", "fires"),
    [
        (_scanned_book(), True),
        (_scanned_book(Seal(page=4, edge="right")), True),  # pages 1–3 without a slice (issue 10 item 8)
        (_scanned_book(Seal(page=4)), True),  # a whole seal is not a 骑缝章
        (_scanned_book(method="pdf-text"), False),  # a digital book cannot show one
        (_scanned_book(pages=1), False),  # one page has no seam
    ],
)
def test_seam_seal_on_scanned_books(documents: list[ExtractedDocument], fires: bool, guangxi: Campaign) -> None:
    found = [f for f in run("seal_missing", record(documents=documents), guangxi) if f.field == "seal.seam"]
    assert bool(found) is fires
    if fires:
        assert found[0].severity == "warning" and "骑缝章" in found[0].message and found[0].evidence[0].file == FORM


def test_seam_seal_only_where_the_round_asks(shanxi: Campaign) -> None:
    assert [f for f in run("seal_missing", record(documents=_scanned_book()), shanxi) if f.field == "seal.seam"] == []


def test_a_seam_slice_is_not_the_applicants_seal_on_the_licence(shanxi: Campaign) -> None:
    (f,) = run("seal_missing", record(documents=[_licence_doc("ocr", Seal(page=1, edge="right"))]), shanxi)
    assert f.field == "seal.license_copy"


# -- LOW_CONFIDENCE -------------------------------------------------------------------------


def test_low_confidence_licence_code(shanxi: Campaign) -> None:
    weak = ex(GOOD_USCC, conf=0.62, file=LICENCE, page=1)
    (f,) = run("low_confidence", record(attachments=[licence(uscc=weak)]), shanxi)
    assert f.field == "business_license.uscc" and f.severity == "warning"
    assert "0.62" in f.message and "第1页" in f.message and "统一社会信用代码" in f.message


def test_low_confidence_latest_revenue_only(shanxi: Campaign) -> None:
    latest = record(form={"financials__2020__revenue": ex(1200.0, conf=0.5, page=3)})
    (f,) = run("low_confidence", latest, shanxi)
    assert f.field == "financials.2020.revenue" and "2020年" in f.message and "第3页" in f.message
    earlier = record(form={"financials__2018__revenue": ex(900.0, conf=0.5), "financials__2020__revenue": 1200.0})
    assert run("low_confidence", earlier, shanxi) == []


def test_confident_values_are_quiet(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(uscc=ex(GOOD_USCC, conf=0.95, file=LICENCE))])
    assert run("low_confidence", rec, shanxi) == []


def test_licence_recognised_but_unreadable_is_low_confidence(shanxi: Campaign) -> None:
    """A blurred licence photo: the title was read, none of the fields the checks rely on
    (桂林优利 sample). Every check on it was skipped, so the reviewer must read the page."""
    blurred = Attachment(kind="business_license", file=LICENCE, pages=[1], fields={})
    (f,) = run("low_confidence", record(attachments=[blurred]), shanxi)
    assert f.field == "business_license" and f.severity == "warning" and f.source == LICENCE
    assert "未能识别" in f.message and "第1页" in f.message and f.evidence[0].file == LICENCE


def test_licence_with_some_relied_on_field_read_is_not_unreadable(shanxi: Campaign) -> None:
    partial = Attachment(kind="business_license", file=LICENCE, pages=[1], fields=fmap(file=LICENCE, name=NAME))
    assert run("low_confidence", record(attachments=[partial]), shanxi) == []


def test_certificate_with_only_unrelied_fields_is_unreadable(shanxi: Campaign) -> None:
    cert = attachment("high_tech_certificate", number="GR20191474847")
    (f,) = run("low_confidence", record(attachments=[licence(), cert]), shanxi)
    assert f.field == "high_tech_certificate"
