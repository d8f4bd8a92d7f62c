"""What several sheets need to know about a record: its order, labels, licence, attachments.

The sheets render what the rules decided: attachment status (``validators.attachments``),
the applicant's licence and credit code (``validators.identity``, ``validators.cross``) and
the 汇总表 pairing (``validators.summary_pairing``); nothing here decides them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.reviewer import SavedRow
from intake.writers.sheets.style import STATUS_GONE, Column, grey_row, link_target, put
from models.campaign import Campaign
from models.fields import FieldMap
from models.forms import FORM_TYPES
from models.identity import LICENCE_KINDS
from models.records import DOC_KIND_LABELS, FORM_KIND_LABELS, Attachment, Record
from validators.attachments import AttachmentCheck, attachment_checks
from validators.cross import applicant_uscc
from validators.identity import applicant_licences

UNKNOWN_KIND = "未识别"
UNSURE_NOTE = "（未识别，待核对）"
"""After a required attachment's label when scans nothing recognised may hold it."""
STATUS_HEADER = "状态"

FIELD_LABELS: dict[str, str] = {
    "name": "名称",
    "nature": "企业性质",
    "legal_rep": "法定代表人",
    "reg_address": "注册地址",
    "main_business": "主营业务",
    "mail_address": "通信地址",
    "postcode": "邮编",
    "contact": "联系人",
    "title": "职务",
    "phone": "联系电话",
    "mobile": "手机",
    "email": "电子邮箱",
    "fax": "传真",
    "staff_total": "员工总数",
    "rd_staff_ratio": "研发设计人员比例",
    "senior_staff_ratio": "中高级职业资格人员比例",
    "bachelor_ratio": "本科以上学历人员比例",
    "total_assets": "资产总额",
    "debt_ratio": "资产负债率",
    "revenue": "营业收入",
    "service_revenue": "服务收入",
    "taxes": "税金总额",
    "total_profit": "利润总额",
    "net_profit_growth": "净利润增长率",
    "rd_ratio": "研发设计投入比例",
    "served_companies": "服务企业户数",
    "patents": "专利",
    "total": "总数",
    "invention": "发明",
    "utility_model": "实用新型",
    "design": "外观设计",
    "uscc": "统一社会信用代码",
    "established": "成立日期",
    "term_end": "营业期限",
    "valid_until": "有效期",
    "address": "住所",
    "platform_type": "平台类型",
    "applicant": "申报单位",
    "body": "申报书正文",
    "recommender": "推荐单位",
    "platform": "平台",
    "category": "类别",
}


@dataclass(frozen=True)
class Links:
    """Turns paths relative to the received folder into links relative to the workbook."""

    workbook_dir: Path
    received_dir: Path | None

    def target(self, rel_path: str | None) -> str | None:
        return link_target(rel_path, self.workbook_dir, self.received_dir)


def record_sort_key(record: Record) -> tuple[str, int, str, str]:
    """Rows go by recommender, then kind in the notice's order, then applicant."""
    kind_rank = FORM_TYPES.index(record.kind) if record.kind in FORM_TYPES else len(FORM_TYPES)
    return (record.recommender or "\uffff", kind_rank, record.applicant or "", record.path)


def kind_label(kind: str | None) -> str:
    """示范企业 … 示范城市, or 未识别."""
    return FORM_KIND_LABELS.get(kind or "", UNKNOWN_KIND)


SEAL_LABELS: dict[str, str] = {
    "applicant": "申报单位公章",
    "recommender": "推荐单位公章",
    "city_government": "市人民政府印章",
    "license_copy": "营业执照复印件上的申报单位公章",
    "seam": "骑缝章",
}
"""``seal.<role>`` keys of SEAL_MISSING, as the reviewer reads them."""


def field_label(key: str | None) -> str:
    """A Chinese label for a dotted canonical key: ``financials.2020.revenue`` → 2020年营业收入,
    ``seal.seam`` → 骑缝章."""
    if not key:
        return ""
    parts = key.split(".")
    if parts[0] == "seal" and len(parts) == 2:
        return SEAL_LABELS.get(parts[1], "印章")
    if parts[0] == "attachments" and len(parts) == 2:
        return "附件：" + DOC_KIND_LABELS.get(parts[1], parts[1])
    if parts[0] == "summary":
        return "汇总表" + _summary_part(parts[1:])
    if parts[0] == "quota":
        return "推荐名额"
    if parts[0] == "financials" and len(parts) == 3:
        return f"{parts[1]}年{FIELD_LABELS.get(parts[2], parts[2])}"
    if all(part in FIELD_LABELS for part in parts):
        return "".join(FIELD_LABELS[part] for part in parts)
    return DOC_KIND_LABELS.get(key, key)  # rules name a missing attachment by its kind


