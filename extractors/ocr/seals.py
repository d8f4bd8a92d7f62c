"""Red seals (公章) on page images: where they are, how sure we are, and their legend.

A seal is a blob of red ink, roughly round, oval or square, between about 1/16 and 1/2 of
the page's shorter side. Red titles of 红头文件 and red rules are too elongated to pass.
Boxes are in the pixels of the image given (the upright page).

A 骑缝章 (seam seal) is stamped across the fanned edges of a bound book, so each page shows
only a slice of it: red ink that touches the page's left or right edge, taller than wide,
with no more than a seal's height. Such a blob is returned as a seal with ``edge`` set, and
never as a whole seal.
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
EDGE_MARGIN = 0.02
"""A seam slice reaches within this share of the page width from the edge."""
SLICE_HEIGHT = (0.025, 0.2)
"""A seam slice's height as a share of the page height (a 38–45 mm seal on A4 is ~0.14)."""


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
    # Two-level hierarchy, outer boundaries only: a red frame round the page (事业单位法人证书)
    # is one blob whose hole holds the seals, which RETR_EXTERNAL would never return.
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    outer = [c for c, h in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=False) if h[3] < 0]
    found: list[tuple[float, BBox]] = []
    slices: list[Seal] = []
    for contour in outer:
        edge = seam_edge(contour, mask.shape)
        if edge is not None:
            piece = _seam_slice(mask, contour, page, edge)
            if piece is not None:
                slices.append(piece)
            continue
        score, box = _blob_score(mask, contour, short)
        if score >= MIN_SCORE:
            found.append((score, box))
    kept: list[tuple[float, BBox]] = []
    # largest first; a blob inside a kept seal's ring (its star, legend) is part of it
    for score, box in sorted(found, key=lambda f: -(f[1].width * f[1].height)):
        if not any(_inside(box, other) for _, other in kept):
            kept.append((score, box))
    seals = []
    for score, box in kept:
        text = read_legend(image, box, engine) if engine is not None else None
        seals.append(Seal(page=page, bbox=box, score=score, text=text, source="image"))
    slices = merge_slices(slices, gap=0.03 * h)
    return sorted(seals + slices, key=lambda s: (s.bbox.y0, s.bbox.x0) if s.bbox else (0.0, 0.0))


def merge_slices(slices: list[Seal], gap: float) -> list[Seal]:
    """One slice per run of pieces along an edge: a strip of a seal often breaks into its ring's
    arc and bits of the legend, less than ``gap`` pixels apart."""
    merged: list[Seal] = []
    for piece in sorted(slices, key=lambda s: (s.edge or "", s.bbox.y0 if s.bbox else 0.0)):
        last = merged[-1] if merged else None
        near = last is not None and last.bbox is not None and piece.bbox is not None
        if near and last.edge == piece.edge and piece.bbox.y0 - last.bbox.y1 < gap:
            box = BBox(
                x0=min(last.bbox.x0, piece.bbox.x0),
                y0=last.bbox.y0,
                x1=max(last.bbox.x1, piece.bbox.x1),
                y1=max(last.bbox.y1, piece.bbox.y1),
            )
            merged[-1] = last.model_copy(update={"bbox": box, "score": max(last.score, piece.score)})
        else:
            merged.append(piece)
    return merged


def seam_edge(contour: np.ndarray, shape: tuple[int, ...]) -> str | None:
    """``left``/``right`` when the blob touches that side of the page (within
    ``EDGE_MARGIN`` of its width), else None."""
    w = shape[1]
    x, _, bw, _ = cv2.boundingRect(contour)
    margin = max(2, int(w * EDGE_MARGIN))
    if x + bw >= w - margin:
        return "right"
    if x <= margin:
        return "left"
    return None


def _seam_slice(mask: np.ndarray, contour: np.ndarray, page: int, edge: str) -> Seal | None:
    """The blob as a seam-seal slice, or nothing when its shape is not one: a slice is no
    taller than a seal, at most as wide as it is tall, and carries a fair amount of ink (a
    red rule running down the margin is too tall, a speck too small)."""
    h = mask.shape[0]
    x, y, bw, bh = cv2.boundingRect(contour)
    if not SLICE_HEIGHT[0] <= bh / h <= SLICE_HEIGHT[1] or bw > bh:
        return None
    ink = float(np.count_nonzero(mask[y : y + bh, x : x + bw])) / (bw * bh)
    if ink < 0.05:
        return None
    box = BBox(x0=float(x), y0=float(y), x1=float(x + bw), y1=float(y + bh))
    score = round(min(1.0, 0.6 + ink), 3)
    return Seal(page=page, bbox=box, score=score, source="image", edge=edge)  # type: ignore[arg-type]


