"""An unchanged re-run leaves current outputs alone; a change to anything that could change
an output (an input file, the set of files, the round config, an option, the program, the
reviewer's workbook, any other output) runs the full tail again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import intake.current as current
from intake.options import RunOptions
from intake.pipeline import run

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "received" / "shanxi-2021" / "大同市工业和信息化局"
COMPANY = "大同煤机智造有限公司"


def _options(received: Path, out: Path, campaign: str = "shanxi-2021", **extra) -> RunOptions:
    return RunOptions(received=received, campaign=campaign, out=out, jobs=1, progress=False, **extra)


def _log(out: Path) -> str:
    return (out / "run.log").read_text(encoding="utf-8")


def _assert_current(options: RunOptions) -> None:
    mtimes = {p: p.stat().st_mtime_ns for p in options.out.rglob("*") if p.is_file() and "run.log" not in p.name}
    outcome = run(options)
    assert outcome.current
    assert "outputs are current" in _log(options.out)
    assert "submissions, findings" not in _log(options.out)
    after = {p: p.stat().st_mtime_ns for p in options.out.rglob("*") if p.is_file() and "run.log" not in p.name}
    assert after == mtimes  # nothing rewritten
    assert outcome.records and all(r.submission_id for r in outcome.records)  # read back from records.jsonl


def _assert_tail_ran(options: RunOptions) -> None:
    outcome = run(options)
    assert not outcome.current
    assert "outputs are current" not in _log(options.out)
    assert "submissions, findings" in _log(options.out)  # the tail's last line


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One applicant's digital files (a scan's OCR would cost half a minute per test), read
    once; each test starts from a copy, whose cache serves every file."""
    root = tmp_path_factory.mktemp("first")
    folder = root / "received" / "大同市工业和信息化局" / COMPANY
    folder.mkdir(parents=True)
    for pdf in (SAMPLE / COMPANY).glob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    run(_options(root / "received", root / "out"))
    return root / "received", root / "out"


@pytest.fixture
def folders(first_run: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(first_run[0], tmp_path / "received")
    shutil.copytree(first_run[1], tmp_path / "out")
    received, out = tmp_path / "received", tmp_path / "out"
    run(_options(received, out))  # another folder: the tail runs (from the cache) and writes the state
    return received, out


def test_unchanged_rerun_is_current_and_returns_the_same_outcome(folders: tuple[Path, Path]) -> None:
    received, out = folders
    records = (out / "records.jsonl").read_text(encoding="utf-8")
    _assert_current(_options(received, out))
    assert (out / "records.jsonl").read_text(encoding="utf-8") == records


def _edit_pdf(received: Path, out: Path) -> None:
    book = next(received.rglob("*申报书.pdf"))
    book.write_bytes(book.read_bytes() + b"\n%intake test\n")  # same pages, other bytes


def _add_file(received: Path, out: Path) -> None:
    folder = received / "大同市工业和信息化局" / COMPANY
    shutil.copy(folder / "附件3-技术水平评价证书.pdf", folder / "附件9-技术水平评价证书.pdf")


def _remove_file(received: Path, out: Path) -> None:
    next(received.rglob("附件3-技术水平评价证书.pdf")).unlink()


def _mark_false_positive(received: Path, out: Path) -> None:
    book = load_workbook(out / "review.xlsx")
    sheet = book["问题清单"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(row=2, column=headers["处理结果"]).value = "误报"
    book.save(out / "review.xlsx")


def _touch_output(name: str) -> Callable[[Path, Path], None]:
    def change(received: Path, out: Path) -> None:
        path = out / name
        path.write_bytes(path.read_bytes() + b"\n")

    return change


def _remove_crop(received: Path, out: Path) -> None:
    next((out / "evidence").glob("*.png")).unlink()


@pytest.mark.parametrize(
    "change",
    [
        _edit_pdf,
        _add_file,
        _remove_file,
        _mark_false_positive,
        _touch_output("review.html"),
        _touch_output("records.jsonl"),
        _touch_output("review.xlsx"),
        _touch_output("evidence/index.json"),
        _remove_crop,
    ],
    ids=lambda f: getattr(f, "__name__", "touch"),
)
def test_a_changed_input_or_output_runs_the_tail(folders: tuple[Path, Path], change) -> None:
    received, out = folders
    change(received, out)
    _assert_tail_ran(_options(received, out))
    _assert_current(_options(received, out))


def test_a_reviewers_false_positive_mark_is_merged(folders: tuple[Path, Path]) -> None:
    received, out = folders
    _mark_false_positive(received, out)
    outcome = run(_options(received, out))
    assert not outcome.current
    assert any(f.dismissed for r in outcome.records for f in r.findings)


def test_options_config_and_program_are_in_the_fingerprint(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received, out = folders
    _assert_tail_ran(_options(received, out, timeout=599.0))
    _assert_tail_ran(_options(received, out))
    _assert_tail_ran(_options(received, out, use_cache=False))  # --no-cache: everything again
    config = tmp_path / "round.toml"
    text = (Path(current.__file__).resolve().parent / "campaigns" / "shanxi-2021.toml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    _assert_tail_ran(_options(received, out, campaign=str(config)))
    _assert_current(_options(received, out, campaign=str(config)))
    config.write_text(text.replace("# 山西", "# 注释 山西", 1), encoding="utf-8")  # a comment: same round
    _assert_current(_options(received, out, campaign=str(config)))
    config.write_text(text.replace('遴选"', '遴选（第二批）"', 1), encoding="utf-8")  # the round's title
    _assert_tail_ran(_options(received, out, campaign=str(config)))
    _assert_current(_options(received, out, campaign=str(config)))
    monkeypatch.setattr(current, "program_fingerprint", lambda: "another version of intake")
    _assert_tail_ran(_options(received, out, campaign=str(config)))
    monkeypatch.setenv("INTAKE_OCR_BACKEND", "test")
    _assert_tail_ran(_options(received, out, campaign=str(config)))


def test_a_run_that_could_not_read_a_file_is_never_current(folders: tuple[Path, Path]) -> None:
    received, out = folders
    broken = received / "大同市工业和信息化局" / COMPANY / "附件8.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    _assert_tail_ran(_options(received, out))
    _assert_tail_ran(_options(received, out))  # the unreadable file is tried again
