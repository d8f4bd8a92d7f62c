"""Page text in the shapes extractors compare against, computed once per page."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.forms.labels import squash, strip_numbering
from models.document import Document, Page

_PEI_YU = re.compile(r"[(（]培育[)）]")
_CACHE: dict[int, tuple[Page, str, list[str]]] = {}
_ANNEX = re.compile(r"^(?:附件|附表|表)\d*[:：.、]?")
_TRAILING_REMARK = re.compile(r"[(（][^()（）]*[)）]$")
_NOT_A_TITLE = re.compile(r"[:：，,。；;、“”\"]|^(?:详见|参见|请见|见|附|按|同|如)")


@lru_cache(maxsize=1 << 16)
def is_heading(text: str, word: str) -> bool:
    """True when ``text`` is a title that names ``word`` as what it is (``附件3 服务型制造
    示范培育遴选申报汇总表``, ``…企业申报书正文``), not a filled value that merely mentions it
    (``申报示范模式：详见汇总表``): short, ending in ``word``, with no sentence punctuation or
    reference words before it. Memoised, as ``titles``: every form kind asks it of every
    item of every page."""
    flat = _TRAILING_REMARK.sub("", _PEI_YU.sub("", squash(text)))
    flat = strip_numbering(_ANNEX.sub("", flat))
    if not flat.endswith(word) or len(flat) > 40:
        return False
    return not _NOT_A_TITLE.search(flat[: -len(word)])


@lru_cache(maxsize=1 << 16)
def titles(text: str, fragment: str) -> bool:
    """True when ``text`` is a short item that prints a title holding ``fragment``
    (``表1 服务型制造示范培育企业申报表``, also with a date after it on the same line), not
    a value that quotes it (``详见企业申报表``, ``…：同项目申报表``)."""
    flat = strip_numbering(_ANNEX.sub("", _PEI_YU.sub("", squash(text))))
    at = flat.find(fragment)
    return at >= 0 and len(flat) <= 40 and not _NOT_A_TITLE.search(flat[:at])


def _texts(page: Page) -> list[str]:
    texts = [b.text for b in page.blocks]
    for table in page.tables:
        texts.extend(cell.text for cell in sorted(table.cells, key=lambda c: (c.row, c.col)))
    return texts


def page_items(page: Page) -> tuple[str, list[str]]:
    """(flat, items): the page's text squashed into one string with （培育） removed, and
    each block or cell text squashed on its own, in reading order."""
    hit = _CACHE.get(id(page))
    if hit is not None and hit[0] is page:
        return hit[1], hit[2]
    items = [_PEI_YU.sub("", squash(t)) for t in _texts(page)]
    flat = "\n".join(items)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[id(page)] = (page, flat, items)
    return flat, items


def flat_text(page: Page) -> str:
    return page_items(page)[0]


def pages_of(document: Document, numbers: list[int]) -> list[Page]:
    """The pages of ``document`` with these 1-based numbers, in order."""
    wanted = set(numbers)
    return [p for p in document.pages if p.number in wanted]


def has_text(page: Page) -> bool:
    return bool(flat_text(page).strip())


def method_of(document: Document, pages: list[Page]) -> str:
    """How the pages were read: "ocr" when any was OCR'd, else the loader's method."""
    if any(p.ocr_engine for p in pages):
        return "ocr"
    for page in pages:
        for block in page.blocks:
            return block.prov.method
        for table in page.tables:
            return table.prov.method
    return {"docx": "docx", "doc": "docx", "xlsx": "xlsx"}.get(document.source_kind, "pdf-text")
