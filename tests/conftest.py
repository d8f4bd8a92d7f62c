from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REALDOCS = SHARED / "realdocs"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def realdocs() -> Path:
    if not REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is not beside the repository")
    return REALDOCS


@pytest.fixture
def forked_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers forked, as the command line forks them, even when this test process already
    holds an OCR runtime from earlier tests (``intake.workers.process_context`` would spawn
    them then). For tests whose readers must inherit something only a fork passes on: a
    patched ``read_file``, or the parent's memory. Their fake readers free no OCR engine."""
    import multiprocessing as mp

    import intake.workers as workers

    monkeypatch.setattr(workers, "process_context", lambda: mp.get_context("fork"))
