"""Checks across the batch: quotas per recommender, the recommenders' 汇总表, duplicates.

Which 汇总表 row lists which submission is decided once in ``validators.summary_pairing``
(the 汇总表 sheet of the workbook renders the same decision); comparing a paired row's
contacts is ``validators.summary_contacts``.

Every finding that concerns a submission carries its ``submission_id`` so the workbook shows
it against that applicant; only a 汇总表 row without any submission has none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Literal

from models.campaign import Campaign
from models.findings import Finding, Severity
from models.forms import FormType
from models.records import FORM_KIND_LABELS, Record, SummaryRow, SummaryTable
from models.values import name_distance, normalise_name
from validators.base import BatchContext, Declared, RecordContext, register
from validators.common import evidence_of, finding
from validators.cross import applicant_uscc
from validators.identity import applicant_fields, form_field, text
from validators.ocr_noise import threshold_of
from validators.summary_contacts import contact_findings
from validators.summary_pairing import (
    RowPair,
    by_path,
    display_name,
    pair_summaries,
    record_names,
    row_evidence,
    rows_by_submission,
    summary_maybe_ocr,
)


class BatchRule(Declared):
    """Base of the batch-scope rules: ignores record contexts."""

    scope: Literal["record", "batch"] = "batch"

    def check(self, ctx: RecordContext | BatchContext) -> Iterable[Finding]:
        if not isinstance(ctx, BatchContext):
            return []
        return list(self.check_batch(ctx))

    def check_batch(self, ctx: BatchContext) -> Iterable[Finding]:
        raise NotImplementedError


# -- summary tables ----------------------------------------------------------------------


class SummaryMismatch(BatchRule):
    """Each recommender's 汇总表 against its submissions: rows without a submission,
    submissions without a row, and differing contact, phone (any number of one cell against
    any of the other, digits only; the form's phone or mobile), e-mail or kind. A
    near-identical name is a NAME_MISMATCH instead. Where either side may be OCR'd, a
    difference made of known OCR confusions is none, and one of at most two edits on a long
    value is a LOW_CONFIDENCE warning quoting both (``judge_phone``, ``judge_email``)."""

    code = "SUMMARY_MISMATCH"
    title = "汇总表与申报材料不符"
    checks = "推荐单位汇总表所列申报与申报材料及联系方式一致"
    config_keys = ("summary_title",)
    severity: Severity = "error"

    def check_batch(self, ctx: BatchContext) -> Iterator[Finding]:
        for pairing in pair_summaries(ctx.records, ctx.summaries):
            summary = pairing.summary
            who = summary.recommender or summary.file
            if not pairing.members:
                if summary.rows:
                    yield finding(
                        self.code,
                        "warning",
                        f"汇总表（{summary.file}）的推荐单位“{who}”没有对应的申报材料。",
                        None,
                        field="summary.recommender",
                        found_value=summary.recommender,
                        source=summary.file,
                    )
                continue
            for pair in pairing.pairs:
                if not pair.exact:
                    yield self._name(pair.row, pair.record, summary)
                yield from contact_findings(pair.row, pair.record, summary, threshold_of(ctx.campaign))
            for row in pairing.unmatched:
                yield finding(
                    self.code,
                    self.severity,
                    f"推荐单位“{who}”的汇总表列有{FORM_KIND_LABELS[row.kind]}“{row.name}”，但未找到其申报材料。",
                    None,
                    field=f"summary.{row.kind}.{normalise_name(row.name)}",
                    found_value=row.name,
                    evidence=[row_evidence(row)],
                    source=summary.file,
                )
            for record in pairing.unlisted:
                yield finding(
                    self.code,
                    self.severity,
                    f"推荐单位“{who}”的汇总表（{summary.file}）未列出本申报“{display_name(record)}”。",
                    record,
                    field="summary",
                    form_value=display_name(record),
                    source=summary.file,
                )

    def _name(self, row: SummaryRow, record: Record, summary: SummaryTable) -> Finding:
        """NAME_MISMATCH for a near-identical name; a LOW_CONFIDENCE warning instead when the
        汇总表 may be a scan and the names are at most two edits apart."""
        names = record_names(record)
        closest = min(names, key=lambda n: name_distance(n, row.name))
        ex = next((e for e in [form_field(record, "name")] if e and text(e) == closest), None)
        ex = ex or next((e for _, e in applicant_fields(record) if text(e) == closest), None)
        severity: Severity
        if summary_maybe_ocr(row) and name_distance(closest, row.name) <= 2:
            code, severity = "LOW_CONFIDENCE", "warning"
            message = (
                f"汇总表（{summary.file}）所列名称“{row.name}”与申报名称“{closest}”略有差异，"
                "可能来自扫描识别误差，请对照原件核对。"
            )
        else:
            code, severity = "NAME_MISMATCH", "error"
            message = f"申报名称“{closest}”与汇总表（{summary.file}）所列名称“{row.name}”不一致。"
        return finding(
            code,
            severity,
            message,
            record,
            field="summary.name",
            form_value=closest,
            found_value=row.name,
            evidence=[*evidence_of(ex), row_evidence(row)],
            source=summary.file,
        )


# -- quotas ----------------------------------------------------------------------------------


PlatformMode = Literal["shared_manufacturing", "other"]


def _mode_in(text_: str, campaign: Campaign) -> PlatformMode | None:
    """The category whose keywords the text holds."""
    for mode, sub in campaign.platform_subquotas.items():
        if any(word and word in text_ for word in sub.keywords):
            return mode
    return None


def platform_mode(record: Record, rows: dict[str, RowPair], campaign: Campaign) -> PlatformMode | None:
    """The platform's category for the sub-quotas (``campaign.platform_subquotas``): from the
    mode column of its 汇总表 row (``rows``: the pairing's, ``rows_by_submission``; a
    category's keywords, else the category without keywords: 其他类); else from the form's
    name, business or content holding a category's keywords; else None."""
    fallback = next((m for m, sub in campaign.platform_subquotas.items() if not sub.keywords), None)
    pair = rows.get(record.submission_id)
    if pair is not None and pair.row.mode and pair.row.kind == "platform":
        return _mode_in(pair.row.mode, campaign) or fallback
    for key in ("name", "main_business", "nature", "content"):
        found = _mode_in(text(form_field(record, key)), campaign)
        if found is not None:
            return found
    return None


def _quota_findings(
    members: list[Record], quota: int, what: str, recommender: str, field: str, upper: int | None = None
) -> Iterator[Finding]:
    """Findings on the submissions beyond ``quota``: errors, or warnings up to ``upper`` (the
    notice's 有条件的 limit, a band the reviewer judges)."""
    if len(members) <= quota:
        return
    everyone = "、".join(display_name(r) for r in members)
    for position, record in enumerate(members[quota:], quota + 1):
        if upper is not None and position <= upper:
            severity: Severity = "warning"
            tail = f"通知允许有条件的推荐单位申报至{upper}个，请核对是否符合条件。"
        else:
            severity, tail = "error", ""
        yield finding(
            "QUOTA_EXCEEDED",
            severity,
            f"推荐单位“{recommender}”共推荐{what}{len(members)}个，超出名额{quota}个；"
            f"按路径顺序本申报为第{position}个（{everyone}）。{tail}",
            record,
            field=field,
            form_value=position,
            found_value=len(members),
            source=recommender,
        )


def place_platforms(
    members: list[Record], ctx: BatchContext, rows: dict[str, RowPair]
) -> tuple[dict[PlatformMode, list[Record]], list[tuple[Record, PlatformMode]]]:
    """Platforms of one recommender by category. A platform whose category cannot be read is
    counted where it costs least (a category with room under its base, then under its
    conditional limit, else the largest): it is counted, never left out. Returns the groups
    and the (platform, category) placements of the unread ones."""
    subs = ctx.campaign.platform_subquotas
    groups: dict[PlatformMode, list[Record]] = {mode: [] for mode in subs}
    unknown: list[Record] = []
    for record in members:
        mode = platform_mode(record, rows, ctx.campaign)
        (groups.get(mode, unknown) if mode is not None else unknown).append(record)
    placed: list[tuple[Record, PlatformMode]] = []

    def room(category: PlatformMode) -> tuple[bool, int]:
        sub, taken = subs[category], len(groups[category])
        upper = sub.conditional if sub.conditional is not None else sub.base
        return (sub.base > taken, upper - taken)

    for record in unknown:
        best: PlatformMode = max(subs, key=room)
        groups[best].append(record)
        placed.append((record, best))
    return groups, placed


class QuotaExceeded(BatchRule):
    """More submissions of a kind per recommender than ``campaign.quotas`` allow, and, for
    platforms, more of a category than ``campaign.platform_subquotas``: errors beyond the
    base, warnings within a conditional band (有条件的…3个). The submissions beyond the quota,
    in path order, each get a finding naming all of them. A platform of unread category is
    counted where it costs least (``place_platforms``; PLATFORM_TYPE_UNKNOWN says so)."""

    code = "QUOTA_EXCEEDED"
    title = "超出推荐名额"
    checks = "每个推荐单位各类申报不超过名额"
    fatal = True
    config_keys = ("quotas", "platform_subquotas")
    severity: Severity = "error"

    def check_batch(self, ctx: BatchContext) -> Iterator[Finding]:
        campaign: Campaign = ctx.campaign
        groups: dict[tuple[str, FormType], list[Record]] = defaultdict(list)
        shown: dict[str, str] = {}
        rows = rows_by_submission(pair_summaries(ctx.records, ctx.summaries)) if campaign.platform_subquotas else {}
        for record in by_path(ctx.records):
            key = normalise_name(record.recommender)
            if not key or record.kind is None:
                continue
            shown.setdefault(key, record.recommender or key)
            groups[(key, record.kind)].append(record)
        for (key, kind), members in groups.items():
            quota = campaign.quotas.get(kind)
            label = FORM_KIND_LABELS.get(kind, kind)
            if quota is not None:
                yield from _quota_findings(members, quota, label, shown[key], f"quota.{kind}")
            if kind != "platform" or not campaign.platform_subquotas:
                continue
            by_category, _ = place_platforms(members, ctx, rows)
            for category, group in by_category.items():
                sub = campaign.platform_subquotas[category]
                ordered = sorted(group, key=lambda r: r.path)
                field = f"quota.{category}"
                yield from _quota_findings(ordered, sub.base, sub.label, shown[key], field, sub.conditional)


def _by_recommender(records: list[Record], kind: FormType) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in by_path(records):
        key = normalise_name(record.recommender)
        if key and record.kind == kind:
            groups[key].append(record)
    return groups


class PlatformTypeUnknown(BatchRule):
    """A platform whose category (共享制造类 / 其他类) could be read neither from the 汇总表
    nor from its form, in a round with per-category quotas: it is counted where it costs
    least, and the reviewer is told so (a warning)."""

    code = "PLATFORM_TYPE_UNKNOWN"
    title = "平台类别未识别"
    checks = "示范平台的类别（如共享制造类/其他类）可从汇总表或申报表读出"
    severity: Severity = "warning"
    config_keys = ("platform_subquotas",)

    def check_batch(self, ctx: BatchContext) -> Iterator[Finding]:
        subs = ctx.campaign.platform_subquotas
        if not subs:
            return
        names = "、".join(sub.label for sub in subs.values())
        rows = rows_by_submission(pair_summaries(ctx.records, ctx.summaries))
        for members in _by_recommender(ctx.records, "platform").values():
            _, placed = place_platforms(members, ctx, rows)
            for record, mode in placed:
                yield finding(
                    self.code,
                    self.severity,
                    f"未能从汇总表或申报表识别本平台的类别（{names}），已按{subs[mode].label}计入"
                    f"推荐单位“{record.recommender}”的名额核对，请核对其类别。",
                    record,
                    field="platform.category",
                    found_value=subs[mode].label,
                    source=record.recommender,
                )


# -- duplicates -----------------------------------------------------------------------------


def identity(record: Record) -> tuple[str, str | None, str] | None:
    """(kind with title, valid credit code or None, normalised applicant name) of a submission.

    Projects and platforms carry their normalised title, since one company may run several.
    """
    if record.kind is None:
        return None
    code = applicant_uscc(record) if record.kind != "city" else None
    fields = applicant_fields(record)
    name = normalise_name(text(fields[0][1])) if fields else normalise_name(record.applicant)
    if not code and not name:
        return None
    scope: str = record.kind
    if record.kind in ("project", "platform"):
        scope += "|" + normalise_name(text(form_field(record, "name")))
    return scope, code, name


def same_applicant(a: tuple[str, str | None, str], b: tuple[str, str | None, str]) -> str | None:
    """ "uscc" or "name" when two identities are the same applicant, else None. Equal names with
    two different valid credit codes are two applicants."""
    if a[0] != b[0]:
        return None
    if a[1] and b[1]:
        return "uscc" if a[1] == b[1] else None
    return "name" if a[2] and a[2] == b[2] else None


class DuplicateSubmission(BatchRule):
    """The same applicant (valid credit code, else normalised name) of the same kind (and, for
    projects and platforms, the same title) in more than one submission: a finding on each,
    naming the other."""

    code = "DUPLICATE_SUBMISSION"
    title = "重复申报"
    checks = "同一申报主体未重复申报"
    fatal = True
    severity: Severity = "error"

    def check_batch(self, ctx: BatchContext) -> Iterator[Finding]:
        known = [(r, ident) for r in by_path(ctx.records) if (ident := identity(r)) is not None]
        for record, mine in known:
            for other, theirs in known:
                how = same_applicant(mine, theirs) if other is not record else None
                if how is None:
                    continue
                by = "统一社会信用代码相同" if how == "uscc" else "申报单位名称相同"
                via = f"（推荐单位：{other.recommender}）" if other.recommender else ""
                yield finding(
                    self.code,
                    self.severity,
                    f"与“{other.path}”{via}重复申报：{by}。",
                    record,
                    field=how,
                    form_value=display_name(record),
                    found_value=display_name(other),
                    source=other.path,
                )


register(QuotaExceeded(), "quota_exceeded")
register(PlatformTypeUnknown(), "platform_type_unknown")
register(SummaryMismatch(), "summary_mismatch")
register(DuplicateSubmission(), "duplicate_submission")
