"""Excel .xlsx → ``Document``: one page per worksheet holding one table.

Values are the cached results (``data_only``), written as Excel shows them: integers
without ".0", percentages with their sign, dates as ISO dates. Merged ranges appear once
with their spans; fully empty rows and columns at the edges are dropped.

Dimensions are capped before openpyxl sees the file: the sheets' XML is scanned in the zip
first (``scan_sheets``), a merged range larger than any form is refused (openpyxl would make
an object for every cell it covers), and a sheet with more than ``MAX_ROWS`` rows is read
row by row in read-only mode up to that many rows (noted in ``meta["truncated"]``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from extractors.loaders import safety
from models.document import Cell, Document, Page, Provenance, Table, normalise_text
from models.errors import FileReadError

log = logging.getLogger(__name__)

MAX_CELLS = 2_000_000  # a sheet beyond this is not a form; refuse rather than exhaust memory
MAX_ROWS = 2_000  # rows read per sheet; a summary table of a round has a few dozen
MAX_COLS = 200  # columns read per sheet in the row-by-row mode
MAX_MERGED_CELLS = 200_000  # cells covered by all merged ranges of one sheet
MSG_TOO_BIG = "工作表数据量过大，已跳过"
MSG_MERGE_BOMB = "工作表的合并单元格范围异常巨大（疑似构造的异常文件），已跳过"

_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?\"")
_OVERLAP = 256  # bytes kept between chunks so a tag cut in two is still seen


def _col_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _merge_area(match: re.Match[bytes]) -> int:
    c0, r0 = _col_number(match.group(1)), int(match.group(2))
    c1 = _col_number(match.group(3)) if match.group(3) else c0
    r1 = int(match.group(4)) if match.group(4) else r0
    return (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)


def _scan_part(fh: IO[bytes]) -> tuple[int, int]:
    rows = merged = 0
    tail = b""
    while True:
        chunk = fh.read(1 << 20)
        data = tail + chunk
        # tags starting before the cut are counted now, the rest with the next chunk
        cut = max(0, len(data) - _OVERLAP) if chunk else len(data)
        rows += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
        merged += sum(_merge_area(m) for m in _MERGE_REF.finditer(data) if m.start() < cut)
        if not chunk:
            return rows, merged
        tail = data[cut:]


def scan_sheets(path: Path) -> dict[str, tuple[int, int]]:
    """(rows, cells covered by merged ranges) per worksheet part, read from the zip's XML in
    chunks, without building anything."""
    stats: dict[str, tuple[int, int]] = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with zf.open(info) as fh:
                    stats[name] = _scan_part(fh)
    return stats


_DECIMALS = re.compile(r"0\.(0+)")


def display(value: Any, number_format: str = "General") -> str:
    """A cell value as Excel would display it, near enough for reading fields."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(float(value), number_format or "General")
    return str(value)


def _number(value: float, fmt: str) -> str:
    section = fmt.split(";")[0]
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", section)  # drop literals and colours
    percent = "%" in plain
    if percent:
        value *= 100
    match = _DECIMALS.search(plain)
    if match:
        places = len(match.group(1))
    elif re.search(r"[0#]", plain):
        places = 0
    else:  # General: up to 10 significant digits, no trailing zeros
        text = f"{value:.10g}"
        if "e" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    grouping = "," in plain.split(".")[0]
    text = f"{value:,.{places}f}" if grouping else f"{value:.{places}f}"
    return text + ("%" if percent else "")


def _streamed_table(ws: Any, rel: str, index: int) -> Table | None:
    """A read-only sheet's first ``MAX_ROWS`` rows and ``MAX_COLS`` columns (no merges:
    read-only mode does not load them) as one table."""
    texts: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS):
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = display(value, getattr(cell, "number_format", "General"))
            if text.strip():
                texts[(cell.row, cell.column)] = text
    return _table_of(texts, {}, set(), ws.title, rel, index)


