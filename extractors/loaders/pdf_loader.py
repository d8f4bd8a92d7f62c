"""Digital PDF → ``Document``, one page at a time.

Text comes from pypdfium2 (fast, and it reads CID/CFF fonts that pdfminer cannot; see
``pdf_text``). Ruled tables are found on pages that draw at least a few paths, from the
paths' own segments (``pdf_tables``), with pdfplumber as the fallback; each cell's text is
taken from the pypdfium2 characters inside its box. Pages without a usable text layer
(scans, invisible OCR layers, garbled fonts) come back with ``needs_ocr=True`` and no
blocks. Coordinates: PDF points, origin top-left.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.loaders import safety
from extractors.loaders.pdf_tables import (
    IDENTITY,
    Matrix,
    PathObjects,
    Plumber,
    build_tables,
    compose,
    find_ruled_tables,
    object_matrix,
)
from extractors.loaders.pdf_text import (
    RENDER_MODE_INVISIBLE,
    Transform,
    display_size,
    make_blocks,
    page_transform,
    read_chars,
    to_box,
)
from models.document import BBox, Document, Page, Seal
from models.errors import FileReadError

log = logging.getLogger(__name__)

NEGLIGIBLE_CHARS = 8  # fewer visible characters than this: no text layer worth keeping
STAMPED_SCAN_CHARS = 40  # a full-page image with at most this much text is a scan
GARBLED_SHARE = 0.3

MSG_CORRUPT = "PDF 文件已损坏或不完整，无法打开；请申报单位重新提供"
MSG_NO_PAGES = "PDF 文件没有任何页面"


@dataclass
class _Objects:
    """What a page draws, from one pass over its objects (and one level of forms)."""

    paths: PathObjects = field(default_factory=PathObjects)
    invisible_text: bool = False
    images: list[tuple[Any, BBox]] = field(default_factory=list)


def scan_objects(page: pdfium.PdfPage, tf: Transform) -> _Objects:
    """One pass over the page's objects: paths (kept for the table finder), whether any
    text is invisible, and the images with their displayed boxes."""
    found = _Objects()
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    corners = tuple(ctypes.byref(v) for v in (left, bottom, right, top))
    stack: list[tuple[Any, bool, Matrix]] = [(page.raw, False, IDENTITY)]
    while stack:
        holder, is_form, outer = stack.pop()
        count_fn = pdfium_c.FPDFFormObj_CountObjects if is_form else pdfium_c.FPDFPage_CountObjects
        get_fn = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
        for i in range(max(count_fn(holder), 0)):
            obj = get_fn(holder, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                # bounds are in the holder's space: good enough to tell thin from thick
                has_bounds = pdfium_c.FPDFPageObj_GetBounds(obj, *corners)
                bounds = (left.value, bottom.value, right.value, top.value) if has_bounds else None
                found.paths.add(obj, outer, bounds)
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
                found.invisible_text |= mode == RENDER_MODE_INVISIBLE
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and not is_form:
                stack.append((obj, True, compose(object_matrix(obj), outer)))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *corners):
                box = to_box(tf, left.value, bottom.value, right.value, top.value)
                found.images.append((obj, box))
    return found


def find_seals(page: pdfium.PdfPage, images: list[tuple[Any, BBox]], number: int) -> list[Seal]:
    """Red-dominant, seal-sized embedded images (electronic seals of digital PDFs)."""
    width, height = page.get_size()
    seals: list[Seal] = []
    for raw_obj, box in images:
        if box.width * box.height > 0.3 * width * height:
            continue
        if not (15 <= box.width <= 350 and 15 <= box.height <= 350):
            continue
        if not 0.4 <= box.width / max(box.height, 1e-6) <= 2.5:
            continue
        try:
            image = pdfium.PdfImage(raw_obj, page=page, pdf=page.pdf)
            px_w, px_h = image.get_px_size()
            if px_w * px_h > 16_000_000:
                continue
            img = image.get_bitmap(render=True).to_pil()
            img.thumbnail((160, 160))
            red = safety.red_share_of(img)
        except (pdfium.PdfiumError, ValueError, OSError) as exc:
            log.debug("page %d: image skipped: %s", number, exc)
            continue
        if safety.is_red_dominant(red):
            seals.append(Seal(page=number, bbox=box, score=round(red, 3), source="pdf-image"))
    return seals


def _read_page(pdf: pdfium.PdfDocument, index: int, rel: str, plumber: Plumber) -> Page:
    number = index + 1
    page = pdf[index]
    textpage = None
    try:
        tf = page_transform(page)
        width, height = display_size(page)
        textpage = page.get_textpage()
        objects = scan_objects(page, tf)
        layer = read_chars(textpage, tf, objects.invisible_text)
        page_area = max(width * height, 1.0)
        largest_image = max((b.width * b.height / page_area for _, b in objects.images), default=0)
        seals = find_seals(page, objects.images, number)
        base = {
            "number": number,
            "width": round(width, 2),
            "height": round(height, 2),
            "unit": "pt",
            "seals": seals,
        }
        visible = len(layer.chars)
        if layer.invisible and layer.invisible >= visible:
            log.info("%s p%d: invisible OCR text layer, page goes to OCR", rel, number)
            return Page(**base, has_text_layer=True, needs_ocr=True)
        if visible - layer.garbled < NEGLIGIBLE_CHARS or (largest_image > 0.5 and visible < STAMPED_SCAN_CHARS):
            return Page(**base, has_text_layer=False, needs_ocr=True)
        if layer.garbled > GARBLED_SHARE * visible:
            log.info("%s p%d: text layer without Unicode mapping, page goes to OCR", rel, number)
            return Page(**base, has_text_layer=True, needs_ocr=True)
        found = find_ruled_tables(objects.paths, tf, (width, height), plumber, index)
        tables = build_tables(found, layer.chars, rel, number)
        blocks = make_blocks(layer.chars, rel, number, tables)
        return Page(**base, blocks=blocks, tables=tables)
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open with pdfium; encrypted files open only when the empty password works."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise FileReadError(safety.MSG_ENCRYPTED, detail=str(exc)) from exc
        raise FileReadError(MSG_CORRUPT, detail=str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise FileReadError(MSG_CORRUPT, detail=str(exc)) from exc


def load_pdf(path: Path, rel: str, sniffed: str | None = None) -> Document:
    """Read a PDF page by page; page objects are closed as soon as a page is read."""
    kind = sniffed or safety.sniff(path)
    if kind == "empty":
        raise FileReadError(safety.MSG_EMPTY)
    if kind != "pdf":
        safety.check_ole(kind)
        raise FileReadError(safety.MSG_NOT_PDF, detail=f"sniffed as {kind}")
    pdf = open_pdf(path)
    plumber = Plumber(path)
    try:
        count = len(pdf)
        if count == 0:
            raise FileReadError(MSG_NO_PAGES)
        pages: list[Page] = []
        failed: list[str] = []
        for index in range(count):
            try:
                pages.append(_read_page(pdf, index, rel, plumber))
            except pdfium.PdfiumError as exc:
                log.warning("%s page %d unreadable: %s", rel, index + 1, exc)
                failed.append(str(index + 1))
                pages.append(Page(number=index + 1, has_text_layer=False, needs_ocr=True))
        if len(failed) == count:
            raise FileReadError(MSG_CORRUPT, detail="no page could be loaded")
    finally:
        plumber.close()
        pdf.close()
    meta = {"pages": str(count)}
    if failed:
        meta["unreadable_pages"] = ",".join(failed)
    ocr = [str(p.number) for p in pages if p.needs_ocr]
    if ocr:
        meta["needs_ocr_pages"] = ",".join(ocr)
    return Document(file=rel, source_kind="pdf", pages=pages, meta=meta)
