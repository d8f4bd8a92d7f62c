"""OCR lines → ``Block``s in reading order, with provenance in pixels of the upright page."""

from __future__ import annotations

from extractors.ocr.base import OcrLine
from models.document import Block, Provenance, normalise_text


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom by visual row, left to right within a row. Two lines share a row when
    their vertical extents overlap by more than half of the shorter line's height (engines
    return lines in their own order, which ignores a licence's two columns)."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.bbox.cy, ln.bbox.x0)):
        if rows:
            last = rows[-1]
            top = min(ln.bbox.y0 for ln in last)
            bottom = max(ln.bbox.y1 for ln in last)
            height = min(line.bbox.height, min(ln.bbox.height for ln in last))
            overlap = min(bottom, line.bbox.y1) - max(top, line.bbox.y0)
            if height > 0 and overlap > 0.5 * height:
                last.append(line)
                continue
        rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda ln: ln.bbox.x0)]


def lines_to_blocks(lines: list[OcrLine], *, file: str, page: int, engine: str) -> list[Block]:
    """One ``role="line"`` block per non-blank OCR line; ``orig`` keeps the engine's text."""
    blocks = []
    for line in reading_order(lines):
        text = normalise_text(line.text)
        if not text:
            continue
        prov = Provenance(
            file=file,
            page=page,
            bbox=line.bbox,
            method="ocr",
            engine=engine,
            confidence=round(line.confidence, 4),
        )
        blocks.append(Block(text=text, orig=line.text, prov=prov, role="line"))
    return blocks


def mean_confidence(lines: list[OcrLine]) -> float | None:
    """Character-weighted mean confidence of a page; None when nothing was read."""
    chars = sum(len(ln.text.strip()) for ln in lines)
    if chars == 0:
        return None
    return round(sum(ln.confidence * len(ln.text.strip()) for ln in lines) / chars, 4)
