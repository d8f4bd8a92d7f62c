import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from intake.cli import cli


def test_campaigns_lists_both_rounds() -> None:
    out = CliRunner().invoke(cli, ["campaigns"]).output
    assert "shanxi-2021" in out and "guangxi-2021" in out


def test_schema_is_the_record_schema() -> None:
    schema = json.loads(CliRunner().invoke(cli, ["schema"]).output)
    for key in ("submission_id", "path", "kind", "applicant", "recommender", "form", "attachments", "findings"):
        assert key in schema["properties"]


def test_bad_campaign_file_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "next-year.toml"
    text = (Path(__file__).parent.parent / "intake/campaigns/shanxi-2021.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace("threshold = 30", "threshold = 300"), encoding="utf-8")
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "in"), "--campaign", str(bad), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "service_share.threshold" in result.output


def test_unknown_campaign_and_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(tmp_path), "--campaign", "nowhere-2030", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "shanxi-2021" in result.output
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "missing"), "--campaign", "shanxi-2021", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 4


HEAVY = {"rapidocr", "onnxruntime", "spacy", "cv2", "pdfplumber", "pypdfium2"}


def test_help_does_not_load_heavy_libraries() -> None:
    code = f"import sys, intake.cli; print(sorted({HEAVY!r} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
