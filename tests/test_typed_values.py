"""An extracted value keeps its Python type through JSON: the worker pipe and the cache
(``FileResult`` JSON) and records.jsonl (``Record`` JSON) give back the value the reader made,
so no rule or writer has to parse a date out of a string again."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from intake.cache import ResultCache, cache_key
from intake.reading import FileResult, read_file, sha256_of
from intake.workers import Task, read_parallel
from models.fields import Evidence, Extracted, restore_value, value_type
from models.records import ExtractedDocument, FileEntry, Record
from validators.dates import as_date, term_end

ROOT = Path(__file__).resolve().parent.parent
CERTIFICATE = (
    ROOT / "samples/received/shanxi-2021/大同市工业和信息化局/大同云冈新能源装备有限公司/附件3-技术水平评价证书.pdf"
)
"""A digital PDF (read in ~0.02 s) whose 技术水平评价证书 date the reader turns into a date."""

EVERY_KIND: list[tuple[str | None, Any]] = [
    ("text", "广西东盟智造科技有限公司"),
    ("text", "2020-01-02"),  # text that looks like a date stays text
    ("text", "1398"),  # and text that looks like a number stays text
    ("text", ""),
    ("int", 1398),
    ("int", -3),
    ("int", 0),
    ("float", 2450.0),  # integral: must not come back an int
    ("float", -4.7),
    ("float", 0.0),
    ("float", 1e-7),
    ("bool", True),
    ("bool", False),  # not 0
    ("date", dt.date(2020, 1, 2)),
    ("date", dt.date(2024, 2, 29)),
    ("list", ["南宁高新技术产业开发区管理委员会", "广西华蓝建设工程有限公司"]),
    ("list", []),
    (None, None),
]
IDS = [f"{tag}-{value!r}" for tag, value in EVERY_KIND]


def item(value: Any) -> Extracted[Any]:
    evidence = [Evidence(file="a.pdf", page=1, text=str(value))]
    return Extracted[Any](value=value, raw=str(value), confidence=0.9, evidence=evidence, method="ocr")


def same(a: Any, b: Any) -> bool:
    """Equal and of the same exact type (2450.0 == 2450 and True == 1 are not enough)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(("tag", "value"), EVERY_KIND, ids=IDS)
def test_the_tag_follows_the_value(tag: str | None, value: Any) -> None:
    assert item(value).type == tag
    assert json.loads(item(value).model_dump_json())["type"] == tag


@pytest.mark.parametrize(("tag", "value"), EVERY_KIND, ids=IDS)
def test_file_result_round_trip_keeps_every_kind(tag: str | None, value: Any) -> None:
    """The worker pipe and the cache: FileResult.model_dump_json → model_validate_json."""
    result = FileResult(
        entry=FileEntry(path="a.pdf"),
        documents=[ExtractedDocument(kind="business_license", file="a.pdf", fields={"k": item(value)})],
    )
    back = FileResult.model_validate_json(result.model_dump_json())
    assert same(back.documents[0].fields["k"].value, value)
    assert back == result


@pytest.mark.parametrize(("tag", "value"), EVERY_KIND, ids=IDS)
def test_record_round_trip_keeps_every_kind(tag: str | None, value: Any) -> None:
    """records.jsonl: every FieldMap of a Record (its form, cover, attachments, documents)."""
    fields = {"k": item(value)}
    record = Record(
        submission_id="s1",
        path="p",
        kind="enterprise",
        form_file="book.docx",
        cover=fields,
        documents=[
            ExtractedDocument(kind="application_form", file="book.docx", form_type="enterprise", fields=fields),
            ExtractedDocument(kind="business_license", file="a.pdf", fields=fields),
        ],
    )
    back = Record.model_validate_json(record.model_dump_json())
    maps = [back.form_fields, back.cover, back.attachments[0].fields, *(d.fields for d in back.documents)]
    assert len(maps) == 5
    for fieldmap in maps:
        assert same(fieldmap["k"].value, value)
    assert back == record


def test_json_keeps_the_spec_shape() -> None:
    """SPEC §4: dates ISO, amounts numbers; the tag is one more key inside the field object."""
    typed = {"established": item(dt.date(2019, 3, 20)), "registered_capital": item(500.0)}
    result = FileResult(
        entry=FileEntry(path="a.pdf"),
        documents=[ExtractedDocument(kind="business_license", file="a.pdf", fields=typed)],
    )
    fields = json.loads(result.model_dump_json())["documents"][0]["fields"]
    assert fields["established"]["value"] == "2019-03-20" and fields["established"]["type"] == "date"
    assert fields["registered_capital"]["value"] == 500.0 and fields["registered_capital"]["type"] == "float"
    assert set(fields["established"]) == {"value", "raw", "confidence", "evidence", "method", "error", "type"}


