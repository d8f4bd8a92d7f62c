"""Fuzz run: seeded hostile folders through ``intake run``; prints one row per folder.

    .venv/bin/python bench/fuzz.py [--batches 11] [--files 48] [--seed 11] [--jobs 2]

Each batch folder (``bench/fuzz_corpus.py``: mutants of the samples, bombs, odd names and
odd entries) is read by the real command line in a subprocess, and checked:

- crash: exit code not 0, or a traceback on stderr;
- hang: the run did not end within ``--wall`` seconds (killed);
- lost / twice: input entries missing from, or listed more than once in, the workbook's file
  list (运行信息) — every input file must be accounted for exactly once;
- outputs: review.xlsx and records.jsonl written by this run and readable;
- changed inputs: any input file whose bytes differ after the run;
- time limit / reader errors / log tracebacks: files that hit ``--timeout`` or a reader's
  last-resort guard (a FILE_UNREADABLE saying 解析出错 or 处理出错), and tracebacks a guard
  wrote to run.log: handled, the batch went on, but each one is a reader to fix;
- peak memory: the largest single process's RSS, and the whole process tree's RSS and PSS
  (shared pages of forked workers counted once), sampled every 0.2 s.

Done when ≥ 500 files over several folders give 0 crashes, 0 hangs, 0 lost files and a peak
RSS ≤ 2 GB with ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fuzz_corpus import expected_entries, load_seeds, make_batch  # noqa: E402

INTAKE = [sys.executable, "-m", "intake.cli"]
FILE_LIST_TITLE = "文件清单"


@dataclass
class BatchReport:
    name: str
    files: int = 0
    exit_code: int | None = None
    crashed: bool = False
    hung: bool = False
    lost: int = 0
    twice: int = 0
    outputs_ok: bool = False
    inputs_changed: int = 0
    time_limit: int = 0
    reader_errors: int = 0
    log_tracebacks: int = 0
    unreadable: int = 0
    peak_process_mb: float = 0.0
    peak_tree_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.crashed or self.hung or self.lost or self.twice or self.inputs_changed) and self.outputs_ok


def _hashes(root: Path) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for folder, _, files in os.walk(os.fsencode(root)):
        for name in files:
            path = os.path.join(folder, name)
            try:
                if not stat.S_ISREG(os.stat(path, follow_symlinks=False).st_mode):
                    continue
                with open(path, "rb") as fh:
                    out[path] = hashlib.sha256(fh.read()).hexdigest()
            except OSError:
                continue
    return out


def _tree_rss(proc: psutil.Process) -> tuple[float, float, float]:
    """(largest process RSS, whole tree RSS, whole tree PSS) in MB. Forked workers share
    pages with their parent, which the RSS sum counts twice and PSS counts once."""
    rss, pss = [], []
    for p in [proc, *proc.children(recursive=True)]:
        try:
            full = p.memory_full_info()
        except psutil.Error:
            continue
        rss.append(full.rss)
        pss.append(getattr(full, "pss", full.rss))
    return (max(rss, default=0) / 2**20, sum(rss) / 2**20, sum(pss) / 2**20)


def listed_files(workbook: Path) -> list[str]:
    """The file column of the 运行信息 file list."""
    import openpyxl

    ws = openpyxl.load_workbook(workbook, read_only=True)["运行信息"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(FILE_LIST_TITLE))
    return [str(row[1]) for row in rows[start + 2 :] if row and row[1] not in (None, "（无）")]


def run_batch(
    received: Path, out: Path, *, campaign: str, jobs: int, timeout: float, wall: float, expected: int
) -> BatchReport:
    """Run the command line over one folder and check what it left."""
    report = BatchReport(name=received.name, files=expected)
    before = _hashes(received)
    started = time.time()
    cmd = [*INTAKE, "run", str(received), "--campaign", campaign, "--out", str(out), "--jobs", str(jobs)]
    cmd += ["--timeout", str(timeout), "--no-progress"]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        watched = psutil.Process(proc.pid)
        while proc.poll() is None:
            if time.time() - started > wall:
                for child in watched.children(recursive=True):
                    child.kill()
                proc.kill()
                proc.wait()
                report.hung = True
                break
            try:
                single, tree, shared = _tree_rss(watched)
            except psutil.Error:
                single = tree = shared = 0.0
            report.peak_process_mb = max(report.peak_process_mb, single)
            report.peak_tree_mb = max(report.peak_tree_mb, tree)
            report.peak_tree_pss_mb = max(report.peak_tree_pss_mb, shared)
            time.sleep(0.2)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    report.seconds = round(time.time() - started, 1)
    report.exit_code = proc.returncode
    report.crashed = not report.hung and (proc.returncode != 0 or "Traceback" in stderr)
    if report.crashed:
        report.problems.append(stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}")
    after = _hashes(received)
    report.inputs_changed = sum(1 for path, digest in before.items() if after.get(path) != digest)
    _check_outputs(report, out, started, expected)
    return report


def _check_outputs(report: BatchReport, out: Path, started: float, expected: int) -> None:
    workbook, records = out / "review.xlsx", out / "records.jsonl"
    fresh = all(p.is_file() and p.stat().st_mtime >= started - 1 for p in (workbook, records))
    if not fresh:
        report.problems.append("outputs missing or stale")
        report.lost = expected
        return
    import json

    try:
        for line in records.read_text(encoding="utf-8").splitlines():
            json.loads(line)
        listed = listed_files(workbook)
    except Exception as exc:  # an unreadable output is a failure of the run
        report.problems.append(f"outputs unreadable: {type(exc).__name__}: {exc}")
        return
    report.outputs_ok = True
    log = out / "run.log"
    report.log_tracebacks = log.read_text(encoding="utf-8", errors="replace").count("Traceback") if log.is_file() else 0
    report.twice = len(listed) - len(set(listed))
    report.lost = max(0, expected - len(set(listed)))
    import openpyxl

    ws = openpyxl.load_workbook(workbook, read_only=True)["运行信息"]
    for row in ws.iter_rows(values_only=True):
        reason = str(row[3] or "") if len(row) > 3 else ""
        report.time_limit += "处理超时" in reason
        report.reader_errors += "解析出错" in reason or "处理出错" in reason or "意外退出" in reason
        report.unreadable += row[2] == "无法读取" if len(row) > 2 else 0


def print_table(reports: list[BatchReport], jobs: int) -> None:
    head = ["folder", "files", "crashes", "hangs", "lost", "twice", "outputs", "changed", "time limit"]
    head += [
        "reader errors",
        "log tracebacks",
        "unreadable",
        "peak RSS/process MB",
        "peak RSS/tree MB",
        "peak PSS/tree MB",
        "s",
    ]
    print(f"\nfuzz run, --jobs {jobs}")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))

    def line(r: BatchReport) -> list[str]:
        return [
            r.name,
            str(r.files),
            str(int(r.crashed)),
            str(int(r.hung)),
            str(r.lost),
            str(r.twice),
            "ok" if r.outputs_ok else "MISSING",
            str(r.inputs_changed),
            str(r.time_limit),
            str(r.reader_errors),
            str(r.log_tracebacks),
            str(r.unreadable),
            f"{r.peak_process_mb:.0f}",
            f"{r.peak_tree_mb:.0f}",
            f"{r.peak_tree_pss_mb:.0f}",
            f"{r.seconds:.0f}",
        ]

    for r in reports:
        print("| " + " | ".join(line(r)) + " |")
    total = BatchReport(name="total", files=sum(r.files for r in reports))
    total.crashed = sum(r.crashed for r in reports)  # type: ignore[assignment]
    total.hung = sum(r.hung for r in reports)  # type: ignore[assignment]
    for key in ("lost", "twice", "inputs_changed", "time_limit", "reader_errors", "log_tracebacks", "unreadable"):
        setattr(total, key, sum(getattr(r, key) for r in reports))
    total.outputs_ok = all(r.outputs_ok for r in reports)
    total.peak_process_mb = max((r.peak_process_mb for r in reports), default=0)
    total.peak_tree_mb = max((r.peak_tree_mb for r in reports), default=0)
    total.peak_tree_pss_mb = max((r.peak_tree_pss_mb for r in reports), default=0)
    total.seconds = sum(r.seconds for r in reports)
    print("| " + " | ".join(f"**{cell}**" for cell in line(total)) + " |")
    for r in reports:
        for problem in r.problems:
            print(f"  {r.name}: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=11)
    parser.add_argument("--files", type=int, default=48, help="entries per batch folder")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="per-file time limit passed to intake")
    parser.add_argument("--wall", type=float, default=1800.0, help="seconds before a batch counts as hung")
    parser.add_argument("--campaign", default="shanxi-2021")
    parser.add_argument("--work", type=Path, default=None, help="folder for corpora and outputs (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="intake-fuzz-"))
    if work.exists() and args.work:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    seeds = load_seeds()
    reports = []
    for b in range(args.batches):
        rng = random.Random(args.seed * 1000 + b)
        received = work / f"batch-{b:02d}"
        made = make_batch(received, seeds, rng, args.files, with_bombs=b % 3 == 0)
        expected = expected_entries(received)
        assert expected == made, (expected, made)
        report = run_batch(
            received,
            work / f"out-{b:02d}",
            campaign=args.campaign,
            jobs=args.jobs,
            timeout=args.timeout,
            wall=args.wall,
            expected=expected,
        )
        reports.append(report)
        print(
            f"{report.name}: {report.files} files, exit {report.exit_code}, {report.seconds:.0f}s, "
            f"peak {report.peak_process_mb:.0f}/{report.peak_tree_mb:.0f}/{report.peak_tree_pss_mb:.0f} MB",
            file=sys.stderr,
            flush=True,
        )
    print_table(reports, args.jobs)
    print(f"\ncorpora and outputs in {work}")
    return 0 if all(r.clean for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
