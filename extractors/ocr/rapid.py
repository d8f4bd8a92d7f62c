"""RapidOCR 3.x behind the ``OcrEngine`` protocol.

The detection, direction-classifier and recognition models are the ones shipped inside the
``rapidocr`` wheel (``rapidocr/models``); their paths are passed explicitly so RapidOCR never
resolves a download URL. A missing model file is a broken install, reported as
``DependencyMissing`` rather than a silent download attempt.

The models run on OpenVINO when it is installed (the default install has it) and on ONNX
Runtime otherwise. On this project's machines OpenVINO ran the same ONNX files about twice as
fast (detection 4×, recognition 1.4×; ``bench/ocr_backends.py``) with the same text, once its
CPU plugin is held to 32-bit floats: on CPUs with AMX or AVX-512 BF16 it otherwise computes in
bfloat16 by default, which is faster still but changes what is read (a long line lost on a
form page), and a reading must not depend on which CPU the batch ran on.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from extractors.ocr.base import OcrLine
from models.document import BBox
from models.errors import DependencyMissing

log = logging.getLogger(__name__)


def telemetry_off() -> None:
    """Keep OpenVINO from counting runs in ``~/intel/stats`` and sending usage events:
    importing ``openvino`` runs its converter's telemetry, which falls back to a no-op stub
    when ``openvino_telemetry`` cannot be imported. Call before anything imports openvino."""
    sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type]


telemetry_off()

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

BACKENDS = ("openvino", "onnxruntime")
"""Inference libraries in order of preference."""

OPENVINO_PRECISION = "f32"
OPENVINO_SHAPE_CACHE = 200
"""Compiled kernels OpenVINO keeps per input shape (its default, 5000, let a worker grow by
~0.4 GB over a long book: recognition sees a new width in nearly every batch)."""


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


def available_backend() -> str:
    """The first of ``BACKENDS`` that imports."""
    import importlib.util

    for backend in BACKENDS:
        if importlib.util.find_spec(backend) is not None:
            return backend
    raise DependencyMissing("neither openvino nor onnxruntime is installed; run `pip install -e .`")


@contextmanager
def openvino_config(precision: str = OPENVINO_PRECISION, shape_cache: int = OPENVINO_SHAPE_CACHE) -> Iterator[None]:
    """While the block runs, every CPU model RapidOCR compiles on OpenVINO uses ``precision``
    and keeps at most ``shape_cache`` shapes' kernels: RapidOCR's configuration has no keys for
    ``INFERENCE_PRECISION_HINT`` or ``CPU_RUNTIME_CACHE_CAPACITY``, so the CPU properties it
    builds are extended, and restored afterwards."""
    from rapidocr.inference_engine.openvino.device_config import CPUConfig

    original = CPUConfig.get_config

    def get_config(self: CPUConfig) -> dict[str, Any]:
        config = dict(original(self))
        config["INFERENCE_PRECISION_HINT"] = precision
        config["CPU_RUNTIME_CACHE_CAPACITY"] = str(shape_cache)
        return config

    CPUConfig.get_config = get_config  # type: ignore[method-assign]
    try:
        yield
    finally:
        CPUConfig.get_config = original  # type: ignore[method-assign]


class RapidOcrEngine:
    """PP-OCRv6 small detection + recognition, PP-OCR mobile 0/180° line classifier.

    ``threads`` caps the inference threads (None: all cores); ``backend`` is ``openvino`` or
    ``onnxruntime`` (None: ``available_backend()``); ``precision`` is OpenVINO's inference
    precision (``f32``; ``bf16`` only for benchmarks)."""

    name = "rapidocr"

    def __init__(
        self, threads: int | None = None, backend: str | None = None, precision: str = OPENVINO_PRECISION
    ) -> None:
        from rapidocr import EngineType, RapidOCR

        backend = backend or available_backend()
        if backend not in BACKENDS:
            raise DependencyMissing(f"unknown RapidOCR backend {backend!r}; known: {', '.join(BACKENDS)}")
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
        for part in ("Det", "Cls", "Rec"):
            params[f"{part}.engine_type"] = EngineType(backend)
        if threads is not None and backend == "onnxruntime":
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        elif threads is not None:
            params["EngineConfig.openvino.inference_num_threads"] = threads
        self.threads = threads
        self.backend = backend
        self._ocr = RapidOCR(params=params)
        # RapidOCR compiles each model on first use; compile all three now, while the
        # OpenVINO properties are in force.
        loaders = [getattr(self._ocr, name, None) for name in ("_load_det_model", "_load_cls_model", "_load_rec_model")]
        if not all(callable(load) for load in loaders):
            raise DependencyMissing("this rapidocr version cannot load its models up front; install rapidocr>=3.4,<4")
        with openvino_config(precision) if backend == "openvino" else nullcontext():
            for load in loaders:
                load()  # type: ignore[misc]
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        self._steps = threading.local()
        self._watch_steps()
        log.debug("RapidOCR on %s, threads=%s", backend, threads)

    def _watch_steps(self) -> None:
        """Keep, per thread, what the last call's direction classifier and recogniser
        returned (RapidOCR's output drops the classifier's labels): ``read`` then tells
        which lines were turned, so page-rotation detection need not read them again."""
        ocr: Any = self._ocr  # its step methods are replaced on this instance only
        classify, recognise = ocr.cls_and_rotate, ocr.recognize_txt
        steps = self._steps

        def cls_and_rotate(images: Any) -> Any:
            rotated, found = classify(images)
            steps.cls = found.cls_res
            return rotated, found

        def recognize_txt(images: Any) -> Any:
            steps.rec = found = recognise(images)
            return found

        ocr.cls_and_rotate = cls_and_rotate
        ocr.recognize_txt = recognize_txt

    def _turned(self, result: Any) -> list[bool | None]:
        """Per line of ``result``, whether the classifier turned it: RapidOCR keeps the
        lines with non-blank text scoring at least its ``text_score``, in order; the
        flags are used only when that filter gives back exactly the lines returned."""
        unknown: list[bool | None] = [None] * len(result.txts)
        labels, rec = getattr(self._steps, "cls", None), getattr(self._steps, "rec", None)
        if labels is None or rec is None or rec.txts is None or rec.scores is None or len(labels) != len(rec.txts):
            return unknown
        floor = float(self._ocr.text_score)
        kept = [i for i, text in enumerate(rec.txts) if text.strip() and rec.scores[i] >= floor]
        if [rec.txts[i] for i in kept] != list(result.txts):
            return unknown
        classifier: Any = self._ocr.text_cls
        sure = float(classifier.cls_thresh)
        return [("180" in str(labels[i][0]) and float(labels[i][1]) > sure) for i in kept]

    def precisions(self) -> dict[str, str]:
        """Inference precision of each compiled model (OpenVINO only; for tests and benchmarks)."""
        found = {}
        for part in ("text_det", "text_cls", "text_rec"):
            stage = getattr(self._ocr, part, None)
            request = getattr(getattr(stage, "session", None), "session", None)
            if request is not None and hasattr(request, "get_compiled_model"):
                value = request.get_compiled_model().get_property("INFERENCE_PRECISION_HINT")
                found[part] = value.to_string() if hasattr(value, "to_string") else str(value)
        return found

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
        self._steps.cls = self._steps.rec = None
        result: Any = self._ocr(bgr, use_det=True, use_cls=use_cls, use_rec=True)
        if result.boxes is None or result.txts is None or result.scores is None:
            return []
        turned = self._turned(result) if use_cls else [False] * len(result.txts)
        lines = []
        for box, text, score, flag in zip(result.boxes, result.txts, result.scores, turned, strict=False):
            if not text.strip():
                continue
            line = OcrLine(text=text, bbox=quad_to_bbox(box), confidence=float(max(0.0, score)), turned=flag)
            lines.append(line)
        return lines
