"""Licences in the wild (issue 9, point 3): values that run past their field, letter-spaced
labels split or glued by OCR, watermarks, the QR caption, lost titles, 个体工商户 / 个人独资 /
分公司 labels, 不约定期限, no 注册资本.

The first part builds OCR boxes by hand (no engine); the last part renders licences with the
second layout generator (``bench/licence_layouts.py``) and reads them through the product's
path with the real engine (marked slow).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from test_attachments_kinds import extract, high_tech_items, legal_person_items
from test_attachments_layouts import box, document

from extractors.attachments.license import BusinessLicenseExtractor

ROOT = Path(__file__).resolve().parent.parent
CODE = "91140100MA0K5C4U17"
LICENSE = BusinessLicenseExtractor()
QR = "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息"


def read(items: list, seed: int | None = 0) -> dict:
    """The licence fields read from hand-built boxes."""
    return LICENSE.extract(document(items, seed=seed, size=(1700, 2400)), [1]).fields


def values_of(items: list, seed: int | None = 0) -> dict:
    return {k: v.value for k, v in read(items, seed).items()}


def header() -> list:
    """Title and credit code of a 副本, as OCR boxes."""
    return [
        box("统一社会信用代码", 136, 158, h=40),
        box(CODE, 135, 212, h=38),
        box("营业执照", 537, 198, w=628, h=142),
        box("(副本)", 784, 345, h=51),
    ]


def footer() -> list:
    return [
        box("经营范围", 142, 1600),
        box("软件开发；信息系统集成服务。", 362, 1600),
        box("登记机关", 992, 1945),
        box("2022年08月08日", 1034, 2056, w=276),
    ]


def portrait(rows: list, *, extra: list | None = None) -> list:
    """A one-column 副本: ``rows`` of boxes per printed row, 88 px apart from y=620."""
    items = header() + footer() + (extra or [])
    for i, row in enumerate(rows):
        y = 620 + 88 * i
        items += [box(text, x, y, w=w) for text, x, w in row]
    return items


# --- values running past their field ---------------------------------------------------


@pytest.mark.parametrize(("seed", "glued"), [(None, ""), (0, ""), (1, "3"), (2, " 3")])
def test_qr_caption_glued_to_the_name_is_cut(seed, glued):
    """The caption read into the name's box, with a speck of toner read before it."""
    fields = values_of(
        portrait(
            [
                [("名", 146, 50), ("称大同博远天工信息技术有限公司" + glued + QR[:20], 305, None)],
                [("类", 144, 52), ("型其他有限责任公司", 305, None)],
            ]
        ),
        seed,
    )
    assert fields["name"] == "大同博远天工信息技术有限公司"
    assert fields["type"] == "其他有限责任公司"


def test_qr_caption_in_small_type_beside_the_name_is_not_the_name():
    items = portrait([[("名", 146, 50), ("称太原晋能天工工业设计有限公司", 305, None)]])
    items += [box(QR[:18], 1178, 613, w=420, h=28), box(QR[18:], 1178, 644, w=420, h=28)]
    assert values_of(items)["name"] == "太原晋能天工工业设计有限公司"


@pytest.mark.parametrize("caption", [QR, "副本与正本具有同等法律效力，请妥善保管不得涂改"])
def test_second_line_of_a_caption_right_of_the_name_is_not_the_name_wrapping(caption):
    """A caption's first line shares the name's row; its second line starts far right of the
    name's column, in smaller type, just below: not the name's second line."""
    items = portrait([[("名", 149, 54), ("称浦东新区华锐启明电子经营部", 258, None)], [("型个体工商户", 246, None)]])
    items += [box(caption[:-12], 909, 624, w=688, h=26), box(caption[-12:], 914, 662, w=319, h=26)]
    assert values_of(items)["name"] == "浦东新区华锐启明电子经营部"


@pytest.mark.parametrize(
    ("label", "glued", "want"),
    [
        ("住", "所上海市浦东新区张江路341号", "上海市浦东新区张江路341号"),
        ("住", "所 上海市浦东新区张江路341号", "上海市浦东新区张江路341号"),
        ("住", "所电山西省太原市小店区长风街12号", "山西省太原市小店区长风街12号"),
    ],
)
def test_label_character_in_front_of_the_address_is_dropped(label, glued, want):
    fields = values_of(
        portrait([[("名", 146, 50), ("称某某有限公司", 305, None)], [(label, 142, 58), (glued, 307, None)]])
    )
    assert fields["address"] == want
    assert fields["name"] == "某某有限公司"


def test_type_whose_first_label_character_was_lost_stops_the_name():
    """No "类" box at all: "型有限责任公司…" under the name is the type's row, not the name's
    second line."""
    fields = values_of(
        portrait(
            [
                [("名", 146, 50), ("称大同金桥晋能工业设计有限公司", 303, None)],
                [("型有限责任公司(自然人投资或控股)", 301, None)],
                [("法定代表人高涛秀", 144, None)],
            ]
        )
    )
    assert fields["name"] == "大同金桥晋能工业设计有限公司"
    assert fields["type"] == "有限责任公司(自然人投资或控股)"
    assert fields["legal_rep"] == "高涛秀"


