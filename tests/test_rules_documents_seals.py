"""骑缝章 page by page, the recommender's seal on its 汇总表, and projects without any
shared-manufacturing content: cases that fire and near misses that must not."""

from __future__ import annotations

from typing import Any

import pytest
from test_rules_cross import FORM, NAME, ex, licence, record

from models.campaign import Campaign, load_campaign
from models.document import BBox, Seal
from models.findings import Finding
from models.records import ExtractedDocument, SealSlot, SummaryTable
from validators.base import BatchContext, RecordContext
from validators.registry import rules
from validators.seals import page_list

RULES = rules()
"""Every registered rule (validators.registry imports the rule modules)."""

SUMMARY = "南宁市工业和信息化局/南宁市工业和信息化局-服务型制造示范申报汇总表.pdf"


@pytest.fixture(scope="module")
def guangxi() -> Campaign:
    return load_campaign("guangxi-2021")


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


def run(rule: str, rec: Any, campaign: Campaign) -> list[Finding]:
    return list(RULES[rule].check(RecordContext(rec, campaign)))


# -- 骑缝章 on every page ---------------------------------------------------------------


def book(sliced: list[int], pages: int = 8, method: str = "ocr") -> list[ExtractedDocument]:
    """A scanned book: cover, form, body and a licence page, with slices on ``sliced`` pages."""
    parts = [("cover", [1]), ("application_form", [2, 3]), ("application_body", list(range(4, pages))),
             ("business_license", [pages])]  # fmt: skip
    out = []
    for kind, span in parts:
        seals = [Seal(page=p, edge="right", bbox=BBox(x0=1180, y0=800, x1=1240, y1=1050)) for p in span if p in sliced]
        out.append(ExtractedDocument(kind=kind, file=FORM, pages=span, method=method, seals=seals))  # type: ignore[arg-type]
    return out


def seam(rec: Any, campaign: Campaign) -> list[Finding]:
    return [f for f in run("seal_missing", rec, campaign) if f.field == "seal.seam"]


def test_pages_without_a_slice_are_listed(guangxi: Campaign) -> None:
    found = seam(record(documents=book([1, 2, 3, 4, 7, 8])), guangxi)
    assert len(found) == 1 and found[0].severity == "warning"
    assert "第5–6页" in found[0].message
    assert [ev.page for ev in found[0].evidence] == [5, 6]


def test_every_page_sliced_is_quiet(guangxi: Campaign) -> None:
    assert seam(record(documents=book(list(range(1, 9)))), guangxi) == []


def test_no_slice_anywhere_keeps_its_message(guangxi: Campaign) -> None:
    found = seam(record(documents=book([])), guangxi)
    assert len(found) == 1 and "各页边缘均未见骑缝章" in found[0].message


def test_a_whole_seal_on_a_page_is_no_slice(guangxi: Campaign) -> None:
    docs = book(list(range(1, 8)))
    docs[-1] = docs[-1].model_copy(update={"seals": [Seal(page=8, bbox=BBox(x0=500, y0=500, x1=700, y1=700))]})
    found = seam(record(documents=docs), guangxi)
    assert found and "第8页" in found[0].message


def test_digital_book_and_shanxi_say_nothing(guangxi: Campaign, shanxi: Campaign) -> None:
    assert seam(record(documents=book([1], method="pdf-text")), guangxi) == []
    assert seam(record(documents=book([1])), shanxi) == []


@pytest.mark.parametrize(("pages", "text"), [([3], "第3页"), ([1, 2, 3, 7], "第1–3、7页"), ([2, 4], "第2、4页")])
def test_page_list(pages: list[int], text: str) -> None:
    assert page_list(pages) == text


# -- the recommender's seal on its 汇总表 ------------------------------------------------

LINE = BBox(x0=70, y0=120, x1=300, y1=140)


def summary(slot_seal: Seal | None, *others: Seal, checkable: bool = True) -> SummaryTable:
    slot = SealSlot(role="recommender", page=1, bbox=LINE, label="推荐单位(章)", seal=slot_seal, checkable=checkable)
    seals = [s for s in (slot_seal, *others) if s is not None]
    return SummaryTable(recommender="南宁市工业和信息化局", file=SUMMARY, seal_slots=[slot], seals=seals)


def summary_findings(table: SummaryTable, campaign: Campaign) -> list[Finding]:
    return list(RULES["summary_seal_missing"].check(BatchContext([], campaign, [table])))


