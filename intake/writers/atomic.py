"""Atomic file replacement: a crash or an exception while writing leaves the previous file.

The new content goes to a temporary file in the target's own directory (so the final
``os.replace`` is a rename on one file system), is flushed and fsynced, and only then
replaces the target. On any exception the temporary file is removed and the target is
untouched.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

TEMP_SUFFIX = ".tmp"
# ".review.xlsx.k3j_x9ab.tmp": mkstemp's eight random characters between name and suffix.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on success move it over ``path``.

    ``mode`` is "wb" (default) or "w" (text; ``encoding`` defaults to UTF-8). The file keeps
    the permissions a newly created file would get, not the temp file's 0600.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write supports modes 'w' and 'wb', not {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if mode == "w":
            handle: IO[Any] = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="")
        else:
            handle = os.fdopen(fd, "wb")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _set_default_permissions(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def _set_default_permissions(tmp: Path, target: Path) -> None:
    """Give the new file the old file's mode, or the umask default for a new one."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where directories cannot be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_stale_temps(folder: Path, depth: int = 2) -> int:
    """Remove temporary files that ``atomic_write`` left in ``folder`` (and its subfolders,
    ``depth`` levels) when a run was killed mid-write; return how many. Call it before a run
    writes, never while another run writes to the same folder."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False) and depth > 1:
                removed += clean_stale_temps(Path(entry.path), depth - 1)
            elif entry.is_file(follow_symlinks=False) and _TEMP_NAME.match(entry.name):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