def test_a_copy_with_a_new_value_gets_its_tag() -> None:
    """The tag is computed, not stored: ``model_copy(update={"value": …})`` (which skips
    validation; the extractors use it) cannot leave a stale tag."""
    copied = item("2045年6月17日").model_copy(update={"value": dt.date(2045, 6, 17)})
    back = Extracted[Any].model_validate_json(copied.model_dump_json())
    assert back.type == "date" and back.value == dt.date(2045, 6, 17)


@pytest.mark.parametrize(
    "value",
    [(1, 2), dt.datetime(2020, 1, 2, 3, 4), {"a": 1}, [1, 2], [dt.date(2020, 1, 2)], {"x"}],
    ids=["tuple", "datetime", "dict", "list-of-int", "list-of-date", "set"],
)
def test_a_value_json_cannot_give_back_is_refused_where_it_is_made(value: Any) -> None:
    with pytest.raises(ValidationError):
        item(value)


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("date", "2020年1月2日"),
        ("date", 20200102),
        ("int", 2.5),
        ("int", "3"),
        ("float", "3.0"),
        ("text", 3),
        ("bool", 1),
        ("list", "a"),
        ("nonsense", "a"),
    ],
)
def test_a_value_that_does_not_fit_its_tag_is_an_error(tag: str, value: Any) -> None:
    with pytest.raises(ValueError):
        restore_value(tag, value)  # type: ignore[arg-type]
    payload = json.dumps({"value": value, "raw": "", "type": tag})
    with pytest.raises(ValidationError):
        Extracted[Any].model_validate_json(payload)


def test_hand_written_json_numbers_are_restored() -> None:
    """JSON written by other tools: 2450 tagged float is 2450.0, 12.0 tagged int is 12."""
    assert same(Extracted[Any].model_validate_json('{"value": 2450, "type": "float"}').value, 2450.0)
    assert same(Extracted[Any].model_validate_json('{"value": 12.0, "type": "int"}').value, 12)


def test_json_without_a_tag_still_loads() -> None:
    """records.jsonl written before the tag: loads, its values as JSON gave them."""
    old = Extracted[Any].model_validate_json('{"value": "2020-01-02", "raw": "2020年1月2日"}')
    assert old.value == "2020-01-02" and old.type == "text"


def test_value_type_is_exact() -> None:
    assert value_type(True) == "bool" and value_type(1) == "int" and value_type(1.0) == "float"
    assert value_type(dt.date(2020, 1, 2)) == "date" and value_type(None) is None


def test_the_schema_admits_the_tag() -> None:
    """``intake schema`` (validation mode) must accept the records it describes."""
    for mode in ("validation", "serialization"):
        schema = Record.model_json_schema(mode=mode)  # type: ignore[arg-type]
        assert "type" in schema["$defs"]["Extracted_Any_"]["properties"]


def _fields(result: FileResult) -> dict[str, Extracted[Any]]:
    [document] = [d for d in result.documents if d.kind == "tech_evaluation_certificate"]
    return document.fields


def test_a_real_date_survives_the_worker_pipe_and_the_cache(tmp_path: Path) -> None:
    """A sample certificate read in a worker process (its result crosses the pipe as JSON)
    and then served from the cache gives the same ``dt.date`` as reading in this process."""
    source = tmp_path / CERTIFICATE.name
    shutil.copyfile(CERTIFICATE, source)
    rel = source.name
    direct = read_file(source, rel)
    assert isinstance(_fields(direct)["date"].value, dt.date)

    [(_, piped)] = list(read_parallel([Task(0, source, rel)], jobs=1, ocr_engine="rapidocr", timeout=120))
    assert piped.entry.status == "read"
    assert isinstance(_fields(piped)["date"].value, dt.date)
    assert _fields(piped) == _fields(direct)

    cache = ResultCache(tmp_path / "cache.sqlite")
    key = cache_key(sha256_of(source), "rapidocr")
    cache.put(key, piped)
    cached = cache.get(key, rel)
    cache.close()
    assert cached is not None and cached.entry.cached
    day = _fields(cached)["date"]
    assert isinstance(day.value, dt.date) and day == _fields(direct)["date"]
    assert as_date(day) == day.value  # the rule takes it as it is


def test_rules_take_the_reader_s_date_and_never_reparse() -> None:
    """``as_date`` is the reader's date; a raw text the reader could not read stays unread
    (the readers already tried every date in it); 长期 is a long term."""
    assert as_date(Extracted[Any](value=dt.date(2030, 1, 1), raw="2030年1月1日")) == dt.date(2030, 1, 1)
    assert as_date(Extracted[Any](value=None, raw="2030年13月1日", error="not_date")) is None
    assert as_date(Extracted[Any](value="2030-01-01", raw="2030-01-01")) is None  # text, not a date
    assert as_date(None) is None
    assert term_end(Extracted[Any](value=None, raw="长期")) == (None, True)
    assert term_end(Extracted[Any](value=dt.date(2045, 6, 17), raw="2015年6月18日至2045年6月17日")) == (
        dt.date(2045, 6, 17),
        False,
    )
    assert term_end(Extracted[Any](value=None, raw="", error="not_date")) == (None, False)
