"""A seal's legend (the unit's name round its ring), read best-effort: the ring's ink
isolated, the legend band unrolled into a straight strip, read as one line several ways and
voted on."""

from __future__ import annotations

import cv2
import numpy as np

from extractors.ocr.base import OcrEngine
from models.document import BBox

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
