"""The samples plant every finding code of issue 10 in both rounds (where the round's notice
asks for the check), so bench/accuracy.py can report each code's recall and precision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import ISSUE_10_CODES
from models.campaign import load_campaign

ROOT = Path(__file__).resolve().parent.parent
ONLY_IN = {"PLATFORM_TYPE_UNKNOWN": {"guangxi-2021"}}  # Shanxi's platforms have no sub-quotas


def planted(round_id: str) -> dict[str, set[str]]:
    """Code → the generator keys of the submissions it is planted on ("batch" for the 汇总表)."""
    truth = json.loads((ROOT / "samples" / "expected" / f"{round_id}.json").read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for sub in truth["submissions"]:
        for f in sub["findings"]:
            if f.get("severity") != "info":
                out.setdefault(f["code"], set()).add(sub["id"])
    for f in truth["batch_findings"]:
        out.setdefault(f["code"], set()).add(f.get("submission", "batch"))
    return out


@pytest.mark.parametrize("round_id", ["shanxi-2021", "guangxi-2021"])
def test_every_issue_10_code_is_planted(round_id: str) -> None:
    codes = planted(round_id)
    wanted = {code for code in ISSUE_10_CODES if round_id in ONLY_IN.get(code, {round_id})}
    assert wanted <= set(codes), sorted(wanted - set(codes))


def test_seam_pages_are_planted_where_the_round_asks_for_a_seam() -> None:
    for round_id in ("shanxi-2021", "guangxi-2021"):
        asks = any(rule.role == "seam" for rule in load_campaign(round_id).seals)
        truth = json.loads((ROOT / "samples" / "expected" / f"{round_id}.json").read_text(encoding="utf-8"))
        seam = [f for s in truth["submissions"] for f in s["findings"] if f.get("field") == "seal.seam"]
        assert bool(seam) is asks, round_id
