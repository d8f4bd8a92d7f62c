"""Cover, commitment seal slots, body outline and styles, and the 汇总表."""

from __future__ import annotations

import pytest
from test_forms_kit import line, paragraph, pdf_document, pdf_page, table, word_document

from extractors.forms import FORM_EXTRACTORS
from extractors.forms.body import OUTLINE_CAP
from extractors.summary import summary_from
from models.document import BBox, Seal, TextStyle

COVER_LINES = [
    "山西省服务型制造示范培育遴选 申 报 书",
    "申报单位 山西示范机械有限公司",
    "申报类型 {a}示范企业 {b}示范项目",
    "{c}示范平台 {d}示范城市",
    "推荐单位 ____太原市工业和信息化局____",
    "山西省工业和信息化厅制表",
]


def _cover(a: str = "☑", b: str = "□", c: str = "□", d: str = "□"):
    texts = [t.format(a=a, b=b, c=c, d=d) for t in COVER_LINES]
    blocks = [line(t, 100, 100 + 40 * i) for i, t in enumerate(texts)]
    return pdf_document([pdf_page(1, blocks)])


def test_cover_fields() -> None:
    doc = _cover()
    extractor = FORM_EXTRACTORS["cover"]
    assert extractor.score(doc.pages[0], doc) >= 0.8
    out = extractor.extract(doc, [1])
    assert out.fields["applicant"].value == "山西示范机械有限公司"
    assert out.fields["recommender"].value == "太原市工业和信息化局"
    assert out.fields["declared_kind"].value == "enterprise"
    assert out.fields["applicant"].evidence[0].bbox is not None


@pytest.mark.parametrize(
    ("marks", "expected"),
    [(("□", "□", "☑", "□"), "platform"), (("□", "□", "□", "■"), "city"), (("□", "□", "□", "□"), None)],
)
def test_cover_declared_kind(marks: tuple[str, str, str, str], expected: str | None) -> None:
    out = FORM_EXTRACTORS["cover"].extract(_cover(*marks), [1])
    assert out.fields["declared_kind"].value == expected


def test_cover_value_on_next_line() -> None:
    blocks = [
        paragraph("申 报 书", 1),
        paragraph("申报单位：", 2),
        paragraph("____________", 3),
        paragraph("晋北装备有限公司", 4),
        paragraph("推荐单位：大同市工信局", 5),
    ]
    out = FORM_EXTRACTORS["cover"].extract(word_document(blocks, []), [1])
    assert out.fields["applicant"].value == "晋北装备有限公司"
    assert out.fields["recommender"].value == "大同市工信局"


COMMITMENT = [
    "填报单位意见及真实性承诺：",
    "本申报表所有材料，均真实、完整，如有不实，愿承担相应的责任。",
    "申报单位（章）",
    "负责人（签章）",
    "年 月 日",
    "市级推荐单位意见：",
    "单 位（章）",
    "负责人（签章）",
]


def _commitment_page(seals: list[Seal]):
    blocks = [line(t, 80 if i != 2 and i != 6 else 380, 100 + 50 * i) for i, t in enumerate(COMMITMENT)]
    return pdf_document([pdf_page(1, blocks, seals=seals)])


def test_commitment_slots_with_seals() -> None:
    applicant_seal = Seal(page=1, bbox=BBox(x0=360, y0=160, x1=470, y1=270))
    recommender_seal = Seal(page=1, bbox=BBox(x0=370, y0=370, x1=480, y1=480))
    doc = _commitment_page([recommender_seal, applicant_seal])
    extractor = FORM_EXTRACTORS["commitment"]
    assert extractor.score(doc.pages[0], doc) >= 0.6
    slots = {s.role: s for s in extractor.extract(doc, [1]).seal_slots}
    assert set(slots) == {"applicant", "recommender"}
    assert slots["applicant"].seal == applicant_seal
    assert slots["recommender"].seal == recommender_seal
    assert slots["applicant"].label == "申报单位（章）" and slots["applicant"].checkable


