"""intake.api: the examples of docs/API.md run as doctests, and each function's contract."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from intake import api
from models.errors import ConfigError, FileReadError, InputFolderError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "received" / "shanxi-2021"


def test_api_md_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(ROOT / "docs" / "API.md"), module_relative=False, optionflags=flags, verbose=False)
    assert result.attempted >= 15
    assert result.failed == 0


def test_extract_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="不存在"):
        api.extract(tmp_path / "没有这个文件.pdf")
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(FileReadError, match="无法读取"):
        api.extract(broken)


def test_load_records_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputFolderError, match="请先运行 intake run"):
        api.load_records(tmp_path)
    (tmp_path / "records.jsonl").write_text('{"not": "a record"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="第1行"):
        api.load_records(tmp_path / "records.jsonl")


def test_run_checks_the_round_and_folders_first(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        api.run(SAMPLE, "no-such-round", tmp_path / "out")
    with pytest.raises(InputFolderError):
        api.run(tmp_path / "missing", "shanxi-2021", tmp_path / "out")
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_public_names_are_typed() -> None:
    assert set(api.__all__) == {"Outcome", "extract", "load_records", "run"}
    for name in ("run", "extract", "load_records"):
        function = getattr(api, name)
        assert function.__doc__ and "return" in function.__annotations__
