"""Phone numbers and e-mail addresses: ``parse_phone``/``parse_email`` read the first one of a
cell for the record; ``phone_numbers``/``phones_match`` find every number of a cell to compare
the contacts given in different documents (an area code may be left out on one side).
"""

from __future__ import annotations

import re
import unicodedata

from models.values.text import DASHES, blank, fail, squash, undo_lookalikes

_MOBILE = re.compile(r"1[3-9]\d{9}")

_PHONE_SPLIT = re.compile(r"[、,;/或及和]|\s{2,}")


def parse_phone(raw: object) -> str | None:
    """First phone number in the text, as "0351-2022229" (area code, one dash, number) or
    "15635390920" (mobile). Extensions (转8001) and country codes are dropped."""
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(DASHES).strip()
    if blank(text.replace(" ", "")):
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
        if _MOBILE.fullmatch(digits):
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
    raise fail(raw, "a phone number")


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)


def parse_email(raw: object) -> str | None:
    """First e-mail address in the text; full-width ＠ and 。／．dots normalised, domain
    lower-cased."""
    text = squash(raw).replace("。", ".").replace("#", "@") if raw else ""
    if blank(text):
        return None
    match = _EMAIL.search(text)
    if match is None:
        raise fail(raw, "an e-mail address")
    local, domain = match.group(0).rsplit("@", 1)
    return f"{local}@{domain.lower().strip('.')}"


def phone_digits(phone: str | None) -> str:
    """Only the digits of a phone number ("0351-202 2229" → "03512022229")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())


_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"}
_PHONE_BREAK = re.compile(r"[^\d\s()（）+\-–—－.]+")
"""Anything but digits, spaces, brackets, "+", dashes and dots ends one number: "/", "／", "、",
"；", "，", labels such as 电话：, 手机：, 固话, 或."""


def _complete_phone(digits: str) -> bool:
    if _MOBILE.fullmatch(digits):
        return True  # a mobile
    if digits.startswith("0"):
        return 10 <= len(digits) <= 12  # area code and local number
    return 7 <= len(digits) <= 8 and digits[0] not in "01"  # a local number


def phone_numbers(text: str | None) -> list[str]:
    """Every phone number in a cell, as digits: "0351-1234567/13812345678", "0351-1234567
    13812345678" and "电话：0351-1234567 手机：138 1234 5678" give two numbers. Letters OCR takes
    for digits (O, l, I, S, B) count as those digits when they touch a digit; +86 / 0086 is
    dropped. Digits that make no whole number are kept as one number (≥ 7 digits)."""
    raw = unicodedata.normalize("NFKC", text or "")
    raw = undo_lookalikes(raw, _DIGIT_LOOKALIKES, passes=3)
    out: list[str] = []
    for chunk in _PHONE_BREAK.split(raw):
        groups = re.findall(r"\d+", chunk)
        i = 0
        while i < len(groups):
            end = next(
                (j for j in range(i + 1, len(groups) + 1) if _complete_phone("".join(groups[i:j]))),
                None,
            )
            if end is None:
                i += 1
                continue
            out.append("".join(groups[i:end]))
            i = end
    if not out:
        digits = phone_digits(raw)
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        out = [digits] if len(digits) >= 7 else []
    return list(dict.fromkeys(out))


def phones_match(a: str | None, b: str | None) -> bool:
    """Whether any phone number of one cell equals (``phones_equal``) any of the other."""
    return any(phones_equal(x, y) for x in phone_numbers(a) for y in phone_numbers(b))


def phones_equal(a: str | None, b: str | None) -> bool:
    """Digits equal, or equal but for a missing area code (0351-2022229 vs 2022229)."""
    da, db = phone_digits(a), phone_digits(b)
    if not da or not db:
        return False
    shorter, longer = sorted((da, db), key=len)
    return shorter == longer or (len(shorter) >= 7 and longer.endswith(shorter))
