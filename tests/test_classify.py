"""Page classification and the split of bound books and Word files into documents."""

from __future__ import annotations

import pytest
from test_forms_book_parts import BODY, COMMITMENT, COVER_LINES
from test_forms_enterprise import TITLE as ENTERPRISE_TITLE
from test_forms_kit import ENTERPRISE_ROWS, line, paragraph, pdf_document, pdf_page, table, word_document
from test_forms_platform import CONTINUATION, CUSTOMERS, platform_rows
from test_forms_platform import TITLE as PLATFORM_TITLE

import extractors.classify as classify
from extractors.forms import FORM_EXTRACTORS
from models.document import BBox, Document, Page, Seal
from models.records import ExtractedDocument


class FakeLicence:
    """Stands in for the attachments helper's licence extractor."""

    kind = "business_license"

    def score(self, page: Page, document: Document) -> float:
        return 0.9 if "营业执照" in page.text() and "统一社会信用代码" in page.text() else 0.0

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        return ExtractedDocument(kind="business_license", file=document.file, pages=pages)


@pytest.fixture(autouse=True)
def own_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = {**FORM_EXTRACTORS, "business_license": FakeLicence()}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)


def _lines(texts: list[str], page: int) -> list:
    return [line(t, 80, 100 + 30 * i, file="book.pdf", page=page) for i, t in enumerate(texts)]


def _book() -> Document:
    cover = [t.format(a="□", b="□", c="☑", d="□") for t in COVER_LINES]
    seal = Seal(page=4, bbox=BBox(x0=70, y0=140, x1=180, y1=250))
    pages = [
        pdf_page(1, _lines(cover, 1)),
        pdf_page(2, _lines([PLATFORM_TITLE], 2), [table(platform_rows(), file="book.pdf", page=2, method="pdf-text")]),
        pdf_page(
            3,
            [],
            [
                table(CONTINUATION, file="book.pdf", page=3, method="pdf-text"),
                table(CUSTOMERS, file="book.pdf", page=3, index=2, method="pdf-text"),
            ],
        ),
        pdf_page(4, _lines(COMMITMENT, 4), seals=[seal]),
        pdf_page(5, _lines(["服务型制造示范平台（培育）申报书正文", "一、平台概述", "平台成立于2015年。"], 5)),
        pdf_page(6, _lines(["平台服务企业三百余家。", "二、主要做法", "三、经验总结", "四、下一步设想"], 6)),
        pdf_page(7),  # the blank back of a sheet
        pdf_page(8, _lines(["营业执照", "统一社会信用代码 91140100MA0XXXXXX", "名称 山西晋云科技有限公司"], 8)),
        pdf_page(9, _lines(["营业执照 (副本)", "统一社会信用代码 91140100MA0XXXXXX"], 9)),
    ]
    return pdf_document(pages)


def test_bound_book_is_split_into_parts() -> None:
    docs = classify.extract_documents(_book())
    got = [(d.kind, d.pages) for d in docs]
    assert got == [
        ("cover", [1]),
        ("application_form", [2, 3, 4]),
        ("commitment", [4]),
        ("application_body", [5, 6, 7]),
        ("business_license", [8]),
        ("business_license", [9]),
    ]
    form = docs[1]
    assert form.form_type == "platform" and form.fields["customers.1.name"].value == "晋城精工有限公司"
    assert form.fields["financials.2020.served_companies"].value == 210
    assert docs[0].fields["declared_kind"].value == "platform"
    slots = {s.role: s for s in docs[2].seal_slots}
    assert slots["applicant"].seal is not None and slots["recommender"].seal is None
    body = docs[3]
    assert body.form_type == "platform" and [s.title for s in body.sections][-1] == "下一步设想"
    assert all(0 < d.confidence <= 1 for d in docs)


def test_word_file_with_every_part() -> None:
    cover = [paragraph(t.format(a="☑", b="□", c="□", d="□"), i + 1) for i, t in enumerate(COVER_LINES)]
    n = len(cover)
    form_title = [paragraph("表 1", n + 1), paragraph(ENTERPRISE_TITLE, n + 2)]
    commitment = [paragraph(t, n + 3 + i) for i, t in enumerate(COMMITMENT)]
    start = n + 3 + len(COMMITMENT)
    body = [paragraph(t, start + i) for i, (t, *_rest) in enumerate(BODY)]
    doc = word_document(cover + form_title + commitment + body, [table(ENTERPRISE_ROWS)])
    docs = classify.extract_documents(doc)
    assert [d.kind for d in docs] == ["cover", "application_form", "commitment", "application_body"]
    assert all(d.pages == [1] for d in docs)
    assert docs[1].form_type == "enterprise" and docs[1].fields["name"].value == "山西示范机械有限公司"
    assert docs[0].fields["applicant"].value == "山西示范机械有限公司"
    assert docs[3].sections[0].title == "企业概况"
    assert {s.role for s in docs[2].seal_slots} == {"applicant", "recommender"}


def test_nothing_recognisable_is_other() -> None:
    doc = pdf_document([pdf_page(1, _lines(["会议纪要", "今天开会。"], 1)), pdf_page(2)])
    docs = classify.extract_documents(doc)
    assert [(d.kind, d.pages, d.low_text) for d in docs] == [("other", [1, 2], False)]
    scan = Document(file="scan.jpg", source_kind="image", pages=[Page(number=1, needs_ocr=True)])
    assert [(d.kind, d.low_text) for d in classify.extract_documents(scan)] == [("other", True)]


def test_filename_is_only_a_hint() -> None:
    doc = pdf_document([pdf_page(1, _lines(["会议纪要", "今天开会。"], 1))], file="企业申报表.pdf")
    assert classify.extract_documents(doc)[0].kind == "other"


