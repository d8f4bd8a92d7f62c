"""Image clean-up before OCR: upright, deskew, page quadrilateral, shading, red seals.

Every step returns a new array; the caller keeps the upright colour image for seal
detection and hands the red-suppressed copy to the engine. Rotations are clockwise degrees
(``Page.rotation``: what was applied to make the page upright).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from extractors.ocr.base import OcrEngine, OcrLine

DEFAULT_DPI = 200
"""Scanned PDF pages are rendered at 200 dpi: RapidOCR shrinks any page to 2000 px on its
longest side before detection (an A4 page at ~170 dpi), so 300 dpi only costs render time
and memory; 150 dpi loses small print (see bench/ocr_bench.py)."""

MAX_SIDE = 2600
"""Larger photos are shrunk to this longest side before anything else."""


def exif_upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag (phone photos) and drop the tag."""
    try:
        return ImageOps.exif_transpose(image) or image
    except Exception:  # a broken EXIF block must not lose the picture
        return image


def to_rgb(image: Image.Image) -> np.ndarray:
    """RGB uint8 array; transparency is flattened onto white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        image = canvas
    return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def limit_size(image: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def rotate(image: np.ndarray, degrees: int) -> np.ndarray:
    """Rotate clockwise by a multiple of 90 degrees."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    degrees %= 360
    return image.copy() if degrees == 0 else cv2.rotate(image, codes[degrees])


# --- page rotation ---------------------------------------------------------------------

UPRIGHT_CONFIDENCE = 0.9
"""A line read at 0° this confidently votes for an upright page without the 180° read."""


def read_line(engine: OcrEngine, crop: np.ndarray) -> OcrLine | None:
    """One text-line image read as it lies: the engine's ``read_line`` when it has one
    (recognition only, no detection, no direction fix), else its full read of the crop."""
    direct = getattr(engine, "read_line", None)
    if direct is not None:
        return direct(crop)
    probe = getattr(engine, "read_uncorrected", engine.read)
    lines = probe(cv2.copyMakeBorder(crop, 8, 8, 8, 8, cv2.BORDER_REPLICATE))
    if not lines:
        return None
    text = "".join(ln.text for ln in lines)
    conf = sum(ln.confidence * len(ln.text) for ln in lines) / max(1, len(text))
    return OcrLine(text=text, bbox=lines[0].bbox, confidence=conf)


def _line_score(line: OcrLine | None) -> float:
    return 0.0 if line is None else line.confidence**2 * len(line.text.strip())


def _tall_share(lines: list[OcrLine]) -> float:
    sized = [ln for ln in lines if max(ln.bbox.width, ln.bbox.height) >= 3 * min(ln.bbox.width, ln.bbox.height)]
    if not sized:
        return 0.0
    return sum(ln.bbox.height > ln.bbox.width for ln in sized) / len(sized)


def _read_as_it_lies(line: OcrLine | None, as_read: bool = False) -> bool:
    """``line`` was read unturned (``as_read``: it is a read of the crop as it lies; else
    the engine's page read must say it did not turn it), confidently and at some length:
    evidence that the page is upright."""
    if line is None or not (as_read or line.turned is False):
        return False
    return line.confidence >= UPRIGHT_CONFIDENCE and len(line.text.strip()) >= 3


def _vote(engine: OcrEngine, crop: np.ndarray, line: OcrLine, first: int, second: int) -> int | None:
    """The candidate one line votes for (None: it read as nothing either way)."""
    if first == 0 and _read_as_it_lies(line):
        return first
    a = read_line(engine, rotate(crop, first))
    if first == 0 and _read_as_it_lies(a, as_read=True):
        return first
    b = read_line(engine, rotate(crop, second))
    if max(_line_score(a), _line_score(b)) == 0:
        return None
    return first if _line_score(a) >= _line_score(b) else second


