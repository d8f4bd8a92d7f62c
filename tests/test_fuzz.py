"""The fuzz harness's quick slice (issue 11): one seeded hostile folder through the real
command line with ``--jobs 2``. Exit 0, outputs written, no traceback, every input entry
listed exactly once, inputs unchanged, no process over the memory ceiling.

The full run (≥ 500 files over several folders, with the slow bombs) is ``bench/fuzz.py``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.fuzz import run_batch
from bench.fuzz_corpus import MUTATORS, Seed, bombs, expected_entries, load_seeds, make_batch

CEILING_MB = 2048
QUICK_FILES = 36


@pytest.fixture(scope="module")
def quick_seeds() -> list[Seed]:
    """Seeds read without long OCR: Word, Excel, shrunk pictures and one-page PDFs."""
    seeds = load_seeds()
    small_pdfs = [s for s in seeds if s.ext == ".pdf" and len(s.data) < 12_000][:4]
    others = [s for s in seeds if s.ext in (".docx", ".xlsx")]
    pictures = [s for s in seeds if s.ext in (".jpg", ".png")][:3]
    return [*others, *small_pdfs, *pictures]


def test_mutators_are_seeded(quick_seeds: list[Seed]) -> None:
    for name, mutate in MUTATORS.items():
        first = mutate(random.Random(5), quick_seeds[0])
        again = mutate(random.Random(5), quick_seeds[0])
        assert first == again, name


def test_quick_fuzz_slice(quick_seeds: list[Seed], tmp_path: Path) -> None:
    received = tmp_path / "收件"
    made = make_batch(received, quick_seeds, random.Random(2026), QUICK_FILES, with_bombs=True, quick=True)
    expected = expected_entries(received)
    assert expected == made >= QUICK_FILES
    bomb_names = [m[0].decode() for m in bombs(random.Random(2026), quick_seeds, quick=True)]
    assert len(bomb_names) >= 8 and all(list(received.rglob(name)) for name in bomb_names)
    report = run_batch(
        received, tmp_path / "out", campaign="shanxi-2021", jobs=2, timeout=60.0, wall=240.0, expected=expected
    )
    assert not report.hung, report
    assert not report.crashed, report.problems
    assert report.outputs_ok, report.problems
    assert report.lost == 0 and report.twice == 0, report
    assert report.inputs_changed == 0
    assert report.time_limit == 0
    assert report.unreadable >= 10  # the bombs and broken files were refused, with findings
    assert report.peak_process_mb < CEILING_MB, report
