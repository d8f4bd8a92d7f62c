"""Normalised forms of organisation names, person names and addresses.

The cross-checks compare values read from different documents (a Word form, a scanned licence,
an Excel 汇总表). These functions remove what is only a matter of writing (full/half width,
spaces, punctuation, 一号 vs 1号, an omitted 山西省 before 太原市) and keep everything that is a
real difference: one different character in a company name is a different company.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from models.values.numbers import EVERYDAY_NUMERALS, chinese_numeral

# -- organisation names -----------------------------------------------------------------


def _fold(text: str) -> str:
    """NFKC, case-folded, without spaces, punctuation, symbols-as-punctuation or controls."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")


def normalise_name(name: str | None) -> str:
    """An organisation name for comparison: NFKC, no brackets/spaces/punctuation.

    （山西）and (山西) compare equal; 有限公司 and 有限责任公司 do not (see ``names_equal``).
    """
    return _fold(name or "")


_LLC_LONG = "有限责任公司"
_LLC_SHORT = "有限公司"


def is_llc_type(company_type: str | None) -> bool:
    """True when a licence's 类型 says the company is a 有限责任公司 (not 股份有限公司)."""
    folded = _fold(company_type or "")
    return _LLC_LONG in folded


def names_equal(a: str | None, b: str | None, licence_type: str | None = None) -> bool:
    """Whether two organisation names are the same after normalising.

    The usual abbreviation 有限公司 for 有限责任公司 is accepted only where the licence's type
    confirms a 有限责任公司; a 股份有限公司 stays distinct from a 有限公司.
    """
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if is_llc_type(licence_type):
        return na.replace(_LLC_LONG, _LLC_SHORT) == nb.replace(_LLC_LONG, _LLC_SHORT)
    return False


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: characters substituted, dropped or added to turn ``a`` into
    ``b`` (each costs 1), by rapidfuzz. The one edit distance of the code base."""
    return int(Levenshtein.distance(a, b))


def name_distance(a: str | None, b: str | None) -> int:
    """Edit distance between two normalised names (to pair near-identical names)."""
    return edit_distance(normalise_name(a), normalise_name(b))


# -- person names -------------------------------------------------------------------------

_NAME_DOTS = re.compile(r"[\s·•・‧∙.。･]+")


def normalise_person(name: str | None) -> str:
    """A person's name without spaces or middle dots (张 三 = 张三, 阿不都·热合曼 = 阿不都热合曼)."""
    text = unicodedata.normalize("NFKC", name or "")
    return _NAME_DOTS.sub("", text).casefold()


# -- addresses ----------------------------------------------------------------------------

_NUMERAL_BEFORE_UNIT = re.compile(rf"([{EVERYDAY_NUMERALS}]+)(?=号|栋|幢|楼|层|室|单元|座|巷|弄|排|期)")


def _arabic_numbers(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        value = chinese_numeral(match.group(1))
        return match.group(1) if value is None else str(value)

    return _NUMERAL_BEFORE_UNIT.sub(repl, text)


_ADMIN_SEGMENT = re.compile(
    r"^([^\d省市区县旗州盟]{1,12}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|区|县|旗|州|盟))"
)
PROVINCES: dict[str, str] = {
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
    "71": "台湾",
    "81": "香港",
    "82": "澳门",
}
"""First two digits of the administrative division code (GB/T 2260) → the province's short name."""


def split_address(address: str | None) -> tuple[list[str], str]:
    """Split a normalised address into its leading admin segments and the rest.

    "山西省太原市小店区X路1号院" → (["山西省", "太原市", "小店区"], "x路1号").
    Numbers before 号/楼/层/室… become Arabic, 号院/号楼 become 号.
    """
    text = _fold(address or "")
    text = _arabic_numbers(text)
    text = text.replace("号院", "号").replace("号楼", "号")
    segments: list[str] = []
    while True:
        match = _ADMIN_SEGMENT.match(text)
        if not match or len(match.group(1)) == len(text):
            break
        segments.append(match.group(1))
        text = text[match.end() :]
    return segments, text


def addresses_equal(a: str | None, b: str | None) -> bool:
    """Same place: the same street part, and admin prefixes that do not contradict each other.

    One side may omit the province, city or district; two different provinces, cities or
    districts (小店区 vs 迎泽区) are a difference, as is any difference in road or number.
    """
    seg_a, rest_a = split_address(a)
    seg_b, rest_b = split_address(b)
    if not rest_a or rest_a != rest_b:
        return False
    for level in ("province", "city", "district"):
        in_a = {s for s in seg_a if _admin_level(s) == level}
        in_b = {s for s in seg_b if _admin_level(s) == level}
        if not (in_a <= in_b or in_b <= in_a):
            return False
    return True


def _admin_level(segment: str) -> str:
    if segment.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if segment.endswith(("市", "州", "盟", "地区")):
        return "city"
    return "district"


def province_of_address(address: str | None) -> str | None:
    """The division code ("14") of the province an address starts with, if it names one."""
    text = _fold(address or "")
    for code, short in PROVINCES.items():
        if text.startswith(short):
            return code
    return None
