"""Rules that need only the record's own form and the round: required fields, numbers,
ratios, totals, service share (SPEC §5). The body's outline and formatting are
``validators.body_rules``, on this module's ``FormRule`` base.

Each rule is a small object registered under a ``form.*`` name. Rules read the form through
``validators.common.form_view`` (flat dotted keys with raw text and evidence).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from models.campaign import Campaign
from models.fields import Extracted, FieldMap
from models.findings import Finding, Severity
from models.forms import FORM_MODELS, FormType, Investor, Patents, YearFinancials
from models.records import Record, SummaryTable
from validators.base import BatchContext, Declared, RecordContext, register
from validators.common import (
    FORM_LABELS,
    evidence_of,
    finding,
    fmt,
    form_evidence,
    form_type_of,
    form_view,
    is_missing,
    label_of,
    latest_year,
    number_of,
)
from validators.modes import share_rule
from validators.ocr_noise import read_by_ocr

Req = tuple[str, Severity]


def required_fields(campaign: Campaign, kind: FormType) -> list[Req]:
    """The round's ``[rules.FORM_FIELD_MISSING.required.<kind>]``: scalar fields the form
    prints, by severity when blank; "a|b" means one of them; "investors"/"customers" mean at
    least one row of that list."""
    config = campaign.rules.FORM_FIELD_MISSING.required.get(kind)
    if config is None:
        return []
    return [(k, "error") for k in config.errors] + [(k, "warning") for k in config.warnings]


RATIO_KEYS = {"debt_ratio", "rd_ratio", "rd_staff_ratio", "senior_staff_ratio", "bachelor_ratio"}
"""Shares that must lie in 0–100. Growth rates (net_profit_growth, 表4's *_growth) are not."""
UNBOUNDED_ABOVE = {"debt_ratio"}
"""Ratios that may pass 100: liabilities over assets is over 100% when a company is insolvent,
a real figure that FINANCIAL_RISK puts to the reviewer, not a value out of range."""


def _numeric_names(model: type[Any]) -> set[str]:
    return {
        name
        for name, info in model.model_fields.items()
        if info.annotation is float or float in typing.get_args(info.annotation)
    }


_TOP_NUMERIC = set().union(*(_numeric_names(m) for m in FORM_MODELS.values()))
_NESTED_NUMERIC = {
    "financials": _numeric_names(YearFinancials),
    "patents": _numeric_names(Patents),
    "investors": _numeric_names(Investor),
}


def is_numeric_key(key: str) -> bool:
    """Whether a dotted canonical form key holds a number."""
    parts = key.split(".")
    if len(parts) == 1:
        return key in _TOP_NUMERIC
    depth = 2 if parts[0] == "patents" else 3
    return len(parts) == depth and parts[-1] in _NESTED_NUMERIC.get(parts[0], set())


class FormRule(Declared):
    """Base of the rules here: only record contexts, only records with a form unless
    ``needs_form`` is False; ``emit`` builds a finding with the fields' evidence (or the
    form's, when the fields have none)."""

    needs_form = True

    def check(self, ctx: RecordContext | BatchContext) -> list[Finding]:
        if not isinstance(ctx, RecordContext):
            return []
        if self.needs_form and ctx.record.form is None:
            return []
        return list(self.findings(ctx.record, ctx.campaign, form_view(ctx.record)))

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        raise NotImplementedError

    def emit(
        self,
        record: Record,
        message: str,
        field: str,
        *items: Extracted[Any] | None,
        severity: Severity | None = None,
        form_value: Any = None,
        found_value: Any = None,
    ) -> Finding:
        return finding(
            self.code, severity or self.severity, message, record, field=field, form_value=form_value,
            found_value=found_value, evidence=evidence_of(*items) or form_evidence(record),
        )  # fmt: skip


def _form(record: Record) -> str:
    return FORM_LABELS.get(form_type_of(record) or "", "申报表")


def _label(record: Record, key: str) -> str:
    return f"{_form(record)}“{label_of(key, form_type_of(record))}”"


class FormNotFound(FormRule):
    """FORM_NOT_FOUND: the submission has no application form (表1–表4) that could be read."""

    code = "FORM_NOT_FOUND"
    title = "未找到申报表"
    checks = "申报材料中有可读的申报表（表1–表4）"
    fatal = True
    needs_form = False

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        if record.form is None:
            which = f"{FORM_LABELS[record.kind]}申报表" if record.kind else "申报表（表1–表4）"
            yield finding(self.code, "error", f"未找到{which}，无法核对申报数据", record)


def _year_keys(kind: FormType, campaign: Campaign, view: FieldMap) -> list[str]:
    """Per-year rows of the form (``[rules.FORM_FIELD_MISSING.per_year.<kind>]``): a column
    per financial year of the round (表1, 表3), or a single block for the latest year (表2)."""
    config = campaign.rules.FORM_FIELD_MISSING.per_year.get(kind)
    if config is None or not config.fields:
        return []
    names, which = config.fields, config.years
    if which == "all":
        years = [str(y) for y in campaign.financial_years]
    else:  # the single block: the year the form printed, else the round's latest year
        present = {k.split(".")[1] for k in view if k.startswith("financials.")}
        years = [max(present) if present else str(max(campaign.financial_years))]
    return [f"financials.{y}.{name}" for y in years for name in names]


def _years_filled(view: FieldMap) -> set[str]:
    """Years for which the form holds at least one financial value."""
    return {k.split(".")[1] for k, v in view.items() if k.startswith("financials.") and not is_missing(v, True)}


class FormFieldMissing(FormRule):
    """FORM_FIELD_MISSING: a field or year column the notice's form prints is blank. Text
    fields, 专利 rows and warning-level fields may say "无"; a numeric cell holding only
    "—" or "/" is blank. Text that failed to parse is not missing (VALUE_NOT_NUMERIC).

    Two cases ask a reviewer rather than fail the book (precision first):
    - a form filled for other years (2019–2021 where the round asks 2018–2020) gets one
      warning per year the round asks for and the form lacks, not one error per cell;
    - a form read by OCR: a cell the reader found empty may hold a value it could not
      read, so a blank is a warning that asks to compare with the page."""

    code = "FORM_FIELD_MISSING"
    title = "申报表必填项缺失"
    checks = "申报表各栏目及各年度数据已填写"
    config_keys = ("rules.FORM_FIELD_MISSING.required", "rules.FORM_FIELD_MISSING.per_year", "financial_years")

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        kind = form_type_of(record)
        if kind is None:
            return
        scanned = next((d.method for d in record.documents if d.kind == "application_form"), None) == "ocr"
        year_keys = _year_keys(kind, campaign, view)
        filled = _years_filled(view)
        asked = {k.split(".")[1] for k in year_keys}
        other_years = sorted(filled - asked)
        absent = sorted(asked - filled) if other_years else []
        for year in absent:
            filled_years = "、".join(sorted(filled))
            message = f"{_form(record)}填报的是{filled_years}年度数据，缺少通知要求的{year}年度数据，请核对填报年度"
            yield self.emit(record, message, f"financials.{year}", severity="warning")
        years: list[Req] = [(k, "error") for k in year_keys if k.split(".")[1] not in absent]
        for spec, severity in required_fields(campaign, kind) + years:
            keys = spec.split("|")
            if keys[0] in ("investors", "customers"):
                if not any(k.startswith(spec + ".") and v.value for k, v in view.items()):
                    message = f"{_label(record, spec)}未填写任何一行"
                    yield self.emit(record, message, spec, severity=severity)
                continue
            items = [view.get(k) for k in keys]
            lenient = severity == "warning" or spec.startswith("patents.")
            if all(is_missing(item, lenient or not is_numeric_key(key)) for item, key in zip(items, keys, strict=True)):
                labels = "/".join(label_of(k, kind) for k in keys)
                extra = "（至少填写一项）" if len(keys) > 1 else ""
                raw = items[0].raw.strip() if items[0] is not None else ""
                if scanned:
                    message = f"{_form(record)}扫描件中未识别到“{labels}”{extra}，可能未填写或未能识别，请对照原件核对"
                    severity = "warning"
                else:
                    message = f"{_form(record)}“{labels}”未填写{extra}"
                yield self.emit(record, message, keys[0], *items, severity=severity, found_value=raw or None)


class ValueNotNumeric(FormRule):
    """VALUE_NOT_NUMERIC: a numeric cell holds text that is not a number (见审计报告). An error
    when the text was typed; a warning when it was read by OCR (``-4:7``, ``.65.9``: the page
    may well show a number the reader garbled, so a reviewer compares it with the page)."""

    code = "VALUE_NOT_NUMERIC"
    title = "数值无法识别"
    checks = "申报表数值栏填写的是数值"

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        form_method = next((d.method for d in record.documents if d.kind == "application_form"), None)
        for key, item in view.items():
            raw = item.raw.strip()
            if is_numeric_key(key) and raw and number_of(item) is None and not is_missing(item):
                if read_by_ocr(item, form_method):
                    message = f"{_label(record, key)}扫描识别为“{raw}”，无法识别为数值，请对照原件核对"
                    yield self.emit(record, message, key, item, severity="warning", found_value=raw)
                    continue
                message = f"{_label(record, key)}填写为“{raw}”，无法识别为数值"
                yield self.emit(record, message, key, item, found_value=raw)


class PercentOutOfRange(FormRule):
    """PERCENT_OUT_OF_RANGE: a share (研发投入比例, staff ratios, 投资比例) outside 0–100, or a
    negative 资产负债率 (which may pass 100). Growth rates may be negative or above 100 and are
    not checked."""

    code = "PERCENT_OUT_OF_RANGE"
    title = "百分比超出范围"
    checks = "比例类栏目在0–100%之间"

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        for key, item in view.items():
            parts = key.split(".")
            ratio = parts[-1] in RATIO_KEYS or (parts[0] == "investors" and parts[-1] == "ratio")
            value = number_of(item)
            upper = float("inf") if parts[-1] in UNBOUNDED_ABOVE else 100
            if ratio and value is not None and not 0 <= value <= upper:
                bounds = "不应为负数" if upper > 100 else "超出0–100%的范围"
                message = f"{_label(record, key)}为{fmt(value)}%，{bounds}"
                yield self.emit(record, message, key, item, form_value=value)


_PATENT_PARTS = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}


