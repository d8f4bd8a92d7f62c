"""OCR benchmark on generated scans: CER, credit-code exact rate, seconds and memory per page.

Builds text pages (from the notices in ../shared/seeds when present) and licence-like pages
with PIL and the WQY font, degrades them (rotation, skew, noise + blur, JPEG q20, 150/200/300
dpi, grey paper, a seal over text, a perspective phone photo), runs each engine through the
same page pipeline as ``ocr_document`` and prints a table per engine. Each engine runs in its
own process so peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/ocr_bench.py --quick
    .venv/bin/python bench/ocr_bench.py --engines rapidocr tesseract

The ``render_*``, ``draw_seal``, ``degrade`` and ``make_uscc`` functions are reused by tests.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from models.values import edit_distance, squash

ROOT = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SEEDS = ROOT.parent / "shared" / "seeds"
MM = 1 / 25.4  # inches per millimetre
A4 = (210, 297)  # mm

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

FALLBACK_TEXT = (
    "为深入贯彻国家关于发展服务型制造有关文件精神，推动生产型企业向生产加服务型企业转变，"
    "现组织开展服务型制造示范遴选工作。申报单位应在中华人民共和国境内注册，具有独立法人资格，"
    "近三年未发生重大安全、质量和环境污染事故。服务收入占企业营业收入的比重应达到百分之三十以上。"
    "请各市工业和信息化局于二〇二一年五月十五日前将申报材料报送至自治区工业和信息化厅。"
)


# --- credit codes ----------------------------------------------------------------------


def uscc_check(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a credit code."""
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def make_uscc(rng: random.Random) -> str:
    """A valid 18-character unified social credit code (enterprise, with a valid GB 11714
    organisation code inside)."""
    region = rng.choice(["110108", "140100", "450100", "330106", "440300"])
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org_sum = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    c9 = 11 - org_sum % 11
    org = body + {10: "X", 11: "0"}.get(c9, str(c9))
    first17 = "91" + region + org
    return first17 + uscc_check(first17)


# --- rendering -------------------------------------------------------------------------


@cache
def font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, px, index=0)


