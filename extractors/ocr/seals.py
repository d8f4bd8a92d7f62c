"""Red seals (公章) on page images: where they are, how sure we are, and their legend.

A seal is a blob of red ink, roughly round, oval or square, between about 1/16 and 1/2 of
the page's shorter side. Red titles of 红头文件 and red rules are too elongated to pass.
Boxes are in the pixels of the image given (the upright page).
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors.ocr.base import OcrEngine
from extractors.ocr.preprocess import red_mask
from models.document import BBox, Seal

MIN_SIDE_SHARE = 0.06
MAX_SIDE_SHARE = 0.5
MIN_SCORE = 0.5


def _blob_score(mask: np.ndarray, contour: np.ndarray, short_side: int) -> tuple[float, BBox]:
    x, y, w, h = cv2.boundingRect(contour)
    box = BBox(x0=float(x), y0=float(y), x1=float(x + w), y1=float(y + h))
    size = max(w, h) / short_side
    if not MIN_SIDE_SHARE <= size <= MAX_SIDE_SHARE:
        return 0.0, box
    aspect = min(w, h) / max(w, h)
    if aspect < 0.55:
        return 0.0, box
    fill = cv2.contourArea(cv2.convexHull(contour)) / float(w * h)  # circle 0.79, square 1
    ink = float(np.count_nonzero(mask[y : y + h, x : x + w])) / (w * h)
    ring = _ring_share(mask[y : y + h, x : x + w])
    aspect_s = min(1.0, (aspect - 0.55) / 0.35)
    fill_s = 1.0 if fill >= 0.7 else max(0.0, (fill - 0.5) / 0.2)
    ink_s = 1.0 if 0.06 <= ink <= 0.6 else 0.3
    score = 0.3 * aspect_s + 0.25 * fill_s + 0.2 * ink_s + 0.25 * min(1.0, ring / 0.5)
    return round(score, 3), box


def _ring_share(patch: np.ndarray) -> float:
    """Share of the blob's outline (an ellipse inscribed in its box, and a rectangle inset
    slightly) that is red: a seal has a closed border."""
    h, w = patch.shape
    if h < 8 or w < 8:
        return 0.0
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    best = 0.0
    for inset in (0.04, 0.08, 0.12):
        xs = (w / 2 + (0.5 - inset) * w * np.cos(angles)).astype(int).clip(0, w - 1)
        ys = (h / 2 + (0.5 - inset) * h * np.sin(angles)).astype(int).clip(0, h - 1)
        grown = cv2.dilate(patch, np.ones((5, 5), np.uint8))
        best = max(best, float(np.count_nonzero(grown[ys, xs])) / len(angles))
    return best


def find_seals(image: np.ndarray, page: int, engine: OcrEngine | None = None) -> list[Seal]:
    """Seals on an RGB page image. With an ``engine`` the legend is read best-effort from
    the seal unrolled into a strip; ``text`` stays None when nothing readable comes out."""
    mask = red_mask(image)
    if np.count_nonzero(mask) < 50:
        return []
    h, w = mask.shape
    short = min(h, w)
    k = max(3, short // 150)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    closed = cv2.dilate(closed, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals = []
    for contour in contours:
        score, box = _blob_score(mask, contour, short)
        if score < MIN_SCORE:
            continue
        text = read_legend(image, box, engine) if engine is not None else None
        seals.append(Seal(page=page, bbox=box, score=score, text=text, source="image"))
    return sorted(seals, key=lambda s: (s.bbox.y0, s.bbox.x0) if s.bbox else (0.0, 0.0))


def ink_only(patch: np.ndarray) -> np.ndarray:
    """Red ink as black on white (RGB), everything else white."""
    mask = red_mask(patch)
    out = np.full(patch.shape, 255, np.uint8)
    out[mask > 0] = 0
    return out


def unroll(patch: np.ndarray) -> np.ndarray:
    """The seal's outer band unrolled into a horizontal strip reading left to right (the
    arc from about 8 to 4 o'clock over the top), glyph tops up."""
    h, w = patch.shape[:2]
    radius = min(h, w) / 2
    size = (int(radius), 720)  # (radius samples, angle samples): 2 per degree
    polar = cv2.warpPolar(patch, size, (w / 2, h / 2), radius, cv2.WARP_POLAR_LINEAR)
    strip = cv2.rotate(polar, cv2.ROTATE_90_COUNTERCLOCKWISE)  # radius up, angle across
    strip = np.concatenate([strip, strip], axis=1)
    band = strip[: int(radius * 0.45)]  # outer 45 % of the radius holds the legend
    return np.ascontiguousarray(band[:, 2 * 120 : 2 * 420])


def read_legend(image: np.ndarray, box: BBox, engine: OcrEngine) -> str | None:
    """Best-effort legend: the seal's outer band unrolled into one straight line and
    recognised as a single line (no detection pass, so it costs one short read). Kept when
    read with confidence ≥ 0.6; curved legends are often unreadable, then None."""
    from extractors.ocr.preprocess import read_line

    x0, y0, x1, y1 = (int(v) for v in (box.x0, box.y0, box.x1, box.y1))
    patch = ink_only(image[y0:y1, x0:x1])
    if patch.size == 0 or min(patch.shape[:2]) < 16:
        return None
    band = unroll(patch)
    cols = np.flatnonzero((band < 128).any(axis=(0, 2)))
    if cols.size == 0:
        return None
    band = np.ascontiguousarray(band[:, max(0, cols[0] - 8) : cols[-1] + 9])
    try:
        line = read_line(engine, band)
    except Exception:  # best effort: a failure here must not lose the seal
        return None
    if line is None or line.confidence < 0.6 or len(line.text.strip()) < 2:
        return None
    return line.text.strip()
