"""Byte-stable output: Office files are zip archives that carry write times; rewrite them
with fixed entry times and fixed core-property dates. python-docx's template also carries
parts that today's Word no longer writes (stylesWithEffects.xml, a thumbnail) and 160-odd
style definitions; drop those parts and the styles that the document never uses."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2021, 11, 1, 9, 0, 0)
FIXED_W3CDTF = "2021-11-01T09:00:00Z"
_DATE_RE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_DROP = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def _used_styles(styles: bytes, parts: list[bytes]) -> bytes:
    """styles.xml keeping the default styles, the styles the parts use, and what those are
    based on or linked to."""
    from lxml import etree

    root = etree.fromstring(styles)
    by_id = {el.get(_W + "styleId"): el for el in root.iter(_W + "style")}
    keep = {m.decode() for part in parts for m in _STYLE_REF.findall(part)}
    keep |= {sid for sid, el in by_id.items() if el.get(_W + "default") == "1"}
    todo = list(keep)
    while todo:
        el = by_id.get(todo.pop())
        for tag in ("basedOn", "link", "next"):
            ref = None if el is None else el.find(_W + tag)
            if ref is not None and ref.get(_W + "val") not in keep:
                keep.add(ref.get(_W + "val"))
                todo.append(ref.get(_W + "val"))
    for sid, el in by_id.items():
        if sid not in keep:
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_refs(data: bytes) -> bytes:
    """Remove the Relationship / Override elements that point at a dropped part."""
    for part in _DROP:
        name = part.rsplit("/", 1)[1].encode()
        data = re.sub(rb"<(?:Relationship|Override)\b[^>]*" + re.escape(name) + rb"\"[^>]*/>", b"", data)
    return data


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML/zip file in place: same members, same order, fixed times and dates."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist() if info.filename not in _DROP]
    parts = [data for info, data in members if info.filename.startswith("word/") and info.filename != "word/styles.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _DATE_RE.sub(rb"\g<1>" + FIXED_W3CDTF.encode() + rb"\g<2>", data)
            elif info.filename == "word/styles.xml":
                data = _used_styles(data, parts)
            elif info.filename.endswith((".rels", "[Content_Types].xml")):
                data = _without_refs(data)
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
