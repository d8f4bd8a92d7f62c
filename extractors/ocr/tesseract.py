"""Tesseract 5 (``chi_sim``) behind the ``OcrEngine`` protocol, one box per text line.

Tesseract's OpenMP threads doubled wall time on two cores, so ``OMP_THREAD_LIMIT`` is set
for the child process (1 unless asked otherwise). Page segmentation mode 3 (automatic):
mode 6 wrecks table pages.
"""

from __future__ import annotations

import os
import re
import shutil

import numpy as np

from extractors.ocr.base import OcrLine
from models.document import BBox
from models.errors import DependencyMissing

LANG = "chi_sim"
PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def join_words(words: list[str]) -> str:
    """Join Tesseract's words: no space between two CJK words, one space otherwise."""
    out = ""
    for word in words:
        if out and not (_CJK.search(out[-1]) or _CJK.search(word[0])):
            out += " "
        out += word
    return out


class TesseractEngine:
    """Line-level reader: words grouped by Tesseract's (block, paragraph, line) numbers; the
    line box is the union of its word boxes and its confidence the mean word confidence / 100."""

    name = "tesseract"

    def __init__(self, threads: int = 1, psm: int = 3) -> None:
        import pytesseract

        if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
            raise DependencyMissing(
                f"Tesseract is not installed; install the Debian packages {PACKAGES} "
                "(apt-get install " + PACKAGES + ") or choose the rapidocr engine"
            )
        try:
            languages = pytesseract.get_languages(config="")
        except pytesseract.TesseractError as exc:  # pragma: no cover - broken install
            raise DependencyMissing(f"Tesseract does not run ({exc}); reinstall {PACKAGES}") from exc
        if LANG not in languages:
            raise DependencyMissing(
                f"Tesseract has no {LANG} language data; install the Debian package tesseract-ocr-chi-sim"
            )
        os.environ["OMP_THREAD_LIMIT"] = str(threads)
        self._tess = pytesseract
        self.config = f"--psm {psm}"

    def read(self, image: np.ndarray) -> list[OcrLine]:
        data = self._tess.image_to_data(image, lang=LANG, config=self.config, output_type=self._tess.Output.DICT)
        groups: dict[tuple[int, int, int], list[int]] = {}
        for i, text in enumerate(data["text"]):
            if not str(text).strip() or float(data["conf"][i]) < 0:
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
        lines = []
        for idx in groups.values():
            x0 = min(data["left"][i] for i in idx)
            y0 = min(data["top"][i] for i in idx)
            x1 = max(data["left"][i] + data["width"][i] for i in idx)
            y1 = max(data["top"][i] + data["height"][i] for i in idx)
            conf = sum(float(data["conf"][i]) for i in idx) / len(idx) / 100.0
            lines.append(
                OcrLine(
                    text=join_words([str(data["text"][i]).strip() for i in idx]),
                    bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1),
                    confidence=max(0.0, min(1.0, conf)),
                )
            )
        return lines
