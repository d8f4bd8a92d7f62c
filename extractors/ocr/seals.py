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
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.ocr.base import OcrEngine
from models.document import BBox, Seal

SEAL_SCORE = 0.6
"""A blob scoring at least this is a seal."""
WEAK_SCORE = 0.35
"""A blob scoring at least this (and under ``SEAL_SCORE``) is returned as a possible seal."""
SEAL_MM = (24.0, 90.0)
"""A seal's longer side, millimetres: 38–45 mm 公章, 40–45×30 mm ovals, with room for a
misjudged dpi. Smaller red marks (logos, name stamps of 20 mm, 红头 glyphs) are not seals."""
RULE_MM = 25.0
"""A straight red run at least this long (±5° of level or upright) is a rule, not a seal:
no seal's outline holds a straight piece that long."""
EDGE_MARGIN = 0.02
"""A seam slice reaches within this share of the page width from the edge."""
SLICE_MM = (6.0, 55.0)
"""A seam slice's height, millimetres: up to a whole seal's (38–45 mm, with room for a
misjudged dpi); a red rule down the margin is longer (and erased before this)."""
A4_MM = (210.0, 297.0)
WORK_PPMM = 6.0
"""Pages of twice this resolution (about 150 dpi) or finer are searched at a whole fraction
of their resolution near it."""


def px_per_mm(shape: tuple[int, ...], dpi: float | None = None) -> float:
    """Pixels per millimetre: from ``dpi`` when known, else as if the image were an A4 page
    (a cropped or landscape page gives the larger of the two sides' readings)."""
    if dpi:
        return dpi / 25.4
    short, long = min(shape[0], shape[1]), max(shape[0], shape[1])
    return max(short / A4_MM[0], long / A4_MM[1])


