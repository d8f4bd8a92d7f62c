"""Red ink on a page image and the blobs it makes: the ink mask, red rules erased, blobs
joined at a given reach, and how much each blob looks like a seal (an ellipse fitted to it,
its inked outline, its fill and its centre). ``extractors.ocr.seals`` decides from these.

Sizes are in millimetres through ``px_per_mm``. Every mask operation here that would scan a
whole page works inside the window round the ink (see ``ink_window``), with a margin wide
enough that the result is the same pixel for pixel as on the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SEAL_MM = (24.0, 90.0)
"""A seal's longer side, millimetres: 38–45 mm 公章, 40–45×30 mm ovals, with room for a
misjudged dpi. Smaller red marks (logos, name stamps of 20 mm, 红头 glyphs) are not seals."""
RULE_MM = 25.0
"""A straight red run at least this long (±5° of level or upright) is a rule, not a seal:
no seal's outline holds a straight piece that long."""
A4_MM = (210.0, 297.0)


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
    paper, black print and JPEG colour fringes stay out. Faded pink and dark red both pass.

    Built from OpenCV's range and saturating-subtract kernels: the same mask as the numpy
    expression of these tests on a 16-bit copy, at a fifth of its cost."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    hue = cv2.bitwise_or(
        cv2.inRange(hsv, (0, 36, 45), (14, 255, 255)), cv2.inRange(hsv, (150, 36, 45), (255, 255, 255))
    )
    red, green, blue = cv2.split(image)
    _, over_green = cv2.threshold(cv2.subtract(red, green), 21, 255, cv2.THRESH_BINARY)  # red - green >= 22
    _, over_blue = cv2.threshold(cv2.subtract(red, blue), 9, 255, cv2.THRESH_BINARY)  # red - blue >= 10
    return cv2.bitwise_and(cv2.bitwise_and(hue, over_green), over_blue)


def ink_window(mask: np.ndarray, margin: int) -> tuple[slice, slice]:
    """Rows and columns of ``mask`` that hold all its ink, widened by ``margin`` pixels
    (within the mask; the start rounded down to an even pixel, so connected-component
    labelling meets the blobs in the same order as on the whole mask).

    A morphological operation whose kernel reaches less than ``margin / 2`` gives inside
    this window exactly what it gives on the whole mask: beyond the ink there is only
    background, which neither dilation nor erosion can change where nothing is inked.
    An empty mask gives an empty window."""
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return slice(0, 0), slice(0, 0)
    x0, y0 = max(0, x - margin) & ~1, max(0, y - margin) & ~1
    return slice(y0, min(mask.shape[0], y + h + margin)), slice(x0, min(mask.shape[1], x + w + margin))


def erase_rules(mask: np.ndarray, ppmm: float) -> np.ndarray:
    """``mask`` with long straight runs (within 5° of level or upright, at least
    ``RULE_MM``) erased: red table lines, the 红头 rule, a red frame round the page. Level
    and upright runs go by morphology (whole, with their blurred edges), slanted ones (a
    skewed scan) by a line transform."""
    length = int(RULE_MM * ppmm)
    out = mask.copy()
    rows, cols = ink_window(mask, 2 * length + 8)
    part, kept = mask[rows, cols], out[rows, cols]  # views: erasing in ``kept`` erases in ``out``
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        runs = cv2.morphologyEx(part, cv2.MORPH_OPEN, kernel)
        if runs.any():
            kept[cv2.dilate(runs, np.ones((3, 3), np.uint8), iterations=2) > 0] = 0
    # The transform needs ``threshold`` points on one line: with fewer inked pixels left
    # there is none to find (and it would still fill an accumulator as large as the page).
    # It runs on the whole page: its line positions are rounded in page coordinates.
    threshold = max(20, length // 2)
    if cv2.countNonZero(out) < threshold:
        return out
    lines = cv2.HoughLinesP(out, 1, np.pi / 360, threshold=threshold, minLineLength=length, maxLineGap=2)
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


def chroma_factor(image: np.ndarray, mask: np.ndarray, box: Box) -> float:
    """0.85..1: faint ink (red over green by less than ~70 on average) is weaker evidence."""
    x, y, w, h = box
    patch, ink = image[y : y + h, x : x + w].astype(np.int16), mask[y : y + h, x : x + w] > 0
    if not ink.any():
        return 0.85
    chroma = float(np.mean(patch[..., 0][ink] - patch[..., 1][ink]))
    return 0.85 + 0.15 * min(1.0, max(0.0, (chroma - 30.0) / 40.0))


def ink_blobs(mask: np.ndarray, join: int) -> list[np.ndarray]:
    """Ink pixel coordinates (N×2, x/y) of each blob once strokes closer than ``join``
    pixels are joined; a red frame's hole does not hide the blobs inside it. The joining
    and labelling run inside ``ink_window`` (most of a page holds no red)."""
    rows, cols = ink_window(mask, 2 * join + 8)
    part = mask[rows, cols]
    if part.size == 0:
        return []
    kernel = np.ones((join, join), np.uint8)
    closed = cv2.dilate(cv2.morphologyEx(part, cv2.MORPH_CLOSE, kernel), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    out = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        ys, xs = np.nonzero((labels[y : y + h, x : x + w] == label) & (part[y : y + h, x : x + w] > 0))
        if xs.size:
            out.append(np.stack([xs + x + cols.start, ys + y + rows.start], axis=1))
    return out


def box_overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    return ix * iy / max(1, min(a[2] * a[3], b[2] * b[3]))


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


def blob_box(points: np.ndarray) -> Box:
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
