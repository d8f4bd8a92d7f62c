"""The 示范模式 (direction) a book declares, and the service share the notice asks of it.

Shanxi's 附件1 sets the share per direction of a 示范企业: 30%左右 for 全生命周期管理 and
总集成总承包, 30%以上 for 信息增值服务, none for 供应链管理. The round lists them as
``[[service_share.modes]]`` with the words that show the direction was declared. The
direction is read from the form's 三、主要申报内容: the modes named after a declaring word
(示范模式：…, 申报方向…, 重点发展…), else the 汇总表's 示范模式 column for the submission, else
the modes named anywhere in it; the applicant's own name is left out first (山西华晟供应链管理
有限公司 declares nothing by its name).
"""

from __future__ import annotations

import re

from models.campaign import Campaign, ModeThreshold
from models.identity import NAME_KEYS
from models.records import Record, SummaryTable
from models.values import normalise_name
from validators.common import fmt, form_view

_DECLARED = re.compile(
    r"(?:示范模式|申报模式|申报方向|示范方向|典型模式|服务模式|重点发展|申报类型)[为是：:\s]*([^。；;\n]{1,80})"
)


def _names(record: Record) -> list[str]:
    view = form_view(record)
    names = [str(view[key].value or view[key].raw) for key in NAME_KEYS if key in view]
    return [n for n in [*names, record.applicant or ""] if n.strip()]


def summary_mode(record: Record, summaries: list[SummaryTable]) -> str:
    """The 示范模式 a 汇总表 lists for the submission (same kind, same normalised name), or ""."""
    names = {normalise_name(name) for name in _names(record)}
    for summary in summaries:
        for row in summary.rows:
            if row.mode and row.kind == record.kind and normalise_name(row.name) in names:
                return row.mode
    return ""


def declared_modes(
    record: Record, campaign: Campaign, summaries: list[SummaryTable] | None = None
) -> list[ModeThreshold]:
    """The round's modes the submission declares (see the module docstring)."""
    modes = campaign.service_share.modes
    if not modes:
        return []
    content = form_view(record).get("content")
    raw = str(content.value or content.raw) if content is not None else ""
    for name in sorted(_names(record), key=len, reverse=True):
        raw = raw.replace(name, "")

    def named(text: str) -> list[ModeThreshold]:
        found = [m for m in modes if any(word in text for word in (m.keywords or [m.mode]))]
        return list({m.mode: m for m in found}.values())

    declared = named("；".join(_DECLARED.findall(raw)))
    return declared or named(summary_mode(record, summaries or [])) or named(raw)


def share_rule(
    record: Record, campaign: Campaign, summaries: list[SummaryTable] | None = None
) -> tuple[float, bool, str, str] | None:
    """(threshold, strict, the notice's words, the declared modes or "") for the record: the
    most lenient of the declared modes (综合型: several), None when one of them sets no share
    (供应链管理); the round's general threshold when none is declared."""
    rule = campaign.service_share
    wording = rule.wording or f"服务收入占营业收入比重达到{fmt(rule.threshold)}%"
    declared = declared_modes(record, campaign, summaries)
    if not declared:
        return rule.threshold, rule.strict, wording, ""
    if any(m.threshold is None for m in declared):
        return None
    lenient = min(declared, key=lambda m: (m.threshold or 0.0, m.strict))
    threshold = lenient.threshold if lenient.threshold is not None else rule.threshold
    return threshold, lenient.strict, lenient.wording or wording, "、".join(m.mode for m in declared)
