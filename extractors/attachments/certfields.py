"""Fields that certificates print alike, read by geometry: the credit code beside its label
(or the valid code nearest it) and the issuing authority (beside its label, else the legend
of the seal stamped over it, its misread ending repaired). Shared by the 营业执照 and the
事业单位法人证书 readers."""

from __future__ import annotations

import re

from extractors.attachments.geometry import (
    Hit,
    LabelIndex,
    Line,
    Value,
    compact,
    extracted,
    line_height,
    nearest,
)
from models import values
from models.document import Page, Seal
from models.fields import Evidence, Extracted

AUTHORITY_SUFFIXES = (
    "市场监督管理局",
    "市场监管局",
    "工商行政管理局",
    "工商局",
    "行政审批服务管理局",
    "行政审批服务局",
    "行政审批局",
    "市场和质量监督管理局",
    "市场监督管理委员会",
    "管理委员会",
)
"""How the names of the offices that register companies end."""
AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,20}?(" + "|".join(AUTHORITY_SUFFIXES) + ")")


def uscc_field(index: LabelIndex, lines: list[Line]) -> Extracted | None:
    """The credit code beside its label, else the valid code nearest the label anywhere on
    the page. A code that cannot be read as a valid one carries ``error="uscc_invalid"``:
    as its value when it is well formed (only the check character is wrong: what the
    licence prints), else only as raw text."""
    hit = index.hits.get("uscc")
    near: list[tuple[str, list[Line]]] = []
    if hit is not None:
        value = index.value("uscc")
        if value and value.text:
            near.append((value.text, value.lines))
        near += [(ln.text, [ln]) for ln in _below(hit, lines)]
    for text, used in near:
        code = _code_in(text)
        if code:
            return extracted(code, compact(text), used, hit)
    ordered = nearest(hit.bbox, lines) if hit else lines
    for ln in ordered:
        code = _code_in(ln.text)
        if code:
            return extracted(code, compact(ln.text), [ln], hit if hit and ln.bbox else None)
    if near and near[0][0]:
        text, used = near[0]
        raw = re.sub(r"[^0-9A-Za-z]", "", text).upper()
        if len(raw) >= 15:
            # A well-formed code whose check character is wrong is what the licence
            # prints (USCC_INVALID reports it); anything else is kept as raw text only.
            item = extracted(raw if _well_formed(raw) else None, raw, used, hit)
            return item.model_copy(update={"error": "uscc_invalid"})
    return None


def _well_formed(code: str) -> bool:
    """18 characters of the credit-code alphabet, a registration-authority code first and
    a six-digit division code: a code, whatever its check character says."""
    return (
        len(code) == 18
        and code[0] in values.USCC_AUTHORITIES
        and all(c in values.USCC_ALPHABET for c in code)
        and code[2:8].isdigit()
    )


def _code_in(text: str) -> str | None:
    found = values.find_usccs(text)
    if found:
        return found[0]
    return values.repair_uscc(text)


def _below(hit: Hit, lines: list[Line]) -> list[Line]:
    lh = line_height(lines)
    box = hit.bbox
    return sorted(
        (
            ln
            for ln in lines
            if 0 <= ln.bbox.y0 - box.y1 + 0.3 * lh <= 2.5 * lh and ln.bbox.x0 < box.x1 + lh and ln.bbox.x1 > box.x0 - lh
        ),
        key=lambda ln: ln.bbox.y0,
    )


def authority_field(
    hit: Hit | None,
    value: Value | None,
    lines: list[Line],
    page: Page,
    pattern: re.Pattern[str] = AUTHORITY,
    suffixes: tuple[str, ...] = AUTHORITY_SUFFIXES,
) -> Extracted | None:
    """The issuing authority: printed beside its label, else the legend of the seal nearest
    the label (on a licence the name is printed only inside the red seal stamped over
    登记机关 and the issue date), else any line that names one (nearest the label first).

    A legend whose last characters are one or two characters off a known ending (the
    curved, small glyphs of 督/理 are the usual misreads) gets the ending repaired; the
    place name before it is taken as read."""
    match = pattern.search(compact(value.text)) if value and value.text else None
    if value and match:
        return value.extracted(match.group(0))
    for seal in _seals_nearest(page, hit):
        legend = compact(seal.text or "")
        repaired = repair_ending(legend, suffixes)
        match = pattern.search(repaired) if repaired else None
        if match and seal.text:
            evidence = [Evidence(file=lines[0].file, page=page.number, bbox=seal.bbox, text=seal.text)]
            return Extracted(
                value=match.group(0),
                raw=seal.text,
                confidence=seal.score,
                evidence=evidence if lines else [],
                method="seal",
            )
    candidates = [ln for ln in lines if pattern.search(compact(ln.text))]
    if hit is not None:
        candidates = nearest(hit.bbox, candidates)
    else:
        candidates.sort(key=lambda ln: -ln.bbox.y1)
    for ln in candidates:
        flat = compact(ln.text)
        match = pattern.search(flat)
        if match and len(flat) <= 30 and "登记机关" not in flat:
            return extracted(match.group(0), flat, [ln], None)
    return None


def _seals_nearest(page: Page, hit: Hit | None) -> list[Seal]:
    """The page's seals with a legend, nearest the 登记机关 label first (lowest on the
    page first when the label was not found)."""
    seals = [s for s in page.seals if s.text]
    if hit is None:
        return sorted(seals, key=lambda s: -(s.bbox.y1 if s.bbox else 0.0))
    box = hit.bbox

    def distance(seal: Seal) -> float:
        if seal.bbox is None:
            return float("inf")
        return (seal.bbox.cx - box.cx) ** 2 + (seal.bbox.cy - box.cy) ** 2

    return sorted(seals, key=distance)


def repair_ending(text: str, suffixes: tuple[str, ...]) -> str:
    """``text`` with its ending replaced by the known ``suffixes`` entry it is closest to,
    when that is at most one edit away (two for endings of six or more characters; an edit
    is a character misread, dropped or added) and at least two characters precede it.
    Closest first, then the longer ending (a seal prints the full 市场监督管理局, so
    "市场监管理局" is that with 督 dropped, not 市场监管局 with 理 added). ``text`` is
    unchanged when it already ends with one or none is close."""
    if any(text.endswith(s) for s in suffixes):
        return text
    best: tuple[int, int, str] | None = None  # (edits, -length, repaired text)
    for suffix in suffixes:
        allowed = min(2 if len(suffix) >= 6 else 1, (len(suffix) - 1) // 2)
        for cut in (len(suffix) - 1, len(suffix), len(suffix) + 1):
            if cut <= 0 or len(text) < cut + 2:
                continue
            cost = edits(text[-cut:], suffix)
            if cost <= allowed and (best is None or (cost, -len(suffix)) < best[:2]):
                best = (cost, -len(suffix), text[:-cut] + suffix)
    return best[2] if best else text


def edits(a: str, b: str) -> int:
    """Levenshtein distance: characters substituted, dropped or added to turn ``a`` into ``b``
    (the code base's one edit distance, ``models.values.edit_distance``)."""
    return values.edit_distance(a, b)
