"""Turn the text of one or more slots into an ``Extracted`` value with its evidence."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from extractors.forms.labels import ValueType
from models import values
from models.document import Provenance
from models.errors import ValueParseError
from models.fields import Evidence, Extracted

_FILLER = re.compile(r"^[\s_＿:：]+|[\s_＿]+$")
_UNDERSCORES = re.compile(r"[_＿]+")
NUMERIC: set[ValueType] = {"amount", "percent", "int", "number"}
REPAIRED_CONFIDENCE = 0.8
"""Factor on the confidence of a number read only after undoing OCR punctuation."""
_APPROXIMATELY = re.compile(r"^(?:大约|约为|约)")


def clean(raw: str) -> str:
    """A value as a reviewer would copy it: no underscores, colons or edge spaces."""
    return _FILLER.sub("", _UNDERSCORES.sub(" ", raw)).strip()


def make_field(
    raw: str,
    sources: list[tuple[Provenance, str]],
    kind: ValueType = "text",
    unit: str | None = None,
    method: str | None = None,
) -> Extracted[Any]:
    """Parse ``raw`` as ``kind``; blank gives value None with raw "" (a placeholder such
    as 无 or — gives None with its raw text and no error); a non-blank numeric text that
    does not parse keeps its raw text with ``error="not_numeric"``.

    A number read only after undoing OCR punctuation (``5309.``, ``-4:7``, see
    ``values.ocr_repair``) keeps its raw text and ``REPAIRED_CONFIDENCE`` times the
    confidence, so a reviewer is pointed at it; ``约30%`` gives 30 with its raw text.

    ``sources`` are the provenances (and texts) the value was read from: the value cells,
    or the label cell when no value cell exists, so evidence always points somewhere.
    """
    text = clean(raw)
    evidence = [Evidence.of(prov, shown) for prov, shown in sources]
    confidence = min((prov.confidence for prov, _ in sources), default=1.0)
    how = method or (sources[0][0].method if sources else None)
    value: Any = None
    error: str | None = None
    placeholder = kind != "text" and values.is_blank(text)  # 无, —, / written for "nothing"
    if text and not placeholder:
        try:
            value, repaired = _read(text, kind, unit)
            if repaired:
                confidence *= REPAIRED_CONFIDENCE
        except ValueParseError:
            error = "not_numeric" if kind in NUMERIC else f"not_{kind}"
        if value is None and error is None and kind != "text":
            error = "not_numeric" if kind in NUMERIC else f"not_{kind}"
    return Extracted(
        value=value,
        raw=text,
        confidence=confidence,
        evidence=evidence,
        method=how,
        error=error,
    )


def _read(text: str, kind: ValueType, unit: str | None) -> tuple[Any, bool]:
    """(value, repaired): the strict reading, else the reading without a leading 约, else
    the OCR-repaired reading (repaired True). Raises ``ValueParseError`` when none fits."""
    try:
        return _parse(text, kind, unit, repair=False), False
    except ValueParseError:
        if kind not in NUMERIC:
            raise
    plain = _APPROXIMATELY.sub("", text)
    if plain != text and plain:
        with contextlib.suppress(ValueParseError):
            return _parse(plain, kind, unit, repair=False), False
    return _parse(plain or text, kind, unit, repair=True), True


def _parse(text: str, kind: ValueType, unit: str | None, repair: bool = False) -> Any:
    if kind == "text":
        return text
    if kind == "amount":
        return values.parse_amount(text, unit=unit or "万元", repair=repair)
    if kind == "percent":
        return values.parse_percent(text, repair=repair)
    if kind == "int":
        try:
            return values.parse_int(text, repair=repair)
        except ValueParseError:
            return values.parse_number(text, repair=repair)
    if kind == "number":
        return values.parse_number(text, repair=repair)
    if kind == "phone":
        return values.parse_phone(text)
    if kind == "email":
        return values.parse_email(text)
    return text
