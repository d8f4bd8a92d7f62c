"""The structure of a free-text attachment page, shared by all its kinds: the title-like
lines at the top of the page (letter-spaced or wrapped titles joined again), the marks of an
official document (红头, 文号, 主送, signature), and the running text in reading order.
Titles are worked out once per page's lines (``lines.facts``) for the seven kinds."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from extractors.attachments.kinds import DOC_NUMBER, SPECS
from extractors.attachments.lines import Line, facts, rows, union
from models.document import Page

# Government issuers as a signature ends: 人民政府, its 办公厅/办公室, a 委员会 or 管委会, a
# 厅, 局 or 委 (工信委, 市委); in a title anywhere (without 委: 委托 is no issuer).
_GOV = r"(?:人民政府|政府办公厅|政府办公室|办公厅|委员会|管委会|[厅局委])"
_GOV_IN_TITLE = re.compile(r"人民政府|政府|办公厅|委员会|管委会|[厅局]|印发")
_NOT_GOV = ("公司", "集团", "事务所", "银行", "中心", "学校", "医院")
_GOV_NAME = re.compile(rf"^[\u4e00-\u9fff（）()、]{{2,30}}{_GOV}$")
_RED_HEAD = re.compile(rf"^[\u4e00-\u9fff（）()、]{{2,40}}{_GOV}(?:文件|函|通知)$")
_SIGNER = re.compile(r"^签发人[:：]?[\u4e00-\u9fff]{0,4}$")
_ADDRESSEE = re.compile(r"^各[\u4e00-\u9fff（）()、，,]{2,80}[:：]$")
_SENTENCE = re.compile(r"[，,。；;！？!?]")
_OUTLINE = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
TITLE_ROWS = 4


def is_title_like(flat: str) -> bool:
    """A line that could be a document's title: no sentence punctuation (running text wraps
    mid-sentence) and no outline numbering (a body's "（一）…" heading is not a title)."""
    return 2 <= len(flat) <= 40 and not _SENTENCE.search(flat) and not _OUTLINE.match(flat)


def titles(lines: list[Line], page: Page) -> list[Line]:
    """Title-like lines among the first rows at the top of the page, tallest first: where a
    document's title is printed (a page that continues running text has none). A title
    printed letter-spaced (合　同　书) that OCR cut into boxes, or wrapped over two lines
    (…关于推动服务型制造发展的实施 / 意见), is read whole again. Found once per list of
    lines (every free-text kind asks); a new list each call."""
    return list(facts(lines).get("titles", lambda: _titles(lines)))


def _titles(lines: list[Line]) -> list[Line]:
    if not lines:
        return []
    top = min(ln.bbox.y0 for ln in lines)
    bottom = max(ln.bbox.y1 for ln in lines)
    limit = top + 0.35 * max(bottom - top, 1.0)
    top_rows = rows(lines)[:TITLE_ROWS]
    first = [ln for row in top_rows for ln in [*row, *_spaced_title(row)]]
    heads = [ln for ln in first if ln.bbox.y0 <= limit and is_title_like(ln.flat)]
    heads += [ln for ln in _wrapped_titles(top_rows) if ln.bbox.y0 <= limit]
    heads.sort(key=lambda ln: (-round(ln.bbox.height), ln.bbox.y0))
    return heads[:6]


def _wrapped_titles(top_rows: list[list[Line]]) -> list[Line]:
    """Two consecutive one-box rows, both title-like, of about one height and one line apart,
    joined: a long title wrapped onto a second line."""
    out: list[Line] = []
    for upper, lower in pairwise(top_rows):
        if len(upper) != 1 or len(lower) != 1:
            continue
        a, b = upper[0], lower[0]
        if not (is_title_like(a.flat) and is_title_like(b.flat)) or len(a.flat) + len(b.flat) > 80:
            continue
        height = max(a.bbox.height, b.bbox.height)
        if min(a.bbox.height, b.bbox.height) < 0.7 * height or b.bbox.y0 - a.bbox.y1 > 1.5 * height:
            continue
        box = union([a.bbox, b.bbox])
        out.append(replace(a, text=a.flat + b.flat, bbox=box, confidence=min(a.confidence, b.confidence)))
    return out


def _spaced_title(row: list[Line]) -> list[Line]:
    """A row of short boxes (one to four characters each) set apart by gaps narrower than a
    few character heights, joined into one line: a letter-spaced title; [] otherwise."""
    if len(row) < 2 or any(len(ln.flat) > 4 for ln in row):
        return []
    ordered = sorted(row, key=lambda ln: ln.bbox.x0)
    height = max(ln.bbox.height for ln in ordered)
    if any(b.bbox.x0 - a.bbox.x1 > 4 * height for a, b in pairwise(ordered)):
        return []
    box = union([ln.bbox for ln in ordered])
    text = "".join(ln.flat for ln in ordered)
    return [replace(ordered[0], text=text, bbox=box, confidence=min(ln.confidence for ln in ordered))]


def _is_gov(text: str, *, anywhere: bool = False) -> bool:
    """A government body named in ``text`` (at its end, or ``anywhere``: a title's issuer or
    印发), and no company, firm or bank."""
    if any(w in text for w in _NOT_GOV):
        return False
    if anywhere:
        return _GOV_IN_TITLE.search(text) is not None
    return _GOV_NAME.match(text) is not None


def official_marks(lines: list[Line], page: Page) -> set[str]:
    """The marks of an official (红头) document found on the page: ``head`` (…人民政府文件
    at the top), ``number`` (a 文号 on its own line, not cited in a sentence), ``title``
    (关于…的通知 in title position), ``addressee`` (各县（市、区）人民政府…：) and ``signer``
    (a government body signing near the foot)."""
    marks: set[str] = set()
    natural = rows(lines)
    if not natural:
        return marks
    head_rows = [ln.flat for row in natural[: TITLE_ROWS + 2] for ln in row]
    if any(_RED_HEAD.match(flat) for flat in head_rows):
        marks.add("head")
    for row in natural[: len(natural) // 2 + 2]:
        flats = [ln.flat for ln in sorted(row, key=lambda x: x.bbox.x0) if not _SIGNER.match(ln.flat)]
        joined = "".join(flats)
        if DOC_NUMBER.fullmatch(joined) or any(DOC_NUMBER.fullmatch(f) for f in flats):
            marks.add("number")
        if _ADDRESSEE.match(joined):
            marks.add("addressee")
    policy_title = SPECS["policy_document"].title
    if any(policy_title.search(ln.flat) and _is_gov(ln.flat, anywhere=True) for ln in titles(lines, page)):
        marks.add("title")
    if any(_GOV_NAME.match(ln.flat) and _is_gov(ln.flat) for row in natural[-4:] for ln in row):
        marks.add("signer")
    return marks


def reading_text(lines: list[Line]) -> str:
    """The page's text in reading order: rows top to bottom, boxes left to right."""
    return "\n".join(" ".join(ln.text for ln in sorted(row, key=lambda x: x.bbox.x0)) for row in rows(lines))


_QUOTED = re.compile(r"“[^”]{1,60}”|\"[^\"]{1,60}\"|《[^》]{1,80}》|「[^」]{1,60}」")
_STOP = re.compile(r"[。：:；;！？!?]$")
_PEOPLE_HEADER = ("姓名", "签字", "签名")
_PEOPLE_COLUMNS = ("单位", "职称", "职务", "专业")
_RANKS = ("教授", "工程师", "研究员", "讲师", "高工", "博士", "主任", "经济师", "会计师")


def _people_row(row: list[Line]) -> bool:
    """A row of a people table: a header (姓名 | 工作单位 | 职称) or a short row whose own box
    is a professional title (张三 | 某某大学 | 教授)."""
    flat = "".join(ln.flat for ln in row)
    if any(h in flat for h in _PEOPLE_HEADER) and any(c in flat for c in _PEOPLE_COLUMNS):
        return True
    return len(row) <= 5 and any(ln.flat.endswith(_RANKS) and len(ln.flat) <= 8 for ln in row)


def prose(lines: list[Line], *, issuer_first: bool = False) -> str:
    """The page's running text for finding organisations: wrapped lines joined back into
    their sentences (a name broken across two lines is whole again), quoted titles
    (“…项目”, 《…》) dropped, and nothing from a people table (an expert list names
    affiliations, not parties) or below its header."""
    natural = rows(lines)
    order = list(range(len(natural)))
    if issuer_first:  # a policy document's issuer: its heading and signature
        order = list(dict.fromkeys(order[:3] + order[-3:] + order[3:-3]))
    right = max((ln.bbox.x1 for ln in lines), default=0.0)
    left = min((ln.bbox.x0 for ln in lines), default=0.0)
    parts: list[str] = []
    wrapped = False
    previous = -2
    for i in order:
        row = natural[i]
        wrapped = wrapped and i == previous + 1  # only a row's own next row continues it
        previous = i
        if _people_row(row):
            if not issuer_first:
                break
            continue
        seen: list[str] = []
        for ln in sorted(row, key=lambda x: x.bbox.x0):
            if ln.text not in seen:  # a PDF table prints each cell as a block too
                seen.append(ln.text)
        text = " ".join(seen)
        parts.append(("" if wrapped else "\n") + text)
        last = max(row, key=lambda x: x.bbox.x1)
        wrapped = last.bbox.x1 >= right - 0.06 * (right - left) and not _STOP.search(last.flat)
    return _QUOTED.sub("", "".join(parts)).strip()
