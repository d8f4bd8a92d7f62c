"""From a Word book to the paper a clerk scans or photographs: LibreOffice prints the book
to PDF, pypdfium2 renders each page, and a degradation turns the page image into a scan or
a photo; the pages go back into an image-only PDF.

Degradations (all seeded, so a run is repeatable): resolution (150/200/300 dpi), skew up to
3°, JPEG quality 30, grey paper with noise, and a phone photo (perspective, shadow, blur).
Shares no code with ``extractors/`` or ``samples/gen``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter


def office_to_pdf(source: Path, out_dir: Path) -> Path:
    """LibreOffice headless (private profile) prints ``source`` to ``out_dir``/<stem>.pdf."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="perturb-lo-") as tmp:
        work = Path(tmp)
        plain = work / ("book" + source.suffix)
        shutil.copyfile(source, plain)
        cmd = [
            soffice, "--headless", "--norestore", "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(work), str(plain),
        ]  # fmt: skip
        subprocess.run(cmd, capture_output=True, timeout=180, stdin=subprocess.DEVNULL, check=True)
        target = out_dir / (source.stem + ".pdf")
        shutil.copyfile(work / "book.pdf", target)
    return target


def render_pages(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def _skew(img: Image.Image, rng: np.random.Generator, max_deg: float = 3.0) -> Image.Image:
    angle = float(rng.uniform(1.5, max_deg)) * (1 if rng.random() < 0.5 else -1)
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _grey_paper(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    paper = np.array([222, 218, 208], dtype=np.float32)  # recycled, slightly yellow-grey paper
    arr = arr / 255.0 * paper + rng.normal(0, 7, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _photo(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A phone photo of the page on a desk: perspective, a shadow across it, soft focus."""
    w, h = img.size
    m = 0.04
    jitter = [(float(rng.uniform(0, m)) * w, float(rng.uniform(0, m)) * h) for _ in range(4)]
    quad = (
        jitter[0][0], jitter[0][1], jitter[1][0], h - jitter[1][1],
        w - jitter[2][0], h - jitter[2][1], w - jitter[3][0], jitter[3][1],
    )  # fmt: skip
    desk = Image.new("RGB", (w, h), (120, 110, 95))
    warped = img.transform(
        (w, h), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC, fillcolor=(120, 110, 95)
    )
    mask = warped.convert("L").point(lambda v: 255)
    desk.paste(warped, (0, 0), mask)
    arr = np.asarray(desk).astype(np.float32)
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)
    shade = 0.72 + 0.28 * xs  # darker on the side the hand holding the phone is
    arr *= shade[None, :, None]
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    return _jpeg(out, 60)


@dataclass(frozen=True)
class ScanKind:
    name: str
    what: str
    dpi: int
    degrade: Callable[[Image.Image, np.random.Generator], Image.Image]


SCANS: dict[str, ScanKind] = {
    s.name: s
    for s in [
        ScanKind("scan_150", "扫描 150 dpi", 150, lambda im, r: im),
        ScanKind("scan_200", "扫描 200 dpi", 200, lambda im, r: im),
        ScanKind("scan_300", "扫描 300 dpi", 300, lambda im, r: im),
        ScanKind("skew_3", "扫描歪斜 1.5–3°（200 dpi）", 200, _skew),
        ScanKind("jpeg_30", "JPEG 质量 30（200 dpi）", 200, lambda im, r: _jpeg(im, 30)),
        ScanKind("grey_paper", "灰色再生纸加噪点（200 dpi）", 200, _grey_paper),
        ScanKind("phone_photo", "手机拍照（透视、阴影、虚焦）", 200, _photo),
    ]
}


def scan_book(pdf: Path, target: Path, kind: ScanKind, seed: int = 7) -> Path:
    """Render ``pdf`` and write the degraded pages as an image-only PDF at ``target``."""
    rng = np.random.default_rng(seed)
    pages = [kind.degrade(page, rng) for page in render_pages(pdf, kind.dpi)]
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=float(kind.dpi))
    return target
