"""What a process imports decides how fast it starts: ``intake --help`` loads no parser and no
model, and reading or running a digital-only folder never loads the OCR stack (RapidOCR,
OpenVINO, ONNX Runtime, OpenCV), whose import alone costs about a second and hundreds of MB.
Each check runs in a fresh interpreter and inspects ``sys.modules``; no timing is asserted
(``bench/speed.py`` prints the start-up time against its target)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "received" / "shanxi-2021"
OCR_STACK = ("rapidocr", "openvino", "onnxruntime", "cv2", "extractors.ocr.rapid", "extractors.ocr.pages")
HEAVY = (*OCR_STACK, "pydantic", "numpy", "pypdfium2", "pdfplumber", "docx", "openpyxl", "distributed")


def _loaded_after(code: str) -> set[str]:
    """Top-level and dotted module names loaded by ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint('MODULES=' + json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300)
    line = next((x for x in done.stdout.splitlines() if x.startswith("MODULES=")), None)
    assert line is not None, done.stderr[-2000:]
    return set(json.loads(line.removeprefix("MODULES=")))


def _hits(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in modules)


def test_help_loads_no_parser_no_model_and_no_pydantic() -> None:
    code = "import sys\nsys.argv = ['intake', '--help']\nfrom intake.cli import main\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass"
    assert _hits(_loaded_after(code), HEAVY) == []


def test_reading_digital_files_never_loads_the_ocr_stack() -> None:
    files = [
        next(SAMPLES.rglob("*申报书.pdf")),
        next(SAMPLES.rglob("*申报书.docx")),
        next(SAMPLES.rglob("*.xlsx")),
    ]
    code = "\n".join(
        [
            "from pathlib import Path",
            "from intake.reading import read_file",
            *(f"assert read_file(Path({str(f)!r}), 'x{f.suffix}').entry.status == 'read'" for f in files),
        ]
    )
    assert _hits(_loaded_after(code), OCR_STACK) == []


def test_a_digital_only_run_never_loads_the_ocr_stack(tmp_path: Path) -> None:
    received = tmp_path / "received"
    source = SAMPLES / "大同市工业和信息化局" / "大同煤机智造有限公司"
    (received / source.name).mkdir(parents=True)
    for path in source.glob("*.pdf"):
        shutil.copy2(path, received / source.name / path.name)
    code = "\n".join(
        [
            "from pathlib import Path",
            "from intake.options import RunOptions",
            "from intake.pipeline import run",
            f"run(RunOptions(received=Path({str(received)!r}), campaign='shanxi-2021',"
            f" out=Path({str(tmp_path / 'out')!r}), jobs=1, progress=False))",
        ]
    )
    assert _hits(_loaded_after(code), OCR_STACK) == []
