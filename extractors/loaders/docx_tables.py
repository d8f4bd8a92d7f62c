"""Word tables on their real grid: ``w:gridSpan`` widens a cell, a ``w:vMerge`` (or
legacy ``w:hMerge``) continuation lengthens the cell it continues, so every merged cell is
kept once with its spans, holding the text and pictures of all its parts.

Every dimension is capped before the work: a span or ``gridBefore`` beyond Word's own limit
of 63 columns is clipped to it, and rows beyond ``MAX_TABLE_ROWS`` are not read (the table
notes how many were dropped), so a hostile ``gridSpan="999999999"`` costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from extractors.loaders.docx_styles import int_val, w
from models.document import normalise_text

MAX_GRID_COLS = 63  # Word's own limit on table columns
MAX_TABLE_ROWS = 2_000  # a form or summary table is far smaller; more is not a form


@dataclass
class CellAcc:
    """A cell being gathered: its top-left grid position, spans, lines and picture ids."""

    row: int
    col: int
    colspan: int
    lines: list[str] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)
    rowspan: int = 1


CellContent = Callable[[etree._Element], tuple[list[str], list[str]]]
"""Reads one ``w:tc`` into its lines and picture relationship ids."""


def grid(tbl: etree._Element, cell_content: CellContent) -> tuple[list[CellAcc], int, int]:
    """Cells of a table on its grid: gridSpan widens, vMerge continue lengthens the
    cell above, so every merged cell is emitted once. Columns are clipped to
    ``MAX_GRID_COLS`` and rows to ``MAX_TABLE_ROWS`` (see ``dropped_rows``)."""
    grid_cols = min(len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")), MAX_GRID_COLS)
    accs: list[CellAcc] = []
    owner: dict[tuple[int, int], CellAcc] = {}
    rows = children(tbl, w("tr"))[:MAX_TABLE_ROWS]
    for r, tr in enumerate(rows):
        col = min(max(0, int_val(tr.find(f"{w('trPr')}/{w('gridBefore')}"), 0)), MAX_GRID_COLS - 1)
        for tc in children(tr, w("tc")):
            if col >= MAX_GRID_COLS:
                break  # cells beyond Word's last column
            tcpr = tc.find(w("tcPr"))
            span = max(1, int_val(None if tcpr is None else tcpr.find(w("gridSpan")), 1))
            span = min(span, MAX_GRID_COLS - col)
            vmerge = None if tcpr is None else tcpr.find(w("vMerge"))
            hmerge = None if tcpr is None else tcpr.find(w("hMerge"))
            above = owner.get((r - 1, col))
            lines, pictures = cell_content(tc)
            if vmerge is not None and vmerge.get(w("val")) != "restart" and above:
                above.rowspan = r - above.row + 1
                above.lines.extend(lines)
                above.pictures.extend(pictures)
                target = above
            elif hmerge is not None and hmerge.get(w("val")) != "restart" and col > 0:
                target = owner.get((r, col - 1)) or CellAcc(r, col, span)
                if target.row == r:
                    target.colspan += span
                target.lines.extend(lines)
                target.pictures.extend(pictures)
            else:
                target = CellAcc(r, col, span, lines, pictures)
                accs.append(target)
            for c in range(col, col + span):
                owner[(r, c)] = target
            col += span
    n_cols = min(max([grid_cols] + [a.col + a.colspan for a in accs]), MAX_GRID_COLS)
    return accs, len(rows), n_cols


def dropped_rows(tbl: etree._Element) -> int:
    """Rows of ``tbl`` beyond ``MAX_TABLE_ROWS`` that ``grid`` does not read."""
    return max(0, len(children(tbl, w("tr"))) - MAX_TABLE_ROWS)


def children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Direct children with ``tag``, looking through sdt/customXml wrappers."""
    out: list[etree._Element] = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                out.extend(children(inner, tag))
    return out


def nearest_label(acc: CellAcc, by_pos: dict[tuple[int, int], CellAcc]) -> str:
    for col in range(acc.col - 1, -1, -1):
        left = by_pos.get((acc.row, col))
        if left and normalise_text(" ".join(left.lines)):
            return normalise_text(" ".join(left.lines))
    return ""
