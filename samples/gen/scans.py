"""Reusable degradations that make a clean rendered page look scanned or photographed.

Each function takes and returns a PIL image and is deterministic for a given ``seed``; the
sample generator and the benchmarks compose them (see ``scan_page`` and ``phone_photo``).
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from samples.gen.seal import render_seal, stamp


def rotate(img: Image.Image, degrees: float, fill: int | tuple = 255) -> Image.Image:
    """Skew as a page fed crookedly into a scanner; corners filled with paper colour."""
    if img.mode == "L" and isinstance(fill, tuple):
        fill = fill[0]
    if img.mode == "RGB" and isinstance(fill, int):
        fill = (fill, fill, fill)
    return img.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=fill)


def noise(img: Image.Image, sigma: float = 8.0, seed: int = 0) -> Image.Image:
    """Gaussian sensor noise of ``sigma`` grey levels."""
    rng = np.random.default_rng(seed)
    arr = np.asarray(img).astype(np.int16)
    arr = arr + rng.normal(0, sigma, arr.shape).astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), img.mode)


def blur(img: Image.Image, radius: float = 1.2) -> Image.Image:
    """Out of focus or a soft scanner lamp."""
    return img.filter(ImageFilter.GaussianBlur(radius))


def jpeg(img: Image.Image, quality: int = 30) -> Image.Image:
    """Round-trip through JPEG at ``quality`` to get its blocking and ringing."""
    buf = io.BytesIO()
    img.convert("RGB" if img.mode not in ("L", "RGB") else img.mode).save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).copy()


def downscale(img: Image.Image, from_dpi: float, to_dpi: float) -> Image.Image:
    """Resample as if scanned at ``to_dpi`` instead of ``from_dpi``."""
    k = to_dpi / from_dpi
    return img.resize((max(1, round(img.width * k)), max(1, round(img.height * k))), Image.LANCZOS)


def grey_paper(img: Image.Image, level: int = 218, seed: int = 0) -> Image.Image:
    """Recycled or photocopied paper: a darker, slightly blotchy background, ink kept."""
    rng = np.random.default_rng(seed)
    grey = np.asarray(img.convert("L")).astype(np.float32) / 255.0
    h, w = grey.shape
    blotch = rng.normal(0, 1, (max(2, h // 64), max(2, w // 64))).astype(np.float32)
    blotch_img = Image.fromarray(((blotch - blotch.min()) / (np.ptp(blotch) + 1e-6) * 255).astype(np.uint8)).resize(
        (w, h), Image.BICUBIC
    )
    tone = level - 12 + np.asarray(blotch_img, dtype=np.float32) / 255.0 * 24
    out = grey * tone
    if img.mode == "L":
        return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "L")
    rgb = np.asarray(img.convert("RGB")).astype(np.float32) / 255.0
    warm = np.stack([tone, tone * 0.98, tone * 0.92], axis=-1)
    return Image.fromarray(np.clip(rgb * warm, 0, 255).astype(np.uint8), "RGB")


def to_grey(img: Image.Image) -> Image.Image:
    return img.convert("L")


def has_red(img: Image.Image, min_share: float = 0.0005) -> bool:
    """Whether a page carries red ink (a seal, an emblem) worth keeping in colour."""
    if img.mode == "L":
        return False
    small = np.asarray(img.convert("RGB").reduce(4)).astype(np.int16)
    r, g, b = small[..., 0], small[..., 1], small[..., 2]
    return float(((r - g > 60) & (r - b > 60)).mean()) >= min_share


def seal_over_text(
    img: Image.Image, name: str, center: tuple[int, int], diameter: int, angle: float = -12.0
) -> Image.Image:
    """Press a red seal reading ``name`` over whatever is printed at ``center``."""
    return stamp(img, render_seal(name, size=max(120, diameter)), center, diameter, angle)


def _coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """Perspective coefficients mapping output points ``dst`` back to input points ``src``."""
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for pt in src for c in pt], dtype=np.float64)
    return list(np.linalg.solve(a, b))


def phone_photo(img: Image.Image, seed: int = 0, strength: float = 1.0) -> Image.Image:
    """A document photographed on a desk: perspective, a table margin, uneven light with a
    soft shadow across one corner, slight blur and JPEG. ``strength`` scales everything."""
    rng = random.Random(seed)
    page = img.convert("RGB")
    w, h = page.size
    margin = int(0.06 * max(w, h))
    cw, ch = w + 2 * margin, h + 2 * margin
    j = 0.05 * strength
    corners = [
        (margin + rng.uniform(-j, j) * w, margin + rng.uniform(0, j) * h),
        (margin + w - rng.uniform(-j, j) * w, margin + rng.uniform(0, j) * h),
        (margin + w - rng.uniform(0, j) * w, margin + h - rng.uniform(-j, j) * h),
        (margin + rng.uniform(0, j) * w, margin + h - rng.uniform(-j, j) * h),
    ]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    desk = Image.new("RGB", (cw, ch), (96, 84, 70))
    warped = page.transform((cw, ch), Image.PERSPECTIVE, _coeffs(src, corners), Image.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", (w, h), 255).transform((cw, ch), Image.PERSPECTIVE, _coeffs(src, corners), Image.BICUBIC)
    desk.paste(warped, (0, 0), mask)
    # light falls off towards one side; a hand's shadow darkens a corner
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    light = 1.0 - 0.25 * strength * (xx / cw) * rng.uniform(0.6, 1.0)
    sx, sy = rng.choice([(0, ch), (cw, ch), (cw, 0)])
    dist = np.sqrt((xx - sx) ** 2 + (yy - sy) ** 2) / max(cw, ch)
    light *= 1.0 - 0.45 * strength * np.clip(1.0 - dist / 0.55, 0, 1)
    arr = np.asarray(desk).astype(np.float32) * light[..., None]
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    out = blur(out, 0.6 + 0.8 * strength)
    return jpeg(noise(out, 4 + 6 * strength, seed), int(70 - 30 * strength))


def scan_page(img: Image.Image, seed: int = 0, grey: bool = True, skew: float = 0.8, sigma: float = 5.0) -> Image.Image:
    """A flatbed or copier scan: grey, a small random skew, light noise and a few specks."""
    rng = random.Random(seed)
    page = to_grey(img) if grey else img.convert("RGB")
    page = rotate(page, rng.uniform(-skew, skew))
    page = noise(page, sigma, seed)
    draw = ImageDraw.Draw(page)
    for _ in range(12):
        x, y = rng.uniform(0, page.width), rng.uniform(0, page.height)
        r = rng.uniform(0.5, 2.0)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(60, 140) if grey else (90, 90, 90))
    return page


def heavy_degrade(img: Image.Image, seed: int = 0) -> Image.Image:
    """A barely legible copy: low resolution, blur, strong noise, grey paper, bad JPEG."""
    small = downscale(img, 200, 70)
    small = blur(grey_paper(small, 190, seed), 1.1)
    small = noise(small, 22, seed)
    return jpeg(downscale(small, 70, 120), 12)
