"""``intake rules --campaign NAME``: every rule of a round with the notice's words it enforces.

For each rule (in the order they run): its code and title, severity and whether its error
fails a submission in this round (the ``[rules.CODE]`` overrides applied), what it checks,
the notice's words (``basis``), and the config keys it reads. A ``[rules.CODE]`` table that
names no rule (a misspelt code) is listed at the end, so a round's author sees it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pydantic models load only when the verb runs: `intake --help` stays instant
    from models.campaign import Campaign

SCOPES = {"record": "逐份申报", "batch": "整批"}


def rule_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """One row per rule code of the round, as ``intake rules`` prints it."""
    from validators.base import fatal_in, severity_in
    from validators.registry import by_code

    rows = []
    for code, rule in by_code().items():
        config = campaign.rule(code)
        rows.append(
            {
                "code": code,
                "title": rule.title,
                "severity": severity_in(rule, campaign),
                "fatal": fatal_in(rule, campaign),
                "enabled": config.enabled,
                "scope": rule.scope,
                "checks": rule.checks,
                "basis": config.basis,
                "config_keys": [f"rules.{code}", *rule.config_keys],
            }
        )
    return rows


def unknown_codes(campaign: Campaign) -> list[str]:
    """Codes of ``[rules.CODE]`` tables that no rule declares."""
    from validators.registry import by_code

    known = by_code()
    return [code for code in campaign.rules.codes() if code not in known]


def render(campaign: Campaign, rows: list[dict[str, Any]], unknown: list[str]) -> str:
    """The rules as text a round's author reads."""
    from models.findings import SEVERITY_LABELS

    active = [r for r in rows if r["enabled"]]
    lines = [
        f"{campaign.title}（{campaign.id}）  截止 {campaign.deadline}  {campaign.province or '全国'}",
        f"配置文件：{campaign.source}",
        f"共{len(active)}条规则生效" + (f"，{len(rows) - len(active)}条停用" if len(rows) > len(active) else ""),
        "",
    ]
    for row in rows:
        level = SEVERITY_LABELS.get(row["severity"], row["severity"])
        flags = [level + ("·不符合" if row["fatal"] and row["severity"] == "error" else ""), SCOPES[row["scope"]]]
        if not row["enabled"]:
            flags.append("停用")
        lines.append(f"{row['code']}  {row['title']}  [{'，'.join(flags)}]")
        lines.append(f"    检查：{row['checks']}")
        lines.append(f"    依据：{row['basis'] or '（本批次未写明通知依据）'}")
        lines.append(f"    配置：{'、'.join(row['config_keys'])}")
        lines.append("")
    for code in unknown:
        lines.append(f"注意：配置中的 [rules.{code}] 不对应任何检查规则（代码拼写有误？）")
    return "\n".join(lines).rstrip() + "\n"


@click.command("rules")
@click.option("--campaign", "-c", required=True, help="批次名（如 shanxi-2021）或 .toml 配置文件路径")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def rules(campaign: str, as_json: bool) -> None:
    """列出批次的全部检查规则：代码、级别、检查内容、通知原文依据、配置项。"""
    from models.campaign import load_campaign

    loaded = load_campaign(campaign)
    rows = rule_rows(loaded)
    unknown = unknown_codes(loaded)
    if as_json:
        click.echo(json.dumps({"campaign": loaded.id, "rules": rows, "unknown": unknown}, ensure_ascii=False, indent=2))
        return
    click.echo(render(loaded, rows, unknown), nl=False)
