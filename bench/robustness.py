"""Robustness (metamorphic) harness: perturb the sample books as real applicants and clerks
do, run intake, and check that fields and findings stay the same or change exactly as the
perturbation implies.

    python bench/robustness.py [--round shanxi-2021] [--only label_spacing,combined]
                               [--scans scan_200,skew_3] [--scan-books 2] [--no-scans]

For each perturbation the whole round is copied, every Word book (the digital books our
readers see most) is edited (``bench/perturb/docx_edits.py``), printed through LibreOffice,
or printed and scanned (``bench/perturb/scan.py``), and ``intake run`` reads the copy. The
cache of the unperturbed run is copied in first, so only the changed books are read again.
Per perturbation it prints:

- fields kept: of the form fields the unperturbed run read right, how many are still right
  (target ≥ 99% on digital books, ≥ 97% on scans and photos);
- right vs truth: all form fields of the perturbed books against the known answers;
- findings unchanged: books whose error and warning findings are the same set as before;
- new errors: error findings the perturbation brought (target 0 on a clean book).

The samples' books are our own generator's; the edits find cells by the notice's printed
labels, so they also probe layouts the generator never made (split tables, reversed years).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.accuracy import _json_value, same  # noqa: E402
from bench.perturb.docx_edits import COMBINED, EDITS, apply_edits, expected_findings, truth_after  # noqa: E402
from bench.perturb.scan import SCANS, office_to_pdf, scan_book  # noqa: E402

ROUNDS = ("shanxi-2021", "guangxi-2021")
PRODUCERS = {"libreoffice_pdf": "LibreOffice 导出 PDF"}
DIGITAL_TARGET, SCAN_TARGET = 0.99, 0.97


@dataclass
class Perturbation:
    name: str
    what: str
    edits: tuple[str, ...] = ()
    producer: str | None = None  # "libreoffice_pdf" or a SCANS key
    books: int | None = None  # how many Word books per round (None: all)

    @property
    def is_scan(self) -> bool:
        return self.producer in SCANS


@dataclass
class Score:
    books: int = 0
    fields_total: int = 0
    fields_right: int = 0
    base_right: int = 0
    kept: int = 0
    unchanged: int = 0
    new_errors: list[str] = field(default_factory=list)
    new_warnings: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        for name in ("books", "fields_total", "fields_right", "base_right", "kept", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("new_errors", "new_warnings", "lost", "misses"):
            getattr(self, name).extend(getattr(other, name))
        self.seconds += other.seconds


def word_books(truth: dict, under: str = "") -> list[dict]:
    """Submissions (under the folder ``under``, if given) whose form is a Word .docx book."""
    return [
        s for s in truth["submissions"] if str(s.get("form_file", "")).endswith(".docx") and s["path"].startswith(under)
    ]


def copy_received(round_id: str, dest: Path, under: str = "") -> None:
    """The round's received folder, or only its sub-folder ``under``, copied to ``dest``."""
    source = ROOT / "samples" / "received" / round_id
    if under:
        shutil.copytree(source / under, dest / under)
    else:
        shutil.copytree(source, dest)


def perturbations(scan_names: list[str], scan_books: int) -> list[Perturbation]:
    out = [Perturbation(name, edit.what, (name,)) for name, edit in EDITS.items()]
    out.append(Perturbation("combined", "以上多项同时：" + "、".join(COMBINED), COMBINED))
    out.append(Perturbation("libreoffice_pdf", PRODUCERS["libreoffice_pdf"], (), "libreoffice_pdf"))
    for name in scan_names:
        out.append(Perturbation(name, SCANS[name].what, (), name, books=scan_books))
    out.append(Perturbation("combined_scan", "多项编辑后扫描（200 dpi 歪斜）", COMBINED, "skew_3", books=scan_books))
    return out


def _edit_book(path: Path, edits: tuple[str, ...]) -> None:
    import docx

    document = docx.Document(str(path))
    apply_edits(document, edits)
    document.save(str(path))


