"""A second business-licence layout generator, written apart from ``samples/gen`` (it shares
no code with it) so the licence reader is measured on layouts it was not built against.

``truth_fields(kind, seed)`` invents an applicant (valid GB 32100 credit code, name, type,
representative, address, dates, capital); ``render(truth, variant, seed)`` draws the licence
as an RGB ``PIL.Image`` and returns it with the file suffix it should be saved with.

Layouts follow the 2019 licence: 营业执照 title, credit code top left, QR code with
"扫描二维码登录…" top right, label/value rows (two columns on the landscape 正本, one on the
portrait 副本), 登记机关 and the issue date under a red seal bottom right. Two-character
labels are letter-spaced to the width of the longer ones (名　　称), so OCR returns their
characters as separate boxes, and the gap to the value varies, so the last label character
is sometimes glued to the value.

Conditions applied on top (``VARIANTS``): watermark across the fields, photocopy, phone
photo of a photocopy, stored rotated 90°, electronic export at ~5000 px, 500-px scan.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/wqy/"
FONTS = (FONT_DIR + "wqy-zenhei.ttc", FONT_DIR + "wqy-microhei.ttc")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

QR_TEXT = "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息"

PLACES = (
    ("山西省", "太原市", "小店区", "140105", "太原市小店区行政审批服务管理局"),
    ("山西省", "大同市", "平城区", "140213", "大同市市场监督管理局"),
    ("广西壮族自治区", "南宁市", "青秀区", "450103", "南宁市青秀区市场监督管理局"),
    ("上海市", "上海市", "浦东新区", "310115", "上海市浦东新区市场监督管理局"),
    ("江苏省", "苏州市", "吴中区", "320506", "苏州市吴中区市场监督管理局"),
    ("浙江省", "宁波市", "鄞州区", "330212", "宁波市鄞州区市场监督管理局"),
)
WORDS = ("恒泰", "华锐", "鼎新", "晋能", "瑞丰", "博远", "中科", "金桥", "宏达", "启明", "天工", "汇通")
TRADES = ("智能装备", "精密机械", "信息技术", "新材料", "工业设计", "环保科技", "供应链管理", "检测技术")
STREETS = ("长风街", "龙城大街", "学府街", "民族大道", "张江路", "星湖街", "中山东路", "迎泽大街")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡郭何高林罗梁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红"
FORMS = ("个人经营", "家庭经营")
SCOPES = (
    "一般项目：工业设计服务；专业设计服务；技术服务、技术开发、技术咨询、技术交流、技术转让、"
    "技术推广；机械设备研发；通用设备制造（不含特种设备制造）；软件开发；信息系统集成服务；"
    "货物进出口；技术进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    "许可项目：检验检测服务。一般项目：环境保护专用设备制造；新材料技术研发；计量技术服务；"
    "企业管理咨询；信息咨询服务（不含许可类信息咨询服务）。（依法须经批准的项目，经相关部门"
    "批准后方可开展经营活动）",
)
CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def uscc_check(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code (8 digits and its check character): characters 9–17."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, region: str, kind: str) -> str:
    """A credit code: 9 (market regulator) + 1 company / 2 个体工商户 / 1 (独资), region, org code."""
    head = "92" if kind == "individual" else "91"
    first17 = head + region + org_code(rng)
    return first17 + uscc_check(first17)


def capital_text(wan: int, rng: random.Random) -> str:
    """注册资本 as licences print it: 伍佰万圆整 (upper-case numerals) or 人民币500万元."""
    if rng.random() < 0.5:
        return f"人民币{wan}万元" if rng.random() < 0.5 else f"{wan}万元人民币"
    out = ""
    thousands, rest = divmod(wan, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    for digit, unit in ((thousands, "仟"), (hundreds, "佰"), (tens, "拾"), (ones, "")):
        if digit:
            out += CN_DIGITS[digit] + unit
        elif out and not out.endswith("零"):
            out += "零"
    return out.rstrip("零") + "万圆整"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def truth_fields(kind: str, seed: int | str, term: str = "fixed") -> dict[str, Any]:
    """An invented licence of ``kind`` ("company", "individual", "sole", "branch") with
    ``term`` "fixed", "long" (…至长期), "long_only" (长期) or "unagreed" (不约定期限).

    Keys are the extractor's canonical keys, with ``None`` for fields not printed, plus the
    printed texts under ``*_text`` and the layout labels under ``labels``."""
    rng = random.Random(f"{kind}-{seed}")
    province, city, district, region, authority = rng.choice(PLACES)
    word = rng.choice(WORDS) + rng.choice(WORDS)
    trade = rng.choice(TRADES)
    person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    street = f"{city}{district}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
    if rng.random() < 0.5:
        street += f"{rng.choice(WORDS)}大厦{rng.randint(2, 28)}层{rng.randint(1, 20):02d}室"
    address = street if province in city else province + street
    established = dt.date(rng.randint(1998, 2020), rng.randint(1, 12), rng.randint(1, 28))
    issued = dt.date(rng.randint(max(established.year, 2019), 2022), rng.randint(1, 12), rng.randint(1, 28))
    issued = max(issued, established)
    wan = rng.choice((50, 100, 200, 300, 500, 800, 1000, 1200, 2000, 3000, 5000))
    capital: str | None = capital_text(wan, rng)
    city_short = city.removesuffix("市")
    if kind == "company":
        name = f"{city_short}{word}{trade}有限公司"
        ctype = rng.choice(("有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "其他有限责任公司"))
        labels = {"legal_rep": "法定代表人", "address": "住所", "type": "类型", "established": "成立日期"}
    elif kind == "branch":
        name = f"{rng.choice(WORDS)}{word}{trade}有限公司{city_short}分公司"
        ctype = "有限责任公司分公司（自然人投资或控股）"
        labels = {"legal_rep": "负责人", "address": "营业场所", "type": "类型", "established": "成立日期"}
        capital = None
    elif kind == "sole":
        name = f"{city_short}{district.removesuffix('区')}{word}{trade}服务部"
        ctype = "个人独资企业"
        labels = {"legal_rep": "投资人", "address": "住所", "type": "类型", "established": "成立日期"}
        capital = None
    else:
        name = f"{district}{word}{rng.choice(('五金', '机电', '设计', '电子'))}经营部"
        ctype = rng.choice(FORMS)
        labels = {"legal_rep": "经营者", "address": "经营场所", "type": "组成形式", "established": "注册日期"}
        capital = None
        term = "none"
    term_end: dt.date | None
    if term == "fixed":
        term_end = dt.date(established.year + rng.choice((20, 30, 50)), established.month, established.day)
        term_end -= dt.timedelta(days=1)
        term_text = f"{date_text(established)}至{date_text(term_end)}"
    elif term == "long":
        term_end, term_text = None, f"{date_text(established)}至长期"
    elif term == "long_only":
        term_end, term_text = None, "长期"
    elif term == "unagreed":
        term_end, term_text = None, "不约定期限"
    else:
        term_end, term_text = None, ""
    return {
        "kind": kind,
        "name": name,
        "uscc": make_uscc(rng, region, kind),
        "type": ctype,
        "legal_rep": person,
        "address": address,
        "established": established,
        "term_end": term_end,
        "term_text": term_text,
        "registered_capital": float(wan) if capital else None,
        "capital_text": capital,
        "scope": rng.choice(SCOPES),
        "authority": authority,
        "issued": issued,
        "labels": labels,
        "printed_individual_type": kind == "individual" and rng.random() < 0.6,
    }


# --- drawing ----------------------------------------------------------------------------


@dataclass
class Pen:
    """Draws on one canvas at a scale (1.0 = a 2400-px landscape licence)."""

    image: Image.Image
    scale: float
    face: int

    def __post_init__(self) -> None:
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[tuple[int, int], ImageFont.FreeTypeFont] = {}

    def font(self, size: float, face: int | None = None) -> ImageFont.FreeTypeFont:
        px = max(6, round(size * self.scale))
        key = (px, self.face if face is None else face)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(FONTS[key[1]], px)
        return self._fonts[key]

    def text(self, x: float, y: float, text: str, size: float, fill=(20, 20, 20), face: int | None = None) -> float:
        """Draw ``text`` at (x, y) in layout units; returns its right edge in layout units."""
        font = self.font(size, face)
        s = self.scale
        self.draw.text((x * s, y * s), text, font=font, fill=fill)
        return x + self.draw.textlength(text, font=font) / s

    def spaced(self, x: float, y: float, label: str, size: float, slot: int) -> float:
        """A label spread over ``slot`` character widths (名　　称); returns its right edge."""
        if len(label) >= slot or len(label) < 2:
            return self.text(x, y, label, size)
        step = size * (slot - 1) / (len(label) - 1)
        for i, ch in enumerate(label):
            self.text(x + i * step, y, ch, size)
        return x + slot * size

    def wrap(self, x: float, y: float, text: str, size: float, width: float, gap: float = 1.45) -> float:
        """``text`` wrapped to ``width``; returns the y below the last line."""
        font = self.font(size)
        line = ""
        for ch in text:
            if self.draw.textlength(line + ch, font=font) / self.scale > width:
                self.text(x, y, line, size)
                y += size * gap
                line = ""
            line += ch
        if line:
            self.text(x, y, line, size)
            y += size * gap
        return y


def _qr(pen: Pen, x: float, y: float, side: float, rng: random.Random) -> None:
    """A QR-code-like square: three finder patterns and random modules."""
    n = 29
    cell = side / n
    s = pen.scale
    for r in range(n):
        for c in range(n):
            finder = (r < 8 and c < 8) or (r < 8 and c >= n - 8) or (r >= n - 8 and c < 8)
            if finder:
                rr, cc = r % (n - 7) if r >= n - 8 else r, c % (n - 7) if c >= n - 8 else c
                on = rr < 7 and cc < 7 and (rr in (0, 6) or cc in (0, 6) or (2 <= rr <= 4 and 2 <= cc <= 4))
            else:
                on = rng.random() < 0.5
            if on:
                x0, y0 = (x + c * cell) * s, (y + r * cell) * s
                pen.draw.rectangle((x0, y0, x0 + cell * s, y0 + cell * s), fill=(10, 10, 10))


def _seal(image: Image.Image, cx: float, cy: float, radius: float, legend: str, rng: random.Random) -> Image.Image:
    """``image`` with a red round seal (ring, star, legend along the top arc) multiplied over."""
    size = int(radius * 2.2)
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    c = size / 2
    d.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=max(2, int(radius * 0.05)))
    star = [
        (
            c + radius * (0.28 if k % 2 == 0 else 0.11) * math.sin(k * math.pi / 5),
            c - radius * (0.28 if k % 2 == 0 else 0.11) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    d.polygon(star, fill=255)
    font = ImageFont.truetype(FONTS[0], max(6, int(radius * 0.22)))
    span = math.radians(250)
    for i, ch in enumerate(legend):
        angle = -span / 2 + span * (i + 0.5) / len(legend)
        glyph = Image.new("L", (int(radius * 0.3), int(radius * 0.3)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC, expand=True)
        px = c + radius * 0.74 * math.sin(angle) - glyph.width / 2
        py = c - radius * 0.74 * math.cos(angle) - glyph.height / 2
        layer.paste(255, (int(px), int(py)), glyph)
    layer = layer.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255.0 * rng.uniform(0.75, 0.95)
    red = np.array([205, 35, 40], dtype=np.float32)
    base = np.asarray(image, dtype=np.float32)
    x0, y0 = int(cx - c), int(cy - c)
    h, w = base.shape[:2]
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x0 + size, w), min(y0 + size, h)
    region = base[sy0:sy1, sx0:sx1]
    a = alpha[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0]
    base[sy0:sy1, sx0:sx1] = region * (1 - a) + np.minimum(region, red) * a
    return Image.fromarray(base.clip(0, 255).astype(np.uint8))


def _watermark(image: Image.Image, text: str, rng: random.Random, scale: float) -> Image.Image:
    """Diagonal watermark text repeated across the page, translucent grey or red."""
    layer = Image.new("L", image.size, 0)
    d = ImageDraw.Draw(layer)
    font = ImageFont.truetype(FONTS[rng.randrange(2)], max(8, int(rng.uniform(80, 120) * scale)))
    step_x, step_y = int(image.width / 2.6), int(image.height / 4.2)
    for row, y in enumerate(range(-step_y // 2, image.height + step_y, step_y)):
        for x in range(-step_x + (row % 2) * step_x // 2, image.width + step_x, step_x):
            d.text((x, y), text, font=font, fill=255)
    layer = layer.rotate(
        rng.uniform(20, 35), resample=Image.Resampling.BICUBIC, center=(image.width / 2, image.height / 2)
    )
    colour = np.array(rng.choice(((150, 150, 150), (225, 110, 110))), dtype=np.float32)
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255.0 * rng.uniform(0.45, 0.6)
    base = np.asarray(image, dtype=np.float32)
    out = base * (1 - alpha) + np.minimum(base, colour) * alpha
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


FIELD = 40.0
"""Field font size in layout units."""


def _rows(truth: dict[str, Any], old_order: bool = False) -> list[tuple[str, str, str]]:
    """(canonical key, label, printed value) in the order the licence prints them; the older
    副本 order puts 住所 right after 类型, above the representative, capital and dates."""
    labels = truth["labels"]
    out = [("name", "名称", truth["name"])]
    if truth["kind"] == "individual":
        if truth["printed_individual_type"]:
            out.append(("kind_type", "类型", "个体工商户"))
        out.append(("legal_rep", labels["legal_rep"], truth["legal_rep"]))
        out.append(("type", "组成形式", truth["type"]))
    else:
        out.append(("type", "类型", truth["type"]))
        out.append(("legal_rep", labels["legal_rep"], truth["legal_rep"]))
    if truth["capital_text"]:
        out.append(("registered_capital", "注册资本", truth["capital_text"]))
    out.append(("established", labels["established"], date_text(truth["established"])))
    if truth["term_text"]:
        out.append(("term", "营业期限", truth["term_text"]))
    address = ("address", labels["address"], truth["address"])
    if old_order:
        out.insert(2, address)
    else:
        out.append(address)
    return out


def _header(
    pen: Pen, truth: dict[str, Any], width: float, copy: str, rng: random.Random, qr_beside_name: float | None
) -> None:
    """Title, (副本) mark, credit code top left, QR code and its caption."""
    title_size = 120.0
    gap = title_size * (0.9 if width > 2000 else 0.35)
    x = width / 2 - (4 * title_size + 3 * gap) / 2
    for i, ch in enumerate("营业执照"):
        pen.text(
            x + i * (title_size + gap), 200, ch, title_size, fill=(170, 30, 30) if copy == "正本" else (20, 20, 20)
        )
    if copy == "副本":
        pen.text(width / 2 - 70, 350, "（副　本）", 34)
    pen.text(140, 160, "统一社会信用代码", 32)
    pen.text(140, 210, truth["uscc"], 36, face=1)
    if rng.random() < 0.6:
        pen.text(140, 262, f"证照编号：{rng.randint(10**13, 10**14 - 1)}", 26)
    qr_x = width - 330
    _qr(pen, qr_x, 130, 200, rng)
    if qr_beside_name is None:
        pen.wrap(qr_x - 40, 350, QR_TEXT, 22, 280)


def _footer(image: Image.Image, pen: Pen, truth: dict[str, Any], x: float, y: float, rng: random.Random) -> Image.Image:
    """登记机关 + issue date under the seal, and the system's web address line."""
    pen.spaced(x, y, "登记机关", 36, 4)
    issued = truth["issued"]
    pen.text(x + 40, y + 110, f"{issued.year}年{issued.month:02d}月{issued.day:02d}日", 36)
    s = pen.scale
    return _seal(image, (x + 170) * s, (y + 70) * s, 165 * s, truth["authority"], rng)


