"""Parsers for the values printed on forms and certificates: numbers, 万元 amounts (also
大写), percents, dates (also 二〇二二年十二月十九日), 营业期限, phones, e-mails and the
统一社会信用代码 (GB 32100-2015).

Contract of every ``parse_*``: blank text (or a lone placeholder such as "—", "/", "无")
gives None; a value gives the value; any other text raises ``ValueParseError`` and nothing
else escapes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from models.errors import ValueParseError

T = TypeVar("T")

_PLACEHOLDERS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "暂无", "N/A", "NA"}
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "﹣": "-", "‐": "-"})


def _norm(raw: object) -> str:
    """NFKC, unify dashes, drop all whitespace."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).translate(_DASHES)
    return re.sub(r"\s+", "", text)


def _blank(text: str) -> bool:
    return text in _PLACEHOLDERS or text.upper() in _PLACEHOLDERS


def is_blank(raw: object) -> bool:
    """True for empty text and lone placeholders ("—", "-", "/", "无") that mean "nothing
    filled in"; every parser returns None for these."""
    return _blank(_norm(raw))


def _fail(raw: object, what: str) -> ValueParseError:
    return ValueParseError(f"cannot read {what} from {str(raw)[:60]!r}")


# ---------------------------------------------------------------- Chinese numerals

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


def _numeral(text: str) -> float:
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
    text = _norm(raw)
    if _blank(text):
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
            return _finite(sign * _numeral(body), raw)
        except (ValueParseError, ValueError, OverflowError):
            pass
    raise _fail(raw, "a number")


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
_LOOKALIKE_NEAR_DIGIT = re.compile(r"(?<=[\d.])[OolI]|[OolI](?=[\d.])")
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
    text = _norm(raw).replace("。", ".")
    if not any(c.isdigit() for c in text):
        return None
    fixed = text
    previous = None
    while previous != fixed:  # "1OO": each letter turns once a neighbour is a digit
        previous = fixed
        fixed = _LOOKALIKE_NEAR_DIGIT.sub(lambda m: _LOOKALIKES[m.group(0)], fixed)
    if fixed.count(":") == 1 and "." not in fixed:
        fixed = _COLON_DOT.sub(".", fixed)
    if fixed.count(",") == 1 and "." not in fixed:
        fixed = _COMMA_DOT.sub(r"\1.\2\3", fixed) if _COMMA_DOT.fullmatch(fixed) else fixed
    fixed = _DOUBLE_DOT.sub(".", fixed)
    fixed = _LEADING_DOT.sub(r"\1", fixed)
    if fixed.endswith(".") or _TRAILING_DOT.search(fixed):
        fixed = _TRAILING_DOT.sub("", fixed.rstrip("."))
    return fixed if fixed != _norm(raw) else None


def _finite(value: float, raw: object) -> float:
    if not math.isfinite(value) or abs(value) > 1e15:
        raise _fail(raw, "a number of sensible size")
    return value


def parse_int(raw: object, *, repair: bool = True) -> int | None:
    """A whole number ("12", "12人", "十二"); "12.5" raises."""
    value = parse_number(raw, repair=repair)
    if value is None:
        return None
    if value != int(value):
        raise _fail(raw, "a whole number")
    return int(value)


def parse_percent(raw: object, *, repair: bool = True) -> float | None:
    """Percent as printed: "35%", "35", "35.5％", "-12.3%", "百分之三十" → 35, 35, 35.5, …
    A fraction such as 0.35 is returned as 0.35 (never rescaled). ``repair`` as in
    ``parse_number`` ("12.5%." → 12.5)."""
    return _repaired(_percent, raw, repair)


def _percent(raw: object) -> float | None:
    text = _norm(raw)
    if _blank(text):
        return None
    if text.startswith("百分之"):
        text = text[3:]
    text = text.rstrip("%")
    return _number(text) if text else _raise(raw, "a percent")


def _raise(raw: object, what: str) -> float:
    raise _fail(raw, what)


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
    text = _norm(raw)
    if _blank(text):
        return None
    if _FOREIGN.search(text):
        raise _fail(raw, "an amount in 人民币")
    text = re.sub(r"^(?:人民币|RMB|CNY|¥|\(人民币\))", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?:\(人民币\)|人民币|RMB|CNY)$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\((?:小写|大写)[^)]*\)$", "", text)  # 伍佰万元整（小写：500万元）
    text = text.rstrip("整正")
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    match = _AMOUNT.fullmatch(text) if text else None
    if match is None:
        raise _fail(raw, "an amount")
    num, yuan, tail = match.group("num"), match.group("yuan"), match.group("tail") or ""
    try:
        value = _numeral(num)
        cents = _jiao_fen(tail) if yuan else 0.0
    except (ValueParseError, ValueError, OverflowError):
        raise _fail(raw, "an amount") from None
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
    jiao = _numeral(match.group("jiao")) if match.group("jiao") else 0.0
    fen = _numeral(match.group("fen")) if match.group("fen") else 0.0
    return jiao / 10 + fen / 100


