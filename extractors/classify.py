"""Classify a file's pages by content and cut it into documents (a bound book → its parts).

Every registered extractor scores every page. Pages then form runs:

- a page whose best score reaches ``NEW_DOCUMENT`` starts a document of that extractor,
  unless the document before it scores about as well on it (a form's second page, a
  contract's next page);
- a page that scores low everywhere (plain text, a blank back side) continues the
  document before it; with nothing before it, it starts an "other" document;
- a page after the body stays in the body unless an attachment kind reads it as a first
  page (``STRONG_FIRST_PAGE``: a title at the top, its own words; ``CLEAR_FIRST_PAGE``
  where the body finds no heading at all): 客户 or 验收 in running text does not cut the
  下一步设想 off the body, and a licence scan after the body is not swallowed by it;
- a Word file (one pseudo-page) can hold cover, form, commitment and body at once: every
  book part that scores well becomes its own document over page 1; attachments typed
  into it after an ``附件N`` marker are read segment by segment.

Seal slots are an overlay: wherever a page prints 申报单位（章） / 推荐单位意见 / 市人民政府,
a "commitment" document is added for it, even inside a form's pages, and never breaks a run;
not on a page an attachment reads strongly (a 服务证明材料 signed 申报单位（盖章）).
The file name only nudges scores that content alone already makes a document. Nothing recognisable →
one "other" document (``low_text`` when no page has any text).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from extractors.base import Extractor
from extractors.forms.pagetext import has_text, method_of
from models.document import Document, Page
from models.records import FORM_KINDS, ExtractedDocument

log = logging.getLogger(__name__)

NEW_DOCUMENT = 0.5
WORD_PART = 0.5
SAME_DOCUMENT_MARGIN = 0.1
STRONG_FIRST_PAGE = 0.8
CLEAR_FIRST_PAGE = NEW_DOCUMENT + SAME_DOCUMENT_MARGIN
FILENAME_NUDGE = 0.1
ORDER = ["cover", "application_form", "commitment", "application_body", "summary_table"]
NAME_HINTS: dict[str, tuple[str, ...]] = {
    "application_form": ("申报表",),
    "application_body": ("正文", "申报书"),
    "cover": ("封面",),
    "commitment": ("承诺", "推荐意见"),
    "summary_table": ("汇总表",),
    "business_license": ("营业执照", "执照"),
    "legal_person_certificate": ("法人证书",),
    "high_tech_certificate": ("高新",),
    "tech_evaluation_certificate": ("评价证书", "鉴定证书", "鉴定"),
    "project_contract": ("合同",),
    "acceptance_opinion": ("验收", "专家意见", "专家评价", "鉴定意见"),
    "premises_proof": ("房产", "不动产", "租赁"),
    "service_evidence": ("服务证明", "证明材料", "服务情况", "服务协议", "服务合同", "培训", "活动照片", "工作总结"),
    "customer_evaluation": ("客户评价", "用户评价", "用户意见", "使用意见", "评价意见"),
    "policy_document": ("政策",),
}


@dataclass
class _Run:
    name: str  # extractor name, "" for other
    pages: list[int] = field(default_factory=list)
    score: float = 0.0
    first_score: float = 0.0


def _extractors() -> dict[str, Extractor]:
    try:
        from extractors.registry import load_extractors

        return load_extractors()
    except ImportError:  # attachments not built yet: the book parts alone
        from extractors.forms import FORM_EXTRACTORS

        return dict(FORM_EXTRACTORS)


def _nudged(extractor: Extractor, name: str, document: Document, score: float) -> float:
    """The score raised by ``FILENAME_NUDGE`` when the file name names the kind, only where
    content alone already makes the page a document (``NEW_DOCUMENT``): a name breaks ties
    between kinds the content supports, it never makes a document ("合同.pdf" holding a
    letter stays a letter)."""
    hints = NAME_HINTS.get(extractor.kind, ())
    filename = re.split(r"[/\\]", document.meta.get("filename") or document.file)[-1]
    if score >= NEW_DOCUMENT and any(h in filename for h in hints):
        return min(1.0, score + FILENAME_NUDGE)
    return score


def page_scores(page: Page, document: Document, extractors: dict[str, Extractor]) -> dict[str, float]:
    """Extractor name → score for one page; an extractor that fails scores 0."""
    out: dict[str, float] = {}
    for name, extractor in extractors.items():
        try:
            score = float(extractor.score(page, document))
        except Exception:  # an extractor's bug must not stop the file
            log.exception("extractor %s failed to score %s p%s", name, document.file, page.number)
            score = 0.0
        out[name] = _nudged(extractor, name, document, max(0.0, min(1.0, score)))
    return out


def _primary(scores: dict[str, float], extractors: dict[str, Extractor]) -> tuple[str, float]:
    ranked = [(s, n) for n, s in scores.items() if extractors[n].kind != "commitment"]
    if not ranked:
        return "", 0.0
    score, name = max(ranked)
    return name, score


def _runs(document: Document, scores: list[dict[str, float]], extractors: dict[str, Extractor]) -> list[_Run]:
    runs: list[_Run] = []
    for page, page_score in zip(document.pages, scores, strict=True):
        name, best = _primary(page_score, extractors)
        last = runs[-1] if runs else None
        if last is not None and (not has_text(page) or best < NEW_DOCUMENT):
            last.pages.append(page.number)
            continue
        if last is not None and last.name:
            same = page_score.get(last.name, 0.0)
            if _continues_body(extractors[last.name].kind, extractors[name].kind, best, same):
                last.pages.append(page.number)
                last.score = max(last.score, same)
                continue
            repeated = name == last.name and best >= STRONG_FIRST_PAGE and last.first_score >= STRONG_FIRST_PAGE
            attachment = extractors[last.name].kind not in FORM_KINDS
            if same >= best - SAME_DOCUMENT_MARGIN and not (repeated and attachment):
                last.pages.append(page.number)
                last.score = max(last.score, same)
                continue
        if best < NEW_DOCUMENT:
            runs.append(_Run("", [page.number], best, best))
        else:
            runs.append(_Run(name, [page.number], best, best))
    return runs


def _continues_body(last_kind: str, kind: str, best: float, same: float) -> bool:
    """A page after the body stays in the body unless an attachment claims it as a first
    page, clearly above the body's own outline evidence (its headings): scoring
    ``STRONG_FIRST_PAGE`` (a title and its own words), or ``CLEAR_FIRST_PAGE`` on a page
    where the body reads nothing at all (a licence photocopy whose labels OCR half lost).
    Words such as 客户 in running text are not enough."""
    if last_kind != "application_body" or kind in FORM_KINDS:
        return False
    if same >= best - SAME_DOCUMENT_MARGIN:
        return True
    return best < (CLEAR_FIRST_PAGE if same <= 0.0 else STRONG_FIRST_PAGE)


def _word_parts(scores: dict[str, float], extractors: dict[str, Extractor]) -> list[tuple[str, float]]:
    """Parts of a one-page Word file: every book part above ``WORD_PART`` (one form only);
    an attachment kind only when it beats every book part."""
    book = [(n, s) for n, s in scores.items() if s >= WORD_PART and extractors[n].kind in FORM_KINDS]
    forms = [(n, s) for n, s in book if extractors[n].kind == "application_form"]
    book = [(n, s) for n, s in book if extractors[n].kind != "application_form"]
    if forms:
        book.append(max(forms, key=lambda item: item[1]))
    others = [(n, s) for n, s in scores.items() if extractors[n].kind not in FORM_KINDS]
    best_other = max(others, key=lambda item: item[1], default=("", 0.0))
    if best_other[1] >= WORD_PART and best_other[1] > max((s for _, s in book), default=0.0):
        return [best_other]
    return book


_ATTACHMENT_MARK = re.compile(r"^附件[0-9０-９一二三四五六七八九十]{0,3}(?:[:：、.．\-—]|$)")


def _word_attachments(document: Document, extractors: dict[str, Extractor]) -> list[ExtractedDocument]:
    """Attachments typed into a Word book after its parts (a customer's evaluation letter,
    a contract): each starts at an ``附件N`` marker paragraph ("附件4：客户评价意见", or
    "附件4" above its title) and runs to the next marker. A segment becomes a document only
    when an attachment kind reads it as a titled first page (``STRONG_FIRST_PAGE``): a list
    of attachments or a body paragraph that starts with 附件 does not."""
    page = document.pages[0]
    blocks = [b for b in page.blocks if b.text.strip()]
    starts = [
        i
        for i, b in enumerate(blocks)
        if len(b.text.replace(" ", "")) <= 40 and _ATTACHMENT_MARK.match(b.text.replace(" ", ""))
    ]
    kinds = {n: e for n, e in extractors.items() if e.kind not in FORM_KINDS}
    out: list[ExtractedDocument] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
        marker = blocks[start]
        rest = _ATTACHMENT_MARK.sub("", marker.text.replace(" ", "")).strip()
        segment = ([marker.model_copy(update={"text": rest, "orig": rest})] if rest else []) + blocks[start + 1 : end]
        if len(segment) < 2:
            continue
        sub_page = page.model_copy(update={"blocks": segment, "tables": [], "seals": []})
        sub = document.model_copy(update={"pages": [sub_page]})
        scores = page_scores(sub.pages[0], sub, kinds)
        name, best = max(((n, sc) for n, sc in scores.items()), key=lambda item: item[1], default=("", 0.0))
        if name and best >= STRONG_FIRST_PAGE:
            out.append(_extract(kinds[name], name, sub, [1], best))
    return out


def _extract(extractor: Extractor, name: str, document: Document, pages: list[int], score: float) -> ExtractedDocument:
    try:
        doc = extractor.extract(document, pages)
    except Exception:
        log.exception("extractor %s failed on %s pages %s", name, document.file, pages)
        doc = ExtractedDocument(kind=extractor.kind, file=document.file, pages=pages, method="error")
    pages = doc.pages or pages
    # every document keeps the 骑缝章 slices of its pages (the seam check counts them per page)
    slices = [s for p in document.pages if p.number in pages for s in p.seals if s.edge and s not in doc.seals]
    return doc.model_copy(update={"confidence": round(score, 3), "pages": pages, "seals": [*doc.seals, *slices]})


def _other(document: Document, pages: list[int]) -> ExtractedDocument:
    chosen = [p for p in document.pages if p.number in set(pages)]
    return ExtractedDocument(
        kind="other",
        file=document.file,
        pages=pages,
        confidence=0.0,
        method=method_of(document, chosen),
        low_text=not any(has_text(p) for p in chosen),
        seals=[s for p in chosen for s in p.seals if s.edge],  # its pages' 骑缝章 slices
    )


def extract_documents(document: Document) -> list[ExtractedDocument]:
    """The documents found in one file, each with its kind, pages and fields."""
    if not document.pages:
        return [_other(document, [])]
    extractors = _extractors()
    scores = [page_scores(page, document, extractors) for page in document.pages]
    out: list[ExtractedDocument] = []
    word = document.source_kind in ("docx", "doc") and len(document.pages) == 1
    if word:
        parts = _word_parts(scores[0], extractors)
        for name, score in parts:
            out.append(_extract(extractors[name], name, document, [1], score))
        out.sort(key=lambda d: ORDER.index(d.kind) if d.kind in ORDER else len(ORDER))
        if any(extractors[name].kind in FORM_KINDS for name, _ in parts):
            out += _word_attachments(document, extractors)
        return out or [_other(document, [1])]
    runs = _runs(document, scores, extractors)
    claimed = _attachment_pages(document, runs, scores, extractors)
    commitments = _commitment_runs(document, scores, extractors, claimed)
    covered = {p for _, run, _ in commitments for p in run}
    for run in runs:
        if not run.name:
            if not set(run.pages) <= covered:
                out.append(_other(document, run.pages))
            continue
        out.append(_extract(extractors[run.name], run.name, document, run.pages, run.score))
    for name, pages, score in commitments:
        out.append(_extract(extractors[name], name, document, pages, score))
    out.sort(key=lambda d: (d.pages[0] if d.pages else 0, ORDER.index(d.kind) if d.kind in ORDER else len(ORDER)))
    return out


def _attachment_pages(
    document: Document, runs: list[_Run], scores: list[dict[str, float]], extractors: dict[str, Extractor]
) -> set[int]:
    """Pages that an attachment kind reads strongly (a service certificate signed
    申报单位（盖章）): their seal line is the attachment's signature, not a commitment."""
    by_number = {page.number: score for page, score in zip(document.pages, scores, strict=True)}
    out: set[int] = set()
    for run in runs:
        if not run.name or extractors[run.name].kind in FORM_KINDS:
            continue
        out.update(p for p in run.pages if by_number[p].get(run.name, 0.0) >= STRONG_FIRST_PAGE)
    return out


def _commitment_runs(
    document: Document,
    scores: list[dict[str, float]],
    extractors: dict[str, Extractor],
    claimed: Collection[int] = (),
) -> list[tuple[str, list[int], float]]:
    """Consecutive pages with seal-slot labels, per commitment extractor; pages in
    ``claimed`` (strong attachment pages) are left out."""
    runs: list[tuple[str, list[int], float]] = []
    names = [n for n, e in extractors.items() if e.kind == "commitment"]
    for name in names:
        current: list[int] = []
        best = 0.0
        for page, page_score in zip(document.pages, scores, strict=True):
            if page_score.get(name, 0.0) >= NEW_DOCUMENT and page.number not in claimed:
                current.append(page.number)
                best = max(best, page_score[name])
            elif current:
                runs.append((name, current, best))
                current, best = [], 0.0
        if current:
            runs.append((name, current, best))
    return runs
