"""The image loader: pages per frame, sizes, and bad inputs turned into FileReadError."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from extractors.loaders.image import IMAGE_LOADERS, MSG_BOMB
from models.errors import FileReadError

LOADER = IMAGE_LOADERS[0]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size (and holds one tiny IDAT): what a decompression bomb looks
    like to a reader that trusts the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_png_is_one_page_in_pixels(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("RGB", (300, 200), "white").save(path)
    doc = LOADER.load(path, "a/scan.png")
    assert doc.source_kind == "image" and doc.file == "a/scan.png"
    (page,) = doc.pages
    assert (page.width, page.height, page.unit, page.needs_ocr, page.blocks) == (300, 200, "px", True, [])


def test_multipage_tiff_gives_a_page_per_frame(tmp_path: Path) -> None:
    path = tmp_path / "book.tif"
    first, second = Image.new("L", (100, 150), 255), Image.new("L", (120, 90), 255)
    first.save(path, save_all=True, append_images=[second])
    doc = LOADER.load(path, "book.tif")
    assert [(p.number, p.width, p.height) for p in doc.pages] == [(1, 100, 150), (2, 120, 90)]


def test_exif_orientation_gives_the_upright_size(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    Image.new("RGB", (400, 300), "white").save(path, exif=exif)
    (page,) = LOADER.load(path, "photo.jpg").pages
    assert (page.width, page.height) == (300, 400)


@pytest.mark.parametrize("side", [11_000, 20_000], ids=["over-our-limit", "over-pillow-limit"])
def test_decompression_bomb_is_refused(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(side, side))
    with pytest.raises(FileReadError) as info:
        LOADER.load(path, "bomb.png")
    assert info.value.message == MSG_BOMB


def test_truncated_jpeg_is_a_read_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buf, "JPEG", quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(FileReadError) as info:
        LOADER.load(path, "cut.jpg")
    assert "损坏" in info.value.message


@pytest.mark.parametrize("content", [b"", b"not an image at all"], ids=["empty", "text"])
def test_non_images_are_read_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.png"
    path.write_bytes(content)
    with pytest.raises(FileReadError):
        LOADER.load(path, "fake.png")
