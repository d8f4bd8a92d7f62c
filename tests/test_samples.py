"""The sample received folders agree with their known answers, and the generator is
deterministic (regenerating gives the committed bytes)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ROUNDS = ("shanxi-2021", "guangxi-2021")
SPEC_CODES = {
    "FILE_UNREADABLE",
    "FILE_NOT_PROCESSED",
    "FORM_NOT_FOUND",
    "FORM_FIELD_MISSING",
    "VALUE_NOT_NUMERIC",
    "PERCENT_OUT_OF_RANGE",
    "TOTAL_MISMATCH",
    "SERVICE_REVENUE_EXCEEDS_TOTAL",
    "SERVICE_SHARE_BELOW_THRESHOLD",
    "SECTION_MISSING",
    "ATTACHMENT_MISSING",
    "NAME_MISMATCH",
    "LEGAL_REP_MISMATCH",
    "ADDRESS_MISMATCH",
    "USCC_INVALID",
    "REGISTERED_OUTSIDE_REGION",
    "LICENSE_EXPIRED",
    "CERT_EXPIRED",
    "PLATFORM_TOO_YOUNG",
    "SEAL_MISSING",
    "LOW_CONFIDENCE",
    "QUOTA_EXCEEDED",
    "SUMMARY_MISMATCH",
    "DUPLICATE_SUBMISSION",
    "FORMAT_DEVIATION",
}
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def truth(round_id: str) -> dict:
    return json.loads((SAMPLES / "expected" / f"{round_id}.json").read_text(encoding="utf-8"))


def uscc_ok(code: str) -> bool:
    """Independent GB 32100 check (not the generator's code)."""
    if len(code) != 18 or any(c not in _ALPHABET for c in code):
        return False
    total = sum(_ALPHABET.index(c) * w for c, w in zip(code, _WEIGHTS, strict=False))
    return _ALPHABET[(31 - total % 31) % 31] == code[17]


@pytest.mark.parametrize("round_id", ROUNDS)
def test_every_file_is_accounted_for(round_id: str) -> None:
    t = truth(round_id)
    folder = SAMPLES / "received" / round_id
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    listed = {f for s in t["submissions"] for f in s["files"]}
    listed |= {s["file"] for s in t["summaries"]}
    listed |= {f["file"] for f in t["file_findings"]}
    assert listed <= on_disk, sorted(listed - on_disk)
    assert on_disk <= listed, sorted(on_disk - listed)
    for sub in t["submissions"]:
        for att in sub["attachments"]:
            assert att["file"] in sub["files"]
        if sub["form_file"]:
            assert (folder / sub["form_file"]).stat().st_size > 0


@pytest.mark.parametrize("round_id", ROUNDS)
def test_truth_is_consistent(round_id: str) -> None:
    t = truth(round_id)
    ids = [s["id"] for s in t["submissions"]]
    assert len(ids) == len(set(ids))
    clean = [s for s in t["submissions"] if s["clean"]]
    assert len(clean) * 2 >= len(t["submissions"]) - 4, "most submissions should be clean"
    for sub in t["submissions"]:
        codes = {f["code"] for f in sub["findings"]}
        assert sub["clean"] == all(f.get("severity") == "info" for f in sub["findings"])
        for att in sub["attachments"]:
            code = att["fields"].get("uscc")
            if code:
                assert uscc_ok(code) == ("USCC_INVALID" not in codes), (sub["id"], code)
        form = sub["form"]
        if sub["kind"] == "enterprise" and form and "SERVICE_SHARE_BELOW_THRESHOLD" not in codes:
            share = form["financials.2020.service_revenue"] / form["financials.2020.revenue"]
            assert share >= 0.2999, sub["id"]
        if "TOTAL_MISMATCH" not in codes and form.get("patents.total") is not None:
            parts = sum(form[f"patents.{k}"] for k in ("invention", "utility_model", "design"))
            assert parts == form["patents.total"]
        if sub["kind"] == "city":  # the form prints 亿元 to 2 decimals: the truth is that amount
            for key in ("gdp", "manufacturing_value_added", "producer_services_value_added", "industrial_revenue"):
                assert form[key] % 100 == 0, (sub["id"], key, form[key])
        for att in sub["attachments"]:
            if att["kind"] == "tech_evaluation_certificate":  # 完成单位 and 评价机构
                assert len(att["fields"]["parties"]) == 2, sub["id"]


def test_received_folders_are_small() -> None:
    """The sample folders stay at a few MB (both rounds together under 6.5 MB; the Guangxi
    scanned book is all colour pages since its 骑缝章 puts red on every page)."""
    total = sum(p.stat().st_size for p in (SAMPLES / "received").rglob("*") if p.is_file())
    assert total <= 6_500_000, total


def test_every_spec_code_is_planted() -> None:
    seen: set[str] = set()
    for round_id in ROUNDS:
        t = truth(round_id)
        seen |= {f["code"] for s in t["submissions"] for f in s["findings"]}
        seen |= {f["code"] for f in t["file_findings"]}
        seen |= {f["code"] for f in t["batch_findings"]}
    assert seen >= SPEC_CODES, sorted(SPEC_CODES - seen)


def test_region_digits_match_the_licence_address() -> None:
    for sub in truth("shanxi-2021")["submissions"]:
        for att in sub["attachments"]:
            code = att["fields"].get("uscc")
            if code and att["kind"] == "business_license":
                outside = any(f["code"] == "REGISTERED_OUTSIDE_REGION" for f in sub["findings"])
                assert (code[2:4] != "14") == outside, sub["id"]


def test_docx_body_fonts() -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    def body_fonts(path: Path) -> set[tuple[str | None, float | None]]:
        doc = docx.Document(str(path))
        out = set()
        start = False
        for para in doc.paragraphs:
            if "申报书正文" in para.text:
                start = True
                continue
            if start and para.runs and para.text and not para.text.startswith(("一", "二", "三", "四", "（")):
                run = para.runs[0]
                fonts = run._element.rPr.find(qn("w:rFonts"))
                out.add((fonts.get(qn("w:eastAsia")), run.font.size.pt))
        return out

    folder = SAMPLES / "received" / "shanxi-2021" / "山西转型综合改革示范区管理委员会"
    good = next((folder / "山西恒泰节能环保设备有限公司").glob("*申报书.docx"))
    bad = next((folder / "山西中科瑞达检测技术有限公司").glob("*申报书.docx"))
    assert body_fonts(good) == {("仿宋_GB2312", 12.0)}
    assert body_fonts(bad) == {("宋体", 14.0)}


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path: Path) -> None:
    """Regenerating the Guangxi round (no LibreOffice needed) gives the committed bytes."""
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path), "--round", "guangxi-2021"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert _digests(tmp_path / "received" / "guangxi-2021") == _digests(SAMPLES / "received" / "guangxi-2021")
    assert (tmp_path / "expected" / "guangxi-2021.json").read_bytes() == (
        SAMPLES / "expected" / "guangxi-2021.json"
    ).read_bytes()
