"""The OCR stage: fill every page that ``needs_ocr`` with blocks, tables and seals.

Pages are streamed: one page is rendered (scanned PDF, with pypdfium2) or decoded (image
frame), prepared, read, and dropped before the next, so a 100-page scanned book never
holds more than one page image. A page that cannot be rendered or read is left empty and
listed in ``Document.meta["ocr_failed_pages"]``, with its Chinese reason in
``meta["ocr_failed_reasons"]`` (JSON, page → reason), which ``intake.reading`` turns into a
finding; the rest of the document goes on.

Every page is capped in pixels before it is rendered or handed on: a PDF page of any size in
points renders within ``MAX_RENDER_SIDE`` and ``MAX_RENDER_PIXELS`` (an 8000 pt page would
otherwise take gigabytes at 200 dpi), a photo is reduced to the same bound after decoding, and
a page so large that its text cannot be read at that bound is noted in
``meta["ocr_coarse_pages"]`` (page → dpi).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from extractors.ocr.base import OcrEngine
from extractors.ocr.engines import DEFAULT_ENGINE, get_engine
from extractors.ocr.grid import recover_tables
from extractors.ocr.layout import lines_to_blocks, mean_confidence
from extractors.ocr.preprocess import DEFAULT_DPI, MAX_SIDE, read_upright, to_rgb
from extractors.ocr.seals import find_seals
from extractors.ocr.simplify import to_simplified
from models.document import BBox, Document, Page, Seal
from models.errors import FileReadError, IntakeError

log = logging.getLogger(__name__)

READ_SEAL_LEGENDS = True

MAX_RENDER_SIDE = 2 * MAX_SIDE  # px; read_upright shrinks to MAX_SIDE anyway
MAX_RENDER_PIXELS = 12_000_000  # A3 at 200 dpi is 7.7 Mpx; larger pages render at a lower dpi
MIN_PAGE_SIDE = 16  # px; a thinner page or picture holds no line of text
MIN_READABLE_DPI = 60  # below this, body text (10.5 pt) is under 9 px high

MSG_PAGE_TOO_THIN = "页面或图片过小或过窄（{w}×{h} 像素），无法识别文字"
MSG_RENDER_FAILED = "该页无法渲染为图像（{kind}），未能识别文字"
MSG_OCR_FAILED = "该页文字识别出错（{kind}）"


class PageFailure(Exception):
    """A page that cannot be OCR'd, with the Chinese reason for the reviewer."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def render_scale(width_pt: float, height_pt: float, dpi: float) -> float:
    """The render scale (pixels per point) for a page: ``dpi`` unless that would exceed
    ``MAX_RENDER_SIDE`` or ``MAX_RENDER_PIXELS``; computed before anything is allocated."""
    scale = dpi / 72.0
    side = max(width_pt, height_pt, 1e-6)
    area = max(width_pt * height_pt, 1e-6)
    return min(scale, MAX_RENDER_SIDE / side, math.sqrt(MAX_RENDER_PIXELS / area))


def _check_shape(number: int, width: int, height: int) -> None:
    if min(width, height) < MIN_PAGE_SIDE:
        raise PageFailure(MSG_PAGE_TOO_THIN.format(w=width, h=height), f"page {number}: {width}x{height} px")


def _bitmap_rgb(bitmap: Any) -> np.ndarray:
    """A pypdfium2 bitmap as an RGB array of its own: rendered in RGB order, it is copied
    once out of PDFium's buffer (through PIL it took three copies and a channel swap, for
    the same pixels)."""
    if bitmap.mode in ("RGB", "RGBA", "RGBX"):
        return np.array(bitmap.to_numpy()[:, :, :3])
    return np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.uint8).copy()


