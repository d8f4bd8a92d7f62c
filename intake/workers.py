"""A small pool of long-lived worker processes with a time limit per file.

Long-lived, so the OCR model loads once per worker rather than once per file; a worker that
overruns its file's time limit (or dies) is killed and replaced, and that file becomes a
FILE_UNREADABLE finding while the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from intake.reading import FileResult, read_file, unreadable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    rel: str
    sha256: str | None = None  # already computed by the batch for the cache key


def _worker_main(tasks: mp.Queue, results: mp.Queue, ocr_engine: str, threads: int) -> None:
    os.environ.setdefault("INTAKE_OCR_THREADS", str(threads))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            result = read_file(task.path, task.rel, ocr_engine=ocr_engine, sha256=task.sha256)
        except BaseException as exc:  # read_file already catches; this is the last guard
            result = unreadable(task.rel, f"处理出错（{type(exc).__name__}）")
        results.put((task.index, result.model_dump_json()))


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, results: mp.Queue, engine: str, threads: int):
        self.tasks: mp.Queue = ctx.Queue()
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(self.tasks, results, engine, threads), daemon=True
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
    """``--jobs 1``: read in this process (no time limit; simplest to debug)."""
    for task in tasks:
        yield task.index, read_file(task.path, task.rel, ocr_engine=ocr_engine, sha256=task.sha256)


def read_parallel(
    tasks: list[Task],
    jobs: int,
    ocr_engine: str,
    timeout: float,
    on_start: Callable[[Task], None] | None = None,
) -> Iterator[tuple[int, FileResult]]:
    """Yield (task index, result) as files finish, in any order."""
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    results: mp.Queue = ctx.Queue()
    threads = worker_threads()
    pending = list(reversed(tasks))
    workers = [_Worker(ctx, results, ocr_engine, threads) for _ in range(min(jobs, len(tasks)))]
    outstanding = len(tasks)
    try:
        while outstanding:
            for i, worker in enumerate(workers):
                if worker.task is None and pending:
                    task = pending.pop()
                    if on_start:
                        on_start(task)
                    worker.give(task)
                elif worker.task is not None and not worker.process.is_alive():
                    yield worker.task.index, unreadable(worker.task.rel, "处理进程意外退出")
                    outstanding -= 1
                    workers[i] = _Worker(ctx, results, ocr_engine, threads)
                elif worker.task is not None and time.monotonic() - worker.started > timeout:
                    log.warning("time limit hit on %s", worker.task.rel)
                    yield (
                        worker.task.index,
                        unreadable(
                            worker.task.rel,
                            f"处理超时（超过 {timeout:.0f} 秒），已跳过，请人工查看",
                        ),
                    )
                    outstanding -= 1
                    worker.stop(kill=True)
                    workers[i] = _Worker(ctx, results, ocr_engine, threads)
            try:
                index, payload = results.get(timeout=0.2)
            except queue.Empty:
                continue
            for worker in workers:
                if worker.task is not None and worker.task.index == index:
                    worker.task = None
                    break
            else:
                continue  # a late answer from a killed worker
            outstanding -= 1
            yield index, FileResult.model_validate_json(payload)
    finally:
        for worker in workers:
            worker.stop(kill=worker.task is not None)