def make_folder(round_id: str, truth: dict, p: Perturbation, dest: Path, under: str = "") -> dict[str, str]:
    """Copy the round (or its folder ``under``) to ``dest`` with the perturbation applied;
    returns the new form file of each perturbed submission path."""
    copy_received(round_id, dest, under)
    changed: dict[str, str] = {}
    for sub in word_books(truth, under)[: p.books]:
        book = dest / sub["form_file"]
        if p.edits:
            _edit_book(book, p.edits)
        new_rel = sub["form_file"]
        if p.producer:
            with tempfile.TemporaryDirectory(prefix="perturb-") as tmp:
                pdf = office_to_pdf(book, Path(tmp))
                book.unlink()
                target = book.with_suffix(".pdf")
                if p.is_scan:
                    scan_book(pdf, target, SCANS[p.producer])
                else:
                    shutil.copyfile(pdf, target)
            new_rel = str(Path(sub["form_file"]).with_suffix(".pdf"))
        changed[sub["path"]] = new_rel
    return changed


def run_folder(round_id: str, received: Path, out: Path, cache_from: Path | None, jobs: int) -> Any:
    from intake.options import RunOptions
    from intake.pipeline import run

    out.mkdir(parents=True, exist_ok=True)
    if cache_from is not None and cache_from.is_file():
        shutil.copyfile(cache_from, out / ".intake-cache.sqlite")
    options = RunOptions(received=received, campaign=round_id, out=out, jobs=jobs, progress=False)
    return run(options)


def _record_for(records: dict[str, Any], sub: dict, changed: dict[str, str]) -> Any:
    """The record of a truth submission, also when a loose book's file name changed."""
    if sub["path"] in records:
        return records[sub["path"]]
    new = changed.get(sub["path"])
    return records.get(new) if new else None


def _finding_keys(record: Any, edits: tuple[str, ...] = ()) -> set[tuple[str, str, str]]:
    """(code, field, severity) of a record's errors and warnings; ``edits`` rename the fields
    as they rename the truth's keys (a finding on 2019 becomes one on 2020)."""
    if record is None:
        return {("NO_RECORD", "", "error")}
    keys = set()
    for f in record.findings:
        if f.severity != "info":
            fld = next(iter(truth_after({f.field: None}, edits))) if f.field else ""
            keys.add((f.code, fld, f.severity))
    return keys


def _right_fields(truth_form: dict, record: Any) -> tuple[set[str], list[str]]:
    fields = record.form_fields if record is not None else {}
    right, misses = set(), []
    for key, expected in truth_form.items():
        got = fields.get(key)
        value = _json_value(got.value) if got is not None else None
        if got is not None and same(expected, value):
            right.add(key)
        else:
            misses.append(f"{key}: expected {expected!r}, got {value!r}")
    return right, misses


def score(truth: dict, p: Perturbation, base: Any, outcome: Any, changed: dict[str, str], under: str = "") -> Score:
    base_records = {r.path: r for r in base.records}
    records = {r.path: r for r in outcome.records}
    result = Score()
    for sub in word_books(truth, under)[: p.books]:
        form = sub.get("form") or {}
        base_record = base_records.get(sub["path"])
        record = _record_for(records, sub, changed)
        base_right, _ = _right_fields(form, base_record)
        shifted = truth_after(form, p.edits)
        right, misses = _right_fields(shifted, record)
        kept_after = set(truth_after({k: form[k] for k in base_right}, p.edits))
        result.books += 1
        result.fields_total += len(shifted)
        result.fields_right += len(right)
        result.base_right += len(kept_after)
        result.kept += len(kept_after & right)
        result.misses += [f"{sub['path']} {m}" for m in misses]
        before, after = _finding_keys(base_record, p.edits), _finding_keys(record)
        allowed = expected_findings(p.edits)
        before |= {(c, f, s) for c, f, s in after if (c, f) in allowed}
        if before == after:
            result.unchanged += 1
        for code, fld, sev in sorted(after - before):
            (result.new_errors if sev == "error" else result.new_warnings).append(f"{sub['path']} {code} {fld}")
        result.lost += [f"{sub['path']} {c} {f}" for c, f, _ in sorted(before - after)]
    return result