def test_summary_table_file() -> None:
    from test_forms_book_parts import SUMMARY

    doc = word_document([paragraph("服务型制造示范培育遴选申报汇总表", 1)], [table(SUMMARY)])
    docs = classify.extract_documents(doc)
    assert [d.kind for d in docs] == ["summary_table"]
    assert len(docs[0].rows) == 3


def test_a_crashing_extractor_does_not_stop_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(FakeLicence):
        def score(self, page: Page, document: Document) -> float:
            raise RuntimeError("boom")

    registry = {**FORM_EXTRACTORS, "broken": Broken()}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)
    docs = classify.extract_documents(_book())
    assert docs[0].kind == "cover"


@pytest.fixture
def all_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real registry: book parts and every attachment kind."""
    from extractors.attachments import ATTACHMENT_EXTRACTORS

    registry = {**FORM_EXTRACTORS, **ATTACHMENT_EXTRACTORS}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)


RUNNING = "组建专业服务团队，完善服务流程和收费标准，客户满意度保持在较高水平。近三年"
EVALUATION_LETTER = [
    "客户评价意见",
    "山西智造云服务科技有限公司自2019年起为我公司提供设备远程运维服务。",
    "我公司对其服务质量、技术能力和服务态度表示满意，评价结果为：优秀。",
    "评价单位（盖章）：晋中纺织机械股份有限公司",
    "日期：2021年09月15日",
]


def _body_pages(continuation: list[str]) -> list[Page]:
    first = ["服务型制造示范培育企业申报书正文", "一、企业概况", "（一）发展历程与主营业务", RUNNING, "三、经验总结"]
    return [pdf_page(1, _lines(first, 1)), pdf_page(2, _lines(continuation, 2))]


def test_body_continuation_that_mentions_customers_stays_in_the_body(all_extractors: None) -> None:
    """Regression (大同煤机智造 p5): a body page whose running text speaks of 客户满意度 was
    read as a customer evaluation, and the book lost 下一步设想 (SECTION_MISSING)."""
    continuation = [
        "（一）以客户需求牵引服务转型",
        "推广共享制造模式，开放富余产能和检测设备，为集群内中小企业提供共性服务。",
        RUNNING,
        "来，围绕产业链上下游需求，建设了覆盖设计、制造、交付、运维全过程的服务体系。",
        "四、下一步设想",
        "（一）发展目标",
        "坚持以客户为中心，推动由单纯提供产品向提供整体解决方案转变。",
    ]
    docs = classify.extract_documents(pdf_document(_body_pages(continuation)))
    assert [(d.kind, d.pages) for d in docs] == [("application_body", [1, 2])]
    assert [s.title for s in docs[0].sections][-2:] == ["下一步设想", "发展目标"]


def test_titled_attachment_after_the_body_is_its_own_document(all_extractors: None) -> None:
    """A bound book's customer evaluation after the body still starts its own document."""
    pages = _body_pages(["四、下一步设想", RUNNING])
    pages.append(pdf_page(3, _lines(EVALUATION_LETTER, 3)))
    docs = classify.extract_documents(pdf_document(pages))
    assert [(d.kind, d.pages) for d in docs] == [("application_body", [1, 2]), ("customer_evaluation", [3])]


def test_service_evidence_signed_by_the_applicant_is_not_a_commitment(all_extractors: None) -> None:
    """Regression (附件3-服务证明材料.pdf, 0/7 in the benchmark): the page's 申报单位（盖章）
    line made it a commitment and the attachment was reported missing."""
    text = [
        "开展相关服务的证明材料",
        "一、服务开展情况：大同数联科技有限公司依托大同智联工业互联网平台，",
        "2020年累计为354家制造业企业提供服务。",
        "二、活动通知：关于举办2020年度中小企业数字化转型公益培训的通知（附件略）。",
        "三、服务总结：平台线上注册企业持续增长，线下服务满意度保持在95%以上。",
        "申报单位（盖章）",
        "2021年4月20日",
    ]
    seal = Seal(page=1, bbox=BBox(x0=300, y0=250, x1=400, y1=350))
    doc = pdf_document([pdf_page(1, _lines(text, 1), seals=[seal])], file="附件3-服务证明材料.pdf")
    docs = classify.extract_documents(doc)
    assert [(d.kind, d.pages) for d in docs] == [("service_evidence", [1])]
    assert docs[0].fields["parties"].value == ["大同数联科技有限公司"]


class FakeEvaluation(FakeLicence):
    """An attachment kind that likes any page speaking of customers, as keyword scoring can."""

    kind = "customer_evaluation"

    def __init__(self, score: float) -> None:
        self.value = score

    def score(self, page: Page, document: Document) -> float:
        text = page.text()
        return self.value if "客户" in text and "申报书正文" not in text else 0.0

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        return ExtractedDocument(kind="customer_evaluation", file=document.file, pages=pages)


@pytest.mark.parametrize("score,split", [(0.75, False), (0.95, True)])
def test_only_a_strong_first_page_breaks_the_body(monkeypatch: pytest.MonkeyPatch, score: float, split: bool) -> None:
    registry = {**FORM_EXTRACTORS, "customer_evaluation": FakeEvaluation(score)}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)
    docs = classify.extract_documents(pdf_document(_body_pages(["四、下一步设想", RUNNING])))
    kinds = [(d.kind, d.pages) for d in docs]
    if split:
        assert kinds == [("application_body", [1]), ("customer_evaluation", [2])]
    else:
        assert kinds == [("application_body", [1, 2])]