def test_unsealed_summary_is_an_error(guangxi: Campaign) -> None:
    found = summary_findings(summary(None), guangxi)
    assert [(f.code, f.severity) for f in found] == [("SUMMARY_SEAL_MISSING", "error")]
    assert found[0].submission_id is None and found[0].evidence[0].file == SUMMARY
    assert (found[0].basis and "加盖单位公章" in found[0].basis) or found[0].basis is None


def test_sealed_summary_is_quiet(guangxi: Campaign) -> None:
    assert summary_findings(summary(Seal(page=1, bbox=LINE, score=0.95)), guangxi) == []


def test_spreadsheet_summary_cannot_show_a_seal(guangxi: Campaign) -> None:
    assert summary_findings(summary(None, checkable=False), guangxi) == []


def test_summary_seal_away_from_the_line_or_faint_is_a_warning(guangxi: Campaign) -> None:
    away = Seal(page=1, bbox=BBox(x0=400, y0=900, x1=600, y1=1100), score=0.9)
    assert [f.severity for f in summary_findings(summary(None, away), guangxi)] == ["warning"]
    faint = Seal(page=1, bbox=LINE, score=0.3)
    assert [f.severity for f in summary_findings(summary(faint), guangxi)] == ["warning"]


def test_summary_without_its_seal_line_says_nothing(guangxi: Campaign) -> None:
    table = SummaryTable(recommender="南宁市工业和信息化局", file=SUMMARY)
    assert summary_findings(table, guangxi) == []


# -- 共享制造 projects ------------------------------------------------------------------


def project(name: str, body: str | None, **form: Any) -> Any:
    docs = []
    if body is not None:
        text = ex(body, file=FORM)
        docs.append(ExtractedDocument(kind="application_body", file=FORM, pages=[2], fields={"text": text}))
    return record("project", form={"name": name, **form}, attachments=[licence()], documents=docs)


def test_project_without_shared_content(shanxi: Campaign, guangxi: Campaign) -> None:
    rec = project("智能产线改造项目", "项目为企业自有产线的数字化改造，提升本厂生产效率。")
    for campaign in (shanxi, guangxi):
        found = run("not_shared_manufacturing", rec, campaign)
        assert [(f.code, f.severity) for f in found] == [("NOT_SHARED_MANUFACTURING", "warning")]
        assert "智能产线改造项目" in found[0].message


@pytest.mark.parametrize(
    ("name", "body", "content"),
    [
        ("龙城数控共享加工中心项目", "项目为企业自有产线的数字化改造。", None),  # the name says it
        ("智能产线改造项目", "建设面向产业集群的共性技术中心，开放检测设备。", None),  # the body does
        ("智能产线改造项目", None, "建设共 享工厂，为集群企业提供产能"),  # the form's content, spaced
    ],
)
def test_shared_content_anywhere_is_quiet(name: str, body: str | None, content: str | None, shanxi: Campaign) -> None:
    extra = {"content": content} if content else {}
    assert run("not_shared_manufacturing", project(name, body, **extra), shanxi) == []


def test_only_projects_are_checked(shanxi: Campaign) -> None:
    rec = record("enterprise", form={"name": NAME}, attachments=[licence()])
    assert run("not_shared_manufacturing", rec, shanxi) == []


# -- every document keeps its pages' 骑缝章 slices (extractors.classify) -------------------


def test_every_document_of_a_scanned_book_keeps_its_pages_slices() -> None:
    from extractors.classify import extract_documents
    from models.document import Block, Document, Page, Provenance

    def page(number: int, lines: list[str]) -> Page:
        blocks = [
            Block(
                text=text,
                orig=text,
                prov=Provenance(
                    file="book.pdf", page=number, bbox=BBox(x0=150, y0=200 + 60 * i, x1=1100, y1=240 + 60 * i),
                    method="ocr", confidence=0.98,
                ),
            )
            for i, text in enumerate(lines)
        ]  # fmt: skip
        slice_ = Seal(page=number, edge="right", bbox=BBox(x0=1190, y0=800, x1=1240, y1=1050), score=0.9)
        return Page(number=number, width=1240, height=1754, unit="px", blocks=blocks, seals=[slice_],
                    has_text_layer=False)  # fmt: skip

    doc = Document(
        file="book.pdf",
        source_kind="pdf",
        pages=[
            page(1, ["服务型制造示范申报书", "申报单位：山西示例科技有限公司", "推荐单位：太原市工业和信息化局"]),
            page(2, ["随便写的几行字", "没有任何结构"]),
        ],
    )
    documents = extract_documents(doc)
    sliced = {s.page for d in documents for s in d.seals if s.edge}
    assert sliced == {1, 2}
    assert all({s.page for s in d.seals if s.edge} <= set(d.pages) for d in documents)