# ---------------------------------------------------------------- dates

_NUM = r"[0-9〇○零一二三四五六七八九十]{1,4}"
_DATE_RES = [
    re.compile(rf"(?P<y>{_NUM})年(?P<m>{_NUM})月(?:(?P<d>{_NUM})[日号]?)?"),
    re.compile(r"(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?:(?P=s)(?P<d>\d{1,2}))?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]
_TIME = re.compile(r"(?:T|(?<=\d))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _part(text: str) -> int:
    return int(_numeral(text))


def _date_of(match: re.Match[str], raw: object) -> dt.date:
    try:
        year, month = _part(match.group("y")), _part(match.group("m"))
        day = _part(match.group("d")) if match.group("d") else 1
    except (ValueParseError, ValueError, OverflowError):
        raise _fail(raw, "a date") from None
    if not 1900 <= year <= 2200:
        raise _fail(raw, "a date (year)")
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        raise _fail(raw, "a valid date") from None


def parse_date(raw: object) -> dt.date | None:
    """A date in the forms printed on Chinese documents: 2021年3月5日, 2021.3.5, 2021-03-05,
    2021/3/5, 20210305, 二〇二二年十二月十九日, 2021年3月 (day 1). 2月30日 raises."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _TIME.sub("", _norm(raw))
    if _blank(text):
        return None
    for pattern in _DATE_RES:
        match = pattern.fullmatch(text)
        if match:
            return _date_of(match, raw)
    raise _fail(raw, "a date")


_FIND_DATE = re.compile(rf"{_NUM}年{_NUM}月(?:{_NUM}[日号]?)?|\d{{4}}([-./])\d{{1,2}}(?:\1\d{{1,2}})?|\d{{8}}")
_LONG_TERM = ("长期有效", "无固定期限", "不约定期限", "长期", "永久", "无期限")  # longest first
_TERM_FILLER = re.compile(r"[自从起止至到~:,，。;]|-+|营业期限|期限")


def parse_term(raw: object) -> tuple[dt.date | None, dt.date | None, bool]:
    """营业期限: "2010年01月01日至长期" → (start, None, True); "自2010年1月1日至2040年1月1日"
    → (start, end, False); "长期" → (None, None, True). Blank → (None, None, False)."""
    text = _TIME.sub("", _norm(raw))
    if _blank(text):
        return None, None, False
    dates: list[tuple[int, int, dt.date]] = []
    for match in _FIND_DATE.finditer(text):
        dates.append((match.start(), match.end(), parse_date(match.group(0)) or dt.date.min))
    rest = text
    for start, end, _ in reversed(dates):
        rest = rest[:start] + " " + rest[end:]
    long_term = False
    for word in _LONG_TERM:
        if word in rest:
            long_term = True
            rest = rest.replace(word, " ")
    if _TERM_FILLER.sub("", rest).replace(" ", ""):
        raise _fail(raw, "a term")
    found = [d for _, _, d in dates]
    if len(found) > 2 or (len(found) == 2 and long_term):
        raise _fail(raw, "a term")
    if len(found) == 2:
        return found[0], found[1], False
    if len(found) == 1:
        start, end, _ = dates[0]
        before = re.sub(r"[自从\s]", "", text[:start])
        after = text[end:].strip()
        if long_term or (not before and after[:1] in ("至", "到", "起", "-", "~")):
            return found[0], None, long_term
        return None, found[0], False
    if long_term:
        return None, None, True
    raise _fail(raw, "a term")


# ---------------------------------------------------------------- contacts

_PHONE_SPLIT = re.compile(r"[、,;/或及和]|\s{2,}")


def parse_phone(raw: object) -> str | None:
    """First phone number in the text, as "0351-2022229" (area code, one dash, number) or
    "15635390920" (mobile). Extensions (转8001) and country codes are dropped."""
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(_DASHES).strip()
    if _blank(text.replace(" ", "")):
        return None
    for chunk in _PHONE_SPLIT.split(text):
        chunk = re.split(r"转|分机|ext", chunk, flags=re.IGNORECASE)[0]
        chunk = re.sub(r"^[^\d(+]*", "", chunk)
        groups = re.findall(r"\d+", chunk)
        digits = "".join(groups)
        if len(digits) < 7:
            continue
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86") and len(digits) in (13, 12, 11) and chunk.lstrip("(+")[:2] == "86":
            digits = digits[2:]
        if re.fullmatch(r"1[3-9]\d{9}", digits):
            return digits
        if digits.startswith("0") and 10 <= len(digits) <= 12:
            if len(groups) >= 2 and 3 <= len(groups[0]) <= 4 and groups[0].startswith("0"):
                area = groups[0]
            else:
                area = digits[:3] if digits[1] in "12" else digits[:4]
            local = digits[len(area) :]
            if 7 <= len(local) <= 8:
                return f"{area}-{local}"
        if 7 <= len(digits) <= 12:
            return digits
    raise _fail(raw, "a phone number")


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)


def parse_email(raw: object) -> str | None:
    """First e-mail address in the text; full-width ＠ and 。／．dots normalised, domain
    lower-cased."""
    text = _norm(raw).replace("。", ".").replace("#", "@") if raw else ""
    if _blank(text):
        return None
    match = _EMAIL.search(text)
    if match is None:
        raise _fail(raw, "an e-mail address")
    local, domain = match.group(0).rsplit("@", 1)
    return f"{local}@{domain.lower().strip('.')}"


# ---------------------------------------------------------------- 统一社会信用代码

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_AUTHORITIES = "123456789ANY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The check character of GB 32100-2015 for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_shape(code: str) -> bool:
    return (
        len(code) == 18
        and code[0] in USCC_AUTHORITIES
        and all(c in USCC_ALPHABET for c in code)
        and code[2:8].isdigit()
    )


def uscc_is_valid(code: str) -> bool:
    """18 characters of the code's alphabet, a registration-authority code first, digits 3–8
    (region) and a matching check character. Spaces and case are ignored."""
    if not isinstance(code, str):
        return False
    code = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", code)).upper()
    return _uscc_shape(code) and uscc_check_char(code[:17]) == code[17]


# OCR confusions: what a printed character may have been read as.
_MUST = {"O": "0", "I": "1", "S": "5", "Z": "2", "V": "UY", "$": "5"}
_MAY = {
    "0": "DQ", "D": "0", "Q": "0", "1": "L", "L": "1", "2": "Z", "5": "S", "8": "B",
    "B": "8", "6": "G", "G": "6", "U": "V", "7": "T", "T": "7",
}  # fmt: skip
_DIGIT_OF = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8",
             "G": "6", "T": "7", "$": "5"}  # fmt: skip


def repair_uscc(text: str) -> str | None:
    """A valid code from OCR'd text: spaces dropped, then the fewest OCR confusions undone
    (O→0, I→1, S→5, Z→2 where the alphabet forbids them; 0↔D, 1↔L, 8↔B … only when that
    makes the check character right). None when no or more than one repair fits."""
    if not text:
        return None
    flat = re.sub(r"[\s\-_·.]", "", unicodedata.normalize("NFKC", str(text))).upper()
    found: list[str] = []
    for run in re.findall(r"[0-9A-Z$]{18,20}", flat):
        for i in range(len(run) - 17):
            fixed = _repair18(run[i : i + 18])
            if fixed and fixed not in found:
                found.append(fixed)
    return found[0] if len(found) == 1 else None


def _repair18(code: str) -> str | None:
    options: list[list[str]] = []
    for pos, char in enumerate(code):
        if 2 <= pos < 8 and not char.isdigit():
            forced = _DIGIT_OF.get(char, "")
            options.append([forced] if forced else [])
        elif char in _MUST:
            options.append(list(_MUST[char]))
        elif char in USCC_ALPHABET:
            options.append([char])
        else:
            options.append([])
        if not options[-1]:
            return None
    if math.prod(len(o) for o in options) > 16:
        return None
    base_choices = list(itertools.product(*options))
    costs: dict[str, int] = {}
    for base in base_choices:
        candidate = "".join(base)
        if _plausible(candidate):
            costs[candidate] = 0
        for pos, char in enumerate(base):
            for alt in _MAY.get(char, ""):
                if 2 <= pos < 8 and not alt.isdigit():
                    continue
                candidate = "".join(base[:pos]) + alt + "".join(base[pos + 1 :])
                if _plausible(candidate):  # digits are commoner than letters in codes
                    costs.setdefault(candidate, 1 if alt.isdigit() else 2)
    if not costs:
        return None
    best = min(costs.values())
    winners = [code for code, cost in costs.items() if cost == best]
    return winners[0] if len(winners) == 1 else None


def _plausible(code: str) -> bool:
    """Valid, and the organisation-type code (2nd character) is a digit, as it is for every
    registration authority in GB 32100-2015."""
    return code[1].isdigit() and uscc_is_valid(code)


def _looks_like_id_card(code: str) -> bool:
    """A 居民身份证 number (ISO 7064 MOD 11-2 check and a birth date) is not a credit code."""
    if not re.fullmatch(r"\d{17}[\dX]", code):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(code, weights, strict=False)) % 11]
    try:
        dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return check == code[17] and 1900 <= int(code[6:10]) <= 2030


def find_usccs(text: str) -> list[str]:
    """Valid codes in free text, in order, without repeats. A candidate is an 18-character
    run of letters and digits (spaces inside a code are tolerated); only runs whose check
    character is right count, so a phone number or an ID-card number is not a code."""
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", str(text)).upper()
    found: list[str] = []
    for source in (norm, re.sub(r"[ \t]", "", norm)):
        for run in re.findall(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])", source):
            if uscc_is_valid(run) and not _looks_like_id_card(run) and run not in found:
                found.append(run)
    return found