class TotalMismatch(FormRule):
    """TOTAL_MISMATCH: 专利总数 differs from 发明 + 实用新型 + 外观设计, or 表3's investment
    ratios add up to more than 100%. With a total and at least one part filled in, blank
    parts count as 0; with no part filled in there is nothing to compare (a blank part is
    FORM_FIELD_MISSING's business)."""

    code = "TOTAL_MISMATCH"
    title = "合计与分项不符"
    checks = "专利总数等于各类专利之和，投资比例合计不超过100%"

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        total_item = view.get("patents.total")
        total = number_of(total_item)
        items = [view.get(f"patents.{p}") for p in _PATENT_PARTS]
        parts = [number_of(it) for it in items]
        if total is not None and any(p is not None for p in parts):
            summed = sum(p or 0.0 for p in parts)
            if abs(summed - total) > 1e-6:
                terms = " + ".join(
                    f"{name}{fmt(p or 0)}" for name, p in zip(_PATENT_PARTS.values(), parts, strict=True)
                )
                message = f"{_label(record, 'patents.total')}为{fmt(total)}，而{terms} = {fmt(summed)}，合计与分项不符"
                yield self.emit(
                    record, message, "patents.total", total_item, *items, form_value=total,
                    found_value=summed,
                )  # fmt: skip
        ratio_items = [v for k, v in view.items() if k.startswith("investors.") and k[-6:] == ".ratio"]
        ratio_sum = round(sum(number_of(v) or 0.0 for v in ratio_items), 4)
        if ratio_sum > 100 + 1e-6:
            message = f"{_form(record)}主要投资方投资比例合计为{fmt(ratio_sum)}%，超过100%"
            yield self.emit(
                record, message, "investors.ratio", *ratio_items, form_value=ratio_sum,
                found_value=100.0,
            )  # fmt: skip


