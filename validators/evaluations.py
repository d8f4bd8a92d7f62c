"""Customer evaluations (客户评价) against 表3's 服务典型企业名单 (issue 10, item 11).

- ``EVALUATION_DUPLICATE``: two 客户评价 signed by one customer.
- ``EVALUATION_NOT_LISTED``: a 客户评价 from a customer that 表3 does not list.

Who wrote an evaluation is read from its 评价单位 label, else from the organisations it names
besides the applicant; names are matched as in ``validators.documents`` (OCR noise folded),
and a name read with low confidence is never reported as unlisted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.fields import Extracted
from models.findings import Finding, Severity
from models.records import Record
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.documents import DocumentRule, applicant_names, match_name, party_names
from validators.identity import Source, licence_type, sources, text, where
from validators.ocr_noise import doubtful


def evaluation_customers(
    src: Source, applicants: list[str], ltype: str | None
) -> tuple[list[tuple[str, Extracted[Any]]], bool]:
    """Who wrote an evaluation: its 评价单位 (or like) label, else every organisation the letter
    names that is not the applicant (a letter may name partners too); and whether labelled."""
    labelled = src.get("party.customer")
    if labelled is not None and text(labelled):
        name = text(labelled)
        return ([] if match_name(name, applicants, ltype) != "differs" else [(name, labelled)]), True
    names, _ = party_names(src, ())
    return [(name, ex) for name, ex in names if match_name(name, applicants, ltype) == "differs"], False


def evaluation_customer(
    src: Source, applicants: list[str], ltype: str | None, listed: list[str]
) -> tuple[str, Extracted[Any]] | None:
    """The one customer an evaluation is from: the labelled one, else the letter's only
    organisation besides the applicant or the one 表3 lists; None when that is unclear."""
    candidates, labelled = evaluation_customers(src, applicants, ltype)
    if labelled or len(candidates) == 1:
        return candidates[0] if candidates else None
    known = [(n, ex) for n, ex in candidates if listed and match_name(n, listed, ltype) != "differs"]
    return known[0] if len(known) == 1 else None


class EvaluationDuplicate(DocumentRule):
    """客户评价 from several customers: two evaluations signed by one customer count once."""

    code = "EVALUATION_DUPLICATE"
    config_keys = ("rules.EVALUATION_DUPLICATE.basis", "rules.EVALUATION_DUPLICATE.severity")
    title = "客户评价来自同一客户"
    checks = "客户评价来自不同客户"
    severity: Severity = "warning"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        applicants, ltype = applicant_names(record), licence_type(record)
        seen: list[tuple[str, Source, Extracted[Any]]] = []
        for src in sources(record, "customer_evaluation"):
            got = evaluation_customer(src, applicants, ltype, [n for n, _ in listed_customers(record)])
            if got is None:
                continue
            name, ex = got
            twin = next((item for item in seen if match_name(name, [item[0]], ltype) != "differs"), None)
            if twin is None:
                seen.append((name, src, ex))
                continue
            yield finding(
                self.code,
                self.severity,
                f"{where(src)}与{where(twin[1])}均为“{name}”出具的客户评价，请核对是否来自不同客户。",
                record,
                field="customer_evaluation.customer",
                form_value=twin[0],
                found_value=name,
                evidence=evidence_of(twin[2], ex),
                source=src.file,
            )


def listed_customers(record: Record) -> list[tuple[str, Extracted[Any] | None]]:
    """表3's 服务典型企业名单: the names with their cells where the flat form holds them."""
    out: list[tuple[str, Extracted[Any] | None]] = []
    for key, ex in record.form_fields.items():
        if key.startswith("customers.") and key.endswith(".name") and text(ex):
            out.append((text(ex), ex))
    if not out and record.form is not None:
        for customer in getattr(record.form, "customers", []) or []:
            name = getattr(customer, "name", None)
            if name:
                out.append((str(name), None))
    return out


class EvaluationNotListed(DocumentRule):
    """A 客户评价 should come from one of the typical customers 表3 lists (服务典型企业名单)."""

    code = "EVALUATION_NOT_LISTED"
    config_keys = ("rules.EVALUATION_NOT_LISTED.basis", "rules.EVALUATION_NOT_LISTED.severity")
    title = "评价客户不在典型客户名单"
    checks = "客户评价的出具单位在表3服务典型企业名单中"
    severity: Severity = "warning"

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        record = ctx.record
        listed = listed_customers(record)
        if not listed:
            return
        applicants, ltype = applicant_names(record), licence_type(record)
        names = [name for name, _ in listed]
        for src in sources(record, "customer_evaluation"):
            candidates, _ = evaluation_customers(src, applicants, ltype)
            if not candidates or any(match_name(n, names, ltype) != "differs" for n, _ in candidates):
                continue
            if any(doubtful(ex, ctx.campaign, src.method) for _, ex in candidates):
                continue  # a name read with low confidence may be a listed customer misread
            name, ex = candidates[0]
            yield finding(
                self.code,
                self.severity,
                f"{where(src)}的评价单位“{name}”不在表3服务典型企业名单（{'、'.join(names)}）中。",
                record,
                field="customer_evaluation.customer",
                form_value="；".join(names),
                found_value=name,
                evidence=evidence_of(ex, *(cell for _, cell in listed)),
                source=src.file,
            )


register(EvaluationDuplicate(), "evaluation_duplicate")
register(EvaluationNotListed(), "evaluation_not_listed")
