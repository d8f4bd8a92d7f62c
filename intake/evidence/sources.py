"""Page images for evidence crops, in the coordinates the readers wrote their boxes in.

A box from a PDF's text layer is in points on the page; a box from OCR is in pixels of the
page image the OCR stage prepared (rendered at ``DEFAULT_DPI`` or decoded from a photo, then
size-limited, flattened when a photo, and deskewed). The same preparation is repeated here,
without OCR, so the box lands on the same spot. Rotation (which needs OCR to judge) is
recovered from the box itself: a box that only fits the turned page turns the page.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from models.document import BBox

POINT_SCALE = 2.0  # points → pixels for digital pages (144 dpi)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
MAX_RENDER_SIDE = 4000  # pixels: the longest side of a digital page as rendered
MIN_TEXT_CHARS = 20  # a PDF page with fewer text characters was OCR'd


@dataclass
class PageImage:
    """A page as an RGB image and the factor from the box's units to its pixels."""

    image: Image.Image
    scale: float


def _prepared(rgb_image: Image.Image, *, photo: bool) -> Image.Image:
    """The OCR stage's geometry without its reading: size limit, photo flattening, deskew."""
    import numpy as np

    from extractors.ocr.preprocess import flatten_photo, limit_size, straighten

    array = limit_size(np.asarray(rgb_image, dtype=np.uint8))
    if photo:
        array = flatten_photo(array)
    upright, _ = straighten(array)
    return Image.fromarray(upright)


def _fits(image: Image.Image, bbox: BBox | None) -> bool:
    return bbox is None or (bbox.x1 <= image.width * 1.02 and bbox.y1 <= image.height * 1.02)


def turned(image: Image.Image, bbox: BBox | None) -> Image.Image:
    """The page turned a quarter when the box only fits it that way (a landscape licence read
    on its side); PIL's ROTATE_270 is a clockwise quarter turn, as the OCR stage applies."""
    if _fits(image, bbox):
        return image
    rotated = image.transpose(Image.Transpose.ROTATE_270)
    return rotated if _fits(rotated, bbox) else image


def pdf_page_info(path: Path, number: int) -> tuple[int, float, float]:
    """(text characters, width, height in points) of a PDF page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number - 1]
        try:
            textpage = page.get_textpage()
            chars = textpage.count_chars()
            textpage.close()
            width, height = page.get_size()
        finally:
            page.close()
    finally:
        pdf.close()
    return chars, width, height


def _pdf_page(path: Path, number: int, digital: bool) -> PageImage:
    import pypdfium2 as pdfium

    scale = POINT_SCALE
    if not digital:  # only scans load the OCR stage's module (and OpenCV with it)
        from extractors.ocr.preprocess import DEFAULT_DPI

        scale = DEFAULT_DPI / 72
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number - 1]
        try:
            if digital:  # a poster-sized page is drawn smaller (the box scales with it)
                scale = min(scale, MAX_RENDER_SIDE / max(page.get_size()))
            else:  # the OCR stage's own capped scale, so its pixel boxes land where they were read
                from extractors.ocr.pages import render_scale

                scale = render_scale(*page.get_size(), DEFAULT_DPI)
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()
    if digital:
        return PageImage(image, scale)
    return PageImage(_prepared(image, photo=False), 1.0)


def _image_page(path: Path, number: int) -> PageImage:
    from extractors.loaders.image import frame, open_image
    from extractors.ocr.preprocess import to_rgb

    with open_image(path) as image:
        upright = frame(image, number - 1, path)
        rgb = Image.fromarray(to_rgb(upright))
    return PageImage(_prepared(rgb, photo=True), 1.0)


def is_digital(path: Path, number: int, bbox: BBox | None) -> bool:
    """Whether a box on this page is in points (text layer) rather than OCR pixels."""
    if path.suffix.lower() != ".pdf":
        return False
    chars, width, _ = pdf_page_info(path, number)
    return chars >= MIN_TEXT_CHARS and (bbox is None or bbox.x1 <= width * 1.02)


def page_image(path: Path, number: int, digital: bool) -> PageImage:
    """The page ``number`` (1-based) of a PDF or image file: rendered in points × 2 when
    ``digital``, else prepared as the OCR stage prepared it.

    Raises whatever the file's libraries raise for a page that cannot be rendered; the
    caller skips that crop.
    """
    if path.suffix.lower() == ".pdf":
        return _pdf_page(path, number, digital)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return _image_page(path, number)
    raise ValueError(f"no page images for {path.suffix} files")


class PageCache:
    """The last few page images, so several crops of one page render it once."""

    def __init__(self, size: int = 4) -> None:
        self._items: OrderedDict[tuple[str, int, bool], PageImage] = OrderedDict()
        self._size = size

    def get(self, path: Path, number: int, bbox: BBox | None) -> tuple[Image.Image, float]:
        """The page image oriented for ``bbox`` and the factor from box units to pixels."""
        digital = is_digital(path, number, bbox)
        key = (str(path), number, digital)
        if key not in self._items:
            self._items[key] = page_image(path, number, digital)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        self._items.move_to_end(key)
        page = self._items[key]
        return (page.image if digital else turned(page.image, bbox)), page.scale
