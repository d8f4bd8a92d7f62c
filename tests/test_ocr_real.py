"""The real engines, end to end (slow): a real scanned letter and a turned generated page."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from extractors.ocr.engines import get_engine
from extractors.ocr.pages import ocr_document
from extractors.ocr.preprocess import read_upright, rotate
from models.document import Document, Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
bench = importlib.import_module("ocr_bench")

pytestmark = pytest.mark.slow


def test_real_scan_page_is_read_with_rapidocr(realdocs: Path) -> None:
    path = realdocs / "pdfplumber-cjk" / "pr-136-example.pdf"
    pages = [Page(number=1, width=612, height=842, has_text_layer=False, needs_ocr=True), Page(number=2)]
    doc = ocr_document(path, Document(file="pr-136-example.pdf", source_kind="pdf", pages=pages))
    first, second = doc.pages
    text = first.text()
    for word in ("天健", "会计师", "菲达环保", "上海证券交易所"):
        assert word in text
    assert first.ocr_engine == "rapidocr" and first.rotation == 0 and first.unit == "px"
    assert first.mean_confidence is not None and first.mean_confidence > 0.9
    (table,) = first.tables  # the guarantee table at the foot of the page
    header = [c.text for c in table.rows()[0]]
    assert header[:2] == ["被担保单位", "金融机构"] and table.n_cols == 6
    assert second.blocks == [] and second.ocr_engine is None  # not asked for: not rendered


def test_turned_page_is_uprighted_by_rapidocr() -> None:
    page, _ = bench.render_text_page(["关于组织开展服务型制造示范申报工作的通知", bench.FALLBACK_TEXT], dpi=150)
    page = np.ascontiguousarray(page[: page.shape[0] // 4])
    prepared = read_upright(rotate(page, 90), get_engine("rapidocr"))
    assert prepared.rotation == 270
    assert "服务型制造" in "".join(ln.text for ln in prepared.lines)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_tesseract_reads_a_line() -> None:
    page, _ = bench.render_text_page(["营业执照统一社会信用代码"], dpi=200, pt=16)
    lines = get_engine("tesseract").read(np.ascontiguousarray(page[:300]))
    text = "".join(ln.text for ln in lines)
    assert "营业执照" in text
    assert all(0 <= ln.confidence <= 1 for ln in lines)