def _landscape(truth: dict[str, Any], copy: str, scale: float, rng: random.Random, _qr_beside: bool) -> Image.Image:
    w, h = 2400, 1700
    image = Image.new("RGB", (round(w * scale), round(h * scale)), (252, 250, 246))
    pen = Pen(image, scale, rng.randrange(2))
    s = scale
    pen.draw.rectangle((40 * s, 40 * s, (w - 40) * s, (h - 40) * s), outline=(190, 150, 90), width=max(2, int(12 * s)))
    rows = _rows(truth)
    left_keys = {"name", "kind_type", "type", "legal_rep"}
    left = [r for r in rows if r[0] in left_keys]
    right = [r for r in rows if r[0] not in left_keys]
    y0 = 560.0
    pitch = rng.uniform(78, 92)
    _header(pen, truth, w, copy, rng, None)  # the caption stays under the QR code
    slot = 5 if any(len(lab) == 5 for _, lab, _ in rows) else 4
    gap = rng.uniform(0.3, 1.0) * FIELD
    for i, (_key, label, value) in enumerate(left):
        end = pen.spaced(180, y0 + i * pitch, label, FIELD, slot)
        pen.text(end + gap, y0 + i * pitch, value, FIELD)
    y = y0 + len(left) * pitch
    end = pen.spaced(180, y, "经营范围", FIELD, 4)
    pen.wrap(end + gap, y, truth["scope"], 34, 820)
    for i, (_key, label, value) in enumerate(right):
        end = pen.spaced(1260, y0 + i * pitch, label, FIELD, 4)
        if _key == "address":
            pen.wrap(end + gap, y0 + i * pitch, value, FIELD, 2200 - end - gap, gap=pitch / FIELD)
        else:
            pen.text(end + gap, y0 + i * pitch, value, FIELD)
    pen.text(700, 1560, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 24)
    pen.text(1500, 1600, "国家市场监督管理总局监制", 22)
    return _footer(image, pen, truth, 1450, 1280, rng)


