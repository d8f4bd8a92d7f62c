"""Issue 11 point 6: every bad option exits with its documented code (README) and a Chinese
message that names the fix; nothing ends in a traceback."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from intake.cli import cli
from intake.writers.atomic import clean_stale_temps


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", *args])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture()
def received(tmp_path: Path) -> Path:
    folder = tmp_path / "收件"
    (folder / "某市" / "甲公司").mkdir(parents=True)
    (folder / "某市" / "甲公司" / "说明.txt").write_text("x", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--jobs", "0"], "--jobs 须为 1 到"),
        (["--jobs", "-3"], "--jobs 须为 1 到"),
        (["--jobs", "100000"], "--jobs 须为 1 到"),
        (["--ocr", "bogus"], "--ocr 只能是 rapidocr 或 tesseract"),
        (["--timeout", "0"], "--timeout 须为大于 0 的秒数"),
    ],
    ids=["jobs-0", "jobs-negative", "jobs-huge", "ocr-bogus", "timeout-0"],
)
def test_bad_values_exit_2_with_the_fix(received: Path, tmp_path: Path, extra: list[str], needle: str) -> None:
    code, output = _run(str(received), "--campaign", "shanxi-2021", "--out", str(tmp_path / "out"), *extra)
    assert code == 2
    assert "错误：" in output and needle in output
    assert not (tmp_path / "out").exists()  # refused before any work


def test_out_that_is_a_file_or_under_a_file(received: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(plain))
    assert code == 2 and "已存在的文件" in output and "--out" in output
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(plain / "sub"))
    assert code == 2 and "无法创建输出目录" in output
    assert plain.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("where", ["/proc/intake-out", "/sys/intake-out"])
def test_out_in_kernel_folders(received: Path, where: str) -> None:
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", where)
    assert code == 2 and "/proc、/sys" in output


def test_out_inside_the_received_folder_is_refused(received: Path) -> None:
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(received / "某市" / "输出"))
    assert code == 2 and "收件目录" in output and "以外" in output
    assert not (received / "某市" / "输出").exists()


def test_cache_dir_inside_the_received_folder_or_under_a_file_is_refused(received: Path, tmp_path: Path) -> None:
    inside = received / "某市" / "缓存"
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "out"), "--cache-dir", str(inside))
    assert code == 2 and "缓存目录" in output and "以外" in output
    assert not inside.exists()
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    code, output = _run(
        str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "out"), "--cache-dir", str(plain / "sub")
    )
    assert code == 2 and "--cache-dir" in output
    assert plain.read_text(encoding="utf-8") == "x"


def test_cache_dir_holds_the_result_cache_not_the_out_folder(received: Path, tmp_path: Path) -> None:
    cache = tmp_path / "缓存"
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "一"), "--cache-dir", str(cache))
    assert code == 0, output
    assert (cache / ".intake-cache.sqlite").is_file()
    assert not (tmp_path / "一" / ".intake-cache.sqlite").exists()


def test_read_only_out(received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)  # root ignores chmod
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "ro"))
    assert code == 2 and "不可写" in output and "Permission denied" in output


def test_unreadable_received_folder_exits_4(received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real_scandir = os.scandir

    def refuse(path: object = ".") -> object:
        if Path(str(path)) == received:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "o"))
    assert code == 4 and "无法读取" in output and "读取权限" in output
    plain = tmp_path / "file.txt"
    plain.write_text("x", encoding="utf-8")
    code, output = _run(str(plain), "-c", "shanxi-2021", "--out", str(tmp_path / "o"))
    assert code == 4 and "不是文件夹" in output


def test_usage_errors_are_chinese_with_exit_2(received: Path, tmp_path: Path) -> None:
    args = ["-m", "intake.cli", "run", str(received), "-c", "shanxi-2021", "-o", str(tmp_path / "o"), "--jobs", "x"]
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert "命令行选项有误" in done.stderr and "intake run --help" in done.stderr
    assert "Traceback" not in done.stderr


def test_stale_temporary_outputs_are_removed(received: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "evidence").mkdir(parents=True)
    stale = [
        out / ".review.xlsx.ab12cd_9.tmp",
        out / ".records.jsonl.zz9y8x7w.tmp",
        out / "evidence" / ".a.png.qwertyui.tmp",
    ]
    for path in stale:
        path.write_bytes(b"partial")
    keep = out / "notes.tmp"
    keep.write_bytes(b"mine")
    assert clean_stale_temps(out) == 3
    assert not any(p.exists() for p in stale) and keep.exists()


def test_an_internal_error_is_said_in_chinese(received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import intake.pipeline

    def broken(options: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(intake.pipeline, "run", broken)
    code, output = _run(str(received), "-c", "shanxi-2021", "--out", str(tmp_path / "o"))
    assert code == 1 and "内部错误 KeyError" in output and "run.log" in output
    assert "KeyError: 'boom'" in (tmp_path / "o" / "run.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("env", "needle"),
    [({"INTAKE_OCR_THREADS": "x"}, "INTAKE_OCR_THREADS"), ({"INTAKE_OCR_BACKEND": "cuda"}, "INTAKE_OCR_BACKEND")],
    ids=["threads", "backend"],
)
def test_bad_ocr_environment_exits_2(received: Path, tmp_path: Path, env: dict[str, str], needle: str) -> None:
    result = CliRunner().invoke(cli, ["run", str(received), "-c", "shanxi-2021", "-o", str(tmp_path / "o")], env=env)
    assert result.exit_code == 2 and needle in result.output and "删去该变量" in result.output


def test_missing_tesseract_exits_3_before_reading(
    received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, output = _run(str(received), "-c", "shanxi-2021", "-o", str(tmp_path / "o"), "--ocr", "tesseract")
    assert code == 3 and "未安装 Tesseract" in output and "tesseract-ocr-chi-sim" in output
    assert not (tmp_path / "o" / "review.xlsx").exists()


def test_extract_refuses_an_unknown_engine(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    result = CliRunner().invoke(cli, ["extract", str(path), "--ocr", "bogus"])
    assert result.exit_code == 2 and "--ocr 只能是" in result.output