class ServiceRevenueExceedsTotal(FormRule):
    """SERVICE_REVENUE_EXCEEDS_TOTAL: in some year 服务收入 is larger than 营业收入."""

    code = "SERVICE_REVENUE_EXCEEDS_TOTAL"
    title = "服务收入大于营业收入"
    checks = "各年度服务收入不大于营业收入"

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        years = sorted({k.split(".")[1] for k in view if k.startswith("financials.")})
        for year in years:
            svc_item = view.get(f"financials.{year}.service_revenue")
            rev_item = view.get(f"financials.{year}.revenue")
            svc, rev = number_of(svc_item), number_of(rev_item)
            if svc is not None and rev is not None and svc > rev + 1e-6:
                message = f"{_form(record)}中{year}年服务收入{fmt(svc)}万元大于营业收入{fmt(rev)}万元"
                yield self.emit(
                    record, message, f"financials.{year}.service_revenue", svc_item, rev_item,
                    form_value=svc, found_value=rev,
                )  # fmt: skip


class ServiceShareBelowThreshold(FormRule):
    """SERVICE_SHARE_BELOW_THRESHOLD: the latest year's 服务收入/营业收入 under the threshold of
    the declared 示范模式 (``validators.modes``; the round's general threshold when none is
    declared): an error where the notice says "30%以上", a warning where it says "30%左右",
    nothing for a direction with no share (供应链管理). Exactly at the threshold passes; no
    revenue (or zero) is left to FORM_FIELD_MISSING."""

    code = "SERVICE_SHARE_BELOW_THRESHOLD"
    title = "服务收入占比低于要求"
    checks = "最近一年服务收入占营业收入比重达到所申报示范模式的要求"
    fatal = True
    config_keys = ("service_share",)

    def check(self, ctx: RecordContext | BatchContext) -> list[Finding]:
        """As every rule here, with the batch's 汇总表 (their 示范模式 column) at hand."""
        if not isinstance(ctx, RecordContext) or ctx.record.form is None:
            return []
        return list(self.declared(ctx.record, ctx.campaign, form_view(ctx.record), ctx.summaries))

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        return self.declared(record, campaign, view, [])

    def declared(
        self, record: Record, campaign: Campaign, view: FieldMap, summaries: list[SummaryTable]
    ) -> Iterator[Finding]:
        rule = campaign.service_share
        year = latest_year(record, campaign)
        wanted = share_rule(record, campaign, summaries)
        if form_type_of(record) not in rule.kinds or year is None or wanted is None:
            return
        threshold, strict, wording, mode = wanted
        svc_item = view.get(f"financials.{year}.service_revenue")
        rev_item = view.get(f"financials.{year}.revenue")
        svc, rev = number_of(svc_item), number_of(rev_item)
        if svc is None or rev is None or rev <= 0:
            return
        share = svc / rev * 100
        # Amounts are printed to 2 decimals, so the share is only known to about 0.01%:
        # judge it as shown (7468.57 / 24895.24 = 29.99999% is 30.00%).
        if round(share, 2) >= threshold:
            return
        shown = f"{share:.1f}"
        if shown == f"{threshold:.1f}":  # 29.96 must not read as 30.0
            shown = f"{share:.2f}"
        tail = "" if strict else "，请评审人员判断是否达到“左右”的要求"
        of_mode = f"（申报示范模式：{mode}）" if mode else ""
        message = (
            f"{year}年服务收入{fmt(svc)}万元占营业收入{fmt(rev)}万元的{shown}%，低于通知要求“{wording}”{of_mode}{tail}"
        )
        yield self.emit(
            record, message, f"financials.{year}.service_revenue", svc_item, rev_item,
            severity="error" if strict else "warning", form_value=round(share, 2), found_value=threshold,
        )  # fmt: skip


RULES: dict[str, FormRule] = {
    "form.not_found": FormNotFound(),
    "form.field_missing": FormFieldMissing(),
    "form.value_not_numeric": ValueNotNumeric(),
    "form.percent_out_of_range": PercentOutOfRange(),
    "form.total_mismatch": TotalMismatch(),
    "form.service_revenue_exceeds_total": ServiceRevenueExceedsTotal(),
    "form.service_share_below_threshold": ServiceShareBelowThreshold(),
}
"""Registered name → rule, for this module's rules."""
for _name, _rule in RULES.items():
    register(_rule, _name)
