"""The Rule extension point: one rule per finding code (or per family of checks).

A rule declares what it is; the round's TOML says what the notice asks. A new rule is one
file (and one line in ``validators.registry.MODULES``)::

    # validators/my_rule.py
    class BranchOffice(RecordRule):
        code = "BRANCH_OFFICE"
        title = "申报主体为分支机构"            # Chinese, for the workbook and `intake rules`
        checks = "营业执照类型不得为分公司"      # what it checks, for `intake rules`
        severity: Severity = "error"
        fatal = True                            # its error makes the submission 不符合
        config_keys = ("rules.BRANCH_OFFICE.basis",)

        def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
            ...                                 # yield findings; never raise on bad data

    register(BranchOffice(), "branch_office")

and in the round's TOML, the notice's words (the runner stamps them on every finding as
``Finding.basis``, shown as 依据) and, if wanted, overrides::

    [rules.BRANCH_OFFICE]
    basis = "申报主体应……具有独立法人资格"
    severity = "warning"    # optional
    fatal = false           # optional
    enabled = true          # optional

Rules never raise on bad data; they yield findings. The runner turns a crash inside a rule
into a RULE_FAILED finding on that submission and goes on. The verdict's fatal codes and the
codes table (``models.findings.FINDING_CODES``) are derived from the rules
(``validators.registry``) and the round's ``[rules.*]`` tables.
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
    """One submission to check; ``summaries``: the recommenders' 汇总表 of the batch, for rules
    that read what a 汇总表 says of the submission (its 示范模式)."""

    record: Record
    campaign: Campaign
    summaries: list[SummaryTable] = field(default_factory=list)


@dataclass(frozen=True)
class BatchContext:
    records: list[Record]
    campaign: Campaign
    summaries: list[SummaryTable] = field(default_factory=list)


class Rule(Protocol):
    """What every rule declares (read-only, so a rule may declare them as class attributes
    or properties). ``soft_fields``: field prefixes whose errors only call for review even
    when the code is fatal (an optional certificate)."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def checks(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def fatal(self) -> bool: ...
    @property
    def scope(self) -> Literal["record", "batch"]: ...
    @property
    def config_keys(self) -> tuple[str, ...]: ...
    @property
    def soft_fields(self) -> tuple[str, ...]: ...

    def check(self, ctx: RecordContext | BatchContext) -> Iterable[Finding]: ...


class Declared:
    """Defaults of the declaration, for rule base classes to inherit."""

    code: str = ""
    title: str = ""
    checks: str = ""
    severity: Severity = "error"
    fatal: bool = False
    scope: Literal["record", "batch"] = "record"
    config_keys: tuple[str, ...] = ()
    soft_fields: tuple[str, ...] = ()


RULES: dict[str, Rule] = {}
"""Rule name → rule. Several rules may share a code. Filled by ``register`` in each module of
``validators.registry.MODULES``; ``validators.registry.rules()`` gives them in that order."""


def register(rule: Rule, name: str | None = None) -> Rule:
    RULES[name or rule.code] = rule
    return rule


def severity_in(rule: Rule, campaign: Campaign) -> Severity:
    """The rule's severity in this round (the ``[rules.CODE]`` override, else declared)."""
    return campaign.rule(rule.code).severity or rule.severity


def fatal_in(rule: Rule, campaign: Campaign | None) -> bool:
    """Whether the rule's errors fail a submission in this round."""
    if campaign is not None:
        configured = campaign.rule(rule.code).fatal
        if configured is not None:
            return configured
    return rule.fatal


def enabled_in(rule: Rule, campaign: Campaign) -> bool:
    return campaign.rule(rule.code).enabled
