"""营业执照: recognised by its title and labels, fields read by geometry (label → value).

Handles the 2014+/2019 landscape layout (two columns of label/value pairs, 登记机关 and the
issue date bottom right under the authority's seal), the older portrait layout (one column),
the 个体工商户 licence (经营者, 经营场所, 组成形式, 注册日期), the 个人独资企业 licence (投资人)
and the 分公司 licence (负责人, 营业场所), each mapped to the canonical keys.

What licences in the wild add, and how it is kept out of the values:
- letter-spaced labels (名　　称): their characters come as separate boxes, the last one
  often glued to the value ("所上海市…"); the label is matched across boxes, a label
  character left in front of a value is dropped, and a value box that starts with the
  second character of a label whose first one OCR lost ("型有限责任公司…") is that label;
- the QR code's caption (扫描二维码登录“国家企业信用信息公示系统”…) beside the name: cut;
- watermarks (仅供存档, 仅供XX使用, 复印无效) across the fields: their tilted boxes and
  their words are dropped before any label or value is looked for.
"""

from __future__ import annotations

import re

from extractors.attachments.certfields import (
    authority_field,
    edits,
    uscc_field,
)
from extractors.attachments.common import (
    amount,
    attachment_document,
    doc_lines,
    find_dates,
    is_form_page,
    page_words,
    parse_date,
    put,
    safe,
)
from extractors.attachments.geometry import (
    SEPARATORS,
    WATERMARK,
    Hit,
    LabelIndex,
    Line,
    Value,
    compact,
    drop_watermarks,
    extracted,
    line_height,
    page_lines,
    row_text,
)
from models import values
from models.document import Document, Page
from models.fields import Extracted, FieldMap
from models.records import DocKind, ExtractedDocument

__all__ = [
    "LABELS",
    "BusinessLicenseExtractor",
    "licence_index",
    "read_license",
]

LABELS: dict[str, list[str]] = {
    "uscc": ["统一社会信用代码", "社会信用代码", "注册号"],
    "name": ["名称", "企业名称"],
    "type": ["类型", "公司类型", "企业类型"],
    "form": ["组成形式"],
    "legal_rep": ["法定代表人姓名", "法定代表人", "负责人", "经营者", "执行事务合伙人", "投资人"],
    "registered_capital": ["注册资本", "出资额", "注册资金"],
    "established": ["成立日期", "注册日期"],
    "term": ["营业期限", "经营期限", "合伙期限"],
    "address": ["住所", "主要经营场所", "经营场所", "营业场所"],
    "scope": ["经营范围"],
    "authority": ["登记机关"],
}
TITLE = re.compile(r"(企业法人)?营业执照[(（]?(副本|正本)?[)）]?(\(?\d+-\d+\)?)?")
BOILERPLATE = re.compile(
    r"扫描二维码|扫描二维|二维码登录|国家企业信用信息|信用信息公示系统|了解更多登记|登记、备案|备案、许可|许可、监管信息|国家市场监督管理总局监制"
)
"""Printed text that is no field's value: where a value running into it is cut."""
LONG_TERM_WORDS = ("长期", "不约定期限", "无固定期限", "永久")
PROVINCE_NAMES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
)
PROVINCES = tuple(PROVINCE_NAMES.split(" "))
SHAPES: dict[str, re.Pattern[str]] = {
    "name": re.compile(r".{3,}(?:公司|企业|部|店|厂|中心|室|社|所|行|馆|场|站|院)$"),
    "type": re.compile(r".*(?:公司|企业|个体|经营|合伙|分支|独资|集体|股份|全民|外商|台港澳).*"),
    "address": re.compile(r"[\u4e00-\u9fff]{2,}?(?:省|市|区|县|旗|州).{2,}"),
}
"""What a value of these keys looks like: used to accept a value box that starts with the
second character of its letter-spaced label (the first lost) as that label."""
TAILS = {"name": "称", "type": "型", "address": "所"}


