"""Per-page reading cost of digital books, stage by stage, with a dump to prove that a speed
change altered nothing.

    .venv/bin/python bench/read_profile.py [--repeat 3] [--dump out.jsonl] [--profile N]
    .venv/bin/python bench/read_profile.py --compare before.jsonl after.jsonl

Reads every distinct digital PDF and Word file of ``samples/received`` (and, with
``--realdocs``, of ``../shared/realdocs``) in one warm process through the stages a reader
worker runs (``intake.reading.read_file``): the loader, page classification
(``extractors.classify.page_scores`` for every page) and field extraction (the rest of
``extract_documents``). PDFs with a page that needs OCR are left out: they measure the scan
path. Prints ms per page for each stage (medians over ``--repeat`` passes).

``--dump`` writes one canonical JSON line per file: the loaded ``Document``, every page's
scores, and the ``FileResult`` of ``read_file`` without its timing; ``--compare`` diffs two
dumps and names the first difference of each file, so a change is shown to keep every
document's kind, pages, fields (value, raw, confidence, evidence) and findings.
``--profile N`` runs one pass under cProfile and prints the N costliest functions.
Stage times are CPU seconds of this process (``time.process_time``): on a machine shared
with other jobs they move far less with the load than wall-clock time does.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples" / "received"
REALDOCS = ROOT.parent / "shared" / "realdocs"
SUFFIXES = (".pdf", ".docx")


def digital_files(roots: list[Path]) -> list[tuple[Path, str]]:
    """(path, relative name) of every distinct digital file under ``roots`` (by content)."""
    from extractors.registry import load_loaders
    from intake.reading import sha256_of

    seen: set[str] = set()
    out: list[tuple[Path, str]] = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()):
            sha = sha256_of(path)
            if sha in seen:
                continue
            seen.add(sha)
            rel = str(path.relative_to(root.parent))
            try:
                document = load_loaders()[path.suffix.lower()].load(path, rel)
            except Exception:  # an unreadable sample is the robustness bench's business
                continue
            if not any(page.needs_ocr for page in document.pages):
                out.append((path, rel))
    return out


def one_pass(files: list[tuple[Path, str]]) -> dict[str, dict[str, float]]:
    """Per file type (".pdf", ".docx"): seconds spent in each stage, and the page count."""
    from extractors.classify import _extractors, extract_documents, page_scores
    from extractors.registry import load_loaders

    out: dict[str, dict[str, float]] = {}
    extractors = _extractors()
    for path, rel in files:
        totals = out.setdefault(path.suffix.lower(), dict.fromkeys(("load", "classify", "extract", "pages"), 0.0))
        started = time.process_time()
        document = load_loaders()[path.suffix.lower()].load(path, rel)
        loaded = time.process_time()
        for page in document.pages:
            page_scores(page, document, extractors)
        scored = time.process_time()
        extract_documents(document)  # scores again: its own scoring is taken off below
        done = time.process_time()
        totals["load"] += loaded - started
        totals["classify"] += scored - loaded
        totals["extract"] += max(0.0, (done - scored) - (scored - loaded))
        totals["pages"] += len(document.pages)
    return out


def _canonical(value: Any) -> Any:
    """JSON-ready, with floats rounded to absorb nothing but print noise (9 digits)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def dump(files: list[tuple[Path, str]], out: Path) -> None:
    """One canonical JSON line per file: its Document, page scores and FileResult."""
    from extractors.classify import _extractors, page_scores
    from extractors.registry import load_loaders
    from intake.reading import read_file

    extractors = _extractors()
    with out.open("w", encoding="utf-8") as fh:
        for path, rel in files:
            document = load_loaders()[path.suffix.lower()].load(path, rel)
            scores = [page_scores(page, document, extractors) for page in document.pages]
            result = read_file(path, rel).model_dump(mode="json")
            result["entry"].pop("seconds", None)
            line = {
                "file": rel,
                "document": document.model_dump(mode="json"),
                "scores": scores,
                "result": result,
            }
            fh.write(json.dumps(_canonical(line), ensure_ascii=False, sort_keys=True) + "\n")
    print(f"dumped {len(files)} files to {out}")


def _first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{where}: {a!r:.80} != {b!r:.80}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'after' if key in b else 'before'}"
            if (diff := _first_difference(a[key], b[key], f"{where}.{key}")) is not None:
                return diff
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if (diff := _first_difference(x, y, f"{where}[{i}]")) is not None:
                return diff
        return None
    return None if a == b else f"{where}: {a!r:.120} != {b!r:.120}"


def compare(before: Path, after: Path) -> int:
    """Number of files whose dump differs (each named with its first difference)."""

    def read(path: Path) -> dict[str, Any]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {(item := json.loads(line))["file"]: item for line in lines}

    old, new = read(before), read(after)
    differing = 0
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            print(f"{name}: only in {'after' if name in new else 'before'}")
            differing += 1
        elif (diff := _first_difference(old[name], new[name])) is not None:
            print(f"{name}{diff}")
            differing += 1
    print(f"{len(old)} files before, {len(new)} after, {differing} differ")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--realdocs", action="store_true", help="also ../shared/realdocs")
    parser.add_argument("--only-realdocs", action="store_true")
    parser.add_argument("--dump", type=Path, help="write the canonical dump here")
    parser.add_argument("--profile", type=int, default=0, help="cProfile one pass, print N rows")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    roots = [] if args.only_realdocs else [SAMPLES]
    roots += [REALDOCS] if args.realdocs or args.only_realdocs else []
    files = digital_files(roots)
    if args.dump:
        dump(files, args.dump)
        return
    one_pass(files)  # warm: imports, caches
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        one_pass(files)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
        return
    passes = [one_pass(files) for _ in range(args.repeat)]
    print(f"load average {_load():.2f}; CPU time, medians of {args.repeat} warm passes")
    for suffix, first in passes[0].items():
        count = sum(1 for p, _ in files if p.suffix.lower() == suffix)
        unit = "page" if suffix == ".pdf" else "file"
        line = f"{suffix:5s} {count:3d} files {first['pages']:4.0f} pages:"
        total = 0.0
        for stage in ("load", "classify", "extract"):
            ms = statistics.median(p[suffix][stage] for p in passes) / first["pages"] * 1000
            total += ms
            line += f"  {stage} {ms:6.2f}"
        print(f"{line}  total {total:6.2f} ms/{unit} ({1000 / total:.0f} {unit}s/s per core)")


def _load() -> float:
    import os

    return os.getloadavg()[0]


if __name__ == "__main__":
    main()
