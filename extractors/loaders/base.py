"""The Loader extension point: one loader per file type, chosen by extension."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from models.document import Document


class Loader(Protocol):
    """Turns one file into a ``Document``. Raises ``FileReadError`` (Chinese message) when the
    file cannot be read; never anything else for bad input. Pages without a usable text
    layer come back with ``needs_ocr=True`` and no blocks: the OCR stage reads them."""

    extensions: tuple[str, ...]

    def load(self, path: Path, rel: str) -> Document: ...


LOADERS: dict[str, Loader] = {}
"""Extension (lower case, with dot) → loader. Filled by ``extractors.loaders.registry``."""
