"""Who the applicant is: the form's applicant against cover, licence and certificates.

Also the small accessors the other cross-check modules share (``form_field``, ``sources``,
``make_finding``), so every rule reads a Record the same way whether its values came from a
Word table, a PDF text layer or OCR.

Finding conventions of the cross-checks: ``field`` names the compared value on the other
document as ``<document kind>.<key>`` ("business_license.name", "cover.applicant"), or the form
key where only the form is involved; ``source`` is the other document's file. Both values go
into ``form_value``/``found_value`` and the evidence of both sides into ``evidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from models.fields import Extracted, FieldMap
from models.findings import Finding, Severity
from models.identity import COVER_KEY, LICENCE_KINDS, applicant_keys
from models.records import DOC_KIND_LABELS, Record
from models.values import addresses_equal, names_equal, normalise_person
from validators.base import BatchContext, Declared, RecordContext, register
from validators.common import evidence_of, finding, label_of
from validators.ocr_noise import Judgement, judge, read_by_ocr, threshold_of

DOC_FIELD_LABELS: dict[str, str] = {
    "name": "名称",
    "uscc": "统一社会信用代码",
    "type": "类型",
    "legal_rep": "法定代表人",
    "address": "住所",
    "established": "成立日期",
    "term_end": "营业期限",
    "valid_until": "有效期",
    "issued": "发证日期",
    "applicant": "申报单位",
}
"""Chinese labels of the attachment and cover keys the cross-checks name in messages."""


def form_label(key: str, record: Record) -> str:
    """The form's own label of ``key`` (企业名称, 实施单位（乙方）, 2020年 营业收入（万元）)."""
    if key == "launched":
        return "上线/投入运营时间"
    return label_of(key, record.kind)


NAMED_KINDS = (*LICENCE_KINDS, "high_tech_certificate")


@dataclass(frozen=True)
class Source:
    """One document other than the form: an attachment, or an extracted document of the book."""

    kind: str
    file: str
    pages: tuple[int, ...]
    fields: FieldMap
    method: str | None = None  # how the document was read ("ocr", "pdf-text", "docx"), if known

    @property
    def label(self) -> str:
        return DOC_KIND_LABELS.get(self.kind, self.kind)

    def get(self, key: str) -> Extracted[Any] | None:
        ex = self.fields.get(key)
        return None if ex is None or (ex.blank and ex.value is None) else ex


def sources(record: Record, *kinds: str) -> list[Source]:
    """Attachments (and extracted documents not listed as attachments) of the given kinds."""
    out: list[Source] = []
    items: Iterable[Any] = [*record.attachments, *record.documents]
    for item in items:
        if kinds and item.kind not in kinds:
            continue
        src = Source(item.kind, item.file, tuple(item.pages), dict(item.fields), getattr(item, "method", None))
        twin = next((i for i, old in enumerate(out) if _same_document(old, src)), None)
        if twin is None:
            out.append(src)
            continue
        method = out[twin].method or src.method
        if len(src.fields) > len(out[twin].fields):
            out[twin] = src
        out[twin] = replace(out[twin], method=method)
    return out


def _same_document(a: Source, b: Source) -> bool:
    """The attachment and the extracted document it was made from."""
    if a.kind != b.kind or a.file != b.file:
        return False
    return not a.pages or not b.pages or bool(set(a.pages) & set(b.pages))


def _typed_value(record: Record, key: str) -> Any:
    node: Any = record.form
    for part in key.split("."):
        if node is None:
            return None
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        else:
            node = getattr(node, part, None)
    return node


def form_field(record: Record, key: str) -> Extracted[Any] | None:
    """The form's value for ``key`` with its evidence; from the typed form when the flat map
    lacks it (then without evidence). None when blank."""
    ex = record.form_fields.get(key)
    if ex is not None and not (ex.blank and ex.value is None):
        return ex
    value = _typed_value(record, key)
    if value is None or value == "":
        return None
    return Extracted[Any](value=value, raw=str(value))


def text(ex: Extracted[Any] | None) -> str:
    """The value as text (the raw text when the value is not a string)."""
    if ex is None:
        return ""
    return ex.value if isinstance(ex.value, str) and ex.value.strip() else ex.raw.strip()


