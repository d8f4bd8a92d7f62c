"""What a loader makes of a file: pages of blocks and tables, each with provenance.

Coordinates: every bbox is in its page's units (``Page.unit``: PDF points or image
pixels) with the origin at the page's top-left corner, y growing downwards. Word
documents have no pages; their items carry a ``cell`` or paragraph reference instead
and live on one pseudo-page numbered 1 with ``unit="none"``.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict

Method = Literal["docx", "pdf-text", "ocr", "xlsx", "filename"]
Unit = Literal["pt", "px", "none"]


def normalise_text(text: str) -> str:
    """NFKC, whitespace folded to single spaces, trimmed: the ``text`` of every item."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BBox(Frozen):
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )


class Provenance(Frozen):
    """Where an item was read: file (relative to the received folder), 1-based page, box."""

    file: str
    page: int | None = None
    bbox: BBox | None = None
    cell: str | None = None  # e.g. "table 1 r3c2" for Word/xlsx tables, "paragraph 12"
    method: Method = "pdf-text"
    engine: str | None = None  # OCR engine name when method == "ocr"
    confidence: float = 1.0


class TextStyle(Frozen):
    """Formatting of a run of Word text, for the round's formatting rules."""

    font: str | None = None  # east-asian font name as written, e.g. "仿宋_GB2312"
    size_pt: float | None = None
    bold: bool | None = None
    line_spacing: float | None = None  # multiple of single spacing; None when exact/unknown


class Block(Frozen):
    """A line (PDF/OCR) or paragraph (Word) of text."""

    text: str  # normalise_text(orig)
    orig: str
    prov: Provenance
    role: Literal["line", "paragraph", "heading"] = "line"
    level: int | None = None  # outline level for headings (1 = 一、, 2 = （一）, 3 = 1.)
    style: TextStyle | None = None


class Cell(Frozen):
    """A table cell; a merged cell appears once with its spans."""

    text: str
    orig: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    prov: Provenance
    image_count: int = 0  # embedded pictures in the cell (electronic seals in Word)


class Table(Frozen):
    cells: list[Cell]
    n_rows: int
    n_cols: int
    prov: Provenance  # page and bbox of the whole table

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by their top row, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            if 0 <= cell.row < self.n_rows:
                out[cell.row].append(cell)
        return out

    def text(self) -> str:
        return "\n".join(" | ".join(c.text for c in row) for row in self.rows())


class Seal(Frozen):
    """A stamp found on a page (red ink, roughly round or oval) or an electronic seal image."""

    page: int
    bbox: BBox | None = None
    score: float = 1.0  # how sure we are it is a seal, 0..1
    text: str | None = None  # the seal's legend when it could be read
    source: Literal["image", "docx-picture", "pdf-image"] = "image"
    anchor: str | None = None  # Word: the paragraph or cell holding the picture ("paragraph 12")
    edge: Literal["left", "right"] | None = None  # a 骑缝章's slice at this edge of the page


class Page(Frozen):
    number: int  # 1-based
    width: float = 0.0
    height: float = 0.0
    unit: Unit = "pt"
    blocks: list[Block] = []
    tables: list[Table] = []
    seals: list[Seal] = []
    has_text_layer: bool = True
    needs_ocr: bool = False  # no usable text layer; the OCR stage reads it
    ocr_engine: str | None = None
    rotation: int = 0  # degrees applied to upright the page before reading
    mean_confidence: float | None = None  # OCR confidence over the page

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


class Document(Frozen):
    """One input file as read, before classification."""

    file: str  # relative to the received folder, "/"-separated
    source_kind: Literal["docx", "doc", "pdf", "image", "xlsx"]
    pages: list[Page]
    meta: dict[str, str] = {}

    def text(self) -> str:
        return "\n".join(p.text() for p in self.pages)
