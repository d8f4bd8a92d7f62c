"""docs/ARCHITECTURE.md's worked example works as written: the rule module shown there,
registered and configured by the round table shown there, runs through validators.runner; and
every module that registers rules is in the registry's one list."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from test_rules_cross import ex, fmap, record

from models.campaign import Campaign, load_campaign
from models.records import Record
from validators import registry
from validators.base import RULES, RecordContext
from validators.runner import check_record

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
CODE = "PROJECT_PERIOD_REVERSED"


def _block(marker: str, language: str) -> str:
    """The fenced ``language`` block right after ``<!-- worked-example: marker -->``."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- worked-example: {re.escape(marker)} -->\n```{language}\n(.*?)\n```", text, re.S)
    assert found is not None, f"ARCHITECTURE.md has no {language} block marked {marker}"
    return found.group(1) + "\n"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The doc's rule module, imported from a temporary file; unregistered afterwards."""
    path = tmp_path_factory.mktemp("example") / "project_period.py"
    path.write_text(_block("validators/project_period.py", "python"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("architecture_example_project_period", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    before = dict(RULES)
    spec.loader.exec_module(module)
    yield module
    RULES.clear()
    RULES.update(before)
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    """shanxi-2021 with the doc's ``[rules.PROJECT_PERIOD_REVERSED]`` table added."""
    shipped = load_campaign("shanxi-2021")
    assert shipped.source is not None
    path = tmp_path_factory.mktemp("round") / "shanxi-example.toml"
    text = Path(shipped.source).read_text(encoding="utf-8")
    path.write_text(text + "\n" + _block("round table", "toml"), encoding="utf-8")
    return load_campaign(path)


def _project(start: int, end: int) -> Record:
    rec = record("project", form={"start_year": start, "end_year": end})
    assert rec.form_fields["start_year"].value == start  # the form as the reader gives it
    return rec


def test_worked_example_rule_runs_through_the_runner(example: ModuleType, campaign: Campaign) -> None:
    rule = registry.rules()["project_period_reversed"]
    assert (rule.code, rule.scope, registry.by_code()[CODE]) == (CODE, "record", rule)
    found = [f for f in check_record(RecordContext(_project(2022, 2020), campaign)) if f.code == CODE]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == "warning" and finding.field == "end_year"
    assert (finding.form_value, finding.found_value) == (2022, 2020)
    assert finding.basis == campaign.rule(CODE).basis and "项目实施年限" in (finding.basis or "")
    assert "2022年至2020年" in finding.message
    assert [f for f in check_record(RecordContext(_project(2020, 2022), campaign)) if f.code == CODE] == []
    enterprise = record("enterprise", form={"name": "山西示例科技有限公司"})
    assert [f for f in check_record(RecordContext(enterprise, campaign)) if f.code == CODE] == []


def test_worked_example_respects_the_round(example: ModuleType, tmp_path: Path) -> None:
    """``enabled = false`` in the round's table switches the rule off, with no code change."""
    shipped = load_campaign("shanxi-2021")
    assert shipped.source is not None
    path = tmp_path / "shanxi-off.toml"
    table = _block("round table", "toml") + "enabled = false\n"
    path.write_text(Path(shipped.source).read_text(encoding="utf-8") + "\n" + table, encoding="utf-8")
    off = load_campaign(path)
    assert off.rule(CODE).enabled is False
    assert [f for f in check_record(RecordContext(_project(2022, 2020), off)) if f.code == CODE] == []


def _registers(path: Path) -> bool:
    """Whether a module calls ``register(...)`` at its top level (directly or in a loop)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        for call in ast.walk(node) if isinstance(node, ast.Expr | ast.For) else ():
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "register":
                return True
    return False


def test_every_rule_module_is_in_the_registry_list() -> None:
    declaring = {p.stem for p in (ROOT / "validators").glob("*.py") if _registers(p)}
    listed = {m.__name__.rsplit(".", 1)[-1] for m in registry.MODULES}
    assert declaring == listed, "a module registering rules must be in validators.registry.MODULES"
    assert len(registry.MODULES) == len(listed)


def test_rule_modules_register_nothing_of_their_siblings() -> None:
    """No rule module imports a sibling only to get its rules registered (the registry does)."""
    for path in (ROOT / "validators").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^from validators import .*# noqa: F401", source, re.M), path.name


def test_fmap_helper_keeps_years(example: ModuleType) -> None:
    """The example reads the years the way the form reader stores them (numbers)."""
    assert example._year(ex(2021.0)) == 2021 and example._year(ex("2021")) is None
    assert example._year(fmap(start_year=2019)["start_year"]) == 2019
