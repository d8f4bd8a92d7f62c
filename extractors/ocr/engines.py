"""The engine registry: ``get_engine(name)`` gives one cached engine per process.

Importing this module is cheap; each factory imports its heavy library only when the
engine is first asked for. Known engines:

- ``rapidocr`` (default): RapidOCR 3.x with the PP-OCR models shipped inside its wheel.
- ``tesseract``: Tesseract 5 ``chi_sim`` through pytesseract (needs the Debian packages).
- ``replay``: recorded output from ``tests/ocr_recordings``, for fast deterministic tests.

Threads: ``INTAKE_OCR_THREADS`` (an integer) caps the inference threads of RapidOCR's backend
and Tesseract's OpenMP. Batch workers set it to all the cores (``intake.workers.worker_threads``).

Backend: ``INTAKE_OCR_BACKEND`` (``openvino`` or ``onnxruntime``) picks the library that runs
RapidOCR's models; unset, OpenVINO is used when installed (see ``extractors/ocr/rapid.py``).
"""

from __future__ import annotations

import os
import threading

from extractors.ocr.base import ENGINES, OcrEngine
from models.errors import ConfigError

DEFAULT_ENGINE = "rapidocr"
THREADS_ENV = "INTAKE_OCR_THREADS"
BACKEND_ENV = "INTAKE_OCR_BACKEND"

_cache: dict[str, OcrEngine] = {}
_lock = threading.Lock()


def ocr_threads() -> int | None:
    """Threads asked for through ``INTAKE_OCR_THREADS``; None lets the library decide."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{THREADS_ENV} must be a whole number of threads, got {raw!r}") from exc
    if value < 1:
        raise ConfigError(f"{THREADS_ENV} must be at least 1, got {value}")
    return min(value, os.cpu_count() or value)


def _rapidocr() -> OcrEngine:
    from extractors.ocr.rapid import RapidOcrEngine

    backend = os.environ.get(BACKEND_ENV, "").strip() or None
    return RapidOcrEngine(threads=ocr_threads(), backend=backend)


def _tesseract() -> OcrEngine:
    from extractors.ocr.tesseract import TesseractEngine

    return TesseractEngine(threads=ocr_threads() or 1)


def _replay() -> OcrEngine:
    from extractors.ocr.replay import ReplayEngine

    return ReplayEngine()


def register_default_engines() -> None:
    """Put the built-in factories in ``ENGINES`` (idempotent; keeps user registrations)."""
    ENGINES.setdefault("rapidocr", _rapidocr)
    ENGINES.setdefault("tesseract", _tesseract)
    ENGINES.setdefault("replay", _replay)


register_default_engines()


def get_engine(name: str = DEFAULT_ENGINE) -> OcrEngine:
    """The process-wide instance of engine ``name``, built on first use.

    Raises ``ConfigError`` for an unknown name and ``DependencyMissing`` when the engine's
    system program is absent."""
    engine = _cache.get(name)
    if engine is not None:
        return engine
    with _lock:
        engine = _cache.get(name)
        if engine is None:
            factory = ENGINES.get(name)
            if factory is None:
                known = ", ".join(sorted(ENGINES))
                raise ConfigError(f"unknown OCR engine {name!r}; known engines: {known}")
            engine = factory()
            _cache[name] = engine
    return engine


def clear_engine_cache() -> None:
    """Forget built engines (tests; or after changing ``INTAKE_OCR_THREADS``)."""
    with _lock:
        _cache.clear()
