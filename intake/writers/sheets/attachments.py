"""附件核对: submissions × the round's attachment kinds — present (with file and pages),
missing, possibly among unrecognised scans, optional and not provided, or not asked of this
kind of submission, as the rules decided (``validators.attachments.attachment_checks``).

One table with a column per attachment kind (the union over the round's kinds) so the sheet
has one header, one filter and can be filtered by 申报类型. The header names the kind; its
comment quotes the notice's wording for each kind of submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.sheets.common import (
    AttachmentCheck,
    Links,
    check_attachments,
    kind_label,
    pages_label,
)
from intake.writers.sheets.style import (
    AMBER,
    FONT_NAME,
    GREY,
    RED,
    Column,
    colour,
    finish_table,
    put,
    set_link,
    set_style,
    write_header,
)
from models.campaign import AttachmentRule, Campaign
from models.records import DOC_KIND_LABELS, FORM_KIND_LABELS, Record

SHEET_TITLE = "附件核对"
MISSING = "缺失"
UNSURE = "未识别（待核对）"
OPTIONAL_ABSENT = "未提供（可选）"
NOT_ASKED = "—"

LEAD_COLUMNS: tuple[Column, ...] = (
    Column("序号", max_width=6, center=True),
    Column("推荐单位", max_width=24, wrap=True),
    Column("申报类型", max_width=10, center=True),
    Column("申报单位", max_width=36, wrap=True),
)


def attachment_kinds(campaign: Campaign) -> list[tuple[str, list[tuple[str, AttachmentRule]]]]:
    """The union of attachment kinds over the round's submission kinds, in notice order,
    each with the rules (per submission kind) that ask for it."""
    kinds: dict[str, list[tuple[str, AttachmentRule]]] = {}
    for form_kind in campaign.kinds:
        for rule in campaign.attachments.get(form_kind, []):
            kinds.setdefault(rule.kind, []).append((form_kind, rule))
    return list(kinds.items())


def column_title(kind: str, rules: list[tuple[str, AttachmentRule]]) -> str:
    """营业执照/事业单位法人证书, with （如有） when no kind of submission requires it."""
    accepted = [kind] + [k for _, rule in rules for k in rule.satisfied_by]
    title = "/".join(dict.fromkeys(DOC_KIND_LABELS.get(k, k) for k in accepted))
    if not any(rule.required for _, rule in rules):
        title += "（如有）"
    return title


def cell_text(check: AttachmentCheck) -> str:
    """✓ 文件名 (第N-M页) per document found; 缺失 (ATTACHMENT_MISSING); 未识别（待核对） when
    unrecognised scans may hold it (the rule's LOW_CONFIDENCE warning); or 未提供（可选）."""
    if check.status == "missing":
        return MISSING
    if check.status == "unsure":
        return UNSURE
    if check.status == "optional_absent":
        return OPTIONAL_ABSENT
    lines = []
    for attachment in check.found:
        text = f"✓ {PurePosixPath(attachment.file).name}"
        pages = pages_label(attachment.pages)
        if pages:
            text += f" ({pages})"
        if attachment.kind != check.rule.kind:
            text += f"［{DOC_KIND_LABELS.get(attachment.kind, attachment.kind)}］"
        lines.append(text)
    return "\n".join(lines)


def write_attachments(ws: Worksheet, records: Sequence[Record], campaign: Campaign, links: Links) -> None:
    """Fill the 附件核对 sheet, one row per submission in display order."""
    ws.title = SHEET_TITLE
    kinds = attachment_kinds(campaign)
    columns = list(LEAD_COLUMNS) + [
        Column(column_title(kind, rules), min_width=14, max_width=34, wrap=True) for kind, rules in kinds
    ]
    write_header(ws, columns)
    for offset, (_kind, rules) in enumerate(kinds):
        wording = "\n".join(f"{FORM_KIND_LABELS[k]}：{rule.label}" for k, rule in rules)
        ws.cell(row=1, column=len(LEAD_COLUMNS) + 1 + offset).comment = Comment(
            "通知要求：\n" + wording, "intake", width=320, height=120
        )

    row = 1
    for number, record in enumerate(records, start=1):
        row += 1
        for col, value in enumerate(
            (number, record.recommender or "", kind_label(record.kind), record.applicant or ""),
            start=1,
        ):
            put(ws, row, col, value)
        checks: dict[str, AttachmentCheck] = {check.rule.kind: check for check in check_attachments(record, campaign)}
        for offset, (kind, _rules) in enumerate(kinds):
            col = len(LEAD_COLUMNS) + 1 + offset
            check = checks.get(kind)
            if check is None:
                cell = put(ws, row, col, NOT_ASKED)
                set_style(cell, "font", ("colour", GREY[1]), lambda: Font(name=FONT_NAME, color=GREY[1]))
                set_style(cell, "alignment", "center", lambda: Alignment(horizontal="center"))
                continue
            cell = put(ws, row, col, cell_text(check))
            if check.found:
                set_link(cell, links.target(check.found[0].file))
            elif check.status == "missing":
                colour(cell, RED, bold=True)
            elif check.status == "unsure":
                colour(cell, AMBER, bold=True)
            else:
                colour(cell, GREY)

    finish_table(ws, columns, row)
