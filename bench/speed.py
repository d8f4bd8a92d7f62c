"""Speed benchmark (issue 13): every figure printed against its target, PASS or SHORT.

    .venv/bin/python bench/speed.py [--pages 264] [--rerun-pages 1000] [--book-pages 10]
                                    [--repeat 2] [--executor dask] [--quick]

- start-up: ``intake --help`` wall time (≤ 0.2 s);
- classification: ms per page of scoring every page of the digital folder (≤ 5 ms);
- digital: a folder of ≥ 250 pages of digital PDF books copied from the samples into
  recommender/applicant folders; ``intake run`` with ``--jobs 1`` and ``--jobs 2`` against a
  raw pdfplumber pass (extract_text + extract_tables per page, one process) over the same
  pages, in the same run (≥ 3× pdfplumber, ≥ 100 pages/s with 2 cores, jobs 2 ≥ 1.8× jobs 1);
- unchanged re-run of ``--rerun-pages`` pages (≤ 2 s): the outputs are current and left alone;
  and, for the record, the full tail from the cache after an output changed;
- scans: a bound image-only book at 200 dpi read warm by intake against the raw OCR engine on
  the same page images (≤ 1.2×, ≤ 1.5 s/page on 2 cores);
- peak RSS of the largest process in any run (≤ 1.5 GB);
- ``--executor dask``: the digital folder on a Dask scheduler with 1 and then 2 workers
  (``dask scheduler`` and ``dask worker`` started here, as on separate machines).

`intake run` goes in a subprocess, as a user runs it. The machine is shared: the ratios are
taken within one run; absolute figures move with the load (printed with ``uptime``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "received"
OUT = ROOT / "bench" / "out"
BIN = ROOT / ".venv" / "bin"
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool

    @property
    def verdict(self) -> str:
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "PASS" if ok else "SHORT"

    def line(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        return f"{self.name:58s} {self.value:9.3f} {self.unit:9s} target {sign} {self.target:g}  {self.verdict}"


FIGURES: list[Figure] = []


def report(name: str, value: float, unit: str, target: float, higher_is_better: bool) -> None:
    figure = Figure(name, value, unit, target, higher_is_better)
    FIGURES.append(figure)
    print(figure.line(), flush=True)


def _pdf_info(path: Path) -> tuple[int, bool]:
    """(pages, whether its first page has a text layer)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return 0, False
    try:
        n = len(pdf)
        text = pdf[0].get_textpage().get_text_range() if n else ""
        return n, len(text.strip()) > 20
    finally:
        pdf.close()


def sample_pdfs() -> tuple[list[tuple[Path, int]], list[tuple[Path, int]]]:
    """Sample PDFs split into digital and image-only, each with its page count."""
    digital: list[tuple[Path, int]] = []
    scanned: list[tuple[Path, int]] = []
    for path in sorted(SAMPLES.rglob("*.pdf")):
        pages, text = _pdf_info(path)
        if pages:
            (digital if text else scanned).append((path, pages))
    return digital, scanned


def build_folder(files: list[tuple[Path, int]], target_pages: int, dest: Path) -> int:
    """Copy files round-robin into recommender/applicant folders until ``target_pages``."""
    if dest.exists():
        shutil.rmtree(dest)
    pages = i = 0
    while pages < target_pages and files:
        path, n = files[i % len(files)]
        folder = dest / f"推荐单位{i % 3 + 1}" / f"申报单位{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / path.name)
        pages += n
        i += 1
    return pages


