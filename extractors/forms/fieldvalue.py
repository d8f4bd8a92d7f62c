"""Turn the text of one or more slots into an ``Extracted`` value with its evidence."""

from __future__ import annotations

import re
from typing import Any

from extractors import values
from extractors.forms.labels import ValueType
from models.document import Provenance
from models.errors import ValueParseError
from models.fields import Evidence, Extracted

_FILLER = re.compile(r"^[\s_＿:：]+|[\s_＿]+$")
_UNDERSCORES = re.compile(r"[_＿]+")
NUMERIC: set[ValueType] = {"amount", "percent", "int", "number"}


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
    """Parse ``raw`` as ``kind``; blank gives value None with raw ""; a non-blank numeric
    text that does not parse keeps its raw text with ``error="not_numeric"``.

    ``sources`` are the provenances (and texts) the value was read from: the value cells,
    or the label cell when no value cell exists, so evidence always points somewhere.
    """
    text = clean(raw)
    evidence = [Evidence.of(prov, shown) for prov, shown in sources]
    confidence = min((prov.confidence for prov, _ in sources), default=1.0)
    how = method or (sources[0][0].method if sources else None)
    value: Any = None
    error: str | None = None
    if text:
        try:
            value = _parse(text, kind, unit)
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


def _parse(text: str, kind: ValueType, unit: str | None) -> Any:
    if kind == "text":
        return text
    if kind == "amount":
        return values.parse_amount(text, unit=unit or "万元")
    if kind == "percent":
        return values.parse_percent(text)
    if kind == "int":
        try:
            return values.parse_int(text)
        except ValueParseError:
            return values.parse_number(text)
    if kind == "number":
        return values.parse_number(text)
    if kind == "phone":
        return values.parse_phone(text)
    if kind == "email":
        return values.parse_email(text)
    return text
