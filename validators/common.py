"""Helpers shared by every rule module: building findings, evidence, the flat view of a form,
Chinese labels of the canonical keys, and display of values in Chinese messages.

Stable API (other rule modules import it; add, do not rename):
``finding``, ``evidence_of``, ``fmt``, ``fmt_amount``, ``latest_year``, ``form_view``,
``form_type_of``, ``form_evidence``, ``label_of``, ``FORM_LABELS``, ``bodies``,
``is_missing``, ``number_of``, ``scalar``, ``heading_key``, ``section_matches``,
``font_family``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from models.campaign import Campaign
from models.fields import Evidence, Extracted, FieldMap
from models.findings import Finding, Scalar, Severity
from models.forms import FormType
from models.records import ExtractedDocument, Record
from models.values import edit_distance, is_blank

FORM_LABELS: dict[str, str] = {"enterprise": "表1", "project": "表2", "platform": "表3", "city": "表4"}
"""Form type → the notice's table number, as a reviewer names the form."""

_LABELS: dict[str, str] = {
    "nature": "企业性质",
    "legal_rep": "法人代表",
    "reg_address": "注册地址",
    "main_business": "主营业务",
    "mail_address": "通信地址",
    "postcode": "邮政编码",
    "contact": "联系人",
    "title": "职务",
    "phone": "联系电话",
    "mobile": "手机",
    "email": "电子邮箱",
    "fax": "传真",
    "staff_total": "员工总数（人）",
    "rd_staff_ratio": "研发和设计人员比例（%）",
    "senior_staff_ratio": "中高级职业资格人员比例（%）",
    "bachelor_ratio": "本科以上学历人员比例（%）",
    "total_assets": "资产总额（万元）",
    "debt_ratio": "资产负债率（%）",
    "revenue": "营业收入（万元）",
    "service_revenue": "服务收入（万元）",
    "taxes": "税金总额（万元）",
    "total_profit": "利润总额（万元）",
    "net_profit_growth": "净利润增长率（%）",
    "rd_ratio": "研发设计投入比例（%）",
    "served_companies": "服务企业户数（个）",
    "patents.total": "专利总数（项）",
    "patents.invention": "发明专利（项）",
    "patents.utility_model": "实用新型专利（项）",
    "patents.design": "外观设计专利（项）",
    "client": "委托单位（甲方）",
    "contractor": "实施单位（乙方）",
    "industry": "所在行业",
    "investment": "投资额度（万元）",
    "start_year": "项目实施起始年",
    "end_year": "项目实施截止年",
    "website": "网址",
    "operator": "运营主体",
    "registered_capital": "注册资本（万元）",
    "platform_type": "申报类型",
    "total_assets_last_year": "上年末总资产（万元）",
    "service_area": "服务场地面积（平方米）",
    "investors": "主要投资方",
    "investors.name": "主要投资方名称",
    "investors.nature": "投资方性质",
    "investors.ratio": "投资比例（%）",
    "customers": "服务典型企业名单",
    "customers.name": "服务企业名称",
    "customers.contact": "联系人",
    "customers.phone": "联系电话",
    "customers.summary": "服务内容简述",
    "gdp": "GDP",
    "gdp_growth": "GDP同比增速（%）",
    "manufacturing_value_added": "制造业增加值",
    "manufacturing_value_added_growth": "制造业增加值同比增速（%）",
    "producer_services_value_added": "生产性服务业增加值",
    "producer_services_value_added_growth": "生产性服务业增加值同比增速（%）",
    "industrial_revenue": "规模以上工业企业主营业务收入",
    "industrial_revenue_growth": "规模以上工业企业主营业务收入同比增速（%）",
    "policy_documents": "发展指标1：推动服务型制造发展的政策文件",
    "selection_work": "发展指标2：开展示范遴选的工作情况",
    "promotion_work": "发展指标3：政策宣贯和经验推广的工作情况",
    "body": "申报书正文",
}
_NAME_LABELS = {"enterprise": "企业名称", "project": "项目名称", "platform": "平台名称"}
_FORM_SPECIFIC = {
    ("platform", "nature"): "平台性质",
    ("platform", "staff_total"): "从业人数（人）",
    ("platform", "taxes"): "上缴税金（万元）",
    ("project", "rd_ratio"): "研发设计投入占收入比（%）",
}


