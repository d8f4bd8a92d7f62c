"""Dates as printed on Chinese documents (2021年3月5日, 2021.3.5, 20210305, 二〇二二年十二月十九日)
and the 营业期限 of a licence (至长期, 自…至…). Same contract as every ``parse_*`` of the
package: blank gives None, a value the value, anything else ``ValueParseError``.
"""

from __future__ import annotations

import datetime as dt
import re

from models.errors import ValueParseError
from models.values.numbers import numeral
from models.values.text import blank, fail, squash

_NUM = r"[0-9〇○零一二三四五六七八九十]{1,4}"
_DATE_RES = [
    re.compile(rf"(?P<y>{_NUM})年(?P<m>{_NUM})月(?:(?P<d>{_NUM})[日号]?)?"),
    re.compile(r"(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?:(?P=s)(?P<d>\d{1,2}))?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]
_TIME = re.compile(r"(?:T|(?<=\d))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _part(text: str) -> int:
    return int(numeral(text))


def _date_of(match: re.Match[str], raw: object) -> dt.date:
    try:
        year, month = _part(match.group("y")), _part(match.group("m"))
        day = _part(match.group("d")) if match.group("d") else 1
    except (ValueParseError, ValueError, OverflowError):
        raise fail(raw, "a date") from None
    if not 1900 <= year <= 2200:
        raise fail(raw, "a date (year)")
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        raise fail(raw, "a valid date") from None


def parse_date(raw: object) -> dt.date | None:
    """A date in the forms printed on Chinese documents: 2021年3月5日, 2021.3.5, 2021-03-05,
    2021/3/5, 20210305, 二〇二二年十二月十九日, 2021年3月 (day 1). 2月30日 raises."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _TIME.sub("", squash(raw))
    if blank(text):
        return None
    for pattern in _DATE_RES:
        match = pattern.fullmatch(text)
        if match:
            return _date_of(match, raw)
    raise fail(raw, "a date")


_FIND_DATE = re.compile(rf"{_NUM}年{_NUM}月(?:{_NUM}[日号]?)?|\d{{4}}([-./])\d{{1,2}}(?:\1\d{{1,2}})?|\d{{8}}")
_LONG_TERM = ("长期有效", "无固定期限", "不约定期限", "长期", "永久", "无期限")  # longest first
_TERM_FILLER = re.compile(r"[自从起止至到~:,，。;]|-+|营业期限|期限")


def parse_term(raw: object) -> tuple[dt.date | None, dt.date | None, bool]:
    """营业期限: "2010年01月01日至长期" → (start, None, True); "自2010年1月1日至2040年1月1日"
    → (start, end, False); "长期" → (None, None, True). Blank → (None, None, False)."""
    text = _TIME.sub("", squash(raw))
    if blank(text):
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
        raise fail(raw, "a term")
    found = [d for _, _, d in dates]
    if len(found) > 2 or (len(found) == 2 and long_term):
        raise fail(raw, "a term")
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
    raise fail(raw, "a term")