def _portrait(truth: dict[str, Any], copy: str, scale: float, rng: random.Random, qr_beside: bool) -> Image.Image:
    w, h = 1700, 2400
    image = Image.new("RGB", (round(w * scale), round(h * scale)), (252, 251, 248))
    pen = Pen(image, scale, rng.randrange(2))
    s = scale
    pen.draw.rectangle((40 * s, 40 * s, (w - 40) * s, (h - 40) * s), outline=(190, 150, 90), width=max(2, int(10 * s)))
    rows = _rows(truth, old_order=rng.random() < 0.5)
    y = 620.0
    _header(pen, truth, w, copy, rng, None if not qr_beside else y)
    pitch = rng.uniform(80, 95)
    slot = 5 if any(len(lab) == 5 for _, lab, _ in rows) else 4
    gap = rng.uniform(0.3, 1.0) * FIELD
    for key, label, value in rows:
        end = pen.spaced(150, y, label, FIELD, slot)
        width = (1000 if key == "name" and qr_beside else 1560) - end - gap
        if key == "name" and qr_beside:
            # the QR caption right after the name, on its baseline, as some 副本 print it
            right = pen.text(end + gap, y, value, FIELD)
            pen.wrap(right + rng.uniform(0.5, 2.0) * FIELD, y + 6, QR_TEXT, rng.uniform(24, 30), 1610 - right - 60)
            y += pitch
            continue
        y = pen.wrap(end + gap, y, value, FIELD, width, gap=pitch / FIELD)
    end = pen.spaced(150, y, "经营范围", FIELD, slot)
    pen.wrap(end + gap, y, truth["scope"], 34, 1500 - end)
    pen.text(300, 2300, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 24)
    return _footer(image, pen, truth, 1000, 1950, rng)


