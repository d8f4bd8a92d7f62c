"""Seal slots: the places that ask for a seal, and the seal found there (kind "commitment").

Choice: seal slots live on ``commitment`` documents only. Classification adds a commitment
document for every page (or Word file) that prints a slot label, even when that page
belongs to a form (表3 prints 填报单位意见 under its last table), so each slot is reported
once and the form document stays about fields.

Roles: 填报单位意见及真实性承诺 / 申报单位（章） → applicant; 市级推荐单位意见 / 推荐单位意见 …
单位（章） → recommender; 城市人民政府 / 市人民政府（章） → city_government. A page seal is
attached when it lies near the label (same page, below/right of it within a quarter of
the page); a Word picture when its anchor (paragraph/cell reference in ``Seal.text``) or
legend points at the label, or the label's cell holds a picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.forms.labels import squash
from extractors.forms.pagetext import is_heading, method_of, pages_of
from models.document import BBox, Document, Page, Provenance, Seal
from models.records import DocKind, ExtractedDocument, SealRole, SealSlot

HEADINGS: tuple[tuple[str, SealRole], ...] = (
    ("填报单位意见及真实性承诺", "applicant"),
    ("真实性承诺", "applicant"),
    ("申报单位承诺", "applicant"),
    ("市级推荐单位意见", "recommender"),
    ("推荐单位意见", "recommender"),
    ("城市人民政府意见", "city_government"),
    ("市人民政府意见", "city_government"),
)
PLACES: tuple[tuple[str, SealRole | None], ...] = (
    ("申报单位(章)", "applicant"),
    ("申报单位(盖章)", "applicant"),
    ("申报单位(公章)", "applicant"),
    ("填报单位(章)", "applicant"),
    ("填报单位(盖章)", "applicant"),
    ("推荐单位(章)", "recommender"),
    ("市人民政府(章)", "city_government"),
    ("市人民政府(盖章)", "city_government"),
    ("城市人民政府", "city_government"),
    ("单位(章)", None),  # the role of the heading above it
    ("单位(盖章)", None),
)
_REF = re.compile(r"(paragraph \d+|table \d+ r\d+ ?c\d+)")
_PARAGRAPH = re.compile(r"paragraph (\d+)")


@dataclass
class _Label:
    role: SealRole
    text: str
    prov: Provenance
    place: bool  # the 单位（章） line itself, not the heading
    image_count: int = 0
    zone: list[str] = field(default_factory=list)  # squashed lines after it, up to the next


def _items(page: Page) -> list[tuple[str, Provenance, int]]:
    """(text, provenance, pictures) of lines and cells; cells get -1 pictures when they
    have none so callers can tell them from lines (which are length-limited)."""
    items = [(b.text, b.prov, 0) for b in page.blocks]
    for table in page.tables:
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            items.append((cell.text, cell.prov, cell.image_count or -1))
    if all(p.bbox is not None for _, p, _ in items):
        items.sort(key=lambda it: (it[1].bbox.y0, it[1].bbox.x0))  # type: ignore[union-attr]
    return items


def _labels(page: Page, role: SealRole | None = None) -> list[_Label]:
    """Slot labels in reading order; a generic 单位（章） takes the role of the heading
    printed before it (``role``: the last heading of the previous page, for a block that
    breaks across pages, as LibreOffice and Word lay out a tall 推荐单位意见 cell)."""
    out: list[_Label] = []
    for text, prov, images in _items(page):
        flat = squash(text)
        if is_heading(flat, "汇总表"):
            return []  # a summary table's page: its 推荐单位（盖章） line is read there
        is_line = images == 0
        images = max(images, 0)
        for heading, heading_role in HEADINGS:
            if heading in flat and not (is_line and len(flat) > 60):
                role = heading_role
                out.append(_Label(role, text, prov, False, images))
                break
        before = len(out)
        for place, place_role in PLACES:
            found_role = place_role or role
            if place in flat and found_role and not (is_line and len(flat) > 30):
                out.append(_Label(found_role, text, prov, True, images))
                break
        names_a_heading = any(h in flat for h, _ in HEADINGS)
        if out and len(out) == before and not names_a_heading and len(out[-1].zone) < 6:
            out[-1].zone.append(flat)
    return out


def carried_role(document: Document, page: Page) -> SealRole | None:
    """The role of the last slot label on the page before ``page``, if any (one page back
    only: a heading is never further from its 单位（章） line). Only a page that prints a
    generic 单位（章） line needs it, so classification of other pages pays nothing."""
    generic = [place for place, role in PLACES if role is None]
    if not any(g in squash(text) for text, _, _ in _items(page) for g in generic):
        return None
    previous = next((p for p in document.pages if p.number == page.number - 1), None)
    if previous is None:
        return None
    labels = _labels(previous)
    return labels[-1].role if labels else None


def _distance(label: BBox, seal: BBox, page: Page) -> float:
    """How far a seal's centre is from the label, favouring below/right; inf if too far."""
    dx = max(label.x0 - seal.cx, 0.0, seal.cx - label.x1 - page.width * 0.5)
    dy = max(label.y0 - seal.cy - label.height * 2, 0.0, seal.cy - label.y1)
    limit = max(page.height, page.width, 1.0) * 0.25
    dist = (dx * dx + dy * dy) ** 0.5
    return dist if dist <= limit else float("inf")


