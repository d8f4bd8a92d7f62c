"""Which library should run RapidOCR's models, with how many threads: seconds per page and
whether the text changes.

Every configuration reads the same prepared pages (the scanned sample books rendered at
200 dpi, deskewed and red-suppressed as ``read_upright`` does), taking turns page by page
in one process, so a noisy neighbour on the machine slows all of them alike. Text is
compared with ``onnxruntime`` at two threads, the library RapidOCR ships for.

    .venv/bin/python bench/ocr_backends.py [--pages 8] [--repeat 2] [--bf16]

``--bf16`` adds OpenVINO in its default precision on CPUs with AMX / AVX-512 BF16 (bfloat16),
to show what pinning f32 costs and what it saves.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import sample_pdfs  # noqa: E402
from extractors.ocr import preprocess as pp  # noqa: E402
from extractors.ocr.pages import page_images  # noqa: E402
from extractors.ocr.rapid import RapidOcrEngine  # noqa: E402
from models.document import Document, Page  # noqa: E402


def prepared_pages(limit: int) -> list[np.ndarray]:
    """Up to ``limit`` scanned sample pages at 200 dpi, prepared as for the engine."""
    _, scanned = sample_pdfs()
    pages: list[np.ndarray] = []
    for path, count in scanned:
        if path.suffix.lower() != ".pdf":
            continue
        doc = Document(
            file=path.name,
            source_kind="pdf",
            pages=[Page(number=n, width=595, height=842, needs_ocr=True) for n in range(1, count + 1)],
        )
        for _, image in page_images(path, doc, list(range(1, count + 1))):
            if isinstance(image, np.ndarray):
                pages.append(pp.suppress_red(pp.straighten(pp.limit_size(image))[0]))
            if len(pages) >= limit:
                return pages
    return pages


def build(spec: str, warm: np.ndarray) -> RapidOcrEngine:
    """``backend:threads[:precision]``, warmed up on one page."""
    backend, threads, *rest = spec.split(":")
    engine = RapidOcrEngine(threads=int(threads), backend=backend, precision=rest[0] if rest else "f32")
    engine.read(warm)
    if backend == "openvino":
        print(f"{spec}: compiled in {', '.join(sorted(set(engine.precisions().values())))}")
    return engine


def changed_chars(a: str, b: str) -> int:
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")


def steal_ticks() -> int:
    """CPU time the host took from this VM (``/proc/stat``), to judge how noisy a run was."""
    try:
        return int(Path("/proc/stat").read_text().split()[8])
    except (OSError, IndexError, ValueError):
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--bf16", action="store_true", help="also OpenVINO in bfloat16")
    args = parser.parse_args()
    pages = prepared_pages(args.pages)
    if not pages:
        sys.exit("no scanned PDF samples; run `python samples/generate.py` first")
    specs = ["onnxruntime:2", "openvino:2", "onnxruntime:1", "openvino:1"] + (["openvino:2:bf16"] if args.bf16 else [])
    engines = {spec: build(spec, pages[0]) for spec in specs}
    seconds: dict[str, list[float]] = {spec: [] for spec in specs}
    texts: dict[str, list[str]] = {spec: [] for spec in specs}
    steal = steal_ticks()
    for rep in range(args.repeat):
        for page in pages:
            for spec, engine in engines.items():
                started = time.perf_counter()
                lines = engine.read(page)
                seconds[spec].append(time.perf_counter() - started)
                if rep == 0:
                    texts[spec].append("\n".join(ln.text for ln in lines))
    base = "onnxruntime:2"
    total = sum(len(t) for t in texts[base])
    stolen = (steal_ticks() - steal) / 100
    print(f"{len(pages)} pages × {args.repeat}, 200 dpi; stolen CPU during the run: {stolen:.0f} s")
    print("| backend:threads | s/page median | vs onnxruntime:2 | characters differing from onnxruntime:2 |")
    print("| --- | --- | --- | --- |")
    ref = statistics.median(seconds[base])
    for spec in specs:
        med = statistics.median(seconds[spec])
        diff = sum(changed_chars(a, b) for a, b in zip(texts[base], texts[spec], strict=True))
        print(f"| {spec} | {med:.2f} | {ref / med:.2f}× | {diff}/{total} |")


if __name__ == "__main__":
    main()
