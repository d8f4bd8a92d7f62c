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
from models.errors import ConfigError, DependencyMissing

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
        raise ConfigError(f"环境变量 {THREADS_ENV}=“{raw}”无效：须为不小于 1 的整数（线程数），或删去该变量。") from exc
    if value < 1:
        raise ConfigError(f"环境变量 {THREADS_ENV}={value} 无效：须为不小于 1 的整数（线程数），或删去该变量。")
    return min(value, os.cpu_count() or value)


def _rapidocr() -> OcrEngine:
    from extractors.ocr.rapid import RapidOcrEngine

    backend = os.environ.get(BACKEND_ENV, "").strip() or None
    return RapidOcrEngine(threads=ocr_threads(), backend=backend)


def _tesseract() -> OcrEngine:
    from extractors.ocr.tesseract import TesseractEngine

    return TesseractEngine(threads=ocr_threads() or 1)


def _replay() -> OcrEngine:
    """Recorded output; with ``INTAKE_OCR_RECORD=<engine>`` a missing recording is read by
    that engine (built on the first miss, from this registry) and recorded."""
    from extractors.ocr.replay import RECORD_ENV, ReplayEngine

    live = os.environ.get(RECORD_ENV, "").strip()
    if live == "replay":
        raise ConfigError(f"环境变量 {RECORD_ENV}=replay 无效：录制须用真实的 OCR 引擎（rapidocr 或 tesseract）。")
    return ReplayEngine(live=(lambda: get_engine(live)) if live else None)


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


def check_engine(name: str) -> None:
    """Before a run reads anything: ``name`` is a known engine and what it needs is installed,
    checked without loading a model. ``ConfigError`` (exit 2) or ``DependencyMissing``
    (exit 3), each with a Chinese message naming the fix; otherwise every scan of the batch
    would become FILE_UNREADABLE one by one."""
    import importlib.util
    import shutil
    import subprocess

    if name not in ENGINES:
        known = "、".join(sorted(n for n in ENGINES if n != "replay"))
        raise ConfigError(f"未知的 OCR 引擎“{name}”，请用 --ocr 选择：{known}。")
    ocr_threads()
    if name == "rapidocr":
        from extractors.ocr.rapid import BACKENDS

        backend = os.environ.get(BACKEND_ENV, "").strip()
        if backend and backend not in BACKENDS:
            raise ConfigError(f"环境变量 {BACKEND_ENV}=“{backend}”无效：须为 {' 或 '.join(BACKENDS)}，或删去该变量。")
        wanted = [backend] if backend else list(BACKENDS)
        if importlib.util.find_spec("rapidocr") is None or not any(importlib.util.find_spec(b) for b in wanted):
            raise DependencyMissing("未安装 RapidOCR 或其推理库（OpenVINO / ONNX Runtime），请运行 scripts/setup.sh。")
    elif name == "tesseract":
        program = shutil.which("tesseract")
        if program is None:
            raise DependencyMissing(
                "未安装 Tesseract，请安装 tesseract-ocr 与 tesseract-ocr-chi-sim（或运行 scripts/setup.sh），"
                "或改用 --ocr rapidocr。"
            )
        try:
            listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise DependencyMissing(f"Tesseract 无法运行（{exc}），请重新安装 tesseract-ocr。") from exc
        if "chi_sim" not in listed.split():
            raise DependencyMissing("Tesseract 缺少简体中文语言包，请安装 tesseract-ocr-chi-sim。")


def clear_engine_cache() -> None:
    """Forget built engines (tests; or after changing ``INTAKE_OCR_THREADS``)."""
    with _lock:
        _cache.clear()
