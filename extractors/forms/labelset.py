"""A form's printed labels, and how a cell's text is told to be one (``LabelSet``).

A cell is a label when its normalised text (``labels.norm_label``) is one of the form's
labels, a financial or patent row, a structural heading, a year header or a section title;
a piece of a label cut at a line break is a fragment; a cell that starts with a label and a
separator holds its value inline. Split from ``reader`` (which reads values off a grid).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extractors.forms.labels import (
    FINANCIAL_LABELS,
    PATENT_LABELS,
    STRUCTURAL,
    norm_label,
    squash,
    strip_numbering,
)

GROWTH = "同比增速"
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_YEAR_HEADER = re.compile(r"^(?:19|20)\d\d(?:年度?|年末)?$")
_TEMPLATE_ONLY = re.compile(r"^(?:万元|元|亿元|%|人|项|个|平方米|年至年|年|至)$")
_SEPARATOR = re.compile(r"^[\s:：_＿(（]")
_COLON = re.compile(r"^\s*(?:[(（][^)）]*[)）])?\s*[:：]")


def is_year_header(text: str) -> bool:
    """A year column's header: ``2018 年``, ``2019年度``, ``2020年（万元）``, or a bare ``2021``."""
    return bool(_YEAR_HEADER.match(norm_label(text)))


def _bare_year(text: str) -> bool:
    """``2000`` alone: a year header in a header row, but an amount anywhere else."""
    return squash(text).isdigit()


@dataclass
class LabelSet:
    """A form's labels: normalised label → canonical key (financial and patent rows are
    added by the reader itself)."""

    labels: dict[str, str]
    everything: set[str] = field(default_factory=set)  # labels of all forms: never values
    _own: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        own = set(self.labels) | set(FINANCIAL_LABELS) | set(PATENT_LABELS) | STRUCTURAL
        self._own = tuple(sorted(own))

    def key_of(self, text: str) -> str | None:
        norm = norm_label(text)
        for candidate in (norm, strip_numbering(norm)):
            if candidate in self.labels:
                return self.labels[candidate]
            if candidate in FINANCIAL_LABELS:
                return "financials.*." + FINANCIAL_LABELS[candidate]
            if candidate in PATENT_LABELS:
                return "patents." + PATENT_LABELS[candidate]
            if candidate == GROWTH:
                return GROWTH
        return None

    def is_label(self, text: str) -> bool:
        """True for any printed furniture: labels, headers, years, section titles."""
        norm = norm_label(text)
        if not norm:
            return False
        if self.key_of(text) or norm in STRUCTURAL or norm in self.everything:
            return True
        if is_year_header(norm) and not _bare_year(norm):
            return True
        return bool(SECTION.match(norm)) and len(norm) <= 16

    def is_fragment(self, text: str) -> bool:
        """A piece of one of this form's labels cut at a line break or by OCR (``研发和设计人``,
        ``格人员比例``): three characters or more, no digit, the start or the end of a
        label but not a label itself."""
        norm = norm_label(text)
        if len(norm) < 3 or any(ch.isdigit() for ch in norm) or self.is_label(text):
            return False
        return any(label != norm and (label.startswith(norm) or label.endswith(norm)) for label in self._own)

    def inline(self, text: str, *, colon: bool = False) -> tuple[str, str] | None:
        """(key, value) when a cell holds a label followed by a separator and its value
        (a label of four characters or more needs none: ``企业名称山西…``). With ``colon``,
        for a cell where a value is expected, only a label followed by a colon counts, so
        a value that starts with a label word by chance (``电子邮箱系统开发``) stays a value."""
        flat = squash(text)
        best: tuple[str, str] | None = None
        for label, key in self.labels.items():
            if flat.startswith(label) and len(label) > len(best[0] if best else ""):
                best = (label, key)
        if best is None:
            return None
        rest = _after_label(text, best[0])
        if colon and not _COLON.match(rest):
            return None
        if not rest or not (_SEPARATOR.match(rest) or len(best[0]) >= 4):
            return None
        rest = re.sub(r"^[(（][^)）]*[)）]", "", rest.strip(" :：_＿"))
        return best[1], rest


def _after_label(text: str, label: str) -> str:
    """The original text after the characters of ``label`` (spaces inside it skipped)."""
    text = unicodedata.normalize("NFKC", text)
    i = matched = 0
    while i < len(text) and matched < len(label):
        if not text[i].isspace():
            matched += 1
        i += 1
    return text[i:]


def is_template(raw: str) -> bool:
    """Leftover template words with nothing filled in (``万元``, ``年至 年``)."""
    return bool(_TEMPLATE_ONLY.match(squash(raw).strip("_＿")))
