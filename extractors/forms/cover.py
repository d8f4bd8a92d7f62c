"""The book's cover (kind "cover"): 申报单位, 申报类型 (the checked box), 推荐单位.

Printed as ``申报单位 _____`` / ``申报类型 □示范企业 □示范项目 □示范平台 □示范城市`` /
``推荐单位 _____``: the value follows the label on its line or, when the line is only the
label and underscores, on the next non-empty line or cell. Only a checked box counts for
申报类型: an untouched template leaves ``declared_kind`` None.
"""

from __future__ import annotations

import re

from extractors.forms.fieldvalue import clean, make_field
from extractors.forms.labels import checked_options, squash
from extractors.forms.pagetext import method_of, page_items, pages_of
from models.document import Document, Page, Provenance
from models.fields import Extracted, FieldMap
from models.records import FORM_KIND_LABELS, DocKind, ExtractedDocument

KINDS = {label: kind for kind, label in FORM_KIND_LABELS.items()}
LABELS = {"申报单位": "applicant", "申报类型": "declared_kind", "推荐单位": "recommender"}
_NOT_COVER = re.compile(r"^申报单位[(（]|^推荐单位意见|^推荐单位[(（]")
_LABEL_AT = re.compile(r"^\s*(申\s*报\s*单\s*位|申\s*报\s*类\s*型|推\s*荐\s*单\s*位)\s*[:：]?")


def _lines(page: Page) -> list[tuple[str, Provenance]]:
    lines = [(b.text, b.prov) for b in page.blocks]
    for table in page.tables:
        lines.extend((c.text, c.prov) for c in sorted(table.cells, key=lambda c: (c.row, c.col)))
    return lines


def _label_of(text: str) -> str | None:
    flat = squash(text)
    if _NOT_COVER.match(flat) or len(flat) > 60:
        return None
    match = _LABEL_AT.match(text)
    return LABELS[squash(match.group(1))] if match else None


class CoverExtractor:
    kind: DocKind = "cover"

    def score(self, page: Page, document: Document) -> float:
        _, items = page_items(page)
        found = {key for item in items if (key := _label_of(item))}
        titled = any(item.endswith("申报书") and len(item) <= 40 for item in items)
        if not found:
            return 0.0
        return min(0.95, 0.25 * len(found) + 0.2 * titled)

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        chosen = pages_of(document, pages)
        fields: FieldMap = {}
        title = None
        for page in chosen:
            lines = _lines(page)
            for text, _ in lines:
                if title is None and squash(text).endswith("申报书") and len(squash(text)) <= 40:
                    title = text
            for i, (text, prov) in enumerate(lines):
                key = _label_of(text)
                if key is None or key in fields:
                    continue
                if key == "declared_kind":
                    fields[key] = _declared_kind(lines, i)
                    continue
                rest = clean(_LABEL_AT.sub("", text, count=1))
                sources = [(prov, text)]
                if not rest:
                    nxt = _next_value(lines, i)
                    if nxt is not None:
                        rest, sources = clean(nxt[0]), [(nxt[1], nxt[0])]
                fields[key] = make_field(rest, sources)
        return ExtractedDocument(
            kind="cover",
            file=document.file,
            pages=[p.number for p in chosen],
            fields=fields,
            title=title,
            method=method_of(document, chosen),
            low_text=not fields,
        )


def _next_value(lines: list[tuple[str, Provenance]], i: int) -> tuple[str, Provenance] | None:
    """The next line that is neither blank/underscores nor another label."""
    for text, prov in lines[i + 1 : i + 4]:
        if _label_of(text):
            return None
        if clean(text):
            return text, prov
    return None


def _declared_kind(lines: list[tuple[str, Provenance]], i: int) -> Extracted[str]:
    """The options may run over two lines (``示范企业 示范项目`` / ``示范平台 示范城市``)."""
    parts = [lines[i]]
    for text, prov in lines[i + 1 : i + 4]:
        if _label_of(text) or not any(k in squash(text) for k in KINDS):
            break
        parts.append((text, prov))
    text = " ".join(t for t, _ in parts)
    chosen = checked_options(_LABEL_AT.sub("", text, count=1), KINDS)
    field = make_field(text, [(p, t) for t, p in parts])
    value = chosen[0] if len(chosen) == 1 else None
    error = "ambiguous_choice" if len(chosen) > 1 else ("no_choice" if not chosen else None)
    return field.model_copy(update={"value": value, "error": error})


cover = CoverExtractor()
