"""Seals (公章) on page images: where they are, how sure we are, and their legend.

A seal is stamp-pad ink (bright, dark, faded or orange red, or purple-red) in a round or oval
outline of about 24–90 mm: a closed ring, with a star or a line of words inside and the
unit's name on an arc. Sizes are in millimetres, from the page's dpi when the caller knows
it, else from the image's size taken as an A4 page. Evidence, not exact sizes, decides:

- ink: red hue (orange to purple-red) with a saturation and value threshold low enough
  for faded pink and dark red, plus a chroma floor that keeps grey and yellowish paper and
  JPEG fringes out;
- long straight red rules (红头 rules, red table lines) are erased before anything else, so
  a seal stamped over a red line stays a seal and a rule is never one;
- shape: an ellipse fitted to the blob, how much of its outline is inked (all round, in
  eight sectors), how much of its area is ink (a filled logo is too full), and ink at its
  centre (the star, or the 财务专用章 line); a fragmented (broken) seal is also tried as the
  group its pieces make;
- black ink is not looked at, except on a page without colour (a 1-bit or grey scan,
  a photocopy): there a closed circle of 24–48 mm with ink inside is returned as a *weak*
  seal, since colour cannot confirm it.

Every seal has a ``score``: at least ``SEAL_SCORE`` is a seal; between ``WEAK_SCORE`` and
``SEAL_SCORE`` is a possible seal (a partial or faint blob, a colourless page), which rules
report as a warning to check, never as a sure seal or a sure absence. Boxes are in the
pixels of the image given (the upright page).

A 骑缝章 (seam seal) is stamped across the fanned edges of a bound book, so each page shows
only a slice of it: red ink that touches the page's left or right edge, taller than wide,
with no more than a seal's height. Such a blob is returned as a seal with ``edge`` set, and
never as a whole seal (a whole seal stamped close to the edge stays a whole seal).

This module is the recipe (``find_seals``), the seam slices and the colourless pages; the
ink mask, the blobs and their shape measures are in ``extractors.ocr.seal_blobs``, the
reading of a seal's legend in ``extractors.ocr.seal_legend``.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors.ocr.base import OcrEngine
from extractors.ocr.seal_blobs import (
    SEAL_MM,
    Box,
    blob_box,
    box_mm,
    box_overlap,
    chroma_factor,
    erase_rules,
    in_a_row,
    ink_blobs,
    measure,
    px_per_mm,
    refit_circle,
    seal_ink,
    shape_score,
)
from extractors.ocr.seal_legend import read_legend
from models.document import BBox, Seal

SEAL_SCORE = 0.6
"""A blob scoring at least this is a seal."""
WEAK_SCORE = 0.35
"""A blob scoring at least this (and under ``SEAL_SCORE``) is returned as a possible seal."""
EDGE_MARGIN = 0.02
"""A seam slice reaches within this share of the page width from the edge."""
SLICE_MM = (6.0, 55.0)
"""A seam slice's height, millimetres: up to a whole seal's (38–45 mm, with room for a
misjudged dpi); a red rule down the margin is longer (and erased before this)."""
WORK_PPMM = 6.0
"""Pages of twice this resolution (about 150 dpi) or finer are searched at a whole fraction
of their resolution near it."""
MIN_INK = 50
"""A page with fewer seal-ink pixels than this (once red rules are erased) has no red seal."""
CLEAR_RING = 0.85
"""A blob whose outline is inked this much all round is a seal even in a row of others."""


def find_seals(image: np.ndarray, page: int, engine: OcrEngine | None = None, dpi: float | None = None) -> list[Seal]:
    """Seals on an RGB page image (``dpi`` when known; else the image is taken as A4), sure
    ones and possible ones (``score`` under ``SEAL_SCORE``), and 骑缝章 slices. With an
    ``engine`` the legend of a sure seal is read best-effort from the seal unrolled into a
    strip; ``text`` stays None when nothing readable comes out."""
    full = px_per_mm(image.shape, dpi)
    step = max(1, round(full / WORK_PPMM))  # a seal is plain at 150 dpi; finer only costs time
    scale = 1.0 / step
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if step > 1 else image
    ppmm = full * scale
    ink = seal_ink(small)
    if cv2.countNonZero(ink) < MIN_INK:  # erasing rules only takes ink away
        return colourless_seals(image, page, full)
    mask = erase_rules(ink, ppmm)
    if cv2.countNonZero(mask) < MIN_INK:
        return colourless_seals(image, page, full)
    candidates: list[tuple[float, Box]] = []
    slices: list[Seal] = []
    fine = max(3, round(1.5 * ppmm))
    for level, join in enumerate((fine, max(fine + 2, round(5 * ppmm)), max(fine + 4, round(9 * ppmm)))):
        blobs = ink_blobs(mask, join)
        boxes = [blob_box(points) for points in blobs]
        if level > 0 and not _unresolved(boxes, candidates, ppmm):
            break  # every blob is a sure seal or a speck: no broken seal to piece together
        for points, box in zip(blobs, boxes, strict=True):
            edge = seam_edge(points, mask.shape[1])
            shape = measure(mask, points, ppmm)
            score = shape_score(shape) if shape is not None else 0.0
            if shape is not None and score < SEAL_SCORE and box_mm(box, ppmm) >= SEAL_MM[0]:
                refit = refit_circle(mask, box, ppmm)  # a stroke or a neighbour joined to a seal
                if refit is not None and shape_score(refit) > score:
                    shape, score = refit, shape_score(refit)
            if shape is not None and score > 0:
                score *= chroma_factor(small, mask, shape.box)
                if shape.ring < CLEAR_RING and in_a_row(box, boxes):
                    score = 0.0  # a glyph of a red headline, not a seal
            if edge is not None and not (shape is not None and score >= SEAL_SCORE and shape.aspect >= 0.8):
                piece = _seam_slice(mask, points, page, edge, ppmm) if level == 0 else None
                if piece is not None:
                    slices.append(piece)
                continue
            if shape is not None and score >= WEAK_SCORE:
                candidates.append((round(score, 3), shape.box))
    kept: list[tuple[float, Box]] = []
    for score, box in sorted(candidates, key=lambda c: (-c[0], -c[1][2] * c[1][3])):
        if not any(box_overlap(box, other) > 0.3 for _, other in kept):
            kept.append((score, box))
    seals = []
    for score, (x, y, bw, bh) in kept:
        bbox = BBox(x0=x / scale, y0=y / scale, x1=(x + bw) / scale, y1=(y + bh) / scale)
        text = read_legend(image, bbox, engine) if engine is not None and score >= SEAL_SCORE else None
        seals.append(Seal(page=page, bbox=bbox, score=score, text=text, source="image"))
    slices = [_scaled(piece, scale) for piece in merge_slices(slices, gap=9 * ppmm)]
    return sorted(seals + slices, key=lambda s: (s.bbox.y0, s.bbox.x0) if s.bbox else (0.0, 0.0))


def _unresolved(boxes: list[Box], candidates: list[tuple[float, Box]], ppmm: float) -> bool:
    """Whether any blob of 5 mm or more lies outside every sure seal found so far."""
    sure = [box for score, box in candidates if score >= SEAL_SCORE]
    return any(
        max(box[2], box[3]) >= 5 * ppmm and not any(box_overlap(box, seal) > 0.5 for seal in sure) for box in boxes
    )


def _scaled(seal: Seal, scale: float) -> Seal:
    """``seal`` with its box taken from the working image back to the page image."""
    if scale == 1.0 or seal.bbox is None:
        return seal
    b = seal.bbox
    return seal.model_copy(update={"bbox": BBox(x0=b.x0 / scale, y0=b.y0 / scale, x1=b.x1 / scale, y1=b.y1 / scale)})


COLOURLESS_SCORE = 0.45
"""The score of a ring found on a page without colour: a possible seal, never a sure one."""


def is_colourless(image: np.ndarray) -> bool:
    """True for a page with (next to) no colour anywhere: 1-bit and grey scans, photocopies."""
    sample = image[::4, ::4].astype(np.int16)
    chroma = sample.max(axis=2) - sample.min(axis=2)
    return float(np.mean(chroma > 40)) < 0.0005


def colourless_seals(image: np.ndarray, page: int, ppmm: float) -> list[Seal]:
    """Possible seals on a page without colour: closed dark circles of 24–48 mm, inked all
    round and with ink inside (a black-and-white scan prints a red seal black). Returned
    with ``COLOURLESS_SCORE``: colour cannot confirm them."""
    if not is_colourless(image):
        return []
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    scale = min(1.0, 4.0 / ppmm)  # about 4 px/mm is plenty for a 40 mm ring
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    sppmm = ppmm * scale
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 1.2),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=int(20 * sppmm),
        param1=120,
        param2=40,
        minRadius=int(12 * sppmm),
        maxRadius=int(24 * sppmm),
    )
    if circles is None:
        return []
    dark = np.where(small < 128, 255, 0).astype(np.uint8)
    seals: list[Seal] = []
    for cx, cy, r in circles[0][:20]:
        pts = np.array(
            [[cx + r * np.cos(t), cy + r * np.sin(t)] for t in np.linspace(0, 2 * np.pi, 64, endpoint=False)]
        )
        shape = measure(dark, pts, sppmm)
        if shape is None or shape.ring < 0.9 or shape.sectors < 8 or not 0.05 <= shape.fill <= 0.5:
            continue
        if shape.centre < 0.05:
            continue
        x0, y0, x1, y1 = ((cx - r) / scale, (cy - r) / scale, (cx + r) / scale, (cy + r) / scale)
        box = BBox(x0=float(x0), y0=float(y0), x1=float(x1), y1=float(y1))
        if any(s.bbox is not None and _inside(box, s.bbox) for s in seals):
            continue
        seals.append(Seal(page=page, bbox=box, score=COLOURLESS_SCORE, source="image"))
    return seals


def _inside(box: BBox, outer: BBox) -> bool:
    """True when ``box``'s centre lies within ``outer``."""
    return outer.x0 <= box.cx <= outer.x1 and outer.y0 <= box.cy <= outer.y1