LEGEND_MIN_CONFIDENCE = 0.6
"""A legend read with less confidence than this is dropped (``Seal.text`` stays None)."""

READS: tuple[tuple[float, float, int], ...] = (
    (0.5, 0.9, 48),
    (0.52, 0.9, 64),
    (0.55, 0.9, 80),
)
"""How the legend band is cut and unrolled for each read: inner and outer edge as shares
of the seal's radius, and the strip's height in pixels. On Chinese round seals the
legend's glyphs sit between about 0.57 and 0.88 of the radius, inside a border ring of
about 1/15 of it: an outer edge past 0.9 lets the ring into the strip, which cost most
reads on 100-dpi copies. The reads differ in scale and cut, so a small curved glyph is
misread differently by each and the vote settles it."""

AGREE = 2
"""Reading stops once this many reads gave the same legend."""


FULL_TURN = (-180.0, 180.0)
"""The whole ring, unrolled from 6 o'clock clockwise (over the left, the top, the right)."""


def _inside(box: BBox, outer: BBox) -> bool:
    """True when ``box``'s centre lies within ``outer``."""
    return outer.x0 <= box.cx <= outer.x1 and outer.y0 <= box.cy <= outer.y1


def ink_only(patch: np.ndarray) -> np.ndarray:
    """Red ink as dark grey on white (RGB), everything else white.

    Red ink absorbs green, so darkness is how far the green channel falls below the
    paper's, counted only where the pixel is redder than grey (R − G above 10, in full
    from 40), then scaled so the seal's solid parts (ring, star) are black. No hard red
    mask: on a blurred photo the legend's thin strokes are pale pink, under any saturation
    threshold that keeps the paper out, and their anti-aliased edges are what make small
    curved glyphs legible. Black print (R ≈ G) and paper vanish."""
    if patch.size == 0:
        return np.full(patch.shape, 255, np.uint8)
    rgb = patch.astype(np.float32)
    red, green = rgb[..., 0], rgb[..., 1]
    paper = float(np.percentile(green, 95))
    reddish = np.clip((red - green - 10.0) / 30.0, 0.0, 1.0)
    ink = np.clip(paper - green, 0.0, None) * reddish
    top = max(float(np.percentile(ink, 95)), 24.0)
    grey = 255 - np.clip(ink * 255 / top, 0, 255)
    return np.repeat(grey.astype(np.uint8)[:, :, None], 3, axis=2)


def ink_box(patch: np.ndarray) -> tuple[int, int, int, int] | None:
    """The tight box (x0, y0, x1, y1) of the ink in a white-background patch: the blob box
    from ``find_seals`` is padded by the morphology that joined the seal's strokes."""
    dark: np.ndarray = np.any(patch < 200, axis=2)
    ys, xs = np.flatnonzero(np.any(dark, axis=1)), np.flatnonzero(np.any(dark, axis=0))
    if ys.size == 0 or xs.size == 0:
        return None
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1