# --- conditions -------------------------------------------------------------------------


def photocopy(image: Image.Image, rng: random.Random) -> Image.Image:
    """Grey, low contrast, toner noise and speckles, a little soft."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    low, high = rng.uniform(50, 80), rng.uniform(200, 225)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(8, 14), grey.shape)
    grey = (low + grey / 255.0 * (high - low) + noise).astype(np.float32)
    speckle = np.random.default_rng(rng.randrange(2**32)).random(grey.shape) < 0.002
    grey[speckle] = low
    out = Image.fromarray(grey.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    return out.convert("RGB")


def phone_photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the sheet on a desk: perspective, shadow gradient, blur, JPEG q40."""
    import cv2

    src = np.asarray(image)
    h, w = src.shape[:2]
    margin = int(0.08 * max(w, h))
    H, W = h + 2 * margin, w + 2 * margin

    def jitter() -> float:
        return rng.uniform(-0.035, 0.035) * max(w, h)

    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    target = np.array(
        [
            [margin + jitter(), margin + jitter()],
            [margin + w + jitter(), margin + jitter()],
            [margin + w + jitter(), margin + h + jitter()],
            [margin + jitter(), margin + h + jitter()],
        ],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    desk = (rng.randint(60, 100), rng.randint(55, 90), rng.randint(45, 80))
    warped = cv2.warpPerspective(src, matrix, (W, H), borderMode=cv2.BORDER_CONSTANT, borderValue=desk)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(angle) + yy * math.sin(angle)) / (abs(W * math.cos(angle)) + abs(H * math.sin(angle)))
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    shade = 0.55 + 0.45 * ramp
    out = (warped.astype(np.float32) * shade[..., None]).clip(0, 255).astype(np.uint8)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.8, 1.3))
    buffer = io.BytesIO()
    Image.fromarray(out).save(buffer, format="JPEG", quality=40)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