def merge_slices(slices: list[Seal], gap: float) -> list[Seal]:
    """One slice per run of pieces along an edge: a strip of a seal often breaks into its ring's
    arc and bits of the legend, less than ``gap`` pixels apart."""
    merged: list[Seal] = []
    for piece in sorted(slices, key=lambda s: (s.edge or "", s.bbox.y0 if s.bbox else 0.0)):
        last = merged[-1] if merged else None
        a, b = (last.bbox if last is not None else None), piece.bbox
        if last is not None and a is not None and b is not None and last.edge == piece.edge and b.y0 - a.y1 < gap:
            box = BBox(x0=min(a.x0, b.x0), y0=a.y0, x1=max(a.x1, b.x1), y1=max(a.y1, b.y1))
            merged[-1] = last.model_copy(update={"bbox": box, "score": max(last.score, piece.score)})
        else:
            merged.append(piece)
    return merged


def seam_edge(points: np.ndarray, width: int) -> str | None:
    """``left``/``right`` when a blob's ink (``points``, N×2 x/y) reaches within
    ``EDGE_MARGIN`` of the page's ``width`` from that side, else None."""
    margin = max(2, int(width * EDGE_MARGIN))
    if points[:, 0].max() >= width - 1 - margin:
        return "right"
    if points[:, 0].min() <= margin:
        return "left"
    return None


def _seam_slice(mask: np.ndarray, points: np.ndarray, page: int, edge: str, ppmm: float) -> Seal | None:
    """The blob as a seam-seal slice, or nothing when its shape is not one: a slice is no
    taller than a seal, at most as wide as it is tall, and carries a fair amount of ink (a
    red rule running down the margin is too tall, a speck too small)."""
    x, y, bw, bh = cv2.boundingRect(points.astype(np.int32))
    if not SLICE_MM[0] <= bh / ppmm <= SLICE_MM[1] or bw > bh:
        return None
    ink = float(np.count_nonzero(mask[y : y + bh, x : x + bw])) / (bw * bh)
    if ink < 0.05:
        return None
    box = BBox(x0=float(x), y0=float(y), x1=float(x + bw), y1=float(y + bh))
    score = round(min(1.0, 0.6 + ink), 3)
    return Seal(page=page, bbox=box, score=score, source="image", edge=edge)  # type: ignore[arg-type]
