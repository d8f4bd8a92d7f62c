"""The loaders for born-digital files: .docx, .doc, .pdf, .xlsx.

Each loader sniffs the bytes first. A file whose content is another type we read (a PDF
named .docx, a .docx named .doc) is read as what it is, with ``meta["sniffed_as"]``;
anything else that does not match becomes a ``FileReadError``. No other exception
leaves ``load``: an unexpected parser failure is reported as an unreadable file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractors.loaders import safety
from extractors.loaders.doc_loader import load_doc
from extractors.loaders.docx_loader import load_docx
from extractors.loaders.pdf_loader import load_pdf
from extractors.loaders.xlsx_loader import load_xlsx
from models.document import Document
from models.errors import FileReadError

log = logging.getLogger(__name__)

MSG_UNEXPECTED = "文件内容无法解析（格式异常或已损坏），请申报单位重新提供"

Reader = Callable[[Path, str, str | None], Document]

_READERS: dict[str, Reader] = {
    "docx": load_docx,
    "doc": load_doc,
    "pdf": load_pdf,
    "xlsx": load_xlsx,
}


@dataclass(frozen=True)
class DigitalLoader:
    """A ``Loader`` for one native kind; dispatches on what the bytes really are."""

    kind: str
    extensions: tuple[str, ...]

    def load(self, path: Path, rel: str) -> Document:
        try:
            sniffed = safety.sniff(path)
            if sniffed == "empty":
                raise FileReadError(safety.MSG_EMPTY)
            actual = self._actual_kind(sniffed)
            document = _READERS[actual](path, rel, sniffed)
            if actual != self.kind:
                log.info("%s: content is %s, read as such", rel, actual)
                meta = {**document.meta, "sniffed_as": actual}
                document = document.model_copy(update={"meta": meta})
            return document
        except (FileReadError, MemoryError):
            raise  # MemoryError: the batch reports it as 资源超限, not as a damaged file
        except (Exception, RecursionError) as exc:  # the contract: only FileReadError
            log.exception("%s: unexpected failure in the %s loader", rel, self.kind)
            raise FileReadError(MSG_UNEXPECTED, detail=f"{type(exc).__name__}: {exc}") from exc

    def _actual_kind(self, sniffed: str) -> str:
        if sniffed in ("pdf", "docx", "xlsx") and sniffed != self.kind:
            return sniffed
        if sniffed == "doc" and self.kind != "doc":
            return "doc"
        return self.kind


DIGITAL_LOADERS: list[DigitalLoader] = [
    DigitalLoader("docx", (".docx", ".docm", ".dotx")),
    DigitalLoader("doc", (".doc", ".dot", ".wps")),
    DigitalLoader("pdf", (".pdf",)),
    DigitalLoader("xlsx", (".xlsx", ".xlsm")),
]