def unique(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Drop findings whose id repeats (two copies of one licence in one file)."""
    seen: set[str] = set()
    for item in findings:
        if item.id not in seen:
            seen.add(item.id)
            yield item


def licence_type(record: Record) -> str | None:
    """The 类型 of the first business licence, which decides 有限公司 = 有限责任公司."""
    for src in sources(record, "business_license"):
        ex = src.get("type")
        if ex is not None:
            return text(ex)
    return None


def applicant_fields(record: Record) -> list[tuple[str, Extracted[Any]]]:
    """The form's applicant-name fields that are filled, most specific first."""
    return [(key, ex) for key in applicant_keys(record.kind) if (ex := form_field(record, key)) is not None]


def compare(
    same: Callable[[str, str], bool],
    mine: Extracted[Any],
    found: Extracted[Any],
    found_method: str | None,
    ctx: RecordContext,
) -> Judgement:
    """Judge the form's value against a value read from another document (``ocr_noise``): the
    form's own reading method counts too, since a scanned book's form is OCR'd as well."""
    form_method = next((d.method for d in ctx.record.documents if d.kind == "application_form"), None)
    return judge(
        text(mine),
        text(found),
        same,
        (mine, form_method),
        (found, found_method),
        threshold=threshold_of(ctx.campaign),
    )


def ocr_doubt(
    record: Record,
    field: str,
    message: str,
    mine: Extracted[Any],
    found: Extracted[Any],
    source: str,
    found_method: str | None = None,
) -> Finding:
    """The LOW_CONFIDENCE warning given instead of a mismatch OCR can explain: it quotes both
    values and the read value's confidence. Its field and source are those of the value, so it
    and the LOW_CONFIDENCE rule's own finding on that value are one row."""
    read = [ex for ex in (found, mine) if read_by_ocr(ex, found_method if ex is found else None)]
    conf = f"，识别置信度{min(ex.confidence for ex in read):.2f}" if read else ""
    return finding(
        "LOW_CONFIDENCE",
        "warning",
        f"{message}（差异可能来自扫描识别{conf}：识别值疑含识别误差或混入相邻栏目文字），请对照原件核对。",
        record,
        field=field,
        form_value=text(mine),
        found_value=text(found),
        evidence=evidence_of(mine, found),
        source=source,
    )


def where(src: Source) -> str:
    pages = f"第{src.pages[0]}页" if src.pages else ""
    return f"{src.label}（{src.file}{pages}）"


class RecordRule(Declared):
    """Base of the record-scope rules: ignores batch contexts, drops repeated finding ids."""

    scope: Literal["record", "batch"] = "record"

    def check(self, ctx: RecordContext | BatchContext) -> Iterable[Finding]:
        if not isinstance(ctx, RecordContext):
            return []
        return list(unique(self.check_record(ctx)))

    def check_record(self, ctx: RecordContext) -> Iterable[Finding]:
        raise NotImplementedError


class NameMismatch(RecordRule):
    """The applicant's name on the form against the cover, licences and certificates. A
    difference OCR can explain (``ocr_noise.judge``: confusions, run-on text, low confidence)
    is a LOW_CONFIDENCE warning with both values instead."""

    code = "NAME_MISMATCH"
    title = "名称不一致"
    checks = "申报表、封面、营业执照和证书上的申报单位名称一致"
    severity: Severity = "error"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        ltype = licence_type(record)
        candidates = applicant_fields(record)
        if not candidates:
            return
        key, primary = candidates[0]
        label = form_label(key, record)
        cover = record.cover.get(COVER_KEY)

        def same(a: str, b: str) -> bool:
            return names_equal(a, b, ltype)

        if cover is not None and text(cover) and record.kind != "city":
            names = [*candidates, *[("name", ex) for ex in [form_field(record, "name")] if ex]]
            verdicts = [compare(same, ex, cover, None, ctx) for _, ex in names]
            if "same" not in verdicts:
                cover_file = cover.evidence[0].file if cover.evidence else "cover"
                message = f"申报表{label}“{text(primary)}”与封面申报单位“{text(cover)}”不一致"
                if "unsure" in verdicts:
                    yield ocr_doubt(record, "cover.applicant", message, primary, cover, cover_file)
                else:
                    yield finding(
                        self.code,
                        self.severity,
                        f"{message}。",
                        record,
                        field="cover.applicant",
                        form_value=text(primary),
                        found_value=text(cover),
                        evidence=evidence_of(primary, cover),
                        source=cover_file,
                    )
        for src in sources(record, *NAMED_KINDS):
            found = src.get("name")
            if found is None or not text(found):
                continue
            verdicts = [compare(same, ex, found, src.method, ctx) for _, ex in candidates]
            if "same" in verdicts:
                continue
            message = f"申报表{label}“{text(primary)}”与{where(src)}上的名称“{text(found)}”不一致"
            if "unsure" in verdicts:
                yield ocr_doubt(record, f"{src.kind}.name", message, primary, found, src.file, src.method)
                continue
            yield finding(
                self.code,
                self.severity,
                f"{message}。",
                record,
                field=f"{src.kind}.name",
                form_value=text(primary),
                found_value=text(found),
                evidence=evidence_of(primary, found),
                source=src.file,
            )


def applicant_licences(record: Record) -> list[Source]:
    """The licences (or legal-person certificates) of the applicant: those whose name matches
    the form's applicant, else all of them (a project may attach both parties' licences)."""
    licences = sources(record, *LICENCE_KINDS)
    ltype = licence_type(record)
    names = [text(ex) for _, ex in applicant_fields(record)]
    own = [src for src in licences if any(names_equal(name, text(src.get("name")), ltype) for name in names)]
    return own or licences


class _AgainstLicence(RecordRule):
    """A form value against the same value on the applicant's licence(s); silent when any
    licence agrees (OCR confusions folded), a LOW_CONFIDENCE warning with both values where OCR
    can explain the difference (``ocr_noise.judge``), else the rule's finding."""

    code: str
    severity: Severity
    form_key: str
    licence_key: str
    what: str

    def same(self, a: str, b: str) -> bool:
        raise NotImplementedError

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        mine = form_field(record, self.form_key)
        if mine is None or not text(mine):
            return
        pairs = [(src, src.get(self.licence_key)) for src in applicant_licences(record)]
        found_pairs = [(src, ex) for src, ex in pairs if ex is not None and text(ex)]
        verdicts = [compare(self.same, mine, ex, src.method, ctx) for src, ex in found_pairs]
        if "same" in verdicts:
            return
        for (src, found), verdict in zip(found_pairs, verdicts, strict=True):
            message = (
                f"申报表{form_label(self.form_key, record)}“{text(mine)}”与{where(src)}上的"
                f"{self.what}“{text(found)}”不一致"
            )
            field = f"{src.kind}.{self.licence_key}"
            if verdict == "unsure":
                yield ocr_doubt(record, field, message, mine, found, src.file, src.method)
                continue
            yield finding(
                self.code,
                self.severity,
                f"{message}。",
                record,
                field=field,
                form_value=text(mine),
                found_value=text(found),
                evidence=evidence_of(mine, found),
                source=src.file,
            )


class LegalRepMismatch(_AgainstLicence):
    """法人代表 on the form against 法定代表人 (经营者 for 个体工商户) on the licence."""

    code = "LEGAL_REP_MISMATCH"
    title = "法定代表人不一致"
    checks = "申报表法人代表与营业执照法定代表人一致"
    severity: Severity = "error"
    form_key = "legal_rep"
    licence_key = "legal_rep"
    what = "法定代表人"

    def same(self, a: str, b: str) -> bool:
        return bool(normalise_person(a)) and normalise_person(a) == normalise_person(b)


class AddressMismatch(_AgainstLicence):
    """注册地址 on the form against 住所 on the licence, tolerant of omitted province/city
    prefixes and number styles, not of a different road or number."""

    code = "ADDRESS_MISMATCH"
    title = "注册地址不一致"
    checks = "申报表注册地址与营业执照住所一致"
    severity: Severity = "warning"
    form_key = "reg_address"
    licence_key = "address"
    what = "住所"

    def same(self, a: str, b: str) -> bool:
        return addresses_equal(a, b)


register(NameMismatch(), "name_mismatch")
register(LegalRepMismatch(), "legal_rep_mismatch")
register(AddressMismatch(), "address_mismatch")
