"""Shared pieces of the attachment extractors: safe value parsing, dates found in free text,
and the keyword evidence a page gives for a kind."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from extractors.attachments.geometry import Line, compact
from models import values
from models.document import Block, Document, Page
from models.errors import ValueParseError
from models.fields import Extracted, FieldMap
from models.records import DocKind, ExtractedDocument

T = TypeVar("T")

_NUM = r"[0-9〇○零Oo一二三四五六七八九十]"
DATE_RE = re.compile(
    rf"{_NUM}{{2,4}}\s*年\s*{_NUM}{{1,3}}\s*月(?:\s*{_NUM}{{1,3}}\s*[日号])?"
    r"|(?<!\d)(?:19|20)\d{2}([-./])\d{1,2}\1\d{1,2}(?!\d)"
)

# Words that mark a page of the application itself (forms, body, lists of attachments).
# The applicant's seal line (申报单位（盖章）) is not one: its own letters (服务证明材料) are
# signed that way too.
FORM_WORDS = (
    "申报表",
    "申报书",
    "填表说明",
    "推荐单位",
    "参考附件",
    "附件清单",
    "附件目录",
    "目录",
    "承诺书",
    "汇总表",
    "参考提纲",
    "主营业务收入",
    "资产总额",
)


def safe(parse: Callable[[str], T], raw: str) -> tuple[T | None, str | None]:
    """``parse(raw)`` and an error name instead of an exception."""
    try:
        return parse(raw), None
    except (ValueParseError, ValueError, ArithmeticError):
        return None, "unparseable"


def clean_date_text(text: str) -> str:
    """OCR'd date text made parseable: spaces dropped, O/o read as 〇 or 0."""
    flat = compact(text)
    if re.search(r"\d", flat):
        return flat.replace("O", "0").replace("o", "0")
    return flat.replace("O", "〇").replace("o", "〇").replace("○", "〇")


def parse_date(raw: str) -> dt.date | None:
    value, _ = safe(values.parse_date, clean_date_text(raw))
    return value


def find_dates(text: str) -> list[tuple[str, dt.date]]:
    """Every date written in ``text`` with the text it was written as, in order."""
    out = []
    for match in DATE_RE.finditer(text):
        date = parse_date(match.group(0))
        if date:
            out.append((match.group(0), date))
    return out


def find_range(text: str) -> tuple[str, dt.date, dt.date] | None:
    """The first "A至B" date range in ``text`` (contract period, lease term, 有效期)."""
    flat = compact(text)
    rx = re.compile(
        rf"(?P<a>{_NUM}{{2,4}}年{_NUM}{{1,3}}月(?:{_NUM}{{1,3}}[日号])?|(?:19|20)\d{{2}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
        rf"(?:起)?(?:至|到|—+|-+|~|～|－)"
        rf"(?P<b>{_NUM}{{2,4}}年{_NUM}{{1,3}}月(?:{_NUM}{{1,3}}[日号])?|(?:19|20)\d{{2}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
    )
    for match in rx.finditer(flat):
        a, b = parse_date(match.group("a")), parse_date(match.group("b"))
        if a and b and a <= b:
            return match.group(0), a, b
    return None


def amount(raw: str) -> tuple[float | None, str | None]:
    """Registered capital as printed ("伍佰万圆整", "人民币500万元", "500万元人民币") in 万元."""
    text = compact(raw).replace("圆", "元").replace("（", "(").replace("）", ")")
    text = re.sub(r"\((?:人民币|元)\)", "", text)
    text = re.sub(r"^注册资本[:：]?", "", text)
    return safe(values.parse_amount, text)


_PAGES_KEPT = 8
_per_page: dict[int, tuple[Page, dict[str, str]]] = {}
_per_page_lock = threading.Lock()


def _memo(page: Page, name: str, make: Callable[[Page], str]) -> str:
    """``make(page)`` worked out once per page (every attachment kind asks for the page's
    words): keyed by the page's id, the page held so the id stays its (models are frozen)."""
    with _per_page_lock:
        hit = _per_page.get(id(page))
        if hit is None or hit[0] is not page:
            if len(_per_page) >= _PAGES_KEPT:
                _per_page.pop(next(iter(_per_page)), None)
            hit = _per_page[id(page)] = (page, {})
    known = hit[1]
    if name not in known:
        known[name] = make(page)
    return known[name]


def page_words(page: Page) -> str:
    """All text of the page (blocks and cells) without whitespace, for keyword tests."""
    return _memo(page, "words", _page_words)


def _page_words(page: Page) -> str:
    parts = [b.text for b in page.blocks]
    for table in page.tables:
        parts += [c.text for c in table.cells]
    return compact("".join(parts))


# A book printed from one file repeats its running header and footer on every page,
# attachments included ("服务型制造示范企业申报书 … 第5页"): short lines this close to the top or
# bottom edge are left out when judging whether a page belongs to the application itself.
MARGIN = 0.07
MARGIN_LINE_CHARS = 30


def content_words(page: Page) -> str:
    """``page_words`` without the running header and footer (short lines in the top and
    bottom ``MARGIN`` of a page with known size; Word pseudo-pages have none)."""
    return _memo(page, "content", _content_words)


def _content_words(page: Page) -> str:
    if page.height <= 0 or page.unit == "none":
        return page_words(page)
    top, bottom = MARGIN * page.height, (1 - MARGIN) * page.height

    def in_margin(block: Block) -> bool:
        box = block.prov.bbox
        if box is None or len(compact(block.text)) > MARGIN_LINE_CHARS:
            return False
        return box.y1 <= top or box.y0 >= bottom

    parts = [b.text for b in page.blocks if not in_margin(b)]
    for table in page.tables:
        parts += [c.text for c in table.cells]
    return compact("".join(parts))


def is_form_page(words: str | Page) -> float:
    """How much the page reads like the application itself (0..1). Given the page rather
    than its words, its running header and footer do not count (see ``content_words``)."""
    text = content_words(words) if isinstance(words, Page) else words
    hits = sum(1 for w in FORM_WORDS if w in text)
    return min(1.0, hits / 2)


def doc_lines(document: Document, pages: list[int]) -> list[tuple[Page, list[Line]]]:
    from extractors.attachments.geometry import page_lines

    out = []
    for page in document.pages:
        if page.number in pages:
            out.append((page, page_lines(document, page)))
    return out


def put(fields: dict[str, Extracted[Any]], key: str, item: Extracted[Any] | None) -> None:
    """Store ``item`` unless it is blank (blank fields stay absent)."""
    if item is not None and (item.raw.strip() or item.value is not None):
        fields[key] = item


def attachment_document(
    kind: DocKind, document: Document, pages: list[int], fields: FieldMap, title: str
) -> ExtractedDocument:
    """An attachment as extracted: its fields, the seals on its pages, and the method its
    fields were read by (the licence-copy seal rule needs to know a page was a scan)."""
    return ExtractedDocument(
        kind=kind,
        file=document.file,
        pages=pages,
        fields=fields,
        title=title,
        seals=[s for p in document.pages if p.number in pages for s in p.seals],
        method=next((e.method for e in fields.values() if e.method), None),
        low_text=not fields,
    )
