"""运营和财务状况良好 (both notices): signs against it, as warnings for the reviewer's call.

From the form's per-year figures (表1, 表3) over the round's latest financial years, with
the thresholds of ``[rules.FINANCIAL_RISK]``:

- a loss (利润总额 < 0) in each of the latest ``loss_years`` years;
- a 资产负债率 above ``debt_ratio_max`` (100%: liabilities exceed assets) in any year;
- 营业收入 falling year after year over the latest ``decline_years`` years.

Each needs every figure it compares: a blank year is FORM_FIELD_MISSING's business, not a
sign. The notice does not define "good", so none of these fails an application.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from models.campaign import Campaign
from models.fields import Extracted, FieldMap
from models.findings import Finding, Severity
from models.records import Record
from validators.base import RecordContext, register
from validators.common import FORM_LABELS, evidence_of, finding, fmt, form_view, number_of
from validators.identity import RecordRule


def _series(view: FieldMap, key: str, years: list[int]) -> list[tuple[int, float, Extracted[object]]] | None:
    """(year, value, field) of ``key`` for every year, or None when a year has no number."""
    out: list[tuple[int, float, Extracted[object]]] = []
    for year in years:
        item = view.get(f"financials.{year}.{key}")
        value = number_of(item)
        if item is None or value is None:
            return None
        out.append((year, value, item))
    return out


def _years(campaign: Campaign, count: int) -> list[int]:
    years = sorted(campaign.financial_years)
    return years[-count:] if len(years) >= count else []


class FinancialRisk(RecordRule):
    """Losses every year, liabilities above assets, revenue falling every year."""

    code = "FINANCIAL_RISK"
    title = "运营和财务状况存疑"
    checks = "运营和财务状况良好：非连续亏损、资产负债率不超过上限、营业收入非逐年下降"
    severity: Severity = "warning"
    config_keys = (
        "rules.FINANCIAL_RISK.loss_years",
        "rules.FINANCIAL_RISK.debt_ratio_max",
        "rules.FINANCIAL_RISK.decline_years",
        "rules.FINANCIAL_RISK.kinds",
        "financial_years",
    )

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        config = ctx.campaign.rules.FINANCIAL_RISK
        record = ctx.record
        if record.form is None or record.kind is None or record.kind not in config.kinds:
            return
        view = form_view(record)
        form = FORM_LABELS.get(record.kind, "申报表")
        losses = _series(view, "total_profit", _years(ctx.campaign, config.loss_years))
        if losses and all(value < 0 for _, value, _ in losses):
            shown = "、".join(f"{year}年{fmt(value)}万元" for year, value, _ in losses)
            yield self._emit(
                record,
                f"{form}利润总额连续{len(losses)}年为负（{shown}），请评审人员判断运营和财务状况是否良好。",
                "financials.total_profit",
                [item for _, _, item in losses],
                shown,
            )
        high = [
            (year, value, item)
            for year in sorted(ctx.campaign.financial_years)
            if (item := view.get(f"financials.{year}.debt_ratio")) is not None
            and (value := number_of(item)) is not None
            and value > config.debt_ratio_max
        ]
        if high:
            shown = "、".join(f"{year}年{fmt(value)}%" for year, value, _ in high)
            yield self._emit(
                record,
                f"{form}资产负债率超过{fmt(config.debt_ratio_max)}%（{shown}），负债高于资产，"
                "请评审人员判断运营和财务状况是否良好。",
                f"financials.{high[-1][0]}.debt_ratio",
                [item for _, _, item in high],
                shown,
            )
        revenue = _series(view, "revenue", _years(ctx.campaign, config.decline_years))
        if revenue and all(later[1] < earlier[1] for earlier, later in pairwise(revenue)):
            shown = " → ".join(f"{year}年{fmt(value)}万元" for year, value, _ in revenue)
            yield self._emit(
                record,
                f"{form}营业收入逐年下降（{shown}），请评审人员判断运营和财务状况是否良好。",
                "financials.revenue",
                [item for _, _, item in revenue],
                shown,
            )

    def _emit(self, record: Record, message: str, field: str, items: list[Extracted[object]], shown: str) -> Finding:
        return finding(
            self.code, self.severity, message, record, field=field, found_value=shown, evidence=evidence_of(*items)
        )


register(FinancialRisk(), "financial_risk")
