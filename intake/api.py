"""The Python API: what ``intake run``, ``intake extract`` and a reader of records.jsonl do,
as three typed functions for scripts and notebooks (see docs/API.md for examples).

- :func:`run` reads a received folder and writes the review (review.xlsx, review.html,
  records.jsonl, evidence/) exactly as the command line does, and returns the
  :class:`Outcome` (records, 汇总表 tables, run information, batch findings).
- :func:`extract` reads one file into its classified documents and fields with evidence.
- :func:`load_records` reads the records a run wrote.

Errors are the project's own: :class:`~models.errors.ConfigError` for a bad option or round,
:class:`~models.errors.InputFolderError` for a folder that cannot be read,
:class:`~models.errors.FileReadError` for a file :func:`extract` cannot read. Each carries a
Chinese ``message`` that names the fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from intake.pipeline import Outcome
from models.errors import ConfigError, FileReadError, InputFolderError
from models.records import ExtractedDocument, Record

__all__ = ["Outcome", "extract", "load_records", "run"]

RECORDS_FILE = "records.jsonl"


def run(received: str | os.PathLike[str], campaign: str, out: str | os.PathLike[str], **options: Any) -> Outcome:
    """Review the folder ``received`` for the round ``campaign`` (a shipped name such as
    ``"shanxi-2021"`` or a .toml path) and write the outputs into ``out``.

    ``options`` are those of :class:`intake.options.RunOptions`: ``jobs``, ``ocr``,
    ``timeout``, ``use_cache``, ``progress``, ``executor`` … A re-run into the same ``out``
    reuses the cache and keeps what reviewers typed (and their 误报 marks) in review.xlsx.
    """
    from pydantic import ValidationError

    from intake.options import RunOptions, check_cache, check_out, check_received, option_error
    from intake.pipeline import run as run_pipeline
    from models.campaign import load_campaign

    args: dict[str, Any] = {"received": Path(received), "campaign": campaign, "out": Path(out), **options}
    args.setdefault("progress", False)
    try:
        parsed = RunOptions(**args)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        raise option_error(field, args.get(field, first.get("input"))) from exc
    load_campaign(parsed.campaign)  # a bad round is reported before any folder is touched
    check_received(parsed.received)
    check_out(parsed.out, parsed.received)
    if parsed.cache_dir is not None:
        check_cache(parsed.cache_dir, parsed.received)
    return run_pipeline(parsed)


def extract(path: str | os.PathLike[str], *, ocr: str = "rapidocr") -> list[ExtractedDocument]:
    """The documents in one file (a bound book gives several), each with its kind, pages and
    fields (value, raw text, confidence, evidence). Raises ``FileReadError`` with the reason
    when the file cannot be read or is of a kind intake does not read."""
    from intake.reading import read_file

    file = Path(path)
    if not file.is_file():
        raise FileReadError(f"文件“{file}”不存在，请检查路径。")
    result = read_file(file, file.name, ocr_engine=ocr)
    if result.entry.status != "read":
        reason = result.entry.reason or "无法读取"
        raise FileReadError(f"文件“{file}”无法读取：{reason}", detail=result.entry.status)
    return list(result.documents)


def load_records(out: str | os.PathLike[str]) -> list[Record]:
    """The records a run wrote: ``out`` is its output folder (or the records.jsonl itself).
    Findings keep their ids and their 误报 marks; order is the file's (by path)."""
    target = Path(out)
    path = target / RECORDS_FILE if target.is_dir() else target
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputFolderError(f"“{target}”中没有 {RECORDS_FILE}，请先运行 intake run 生成结果。") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(Record.model_validate_json(line))
        except ValueError as exc:
            raise ConfigError(
                f"{path} 第{number}行不是有效的记录（{exc.__class__.__name__}），请重新运行 intake run。"
            ) from exc
    return records
