"""The free-text attachments: evaluation certificates, contracts, acceptance opinions, premises
proofs, service evidence, customer evaluations and policy documents.

Each kind is a ``KindSpec`` (title pattern, strong and weak words, labels naming parties and
dates) read by one ``KeywordExtractor``. Words alone never make a page a document: they occur
in any body text ("签订了合同", "详见附件营业执照", a policy cited by its 文号). A page starts a
document of its kind only with structural evidence: its title in title position, or its
parties' labels in label position (甲方：… / 乙方：… at the start of their lines); a policy
document also needs the marks of an official document (红头 ``…文件``, a 文号 on its own line,
a government title, the 主送 line, a government signature: two of them). Without it a page
scores at most ``UNTITLED_CAP``, under the classifier's threshold for a new document, so it
can only continue the document before it. Fields: ``parties`` (labelled 甲方/乙方…
first, else organisation names found by ``extractors.nlp``), ``date``, ``start``/``end``
(a "自…起至…止" period; a lease's from its 租赁期限 line), the parties by role with their
credit codes (``party.<role>``, ``uscc.<role>``: ``extractors.attachments.parties``) and, for
policy documents, ``number`` (文号).
"""

from __future__ import annotations

import re

from extractors import nlp
from extractors.attachments.common import (
    doc_lines,
    find_dates,
    find_range,
    is_form_page,
    page_words,
    put,
)
from extractors.attachments.freetext import official_marks, prose, reading_text, titles
from extractors.attachments.geometry import (
    LabelIndex,
    Line,
    compact,
    extracted,
    page_lines,
)
from extractors.attachments.kinds import DOC_NUMBER, SPECS, KindSpec
from extractors.attachments.parties import read_roles, read_term
from models.document import Document, Page
from models.fields import Evidence, Extracted, FieldMap
from models.records import DocKind, ExtractedDocument

__all__ = [
    "LABELLED_CAP",
    "UNTITLED_CAP",
    "KeywordExtractor",
    "keyword_extractors",
]

# A page without its kind's structure scores at most this: below the classifier's
# NEW_DOCUMENT (0.5), so words alone can continue a document but never start one.
UNTITLED_CAP = 0.45
# With its parties' labels in label position (甲方：… and 乙方：…) but no readable title.
LABELLED_CAP = 0.6
_ROLE = re.compile(r"^[(（][^)）]{1,8}[)）]")


