"""Accuracy benchmark: field accuracy and finding recall/precision against the known answers
of the generated samples (samples/expected/<round>.json).

    python bench/accuracy.py [--round shanxi-2021] [--out bench/out/accuracy] [--jobs 2]

Fields: every form field and attachment field the generator filled is compared with what
intake extracted (numbers to 0.01, text after NFKC and whitespace folding, dates ISO),
reported per source kind (docx, pdf, doc, scan; licence, certificate …).
Findings: (submission, code) pairs, errors and warnings only; recall and precision overall
and per code; plus how many clean submissions got an error (should be none).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = ("shanxi-2021", "guangxi-2021")
ISSUE_10_CODES = (
    "LEGAL_PERSON_INELIGIBLE",
    "USCC_DIVISION_UNKNOWN",
    "ACCIDENT_COMMITMENT",
    "CITY_NOT_ELIGIBLE",
    "FINANCIAL_RISK",
    "PLATFORM_TYPE_UNKNOWN",
    "NOT_SHARED_MANUFACTURING",
    "SUMMARY_SEAL_MISSING",
    "USCC_MISMATCH",
    "PREMISES_NOT_APPLICANT",
    "PREMISES_TERM_SHORT",
    "CONTRACT_NOT_APPLICANT",
    "ACCEPTANCE_DATE_INVALID",
    "EVALUATION_DUPLICATE",
    "EVALUATION_NOT_LISTED",
    "TECH_EVAL_NOT_APPLICANT",
)
"""The finding codes issue 10 added (docs/NEW_CODES_10.md and validators.documents); each is
planted in the samples, and its recall and precision are printed on their own."""


def _norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


def same(expected: Any, found: Any) -> bool:
    a, b = _norm(expected), _norm(found)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 0.011
    if isinstance(a, float) and isinstance(b, str):
        try:
            return abs(a - float(b)) <= 0.011
        except ValueError:
            return False
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def run_round(round_id: str, out: Path, jobs: int):
    from intake.options import RunOptions
    from intake.pipeline import run

    received = ROOT / "samples" / "received" / round_id
    options = RunOptions(received=received, campaign=round_id, out=out / round_id, jobs=jobs, progress=False)
    return run(options)


def field_scores(truth: dict, records: dict[str, Any]) -> dict[str, Counter]:
    """Per source bucket: Counter(total=…, right=…); misses collected under 'misses'."""
    scores: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    for sub in truth["submissions"]:
        record = records.get(sub["path"])
        bucket = f"form:{sub.get('book', '?')}"
        form = sub.get("form") or {}
        found_fields = record.form_fields if record else {}
        for key, expected in form.items():
            got = found_fields.get(key)
            ok = got is not None and same(expected, _json_value(got.value))
            scores[bucket]["total"] += 1
            scores[bucket]["right"] += ok
            if not ok:
                misses.append(f"{sub['path']} {key}: expected {expected!r}, got {got.value if got else None!r}")
        for att in sub.get("attachments", []):
            bucket = f"att:{att['kind']}"
            candidates = [a for a in (record.attachments if record else []) if a.kind == att["kind"]]
            match = next((a for a in candidates if a.file == att["file"]), None) or (
                candidates[0] if candidates else None
            )
            for key, expected in (att.get("fields") or {}).items():
                got = match.fields.get(key) if match else None
                value = _json_value(got.value) if got else None
                if expected is None and key == "term_end":
                    ok = got is not None and value is None and "长期" in got.raw
                else:
                    ok = got is not None and same(expected, value)
                scores[bucket]["total"] += 1
                scores[bucket]["right"] += ok
                if not ok:
                    misses.append(f"{att['file']} {key}: expected {expected!r}, got {value!r}")
    scores["_misses"] = Counter({m: 1 for m in misses})
    return scores


def _json_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def finding_pairs(truth: dict, outcome) -> tuple[set, set, set]:
    """(expected pairs, found pairs, clean submission paths) as (submission path, code)."""
    by_gen_id = {s["id"]: s["path"] for s in truth["submissions"]}
    by_applicant = {s["applicant"]: s["path"] for s in truth["submissions"]}
    expected: set[tuple[str, str]] = set()
    for sub in truth["submissions"]:
        for f in sub.get("findings", []):
            if f.get("severity", "error") != "info":
                expected.add((sub["path"], f["code"]))
    for f in truth.get("file_findings", []):
        path = by_gen_id.get(f.get("submission"), "unattached")
        if f.get("severity", "error") != "info":
            expected.add((path, f["code"]))
    for f in truth.get("batch_findings", []):
        path = by_applicant.get(f.get("applicant", ""))
        if f["code"] == "QUOTA_EXCEEDED":
            continue  # expanded below: every submission of the group beyond the quota
        expected.add((path or "unattached", f["code"]))
    for f in truth.get("batch_findings", []):
        if f["code"] == "QUOTA_EXCEEDED":
            group = [
                s["path"]
                for s in truth["submissions"]
                if s.get("recommender") == f["recommender"] and s.get("kind") == f["kind"]
            ]
            for path in group:
                expected.add((path, "QUOTA_EXCEEDED*"))  # which ones exceed is arbitrary
    found: set[tuple[str, str]] = set()
    for record in outcome.records:
        for f in record.findings:
            if f.severity != "info":
                found.add((record.path, f.code))
    for f in outcome.unattached:
        if f.severity != "info":
            found.add(("unattached", f.code))
    # a quota finding on any submission of an over-quota group counts as right
    quota_group = {p for p, c in expected if c == "QUOTA_EXCEEDED*"}
    expected = {(p, c) for p, c in expected if c != "QUOTA_EXCEEDED*"}
    quota_found = {(p, c) for p, c in found if c == "QUOTA_EXCEEDED"}
    if quota_group:
        expected.add(("quota-group", "QUOTA_EXCEEDED"))
        if any(p in quota_group for p, _ in quota_found):
            found = {x for x in found if x not in quota_found} | {("quota-group", "QUOTA_EXCEEDED")}
    clean = {s["path"] for s in truth["submissions"] if s.get("clean")}
    return expected, found, clean


def report(round_id: str, truth: dict, outcome) -> dict[str, float]:
    records = {r.path: r for r in outcome.records}
    missing = [s["path"] for s in truth["submissions"] if s["path"] not in records]
    extra = [p for p in records if p not in {s["path"] for s in truth["submissions"]}]
    print(f"\n=== {round_id}: {len(truth['submissions'])} expected submissions, {len(records)} found")
    if missing:
        print("  submissions not found:", *missing, sep="\n    ")
    if extra:
        print("  submissions not expected:", *extra, sep="\n    ")
    scores = field_scores(truth, records)
    misses = scores.pop("_misses")
    total = right = 0
    print("  field accuracy:")
    for bucket in sorted(scores):
        c = scores[bucket]
        total += c["total"]
        right += c["right"]
        print(f"    {bucket:36s} {c['right']:4d}/{c['total']:<4d} {c['right'] / max(c['total'], 1):6.1%}")
    print(f"    {'ALL':36s} {right:4d}/{total:<4d} {right / max(total, 1):6.1%}")
    if misses:
        print(f"  first field misses ({len(misses)}):")
        for miss in list(misses)[:25]:
            print("    " + miss)
    expected, found, clean = finding_pairs(truth, outcome)
    tp = expected & found
    recall = len(tp) / max(len(expected), 1)
    precision = len(tp) / max(len(found), 1)
    print(
        f"  findings (errors+warnings, by submission and code): recall {recall:.1%} "
        f"({len(tp)}/{len(expected)}), precision {precision:.1%} ({len(tp)}/{len(found)})"
    )
    per_code: dict[str, Counter] = defaultdict(Counter)
    for _, code in expected:
        per_code[code]["expected"] += 1
    for _, code in found:
        per_code[code]["found"] += 1
    for _, code in tp:
        per_code[code]["tp"] += 1
    for code in sorted(per_code):
        c = per_code[code]
        mark = "  (issue 10)" if code in ISSUE_10_CODES else ""
        print(
            f"    {code:32s} expected {c['expected']:3d} found {c['found']:3d} right {c['tp']:3d}  "
            f"recall {c['tp'] / max(c['expected'], 1):6.1%} precision {c['tp'] / max(c['found'], 1):6.1%}{mark}"
        )
    for code in ISSUE_10_CODES:
        if code not in per_code:
            print(f"    {code:32s} neither planted nor found in this round (issue 10)")
    for pair in sorted(expected - found):
        print("    missed:", *pair)
    for pair in sorted(found - expected):
        print("    unexpected:", *pair)
    flagged_clean = sorted(
        r.path for r in outcome.records if r.path in clean and any(f.severity == "error" for f in r.findings)
    )
    print(f"  clean submissions with an error finding: {len(flagged_clean)}/{len(clean)}")
    for path in flagged_clean:
        print("    " + path)
    new = {code: per_code[code] for code in ISSUE_10_CODES if code in per_code}
    tp_new = sum(c["tp"] for c in new.values())
    return {
        "fields": right / max(total, 1),
        "recall": recall,
        "precision": precision,
        "issue10_recall": tp_new / max(sum(c["expected"] for c in new.values()), 1),
        "issue10_precision": tp_new / max(sum(c["found"] for c in new.values()), 1),
        "per_code": {code: dict(c) for code, c in sorted(per_code.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", choices=ROUNDS, action="append")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "accuracy")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    results = {}
    for round_id in args.round or ROUNDS:
        truth = json.loads((ROOT / "samples" / "expected" / f"{round_id}.json").read_text(encoding="utf-8"))
        outcome = run_round(round_id, args.out, args.jobs)
        results[round_id] = report(round_id, truth, outcome)
    print("\nsummary:", json.dumps(results, indent=None))


if __name__ == "__main__":
    main()
