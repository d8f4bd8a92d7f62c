"""Licence variants benchmark: key fields read exactly, per variant, on licences drawn by the
second layout generator (``bench/licence_layouts.py``, no code shared with ``samples/``).

    python bench/licence_variants.py [--seeds 3] [--variants watermark branch ...] [--no-cache]

Each image goes through the product's path (``intake extract``): the image loader, the OCR
stage (``extractors.ocr.pages.ocr_document``) and ``extractors.classify.extract_documents``.
OCR'd documents are cached under ``bench/out/licence-variants/`` keyed by the image, so
re-running after a change to the field readers costs seconds; pass ``--no-cache`` after
changing the OCR stage.

Key fields: name, uscc, type, legal_rep, address, established, term_end (None for 长期 /
不约定期限, where 营业期限 is printed), registered_capital (where printed). Target: ≥ 95%
of key fields per variant (issue 9).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import licence_layouts as layouts  # noqa: E402

OUT = ROOT / "bench" / "out" / "licence-variants"
TARGET = 0.95


def norm(value: Any) -> Any:
    """How a field is compared: text NFKC without spaces, dates as ISO, amounts as floats."""
    if isinstance(value, str):
        return "".join(unicodedata.normalize("NFKC", value).split())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 4)
    return value


def read_licence(path: Path, cache: bool = True) -> tuple[dict[str, Any], float]:
    """The business-licence fields read from ``path`` (empty when none was found) and the
    seconds it took, through loader → OCR → extract_documents."""
    from extractors.classify import extract_documents
    from extractors.ocr.pages import ocr_document
    from extractors.registry import load_loaders
    from models.document import Document

    started = time.perf_counter()
    cached = OUT / "cache" / f"{hashlib.sha256(path.read_bytes()).hexdigest()[:20]}.json"
    if cache and cached.exists():
        document = Document.model_validate_json(cached.read_text(encoding="utf-8"))
    else:
        document = load_loaders()[path.suffix.lower()].load(path, path.name)
        document = ocr_document(path, document)
        if cache:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(document.model_dump_json(), encoding="utf-8")
    seconds = time.perf_counter() - started
    for doc in extract_documents(document):
        if doc.kind == "business_license":
            return doc.fields, seconds
    return {}, seconds


def score(expected: dict[str, Any], fields: dict[str, Any]) -> list[str]:
    """The key fields of ``expected`` that ``fields`` does not give exactly."""
    failed = []
    for key, want in expected.items():
        got = fields.get(key)
        if got is None or norm(got.value) != norm(want):
            failed.append(key)
    return failed


def run(variants: list[str], seeds: int, cache: bool) -> list[dict[str, Any]]:
    """Draw, save and read every (variant, seed); one result row per image."""
    rows = []
    folder = OUT / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for variant in variants:
        for seed in range(seeds):
            truth = layouts.variant_truth(variant, seed)
            image, suffix = layouts.render(truth, variant, seed)
            path = folder / f"{variant}-{seed}{suffix}"
            layouts.save(image, str(path))
            fields, seconds = read_licence(path, cache)
            want = layouts.expected(truth)
            failed = score(want, fields)
            rows.append(
                {
                    "variant": variant,
                    "seed": seed,
                    "file": str(path),
                    "total": len(want),
                    "failed": failed,
                    "seconds": round(seconds, 2),
                    "got": {k: [norm(fields[k].value), fields[k].raw] if k in fields else None for k in want},
                    "want": {k: norm(v) for k, v in want.items()},
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """variant | read/total | share | failed fields (with counts)."""
    lines = [f"{'variant':<26} {'read':>7} {'share':>6}  failed fields", "-" * 76]
    all_read = all_total = 0
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        total = sum(r["total"] for r in mine)
        read = total - sum(len(r["failed"]) for r in mine)
        all_read += read
        all_total += total
        counts: dict[str, int] = {}
        for r in mine:
            for key in r["failed"]:
                counts[key] = counts.get(key, 0) + 1
        failed = ", ".join(f"{k}×{n}" if n > 1 else k for k, n in counts.items()) or "-"
        mark = "" if read / total >= TARGET else "  < 95%"
        lines.append(f"{variant:<26} {read:>3}/{total:<3} {read / total:>6.1%}  {failed}{mark}")
    lines.append("-" * 76)
    lines.append(f"{'all':<26} {all_read:>3}/{all_total:<3} {all_read / max(all_total, 1):>6.1%}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="applicants per variant")
    parser.add_argument("--variants", nargs="*", default=list(layouts.VARIANTS))
    parser.add_argument("--no-cache", action="store_true", help="OCR every image again")
    parser.add_argument("--details", action="store_true", help="print every failed field")
    args = parser.parse_args()
    rows = run(args.variants, args.seeds, not args.no_cache)
    (OUT / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    if args.details:
        for r in rows:
            for key in r["failed"]:
                print(f"{r['variant']}-{r['seed']} {key}: want {r['want'][key]!r} got {r['got'][key]!r}")
    print(table(rows))
    seconds = [r["seconds"] for r in rows]
    print(f"{len(rows)} images, {sum(seconds) / max(len(seconds), 1):.1f} s per image (OCR'd or cached)")


if __name__ == "__main__":
    main()
