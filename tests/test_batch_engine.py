"""The worker pool's time limit and crash handling, and the content cache."""

import time
from pathlib import Path

import pytest

import intake.workers as workers
from intake.cache import ResultCache, cache_key
from intake.reading import FileResult
from models.records import FileEntry

pytestmark = pytest.mark.usefixtures("forked_readers")  # their readers inherit patched code or memory


def _slow_or_quick(path: Path, rel: str, ocr_engine: str = "rapidocr", sha256: str | None = None) -> FileResult:
    if "slow" in rel:
        time.sleep(30)
    if "crash" in rel:
        import os

        os._exit(3)
    return FileResult(entry=FileEntry(path=rel, pages=1))


def test_time_limit_and_crash_become_findings_and_the_rest_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "read_file", _slow_or_quick)
    tasks = [workers.Task(i, Path(n), n) for i, n in enumerate(["a", "slow", "b", "crash", "c"])]
    started = time.monotonic()
    results = dict(workers.read_parallel(tasks, jobs=2, ocr_engine="replay", timeout=2))
    assert time.monotonic() - started < 20
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert results[1].entry.status == "unreadable" and "超时" in (results[1].entry.reason or "")
    assert results[3].entry.status == "unreadable"
    assert [results[i].entry.status for i in (0, 2, 4)] == ["read"] * 3


def test_cache_hits_by_content_and_relocates_paths(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite")
    result = FileResult(entry=FileEntry(path="old/name.pdf", sha256="abc", pages=3))
    key = cache_key("abc", "rapidocr")
    cache.put(key, result)
    hit = cache.get(key, "new/name.pdf")
    assert hit is not None and hit.entry.path == "new/name.pdf" and hit.entry.cached
    assert cache.get(cache_key("abc", "tesseract"), "x") is None
    cache.close()


def test_unreadable_results_are_not_cached(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite")
    bad = FileResult(entry=FileEntry(path="x.pdf", status="unreadable"))
    cache.put("k", bad)
    assert cache.get("k", "x.pdf") is None


def test_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    cache = ResultCache(path)
    assert cache.get("k", "x") is None
    cache.put("k", FileResult(entry=FileEntry(path="x")))


def test_findings_round_trip_through_json() -> None:
    from models.findings import Finding

    finding = Finding(code="FILE_UNREADABLE", severity="error", message="坏", submission_id="S1", source="a.pdf")
    result = FileResult(entry=FileEntry(path="a.pdf"), findings=[finding])
    again = FileResult.model_validate_json(result.model_dump_json())
    assert again.findings[0].id == finding.id


def test_cache_key_changes_with_the_reading_code(monkeypatch: pytest.MonkeyPatch) -> None:
    import intake.cache as cache_module

    before = cache_key("abc", "rapidocr")
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "READ_VERSION", "changed")
    assert cache_key("abc", "rapidocr") != before
    cache_module.code_fingerprint.cache_clear()


def test_every_worker_may_use_every_core_for_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone worker on a long scanned book must not be held to a share of the cores."""
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert workers.worker_threads() == 2
    monkeypatch.setattr(workers.os, "cpu_count", lambda: None)
    assert workers.worker_threads() == 1
