"""Licence benchmark: key-field exact-match rate on rendered business licences, clean 200-dpi
scans against phone photos, through the product's real path (image loader → OCR → licence
extractor), per OCR engine; with seconds per page and peak memory.

    python bench/licence_bench.py [--n 12] [--engines rapidocr tesseract]

Key fields are the ones the cross-checks rely on: name, credit code, legal representative,
address, date of establishment. Each engine runs in its own process so its peak memory is
its own. Licences alternate landscape / portrait / 个体工商户 layouts and 正本 / 副本.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEY_FIELDS = ("name", "uscc", "legal_rep", "address", "established")
VARIANTS = (("landscape", "正本"), ("portrait", "副本"), ("individual", "正本"), ("landscape", "副本"))


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def expected_fields(fields: dict[str, str]) -> dict[str, str]:
    """The key fields as the licence prints them (个体工商户 print 经营者/经营场所 from the same
    keys), the date as ISO."""
    from models.values import parse_date

    out = {key: fields[key] for key in ("name", "uscc", "legal_rep", "address")}
    established = parse_date(fields["established"])
    out["established"] = established.isoformat() if established else ""
    return out


def build(n: int, folder: Path) -> list[dict]:
    """Render ``n`` licences, save a clean 200-dpi scan and a phone photo of each."""
    from samples.gen.attachments import render_license, sample_license_fields
    from samples.gen.scans import jpeg, phone_photo

    cases = []
    for i in range(n):
        variant, copy = VARIANTS[i % len(VARIANTS)]
        fields = sample_license_fields(1000 + i)
        image = render_license(fields, variant=variant, copy=copy, dpi=200)
        clean = folder / f"clean-{i:02d}.jpg"
        jpeg(image, 85).save(clean, quality=85)
        photo = folder / f"photo-{i:02d}.jpg"
        phone_photo(image, seed=i).save(photo, quality=80)
        truth = expected_fields(fields)
        cases += [
            {"file": str(clean), "condition": "clean 200 dpi", "truth": truth},
            {"file": str(photo), "condition": "phone photo", "truth": truth},
        ]
    return cases


def child(engine: str, cases_path: Path) -> None:
    """Read every case with ``engine``; print one JSON line of results."""
    from intake.reading import read_file

    cases = json.loads(cases_path.read_text(encoding="utf-8"))
    rows = []
    for case in cases:
        path = Path(case["file"])
        started = time.perf_counter()
        result = read_file(path, path.name, ocr_engine=engine)
        seconds = time.perf_counter() - started
        licence = next((d for d in result.documents if d.kind == "business_license"), None)
        got = {}
        for key in KEY_FIELDS:
            ex = licence.fields.get(key) if licence else None
            value = ex.value if ex is not None else None
            got[key] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        right = {key: _norm(str(got[key])) == _norm(case["truth"][key]) for key in KEY_FIELDS}
        rows.append({"condition": case["condition"], "right": right, "seconds": seconds, "got": got})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "peak_mb": peak}, ensure_ascii=False))


def report(engine: str, payload: dict) -> None:
    rows = payload["rows"]
    print(f"\n{engine}: peak memory {payload['peak_mb']:.0f} MB")
    for condition in ("clean 200 dpi", "phone photo"):
        part = [r for r in rows if r["condition"] == condition]
        if not part:
            continue
        total = len(part) * len(KEY_FIELDS)
        right = sum(sum(r["right"].values()) for r in part)
        per_field = {k: sum(r["right"][k] for r in part) for k in KEY_FIELDS}
        seconds = statistics.median(r["seconds"] for r in part)
        fields = "  ".join(f"{k} {v}/{len(part)}" for k, v in per_field.items())
        print(f"  {condition:14s} key fields {right}/{total} = {right / total:6.1%}   median {seconds:4.1f} s/page")
        print(f"  {'':14s} {fields}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=12, help="licences (each as a clean scan and a photo)")
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = build(args.n, folder)
        cases_path = folder / "cases.json"
        cases_path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
        print(f"{args.n} licences, {len(cases)} images")
        for engine in args.engines:
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(cases_path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            report(engine, json.loads(out.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
