"""Where the per-file read tasks run: in this process, in a local pool of worker processes,
or on a Dask cluster. Whichever runs them, the task is the same (``read_file`` on one file,
in a supervised worker process with a time limit and a memory ceiling) and so is its result;
discovery, the cache, grouping, the rules and the writers stay here, on the coordinator.

Dask, not Ray: Dask is already a kept dependency of this project, its scheduler and workers
are two plain commands (``dask scheduler``, ``dask worker ADDRESS``) with no object store or
cluster manager to run, and a read task is a plain function on bytes returning JSON, which
is what Dask's futures do best. Ray would add a second large runtime (and its own memory
manager, which would fight the per-worker ceiling) for no gain on file-sized tasks: the
per-task overhead of either (milliseconds) is nothing against a page's read (10 ms digital,
1–2 s scanned). See docs/DISTRIBUTED.md.

Files travel by content by default (the coordinator scatters each file's bytes to a worker,
which writes them to its own temporary folder under the file's name); with shared storage
(``--shared-storage``: the received folder is mounted at the same path on every machine)
only the path travels.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake.reading import FileResult, unreadable
from intake.workers import Pool, Task, crash_message, read_in_process, read_parallel, warm_reading_stack
from models.errors import ConfigError

if TYPE_CHECKING:
    from intake.options import RunOptions

log = logging.getLogger(__name__)

IN_FLIGHT_PER_WORKER = 2  # tasks (and their bytes) handed to the cluster ahead of need
INLINE_BYTES = 2 << 20  # smaller files ride with their task; larger ones are scattered first
CONNECT_SECONDS = 30
IN_PROCESS_ENV = "INTAKE_READ_IN_PROCESS"


def read_tasks(tasks: list[Task], options: RunOptions, pool: Pool | None = None) -> Iterator[tuple[int, FileResult]]:
    """Yield (task index, result) for every task, in any order, on the chosen executor.
    ``pool``: local readers the caller started early (see ``early_pool``)."""
    if options.executor == "dask":
        yield from read_dask(tasks, options)
    elif tasks:
        # --jobs 1 too reads in one supervised reader process, not here: the time limit and
        # the memory ceiling hold whatever the job count (the cost is measured in
        # docs/BENCHMARKS.md); INTAKE_READ_IN_PROCESS=1 reads here, for a debugger.
        if os.environ.get(IN_PROCESS_ENV) == "1":
            yield from read_in_process(tasks, options.ocr)
            return
        jobs = min(options.jobs, len(tasks))
        yield from read_parallel(tasks, jobs, options.ocr, options.timeout, memory_mb=options.memory_mb, pool=pool)


def early_pool(options: RunOptions, files: int, expect_reading: bool) -> Pool | None:
    """Local readers (no more than there are ``files``) started before hashing when every
    file will be read (no cache to serve any): they fork and load the reading stack while
    the coordinator hashes. None on Dask, when reading in process, or when the cache may
    serve the files."""
    if options.executor != "local" or not expect_reading or not files or os.environ.get(IN_PROCESS_ENV) == "1":
        return None
    pool = Pool(options.jobs, options.ocr, options.timeout, options.memory_mb)
    pool.start(min(options.jobs, files))
    return pool


@dataclass(frozen=True)
class RemoteFile:
    """One read task as it travels to a Dask worker: the file's name and hash, and either
    its path on shared storage or its bytes (as a scattered Dask future)."""

    index: int
    rel: str
    name: str
    sha256: str | None
    path: str | None = None


@dataclass(frozen=True)
class ReadSettings:
    ocr: str
    timeout: float
    memory_mb: int | None


# One supervised pool per Dask worker thread: models load once, and a crash, an overrun or
# a file over the memory ceiling costs that pool's process, never the Dask worker.
_POOLS: dict[int, Pool] = {}
_POOLS_LOCK = threading.Lock()
_INDEX = itertools.count()


def _pool_for(settings: ReadSettings) -> Pool:
    key = threading.get_ident()
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None or pool.settings[0] != settings.ocr or pool.memory_mb != settings.memory_mb:
            if pool is not None:
                pool.close()
            warm_reading_stack()  # before the reader is forked, so it starts with it
            if mp.current_process().daemon:
                # Dask marks its worker processes daemonic so that a dying nanny takes them
                # along; our reader process watches its parent and exits with it anyway.
                mp.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
            pool = Pool(1, settings.ocr, settings.timeout, settings.memory_mb)
            _POOLS[key] = pool
        pool.timeout = settings.timeout
        return pool


def close_pools() -> int:
    """Stop this process's reader processes (run on every worker at the end of a batch)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close()
        count = len(_POOLS)
        _POOLS.clear()
    return count


