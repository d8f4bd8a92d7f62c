"""Word books on paper: rendered once through LibreOffice to PDF, and a value found on them.

A Word document has no pages, so its evidence names a table cell or paragraph and the text.
To show it, the book is converted to PDF once (cached by the book's content hash beside the
run's result cache, ``.intake-word-pdf/`` in ``--cache-dir``, the output folder by default,
so a re-run, or a run into a new output folder sharing the cache, converts nothing) and
the evidence text is looked up on the rendered pages: characters compared after NFKC and
without spaces, so "（" matches "(".
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from models.document import BBox
from models.values import squash

log = logging.getLogger(__name__)

CONVERT_TIMEOUT_S = 300
MAX_OFFICE_PROCESSES = 4
WORD_SUFFIXES = (".docx", ".doc")
MAX_NEEDLE = 24  # characters of an evidence text looked up (long paragraphs: their start)
_SPLIT = re.compile(r"[、，,；;：:\s]+")


def convert_all(books: Iterable[tuple[Path, str]], cache_dir: Path, jobs: int = 1) -> dict[str, Path]:
    """PDFs of Word books, keyed by content hash: ``books`` are (path, sha256) pairs.

    Books already in ``cache_dir`` are not converted again (a re-run, or a run into another
    output folder with the same ``--cache-dir``); the rest are split between up to ``jobs``
    LibreOffice processes running at once (each with its own user profile: one profile
    cannot be shared). A book LibreOffice cannot convert is left out, logged; a missing
    LibreOffice leaves out all of them.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    done: dict[str, Path] = {}
    todo: dict[str, Path] = {}
    for path, sha in books:
        target = cache_dir / f"{sha}.pdf"
        if target.is_file() and target.stat().st_size > 0:
            done[sha] = target
        elif sha not in todo:
            todo[sha] = path
    cached = len(done)
    if not todo:
        return done
    from extractors.loaders.doc_loader import find_soffice

    soffice = find_soffice()
    if soffice is None:
        log.warning("LibreOffice not found: %d Word books get no evidence crops", len(todo))
        return done
    items = list(todo.items())
    # One LibreOffice start costs about 2 s and 200 MB: a share of at least two books per
    # process, and no more than MAX_OFFICE_PROCESSES of them whatever the core count.
    shares = max(1, min(jobs, MAX_OFFICE_PROCESSES, (len(items) + 1) // 2))
    chunks = [dict(items[i::shares]) for i in range(shares)]
    if shares == 1:
        converted = [_convert(soffice, chunks[0], cache_dir)]
    else:
        with ThreadPoolExecutor(max_workers=shares) as pool:  # the processes run; the threads wait
            converted = list(pool.map(lambda chunk: _convert(soffice, chunk, cache_dir), chunks))
    for part in converted:
        done.update(part)
    log.info(
        "rendered Word books to PDF for evidence: %d of %d new ones (%d LibreOffice processes)",
        len(done) - cached,
        len(todo),
        shares,
    )
    return done


def _convert(soffice: str, todo: dict[str, Path], cache_dir: Path) -> dict[str, Path]:
    """One LibreOffice process converting ``todo`` (sha → book); the PDFs it made, moved
    into ``cache_dir`` by content hash."""
    done: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="intake-evidence-") as tmp:
        work = Path(tmp)
        sources = []
        for sha, path in todo.items():
            source = work / f"{sha}{path.suffix.lower()}"  # ASCII names: no quoting surprises
            try:
                shutil.copyfile(path, source)
            except OSError as exc:
                log.warning("cannot copy %s for rendering: %s", path, exc)
                continue
            sources.append(str(source))
        if not sources:
            return done
        out_dir = work / "out"
        profile = (work / "profile").resolve().as_uri()
        cmd = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}"]
        cmd += ["--convert-to", "pdf", "--outdir", str(out_dir), *sources]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL, check=False)
        except (subprocess.TimeoutExpired, OSError) as exc:
            log.warning("LibreOffice could not render Word books for evidence: %s", exc)
        for sha, path in todo.items():
            result = out_dir / f"{sha}.pdf"
            if result.is_file() and result.stat().st_size > 0:
                target = cache_dir / f"{sha}.pdf"
                # a temporary name, then a rename: a run sharing the cache never sees half a PDF
                staged = cache_dir / f".{sha}.{os.getpid()}.part"
                shutil.move(str(result), staged)
                os.replace(staged, target)
                done[sha] = target
            else:
                log.warning("LibreOffice did not render %s; its evidence has no crop", path)
    return done


