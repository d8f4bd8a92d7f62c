"""Numbers as printed on forms and certificates: plain and Chinese numerals (壹佰贰拾叁万,
二〇二二, 三万五), counts, percents and 万元 amounts (also 大写), with OCR's punctuation and
look-alike letters undone (``ocr_repair``).

Contract of every ``parse_*``: blank text (or a lone placeholder such as "—", "/", "无")
gives None; a value gives the value; any other text raises ``ValueParseError`` and nothing
else escapes. ``chinese_numeral`` is the same numeral reader for the house numbers of an
address (一号 = 1号), where it answers None instead of raising.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TypeVar

from models.errors import ValueParseError
from models.values.text import blank, fail, squash, undo_lookalikes

T = TypeVar("T")


_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_TOKEN = re.compile(rf"({_ARABIC})|(.)")
_NUMERAL_CHARS = set(_CN_DIGITS) | set(_CN_SMALL) | set(_CN_BIG)


def _tokens(text: str) -> list[tuple[str, float]]:
    """Split into ("n", value) number tokens and ("s"/"b", factor) unit tokens."""
    out: list[tuple[str, float]] = []
    for match in _TOKEN.finditer(text):
        arabic, char = match.groups()
        if arabic is not None:
            out.append(("n", float(arabic.replace(",", ""))))
        elif char in _CN_DIGITS:
            out.append(("z" if _CN_DIGITS[char] == 0 else "n", float(_CN_DIGITS[char])))
        elif char in _CN_SMALL:
            out.append(("s", float(_CN_SMALL[char])))
        elif char in _CN_BIG:
            out.append(("b", float(_CN_BIG[char])))
        else:
            raise ValueParseError(f"unexpected character {char!r} in a number")
    return out


def numeral(text: str) -> float:
    """Value of a number written in Arabic digits, Chinese numerals or a mix ("1.2亿",
    "壹佰贰拾叁万肆仟伍佰", "二〇二二", "三万五")."""
    toks = _tokens(text)
    if not toks:
        raise ValueParseError("empty number")
    if len(toks) > 1 and all(kind in "nz" for kind, _ in toks):
        if any(kind == "n" and (v != int(v) or v > 9) for kind, v in toks):
            raise ValueParseError("two numbers side by side")
        return float("".join(str(int(v)) for _, v in toks))  # digit-by-digit: 二〇二二
    total = wan = section = 0.0
    current: float | None = None
    last_small = last_big = float("inf")
    prev_unit: float | None = None  # factor of the unit just before, for "三万五"
    zero_seen = False
    for kind, value in toks:
        if kind == "z":
            zero_seen, prev_unit = True, None
            continue
        if kind == "n":
            if current is not None:
                raise ValueParseError("two numbers side by side")
            current = value
            continue
        if kind == "s":
            if value >= last_small:
                raise ValueParseError("units out of order")
            section += (1.0 if current is None else current) * value
            last_small, prev_unit = value, value
        else:
            if current is None and section == 0 and wan == 0 and total == 0:
                raise ValueParseError("unit without a number")
            if value == 10_000:
                if last_big <= 10_000:
                    raise ValueParseError("units out of order")
                wan += (section + (current or 0.0)) * value
                last_big = value
            else:
                total = (total + wan + section + (current or 0.0)) * value
                wan, last_big = 0.0, float("inf")
            section, last_small, prev_unit = 0.0, float("inf"), value
        current, zero_seen = None, False
    if current is not None and prev_unit is not None and not zero_seen and prev_unit >= 100:
        # colloquial omission of the next unit: 三万五 = 35000, 一千五 = 1500
        current *= prev_unit / 10
    return total + wan + section + (current or 0.0)


EVERYDAY_NUMERALS = "〇零一二两三四五六七八九十百千"
"""The numerals a house, building or floor number is written in (一号, 二十三栋, 一〇八室)."""


def chinese_numeral(text: str) -> int | None:
    """二十三 → 23, 一〇八 → 108 (digit by digit), 十 → 10, 一千五 → 1500 (as ``numeral``
    reads it); None for text with any other character or numerals in an impossible order
    (十十)."""
    if not text or any(ch not in EVERYDAY_NUMERALS for ch in text):
        return None
    try:
        return int(numeral(text))
    except ValueParseError:
        return None


# ---------------------------------------------------------------- numbers

_NUMBER_UNITS = (
    "平方米", "万美元", "万元", "亿元", "元", "人", "项", "个", "户", "家", "件", "名",
    "m2", "㎡", "%",
)  # fmt: skip
_PLAIN = re.compile(rf"[+-]?(?:{_ARABIC})")


def parse_number(raw: object, *, repair: bool = True) -> float | None:
    """A plain number: "1,234.5", "１２３", "-12", "15人", "12.5万元" (unit stripped, not
    converted: use ``parse_amount`` for money), "三" (Chinese numerals). With ``repair``,
    text that reads as a number only after ``ocr_repair`` ("5309.", "-4:7") gives that
    number."""
    return _repaired(_number, raw, repair)


def _number(raw: object) -> float | None:
    text = squash(raw)
    if blank(text):
        return None
    for unit in _NUMBER_UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    if _PLAIN.fullmatch(text):
        return _finite(float(text.replace(",", "")), raw)
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body and all(c in _NUMERAL_CHARS or c.isdigit() or c in ".," for c in body):
        try:
            return _finite(sign * numeral(body), raw)
        except (ValueParseError, ValueError, OverflowError):
            pass
    raise fail(raw, "a number")


def _repaired(parse: Callable[[object], T], raw: object, repair: bool) -> T:
    """``parse(raw)``; when that fails and ``repair`` is set, ``parse`` of the OCR-repaired
    text. The first error is the one raised."""
    try:
        return parse(raw)
    except ValueParseError as error:
        first = error
    fixed = ocr_repair(raw) if repair else None
    if fixed is None:
        raise first
    try:
        return parse(fixed)
    except ValueParseError:
        raise first from None


# ---------------------------------------------------------------- OCR repairs of numbers

_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}
_COLON_DOT = re.compile(r"(?<=\d):(?=\d)")
_COMMA_DOT = re.compile(r"([+-]?\d+),(\d)(%?)")  # one digit after: never a thousands group
_DOUBLE_DOT = re.compile(r"(?<=\d)\.{2,}(?=\d)")
_LEADING_DOT = re.compile(r"^([+-]?)\.+(?=\d+\.\d)")
_TRAILING_DOT = re.compile(r"(?<=\d)\.+(?=[^\d.]*$)")


def ocr_repair(raw: object) -> str | None:
    """The text of a number with OCR's punctuation and look-alike letters undone, where a
    person reads it one way only: ``5309.`` → ``5309``, ``-3.5.`` → ``-3.5``, ``.65.9`` →
    ``65.9``, ``-4:7`` → ``-4.7`` (a colon read for the dot), ``-4,7`` → ``-4.7`` (a comma
    with one digit after it is never a thousands separator), ``1O0`` → ``100``, ``l2`` →
    ``12``. None when there is nothing to undo; the result may still not be a number
    ("1.2.3" and "1,23" are left as they are: two readings)."""
    text = squash(raw).replace("。", ".")
    if not any(c.isdigit() for c in text):
        return None
    fixed = undo_lookalikes(text, _LOOKALIKES, next_to=r"[\d.]")
    if fixed.count(":") == 1 and "." not in fixed:
        fixed = _COLON_DOT.sub(".", fixed)
    if fixed.count(",") == 1 and "." not in fixed:
        fixed = _COMMA_DOT.sub(r"\1.\2\3", fixed) if _COMMA_DOT.fullmatch(fixed) else fixed
    fixed = _DOUBLE_DOT.sub(".", fixed)
    fixed = _LEADING_DOT.sub(r"\1", fixed)
    if fixed.endswith(".") or _TRAILING_DOT.search(fixed):
        fixed = _TRAILING_DOT.sub("", fixed.rstrip("."))
    return fixed if fixed != squash(raw) else None


def _finite(value: float, raw: object) -> float:
    if not math.isfinite(value) or abs(value) > 1e15:
        raise fail(raw, "a number of sensible size")
    return value


def parse_int(raw: object, *, repair: bool = True) -> int | None:
    """A whole number ("12", "12人", "十二"); "12.5" raises."""
    value = parse_number(raw, repair=repair)
    if value is None:
        return None
    if value != int(value):
        raise fail(raw, "a whole number")
    return int(value)


def parse_percent(raw: object, *, repair: bool = True) -> float | None:
    """Percent as printed: "35%", "35", "35.5％", "-12.3%", "百分之三十" → 35, 35, 35.5, …
    A fraction such as 0.35 is returned as 0.35 (never rescaled). ``repair`` as in
    ``parse_number`` ("12.5%." → 12.5)."""
    return _repaired(_percent, raw, repair)


def _percent(raw: object) -> float | None:
    text = squash(raw)
    if blank(text):
        return None
    if text.startswith("百分之"):
        text = text[3:]
    text = text.rstrip("%")
    return _number(text) if text else _raise(raw, "a percent")


def _raise(raw: object, what: str) -> float:
    raise fail(raw, what)


_UNIT_FACTOR = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}
_FOREIGN = re.compile(r"美元|港元|港币|欧元|日元|英镑|USD|HKD|EUR|JPY|US\$", re.IGNORECASE)
_AMOUNT = re.compile(r"(?P<num>.+?)(?P<yuan>元(?P<tail>.*))?")
_JIAOFEN = re.compile(r"(?:(?P<jiao>.)角)?(?:(?P<fen>.)分)?")


def parse_amount(raw: object, unit: str = "万元", *, repair: bool = True) -> float | None:
    """Money in 万元. "1234500元" → 123.45, "12.3万元" → 12.3, "1.2亿元" → 12000,
    "人民币壹佰贰拾叁万肆仟伍佰元整" → 123.45. Text without 元, 万 or 亿 is in ``unit``
    ("元", "千元", "万元", "亿元"). Foreign currencies raise. ``repair`` as in
    ``parse_number`` ("5309." → 5309)."""
    if unit not in _UNIT_FACTOR:
        raise ValueError(f"unknown unit {unit!r}")
    return _repaired(lambda text: _amount(text, unit), raw, repair)


def _amount(raw: object, unit: str) -> float | None:
    text = squash(raw)
    if blank(text):
        return None
    if _FOREIGN.search(text):
        raise fail(raw, "an amount in 人民币")
    text = re.sub(r"^(?:人民币|RMB|CNY|¥|\(人民币\))", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?:\(人民币\)|人民币|RMB|CNY)$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\((?:小写|大写)[^)]*\)$", "", text)  # 伍佰万元整（小写：500万元）
    text = text.rstrip("整正")
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    match = _AMOUNT.fullmatch(text) if text else None
    if match is None:
        raise fail(raw, "an amount")
    num, yuan, tail = match.group("num"), match.group("yuan"), match.group("tail") or ""
    try:
        value = numeral(num)
        cents = _jiao_fen(tail) if yuan else 0.0
    except (ValueParseError, ValueError, OverflowError):
        raise fail(raw, "an amount") from None
    if yuan or any(c in _CN_BIG for c in num):  # the text says how big: value is in 元
        return _finite(sign * round((value + cents) * 1e-4, 8), raw)
    return _finite(sign * round(value * _UNIT_FACTOR[unit], 8), raw)


def _jiao_fen(tail: str) -> float:
    tail = tail.replace("零", "").replace("〇", "")
    if not tail:
        return 0.0
    match = _JIAOFEN.fullmatch(tail)
    if match is None:
        raise ValueParseError("bad 角/分")
    jiao = numeral(match.group("jiao")) if match.group("jiao") else 0.0
    fen = numeral(match.group("fen")) if match.group("fen") else 0.0
    return jiao / 10 + fen / 100
