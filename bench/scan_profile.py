"""Where a scanned page's time goes (issue 13): intake's scan path stage by stage, against the
raw OCR engine alone on the same page images, in one warm process; and a dump of everything
the scan path produced, to prove a speed change left the text alone.

    .venv/bin/python bench/scan_profile.py [--book-pages 10] [--photos 4] [--repeat 1]
                                           [--dump out.json] [--threads N]
    .venv/bin/python bench/scan_profile.py --diff before.json after.json

The book is bound as ``bench/speed.py`` binds it: the pages of the samples' image-only PDFs
(scanned 申报书 and contracts) one after another, rendered at 200 dpi. The photos are the
samples' picture attachments (营业执照 and certificates), read as image files.

Each stage is timed by wrapping the function the pipeline calls (module attributes, so the
code under test is not edited); times are exclusive: a stage's figure leaves out the stages
and engine calls it made, which are listed on their own (``engine.read_line@rotation`` is the
engine's time inside the page-rotation check). Engine alone and intake alternate
``--repeat`` times and the medians are compared, since the machine is shared.

The dump (``--dump``) holds, per file, every OCR'd page as the pipeline returned it (blocks
with their text and box, table cells, seals, rotation, confidence) and every extracted
document with its fields; ``--diff`` compares two dumps and prints the first differences.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "samples" / "received"
OUT = ROOT / "bench" / "out"
PHOTO_EXT = (".jpg", ".jpeg", ".png")

from bench.speed import build_book  # noqa: E402  (the same bound book the speed bench reads)

# --- inputs -------------------------------------------------------------------------------


def image_only_pdfs() -> list[Path]:
    """Sample PDFs whose first page has no text layer, in a stable order."""
    import pypdfium2 as pdfium

    found = []
    for path in sorted(SAMPLES.rglob("*.pdf")):
        try:
            pdf = pdfium.PdfDocument(str(path))
        except Exception:  # the samples hold deliberately broken PDFs
            continue
        try:
            text = pdf[0].get_textpage().get_text_range() if len(pdf) else "x" * 99
        finally:
            pdf.close()
        if len(text.strip()) <= 20:
            found.append(path)
    return found


def photos(count: int, dest: Path) -> list[Path]:
    """``count`` picture attachments copied out of the samples (every k-th, for variety)."""
    found = sorted(p for p in SAMPLES.rglob("*") if p.suffix.lower() in PHOTO_EXT)
    if not found or count <= 0:
        return []
    step = max(1, len(found) // count)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i, path in enumerate(found[::step][:count]):
        target = dest / f"photo{i:02d}{path.suffix.lower()}"
        shutil.copy2(path, target)
        out.append(target)
    return out


# --- stage timing -------------------------------------------------------------------------


class Stages:
    """Exclusive wall time per stage name, kept on a stack so a stage's own time leaves out
    the timed calls made inside it."""

    def __init__(self) -> None:
        self.times: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []  # [name, time spent in timed children]

    def run(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._stack and name.startswith("engine."):
            name = f"{name}@{self._stack[-1][0]}"
        self._stack.append([name, 0.0])
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            _, inner = self._stack.pop()
            self.times[name] += spent - inner
            self.calls[name] += 1
            if self._stack:
                self._stack[-1][1] += spent

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.run(name, fn, *args, **kwargs)

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed

    def wrap_iter(self, name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        """A generator function whose every ``next`` is timed as ``name`` (page rendering)."""

        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            items = fn(*args, **kwargs)
            while True:
                try:
                    item = self.run(name, next, items)
                except StopIteration:
                    return
                yield item

        return timed

    def reset(self) -> None:
        self.times.clear()
        self.calls.clear()


STAGES: tuple[tuple[str, str, str], ...] = (
    # (module, attribute, stage name); attributes absent from a module are skipped
    ("extractors.ocr.preprocess", "flatten_photo", "photo flatten"),
    ("extractors.ocr.preprocess", "straighten", "skew"),
    ("extractors.ocr.preprocess", "suppress_red", "red suppression"),
    ("extractors.ocr.preprocess", "rotation_from_lines", "rotation"),
    ("extractors.ocr.preprocess", "rotate", "rotate"),
    ("extractors.ocr.pages", "read_upright", "prepare (rest)"),
    ("extractors.ocr.pages", "recover_tables", "grid"),
    ("extractors.ocr.pages", "find_seals", "seals"),
    ("extractors.ocr.pages", "lines_to_blocks", "blocks"),
    ("extractors.ocr.pages", "_loader_seals", "loader seals"),
    ("extractors.ocr.pages", "ocr_page", "page (rest)"),
    ("extractors.classify", "extract_documents", "classify+fields"),
)


def instrument(stages: Stages, engine: Any, captured: dict[str, Any]) -> None:
    """Wrap the pipeline's stage functions, the engine's reads, page rendering, and
    ``ocr_document`` (to keep the OCR'd document for the dump)."""
    import importlib

    for module_name, attr, name in STAGES:
        module = importlib.import_module(module_name)
        fn = getattr(module, attr, None)
        if fn is not None and not hasattr(fn, "__wrapped__"):
            setattr(module, attr, stages.wrap(name, fn))
    pages: Any = importlib.import_module("extractors.ocr.pages")
    pages.page_images = stages.wrap_iter("render", pages.page_images)
    for method in ("read", "read_line", "read_uncorrected"):
        fn = getattr(engine, method, None)
        if fn is not None:
            setattr(engine, method, stages.wrap(f"engine.{method}", fn))
    original = pages.ocr_document

    def keep(path: Path, document: Any, engine: str = "rapidocr") -> Any:
        done = original(path, document, engine=engine)
        captured[document.file] = done
        return done

    pages.ocr_document = keep


# --- the run ------------------------------------------------------------------------------


def engine_alone(read: Callable[[Any], Any], render: Callable[..., Iterator[Any]], path: Path, doc: Any) -> float:
    """Seconds the bare engine (``read``) spends on the page images intake renders
    (``render``: ``page_images``), one page at a time."""
    from extractors.ocr.pages import DEFAULT_DPI

    spent = 0.0
    for _, image in render(path, doc, [p.number for p in doc.pages], DEFAULT_DPI):
        started = time.perf_counter()
        read(image)
        spent += time.perf_counter() - started
    return spent


def dump_of(results: dict[str, Any], captured: dict[str, Any]) -> dict[str, Any]:
    """Everything the scan path produced, per file: OCR'd pages and extracted documents."""
    out: dict[str, Any] = {}
    for rel, result in results.items():
        doc = captured.get(rel)
        out[rel] = {
            "pages": [p.model_dump(mode="json") for p in doc.pages] if doc is not None else [],
            "meta": dict(doc.meta) if doc is not None else {},
            "documents": [d.model_dump(mode="json") for d in result.documents],
            "findings": [f.model_dump(mode="json") for f in result.findings],
        }
    return out


def profile(args: argparse.Namespace) -> None:
    if args.threads:
        os.environ["INTAKE_OCR_THREADS"] = str(args.threads)
    from extractors.ocr.engines import get_engine
    from extractors.ocr.pages import DEFAULT_DPI, page_images
    from extractors.registry import load_loaders
    from intake.reading import read_file

    work = OUT / "scan_profile"
    book = work / f"book-{args.book_pages}.pdf"
    n_book = build_book([(p, 0) for p in image_only_pdfs()], args.book_pages, book) if args.book_pages else 0
    inputs = ([book] if n_book else []) + photos(args.photos, work / "photos")
    loaders = load_loaders()
    files = [(path, loaders[path.suffix.lower()].load(path, path.name)) for path in inputs]
    engine = get_engine()
    first_path, first_doc = files[0]
    first_image = next(page_images(first_path, first_doc, [1], DEFAULT_DPI))[1]
    assert isinstance(first_image, np.ndarray), first_image
    engine.read(first_image)  # compile the models
    stages = Stages()
    captured: dict[str, Any] = {}
    bare_read = engine.read
    for path, doc in files:  # warm the engine on every page shape once
        engine_alone(bare_read, page_images, path, doc)
    instrument(stages, engine, captured)
    raws: dict[str, list[float]] = defaultdict(list)
    walls: dict[str, list[float]] = defaultdict(list)
    per_stage: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    results: dict[str, Any] = {}
    for _ in range(args.repeat):
        for path, doc in files:
            raws[path.name].append(engine_alone(bare_read, page_images, path, doc))
            stages.reset()
            started = time.perf_counter()
            results[path.name] = read_file(path, path.name)
            walls[path.name].append(time.perf_counter() - started)
            for name, spent in stages.times.items():
                per_stage[path.name][name].append(spent)
            raws[path.name].append(engine_alone(bare_read, page_images, path, doc))
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; threads={os.environ.get('INTAKE_OCR_THREADS', '-')}"
    )
    groups = {
        "book": [p for p, _ in files if p.suffix == ".pdf"],
        "photos": [p for p, _ in files if p.suffix != ".pdf"],
    }
    for group, paths in groups.items():
        if not paths:
            continue
        n = sum(len(doc.pages) for p, doc in files if p in paths)
        raw = sum(statistics.median(raws[p.name]) for p in paths)
        wall = sum(statistics.median(walls[p.name]) for p in paths)
        print(
            f"\n{group}: {n} pages; intake {wall / n * 1000:.0f} ms/page, engine alone {raw / n * 1000:.0f} ms/page, "
            f"ratio {wall / raw:.3f}"
        )
        names = sorted({s for p in paths for s in per_stage[p.name]})
        rows = [
            (s, sum(statistics.median(per_stage[p.name][s]) for p in paths if s in per_stage[p.name])) for s in names
        ]
        accounted = sum(t for _, t in rows)
        for name, spent in sorted(rows, key=lambda r: -r[1]):
            print(f"  {name:34s} {spent / n * 1000:8.1f} ms/page")
        print(f"  {'(untimed)':34s} {(wall - accounted) / n * 1000:8.1f} ms/page")
    if args.dump:
        dump = dump_of(results, captured)
        Path(args.dump).write_text(json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        print(f"\ndump: {args.dump}")


def diff(a: Path, b: Path, limit: int = 30) -> int:
    """Print where two dumps differ (up to ``limit`` places); 0 when identical."""
    left, right = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
    found: list[str] = []
    schema: set[str] = set()  # keys one side's models do not have (a model changed between runs)

    def walk(x: Any, y: Any, where: str) -> None:
        if len(found) >= limit:
            return
        if type(x) is not type(y):
            found.append(f"{where}: {x!r:.120} != {y!r:.120}")
        elif isinstance(x, dict):
            for key in sorted(set(x) | set(y)):
                if (key in x) != (key in y):
                    schema.add(f"{key} (only in {'A' if key in x else 'B'})")
                    continue
                walk(x.get(key), y.get(key), f"{where}/{key}")
        elif isinstance(x, list):
            if len(x) != len(y):
                found.append(f"{where}: {len(x)} items != {len(y)}")
            for i, (u, v) in enumerate(zip(x, y, strict=False)):
                walk(u, v, f"{where}[{i}]")
        elif x != y:
            found.append(f"{where}: {x!r:.120} != {y!r:.120}")

    walk(left, right, "")
    if schema:
        print("not compared, a key of one side's models only:", ", ".join(sorted(schema)))
    for line in found:
        print(line)
    print("identical" if not found else f"{len(found)}{'+' if len(found) >= limit else ''} differences")
    return 1 if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--book-pages", type=int, default=10, help="pages of the bound image-only book (0: none)")
    parser.add_argument("--photos", type=int, default=4, help="picture attachments read as image files")
    parser.add_argument("--repeat", type=int, default=1, help="engine-alone/intake alternations (medians)")
    parser.add_argument("--threads", type=int, default=0, help="INTAKE_OCR_THREADS for this run (0: unset)")
    parser.add_argument("--dump", help="write the scan path's output (pages, documents) to this JSON file")
    parser.add_argument("--diff", nargs=2, metavar=("A", "B"), help="compare two dumps and exit")
    args = parser.parse_args()
    if args.diff:
        sys.exit(diff(Path(args.diff[0]), Path(args.diff[1])))
    profile(args)


if __name__ == "__main__":
    main()
