"""Speed benchmark: pages per second for digital and scanned inputs with --jobs 1 and 2,
seconds per OCR page, the unchanged re-run, and peak memory.

Builds a generated received folder of a few hundred pages by copying the bundled samples
(digital books: .docx/.doc/text PDFs; scanned: images and image-only PDFs) into
recommender/applicant folders, then runs `intake run` as a user would, in a subprocess,
several times. Prints medians; the machine is shared, so compare ratios, not absolutes.

    python bench/speed.py [--target-pages 300] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "received"
OUT = ROOT / "bench" / "out"
DIGITAL_EXT = {".docx", ".doc", ".xlsx"}
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}


def _pdf_pages(path: Path) -> tuple[int, bool]:
    """(pages, has a text layer on its first page)."""
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


def classify_samples() -> tuple[list[tuple[Path, int]], list[tuple[Path, int]]]:
    """Sample files split into digital and scanned, each with its page count (Word counts 1)."""
    digital: list[tuple[Path, int]] = []
    scanned: list[tuple[Path, int]] = []
    for path in sorted(SAMPLES.rglob("*")):
        if not path.is_file() or path.stat().st_size == 0:
            continue
        ext = path.suffix.lower()
        if ext in DIGITAL_EXT:
            digital.append((path, 1))
        elif ext in IMAGE_EXT:
            scanned.append((path, 1))
        elif ext == ".pdf":
            pages, text = _pdf_pages(path)
            if pages:
                (digital if text else scanned).append((path, pages))
    return digital, scanned


def build_folder(files: list[tuple[Path, int]], target_pages: int, dest: Path) -> int:
    """Copy files round-robin into recommender/applicant folders until target pages."""
    if dest.exists():
        shutil.rmtree(dest)
    pages = 0
    i = 0
    while pages < target_pages and files:
        path, n = files[i % len(files)]
        folder = dest / f"推荐单位{i % 3 + 1}" / f"申报单位{i:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / path.name)
        pages += n
        i += 1
    return pages


def run_intake(folder: Path, out: Path, jobs: int, cache: bool) -> dict[str, float]:
    cmd = [
        str(ROOT / ".venv" / "bin" / "intake"),
        "run",
        str(folder),
        "--campaign",
        "shanxi-2021",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--no-progress",
    ]
    if not cache:
        cmd.append("--no-cache")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = 0
    with (out / "records.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            pages += sum(f.get("pages", 0) for f in json.loads(line).get("files", []))
    return {
        "wall": wall,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "pages": pages,
        "peak_mb": after.ru_maxrss / 1024,
    }


def bench_kind(name: str, folder: Path, repeat: int, jobs_list: list[int]) -> None:
    for jobs in jobs_list:
        runs = [run_intake(folder, OUT / f"{name}-j{jobs}", jobs, cache=False) for _ in range(repeat)]
        wall = statistics.median(r["wall"] for r in runs)
        pages = runs[0]["pages"]
        print(
            f"{name:8s} jobs={jobs}  pages={pages:4.0f}  median wall={wall:7.1f}s  "
            f"pages/s={pages / wall:6.2f}  s/page={wall / max(pages, 1):5.2f}  "
            f"CPU-s/page={statistics.median(r['cpu'] for r in runs) / max(pages, 1):5.2f}  "
            f"peak RSS (largest process)={max(r['peak_mb'] for r in runs):6.0f} MB"
        )
    out = OUT / f"{name}-rerun"
    first = run_intake(folder, out, max(jobs_list), cache=True)
    reruns = [run_intake(folder, out, max(jobs_list), cache=True)["wall"] for _ in range(repeat)]
    rerun = statistics.median(reruns)
    print(
        f"{name:8s} unchanged re-run: median {rerun:.2f}s vs first run {first['wall']:.1f}s "
        f"(ratio {rerun / first['wall']:.3f})"
    )


def build_book(scanned: list[tuple[Path, int]], pages: int, dest: Path) -> int:
    """An image-only bound book of ``pages`` pages, made of the scanned sample PDFs' pages."""
    import pypdfium2 as pdfium

    sources = [p for p, _ in scanned if p.suffix.lower() == ".pdf"]
    if not sources:
        return 0
    book = pdfium.PdfDocument.new()
    i = 0
    while len(book) < pages:
        src = pdfium.PdfDocument(str(sources[i % len(sources)]))
        take = list(range(min(len(src), pages - len(book))))
        book.import_pages(src, take)
        src.close()
        i += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(dest))
    n = len(book)
    book.close()
    return n


def bench_book(scanned: list[tuple[Path, int]], pages: int) -> None:
    """One bound scanned book through `intake extract`: seconds per page and peak memory,
    which must stay flat however long the book is (pages are rendered one at a time)."""
    for n in sorted({max(4, pages // 10), pages}):
        path = OUT / f"book-{n}.pdf"
        if build_book(scanned, n, path) == 0:
            print("book: no scanned PDF samples")
            return
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "intake"), "extract", str(path)], check=True, capture_output=True)
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = (cpu.ru_utime + cpu.ru_stime) - (before.ru_utime + before.ru_stime)
        print(
            f"bound book {n:3d} pages: {wall:7.1f}s, {wall / n:5.2f} s/page, {cpu_s / n:5.2f} CPU-s/page, "
            f"peak RSS so far {peak:6.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-pages", type=int, default=300)
    parser.add_argument("--scanned-pages", type=int, default=None, help="default: target / 5")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small folders, one repeat")
    parser.add_argument("--book-pages", type=int, default=0, help="also time a bound scanned book of N pages")
    parser.add_argument("--only-book", action="store_true", help="only the bound-book measurement")
    args = parser.parse_args()
    if args.quick:
        args.target_pages, args.repeat = 40, 1
    scanned_target = args.scanned_pages or max(10, args.target_pages // 5)
    digital, scanned = classify_samples()
    if not digital and not scanned:
        sys.exit(f"no samples under {SAMPLES}; run `python samples/generate.py` first")
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"samples: {len(digital)} digital files, {len(scanned)} scanned files")
    if args.book_pages:
        bench_book(scanned, args.book_pages)
    if args.only_book:
        return
    d_pages = build_folder(digital, args.target_pages, OUT / "digital")
    s_pages = build_folder(scanned, scanned_target, OUT / "scanned")
    print(f"built folders: digital ≈{d_pages} pages, scanned ≈{s_pages} pages\n")
    bench_kind("digital", OUT / "digital", args.repeat, [1, 2])
    bench_kind("scanned", OUT / "scanned", max(1, args.repeat - 1), [1, 2])


if __name__ == "__main__":
    main()
