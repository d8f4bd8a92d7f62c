"""Fake but internally consistent applicants: credit codes, addresses, people and financials.

Everything is derived from explicit arguments or a seeded ``random.Random`` so that the
generated folder is the same on every run. Credit codes follow GB 32100-2015 (with the
embedded organisation code following GB 11714), and their region digits match the address.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# district code → (province, city, district)
REGIONS: dict[str, tuple[str, str, str]] = {
    "140105": ("山西省", "太原市", "小店区"),
    "140106": ("山西省", "太原市", "迎泽区"),
    "140109": ("山西省", "太原市", "万柏林区"),
    "140213": ("山西省", "大同市", "平城区"),
    "140214": ("山西省", "大同市", "云冈区"),
    "140702": ("山西省", "晋中市", "榆次区"),
    "140403": ("山西省", "长治市", "潞州区"),
    "410105": ("河南省", "郑州市", "金水区"),
    "450103": ("广西壮族自治区", "南宁市", "青秀区"),
    "450107": ("广西壮族自治区", "南宁市", "西乡塘区"),
    "450202": ("广西壮族自治区", "柳州市", "城中区"),
    "450205": ("广西壮族自治区", "柳州市", "柳北区"),
    "450305": ("广西壮族自治区", "桂林市", "七星区"),
    "450405": ("广西壮族自治区", "梧州市", "长洲区"),
    "440305": ("广东省", "深圳市", "南山区"),
}
POSTCODES = {
    "太原市": "030006",
    "大同市": "037006",
    "晋中市": "030600",
    "长治市": "046000",
    "郑州市": "450003",
    "南宁市": "530022",
    "柳州市": "545001",
    "桂林市": "541004",
    "梧州市": "543002",
    "深圳市": "518057",
}
AREA_CODES = {
    "太原市": "0351",
    "大同市": "0352",
    "晋中市": "0354",
    "长治市": "0355",
    "郑州市": "0371",
    "南宁市": "0771",
    "柳州市": "0772",
    "桂林市": "0773",
    "梧州市": "0774",
    "深圳市": "0755",
}
STREETS = [
    "长风街",
    "学府街",
    "平阳路",
    "南内环街",
    "御河西路",
    "迎宾街",
    "顺城街",
    "民族大道",
    "东葛路",
    "高新大道",
    "屏山大道",
    "跃进路",
    "七星路",
    "科技园南路",
    "文源路",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "晓东",
    "丽华",
    "永红",
    "俊杰",
    "春梅",
    "国庆",
    "文博",
    "雪峰",
    "慧敏",
    "立新",
    "红霞",
    "振宇",
    "佳琪",
    "德明",
    "秀英",
    "浩然",
    "静怡",
    "宏伟",
    "明辉",
]
TITLES = ["办公室主任", "总经理助理", "企划部部长", "综合管理部经理", "副总经理", "财务总监"]


def org_code_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(rng: random.Random, region: str, dept: str = "91") -> str:
    """A valid credit code: registering authority + type, region, organisation code, check."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    org = body + org_code_check(body)
    first17 = dept + region + org
    return first17 + uscc_check(first17)


def with_division(code: str, division: str) -> str:
    """The same code registered at another six-digit division, check character recomputed."""
    first17 = code[:2] + division + code[8:17]
    return first17 + uscc_check(first17)


def spoil_uscc(code: str) -> str:
    """The same code with a wrong (but well-formed) check character."""
    good = code[-1]
    bad = USCC_ALPHABET[(USCC_ALPHABET.index(good) + 7) % 31]
    return code[:-1] + bad


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Company:
    """A legal person as its licence and its form describe it."""

    name: str
    region: str
    uscc: str
    address: str  # 住所 without the province prefix, as a licence prints it
    legal_rep: str
    established: dt.date
    term_end: dt.date | None  # None: 长期
    capital: float  # 注册资本, 万元
    type: str = "有限责任公司（自然人投资或控股）"
    scope: str = "机械设备制造、销售；技术开发、技术服务；货物进出口"
    nature: str = "民营企业"
    main_business: str = "装备制造及服务"
    contact: str = ""
    title: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    fax: str = ""
    dept: str = "91"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def city(self) -> str:
        return REGIONS[self.region][1]

    @property
    def province(self) -> str:
        return REGIONS[self.region][0]

    @property
    def authority(self) -> str:
        _, city, district = REGIONS[self.region]
        return f"{city}{district}市场监督管理局" if self.dept == "91" else f"{city}事业单位登记管理局"

    @property
    def postcode(self) -> str:
        return POSTCODES[self.city]