def label_of(key: str, form_type: str | None = None) -> str:
    """Chinese label of a dotted canonical key as the form prints it:
    ``financials.2019.revenue`` → "2019年 营业收入（万元）", ``investors.0.ratio`` →
    "第1个主要投资方 投资比例（%）"."""
    parts = key.split(".")
    if parts[0] == "financials" and len(parts) == 3:
        leaf = _FORM_SPECIFIC.get((form_type or "", parts[2])) or _LABELS.get(parts[2], parts[2])
        return f"{parts[1]}年 {leaf}"
    if parts[0] in ("investors", "customers") and len(parts) == 3 and parts[1].isdigit():
        item = "主要投资方" if parts[0] == "investors" else "服务典型企业"
        return f"第{int(parts[1]) + 1}个{item} {_LABELS.get(f'{parts[0]}.{parts[2]}', parts[2])}"
    if key == "name":
        return _NAME_LABELS.get(form_type or "", "城市名称" if form_type == "city" else "名称")
    return _FORM_SPECIFIC.get((form_type or "", key)) or _LABELS.get(key, key)


def fmt(value: Any) -> str:
    """A value as a reviewer reads it: None → "（空）", 1234.50 → "1234.5", 12.0 → "12",
    dates → "2021年3月5日", booleans → 是/否."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int):
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def fmt_amount(value: float | None) -> str:
    """An amount in 万元 with its unit, e.g. "123.45万元"."""
    return "（空）" if value is None else f"{fmt(value)}万元"


def scalar(value: Any) -> Scalar:
    """A value fit for ``Finding.form_value``/``found_value`` (dates become ISO text)."""
    if value is None or isinstance(value, str | float | int | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def evidence_of(*extracted: Extracted[Any] | None) -> list[Evidence]:
    """All evidence of the given extracted values (None and evidence-less values skipped),
    without repeats, in order."""
    out: list[Evidence] = []
    for item in extracted:
        if item is None:
            continue
        for ev in item.evidence:
            if ev not in out:
                out.append(ev)
    return out


def finding(
    code: str,
    severity: Severity,
    message: str,
    record: Record | None,
    field: str | None = None,
    form_value: Any = None,
    found_value: Any = None,
    evidence: Iterable[Evidence] = (),
    source: str | None = None,
) -> Finding:
    """A finding on ``record`` (its submission id makes the finding id stable)."""
    return Finding(
        code=code,
        severity=severity,
        message=message,
        submission_id=record.submission_id if record is not None else None,
        field=field,
        form_value=scalar(form_value),
        found_value=scalar(found_value),
        evidence=list(evidence),
        source=source,
    )


def form_type_of(record: Record) -> FormType | None:
    """The record's form type: its kind, else the type of the form that was read."""
    if record.kind is not None:
        return record.kind
    return record.form.form_type if record.form is not None else None


def _flatten(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, BaseModel):
        node = node.model_dump()
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}{key}.", out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _flatten(value, f"{prefix}{i}.", out)
    else:
        out[prefix.rstrip(".")] = node


def form_view(record: Record) -> FieldMap:
    """The form as a flat map of dotted keys: ``record.form_fields`` (with raw text and
    evidence), completed by values of ``record.form`` the field map lacks."""
    view: FieldMap = dict(record.form_fields)
    if record.form is not None:
        flat: dict[str, Any] = {}
        _flatten(record.form, "", flat)
        for key, value in flat.items():
            if key != "form_type" and key not in view and value is not None:
                view[key] = Extracted[Any](value=value)
    return view


def is_missing(item: Extracted[Any] | None, placeholder_ok: bool = False) -> bool:
    """True when a field is absent, or has neither a value nor any text. A lone placeholder
    ("—", "/", "无") counts as missing unless ``placeholder_ok``. Text that failed to parse
    is not missing (VALUE_NOT_NUMERIC reports it)."""
    if item is None:
        return True
    if item.value is not None and not (isinstance(item.value, str) and not item.value.strip()):
        return False
    if not item.raw.strip():
        return True
    return is_blank(item.raw) and not placeholder_ok


