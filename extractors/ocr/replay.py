"""Recorded OCR output, keyed by the SHA-256 of the image, for fast deterministic tests.

A recording is ``<directory>/<key>.json`` where ``key = image_key(image)``; reads made
without the line-direction classifier (page-rotation probes) are stored as
``<key>.uncorrected.json`` and single-line reads as ``<key>.line.json``. Record by running the tests once with
``INTAKE_OCR_RECORD=rapidocr`` (or wrap any engine in ``RecordingEngine``); missing
recordings are then read with that engine and written.

This module knows no engine by name: the registry (``engines.py``) reads
``INTAKE_OCR_RECORD`` and hands ``ReplayEngine`` the live engine to record with, so the
registry imports this module and never the other way round.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np

from extractors.ocr.base import OcrEngine, OcrLine

RECORDINGS_ENV = "INTAKE_OCR_RECORDINGS"
RECORD_ENV = "INTAKE_OCR_RECORD"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "ocr_recordings"


def image_key(image: np.ndarray) -> str:
    """SHA-256 of the image's shape and pixel bytes (C order)."""
    digest = hashlib.sha256(repr(tuple(image.shape)).encode())
    digest.update(np.ascontiguousarray(image, dtype=np.uint8).tobytes())
    return digest.hexdigest()


Mode = Literal["read", "uncorrected", "line"]


def _path(directory: Path, key: str, mode: Mode) -> Path:
    return directory / (f"{key}.json" if mode == "read" else f"{key}.{mode}.json")


def save_recording(directory: Path, image: np.ndarray, lines: list[OcrLine], engine: str, mode: Mode) -> Path:
    """Write one recording (compact JSON, boxes rounded to 0.1 px) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = {
        "engine": engine,
        "shape": list(image.shape),
        "lines": [
            {
                "text": line.text,
                "bbox": [round(v, 1) for v in (line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1)],
                "confidence": round(line.confidence, 4),
            }
            for line in lines
        ],
    }
    path = _path(directory, image_key(image), mode)
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return path


def load_recording(path: Path) -> list[OcrLine]:
    payload = json.loads(path.read_text("utf-8"))
    lines = []
    for item in payload["lines"]:
        x0, y0, x1, y1 = item["bbox"]
        lines.append(
            OcrLine.model_validate(
                {
                    "text": item["text"],
                    "bbox": {"x0": x0, "y0": y0, "x1": x1, "y1": y1},
                    "confidence": item["confidence"],
                }
            )
        )
    return lines


def _read(engine: OcrEngine, image: np.ndarray, mode: Mode) -> list[OcrLine]:
    if mode == "line":
        from extractors.ocr.preprocess import read_line

        line = read_line(engine, image)
        return [] if line is None else [line]
    probe = getattr(engine, "read_uncorrected", None) if mode == "uncorrected" else None
    return probe(image) if probe is not None else engine.read(image)


class RecordingEngine:
    """Wraps a real engine and writes every read to ``directory`` (the recorder)."""

    def __init__(self, inner: OcrEngine, directory: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = directory or DEFAULT_DIR

    def record(self, image: np.ndarray, mode: Mode) -> list[OcrLine]:
        """Read ``image`` with the wrapped engine the way ``mode`` says and save the lines."""
        lines = _read(self.inner, image, mode)
        save_recording(self.directory, image, lines, self.inner.name, mode)
        return lines

    def read(self, image: np.ndarray) -> list[OcrLine]:
        return self.record(image, "read")

    def read_uncorrected(self, image: np.ndarray) -> list[OcrLine]:
        return self.record(image, "uncorrected")

    def read_line(self, image: np.ndarray) -> OcrLine | None:
        lines = self.record(image, "line")
        return lines[0] if lines else None


class ReplayEngine:
    """Returns the recorded lines of an image. Without a recording it reads with the engine
    ``live`` gives (called once, on the first missing recording) and records, or, without
    ``live``, raises ``LookupError`` saying how to record."""

    name = "replay"

    def __init__(self, directory: Path | None = None, live: Callable[[], OcrEngine] | None = None) -> None:
        self.directory = directory or Path(os.environ.get(RECORDINGS_ENV) or DEFAULT_DIR)
        self.live = live
        self._recorder: RecordingEngine | None = None

    def read(self, image: np.ndarray) -> list[OcrLine]:
        return self._replay(image, "read")

    def read_uncorrected(self, image: np.ndarray) -> list[OcrLine]:
        return self._replay(image, "uncorrected")

    def read_line(self, image: np.ndarray) -> OcrLine | None:
        lines = self._replay(image, "line")
        return lines[0] if lines else None

    def _replay(self, image: np.ndarray, mode: Mode) -> list[OcrLine]:
        path = _path(self.directory, image_key(image), mode)
        if path.is_file():
            return load_recording(path)
        if self.live is None:
            how = f"run once with {RECORD_ENV}=rapidocr to record it"
            if os.environ.get(RECORD_ENV):
                how += " (through get_engine('replay'): this ReplayEngine was given no live engine)"
            raise LookupError(f"no OCR recording {path.name} in {self.directory}; {how}")
        if self._recorder is None:
            self._recorder = RecordingEngine(self.live(), self.directory)
        return self._recorder.record(image, mode)
