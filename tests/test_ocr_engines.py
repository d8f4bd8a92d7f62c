"""The engine registry, the engines' contracts, and record/replay."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from extractors.ocr.base import ENGINES, OcrLine
from extractors.ocr.engines import clear_engine_cache, get_engine, ocr_threads
from extractors.ocr.replay import RecordingEngine, ReplayEngine, image_key
from extractors.ocr.tesseract import join_words
from models.document import BBox
from models.errors import ConfigError, DependencyMissing

ROOT = Path(__file__).resolve().parents[1]


def test_unknown_engine_names_the_known_ones() -> None:
    with pytest.raises(ConfigError) as info:
        get_engine("abbyy")
    for name in ("rapidocr", "tesseract", "replay"):
        assert name in info.value.message


def test_engines_are_cached_per_process() -> None:
    assert get_engine("replay") is get_engine("replay")


def test_importing_the_registry_loads_no_engine() -> None:
    code = (
        "import sys, extractors.ocr.engines, extractors.ocr.pages\n"
        "heavy = [m for m in ('rapidocr', 'onnxruntime', 'pytesseract') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(("raw", "expected"), [("", None), ("1", 1), (" 2 ", 2)])
def test_thread_setting(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int | None) -> None:
    monkeypatch.setenv("INTAKE_OCR_THREADS", raw)
    assert ocr_threads() == expected


@pytest.mark.parametrize("raw", ["two", "0", "-1"])
def test_bad_thread_setting_is_a_config_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("INTAKE_OCR_THREADS", raw)
    with pytest.raises(ConfigError):
        ocr_threads()


def test_missing_tesseract_names_the_debian_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    from extractors.ocr.tesseract import TesseractEngine

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(DependencyMissing) as info:
        TesseractEngine()
    assert "tesseract-ocr tesseract-ocr-chi-sim" in info.value.message


def test_tesseract_words_join_without_spaces_between_cjk() -> None:
    assert join_words(["统一", "社会", "信用代码", "91140100", "MA0K"]) == "统一社会信用代码91140100 MA0K"


def test_rapidocr_models_come_from_the_wheel_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.ocr.rapid import RapidOcrEngine, bundled_models

    for path in bundled_models().values():
        assert path.is_file() and path.stat().st_size > 100_000

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    for backend in ("openvino", "onnxruntime"):
        engine = RapidOcrEngine(threads=1, backend=backend)
        assert engine.read(np.full((60, 200, 3), 255, np.uint8)) == []
        assert engine.read(_text_line("营业执照")), backend  # recognition loaded too


def _text_line(text: str, width: int = 0) -> np.ndarray:
    from PIL import Image, ImageDraw

    from samples.gen.attachments import font

    image = Image.new("RGB", (max(width, 40 * len(text) + 60), 90), "white")
    ImageDraw.Draw(image).text((30, 25), text, font=font(36), fill=(0, 0, 0))
    return np.asarray(image)


def test_rapidocr_runs_on_openvino_in_32_bit_floats_by_default() -> None:
    """OpenVINO would compute in bfloat16 on CPUs with AMX, and read differently from other
    machines; the engine holds it to f32 for every model it compiles."""
    from extractors.ocr.rapid import RapidOcrEngine, available_backend

    assert available_backend() == "openvino"
    engine = RapidOcrEngine(threads=1)
    lines = engine.read(_text_line("统一社会信用代码"))
    assert engine.backend == "openvino"
    assert "".join(ln.text for ln in lines) == "统一社会信用代码"
    precisions = engine.precisions()
    assert set(precisions) == {"text_det", "text_cls", "text_rec"}
    assert set(precisions.values()) == {"f32"}

    # the precision is a property of each engine, not left behind for the next one
    import openvino

    fast = RapidOcrEngine(threads=1, precision="bf16")
    if "BF16" in openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
        assert set(fast.precisions().values()) == {"bf16"}
    assert set(RapidOcrEngine(threads=1).precisions().values()) == {"f32"}


def test_openvino_and_onnxruntime_read_a_page_alike() -> None:
    from extractors.ocr.rapid import RapidOcrEngine

    page = np.vstack([_text_line("名称 山西晋中纺织机械股份有限公司"), _text_line("注册资本 壹仟贰佰万元整", 740)])
    ov = [(ln.text, round(ln.confidence, 2)) for ln in RapidOcrEngine(backend="openvino").read(page)]
    ort = [(ln.text, round(ln.confidence, 2)) for ln in RapidOcrEngine(backend="onnxruntime").read(page)]
    assert ov == ort
    assert [text.replace(" ", "") for text, _ in ov] == ["名称山西晋中纺织机械股份有限公司", "注册资本壹仟贰佰万元整"]


def test_unknown_backend_is_refused() -> None:
    from extractors.ocr.rapid import RapidOcrEngine

    with pytest.raises(DependencyMissing, match="tensorrt"):
        RapidOcrEngine(backend="tensorrt")


class _FakeEngine:
    name = "fake"

    def read(self, image: np.ndarray) -> list[OcrLine]:
        box = BBox(x0=1, y0=2, x1=30.25, y1=12)
        return [OcrLine(text="营业执照", bbox=box, confidence=0.98765)]


def test_recordings_replay_what_was_recorded(tmp_path: Path) -> None:
    image = np.zeros((8, 8, 3), np.uint8)
    recorded = RecordingEngine(_FakeEngine(), tmp_path).read(image)
    assert (tmp_path / f"{image_key(image)}.json").is_file()
    replayed = ReplayEngine(tmp_path).read(image)
    assert [ln.text for ln in replayed] == [ln.text for ln in recorded]
    assert replayed[0].bbox.x1 == pytest.approx(30.2, abs=0.06)
    assert replayed[0].confidence == pytest.approx(0.9877)


def test_replay_without_recording_says_how_to_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTAKE_OCR_RECORD", raising=False)
    with pytest.raises(LookupError, match="INTAKE_OCR_RECORD"):
        ReplayEngine(tmp_path).read(np.ones((4, 4, 3), np.uint8))


def test_replay_records_a_missing_read_with_the_live_engine_it_is_given(tmp_path: Path) -> None:
    image = np.full((6, 9, 3), 7, np.uint8)
    built: list[_FakeEngine] = []

    def live() -> _FakeEngine:
        built.append(_FakeEngine())
        return built[-1]

    replay = ReplayEngine(tmp_path, live=live)
    assert [ln.text for ln in replay.read(image)] == ["营业执照"]
    assert replay.read_uncorrected(image)[0].text == "营业执照"
    assert len(built) == 1  # built on the first miss, then kept
    assert {p.name for p in tmp_path.iterdir()} == {f"{image_key(image)}.json", f"{image_key(image)}.uncorrected.json"}
    assert ReplayEngine(tmp_path).read(image)[0].text == "营业执照"  # replayed without it


def test_the_registry_hands_replay_the_engine_named_by_the_record_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(ENGINES, "fake", _FakeEngine)
    monkeypatch.setenv("INTAKE_OCR_RECORD", "fake")
    monkeypatch.setenv("INTAKE_OCR_RECORDINGS", str(tmp_path))
    clear_engine_cache()
    try:
        image = np.zeros((5, 5, 3), np.uint8)
        assert get_engine("replay").read(image)[0].text == "营业执照"
        assert '"engine":"fake"' in (tmp_path / f"{image_key(image)}.json").read_text("utf-8")
        monkeypatch.setenv("INTAKE_OCR_RECORD", "replay")
        clear_engine_cache()
        with pytest.raises(ConfigError, match="INTAKE_OCR_RECORD"):
            get_engine("replay")
    finally:
        clear_engine_cache()


def test_replay_needs_nothing_from_the_registry() -> None:
    """engines.py imports replay.py (its ``replay`` factory), never the other way round."""
    code = (
        "import sys, numpy as np, tempfile, pathlib\n"
        "from extractors.ocr.replay import ReplayEngine\n"
        "try:\n"
        "    ReplayEngine(pathlib.Path(tempfile.mkdtemp())).read(np.ones((3, 3, 3), np.uint8))\n"
        "except LookupError:\n"
        "    pass\n"
        "assert 'extractors.ocr.engines' not in sys.modules, 'replay imported the registry'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    source = (ROOT / "extractors" / "ocr" / "replay.py").read_text("utf-8")
    assert "extractors.ocr.engines" not in source


def test_image_key_depends_on_shape_and_pixels() -> None:
    a = np.zeros((4, 6, 3), np.uint8)
    assert image_key(a) != image_key(a.reshape(6, 4, 3))
    b = a.copy()
    b[0, 0, 0] = 1
    assert image_key(a) != image_key(b)


def teardown_module() -> None:
    clear_engine_cache()
