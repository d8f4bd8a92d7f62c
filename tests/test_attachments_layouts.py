"""Block layouts built in code (what OCR or a PDF gives for an attachment page), and the
geometry they exercise. The builders are imported by the other ``test_attachments_*``."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from extractors.attachments.geometry import (
    LabelIndex,
    find_label,
    join_parts,
    page_lines,
    value_right,
)
from extractors.attachments.hightech import HighTechCertificateExtractor, certificate_number
from models.document import BBox, Block, Document, Page, Provenance

CH = 36  # character width at the layouts' font size (px)


def box(text: str, x: float, y: float, w: float | None = None, h: float = 40, conf: float = 0.99):
    """A block of ``text`` whose top-left corner is (x, y); width from its length."""
    width = w if w is not None else CH * max(len(text), 1)
    return (text, BBox(x0=x, y0=y, x1=x + width, y1=y + h), conf)


def document(items: list, seed: int | None = 0, file: str = "att.png", size=(2339, 1654)) -> Document:
    """A one-page image document of ``items`` (``box`` tuples), shuffled unless seed is None."""
    items = list(items)
    if seed is not None:
        random.Random(seed).shuffle(items)
    blocks = [
        Block(
            text=" ".join(text.split()),
            orig=text,
            prov=Provenance(file=file, page=1, bbox=bbox, method="ocr", confidence=conf),
        )
        for text, bbox, conf in items
    ]
    page = Page(number=1, width=size[0], height=size[1], unit="px", blocks=blocks)
    return Document(file=file, source_kind="image", pages=[page])


def text_document(lines: list[str], file: str = "att.docx") -> Document:
    """A Word-like page: paragraphs without boxes."""
    blocks = [
        Block(
            text=" ".join(t.split()),
            orig=t,
            role="paragraph",
            prov=Provenance(file=file, page=1, cell=f"paragraph {i + 1}", method="docx"),
        )
        for i, t in enumerate(lines)
    ]
    page = Page(number=1, unit="none", blocks=blocks)
    return Document(file=file, source_kind="docx", pages=[page])


def test_split_label_reads_value_on_its_row():
    doc = document([box("名", 150, 520), box("称", 310, 520), box("某某有限公司", 410, 522)])
    lines = page_lines(doc, doc.pages[0])
    hits = find_label(lines, ["名称"])
    assert hits and [ln.text for ln in hits[0].lines] == ["名", "称"]
    assert value_right(hits[0], lines, hits).text == "某某有限公司"


def test_inline_label_keeps_the_rest_as_value():
    doc = document([box("名称：某某有限公司", 150, 520)])
    lines = page_lines(doc, doc.pages[0])
    hit = find_label(lines, ["名称"])[0]
    assert hit.rest == "某某有限公司"
    assert value_right(hit, lines, [hit]).text == "某某有限公司"


def test_value_stops_at_the_next_label_to_the_right():
    doc = document(
        [
            box("经营范围", 150, 780),
            box("软件开发；技术服务；", 410, 780),
            box("住", 1224, 780),
            box("所", 1380, 780),
            box("太原市某路1号", 1478, 780),
            box("数据处理。", 410, 833),
            box("某大厦15层", 1478, 833),
        ]
    )
    lines = page_lines(doc, doc.pages[0])
    index = LabelIndex(lines, {"scope": ["经营范围"], "address": ["住所"]})
    assert index.value("scope", multiline=True).text == "软件开发；技术服务；数据处理。"
    assert index.value("address", multiline=True).text == "太原市某路1号某大厦15层"


def test_vertical_box_over_spaced_labels_is_split():
    doc = document(
        [
            box("名类住", 159, 513, w=55, h=219),
            box("称", 322, 522),
            box("某某有限公司", 428, 520),
            box("型", 321, 597),
            box("有限责任公司", 429, 601),
            box("所", 322, 680),
            box("太原市某路1号", 430, 684),
        ]
    )
    lines = page_lines(doc, doc.pages[0])
    index = LabelIndex(lines, {"name": ["名称"], "type": ["类型"], "address": ["住所"]})
    assert index.value("name").text == "某某有限公司"
    assert index.value("type").text == "有限责任公司"
    assert index.value("address").text == "太原市某路1号"


def test_boxless_paragraphs_get_reading_order_boxes():
    doc = text_document(["名称：某某有限公司", "住所：太原市某路1号"])
    lines = page_lines(doc, doc.pages[0])
    index = LabelIndex(lines, {"name": ["名称"], "address": ["住所"]})
    assert index.value("name").text == "某某有限公司"
    assert index.value("address", multiline=True).text == "太原市某路1号"


def test_join_parts_spaces_only_between_ascii_words():
    assert join_parts(["技术开发、技术", "服务"]) == "技术开发、技术服务"
    assert join_parts(["Room", "301"]) == "Room 301"


def test_label_with_one_character_lost_by_ocr():
    doc = document(
        [
            box("名", 150, 520),
            box("称", 310, 520),
            box("某某有限公司", 410, 522),
            box("类", 150, 606),  # "型" dropped by the detector
            box("有限责任公司", 410, 606),
        ]
    )
    lines = page_lines(doc, doc.pages[0])
    index = LabelIndex(lines, {"name": ["名称"], "type": ["类型"]})
    assert index.value("name").text == "某某有限公司"
    assert index.value("type").text == "有限责任公司"


# -- 高新技术企业证书: the certificate number and derived validity ----------------------------


def high_tech(number: str, issued_conf: float = 0.99) -> Document:
    """A high-tech certificate as OCR reads it: label and value in one box per row."""
    return document(
        [
            box("高新技术企业证书", 451, 167, w=852, h=108),
            box("企业名称:山西晋安重工装备有限公司", 310, 418, h=42),
            box(f"证书编号:{number}", 310, 509, h=42),
            box("发证时间:二〇一九年十二月二日", 311, 599, h=40, conf=issued_conf),
            box("有效期:三年", 309, 685, h=47),
        ]
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("GR20191474847", "GR20191474847"),  # five-digit serial, as the samples print it
        ("GR202044001234", "GR202044001234"),  # six-digit serial
        ("证书编号：GR2019454109９", "GR20194541099"),  # full-width digit
        ("6R20181463541", "GR20181463541"),
        ("GR20181410120S", "GR20181410120"),  # a letter read after a five-digit serial
        ("GF201244000123", "GF201244000123"),  # 复审 certificates before 2016
        ("GR2019147484", None),  # ten digits: too short
        ("GR2019140001234", None),  # thirteen digits: too long
        ("GR20199974847", None),  # no province 99
    ],
)
def test_certificate_number_serial_of_five_or_six_digits(text: str, number: str | None) -> None:
    assert certificate_number(text) == number


def test_high_tech_number_with_a_five_digit_serial_is_read() -> None:
    """晋安重工 / 大同煤机 / 平城电气 / 邕江 samples: 11 digits after GR were refused."""
    fields = HighTechCertificateExtractor().extract(high_tech("GR20191474847"), [1]).fields
    assert fields["number"].value == "GR20191474847" and fields["number"].error is None


def test_derived_validity_is_no_surer_than_the_issue_date() -> None:
    fields = HighTechCertificateExtractor().extract(high_tech("GR20191474847", issued_conf=0.55), [1]).fields
    assert fields["valid_until"].value == dt.date(2022, 12, 2)
    assert fields["valid_until"].confidence == pytest.approx(0.55)