def test_address_stops_at_the_representative_capital_and_date_below():
    """The older 副本 order: 住所 above 法定代表人, 注册资本, 成立日期, with every label
    letter-spaced into one box per character."""
    fields = values_of(
        portrait(
            [
                [("名", 146, 50), ("称", 305, 50), ("某某科技有限公司", 400, None)],
                [("住", 146, 50), ("所", 305, 50), ("山西省太原市小店区长风街12号", 400, None)],
                [
                    ("法", 146, 50),
                    ("定", 210, 50),
                    ("代", 270, 50),
                    ("表", 330, 50),
                    ("人", 390, 50),
                    ("王建国", 480, None),
                ],
                [("注", 146, 50), ("册", 230, 50), ("资", 310, 50), ("本", 390, 50), ("伍佰万圆整", 480, None)],
                [("成", 146, 50), ("立", 230, 50), ("日", 310, 50), ("期", 390, 50), ("2015年06月18日", 480, 276)],
            ]
        )
    )
    assert fields["address"] == "山西省太原市小店区长风街12号"
    assert fields["legal_rep"] == "王建国"
    assert fields["registered_capital"] == 500.0
    assert fields["established"] == dt.date(2015, 6, 18)


def test_representative_is_not_followed_by_a_watermark_glyph_or_the_next_lines():
    items = portrait(
        [
            [("法定代表人杨静敏", 144, None)],
            [("注册资本壹佰万圆整", 144, None)],
        ],
        extra=[box("印", 1137, 600, w=229, h=171)],
    )
    fields = values_of(items)
    assert fields["legal_rep"] == "杨静敏"
    assert fields["registered_capital"] == 100.0


def test_value_box_starting_inside_the_padded_label_box_is_read():
    items = portrait([[("组成形式", 173, 190)], [("经营者", 173, None), ("徐秀超", 356, None)]])
    items.append(box("个人经营", 336, 620, w=200))
    fields = values_of(items)
    assert fields["type"] == "个人经营"
    assert fields["legal_rep"] == "徐秀超"


# --- watermarks -------------------------------------------------------------------------


def test_watermark_boxes_and_words_are_never_values():
    items = portrait(
        [
            [("名", 146, 50), ("称", 305, 50), ("某某科技有限公司仅供存档", 400, None)],
            [("类", 146, 50), ("型", 305, 50), ("其他有限责任公司", 400, None)],
            [("法定代表人王建国", 146, None)],
        ],
        extra=[
            box("仅供存档", 700, 560, w=380, h=310),  # a diagonal line of watermark text
            box("复印无效", 1250, 640),  # a horizontal one
            box("仅供申报服务型制造示范使用", 300, 1300),
        ],
    )
    fields = values_of(items)
    assert fields["name"] == "某某科技有限公司"
    assert fields["type"] == "其他有限责任公司"
    assert fields["legal_rep"] == "王建国"
    assert not any("仅供" in str(v) or "复印" in str(v) for v in fields.values())


def test_watermarked_individual_business_reads():
    """A 个体工商户 licence under 仅供存档: every key field, mapped to the canonical keys."""
    items = portrait(
        [
            [("名", 146, 50), ("称", 305, 50), ("青秀区恒泰晋能电子经营部", 400, None)],
            [("经营者何涛芳", 144, None)],
            [("组成形式", 144, None), ("个人经营", 362, None)],
            [("经营场所广西壮族自治区南宁市青秀区星湖街167号", 144, None)],
            [("注册日期2006年02月16日", 144, None)],
        ],
        extra=[
            box("仅供存档", 600, 620, w=380, h=300),
            box("供存档", 1100, 700, w=300, h=250),
            box("存档", 300, 900, w=226, h=197),
        ],
    )
    fields = read(items)
    assert fields["name"].value == "青秀区恒泰晋能电子经营部"
    assert fields["legal_rep"].value == "何涛芳"
    assert fields["type"].value == "个人经营"
    assert fields["address"].value == "广西壮族自治区南宁市青秀区星湖街167号"
    assert fields["established"].value == dt.date(2006, 2, 16)
    assert fields["variant"].value == "individual"
    assert "registered_capital" not in fields and "term_end" not in fields


@pytest.mark.parametrize("kind", ["high_tech_certificate", "legal_person_certificate"])
def test_watermark_over_a_certificate_is_not_read(kind):
    """The certificates are copied and watermarked the same way: the watermark's tilted
    boxes between label and value change nothing."""
    items = high_tech_items() if kind == "high_tech_certificate" else legal_person_items()
    doc = document(items, seed=1)
    marked = document(
        [*items, box("仅供申报使用", 900, 520, w=420, h=330), box("复印无效", 380, 600, w=380, h=300)], seed=1
    )
    assert extract(kind, marked) == extract(kind, doc)


# --- other licence kinds and printed forms ------------------------------------------------


