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

from lxml import etree

from extractors.loaders import safety
from models.document import (
    Block,
    Cell,
    Document,
    Page,
    Provenance,
    Seal,
    Table,
    TextStyle,
    normalise_text,
)
from models.errors import FileReadError

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{W}{tag}"


_PASS_THROUGH = {w(t) for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "dir")}
_PASS_THROUGH |= {w("bdo"), w("moveTo")}
_GRAPHICS = {w("drawing"), w("pict"), w("object"), f"{MC}AlternateContent"}

# Private-use symbol codes of Wingdings / Wingdings 2 used for tick boxes.
_WINGDINGS = {0xA8: "□", 0x6F: "□", 0x71: "□", 0x6E: "■", 0xFE: "☑", 0xFD: "☒", 0xFC: "√"}
_WINGDINGS |= {0x78: "☒", 0xFB: "✗"}
_WINGDINGS2 = {0xA3: "□", 0x52: "☑", 0x54: "☒", 0x53: "☒", 0x50: "√", 0x4F: "✗"}

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


class Styles:
    """Resolves a run's east-asian font, size and bold, and a paragraph's line spacing,
    through run → character style → paragraph style (basedOn chain) → docDefaults."""

    def __init__(self, root: etree._Element | None, theme: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.rpr_default = self.ppr_default = None
        if root is not None:
            for style in root.iter(w("style")):
                sid = style.get(w("styleId")) or ""
                self.by_id[sid] = style
                if style.get(w("type")) == "paragraph" and style.get(w("default")) in (
                    "1",
                    "true",
                ):
                    self.default_paragraph = sid
            self.rpr_default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
            self.ppr_default = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
        self.theme_fonts: dict[str, str] = {}
        if theme is not None:
            for which in ("major", "minor"):
                font = theme.find(f".//{A}{which}Font")
                if font is None:
                    continue
                ea = font.find(f"{A}ea")
                name = ea.get("typeface") if ea is not None else ""
                if not name:
                    hans = font.find(f"{A}font[@script='Hans']")
                    name = hans.get("typeface", "") if hans is not None else ""
                self.theme_fonts[f"{which}EastAsia"] = name

    def chain(self, style_id: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        while style_id and style_id in self.by_id and len(out) < 12:
            style = self.by_id[style_id]
            if style in out:
                break
            out.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return out

    def paragraph_style_id(self, p: etree._Element) -> str | None:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        return ps.get(w("val")) if ps is not None else self.default_paragraph

    def _rpr_sources(self, rpr: etree._Element | None, p_style: str | None) -> list:
        sources = [rpr]
        rstyle = None if rpr is None else rpr.find(w("rStyle"))
        if rstyle is not None:
            sources += [s.find(w("rPr")) for s in self.chain(rstyle.get(w("val")))]
        sources += [s.find(w("rPr")) for s in self.chain(p_style)]
        return [s for s in [*sources, self.rpr_default] if s is not None]

    def run_style(self, rpr: etree._Element | None, p_style: str | None) -> tuple:
        font = size = bold = None
        for src in self._rpr_sources(rpr, p_style):
            if font is None and (fonts := src.find(w("rFonts"))) is not None:
                font = fonts.get(w("eastAsia")) or self.theme_fonts.get(fonts.get(w("eastAsiaTheme")) or "")
                font = font or None
            if size is None and (sz := src.find(w("sz"))) is not None:
                try:
                    size = float(sz.get(w("val"), "")) / 2
                except ValueError:
                    size = None
            if bold is None and (b := src.find(w("b"))) is not None:
                bold = (b.get(w("val")) or "true").lower() in ("1", "true", "on")
        return font, size, bold

    def line_spacing(self, p: etree._Element) -> float | None:
        pprs = [p.find(w("pPr"))]
        pprs += [s.find(w("pPr")) for s in self.chain(self.paragraph_style_id(p))]
        for ppr in [*pprs, self.ppr_default]:
            spacing = None if ppr is None else ppr.find(w("spacing"))
            if spacing is not None and spacing.get(w("line")):
                if (spacing.get(w("lineRule")) or "auto") != "auto":
                    return None
                try:
                    return round(float(spacing.get(w("line"), "240")) / 240, 2)
                except ValueError:
                    return None
        return 1.0  # Word's default: single spacing

    def paragraph_style(self, p: etree._Element, runs: list[tuple[str, object]]) -> TextStyle:
        """The style carried by most characters of the paragraph."""
        p_style = self.paragraph_style_id(p)
        weights: dict[tuple, int] = {}
        for text, rpr in runs:
            key = self.run_style(rpr, p_style)  # type: ignore[arg-type]
            weights[key] = weights.get(key, 0) + len(text.strip())
        if weights:
            font, size, bold = max(weights.items(), key=lambda kv: kv[1])[0]
        else:
            font, size, bold = self.run_style(None, p_style)
        return TextStyle(font=font, size_pt=size, bold=bold, line_spacing=self.line_spacing(p))

    def heading_level(self, p: etree._Element) -> int | None:
        """Level from a Heading/标题 style name or an outline level in the style chain."""
        ppr = p.find(w("pPr"))
        chain = self.chain(self.paragraph_style_id(p) if ppr is not None else None)
        for el in [ppr, *(s.find(w("pPr")) for s in chain)]:
            lvl = None if el is None else el.find(w("outlineLvl"))
            if lvl is not None:
                value = _int_val(lvl, 9)
                return value + 1 if value < 9 else None
        for style in chain:
            name = style.find(w("name"))
            m = re.match(r"(?i)(?:heading|标题)\s*(\d)", name.get(w("val"), "") if name is not None else "")
            if m:
                return int(m.group(1))
        return None


_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                       (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out, n = out + sym, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "ideographDigital"):  # fmt: skip
        return _chinese_number(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


class Numbering:
    """Renders automatic list numbers ("一、", "（二）", "3.") as Word shows them, so the
    outline patterns survive when authors use auto-numbering."""

    def __init__(self, root: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iter(w("abstractNum")):
            lvls = {}
            for lvl in an.findall(w("lvl")):
                ilvl = int(lvl.get(w("ilvl"), "0") or 0)
                fmt = lvl.find(w("numFmt"))
                text = lvl.find(w("lvlText"))
                lvls[ilvl] = (
                    _int_val(lvl.find(w("start")), 1),
                    fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                    text.get(w("val"), "") if text is not None else "",
                )
            abstract[an.get(w("abstractNumId"), "")] = lvls
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            lvls = dict(abstract.get(ref.get(w("val"), "") if ref is not None else "", {}))
            for override in num.findall(w("lvlOverride")):
                start = override.find(w("startOverride"))
                ilvl = int(override.get(w("ilvl"), "0") or 0)
                if start is not None and ilvl in lvls:
                    lvls[ilvl] = (_int_val(start, 1), *lvls[ilvl][1:])
            self.levels[num.get(w("numId"), "")] = lvls

    def prefix(self, p: etree._Element, styles: Styles) -> str:
        num_pr = p.find(f"{w('pPr')}/{w('numPr')}")
        if num_pr is None:
            for style in styles.chain(styles.paragraph_style_id(p)):
                num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
                if num_pr is not None:
                    break
        if num_pr is None:
            return ""
        num_id_el = num_pr.find(w("numId"))
        num_id = num_id_el.get(w("val"), "0") if num_id_el is not None else "0"
        ilvl = _int_val(num_pr.find(w("ilvl")), 0)
        lvls = self.levels.get(num_id)
        if not lvls or ilvl not in lvls or not 0 <= ilvl < 9:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else lvls[ilvl][0]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = lvls[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def level_number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters[k] or lvls.get(k, (1, "", ""))[0]
            return _format_number(value, lvls.get(k, (1, "decimal", ""))[1])

        rendered = re.sub(r"%(\d)", level_number, text)
        return rendered if rendered[-1:] in "、.．)）:：" else rendered + " "


@dataclass
class _Para:
    """Text and facts gathered from one paragraph while walking it."""

    parts: list[str] = field(default_factory=list)
    runs: list[tuple[str, object]] = field(default_factory=list)  # (text, style key)
    pictures: list[str] = field(default_factory=list)  # relationship ids
    textboxes: list[etree._Element] = field(default_factory=list)


@dataclass
class _CellAcc:
    row: int
    col: int
    colspan: int
    lines: list[str] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)
    rowspan: int = 1


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
        self.seal_candidates: list[tuple[str, str]] = []  # (rId, nearest text)
        self.paragraph_pictures: dict[int, int] = {}

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
            self.seal_candidates.extend((rid, label) for rid in para.pictures)
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
        accs, n_rows, n_cols = self.grid(tbl)
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
                label = text or _nearest_label(acc, by_pos) or self.last_text
                self.seal_candidates.extend((rid, label) for rid in acc.pictures)
        prov = Provenance(file=self.rel, page=1, cell=f"table {number}", method="docx")
        self.tables.append(Table(cells=cells, n_rows=n_rows, n_cols=n_cols, prov=prov))
        self.order.append(f"t{number}")

    # -- tables -------------------------------------------------------------------------
    def grid(self, tbl: etree._Element) -> tuple[list[_CellAcc], int, int]:
        """Cells of a table on its grid: gridSpan widens, vMerge continue lengthens the
        cell above, so every merged cell is emitted once."""
        grid_cols = len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))
        accs: list[_CellAcc] = []
        owner: dict[tuple[int, int], _CellAcc] = {}
        rows = _children(tbl, w("tr"))
        for r, tr in enumerate(rows):
            col = _int_val(tr.find(f"{w('trPr')}/{w('gridBefore')}"), 0)
            for tc in _children(tr, w("tc")):
                tcpr = tc.find(w("tcPr"))
                span = max(1, _int_val(None if tcpr is None else tcpr.find(w("gridSpan")), 1))
                vmerge = None if tcpr is None else tcpr.find(w("vMerge"))
                hmerge = None if tcpr is None else tcpr.find(w("hMerge"))
                above = owner.get((r - 1, col))
                lines, pictures = self.cell_content(tc)
                if vmerge is not None and vmerge.get(w("val")) != "restart" and above:
                    above.rowspan = r - above.row + 1
                    above.lines.extend(lines)
                    above.pictures.extend(pictures)
                    target = above
                elif hmerge is not None and hmerge.get(w("val")) != "restart" and col > 0:
                    target = owner.get((r, col - 1)) or _CellAcc(r, col, span)
                    if target.row == r:
                        target.colspan += span
                    target.lines.extend(lines)
                    target.pictures.extend(pictures)
                else:
                    target = _CellAcc(r, col, span, lines, pictures)
                    accs.append(target)
                for c in range(col, col + span):
                    owner[(r, c)] = target
                col += span
        n_cols = max([grid_cols] + [a.col + a.colspan for a in accs])
        return accs, len(rows), n_cols

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
                for tr in _children(child, w("tr")):
                    texts = []
                    for tc in _children(tr, w("tc")):
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
                checked = _checkbox_state(child)
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
        symbol_font = _symbol_font(rpr)
        pieces: list[str] = []
        for child in r:
            tag = child.tag
            if tag == w("t"):
                pieces.append(_map_symbols(child.text or "", symbol_font))
            elif tag == w("tab"):
                pieces.append("\t")
            elif tag in (w("br"), w("cr")):
                pieces.append("\n")
            elif tag == w("noBreakHyphen"):
                pieces.append("-")
            elif tag == w("sym"):
                pieces.append(_sym(child))
            elif tag == w("fldChar"):
                box = child.find(f"{w('ffData')}/{w('checkBox')}")
                if box is not None:
                    state = box.find(w("checked"))
                    state = box.find(w("default")) if state is None else state
                    pieces.append("☑" if state is not None and _on(state) else "□")
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


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Direct children with ``tag``, looking through sdt/customXml wrappers."""
    out: list[etree._Element] = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                out.extend(_children(inner, tag))
    return out


def _nearest_label(acc: _CellAcc, by_pos: dict[tuple[int, int], _CellAcc]) -> str:
    for col in range(acc.col - 1, -1, -1):
        left = by_pos.get((acc.row, col))
        if left and normalise_text(" ".join(left.lines)):
            return normalise_text(" ".join(left.lines))
    return ""


def _int_val(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(w("val"), default))
    except ValueError:
        return default


def _on(el: etree._Element) -> bool:
    val = el.get(w("val")) or el.get(f"{W14}val")
    return val is None or val.lower() in ("1", "true", "on")


def _checkbox_state(sdt: etree._Element) -> bool | None:
    box = sdt.find(f"{w('sdtPr')}/{W14}checkbox")
    if box is None:
        return None
    checked = box.find(f"{W14}checked")
    return checked is not None and _on(checked)


def _choose(alt: etree._Element) -> etree._Element | None:
    branch = alt.find(f"{MC}Choice")
    return branch if branch is not None else alt.find(f"{MC}Fallback")


def _symbol_font(rpr: etree._Element | None) -> str:
    fonts = None if rpr is None else rpr.find(w("rFonts"))
    if fonts is None:
        return ""
    return (fonts.get(w("ascii")) or fonts.get(w("hAnsi")) or "").lower()


def _map_symbols(text: str, font: str) -> str:
    if "wingdings" not in font or not any(0xF000 <= ord(c) <= 0xF0FF for c in text):
        return text
    table = _WINGDINGS2 if "2" in font else _WINGDINGS
    return "".join(table.get(ord(c) - 0xF000, c) if 0xF000 <= ord(c) <= 0xF0FF else c for c in text)


def _sym(el: etree._Element) -> str:
    font = (el.get(w("font")) or "").lower()
    try:
        code = int(el.get(w("char")) or "0", 16)
    except ValueError:
        return ""
    code = code - 0xF000 if code >= 0xF000 else code
    if "wingdings" in font:
        return (_WINGDINGS2 if "2" in font else _WINGDINGS).get(code, "")
    return chr(code) if 0x20 <= code < 0xF000 else ""


def _seals(candidates: list[tuple[str, str]], part: object) -> list[Seal]:
    """Decode each distinct picture once; red-dominant ones are electronic seals."""
    verdicts: dict[str, bool] = {}
    seals: list[Seal] = []
    rels = getattr(part, "rels", {})
    for rid, label in candidates:
        if rid not in verdicts:
            rel = rels.get(rid)
            blob = b""
            if rel is not None and not rel.is_external:
                blob = getattr(rel.target_part, "blob", b"")
            share = safety.red_share(blob) if blob else 0.0
            verdicts[rid] = safety.is_red_dominant(share)
        if verdicts[rid]:
            seals.append(Seal(page=1, source="docx-picture", text=label or None))
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
    except (PackageNotFoundError, KeyError, ValueError, etree.LxmlError) as exc:
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
    return Document(file=rel, source_kind="docx", pages=[page], meta=meta)
