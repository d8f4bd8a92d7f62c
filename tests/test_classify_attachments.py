"""Attachments found by content, not by file name (issue 9): a bound book's contract,
certificate and evaluation pages become their own documents; words in running text
(签订了合同, 详见附件营业执照, a policy cited by its 文号) start none."""

from __future__ import annotations

import pytest
from test_forms_book_parts import COVER_LINES
from test_forms_kit import line, pdf_document, pdf_page

import extractors.classify as classify
from extractors.attachments import ATTACHMENT_EXTRACTORS
from extractors.attachments.others import UNTITLED_CAP
from extractors.forms import FORM_EXTRACTORS
from models.document import Document, Page
from models.records import ExtractedDocument


@pytest.fixture(autouse=True)
def all_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real registry: book parts and every attachment kind."""
    registry = {**FORM_EXTRACTORS, **ATTACHMENT_EXTRACTORS}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)


def _page(number: int, texts: list[str], file: str = "book.pdf") -> Page:
    return pdf_page(number, [line(t, 80, 100 + 30 * i, file=file, page=number) for i, t in enumerate(texts)])


COVER = [t.format(a="☑", b="□", c="□", d="□") for t in COVER_LINES]
BODY_1 = [
    "服务型制造示范培育企业申报书正文",
    "一、企业概况",
    "山西示范机械有限公司成立于2005年，营业执照等证明材料详见附件营业执照。",
    "（一）发展历程",
    "公司2019年起开展设备远程运维服务，取得科技成果鉴定证书两项。",
]
BODY_2 = [
    "二、主要做法",
    "2020年公司与太原重工签订了合同，甲方为太原重工装备制造有限公司，合同金额860万元，",
    "乙方负责建设内容的实施，双方约定了付款和违约条款，项目已通过验收。",
    "三、经验总结",
    "客户评价良好，用户评价满意度保持在95%以上，服务质量和服务态度受到肯定。",
]
BODY_3 = [
    "四、下一步设想",
    "我们查阅了《山西省人民政府关于推进服务型制造的实施意见》（晋政发〔2020〕12号），",
    "将落实有关政策措施，扩大服务规模。",
]
CERTIFICATE = [
    "科技成果鉴定证书",
    "成果名称：设备远程运维平台",
    "完成单位：山西示范机械有限公司",
    "组织鉴定单位：山西省科学技术厅",
    "鉴定结论：该成果整体技术达到国内领先水平。",
    "鉴定日期：2020年11月6日",
]
CONTRACT = [
    "智能工厂改造项目建设合同书",
    "合同编号：JS-2020-0318",
    "甲方（委托方）：太原重工装备制造有限公司",
    "乙方（承建方）：山西示范机械有限公司",
    "第三条 合同期限：自2020年03月01日起至2021年02月28日止。",
    "签订日期：2020年02月20日",
]
SERVICE_EVALUATION = [
    "服务评价意见",
    "山西示范机械有限公司自2019年起为我公司提供设备远程运维服务，",
    "我公司对其服务质量和服务态度表示满意，评价结果为：优秀。",
    "评价单位（盖章）：晋中纺织机械股份有限公司",
    "日期：2021年09月15日",
]


def _book(file: str = "扫描件001.pdf") -> Document:
    pages = [COVER, BODY_1, BODY_2, CERTIFICATE, CONTRACT, SERVICE_EVALUATION]
    return pdf_document([_page(i + 1, texts, file) for i, texts in enumerate(pages)], file=file)


def test_bound_book_attachments_are_their_own_documents() -> None:
    """Regression (issue 9, ATTACHMENT_MISSING): the contract and evaluation pages of a
    bound book under a meaningless name come out as documents with their page numbers,
    and the body pages that mention 合同, 营业执照, 鉴定证书 and 客户评价 stay body."""
    docs = classify.extract_documents(_book())
    assert [(d.kind, d.pages) for d in docs] == [
        ("cover", [1]),
        ("application_body", [2, 3]),
        ("tech_evaluation_certificate", [4]),
        ("project_contract", [5]),
        ("customer_evaluation", [6]),
    ]
    contract = docs[3]
    assert contract.fields["parties"].value == ["太原重工装备制造有限公司", "山西示范机械有限公司"]
    assert contract.fields["parties"].evidence[0].page == 5
    assert docs[4].fields["parties"].value[0] == "晋中纺织机械股份有限公司"


def test_body_page_citing_a_policy_and_its_number_stays_body() -> None:
    book = pdf_document([_page(1, BODY_1), _page(2, BODY_2), _page(3, BODY_3)])
    assert [(d.kind, d.pages) for d in classify.extract_documents(book)] == [("application_body", [1, 2, 3])]


@pytest.mark.parametrize("texts", [BODY_2, BODY_3], ids=["contract-words", "policy-cited"])
def test_words_alone_start_no_attachment(texts: list[str]) -> None:
    """Running text without its body headings (a loose page) scores below a new document
    for every attachment kind: a single word in body text never decides a kind."""
    prose = [t for t in texts if not t[:2].endswith("、")]
    doc = pdf_document([_page(1, prose, "IMG_2034.jpg")], file="IMG_2034.jpg")
    scores = {name: ex.score(doc.pages[0], doc) for name, ex in ATTACHMENT_EXTRACTORS.items()}
    assert max(scores.values()) <= UNTITLED_CAP < classify.NEW_DOCUMENT
    assert [d.kind for d in classify.extract_documents(doc)] == ["other"]


def test_contract_without_a_readable_title_is_told_by_its_labelled_parties() -> None:
    """A contract scan whose title OCR lost (附件3.pdf): 甲方：… / 乙方：… in label
    position are its structure."""
    doc = pdf_document([_page(1, CONTRACT[1:], "附件3.pdf")], file="附件3.pdf")
    docs = classify.extract_documents(doc)
    assert [(d.kind, d.pages) for d in docs] == [("project_contract", [1])]


@pytest.mark.parametrize(
    "title", ["服务评价意见", "用户评价表", "客户反馈意见", "合作评价函", "产品应用证明"]
)  # fmt: skip
def test_customer_evaluation_titles(title: str) -> None:
    doc = pdf_document([_page(1, [title, *SERVICE_EVALUATION[1:]], "IMG_2034.jpg")], file="IMG_2034.jpg")
    assert [d.kind for d in classify.extract_documents(doc)] == ["customer_evaluation"]


def test_evaluation_certificate_is_not_a_customer_evaluation() -> None:
    doc = pdf_document([_page(1, ["科技成果评价证书", *CERTIFICATE[1:]])])
    assert [d.kind for d in classify.extract_documents(doc)] == ["tech_evaluation_certificate"]


class HalfReadLicence:
    """A licence photocopy whose title was read but half its labels were not: it claims the
    page clearly (0.65), short of ``STRONG_FIRST_PAGE``."""

    kind = "business_license"

    def score(self, page: Page, document: Document) -> float:
        return 0.65 if "营业执照" in page.text() and "统一社会信用代码" in page.text() else 0.0

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        return ExtractedDocument(kind="business_license", file=document.file, pages=pages)


LICENCE = ["营业执照", "统一社会信用代码 91140100MA0K5C4U17", "名 称 山西示范机械有限公司"]


def test_licence_after_the_body_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (issue 9): a licence scan after the body that its extractor reads with
    0.65 stayed in the body, and the book got ATTACHMENT_MISSING."""
    registry = {**FORM_EXTRACTORS, "business_license": HalfReadLicence()}
    monkeypatch.setattr(classify, "_extractors", lambda: registry)
    book = pdf_document([_page(1, BODY_1), _page(2, BODY_2), _page(3, LICENCE)])
    assert [(d.kind, d.pages) for d in classify.extract_documents(book)] == [
        ("application_body", [1, 2]),
        ("business_license", [3]),
    ]
    # The same claim on a page with the body's own headings leaves it in the body.
    book = pdf_document([_page(1, BODY_1), _page(2, [*BODY_2, *LICENCE])])
    assert [(d.kind, d.pages) for d in classify.extract_documents(book)] == [("application_body", [1, 2])]


