"""The 申报书正文 (kind "application_body"): its outline and, for Word, paragraph styles.

Headings come from ``Block.role == "heading"`` with its level when the loader knows it,
else from the numbering: ``一、`` level 1, ``（一）`` level 2, ``1.`` level 3 (short lines
only, so numbered body sentences do not count). In a Word file that holds the whole book
the outline starts after the ``…申报书正文`` title, so the 填报说明 list is not read as one.
"""

from __future__ import annotations

import re

from extractors.forms.labels import squash
from extractors.forms.pagetext import is_heading, method_of, page_items, pages_of
from models.document import Block, Document, Page
from models.fields import Evidence, Extracted, FieldMap
from models.forms import FormType
from models.records import DocKind, ExtractedDocument, Section, StyleSample

_LEVELS = (
    (1, re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")),
    (2, re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*")),
    (3, re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)\s*")),
)
_CUT = re.compile(r"[。：:；;，,]")
TEXT_CAP = 40_000  # characters of body text kept in the ``text`` field
TITLE_KINDS: dict[str, FormType] = {"企业": "enterprise", "项目": "project", "平台": "platform", "城市": "city"}
HEADING_KINDS: dict[str, FormType] = {
    "企业概况": "enterprise",
    "项目概述": "project",
    "平台概述": "platform",
    "工作举措": "city",
    "取得成效": "city",
}
OUTLINE_STEP = 0.1
OUTLINE_CAP = 0.35  # with the file-name nudge still under NEW_DOCUMENT
KNOWN = ("企业概况", "项目概述", "平台概述", "基本情况", "主要做法", "经验总结", "下一步设想", "工作举措", "取得成效")
_NUMERALS = "一二三四五六七八九十"
_KNOWN_HEADS = [(k, re.compile(rf"^[{_NUMERALS}]+、{k}")) for k in KNOWN]


def heading_of(block: Block) -> tuple[str, int] | None:
    """(title without numbering, level) when the block is an outline heading."""
    text = block.text.strip()
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        title = _CUT.split(rest, maxsplit=1)[0].strip()
        long_line = len(squash(text)) > (40 if level < 3 else 24)
        if not title or len(squash(title)) > 30:
            return None
        if block.role == "heading" or not long_line or level < 3:
            return title, block.level or level
        return None
    if block.role == "heading" and text:
        return text, block.level or 1
    return None


def outline_headings(page: Page) -> int:
    """How many level-1/2 outline headings (二、… / （三）…) the page prints as short lines."""
    count = 0
    for block in page.blocks:
        head = heading_of(block)
        if head is not None and head[1] <= 2 and len(squash(block.text)) <= 30:
            count += 1
    return count


def _body_title(blocks: list[Block]) -> int | None:
    for i, block in enumerate(blocks):
        flat = squash(block.text)
        if is_heading(flat, "申报书正文"):
            return i
    return None


def _paragraph(block: Block) -> int | None:
    match = re.search(r"paragraph (\d+)", block.prov.cell or "")
    return int(match.group(1)) if match else None


class BodyExtractor:
    kind: DocKind = "application_body"

    def score(self, page: Page, document: Document) -> float:
        """0.9 for the 正文 title; else the outline: known section titles (一、企业概况) weigh
        most, any 一、/（一） heading adds a little (a continuation page of the body), up
        to ``OUTLINE_CAP`` so headings alone never start a document."""
        _, items = page_items(page)
        if any(is_heading(item, "申报书正文") for item in items):
            return 0.9
        # only an item that starts with a numeral can be "二、主要做法"
        numbered = [item for item in items if item[:1] in _NUMERALS and item[:1]]
        heads = {k for item in numbered for k, pattern in _KNOWN_HEADS if pattern.match(item)}
        known = min(0.7, 0.2 * len(heads))
        return max(known, min(OUTLINE_CAP, OUTLINE_STEP * outline_headings(page)))

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        chosen = pages_of(document, pages)
        blocks = [b for page in chosen for b in page.blocks]
        start = _body_title(blocks)
        title = blocks[start].text if start is not None else None
        body = blocks[start + 1 :] if start is not None else blocks
        sections: list[Section] = []
        styles: list[StyleSample] = []
        word = document.source_kind in ("docx", "doc")
        for block in body:
            if not block.text.strip() or "参考提纲" in squash(block.text):
                continue
            head = heading_of(block)
            if head is not None:
                sections.append(Section(title=head[0], level=head[1], page=block.prov.page, cell=block.prov.cell))
            if word and block.style is not None:
                level = head[1] if head else None
                element = {1: "heading1", 2: "heading2"}.get(level or 0, "body")
                styles.append(
                    StyleSample(
                        element=element,  # type: ignore[arg-type]
                        font=block.style.font,
                        size_pt=block.style.size_pt,
                        line_spacing=block.style.line_spacing,
                        paragraph=_paragraph(block),
                        sample=block.text[:20],
                    )
                )
        text = "\n".join(b.text for b in body if b.text.strip())[:TEXT_CAP]
        first = next((b for b in body if b.text.strip()), None)
        fields: FieldMap = {}  # the body's text, for rules that look for content words (共享制造)
        if first is not None:
            evidence = [Evidence(file=document.file, page=first.prov.page, bbox=first.prov.bbox, text=text[:60])]
            fields["text"] = Extracted(value=text, raw=text[:60], evidence=evidence, method=first.prov.method)
        return ExtractedDocument(
            kind="application_body",
            file=document.file,
            pages=[p.number for p in chosen],
            fields=fields,
            form_type=_form_type(title, sections),
            title=title,
            sections=sections,
            styles=styles,
            method=method_of(document, chosen),
            low_text=not blocks,
        )


def _form_type(title: str | None, sections: list[Section]) -> FormType | None:
    if title:
        flat = squash(title)
        for word, kind in TITLE_KINDS.items():
            if f"{word}申报书" in flat or f"{word}(培育)申报书" in flat:
                return kind
    for section in sections:
        guessed = HEADING_KINDS.get(squash(section.title))
        if guessed:
            return guessed
    return None


body = BodyExtractor()
