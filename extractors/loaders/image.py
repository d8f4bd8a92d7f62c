"""Photos and scans (.jpg .jpeg .png .tif .tiff .bmp): one page per frame, to be OCR'd.

The loader only checks that every frame decodes and records its upright size in pixels;
``extractors.ocr.pages.ocr_document`` reads the text later, one frame at a time.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from models.document import Document, Page
from models.errors import FileReadError

MAX_IMAGE_PIXELS = 120_000_000
"""Per frame. A 600-dpi A3 scan is about 70 megapixels; more is a decompression bomb."""

MAX_FRAMES = 500

MSG_BOMB = "图片像素过多（疑似解压炸弹），已跳过"
MSG_CORRUPT = "图片文件已损坏或不完整，无法读取；请申报单位重新提供"
MSG_UNKNOWN = "文件内容不是可识别的图片格式（可能是改了扩展名的其他文件）"
MSG_UNOPENABLE = "图片文件无法打开（没有读取权限或已被占用）"


def _check_pixels(image: Image.Image, path: Path) -> None:
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise FileReadError(MSG_BOMB, detail=f"{path.name}: {image.width}x{image.height} pixels")


@contextmanager
def open_image(path: Path) -> Iterator[Image.Image]:
    """Open an image with the pixel limit enforced and Pillow's errors turned into
    ``FileReadError`` (Chinese message, English detail)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise FileReadError(MSG_BOMB, detail=f"{path.name}: {exc}") from exc
        except UnidentifiedImageError as exc:
            raise FileReadError(MSG_UNKNOWN, detail=f"{path.name}: {exc}") from exc
        except OSError as exc:
            raise FileReadError(MSG_UNOPENABLE, detail=f"{path.name}: {exc}") from exc
        with image:
            _check_pixels(image, path)
            yield image


def frame(image: Image.Image, index: int, path: Path) -> Image.Image:
    """Frame ``index`` (0-based) decoded and turned upright by its EXIF orientation."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.seek(index)
            _check_pixels(image, path)
            image.load()
            upright = ImageOps.exif_transpose(image)
        except FileReadError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise FileReadError(MSG_BOMB, detail=f"{path.name} frame {index}: {exc}") from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise FileReadError(MSG_CORRUPT, detail=f"{path.name} frame {index}: {exc}") from exc
    return upright if upright is not None else image


class ImageLoader:
    """A ``Loader`` for raster images: one page per frame (multi-page TIFF), ``needs_ocr``."""

    extensions = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")

    def load(self, path: Path, rel: str) -> Document:
        pages = []
        with open_image(path) as image:
            n_frames = int(getattr(image, "n_frames", 1) or 1)
            if n_frames > MAX_FRAMES:
                raise FileReadError(MSG_BOMB, detail=f"{path.name}: {n_frames} frames")
            for index in range(n_frames):
                upright = frame(image, index, path)
                pages.append(
                    Page(
                        number=index + 1,
                        width=float(upright.width),
                        height=float(upright.height),
                        unit="px",
                        has_text_layer=False,
                        needs_ocr=True,
                    )
                )
                if upright is not image:
                    upright.close()
            fmt = image.format or ""
        return Document(file=rel, source_kind="image", pages=pages, meta={"image_format": fmt})


IMAGE_LOADERS = [ImageLoader()]
