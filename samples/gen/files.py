"""Byte-stable output: Office files are zip archives that carry write times; rewrite them
with fixed entry times and fixed core-property dates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2021, 11, 1, 9, 0, 0)
FIXED_W3CDTF = "2021-11-01T09:00:00Z"
_DATE_RE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML/zip file in place: same members, same order, fixed times and dates."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _DATE_RE.sub(rb"\g<1>" + FIXED_W3CDTF.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