@pytest.mark.parametrize(
    "chars,kind",
    [("客户评价", "customer_evaluation"), ("鉴定证书", "tech_evaluation_certificate")],
)  # fmt: skip
def test_letter_spaced_title_cut_into_boxes_is_read_whole(chars: str, kind: str) -> None:
    """OCR cuts a letter-spaced title (客　户　评　价) into one box per character: the row
    is still the page's title."""
    title = [line(ch, 200 + 40 * i, 60, file="IMG_2034.jpg") for i, ch in enumerate(chars)]
    letter = SERVICE_EVALUATION[1:] if kind == "customer_evaluation" else CERTIFICATE[1:]
    body = [line(t, 80, 100 + 30 * i, file="IMG_2034.jpg") for i, t in enumerate(letter)]
    doc = pdf_document([pdf_page(1, title + body)], file="IMG_2034.jpg")
    assert [d.kind for d in classify.extract_documents(doc)] == [kind]


def test_attachments_typed_into_a_word_book_after_their_markers() -> None:
    """A Word book (one pseudo-page) with a customer's letter and a contract typed in after
    附件N markers: each is its own document; the list of attachments at the end of the body
    is none."""
    from test_forms_book_parts import COMMITMENT
    from test_forms_enterprise import TITLE as ENTERPRISE_TITLE
    from test_forms_kit import ENTERPRISE_ROWS, paragraph, table, word_document

    texts = [
        *COVER,
        "表 1",
        ENTERPRISE_TITLE,
        *COMMITMENT,
        *BODY_1,
        *BODY_2,
        "附件：",
        "1.营业执照",
        "2.项目建设合同",
        "附件2",
        *CONTRACT,
        "附件4：服务评价意见",
        *SERVICE_EVALUATION[1:],
    ]
    doc = word_document([paragraph(t, i + 1) for i, t in enumerate(texts)], [table(ENTERPRISE_ROWS)])
    docs = classify.extract_documents(doc)
    assert [d.kind for d in docs] == [
        "cover",
        "application_form",
        "commitment",
        "application_body",
        "project_contract",
        "customer_evaluation",
    ]
    contract, evaluation = docs[-2:]
    assert contract.fields["parties"].value == ["太原重工装备制造有限公司", "山西示范机械有限公司"]
    assert evaluation.title == "服务评价意见" and evaluation.pages == [1]