def load_truth(round_id: str) -> dict:
    return json.loads((ROOT / "samples" / "expected" / f"{round_id}.json").read_text(encoding="utf-8"))


def run_round(round_id: str, chosen: list[Perturbation], out: Path, jobs: int, under: str = "") -> dict[str, Score]:
    """Run the unperturbed folder once, then each perturbation with its cache; score each."""
    truth = load_truth(round_id)
    shutil.rmtree(out, ignore_errors=True)
    results: dict[str, Score] = {}
    with tempfile.TemporaryDirectory(prefix="robust-") as tmp:
        base_dir = Path(tmp) / "baseline"
        copy_received(round_id, base_dir, under)
        base = run_folder(round_id, base_dir, out / "baseline", None, jobs)
        cache = out / "baseline" / ".intake-cache.sqlite"
        for p in chosen:
            started = time.perf_counter()
            folder = Path(tmp) / p.name
            changed = make_folder(round_id, truth, p, folder, under)
            outcome = run_folder(round_id, folder, out / p.name, cache, jobs)
            result = score(truth, p, base, outcome, changed, under)
            result.seconds = time.perf_counter() - started
            results[p.name] = result
            print(f"  {round_id} {p.name}: kept {result.kept}/{result.base_right}, new errors {len(result.new_errors)}")
            shutil.rmtree(folder, ignore_errors=True)
    return results


def print_table(rows: list[tuple[Perturbation, Score]]) -> None:
    print(
        f"\n{'perturbation':20s} {'books':>5s} {'fields kept':>16s} {'right vs truth':>16s} "
        f"{'findings same':>13s} {'new err':>7s} {'new warn':>8s} {'lost':>5s} {'target':>7s} {'s':>6s}"
    )
    for p, s in rows:
        kept = s.kept / max(s.base_right, 1)
        target = SCAN_TARGET if p.is_scan else DIGITAL_TARGET
        ok = "ok" if kept >= target and not s.new_errors else "SHORT"
        print(
            f"{p.name:20s} {s.books:5d} {s.kept:6d}/{s.base_right:<5d}{kept:5.1%} "
            f"{s.fields_right:6d}/{s.fields_total:<5d}{s.fields_right / max(s.fields_total, 1):5.1%} "
            f"{s.unchanged:6d}/{s.books:<6d} {len(s.new_errors):7d} {len(s.new_warnings):8d} {len(s.lost):5d} "
            f"{'≥' + format(target, '.0%'):>5s} {ok:5s} {s.seconds:6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", choices=ROUNDS, action="append")
    parser.add_argument("--only", help="comma-separated perturbation names")
    parser.add_argument("--scans", default="scan_150,scan_200,scan_300,skew_3,jpeg_30,grey_paper,phone_photo")
    parser.add_argument("--scan-books", type=int, default=2, help="Word books scanned per round")
    parser.add_argument("--no-scans", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "robustness")
    parser.add_argument("--details", action="store_true", help="print every miss and new finding")
    args = parser.parse_args()
    scan_names = [] if args.no_scans else [s for s in args.scans.split(",") if s]
    chosen = perturbations(scan_names, args.scan_books)
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [p for p in chosen if p.name in wanted]
    totals: dict[str, Score] = {p.name: Score() for p in chosen}
    for round_id in args.round or ROUNDS:
        for name, result in run_round(round_id, chosen, args.out / round_id, args.jobs).items():
            totals[name].add(result)
    rows = [(p, totals[p.name]) for p in chosen]
    print_table(rows)
    for p, s in rows:
        if args.details or s.new_errors:
            for line in s.new_errors[:15]:
                print(f"  {p.name} new error: {line}")
        if args.details:
            for line in s.new_warnings[:15]:
                print(f"  {p.name} new warning: {line}")
            for line in s.lost[:15]:
                print(f"  {p.name} lost: {line}")
            for line in s.misses[:30]:
                print(f"  {p.name} miss: {line}")


if __name__ == "__main__":
    main()
