"""Checks across the batch: quotas per recommender, the recommenders' 汇总表, duplicates.

Every finding that concerns a submission carries its ``submission_id`` so the workbook shows
it against that applicant; only a 汇总表 row without any submission has none.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from models.campaign import Campaign
from models.fields import Evidence, Extracted
from models.findings import Finding, Severity
from models.forms import FORM_TITLES, FormType
from models.records import Record, SummaryRow, SummaryTable
from models.values import (
    name_distance,
    names_equal,
    normalise_name,
    normalise_person,
    phone_numbers,
    phones_match,
)
from validators.base import BatchContext, Declared, RecordContext, register
from validators.common import evidence_of, finding
from validators.cross import applicant_uscc
from validators.identity import (
    applicant_fields,
    form_field,
    licence_type,
    text,
)
from validators.ocr_noise import (
    Judgement,
    fold_confusions,
    fold_email,
    near,
    read_by_ocr,
    threshold_of,
)

KIND_LABELS = {"enterprise": "示范企业", "project": "示范项目", "platform": "示范平台", "city": "示范城市"}


def display_name(record: Record) -> str:
    """The name a reviewer knows the submission by."""
    ex = form_field(record, "name")
    return text(ex) or record.applicant or text(record.cover.get("applicant")) or record.path


def record_names(record: Record) -> list[str]:
    """Every name the submission may be listed under: the form's name (project/platform title),
    its applicant fields, the record's applicant and the cover's."""
    names = [text(form_field(record, "name"))]
    names += [text(ex) for _, ex in applicant_fields(record)]
    names += [record.applicant or "", text(record.cover.get("applicant"))]
    return [n for n in dict.fromkeys(names) if n]


def _by_path(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: r.path)


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


def _row_evidence(row: SummaryRow) -> Evidence:
    return Evidence(file=row.file, page=row.page, cell=row.cell, text=row.name)


def summary_members(summary: SummaryTable, records: list[Record]) -> list[Record]:
    """The submissions of a 汇总表's recommender: same normalised recommender name, else the
    submissions under the folder the 汇总表 lies in."""
    key = normalise_name(summary.recommender)
    members = [r for r in records if key and normalise_name(r.recommender) == key]
    folder = posixpath.dirname(summary.file.replace("\\", "/"))
    if not members and folder:
        members = [r for r in records if r.path.replace("\\", "/").startswith(folder + "/")]
    return members


def _row_matches(row: SummaryRow, record: Record) -> bool:
    """Same name after normalising; for a possibly scanned 汇总表 also after folding OCR
    confusions."""
    ltype = licence_type(record)
    names = record_names(record)
    if any(names_equal(row.name, name, ltype) for name in names):
        return True
    if not summary_maybe_ocr(row):
        return False
    listed = fold_confusions(row.name)
    return any(names_equal(listed, fold_confusions(name), ltype) for name in names)


def pair_rows(
    rows: list[SummaryRow], records: list[Record]
) -> tuple[list[tuple[SummaryRow, Record, bool]], list[SummaryRow], list[Record]]:
    """Pair 汇总表 rows with submissions: exact (normalised) names first, then near-identical
    names of the same kind (the bool is False for those: the names differ). Returns the pairs,
    the rows without a submission and the submissions without a row."""
    free_rows, free_recs = list(rows), _by_path(records)
    pairs: list[tuple[SummaryRow, Record, bool]] = []
    for row in rows:
        match = next((r for r in free_recs if _row_matches(row, r) and r.kind == row.kind), None)
        match = match or next((r for r in free_recs if _row_matches(row, r)), None)
        if match is not None:
            pairs.append((row, match, True))
            free_rows.remove(row)
            free_recs.remove(match)
    near: list[tuple[int, int, SummaryRow, Record]] = []
    for i, row in enumerate(free_rows):
        for rec in free_recs:
            if rec.kind != row.kind:
                continue
            dist = min((name_distance(row.name, n) for n in record_names(rec)), default=99)
            if dist <= max(1, len(normalise_name(row.name)) // 5):
                near.append((dist, i, row, rec))
    for _dist, _i, row, rec in sorted(near, key=lambda t: (t[0], t[1], t[3].path)):
        if row in free_rows and rec in free_recs:
            pairs.append((row, rec, False))
            free_rows.remove(row)
            free_recs.remove(rec)
    return pairs, free_rows, free_recs


SCANNED_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf")
"""Files a 汇总表 may have been OCR'd from. ``SummaryRow`` does not say how it was read, so a
PDF counts as possibly scanned: the OCR allowance then only spares differences made of known
OCR confusions, which typed text does not produce."""


def summary_maybe_ocr(row: SummaryRow) -> bool:
    """Whether the 汇总表 row may have been read by OCR (an image or a PDF)."""
    return row.file.lower().endswith(SCANNED_SUFFIXES)


def _emails(cell: str) -> list[str]:
    return [part for part in re.split(r"[;；/／、]", cell) if part.strip()]


def _email_key(address: str) -> str:
    """Addresses hold no spaces and ignore case: a gap a PDF or OCR put inside one is not a
    difference."""
    return "".join(address.split()).casefold()


def _same_email(a: str, b: str) -> bool:
    return any(_email_key(x) == _email_key(y) for x in _emails(a) for y in _emails(b))


def _same_person(a: str, b: str) -> bool:
    return normalise_person(a) == normalise_person(b)


def judge_email(listed: str, mine: str, ocr: bool) -> Judgement:
    """Same address (case and spaces ignored); with OCR on either side, the same once the known
    OCR noise is folded (``ocr_noise.fold_email``), or unsure when at most two edits apart."""
    if _same_email(listed, mine):
        return "same"
    if not ocr:
        return "differs"
    pairs = [(fold_email(x), fold_email(y)) for x in _emails(listed) for y in _emails(mine)]
    if any(x == y for x, y in pairs):
        return "same"
    return "unsure" if any(near(x, y) for x, y in pairs) else "differs"


def judge_phone(listed: str, mine: str, ocr: bool) -> Judgement:
    """Any number of one cell equal to any of the other (digits only: area-code dashes, +86,
    spaces dropped; look-alike letters read as digits); with OCR, unsure when two numbers of
    7+ digits are at most two edits apart."""
    if phones_match(listed, mine):
        return "same"
    if ocr and any(near(x, y, min_length=7) for x in phone_numbers(listed) for y in phone_numbers(mine)):
        return "unsure"
    return "differs"


def judge_person(listed: str, mine: str, ocr: bool) -> Judgement:
    """Same person name (spaces, middle dots ignored); with OCR, after folding confusions."""
    if _same_person(listed, mine):
        return "same"
    if ocr and _same_person(fold_confusions(listed), fold_confusions(mine)):
        return "same"
    return "differs"


CONTACT_CHECKS = (
    # (row attribute, form keys any of which may agree, label, judgement)
    ("contact", ("contact",), "联系人", judge_person),
    ("phone", ("phone", "mobile"), "联系电话/手机", judge_phone),
    ("email", ("email",), "电子邮箱", judge_email),
)


def _cell_texts(ex: Extracted[Any]) -> list[str]:
    """The form's value and, when it differs, its raw cell (a phone cell's second number)."""
    return list(dict.fromkeys(t for t in (text(ex), ex.raw.strip()) if t))


def _contact_findings(row: SummaryRow, record: Record, summary: SummaryTable, threshold: float) -> Iterator[Finding]:
    row_ocr = summary_maybe_ocr(row)
    for attr, keys, label, judge in CONTACT_CHECKS:
        listed = getattr(row, attr)
        mine = [ex for key in keys if (ex := form_field(record, key)) is not None and text(ex)]
        if not listed or not mine:
            continue
        ocr = row_ocr or any(read_by_ocr(ex) for ex in mine)
        verdicts = [judge(listed, cell, ocr) for ex in mine for cell in _cell_texts(ex)]
        if "same" in verdicts:
            continue
        low = [ex.confidence for ex in mine if read_by_ocr(ex) and ex.confidence < threshold]
        shown = "／".join(text(ex) for ex in mine)
        evidence = [*evidence_of(*mine), _row_evidence(row)]
        if "unsure" in verdicts or low:
            code = "LOW_CONFIDENCE"
            message = f"汇总表{label}“{listed}”与申报表{label}“{shown}”略有差异，可能来自扫描识别误差，请对照原件核对。"
        else:
            code, message = "SUMMARY_MISMATCH", f"汇总表{label}“{listed}”与申报表{label}“{shown}”不一致。"
        yield finding(
            code,
            "warning",
            message,
            record,
            field=f"summary.{attr}",
            form_value=shown,
            found_value=listed,
            evidence=evidence,
            source=summary.file,
        )
    if record.kind is not None and row.kind != record.kind:
        yield finding(
            "SUMMARY_MISMATCH",
            "warning",
            f"汇总表将本申报列为{KIND_LABELS[row.kind]}，申报表为{FORM_TITLES[record.kind]}。",
            record,
            field="summary.kind",
            form_value=record.kind,
            found_value=row.kind,
            evidence=[_row_evidence(row)],
            source=summary.file,
        )


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
        for summary in ctx.summaries:
            members = summary_members(summary, ctx.records)
            who = summary.recommender or summary.file
            if not members:
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
            pairs, rows, recs = pair_rows(summary.rows, members)
            for row, record, exact in pairs:
                if not exact:
                    yield self._name(row, record, summary)
                yield from _contact_findings(row, record, summary, threshold_of(ctx.campaign))
            for row in rows:
                yield finding(
                    self.code,
                    self.severity,
                    f"推荐单位“{who}”的汇总表列有{KIND_LABELS[row.kind]}“{row.name}”，但未找到其申报材料。",
                    None,
                    field=f"summary.{row.kind}.{normalise_name(row.name)}",
                    found_value=row.name,
                    evidence=[_row_evidence(row)],
                    source=summary.file,
                )
            for record in recs:
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
            evidence=[*evidence_of(ex), _row_evidence(row)],
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


def platform_mode(record: Record, summaries: list[SummaryTable], campaign: Campaign) -> PlatformMode | None:
    """The platform's category for the sub-quotas (``campaign.platform_subquotas``): from the
    汇总表's mode column (a category's keywords, else the category without keywords: 其他类);
    else from the form's name, business or content holding a category's keywords; else None."""
    fallback = next((m for m, sub in campaign.platform_subquotas.items() if not sub.keywords), None)
    for summary in summaries:
        for row in summary.rows:
            if row.mode and row.kind == "platform" and _row_matches(row, record):
                return _mode_in(row.mode, campaign) or fallback
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
    members: list[Record], ctx: BatchContext
) -> tuple[dict[PlatformMode, list[Record]], list[tuple[Record, PlatformMode]]]:
    """Platforms of one recommender by category. A platform whose category cannot be read is
    counted where it costs least (a category with room under its base, then under its
    conditional limit, else the largest): it is counted, never left out. Returns the groups
    and the (platform, category) placements of the unread ones."""
    subs = ctx.campaign.platform_subquotas
    groups: dict[PlatformMode, list[Record]] = {mode: [] for mode in subs}
    unknown: list[Record] = []
    for record in members:
        mode = platform_mode(record, ctx.summaries, ctx.campaign)
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
        for record in _by_path(ctx.records):
            key = normalise_name(record.recommender)
            if not key or record.kind is None:
                continue
            shown.setdefault(key, record.recommender or key)
            groups[(key, record.kind)].append(record)
        for (key, kind), members in groups.items():
            quota = campaign.quotas.get(kind)
            label = KIND_LABELS.get(kind, kind)
            if quota is not None:
                yield from _quota_findings(members, quota, label, shown[key], f"quota.{kind}")
            if kind != "platform" or not campaign.platform_subquotas:
                continue
            by_category, _ = place_platforms(members, ctx)
            for category, group in by_category.items():
                sub = campaign.platform_subquotas[category]
                ordered = sorted(group, key=lambda r: r.path)
                field = f"quota.{category}"
                yield from _quota_findings(ordered, sub.base, sub.label, shown[key], field, sub.conditional)


def _by_recommender(records: list[Record], kind: FormType) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in _by_path(records):
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
        for members in _by_recommender(ctx.records, "platform").values():
            _, placed = place_platforms(members, ctx)
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
        known = [(r, ident) for r in _by_path(ctx.records) if (ident := identity(r)) is not None]
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
