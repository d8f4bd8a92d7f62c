"""The robustness harness (bench/robustness.py) as a test: every edit a real applicant or
clerk makes to a Word book keeps ≥ 99% of the fields read before it and brings no new error
finding; a printed-and-scanned book keeps ≥ 97%. Runs on two recommenders' folders (all
four form kinds among them) so it stays within a couple of minutes; the benchmark runs the
whole rounds and prints the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.perturb.docx_edits import EDITS
from bench.robustness import DIGITAL_TARGET, SCAN_TARGET, Perturbation, Score, perturbations, run_round

FOLDERS = {"shanxi-2021": "太原市工业和信息化局", "guangxi-2021": "桂林市工业和信息化局"}
DIGITAL = [p for p in perturbations([], 0) if not p.is_scan]


@pytest.fixture(scope="module", params=sorted(FOLDERS))
def digital_results(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    round_id = request.param
    out = tmp_path_factory.mktemp("robust") / round_id
    return run_round(round_id, DIGITAL, out, jobs=2, under=FOLDERS[round_id])


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in DIGITAL])
def test_digital_perturbation_keeps_fields_and_findings(digital_results: dict[str, Score], name: str) -> None:
    result = digital_results[name]
    assert result.books >= 3, "the folder has Word books to perturb"
    kept = result.kept / max(result.base_right, 1)
    assert kept >= DIGITAL_TARGET, f"{name}: kept {result.kept}/{result.base_right}: {result.misses[:5]}"
    assert not result.new_errors, f"{name}: new errors {result.new_errors}"


@pytest.mark.slow
def test_scanned_book_keeps_fields(tmp_path: Path) -> None:
    scan = Perturbation("scan_200", "扫描 200 dpi", (), "scan_200", books=1)
    result = run_round("shanxi-2021", [scan], tmp_path, jobs=2, under=FOLDERS["shanxi-2021"])["scan_200"]
    assert result.books == 1
    kept = result.kept / max(result.base_right, 1)
    assert kept >= SCAN_TARGET, f"kept {result.kept}/{result.base_right}: {result.misses[:8]}"
    assert not result.new_errors, result.new_errors


def test_every_edit_changes_the_book() -> None:
    """An edit that finds nothing to change proves nothing: each one must alter a real book."""
    import docx

    from bench.robustness import ROOT

    folder = ROOT / "samples/received/shanxi-2021/太原市工业和信息化局/01 山西晋安重工装备有限公司"
    book = folder / "山西晋安重工装备有限公司申报书.docx"

    def signature(document: docx.document.Document) -> tuple[int, list[str]]:
        return len(document.tables), [c.text for t in document.tables for r in t.rows for c in r.cells]

    original = signature(docx.Document(str(book)))
    for name, edit in EDITS.items():
        document = docx.Document(str(book))
        edit.apply(document)
        changed = signature(document)
        if name == "fonts":
            continue  # changes run properties, not text
        assert changed != original, f"{name} changed nothing"
