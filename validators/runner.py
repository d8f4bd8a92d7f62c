"""Runs the rules over records and the batch; a crashing rule becomes a finding.

Each finding leaves the runner stamped with the round's notice words (``Finding.basis``:
the emitting rule's ``[rules.CODE].basis``, else that of the finding's code) and with the
round's severity override. A rule the round disables (``enabled = false``) does not run.

Rules name the file a finding compares with by its path under the received folder
(``Finding.source``); the runner rewrites it relative to the submission's folder
(``models.identity.relative_source``), so that finding ids, which hash it, survive a renamed
or moved applicant or recommender folder, as submission ids do (``intake.submission_ids``).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Mapping

from models.campaign import Campaign
from models.findings import Finding
from models.identity import relative_source, submission_folder
from models.records import Record
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


def _folder(record: Record) -> str:
    return submission_folder(record.path, (entry.path for entry in record.files))


def rebase(findings: Iterable[Finding], records: Mapping[str, Record], ids_by_path: Mapping[str, str]) -> list[Finding]:
    """The findings with each ``source`` relative to its submission's folder (``records``: by
    submission id; ``ids_by_path``: submission id by path, for a source naming another
    submission). Findings of no known submission keep their source."""
    out: list[Finding] = []
    for item in findings:
        record = records.get(item.submission_id or "")
        if record is None:
            out.append(item)
            continue
        source = relative_source(item.source, _folder(record), ids_by_path, record.submission_id)
        out.append(item if source == item.source else item.model_copy(update={"source": source}))
    return out


def check_record(ctx: RecordContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope == "record" and enabled_in(rule, ctx.campaign):
            findings.extend(_run(name, rule, ctx, ctx.record.submission_id))
    record = ctx.record
    return rebase(findings, {record.submission_id: record}, {})


def check_batch(ctx: BatchContext) -> list[Finding]:
    findings: list[Finding] = []
    for name, rule in load_rules().items():
        if rule.scope == "batch" and enabled_in(rule, ctx.campaign):
            findings.extend(_run(name, rule, ctx, None))
    by_id = {r.submission_id: r for r in ctx.records}
    return rebase(findings, by_id, {r.path: r.submission_id for r in ctx.records})