@pytest.mark.parametrize(
    ("rep_label", "address_label", "type_value"),
    [("投资人", "住所", "个人独资企业"), ("负责人", "营业场所", "有限责任公司分公司(自然人投资或控股)")],
)
def test_sole_proprietorship_and_branch_labels(rep_label, address_label, type_value):
    fields = read(
        portrait(
            [
                [("名", 146, 50), ("称", 305, 50), ("某某服务部", 400, None)],
                [("类", 146, 50), ("型", 305, 50), (type_value, 400, None)],
                [(rep_label + "李明", 144, None)],
                [("成立日期2011年03月14日", 144, None)],
                [("营业期限不约定期限", 144, None)],
                [(address_label + "江苏省苏州市吴中区学府街271号", 144, None)],
            ]
        )
    )
    assert fields["type"].value == type_value
    assert fields["legal_rep"].value == "李明"
    assert fields["address"].value == "江苏省苏州市吴中区学府街271号"
    assert fields["term_end"].value is None and fields["term_end"].raw == "不约定期限"
    assert "registered_capital" not in fields
    assert all(item.error is None for item in fields.values())


@pytest.mark.parametrize(
    ("printed", "raw"), [("长期", "长期"), ("2015年06月18日至长期", "长期"), ("不约定期限", "不约定期限")]
)
def test_long_terms_have_no_end_and_keep_what_was_printed(printed, raw):
    item = read(portrait([[("营业期限", 144, None), (printed, 362, None)]]))["term_end"]
    assert item.value is None and item.raw == raw and item.error is None


def test_licence_whose_title_was_lost_is_still_a_licence():
    """A red 营业执照 title is removed with the seals before OCR; the code, 经营范围 and the
    licence's labels still make the page a licence."""
    items = [
        b
        for b in portrait(
            [
                [("名", 146, 50), ("称某某科技有限公司", 305, None)],
                [("类", 146, 50), ("型其他有限责任公司", 305, None)],
                [("法定代表人王建国", 144, None)],
                [("注册资本伍佰万圆整", 144, None)],
                [("成立日期2015年06月18日", 144, None)],
                [("住", 146, 50), ("所山西省太原市小店区长风街12号", 305, None)],
            ],
            extra=[box("国家企业信用信息公示系统网址:http://www.gsxt.gov.cn", 296, 2295, h=37)],
        )
        if b[0] not in ("营业执照", "(副本)")
    ]
    doc = document(items, size=(1700, 2400))
    assert LICENSE.score(doc.pages[0], doc) >= 0.5


def test_title_missing_a_character_on_a_small_scan_is_a_title():
    """A 500-px scan: OCR gives "营业执" in a box three lines tall, loses "住" and wraps the
    address's last character; the page is a licence and the address whole."""
    items = [
        box("统一社会信用代码", 26, 30, w=60, h=13),
        box("营业执", 158, 34, w=141, h=41),
        box("91310115059117836T", 26, 41, w=79, h=13),
        box("名", 35, 116, w=14, h=13),
        box("称上海华锐博远供应链管理有限公司", 68, 115, w=141, h=13),
        box("注册资本 叁仟万圆整", 260, 115, w=84, h=14),
        box("类", 34, 132, w=15, h=14),
        box("型有限责任公司(自然人独资)", 68, 133, w=120, h=13),
        box("成立日期2019年03月07日", 258, 130, w=108, h=16),
        box("法定代表人 李平", 35, 149, w=67, h=14),
        box("营业期限 2019年03月07日至长期", 260, 150, w=132, h=13),
        box("经营范围许可项目:检验检测服务。", 33, 164, w=215, h=17),
        box("所上海市浦东新区星湖街150", 282, 167, w=125, h=13),  # "住" lost, "号" wrapped
        box("号", 298, 187, w=13, h=13),
    ]
    doc = document(items, size=(500, 354))
    assert LICENSE.score(doc.pages[0], doc) >= 0.5
    fields = LICENSE.extract(doc, [1]).fields
    assert fields["name"].value == "上海华锐博远供应链管理有限公司"
    assert fields["address"].value == "上海市浦东新区星湖街150号"


# --- rendered and read by the real engine ---------------------------------------------------

KEY_VARIANTS = ("individual_watermark", "portrait_fuben", "rotated_90", "phone_photocopy")


@pytest.fixture(scope="module")
def layouts():
    sys.path.insert(0, str(ROOT))
    from bench import licence_layouts

    return licence_layouts


@pytest.mark.slow
@pytest.mark.parametrize("variant", KEY_VARIANTS)
def test_rendered_variant_reads_its_key_fields(variant, layouts, tmp_path):
    from intake.reading import read_file

    truth = layouts.variant_truth(variant, 7)
    image, suffix = layouts.render(truth, variant, 7)
    path = tmp_path / f"{variant}{suffix}"
    layouts.save(image, str(path))
    result = read_file(path, path.name)
    (licence,) = [d for d in result.documents if d.kind == "business_license"]
    from bench.licence_variants import norm  # as the bench compares: NFKC, spaces dropped

    want = {key: norm(value) for key, value in layouts.expected(truth).items()}
    got = {key: norm(licence.fields[key].value) if key in licence.fields else "(missing)" for key in want}
    assert got == want