def number_of(item: Extracted[Any] | None) -> float | None:
    """The numeric value of a field, or None (bools and text are not numbers)."""
    if item is None or isinstance(item.value, bool):
        return None
    return float(item.value) if isinstance(item.value, float | int) else None


_YEAR_KEY = re.compile(r"^financials\.(\d{4})\.")


def latest_year(record: Record, campaign: Campaign) -> int | None:
    """The latest of the round's financial years for which the form has any figure."""
    view = form_view(record)
    years = {int(m.group(1)) for key, item in view.items() if (m := _YEAR_KEY.match(key)) and item.value is not None}
    found = [y for y in campaign.financial_years if y in years]
    return max(found) if found else None


def bodies(record: Record) -> list[ExtractedDocument]:
    """The record's 申报书正文 documents."""
    return [d for d in record.documents if d.kind == "application_body"]


def form_evidence(record: Record) -> list[Evidence]:
    """Evidence pointing at the form itself (file and first page), for findings about a
    field that has no evidence of its own (e.g. a row the extractor did not find)."""
    for doc in record.documents:
        if doc.kind == "application_form":
            page = doc.pages[0] if doc.pages else None
            return [Evidence(file=doc.file, page=page, text=doc.title or "")]
    if record.form_file:
        return [Evidence(file=record.form_file)]
    return []


# ---------------------------------------------------------------- text matching helpers

_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+[部分章节篇]+|[(（]?[一二三四五六七八九十\d]+[)）]?[、.．:：]?)"
)
_PUNCT = re.compile(r"[\s\W_]+")
_SYNONYMS = (
    ("概况", ("基本情况", "概述", "简介", "概要", "概况")),
    ("做法", ("举措", "措施", "做法")),
    ("设想", ("设想", "计划", "打算", "规划", "思路", "展望")),
    ("成效", ("成效", "成果", "效果", "成绩")),
)


def heading_key(title: str) -> str:
    """A heading reduced for comparison: numbering ("一、", "（一）", "1.", "第一部分"),
    spaces and punctuation stripped, common synonyms (概述/基本情况 → 概况, 举措/措施 →
    做法, 计划/打算 → 设想, 成果/效果 → 成效) unified."""
    text = unicodedata.normalize("NFKC", title).strip()
    text = _NUMBERING.sub("", text.replace(" ", ""))
    text = _PUNCT.sub("", text)
    for canonical, words in _SYNONYMS:
        for word in words:
            text = text.replace(word, canonical)
    return text


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def section_matches(required: str, heading: str) -> bool:
    """Whether a body heading stands for a required outline title: after ``heading_key``,
    either contains the other, the required title's characters appear in order in a
    heading at most three times as long, or (titles of 4+ characters) they differ by one
    edit (two for 6+ characters)."""
    req, head = heading_key(required), heading_key(heading)
    if not req or not head:
        return False
    if req in head or (len(head) >= 2 and head in req):
        return True
    if len(head) <= 3 * len(req) + 2 and _subsequence(req, head):
        return True
    if len(req) >= 4:
        return edit_distance(req, head) <= (2 if len(req) >= 6 else 1)
    return False


_FONT_FAMILIES = (
    ("仿宋", ("仿宋", "fangsong")),
    ("楷体", ("楷", "kaiti")),
    ("微软雅黑", ("雅黑", "yahei")),
    ("黑体", ("黑", "simhei", "heiti")),
    ("小标宋", ("小标宋", "xiaobiaosong")),
    ("宋体", ("宋", "simsun", "songti")),
)


def font_family(font: str | None) -> str | None:
    """A font name reduced to its family: 仿宋_GB2312, FangSong, 方正仿宋_GBK → 仿宋;
    楷体_GB2312, KaiTi → 楷体; SimHei, 方正黑体_GBK → 黑体; unknown names as written."""
    if not font:
        return None
    text = unicodedata.normalize("NFKC", font).strip().lower().replace(" ", "")
    for family, marks in _FONT_FAMILIES:
        if any(mark in text for mark in marks):
            return family
    return font.strip()
