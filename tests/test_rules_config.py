"""The rule framework: declarations, the registry, the runner's basis stamp and crash
handling, the verdict's fatal set from config, and strict ``[rules.*]`` tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.campaign import Campaign, CampaignError, load_campaign
from models.findings import FINDING_CODES, Finding
from models.records import Record
from validators import registry
from validators.base import RULES, BatchContext, Declared, RecordContext, register
from validators.runner import check_batch, check_record, stamp
from validators.verdict import HARD_CODES, decide

ROOT = Path(__file__).resolve().parent.parent


def _record() -> Record:
    return Record(submission_id="s1", path="推荐单位/申报单位", kind="enterprise")


class _Boom(Declared):
    code = "TEST_BOOM"
    title = "测试：出错的规则"

    def check(self, ctx: object) -> Iterator[Finding]:
        raise ZeroDivisionError("boom")


class _Says(Declared):
    code = "TEST_SAYS"
    title = "测试：总有发现"
    severity = "error"

    def check(self, ctx: object) -> list[Finding]:
        return [Finding(code=self.code, severity="error", message="测试发现", submission_id="s1")]


@pytest.fixture
def test_rules() -> Iterator[None]:
    register(_Boom(), "test.boom")  # type: ignore[arg-type]
    register(_Says(), "test.says")  # type: ignore[arg-type]
    yield
    RULES.pop("test.boom")
    RULES.pop("test.says")


def test_a_rule_that_raises_is_a_finding_and_the_others_still_run(test_rules: None) -> None:
    campaign = load_campaign("shanxi-2021")
    found = check_record(RecordContext(_record(), campaign))
    failed = [f for f in found if f.code == "RULE_FAILED"]
    assert [f.source for f in failed] == ["test.boom"]
    assert "ZeroDivisionError" in failed[0].message and failed[0].severity == "warning"
    assert any(f.code == "TEST_SAYS" for f in found)  # rules after the crash ran
    assert any(f.code == "FORM_NOT_FOUND" for f in found)


class _BatchBoom(Declared):
    code = "TEST_BATCH_BOOM"
    title = "测试：出错的整批规则"
    scope = "batch"

    def check(self, ctx: object) -> list[Finding]:
        raise KeyError("boom")


def test_a_batch_rule_that_raises_is_a_finding_and_the_batch_goes_on() -> None:
    register(_BatchBoom(), "test.batch_boom")  # type: ignore[arg-type]
    try:
        campaign = load_campaign("guangxi-2021")
        records = [
            _record().model_copy(update={"submission_id": f"s{i}", "recommender": "南宁市工信局"}) for i in range(3)
        ]
        found = check_batch(BatchContext(records, campaign))
    finally:
        RULES.pop("test.batch_boom")
    assert [f.source for f in found if f.code == "RULE_FAILED"] == ["test.batch_boom"]
    assert any(f.code == "QUOTA_EXCEEDED" for f in found)  # 3 enterprises against 2: the others ran


def test_runner_stamps_the_notice_words_and_the_round_severity() -> None:
    campaign = load_campaign("shanxi-2021").model_copy(deep=True)
    rules = campaign.rules.model_validate({"TEST_SAYS": {"basis": "通知原文", "severity": "warning"}})
    campaign = campaign.model_copy(update={"rules": rules})
    out = stamp(_Says().check(None), _Says(), campaign)  # type: ignore[arg-type]
    assert [(f.basis, f.severity) for f in out] == [("通知原文", "warning")]


def test_every_shipped_rule_finding_has_its_basis() -> None:
    campaign = load_campaign("shanxi-2021")
    found = check_record(RecordContext(_record(), campaign))
    assert found and all(f.basis for f in found if f.code != "RULE_FAILED")
    form = next(f for f in found if f.code == "FORM_NOT_FOUND")
    assert "分别填写表1至表4" in (form.basis or "")


def test_every_rule_declares_itself() -> None:
    for name, rule in registry.rules().items():
        assert rule.code and rule.title and rule.checks, name
        assert rule.scope in ("record", "batch"), name
        assert FINDING_CODES[rule.code] == rule.title


def test_one_title_per_code() -> None:
    titles: dict[str, set[str]] = {}
    for rule in registry.rules().values():
        titles.setdefault(rule.code, set()).add(rule.title)
    assert all(len(t) == 1 for t in titles.values()), titles


def test_fatal_codes_come_from_the_rules_and_the_round() -> None:
    assert "ATTACHMENT_MISSING" in HARD_CODES and "NAME_MISMATCH" not in HARD_CODES
    campaign = load_campaign("shanxi-2021")
    rules = campaign.rules.model_validate({"ATTACHMENT_MISSING": {"fatal": False}})
    lenient = campaign.model_copy(update={"rules": rules})
    record = _record()
    record.findings = [Finding(code="ATTACHMENT_MISSING", severity="error", message="缺附件")]
    assert decide(record, campaign).value == "不符合"
    assert decide(record, lenient).value == "需复核"


def test_shipped_rounds_quote_the_notice_for_every_rule() -> None:
    for name in ("shanxi-2021", "guangxi-2021"):
        campaign = load_campaign(name)
        for code in registry.by_code():
            if code == "LOW_CONFIDENCE":
                continue  # a reading matter: no sentence of the notice behind it
            assert campaign.basis(code), f"{name}: [rules.{code}] has no basis"


def test_shipped_bases_are_the_notices_words() -> None:
    """Every basis is made of sentences of the notice (quoted pieces joined by …)."""
    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("notices not beside the repository")
    texts = {
        "shanxi-2021": (seeds / "000_5a3df1e1e220733d.txt").read_text(encoding="utf-8"),
        "guangxi-2021": (seeds / "003_585d1a7eee527c51.txt").read_text(encoding="utf-8"),
    }

    def squash(text: str) -> str:
        return "".join(ch for ch in text if ch.isalnum())

    for name, notice in texts.items():
        body = squash(notice.replace("(", "（").replace(")", "）"))
        campaign = load_campaign(name)
        for code in campaign.rules.codes():
            basis = campaign.rule(code).basis
            quoted = [part for part in basis.split("“")[1:]]
            for part in quoted:
                words = part.split("”")[0]
                for piece in words.split("……"):
                    assert squash(piece) in body, f"{name} {code}: “{piece}” is not in the notice"


MINIMAL = """
id = "test-round"
title = "测试批次"
issuer = "测试厅"
deadline = 2022-06-30
kinds = ["enterprise"]
financial_years = [2019, 2020, 2021]