def unroll(
    patch: np.ndarray,
    band: tuple[float, float] = READS[0][:2],
    arc: tuple[float, float] = FULL_TURN,
    height: int = READS[0][2],
) -> np.ndarray:
    """The ring of the seal between ``band`` (shares of the radius) unrolled into a strip
    ``height`` pixels high reading left to right, glyph tops up.

    Each column is one angle, clockwise over the top; each row one radius, outer edge at
    the top. The column step is one output pixel of arc length at the middle of the band,
    so the glyphs keep their proportions there. An oval seal is followed as an ellipse."""
    h, w = patch.shape[:2]
    cx, cy = w / 2, h / 2
    rx, ry = w / 2, h / 2
    mean_r = (rx + ry) / 2
    inner, outer = band
    scale = height / ((outer - inner) * mean_r)
    width = max(16, int(np.radians(arc[1] - arc[0]) * (inner + outer) / 2 * mean_r * scale))
    theta = np.radians(np.linspace(arc[0], arc[1], width, dtype=np.float32))
    share = np.linspace(outer, inner, height, dtype=np.float32)
    t, r = np.meshgrid(theta, share)
    map_x = (cx + r * rx * np.sin(t)).astype(np.float32)
    map_y = (cy - r * ry * np.cos(t)).astype(np.float32)
    strip = cv2.remap(patch, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    return np.ascontiguousarray(strip)


def legend_strip(strip: np.ndarray, margin: int = 8) -> np.ndarray | None:
    """A full-turn strip cut to the legend: the widest run of blank columns (round the
    ring) is the gap where the legend's ends meet at the bottom, so the strip is rolled to
    start after it and cut before it. None when the band holds no ink."""
    inked = (strip < 160).any(axis=(0, 2))
    if not inked.any():
        return None
    width = inked.size
    start = int(np.argmax(inked))  # first inked column; rolling there keeps runs whole
    rolled = np.roll(inked, -start)
    gap_len, gap_at, run = 0, width, 0
    for i, ink in enumerate(rolled):
        run = 0 if ink else run + 1
        if run > gap_len:
            gap_len, gap_at = run, i - run + 1
    if gap_len <= 2 * margin:  # ink all round: no gap to cut at
        return np.ascontiguousarray(strip)
    # from the margin before the first inked column after the gap, round the ring, to the
    # margin after the last inked column before it
    first = start + gap_at + gap_len - margin
    keep = np.arange(first, first + width - gap_len + 2 * margin) % width
    return np.ascontiguousarray(strip[:, keep])


def vote(reads: list[tuple[str, float]]) -> tuple[str, float] | None:
    """One legend from several reads of it: the reads of the most common length (ties: the
    larger summed confidence) vote character by character, each with its confidence.
    Returns the text and the mean confidence of the reads that gave exactly that text
    (the best single read's confidence when none did)."""
    if not reads:
        return None
    by_length: dict[int, list[tuple[str, float]]] = {}
    for text, conf in reads:
        by_length.setdefault(len(text), []).append((text, conf))
    group = max(by_length.values(), key=lambda g: (len(g), sum(c for _, c in g)))
    chars = []
    for i in range(len(group[0][0])):
        tally: dict[str, float] = {}
        for text, conf in group:
            tally[text[i]] = tally.get(text[i], 0.0) + conf
        chars.append(max(tally, key=lambda ch: tally[ch]))
    text = "".join(chars)
    same = [conf for t, conf in reads if t == text]
    return text, (sum(same) / len(same) if same else max(conf for _, conf in group))


def read_legend(image: np.ndarray, box: BBox, engine: OcrEngine) -> str | None:
    """Best-effort legend: the seal's legend band unrolled into one straight line and
    recognised as a single line (no detection pass, so each read is one short call).

    Up to ``len(READS)`` differently cut strips are read and voted on (``vote``); reading
    stops early once ``AGREE`` reads agree, or after two reads that found nothing legible
    (the national emblem, a seal without a legend). Kept when the result's confidence is at
    least ``LEGEND_MIN_CONFIDENCE``, else None (a worn or overprinted seal)."""
    from extractors.ocr.preprocess import read_line

    x0, y0, x1, y1 = (int(v) for v in (box.x0, box.y0, box.x1, box.y1))
    patch = ink_only(image[max(0, y0) : y1, max(0, x0) : x1])
    tight = ink_box(patch) if patch.size else None
    if tight is None:
        return None
    patch = patch[tight[1] : tight[3], tight[0] : tight[2]]
    if min(patch.shape[:2]) < 16:
        return None
    reads: list[tuple[str, float]] = []
    for tried, (inner, outer, height) in enumerate(READS, start=1):
        strip = legend_strip(unroll(patch, (inner, outer), height=height))
        if strip is None:
            return None
        try:
            line = read_line(engine, strip)
        except Exception:  # best effort: a failure here must not lose the seal
            return None
        text = "".join((line.text if line else "").split())
        if line is not None and len(text) >= 2 and line.confidence >= LEGEND_MIN_CONFIDENCE:
            reads.append((text, line.confidence))
        if max((sum(t == r for r, _ in reads) for t, _ in reads), default=0) >= AGREE:
            break
        if tried >= 2 and not reads:
            return None
    voted = vote(reads)
    if voted is None or voted[1] < LEGEND_MIN_CONFIDENCE:
        return None
    return voted[0]
