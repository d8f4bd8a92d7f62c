"""Runs the registered rules over records and the batch; a crashing rule becomes a finding."""

from __future__ import annotations

import logging
import traceback

from models.findings import Finding
from validators.base import RULES, BatchContext, RecordContext, Rule

log = logging.getLogger(__name__)


def load_rules() -> dict[str, Rule]:
    import validators.registry  # noqa: F401  (idempotent: registers every rule module once)

    return RULES


def _failed(rule_name: str, submission_id: str | None, exc: BaseException) -> Finding:
    log.error("rule %s failed on %s: %s", rule_name, submission_id, traceback.format_exc())
    return Finding(
        code="RULE_FAILED",
        severity="warning",
        message=f"检查规则 {rule_name} 运行出错（{type(exc).__name__}），请人工核对该项。",
        submission_id=submission_id,
        source=rule_name,
    )


def check_record(ctx: RecordContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope != "record":
            continue
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:  # a rule must never stop the batch
            findings.append(_failed(name, ctx.record.submission_id, exc))
    return findings


def check_batch(ctx: BatchContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope != "batch":
            continue
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:
            findings.append(_failed(name, None, exc))
    return findings