def read_remote(file: RemoteFile, content: bytes | None, settings: ReadSettings) -> str:
    """On a Dask worker: read one file through this thread's supervised pool; the result as
    JSON (plain bytes on the wire, validated again on the coordinator)."""
    folder: Path | None = None
    try:
        if file.path is not None:
            path = Path(file.path)
        else:
            folder = Path(tempfile.mkdtemp(prefix="intake-"))
            path = folder / file.name
            path.write_bytes(content or b"")
        task = Task(next(_INDEX), path, file.rel, file.sha256)
        _, result = next(iter(_pool_for(settings).run([task])))
        return result.model_dump_json()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _connect(options: RunOptions) -> tuple[Any, Any]:
    """A client on the given scheduler, or on a LocalCluster of ``jobs`` worker processes."""
    import dask
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            return Client(options.scheduler, timeout=CONNECT_SECONDS), None
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"无法连接 Dask 调度器 {options.scheduler}：{exc}；请检查地址与网络") from exc
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = LocalCluster(
            n_workers=options.jobs,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,  # the reader processes carry the ceiling, not Dask's nanny
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
    return Client(cluster), cluster


def _check_versions(client: Any) -> None:
    """Every worker must read with the same code as the coordinator (the cache is keyed by it)."""
    from intake.cache import code_fingerprint

    mine = code_fingerprint()
    theirs = client.run(code_fingerprint)
    other = sorted(addr for addr, fp in theirs.items() if fp != mine)
    if other:
        raise ConfigError(f"Dask 工作节点 {', '.join(other)} 上的 intake 代码与本机不同；请在所有机器上安装同一版本")


def read_dask(tasks: list[Task], options: RunOptions) -> Iterator[tuple[int, FileResult]]:
    """The tasks on a Dask cluster, a few per worker in flight at a time (so a folder of
    thousands of books never sits in the coordinator's or the scheduler's memory)."""
    from distributed import as_completed

    if not tasks:
        return
    client, cluster = _connect(options)
    try:
        _check_versions(client)
        settings = ReadSettings(options.ocr, options.timeout, options.memory_mb)
        slots = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
        queue = iter(tasks)
        running: dict[Any, Task] = {}
        done = as_completed()

        unsent: list[tuple[int, FileResult]] = []

        def submit_next() -> None:
            task = next(queue, None)
            if task is None:
                return
            file = RemoteFile(task.index, task.rel, task.path.name, task.sha256)
            content = None
            if options.shared_storage:
                file = RemoteFile(task.index, task.rel, task.path.name, task.sha256, str(task.path.resolve()))
            else:
                try:
                    data = task.path.read_bytes()
                    content = data if len(data) <= INLINE_BYTES else client.scatter(data, hash=False)
                except OSError as exc:  # gone or locked since it was hashed
                    unsent.append((task.index, unreadable(task.rel, f"无法打开文件（{exc.strerror or exc}）")))
                    submit_next()
                    return
            future = client.submit(read_remote, file, content, settings, pure=False, retries=0)
            running[future] = task
            done.add(future)

        for _ in range(slots):
            submit_next()
        yield from unsent
        unsent.clear()
        for future in done:
            task = running.pop(future)
            try:
                result = FileResult.model_validate_json(future.result())
            except Exception as exc:  # a lost worker (KilledWorker), a broken connection …
                log.warning("dask task for %s failed: %s", task.rel, exc)
                result = unreadable(task.rel, crash_message())
            future.release()
            submit_next()
            yield task.index, result
            yield from unsent
            unsent.clear()
        try:
            client.run(close_pools)
        except Exception as exc:  # the batch is read; a worker gone at the end is no failure
            log.info("closing reader processes: %s", exc)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
