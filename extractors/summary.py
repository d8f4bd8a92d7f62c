"""A recommender's 汇总表 document → ``SummaryTable`` for the batch rules."""

from __future__ import annotations

from typing import Any

from models import values
from models.errors import ValueParseError
from models.records import ExtractedDocument, SummaryRow, SummaryTable


def _phone(raw: Any) -> str | None:
    """The cell's phone number, normalised; a cell holding two numbers (固话／手机) is kept
    as written so the batch check can match either of them."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        parsed = values.parse_phone(text)
    except ValueParseError:
        return text
    digits = sum(ch.isdigit() for ch in text)
    if parsed and digits > sum(ch.isdigit() for ch in parsed) + 3:
        return text  # parse_phone read only the first of several numbers
    return parsed or text


def _text(raw: Any) -> str | None:
    text = str(raw or "").strip()
    return text or None


def summary_from(doc: ExtractedDocument, recommender: str | None) -> SummaryTable:
    """Rows of ``doc`` (kind summary_table) as ``SummaryRow``s. ``recommender`` (known from
    the folder) wins over the 推荐单位 line when given; rows without a name are dropped."""
    written = doc.fields.get("recommender")
    filled_by = doc.fields.get("filled_by")
    phone = doc.fields.get("phone")
    rows: list[SummaryRow] = []
    for row in doc.rows:
        name = _text(row.get("name"))
        if not name or row.get("kind") not in ("enterprise", "project", "platform", "city"):
            continue
        rows.append(
            SummaryRow(
                kind=row["kind"],
                name=name,
                mode=_text(row.get("mode")),
                contact=_text(row.get("contact")),
                phone=_phone(row.get("phone")),
                email=_text(row.get("email")),
                file=doc.file,
                page=row.get("page"),
                cell=row.get("cell"),
            )
        )
    return SummaryTable(
        recommender=recommender or (written.raw if written and written.raw else None),
        file=doc.file,
        filled_by=filled_by.raw if filled_by and filled_by.raw else None,
        phone=(phone.value or phone.raw or None) if phone else None,
        rows=rows,
        seal_slots=doc.seal_slots,
        seals=doc.seals,
    )
