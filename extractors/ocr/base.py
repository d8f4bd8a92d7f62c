"""The OcrEngine extension point: an image in, lines with box and confidence out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from models.document import BBox, Frozen

if TYPE_CHECKING:
    import numpy as np


class OcrLine(Frozen):
    text: str
    bbox: BBox  # pixels of the image given to the engine, origin top-left
    confidence: float  # 0..1
    turned: bool | None = None
    """Whether the engine's line-direction classifier turned the line 180° before reading
    it (False: read as it lies on the image); None when the engine does not say."""


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Read an RGB uint8 image (H×W×3)."""
        ...


ENGINES: dict[str, Callable[[], OcrEngine]] = {}
"""Engine name → factory. Factories import heavy libraries lazily."""
