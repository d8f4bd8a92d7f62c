"""事业单位法人证书 (and the 社会团体 / 民办非企业 certificates laid out the same way)."""

from __future__ import annotations

import re

from extractors.attachments.certfields import authority_field, uscc_field
from extractors.attachments.common import attachment_document, doc_lines, find_dates, is_form_page, page_words, put
from extractors.attachments.common import find_range as date_range
from extractors.attachments.geometry import LabelIndex, Line, compact, drop_watermarks, page_lines
from models.document import Document, Page
from models.fields import FieldMap
from models.records import DocKind, ExtractedDocument

LABELS: dict[str, list[str]] = {
    "uscc": ["统一社会信用代码", "社会信用代码"],
    "name": ["名称", "单位名称"],
    "purpose": ["宗旨和业务范围", "业务范围"],
    "address": ["住所"],
    "legal_rep": ["法定代表人"],
    "funding": ["经费来源"],
    "capital": ["开办资金"],
    "sponsor": ["举办单位", "业务主管单位"],
    "valid": ["有效期"],
    "authority": ["登记管理机关", "登记机关"],
}
TITLE = re.compile(r"(事业单位|社会团体|民办非企业单位)?法人(登记)?证书(\(?副本\)?)?|民办非企业单位登记证书")
AUTHORITY_SUFFIXES = (
    "事业单位登记管理局",
    "登记管理局",
    "机构编制委员会办公室",
    "编制委员会办公室",
    "民政厅",
    "民政局",
)
"""How the names of the offices that register public institutions and associations end."""
AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,20}?(" + "|".join(AUTHORITY_SUFFIXES) + ")")


def _title(lines: list[Line]) -> Line | None:
    for ln in sorted(lines, key=lambda x: -x.bbox.height):
        if TITLE.fullmatch(compact(ln.text)):
            return ln
    return None


class LegalPersonCertificateExtractor:
    """事业单位法人证书: name, code, 法定代表人, 住所, 有效期 (established → valid_until)."""

    kind: DocKind = "legal_person_certificate"

    def score(self, page: Page, document: Document) -> float:
        lines = drop_watermarks(page_lines(document, page))
        if not lines:
            return 0.0
        words = page_words(page)
        title = _title(lines)
        score = 0.45 if title else (0.1 if "法人证书" in words else 0.0)
        score += min(0.45, 0.07 * len(LabelIndex(lines, LABELS).hits))
        if not title:
            score = min(score, 0.45)
        if "营业执照" in words:
            score *= 0.5
        return round(score * (1.0 - 0.8 * is_form_page(words)), 3)

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        fields: FieldMap = {}
        for page, all_lines in doc_lines(document, pages):
            lines = drop_watermarks(all_lines)
            index = LabelIndex(lines, LABELS)
            if len(index.hits) < 2:
                continue
            for key, multi in (("name", 2), ("legal_rep", 0), ("address", 2), ("funding", 0)):
                value = index.value(key, multiline=multi > 0, max_rows=multi)
                if value and key not in fields:
                    put(fields, key, value.extracted(value.text))
            put(fields, "uscc", uscc_field(index, lines))
            valid = index.value("valid", multiline=True, max_rows=1)
            if valid and valid.text:
                found = date_range(valid.text)
                if found:
                    put(fields, "established", valid.extracted(found[1], raw=found[0]))
                    put(fields, "valid_until", valid.extracted(found[2], raw=found[0]))
                else:
                    dates = find_dates(compact(valid.text))
                    if dates:
                        put(fields, "valid_until", valid.extracted(dates[-1][1], dates[-1][0]))
            hit = index.hits.get("authority")
            value = index.value("authority") if hit else None
            put(fields, "authority", authority_field(hit, value, lines, page, AUTHORITY, AUTHORITY_SUFFIXES))
            break
        return attachment_document(self.kind, document, pages, fields, "事业单位法人证书")