VARIANTS: dict[str, dict[str, Any]] = {
    "landscape_zhengben": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "long"},
    "portrait_fuben": {"kind": "company", "layout": "portrait", "copy": "副本", "term": "fixed", "qr_beside": True},
    "watermark": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "fixed", "watermark": True},
    "photocopy": {"kind": "company", "layout": "portrait", "copy": "副本", "term": "long", "photocopy": True},
    "phone_photocopy": {
        "kind": "company",
        "layout": "portrait",
        "copy": "副本",
        "term": "long",
        "photocopy": True,
        "phone": True,
    },
    "rotated_90": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "fixed", "rotate": True},
    "electronic_5000": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "long", "scale": 5000 / 2400},
    "lowres_500": {"kind": "company", "layout": "portrait", "copy": "副本", "term": "fixed", "width": 500},
    "lowres_500_landscape": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "long", "width": 500},
    "individual": {"kind": "individual", "layout": "portrait", "copy": "副本", "qr_beside": True},
    "individual_watermark": {"kind": "individual", "layout": "landscape", "copy": "正本", "watermark": True},
    "sole_proprietorship": {"kind": "sole", "layout": "portrait", "copy": "副本", "term": "unagreed"},
    "branch": {"kind": "branch", "layout": "landscape", "copy": "正本", "term": "long_only"},
    "term_unagreed": {"kind": "company", "layout": "landscape", "copy": "正本", "term": "unagreed"},
    "individual_copy_watermark": {
        "kind": "individual",
        "layout": "portrait",
        "copy": "副本",
        "watermark": True,
        "photocopy": True,
        "qr_beside": True,
    },
    "landscape_phone_photocopy": {
        "kind": "company",
        "layout": "landscape",
        "copy": "正本",
        "term": "long",
        "watermark": True,
        "photocopy": True,
        "phone": True,
    },
}
"""Variant name → how to draw it."""

