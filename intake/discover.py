"""Finding every file under a received folder, accounting for each one.

Symlinks that leave the folder are not followed; folder loops are cut; names that are not
valid UTF-8 (zips made on Chinese Windows are often GBK) get a readable display name while
the real path is kept for reading.
"""

from __future__ import annotations

import os
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


def display_name(name: str) -> str:
    """A readable name for a path component that may hold undecodable bytes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


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
        for entry in entries:
            parts = (*rel_parts, display_name(entry.name))
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
