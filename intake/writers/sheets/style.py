"""Shared cell writing and styling for the review workbook's sheets.

Every value goes through :func:`put`, which is where the safety rules live: text from a
document is stored as a string cell (never a formula, whatever it begins with), characters
that XML cannot hold are removed, and dates and numbers get real number formats.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "等线"
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
AMOUNT_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"

# (fill, font colour) pairs in the palette reviewers know from Excel's conditional formats.
RED = ("FFC7CE", "9C0006")
AMBER = ("FFEB9C", "9C5700")
GREEN = ("C6EFCE", "006100")
BLUE = ("DDEBF7", "1F4E79")
GREY = ("EDEDED", "7F7F7F")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
REVIEWER_HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")  # columns the reviewer fills
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

SEVERITY_COLOURS = {"错误": RED, "警告": AMBER, "提示": BLUE}
VERDICT_COLOURS = {"通过": GREEN, "需复核": AMBER, "不符合": RED}

STATUS_CURRENT = "当前"
STATUS_GONE = "已消除"


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: its Chinese header and how its cells look."""

    title: str
    max_width: float = 40  # in Excel width units (a CJK character counts 2)
    min_width: float = 6
    wrap: bool = False
    center: bool = False
    reviewer: bool = False  # filled in by the reviewer; kept across runs
    hidden: bool = False


def clean_text(text: str) -> str:
    """Text as a cell can hold it: no XML-illegal control characters, within Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 10] + "…（已截断）"
    return text


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    *,
    number_format: str | None = None,
    wrap: bool = False,
) -> Cell:
    """Write ``value`` into a cell safely and return the cell.

    Strings are always string cells: a text beginning with ``=`` would otherwise become a
    formula in openpyxl, so the data type is forced to "s" and cells beginning with any
    formula trigger also get Excel's quote prefix (so editing the cell keeps it text).
    Dates and datetimes get a date format, floats the amount format, unless overridden.
    """
    cell: Cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = clean_text(value)
        # What ``cell.value = text`` stores for a string, without its second scan for the
        # characters clean_text has just removed (a fifth of a re-run's workbook time).
        cell._value = str(text)
        cell.data_type = "s"
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    elif isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, int):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, float):
        cell.value = value
        cell.number_format = number_format or AMOUNT_FORMAT
    else:  # anything else is shown as its text, never evaluated
        return put(ws, row, col, str(value), wrap=wrap)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


_STYLE_SLOTS = {
    "font": ("_fonts", "fontId"),
    "fill": ("_fills", "fillId"),
    "border": ("_borders", "borderId"),
    "alignment": ("_alignments", "alignmentId"),
}


def set_style(cell: Cell, attribute: str, key: Hashable, make: Callable[[], Any]) -> None:
    """``setattr(cell, attribute, make())``, where ``key`` names what ``make`` builds.

    openpyxl hashes the whole style object against the workbook's list on every assignment
    (most of the styling time of a large workbook); here each ``key`` is added once and its
    index remembered on that list, so the workbook written is the same.
    """
    collection, slot = _STYLE_SLOTS[attribute]
    styles = getattr(cell.parent.parent, collection)
    known = styles.__dict__.setdefault("_intake_ids", {})
    if key not in known:
        known[key] = styles.add(make())
    setattr(style_array(cell), slot, known[key])


def colour(cell: Cell, pair: tuple[str, str], *, bold: bool = False) -> None:
    """Fill a cell with a (fill, font colour) pair."""
    fill, font = pair
    set_style(cell, "fill", ("solid", fill), lambda: PatternFill("solid", fgColor=fill))
    set_style(cell, "font", ("colour", font, bold), lambda: Font(name=FONT_NAME, color=font, bold=bold))


def grey_row(ws: Worksheet, row: int, n_cols: int) -> None:
    """Mark a row that no longer matches the current run (已消除)."""
    fill, font = GREY
    for col in range(1, n_cols + 1):
        cell = ws.cell(row=row, column=col)
        set_style(cell, "fill", ("solid", fill), lambda: PatternFill("solid", fgColor=fill))
        set_style(cell, "font", ("italic", font), lambda: Font(name=FONT_NAME, color=font, italic=True))


def write_header(ws: Worksheet, columns: Sequence[Column], row: int = 1) -> None:
    """Bold header row; reviewer columns in a warm colour so they stand out."""
    for index, column in enumerate(columns, start=1):
        if not column.title:
            continue
        cell = put(ws, row, index, column.title)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = REVIEWER_HEADER_FILL if column.reviewer else HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.reviewer:
            cell.comment = Comment("审核人填写；重新运行时保留。", "intake")


def display_width(text: str) -> float:
    """Width of a line in Excel column units: CJK and full-width characters count 2."""
    # Short lines repeat across rows (names, codes, labels): remembered by their text.
    return _short_width(text) if len(text) <= 200 else _width(text)


@functools.lru_cache(maxsize=32768)
def _short_width(text: str) -> float:
    return _width(text)


def _width(text: str) -> float:
    width = 0.0
    for char in text:
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1.1
    return width


def cell_width(value: Any) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((display_width(line) for line in str(value).splitlines()), default=0)


def finish_table(
    ws: Worksheet,
    columns: Sequence[Column],
    last_row: int,
    *,
    header_row: int = 1,
    filter_table: bool = True,
) -> None:
    """Freeze the header, add the auto-filter, fit widths, align (top; centred or wrapped
    as the column says), hide hidden columns, and set up printing."""
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    last_col = get_column_letter(len(columns))
    alignments = ws.parent._alignments  # the workbook's alignments, indexed by a cell's alignmentId
    if filter_table:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_row, header_row + 1)}"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        widest = display_width(column.title) + 3  # room for the filter button
        # Each alignment is added to the workbook's list once and its index set on the cells:
        # what ``cell.alignment = Alignment(...)`` does, without hashing an Alignment per cell.
        shared: dict[tuple[str | None, bool], int] = {}
        for row in range(header_row + 1, last_row + 1):
            cell = cell_at(ws, row, index)
            widest = max(widest, cell_width(cell.value) + 2)
            if cell.value is None:
                continue  # nothing to align; skipping empty cells halves the styling time
            style = style_array(cell)
            current = alignments[style.alignmentId]
            key = (
                "center" if column.center else current.horizontal,
                column.wrap or bool(current.wrap_text),
            )
            if key not in shared:
                shared[key] = alignments.add(Alignment(horizontal=key[0], vertical="top", wrap_text=key[1]))
            style.alignmentId = shared[key]
        dim = ws.column_dimensions[letter]
        dim.width = round(min(max(widest, column.min_width), column.max_width), 1)
        if column.hidden:
            dim.hidden = True
    fit_row_heights(ws, columns, header_row + 1, last_row)
    print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}")


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    """``ws.cell(row, column)``: the cell there, made when there is none yet."""
    cell = ws._cells.get((row, column))
    return cell if cell is not None else ws.cell(row=row, column=column)


def style_array(cell: Cell) -> StyleArray:
    """The cell's style indices, created as openpyxl's style descriptors create them."""
    if not cell._style:
        cell._style = StyleArray()
    return cell._style


LINE_HEIGHT = 15.0  # points per line of 11-point text


def fit_row_heights(ws: Worksheet, columns: Sequence[Column], first_row: int, last_row: int) -> None:
    """Grow each row to the lines its wrapped cells need: Excel does this when a row is
    edited, but neither it nor LibreOffice does it on opening or printing a written file."""
    widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, len(columns) + 1)]
    alignments = ws.parent._alignments  # read by index: ``cell.alignment`` builds a proxy per call
    for row in range(first_row, last_row + 1):
        lines = 1
        for index, width in enumerate(widths, start=1):
            cell = cell_at(ws, row, index)
            if cell.value is None or not alignments[style_array(cell).alignmentId].wrap_text:
                continue
            usable = max(width - 1.5, 4.0)
            parts = str(cell.value).splitlines() or [""]
            needed = sum(max(1, math.ceil(display_width(part) / usable)) for part in parts)
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row].height = min(lines, 12) * LINE_HEIGHT


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    """A4, fitted to the page width, header rows repeated, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def add_choice_list(ws: Worksheet, col: int, choices: Sequence[str], first_row: int, last_row: int) -> DataValidation:
    """A drop-down on one column; other text is refused with a Chinese message."""
    letter = get_column_letter(col)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showDropDown=False,  # False shows the arrow (the attribute's name is inverted)
        showErrorMessage=True,
        errorTitle="请从列表中选择",
        error="请选择：" + "、".join(choices),
        promptTitle="审核人填写",
        prompt="、".join(choices),
        showInputMessage=True,
    )
    validation.add(f"{letter}{first_row}:{letter}{max(last_row, first_row)}")
    ws.add_data_validation(validation)
    return validation


