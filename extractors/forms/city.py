"""表4 示范城市申报表: the GDP-style rows (value, then 同比增速 for the same row) and the
three development-indicator cells, whose answer is typed after the printed prompt in the
same cell or in the cell below it."""

from __future__ import annotations

import re

from extractors.forms.formbase import FormExtractor, FormSpec
from extractors.forms.grid import Slot
from extractors.forms.labels import squash
from extractors.forms.reader import GridReader

INDICATORS = (
    ("发布本地推动服务型制造发展的政策文件", "policy_documents"),
    ("开展服务型制造示范遴选的工作情况", "selection_work"),
    ("开展服务型制造政策宣贯和经验推广的工作情况", "promotion_work"),
)
_HINT = re.compile(r"^.*?[(（]请填写[^)）]*[)）]")


def read_indicators(reader: GridReader) -> None:
    """Each prompt cell gives its key: its own text after the prompt, else the cell below."""
    for slot in list(reader.grid.slots):
        flat = squash(slot.text)
        key = next((k for prompt, k in INDICATORS if prompt in flat), None)
        if key is None or not reader.free(slot):
            continue
        own = _HINT.sub("", slot.text, count=1) if _HINT.search(slot.text) else ""
        below = reader.grid.below(slot)
        if own.strip() or below is None or any(p in squash(below.text) for p, _ in INDICATORS):
            reader.put(key, [Slot(own, slot.row, slot.col, slot.prov)], slot)
        else:
            reader.put(key, [below], slot)


CITY = FormSpec(
    form_type="city",
    titles=("城市申报表",),
    labels={
        "城市名称": "name",
        "GDP": "gdp",
        "地区生产总值": "gdp",
        "制造业增加值": "manufacturing_value_added",
        "生产性服务业增加值": "producer_services_value_added",
        "规模以上工业企业主营业务收入": "industrial_revenue",
        "联系人": "contact",
        "联系电话": "phone",
        "电话": "phone",
        "电子邮箱": "email",
        "邮箱": "email",
    },
    distinctive=("城市名称", "GDP", "制造业增加值", "生产性服务业增加值", "同比增速"),
    pre=read_indicators,
    common=False,
)

city_form = FormExtractor(CITY)
