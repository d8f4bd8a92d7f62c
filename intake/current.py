"""Whether an output folder already holds what a run would write ("outputs are current").

An unchanged re-run of 1,000 pages spent 2.4 of its 3.3 s in the tail (grouping, rules,
reading the reviewer's workbook back, writing the workbook, records and review page) to
write the same outputs again; the genuine tail speed-ups left it above the 2 s target (see
docs/BENCHMARKS.md). So, as ``make`` does, a run whose fingerprint matches the one stored
beside its outputs leaves them alone and says so in run.log.

The fingerprint covers everything that could change any output:

- the set of input files and every file's content hash (and the files discovery skipped,
  with why); every file must also still have its read result in the cache, since a file
  that could not be read last time is tried again;
- the round config's content (as loaded, so an edited .toml counts);
- every option that reaches an output (folders, OCR engine, jobs, time and memory limits,
  executor …; only the progress display, ``--fail-on-error`` and ``--cache-dir`` are left
  out), and the
  ``INTAKE_*`` environment variables (OCR backend and threads);
- the program itself: the source of intake, extractors, validators and models, the
  installed libraries (their dist-info names carry the versions) and the Python version;
- the current bytes of every output: review.xlsx (a reviewer's notes and 误报 marks live
  there, so an edited workbook runs the full tail, which merges them), review.html,
  records.jsonl and everything under evidence/ (the Word renderings' cache excepted).

The state (fingerprint, output hashes, and what the run returns besides its records) is
written to ``OUT/.intake-state.json`` after the outputs, atomically; any doubt (a missing or
unreadable state, an output gone or changed) runs the full tail.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from intake.writers.atomic import TEMP_SUFFIX, atomic_write

log = logging.getLogger(__name__)

STATE_FILE = ".intake-state.json"
STATE_VERSION = 1
OUTPUT_FILES = ("review.xlsx", "review.html", "records.jsonl")
EVIDENCE_DIR = "evidence"
OLD_WORD_PDF_DIR = ".word-pdf"  # where earlier versions kept Word renderings: a cache, not an output
_PACKAGES = ("intake", "extractors", "validators", "models")
_SOURCE_SUFFIXES = (".py", ".toml", ".json", ".js", ".css", ".html", ".txt", ".yaml", ".yml")
# Options that change nothing a run writes: how progress is shown, the exit code, where
# the content caches are kept.
_NOT_OUTPUT_OPTIONS = ("progress", "fail_on_error", "cache_dir")


@functools.cache
def program_fingerprint() -> str:
    """A hash of the program: its own source and data files (the four packages: 18 ms for
    140 files), the installed distributions (one directory listing: their names carry the
    versions) and the interpreter's version."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(sys.version.encode())
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix not in _SOURCE_SUFFIXES or "__pycache__" in path.parts:
                continue
            try:
                content = path.read_bytes()
            except OSError:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(content).digest())
    for key in ("purelib", "platlib"):
        try:
            digest.update("\n".join(sorted(os.listdir(sysconfig.get_paths()[key]))).encode())
        except OSError:
            continue
    return digest.hexdigest()


def input_fingerprint(
    options_dump: dict, campaign_json: str, files: Iterable[tuple[str, str]], skipped: Iterable[tuple[str, str]]
) -> str:
    """The hash of what a run reads: options (as ``RunOptions.model_dump(mode="json")``), the
    round config, (path, sha256) of every input file and (path, reason) of every skipped one,
    and the program."""
    options = {k: v for k, v in options_dump.items() if k not in _NOT_OUTPUT_OPTIONS}
    for key in ("received", "out"):  # the same folder named two ways is the same folder
        if options.get(key) is not None:
            options[f"{key}_real"] = os.path.realpath(options[key])
    payload = {
        "version": STATE_VERSION,
        "program": program_fingerprint(),
        "options": options,
        "campaign": campaign_json,
        "files": sorted(files),
        "skipped": sorted(skipped),
        "environment": sorted((k, v) for k, v in os.environ.items() if k.startswith("INTAKE_")),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def output_hashes(out: Path) -> dict[str, str | None]:
    """sha256 of every output file by its path under ``out`` (None: missing). About 30 ms
    for 1,000 pages' outputs (a 1 MB workbook and 500 crops)."""
    hashes: dict[str, str | None] = {name: _file_hash(out / name) for name in OUTPUT_FILES}
    folder = out / EVIDENCE_DIR
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != OLD_WORD_PDF_DIR)
            for name in sorted(filenames):
                if name.endswith(TEMP_SUFFIX):
                    continue
                path = Path(dirpath) / name
                hashes[path.relative_to(out).as_posix()] = _file_hash(path)
    return hashes


@dataclass
class State:
    """What ``OUT/.intake-state.json`` holds: the run's input fingerprint, its outputs'
    hashes as written, and the parts of its outcome that are not in records.jsonl (JSON)."""

    inputs: str
    outputs: dict[str, str | None]
    outcome: dict


def read_state(out: Path) -> State | None:
    """The state the last complete run left in ``out``, or None."""
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            return None
        return State(str(data["inputs"]), dict(data["outputs"]), dict(data["outcome"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_state(out: Path, inputs: str, outcome: dict) -> None:
    """Record the fingerprint of the outputs just written (call after every output)."""
    payload = {"version": STATE_VERSION, "inputs": inputs, "outputs": output_hashes(out), "outcome": outcome}
    with atomic_write(out / STATE_FILE, "w") as handle:
        json.dump(payload, handle, ensure_ascii=False)


def forget_state(out: Path) -> None:
    """Remove the state before outputs are rewritten: a run killed half-way must not leave a
    state that vouches for a mix of old and new outputs."""
    try:
        (out / STATE_FILE).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s: %s", out / STATE_FILE, exc)


def current_state(out: Path, inputs: str) -> State | None:
    """The stored state when the outputs in ``out`` are current for ``inputs``, else None
    (with the reason logged)."""
    state = read_state(out)
    if state is None:
        log.info("outputs not known to be current: no state from an earlier complete run")
        return None
    if state.inputs != inputs:
        log.info("outputs not current: inputs, round config, options or program changed")
        return None
    now = output_hashes(out)
    if now != state.outputs:
        changed = sorted(k for k in now.keys() | state.outputs.keys() if now.get(k) != state.outputs.get(k))
        log.info("outputs not current: %s changed since they were written", ", ".join(changed[:5]))
        return None
    return state
