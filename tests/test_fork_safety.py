"""Readers started from a process that has already run OCR: a forked child inherits OpenVINO's
half-made thread pools and hangs in them for good (seen in the test process, where earlier
tests read scans in-process). Such a process starts its readers by spawning instead."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from intake.workers import NATIVE_POOLS, Pool, Task, process_context

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "received"


def _a_picture() -> Path:
    pictures = sorted(p for p in SAMPLES.rglob("*") if p.suffix.lower() in (".jpg", ".png"))
    if not pictures:
        pytest.skip("no picture attachment among the samples")
    return pictures[0]


def test_fork_only_without_an_ocr_runtime_loaded() -> None:
    loaded = any(name in sys.modules for name in NATIVE_POOLS)
    assert process_context().get_start_method() == ("spawn" if loaded else "fork")


@pytest.mark.slow
def test_reader_after_ocr_in_this_process_finishes(tmp_path: Path) -> None:
    """OCR a picture here (OpenVINO's pools now live in this process), then read another
    picture in a reader process: it must come back read, not time out."""
    from extractors.ocr.engines import get_engine
    from intake.reading import read_file

    picture = _a_picture()
    copy = tmp_path / picture.name
    shutil.copyfile(picture, copy)
    here = read_file(copy, picture.name, ocr_engine="rapidocr")
    assert here.entry.status == "read"
    get_engine("rapidocr")
    assert process_context().get_start_method() == "spawn"

    pool = Pool(jobs=1, ocr_engine="rapidocr", timeout=240)
    try:
        [(index, result)] = list(pool.run([Task(index=0, path=copy, rel=picture.name, sha256=None)]))
    finally:
        pool.close()
    assert index == 0 and result.entry.status == "read", result.entry.reason
    assert [d.kind for d in result.documents] == [d.kind for d in here.documents]


def _free_the_engines() -> None:
    """What a reader may do: drop the OCR engines it knows of (a forked one frees the parent's)."""
    import gc

    from extractors.ocr.engines import clear_engine_cache

    clear_engine_cache()
    gc.collect()


@pytest.mark.slow
def test_child_freeing_inherited_engines_does_not_hang(tmp_path: Path) -> None:
    """Forked after OCR, a child that frees the engine it inherited hangs in OpenVINO's
    destructor (measured: still alive after 30 s); started by ``process_context`` it exits."""
    from intake.reading import read_file

    picture = _a_picture()
    copy = tmp_path / picture.name
    shutil.copyfile(picture, copy)
    assert read_file(copy, picture.name, ocr_engine="rapidocr").entry.status == "read"
    child = process_context().Process(target=_free_the_engines)
    child.start()
    child.join(60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive and child.exitcode == 0
