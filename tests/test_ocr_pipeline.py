"""The page pipeline on generated pages, read by the replay engine (recorded RapidOCR output).

Re-record after changing preprocessing: ``INTAKE_OCR_RECORD=rapidocr .venv/bin/pytest
tests/test_ocr_pipeline.py`` (missing recordings are then read with RapidOCR and written).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.loaders.image import IMAGE_LOADERS
from extractors.ocr.base import OcrLine
from extractors.ocr.grid import recover_tables
from extractors.ocr.layout import reading_order
from extractors.ocr.pages import ocr_document
from extractors.ocr.preprocess import (
    estimate_skew,
    flatten_photo,
    read_upright,
    red_mask,
    rotate,
    rotation_from_lines,
    suppress_red,
)
from extractors.ocr.replay import ReplayEngine
from extractors.ocr.seal_legend import ink_only, vote
from extractors.ocr.seals import find_seals
from models.document import BBox, Document, Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
bench = importlib.import_module("ocr_bench")

TITLE = "关于组织开展服务型制造示范申报工作的通知"
BODY = "申报单位应在中华人民共和国境内注册，具有独立法人资格，近三年未发生重大安全、质量和环境污染事故。"


@pytest.fixture(scope="module")
def engine() -> ReplayEngine:
    from extractors.ocr.engines import get_engine

    # the registry's replay engine: with INTAKE_OCR_RECORD set it records what is missing
    replay = get_engine("replay")
    assert isinstance(replay, ReplayEngine)
    return replay


@pytest.fixture(scope="module")
def text_page() -> np.ndarray:
    page, _ = bench.render_text_page([TITLE, BODY, BODY], dpi=150)
    return np.ascontiguousarray(page[: page.shape[0] // 3])


def squash(text: str) -> str:
    return bench.squash(text)


@pytest.mark.parametrize(("turned", "fix"), [(0, 0), (90, 270), (180, 180)])
def test_rotation_is_detected_and_the_text_read(text_page, engine, turned: int, fix: int) -> None:
    prepared = read_upright(rotate(text_page, turned), engine)
    assert prepared.rotation == fix
    text = squash("".join(ln.text for ln in reading_order(prepared.lines)))
    assert squash(TITLE) in text
    assert bench.cer(TITLE + BODY + BODY, text) < 0.05


def test_small_skew_is_measured(text_page) -> None:
    import cv2

    h, w = text_page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 3.0, 1.0)  # counter-clockwise: text rises
    turned = cv2.warpAffine(text_page, m, (w, h), borderValue=(255, 255, 255))
    assert estimate_skew(turned) == pytest.approx(3.0, abs=0.4)
    assert estimate_skew(text_page) == pytest.approx(0.0, abs=0.3)


@pytest.fixture(scope="module")
def sealed_page(text_page) -> tuple[np.ndarray, tuple[int, int, int]]:
    pil = Image.fromarray(text_page.copy())
    cx, cy, r = pil.width // 3, pil.height // 3, 110
    bench.draw_seal(pil, cx, cy, r, "山西晋阳智能装备有限公司")
    return np.asarray(pil), (cx, cy, r)


def test_seal_over_text_is_found(sealed_page) -> None:
    image, (cx, cy, r) = sealed_page
    (seal,) = find_seals(image, 3)
    assert seal.page == 3 and seal.score >= 0.5 and seal.bbox is not None
    assert abs(seal.bbox.cx - cx) < 0.15 * r and abs(seal.bbox.cy - cy) < 0.15 * r
    assert seal.bbox.width == pytest.approx(2 * r, rel=0.15)


def test_no_seal_on_plain_text_nor_in_a_red_title(text_page) -> None:
    assert find_seals(text_page, 1) == []
    pil = Image.fromarray(text_page.copy())
    pil.paste((210, 20, 30), (40, 20, 900, 90))  # a red 红头 banner
    assert find_seals(np.asarray(pil), 1) == []


def test_seam_seal_slices_at_the_page_edge(text_page) -> None:
    """A 骑缝章 leaves a strip of a seal flush with the page edge: found as a slice, never as
    a seal; a red rule down the margin is no slice."""
    h, w = text_page.shape[:2]
    pil = Image.new("RGB", (w + 120, h), "white")
    pil.paste(Image.fromarray(text_page), (0, 0))
    bench.draw_seal(pil, w + 120 + 40, h // 2, 110, "山西晋阳智能装备有限公司")  # mostly off the page
    (part,) = find_seals(np.asarray(pil), 2)
    assert part.edge == "right" and part.page == 2 and part.bbox is not None
    assert part.bbox.x1 >= w + 110 and 0.5 * 110 <= part.bbox.height <= 2 * 110
    ruled = Image.fromarray(text_page.copy())
    ruled.paste((210, 20, 30), (w - 6, 0, w, h))  # a red rule the whole height of the page
    assert find_seals(np.asarray(ruled), 1) == []


def test_red_suppression_helps_reading_under_a_seal(sealed_page, engine) -> None:
    image, _ = sealed_page
    cleaned = suppress_red(image)
    assert not red_mask(cleaned).any()
    truth = TITLE + BODY + BODY
    raw = bench.cer(truth, "".join(ln.text for ln in reading_order(engine.read(image))))
    clean = bench.cer(truth, "".join(ln.text for ln in reading_order(engine.read(cleaned))))
    assert clean <= raw
    assert clean < 0.05


@pytest.fixture(scope="module")
def form() -> tuple[np.ndarray, dict]:
    image, cells = bench.render_form_table(dpi=150)
    return np.ascontiguousarray(image[: image.shape[0] // 3]), cells


def test_ruled_form_becomes_the_cell_grid(form, engine) -> None:
    image, expected = form
    (table,) = recover_tables(image, engine.read(image), 2, "a/book.pdf", "replay")
    assert (table.n_rows, table.n_cols) == (5, 5)
    got = {(c.row, c.col): (c.rowspan, c.colspan, squash(c.text)) for c in table.cells}
    assert got == {k: (rs, cs, squash(t)) for k, (rs, cs, t) in expected.items()}
    cell = next(c for c in table.cells if c.text == "王建国")
    assert cell.prov.method == "ocr" and cell.prov.page == 2 and cell.prov.cell == "table 1 r2 c4"
    assert [c.text for c in table.rows()[3]] == ["张三", "传真", ""]  # 联系人 spans rows 2-3


def test_a_line_across_a_cell_border_is_split(form) -> None:
    image, _ = form
    (table,) = recover_tables(image, [], 1, "f", None)
    left = next(c for c in table.cells if (c.row, c.col) == (1, 1)).prov.bbox
    right = next(c for c in table.cells if (c.row, c.col) == (1, 2)).prov.bbox
    assert left is not None and right is not None
    # one OCR line "民营法定代表人" whose first two glyphs sit in the left cell
    width = right.x1 - left.x1 + 2 * (left.x1 - left.x0) / 7
    x0 = left.x1 - 2 * width / 7
    line = OcrLine(
        text="民营法定代表人", bbox=BBox(x0=x0, y0=left.y0 + 5, x1=x0 + width, y1=left.y1 - 5), confidence=0.9
    )
    (table,) = recover_tables(image, [line], 1, "f", None)
    texts = {(c.row, c.col): c.text for c in table.cells}
    assert texts[(1, 1)] == "民营" and texts[(1, 2)] == "法定代表人"
    assert texts[(0, 0)] == ""


def test_photo_is_flattened_to_the_page() -> None:
    import random

    page = bench.render_license(bench.license_fields(random.Random(3)), dpi=100)
    photo = bench.photograph(page, random.Random(3))
    flat = flatten_photo(photo)
    assert flat.shape[0] < photo.shape[0] and flat.shape[1] < photo.shape[1]
    # no desk left at the corners, and the sheet keeps roughly its shape (perspective
    # foreshortening is not undone exactly without the camera's geometry)
    corners = [flat[5, 5], flat[5, -6], flat[-6, 5], flat[-6, -6]]
    assert all(c.mean() > 150 for c in corners)
    assert flat.shape[1] / flat.shape[0] == pytest.approx(page.shape[1] / page.shape[0], rel=0.15)


def test_reading_order_is_rows_then_columns() -> None:
    def line(text: str, x: float, y: float) -> OcrLine:
        return OcrLine(text=text, bbox=BBox(x0=x, y0=y, x1=x + 80, y1=y + 20), confidence=1.0)

    lines = [line("住所", 500, 102), line("名称", 10, 100), line("类型", 10, 140), line("注册资本", 500, 98)]
    assert [ln.text for ln in reading_order(lines)] == ["名称", "注册资本", "住所", "类型"]


def test_ocr_document_fills_an_image_file(tmp_path: Path, text_page, sealed_page) -> None:
    path = tmp_path / "licence.png"
    Image.fromarray(sealed_page[0]).save(path)
    doc = IMAGE_LOADERS[0].load(path, "x/licence.png")
    out = ocr_document(path, doc, engine="replay")
    (page,) = out.pages
    assert page.ocr_engine == "replay" and page.unit == "px" and page.rotation == 0
    assert squash(TITLE) in squash(page.text())
    assert page.mean_confidence is not None and page.mean_confidence > 0.9
    block = page.blocks[0]
    assert block.prov.method == "ocr" and block.prov.engine == "replay" and block.prov.file == "x/licence.png"
    (seal,) = page.seals
    assert seal.text == "山西晋阳智能装备有限公司"  # legend unrolled from the ring
    assert ocr_document(path, out, engine="replay") is out  # already read: nothing to do


def test_ocr_document_renders_only_scanned_pdf_pages(tmp_path: Path, text_page) -> None:
    path = tmp_path / "scan.pdf"
    Image.fromarray(text_page).save(path, "PDF", resolution=150)
    pages = [Page(number=1, width=595, height=280, has_text_layer=False, needs_ocr=True)]
    doc = Document(file="scan.pdf", source_kind="pdf", pages=pages)
    (page,) = ocr_document(path, doc, engine="replay").pages
    assert page.unit == "px" and page.width == pytest.approx(text_page.shape[1] * 200 / 150, abs=2)
    assert squash(TITLE) in squash(page.text())


def test_unrenderable_page_is_listed_not_fatal(tmp_path: Path, text_page) -> None:
    path = tmp_path / "scan.pdf"
    Image.fromarray(text_page).save(path, "PDF", resolution=150)
    pages = [Page(number=1, needs_ocr=True), Page(number=7, needs_ocr=True)]
    out = ocr_document(path, Document(file="scan.pdf", source_kind="pdf", pages=pages), engine="replay")
    assert out.meta["ocr_failed_pages"] == "7"
    assert out.pages[0].blocks and not out.pages[1].blocks


def test_loader_seals_move_to_pixels_unless_found_again() -> None:
    from extractors.ocr.pages import _loader_seals
    from models.document import Seal

    pdf_seal = Seal(page=1, bbox=BBox(x0=100, y0=100, x1=172, y1=172), source="pdf-image")
    page = Page(number=1, width=595, height=842, unit="pt", seals=[pdf_seal], needs_ocr=True)
    (moved,) = _loader_seals(page, [], width=1190, rotation=0)
    assert moved.bbox == BBox(x0=200, y0=200, x1=344, y1=344) and moved.source == "pdf-image"
    found = Seal(page=1, bbox=BBox(x0=210, y0=190, x1=350, y1=340))
    assert _loader_seals(page, [found], width=1190, rotation=0) == []
    (turned,) = _loader_seals(page, [], width=1684, rotation=90)
    assert turned.bbox is None


def test_seal_inside_a_red_page_frame_is_found(sealed_page) -> None:
    """事业单位法人证书 have a red frame round the page: the frame is one blob whose hole
    holds the seals, which an outer-contours-only search never returned."""
    image, (cx, cy, r) = sealed_page
    framed = image.copy()
    h, w = framed.shape[:2]
    for sl in (
        np.s_[4:10, 4 : w - 4],
        np.s_[h - 10 : h - 4, 4 : w - 4],
        np.s_[4 : h - 4, 4:10],
        np.s_[4 : h - 4, w - 10 : w - 4],
    ):
        framed[sl] = (180, 30, 30)
    (seal,) = find_seals(framed, 1)  # the frame is too large; the star and legend are inside the seal
    assert seal.bbox is not None and abs(seal.bbox.cx - cx) < 0.15 * r and abs(seal.bbox.cy - cy) < 0.15 * r


def test_legend_reads_are_voted_character_by_character() -> None:
    reads = [
        ("大同市平城区市场监济管理局", 0.90),
        ("大同市平城区市场监督管押局", 0.90),
        ("大同市平城区市场监督管理局", 0.94),
        ("大同市平城区市场监督管理", 0.95),  # a short read does not vote
    ]
    assert vote(reads) == ("大同市平城区市场监督管理局", pytest.approx(0.94))
    assert vote([]) is None


def test_pale_blurred_legend_ink_is_kept_and_black_print_dropped() -> None:
    """A blurred photo turns the legend's thin strokes pale pink (below any saturation
    threshold of the red mask): they must stay dark in the legend image; black print and
    paper must turn white."""
    patch = np.full((40, 40, 3), 235, np.uint8)
    patch[5:10] = (214, 32, 38)  # solid seal ink (the ring)
    patch[15:20] = (235, 175, 180)  # pale pink stroke
    patch[25:30] = (40, 40, 40)  # black print
    grey = ink_only(patch)[..., 0]
    assert grey[7].max() < 60 and grey[17].max() < 200
    assert grey[27].min() == 255 and grey[35].min() == 255


# --- the fast paths give what the plain ones gave ----------------------------------------


class _Probe:
    """An engine whose single-line reads are counted and read as garbage."""

    name = "probe"

    def __init__(self) -> None:
        self.line_reads = 0

    def read(self, image: np.ndarray) -> list[OcrLine]:
        return []

    def read_line(self, image: np.ndarray) -> OcrLine | None:
        self.line_reads += 1
        return OcrLine(text="x", bbox=BBox(x0=0, y0=0, x1=1, y1=1), confidence=0.1)


def _long_line(y: float, turned: bool | None, confidence: float = 0.97) -> OcrLine:
    return OcrLine(
        text="申报单位基本情况", bbox=BBox(x0=50, y0=y, x1=650, y1=y + 30), confidence=confidence, turned=turned
    )


def test_rotation_vote_takes_the_engines_unturned_lines_without_reading_them_again() -> None:
    page = np.full((400, 700, 3), 255, np.uint8)
    probe = _Probe()
    lines = [_long_line(y, turned=False) for y in (40, 120, 200)]
    assert rotation_from_lines(page, lines, probe) == 0 and probe.line_reads == 0
    # a line the classifier turned, or one the engine does not describe, is read again as before
    for turned in (True, None):
        probe = _Probe()
        rotation_from_lines(page, [_long_line(y, turned=turned) for y in (40, 120)], probe)
        assert probe.line_reads == 4  # 0° and 180° for each of the two lines
    probe = _Probe()
    rotation_from_lines(page, [_long_line(40, turned=False, confidence=0.5), _long_line(120, turned=False)], probe)
    assert probe.line_reads == 2  # only the unsure line


def _suppress_red_reference(image: np.ndarray) -> np.ndarray:
    """suppress_red as first written: boolean masks over the whole page."""
    mask = red_mask(image) > 0
    if not mask.any():
        return image.copy()
    out = image.copy()
    paper = np.median(image[~mask].reshape(-1, 3)[::97], axis=0) if (~mask).any() else np.full(3, 255)
    red = image[..., 0][mask].astype(np.float32)
    grey = np.clip(red * 255.0 / 215.0, 0, 255)[:, None].repeat(3, axis=1)
    out[mask] = np.where(grey >= 170, paper[None, :], grey).astype(np.uint8)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_red_suppression_matches_the_whole_page_masks(seed: int, sealed_page) -> None:
    rng = np.random.default_rng(seed)
    image = sealed_page[0].copy()
    h, w = image.shape[:2]
    for _ in range(30):  # red specks and stripes anywhere, the page corners included
        y, x = int(rng.integers(0, h - 8)), int(rng.integers(0, w - 8))
        image[y : y + int(rng.integers(1, 8)), x : x + int(rng.integers(1, 8))] = rng.integers(120, 256), 20, 30
    image[0, 0] = image[-1, -1] = (230, 10, 10)
    assert np.array_equal(suppress_red(image), _suppress_red_reference(image))
    all_red = np.full((7, 9, 3), (220, 20, 30), np.uint8)
    assert np.array_equal(suppress_red(all_red), _suppress_red_reference(all_red))


def test_blobs_found_in_the_ink_window_are_those_of_the_whole_page() -> None:
    import cv2

    from extractors.ocr.seal_blobs import erase_rules, ink_blobs, ink_window

    rng = np.random.default_rng(7)
    mask = np.zeros((500, 400), np.uint8)
    for _ in range(40):
        y, x = int(rng.integers(0, 500)), int(rng.integers(0, 400))
        mask[y : y + int(rng.integers(1, 30)), x : x + int(rng.integers(1, 30))] = 255
    mask[490:, 395:] = 255  # ink at the page corner
    mask[100:103, 20:300] = 255  # a rule
    for join in (3, 11, 25):
        closed = cv2.dilate(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((join, join), np.uint8)), np.ones((3, 3)))
        count, labels = cv2.connectedComponents(closed, connectivity=8)
        whole = sorted(
            tuple(map(tuple, np.argwhere((labels == k) & (mask > 0))[:, ::-1].tolist())) for k in range(1, count)
        )
        found = sorted(tuple(map(tuple, points.tolist())) for points in ink_blobs(mask, join))
        assert found == whole
    rows, cols = ink_window(np.zeros((10, 10), np.uint8), 5)
    assert (rows.stop - rows.start, cols.stop - cols.start) == (0, 0)
    length = 40
    erased = mask.copy()
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        erased[cv2.dilate(runs, np.ones((3, 3), np.uint8), iterations=2) > 0] = 0
    assert np.array_equal(erase_rules(mask, length / 25.0), erased)  # no slanted line to find here


def test_skew_search_matches_the_float_masks(text_page) -> None:
    import cv2

    def reference(image: np.ndarray, limit: float = 10.0) -> float:
        gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        ink = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
        ink = ink.astype(np.float32)
        h, w = ink.shape

        def sharpness(angle: float) -> float:
            m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
            profile = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
            return float(np.square(np.diff(profile)).sum())

        coarse = max(np.arange(-limit, limit + 0.5, 1.0), key=sharpness)
        fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.1), key=sharpness)
        return 0.0 if sharpness(fine) < 1.15 * sharpness(0.0) else round(float(fine), 1)

    h, w = text_page.shape[:2]
    for angle in (-4.3, 0.0, 1.7, 6.0):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(text_page, m, (w, h), borderValue=(255, 255, 255))
        assert estimate_skew(turned) == reference(turned)


def test_pdf_page_renders_to_the_same_pixels_as_through_pil(tmp_path: Path, sealed_page) -> None:
    import pypdfium2 as pdfium

    from extractors.ocr.pages import _bitmap_rgb

    path = tmp_path / "scan.pdf"
    Image.fromarray(sealed_page[0]).save(path, "PDF", resolution=150)
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    plain = page.render(scale=200 / 72)
    fast = page.render(scale=200 / 72, rev_byteorder=True)
    try:
        expected = np.asarray(plain.to_pil().convert("RGB"), dtype=np.uint8)
        got = _bitmap_rgb(fast)
        assert got.flags.c_contiguous and got.flags.writeable
        assert np.array_equal(got, expected) and np.array_equal(_bitmap_rgb(plain), expected)
    finally:
        plain.close()
        fast.close()
        page.close()
        pdf.close()


@pytest.mark.slow
def test_rapidocr_says_which_lines_it_turned_so_an_upright_page_is_read_once(text_page) -> None:
    from extractors.ocr.engines import get_engine

    rapid = get_engine("rapidocr")
    upright = rapid.read(text_page)
    assert upright and all(line.turned is False for line in upright)
    upside_down = rapid.read(rotate(text_page, 180))
    assert sum(line.turned is True for line in upside_down) > len(upside_down) / 2
    assert all(line.turned is False for line in rapid.read_uncorrected(text_page))  # no classifier: none turned

    class Counting:
        name = "rapidocr"

        def __init__(self) -> None:
            self.line_reads = 0

        def read(self, image: np.ndarray) -> list[OcrLine]:
            return rapid.read(image)

        def read_line(self, image: np.ndarray) -> OcrLine | None:
            self.line_reads += 1
            return rapid.read_line(image)

    counting = Counting()
    assert read_upright(text_page, counting).rotation == 0 and counting.line_reads == 0
    assert read_upright(rotate(text_page, 180), counting).rotation == 180 and counting.line_reads > 0
