"""Independent-legal-person rule (LEGAL_PERSON_INELIGIBLE) on licences of the second layout
generator (``bench/licence_layouts.py``): every variant and seed read through the product's
path (cached OCR under ``bench/out/licence-variants/``, shared with ``licence_variants.py``),
then the rule run on a record whose applicant is the licence's name, in both rounds.

    python bench/legal_person.py [--seeds 3]

Truth: 个体工商户, 个人独资企业 and 分公司 licences must give a finding (recall); company
licences must give none (precision). Errors and warnings are counted apart: a warning is
the rule being unsure (low OCR confidence, no type read but a branch-like name).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import licence_layouts as layouts  # noqa: E402
from bench.licence_variants import OUT, read_licence  # noqa: E402


def main() -> None:
    from models.campaign import load_campaign
    from models.fields import Extracted
    from models.records import Attachment, Record
    from validators.base import RecordContext
    from validators.registry import rules

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    rule = rules()["legal_person_ineligible"]
    rounds = [load_campaign("shanxi-2021"), load_campaign("guangxi-2021")]
    tally: Counter[tuple[str, str]] = Counter()
    rows = []
    for variant, spec in layouts.VARIANTS.items():
        for seed in range(args.seeds):
            truth = layouts.variant_truth(variant, seed)
            image, suffix = layouts.render(truth, variant, seed)
            path = OUT / "images" / f"{variant}-{seed}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            layouts.save(image, str(path))
            fields, _ = read_licence(path)
            licence = Attachment(kind="business_license", file=path.name, pages=[1], fields=fields)
            name = truth["name"]
            form = {"name": Extracted[str](value=name, raw=name)}
            record = Record(submission_id=path.stem, path=path.stem, kind="enterprise", applicant=name,
                            form_fields=form, attachments=[licence])  # fmt: skip
            ineligible = spec["kind"] != "company"
            for campaign in rounds:
                found = list(rule.check(RecordContext(record, campaign)))
                outcome = found[0].severity if found else "none"
                tally[(spec["kind"], outcome)] += 1
            type_read = fields["type"].raw if "type" in fields else "（未读出）"
            rows.append(
                f"{variant}-{seed}\t{spec['kind']}\t{type_read}\t{outcome}\t{'应报' if ineligible else '不应报'}"
            )
    print("variant\tkind\ttype read\tfinding\ttruth")
    print("\n".join(rows))
    print()
    print("kind\terror\twarning\tnone   (both rounds)")
    for kind in ("company", "individual", "sole", "branch"):
        counts = [tally[(kind, s)] for s in ("error", "warning", "none")]
        if any(counts):
            print(f"{kind}\t" + "\t".join(str(c) for c in counts))
    bad = sum(tally[("company", s)] for s in ("error", "warning"))
    missed = sum(tally[(k, "none")] for k in ("individual", "sole", "branch"))
    positives = sum(tally[(k, s)] for k in ("individual", "sole", "branch") for s in ("error", "warning", "none"))
    print(f"\nfalse findings on company licences: {bad}; missed ineligible licences: {missed} of {positives}")


if __name__ == "__main__":
    main()