def seal_ink(image: np.ndarray) -> np.ndarray:
    """255 where the pixel looks like stamp-pad ink: hue from orange (~28°) through red to
    purple-red (~300°), saturated at least 0.14 and not darker than value 45, and redder
    than the paper by a margin (red over green by 22, over blue by 10) so grey or yellowed
    paper, black print and JPEG colour fringes stay out. Faded pink and dark red both pass."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    rgb = image.astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    ok = ((hue <= 14) | (hue >= 150)) & (sat >= 36) & (val >= 45)
    ok &= (red - green >= 22) & (red - blue >= 10)
    return np.where(ok, 255, 0).astype(np.uint8)


def erase_rules(mask: np.ndarray, ppmm: float) -> np.ndarray:
    """``mask`` with long straight runs (within 5° of level or upright, at least
    ``RULE_MM``) erased: red table lines, the 红头 rule, a red frame round the page. Level
    and upright runs go by morphology (whole, with their blurred edges), slanted ones (a
    skewed scan) by a line transform."""
    length = int(RULE_MM * ppmm)
    out = mask.copy()
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        if runs.any():
            out[cv2.dilate(runs, np.ones((3, 3), np.uint8), iterations=2) > 0] = 0
    lines = cv2.HoughLinesP(out, 1, np.pi / 360, threshold=max(20, length // 2), minLineLength=length, maxLineGap=2)
    if lines is None:
        return out
    width = max(3, round(0.8 * ppmm))
    for x0, y0, x1, y1 in lines.reshape(-1, 4):
        angle = abs(np.degrees(np.arctan2(y1 - y0, x1 - x0))) % 90
        if min(angle, 90 - angle) <= 5:
            cv2.line(out, (int(x0), int(y0)), (int(x1), int(y1)), 0, width)
    return out


Box = tuple[int, int, int, int]
"""x, y, width, height in page pixels."""


@dataclass(frozen=True)
class Shape:
    """What a blob looks like as a seal."""

    box: Box
    size_mm: float  # the fitted ellipse's longer axis
    aspect: float  # shorter / longer axis
    ring: float  # share of the outline inked
    sectors: int  # of 8 sectors, those whose outline is at least a quarter inked
    fill: float  # share of the ellipse's area that is ink
    centre: float  # share of the inner ellipse (0.4 of the axes) that is ink


def measure(mask: np.ndarray, points: np.ndarray, ppmm: float) -> Shape | None:
    """Fit an ellipse to a blob's ink (``points``, N×2 x/y) and measure it on ``mask``
    (only the blob's neighbourhood is looked at)."""
    if len(points) < 20:
        return None
    hull = cv2.convexHull(points.astype(np.int32))
    if len(hull) < 5:
        return None
    (cx, cy), (d1, d2), angle = cv2.fitEllipse(hull)
    if not (np.isfinite(cx) and np.isfinite(d1) and np.isfinite(d2)) or min(d1, d2) < 4:
        return None
    if max(d1, d2) > SEAL_MM[1] * ppmm * 1.5:
        return None
    x, y, w, h = cv2.boundingRect(hull)
    if max(d1, d2) > 1.2 * max(w, h) or min(d1, d2) > 1.25 * min(w, h):
        return None  # an arc: the ellipse it would close is not on the page (a piece of a seal)
    pad = int(max(d1, d2) / 2 + 2 * ppmm)
    ox, oy = max(0, int(cx) - pad), max(0, int(cy) - pad)
    crop = mask[oy : int(cy) + pad + 1, ox : int(cx) + pad + 1]
    cx, cy = cx - ox, cy - oy
    ax, ay = d1 / 2, d2 / 2
    theta = np.radians(angle)
    cos, sin = np.cos(theta), np.sin(theta)
    grown = cv2.dilate(crop, np.ones((3, 3), np.uint8), iterations=max(1, round(0.4 * ppmm)))
    t = np.linspace(0, 2 * np.pi, 176, endpoint=False)
    hit = np.zeros(t.size, bool)
    for scale in (0.86, 0.89, 0.92, 0.95, 0.98, 1.01):  # the best single outline, not a union
        u, v = scale * ax * np.cos(t), scale * ay * np.sin(t)
        xs = np.clip(cx + u * cos - v * sin, 0, crop.shape[1] - 1).astype(int)
        ys = np.clip(cy + u * sin + v * cos, 0, crop.shape[0] - 1).astype(int)
        on = grown[ys, xs] > 0
        if on.mean() > hit.mean():
            hit = on
    sectors = int(sum(part.mean() >= 0.25 for part in np.split(hit, 8)))
    area = np.zeros(crop.shape, np.uint8)
    cv2.ellipse(area, ((cx, cy), (d1, d2), angle), 255, -1)
    inner = np.zeros(crop.shape, np.uint8)
    cv2.ellipse(inner, ((cx, cy), (d1 * 0.4, d2 * 0.4), angle), 255, -1)
    ink = crop > 0
    fill = float(np.count_nonzero(ink & (area > 0))) / max(1, int(np.count_nonzero(area)))
    centre = float(np.count_nonzero(ink & (inner > 0))) / max(1, int(np.count_nonzero(inner)))
    return Shape(
        box=(x, y, w, h),
        size_mm=max(d1, d2) / ppmm,
        aspect=min(d1, d2) / max(d1, d2),
        ring=float(hit.mean()),
        sectors=sectors,
        fill=fill,
        centre=centre,
    )


def shape_score(shape: Shape) -> float:
    """How much a measured blob looks like a seal, 0..1 (0: it cannot be one).

    The inked outline carries most of it (a seal's ring is closed: 0.75 and more of it inked
    counts in full; a broken seal keeps 0.4–0.7; the legend inside a ring about 0.6; red
    headline glyphs about 0.35). The rest: ink all round (sectors), a seal's ink share (a
    ring, a legend and a star leave most of the area blank; bold headline glyphs and
    filled logos do not), ink at the centre but not a solid centre, and roundness."""
    if not SEAL_MM[0] <= shape.size_mm <= SEAL_MM[1] or shape.aspect < 0.5:
        return 0.0
    if shape.fill > 0.6 or shape.ring < 0.35:  # a filled disc or logo; no outline at all
        return 0.0
    ring_s = min(1.0, (shape.ring - 0.35) / 0.4)
    sectors_s = shape.sectors / 8
    fill_s = 1.0 if 0.05 <= shape.fill <= 0.36 else max(0.0, (0.55 - shape.fill) / 0.19) if shape.fill > 0.36 else 0.5
    centre_s = min(1.0, shape.centre / 0.05, max(0.0, (0.7 - shape.centre) / 0.25))
    aspect_s = min(1.0, (shape.aspect - 0.5) / 0.3)
    base = 0.3 * sectors_s + 0.2 * fill_s + 0.25 * centre_s + 0.25 * aspect_s
    return 0.55 * ring_s + 0.45 * base


def _chroma_factor(image: np.ndarray, mask: np.ndarray, box: Box) -> float:
    """0.85..1: faint ink (red over green by less than ~70 on average) is weaker evidence."""
    x, y, w, h = box
    patch, ink = image[y : y + h, x : x + w].astype(np.int16), mask[y : y + h, x : x + w] > 0
    if not ink.any():
        return 0.85
    chroma = float(np.mean(patch[..., 0][ink] - patch[..., 1][ink]))
    return 0.85 + 0.15 * min(1.0, max(0.0, (chroma - 30.0) / 40.0))


def _components(mask: np.ndarray, join: int) -> list[np.ndarray]:
    """Ink pixel coordinates (N×2, x/y) of each blob once strokes closer than ``join``
    pixels are joined; a red frame's hole does not hide the blobs inside it."""
    kernel = np.ones((join, join), np.uint8)
    closed = cv2.dilate(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    out = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        ys, xs = np.nonzero((labels[y : y + h, x : x + w] == label) & (mask[y : y + h, x : x + w] > 0))
        if xs.size:
            out.append(np.stack([xs + x, ys + y], axis=1))
    return out


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    return ix * iy / max(1, min(a[2] * a[3], b[2] * b[3]))


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
    mask = erase_rules(seal_ink(small), ppmm)
    if np.count_nonzero(mask) < 50:
        return colourless_seals(image, page, full)
    candidates: list[tuple[float, Box]] = []
    slices: list[Seal] = []
    fine = max(3, round(1.5 * ppmm))
    for level, join in enumerate((fine, max(fine + 2, round(5 * ppmm)), max(fine + 4, round(9 * ppmm)))):
        blobs = _components(mask, join)
        boxes = [_box(points) for points in blobs]
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
                score *= _chroma_factor(small, mask, shape.box)
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
        if not any(_overlap(box, other) > 0.3 for _, other in kept):
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
    return any(max(box[2], box[3]) >= 5 * ppmm and not any(_overlap(box, seal) > 0.5 for seal in sure) for box in boxes)


def _scaled(seal: Seal, scale: float) -> Seal:
    """``seal`` with its box taken from the working image back to the page image."""
    if scale == 1.0 or seal.bbox is None:
        return seal
    b = seal.bbox
    return seal.model_copy(update={"bbox": BBox(x0=b.x0 / scale, y0=b.y0 / scale, x1=b.x1 / scale, y1=b.y1 / scale)})


CLEAR_RING = 0.85
"""A blob whose outline is inked this much all round is a seal even in a row of others."""


def box_mm(box: Box, ppmm: float) -> float:
    """The longer side of ``box`` in millimetres."""
    return max(box[2], box[3]) / ppmm


def refit_circle(mask: np.ndarray, box: Box, ppmm: float) -> Shape | None:
    """The best round seal inside a blob that is more than a seal (a signature stroke or red
    text run into it): circles of 24–50 mm found by a Hough transform, measured like a blob."""
    x, y, w, h = box
    crop = mask[y : y + h, x : x + w]
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(crop, (5, 5), 1.5),
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=int(20 * ppmm),
        param1=100,
        param2=20,
        minRadius=int(12 * ppmm),
        maxRadius=int(25 * ppmm),
    )
    if circles is None:
        return None
    best: Shape | None = None
    t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    for cx, cy, r in circles[0][:4]:
        points = np.stack([x + cx + r * np.cos(t), y + cy + r * np.sin(t)], axis=1)
        shape = measure(mask, points, ppmm)
        if shape is not None and (best is None or shape_score(shape) > shape_score(best)):
            best = shape
    return best


def _box(points: np.ndarray) -> Box:
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return int(x0), int(y0), int(x1 - x0 + 1), int(y1 - y0 + 1)


def in_a_row(box: Box, boxes: list[Box]) -> bool:
    """True when another blob of about the same height sits beside ``box`` on the same line
    (centres within a quarter of the height, gap under 0.6 of it): glyphs of red text."""
    x, y, w, h = box
    for ox, oy, ow, oh in boxes:
        if (ox, oy, ow, oh) == box or not 0.6 * h <= oh <= 1.6 * h:
            continue
        if abs((oy + oh / 2) - (y + h / 2)) > 0.25 * h:
            continue
        gap = max(ox - (x + w), x - (ox + ow))
        if gap < 0.6 * h:
            return True
    return False


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