def run_intake(folder: Path, out: Path, jobs: int, cache: bool, extra: tuple[str, ...] = ()) -> dict[str, float]:
    cmd = [str(BIN / "intake"), "run", str(folder), "--campaign", "shanxi-2021", "--out", str(out)]
    cmd += ["--jobs", str(jobs), "--no-progress", *extra] + ([] if cache else ["--no-cache"])
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    pages = 0
    with (out / "records.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            pages += sum(f.get("pages", 0) for f in json.loads(line).get("files", []))
    return {"wall": wall, "pages": pages}


def stages(out: Path, wall: float) -> str:
    """Where a run's wall time went, from the timestamps of its run.log: start-up (interpreter,
    imports, round config: before the first line), hashing and cache look-ups, reading, and
    the rest (grouping, rules, evidence, review page, workbook)."""
    from datetime import datetime

    def stamp(line: str) -> float:
        return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()

    lines = (out / "run.log").read_text(encoding="utf-8").splitlines()
    stamped = [ln for ln in lines if ln[:4].isdigit()]
    if not stamped:
        return "no run.log"
    first, last = stamp(stamped[0]), stamp(stamped[-1])
    if any("outputs are current" in ln for ln in stamped):
        return f"start-up, discovery and exit {wall - (last - first):.1f} s, hash + fingerprint {last - first:.1f} s"
    looked = next((stamp(ln) for ln in stamped if "from cache" in ln), first)
    reads = [stamp(ln) for ln in stamped if "INFO intake: [" in ln]
    read_end = reads[-1] if reads else looked
    return (
        f"start-up, discovery and exit {wall - (last - first):.1f} s, hash + cache {looked - first:.1f} s, "
        f"reading {read_end - looked:.1f} s, rules + writers {last - read_end:.1f} s"
    )


def peak_children_mb() -> float:
    """Largest resident size of any finished child process so far (Linux: KB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_startup(repeat: int) -> None:
    walls = []
    for _ in range(max(3, repeat * 2)):
        started = time.perf_counter()
        subprocess.run([str(BIN / "intake"), "--help"], check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    report("start-up: intake --help (median)", statistics.median(walls), "s", 0.2, False)


def bench_classification(files: list[Path]) -> None:
    """Scoring every page against every extractor, on pages already loaded (warm)."""
    from extractors.classify import page_scores
    from extractors.registry import load_extractors, load_loaders

    docs = [load_loaders()[".pdf"].load(p, p.name) for p in files]
    extractors = load_extractors()
    pages = sum(len(d.pages) for d in docs)
    for doc in docs[:2]:
        for page in doc.pages:
            page_scores(page, doc, extractors)
    started = time.perf_counter()
    for doc in docs:
        for page in doc.pages:
            page_scores(page, doc, extractors)
    ms = (time.perf_counter() - started) / max(pages, 1) * 1000
    report(f"classification, {pages} distinct digital pages", ms, "ms/page", 5.0, False)


def pdfplumber_pass(folder: Path) -> tuple[int, float]:
    """The raw library pass the issue compares with: text and tables of every page."""
    import pdfplumber

    pages = 0
    started = time.perf_counter()
    for path in sorted(folder.rglob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return pages, time.perf_counter() - started


def bench_digital(digital: list[tuple[Path, int]], target_pages: int, repeat: int) -> Path:
    folder = OUT / "digital-pdf"
    built = build_folder(digital, target_pages, folder)
    print(f"digital folder: {built} pages of digital PDF books", flush=True)
    plumber_pages, plumber_wall = pdfplumber_pass(folder)
    plumber_rate = plumber_pages / plumber_wall
    rates: dict[int, float] = {}
    for jobs in (1, 2):
        runs = [run_intake(folder, OUT / f"digital-j{jobs}", jobs, cache=False) for _ in range(repeat)]
        wall = statistics.median(r["wall"] for r in runs)
        rates[jobs] = runs[0]["pages"] / wall
        print(f"  intake --jobs {jobs}: {runs[0]['pages']:.0f} pages, median {wall:.1f} s", flush=True)
        print(f"    last run: {stages(OUT / f'digital-j{jobs}', runs[-1]['wall'])}", flush=True)
    print(f"  pdfplumber pass: {plumber_pages} pages, {plumber_wall:.1f} s, {plumber_rate:.1f} pages/s", flush=True)
    report("digital: intake --jobs 2 pages/s", rates[2], "pages/s", 100, True)
    report("digital: intake --jobs 2 ÷ raw pdfplumber pass", rates[2] / plumber_rate, "×", 3, True)
    report("digital: --jobs 2 ÷ --jobs 1", rates[2] / rates[1], "×", 1.8, True)
    return folder


def bench_rerun(digital: list[tuple[Path, int]], pages: int, repeat: int) -> None:
    folder = OUT / "rerun"
    built = build_folder(digital, pages, folder)
    out = OUT / "rerun-out"
    shutil.rmtree(out, ignore_errors=True)
    first = run_intake(folder, out, 2, cache=True)
    walls = [run_intake(folder, out, 2, cache=True)["wall"] for _ in range(repeat)]
    again = statistics.median(walls)
    print(f"  re-run folder: {built} pages, first run {first['wall']:.1f} s", flush=True)
    print(f"    last re-run: {stages(out, walls[-1])}", flush=True)
    # The full tail from the cache, as after a reviewer edited review.xlsx (any output changed
    # makes the outputs not current): for the record, no target.
    tails = []
    for _ in range(repeat):
        page = out / "review.html"
        page.write_bytes(page.read_bytes() + b"\n")
        tails.append(run_intake(folder, out, 2, cache=True)["wall"])
    print(f"  re-run with an output changed (full tail from the cache): median {statistics.median(tails):.1f} s")
    print(f"    last one: {stages(out, tails[-1])}", flush=True)
    report(f"unchanged re-run of {built} pages", again, "s", 2.0, False)


def build_book(scanned: list[tuple[Path, int]], pages: int, dest: Path) -> int:
    """An image-only bound book of ``pages`` pages, made of the scanned sample PDFs' pages."""
    import pypdfium2 as pdfium

    sources = [p for p, _ in scanned]
    book = pdfium.PdfDocument.new()
    i = 0
    while len(book) < pages and sources:
        src = pdfium.PdfDocument(str(sources[i % len(sources)]))
        book.import_pages(src, list(range(min(len(src), pages - len(book)))))
        src.close()
        i += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(dest))
    n = len(book)
    book.close()
    return n


