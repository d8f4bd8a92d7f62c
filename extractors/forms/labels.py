"""Form labels as printed in the notices, normalised, and the canonical key each one fills.

A printed label is matched after ``norm_label``: NFKC, every space and line break removed,
a trailing bracketed unit or remark dropped (``资产总额（万元）`` → ``资产总额``,
``GDP（2020年，下同）`` → ``GDP``), a leading ``其中`` dropped and the colon stripped. So
``职 务``, ``研发和设计 人员比例`` and ``其中:服务收入(万 元)`` all match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

ValueType = Literal["text", "amount", "percent", "int", "number", "phone", "email", "years"]

_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")
_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]?$")
_LEADING_QIZHONG = re.compile(r"^其中[,，:：、]?")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年?")


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """NFKC and no whitespace at all: the form in which printed text is compared. Memoised:
    classification squashes the same block texts once per form kind and page."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def norm_label(text: str) -> str:
    """The comparable form of a label cell's text (see the module docstring)."""
    out = squash(text).rstrip(":：")
    out = _LEADING_QIZHONG.sub("", out) or out
    previous = None
    while previous != out:  # "资产总额(万元)(%)" and "委托单位(甲方)" lose every trailing remark
        previous = out
        out = _TRAILING_BRACKET.sub("", out).rstrip(":：")
    return out


def label_unit(text: str) -> str | None:
    """The money unit printed in a label's brackets (万元, 元, 亿元), if any."""
    for match in _BRACKETS.finditer(squash(text)):
        for unit in ("亿元", "万元", "元"):
            if unit in match.group(0):
                return unit
    return None


def year_of(text: str) -> str | None:
    """The first year printed in a header cell ("2019 年", "2020年度"), as a string key."""
    match = _YEAR.search(squash(text))
    return match.group(1) if match else None


def strip_numbering(text: str) -> str:
    """Drop a leading 一、 / 1. so "二、经营管理状况" compares as "经营管理状况"."""
    return _NUMBERING.sub("", squash(text))


# Labels shared by the four forms: normalised label → canonical key.
COMMON_LABELS: dict[str, str] = {
    "企业性质": "nature",
    "单位性质": "nature",
    "法人代表": "legal_rep",
    "法定代表人": "legal_rep",
    "注册地址": "reg_address",
    "主营业务": "main_business",
    "通信地址": "mail_address",
    "通讯地址": "mail_address",
    "邮政编码": "postcode",
    "邮编": "postcode",
    "联系人": "contact",
    "职务": "title",
    "联系电话": "phone",
    "电话": "phone",
    "手机": "mobile",
    "手机号码": "mobile",
    "电子邮箱": "email",
    "邮箱": "email",
    "E-mail": "email",
    "e-mail": "email",
    "Email": "email",
    "EMAIL": "email",
    "E-MAIL": "email",
    "传真": "fax",
    "员工总数": "staff_total",
    "从业人数": "staff_total",
    "从业人员总数": "staff_total",
    "研发和设计人员比例": "rd_staff_ratio",
    "研发设计人员比例": "rd_staff_ratio",
    "中高级职业资格人员比例": "senior_staff_ratio",
    "本科以上学历人员比例": "bachelor_ratio",
    "主要申报内容": "content",
}

# Year-column rows: normalised label → key under financials.<year>.
FINANCIAL_LABELS: dict[str, str] = {
    "资产总额": "total_assets",
    "资产负债率": "debt_ratio",
    "营业收入": "revenue",
    "服务收入": "service_revenue",
    "税金总额": "taxes",
    "上缴税金": "taxes",
    "纳税总额": "taxes",
    "利润总额": "total_profit",
    "净利润增长率": "net_profit_growth",
    "研发设计投入比例": "rd_ratio",
    "研发设计投入占收入比": "rd_ratio",
    "研发设计投入占收入比例": "rd_ratio",
    "服务企业户数": "served_companies",
}

PATENT_LABELS: dict[str, str] = {
    "总数": "total",
    "发明": "invention",
    "发明专利": "invention",
    "实用新型": "utility_model",
    "实用新型专利": "utility_model",
    "外观设计": "design",
    "外观设计专利": "design",
}

# Cells that are part of the form's furniture: never a value.
STRUCTURAL = {
    "从业人员",
    "经营指标",
    "其中",
    "序号",
    "企业累计获得专利",
    "本项目获得或已被受理专利情况",
    "主要投资方名称",
    "性质",
    "投资比例",
    "服务典型企业名单",
    "服务企业名称",
    "服务内容简述",
    "申报类型",
}

VALUE_TYPES: dict[str, ValueType] = {
    "staff_total": "int",
    "rd_staff_ratio": "percent",
    "senior_staff_ratio": "percent",
    "bachelor_ratio": "percent",
    "phone": "phone",
    "mobile": "phone",
    "fax": "phone",
    "email": "email",
    "investment": "amount",
    "registered_capital": "amount",
    "total_assets_last_year": "amount",
    "service_area": "number",
    "start_year": "int",
    "end_year": "int",
    "project_years": "years",
    "gdp": "amount",
    "manufacturing_value_added": "amount",
    "producer_services_value_added": "amount",
    "industrial_revenue": "amount",
    "total_assets": "amount",
    "revenue": "amount",
    "service_revenue": "amount",
    "taxes": "amount",
    "total_profit": "amount",
    "debt_ratio": "percent",
    "net_profit_growth": "percent",
    "rd_ratio": "percent",
    "served_companies": "int",
    "total": "int",
    "invention": "int",
    "utility_model": "int",
    "design": "int",
    "ratio": "percent",
}


def value_type(key: str) -> ValueType:
    """How the value of a canonical key is parsed; growth rates are percents."""
    last = key.rsplit(".", 1)[-1]
    if last.endswith("_growth"):
        return "percent"
    return VALUE_TYPES.get(last, "text")


CHECKED_MARKS = "☑■√✓✔☒⊠▣●◼✗✘×"
UNCHECKED_MARKS = "□☐○◻"


def checked_options(text: str, options: dict[str, str]) -> list[str]:
    """Option values whose printed text carries a checked mark next to it.

    ``options`` maps printed option text (squashed) to the value it stands for. Marks are
    read where the text puts them: right before the options (``☑示范企业 □示范项目``) or, when
    no option has a mark before it, right after (``示范企业√``). Unmarked options never
    count, so an untouched template gives no choice.
    """
    flat = squash(text)
    marks = CHECKED_MARKS + UNCHECKED_MARKS
    found: list[tuple[int, str, str, str]] = []  # (position, value, mark before, after)
    for printed, value in options.items():
        start = flat.find(printed)
        if start < 0:
            continue
        before = flat[max(0, start - 2) : start]
        after = flat[start + len(printed) : start + len(printed) + 2]
        mark_before = next((ch for ch in reversed(before) if ch in marks), "")
        mark_after = next((ch for ch in after if ch in marks), "")
        found.append((start, value, mark_before, mark_after))
    found.sort()
    # The first option tells the convention: a mark between two options belongs to the
    # option it follows when the first option has no mark before it.
    marks_lead = bool(found) and (bool(found[0][2]) or not found[0][3])
    chosen: list[str] = []
    for _, value, before, after in found:
        mark = before if marks_lead else after
        if mark and mark in CHECKED_MARKS and value not in chosen:
            chosen.append(value)
    return chosen