[service_share]
threshold = 30
strict = true
"""


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        ('[rules.FORM_NOT_FOUND]\nbasis = "x"\nbasiss = "y"\n', "rules.FORM_NOT_FOUND.basiss"),
        ("[rules.FINANCIAL_RISK]\ndebt_ratio = 90\n", "rules.FINANCIAL_RISK.debt_ratio"),
        ('[rules.form_not_found]\nbasis = "x"\n', "rules"),
        ('[rules.NEW_RULE]\nseverity = "fatal"\n', "rules.NEW_RULE.severity"),
        ('[platform_subquotas.other]\nlabel = "其他类"\nbase = 3\nconditional = 1\n', "platform_subquotas.other"),
    ],
)
def test_a_bad_rules_key_is_named(tmp_path: Path, edit: str, key: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL + "\n" + edit, encoding="utf-8")
    with pytest.raises(CampaignError) as err:
        load_campaign(bad)
    assert key in err.value.message


def test_a_new_code_needs_no_schema(tmp_path: Path) -> None:
    path = tmp_path / "more.toml"
    path.write_text(MINIMAL + '\n[rules.BRANCH_OFFICE]\nbasis = "具有独立法人资格"\nfatal = true\n', encoding="utf-8")
    campaign: Campaign = load_campaign(path)
    assert campaign.basis("BRANCH_OFFICE") == "具有独立法人资格" and campaign.rule("BRANCH_OFFICE").fatal


def test_guangxi_round_follows_its_own_notice() -> None:
    """Issue 10 item 12: what the Guangxi notice states, not what Shanxi's does."""
    guangxi = load_campaign("guangxi-2021")
    assert "city" not in guangxi.quotas  # 请各设区市结合实际积极申报示范城市: no number
    shared, other = guangxi.platform_subquotas["shared_manufacturing"], guangxi.platform_subquotas["other"]
    assert (shared.base, shared.conditional, other.base, other.conditional) == (1, None, 1, 3)
    assert guangxi.format is None and not guangxi.rule("FORMAT_DEVIATION").enabled
    assert {"seam", "city_government"} <= {seal.role for seal in guangxi.seals}
    assert guangxi.service_share.strict and not guangxi.service_share.modes
    assert guangxi.rules.CITY_NOT_ELIGIBLE.level == "设区市" and len(guangxi.rules.CITY_NOT_ELIGIBLE.cities) == 14
    shanxi = load_campaign("shanxi-2021")
    assert len(shanxi.rules.CITY_NOT_ELIGIBLE.cities) == 11 and shanxi.format is not None
    assert [m.threshold for m in shanxi.service_share.modes] == [None, 30, 30, 30]
