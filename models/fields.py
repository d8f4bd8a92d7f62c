"""Extracted values: the value, the text it was read from, and the evidence for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

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


ValueType = Literal["text", "int", "float", "bool", "date", "list"]
"""What an extracted value is, written beside it in JSON (``"type"``) so that whoever reads
the JSON back (the worker pipe, the cache, records.jsonl) gets the same Python value: a date
is written ISO and would otherwise come back a string, and a float another tool wrote as 2450
would come back an int. "list" is a list of texts (the parties an attachment names)."""

_TAGS: dict[type, ValueType] = {
    str: "text",
    int: "int",
    float: "float",
    bool: "bool",
    dt.date: "date",
    list: "list",
}


def value_type(value: object) -> ValueType | None:
    """The tag of ``value`` (None for no value). Any other type (a datetime, a tuple, a dict)
    is refused: JSON would give it back as something else, so a rule would see a different
    value in a worker or a cached run than in the process that read it."""
    if value is None:
        return None
    tag = _TAGS.get(type(value))  # exact type: bool is not an int, datetime not a date
    if tag is None or (isinstance(value, list) and not all(type(item) is str for item in value)):
        raise ValueError(f"an extracted value cannot be a {type(value).__name__}: {value!r:.60}")
    return tag


def restore_value(tag: ValueType | None, value: Any) -> Any:
    """``value`` as read from JSON, turned back into the Python value its ``tag`` names.
    A value that does not fit its tag raises ValueError (a corrupt or hand-edited record)."""
    if value is None:
        return None
    kind = type(value)
    if tag == "date" and kind is str:
        return dt.date.fromisoformat(value)
    if tag == "float" and kind is int:
        return float(value)
    if tag == "int" and kind is float and value.is_integer():
        return int(value)
    if value_type(value) == tag:  # JSON gave it back as it was (text, int, float, bool, list)
        return value
    raise ValueError(f"value {value!r:.60} does not match its type {tag!r}")


def _schema_with_type(schema: dict[str, Any]) -> None:
    """The JSON Schema accepts the ``type`` key in both modes (validation reads it back)."""
    schema.setdefault("properties", {})["type"] = {
        "anyOf": [{"enum": list(get_args(ValueType)), "type": "string"}, {"type": "null"}],
        "default": None,
        "title": "Type",
    }


class Extracted(BaseModel, Generic[T]):
    """A field's parsed ``value`` (None when blank or unparseable), ``raw`` text, confidence.

    ``error`` names why a non-blank raw text gave no value (e.g. "not_numeric"), so rules can
    tell a blank cell from text such as 见审计报告.

    ``type`` (see ``ValueType``) is computed from the value, never stored, so a
    ``model_copy(update={"value": ...})`` cannot leave a stale tag; JSON carries it and
    loading restores the typed value from it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_schema_with_type)

    value: T | None = None
    raw: str = ""
    confidence: float = 1.0
    evidence: list[Evidence] = []
    method: str | None = None
    error: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _typed(cls, data: Any) -> Any:
        """From JSON (a ``type`` key): the value restored to its type. Built in Python: the
        value's type checked, so an untagged type fails where it is made, not in a worker."""
        if not isinstance(data, dict):
            return data
        if "type" in data:
            data = dict(data)
            tag = data.pop("type")
            if "value" in data:
                data["value"] = restore_value(tag, data["value"])
        elif "value" in data:
            value_type(data["value"])
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def type(self) -> ValueType | None:
        """The value's tag, written to JSON beside it."""
        return value_type(self.value)

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
