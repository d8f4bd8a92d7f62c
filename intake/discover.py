"""Finding every file under a received folder, accounting for each one.

Symlinks that leave the folder are not followed; folder loops are cut; names that are not
valid UTF-8 (zips made on Chinese Windows are often GBK) get a readable display name while
the real path is kept for reading.

Every result is keyed by its display path (``rel``), so two real paths never share one: control
characters, U+FFFE/U+FFFF and bytes that decode as nothing are written as ``\\xNN`` escapes (a
literal backslash as ``\\\\``), and a GBK name whose readable form is already taken by a
sibling is shown by its escaped bytes instead (``link_target`` turns the escapes back into the
real bytes).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import InputFolderError
from models.records import FileEntry

# Files that operating systems and office programs leave behind; listed, never read.
_SYSTEM_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class FoundFile:
    path: Path  # real path, for reading
    rel: str  # display path relative to the received folder, "/"-separated, valid UTF-8

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.rel.split("/"))


@dataclass
class Discovery:
    root: Path
    files: list[FoundFile] = field(default_factory=list)
    skipped: list[FileEntry] = field(default_factory=list)


_ESCAPED = re.compile(r"[\\\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _escape(text: str) -> str:
    """Make invisible or undecodable characters visible and unambiguous."""

    def one(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\\":
            return "\\\\"
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _ESCAPED.sub(one, text)


def escaped_name(name: str) -> str:
    """The name shown so that it is unique for its bytes: valid UTF-8 with control
    characters escaped, else every non-ASCII byte as ``\\xNN``."""
    raw = os.fsencode(name)
    try:
        return _escape(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _escape(raw.decode("ascii", errors="surrogateescape"))


def display_name(name: str) -> str:
    """A readable, unambiguous name for a path component that may hold undecodable bytes:
    valid UTF-8 as it is, else GB18030 when that decodes it whole, else escaped bytes."""
    raw = os.fsencode(name)
    try:
        return _escape(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return _escape(raw.decode("gb18030"))  # names from zips made on Chinese Windows
    except UnicodeDecodeError:
        return escaped_name(name)


def _unique_names(names: list[str]) -> dict[str, str]:
    """Display names for one folder's entries, no two alike: a name whose readable form is
    taken (a GBK twin of a UTF-8 name) falls back to its escaped bytes."""
    shown: dict[str, str] = {}
    taken: set[str] = set()
    # Valid UTF-8 names first, so they keep their plain form whatever the folder order.
    for name in sorted(names, key=lambda n: (escaped_name(n) != display_name(n), os.fsencode(n))):
        label = display_name(name)
        if label in taken:
            label = escaped_name(name)
        taken.add(label)
        shown[name] = label
    return shown


def _skip(rel: str, reason: str) -> FileEntry:
    return FileEntry(path=rel, status="skipped", reason=reason)


def discover(root: Path) -> Discovery:
    """Walk ``root``; return the files to read, and those skipped with a Chinese reason."""
    if not root.is_dir():
        raise InputFolderError(f"收件目录“{root}”不存在或不是文件夹，请检查路径。")
    real_root = root.resolve()
    result = Discovery(root=root)
    seen_dirs: set[Path] = {real_root}
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel_parts = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            rel = "/".join(rel_parts) or "."
            result.skipped.append(_skip(rel, f"无法读取文件夹（{exc.strerror or exc}）"))
            continue
        subdirs: list[tuple[Path, tuple[str, ...]]] = []
        shown = _unique_names([entry.name for entry in entries])
        for entry in entries:
            parts = (*rel_parts, shown[entry.name])
            rel = "/".join(parts)
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(real_root):
                        result.skipped.append(_skip(rel, "符号链接指向收件目录以外，未跟随"))
                        continue
                    if target.is_dir():
                        if target in seen_dirs:
                            result.skipped.append(_skip(rel, "符号链接形成循环，未跟随"))
                            continue
                        seen_dirs.add(target)
                        subdirs.append((path, parts))
                        continue
                    if target.is_file():  # read once, under its own path
                        inside = "/".join(display_name(p) for p in target.relative_to(real_root).parts)
                        result.skipped.append(_skip(rel, f"符号链接指向收件目录中的“{inside}”，该文件按原路径读取"))
                        continue
                if entry.is_dir(follow_symlinks=False):
                    real = path.resolve()
                    if real in seen_dirs:
                        continue
                    seen_dirs.add(real)
                    subdirs.append((path, parts))
                    continue
                if not entry.is_file():
                    result.skipped.append(_skip(rel, "不是普通文件（设备、管道等），未读取"))
                    continue
            except RuntimeError:  # Path.resolve() on a symlink loop (a link to itself)
                result.skipped.append(_skip(rel, "符号链接形成循环，未跟随"))
                continue
            except OSError as exc:
                result.skipped.append(_skip(rel, f"无法访问（{exc.strerror or exc}）"))
                continue
            lower = entry.name.lower()
            if lower in _SYSTEM_NAMES or entry.name.startswith("~$"):
                result.skipped.append(_skip(rel, "系统或临时文件，未读取"))
                continue
            result.files.append(FoundFile(path=path, rel=rel))
        stack.extend(reversed(subdirs))
    result.files.sort(key=lambda f: f.rel)
    return result


_ESCAPE_TOKEN = re.compile(r"\\\\|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}")


def _unescape(part: str) -> bytes:
    """The bytes of a name component shown by ``display_name``/``escaped_name``."""
    out = bytearray()
    pos = 0
    for match in _ESCAPE_TOKEN.finditer(part):
        out += part[pos : match.start()].encode("utf-8")
        token = match.group()
        if token == "\\\\":
            out += b"\\"
        elif token.startswith("\\x"):
            out.append(int(token[2:], 16))
        else:
            out += chr(int(token[2:], 16)).encode("utf-8", errors="surrogatepass")
        pos = match.end()
    out += part[pos:].encode("utf-8")
    return bytes(out)


def real_path(root: Path, rel: str) -> Path:
    """The file a display path names: escapes turned back into bytes, and a component that
    does not exist as UTF-8 tried as GB18030 (the readable form of a GBK name). For readers
    of the outputs (evidence crops) that only have ``rel``."""
    current = os.fsencode(root)
    for part in rel.split("/"):
        raw = _unescape(part)
        candidate = os.path.join(current, raw)
        if not os.path.lexists(candidate):
            try:
                gbk = os.path.join(current, part.encode("gb18030"))
            except UnicodeEncodeError:
                gbk = candidate
            candidate = gbk if os.path.lexists(gbk) else candidate
        current = candidate
    return Path(os.fsdecode(current))
