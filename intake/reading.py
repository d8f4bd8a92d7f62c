"""Reading one file: load → OCR where needed → classify and extract. The unit the batch
engine parallelises and caches (keyed by the file's content hash and the options)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from models.document import Document
from models.errors import FileReadError
from models.fields import Evidence, page_ranges
from models.findings import Finding
from models.records import ExtractedDocument, FileEntry

log = logging.getLogger(__name__)

MAX_PAGE_EVIDENCE = 10  # pages named as evidence of one page finding (the message names all)
READ_VERSION = "1"  # bump when extraction changes, to invalidate cached results


class FileResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry: FileEntry
    documents: list[ExtractedDocument] = []
    findings: list[Finding] = []


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unreadable(rel: str, message: str, size: int = 0, sha: str | None = None) -> FileResult:
    entry = FileEntry(path=rel, size=size, sha256=sha, status="unreadable", reason=message)
    finding = Finding(
        code="FILE_UNREADABLE",
        severity="error",
        message=f"文件“{rel}”无法读取：{message}",
        field=None,
        source=rel,
        evidence=[Evidence(file=rel, text=message)],
    )
    return FileResult(entry=entry, findings=[finding])


def read_file(path: Path, rel: str, ocr_engine: str = "rapidocr", sha256: str | None = None) -> FileResult:
    """Read one file into classified documents. Bad input gives FILE_UNREADABLE, never an
    exception; a file type we do not read gives FILE_NOT_PROCESSED. ``sha256``: the content
    hash when the caller already computed it (the batch does, for the cache key)."""
    from extractors.classify import extract_documents
    from extractors.registry import load_loaders

    started = time.perf_counter()
    try:
        size = path.stat().st_size
        sha = sha256 or sha256_of(path)
    except PermissionError:
        return unreadable(rel, "没有读取权限，请检查文件权限")
    except OSError as exc:
        return unreadable(rel, f"无法打开文件（{exc.strerror or type(exc).__name__}）")
    ext = path.suffix.lower()
    loader = load_loaders().get(ext)
    if loader is None:
        entry = FileEntry(
            path=rel,
            size=size,
            sha256=sha,
            status="not_processed",
            reason=f"不支持的文件类型“{ext or '无扩展名'}”，未处理，请人工查看",
        )
        finding = Finding(
            code="FILE_NOT_PROCESSED",
            severity="info",
            message=f"文件“{rel}”的类型（{ext or '无扩展名'}）本系统不读取，请人工查看。",
            source=rel,
            evidence=[Evidence(file=rel)],
        )
        return FileResult(entry=entry, findings=[finding])
    if size == 0:
        return unreadable(rel, "文件为空（0 字节）", size, sha)
    try:
        document = loader.load(path, rel)
        if any(page.needs_ocr for page in document.pages):
            from extractors.ocr.pages import ocr_document  # only here: a digital file never loads OCR

            document = ocr_document(path, document, engine=ocr_engine)
        documents = extract_documents(document)
    except FileReadError as exc:
        log.warning("unreadable %s: %s %s", rel, exc.message, exc.detail)
        return unreadable(rel, exc.message, size, sha)
    except MemoryError:
        return unreadable(rel, "资源超限（文件过大，超出内存限制），请人工查看", size, sha)
    except Exception as exc:  # any other crash on one file must not stop the batch
        log.exception("failed to read %s", rel)
        return unreadable(rel, f"解析出错（{type(exc).__name__}），请人工查看", size, sha)
    seconds = round(time.perf_counter() - started, 3)
    failed = _failed_pages(document)
    if failed and len(failed) == len(document.pages) and not any(p.blocks or p.tables for p in document.pages):
        result = unreadable(rel, _pages_text(failed, whole=True), size, sha)
        result.entry = result.entry.model_copy(update={"pages": len(document.pages), "seconds": seconds})
        return result
    entry = FileEntry(path=rel, size=size, sha256=sha, status="read", pages=len(document.pages), seconds=seconds)
    findings = [_page_finding(rel, failed, coarse=False)] if failed else []
    coarse = _coarse_pages(document)
    if coarse and not failed:
        findings.append(_page_finding(rel, coarse, coarse=True))
    if (truncated := document.meta.get("truncated")) and not findings:
        findings.append(_truncated_finding(rel, truncated))
    return FileResult(entry=entry, documents=documents, findings=findings)


def _truncated_finding(rel: str, what: str) -> Finding:
    """A file read only up to a size cap (rows of a huge table): what was left out."""
    return Finding(
        code="FILE_UNREADABLE",
        severity="warning",
        message=f"文件“{rel}”过大，未完整读取（{what}），请人工查看其余部分。",
        field=None,
        source=rel,
        evidence=[Evidence(file=rel, text=what)],
    )


def _failed_pages(document: Document) -> dict[str, str]:
    """Pages the OCR stage could not read, with the Chinese reason (extractors.ocr.pages)."""
    try:
        reasons = json.loads(document.meta.get("ocr_failed_reasons", "{}"))
    except ValueError:
        reasons = {}
    numbers = [n for n in document.meta.get("ocr_failed_pages", "").split(",") if n]
    return {n: str(reasons.get(n, "未能识别文字")) for n in numbers}


def _coarse_pages(document: Document) -> dict[str, str]:
    try:
        dpis = json.loads(document.meta.get("ocr_coarse_pages", "{}"))
    except ValueError:
        return {}
    return {n: f"页面尺寸过大，仅能按约 {dpi} dpi 识别，小字可能未读出" for n, dpi in dpis.items()}


def _pages_text(pages: dict[str, str], whole: bool = False) -> str:
    if whole and len(pages) == 1:
        return next(iter(pages.values()))
    by_reason: dict[str, list[int]] = {}
    for number, reason in pages.items():
        if number.isdigit():
            by_reason.setdefault(reason, []).append(int(number))
    return "；".join(f"第 {page_ranges(numbers)} 页：{reason}" for reason, numbers in by_reason.items())


def _page_finding(rel: str, pages: dict[str, str], coarse: bool) -> Finding:
    """A file that was read but has pages the reviewer must look at by eye."""
    text = _pages_text(pages)
    what = "部分页面识别不完整" if coarse else "部分页面无法识别"
    return Finding(
        code="FILE_UNREADABLE",
        severity="warning",
        message=f"文件“{rel}”{what}（{text}），请人工查看这些页面。",
        field=None,
        source=rel,
        evidence=[Evidence(file=rel, page=int(n), text=reason) for n, reason in pages.items() if n.isdigit()][
            :MAX_PAGE_EVIDENCE
        ],
    )
