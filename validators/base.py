"""The Rule extension point: one rule per finding code (or per family of checks).

Rules never raise on bad data; they yield findings. The runner turns a crash inside a rule
into a RULE_FAILED finding on that submission and goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from models.campaign import Campaign
from models.findings import Finding, Severity
from models.records import Record, SummaryTable


@dataclass(frozen=True)
class RecordContext:
    record: Record
    campaign: Campaign


@dataclass(frozen=True)
class BatchContext:
    records: list[Record]
    campaign: Campaign
    summaries: list[SummaryTable] = field(default_factory=list)


class Rule(Protocol):
    code: str
    severity: Severity
    scope: Literal["record", "batch"]

    def check(self, ctx: RecordContext | BatchContext) -> Iterable[Finding]: ...


RULES: dict[str, Rule] = {}
"""Rule name → rule. Several rules may share a code. Filled by ``validators.registry``."""


def register(rule: Rule, name: str | None = None) -> Rule:
    RULES[name or rule.code] = rule
    return rule
