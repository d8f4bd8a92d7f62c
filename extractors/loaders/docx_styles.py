"""How Word shows a paragraph: the east-asian font, size, bold and line spacing a run
resolves to through its styles, automatic list numbers rendered as printed ("一、",
"（二）", "3."), and the private-use codes of symbol fonts (Wingdings tick boxes) mapped to
the characters they draw. Shared WordprocessingML names live here too.
"""

from __future__ import annotations

import re

from lxml import etree

from models.document import TextStyle

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{W}{tag}"


def int_val(el: etree._Element | None, default: int) -> int:
    """An element's integer ``w:val``, ``default`` when absent or not a number."""
    if el is None:
        return default
    try:
        return int(el.get(w("val"), default))
    except ValueError:
        return default


# Private-use symbol codes of Wingdings / Wingdings 2 used for tick boxes.
_WINGDINGS = {0xA8: "□", 0x6F: "□", 0x71: "□", 0x6E: "■", 0xFE: "☑", 0xFD: "☒", 0xFC: "√"}
_WINGDINGS |= {0x78: "☒", 0xFB: "✗"}
_WINGDINGS2 = {0xA3: "□", 0x52: "☑", 0x54: "☒", 0x53: "☒", 0x50: "√", 0x4F: "✗"}


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
                value = int_val(lvl, 9)
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
                    int_val(lvl.find(w("start")), 1),
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
                    lvls[ilvl] = (int_val(start, 1), *lvls[ilvl][1:])
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
        ilvl = int_val(num_pr.find(w("ilvl")), 0)
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


def is_on(el: etree._Element) -> bool:
    """A Word on/off property: present without a value means on."""
    val = el.get(w("val")) or el.get(f"{W14}val")
    return val is None or val.lower() in ("1", "true", "on")


def checkbox_state(sdt: etree._Element) -> bool | None:
    """Ticked or not for a checkbox content control, None for any other control."""
    box = sdt.find(f"{w('sdtPr')}/{W14}checkbox")
    if box is None:
        return None
    checked = box.find(f"{W14}checked")
    return checked is not None and is_on(checked)


def symbol_font(rpr: etree._Element | None) -> str:
    """The run's western font name, lower case (where Wingdings is named)."""
    fonts = None if rpr is None else rpr.find(w("rFonts"))
    if fonts is None:
        return ""
    return (fonts.get(w("ascii")) or fonts.get(w("hAnsi")) or "").lower()


def map_symbols(text: str, font: str) -> str:
    """Wingdings private-use codes in run text → the tick-box characters they draw."""
    if "wingdings" not in font or not any(0xF000 <= ord(c) <= 0xF0FF for c in text):
        return text
    table = _WINGDINGS2 if "2" in font else _WINGDINGS
    return "".join(table.get(ord(c) - 0xF000, c) if 0xF000 <= ord(c) <= 0xF0FF else c for c in text)


def sym_char(el: etree._Element) -> str:
    """The character a ``w:sym`` element draws ("" when unknown)."""
    font = (el.get(w("font")) or "").lower()
    try:
        code = int(el.get(w("char")) or "0", 16)
    except ValueError:
        return ""
    code = code - 0xF000 if code >= 0xF000 else code
    if "wingdings" in font:
        return (_WINGDINGS2 if "2" in font else _WINGDINGS).get(code, "")
    return chr(code) if 0x20 <= code < 0xF000 else ""
