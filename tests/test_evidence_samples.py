"""On a real sample submission (Word book, licence photo, certificate PDF), through the whole
pipeline: every finding with a page in its evidence gets its crops, the key fields theirs,
review.html shows them, and a re-run reuses them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intake import api
from intake.evidence import crops

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "received" / "shanxi-2021"
FOLDER = "大同市工业和信息化局/大同云冈新能源装备有限公司"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice"),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE / FOLDER, root / "received" / FOLDER)
    api.run(root / "received", "shanxi-2021", root / "out", jobs=1)
    return root / "out"


def test_every_finding_with_a_page_has_its_crops(out: Path) -> None:
    index = json.loads((out / "evidence" / "index.json").read_text(encoding="utf-8"))["crops"]
    (record,) = api.load_records(out)
    with_pages = [f for f in record.findings if any(e.page for e in f.evidence)]
    assert any(f.code == "LICENSE_EXPIRED" for f in with_pages)
    for finding in with_pages:
        names = [n for n in index if n.startswith(f"{finding.id}-") and not index[n].get("missing")]
        assert len(names) == sum(1 for e in finding.evidence if e.page), finding.code
        assert all((out / "evidence" / n).stat().st_size > 500 for n in names)
    fields = {n.split("-", 1)[1] for n in index if n.startswith(record.submission_id)}
    assert {"application_form.name.png", "business_license.uscc.png", "business_license.term_end.png"} <= fields


def test_review_page_shows_the_crops(out: Path) -> None:
    page = (out / "review.html").read_text(encoding="utf-8")
    index = json.loads((out / "evidence" / "index.json").read_text(encoding="utf-8"))["crops"]
    for name in index:
        assert f"evidence/{name}" in page


def test_rerun_reuses_every_crop(out: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (out / "evidence").glob("*.png")}
    page = out / "review.html"
    page.write_bytes(page.read_bytes() + b"\n")  # an output changed: the tail runs (outputs not current)
    api.run(out.parent / "received", "shanxi-2021", out, jobs=1)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "evidence").glob("*.png")}
    assert after == before
    assert "0 drawn" in (out / "run.log").read_text(encoding="utf-8")


def test_new_out_sharing_the_cache_renders_nothing_and_draws_the_same_crops(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run into a new output folder with ``cache_dir`` on the first one's caches reads no
    file and converts no Word book; its crops, drawn by two processes here, are the first
    run's bytes."""
    monkeypatch.setattr(crops, "MIN_PARALLEL_CROPS", 1)
    other = tmp_path / "other"
    api.run(out.parent / "received", "shanxi-2021", other, jobs=2, cache_dir=out)
    log = (other / "run.log").read_text(encoding="utf-8")
    assert "0 to read" in log
    assert "rendered Word books" not in log  # the renderings came from the shared cache
    assert not (other / crops.WORD_PDF_DIR).exists()
    first = {p.name: p.read_bytes() for p in (out / "evidence").glob("*.png")}
    again = {p.name: p.read_bytes() for p in (other / "evidence").glob("*.png")}
    assert len(first) > 2 and again == first
