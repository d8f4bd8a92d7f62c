"""The OCR stage: fill every page that ``needs_ocr`` with blocks, tables and seals.

Pages are streamed: one page is rendered (scanned PDF, with pypdfium2) or decoded (image
frame), prepared, read, and dropped before the next, so a 100-page scanned book never
holds more than one page image. A page that cannot be rendered or read is left empty and
listed in ``Document.meta["ocr_failed_pages"]``; the rest of the document goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from extractors.ocr.base import OcrEngine
from extractors.ocr.engines import DEFAULT_ENGINE, get_engine
from extractors.ocr.grid import recover_tables
from extractors.ocr.layout import lines_to_blocks, mean_confidence
from extractors.ocr.preprocess import DEFAULT_DPI, read_upright, to_rgb
from extractors.ocr.seals import find_seals
from extractors.ocr.simplify import to_simplified
from models.document import BBox, Document, Page, Seal
from models.errors import FileReadError, IntakeError

log = logging.getLogger(__name__)

READ_SEAL_LEGENDS = True


def _pdf_pages(path: Path, numbers: list[int], dpi: int) -> Iterator[tuple[int, np.ndarray | Exception]]:
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
                    bitmap = page.render(scale=dpi / 72)
                    rgb = np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.uint8).copy()
                    bitmap.close()
                finally:
                    page.close()
            except Exception as exc:  # one bad page must not lose the book
                yield number, exc
                continue
            yield number, rgb
    finally:
        pdf.close()


def _image_frames(path: Path, numbers: list[int]) -> Iterator[tuple[int, np.ndarray | Exception]]:
    from extractors.loaders.image import frame, open_image

    with open_image(path) as image:
        for number in numbers:
            try:
                upright = frame(image, number - 1, path)
                rgb = to_rgb(upright)
            except FileReadError as exc:
                yield number, exc
                continue
            yield number, rgb


def page_images(
    path: Path, document: Document, numbers: list[int], dpi: int = DEFAULT_DPI
) -> Iterator[tuple[int, np.ndarray | Exception]]:
    """(page number, RGB image or the error that prevented it), one page at a time."""
    if document.source_kind == "pdf":
        yield from _pdf_pages(path, numbers, dpi)
    elif document.source_kind == "image":
        yield from _image_frames(path, numbers)
    else:
        for number in numbers:
            yield number, FileReadError("该类文件不支持文字识别", detail=document.source_kind)


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
    failed: list[str] = []
    photo = document.source_kind == "image"
    for number, image in page_images(Path(path), document, todo):
        if isinstance(image, Exception):
            log.warning("%s p%d: cannot render for OCR: %s", document.file, number, image)
            failed.append(str(number))
            continue
        started = time.perf_counter()
        try:
            done[number] = ocr_page(image, by_number[number], document.file, reader, photo=photo)
        except IntakeError:
            raise
        except Exception as exc:  # an engine crash on one page must not lose the book
            log.warning("%s p%d: OCR failed: %s", document.file, number, exc, exc_info=True)
            failed.append(str(number))
        finally:
            del image
        log.debug("%s p%d: OCR %.2fs", document.file, number, time.perf_counter() - started)
    pages = [done.get(p.number, p) for p in document.pages]
    meta = dict(document.meta)
    if failed:
        meta["ocr_failed_pages"] = ",".join(failed)
    return document.model_copy(update={"pages": pages, "meta": meta})
