"""Word .docx → one pseudo-page ``Document``: paragraphs (text boxes included) as blocks,
tables on their real grid with merged cells once, electronic seals from red pictures.

python-docx opens the package; the body is walked on the raw WordprocessingML because
the high-level API hides merged cells, text boxes and content controls.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from extractors.loaders import safety
from extractors.loaders.docx_styles import (
    Numbering,
    Styles,
    checkbox_state,
    is_on,
    map_symbols,
    sym_char,
    symbol_font,
    w,
)
from extractors.loaders.docx_tables import MAX_TABLE_ROWS, children, dropped_rows, grid, nearest_label
from models.document import Block, Cell, Document, Page, Provenance, Seal, Table, normalise_text
from models.errors import FileReadError

log = logging.getLogger(__name__)

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

_PASS_THROUGH = {w(t) for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "dir")}
_PASS_THROUGH |= {w("bdo"), w("moveTo")}
_GRAPHICS = {w("drawing"), w("pict"), w("object"), f"{MC}AlternateContent"}


_HEADING_PATTERNS = [
    (re.compile(r"^[一二三四五六七八九十]{1,3}[、．.]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"), 2),
    (re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"), 3),
]
HEADING_MAX_CHARS = 40


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def parse_part(blob: bytes) -> etree._Element:
    """Parse one package part with entities off and no network (check_zip already refused
    DOCTYPEs; this is the second fence)."""
    return etree.fromstring(blob, _PARSER)


@dataclass
class _Para:
    """Text and facts gathered from one paragraph while walking it."""

    parts: list[str] = field(default_factory=list)
    runs: list[tuple[str, object]] = field(default_factory=list)  # (text, style key)
    pictures: list[str] = field(default_factory=list)  # relationship ids
    textboxes: list[etree._Element] = field(default_factory=list)


class SealCandidate(NamedTuple):
    """A picture in the body: its relationship id, the text that names it (its own
    paragraph or cell, else the nearest label), and where it sits, as the ``prov.cell``
    of that paragraph or cell ("paragraph 12", "table 2 r5 c1")."""

    rid: str
    label: str
    anchor: str


class _Walker:
    """Walks a document body in order, producing blocks, tables and seal candidates."""

    def __init__(self, rel: str, styles: Styles, numbering: Numbering) -> None:
        self.rel = rel
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.order: list[str] = []
        self.paragraph_no = 0
        self.last_text = ""
        self.seal_candidates: list[SealCandidate] = []
        self.paragraph_pictures: dict[int, int] = {}
        self.dropped: dict[int, int] = {}  # table number → rows beyond MAX_TABLE_ROWS

    # -- body level -------------------------------------------------------------------
    def body(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == w("p"):
                self.top_paragraph(child)
            elif tag == w("tbl"):
                self.top_table(child)
            elif tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    self.body(content)

    def top_paragraph(self, p: etree._Element) -> None:
        self.paragraph_no += 1
        number = self.paragraph_no
        para = self.paragraph(p)
        text = "".join(para.parts)
        if para.pictures:
            self.paragraph_pictures[number] = len(para.pictures)
            label = normalise_text(text) or self.last_text
            anchor = f"paragraph {number}"
            self.seal_candidates.extend(SealCandidate(rid, label, anchor) for rid in para.pictures)
        if normalise_text(text):
            self.blocks.append(self.make_block(p, text, para, number))
            self.order.append(f"p{number}")
            self.last_text = normalise_text(text)
        for box in para.textboxes:
            self.body(box)

    def make_block(self, p: etree._Element, text: str, para: _Para, number: int) -> Block:
        style = self.styles.paragraph_style(p, para.runs)
        clean = normalise_text(text)
        level = None
        if len(clean) < HEADING_MAX_CHARS:  # the outline pattern says more than a style
            level = next((lv for rx, lv in _HEADING_PATTERNS if rx.match(clean)), None)
        if level is None:
            level = self.styles.heading_level(p)
        return Block(
            text=clean,
            orig=text,
            prov=Provenance(file=self.rel, page=1, cell=f"paragraph {number}", method="docx"),
            role="heading" if level is not None else "paragraph",
            level=level,
            style=style,
        )

    def top_table(self, tbl: etree._Element) -> None:
        number = len(self.tables) + 1
        accs, n_rows, n_cols = grid(tbl, self.cell_content)
        if dropped := dropped_rows(tbl):
            self.dropped[number] = dropped
        cells: list[Cell] = []
        by_pos = {(a.row, a.col): a for a in accs}
        for acc in accs:
            orig = "\n".join(line for line in acc.lines if line.strip())
            text = normalise_text(orig)
            cell_ref = f"table {number} r{acc.row + 1} c{acc.col + 1}"
            cells.append(
                Cell(
                    text=text,
                    orig=orig,
                    row=acc.row,
                    col=acc.col,
                    rowspan=acc.rowspan,
                    colspan=acc.colspan,
                    prov=Provenance(file=self.rel, page=1, cell=cell_ref, method="docx"),
                    image_count=len(acc.pictures),
                )
            )
            if acc.pictures:
                label = text or nearest_label(acc, by_pos) or self.last_text
                self.seal_candidates.extend(SealCandidate(rid, label, cell_ref) for rid in acc.pictures)
        prov = Provenance(file=self.rel, page=1, cell=f"table {number}", method="docx")
        self.tables.append(Table(cells=cells, n_rows=n_rows, n_cols=n_cols, prov=prov))
        self.order.append(f"t{number}")

    # -- tables -------------------------------------------------------------------------
    def cell_content(self, container: etree._Element) -> tuple[list[str], list[str]]:
        """Lines and picture ids of a cell; nested tables are folded in row by row."""
        lines: list[str] = []
        pictures: list[str] = []
        for child in container:
            if child.tag == w("p"):
                para = self.paragraph(child)
                lines.append("".join(para.parts))
                pictures.extend(para.pictures)
                for box in para.textboxes:
                    sub_lines, sub_pics = self.cell_content(box)
                    lines.extend(sub_lines)
                    pictures.extend(sub_pics)
            elif child.tag == w("tbl"):
                for tr in children(child, w("tr")):
                    texts = []
                    for tc in children(tr, w("tc")):
                        sub_lines, sub_pics = self.cell_content(tc)
                        texts.append(" ".join(t for t in sub_lines if t.strip()))
                        pictures.extend(sub_pics)
                    lines.append(" ".join(t for t in texts if t))
            elif child.tag in (w("sdt"), w("customXml")):
                inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if inner is not None:
                    sub_lines, sub_pics = self.cell_content(inner)
                    lines.extend(sub_lines)
                    pictures.extend(sub_pics)
        return lines, pictures

    # -- paragraphs and runs ------------------------------------------------------------
    def paragraph(self, p: etree._Element) -> _Para:
        para = _Para()
        prefix = self.numbering.prefix(p, self.styles)
        if prefix:
            para.parts.append(prefix)
        self.inline(p, para)
        return para

    def inline(self, el: etree._Element, para: _Para) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self.run(child, para)
            elif tag in _PASS_THROUGH:
                self.inline(child, para)
            elif tag == w("sdt"):
                checked = checkbox_state(child)
                content = child.find(w("sdtContent"))
                if checked is not None:
                    para.parts.append("☑" if checked else "□")
                elif content is not None:
                    self.inline(content, para)
            elif tag == f"{MC}AlternateContent":
                branch = _choose(child)
                if branch is not None:
                    self.inline(branch, para)

    def run(self, r: etree._Element, para: _Para) -> None:
        rpr = r.find(w("rPr"))
        font = symbol_font(rpr)
        pieces: list[str] = []
        for child in r:
            tag = child.tag
            if tag == w("t"):
                pieces.append(map_symbols(child.text or "", font))
            elif tag == w("tab"):
                pieces.append("\t")
            elif tag in (w("br"), w("cr")):
                pieces.append("\n")
            elif tag == w("noBreakHyphen"):
                pieces.append("-")
            elif tag == w("sym"):
                pieces.append(sym_char(child))
            elif tag == w("fldChar"):
                box = child.find(f"{w('ffData')}/{w('checkBox')}")
                if box is not None:
                    state = box.find(w("checked"))
                    state = box.find(w("default")) if state is None else state
                    pieces.append("☑" if state is not None and is_on(state) else "□")
            elif tag in _GRAPHICS:
                self.graphic(child, para)
        text = "".join(pieces)
        if text:
            para.parts.append(text)
            para.runs.append((text, rpr))

    def graphic(self, el: etree._Element, para: _Para) -> None:
        """Pictures and text boxes inside a drawing; of mc:AlternateContent only one
        branch is read so text boxes are not doubled."""
        if el.tag == f"{MC}AlternateContent":
            branch = _choose(el)
            if branch is not None:
                for child in branch:
                    self.graphic(child, para)
            return
        boxes = list(el.iter(w("txbxContent")))
        outer = [b for b in boxes if not any(a in boxes for a in b.iterancestors())]
        para.textboxes.extend(outer)
        for blip in el.iter(A_BLIP):
            rid = blip.get(f"{R}embed")
            if rid and not any(a.tag == w("txbxContent") for a in blip.iterancestors()):
                para.pictures.append(rid)
        for data in el.iter(V_IMAGEDATA):
            rid = data.get(f"{R}id")
            if rid:
                para.pictures.append(rid)


def _choose(alt: etree._Element) -> etree._Element | None:
    branch = alt.find(f"{MC}Choice")
    return branch if branch is not None else alt.find(f"{MC}Fallback")


def _seals(candidates: list[SealCandidate], part: object) -> list[Seal]:
    """Decode each distinct picture once; red-dominant ones are electronic seals."""
    verdicts: dict[str, bool] = {}
    seals: list[Seal] = []
    rels = getattr(part, "rels", {})
    for rid, label, anchor in candidates:
        if rid not in verdicts:
            rel = rels.get(rid)
            blob = b""
            if rel is not None and not rel.is_external:
                blob = getattr(rel.target_part, "blob", b"")
            share = safety.red_share(blob) if blob else 0.0
            verdicts[rid] = safety.is_red_dominant(share)
        if verdicts[rid]:
            seals.append(Seal(page=1, source="docx-picture", text=label or None, anchor=anchor))
    return seals


def _compress_order(order: list[str]) -> str:
    """ "p1 p2 p3 t1 p4" → "p1-p3 t1 p4"."""
    out: list[str] = []
    run: list[str] = []
    for item in [*order, "end0"]:
        if run and item[0] == run[-1][0] and int(item[1:]) == int(run[-1][1:]) + 1:
            run.append(item)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [item]
    return " ".join(out)


def load_docx(path: Path, rel: str, sniffed: str | None = None) -> Document:
    """Read a .docx (or .docm/.dotx) into a ``Document`` with one pseudo-page."""
    kind = sniffed or safety.sniff(path)
    if kind != "docx":
        safety.check_ole(kind)
        if kind == "zip":
            safety.check_zip(path)  # a broken zip says so rather than "not Word"
        raise FileReadError(safety.MSG_NOT_WORD, detail=f"sniffed as {kind}")
    safety.check_zip(path)
    from docx.opc.exceptions import PackageNotFoundError
    from docx.package import Package

    try:
        package = Package.open(str(path))
        part = package.main_document_part
        root = parse_part(part.blob)
    except FileReadError:
        raise
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError, etree.LxmlError) as exc:
        # python-docx trusts the package's own parts: a [Content_Types].xml or a relationship
        # part that is not what its name says surfaces as an AttributeError or TypeError
        raise FileReadError(safety.MSG_NOT_WORD, detail=f"{type(exc).__name__}: {exc}") from exc
    body = root.find(w("body"))
    if body is None:
        raise FileReadError(safety.MSG_NOT_WORD, detail="no w:body")
    related = {r.reltype.rsplit("/", 1)[-1]: r for r in part.rels.values() if not r.is_external}

    def xml_of(name: str) -> etree._Element | None:
        rel_ = related.get(name)
        try:
            return parse_part(rel_.target_part.blob) if rel_ is not None else None
        except etree.LxmlError:
            log.warning("%s: unreadable %s part", rel, name)
            return None

    styles = Styles(xml_of("styles"), xml_of("theme"))
    walker = _Walker(rel, styles, Numbering(xml_of("numbering")))
    walker.body(body)
    seals = _seals(walker.seal_candidates, part)
    page = Page(number=1, unit="none", blocks=walker.blocks, tables=walker.tables, seals=seals)
    meta = {
        "paragraphs": str(walker.paragraph_no),
        "tables": str(len(walker.tables)),
        "images": str(len(walker.seal_candidates)),
        "body_order": _compress_order(walker.order),
        "paragraph_images": " ".join(f"{k}:{v}" for k, v in walker.paragraph_pictures.items()),
    }
    if walker.dropped:
        tables = "、".join(f"表格{n}共 {MAX_TABLE_ROWS + rows} 行" for n, rows in walker.dropped.items())
        meta["truncated"] = f"{tables}，只读取了前 {MAX_TABLE_ROWS} 行"
    return Document(file=rel, source_kind="docx", pages=[page], meta=meta)