def test_commitment_without_seal_is_missing_not_uncheckable() -> None:
    far = Seal(page=1, bbox=BBox(x0=50, y0=780, x1=100, y1=830))
    slots = FORM_EXTRACTORS["commitment"].extract(_commitment_page([far]), [1]).seal_slots
    assert all(s.seal is None and s.checkable for s in slots)
    assert {s.role for s in slots} == {"applicant", "recommender"}


def test_city_government_slot_and_word_picture() -> None:
    blocks = [paragraph("城市人民政府意见：", 1), paragraph("市人民政府（章）", 2)]
    seal = Seal(page=1, source="docx-picture", text="paragraph 2")
    out = FORM_EXTRACTORS["commitment"].extract(word_document(blocks, [], [seal]), [1])
    assert [s.role for s in out.seal_slots] == ["city_government"]
    assert out.seal_slots[0].seal == seal
    bare = FORM_EXTRACTORS["commitment"].extract(word_document(blocks, []), [1])
    assert bare.seal_slots[0].seal is None and not bare.seal_slots[0].checkable


def test_word_seal_in_table_cell() -> None:
    rows = [["填报单位意见及真实性承诺：本申报表所有材料均真实。 申报单位（章） 年 月 日"]]
    t = table(rows)
    cell = t.cells[0].model_copy(update={"image_count": 1})
    t = t.model_copy(update={"cells": [cell]})
    out = FORM_EXTRACTORS["commitment"].extract(word_document([], [t]), [1])
    assert out.seal_slots[0].role == "applicant" and out.seal_slots[0].seal is not None


BODY = [
    ("服务型制造示范培育企业申报书正文", None, "黑体", 16.0),
    ("一、企业概况", None, "黑体", 12.0),
    ("本企业成立于2005年，主营机械制造。", None, "仿宋", 12.0),
    ("（一）发展历程", None, "楷体", 12.0),
    ("1.起步阶段", None, "仿宋", 12.0),
    ("二、主要做法", None, "黑体", 12.0),
    ("三、经验总结：以服务促转型", None, "黑体", 12.0),
    ("下一步设想", 1, "宋体", 14.0),
]


def test_body_outline_and_styles() -> None:
    blocks = [
        paragraph(
            text,
            i + 1,
            role="heading" if level else "paragraph",
            level=level,
            style=TextStyle(font=font, size_pt=size, line_spacing=1.0),
        )
        for i, (text, level, font, size) in enumerate(BODY)
    ]
    doc = word_document(blocks, [])
    extractor = FORM_EXTRACTORS["application_body"]
    assert extractor.score(doc.pages[0], doc) >= 0.8
    out = extractor.extract(doc, [1])
    assert out.form_type == "enterprise"
    assert [(s.title, s.level) for s in out.sections] == [
        ("企业概况", 1),
        ("发展历程", 2),
        ("起步阶段", 3),
        ("主要做法", 1),
        ("经验总结", 1),
        ("下一步设想", 1),
    ]
    assert out.sections[0].cell == "paragraph 2"
    by_paragraph = {s.paragraph: s for s in out.styles}
    assert by_paragraph[2].element == "heading1" and by_paragraph[2].font == "黑体"
    assert by_paragraph[3].element == "body" and by_paragraph[3].size_pt == 12.0
    assert by_paragraph[4].element == "heading2" and by_paragraph[4].font == "楷体"
    assert 1 not in by_paragraph  # the title is not a body paragraph


def test_body_form_type_from_headings_in_pdf() -> None:
    blocks = [
        line(t, 80, 100 + 30 * i, page=3) for i, t in enumerate(["一、平台概述", "平台成立于2015年。", "二、主要做法"])
    ]
    out = FORM_EXTRACTORS["application_body"].extract(pdf_document([pdf_page(3, blocks)]), [3])
    assert out.form_type == "platform" and out.styles == [] and out.sections[0].page == 3


