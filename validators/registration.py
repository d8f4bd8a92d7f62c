"""Registered in the PRC / in the province: the credit code's registration-authority digits.

Digits 3–8 of a 统一社会信用代码 are the administrative division (GB/T 2260) of the authority
that registered the entity. A code whose check character is right but whose digits 3–8 are
no division at all was mistyped or invented; in a provincial round a division of the
province's number (14xxxx) that is not one of its divisions is as doubtful.

Data: python-stdnum's ``cn/loc`` database (the GB/T 2260 divisions from Wikipedia's
中华人民共和国行政区划代码 pages, past divisions included with their years), the same data
``stdnum.cn.ric`` uses for a resident ID's birth place. It is maintained with the library,
so no hand table is kept here. Past divisions count as valid (an old registration keeps
its code). Development zones that some provinces number outside GB/T 2260 are missing from
it, which is why the finding is a warning for the reviewer, never an error. Digits 3–4 in
another province is REGISTERED_OUTSIDE_REGION's business (an error).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from stdnum import numdb

from models.findings import Finding, Severity
from models.values import normalise_uscc, uscc_problem
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.identity import LICENCE_KINDS, RecordRule, sources, text, where

NATIONAL = "100000"
"""Digits 3–8 of an entity registered by a national authority (GB 32100-2015)."""


@lru_cache(maxsize=4096)
def division(code: str) -> tuple[str, str] | None:
    """(province, division name) of a six-digit division code in stdnum's GB/T 2260 data, or
    None when no division has that code. Names keep stdnum's year marks ("[2000-]临汾市")."""
    if len(code) != 6 or not code.isdigit():
        return None
    if code == NATIONAL:
        return "中华人民共和国", "国家级登记管理机关"
    parts = numdb.get("cn/loc").info(code)
    if len(parts) < 2:
        return None
    province = parts[0][1].get("province")
    county = parts[1][1].get("county")
    if not province or not county:
        return None
    return province, county


class UsccDivisionUnknown(RecordRule):
    """A well-formed credit code whose registration-authority digits (3–8) are no valid
    administrative division, or (provincial round) none of the province's."""

    code = "USCC_DIVISION_UNKNOWN"
    title = "信用代码登记机关区划码无效"
    checks = "统一社会信用代码第3–8位为有效的行政区划代码（省级批次：为本省的区划）"
    severity: Severity = "warning"
    config_keys = ("region_code",)

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        region = ctx.campaign.region_code
        for src in sources(ctx.record, *LICENCE_KINDS):
            found = src.get("uscc")
            code = normalise_uscc(text(found))
            if found is None or uscc_problem(code) is not None:
                continue  # USCC_INVALID reports malformed codes
            digits = code[2:8]
            if region is not None and digits[:2] != region and digits != NATIONAL:
                continue  # another province: REGISTERED_OUTSIDE_REGION
            if division(digits) is not None:
                continue
            scope = f"{ctx.campaign.province}的" if region is not None else ""
            yield finding(
                self.code,
                self.severity,
                f"{where(src)}上的统一社会信用代码“{code}”第3–8位登记管理机关行政区划码“{digits}”"
                f"不是{scope}有效行政区划代码（GB/T 2260），请核对代码是否抄错或伪造。",
                ctx.record,
                field=f"{src.kind}.uscc",
                found_value=code,
                evidence=evidence_of(found),
                source=src.file,
            )


register(UsccDivisionUnknown(), "uscc_division_unknown")
