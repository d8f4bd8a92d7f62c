"""营业执照 from block layouts: shuffled boxes, split labels, wrapped scope, 长期, 个体工商户,
portrait layout, 副本, credit-code repair, and a form page that only mentions a licence."""

from __future__ import annotations

import datetime as dt

import pytest
from test_attachments_layouts import box, document, text_document

from extractors.attachments import ATTACHMENT_EXTRACTORS
from extractors.attachments.certfields import AUTHORITY_SUFFIXES, repair_ending
from extractors.attachments.license import BusinessLicenseExtractor
from models.document import BBox, Document, Seal

CODE = "91140100MA0K5C4U17"
LICENSE = BusinessLicenseExtractor()


def landscape(term: str = "2015年06月18日至长期", code: str = CODE, copy: str | None = None) -> list:
    """The 2019 landscape layout as OCR boxes (split two-character labels, wrapped values)."""
    items = [
        box("统一社会信用代码", 145, 130, h=36),
        box(code, 147, 177, h=32),
        box("营业执照", 888, 253, w=560, h=158),
        box("名", 152, 517),
        box("称", 311, 522),
        box("山西智造云服务科技有限公司", 408, 520),
        box("注册资本", 1223, 519),
        box("伍佰万圆整", 1477, 522),
        box("类", 154, 605),
        box("型", 310, 607),
        box("有限责任公司(自然人投资或控股)", 408, 607),
        box("成立日期", 1226, 606),
        box("2015年06月18日", 1476, 607, w=256),
        box("法定代表人", 154, 693),
        box("王建国", 406, 692),
        box("营业期限", 1225, 692),
        box(term, 1476, 693, w=360),
        box("经营范围", 156, 781),
        box("工业互联网平台技术开发、技术服务、技术咨", 408, 780, w=684),
        box("住", 1224, 778),
        box("所", 1379, 779),
        box("山西示范区太原学府园区长治路345号高新国", 1478, 780, w=671),
        box("询；软件开发；信息系统集成服务；数据处理", 408, 833, w=684),
        box("际大厦15层1503室", 1478, 835, w=286),
        box("和存储服务。", 408, 888),
        box("登记机关", 1475, 1299),
        box("2020年05月12日", 1587, 1451, w=252),
        box("国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 146, 1482, w=565, h=30),
        box("国家市场监督管理总局监制", 1037, 1573, h=27),
    ]
    if copy:
        items.append(box(f"({copy})", 764, 398, h=55))
    return items


def fields_of(doc) -> dict:
    return {k: v.value for k, v in LICENSE.extract(doc, [1]).fields.items()}


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_landscape_fields_whatever_the_box_order(seed):
    fields = fields_of(document(landscape(), seed=seed))
    assert fields["name"] == "山西智造云服务科技有限公司"
    assert fields["uscc"] == CODE
    assert fields["type"] == "有限责任公司(自然人投资或控股)"
    assert fields["legal_rep"] == "王建国"
    assert fields["registered_capital"] == 500.0
    assert fields["established"] == dt.date(2015, 6, 18)
    assert fields["address"] == "山西示范区太原学府园区长治路345号高新国际大厦15层1503室"
    assert fields["scope"] == (
        "工业互联网平台技术开发、技术服务、技术咨询；软件开发；信息系统集成服务；数据处理和存储服务。"
    )
    assert fields["issued"] == dt.date(2020, 5, 12)
    assert fields["variant"] == "company"
    assert fields["copy"] == "正本"


def test_long_term_has_no_end_and_raw_changqi():
    item = LICENSE.extract(document(landscape()), [1]).fields["term_end"]
    assert item.value is None and item.raw == "长期"


def test_fixed_term_end_date():
    fields = fields_of(document(landscape("2015年06月18日至2045年06月17日")))
    assert fields["term_end"] == dt.date(2045, 6, 17)


def test_evidence_and_confidence():
    items = landscape()
    items[5] = box("山西智造云服务科技有限公司", 408, 520, conf=0.71)
    item = LICENSE.extract(document(items), [1]).fields["name"]
    assert item.confidence == pytest.approx(0.71)
    ev = item.evidence[0]
    assert ev.file == "att.png" and ev.page == 1
    assert ev.bbox.x0 == 152 and ev.bbox.x1 >= 408 + 36 * 13  # label and value boxes


def test_copy_fuben():
    assert fields_of(document(landscape(copy="副本")))["copy"] == "副本"


def test_ocr_confused_code_is_repaired():
    fields = fields_of(document(landscape(code="91140100MAOK5C4U17")))
    assert fields["uscc"] == CODE


def test_wrong_check_character_is_kept_as_printed_with_error():
    """A well-formed code with a wrong check character is what the licence prints: it is the
    value (USCC_INVALID reports it), flagged ``uscc_invalid`` (桂林漓江光电 sample)."""
    item = LICENSE.extract(document(landscape(code=CODE[:-1] + "8")), [1]).fields["uscc"]
    assert item.value == CODE[:-1] + "8" and item.error == "uscc_invalid" and item.raw == CODE[:-1] + "8"


def test_malformed_code_is_kept_as_raw_only():
    item = LICENSE.extract(document(landscape(code="9114010OMA0K5C4U1")), [1]).fields["uscc"]
    assert item.value is None and item.error == "uscc_invalid"


def sealed(*seals: tuple[str | None, BBox]) -> Document:
    """The landscape licence with seals (legend, box) on its page."""
    doc = document(landscape())
    page = doc.pages[0].model_copy(update={"seals": [Seal(page=1, bbox=b, text=t) for t, b in seals]})
    return doc.model_copy(update={"pages": [page]})


APPLICANT_SEAL = ("山西智造云服务科技有限公司", BBox(x0=500, y0=1150, x1=800, y1=1450))
AUTHORITY_BOX = BBox(x0=1730, y0=1190, x1=2030, y1=1490)  # over 登记机关 and the issue date


def test_authority_from_the_seal_beside_its_label():
    """The licence prints its authority only in the seal over 登记机关: the legend of the seal
    nearest that label is taken, not the applicant's own seal."""
    doc = sealed(APPLICANT_SEAL, ("太原市小店区市场监督管理局", AUTHORITY_BOX))
    item = LICENSE.extract(doc, [1]).fields["authority"]
    assert item.value == "太原市小店区市场监督管理局" and item.method == "seal"
    assert item.evidence[0].bbox == AUTHORITY_BOX


def test_authority_seal_nearest_the_label_wins():
    far = ("太原市迎泽区市场监督管理局", BBox(x0=100, y0=1150, x1=400, y1=1450))
    doc = sealed(far, ("太原市小店区市场监督管理局", AUTHORITY_BOX))
    assert fields_of(doc)["authority"] == "太原市小店区市场监督管理局"


@pytest.mark.parametrize(
    ("legend", "authority"),
    [
        ("大同市平城区市场监济管博局", "大同市平城区市场监督管理局"),  # two glyphs of the ending misread
        ("太原市小店区市场监督管押局", "太原市小店区市场监督管理局"),
        ("太原市小店区行政审批服务局", "太原市小店区行政审批服务局"),
    ],
)
def test_misread_ending_of_a_seal_legend_is_repaired(legend: str, authority: str):
    assert fields_of(sealed(APPLICANT_SEAL, (legend, AUTHORITY_BOX)))["authority"] == authority


def test_legend_without_an_authority_ending_is_not_an_authority():
    assert "authority" not in fields_of(sealed(APPLICANT_SEAL, ("山西智造云服务科技有限", AUTHORITY_BOX)))


def test_repair_ending_needs_a_close_ending():
    assert repair_ending("某某有限公司", AUTHORITY_SUFFIXES) == "某某有限公司"
    assert repair_ending("押局", AUTHORITY_SUFFIXES) == "押局"  # nothing before the ending


def test_individual_business():
    items = [
        box("统一社会信用代码", 145, 130),
        box("92140105MA0L2X7K4L", 147, 177),
        box("营业执照", 888, 253, w=560, h=158),
        box("名称", 150, 520, w=200),
        box("太原市小店区老王面馆", 407, 520),
        box("组成形式", 1224, 519),
        box("个人经营", 1472, 519),
        box("类型", 150, 606, w=200),
        box("个体工商户", 406, 604),
        box("注册日期", 1224, 606),
        box("2016年03月02日", 1476, 607, w=256),
        box("经营者", 152, 687, w=206),
        box("王小二", 407, 692),
        box("经营场所", 1224, 692),
        box("太原市小店区坞城路8号", 1478, 693),
        box("经营范围", 156, 781),
        box("餐饮服务。", 408, 780),
        box("登记机关", 1475, 1299),
        box("2016年03月02日", 1587, 1451, w=252),
    ]
    fields = fields_of(document(items, seed=5))
    assert fields["variant"] == "individual"
    assert fields["legal_rep"] == "王小二"
    assert fields["address"] == "太原市小店区坞城路8号"
    assert fields["type"] == "个人经营"
    assert fields["established"] == dt.date(2016, 3, 2)
    assert "registered_capital" not in fields and "term_end" not in fields  # blank: absent


def test_portrait_layout_with_inline_code_and_fuben():
    items = [
        box("统一社会信用代码" + CODE, 146, 151, w=613),
        box("营业执照", 546, 252, w=557, h=159),
        box("(副本)", 764, 398, h=55),
        box("名", 159, 520),
        box("称", 322, 522),
        box("山西智造云服务科技有限公司", 428, 520),
        box("住", 160, 680),
        box("所", 322, 680),
        box("山西示范区太原学府园区长治路345号高新国际大厦15层1503室", 430, 684, w=953),
        box("法定代表人", 163, 760),
        box("王建国", 424, 760),
        box("注册资本", 164, 843),
        box("人民币伍佰万元", 426, 842),
        box("成立日期", 166, 924),
        box("2015年06月18日", 426, 925, w=257),
        box("营业期限", 166, 1005),
        box("2015年06月18日至2035年06月17日", 426, 1005, w=520),
        box("经营范围", 166, 1088),
        box("工业互联网平台技术开发、技术服务、技术咨询；软件开发；信息系统", 426, 1088, w=1100),
        box("集成服务。", 426, 1140),
        box("登记机关", 820, 1900),
        box("2020年05月12日", 930, 2050, w=252),
    ]
    fields = fields_of(document(items, seed=7, size=(1654, 2339)))
    assert fields["uscc"] == CODE
    assert fields["name"] == "山西智造云服务科技有限公司"
    assert fields["address"] == "山西示范区太原学府园区长治路345号高新国际大厦15层1503室"
    assert fields["registered_capital"] == 500.0
    assert fields["term_end"] == dt.date(2035, 6, 17)
    assert fields["scope"] == "工业互联网平台技术开发、技术服务、技术咨询；软件开发；信息系统集成服务。"
    assert fields["issued"] == dt.date(2020, 5, 12)
    assert fields["copy"] == "副本"


def test_authority_from_a_line_near_the_label():
    items = [*landscape(), box("太原市市场监督管理局", 1700, 1299)]
    fields = fields_of(document(items))
    assert fields["authority"] == "太原市市场监督管理局"


def test_licence_scores_very_high_and_beats_every_other_kind():
    doc = document(landscape())
    scores = {name: ex.score(doc.pages[0], doc) for name, ex in ATTACHMENT_EXTRACTORS.items()}
    assert scores["business_license"] >= 0.9
    assert max(v for k, v in scores.items() if k != "business_license") < 0.5


def test_form_page_listing_the_licence_is_not_a_licence():
    doc = text_document(
        [
            "表1 服务型制造示范企业申报表",
            "企业名称 山西智造云服务科技有限公司",
            "统一社会信用代码 " + CODE,
            "注册资本 500万元",
            "成立日期 2015年6月18日",
            "参考附件",
            "1、企业法人营业执照",
            "2、国家级高新技术企业证书（如有）",
            "3、相关产品的技术水平评价证书（鉴定证书）",
        ]
    )
    for name, ex in ATTACHMENT_EXTRACTORS.items():
        assert ex.score(doc.pages[0], doc) < 0.3, name


def test_digital_text_licence_from_paragraphs():
    doc = text_document(
        [
            "营业执照",
            "统一社会信用代码：" + CODE,
            "名称：山西智造云服务科技有限公司",
            "类型：有限责任公司",
            "法定代表人：王建国",
            "注册资本：伍佰万元整",
            "成立日期：2015年06月18日",
            "营业期限：2015年06月18日至长期",
            "住所：太原市小店区坞城路92号",
            "经营范围：软件开发。",
        ]
    )
    assert LICENSE.score(doc.pages[0], doc) >= 0.9
    fields = fields_of(doc)
    assert fields["name"] == "山西智造云服务科技有限公司"
    assert fields["legal_rep"] == "王建国"
    assert fields["address"] == "太原市小店区坞城路92号"
    assert fields["scope"] == "软件开发。"


def test_empty_page_extracts_nothing_and_does_not_raise():
    doc = document([])
    assert LICENSE.score(doc.pages[0], doc) == 0.0
    result = LICENSE.extract(doc, [1])
    assert result.low_text and not result.fields


def test_authority_from_the_seal_legend():
    from models.document import BBox, Seal

    doc = document(landscape())
    seal = Seal(page=1, bbox=BBox(x0=1650, y0=1200, x1=1950, y1=1500), score=0.9, text="太原市市场监督管理局")
    page = doc.pages[0].model_copy(update={"seals": [seal]})
    doc = doc.model_copy(update={"pages": [page]})
    result = LICENSE.extract(doc, [1])
    item = result.fields["authority"]
    assert item.value == "太原市市场监督管理局" and item.method == "seal"
    assert item.evidence[0].bbox == seal.bbox
    assert result.seals == [seal]