def test_body_continuation_page_scores_on_its_outline() -> None:
    """A body page without the 正文 title or a known section still shows its outline
    (（一）… / 四、下一步设想): evidence to keep it in the body, never enough to start one."""
    texts = [
        "（一）以客户需求牵引服务转型",
        "组建专业服务团队，完善服务流程和收费标准，客户满意度保持在较",
        "（二）以数据沉淀支撑增值服务",
    ]
    body = FORM_EXTRACTORS["application_body"]
    page = pdf_page(5, [line(t, 80, 100 + 30 * i, page=5) for i, t in enumerate(texts)])
    assert 0.0 < body.score(page, pdf_document([page])) <= OUTLINE_CAP
    plain = pdf_page(6, [line("组建专业服务团队，完善服务流程和收费标准。", 80, 100, page=6)])
    assert body.score(plain, pdf_document([plain])) == 0.0


SUMMARY = [
    ["推荐单位（盖章）：太原市工业和信息化局", "<", "<", "填报人：郭七", "<", "联系电话：0351-5555555"],
    ["一、示范企业", "<", "<", "<", "<", "<"],
    ["序号", "企业名称", "示范模式", "联系人", "联系电话", "电子邮箱"],
    ["1", "山西示范机械有限公司", "供应链管理", "李四", "13812345678", "li@example.com"],
    ["2", "", "", "", "", ""],
    ["二、示范项目", "<", "<", "<", "<", "<"],
    ["序号", "项目名称", "示范模式", "联系人", "联系电话", "电子邮箱"],
    ["1", "", "", "", "", ""],
    ["三、示范平台", "<", "<", "<", "<", "<"],
    ["序号", "平台名称", "专业平台/区域平台", "联系人", "联系电话", "电子邮箱"],
    ["1", "晋云工业互联网平台", "专业平台", "陈二", "0351-1111111", "chen@jinyun.cn"],
    ["四、示范城市", "<", "<", "<", "<", "<"],
    ["序号", "城市名称", "<", "联系人", "联系电话", "电子邮箱"],
    ["1", "长治市", "<", "魏八", "0355-6666666", ""],
]


def test_summary_table() -> None:
    doc = word_document([paragraph("服务型制造示范培育遴选申报汇总表", 1)], [table(SUMMARY)], file="汇总.docx")
    extractor = FORM_EXTRACTORS["summary_table"]
    assert extractor.score(doc.pages[0], doc) >= 0.8
    assert FORM_EXTRACTORS["form_enterprise"].score(doc.pages[0], doc) < 0.5
    out = extractor.extract(doc, [1])
    assert [(r["kind"], r["name"]) for r in out.rows] == [
        ("enterprise", "山西示范机械有限公司"),
        ("platform", "晋云工业互联网平台"),
        ("city", "长治市"),
    ]
    assert out.rows[1]["mode"] == "专业平台" and out.rows[0]["cell"] == "table 1 r4 c2"
    assert out.fields["recommender"].value == "太原市工业和信息化局"
    assert out.fields["filled_by"].value == "郭七"
    summary = summary_from(out, None)
    assert summary.recommender == "太原市工业和信息化局" and summary.filled_by == "郭七"
    assert summary.phone == "0351-5555555"
    assert summary.rows[0].email == "li@example.com" and summary.rows[2].contact == "魏八"
    assert summary_from(out, "太原市").recommender == "太原市"


def test_summary_header_lines_above_table() -> None:
    blocks = [
        paragraph("服务型制造示范培育遴选申报汇总表", 1),
        paragraph("推荐单位（盖章）：", 2),
        paragraph("填报人：郭七    联系电话：13500000000", 3),
    ]
    out = FORM_EXTRACTORS["summary_table"].extract(word_document(blocks, [table(SUMMARY[1:])]), [1])
    assert out.fields["recommender"].raw == ""
    assert out.fields["phone"].value == "13500000000"
    assert len(out.rows) == 3
