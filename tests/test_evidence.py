"""Evidence crops: boxes drawn where the readers found the value, both sides of a mismatch,
Word books through LibreOffice once, re-runs reuse crops by content hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from intake.evidence import write_evidence
from intake.evidence.crops import BOX_COLOUR
from intake.evidence.office import locate, needles
from models.records import FileEntry
from tests.test_evidence_kit import CELL_VALUE, DOCX, PNG, make_received, record

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def red_share(path: Path) -> float:
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    red = (abs(pixels - np.array(BOX_COLOUR)).sum(axis=2) < 60).mean()
    return float(red)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("evidence")
    received = make_received(root / "received")
    out = root / "out"
    index = write_evidence(out, received, [record()])
    return received, out, index


def test_mismatch_shows_both_sides(written: tuple) -> None:
    _, out, index = written
    mismatch = record().findings[0]
    crops = index.of(mismatch)
    assert [c.name for c in crops] == [f"{mismatch.id}-1.png", f"{mismatch.id}-2.png"]
    assert [c.side for c in crops] == ["申报表", "营业执照"]
    for crop in crops:
        assert (out / crop.rel).is_file()
        assert red_share(out / crop.rel) > 0.005  # the box is drawn


def red_frame(path: Path) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The crop's pixels and the bounds of its red box."""
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=int)
    ys, xs = np.nonzero(abs(pixels - np.array(BOX_COLOUR)).sum(axis=2) < 60)
    return pixels, (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


def test_pdf_box_lands_on_the_text(written: tuple) -> None:
    _, out, index = written
    crop = index.of(record().findings[0])[1]
    pixels, (x0, y0, x1, y1) = red_frame(out / crop.rel)
    inside = pixels[y0 + 4 : y1 - 3, x0 + 4 : x1 - 3].sum(axis=2) < 200
    assert inside.mean() > 0.05, "the printed line is inside the box"
    # a margin of page around the box: the next printed line shows below it
    below = pixels[y1 + 4 :, x0:x1].sum(axis=2) < 200
    assert below.any()
    assert (x1 - x0) == pytest.approx(230 * 2, abs=12)  # 230 pt at 2 px per point


def test_scan_crop_boxes_the_bar(written: tuple) -> None:
    _, out, index = written
    crop = index.of(record().findings[1])[0]
    pixels = np.asarray(Image.open(out / crop.rel).convert("RGB"), dtype=int)
    black = (pixels.sum(axis=2) < 60).mean()
    assert black > 0.02, "the black bar the box points at is inside the crop"
    assert red_share(out / crop.rel) > 0.005


def test_file_without_page_has_no_crop_and_run_goes_on(written: tuple) -> None:
    _, _, index = written
    assert index.of(record().findings[2]) == []


def test_key_field_crops(written: tuple) -> None:
    _, out, index = written
    fields = index.fields["S-jia"]
    assert set(fields) == {"business_license.legal_rep"}
    assert (out / fields["business_license.legal_rep"].rel).is_file()


def test_word_book_rendered_once_and_cached(written: tuple) -> None:
    _, out, _ = written
    pdfs = list((out / ".intake-word-pdf").glob("*.pdf"))
    assert len(pdfs) == 1
    page, box = locate(pdfs[0], CELL_VALUE)
    assert page == 1 and box.width > 0 and box.height > 0


def test_rerun_reuses_crops_by_content_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    received = make_received(tmp_path / "received")
    out = tmp_path / "out"
    first = write_evidence(out, received, [record()])
    index = json.loads((out / "evidence" / "index.json").read_text(encoding="utf-8"))["crops"]
    assert len(index) == 4

    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a re-run over unchanged files renders nothing")

    monkeypatch.setattr("intake.evidence.crops._Renderer.render", no_rendering)
    monkeypatch.setattr("intake.evidence.office.subprocess.run", no_rendering)
    again = write_evidence(out, received, [record()])
    assert again.findings.keys() == first.findings.keys()
    monkeypatch.undo()

    # a changed picture changes its hash: only its crop is drawn again
    Image.new("RGB", (1000, 700), "white").save(received / PNG)
    changed = record().model_copy(update={"files": []})
    drawn: list[str] = []
    original = __import__("intake.evidence.crops", fromlist=["_Renderer"])._Renderer.render

    def counting(self: object, job: object) -> object:
        drawn.append(job.name)  # type: ignore[attr-defined]
        return original(self, job)  # type: ignore[arg-type]

    monkeypatch.setattr("intake.evidence.crops._Renderer.render", counting)
    write_evidence(out, received, [changed])
    assert drawn == [f"{changed.findings[1].id}-1.png"]


def test_needles_fold_widths_and_take_the_first_phrase() -> None:
    assert needles("填报单位意见及真实性承诺: 本申报表所有材料") == [
        "填报单位意见及真实性承诺:本申报表所有材料",
        "填报单位意见及真实性承诺",
    ]
    assert needles("（一）发展历程")[0] == "(一)发展历程"


def test_missing_word_book_pdf_loses_only_its_crop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    received = make_received(tmp_path / "received")
    monkeypatch.setattr("extractors.loaders.doc_loader.find_soffice", lambda: None)
    index = write_evidence(tmp_path / "out", received, [record()])
    sides = [c.side for c in index.of(record().findings[0])]
    assert sides == ["营业执照"], "the Word side has no crop without LibreOffice; the licence side still has"
    assert not any(DOCX in c.file for c in index.of(record().findings[0]))


def test_value_not_on_the_page_is_remembered_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.fields import Evidence
    from models.findings import Finding

    received = make_received(tmp_path / "received")
    lost = Finding(
        code="FORM_FIELD_MISSING",
        severity="warning",
        message="缺少联系人",
        submission_id="S-jia",
        evidence=[Evidence(file=DOCX, page=1, text="这段文字不在申报书里")],
    )
    rec = record(found=[lost])
    assert write_evidence(tmp_path / "out", received, [rec]).of(lost) == []

    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a crop that could not be drawn is not tried again for the same content")

    monkeypatch.setattr("intake.evidence.crops._Renderer.render", no_rendering)
    assert write_evidence(tmp_path / "out", received, [rec]).of(lost) == []


def test_blank_word_cell_is_found_by_its_label(tmp_path: Path) -> None:
    from models.fields import Evidence
    from models.findings import Finding

    received = make_received(tmp_path / "received")
    blank = Finding(
        code="FORM_FIELD_MISSING",
        severity="warning",
        message="表1“2020年服务收入”未填写",
        submission_id="S-jia",
        field="financials.2020.service_revenue",
        evidence=[Evidence(file=DOCX, page=1, cell="table 1 r2 c2", text="")],
    )
    crops = write_evidence(tmp_path / "out", received, [record(found=[blank])]).of(blank)
    assert [(c.side, c.page, c.text) for c in crops] == [("申报表", 1, "服务收入")]
    assert red_share(tmp_path / "out" / crops[0].rel) > 0.002


def test_text_over_two_lines_is_boxed_on_its_first(tmp_path: Path) -> None:
    import docx

    from intake.evidence.office import convert_all

    book = docx.Document()
    run = book.add_paragraph().add_run("填报单位意见及真实性承诺：")
    run.add_break()
    book.paragraphs[0].add_run("本申报表所有材料均真实")
    source = tmp_path / "承诺.docx"
    book.save(source)
    pdf = convert_all([(source, "abc")], tmp_path / "cache")["abc"]
    page, box = locate(pdf, "填报单位意见及真实性承诺: 本申报表所有材料均真实")
    _, one_line = locate(pdf, "填报单位意见及真实性承诺")
    assert page == 1
    assert box.height == pytest.approx(one_line.height, abs=1.0), "the box stays on the first line"


def test_value_printed_twice_is_found_in_its_own_cell(tmp_path: Path) -> None:
    import docx

    from intake.evidence.office import convert_all, occurrence

    book = docx.Document()
    book.add_paragraph("申报单位：山西甲制造有限公司")  # the cover names the company first
    table = book.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "企业名称", "山西甲制造有限公司"
    table.cell(1, 0).text, table.cell(1, 1).text = "专利总数", "9"
    source = tmp_path / "申报书.docx"
    book.save(source)
    pdf = convert_all([(source, "abc")], tmp_path / "cache")["abc"]
    skip = occurrence(source, "table 1 r1 c2", "山西甲制造有限公司")
    assert skip == 1
    _, cover = locate(pdf, "山西甲制造有限公司")
    _, cell = locate(pdf, "山西甲制造有限公司", skip)
    assert cell.y0 > cover.y1, "the form's cell, below the cover line"
    assert occurrence(source, "table 1 r2 c2", "9") == 0
    assert occurrence(source, "paragraph 99", "9") == 0  # an unknown place: the first printing


def test_a_file_that_fails_to_open_is_tried_again_next_run(tmp_path: Path) -> None:
    received = make_received(tmp_path / "received")
    photo = received / PNG
    kept = photo.read_bytes()
    # the content hash was taken when the batch read the photo, as the pipeline does
    entry = FileEntry(path=PNG, sha256=hashlib.sha256(kept).hexdigest())
    rec = record().model_copy(update={"files": [entry]})
    photo.write_bytes(b"")  # being copied: empty for a moment
    expired = rec.findings[1]
    assert write_evidence(tmp_path / "out", received, [rec]).of(expired) == []
    photo.write_bytes(kept)
    assert len(write_evidence(tmp_path / "out", received, [rec]).of(expired)) == 1


def test_crop_of_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """Discovery shows an undecodable name escaped (``\\xff``); the crop is drawn from the real
    file that display path leads back to."""
    import os

    from models.fields import BBox, Evidence
    from models.findings import Finding

    received = tmp_path / "in"
    folder = received / "太原市工业和信息化局"
    folder.mkdir(parents=True)
    image = Image.new("RGB", (800, 600), "white")
    real = os.path.join(os.fsencode(folder), b"licence\xff.png")
    with open(real, "wb") as handle:
        image.save(handle, format="PNG")
    shown = "太原市工业和信息化局/licence\\xff.png"
    finding = Finding(
        code="LICENSE_EXPIRED",
        severity="error",
        message="营业执照已过期",
        submission_id="S-jia",
        field="business_license.term_end",
        evidence=[Evidence(file=shown, page=1, bbox=BBox(x0=100, y0=100, x1=300, y1=140))],
    )
    index = write_evidence(tmp_path / "out", received, [record(found=[finding])])
    crops = index.of(finding)
    assert len(crops) == 1
    assert (tmp_path / "out" / crops[0].rel).is_file()


def test_crops_are_shared_out_by_file_in_page_order() -> None:
    """Parallel drawing keeps a file's crops in one process (its pages render once), gives
    the processes about equal shares, and each share goes page by page."""
    from intake.evidence.crops import _Job, _shares
    from models.fields import Evidence

    def job(file: str, page: int, n: int) -> _Job:
        return _Job(f"{file}-{page}-{n}.png", Evidence(file=file, page=page), "0" * 64, "材料")

    jobs = [job("a.pdf", p, n) for p in (3, 1) for n in range(4)]
    jobs += [job("b.pdf", 1, n) for n in range(5)] + [job("c.pdf", 2, n) for n in range(3)]
    shares = _shares(jobs, 2)
    assert sorted(len(s) for s in shares) == [8, 8]
    for share in shares:
        assert [(j.evidence.file, j.evidence.page) for j in share] == sorted(
            (j.evidence.file, j.evidence.page) for j in share
        )
    together = {frozenset(j.evidence.file for j in s) for s in shares}
    assert together == {frozenset({"a.pdf"}), frozenset({"b.pdf", "c.pdf"})}