LETTER_CITING_A_POLICY = [
    "七、关于担保事项的说明",  # the letter's own outline, not a policy title
    "我们查阅了省人民政府发布的有关供给侧结构性改革的政策文件",
    "（某政发〔2016〕11号），了解到有关部门鼓励处置不良贷款，",
    "并将实施配套的扶持政策和奖励措施。",
    "专此说明，请予察核。",
    "某某会计师事务所（特殊普通合伙）",
    "二〇一六年五月二十五日",
]
POLICY_WRAPPED = [
    "某某市人民政府办公室关于推动服务型制造发展的实施",
    "意见",
    "各县（市、区）人民政府，市直各有关单位：",
    "为加快制造业服务化转型，经市人民政府同意，现提出以下实施意见。",
    "某某市人民政府办公室",
    "2020年6月1日",
]


def test_letter_citing_a_policy_and_its_number_is_not_a_policy_document() -> None:
    """Regression (issue 9, point 4: the last page of the real scanned letter pr-136): a
    文号 cited in running text, 人民政府 and 政策 in sentences, a firm's signature."""
    doc = pdf_document([_page(1, LETTER_CITING_A_POLICY, "letter.pdf")], file="letter.pdf")
    assert ATTACHMENT_EXTRACTORS["policy_document"].score(doc.pages[0], doc) <= UNTITLED_CAP
    assert [d.kind for d in classify.extract_documents(doc)] == ["other"]


def test_policy_document_with_a_wrapped_title_and_no_red_head() -> None:
    """A policy printed from a government website: no 红头, no 文号 line, its title wrapped
    over two lines; the title, 主送 line and signer are its official marks."""
    doc = pdf_document([_page(1, POLICY_WRAPPED, "附件1.pdf")], file="附件1.pdf")
    docs = classify.extract_documents(doc)
    assert [d.kind for d in docs] == ["policy_document"]
    assert docs[0].title == "某某市人民政府办公室关于推动服务型制造发展的实施意见"


def test_running_header_of_the_book_does_not_hide_its_attachments() -> None:
    """A book printed from one file repeats "…申报书" at the top of every page and its page
    number at the foot, attachments included: that header does not make the contract and
    the evaluation pages part of the application (they were swallowed by the body)."""

    def headed(number: int, texts: list[str]) -> Page:
        page = _page(number, texts)
        header = line("山西示范机械有限公司服务型制造示范申报书", 150, 20, page=number)
        footer = line(f"第{number}页", 280, 810, page=number)
        return page.model_copy(update={"blocks": [header, *page.blocks, footer]})

    contract = [*CONTRACT[:4], "一、建设内容", *CONTRACT[4:]]  # its clauses look like an outline
    book = pdf_document([headed(1, BODY_1), headed(2, BODY_2), headed(3, contract), headed(4, SERVICE_EVALUATION)])
    assert [(d.kind, d.pages) for d in classify.extract_documents(book)] == [
        ("application_body", [1, 2]),
        ("project_contract", [3]),
        ("customer_evaluation", [4]),
    ]


@pytest.mark.parametrize(
    "title", ["科学技术成果鉴定证书", "产品技术水平评价报告", "新产品技术鉴定报告", "技术水平评价证书"]
)  # fmt: skip
def test_evaluation_certificate_titles(title: str) -> None:
    texts = [title, "该成果整体技术达到国内领先水平。", "2020年11月6日"]
    doc = pdf_document([_page(1, texts, "附件3.pdf")], file="附件3.pdf")
    assert [d.kind for d in classify.extract_documents(doc)] == ["tech_evaluation_certificate"]


@pytest.mark.parametrize(
    "file,texts",
    [("附件2-项目建设合同.pdf", BODY_2[1:3]), ("附件1-政策文件.pdf", LETTER_CITING_A_POLICY)],
    ids=["contract", "policy"],
)  # fmt: skip
def test_a_file_name_never_makes_a_document(file: str, texts: list[str]) -> None:
    """The name nudges a kind the content already makes a document; it does not lift a page
    whose words merely mention the kind over the threshold."""
    doc = pdf_document([_page(1, texts, file)], file=file)
    assert [d.kind for d in classify.extract_documents(doc)] == ["other"]