class KeywordExtractor:
    """One free-text attachment kind, recognised by its title and words."""

    def __init__(self, spec: KindSpec) -> None:
        self.spec = spec
        self.kind: DocKind = spec.kind

    def title_of(self, lines: list[Line], page: Page) -> Line | None:
        for ln in titles(lines, page):
            if self.spec.title.search(ln.flat) and not any(w in ln.flat for w in self.spec.exclude):
                return ln
        return None

    def score(self, page: Page, document: Document) -> float:
        """Title in title position, then the kind's words; capped by the page's structure
        (see the module docstring) and lowered on pages of the application itself."""
        lines = page_lines(document, page)
        if not lines:
            return 0.0
        words = page_words(page)
        spec = self.spec
        title = self.title_of(lines, page)
        score = spec.title_weight if title else 0.0
        score += min(0.4, 0.2 * sum(1 for w in spec.strong if w in words))
        score += min(0.25, 0.06 * sum(1 for w in spec.weak if w in words))
        if spec.kind == "policy_document":
            marks = official_marks(lines, page)
            if "number" in marks:
                score += 0.25
            if len(marks) < 2:  # a letter citing a policy and its 文号 is not one
                score = min(score, UNTITLED_CAP)
            elif title is None and "title" not in marks:
                score = min(score, LABELLED_CAP)
        elif title is None:
            score = min(score, LABELLED_CAP if self.labelled_parties(lines) >= 2 else UNTITLED_CAP)
        if "营业执照" in words and "统一社会信用代码" in words:
            score *= 0.4
        return round(min(score, 1.0) * (1.0 - 0.8 * is_form_page(page)), 3)

    def labelled_parties(self, lines: list[Line]) -> int:
        """How many of the kind's party labels start a line and name someone (甲方（委托方）：
        某某有限公司): a contract's structure, which running text ("甲方为…") does not have."""
        index = LabelIndex(lines, {label: [label] for label in self.spec.parties})
        found = 0
        for label in self.spec.parties:
            value = index.value(label)
            if value is not None and _party_name(value.text):
                found += 1
        return found

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        read = doc_lines(document, pages)
        lines = [ln for _, page_lines_ in read for ln in page_lines_]
        fields: FieldMap = {}
        title = None
        if read:
            first_title = self.title_of(read[0][1], read[0][0])
            title = first_title.flat if first_title else None
        put(fields, "parties", self._parties(read))
        put(fields, "date", self._date(read))
        text = "\n".join(reading_text(page_lines_) for _, page_lines_ in read)
        period = find_range(text)
        term = read_term(read) if self.kind == "premises_proof" else None
        if term is not None:
            put(fields, "start", term[0])
            put(fields, "end", term[1])
        elif period:
            where = [ln for ln in lines if period[0][:6] in ln.flat][:1]
            put(fields, "start", extracted(period[1], period[0], where))
            put(fields, "end", extracted(period[2], period[0], where))
        for key, item in read_roles(self.kind, read, _party_name).items():
            put(fields, key, item)
        if self.kind == "policy_document":
            numbered = [(ln, DOC_NUMBER.search(ln.flat)) for ln in lines]
            numbered = [(ln, m) for ln, m in numbered if m]
            if numbered:
                ln, match = min(numbered, key=lambda p: (p[1].start() > 0, p[0].bbox.y0))
                put(fields, "number", extracted(match.group(0), ln.flat, [ln]))
        method = next((e.method for e in fields.values() if e.method), None)
        seals = [s for p in document.pages if p.number in pages for s in p.seals]
        return ExtractedDocument(
            kind=self.kind,
            file=document.file,
            pages=pages,
            fields=fields,
            title=title,
            seals=seals,
            method=method,
            low_text=not lines,
        )

    def _parties(self, read: list[tuple[Page, list[Line]]]) -> Extracted | None:
        """Labelled parties (甲方/乙方, 评价单位 …) first; then, when there are none or the
        kind names a party in its letter, organisations in the running text."""
        names: list[str] = []
        used: list[Line] = []
        for _page, lines in read:
            index = LabelIndex(lines, {label: [label] for label in self.spec.parties})
            for label in self.spec.parties:
                value = index.value(label)
                name = _party_name(value.text) if value else None
                if value and name and name not in names:
                    names.append(name)
                    used += [*(value.label.lines if value.label else []), *value.lines]
        if not names or self.spec.prose_parties:
            limit = len(names) + 1 if names else 4
            for _page, lines in read:
                for name in nlp.organisations(prose(lines, issuer_first=self.kind == "policy_document")):
                    if len(names) < limit and not any(name in other or other in name for other in names):
                        names.append(name)
                        used += [ln for ln in lines if name[-6:] in ln.flat][:1]
        if not names:
            return None
        evidence = [Evidence(file=ln.file, page=ln.page, bbox=ln.bbox, text=ln.text) for ln in used]
        confidence = min((ln.confidence for ln in used), default=0.8)
        method = used[0].method if used else "nlp"
        return Extracted(value=names, raw="；".join(names), confidence=confidence, evidence=evidence, method=method)

    def _date(self, read: list[tuple[Page, list[Line]]]) -> Extracted | None:
        for _page, lines in read:
            index = LabelIndex(lines, {label: [label] for label in self.spec.dates})
            for label in self.spec.dates:
                value = index.value(label)
                found = find_dates(compact(value.text)) if value else []
                if value and found:
                    return value.extracted(found[0][1], raw=found[0][0])
        # Unlabelled: the lowest date on the last page that has one (signature, 成文日期).
        for _page, lines in reversed(read):
            dated = [(ln, find_dates(ln.flat)) for ln in lines if not find_range(ln.flat) and "至" not in ln.flat]
            dated = [(ln, f) for ln, f in dated if f]
            if dated:
                ln, found = max(dated, key=lambda p: (p[0].bbox.y1, p[0].bbox.x0))
                return extracted(found[-1][1], found[-1][0], [ln])
        return None


def _party_name(text: str) -> str | None:
    """An organisation (or person) from a party label's value: role and 盖章 notes dropped."""
    flat = compact(text).lstrip(":：")
    while _ROLE.match(flat):
        flat = _ROLE.sub("", flat, count=1).lstrip(":：")
    flat = re.sub(r"[(（](盖章|签章|公章|签字|章)[)）]", "", flat).strip(":：")
    match = nlp.ORG_RE.search(flat)
    if match:
        return nlp.trim_org(match.group(0)) or match.group(0)
    if 2 <= len(flat) <= 30 and re.fullmatch(r"[\u4e00-\u9fff()（）·]+", flat):
        return flat
    return None


def keyword_extractors() -> dict[str, KeywordExtractor]:
    return {name: KeywordExtractor(spec) for name, spec in SPECS.items()}