def link_target(rel_path: str | None, workbook_dir: Path, received_dir: Path | None) -> str | None:
    """A hyperlink target for a path relative to the received folder.

    The target is relative to the workbook's folder when possible, so the link keeps working
    when the output sits beside (or inside) the received folder and the two move together.
    """
    if not rel_path:
        return None
    base = received_dir if received_dir is not None else Path(".")
    full = Path(os.path.abspath(base / rel_path))
    try:
        target = os.path.relpath(full, os.path.abspath(workbook_dir))
    except ValueError:  # another drive on Windows
        return full.as_uri()
    target = target.replace(os.sep, "/")
    return _ESCAPE_IN_NAME.sub(_real_bytes, target)


# intake.discover shows control characters and undecodable bytes as \xNN (a backslash as
# \\); a link must carry the real bytes, percent-encoded, or openpyxl refuses the target.
_ESCAPE_IN_NAME = re.compile(
    r"\\\\|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]|[ %#?\"<>\\^`{|}]"
)


def _real_bytes(match: re.Match[str]) -> str:
    token = match.group()
    if token == "\\\\":
        return "%5C"
    if token.startswith("\\x"):
        return f"%{int(token[2:], 16):02X}"
    char = chr(int(token[2:], 16)) if token.startswith("\\u") else token
    if 0xDC80 <= ord(char) <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return f"%{ord(char) - 0xDC00:02X}"
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", errors="surrogatepass"))


def set_link(cell: Cell, target: str | None, fragment: str | None = None) -> None:
    """Make a cell a hyperlink (blue, underlined) when there is a target."""
    if not target:
        return
    cell.hyperlink = target + (f"#{fragment}" if fragment else "")
    set_style(cell, "font", "link", lambda: Font(name=FONT_NAME, color="0563C1", underline="single"))


def use_house_font(workbook: Workbook) -> None:
    """Make the house font the workbook's default, so plain cells need no font of their own.

    Setting a Font on every cell cost most of the writing time of a re-run; openpyxl keeps
    the default font as the first entry of the workbook's font list and in the Normal style.
    """
    default = Font(name=FONT_NAME, sz=11)
    workbook._fonts = IndexedList([default])  # type: ignore[attr-defined]
    for style in workbook._named_styles:  # type: ignore[attr-defined]
        if style.name == "Normal":
            style.font = default