def bench_scans(scanned: list[tuple[Path, int]], pages: int) -> None:
    """intake reading a bound scanned book, warm, against the engine alone on the same page
    images (rendered as intake renders them), in a child process that loads the models once."""
    book = OUT / f"book-{pages}.pdf"
    if build_book(scanned, pages, book) == 0:
        print("scans: no image-only PDF among the samples")
        return
    probe = f"""
import json, time
from pathlib import Path
from extractors.loaders.pdf_loader import load_pdf
from extractors.ocr.engines import get_engine
from extractors.ocr.pages import DEFAULT_DPI, page_images
from intake.reading import read_file
path = Path({str(book)!r})
doc = load_pdf(path, path.name)
engine = get_engine()
numbers = [p.number for p in doc.pages]
engine.read(next(page_images(path, doc, numbers[:1], DEFAULT_DPI))[1])  # compile the models once
def engine_alone():
    spent = 0.0
    for _, image in page_images(path, doc, numbers, DEFAULT_DPI):  # one page image at a time
        started = time.perf_counter()
        engine.read(image)
        spent += time.perf_counter() - started
    return spent
before = engine_alone()
started = time.perf_counter()
result = read_file(path, path.name)
full = time.perf_counter() - started
raw = (before + engine_alone()) / 2  # the engine's time on both sides of intake's, for a fair ratio
import resource
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"raw": raw, "intake": full, "pages": len(numbers), "peak_mb": peak}}))
"""
    done = subprocess.run([str(BIN / "python"), "-c", probe], check=True, capture_output=True, text=True, cwd=ROOT)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    n = got["pages"]
    print(f"  scanned book: {n} pages, engine alone {got['raw']:.1f} s, intake {got['intake']:.1f} s", flush=True)
    report("scans: intake ÷ raw OCR engine, same page images", got["intake"] / got["raw"], "×", 1.2, False)
    report("scans: seconds per 200-dpi A4 page (2 cores)", got["intake"] / n, "s/page", 1.5, False)
    report("peak RSS, a process reading the scanned book", got["peak_mb"], "MB", 1536, False)


def _start_dask(workers: int, folder: Path) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and ``workers`` one-thread workers, each its own process group."""
    file = folder / "scheduler.json"
    file.unlink(missing_ok=True)
    procs = [
        subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--scheduler-file", str(file), "--no-dashboard", "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    deadline = time.monotonic() + 60
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(file.read_text())["address"]
    for _ in range(workers):
        cmd = [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--memory-limit", "0", "--no-dashboard"]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def bench_dask(folder: Path, repeat: int) -> None:
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            address, procs = _start_dask(workers, Path(tmp))
            try:
                extra = ("--executor", "dask", "--scheduler", address)
                runs = [run_intake(folder, OUT / f"dask-{workers}", 1, cache=False, extra=extra) for _ in range(repeat)]
            finally:
                for proc in reversed(procs):
                    proc.terminate()
                for proc in procs:
                    proc.wait(timeout=30)
        wall = statistics.median(r["wall"] for r in runs)
        rate = runs[0]["pages"] / wall
        print(f"dask, {workers} worker(s): {runs[0]['pages']:.0f} pages, median {wall:.1f} s, {rate:.1f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=264, help="digital folder size (pages)")
    parser.add_argument("--rerun-pages", type=int, default=1000)
    parser.add_argument("--book-pages", type=int, default=10, help="bound scanned book (0: skip scans)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--executor", choices=["local", "dask"], default="local", help="dask: also time a cluster")
    parser.add_argument("--quick", action="store_true", help="small folders, one repeat")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.rerun_pages, args.book_pages, args.repeat = 60, 200, 4, 1
    digital, scanned = sample_pdfs()
    if not digital:
        sys.exit(f"no samples under {SAMPLES}; run `python samples/generate.py` first")
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start", flush=True)
    bench_startup(args.repeat)
    bench_classification([p for p, _ in digital])
    folder = bench_digital(digital, args.pages, args.repeat)
    if args.rerun_pages:
        bench_rerun(digital, args.rerun_pages, args.repeat)
    report("peak RSS, largest process of the digital runs", peak_children_mb(), "MB", 1536, False)
    if args.book_pages:
        bench_scans(scanned, args.book_pages)
    if args.executor == "dask":
        bench_dask(folder, args.repeat)
    print(f"\nmachine load at end {os.getloadavg()[0]:.2f}; summary:")
    for figure in FIGURES:
        print(figure.line())


if __name__ == "__main__":
    main()
