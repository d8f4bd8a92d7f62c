"""A small pool of long-lived worker processes with a time limit and a memory ceiling per file.

Long-lived, so the OCR model loads once per worker rather than once per file; a worker that
overruns its file's time limit, grows past its memory ceiling, or dies is killed and
replaced, and that file becomes a FILE_UNREADABLE finding while the batch goes on.

The memory ceiling is on the memory a worker holds for itself (its private resident pages),
not address space: OpenVINO and ONNX Runtime
reserve far more virtual memory than they touch (a worker that has read one licence holds
2.1 GB of address space for 0.74 GB resident, and thread arenas add 64 MB of address space
per core), so an ``RLIMIT_AS`` low enough to matter would break OCR on a machine with more
cores. The ceiling is watched from both sides: a thread in the worker reads its own memory every
50 ms and exits with ``EXIT_MEMORY`` (fast, but it needs the GIL), and the parent reads the
worker's memory on every tick of its loop and kills it (slower, but works while the worker is
stuck in C code holding the GIL).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from intake.reading import FileResult, read_file, unreadable

log = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 3072  # per worker: an OCR worker peaks at about 1.5 GB (docs/BENCHMARKS.md)
EXIT_MEMORY = 86  # a worker's exit code when its own watchdog found it over the ceiling
WATCH_SECONDS = 0.05
TICK_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def memory_message(limit_mb: int) -> str:
    return f"资源超限（内存超过 {limit_mb / 1024:.1f} GB），已跳过，请人工查看"


def crash_message() -> str:
    return "处理进程意外退出"


def timeout_message(timeout: float) -> str:
    return f"处理超时（超过 {timeout:.0f} 秒），已跳过，请人工查看"


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    rel: str
    sha256: str | None = None  # already computed by the batch for the cache key


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / (1 << 20)
    except (OSError, IndexError, ValueError):
        return None


def _private_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            lines = [line for line in fh if line.startswith((b"Private_Clean:", b"Private_Dirty:"))]
        return sum(int(line.split()[1]) for line in lines) / 1024  # kB
    except (OSError, IndexError, ValueError):
        return None


def over_ceiling(pid: int, limit_mb: int) -> bool:
    """Whether a process holds more than ``limit_mb`` for itself: its private pages (USS). A
    forked worker still shares most of its parent's pages (a coordinator or a test process that
    loaded the OCR models is 1.3 GB resident), and RSS would charge all of those to the worker.
    RSS is read first (cheap, and never below USS); smaps_rollup (1.5 ms for a 0.8 GB process)
    only when RSS is over the ceiling."""
    rss = _rss_mb(pid)
    if rss is None or rss <= limit_mb:
        return False
    private = _private_mb(pid)
    return (rss if private is None else private) > limit_mb


def owned_mb(pid: int) -> float | None:
    """Memory a process holds for itself in MB (USS; RSS where smaps_rollup is missing)."""
    private = _private_mb(pid)
    return private if private is not None else _rss_mb(pid)


def _watch(limit_mb: int | None, parent: int) -> None:
    """In the worker: exit at once when over the ceiling, or when the parent is gone (an
    orphaned worker would otherwise wait forever holding its models)."""
    me = os.getpid()
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(0)
        if limit_mb is not None and over_ceiling(me, limit_mb):
            os._exit(EXIT_MEMORY)


def _worker_main(tasks: mp.Queue, results: mp.Queue, ocr_engine: str, threads: int, limit_mb: int | None) -> None:
    os.environ.setdefault("INTAKE_OCR_THREADS", str(threads))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    threading.Thread(target=_watch, args=(limit_mb, os.getppid()), daemon=True).start()
    warm_reading_stack()
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            result = read_file(task.path, task.rel, ocr_engine=ocr_engine, sha256=task.sha256)
        except BaseException as exc:  # read_file already catches; this is the last guard
            result = unreadable(task.rel, f"处理出错（{type(exc).__name__}）")
        results.put((task.index, result.model_dump_json()))


def warm_reading_stack() -> None:
    """Load the digital reading stack: in a reader before its first task (a pool started
    early, see ``Pool.start``, loads it while the coordinator discovers and hashes the files),
    and in a Dask worker before it forks its reader. A failure here is left to reading, which
    reports it per file."""
    try:
        from extractors.classify import extract_documents  # noqa: F401
        from extractors.registry import load_extractors, load_loaders

        load_loaders()
        load_extractors()
    except Exception:  # read_file meets the same error on the file and reports it
        pass


NATIVE_POOLS = ("openvino", "onnxruntime")
"""Libraries whose thread pools a forked child inherits half-made: a reader forked from a
process that has already run OCR (a test process, a script using ``intake.api``) hangs for
good in their code (seen: OpenVINO's CPUStreamsExecutor waiting on a condition no thread will
signal). The command line's coordinator never imports them, so its readers are forked."""


