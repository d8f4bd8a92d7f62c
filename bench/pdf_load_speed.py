"""Pages per second of the PDF loader on a few real PDFs (medians of N runs).

    .venv/bin/python bench/pdf_load_speed.py [--repeat 3] [files...]

Defaults to issue-67 (22 pages, many ruled tables) and issue-336 (ruled tables with
merged cells) from ../shared/realdocs/pdfplumber-cjk. The machine is shared: compare
ratios measured in one sitting, not absolute figures across days.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extractors.loaders.pdf_loader import load_pdf

CJK = Path(__file__).resolve().parent.parent.parent / "shared" / "realdocs" / "pdfplumber-cjk"
DEFAULT = [CJK / "issue-67-example.pdf", CJK / "issue-336-example.pdf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_pdf(args.files[0], args.files[0].name)  # warm imports and caches
    for path in args.files:
        times, pages, tables = [], 0, 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            doc = load_pdf(path, path.name)
            times.append(time.perf_counter() - start)
            pages = len(doc.pages)
            tables = sum(len(p.tables) for p in doc.pages)
        median = statistics.median(times)
        print(
            f"{path.name:28} {pages:3d} pages {tables:3d} tables  median {median:6.3f} s  {pages / median:7.1f} pages/s"
        )


if __name__ == "__main__":
    main()
