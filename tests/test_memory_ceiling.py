"""The per-worker memory ceiling: a file that makes its reader grow past the ceiling becomes
FILE_UNREADABLE with the reason 资源超限 and the batch goes on, whether the worker's own
watchdog catches it or, when that cannot run, the parent does; a MemoryError raised while
reading says the same."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import intake.workers as workers
from intake.reading import FileResult, read_file
from models.records import FileEntry

pytestmark = pytest.mark.usefixtures("forked_readers")  # their readers inherit patched code or memory

HOG_MB = 600
LIMIT_MB = 300


def _hog_or_quick(path: Path, rel: str, ocr_engine: str = "rapidocr", sha256: str | None = None) -> FileResult:
    if "hog" in rel:
        hoard = [b"x" * (32 << 20) for _ in range(HOG_MB // 32)]  # resident, not just reserved
        time.sleep(10)
        del hoard
    return FileResult(entry=FileEntry(path=rel, pages=1))


def _run(names: list[str]) -> dict[str, FileResult]:
    tasks = [workers.Task(i, Path(n), n) for i, n in enumerate(names)]
    results = dict(workers.read_parallel(tasks, jobs=2, ocr_engine="replay", timeout=60, memory_mb=LIMIT_MB))
    return {names[i]: r for i, r in results.items()}


def test_a_worker_over_its_ceiling_becomes_resource_exceeded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "read_file", _hog_or_quick)
    results = _run(["a.pdf", "hog.pdf", "b.pdf", "c.pdf"])  # uncaught, the hog would come back "read"
    hog = results["hog.pdf"]
    assert hog.entry.status == "unreadable" and "资源超限" in (hog.entry.reason or "")
    assert hog.findings[0].code == "FILE_UNREADABLE"
    assert all(results[n].entry.status == "read" for n in ("a.pdf", "b.pdf", "c.pdf"))


def test_the_parent_enforces_the_ceiling_when_the_worker_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker stuck in C code holding the GIL cannot run its own watchdog thread."""
    monkeypatch.setattr(workers, "read_file", _hog_or_quick)
    monkeypatch.setattr(workers, "_watch", lambda limit_mb, parent: None)
    results = _run(["hog.pdf", "a.pdf"])
    assert "资源超限" in (results["hog.pdf"].entry.reason or "")
    assert results["a.pdf"].entry.status == "read"


def test_pages_shared_with_a_large_parent_are_not_charged_to_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A coordinator (or a test process) that loaded the OCR models is over a gigabyte
    resident; its forked workers share those pages and must not be killed for them."""
    monkeypatch.setattr(workers, "read_file", _hog_or_quick)
    inherited = bytearray(2 * LIMIT_MB << 20)  # resident in the parent before the fork
    inherited[::4096] = b"x" * len(inherited[::4096])
    results = _run(["a.pdf", "b.pdf", "c.pdf"])
    assert all(r.entry.status == "read" for r in results.values()), {n: r.entry.reason for n, r in results.items()}
    del inherited


def test_a_worker_under_its_ceiling_is_left_alone() -> None:
    assert workers.DEFAULT_MEMORY_MB >= 2048  # an OCR worker peaks at about 1.5 GB
    rss = workers.owned_mb(__import__("os").getpid())
    assert rss is None or 10 < rss < workers.DEFAULT_MEMORY_MB


def test_memory_error_while_reading_is_resource_exceeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.loaders import digital

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setitem(digital._READERS, "pdf", no_memory)
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    result = read_file(path, "big.pdf")
    assert result.entry.status == "unreadable" and "资源超限" in (result.entry.reason or "")


def _slow_or_quick(path: Path, rel: str, ocr_engine: str = "rapidocr", sha256: str | None = None) -> FileResult:
    if "slow" in rel:
        time.sleep(30)
    return FileResult(entry=FileEntry(path=rel, pages=1))


def test_jobs_1_reads_under_the_same_ceiling_and_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--jobs 1`` reads in one supervised reader process, not in the coordinator: a file
    over the memory ceiling and one over the time limit become FILE_UNREADABLE there too."""
    from intake.executors import read_tasks
    from intake.options import RunOptions

    monkeypatch.setattr(workers, "read_file", _hog_or_quick)
    options = RunOptions(received=Path("."), campaign="x", out=Path("."), jobs=1, memory_mb=LIMIT_MB, timeout=60)
    names = ["a.pdf", "hog.pdf", "b.pdf"]
    tasks = [workers.Task(i, Path(n), n) for i, n in enumerate(names)]
    results = {names[i]: r for i, r in read_tasks(tasks, options)}
    assert "资源超限" in (results["hog.pdf"].entry.reason or "")
    assert results["a.pdf"].entry.status == results["b.pdf"].entry.status == "read"

    monkeypatch.setattr(workers, "read_file", _slow_or_quick)
    options = options.model_copy(update={"timeout": 1.0})
    names = ["slow.pdf", "c.pdf"]
    tasks = [workers.Task(i, Path(n), n) for i, n in enumerate(names)]
    started = time.monotonic()
    results = {names[i]: r for i, r in read_tasks(tasks, options)}
    assert time.monotonic() - started < 20
    assert "处理超时" in (results["slow.pdf"].entry.reason or "")
    assert results["c.pdf"].entry.status == "read"
