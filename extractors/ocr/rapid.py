"""RapidOCR 3.x behind the ``OcrEngine`` protocol.

The detection, direction-classifier and recognition models are the ones shipped inside the
``rapidocr`` wheel (``rapidocr/models``); their paths are passed explicitly so RapidOCR never
resolves a download URL. A missing model file is a broken install, reported as
``DependencyMissing`` rather than a silent download attempt.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from extractors.ocr.base import OcrLine
from models.document import BBox
from models.errors import DependencyMissing

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def bundled_models() -> dict[str, Path]:
    """Paths of the three models inside the installed wheel; raises when one is absent."""
    import rapidocr

    root = Path(rapidocr.__file__).resolve().parent / "models"
    paths = {"det": root / DET_MODEL, "rec": root / REC_MODEL, "cls": root / CLS_MODEL}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise DependencyMissing(
            "RapidOCR models are missing from the installed wheel "
            f"({', '.join(missing)}); reinstall with `pip install --force-reinstall rapidocr`"
        )
    return paths


def quad_to_bbox(points: Any) -> BBox:
    """Axis-aligned box around a 4-point polygon."""
    arr = np.asarray(points, dtype=float).reshape(-1, 2)
    return BBox(
        x0=float(arr[:, 0].min()),
        y0=float(arr[:, 1].min()),
        x1=float(arr[:, 0].max()),
        y1=float(arr[:, 1].max()),
    )


class RapidOcrEngine:
    """PP-OCRv6 small detection + recognition, PP-OCR mobile 0/180° line classifier.

    ``threads`` caps ONNX Runtime's intra-op threads (None: all cores)."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        from rapidocr import RapidOCR

        models = bundled_models()
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Det.model_path": str(models["det"]),
            "Rec.model_path": str(models["rec"]),
            "Cls.model_path": str(models["cls"]),
            # Detection on at most 1600 px (recognition still crops the full-size page):
            # detection was two thirds of a 200-dpi A4 page's time at 2000 px.
            "Det.limit_type": "max",
            "Det.limit_side_len": 1600,
        }
        if threads is not None:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self.threads = threads
        self._ocr = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Lines of an RGB image, each line turned upright by the direction classifier."""
        return self._run(image, use_cls=True)

    def read_uncorrected(self, image: np.ndarray) -> list[OcrLine]:
        """Lines read as they lie, without the 0/180° classifier: an upside-down page then
        reads as low-confidence garbage, which is what page-rotation detection needs."""
        return self._run(image, use_cls=False)

    def read_line(self, image: np.ndarray) -> OcrLine | None:
        """An image holding one text line, recognised as it lies (no detection, no direction
        classifier): a cheap probe of which way the page is turned."""
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        result: Any = self._ocr(bgr, use_det=False, use_cls=False, use_rec=True)
        if not result.txts or result.scores is None:
            return None
        h, w = image.shape[:2]
        box = BBox(x0=0.0, y0=0.0, x1=float(w), y1=float(h))
        return OcrLine(text=result.txts[0], bbox=box, confidence=float(max(0.0, result.scores[0])))

    def _run(self, image: np.ndarray, *, use_cls: bool) -> list[OcrLine]:
        # RapidOCR expects OpenCV's BGR order for ndarray input.
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        result: Any = self._ocr(bgr, use_det=True, use_cls=use_cls, use_rec=True)
        if result.boxes is None or result.txts is None or result.scores is None:
            return []
        lines = []
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
            if not text.strip():
                continue
            lines.append(OcrLine(text=text, bbox=quad_to_bbox(box), confidence=float(max(0.0, score))))
        return lines
