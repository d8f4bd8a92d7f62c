"""``intake rules`` and a third round written from another notice's text with no code
(docs/examples/example-2022.toml, quoting docs/examples/notice-2022-example.txt)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from intake.cli import cli
from models.campaign import load_campaign
from models.fields import Evidence, Extracted
from models.forms import form_from_fields
from models.records import Attachment, ExtractedDocument, Record
from validators.base import RecordContext
from validators.registry import by_code
from validators.runner import check_record

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs/examples/example-2022.toml"
EXAMPLE_NOTICE = ROOT / "docs/examples/notice-2022-example.txt"


def _quotes(basis: str) -> list[str]:
    """The quoted pieces of a basis (between “ and ”, split at ……)."""
    return [piece for part in basis.split("“")[1:] for piece in part.split("”")[0].split("……")]


def _squash(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("shanxi-2021", ["具有独立法人资格", "综合服务收入占总收入比例达到30%以上", "申报对象为地级市"]),
        ("guangxi-2021", ["服务收入占企业营业收入比重达30%以上", "有条件的设区市可申报其他类示范平台3个"]),
    ],
)
def test_rules_lists_every_rule_with_its_sentence(name: str, words: list[str]) -> None:
    result = CliRunner().invoke(cli, ["rules", "--campaign", name])
    assert result.exit_code == 0, result.output
    for code in by_code():
        assert f"\n{code}  " in result.output
    for word in words:
        assert word in result.output
    assert "（本批次未写明通知依据）" not in result.output


def test_rules_json_and_fatal_marks() -> None:
    result = CliRunner().invoke(cli, ["rules", "--campaign", "guangxi-2021", "--json"])
    rows = {row["code"]: row for row in json.loads(result.output)["rules"]}
    assert rows["LEGAL_PERSON_INELIGIBLE"]["fatal"] and rows["LEGAL_PERSON_INELIGIBLE"]["severity"] == "error"
    assert rows["FINANCIAL_RISK"]["severity"] == "warning" and not rows["FINANCIAL_RISK"]["fatal"]
    assert "rules.FINANCIAL_RISK.debt_ratio_max" in rows["FINANCIAL_RISK"]["config_keys"]
    assert rows["FORMAT_DEVIATION"]["enabled"] is False  # the Guangxi notice sets no format


def test_misspelt_rule_table_is_named(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + '\n[rules.LEGAL_PERSON_INELIGABLE]\nbasis = "x"\n', "utf-8")
    result = CliRunner().invoke(cli, ["rules", "--campaign", str(path)])
    assert result.exit_code == 0 and "[rules.LEGAL_PERSON_INELIGABLE] 不对应任何检查规则" in result.output


def test_bad_round_for_rules_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("debt_ratio_max = 85", "debt_ratio_max = -1"), "utf-8")
    result = CliRunner().invoke(cli, ["rules", "--campaign", str(path)], standalone_mode=False)
    assert "rules.FINANCIAL_RISK.debt_ratio_max" in str(result.exception)


def test_example_round_loads_and_quotes_its_notice() -> None:
    campaign = load_campaign(EXAMPLE)
    assert (campaign.id, campaign.region_code, campaign.platform_min_years) == ("example-2022", "13", 3)
    notice = _squash(EXAMPLE_NOTICE.read_text(encoding="utf-8"))
    for code in campaign.rules.codes():
        for piece in _quotes(campaign.rule(code).basis):
            assert _squash(piece) in notice, f"{code}: “{piece}”"
    result = CliRunner().invoke(cli, ["rules", "--campaign", str(EXAMPLE)])
    assert result.exit_code == 0 and "（本批次未写明通知依据）" not in result.output
    assert "ADDRESS_MISMATCH  注册地址不一致  [错误，" in result.output  # severity override


def _ex(value: Any) -> Any:
    return Extracted[Any](value=value, raw=str(value), evidence=[Evidence(file="书.docx", page=1, text=str(value))])


def test_example_round_drives_the_rules() -> None:
    """Its own thresholds, lists and overrides, with no code: 85% debt ratio, 20% for
    定制化服务, 河北's cities, an address mismatch as an error."""
    campaign = load_campaign(EXAMPLE)
    fields = {
        "name": _ex("河北示例装备有限公司"),
        "reg_address": _ex("石家庄市长安区中山路1号"),
        "content": _ex("申报示范模式：定制化服务。"),
        "financials.2021.revenue": _ex(1000.0),
        "financials.2021.service_revenue": _ex(210.0),  # 21%: under 25% but over 定制化's 20%
        "financials.2021.debt_ratio": _ex(88.0),
    }
    licence = Attachment(
        kind="business_license",
        file="执照.jpg",
        fields={"name": _ex("河北示例装备有限公司"), "address": _ex("保定市莲池区东风路9号")},
    )
    record = Record(
        submission_id="e1",
        path="石家庄市工信局/河北示例装备",
        kind="enterprise",
        form=form_from_fields("enterprise", fields),  # type: ignore[arg-type]
        form_fields=fields,
        attachments=[licence],
        documents=[ExtractedDocument(kind="application_form", file="书.docx", pages=[1], form_type="enterprise")],
    )
    found = check_record(RecordContext(record, campaign))
    codes = {f.code: f for f in found}
    assert "SERVICE_SHARE_BELOW_THRESHOLD" not in codes
    assert "88%" in codes["FINANCIAL_RISK"].message and "资产负债率不高于85%" in (codes["FINANCIAL_RISK"].basis or "")
    assert codes["ADDRESS_MISMATCH"].severity == "error"
    city = Record(
        submission_id="c1",
        path="x",
        kind="city",
        form=form_from_fields("city", {"name": _ex("定州市")}),  # type: ignore[arg-type]
        form_fields={"name": _ex("定州市")},
    )
    (eligible,) = [f for f in check_record(RecordContext(city, campaign)) if f.code == "CITY_NOT_ELIGIBLE"]
    assert "设区市" in eligible.message
