"""What every value parser does to its text first: Unicode width folded (NFKC), dashes unified,
placeholders ("—", "/", "无") recognised as blank, OCR's look-alike letters turned into the
digits they stand for. Shared by the number, date, contact and code modules of the package.
"""

from __future__ import annotations

import re
import unicodedata

from models.errors import ValueParseError

PLACEHOLDERS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "暂无", "N/A", "NA"}
DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "﹣": "-", "‐": "-"})


def squash(raw: object) -> str:
    """NFKC, dashes unified, all whitespace dropped; None gives ""."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).translate(DASHES)
    return re.sub(r"\s+", "", text)


def blank(text: str) -> bool:
    """Whether already squashed text is empty or a lone placeholder."""
    return text in PLACEHOLDERS or text.upper() in PLACEHOLDERS


def is_blank(raw: object) -> bool:
    """True for empty text and lone placeholders ("—", "-", "/", "无") that mean "nothing
    filled in"; every parser returns None for these."""
    return blank(squash(raw))


def fail(raw: object, what: str) -> ValueParseError:
    """The error a parser raises when ``raw`` holds no ``what``."""
    return ValueParseError(f"cannot read {what} from {str(raw)[:60]!r}")


def undo_lookalikes(text: str, table: dict[str, str], next_to: str = r"\d", passes: int | None = None) -> str:
    """``text`` with each letter of ``table`` that OCR reads for a digit ("O" for 0, "l" for 1)
    replaced by that digit where it touches a character of the class ``next_to``. A pass turns
    the letters next to a digit; the next pass those next to the new digits ("1OO" → "100"),
    until nothing changes or ``passes`` passes are done."""
    letters = re.escape("".join(table))
    pattern = re.compile(rf"(?<={next_to})[{letters}]|[{letters}](?={next_to})")
    done = 0
    previous = None
    while previous != text and (passes is None or done < passes):
        previous, done = text, done + 1
        text = pattern.sub(lambda m: table[m.group(0)], text)
    return text