def _word_match(label: _Label, seal: Seal) -> bool:
    if seal.source != "docx-picture":
        return False
    legend = seal.text or ""
    if label.prov.cell and label.prov.cell in legend:
        return True
    if legend and squash(legend) in label.zone:
        return True
    found = _PARAGRAPH.search(legend)
    at = _PARAGRAPH.search(label.prov.cell or "")
    if found and at and 0 <= int(found.group(1)) - int(at.group(1)) <= 6:
        return True
    return bool(legend) and squash(label.text)[:6] in squash(legend)


def find_slots(page: Page, checkable: bool, role: SealRole | None = None) -> list[SealSlot]:
    """One slot per role on the page, with the nearest seal when there is one."""
    labels = _labels(page, role)
    by_role: dict[SealRole, _Label] = {}
    for label in labels:  # the place line wins over the heading for the box
        if label.role not in by_role or (label.place and not by_role[label.role].place):
            by_role[label.role] = label
    free = [seal for seal in page.seals if seal.edge is None]  # a 骑缝章 slice fills no slot
    slots: list[SealSlot] = []
    for role, label in by_role.items():
        seal = _pick_seal(label, [x for x in labels if x.role == role], free, page)
        if seal is not None and seal in free:
            free.remove(seal)
        slots.append(
            SealSlot(
                role=role,
                page=page.number,
                bbox=label.prov.bbox,
                label=label.text,
                seal=seal,
                checkable=checkable,
            )
        )
    return slots


def _pick_seal(label: _Label, all_labels: list[_Label], free: list[Seal], page: Page) -> Seal | None:
    if page.unit == "none":
        for item in all_labels:
            for seal in free:
                if _word_match(item, seal):
                    return seal
            if item.image_count:
                return Seal(page=page.number, source="docx-picture", text=item.prov.cell)
        return None
    best: tuple[float, Seal] | None = None
    for item in all_labels:
        if item.prov.bbox is None:
            continue
        for seal in free:
            if seal.bbox is None:
                continue
            dist = _distance(item.prov.bbox, seal.bbox, page)
            if dist != float("inf") and (best is None or dist < best[0]):
                best = (dist, seal)
    return best[1] if best else None


def seals_checkable(document: Document) -> bool:
    """Whether the file could show a seal at all: spreadsheets cannot, nor Word files without
    a single picture (an electronic draft); PDFs and scans always can (no seal = missing)."""
    if document.source_kind == "xlsx":
        return False
    if document.source_kind in ("docx", "doc"):
        return any(p.seals or any(c.image_count for t in p.tables for c in t.cells) for p in document.pages)
    return True


def _one_per_role(slots: list[SealSlot]) -> list[SealSlot]:
    """A block that breaks across pages gives its role a slot on each page: keep one, the
    first with a seal, else the first."""
    kept: dict[SealRole, SealSlot] = {}
    for slot in slots:
        if slot.role not in kept or (kept[slot.role].seal is None and slot.seal is not None):
            kept[slot.role] = slot
    return list(kept.values())


class CommitmentExtractor:
    """承诺/推荐意见 pages: seal slots and the seals on them."""

    kind: DocKind = "commitment"

    def score(self, page: Page, document: Document) -> float:
        labels = _labels(page, carried_role(document, page))
        roles = {label.role for label in labels}
        if not roles:
            return 0.0
        return min(0.9, 0.5 + 0.15 * (len(roles) - 1) + 0.1 * any(x.place for x in labels))

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        chosen = pages_of(document, pages)
        checkable = seals_checkable(document)
        slots = _one_per_role(
            [slot for page in chosen for slot in find_slots(page, checkable, carried_role(document, page))]
        )
        return ExtractedDocument(
            kind="commitment",
            file=document.file,
            pages=[p.number for p in chosen],
            seal_slots=slots,
            seals=[s for p in chosen for s in p.seals],
            title=slots[0].label if slots else None,
            method=method_of(document, chosen),
            low_text=not slots,
        )


commitment = CommitmentExtractor()
