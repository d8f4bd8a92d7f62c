"""Small evidence pictures inside 问题清单, while the workbook stays a sensible size.

openpyxl anchors a picture to a cell's top-left corner; the row is made tall enough to hold
it. Every finding's first crop is shrunk to at most ``THUMB_SIZE`` and stored as a
128-colour PNG: about 2 KB each (Shanxi sample: 35 thumbnails take the workbook from 47 KB
to 109 KB). When all of them together would add more than ``EMBED_BUDGET`` bytes (some
2,000 findings), none is embedded and the links alone lead to the crops: a workbook that
reviewers pass around by e-mail must stay small.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Mapping
from pathlib import Path

from openpyxl.drawing.image import Image as SheetImage
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

log = logging.getLogger(__name__)

THUMB_SIZE = (240, 64)  # pixels
EMBED_BUDGET = 4_000_000  # bytes of pictures a workbook may carry
ROW_HEIGHT = 52.0  # points: a 64-pixel picture (0.75 pt per pixel) with a little room


def thumbnail(path: Path) -> bytes | None:
    """A small PNG of the crop at ``path``, or None when it cannot be read."""
    try:
        with Image.open(path) as image:
            small = image.convert("RGB")
    except (OSError, ValueError):
        return None
    small.thumbnail(THUMB_SIZE)
    buffer = io.BytesIO()
    small.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(buffer, format="PNG")
    return buffer.getvalue()


def embed(ws: Worksheet, column_letter: str, crops: Mapping[int, Path]) -> int:
    """Embed a thumbnail of ``crops[row]`` in column ``column_letter`` of each row, if all
    of them fit the budget; returns the bytes embedded (0 when none was)."""
    made: dict[bytes, bytes | None] = {}  # by the crop's content: many findings show the same crop
    pictures: dict[int, bytes] = {}
    for row, path in crops.items():
        try:
            digest = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            continue  # thumbnail() cannot read it either
        if digest not in made:
            made[digest] = thumbnail(path)
        if (data := made[digest]) is not None:
            pictures[row] = data
    total = sum(len(data) for data in pictures.values())
    if total > EMBED_BUDGET:
        log.info("evidence thumbnails not embedded: %d bytes over the %d budget", total, EMBED_BUDGET)
        return 0
    for row, data in pictures.items():
        picture = SheetImage(io.BytesIO(data))
        picture.anchor = f"{column_letter}{row}"
        ws.add_image(picture)
        current = ws.row_dimensions[row].height or 0
        ws.row_dimensions[row].height = max(current, ROW_HEIGHT)
    return total
