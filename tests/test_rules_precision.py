"""Precision first (issue 9, point 2): a value read by OCR that disagrees with a typed one is
judged by its confidence and by known OCR confusions before a rule calls it a mismatch. Each
test is a false finding seen on real books, or the near miss that must still fire."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import validators.registry  # noqa: F401  (imports every rule module)
from models.campaign import Campaign, load_campaign
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding
from models.forms import form_from_fields
from models.records import Attachment, ExtractedDocument, Record, SummaryRow, SummaryTable
from models.values import phone_numbers, phones_match, uscc_check_char
from validators.base import RULES, BatchContext, RecordContext
from validators.ocr_noise import fold_confusions, fold_email, judge, overflow, read_by_ocr

FORM = "太原市工信局/示例科技/申报书.docx"
LICENCE = "太原市工信局/示例科技/营业执照.jpg"
NAME = "山西示例科技有限公司"
REP = "张三"
ADDRESS = "太原市小店区长治路1号"
_FIRST = "91140105MA0GTHK2X"
USCC = _FIRST + uscc_check_char(_FIRST)


def typed(value: Any, file: str = FORM) -> Extracted[Any]:
    raw = "" if value is None else str(value)
    return Extracted[Any](value=value, raw=raw, method="docx", evidence=[Evidence(file=file, page=1, text=raw)])


def ocred(value: Any, conf: float = 0.95, file: str = LICENCE) -> Extracted[Any]:
    raw = "" if value is None else str(value)
    return Extracted[Any](
        value=value, raw=raw, confidence=conf, method="ocr", evidence=[Evidence(file=file, page=1, text=raw)]
    )


def licence(**values: Extracted[Any]) -> Attachment:
    base = {
        "name": ocred(NAME),
        "uscc": ocred(USCC),
        "type": ocred("有限责任公司（自然人投资或控股）"),
        "legal_rep": ocred(REP),
        "address": ocred(ADDRESS),
        "established": ocred(dt.date(2010, 1, 1)),
        "term_end": Extracted[Any](value=None, raw="长期", method="ocr"),
    }
    base.update(values)
    return Attachment(kind="business_license", file=LICENCE, pages=[1], fields=base)


def record(form: dict[str, Any] | None = None, attachments: list[Attachment] | None = None, **extra: Any) -> Record:
    values = {"name": NAME, "legal_rep": REP, "reg_address": "山西省" + ADDRESS, **(form or {})}
    fields: FieldMap = {k: v if isinstance(v, Extracted) else typed(v) for k, v in values.items()}
    return Record(
        submission_id="太原市工信局/示例科技",
        path="太原市工信局/示例科技",
        kind="enterprise",
        applicant=NAME,
        recommender="太原市工信局",
        form=form_from_fields("enterprise", fields),  # type: ignore[arg-type]
        form_fields=fields,
        form_file=FORM,
        attachments=[licence()] if attachments is None else attachments,
        **extra,
    )


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


def run(rule: str, rec: Record, campaign: Campaign) -> list[Finding]:
    return list(RULES[rule].check(RecordContext(rec, campaign)))


def codes(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in found]


# -- the confusion table and the judgement ----------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ABC0l5B", "abco158"),  # O/0, l/1, S/5, B/8 and case
        ("自己", "自已"),
        ("未来", "末来"),
        ("土木", "士木"),
        ("ＡＢＣ１", "abc1"),  # full width
        ("山西 示例", "山西示例"),
    ],
)
def test_fold_confusions(a: str, b: str) -> None:
    assert fold_confusions(a) == fold_confusions(b)


def test_fold_keeps_real_differences() -> None:
    assert fold_confusions("零部件") != fold_confusions("零配件")
    assert fold_confusions("136号") != fold_confusions("138号")


@pytest.mark.parametrize(
    ("typed_value", "read_value"),
    [
        (NAME, NAME + "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息"),
        (ADDRESS, ADDRESS + " 法定代表人 张三 注册资本 壹仟万元整"),
        (REP, REP + " 成立日期 2010年01月01日"),
        (NAME, NAME + "有限责任公司（自然人投资或控股）"),  # name and type joined
        ("上海市浦东新区张江路1号", "所 上海市浦东新区张江路1号"),  # a label character in front
        ("山西省太原市长治路1号", "所电山西省太原市长治路1号"),
    ],
)
def test_overflow_into_other_licence_fields(typed_value: str, read_value: str) -> None:
    assert overflow(typed_value, read_value)


@pytest.mark.parametrize(
    ("typed_value", "read_value"),
    [
        (NAME, "山西示例科技有限公司太原分公司"),  # a branch is another entity
        (ADDRESS, ADDRESS + "院2号楼"),
        (NAME, "山西示例技术有限公司"),
        (NAME, NAME),
    ],
)
def test_not_overflow(typed_value: str, read_value: str) -> None:
    assert not overflow(typed_value, read_value)


def test_judge_order() -> None:
    def same(a: str, b: str) -> bool:
        return a == b

    form = typed("ABC8")
    assert judge("ABC8", "ABCB", same, (form, "docx"), (ocred("ABCB"), None)) == "same"
    assert judge("ABC8", "ABCB", same, (form, "docx"), (typed("ABCB"), "docx")) == "differs"
    assert judge("ABC8", "XYZ8", same, (form, "docx"), (ocred("XYZ8", conf=0.5), None)) == "unsure"
    assert judge("ABC8", "XYZ8", same, (form, "docx"), (ocred("XYZ8", conf=0.99), None)) == "differs"


def test_read_by_ocr() -> None:
    assert read_by_ocr(ocred("x"))
    assert not read_by_ocr(typed("x"))
    assert read_by_ocr(Extracted[Any](value="x", raw="x", method="inferred"), "ocr")
    assert read_by_ocr(Extracted[Any](value="x", raw="x", confidence=0.9))
    assert not read_by_ocr(Extracted[Any](value="x", raw="x"))


# -- NAME_MISMATCH, LEGAL_REP_MISMATCH, ADDRESS_MISMATCH ------------------------------------------


@pytest.mark.parametrize(
    ("rule", "key", "read_value"),
    [
        ("name_mismatch", "name", "山西示例科技有限公司扫描二维码登录“国家企业信用信息公示系统”了解更多"),
        ("address_mismatch", "address", ADDRESS + "法定代表人张三注册资本1000万元"),
        ("legal_rep_mismatch", "legal_rep", "张三 注册资本 壹仟万元整 成立日期 2010年01月01日"),
    ],
)
def test_run_on_licence_value_is_low_confidence_not_mismatch(
    rule: str, key: str, read_value: str, shanxi: Campaign
) -> None:
    """Regression (issue 9): confident OCR values that ran past their field gave mismatch errors."""
    rec = record(attachments=[licence(**{key: ocred(read_value, conf=0.99)})])
    (f,) = run(rule, rec, shanxi)
    assert (f.code, f.severity, f.field) == ("LOW_CONFIDENCE", "warning", f"business_license.{key}")
    assert f.found_value == read_value and f.form_value
    assert {e.file for e in f.evidence} == {FORM, LICENCE}


@pytest.mark.parametrize(
    ("rule", "key", "read_value"),
    [
        ("name_mismatch", "name", "山西示例科技有限公司".replace("示例", "示列")),
        ("legal_rep_mismatch", "legal_rep", "李四"),
        ("address_mismatch", "address", "太原市小店区长治路2号"),
    ],
)
def test_low_confidence_difference_is_a_warning_with_both_values(
    rule: str, key: str, read_value: str, shanxi: Campaign
) -> None:
    rec = record(attachments=[licence(**{key: ocred(read_value, conf=0.55)})])
    (f,) = run(rule, rec, shanxi)
    assert (f.code, f.severity) == ("LOW_CONFIDENCE", "warning")
    assert f.found_value == read_value and "0.55" in f.message


@pytest.mark.parametrize(
    ("rule", "key", "read_value", "code", "severity"),
    [
        ("name_mismatch", "name", "山西示列科技有限公司", "NAME_MISMATCH", "error"),
        ("legal_rep_mismatch", "legal_rep", "李四", "LEGAL_REP_MISMATCH", "error"),
        ("address_mismatch", "address", "太原市小店区长治路2号", "ADDRESS_MISMATCH", "warning"),
    ],
)
def test_confident_difference_stays_a_mismatch(
    rule: str, key: str, read_value: str, code: str, severity: str, shanxi: Campaign
) -> None:
    rec = record(attachments=[licence(**{key: ocred(read_value, conf=0.99)})])
    assert codes(run(rule, rec, shanxi)) == [(code, severity)]


@pytest.mark.parametrize(
    ("rule", "key", "form_value", "read_value"),
    [
        ("name_mismatch", "name", "山西己丑科技有限公司", "山西已丑科技有限公司"),
        ("name_mismatch", "name", "山西BOS科技有限公司", "山西8O5科技有限公司"),
        ("address_mismatch", "reg_address", "太原市小店区长治路10号", "太原市小店区长治路lO号"),
        ("legal_rep_mismatch", "legal_rep", "王士林", "王土林"),
    ],
)
def test_difference_made_of_ocr_confusions_is_no_finding(
    rule: str, key: str, form_value: str, read_value: str, shanxi: Campaign
) -> None:
    licence_key = "address" if key == "reg_address" else key
    rec = record(form={key: form_value}, attachments=[licence(**{licence_key: ocred(read_value, conf=0.99)})])
    assert run(rule, rec, shanxi) == []


def test_confusions_are_not_folded_between_typed_values(shanxi: Campaign) -> None:
    """A digital licence (a PDF text layer) saying 已 where the form says 己 is a real difference."""
    lic = licence(name=typed("山西已丑科技有限公司", file=LICENCE))
    rec = record(form={"name": "山西己丑科技有限公司"}, attachments=[lic])
    assert codes(run("name_mismatch", rec, shanxi)) == [("NAME_MISMATCH", "error")]


def test_round_threshold_decides(shanxi: Campaign) -> None:
    rec = record(attachments=[licence(legal_rep=ocred("李四", conf=0.85))])
    assert codes(run("legal_rep_mismatch", rec, shanxi)) == [("LEGAL_REP_MISMATCH", "error")]
    strict = shanxi.model_copy(update={"low_confidence": 0.9})
    assert codes(run("legal_rep_mismatch", rec, strict)) == [("LOW_CONFIDENCE", "warning")]


def test_licence_document_method_marks_inferred_values_as_ocr(shanxi: Campaign) -> None:
    """The attachment and the document it was made from are one source; the document's method
    ("ocr") tells that a value without its own method was read by OCR."""
    value = Extracted[Any](value="李四", raw="李四", method="inferred", confidence=0.5)
    fields: FieldMap = {**licence().fields, "legal_rep": value}
    doc = ExtractedDocument(kind="business_license", file=LICENCE, pages=[1], fields=fields, method="ocr")
    rec = record(attachments=[licence(legal_rep=value)], documents=[doc])
    assert codes(run("legal_rep_mismatch", rec, shanxi)) == [("LOW_CONFIDENCE", "warning")]


def test_low_confidence_rule_and_mismatch_doubt_share_one_id(shanxi: Campaign) -> None:
    """The pipeline drops repeated ids: the doubt with both values and the LOW_CONFIDENCE rule's
    finding on the same value are one row of the workbook."""
    rec = record(attachments=[licence(legal_rep=ocred("李四", conf=0.5))])
    (doubt,) = run("legal_rep_mismatch", rec, shanxi)
    low = [f for f in run("low_confidence", rec, shanxi) if f.field == "business_license.legal_rep"]
    assert [f.id for f in low] == [doubt.id]


# -- SUMMARY_MISMATCH: contact data --------------------------------------------------------------

SUMMARY_XLSX = "太原市工信局/汇总表.xlsx"
SUMMARY_SCAN = "太原市工信局/汇总表.jpg"


def summary_row(file: str = SUMMARY_XLSX, **values: Any) -> SummaryTable:
    row = SummaryRow(kind="enterprise", name=NAME, file=file, cell="B5", **values)
    return SummaryTable(recommender="太原市工信局", file=file, rows=[row])


def run_batch(rec: Record, table: SummaryTable, campaign: Campaign) -> list[Finding]:
    return list(RULES["summary_mismatch"].check(BatchContext([rec], campaign, [table])))


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        ("0351-1234567/13812345678", ["03511234567", "13812345678"]),
        ("0351-1234567 13812345678", ["03511234567", "13812345678"]),
        ("0351-1234567／13812345678", ["03511234567", "13812345678"]),
        ("电话：0351-1234567 手机：138 1234 5678", ["03511234567", "13812345678"]),
        ("+86 138 1234 5678", ["13812345678"]),
        ("(0351)2022229转8001", ["03512022229"]),
        ("O351-2O22229", ["03512022229"]),
        ("138l2345678", ["13812345678"]),
        ("2022229", ["2022229"]),
        ("无", []),
    ],
)
def test_phone_numbers(cell: str, numbers: list[str]) -> None:
    assert phone_numbers(cell) == numbers


def test_phones_match_any_number() -> None:
    assert phones_match("0351-1234567/13812345678", "13812345678")
    assert phones_match("固话0351-1234567 手机13812345678", "0351 1234567")
    assert not phones_match("0351-1234567", "0352-1234567")
    assert not phones_match("0351-1234567/13812345678", "13812345679")


@pytest.mark.parametrize(
    ("form", "listed"),
    [
        ({"phone": "0351-1234567/13812345678"}, {"phone": "13812345678"}),  # two numbers in one cell
        ({"phone": "0351-1234567 13812345678"}, {"phone": "0351-1234567"}),
        ({"phone": "0351-1234567", "mobile": "13812345678"}, {"phone": "+86 138 1234 5678"}),
        ({"email": "zhang_san@example.com"}, {"email": "ZHANG_SAN@EXAMPLE.COM"}),
    ],
)
def test_summary_contact_equal_cases(form: dict[str, Any], listed: dict[str, Any], shanxi: Campaign) -> None:
    assert run_batch(record(form=form), summary_row(**listed), shanxi) == []


@pytest.mark.parametrize(
    ("form", "listed"),
    [
        ({"email": "zhang_san@example.com"}, {"email": "zhangsan@example.com"}),  # "_" dropped
        ({"email": "zhang_sanl@example.com"}, {"email": "zhang_san1@example,com"}),  # l→1, .→,
        ({"email": "zhang_san@example.com"}, {"email": "zhang_saneexample.com"}),  # @→e
        ({"email": "zhang_san@example.com"}, {"email": "zhang _san@ example.com"}),  # spaces
        ({"email": "zhang_san@example.com"}, {"email": "zhang_san@exarnple.com"}),  # 2 edits
        ({"phone": "0351-1234567"}, {"phone": "O351-l234567"}),
        ({"phone": "0351-1234567/13812345678"}, {"phone": "13812346678"}),  # one digit misread
        ({"contact": "王土林"}, {"contact": "王士林"}),
    ],
)
def test_summary_scan_ocr_noise_is_no_mismatch(form: dict[str, Any], listed: dict[str, Any], shanxi: Campaign) -> None:
    """Regression (issue 9): a scanned 汇总表's OCR noise in e-mails and phones gave
    SUMMARY_MISMATCH; now it is nothing (equal once folded) or a LOW_CONFIDENCE warning."""
    found = run_batch(record(form=form), summary_row(file=SUMMARY_SCAN, **listed), shanxi)
    assert all(f.code == "LOW_CONFIDENCE" and f.severity == "warning" for f in found), found
    assert all(f.form_value and f.found_value for f in found)


def test_summary_scan_near_email_quotes_both(shanxi: Campaign) -> None:
    rec = record(form={"email": "zhang_san@example.com"})
    (f,) = run_batch(rec, summary_row(file=SUMMARY_SCAN, email="zhang_san@exarnple.com"), shanxi)
    assert (f.code, f.severity, f.field) == ("LOW_CONFIDENCE", "warning", "summary.email")
    assert (f.form_value, f.found_value) == ("zhang_san@example.com", "zhang_san@exarnple.com")


def test_summary_ocr_form_side_also_counts(shanxi: Campaign) -> None:
    """The form was a scan (its e-mail OCR'd), the 汇总表 a spreadsheet."""
    rec = record(form={"email": ocred("zhangsan@examp1e.com", file=FORM)})
    assert run_batch(rec, summary_row(email="zhang_san@example.com"), shanxi) == []


@pytest.mark.parametrize(
    "listed",
    [
        {"email": "li.si@other.cn"},
        {"phone": "0352-5108866"},
        {"contact": "李四"},
    ],
)
def test_summary_scan_real_difference_still_reported(listed: dict[str, Any], shanxi: Campaign) -> None:
    form = {"email": "zhang_san@example.com", "phone": "0352-5179442／19310097387", "contact": "王土林"}
    found = run_batch(record(form=form), summary_row(file=SUMMARY_SCAN, **listed), shanxi)
    assert codes(found) == [("SUMMARY_MISMATCH", "warning")]


def test_summary_typed_confusion_is_still_a_difference(shanxi: Campaign) -> None:
    """Both sides typed (a .docx form, an .xlsx 汇总表): "zhangsan" is not "zhang_san"."""
    rec = record(form={"email": "zhang_san@example.com"})
    assert codes(run_batch(rec, summary_row(email="zhangsan@example.com"), shanxi)) == [("SUMMARY_MISMATCH", "warning")]


def test_summary_scan_name_with_confusions_pairs_exactly(shanxi: Campaign) -> None:
    rec = record(form={"name": "山西己丑科技有限公司"})
    table = SummaryTable(
        recommender="太原市工信局",
        file=SUMMARY_SCAN,
        rows=[SummaryRow(kind="enterprise", name="山西已丑科技有限公司", file=SUMMARY_SCAN)],
    )
    assert run_batch(rec, table, shanxi) == []


def test_summary_scan_near_name_is_low_confidence(shanxi: Campaign) -> None:
    table = SummaryTable(
        recommender="太原市工信局",
        file=SUMMARY_SCAN,
        rows=[SummaryRow(kind="enterprise", name="山西示例科拔有限公司", file=SUMMARY_SCAN)],
    )
    (f,) = run_batch(record(), table, shanxi)
    assert (f.code, f.severity, f.field) == ("LOW_CONFIDENCE", "warning", "summary.name")


def test_fold_email() -> None:
    assert fold_email("Zhang_San@Example.com") == fold_email("zhangsan eexample,com")
    assert fold_email("li.si@example.com") != fold_email("zhang_san@example.com")


# -- VALUE_NOT_NUMERIC -------------------------------------------------------------------------


def _revenue(item: Extracted[Any], documents: list[ExtractedDocument] | None = None) -> list[Finding]:
    rec = record(form={"financials.2020.revenue": item}, attachments=[], documents=documents or [])
    return list(RULES["form.value_not_numeric"].check(RecordContext(rec, load_campaign("shanxi-2021"))))


@pytest.mark.parametrize("raw", ["-4:7", ".65.9.", "5309,", "见审计报告"])
def test_ocr_cell_that_fails_to_parse_is_a_warning(raw: str) -> None:
    """Regression (issue 9): OCR punctuation in a scanned cell (`-4:7`) gave an error."""
    item = Extracted[Any](value=None, raw=raw, confidence=0.9, method="ocr", error="not_numeric")
    (f,) = _revenue(item)
    assert (f.code, f.severity, f.found_value) == ("VALUE_NOT_NUMERIC", "warning", raw)
    assert "扫描识别" in f.message


def test_ocr_form_document_marks_its_cells() -> None:
    item = Extracted[Any](value=None, raw="-4:7", method="inferred", error="not_numeric")
    form = ExtractedDocument(kind="application_form", file=FORM, pages=[2], form_type="enterprise", method="ocr")
    assert [f.severity for f in _revenue(item, [form])] == ["warning"]


def test_typed_garbage_keeps_its_error() -> None:
    item = Extracted[Any](value=None, raw="见审计报告", method="docx", error="not_numeric")
    assert [(f.code, f.severity) for f in _revenue(item)] == [("VALUE_NOT_NUMERIC", "error")]


# -- ATTACHMENT_MISSING ------------------------------------------------------------------------

BOOK = "太原市工信局/示例科技/申报书（扫描件）.pdf"


def _missing(documents: list[ExtractedDocument], campaign: Campaign) -> list[str | None]:
    rec = record(attachments=[], documents=documents)
    return [f.field for f in RULES["attachment_missing"].check(RecordContext(rec, campaign))]


def test_attachments_inside_a_bound_book_count(shanxi: Campaign) -> None:
    """Presence is decided by document kind, never by file name: a licence and an evaluation
    certificate on pages of one scanned book (named 申报书) are present."""
    documents = [
        ExtractedDocument(kind="application_form", file=BOOK, pages=[2, 3], form_type="enterprise", method="ocr"),
        ExtractedDocument(kind="business_license", file=BOOK, pages=[9], method="ocr"),
        ExtractedDocument(kind="tech_evaluation_certificate", file=BOOK, pages=[10, 11], method="ocr"),
    ]
    assert _missing(documents, shanxi) == []


def test_file_name_alone_never_makes_an_attachment(shanxi: Campaign) -> None:
    documents = [ExtractedDocument(kind="other", file="太原市工信局/示例科技/附件1-营业执照.pdf", pages=[1])]
    assert _missing(documents, shanxi) == ["attachments.business_license", "attachments.tech_evaluation_certificate"]


def test_missing_attachment_beside_unrecognised_scans_is_low_confidence(shanxi: Campaign) -> None:
    """A blurred phone photo nothing recognised may be the licence: the reviewer looks at it,
    the application does not fail on it (LOW_CONFIDENCE warning naming the photo)."""
    photo = ExtractedDocument(kind="other", file="太原市工信局/示例科技/IMG_2041.jpg", pages=[1], method="ocr")
    rec = record(attachments=[], documents=[photo])
    found = list(RULES["attachment_missing"].check(RecordContext(rec, shanxi)))
    assert {(f.code, f.severity) for f in found} == {("LOW_CONFIDENCE", "warning")} and len(found) == 2
    assert all("IMG_2041.jpg" in f.message and f.evidence[0].file.endswith("IMG_2041.jpg") for f in found)


def test_missing_attachment_beside_typed_other_documents_stays_an_error(shanxi: Campaign) -> None:
    typed_doc = ExtractedDocument(kind="other", file="太原市工信局/示例科技/审计报告.docx", pages=[1], method="docx")
    rec = record(attachments=[], documents=[typed_doc])
    found = list(RULES["attachment_missing"].check(RecordContext(rec, shanxi)))
    assert {f.severity for f in found} == {"error"} and len(found) == 2


# -- hard rules on a low-confidence reading ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        ("license_expired", {"term_end": ocred(dt.date(2020, 1, 1), conf=0.6)}),
        ("uscc_invalid", {"uscc": ocred(USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), conf=0.6)}),
    ],
)
def test_low_confidence_reading_does_not_fail_the_application(
    rule: str, values: dict[str, Extracted[Any]], shanxi: Campaign
) -> None:
    rec = record(attachments=[licence(**values)])
    (f,) = run(rule, rec, shanxi)
    assert f.severity == "warning" and "置信度0.60" in f.message


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        ("license_expired", {"term_end": ocred(dt.date(2020, 1, 1), conf=0.99)}),
        ("uscc_invalid", {"uscc": ocred(USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), conf=0.99)}),
    ],
)
def test_confident_reading_keeps_the_error(rule: str, values: dict[str, Extracted[Any]], shanxi: Campaign) -> None:
    rec = record(attachments=[licence(**values)])
    assert [f.severity for f in run(rule, rec, shanxi)] == ["error"]


def test_cert_expired_low_confidence_issue_date(shanxi: Campaign) -> None:
    cert = Attachment(
        kind="high_tech_certificate",
        file="太原市工信局/示例科技/高新证书.jpg",
        pages=[1],
        fields={"name": ocred(NAME), "issued": ocred(dt.date(2015, 1, 1), conf=0.5)},
    )
    (f,) = run("cert_expired", record(attachments=[licence(), cert]), shanxi)
    assert f.severity == "warning" and "置信度0.50" in f.message
