"""Fills ``EXTRACTORS`` and ``LOADERS`` on first use, so importing intake stays cheap."""

from __future__ import annotations

from extractors.base import EXTRACTORS, Extractor
from extractors.loaders.base import LOADERS, Loader


def load_extractors() -> dict[str, Extractor]:
    if not EXTRACTORS:
        from extractors.attachments import ATTACHMENT_EXTRACTORS
        from extractors.forms import FORM_EXTRACTORS

        for name, extractor in {**FORM_EXTRACTORS, **ATTACHMENT_EXTRACTORS}.items():
            EXTRACTORS[name] = extractor
    return EXTRACTORS


def load_loaders() -> dict[str, Loader]:
    if not LOADERS:
        from extractors.loaders.digital import DIGITAL_LOADERS
        from extractors.loaders.image import IMAGE_LOADERS

        for loader in [*DIGITAL_LOADERS, *IMAGE_LOADERS]:
            for ext in loader.extensions:
                LOADERS[ext] = loader
    return LOADERS
