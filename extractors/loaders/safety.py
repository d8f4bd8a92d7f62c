"""Guards run before any parser touches a file: what the bytes really are (magic-byte
sniffing), whether an Office zip would explode when unpacked, whether its XML tries entity
tricks, whether a legacy OLE file is encrypted, and a bounded way to decode pictures.

Every refusal is a ``FileReadError`` with a Chinese message for the reviewer.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from pathlib import Path

from models.errors import FileReadError

log = logging.getLogger(__name__)

MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200.0
RATIO_FLOOR_BYTES = 20 * 1024 * 1024  # the ratio rule only matters for large outputs
MAX_ZIP_ENTRIES = 20_000
MAX_IMAGE_PIXELS = 60_000_000

MSG_EMPTY = "文件为空（0 字节）"
MSG_BOMB = "文件解压后体积异常（疑似压缩炸弹），已跳过"
MSG_ENCRYPTED = "文件已加密，无法读取；请申报单位提供未加密的文件"
MSG_NOT_WORD = "文件内容不是有效的 Word 文档（可能是改了扩展名的其他文件）"
MSG_NOT_EXCEL = "文件内容不是有效的 Excel 工作簿（可能是改了扩展名的其他文件）"
MSG_NOT_PDF = "文件内容不是有效的 PDF（可能是改了扩展名的其他文件）"
MSG_XML_TRICK = "文件内部的 XML 含有实体声明（DOCTYPE/ENTITY），存在安全风险，已跳过"
MSG_CORRUPT_ZIP = "文件已损坏（压缩包结构无法读取），请申报单位重新提供"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WORKBOOK_STREAM = "Workbook".encode("utf-16-le")


def _head(path: Path, size: int = 2048) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise FileReadError("文件无法打开（没有读取权限或已被占用）", detail=str(exc)) from exc


def sniff(path: Path) -> str:
    """What the file's bytes say it is: "pdf", "docx", "xlsx", "pptx", "zip", "doc", "xls",
    "ole-encrypted", "ole", "jpeg", "png", "gif", "bmp", "tiff", "rtf", "html", "xml",
    "empty" or "unknown". Never raises except for an unopenable file."""
    head = _head(path)
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    simple = {
        b"\xff\xd8\xff": "jpeg",
        b"\x89PNG\r\n\x1a\n": "png",
        b"GIF87a": "gif",
        b"GIF89a": "gif",
        b"II*\x00": "tiff",
        b"MM\x00*": "tiff",
        b"{\\rtf": "rtf",
    }
    for magic, kind in simple.items():
        if head.startswith(magic):
            return kind
    if head.startswith(b"BM") and len(head) > 14:
        return "bmp"
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"mime-version")):
        return "html"
    if lowered.startswith(b"<?xml"):
        return "html" if b"<html" in lowered else "xml"
    return "unknown"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except Exception:  # any failure here is reported by check_zip later
        return "zip"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def _sniff_ole(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return "ole"
    if _ENCRYPTED_PACKAGE in data:
        return "ole-encrypted"  # an encrypted .docx/.xlsx lives in an OLE container
    if _WORD_STREAM in data:
        return "ole-encrypted" if _doc_is_encrypted(data) else "doc"
    if _WORKBOOK_STREAM in data:
        return "xls"
    return "ole"


def _doc_is_encrypted(data: bytes) -> bool:
    """Read the fEncrypted bit of a Word 97-2003 FIB. The WordDocument stream is large, so
    it sits in ordinary sectors: its directory entry gives the first sector directly."""
    try:
        sector = 1 << int.from_bytes(data[0x1E:0x20], "little")
        if sector not in (512, 4096):
            return False
        entry_at = -1
        pos = data.find(_WORD_STREAM)
        while pos != -1:
            if pos >= 512 and (pos - 512) % 128 == 0:
                entry_at = pos
                break
            pos = data.find(_WORD_STREAM, pos + 1)
        if entry_at < 0:
            return False
        start = int.from_bytes(data[entry_at + 0x74 : entry_at + 0x78], "little")
        fib = (start + 1) * sector
        if data[fib : fib + 2] != b"\xec\xa5":  # wIdent of a Word FIB
            return False
        flags = int.from_bytes(data[fib + 0x0A : fib + 0x0C], "little")
        return bool(flags & 0x0100)
    except (IndexError, ValueError):
        return False


def check_ole(kind: str) -> None:
    """Refuse OLE containers that we know are encrypted."""
    if kind == "ole-encrypted":
        raise FileReadError(MSG_ENCRYPTED, detail="encrypted OLE container")


def check_zip(path: Path) -> None:
    """Refuse an Office zip that is corrupt, expands beyond ``MAX_UNZIPPED_BYTES`` (declared
    or actually, whichever is reached first), has a suspicious compression ratio, or holds
    XML with a DOCTYPE or entity declaration (billion laughs, external entities)."""
    try:
        compressed = max(path.stat().st_size, 1)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileReadError(MSG_BOMB, detail=f"{len(infos)} zip entries")
            declared = sum(i.file_size for i in infos)
            _check_size(declared, compressed, "declared")
            actual = 0
            for info in infos:
                actual = _inflate_entry(zf, info, actual, compressed)
    except FileReadError:
        raise
    except zipfile.LargeZipFile as exc:
        raise FileReadError(MSG_BOMB, detail=str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise FileReadError(MSG_CORRUPT_ZIP, detail=f"{type(exc).__name__}: {exc}") from exc
    except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
        raise FileReadError(MSG_ENCRYPTED, detail=str(exc)) from exc


def _check_size(total: int, compressed: int, what: str) -> None:
    ratio = total / compressed
    if total > MAX_UNZIPPED_BYTES or (total > RATIO_FLOOR_BYTES and ratio > MAX_RATIO):
        raise FileReadError(MSG_BOMB, detail=f"{what} {total} bytes, ratio {ratio:.0f}")


_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def _inflate_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, compressed: int) -> int:
    """Decompress one entry in chunks, counting real bytes; scan every XML part whole for
    DOCTYPE/ENTITY declarations (padding before them does not hide them; UTF-16 parts are
    scanned with their zero bytes dropped)."""
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            total += len(chunk)
            if is_xml:
                window = tail + chunk.replace(b"\x00", b"").upper()
                if any(mark in window for mark in _DECLARATIONS):
                    raise FileReadError(MSG_XML_TRICK, detail=f"DOCTYPE in {info.filename}")
                tail = window[-16:]
            if total > MAX_UNZIPPED_BYTES:
                _check_size(total, compressed, "actual")
    _check_size(total, compressed, "actual")
    return total


def red_share(data: bytes) -> float:
    """Share of red-ish pixels among the non-white, non-transparent pixels of an encoded
    picture (0 when it cannot be decoded or is nearly blank). Decoding is bounded: the
    picture is reduced to at most 160 px before counting."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return 0.0
            img.draft("RGB", (320, 320))
            img.thumbnail((160, 160))
            return red_share_of(img)
    except Exception as exc:  # any decoder failure just means "not a seal"
        log.debug("picture not decoded: %s", exc)
        return 0.0


def red_share_of(img: object) -> float:
    """``red_share`` for an already opened PIL image."""
    from PIL import Image

    assert isinstance(img, Image.Image)
    import numpy as np

    rgba = np.asarray(img.convert("RGBA"), dtype=np.int16)
    r, g, b, a = rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3]
    ink_mask = (a >= 64) & ~((r > 215) & (g > 215) & (b > 215))
    ink = int(ink_mask.sum())
    if ink < max(20, r.size // 100):
        return 0.0
    red = int((ink_mask & (r > 140) & (r - g > 60) & (r - b > 50)).sum())
    return red / ink


def is_red_dominant(share: float) -> bool:
    """A picture whose ink is mostly red: the mark of an electronic seal."""
    return share >= 0.5