def _pdf_pages(path: Path, numbers: list[int], dpi: int) -> Iterator[tuple[int, np.ndarray | PageFailure]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise FileReadError("PDF 文件无法打开，扫描页无法识别", detail=f"{path.name}: {exc}") from exc
    try:
        for number in numbers:
            try:
                page = pdf[number - 1]
                try:
                    width_pt, height_pt = page.get_size()
                    scale = render_scale(width_pt, height_pt, dpi)
                    _check_shape(number, round(width_pt * scale), round(height_pt * scale))
                    bitmap = page.render(scale=scale, rev_byteorder=True)
                    try:
                        rgb = _bitmap_rgb(bitmap)
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            except PageFailure as exc:
                yield number, exc
                continue
            except Exception as exc:  # one bad page must not lose the book
                yield number, PageFailure(MSG_RENDER_FAILED.format(kind=type(exc).__name__), str(exc))
                continue
            yield number, rgb
    finally:
        pdf.close()


def _image_frames(path: Path, numbers: list[int]) -> Iterator[tuple[int, np.ndarray | PageFailure]]:
    from PIL import Image

    from extractors.loaders.image import frame, open_image

    with open_image(path) as image:
        for number in numbers:
            try:
                upright = frame(image, number - 1, path)
                _check_shape(number, upright.width, upright.height)
                scale = render_scale(upright.width, upright.height, 72.0)
                if scale < 1.0:  # a new, smaller image; the opened frame stays as it is
                    size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
                    upright = upright.resize(size, Image.Resampling.BOX)
                rgb = to_rgb(upright)
            except FileReadError as exc:
                yield number, PageFailure(exc.message, exc.detail)
                continue
            except PageFailure as exc:
                yield number, exc
                continue
            yield number, rgb


def page_images(
    path: Path, document: Document, numbers: list[int], dpi: int = DEFAULT_DPI
) -> Iterator[tuple[int, np.ndarray | PageFailure]]:
    """(page number, RGB image or the reason it could not be made), one page at a time."""
    if document.source_kind == "pdf":
        yield from _pdf_pages(path, numbers, dpi)
    elif document.source_kind == "image":
        yield from _image_frames(path, numbers)
    else:
        for number in numbers:
            yield number, PageFailure("该类文件不支持文字识别", document.source_kind)


def _dpi_of(page: Page, image: np.ndarray) -> float | None:
    """The render resolution of a PDF page (its size is in points); None for a photo or a
    scan file, whose resolution the pixels alone do not tell (seals then assume A4)."""
    if page.unit != "pt" or not page.width or not page.height:
        return None
    return max(image.shape[:2]) / (max(page.width, page.height) / 72.0)


def ocr_page(image: np.ndarray, page: Page, file: str, engine: OcrEngine, *, photo: bool) -> Page:
    """One page image → the page filled: upright size in px, blocks, tables, seals."""
    prepared = read_upright(image, engine, photo=photo)
    lines = [line.model_copy(update={"text": to_simplified(line.text)}) for line in prepared.lines]
    blocks = lines_to_blocks(lines, file=file, page=page.number, engine=engine.name)
    tables = recover_tables(prepared.for_ocr, lines, page.number, file, engine.name)
    seals = find_seals(prepared.upright, page.number, engine if READ_SEAL_LEGENDS else None, dpi=_dpi_of(page, image))
    height, width = prepared.upright.shape[:2]
    seals += _loader_seals(page, seals, width, prepared.rotation)
    return page.model_copy(
        update={
            "width": float(width),
            "height": float(height),
            "unit": "px",
            "blocks": blocks,
            "tables": tables,
            "seals": seals,
            "ocr_engine": engine.name,
            "rotation": prepared.rotation,
            "mean_confidence": mean_confidence(lines),
        }
    )


def _loader_seals(page: Page, found: list[Seal], width: int, rotation: int) -> list[Seal]:
    """Seals the loader found in the PDF's objects (in points) that the image search did not
    find, moved to the pixels of the upright page (box dropped when the page was turned)."""
    if page.unit != "pt" or not page.width:
        return []
    scale = width / page.width if rotation in (0, 180) else 0.0
    extra = []
    for seal in page.seals:
        box = seal.bbox
        if box is None or rotation != 0 or scale == 0.0:
            extra.append(seal.model_copy(update={"bbox": None}))
            continue
        moved = BBox(x0=box.x0 * scale, y0=box.y0 * scale, x1=box.x1 * scale, y1=box.y1 * scale)
        if not any(s.bbox is not None and _overlaps(moved, s.bbox) for s in found):
            extra.append(seal.model_copy(update={"bbox": moved}))
    return extra


def _overlaps(a: BBox, b: BBox) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def ocr_document(path: Path, document: Document, engine: str = DEFAULT_ENGINE) -> Document:
    """A copy of ``document`` whose ``needs_ocr`` pages (not yet read) are OCR'd.

    Raises ``ConfigError``/``DependencyMissing`` for an unusable engine and
    ``FileReadError`` when the file cannot be opened at all."""
    todo = [p.number for p in document.pages if p.needs_ocr and p.ocr_engine is None]
    if not todo:
        return document
    reader = get_engine(engine)
    by_number = {p.number: p for p in document.pages}
    done: dict[int, Page] = {}
    failed: dict[str, str] = {}
    coarse: dict[str, int] = {}
    photo = document.source_kind == "image"
    for number, image in page_images(Path(path), document, todo):
        if isinstance(image, PageFailure):
            log.warning("%s p%d: cannot render for OCR: %s (%s)", document.file, number, image.message, image.detail)
            failed[str(number)] = image.message
            continue
        started = time.perf_counter()
        page = by_number[number]
        try:
            done[number] = ocr_page(image, page, document.file, reader, photo=photo)
        except IntakeError:
            raise
        except Exception as exc:  # an engine crash on one page must not lose the book
            log.warning("%s p%d: OCR failed: %s", document.file, number, exc, exc_info=True)
            failed[str(number)] = MSG_OCR_FAILED.format(kind=type(exc).__name__)
        else:
            dpi = _dpi_of(page, image)
            if dpi is not None and dpi < MIN_READABLE_DPI:
                coarse[str(number)] = round(dpi)
        finally:
            del image
        log.debug("%s p%d: OCR %.2fs", document.file, number, time.perf_counter() - started)
    pages = [done.get(p.number, p) for p in document.pages]
    meta = dict(document.meta)
    if failed:
        meta["ocr_failed_pages"] = ",".join(failed)
        meta["ocr_failed_reasons"] = json.dumps(failed, ensure_ascii=False)
    if coarse:
        meta["ocr_coarse_pages"] = json.dumps(coarse)
    return document.model_copy(update={"pages": pages, "meta": meta})