def px(mm: float, dpi: int) -> int:
    return round(mm * MM * dpi)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy character wrap to ``width`` pixels."""
    lines, line = [], ""
    for ch in text:
        if fnt.getlength(line + ch) > width and line:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def render_text_page(
    paragraphs: list[str], dpi: int = 300, pt: float = 12, size_mm: tuple[float, float] = A4
) -> tuple[np.ndarray, list[str]]:
    """A page (A4 portrait unless ``size_mm`` says otherwise) of wrapped paragraphs, filled
    until the bottom margin; returns (RGB, the printed lines)."""
    w, h = px(size_mm[0], dpi), px(size_mm[1], dpi)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    fnt = font(round(pt / 72 * dpi))
    margin, y, step = px(25, dpi), px(25, dpi), round(pt / 72 * dpi * 1.6)
    printed: list[str] = []
    for para in paragraphs:
        for line in wrap("\u3000\u3000" + para, fnt, w - 2 * margin):
            if y + step > h - margin:
                return np.asarray(img), printed
            draw.text((margin, y), line, fill="black", font=fnt)
            printed.append(line.strip("\u3000"))
            y += step
    return np.asarray(img), printed


def draw_seal(img: Image.Image, cx: int, cy: int, r: int, legend: str, colour=(215, 30, 35)) -> None:
    """A round red seal stamped on ``img`` in place: ring, star and the legend along the upper
    arc, multiplied onto the page like ink (black text under it stays black)."""
    layer = Image.new("RGB", img.size, "white")
    draw = ImageDraw.Draw(layer)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=max(3, r // 14))
    star = []
    for k in range(10):
        reach = r * 0.28 * (1 if k % 2 == 0 else 0.4)
        star.append(
            (cx + reach * math.cos(math.radians(-90 + k * 36)), cy + reach * math.sin(math.radians(-90 + k * 36)))
        )
    draw.polygon(star, fill=colour)
    size = max(8, int(r * 0.26))
    n = len(legend)
    span = min(250.0, 24.0 * n)
    for k, ch in enumerate(legend):
        angle = -90 - span / 2 + span * (k + 0.5) / n  # degrees, 0 = right, clockwise
        tile = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(tile).text((size // 2, size // 2), ch, fill=255, font=font(size))
        tile = tile.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = cx + r * 0.72 * math.cos(math.radians(angle)) - size
        y = cy + r * 0.72 * math.sin(math.radians(angle)) - size
        layer.paste(colour, (int(x), int(y)), tile)
    img.paste(ImageChops.multiply(img.convert("RGB"), layer))


def render_license(fields: dict[str, str], dpi: int = 300, seal: bool = True) -> np.ndarray:
    """A licence-like landscape A4 page: title, credit code, two columns of label/value
    rows, issuing authority with a seal."""
    w, h = px(A4[1], dpi), px(A4[0], dpi)
    img = Image.new("RGB", (w, h), (252, 250, 246))
    draw = ImageDraw.Draw(img)
    big, mid, small = font(px(14, dpi)), font(px(4.2, dpi)), font(px(3.6, dpi))
    draw.text((w // 2 - big.getlength("营业执照") // 2, px(18, dpi)), "营业执照", fill="black", font=big)
    draw.text((px(20, dpi), px(22, dpi)), "统一社会信用代码", fill="black", font=small)
    draw.text((px(20, dpi), px(28, dpi)), fields["uscc"], fill="black", font=mid)
    left = [("名称", "name"), ("类型", "type"), ("法定代表人", "legal_rep"), ("经营范围", "scope")]
    right = [("注册资本", "capital"), ("成立日期", "established"), ("营业期限", "term"), ("住所", "address")]
    for col, rows in ((px(30, dpi), left), (px(160, dpi), right)):
        y = px(62, dpi)
        for label, key in rows:
            draw.text((col, y), label, fill="black", font=mid)
            for line in wrap(fields[key], mid, px(95, dpi)):
                draw.text((col + px(28, dpi), y), line, fill="black", font=mid)
                y += px(7, dpi)
            y += px(5, dpi)
    draw.text((px(190, dpi), px(172, dpi)), "登记机关", fill="black", font=mid)
    draw.text((px(200, dpi), px(185, dpi)), fields["date"], fill="black", font=mid)
    if seal:
        draw_seal(img, px(222, dpi), px(176, dpi), px(20, dpi), fields["authority"])
    return np.asarray(img)


def license_fields(rng: random.Random) -> dict[str, str]:
    names = ["山西晋阳智能装备", "广西桂柳精密制造", "太原汾河工业服务", "南宁邕江数字科技"]
    return {
        "uscc": make_uscc(rng),
        "name": rng.choice(names) + "有限公司",
        "type": "有限责任公司（自然人投资或控股）",
        "legal_rep": rng.choice(["王建国", "李明华", "张丽娟", "陈志强"]),
        "scope": "工业自动化设备研发、制造、销售；技术咨询与技术服务",
        "capital": f"{rng.randint(100, 9000)}万元人民币",
        "established": f"{rng.randint(2001, 2019)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        "term": "长期",
        "address": "太原市小店区长治路" + str(rng.randint(1, 300)) + "号",
        "date": "2021年3月15日",
        "authority": "太原市市场监督管理局",
    }


def render_form_table(dpi: int = 200) -> tuple[np.ndarray, dict[tuple[int, int], tuple[int, int, str]]]:
    """A 表1-like ruled form with merged cells. Returns (RGB, {(row, col): (rowspan,
    colspan, text)}) for every cell as a reader should see it."""
    cols_mm = [20, 48, 84, 118, 150, 190]  # x of vertical rules
    rows_mm = [30, 42, 54, 66, 78, 90]  # y of horizontal rules
    cells = {
        (0, 0): (1, 1, "企业名称"),
        (0, 1): (1, 4, "山西晋阳智能装备有限公司"),
        (1, 0): (1, 1, "企业性质"),
        (1, 1): (1, 1, "民营"),
        (1, 2): (1, 1, "法定代表人"),
        (1, 3): (1, 2, "王建国"),
        (2, 0): (2, 1, "联系人"),
        (2, 1): (1, 1, "李明"),
        (2, 2): (1, 1, "手机"),
        (2, 3): (1, 2, "13812345678"),
        (3, 1): (1, 1, "张三"),
        (3, 2): (1, 1, "传真"),
        (3, 3): (1, 2, ""),
        (4, 0): (1, 1, "职工总数"),
        (4, 1): (1, 1, "256"),
        (4, 2): (1, 1, "研发人员占比"),
        (4, 3): (1, 1, "18.5%"),
        (4, 4): (1, 1, ""),
    }
    w, h = px(A4[0], dpi), px(A4[1], dpi)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    fnt, lw = font(px(4.2, dpi)), max(2, dpi // 100)
    xs, ys = [px(v, dpi) for v in cols_mm], [px(v, dpi) for v in rows_mm]
    draw.text((xs[0], px(18, dpi)), "表1 服务型制造示范企业申报表", fill="black", font=font(px(5, dpi)))
    for (r, c), (rs, cs, text) in cells.items():
        box = (xs[c], ys[r], xs[c + cs], ys[r + rs])
        draw.rectangle(box, outline="black", width=lw)
        if text:
            tw = fnt.getlength(text)
            draw.text(((box[0] + box[2] - tw) / 2, (box[1] + box[3]) / 2 - fnt.size / 2 - 2), text, "black", fnt)
    return np.asarray(img), cells


# --- degradations ----------------------------------------------------------------------


def degrade(rgb: np.ndarray, kind: str, rng: random.Random, dpi: int = 300) -> np.ndarray:
    """One named degradation of a 300-dpi page: clean, rot90, rot180, skew, noise_blur,
    jpeg20, dpi150, dpi200, grey, photo."""
    if kind == "rot90":
        return np.ascontiguousarray(np.rot90(rgb, -1))
    if kind == "rot180":
        return np.ascontiguousarray(rgb[::-1, ::-1])
    if kind == "skew":
        h, w = rgb.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 2.5, 1.0)
        return cv2.warpAffine(rgb, m, (w, h), borderValue=(255, 255, 255))
    if kind == "noise_blur":
        noisy = rgb.astype(np.int16) + np.random.default_rng(rng.randint(0, 99)).normal(0, 18, rgb.shape).astype(
            np.int16
        )
        return cv2.GaussianBlur(np.clip(noisy, 0, 255).astype(np.uint8), (3, 3), 0.9)
    if kind == "jpeg20":
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, "JPEG", quality=20)
        return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    if kind.startswith("dpi"):
        scale = int(kind[3:]) / dpi
        return cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if kind == "grey":
        paper = np.array([205, 200, 190], np.float32) / 255
        return (rgb.astype(np.float32) * paper).astype(np.uint8)
    if kind == "photo":
        return photograph(rgb, rng)
    return rgb


def photograph(rgb: np.ndarray, rng: random.Random) -> np.ndarray:
    """The page as a phone photo: on a dark desk, in perspective, lit from one side."""
    h, w = rgb.shape[:2]
    canvas_w, canvas_h = int(w * 1.25), int(h * 1.2)
    j = lambda v: v * rng.uniform(0.02, 0.07)  # noqa: E731
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32(
        [
            [w * 0.1 + j(w), h * 0.08 + j(h)],
            [w * 1.15 - j(w), h * 0.1 + j(h)],
            [w * 1.18 - j(w), h * 1.12 - j(h)],
            [w * 0.06 + j(w), h * 1.1 - j(h)],
        ]
    )
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(rgb, m, (canvas_w, canvas_h), borderValue=(70, 60, 50))
    light = np.linspace(1.0, 0.7, canvas_w, dtype=np.float32)[None, :, None]
    return (out.astype(np.float32) * light).astype(np.uint8)


# --- scoring ---------------------------------------------------------------------------


def cer(truth: str, read: str) -> float:
    """Character error rate: Levenshtein distance / length of the truth (no whitespace)."""
    a, b = squash(truth), squash(read)
    return edit_distance(a, b) / max(1, len(a))


def build_set(quick: bool, n: int = 3) -> list[dict]:
    """Samples: {"id", "image", "truth" (text pages), "code" and "fields" (licences)}: ``n``
    text pages and ``n`` licences (one each when ``quick``), each under every degradation."""
    rng = random.Random(7)
    corpus = [p.strip() for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text("utf-8").splitlines()]
    corpus = [p for p in corpus if len(p) > 40] or [FALLBACK_TEXT] * 6
    kinds = (
        ["clean", "rot90", "seal", "photo", "jpeg20"]
        if quick
        else ["clean", "rot90", "rot180", "skew", "noise_blur", "jpeg20", "dpi150", "dpi200", "grey", "seal", "photo"]
    )
    samples = []
    for t in range(1 if quick else n):
        start = rng.randrange(0, max(1, len(corpus) - 6))
        page, printed = render_text_page(corpus[start : start + 4], size_mm=(210, 148))  # half A4: faster
        printed = [line for line in printed if line]
        for kind in kinds:
            img = page
            if kind == "seal":
                pil = Image.fromarray(page.copy())
                draw_seal(pil, pil.width // 2, pil.height // 3, px(20, 300), "山西晋阳智能装备有限公司")
                img = np.asarray(pil)
            samples.append({"id": f"text{t}-{kind}", "image": degrade(img, kind, rng), "truth": "".join(printed)})
    for k in range(1 if quick else n):
        fields = license_fields(rng)
        page = render_license(fields, seal=True)
        for kind in kinds:
            if kind == "seal":
                continue
            wanted = {k: fields[k] for k in ("name", "legal_rep", "capital", "established", "address")}
            samples.append(
                {
                    "id": f"licence{n}-{kind}",
                    "image": degrade(page, kind, rng),
                    "code": fields["uscc"],
                    "fields": wanted,
                }
            )
    return samples


def run_engine(engine_name: str, quick: bool, n: int = 3) -> dict:
    """Read every sample with one engine (in this process) and return the figures."""
    sys.path.insert(0, str(ROOT))
    from extractors.ocr.engines import get_engine
    from extractors.ocr.pages import ocr_page
    from models.document import Page

    engine = get_engine(engine_name)
    rows = []
    for sample in build_set(quick, n):
        started = time.perf_counter()
        page = ocr_page(sample["image"], Page(number=1, needs_ocr=True), "bench", engine, photo="photo" in sample["id"])
        seconds = time.perf_counter() - started
        text = page.text()
        row = {"id": sample["id"], "seconds": round(seconds, 2), "rotation": page.rotation, "seals": len(page.seals)}
        if "truth" in sample:
            row["cer"] = round(cer(sample["truth"], text), 4)
        if "code" in sample:
            row["code_exact"] = sample["code"] in squash(text)
            found = [squash(v) in squash(text) for v in sample["fields"].values()]
            row["fields"] = sum(found) / len(found)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine_name, "rows": rows, "peak_mb": round(peak_mb)}


def compare_dpi(pdf: Path, pages: int, engine_name: str = "rapidocr") -> None:
    """Render the first ``pages`` pages of a real scan at 150/200/300 dpi and print, per dpi,
    the median seconds per page and the CER against the 300-dpi reading (no ground truth)."""
    import pypdfium2 as pdfium

    sys.path.insert(0, str(ROOT))
    from extractors.ocr.engines import get_engine
    from extractors.ocr.pages import ocr_page
    from models.document import Page

    engine = get_engine(engine_name)
    doc = pdfium.PdfDocument(str(pdf))
    texts: dict[int, list[str]] = {}
    for dpi in (300, 200, 150):
        secs = []
        texts[dpi] = []
        for index in range(min(pages, len(doc))):
            started = time.perf_counter()
            rgb = np.asarray(doc[index].render(scale=dpi / 72).to_pil().convert("RGB"))
            texts[dpi].append(ocr_page(rgb, Page(number=index + 1), "scan", engine, photo=False).text())
            secs.append(time.perf_counter() - started)
        diff = statistics.median(cer(a, b) for a, b in zip(texts[300], texts[dpi], strict=True))
        print(f"{dpi} dpi: s/page median {statistics.median(secs):.1f}  CER vs 300 dpi {diff:.3f}")


def summarise(result: dict) -> str:
    rows = result["rows"]
    cers = [r["cer"] for r in rows if "cer" in r]
    codes = [r["code_exact"] for r in rows if "code_exact" in r]
    fields = [r["fields"] for r in rows if "fields" in r]
    secs = [r["seconds"] for r in rows]
    return (
        f"{result['engine']:<10} pages {len(rows):>3}  CER median {statistics.median(cers):.3f}  "
        f"code exact {sum(codes)}/{len(codes)}  licence fields {statistics.mean(fields):.2f}  "
        f"s/page median {statistics.median(secs):.1f}  peak {result['peak_mb']} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--quick", action="store_true", help="one text page and one licence, five degradations")
    parser.add_argument("--samples", type=int, default=3, help="text pages and licences (each degraded every way)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dpi-scan", type=Path, help="a scanned PDF: compare 150/200/300 dpi renders")
    parser.add_argument("--pages", type=int, default=2, help="pages of --dpi-scan to read")
    args = parser.parse_args()
    if args.dpi_scan:
        compare_dpi(args.dpi_scan, args.pages)
        return
    if args.child:
        print(json.dumps(run_engine(args.child, args.quick, args.samples)))
        return
    for name in args.engines:
        cmd = [sys.executable, __file__, "--child", name, "--samples", str(args.samples)]
        cmd += ["--quick"] if args.quick else []
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(summarise(result))
        for kind in sorted({r["id"].split("-", 1)[1] for r in result["rows"]}):
            sel = [r for r in result["rows"] if r["id"].endswith("-" + kind)]
            c = [r["cer"] for r in sel if "cer" in r]
            f = [r["fields"] for r in sel if "fields" in r]
            print(
                f"    {kind:<11} CER {statistics.median(c) if c else float('nan'):.3f}  "
                f"fields {statistics.mean(f) if f else float('nan'):.2f}  "
                f"s {statistics.median(r['seconds'] for r in sel):.1f}"
            )


if __name__ == "__main__":
    main()
