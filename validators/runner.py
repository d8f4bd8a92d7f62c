"""Runs the rules over records and the batch; a crashing rule becomes a finding.

Each finding leaves the runner stamped with the round's notice words (``Finding.basis``:
the emitting rule's ``[rules.CODE].basis``, else that of the finding's code) and with the
round's severity override. A rule the round disables (``enabled = false``) does not run.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from models.campaign import Campaign
from models.findings import Finding
from validators.base import BatchContext, RecordContext, Rule, enabled_in

log = logging.getLogger(__name__)


def load_rules() -> dict[str, Rule]:
    from validators.registry import rules

    return rules()


def _failed(rule_name: str, submission_id: str | None, exc: BaseException) -> Finding:
    log.error("rule %s failed on %s: %s", rule_name, submission_id, traceback.format_exc())
    return Finding(
        code="RULE_FAILED",
        severity="warning",
        message=f"检查规则 {rule_name} 运行出错（{type(exc).__name__}），请人工核对该项。",
        submission_id=submission_id,
        source=rule_name,
    )


def stamp(findings: Iterable[Finding], rule: Rule, campaign: Campaign) -> list[Finding]:
    """The rule's findings with the round's basis and severity override applied."""
    own = campaign.rule(rule.code)
    out: list[Finding] = []
    for item in findings:
        update: dict[str, object] = {}
        basis = item.basis or own.basis or campaign.basis(item.code)
        if basis and basis != item.basis:
            update["basis"] = basis
        if own.severity and item.code == rule.code and item.severity == rule.severity:
            update["severity"] = own.severity
        out.append(item.model_copy(update=update) if update else item)
    return out


def _run(name: str, rule: Rule, ctx: RecordContext | BatchContext, submission_id: str | None) -> list[Finding]:
    try:
        return stamp(rule.check(ctx), rule, ctx.campaign)
    except Exception as exc:  # a rule must never stop the batch
        return [_failed(name, submission_id, exc)]


def check_record(ctx: RecordContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope == "record" and enabled_in(rule, ctx.campaign):
            findings.extend(_run(name, rule, ctx, ctx.record.submission_id))
    return findings


def check_batch(ctx: BatchContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope == "batch" and enabled_in(rule, ctx.campaign):
            findings.extend(_run(name, rule, ctx, None))
    return findings
