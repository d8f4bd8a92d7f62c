"""Red round official seals (公章) drawn with Pillow: ring, star, name along the upper arc.

A seal is an RGBA image with a transparent background so that it can be laid over text in
Word, PDF and raster pages alike. The ink is slightly uneven (seeded) like a real stamp.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
RED = (214, 32, 38)


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=0)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def render_seal(name: str, bottom: str = "", size: int = 420, seed: int = 0) -> Image.Image:
    """A round seal reading ``name`` clockwise along the top and ``bottom`` straight below
    the star. ``size`` is the diameter in pixels."""
    rng = random.Random(f"{name}|{bottom}|{seed}")
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    ink = (*RED, 235)
    ring = max(6, size // 30)
    draw.ellipse((ring / 2, ring / 2, size - ring / 2, size - ring / 2), outline=ink, width=ring)
    _star(draw, c, c, size * 0.14, ink)
    chars = list(name)
    n = len(chars)
    char_size = int(size * (0.15 if n <= 10 else 0.13 if n <= 14 else 0.11))
    radius = c - ring - char_size * 0.72
    span = min(250.0, 20.0 * n + 40)  # degrees covered by the text
    for i, ch in enumerate(chars):
        angle = -span / 2 + span * (i + 0.5) / n  # 0 = top, clockwise positive
        tile = Image.new("RGBA", (char_size * 2, char_size * 2), (0, 0, 0, 0))
        tdraw = ImageDraw.Draw(tile)
        tdraw.text((char_size, char_size), ch, font=font(char_size), fill=ink, anchor="mm")
        tile = tile.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle)
        x = c + radius * math.sin(rad) - char_size
        y = c - radius * math.cos(rad) - char_size
        img.alpha_composite(tile, (int(x), int(y)))
    if bottom:
        bsize = int(size * 0.085)
        draw.text((c, c + size * 0.27), bottom, font=font(bsize), fill=ink, anchor="mm")
    # uneven ink: knock out a few specks so the seal is not a perfect vector shape
    alpha = img.getchannel("A")
    speck = Image.new("L", img.size, 255)
    sdraw = ImageDraw.Draw(speck)
    for _ in range(size // 3):
        x, y = rng.uniform(0, size), rng.uniform(0, size)
        r = rng.uniform(1, size / 140)
        sdraw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(40, 160))
    alpha = Image.composite(alpha, Image.new("L", img.size, 0), speck)
    img.putalpha(alpha.filter(ImageFilter.GaussianBlur(0.6)))
    return img


def seal_png(name: str, folder: Path, bottom: str = "", size: int = 200) -> Path:
    """Write the seal once per name into ``folder`` (a cache) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"seal_{abs(hash_text(name + bottom)):x}.png"
    if not path.exists():
        img = render_seal(name, bottom, size)
        # a 2-colour ink with a graded alpha keeps the file small and the edge smooth
        flat = Image.new("RGBA", img.size, (*RED, 0))
        flat.putalpha(img.getchannel("A").point(lambda a: a // 32 * 36 if a < 224 else 255))
        flat.save(path, optimize=True)
    return path


def hash_text(text: str) -> int:
    """A stable hash (Python's ``hash`` is salted per process)."""
    value = 0
    for ch in text.encode("utf-8"):
        value = (value * 131 + ch) % (1 << 48)
    return value


def stamp(
    page: Image.Image, seal: Image.Image, center: tuple[int, int], diameter: int, angle: float = 0.0
) -> Image.Image:
    """Press ``seal`` onto ``page`` (any mode) multiplicatively, like ink over print."""
    s = seal.resize((diameter, diameter), Image.LANCZOS)
    if angle:
        s = s.rotate(angle, resample=Image.BICUBIC)
    return press(page, s, (center[0] - diameter // 2, center[1] - diameter // 2))


def press(page: Image.Image, ink: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``ink`` (RGBA) multiplied onto ``page`` with its top-left corner at ``box``."""
    from PIL import ImageChops

    base = page.convert("RGB")
    layer = Image.new("RGB", base.size, (255, 255, 255))
    mask = Image.new("L", base.size, 0)
    layer.paste(ink.convert("RGB"), box, ink)
    mask.paste(ink.getchannel("A"), box)
    return Image.composite(ImageChops.multiply(base, layer), base, mask)


def seam_slices(page: Image.Image, seal: Image.Image, index: int, count: int, diameter: int) -> Image.Image:
    """Page ``index`` of ``count`` with its slice of a 骑缝章: the pages were fanned and one seal
    pressed across their right edges, so each shows a vertical strip of the seal (the
    strips in page order make the whole seal), flush with its right edge at mid-height."""
    s = seal.resize((diameter, diameter), Image.LANCZOS)
    width = max(6, diameter // max(count, 1))
    left = min(diameter - width, index * (diameter - width) // max(count - 1, 1))
    strip = s.crop((left, 0, left + width, diameter))
    return press(page, strip, (page.width - width, page.height // 2 - diameter // 2))