def rotation_from_lines(image: np.ndarray, lines: list[OcrLine], engine: OcrEngine, k: int = 5) -> int:
    """Clockwise rotation (0/90/180/270) that makes the page upright, judged from lines the
    engine already found on ``image``.

    Elongated line boxes that are mostly tall mean the text runs vertically (candidates 90
    and 270), otherwise 0 and 180. The longest lines are cut out, turned to each candidate
    and read as they lie; each line votes for the candidate read more confidently, and the
    vote stops once one candidate leads by two. A line read at 0 with confidence ≥ 0.9 votes
    for 0 without the upside-down read; so does, without any read, a line the engine's own
    read already gave so (``OcrLine.turned`` False: read as it lies), so an upright page
    read by RapidOCR costs no extra read at all."""
    long_lines = [ln for ln in lines if max(ln.bbox.width, ln.bbox.height) >= 3 * min(ln.bbox.width, ln.bbox.height)]
    if not long_lines:
        return 0
    first, second = (90, 270) if _tall_share(long_lines) > 0.5 else (0, 180)
    votes = {first: 0, second: 0, None: 0}
    h, w = image.shape[:2]
    for line in sorted(long_lines, key=lambda ln: -max(ln.bbox.width, ln.bbox.height))[:k]:
        b = line.bbox
        crop = image[max(0, int(b.y0) - 2) : min(h, int(b.y1) + 2), max(0, int(b.x0) - 2) : min(w, int(b.x1) + 2)]
        if crop.size == 0:
            continue
        votes[_vote(engine, crop, line, first, second)] += 1
        if abs(votes[first] - votes[second]) >= 2:
            break
    return second if votes[second] > votes[first] else first


def detect_rotation(image: np.ndarray, engine: OcrEngine) -> int:
    """Clockwise rotation that makes ``image`` upright: reads it, then
    ``rotation_from_lines``. The page pipeline calls ``rotation_from_lines`` on the read it
    needs anyway, so an upright page is read once."""
    return rotation_from_lines(image, engine.read(image), engine)


# --- skew ------------------------------------------------------------------------------


def _ink(gray: np.ndarray) -> np.ndarray:
    """1 where a pixel is darker than its neighbourhood (uint8 0/1)."""
    return cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def estimate_skew(image: np.ndarray, limit: float = 10.0) -> float:
    """Small skew angle in degrees (positive: text rises to the right), from the sharpness
    of the row-ink profile over candidate angles: coarse 1° steps, then 0.1° steps."""
    gray = cv2.cvtColor(limit_size(image, 1000), cv2.COLOR_RGB2GRAY)
    ink = _ink(gray)
    if cv2.countNonZero(ink) < 50:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)
    seen: dict[float, float] = {}

    def sharpness(angle: float) -> float:
        # The 0/1 mask turned as uint8 and summed as integers, then squared in float32:
        # the same figures as turning a float32 mask, at half the cost (measured,
        # bench/scan_profile.py).
        if angle in seen:
            return seen[angle]
        m = cv2.getRotationMatrix2D(centre, -angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)
        profile = cv2.reduce(rotated, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float32)
        seen[angle] = value = float(np.square(np.diff(profile)).sum())
        return value

    coarse = max(np.arange(-limit, limit + 0.5, 1.0), key=sharpness)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.1), key=sharpness)
    # vertical text or a picture has no sharp row profile at any angle: leave it alone
    if sharpness(fine) < 1.15 * sharpness(0.0):
        return 0.0
    return round(float(fine), 1)


def deskew(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``-angle`` degrees around the centre, filling with the page colour."""
    if abs(angle) < 0.3:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    fill = tuple(int(v) for v in np.median(image.reshape(-1, 3)[:: max(1, h * w // 20000)], axis=0))
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


# --- red seals -------------------------------------------------------------------------


def red_mask(image: np.ndarray, strict: bool = False) -> np.ndarray:
    """255 where the pixel is seal-red (hue near 0/180, saturated, not dark)."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    s_min, v_min = (90, 90) if strict else (60, 70)
    low = cv2.inRange(hsv, (0, s_min, v_min), (12, 255, 255))
    high = cv2.inRange(hsv, (160, s_min, v_min), (180, 255, 255))
    return cv2.bitwise_or(low, high)


PAPER_SAMPLE = 97
"""The paper colour is the median of every 97th pixel that is not red, in raster order."""


def _paper_sample(pixels: np.ndarray, red: np.ndarray) -> np.ndarray:
    """Every ``PAPER_SAMPLE``-th pixel of ``pixels`` (N×3) that is not at one of the sorted
    flat indices ``red``: the k-th non-red pixel sits at k plus the number of red pixels
    before it, found by bisection instead of gathering every non-red pixel (11 MB on an
    A4 page at 200 dpi) to keep one in 97."""
    wanted = np.arange(0, len(pixels) - len(red), PAPER_SAMPLE)
    before = red - np.arange(len(red))  # non-red pixels ahead of each red one (non-decreasing)
    return pixels[wanted + np.searchsorted(before, wanted, side="right")]


def suppress_red(image: np.ndarray) -> np.ndarray:
    """``image`` with red ink turned into what a red-blind scanner would see, so a seal over
    text does not confuse the reader: a red pixel becomes the grey of its red channel (seal
    ink is bright there and turns into paper; black text under the seal stays black, and
    its anti-aliased edges, dark red after the stamp, stay grey). A new array when there
    is red; ``image`` itself when there is none (nothing downstream writes to it)."""
    red = np.flatnonzero(red_mask(image).reshape(-1))
    if red.size == 0:
        return image
    pixels = np.ascontiguousarray(image).reshape(-1, 3)
    paper = np.median(_paper_sample(pixels, red), axis=0) if red.size < len(pixels) else np.full(3, 255)
    grey = np.clip(pixels[red, 0].astype(np.float32) * 255.0 / 215.0, 0, 255)[:, None].repeat(3, axis=1)
    out = image.copy()
    out.reshape(-1, 3)[red] = np.where(grey >= 170, paper[None, :], grey).astype(np.uint8)
    return out


# --- phone photos ----------------------------------------------------------------------


def find_page_quad(image: np.ndarray, min_share: float = 0.25) -> np.ndarray | None:
    """Corners (4×2, clockwise from top-left, image pixels) of the largest four-sided
    contour covering at least ``min_share`` of the photo but not the whole frame."""
    small = limit_size(image, 800)
    scale = image.shape[1] / small.shape[1]
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 40, 120), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        hull = cv2.convexHull(contour)
        share = cv2.contourArea(hull) / area
        if share < min_share:
            break
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) == 4 and share < 0.97 and _stands_out(gray, approx):
            return order_corners(approx.reshape(4, 2).astype(np.float32) * scale)
    return None


