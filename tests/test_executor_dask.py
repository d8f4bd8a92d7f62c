"""The Dask executor: the same per-file read tasks on a cluster give the same records as the
local run, files travel by content or by path on shared storage, and a task that crashes,
overruns or dies on a worker becomes FILE_UNREADABLE while the batch completes.

Each test starts its own cluster of two workers inside the test process (threads, not
processes, so it starts in about a second); every read still runs in a supervised reader
process forked by the worker, as on a real cluster."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import intake.executors as executors
import intake.workers as workers
from intake.options import RunOptions
from intake.pipeline import run
from intake.reading import FileResult
from models.records import FileEntry

pytestmark = pytest.mark.usefixtures("forked_readers")  # their readers inherit patched code or memory

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "received" / "shanxi-2021" / "大同市工业和信息化局"
VOLATILE = {"seconds", "cached"}  # timings differ between any two runs


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two applicants' digital books and attachments and the recommender's 汇总表 (no OCR:
    the test stays fast; a scan goes through the same task)."""
    root = tmp_path_factory.mktemp("received")
    dest = root / SOURCE.name
    for applicant in ("大同煤机智造有限公司", "山西平城电气股份有限公司"):
        for path in (SOURCE / applicant).iterdir():
            if path.suffix.lower() in (".pdf", ".docx"):
                (dest / applicant).mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest / applicant / path.name)
    summary = next(SOURCE.glob("*汇总表*"))
    shutil.copy2(summary, dest / summary.name)
    return root


@pytest.fixture()
def cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, memory_limit=0
    ) as local:
        yield local.scheduler_address


def _records(out: Path) -> list[dict]:
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [strip(json.loads(line)) for line in lines]  # type: ignore[misc]


@pytest.mark.parametrize("shared_storage", [False, True], ids=["by-content", "shared-storage"])
def test_records_on_a_two_worker_cluster_equal_the_local_run(
    received: Path, cluster: str, tmp_path: Path, shared_storage: bool
) -> None:
    common = {"received": received, "campaign": "shanxi-2021", "progress": False, "use_cache": False}
    local = run(RunOptions(**common, out=tmp_path / "local", jobs=1))
    remote = run(
        RunOptions(**common, out=tmp_path / "dask", executor="dask", scheduler=cluster, shared_storage=shared_storage)
    )
    assert remote.run_info.files_read == local.run_info.files_read == 5
    assert _records(tmp_path / "dask") == _records(tmp_path / "local")


def _misbehaving(path: Path, rel: str, ocr_engine: str = "rapidocr", sha256: str | None = None) -> FileResult:
    if "slow" in rel:
        time.sleep(30)
    if "crash" in rel:
        import os

        os._exit(3)
    if "hog" in rel:
        hoard = [b"x" * (64 << 20) for _ in range(16)]  # 1 GB, resident
        time.sleep(5)
        del hoard
    return FileResult(entry=FileEntry(path=rel, pages=1, size=len(path.read_bytes())))


def test_crash_overrun_and_memory_hog_on_a_worker_become_findings(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "read_file", _misbehaving)  # the forked reader inherits it
    names = ["a.pdf", "slow.pdf", "crash.pdf", "hog.pdf", "b.pdf"]
    tasks = []
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(b"%PDF-" + name.encode())
        tasks.append(workers.Task(i, tmp_path / name, name))
    common = {"received": tmp_path, "campaign": "shanxi-2021", "out": tmp_path / "out", "scheduler": cluster}
    options = RunOptions(**common, executor="dask", timeout=3.0, memory_mb=400)
    results = dict(executors.read_dask(tasks, options))
    assert sorted(results) == [0, 1, 2, 3, 4]
    reasons = {names[i]: r.entry.reason or "" for i, r in results.items()}
    assert "超时" in reasons["slow.pdf"]
    assert results[2].entry.status == "unreadable" and "意外退出" in reasons["crash.pdf"]
    assert "资源超限" in reasons["hog.pdf"]
    assert [results[i].entry.status for i in (0, 4)] == ["read", "read"]
    assert results[0].entry.size == len(b"%PDF-a.pdf")  # the bytes travelled


def test_a_task_lost_with_its_worker_becomes_unreadable(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = executors.read_remote

    def lost(file: executors.RemoteFile, content: bytes | None, settings: executors.ReadSettings) -> str:
        if "lost" in file.rel:
            raise OSError("connection to the worker lost")  # as Dask reports a worker gone mid-task
        return real(file, content, settings)

    monkeypatch.setattr(executors, "read_remote", lost)
    monkeypatch.setattr(workers, "read_file", _misbehaving)
    tasks = []
    for i, name in enumerate(["lost.pdf", "fine.pdf"]):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
        tasks.append(workers.Task(i, tmp_path / name, name))
    options = RunOptions(
        received=tmp_path, campaign="shanxi-2021", out=tmp_path / "out", executor="dask", scheduler=cluster
    )
    results = dict(executors.read_dask(tasks, options))
    assert results[0].entry.status == "unreadable" and results[0].findings[0].code == "FILE_UNREADABLE"
    assert results[1].entry.status == "read"


def test_an_unreachable_scheduler_is_a_clear_config_error(tmp_path: Path) -> None:
    from models.errors import ConfigError

    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    options = RunOptions(
        received=tmp_path, campaign="shanxi-2021", out=tmp_path / "out", executor="dask", scheduler="tcp://127.0.0.1:9"
    )
    monkey = pytest.MonkeyPatch()
    monkey.setattr(executors, "CONNECT_SECONDS", 2)
    try:
        with pytest.raises(ConfigError, match="调度器"):
            list(executors.read_dask([workers.Task(0, tmp_path / "a.pdf", "a.pdf")], options))
    finally:
        monkey.undo()
