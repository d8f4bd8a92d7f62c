from extractors.ocr.simplify import _TABLE, to_simplified


def test_traditional_misreads_become_simplified() -> None:
    """Regression: RapidOCR read the legal representative 黄慧敏 as 黃慧敏 on a clean licence."""
    assert to_simplified("黃慧敏") == "黄慧敏"
    assert to_simplified("山西省太原市小店區長治路") == "山西省太原市小店区长治路"


def test_simplified_text_is_left_alone() -> None:
    text = "统一社会信用代码 91140100MA0K123456 营业期限 长期 经营范围：工业设计服务"
    assert to_simplified(text) == text


def test_table_maps_only_traditional_only_characters() -> None:
    simplified = {chr(k) for k in _TABLE} & set(_TABLE.values())
    assert not simplified  # no character is both a key and a replacement


def test_building_names_read_traditional() -> None:
    """Regression (bench/licence_variants.py, watermark): a watermark over the address made
    RapidOCR read 大厦 as 大廈."""
    assert to_simplified("南宁市青秀区民族大道100号东盟大廈") == "南宁市青秀区民族大道100号东盟大厦"
