"""Content-keyed cache of per-file results, in SQLite under the output folder.

The key is the file's SHA-256 plus everything that changes what reading gives (the
extraction version and the OCR engine), so a renamed or moved file is still a hit and a
changed file is read again. Only the parent process touches the database.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
import zlib
from pathlib import Path

from intake.reading import READ_VERSION, FileResult

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)"


@functools.cache
def code_fingerprint() -> str:
    """A hash of the code that turns a file into documents (extractors, models, reading), so
    an upgrade or a local change to reading never serves a result read by other code."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(READ_VERSION.encode())
    sources = [root / "intake" / "reading.py"]
    for package in ("extractors", "models"):
        sources.extend(sorted((root / package).rglob("*.py")))
    for path in sources:
        try:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:16]


def cache_key(sha256: str, ocr_engine: str) -> str:
    return f"{sha256}:{code_fingerprint()}:{ocr_engine}"


class ResultCache:
    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            # WAL without a sync per commit: a crash may lose the last entries (they are
            # read again next time), never the database; a commit per file with a sync each
            # cost 16 ms per file.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except sqlite3.Error as exc:  # a broken cache must not stop the run
            log.warning("cache disabled: %s", exc)
            self._db = None

    def get(self, key: str, rel: str) -> FileResult | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            result = FileResult.model_validate_json(zlib.decompress(row[0]))
        except (sqlite3.Error, zlib.error, ValueError) as exc:
            log.warning("cache entry for %s unusable: %s", rel, exc)
            return None
        return _relocate(result, rel)

    def put(self, key: str, result: FileResult) -> None:
        if self._db is None or result.entry.status != "read":
            return  # unreadable files are retried on the next run
        blob = zlib.compress(result.model_dump_json().encode("utf-8"), 6)
        try:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, blob))
            self._db.commit()
        except sqlite3.Error as exc:
            log.warning("cache write failed: %s", exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def _relocate(result: FileResult, rel: str) -> FileResult:
    """A cached result read under another name: point its paths at the current name."""
    old = result.entry.path
    entry = result.entry.model_copy(update={"path": rel, "cached": True})
    if old == rel:
        return result.model_copy(update={"entry": entry})
    data = result.model_dump_json().replace(_json_str(old), _json_str(rel))
    moved = FileResult.model_validate_json(data)
    return moved.model_copy(update={"entry": entry})


def _json_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
