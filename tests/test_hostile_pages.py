"""Issue 11 points 4 (page pixels) and 5: a page is capped in pixels before it is rendered,
and every page the OCR stage cannot read becomes a finding instead of a silent empty page."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import extractors.ocr.pages as pages
from extractors.ocr.pages import MAX_RENDER_PIXELS, MAX_RENDER_SIDE, render_scale
from intake.reading import read_file
from models.document import Page


def _blank_pdf(width_pt: int, height_pt: int, n_pages: int = 1) -> bytes:
    """A hand-written PDF of blank pages of any size (reportlab refuses absurd sizes)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(n_pages))
    objs = ["<</Type/Catalog/Pages 2 0 R>>", f"<</Type/Pages/Kids[{kids}]/Count {n_pages}>>"]
    objs += [f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width_pt} {height_pt}]>>"] * n_pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj{body}endobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer<</Size {len(objs) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@pytest.mark.parametrize(("w", "h"), [(8000, 8000), (14400, 14400), (14400, 200), (595, 842)])
def test_render_scale_caps_pixels_before_rendering(w: int, h: int) -> None:
    scale = render_scale(w, h, 200)
    assert max(w, h) * scale <= MAX_RENDER_SIDE + 1
    assert w * h * scale * scale <= MAX_RENDER_PIXELS * 1.001
    if (w, h) == (595, 842):
        assert scale == pytest.approx(200 / 72)  # an A4 page keeps the full resolution


def test_huge_blank_page_renders_within_the_cap_and_is_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(_blank_pdf(8000, 8000, n_pages=3))
    shapes: list[tuple[int, ...]] = []

    def fake_ocr(image: np.ndarray, page: Page, file: str, engine: object, *, photo: bool) -> Page:
        shapes.append(image.shape)
        return page.model_copy(update={"ocr_engine": "fake", "unit": "px"})

    monkeypatch.setattr(pages, "ocr_page", fake_ocr)
    result = read_file(path, "某市/huge.pdf", ocr_engine="replay")
    assert len(shapes) == 3
    assert all(h * w <= MAX_RENDER_PIXELS * 1.001 and max(h, w) <= MAX_RENDER_SIDE + 1 for h, w, _ in shapes)
    assert result.entry.status == "read"
    (finding,) = result.findings
    assert finding.code == "FILE_UNREADABLE" and finding.severity == "warning"
    assert "第 1–3 页" in finding.message and "尺寸过大" in finding.message
    assert [e.page for e in finding.evidence] == [1, 2, 3]


@pytest.mark.parametrize("size", [(20000, 8), (3, 3), (8, 9000)], ids=["wide-strip", "tiny", "tall-strip"])
def test_extreme_image_is_unreadable_with_the_reason(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "strip.png"
    Image.new("RGB", size, "white").save(path)
    result = read_file(path, "strip.png", ocr_engine="replay")
    assert result.entry.status == "unreadable"
    (finding,) = result.findings
    assert finding.code == "FILE_UNREADABLE" and "过小或过窄" in finding.message


def test_engine_crash_on_one_page_is_a_finding(tmp_path: Path) -> None:
    """Page 1 has a text layer, page 2 is a picture the (replay) engine has no answer for."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 12)
    for line in range(30):
        c.drawString(72, 780 - line * 20, f"Digital line {line} of the application book text layer")
    c.showPage()
    picture = Image.fromarray((np.random.default_rng(1).random((300, 200)) * 255).astype(np.uint8)).convert("RGB")
    c.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    path = tmp_path / "mixed.pdf"
    path.write_bytes(buf.getvalue())
    result = read_file(path, "mixed.pdf", ocr_engine="replay")
    assert result.entry.status == "read"
    (finding,) = result.findings
    assert finding.severity == "warning" and "第 2 页" in finding.message and "识别出错" in finding.message


def test_every_page_failing_makes_the_file_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.fromarray((np.random.default_rng(2).random((400, 300)) * 255).astype(np.uint8)).save(path)
    result = read_file(path, "scan.png", ocr_engine="replay")  # no recording: the engine fails
    assert result.entry.status == "unreadable"
    assert result.findings[0].severity == "error" and "识别出错" in result.findings[0].message
