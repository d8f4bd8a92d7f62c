"""records.jsonl: one JSON object per submission (SPEC §4), written atomically."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from intake.writers.atomic import atomic_write
from models.records import Record


def record_order_key(record: Record) -> tuple[str, str]:
    """The stable order of records in every output: by path, then submission id."""
    return (record.path, record.submission_id)


def record_to_json(record: Record) -> dict[str, Any]:
    """The JSON form of one record.

    ``form`` is the typed form as plain values (amounts as numbers, dates ISO) and
    ``form_fields`` keeps every value with its raw text, confidence and evidence. Findings
    carry their stable ``id``.
    """
    return record.model_dump(mode="json")


def write_records(path: str | os.PathLike[str], records: Iterable[Record]) -> int:
    """Write ``records`` to ``path`` as JSON lines in a stable order; return how many."""
    ordered = sorted(records, key=record_order_key)
    with atomic_write(path, "w") as handle:
        for record in ordered:
            line = json.dumps(record_to_json(record), ensure_ascii=False, sort_keys=False)
            handle.write(line + "\n")
    return len(ordered)