def make_company(rng: random.Random, name: str, region: str, **kw: Any) -> Company:
    """A company whose code, address, phone numbers and people all agree with its region."""
    _, city, district = REGIONS[region]
    street = rng.choice(STREETS)
    address = kw.pop("address", f"{city}{district}{street}{rng.randint(1, 399)}号")
    est = kw.pop("established", dt.date(rng.randint(1998, 2015), rng.randint(1, 12), rng.randint(1, 28)))
    term = kw.pop("term_end", "long")
    term_end = None if term == "long" else term
    area = AREA_CODES[city]
    dept = kw.pop("dept", "91")
    contact = person(rng)
    domain = "".join(rng.choice("abcdefghjkmnpqrstwxyz") for _ in range(6))
    company = Company(
        name=name,
        region=region,
        uscc=kw.pop("uscc", None) or make_uscc(rng, region, dept),
        address=address,
        legal_rep=kw.pop("legal_rep", None) or person(rng),
        established=est,
        term_end=term_end,
        capital=float(kw.pop("capital", rng.choice([500, 1000, 2000, 5000, 3600, 8000]))),
        contact=contact,
        title=rng.choice(TITLES),
        phone=f"{area}-{rng.randint(2000000, 8999999)}",
        mobile=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        email=f"{domain}@{rng.choice(['163.com', '126.com', 'qq.com', domain + '.com.cn'])}",
        fax=f"{area}-{rng.randint(2000000, 8999999)}",
        dept=dept,
    )
    for key, value in kw.items():
        setattr(company, key, value)
    return company


def financials(
    rng: random.Random, revenue_2020: float, share_2020: float, years: tuple[int, ...] = (2018, 2019, 2020)
) -> dict[str, dict[str, float]]:
    """Three years of plausible figures (万元, %) ending with the given revenue and service
    share; the service share of the last year is exact to two decimals."""
    out: dict[str, dict[str, float]] = {}
    n = len(years)
    for i, year in enumerate(years):
        scale = (0.82 + 0.09 * i) if i < n - 1 else 1.0
        revenue = round(revenue_2020 * scale, 2)
        share = share_2020 if i == n - 1 else share_2020 - (n - 1 - i) * rng.uniform(1.5, 3.0)
        service = round(revenue * share / 100, 2)
        assets = round(revenue * rng.uniform(1.1, 1.8), 2)
        profit = round(revenue * rng.uniform(0.05, 0.12), 2)
        out[str(year)] = {
            "total_assets": assets,
            "debt_ratio": round(rng.uniform(32, 68), 1),
            "revenue": revenue,
            "service_revenue": service,
            "taxes": round(revenue * rng.uniform(0.03, 0.06), 2),
            "total_profit": profit,
            "net_profit_growth": round(rng.uniform(-4, 22), 1),
            "rd_ratio": round(rng.uniform(3, 7.5), 1),
        }
    return out


def staff(rng: random.Random) -> dict[str, float]:
    return {
        "staff_total": float(rng.randint(120, 1800)),
        "rd_staff_ratio": round(rng.uniform(12, 30), 1),
        "senior_staff_ratio": round(rng.uniform(15, 40), 1),
        "bachelor_ratio": round(rng.uniform(30, 70), 1),
    }


def fmt_num(value: float | None) -> str:
    """How a form prints a figure: no thousands separator, trailing zeros dropped."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
