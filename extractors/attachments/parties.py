"""Who is who on a free-text attachment: the parties by their role, their credit codes, and a
lease's term.

A contract, a lease, an evaluation letter or a certificate names its parties under role labels
(甲方/乙方, 出租方/承租方, 委托方/承建方, 完成单位/评价机构, 评价单位 …) at the start of a line or in
a table's label cell. This module reads them by that structure, never by a word inside a value,
into flat fields ``party.<role>`` (the name as printed, role and 盖章 notes dropped) and
``uscc.<role>`` (a credit code printed on the party's own line or the few lines under it). A
lease's term is read from the line labelled 租赁期限 / 租期 first (a contract that cites another
period elsewhere does not move it).

Roles per kind (first label found wins; later aliases are fallbacks):

- ``project_contract``: ``client`` (甲方, 委托方, 发包方 …), ``contractor`` (乙方, 受托方, 承建方 …);
- ``premises_proof``: ``lessor`` (出租方 …, else 甲方), ``lessee`` (承租方 …, else 乙方), ``owner``
  (权利人, 房屋所有权人);
- ``tech_evaluation_certificate``: ``holder`` (完成单位 …), ``issuer`` (评价机构, 组织鉴定单位 …);
- ``customer_evaluation``: ``customer`` (评价单位, 客户名称, 用户单位 …), ``provider`` (被评价单位,
  服务单位 …);
- ``acceptance_opinion``: ``contractor`` (项目承担单位 …), ``organiser`` (组织验收单位 …).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.attachments.common import find_range
from extractors.attachments.geometry import (
    LabelIndex,
    Line,
    compact,
    extracted,
    find_label,
    line_height,
    rows,
    value_right,
)
from models import values
from models.document import Page
from models.fields import Extracted

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "project_contract": {
        "client": ("委托方", "发包方", "甲方", "建设单位", "采购方", "需方", "买方"),
        "contractor": ("受托方", "承建方", "承包方", "乙方", "服务方", "供方", "卖方", "实施单位"),
    },
    "premises_proof": {
        "lessor": ("出租方", "出租人", "甲方"),
        "lessee": ("承租方", "承租人", "乙方"),
        "owner": ("权利人", "房屋所有权人", "所有权人", "产权人"),
    },
    "tech_evaluation_certificate": {
        "holder": ("成果完成单位", "完成单位", "申请单位", "委托单位", "申报单位"),
        "issuer": ("评价机构", "组织评价单位", "组织鉴定单位", "鉴定单位", "发证单位"),
    },
    "customer_evaluation": {
        "customer": ("评价单位", "客户名称", "客户单位", "用户单位", "使用单位", "用户名称"),
        "provider": ("被评价单位", "服务单位", "服务提供单位", "服务商"),
    },
    "acceptance_opinion": {
        "contractor": ("项目承担单位", "承担单位", "项目单位"),
        "organiser": ("验收组织单位", "组织验收单位", "组织单位"),
    },
}
"""Kind → role → its labels, most specific first."""

CODE_LABELS = ("统一社会信用代码", "社会信用代码", "信用代码")
TERM_LABELS = ("租赁期限", "租赁期", "租期", "租用期限")
CODE_ROWS = 3
"""A credit code belongs to the party labelled at most this many rows above it."""

PartyName = Callable[[str], str | None]


def read_roles(kind: str, read: list[tuple[Page, list[Line]]], party_name: PartyName) -> dict[str, Extracted]:
    """``party.<role>`` and ``uscc.<role>`` fields of a document of ``kind`` (pages as read by
    ``doc_lines``); ``party_name`` turns a label's value into a name or None."""
    roles = ROLES.get(kind)
    if not roles:
        return {}
    out: dict[str, Extracted] = {}
    for _page, lines in read:
        if not lines:
            continue
        aliases = {alias: [alias] for labels in roles.values() for alias in labels}
        aliases["uscc"] = list(CODE_LABELS)
        index = LabelIndex(lines, aliases)
        placed: list[tuple[str, Line]] = []  # (role, the label's first box) for code ownership
        for role, labels in roles.items():
            for alias in labels:
                value = index.value(alias)
                name = party_name(value.text) if value is not None else None
                if value is None or name is None or value.label is None:
                    continue
                placed.append((role, value.label.lines[0]))
                if f"party.{role}" not in out:
                    out[f"party.{role}"] = value.extracted(name, raw=value.text)
                break
        for role, ex in _codes(lines, index, placed).items():
            out.setdefault(f"uscc.{role}", ex)
    return out


def _codes(lines: list[Line], index: LabelIndex, placed: list[tuple[str, Line]]) -> dict[str, Extracted]:
    """Credit codes labelled on the page, each given to the party whose label is on its row
    (to its left) or at most ``CODE_ROWS`` rows above it; a code under no party's label is
    given to nobody (a page with one party and one code gives it to that party)."""
    found: dict[str, Extracted] = {}
    ordered = rows(lines)
    row_of = {id(ln): i for i, row in enumerate(ordered) for ln in row}
    lh = line_height(lines)
    seen: set[int] = set()
    hits = []
    for hit in find_label(lines, list(CODE_LABELS), "uscc"):
        if id(hit.lines[0]) not in seen:  # 统一社会信用代码 also matches 信用代码 further in
            seen.update(id(ln) for ln in hit.lines)
            hits.append(hit)
    for hit in hits:
        value = value_right(hit, lines, index.all() + hits)
        if value.label is None:
            continue
        raw = compact(value.text)
        code = next(iter(values.find_usccs(raw)), None) or values.repair_uscc(raw)
        if code is None:
            continue
        at = value.label.lines[0]
        here = row_of.get(id(at), 0)
        owners = [
            (here - row_of.get(id(box), -99), role)
            for role, box in placed
            if 0 <= here - row_of.get(id(box), -99) <= CODE_ROWS
            and (here != row_of.get(id(box)) or box.bbox.x1 <= at.bbox.x0 + lh)
        ]
        roles = {role for _, role in placed}
        if owners:
            role = min(owners)[1]
        elif len(roles) == 1:
            role = next(iter(roles))
        else:
            continue
        found.setdefault(role, value.extracted(code, raw=value.text))
    return found


def read_term(read: list[tuple[Page, list[Line]]]) -> tuple[Extracted, Extracted] | None:
    """(start, end) of a lease's term from the row labelled 租赁期限 (and the row under it,
    where the dates wrapped); None when no such row holds a date range."""
    for _page, lines in read:
        ordered = rows(lines)
        for i, row in enumerate(ordered):
            row.sort(key=lambda ln: ln.bbox.x0)
            flat = "".join(ln.flat for ln in row)
            at = min((flat.find(label) for label in TERM_LABELS if label in flat), default=-1)
            if at < 0:
                continue
            below = ordered[i + 1] if i + 1 < len(ordered) else []
            used = row + below
            text = flat[at:] + "".join(ln.flat for ln in sorted(below, key=lambda ln: ln.bbox.x0))
            period = find_range(text)
            if period is None:
                continue
            raw, start, end = period
            evidence = [ln for ln in used if any(part in ln.flat for part in _pieces(raw))] or row
            return extracted(start, raw, evidence), extracted(end, raw, evidence)
    return None


def _pieces(raw: str) -> list[str]:
    """The date runs of a range's text, to find the boxes that print it."""
    return [piece[:6] for piece in re.split(r"至|到|起|止|—+|~|～", raw) if len(piece) >= 6]
