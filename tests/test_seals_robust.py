"""Seals as applicants really stamp them (issue 9), on pages rendered by
``bench/seal_variants.py`` (its own renderer: no OCR needed, ``find_seals`` reads the image),
and the SEAL_MISSING rule's precision when the detector's evidence is weak or elsewhere.

Contract: every seal of 38–45 mm (round) or 45×30 mm (oval), in any stamp-pad red, over
text, beside a signature, on grey paper, skewed or JPEG'd, is found as a sure seal; red that
is not a seal (红头, red rules and tables, red handwriting, logos) gives no seal, not even a
possible one; a 1-bit scan gives at most a possible seal; a 骑缝章 slice stays a slice.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

import validators.seals  # noqa: F401  (registers the rule)
from extractors.ocr.seals import SEAL_SCORE, WEAK_SCORE, find_seals
from models.campaign import Campaign, load_campaign
from models.document import BBox, Seal
from models.findings import Finding
from models.records import ExtractedDocument, Record, SealSlot
from validators.base import RULES, RecordContext
from validators.seals import SURE_SEAL

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
sv = importlib.import_module("seal_variants")

VARIANTS = {v.name: v for v in sv.VARIANTS}
SEALED = [v.name for v in sv.VARIANTS if v.expect == "found"]
SEAL_FREE = [v.name for v in sv.VARIANTS if v.expect == "none"]


def _page(name: str, dpi: int = 150, seed: int = 11) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    return VARIANTS[name].make(np.random.default_rng(seed), dpi)


def _whole(seals: list[Seal]) -> list[Seal]:
    return [s for s in seals if s.edge is None and s.bbox is not None]


def _covers(seal: Seal, box: tuple[int, int, int, int]) -> bool:
    assert seal.bbox is not None
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return seal.bbox.x0 <= cx <= seal.bbox.x1 and seal.bbox.y0 <= cy <= seal.bbox.y1


@pytest.mark.parametrize("name", SEALED)
def test_every_stamped_seal_is_found_as_a_sure_seal(name: str) -> None:
    image, boxes = _page(name)
    seals = _whole(find_seals(image, 4))
    assert len(seals) == len(boxes), [(s.bbox, s.score) for s in seals]
    for box in boxes:
        (seal,) = [s for s in seals if _covers(s, box)]
        assert seal.score >= SEAL_SCORE and seal.page == 4
        assert seal.bbox is not None
        width, height = box[2] - box[0], box[3] - box[1]
        assert seal.bbox.width == pytest.approx(width, rel=0.2) and seal.bbox.height == pytest.approx(height, rel=0.2)


@pytest.mark.parametrize(
    ("name", "dpi"),
    [("faded pink 38 mm, broken", 300), ("JPEG q30, faded, grey", 200), ("skew 3°", 300), ("oval 45×30 财务", 200)],
)
def test_finer_scans_find_the_same_seals(name: str, dpi: int) -> None:
    """Sizes are judged in millimetres, so 200 and 300 dpi pages read like 150 dpi ones."""
    image, (box,) = _page(name, dpi)
    (seal,) = _whole(find_seals(image, 1))
    assert seal.score >= SEAL_SCORE and _covers(seal, box)


def test_the_callers_dpi_gives_the_same_answer() -> None:
    image, (box,) = _page("round 40 mm", 200)
    (seal,) = _whole(find_seals(image, 1, dpi=200))
    assert seal.score >= SEAL_SCORE and _covers(seal, box)


@pytest.mark.parametrize("name", SEAL_FREE)
def test_red_that_is_not_a_seal_gives_no_seal(name: str) -> None:
    """红头 titles (with their rule and star), red table lines and boxes, red signatures and
    pen circles, red logos: no seal, not even a possible one."""
    for dpi in (150, 200):
        image, _ = _page(name, dpi)
        assert find_seals(image, 1) == []


def test_half_the_ink_lost_is_at_least_a_possible_seal() -> None:
    image, (box,) = _page("broken ink 50%")
    (seal,) = _whole(find_seals(image, 1))
    assert seal.score >= WEAK_SCORE and _covers(seal, box)


def test_a_black_and_white_scan_gives_only_a_possible_seal() -> None:
    """On a 1-bit page the seal is black like the text: colour cannot confirm it, so its ring
    makes it a possible seal (the rule then warns instead of reporting a missing seal)."""
    image, (box,) = _page("1-bit scan")
    (seal,) = _whole(find_seals(image, 1))
    assert WEAK_SCORE <= seal.score < SEAL_SCORE and _covers(seal, box)


def test_a_whole_seal_near_the_edge_is_no_seam_slice() -> None:
    image, (box,) = _page("near the page edge")
    (seal,) = find_seals(image, 1)
    assert seal.edge is None and seal.score >= SEAL_SCORE and _covers(seal, box)


def test_a_seam_slice_on_a_full_page_stays_a_slice() -> None:
    """A 骑缝章 pressed across the fanned edge: a fifth of it on the page, faded ink, grey
    paper. It is a slice at the right edge, never a whole seal."""
    rng = np.random.default_rng(3)
    sheet = sv.render_page(150, sv.GREY)
    w, h = sheet.pixels.shape[1], sheet.pixels.shape[0]
    ink = sv.seal_ink(sv.Stamp(size_mm=(42.0, 42.0), ink="faded", strength=0.8), 150, rng)
    sv.stamp(sheet.pixels, ink, sv.INKS["faded"], w + sv.mm(12, 150), h // 2)
    (part,) = find_seals(sv.finish(sheet, jpeg=40), 2)
    assert part.edge == "right" and part.bbox is not None and part.bbox.x1 >= w - 3


# -- SEAL_MISSING: precision first -------------------------------------------------------

FILE = "太原市工信局/示例科技/申报书扫描件.pdf"
LABEL = "申报单位（章）"


@pytest.fixture(scope="module")
def shanxi() -> Campaign:
    return load_campaign("shanxi-2021")


def _record(*slots: SealSlot, seals: tuple[Seal, ...] = ()) -> Record:
    doc = ExtractedDocument(
        kind="commitment", file=FILE, pages=[5], seal_slots=list(slots), seals=list(seals), method="ocr"
    )
    return Record(submission_id="s1", path="太原市工信局/示例科技", kind="enterprise", documents=[doc])


def _slot_findings(rec: Record, campaign: Campaign) -> list[Finding]:
    found = RULES["seal_missing"].check(RecordContext(rec, campaign))
    return [f for f in found if f.field in ("seal.applicant", "seal.recommender")]


def test_the_rules_threshold_is_the_detectors() -> None:
    assert SURE_SEAL == SEAL_SCORE


def test_a_page_without_any_seal_is_still_an_error(shanxi: Campaign) -> None:
    slot = SealSlot(role="applicant", page=5, bbox=BBox(x0=500, y0=1270, x1=700, y1=1300), label=LABEL)
    (f,) = _slot_findings(_record(slot, seals=(Seal(page=4, bbox=BBox(x0=1, y0=1, x1=200, y1=200)),)), shanxi)
    assert (f.severity, f.found_value) == ("error", "未见印章")


def test_a_seal_elsewhere_on_the_page_is_a_warning_not_an_error(shanxi: Campaign) -> None:
    """Stamped over the date line or low on the page, farther from the label than slot
    matching looks: the page shows a seal, so no error; a warning points at the seal."""
    seal = Seal(page=5, bbox=BBox(x0=760, y0=1480, x1=1010, y1=1730), score=0.95)
    slot = SealSlot(role="applicant", page=5, bbox=BBox(x0=500, y0=1270, x1=700, y1=1300), label=LABEL)
    (f,) = _slot_findings(_record(slot, seals=(seal,)), shanxi)
    assert (f.severity, f.found_value) == ("warning", "印章位置不符")
    assert f.evidence[0].bbox == seal.bbox and f.evidence[0].page == 5


def test_a_seal_taken_by_another_slot_does_not_excuse_a_missing_one(shanxi: Campaign) -> None:
    seal = Seal(page=5, bbox=BBox(x0=760, y0=900, x1=1010, y1=1150))
    sealed = SealSlot(role="applicant", page=5, label=LABEL, seal=seal)
    empty = SealSlot(role="recommender", page=5, label="推荐单位（章）")
    (f,) = _slot_findings(_record(sealed, empty, seals=(seal,)), shanxi)
    assert (f.field, f.severity) == ("seal.recommender", "error")


def test_a_possible_seal_at_the_slot_is_a_warning(shanxi: Campaign) -> None:
    weak = Seal(page=5, bbox=BBox(x0=760, y0=1180, x1=1010, y1=1430), score=0.45)
    slot = SealSlot(role="applicant", page=5, label=LABEL, seal=weak)
    (f,) = _slot_findings(_record(slot, seals=(weak,)), shanxi)
    assert (f.severity, f.found_value) == ("warning", "印章不清") and f.evidence[0].bbox == weak.bbox


def test_a_sure_seal_or_a_word_picture_at_the_slot_is_quiet(shanxi: Campaign) -> None:
    sure = SealSlot(role="applicant", page=5, label=LABEL, seal=Seal(page=5, score=0.7))
    picture = SealSlot(role="recommender", page=5, seal=Seal(page=5, score=0.3, source="docx-picture"))
    assert _slot_findings(_record(sure, picture), shanxi) == []


def test_detected_seals_fill_the_rule_end_to_end(shanxi: Campaign) -> None:
    """A dark-red seal over the date line, found on the image, unclaimed by the slot: a
    warning; the same page with no seal: an error."""
    image, _ = _page("over the date line")
    seals = tuple(s.model_copy(update={"page": 5}) for s in _whole(find_seals(image, 5)))
    slot = SealSlot(role="applicant", page=5, bbox=BBox(x0=560, y0=1260, x1=760, y1=1290), label=LABEL)
    (f,) = _slot_findings(_record(slot, seals=seals), shanxi)
    assert f.severity == "warning"
    blank, _ = _page("seal-free: red signature")
    none = tuple(find_seals(blank, 5))
    (f,) = _slot_findings(_record(slot, seals=none), shanxi)
    assert f.severity == "error"