class BusinessLicenseExtractor:
    """营业执照 (正本/副本, company or 个体工商户)."""

    kind: DocKind = "business_license"

    def score(self, page: Page, document: Document) -> float:
        lines = drop_watermarks(page_lines(document, page))
        if not lines:
            return 0.0
        words = page_words(page)
        title = _title(lines)
        score = 0.4 if title else (0.1 if "营业执照" in words else 0.0)
        index = licence_index(lines)
        found = set(index.hits) - {"form"}
        score += min(0.45, 0.06 * len(found))
        # one search of all boxes at once: a code's 18 characters never run over a line break
        code = bool(values.find_usccs("\n".join(ln.text for ln in lines)))
        if code:
            score += 0.1
        marked = "国家企业信用信息公示系统" in words or "监制" in words
        if marked:
            score += 0.05
        if not title:
            # The title can be lost (printed red and removed with the seals, cropped, under
            # a watermark); a code, 经营范围 and most of a licence's labels still make one.
            strong = code and "scope" in found and len(found) >= 6 and (marked or "authority" in found)
            score = min(score, 0.7 if strong else 0.45)
        score *= 1.0 - 0.8 * is_form_page(words)
        return round(min(score, 1.0), 3)

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        fields: FieldMap = {}
        best: tuple[int, Page, list[Line]] | None = None
        for page, all_lines in doc_lines(document, pages):
            lines = drop_watermarks(all_lines)
            count = len(licence_index(lines).hits)
            if best is None or count > best[0]:
                best = (count, page, lines)
        if best is not None:
            fields = read_license(best[1], best[2])
        return attachment_document(self.kind, document, pages, fields, "营业执照")


def _title(lines: list[Line]) -> Line | None:
    """The 营业执照 title line, also when its letter-spaced characters came as boxes, and
    when one of its four characters was lost or misread in a box printed well above the
    text's size (a small scan: "营业执")."""
    lh = line_height(lines)
    for ln in sorted(lines, key=lambda x: -x.bbox.height)[:12]:
        if TITLE.fullmatch(compact(ln.text)):
            return ln
        joined = row_text(ln, lines)
        if TITLE.fullmatch(joined):
            return ln
        if ln.bbox.height > 2 * lh and edits(joined, "营业执照") <= 1:
            return ln
    return None


def licence_index(lines: list[Line]) -> LabelIndex:
    """The licence labels of the page, with letter-spaced ones whose first character OCR
    lost found by their second character and the shape of the value glued to it."""
    index = LabelIndex(lines, LABELS)
    taken = {id(ln) for hit in index.all() for ln in hit.lines}
    for key, tail in TAILS.items():
        if key in index.hits:
            continue
        for ln in sorted(lines, key=lambda x: x.bbox.y0):
            rest = ln.text.strip(SEPARATORS)
            if id(ln) in taken or not rest.startswith(tail):
                continue
            rest = rest[1:].strip(SEPARATORS)
            if len(rest) >= 3 and SHAPES[key].fullmatch(compact(rest)) and not _labelled(rest):
                index.add(key, Hit(label=key, lines=[ln], rest=rest))
                taken.add(id(ln))
                break
    return index


def _labelled(text: str) -> bool:
    """True when ``text`` starts with a licence label (then it is that label's row)."""
    flat = compact(text)
    return any(flat.startswith(alias) for aliases in LABELS.values() for alias in aliases)


def clean_value(key: str, value: Value) -> str:
    """The text of ``value`` without what is not part of it: the QR caption and anything
    after it, watermark words, a label character left in front (a letter-spaced label's
    last character glued to the value), and for an address one stray character before the
    province."""
    text = value.text
    cut = BOILERPLATE.search(text)
    if cut:
        # and a stray mark or two read just before it ("…经营部3扫描二维码…")
        text = re.sub(r"[^\u4e00-\u9fff]{1,2}$", "", text[: cut.start()].rstrip())
    text = WATERMARK.sub("", text).strip(SEPARATORS)
    hit = value.label
    if hit is not None:
        printed = compact("".join(ln.text for ln in hit.lines))
        label = printed[: len(printed) - len(compact(hit.rest))] if hit.rest else printed
        for alias in LABELS.get(hit.label, []):
            tail = alias[len(label) :] if alias.startswith(label) and len(alias) > len(label) else ""
            if tail and compact(text).startswith(tail):
                text = compact(text)[len(tail) :].strip(SEPARATORS)
                break
    if key == "address":
        flat = compact(text)
        if len(flat) > 3 and not flat.startswith(PROVINCES) and flat[1:].startswith(PROVINCES):
            text = flat[1:]
    return text


def _field(index: LabelIndex, key: str, *, multiline: bool = False, max_rows: int = 12) -> Value | None:
    """The value of label ``key`` with its text cleaned (``clean_value``); None when the
    label is not on the page."""
    value = index.value(key, multiline=multiline, max_rows=max_rows)
    if value is None:
        return None
    return Value(text=clean_value(key, value), lines=value.lines, label=value.label)


