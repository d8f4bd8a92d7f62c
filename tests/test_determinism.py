"""The same folder gives the same records.jsonl whether it is read in this process
(``--jobs 1``), by two worker processes (``--jobs 2``: results arrive in any order and cross
the pipe as JSON) or from the cache of an earlier run (results come back from SQLite JSON).

Masked, because they are timing and nothing else: ``files[].seconds`` (how long a file took
to read) and ``files[].cached`` (whether this run read it or took it from the cache). Nothing
else is masked: ids, order, values, findings and verdicts must be byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from intake import api

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "received" / "shanxi-2021"
RECOMMENDER = "大同市工业和信息化局"
APPLICANT = "大同云冈新能源装备有限公司"
"""A Word book, a digital PDF certificate and a photographed licence (OCR, ~3 s), plus the
recommender's 汇总表 so the batch rules run too."""
SUMMARY = f"{RECOMMENDER}-服务型制造示范申报汇总表.docx"
TIMING = ("seconds", "cached")


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("determinism") / "received"
    folder = root / RECOMMENDER
    shutil.copytree(SAMPLES / RECOMMENDER / APPLICANT, folder / APPLICANT)
    shutil.copyfile(SAMPLES / RECOMMENDER / SUMMARY, folder / SUMMARY)
    return root


def records(out: Path) -> list[dict[str, Any]]:
    """records.jsonl with the timing of each file masked."""
    lines = (out / api.RECORDS_FILE).read_text(encoding="utf-8").splitlines()
    out_records = [json.loads(line) for line in lines if line.strip()]
    for record in out_records:
        for entry in record["files"]:
            for key in TIMING:
                entry.pop(key)
    return out_records


def test_jobs_and_cache_give_the_same_records(received: Path, tmp_path: Path) -> None:
    one = api.run(received, "shanxi-2021", tmp_path / "one", jobs=1, use_cache=False)
    first = records(tmp_path / "one")
    two = api.run(received, "shanxi-2021", tmp_path / "two", jobs=2)
    assert two.run_info.files_cached == 0
    parallel = records(tmp_path / "two")
    # a new output folder served from the cache of `two`: every file cached, the whole tail run
    # (a re-run into `two` itself would find its outputs current and leave them as they are)
    again = api.run(received, "shanxi-2021", tmp_path / "three", jobs=2, cache_dir=tmp_path / "two")
    assert again.run_info.files_cached == again.run_info.files_read == 4
    assert not again.current
    cached = records(tmp_path / "three")

    assert len(first) == 1 and first[0]["attachments"], "the subset gave no record to compare"
    shown = json.dumps(first, ensure_ascii=False, indent=1)  # key order too; a diff on failure
    assert json.dumps(parallel, ensure_ascii=False, indent=1) == shown
    assert json.dumps(cached, ensure_ascii=False, indent=1) == shown

    # The records the writers were given are typed alike in every run (not only their JSON).
    for outcome in (one, two, again):
        [record] = outcome.records
        [licence] = [a for a in record.attachments if a.kind == "business_license"]
        assert isinstance(licence.fields["established"].value, dt.date)
