"""The 统一社会信用代码 (GB 32100-2015) and the 居民身份证 number (GB 11643-1999): is a code
valid, what is wrong with it (in Chinese, for the reviewer), which valid codes a text holds,
and which single code an OCR'd text was before OCR confused O with 0 or 8 with B.

Check characters come from python-stdnum (``stdnum.cn.uscc``, ``stdnum.cn.ric``). Two checks
stay here because the library's checks refuse valid numbers (tests/test_values_codes.py shows each):
``stdnum.cn.uscc`` takes only digits for the registration authority (GB 32100-2015 also
assigns A, N and Y; it lets 0, which is none, through), and ``stdnum.cn.ric.is_valid``
refuses an ID number whose region code it dates after the birth year, though numbers are
given where a person registers, not where he was born.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from types import ModuleType

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_AUTHORITIES = "123456789ANY"
"""The registration authorities (登记管理部门码) assigned so far: digits such as 9 工商, 5 民政,
1 机构编制, and the letters A, N (农业) and Y (其他)."""


@functools.cache
def _stdnum() -> tuple[ModuleType, ModuleType]:
    """``stdnum.cn.uscc`` and ``stdnum.cn.ric``, imported on first use: ``stdnum.util`` pulls
    in pydoc and ssl (~50 ms), which a process that never checks a code should not pay."""
    from stdnum.cn import ric, uscc

    return uscc, ric


def _check_char(first17: str) -> str:
    return str(_stdnum()[0].calc_check_digit(first17))


def uscc_check_char(first17: str) -> str:
    """The check character of GB 32100-2015 for the first 17 characters of a code (upper-case,
    of the code's alphabet; anything else raises ``ValueError``)."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError(f"not the first 17 characters of a credit code: {first17!r}")
    return _check_char(first17)


def _uscc_shape(code: str) -> bool:
    """18 characters of the alphabet, a registration authority first and the region (3rd–8th)
    in digits. Local: ``stdnum.cn.uscc.validate`` refuses the authorities A, N and Y."""
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
    return _uscc_shape(code) and _check_char(code[:17]) == code[17]


_ID_SHAPE = re.compile(r"\d{17}[\dX]")


def _looks_like_id_card(code: str) -> bool:
    """A 居民身份证 number (its GB 11643 check character right and a birth date in 1900–2030)
    is not a credit code. Not ``stdnum.cn.ric.is_valid``: it also wants the region code to
    have existed in the birth year, and would let a real ID number through as a code."""
    if not _ID_SHAPE.fullmatch(code):
        return False
    ric = _stdnum()[1]
    if ric.calc_check_digit(code) != code[17]:
        return False
    try:
        born = ric.get_birth_date(code)
    except ValueError:  # stdnum's InvalidComponent is one
        return False
    return 1900 <= born.year <= 2030


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


def normalise_uscc(code: str | None) -> str:
    """Upper-case, half-width, without spaces or dashes."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code or "").upper() if ch.isalnum())


def uscc_problem(code: str | None) -> str | None:
    """What is wrong with a credit code, in Chinese; None when it is well formed and its check
    character is right."""
    text = normalise_uscc(code)
    if len(text) != 18:
        return f"长度为{len(text)}位，应为18位"
    bad = [f"第{i}位“{ch}”" for i, ch in enumerate(text, 1) if ch not in USCC_ALPHABET]
    if bad:
        return "含有不允许的字符" + "、".join(bad) + "（不使用I、O、Z、S、V）"
    if text[0] not in USCC_AUTHORITIES:
        return f"第1位登记管理部门码“{text[0]}”不存在"
    if not text[2:8].isdigit():
        return f"第3–8位行政区划码“{text[2:8]}”应为数字"
    expected = _check_char(text[:17])
    if expected != text[17]:
        return f"校验位（第18位）为“{text[17]}”，按GB 32100-2015应为“{expected}”"
    return None


def uscc_province(code: str | None) -> str | None:
    """The province part (digits 3–4) of a well-formed credit code's division code."""
    text = normalise_uscc(code)
    if len(text) != 18 or not text[2:8].isdigit():
        return None
    return text[2:4]
