"""高新技术企业证书: 企业名称, 证书编号 (GR + year + province + serial), 发证时间, 有效期."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from extractors.attachments.common import (
    attachment_document,
    doc_lines,
    find_dates,
    is_form_page,
    page_words,
    parse_date,
    put,
)
from extractors.attachments.geometry import LabelIndex, Line, Value, compact, drop_watermarks, extracted, page_lines
from models.document import Document, Page
from models.fields import Extracted, FieldMap
from models.records import DocKind, ExtractedDocument

LABELS: dict[str, list[str]] = {
    "name": ["企业名称", "名称"],
    "number": ["证书编号", "编号"],
    "issued": ["发证时间", "发证日期"],
    "valid": ["有效期"],
}
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
}  # fmt: skip
_NUMBER = re.compile(r"G([RKF]?)([0-9OoIlLSsBZDQ]{11,12})(?![0-9])")
_DIGIT = str.maketrans("OoIlLSsBZDQ", "00111558200")


def certificate_number(text: str) -> str | None:
    """GR (GF on pre-2016 re-examinations) + 4-digit year + 2-digit province + a 5- or
    6-digit serial (both are printed), undoing OCR confusions (GK/G for GR, O→0, I/l→1,
    S→5, B→8, Z→2) and checking the year and the province code."""
    flat = unicodedata.normalize("NFKC", compact(text)).upper()
    flat = re.sub(r"^[C6](?=[RK][0-9])", "G", flat)
    flat = re.sub(r"(?<=[^A-Z])[C6](?=[RK][0-9])", "G", flat)
    for match in _NUMBER.finditer(flat):
        body = match.group(2)
        if len(body) == 12 and not body[-1].isdigit():
            body = body[:11]  # a letter read after a 5-digit serial
        digits = body.translate(_DIGIT)
        year, province = int(digits[:4]), digits[4:6]
        if 2008 <= year <= 2040 and province in PROVINCES:
            return ("GF" if match.group(1) == "F" else "GR") + digits
    return None


def plus_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class HighTechCertificateExtractor:
    """高新技术企业证书; valid_until is issued + 3 years when no end date is printed."""

    kind: DocKind = "high_tech_certificate"

    def score(self, page: Page, document: Document) -> float:
        lines = drop_watermarks(page_lines(document, page))
        words = page_words(page)
        if not lines:
            return 0.0
        title = any(compact(ln.text).startswith("高新技术企业证书") for ln in lines)
        score = 0.55 if title else (0.15 if "高新技术企业" in words else 0.0)
        score += 0.1 * len(LabelIndex(lines, LABELS).hits)
        if any(certificate_number(ln.text) for ln in lines):
            score += 0.15
        if not title:
            score = min(score, 0.5)
        return round(min(score, 1.0) * (1.0 - 0.8 * is_form_page(words)), 3)

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        fields: FieldMap = {}
        for _page, all_lines in doc_lines(document, pages):
            lines = drop_watermarks(all_lines)
            index = LabelIndex(lines, LABELS)
            name = index.value("name", multiline=True, max_rows=1)
            if name:
                put(fields, "name", name.extracted(name.text))
            put(fields, "number", _number(index, lines))
            issued = index.value("issued")
            issued_item: Extracted | None = None
            if issued and issued.text:
                issued_item = issued.extracted(parse_date(issued.text))
                if issued_item.value is None:
                    issued_item = issued_item.model_copy(update={"error": "not_date"})
                put(fields, "issued", issued_item)
            valid = index.value("valid")
            put(fields, "valid_until", _valid_until(valid, issued_item))
            if fields:
                break
        return attachment_document(self.kind, document, pages, fields, "高新技术企业证书")


def _number(index: LabelIndex, lines: list[Line]) -> Extracted | None:
    value = index.value("number")
    if value and value.text:
        number = certificate_number(value.text)
        item = value.extracted(number)
        return item if number else item.model_copy(update={"error": "not_certificate_number"})
    for ln in lines:
        number = certificate_number(ln.text)
        if number:
            return extracted(number, compact(ln.text), [ln])
    return None


def _valid_until(value: Value | None, issued: Extracted | None) -> Extracted | None:
    """The end of validity: the last date printed after 有效期, else the issue date plus the
    years printed there (三年 when none). A derived date is no surer than the issue date it
    comes from, so it carries the lower confidence of the two reads."""
    text = value.text if value else ""
    dates = find_dates(compact(text))
    if dates and value is not None:
        return value.extracted(dates[-1][1], raw=text)
    if issued is None or not isinstance(issued.value, dt.date):
        return None
    years = 3
    match = re.search(r"([一二三四五六七八九十]|\d+)年", compact(text))
    if match:
        years = "一二三四五六七八九十".find(match.group(1)) + 1 or int(match.group(1))
    until = plus_years(issued.value, years)
    if value is None:
        return issued.model_copy(update={"value": until, "raw": "", "method": "inferred", "error": None})
    item = value.extracted(until, raw=text)
    return item.model_copy(update={"confidence": min(item.confidence, issued.confidence)})