SUMMARY_LABELS: dict[str, str] = {
    "name": "所列名称",
    "kind": "所列申报类型",
    "contact": "联系人",
    "phone": "联系电话",
    "email": "电子邮箱",
    "recommender": "推荐单位",
}


def _summary_part(parts: list[str]) -> str:
    """What of the 汇总表 a ``summary.…`` key names: a column, or a listed row
    (``summary.<kind>.<name>``: 汇总表所列示范企业)."""
    if not parts:
        return ""
    if parts[0] in FORM_KIND_LABELS:
        return "所列" + FORM_KIND_LABELS[parts[0]]
    return SUMMARY_LABELS.get(parts[0], "")


def value_of(fields: FieldMap, key: str) -> Any:
    """A field's parsed value, or None."""
    item = fields.get(key)
    return None if item is None else item.value


def raw_of(fields: FieldMap, key: str) -> str:
    item = fields.get(key)
    return "" if item is None else item.raw.strip()


def as_date(value: Any) -> dt.date | None:
    """A field's value when it is a date (``Extracted`` keeps its type through JSON, so a
    record read back from records.jsonl holds a date too), else None."""
    return value if isinstance(value, dt.date) else None


def licence_of(record: Record) -> Attachment | None:
    """The applicant's business licence, or its 事业单位法人证书 when it has no licence: the
    licences the rules judge the record under (``validators.identity.applicant_licences``)."""
    own = applicant_licences(record)
    for kind in LICENCE_KINDS:
        for src in own:
            if src.kind == kind:
                return Attachment(kind=src.kind, file=src.file, pages=list(src.pages), fields=src.fields)  # type: ignore[arg-type]
    return None


def uscc_of(record: Record) -> str | None:
    """The credit code the rules judge the record under (``validators.cross.applicant_uscc``);
    when no licence of the applicant holds a valid one, the text read from its licence."""
    code = applicant_uscc(record)
    if code:
        return code
    licence = licence_of(record)
    if licence is None:
        return None
    value = value_of(licence.fields, "uscc")
    return str(value) if value else (raw_of(licence.fields, "uscc") or None)


def pages_label(pages: list[int]) -> str:
    """第3页, 第3-5页, or 第1、4页 for pages that are not a run."""
    if not pages:
        return ""
    ordered = sorted(set(pages))
    if len(ordered) == 1:
        return f"第{ordered[0]}页"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"第{ordered[0]}-{ordered[-1]}页"
    return "第" + "、".join(str(p) for p in ordered) + "页"


def check_attachments(record: Record, campaign: Campaign) -> list[AttachmentCheck]:
    """The round's attachment rules for the record's kind as the rules decided them
    (``validators.attachments.attachment_checks``): status and the documents satisfying each."""
    return attachment_checks(record, campaign)


def missing_labels(record: Record, campaign: Campaign) -> list[str]:
    """Required attachments not found (ATTACHMENT_MISSING), and those that unrecognised scans
    may hold marked 待核对 (the rule's LOW_CONFIDENCE warning)."""
    out = []
    for check in check_attachments(record, campaign):
        if check.status == "missing":
            out.append(check.rule.label)
        elif check.status == "unsure":
            out.append(check.rule.label + UNSURE_NOTE)
    return out


def form_value(record: Record, key: str) -> Any:
    """A top-level value of the typed form, or None when the form lacks it."""
    return getattr(record.form, key, None) if record.form is not None else None


def write_saved_row(ws: Worksheet, row: int, columns: Sequence[Column], saved: SavedRow) -> None:
    """Write an old row again as it was (values and links), marked 已消除 and greyed."""
    for index, column in enumerate(columns, start=1):
        value = saved.values.get(column.title)
        if column.title == STATUS_HEADER:
            value = STATUS_GONE
        cell = put(ws, row, index, value, wrap=column.wrap)
        link = saved.links.get(column.title)
        if link:
            cell.hyperlink = link
    grey_row(ws, row, len(columns))