WATERMARKS = ("仅供存档", "仅供申报服务型制造示范使用", "复印无效", "仅供项目申报使用")


def variant_truth(variant: str, seed: int) -> dict[str, Any]:
    """The invented licence drawn for ``variant`` with ``seed``."""
    spec = VARIANTS[variant]
    return truth_fields(spec["kind"], f"{variant}-{seed}", spec.get("term", "fixed"))


def render(truth: dict[str, Any], variant: str, seed: int) -> tuple[Image.Image, str]:
    """The licence image of ``truth`` drawn as ``variant``, and the suffix to save it with."""
    spec = VARIANTS[variant]
    rng = random.Random(f"render-{variant}-{seed}")
    scale = spec.get("scale", 1.0)
    draw = _landscape if spec["layout"] == "landscape" else _portrait
    image = draw(truth, spec["copy"], scale, rng, bool(spec.get("qr_beside")))
    if spec.get("watermark"):
        image = _watermark(image, rng.choice(WATERMARKS), rng, scale)
    if spec.get("photocopy"):
        image = photocopy(image, rng)
    suffix = ".png"
    if spec.get("phone"):
        image = phone_photo(image, rng)
        suffix = ".jpg"
    if spec.get("width"):
        width = spec["width"]
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        suffix = ".jpg"
    if spec.get("rotate"):
        image = image.rotate(90 if rng.random() < 0.5 else 270, expand=True)
    return image, suffix


def save(image: Image.Image, path: str) -> None:
    """Save as the suffix says (JPEG at quality 85 unless the image already went through
    its own JPEG step)."""
    if path.endswith(".jpg"):
        image.save(path, quality=85)
    else:
        image.save(path)


def expected(truth: dict[str, Any]) -> dict[str, Any]:
    """The key fields a reader must give for ``truth``: only the ones the licence prints
    (``term_end`` None stands for 长期/不约定期限)."""
    out = {key: truth[key] for key in ("name", "uscc", "type", "legal_rep", "address", "established")}
    if truth["term_text"]:
        out["term_end"] = truth["term_end"]
    if truth["registered_capital"] is not None:
        out["registered_capital"] = truth["registered_capital"]
    return out


if __name__ == "__main__":
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/licence-layouts")
    folder.mkdir(parents=True, exist_ok=True)
    for name in VARIANTS:
        truth = variant_truth(name, 0)
        image, suffix = render(truth, name, 0)
        save(image, str(folder / f"{name}{suffix}"))
        print(name, image.size, truth["name"])
