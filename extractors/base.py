"""The Extractor extension point: one extractor per document kind.

Classification asks every registered extractor how well a page (or a run of pages) fits
its kind with ``score``; the best one then ``extract``s fields from the pages it won.
"""

from __future__ import annotations

from typing import Protocol

from models.document import Document, Page
from models.records import DocKind, ExtractedDocument


class Extractor(Protocol):
    kind: DocKind

    def score(self, page: Page, document: Document) -> float:
        """0..1: how strongly this page looks like the first (or only) page of this kind."""
        ...

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        """Fields of the document made of ``pages`` (1-based) of ``document``. Never raises
        on bad content: missing fields stay absent, unparseable ones keep their raw text."""
        ...


EXTRACTORS: dict[str, Extractor] = {}
"""Extractor name → extractor (several may share a kind, e.g. the four forms).
Filled by ``extractors.registry.load_extractors``."""