def read_license(page: Page, lines: list[Line]) -> FieldMap:
    """Every field of a licence page that can be read; blank ones stay absent."""
    lines = drop_watermarks(lines)
    index = licence_index(lines)
    fields: FieldMap = {}
    name = _field(index, "name", multiline=True, max_rows=2)
    if name and name.text:
        put(fields, "name", name.extracted(name.text))
    put(fields, "uscc", uscc_field(index, lines))
    individual = "form" in index.hits or _individual(index, lines)
    type_value = _field(index, "form") if individual and "form" in index.hits else None
    if not (type_value and type_value.text):
        type_value = _field(index, "type")
    if type_value and type_value.text:
        put(fields, "type", type_value.extracted(type_value.text))
    rep = _field(index, "legal_rep")
    if rep and rep.text:
        put(fields, "legal_rep", rep.extracted(rep.text))
    capital = index.value("registered_capital")
    if capital and capital.text:
        number, error = amount(capital.text)
        put(fields, "registered_capital", _with_error(capital.extracted(number), error))
    established = index.value("established")
    if established and established.text:
        put(fields, "established", _date(established))
    term = index.value("term", multiline=True, max_rows=1)
    if term and term.text:
        put(fields, "term_end", _term_end(term))
    address = _field(index, "address", multiline=True, max_rows=3)
    if address and address.text:
        put(fields, "address", address.extracted(address.text))
    scope = index.value("scope", multiline=True, max_rows=30)
    if scope:
        put(fields, "scope", scope.extracted(scope.text))
    used = {id(ln) for v in (established, term) if v for ln in v.lines}
    hit = index.hits.get("authority")
    authority = index.value("authority") if hit else None
    put(fields, "authority", authority_field(hit, authority, lines, page))
    put(fields, "issued", _issued(index, lines, used))
    if not fields:
        return fields
    variant = "individual" if individual else "company"
    fields["variant"] = Extracted(value=variant, raw=variant, method="inferred")
    put(fields, "copy", _copy(lines))
    return fields


def _with_error(item: Extracted, error: str | None) -> Extracted:
    return item.model_copy(update={"error": error}) if error else item


def _date(value: Value) -> Extracted:
    date = parse_date(value.text)
    if date is None:
        found = find_dates(value.text)
        date = found[0][1] if found else None
    return _with_error(value.extracted(date), None if date else "not_date")


def _term_end(value: Value) -> Extracted:
    text = value.text
    start, end, long_term = safe(values.parse_term, compact(text))[0] or (None, None, False)
    if long_term or any(word in text for word in LONG_TERM_WORDS):
        # raw says which words were printed: 长期 (also in "…至长期"), else 不约定期限 …
        word = next((w for w in LONG_TERM_WORDS if w in compact(text)), "长期")
        return value.extracted(None, raw=word)
    if end is None:
        found = find_dates(text)
        if len(found) >= 2:
            end = found[-1][1]
        elif len(found) == 1 and not re.search(r"至|到|起", text):
            end = found[0][1]
    return _with_error(value.extracted(end), None if end or start else "not_date")


def _individual(index: LabelIndex, lines: list[Line]) -> bool:
    rep = index.hits.get("legal_rep")
    if rep and compact("".join(ln.text for ln in rep.lines)).startswith("经营者"):
        return True
    return any("个体工商户" in compact(ln.text) for ln in lines)


def _issued(index: LabelIndex, lines: list[Line], used: set[int]) -> Extracted | None:
    """The issue date: the date nearest below/right of 登记机关, else the lowest date."""
    hit = index.hits.get("authority")
    lh = line_height(lines)
    dated = [(ln, find_dates(compact(ln.text))) for ln in lines if id(ln) not in used]
    dated = [(ln, found) for ln, found in dated if found]
    if not dated:
        return None
    if hit is not None:
        box = hit.bbox
        close = [(ln, f) for ln, f in dated if ln.bbox.y1 > box.y0 - lh]
        if close:
            ln, found = min(close, key=lambda p: abs(p[0].bbox.cy - box.cy) + 0.3 * abs(p[0].bbox.cx - box.cx))
            return extracted(found[-1][1], found[-1][0], [ln], None)
    ln, found = max(dated, key=lambda p: (p[0].bbox.y1, p[0].bbox.x1))
    return extracted(found[-1][1], found[-1][0], [ln], None)


def _copy(lines: list[Line]) -> Extracted | None:
    for word in ("副本", "正本"):
        for ln in lines:
            if word in compact(ln.text) and len(compact(ln.text)) <= 16:
                return extracted(word, compact(ln.text), [ln], None)
    title = _title(lines)
    if title is None:
        return None
    return extracted("正本", compact(title.text), [title], None, method="inferred")