def _stands_out(gray: np.ndarray, quad: np.ndarray) -> bool:
    """A photographed sheet is brighter than what surrounds it; a ruled table's border on a
    scan has the same white paper on both sides and must not be cropped to."""
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.reshape(-1, 2).astype(np.int32), 255)
    if not (inside == 0).any():
        return False
    return float(np.median(gray[inside > 0])) - float(np.median(gray[inside == 0])) > 30


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
        dtype=np.float32,
    )


def warp_page(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Perspective-correct the page inside ``quad`` to a flat rectangle."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(image, m, (width, height), flags=cv2.INTER_LINEAR)


def shading_spread(image: np.ndarray) -> float:
    """Spread (90th − 10th percentile) of the blurred paper brightness: high under a lamp."""
    gray = cv2.cvtColor(limit_size(image, 400), cv2.COLOR_RGB2GRAY)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    return float(np.percentile(background, 90) - np.percentile(background, 10))


def flatten_shading(image: np.ndarray) -> np.ndarray:
    """Divide each channel by its blurred background (text removed by closing), so uneven
    light becomes white paper."""
    h, w = image.shape[:2]
    k = max(15, (min(h, w) // 40) | 1)
    out = np.empty_like(image)
    for c in range(3):
        channel = image[:, :, c]
        background = cv2.morphologyEx(channel, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        background = cv2.GaussianBlur(background, (0, 0), k / 2)
        out[:, :, c] = cv2.divide(channel, np.maximum(background, 1), scale=255)
    return out


def flatten_photo(image: np.ndarray) -> np.ndarray:
    """A phone photo: the page's quadrilateral warped flat, then uneven light removed."""
    quad = find_page_quad(image)
    if quad is not None:
        image = warp_page(image, quad)
    if shading_spread(image) > 25:
        image = flatten_shading(image)
    return image


def straighten(image: np.ndarray) -> tuple[np.ndarray, float]:
    """Deskewed copy and the skew angle removed."""
    skew = estimate_skew(image)
    return deskew(image, skew), skew


@dataclass
class Prepared:
    """The upright page (for seals and geometry), the copy handed to the engine and the
    engine's lines on that copy."""

    upright: np.ndarray
    for_ocr: np.ndarray
    lines: list[OcrLine]
    rotation: int
    skew: float


def read_upright(image: np.ndarray, engine: OcrEngine, *, photo: bool = False) -> Prepared:
    """The recipe: size limit → (photo: page quad + warp, shading) → deskew → red
    suppression → read → is the page upright? If not: rotate, deskew, read again (only
    rotated pages, such as landscape certificates bound into a book, pay twice)."""
    image = limit_size(image)
    if photo:
        image = flatten_photo(image)
    upright, skew = straighten(image)
    for_ocr = suppress_red(upright)
    lines = engine.read(for_ocr)
    degrees = rotation_from_lines(for_ocr, lines, engine)
    if degrees:
        upright, skew = straighten(rotate(image, degrees))
        for_ocr = suppress_red(upright)
        lines = engine.read(for_ocr)
    return Prepared(upright=upright, for_ocr=for_ocr, lines=lines, rotation=degrees, skew=skew)