def process_context() -> mp.context.BaseContext:
    """How reader and crop processes are started: forked (fast; they share the parent's
    imported modules) unless this process holds an OCR runtime (``NATIVE_POOLS``) or cannot
    fork; then spawned, a fresh interpreter that imports what it needs."""
    if not hasattr(os, "fork") or any(name in sys.modules for name in NATIVE_POOLS):
        return mp.get_context("spawn")
    return mp.get_context("fork")


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, results: mp.Queue, settings: tuple[str, int, int | None]):
        self.tasks: mp.Queue = ctx.Queue()
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(self.tasks, results, *settings), daemon=True
        )
        self.process.start()
        self.task: Task | None = None
        self.started = 0.0

    def give(self, task: Task) -> None:
        self.task = task
        self.started = time.monotonic()
        self.tasks.put(task)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.tasks.put(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()


def worker_threads() -> int:
    """OCR threads for each worker: all the cores, not a share of them.

    A worker alone with a long scanned book then uses every core. When all workers are busy,
    their threads share the cores: on 2 cores, two workers of two threads each read about as
    many pages per minute as two workers of one thread. One worker with one thread is 1.7×
    slower than one with two (docs/BENCHMARKS.md)."""
    return max(1, os.cpu_count() or 1)


def read_in_process(tasks: list[Task], ocr_engine: str) -> Iterator[tuple[int, FileResult]]:
    """Read in this process: no time limit, no memory ceiling (``INTAKE_READ_IN_PROCESS=1``,
    to step through reading in a debugger)."""
    for task in tasks:
        yield task.index, read_file(task.path, task.rel, ocr_engine=ocr_engine, sha256=task.sha256)


class Pool:
    """``jobs`` long-lived worker processes; ``run`` may be called again and again (the Dask
    executor keeps one pool per Dask worker, so models load once per machine process)."""

    def __init__(self, jobs: int, ocr_engine: str, timeout: float, memory_mb: int | None = DEFAULT_MEMORY_MB):
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.ctx = process_context()
        self.results: mp.Queue = self.ctx.Queue()
        self.settings = (ocr_engine, worker_threads(), memory_mb)
        self.workers: list[_Worker] = []

    def start(self, count: int) -> None:
        """Start up to ``count`` workers now, before any task: they load the reading stack
        while the caller is still discovering and hashing files."""
        while len(self.workers) < min(self.jobs, count):
            self.workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.results, self.settings)

    def _verdict(self, worker: _Worker) -> str | None:
        """Why this busy worker must be given up on now, or None while it may go on."""
        if not worker.process.is_alive():
            return memory_message(self.memory_mb or 0) if worker.process.exitcode == EXIT_MEMORY else crash_message()
        if self.memory_mb is not None and over_ceiling(worker.process.pid, self.memory_mb):
            return memory_message(self.memory_mb)
        if time.monotonic() - worker.started > self.timeout:
            return timeout_message(self.timeout)
        return None

    def run(
        self, tasks: list[Task], on_start: Callable[[Task], None] | None = None
    ) -> Iterator[tuple[int, FileResult]]:
        """Yield (task index, result) as files finish, in any order."""
        pending = list(reversed(tasks))
        while len(self.workers) < min(self.jobs, len(tasks)):
            self.workers.append(self._spawn())
        outstanding = len(tasks)
        while outstanding:
            for i, worker in enumerate(self.workers):
                if worker.task is None:
                    if pending:
                        task = pending.pop()
                        if on_start:
                            on_start(task)
                        worker.give(task)
                    continue
                reason = self._verdict(worker)
                if reason is not None:
                    log.warning("giving up on %s: %s", worker.task.rel, reason)
                    task = worker.task
                    worker.stop(kill=True)
                    self.workers[i] = self._spawn()
                    outstanding -= 1  # the pool is whole again before the caller resumes
                    yield task.index, unreadable(task.rel, reason)
            try:
                index, payload = self.results.get(timeout=TICK_SECONDS)
            except queue.Empty:
                continue
            for worker in self.workers:
                if worker.task is not None and worker.task.index == index:
                    worker.task = None
                    break
            else:
                continue  # a late answer from a killed worker
            outstanding -= 1
            yield index, FileResult.model_validate_json(payload)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop(kill=worker.task is not None)
        self.workers = []


def read_parallel(
    tasks: list[Task],
    jobs: int,
    ocr_engine: str,
    timeout: float,
    on_start: Callable[[Task], None] | None = None,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    pool: Pool | None = None,
) -> Iterator[tuple[int, FileResult]]:
    """Yield (task index, result) as files finish, in any order. ``pool``: one the caller
    started early (and closes); a new one otherwise."""
    if pool is not None:
        yield from pool.run(tasks, on_start)
        return
    own = Pool(jobs, ocr_engine, timeout, memory_mb)
    try:
        yield from own.run(tasks, on_start)
    finally:
        own.close()
