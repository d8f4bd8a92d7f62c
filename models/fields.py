"""Extracted values: the value, the text it was read from, and the evidence for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from models.document import BBox, Provenance

T = TypeVar("T")


class Evidence(BaseModel):
    """What a reviewer clicks to see: the file, page, box (or table cell) and the text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    page: int | None = None
    bbox: BBox | None = None
    cell: str | None = None
    text: str = ""

    @classmethod
    def of(cls, prov: Provenance, text: str) -> Evidence:
        return cls(file=prov.file, page=prov.page, bbox=prov.bbox, cell=prov.cell, text=text)


class Extracted(BaseModel, Generic[T]):
    """A field's parsed ``value`` (None when blank or unparseable), ``raw`` text, confidence.

    ``error`` names why a non-blank raw text gave no value (e.g. "not_numeric"), so rules can
    tell a blank cell from text such as 见审计报告.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: T | None = None
    raw: str = ""
    confidence: float = 1.0
    evidence: list[Evidence] = []
    method: str | None = None
    error: str | None = None

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


FieldMap = dict[str, Extracted[Any]]
"""Flat map of dotted canonical keys ("name", "financials.2020.revenue") to values."""


def page_ranges(pages: Iterable[int]) -> str:
    """Page numbers as a reviewer reads them: [1, 2, 3, 7] → "1–3、7" (a 400-page run stays
    one short span). Callers add 第…页."""
    spans: list[list[int]] = []
    for page in sorted(set(pages)):
        if spans and page == spans[-1][-1] + 1:
            spans[-1].append(page)
        else:
            spans.append([page])
    return "、".join(f"{s[0]}–{s[-1]}" if len(s) > 1 else f"{s[0]}" for s in spans)