def _sheet_table(ws: Any, rel: str, index: int) -> Table | None:
    """The used area of a sheet as one table, or None when it holds nothing."""
    if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
        raise FileReadError(MSG_TOO_BIG, detail=f"sheet {ws.title}: {ws.max_row}x{ws.max_column}")
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = (
            rng.max_row - rng.min_row + 1,
            rng.max_col - rng.min_col + 1,
        )
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    texts: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in covered:
                continue
            text = display(cell.value, cell.number_format)
            if text.strip():
                texts[(cell.row, cell.column)] = text
    return _table_of(texts, merged, covered, ws.title, rel, index)


def _table_of(
    texts: dict[tuple[int, int], str],
    merged: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
    title: str,
    rel: str,
    index: int,
) -> Table | None:
    """The cells' used area as one table: merged ranges once, empty edges dropped."""
    if not texts:
        return None
    occupied = set(texts) | {
        (r + dr, c + dc)
        for (r, c), (rs, cs) in merged.items()
        if (r, c) in texts
        for dr in range(rs)
        for dc in range(cs)
    }
    r0, r1 = min(r for r, _ in occupied), max(r for r, _ in occupied)
    c0, c1 = min(c for _, c in occupied), max(c for _, c in occupied)
    cells: list[Cell] = []
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = merged.get((r, c), (1, 1))
            orig = texts.get((r, c), "")
            ref = f"{title}!{_column_letter(c)}{r}"
            cells.append(
                Cell(
                    text=normalise_text(orig),
                    orig=orig,
                    row=r - r0,
                    col=c - c0,
                    rowspan=min(rowspan, r1 - r + 1),
                    colspan=min(colspan, c1 - c + 1),
                    prov=Provenance(file=rel, page=index, cell=ref, method="xlsx"),
                )
            )
    prov = Provenance(file=rel, page=index, cell=title, method="xlsx")
    return Table(cells=cells, n_rows=r1 - r0 + 1, n_cols=c1 - c0 + 1, prov=prov)


def _column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def load_xlsx(path: Path, rel: str, sniffed: str | None = None) -> Document:
    """Read every worksheet of an .xlsx/.xlsm workbook."""
    kind = sniffed or safety.sniff(path)
    if kind == "empty":
        raise FileReadError(safety.MSG_EMPTY)
    if kind not in ("xlsx", "zip"):
        safety.check_ole(kind)
        raise FileReadError(safety.MSG_NOT_EXCEL, detail=f"sniffed as {kind}")
    safety.check_zip(path)
    try:
        stats = scan_sheets(path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise FileReadError(safety.MSG_CORRUPT_ZIP, detail=f"{type(exc).__name__}: {exc}") from exc
    for part, (_rows, merged_cells) in stats.items():
        if merged_cells > MAX_MERGED_CELLS:
            raise FileReadError(MSG_MERGE_BOMB, detail=f"{part}: merged ranges cover {merged_cells} cells")
    streamed = any(rows > MAX_ROWS for rows, _ in stats.values())
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=streamed)
    except FileReadError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise FileReadError(safety.MSG_NOT_EXCEL, detail=f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # openpyxl surfaces parser errors of many kinds
        raise FileReadError(safety.MSG_NOT_EXCEL, detail=f"{type(exc).__name__}: {exc}") from exc
    try:
        pages: list[Page] = []
        for index, ws in enumerate(wb.worksheets, start=1):
            table = _streamed_table(ws, rel, index) if streamed else _sheet_table(ws, rel, index)
            pages.append(Page(number=index, unit="none", tables=[table] if table else []))
        names = [ws.title for ws in wb.worksheets]
    finally:
        wb.close()
    if not pages:
        raise FileReadError("工作簿中没有工作表", detail="no worksheets")
    meta = {"sheet_names": json.dumps(names, ensure_ascii=False), "sheets": str(len(names))}
    if streamed:
        longest = max(rows for rows, _ in stats.values())
        meta["truncated"] = f"工作表共约 {longest} 行，只读取了前 {MAX_ROWS} 行（合并单元格按未合并读取）"
    return Document(file=rel, source_kind="xlsx", pages=pages, meta=meta)
