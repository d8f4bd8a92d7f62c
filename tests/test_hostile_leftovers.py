"""Issue 11 point 7: what a killed or repeated run leaves behind, and what a run lists:
earlier logs are rotated, every input file is listed exactly once (a 汇总表 that was read
included), and OpenVINO writes no usage statistics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from intake.options import RunOptions
from intake.pipeline import run
from intake.writers.sheets.run_info import listed_files

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "received" / "shanxi-2021" / "太原市工业和信息化局"


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list]:
    base = tmp_path_factory.mktemp("leftovers")
    received = base / "收件" / "太原市工业和信息化局"
    received.mkdir(parents=True)
    summary = next(SAMPLE.glob("*汇总表.xlsx"))
    (received / summary.name).write_bytes(summary.read_bytes())
    company = received / "甲公司"
    company.mkdir()
    (company / "说明.txt").write_text("报送说明", encoding="utf-8")
    (company / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    (company / ".DS_Store").write_bytes(b"x")
    out = base / "out"
    outcomes = []
    for _ in range(3):
        outcomes.append(
            run(RunOptions(received=base / "收件", campaign="shanxi-2021", out=out, jobs=1, progress=False))
        )
    return base / "收件", out, outcomes


def test_earlier_logs_are_rotated_not_erased(twice: tuple[Path, Path, list]) -> None:
    _, out, _ = twice
    logs = [out / "run.log", out / "run.log.1", out / "run.log.2"]
    assert all(p.is_file() and p.stat().st_size for p in logs)
    assert all("intake" in p.read_text(encoding="utf-8") for p in logs)


def test_every_input_file_is_listed_once(twice: tuple[Path, Path, list]) -> None:
    received, out, outcomes = twice
    on_disk = sorted(p.relative_to(received).as_posix() for p in received.rglob("*") if p.is_file())
    info = outcomes[-1].run_info
    assert sorted(e.path for e in info.files) == on_disk
    assert info.files_total == len(on_disk)
    summary = next(e for e in info.files if e.path.endswith("汇总表.xlsx"))
    assert summary.status == "read"  # read, named by no finding, still listed
    ws = openpyxl.load_workbook(out / "review.xlsx")["运行信息"]
    cells = [str(c.value) for c in ws["B"] if c.value]
    for path in on_disk:
        assert cells.count(path) == 1, path
    statuses = [e.status for e in listed_files(info)]
    assert statuses.index("read") > statuses.index("unreadable")  # problems first


def test_openvino_telemetry_is_off(tmp_path: Path) -> None:
    """Importing OpenVINO through our engine module neither counts the run in ~/intel/stats
    nor loads the telemetry client."""
    code = (
        "import sys, extractors.ocr.rapid, openvino, openvino.tools.ovc.telemetry_utils as tu; "
        "print(tu.tm.__name__, sys.modules.get('openvino_telemetry'))"
    )
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["openvino.tools.ovc.telemetry_stub", "None"]
    assert not (tmp_path / "intel").exists()
