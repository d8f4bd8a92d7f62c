"""Seal detection on scanned pages stamped the way applicants really stamp them.

A renderer of its own (no code shared with ``samples/gen`` or ``bench/ocr_bench.py``): A4
pages of black text with a signature block, stamped with round official seals of 38–45 mm
(ring, five-pointed star, the unit's name on an arc, 公章 / 合同专用章 below) and oval
财务/合同 seals of 45×30 mm, in bright red, dark red, faded pink, orange-red and
purple-red ink, with broken ink, over text, beside or under a black or blue signature, at
several places on the page; then grey paper, skew, JPEG quality 30 and 1-bit scans. And
seal-free pages that carry red that is not a seal: 红头 titles with their rule and star, red
table lines, red signatures and pen circles, red logos.

``find_seals`` runs on each page image (no OCR) and the table says, per variant, how many
pages were tried, how many of the seals present were found (centre inside a found seal's
box; weak finds — score under ``SEAL_SCORE`` — counted apart) and how many false seals
came out (sure and weak).

    .venv/bin/python bench/seal_variants.py            # every variant, 3 pages each
    .venv/bin/python bench/seal_variants.py --pages 5 --only faded

The ``render_*`` / ``stamp`` / ``finish`` functions and ``VARIANTS`` are reused by
``tests/test_seals_robust.py``.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
A4_MM = (210.0, 297.0)
RGB = tuple[int, int, int]

INKS: dict[str, RGB] = {
    "red": (222, 32, 42),
    "dark_red": (139, 26, 26),
    "faded": (236, 140, 152),
    "orange_red": (238, 88, 34),
    "purple_red": (160, 34, 96),
    "maroon": (98, 22, 30),
    "pale": (242, 178, 186),
}
"""Stamp-pad inks: what a seal of each looks like where the ink is solid."""

UNITS = (
    "山西晋阳智能装备有限公司",
    "广西柳州汽车零部件股份有限公司",
    "太原市龙城精密制造有限责任公司",
    "南宁高新技术产业开发区管理委员会",
)

TEXT = (
    "本单位承诺所提交的申报材料真实、准确、完整，不存在弄虚作假行为，近三年未发生重大安全、"
    "质量和环境污染事故，无违法违规记录。如有不实，本单位愿意承担相应责任并接受处理。"
    "企业在服务型制造领域具有较强的创新能力和示范带动作用，服务收入占营业收入比重逐年提高。"
)


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, max(6, size), index=0)


def mm(value: float, dpi: int) -> int:
    """``value`` millimetres in pixels at ``dpi``."""
    return round(value * dpi / 25.4)


# --- seals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """One seal: its shape and size, the words on it, the ink and how well it printed."""

    shape: str = "round"  # "round" | "oval"
    size_mm: tuple[float, float] = (42.0, 42.0)  # width, height
    legend: str = UNITS[0]
    centre: str = "公章"  # the line below the star (round) or across the middle (oval)
    ink: str = "red"
    strength: float = 1.0  # ink density where solid, 0..1
    broken: float = 0.0  # share of the seal's ink lost in random gaps (a dry or uneven pad)
    angle: float = 0.0  # degrees the stamp was turned when pressed
    uneven: float = 1.0  # ink left on the lighter side when pressed unevenly (1: even)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, outer: float) -> None:
    points = []
    for k in range(10):
        reach = outer if k % 2 == 0 else outer * 0.382
        a = math.radians(-90 + 36 * k)
        points.append((cx + reach * math.cos(a), cy + reach * math.sin(a)))
    draw.polygon(points, fill=255)


def _arc_text(
    layer: Image.Image, text: str, cx: float, cy: float, rx: float, ry: float, size: int, span: float
) -> None:
    """``text`` along the upper arc of an ellipse, glyph tops outwards, left to right."""
    n = len(text)
    for k, ch in enumerate(text):
        angle = -90 - span / 2 + span * (k + 0.5) / n  # 0 = 3 o'clock, clockwise
        tile = Image.new("L", (size * 2, size * 2), 0)
        tdraw = ImageDraw.Draw(tile)
        tdraw.text((size, size), ch, fill=255, font=font(size), anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = cx + rx * math.cos(math.radians(angle))
        y = cy + ry * math.sin(math.radians(angle))
        layer.paste(255, (int(x - size), int(y - size)), tile)


def seal_ink(stamp: Stamp, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """The seal's ink as coverage 0..1 (float32), in a square just larger than the seal."""
    w, h = mm(stamp.size_mm[0], dpi), mm(stamp.size_mm[1], dpi)
    side = int(max(w, h) * 1.15) + 4
    layer = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(layer)
    cx = cy = side / 2
    rx, ry = w / 2, h / 2
    ring = max(2, mm(stamp.size_mm[0] / 36, dpi))
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=255, width=ring)
    if stamp.shape == "round":
        _star(draw, cx, cy, rx * 0.33)
        span = min(240.0, 22.0 * len(stamp.legend))
        per_glyph = math.radians(span) * rx * 0.7 / len(stamp.legend)
        size = max(7, int(min(rx * 0.28, per_glyph * 0.95)))
        _arc_text(layer, stamp.legend, cx, cy, rx * 0.7, ry * 0.7, size, span)
        sub = max(6, int(rx * 0.2))
        draw.text((cx, cy + ry * 0.55), stamp.centre, fill=255, font=font(sub), anchor="mm")
    else:
        inner = max(1, ring // 2)
        draw.ellipse((cx - rx * 0.86, cy - ry * 0.86, cx + rx * 0.86, cy + ry * 0.86), outline=255, width=inner)
        size = max(6, int(ry * 0.26))
        _arc_text(layer, stamp.legend, cx, cy, rx * 0.68, ry * 0.6, size, min(200.0, 16.0 * len(stamp.legend)))
        sub = max(6, int(ry * 0.3))
        draw.text((cx, cy + ry * 0.22), stamp.centre, fill=255, font=font(sub), anchor="mm")
        draw.text((cx, cy + ry * 0.58), "1401090012345", fill=255, font=font(max(5, sub // 2)), anchor="mm")
    if stamp.angle:
        layer = layer.rotate(stamp.angle, resample=Image.BICUBIC)
    ink = np.asarray(layer, np.float32) / 255.0
    ink = cv2.GaussianBlur(ink, (0, 0), max(0.5, dpi / 300))  # ink spreads a little into paper
    texture = 0.8 + 0.2 * cv2.GaussianBlur(rng.random(ink.shape).astype(np.float32), (0, 0), 2.0) * 2
    ink = np.clip(ink * np.clip(texture, 0.0, 1.0) * stamp.strength, 0.0, 1.0)
    if stamp.uneven < 1.0:  # pressed harder on the left: ink fades towards the right
        ink *= np.linspace(1.0, stamp.uneven, ink.shape[1], dtype=np.float32)[None, :]
    if stamp.broken > 0:
        blotch = cv2.GaussianBlur(rng.random(ink.shape).astype(np.float32), (0, 0), max(2.0, side / 40))
        ink[blotch < np.quantile(blotch, stamp.broken)] = 0.0
    return ink


def stamp(page: np.ndarray, ink: np.ndarray, colour: RGB, cx: int, cy: int) -> tuple[int, int, int, int]:
    """Press ``ink`` (coverage) in ``colour`` onto ``page`` (RGB uint8, in place)
    centred at (cx, cy), multiplied like ink so print under it shows through. Returns the
    inked box (x0, y0, x1, y1) clipped to the page."""
    h, w = page.shape[:2]
    side = ink.shape[0]
    x0, y0 = cx - side // 2, cy - side // 2
    sx0, sy0 = max(0, -x0), max(0, -y0)
    sx1, sy1 = min(side, w - x0), min(side, h - y0)
    if sx1 <= sx0 or sy1 <= sy0:
        return (0, 0, 0, 0)
    alpha = ink[sy0:sy1, sx0:sx1, None]
    tint = np.asarray(colour, np.float32)[None, None, :] / 255.0
    window = np.s_[y0 + sy0 : y0 + sy1, x0 + sx0 : x0 + sx1]
    page[window] = np.clip(page[window].astype(np.float32) * (1.0 - alpha * (1.0 - tint)), 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(ink[sy0:sy1, sx0:sx1] > 0.2)
    if ys.size == 0:
        return (0, 0, 0, 0)
    return (x0 + sx0 + int(xs.min()), y0 + sy0 + int(ys.min()), x0 + sx0 + int(xs.max()), y0 + sy0 + int(ys.max()))


def signature(page: np.ndarray, x: int, y: int, length: int, colour: RGB, dpi: int, rng: np.random.Generator) -> None:
    """A handwritten-like scribble (a name in running hand) starting at (x, y), ``length``
    pixels long, drawn in ``colour`` (in place)."""
    t = np.linspace(0, 1, 240)
    loops = rng.uniform(4, 7)
    height = mm(rng.uniform(6, 10), dpi)
    xs = length * t + height * 0.35 * np.sin(2 * np.pi * loops * t + rng.uniform(0, 6)) + height
    ys = (
        height * 0.5 * np.sin(2 * np.pi * loops * 1.7 * t) * (0.6 + 0.4 * np.cos(9 * t)) - height * 0.3 * t + 2 * height
    )
    img = Image.new("L", (length + 2 * height, 4 * height), 0)
    ImageDraw.Draw(img).line(
        list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=255, width=max(2, mm(0.5, dpi)), joint="curve"
    )
    ink = np.asarray(img, np.float32) / 255.0
    side = max(ink.shape)
    square = np.zeros((side, side), np.float32)
    square[: ink.shape[0], : ink.shape[1]] = ink
    stamp(page, square, colour, x - height + side // 2, y - 2 * height + side // 2)


# --- pages ------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A page being made: float RGB pixels, its dpi, and where the signature block is."""

    pixels: np.ndarray  # RGB uint8
    dpi: int
    places: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (x, y) px
    seals: list[tuple[int, int, int, int]] = field(default_factory=list)  # boxes of the seals pressed


def render_page(dpi: int = 150, paper: RGB = (255, 255, 255), lines: int = 22) -> Sheet:
    """An A4 commitment-like page: a black title, body text, 申报单位（盖章）, 法定代表人（签字）
    and the date line. ``places`` names the spots seals go (pixels)."""
    w, h = mm(A4_MM[0], dpi), mm(A4_MM[1], dpi)
    img = Image.new("RGB", (w, h), paper)
    draw = ImageDraw.Draw(img)
    draw.text((w / 2, mm(30, dpi)), "填报单位意见及真实性承诺", fill=(20, 20, 20), font=font(mm(6, dpi)), anchor="mm")
    body = font(mm(4.2, dpi))
    left, right = mm(25, dpi), w - mm(25, dpi)
    y, step, text = mm(45, dpi), mm(7, dpi), TEXT * 4
    pos = 0
    for _ in range(lines):
        line = ""
        while pos < len(text) and body.getlength(line + text[pos]) < right - left:
            line += text[pos]
            pos += 1
        draw.text((left, y), line, fill=(25, 25, 25), font=body)
        y += step
    label_y = mm(215, dpi)
    draw.text((mm(95, dpi), label_y), "申报单位（盖章）：", fill=(25, 25, 25), font=body)
    draw.text((mm(95, dpi), label_y + mm(14, dpi)), "法定代表人（签字）：", fill=(25, 25, 25), font=body)
    date_y = label_y + mm(30, dpi)
    draw.text((mm(130, dpi), date_y), "2021年3月5日", fill=(25, 25, 25), font=body)
    places = {
        "bottom_right": (mm(150, dpi), mm(222, dpi)),
        "bottom_centre": (mm(105, dpi), mm(262, dpi)),
        "over_date": (mm(150, dpi), date_y + mm(2, dpi)),
        "over_text": (mm(70, dpi), mm(110, dpi)),
        "signature": (mm(135, dpi), label_y + mm(16, dpi)),
    }
    return Sheet(np.array(img), dpi, places)


def press(sheet: Sheet, seal: Stamp, at: str | tuple[int, int], rng: np.random.Generator) -> None:
    """Stamp ``seal`` on the sheet at a named place (or pixel centre); ``near_edge`` puts a
    whole seal 3 mm from the right edge."""
    ink = seal_ink(seal, sheet.dpi, rng)
    if at == "near_edge":
        w = sheet.pixels.shape[1]
        cx, cy = w - mm(3 + seal.size_mm[0] / 2, sheet.dpi), mm(160, sheet.dpi)
    elif isinstance(at, str):
        cx, cy = sheet.places[at]
    else:
        cx, cy = at
    jitter = mm(3, sheet.dpi)
    cx += int(rng.integers(-jitter, jitter + 1))
    cy += int(rng.integers(-jitter, jitter + 1))
    sheet.seals.append(stamp(sheet.pixels, ink, INKS[seal.ink], cx, cy))


def red_heading(sheet: Sheet, colour: RGB = (215, 25, 30)) -> None:
    """A 红头: the issuing body's name in large red letters, a red rule with a star in it."""
    img = Image.fromarray(sheet.pixels)
    draw = ImageDraw.Draw(img)
    dpi, w = sheet.dpi, img.width
    draw.text((w / 2, mm(22, dpi)), "山西省工业和信息化厅文件", fill=colour, font=font(mm(13, dpi)), anchor="mm")
    y = mm(38, dpi)
    gap = mm(5, dpi)
    draw.rectangle((mm(20, dpi), y, w / 2 - gap, y + mm(0.8, dpi)), fill=colour)
    draw.rectangle((w / 2 + gap, y, w - mm(20, dpi), y + mm(0.8, dpi)), fill=colour)
    points = []
    for k in range(10):
        reach = mm(3.5, dpi) if k % 2 == 0 else mm(1.4, dpi)
        a = math.radians(-90 + 36 * k)
        points.append((w / 2 + reach * math.cos(a), y + reach * math.sin(a)))
    draw.polygon(points, fill=colour)
    sheet.pixels = np.array(img)


def large_heading(sheet: Sheet, colour: RGB = (212, 28, 34)) -> None:
    """A 红头 with few, large glyphs (20 mm), each nearly a seal's size."""
    img = Image.fromarray(sheet.pixels)
    draw = ImageDraw.Draw(img)
    dpi, w = sheet.dpi, img.width
    draw.text((w / 2, mm(24, dpi)), "太原市人民政府", fill=colour, font=font(mm(21, dpi)), anchor="mm")
    sheet.pixels = np.array(img)


def red_table(sheet: Sheet, colour: RGB = (205, 40, 45)) -> None:
    """A ruled table in red lines over the lower half (forms printed in red)."""
    img = Image.fromarray(sheet.pixels)
    draw = ImageDraw.Draw(img)
    dpi = sheet.dpi
    x0, x1, y0 = mm(20, dpi), mm(190, dpi), mm(150, dpi)
    rows, cols, lw = 6, 4, max(1, mm(0.4, dpi))
    for r in range(rows + 1):
        y = y0 + r * mm(12, dpi)
        draw.line((x0, y, x1, y), fill=colour, width=lw)
    for c in range(cols + 1):
        x = x0 + c * (x1 - x0) // cols
        draw.line((x, y0, x, y0 + rows * mm(12, dpi)), fill=colour, width=lw)
    # a red underline rule under a line of text, and a red box round a note
    draw.line((mm(25, dpi), mm(52, dpi), mm(180, dpi), mm(52, dpi)), fill=colour, width=lw * 2)
    draw.rectangle((mm(40, dpi), mm(80, dpi), mm(75, dpi), mm(110, dpi)), outline=colour, width=lw)
    sheet.pixels = np.array(img)


def red_pen(sheet: Sheet, rng: np.random.Generator, colour: RGB = (200, 30, 40)) -> None:
    """Red handwriting: a signature in red, a red tick and a hand-drawn circle round a word."""
    dpi = sheet.dpi
    x, y = sheet.places["signature"]
    signature(sheet.pixels, x, y, mm(45, dpi), colour, dpi, rng)
    img = Image.fromarray(sheet.pixels)
    draw = ImageDraw.Draw(img)
    cx, cy, rx, ry = mm(60, dpi), mm(95, dpi), mm(14, dpi), mm(6, dpi)
    pts = [
        (cx + rx * (1 + 0.05 * math.sin(5 * t)) * math.cos(t), cy + ry * math.sin(t))
        for t in np.linspace(0.3, 2 * math.pi + 0.6, 80)
    ]
    draw.line(pts, fill=colour, width=max(2, mm(0.5, dpi)), joint="curve")
    draw.line(
        (mm(150, dpi), mm(130, dpi), mm(154, dpi), mm(136, dpi), mm(165, dpi), mm(120, dpi)),
        fill=colour,
        width=mm(0.6, dpi),
    )
    sheet.pixels = np.array(img)


def red_logo(sheet: Sheet, colour: RGB = (210, 30, 35)) -> None:
    """Letterhead logos: a filled red disc with a white letter, and a red ring with letters."""
    img = Image.fromarray(sheet.pixels)
    draw = ImageDraw.Draw(img)
    dpi = sheet.dpi
    cx, cy, r = mm(28, dpi), mm(18, dpi), mm(9, dpi)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    draw.text((cx, cy), "晋", fill="white", font=font(mm(10, dpi)), anchor="mm")
    cx, r = mm(182, dpi), mm(8, dpi)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=mm(1.2, dpi))
    draw.text((cx, cy), "JY", fill=colour, font=font(mm(7, dpi)), anchor="mm")
    draw.text((mm(40, dpi), cy), "晋阳智能装备", fill=colour, font=font(mm(6, dpi)), anchor="lm")
    sheet.pixels = np.array(img)


def finish(
    sheet: Sheet, *, skew: float = 0.0, jpeg: int | None = None, onebit: bool = False, noise: float = 2.0
) -> np.ndarray:
    """The scanner's image of the sheet: a little sensor noise, the page turned ``skew``
    degrees, JPEG at ``jpeg`` quality, or thresholded to 1 bit (black and white)."""
    rng = np.random.default_rng(7)
    spread = max(1, round(noise))
    grain = rng.integers(-spread, spread + 1, sheet.pixels.shape, dtype=np.int16)
    img = np.clip(sheet.pixels.astype(np.int16) + grain, 0, 255).astype(np.uint8)
    if skew:
        h, w = img.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if onebit:
        grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        img = np.repeat(np.where(grey < 150, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    if jpeg is not None:
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=jpeg)
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return np.ascontiguousarray(img)


# --- variants ---------------------------------------------------------------------------

GREY: RGB = (214, 211, 204)


@dataclass(frozen=True)
class Variant:
    """A way of making a page: ``make(rng, dpi)`` → (image, boxes of the seals on it)."""

    name: str
    make: Callable[[np.random.Generator, int], tuple[np.ndarray, list[tuple[int, int, int, int]]]]
    dpis: tuple[int, ...] = (150, 200, 300)
    expect: str = "found"  # "found": every seal; "weak": found at least weakly; "none": seal-free
    note: str = ""


def _sealed(
    seals: list[tuple[Stamp, str]],
    *,
    paper: RGB = (255, 255, 255),
    sig: RGB | None = None,
    skew: float = 0.0,
    jpeg: int | None = None,
    onebit: bool = False,
    extra: Callable[[Sheet, np.random.Generator], None] | None = None,
) -> Callable[[np.random.Generator, int], tuple[np.ndarray, list[tuple[int, int, int, int]]]]:
    def make(rng: np.random.Generator, dpi: int) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
        sheet = render_page(dpi, paper)
        if extra is not None:
            extra(sheet, rng)
        for seal, at in seals:
            legend = UNITS[int(rng.integers(len(UNITS)))] if seal.legend == UNITS[0] else seal.legend
            angle = float(rng.uniform(-15, 15))
            press(sheet, Stamp(**{**seal.__dict__, "legend": legend, "angle": angle}), at, rng)
        if sig is not None:
            x, y = sheet.places["signature"]
            signature(sheet.pixels, x - mm(10, dpi), y, mm(50, dpi), sig, dpi, rng)
        return finish(sheet, skew=skew, jpeg=jpeg, onebit=onebit), sheet.seals

    return make


def _round(d: float, ink: str = "red", **kw: object) -> Stamp:
    return Stamp(size_mm=(d, d), ink=ink, **kw)  # type: ignore[arg-type]


OVAL = Stamp(shape="oval", size_mm=(45.0, 30.0), centre="财务专用章")
CONTRACT = Stamp(size_mm=(42.0, 42.0), centre="合同专用章")

VARIANTS: tuple[Variant, ...] = (
    Variant("round 38 mm", _sealed([(_round(38), "bottom_right")])),
    Variant("round 40 mm", _sealed([(_round(40), "bottom_right")])),
    Variant("round 42 mm 合同专用章", _sealed([(CONTRACT, "bottom_right")])),
    Variant("round 45 mm", _sealed([(_round(45), "bottom_right")])),
    Variant("oval 45×30 财务", _sealed([(OVAL, "bottom_right")])),
    Variant(
        "oval 45×30 合同",
        _sealed([(Stamp(shape="oval", size_mm=(45.0, 30.0), centre="合同专用章", ink="dark_red"), "bottom_centre")]),
    ),
    Variant("dark red", _sealed([(_round(42, "dark_red"), "bottom_right")])),
    Variant("faded pink", _sealed([(_round(42, "faded", strength=0.75), "bottom_right")])),
    Variant("faded pink 38 mm, broken", _sealed([(_round(38, "faded", strength=0.7, broken=0.3), "over_date")])),
    Variant("orange-red", _sealed([(_round(40, "orange_red"), "bottom_right")])),
    Variant("purple-red", _sealed([(_round(42, "purple_red"), "bottom_right")])),
    Variant("very dark (maroon)", _sealed([(_round(42, "maroon"), "bottom_right")], paper=GREY)),
    Variant("very pale pink", _sealed([(_round(42, "pale", strength=0.8), "bottom_right")])),
    Variant(
        "very pale pink, grey paper, JPEG q30",
        _sealed([(_round(40, "pale", strength=0.8), "over_date")], paper=GREY, jpeg=30),
    ),
    Variant("uneven pressure (one side 25%)", _sealed([(_round(42, uneven=0.25), "bottom_right")])),
    Variant("broken ink 35%", _sealed([(_round(42, broken=0.35), "bottom_right")])),
    Variant("broken ink 50%", _sealed([(_round(42, broken=0.5), "bottom_right")]), expect="weak"),
    Variant("seal over body text", _sealed([(_round(42), "over_text")])),
    Variant("over the date line", _sealed([(_round(40, "dark_red"), "over_date")])),
    Variant("bottom centre", _sealed([(_round(45), "bottom_centre")])),
    Variant("near the page edge", _sealed([(_round(42), "near_edge")])),
    Variant("black signature through", _sealed([(_round(42), "bottom_right")], sig=(20, 20, 25))),
    Variant("blue signature beside", _sealed([(_round(40), "over_date")], sig=(30, 50, 160))),
    Variant("red signature through", _sealed([(_round(42), "bottom_right")], sig=(200, 30, 40))),
    Variant("two seals (公章 + 财务)", _sealed([(_round(42), "bottom_right"), (OVAL, "over_text")])),
    Variant("grey paper", _sealed([(_round(42, "dark_red"), "bottom_right")], paper=GREY)),
    Variant("grey paper, faded", _sealed([(_round(40, "faded", strength=0.75), "bottom_right")], paper=GREY)),
    Variant("JPEG q30", _sealed([(_round(42), "bottom_right")], jpeg=30)),
    Variant("JPEG q30, faded, grey", _sealed([(_round(40, "faded", strength=0.75), "over_date")], paper=GREY, jpeg=30)),
    Variant("skew 3°", _sealed([(_round(42), "bottom_right")], skew=3.0)),
    Variant("skew −2°, JPEG q30, dark red", _sealed([(_round(40, "dark_red"), "over_date")], skew=-2.0, jpeg=30)),
    Variant(
        "1-bit scan",
        _sealed([(_round(42), "bottom_right")], onebit=True),
        expect="weak",
        note="colour is gone: found by its ring only, as a weak seal (a warning, never a sure seal)",
    ),
    Variant(
        "seal beside 红头 and red table",
        _sealed([(_round(42), "bottom_right")], extra=lambda s, r: (red_heading(s), red_table(s))),
    ),
    Variant("seal-free: 红头", _sealed([], extra=lambda s, r: red_heading(s)), expect="none"),
    Variant("seal-free: 红头, 20 mm glyphs", _sealed([], extra=lambda s, r: large_heading(s)), expect="none"),
    Variant("seal-free: red table lines", _sealed([], extra=lambda s, r: red_table(s)), expect="none"),
    Variant("seal-free: red signature", _sealed([], extra=red_pen), expect="none"),
    Variant("seal-free: red logos", _sealed([], extra=lambda s, r: red_logo(s)), expect="none"),
    Variant(
        "seal-free: all red, JPEG q30",
        _sealed([], extra=lambda s, r: (red_heading(s), red_table(s), red_pen(s, r), red_logo(s)), jpeg=30),
        expect="none",
    ),
    Variant(
        "seal-free: 1-bit 红头",
        _sealed([], extra=lambda s, r: (red_heading(s), red_logo(s)), onebit=True),
        expect="none",
    ),
)


# --- scoring ----------------------------------------------------------------------------


@dataclass
class Tally:
    pages: int = 0
    present: int = 0
    sure: int = 0  # seals present found with a score of at least SEAL_SCORE
    weak: int = 0  # seals present found only weakly
    false_sure: int = 0
    false_weak: int = 0
    seconds: float = 0.0


def score_page(image: np.ndarray, boxes: list[tuple[int, int, int, int]], tally: Tally) -> None:
    """Run ``find_seals`` on one page and add what it found to ``tally``."""
    from extractors.ocr.seals import SEAL_SCORE, find_seals

    start = time.perf_counter()
    seals = [s for s in find_seals(image, 1) if s.bbox is not None and s.edge is None]
    tally.seconds += time.perf_counter() - start
    tally.pages += 1
    tally.present += len(boxes)
    used: set[int] = set()
    for x0, y0, x1, y1 in boxes:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        hit = next(
            (
                i
                for i, s in enumerate(seals)
                if i not in used and s.bbox.x0 <= cx <= s.bbox.x1 and s.bbox.y0 <= cy <= s.bbox.y1
            ),  # type: ignore[union-attr]
            None,
        )
        if hit is None:
            continue
        used.add(hit)
        if seals[hit].score >= SEAL_SCORE:
            tally.sure += 1
        else:
            tally.weak += 1
    for i, s in enumerate(seals):
        if i not in used:
            if s.score >= SEAL_SCORE:
                tally.false_sure += 1
            else:
                tally.false_weak += 1


def run(variants: tuple[Variant, ...], pages: int, seed: int = 1) -> list[tuple[Variant, Tally]]:
    out = []
    for variant in variants:
        tally = Tally()
        for k in range(pages):
            dpi = variant.dpis[k % len(variant.dpis)]
            rng = np.random.default_rng(seed * 1000 + k)
            image, boxes = variant.make(rng, dpi)
            score_page(image, boxes, tally)
        out.append((variant, tally))
    return out


def table(results: list[tuple[Variant, Tally]]) -> str:
    head = "| variant | pages | seals found (sure+weak) / present | false seals sure / weak | ms/page |"
    rows = [head, "| --- | ---: | ---: | ---: | ---: |"]
    for variant, t in results:
        found = f"{t.sure}+{t.weak} / {t.present}" if t.present else "—"
        ms = 1000 * t.seconds / max(1, t.pages)
        rows.append(f"| {variant.name} | {t.pages} | {found} | {t.false_sure} / {t.false_weak} | {ms:.0f} |")
    notes = [f"- {v.name}: {v.note}" for v, _ in results if v.note]
    return "\n".join(rows + (["", *notes] if notes else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3, help="pages per variant (dpi cycles 150/200/300)")
    parser.add_argument("--only", default="", help="only variants whose name contains this")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    chosen = tuple(v for v in VARIANTS if args.only in v.name)
    print(table(run(chosen, args.pages, args.seed)))


if __name__ == "__main__":
    main()
