"""Seal slots of a 承诺/推荐意见 block that breaks across pages (found by the robustness
harness: LibreOffice prints a tall 市级推荐单位意见 cell with its heading at the foot of one
page and its 单位（章） line and seal at the top of the next)."""

from __future__ import annotations

from test_forms_kit import line, pdf_document, pdf_page

from extractors.forms import FORM_EXTRACTORS
from models.document import BBox, Seal


def _broken_block(seal_on_second: bool):
    first = [
        line("填报单位意见及真实性承诺：", 80, 100),
        line("本申报表所有材料，均真实、完整。", 80, 150),
        line("申报单位（章）", 380, 200, page=1),
        line("市级推荐单位意见：", 80, 760),
        line("经审核，该单位申报材料真实。", 80, 790),
    ]
    second = [line("单 位（章）", 380, 60, page=2), line("负责人（签章）", 380, 90, page=2)]
    applicant = Seal(page=1, bbox=BBox(x0=360, y0=160, x1=470, y1=270))
    recommender = Seal(page=2, bbox=BBox(x0=370, y0=20, x1=480, y1=130))
    return pdf_document(
        [pdf_page(1, first, seals=[applicant]), pdf_page(2, second, seals=[recommender] if seal_on_second else [])]
    )


def test_block_across_pages_keeps_its_role_and_seal() -> None:
    doc = _broken_block(seal_on_second=True)
    extractor = FORM_EXTRACTORS["commitment"]
    assert extractor.score(doc.pages[1], doc) > 0.4, "the continuation page is a commitment page"
    slots = extractor.extract(doc, [1, 2]).seal_slots
    by_role = {s.role: s for s in slots}
    assert len(slots) == len(by_role), "one slot per role"
    assert by_role["recommender"].seal is not None and by_role["recommender"].page == 2
    assert by_role["applicant"].seal is not None


def test_block_across_pages_without_seal_is_still_missing() -> None:
    doc = _broken_block(seal_on_second=False)
    slots = {s.role: s for s in FORM_EXTRACTORS["commitment"].extract(doc, [1, 2]).seal_slots}
    assert slots["recommender"].seal is None and slots["recommender"].checkable


def test_unit_line_without_any_heading_has_no_role() -> None:
    doc = pdf_document(
        [pdf_page(1, [line("正文内容。", 80, 100)]), pdf_page(2, [line("单 位（章）", 380, 60, page=2)])]
    )
    assert FORM_EXTRACTORS["commitment"].score(doc.pages[1], doc) == 0.0