def _all(haystack: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``haystack``, not overlapping, as ``str.count`` counts."""
    starts, at = [], haystack.find(needle)
    while at >= 0:
        starts.append(at)
        at = haystack.find(needle, at + len(needle))
    return starts


@lru_cache(maxsize=8)
def _pages(pdf: Path) -> tuple[tuple[str, tuple[tuple[float, float, float, float], ...]], ...]:
    """Per page: the folded text and, per folded character, its box in points (top-left
    origin). pdfium reads a rendered book's characters about fifty times faster than a
    layout parser, and only characters and boxes are needed here."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            height = page.get_height()
            text: list[str] = []
            boxes: list[tuple[float, float, float, float]] = []
            for i in range(textpage.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
                if not code or 0xD800 <= code <= 0xDFFF:
                    continue
                left, bottom, right, top = textpage.get_charbox(i)
                for folded in squash(chr(code)):
                    text.append(folded)
                    boxes.append((left, height - top, right, height - bottom))
            textpage.close()
            page.close()
            pages.append(("".join(text), tuple(boxes)))
    finally:
        doc.close()
    return tuple(pages)


def needles(text: str) -> list[str]:
    """What to look for: the text's start, then its first phrase (a list of headings, a
    paragraph quoted with its label)."""
    folded = squash(text)
    found = [folded[:MAX_NEEDLE]] if folded else []
    parts = [p for p in _SPLIT.split(unicodedata.normalize("NFKC", text)) if len(p) >= 2]
    if parts and squash(parts[0])[:MAX_NEEDLE] not in found:
        found.append(squash(parts[0])[:MAX_NEEDLE])
    return found


@lru_cache(maxsize=8)
def _reading_order(book: Path) -> tuple[tuple[str, str], ...]:
    """The book's paragraphs and table cells in reading order, as (reference, folded text);
    references are the loader's ("paragraph 12", "table 1 r3 c2")."""
    from extractors.loaders.docx_loader import load_docx

    document = load_docx(book, book.name)
    page = document.pages[0]
    blocks = {b.prov.cell: b.orig for b in page.blocks}
    items: list[tuple[str, str]] = []
    for run in document.meta.get("body_order", "").split():
        first, _, last = run.partition("-")
        start, end = int(first[1:]), int((last or first)[1:])
        for number in range(start, end + 1):
            if first[0] == "p":
                items.append((f"paragraph {number}", squash(blocks.get(f"paragraph {number}", ""))))
            elif 0 < number <= len(page.tables):
                cells = sorted(page.tables[number - 1].cells, key=lambda c: (c.row, c.col))
                items.extend((c.prov.cell or "", squash(c.orig)) for c in cells)
    return tuple(items)


def occurrence(book: Path, cell: str | None, text: str) -> int:
    """Which printing of ``text`` is the one in ``cell``: how often its needle occurs in the
    book's reading order before that paragraph or table cell (0 when the book cannot be
    read or the cell is not known). A company's name is on the cover before the form, a
    figure such as 12 may be in several cells: the count picks the right one."""
    found = needles(text)
    if not cell or not found:
        return 0
    try:
        order = _reading_order(book)
    except Exception:  # a book the loader refuses gets the first printing
        return 0
    for index, (ref, _) in enumerate(order):
        if ref == cell:
            before = "".join(t for _, t in order[:index])
            return before.count(found[0])
    return 0


def locate(pdf: Path, text: str, skip: int = 0) -> tuple[int, BBox] | None:
    """The page (1-based) and box in points where ``text`` is printed, or None. ``skip``
    printings of the text's start are passed over first (see ``occurrence``); when there
    are fewer, the first printing is taken."""
    pages = _pages(pdf)
    for rank, needle in enumerate(needles(text)):
        hits = [(n, at) for n, (haystack, _) in enumerate(pages, start=1) for at in _all(haystack, needle)]
        if not hits:
            continue
        number, at = hits[skip] if rank == 0 and skip < len(hits) else hits[0]
        span = pages[number - 1][1][at : at + len(needle)]
        top = min(b[1] for b in span)
        heights = sorted(b[3] - b[1] for b in span)
        line = [b for b in span if b[1] < top + 0.8 * heights[len(heights) // 2]]  # first line only
        return number, BBox(
            x0=min(b[0] for b in line),
            y0=min(b[1] for b in line),
            x1=max(b[2] for b in line),
            y1=max(b[3] for b in line),
        )
    return None
