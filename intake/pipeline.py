"""One batch run, as a recipe: discover → read (cached, parallel) → group → records →
rules → verdicts → write. Bad files become findings; only a failure of the run itself
(bad round config, missing folder, unwritable output) raises."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from intake import __version__
from intake.cache import ResultCache, cache_key
from intake.current import current_state, forget_state, input_fingerprint, write_state
from intake.discover import Discovery, discover
from intake.executors import early_pool, read_tasks
from intake.grouping import group
from intake.options import RunOptions
from intake.reading import FileResult, sha256_of, unreadable
from intake.records import build_record
from intake.workers import Pool, Task
from models.campaign import Campaign, load_campaign
from models.findings import Finding
from models.records import Record, SummaryTable
from models.run import RunInfo

if TYPE_CHECKING:
    from intake.writers.reviewer import ReviewerState

log = logging.getLogger("intake")


class Outcome:
    """What a run gives back: its records, 汇总表 tables, run information and the batch
    findings tied to no record. ``current``: the outputs were already current and nothing
    was rewritten; the records are then read back from records.jsonl when first asked for
    (0.5 s for 1,000 pages, which the command line never needs)."""

    def __init__(
        self,
        records: list[Record] | Callable[[], list[Record]],
        summaries: list[SummaryTable],
        run_info: RunInfo,
        unattached: list[Finding],
        current: bool = False,
    ) -> None:
        self._records = records
        self.summaries = summaries
        self.run_info = run_info
        self.unattached = unattached
        self.current = current

    @property
    def records(self) -> list[Record]:
        if callable(self._records):
            self._records = self._records()
        return self._records

    @records.setter
    def records(self, value: list[Record]) -> None:
        self._records = value

    @property
    def errors(self) -> int:
        return self.run_info.findings_by_severity.get("error", 0)


CACHE_FILE = ".intake-cache.sqlite"
LOG_GENERATIONS = 3  # run.log.1 … run.log.3 keep the earlier runs' logs


def _rotate_log(log_path: Path) -> None:
    """Move earlier logs aside (run.log → run.log.1 → …), so a run that is killed does not
    erase the log of the one before it."""
    for n in range(LOG_GENERATIONS - 1, 0, -1):
        older = log_path.with_name(f"{log_path.name}.{n}")
        if older.exists():
            older.replace(log_path.with_name(f"{log_path.name}.{n + 1}"))
    if log_path.exists() and log_path.stat().st_size:
        log_path.replace(log_path.with_name(f"{log_path.name}.1"))


def _setup_log(out: Path) -> logging.Handler:
    _rotate_log(out / "run.log")
    handler = logging.FileHandler(out / "run.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def hash_files(files: list) -> tuple[dict[str, str], dict[str, FileResult]]:
    """The content hash of every file by its path, and the files that could not be opened
    (as FILE_UNREADABLE results)."""
    shas: dict[str, str] = {}
    failed: dict[str, FileResult] = {}
    for found in files:
        try:
            shas[found.rel] = sha256_of(found.path)
        except OSError as exc:
            reason = "没有读取权限" if isinstance(exc, PermissionError) else "无法打开文件"
            failed[found.rel] = unreadable(found.rel, reason)
    return shas, failed


def read_all(
    options: RunOptions,
    files: list,
    cache: ResultCache,
    hashed: tuple[dict[str, str], dict[str, FileResult]] | None = None,
    pool: Pool | None = None,
) -> dict[str, FileResult]:
    """Read every file, from the cache where its content was read before. ``hashed``: what
    :func:`hash_files` gave for ``files``, when the caller has hashed them already; ``pool``:
    readers started early."""
    shas, failed = hashed if hashed is not None else hash_files(files)
    results: dict[str, FileResult] = dict(failed)
    tasks: list[Task] = []
    keys: dict[str, str] = {}
    for found in files:
        if found.rel not in shas:
            continue
        sha = shas[found.rel]
        keys[found.rel] = cache_key(sha, options.ocr)
        cached = cache.get(keys[found.rel], found.rel)
        if cached is not None:
            results[found.rel] = cached
        else:
            tasks.append(Task(index=len(tasks), path=found.path, rel=found.rel, sha256=sha))
    log.info("%d files, %d from cache, %d to read", len(files), len(results), len(tasks))
    show_bar = options.progress if options.progress is not None else sys.stderr.isatty()
    bar = None
    if show_bar and tasks:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), unit="文件", desc="读取", file=sys.stderr)
    stream = read_tasks(tasks, options, pool)
    for done, (index, result) in enumerate(stream, start=1):
        rel = tasks[index].rel
        results[rel] = result
        cache.put(keys[rel], result)
        status = result.entry.status
        log.info("[%d/%d] %s %s %.1fs", done, len(tasks), status, rel, result.entry.seconds)
        if bar is not None:
            bar.update(1)
        elif not show_bar:
            print(f"[{done}/{len(tasks)}] {rel} ({status})", file=sys.stderr, flush=True)
    if bar is not None:
        bar.close()
    return results


def summaries_of(grouping, results: dict[str, FileResult]) -> list[SummaryTable]:
    from extractors.summary import summary_from

    tables: list[SummaryTable] = []
    for rel, recommender in grouping.summary_files:
        for doc in results[rel].documents:
            if doc.kind == "summary_table":
                tables.append(summary_from(doc, recommender))
    return tables


def check(records: list[Record], summaries: list[SummaryTable], campaign: Campaign) -> list[Finding]:
    """Run record and batch rules, set verdicts; return batch findings tied to no record."""
    from validators.base import BatchContext, RecordContext
    from validators.runner import check_batch, check_record
    from validators.verdict import decide

    by_id = {r.submission_id: r for r in records}
    extra: dict[str, list[Finding]] = {r.submission_id: [] for r in records}
    for record in records:
        extra[record.submission_id].extend(check_record(RecordContext(record, campaign, summaries)))
    unattached: list[Finding] = []
    for finding in check_batch(BatchContext(records, campaign, summaries)):
        if finding.submission_id in by_id:
            extra[finding.submission_id].append(finding)
        else:
            unattached.append(finding)
    for i, record in enumerate(records):
        findings = _dedupe([*record.findings, *extra[record.submission_id]])
        record = record.model_copy(update={"findings": findings})
        records[i] = record.model_copy(update={"verdict": decide(record, campaign)})
    return _dedupe(unattached)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for finding in findings:
        if finding.id not in seen:
            seen.add(finding.id)
            out.append(finding)
    return out


def _read_inputs(
    options: RunOptions, campaign: Campaign, discovery: Discovery, started: dt.datetime
) -> tuple[Outcome | None, dict[str, FileResult], str | None]:
    """Hash the files; then either the last run's outcome, when its outputs are current, or
    every file's result (from the cache or the readers) and the fingerprint to store."""
    # No cache to serve any file: start the readers now, so they fork and load the reading
    # stack while the files are hashed.
    fresh = not options.use_cache or not (options.cache_folder / CACHE_FILE).exists()
    pool = early_pool(options, len(discovery.files), expect_reading=fresh)
    try:
        hashed = hash_files(discovery.files)
        fingerprint = None
        if options.use_cache:  # --no-cache asks for everything again
            skipped = [(e.path, e.reason or "") for e in discovery.skipped]
            campaign_json = campaign.model_dump_json()
            fingerprint = input_fingerprint(options.model_dump(mode="json"), campaign_json, hashed[0].items(), skipped)
            if not hashed[1] and (outcome := _current_outcome(options.out, fingerprint, started)) is not None:
                log.info(
                    "outputs are current: the %d input files, the round config, the options, the program "
                    "and the outputs in %s are unchanged since the last run wrote them; nothing rewritten",
                    len(discovery.files),
                    options.out,
                )
                return outcome, {}, fingerprint
        cache = ResultCache(options.cache_folder / CACHE_FILE if options.use_cache else None)
        try:
            return None, read_all(options, discovery.files, cache, hashed, pool), fingerprint
        finally:
            cache.close()
    finally:
        if pool is not None:
            pool.close()


def run(options: RunOptions) -> Outcome:
    started = dt.datetime.now().astimezone()
    campaign = load_campaign(options.campaign)
    discovery = discover(options.received)
    options.out.mkdir(parents=True, exist_ok=True)
    handler = _setup_log(options.out)
    collecting = gc.isenabled()
    try:
        log.info("intake %s, round %s, folder %s", __version__, campaign.id, options.received)
        for entry in discovery.skipped:
            log.info("skipped %s: %s", entry.path, entry.reason)
        current, results, fingerprint = _read_inputs(options, campaign, discovery, started)
        if current is not None:
            return current
        # The cycle collector is off for the tail (grouping, rules, evidence, writers; on
        # again below): its 10^5 objects (records, findings, workbook cells) live to the end,
        # so collecting rescans them and frees almost nothing. It took a fifth of an unchanged
        # re-run of 1,000 pages; leaving it off adds about 10% to that run's peak memory.
        gc.disable()
        grouping = group(results)
        summaries = summaries_of(grouping, results)
        records = [build_record(s, results, campaign.id) for s in grouping.submissions]
        unattached = check(records, summaries, campaign)
        unattached += [f for rel in grouping.loose for f in results[rel].findings]
        from intake.feedback import apply_dismissals  # here: openpyxl is 0.3 s of imports
        from intake.writers.workbook import load_previous

        previous = load_previous(options.out / "review.xlsx")  # read once: 误报 marks and reviewer input
        unattached, _ = apply_dismissals(options.out / "review.xlsx", records, unattached, campaign, previous=previous)
        severities = Counter(f.severity for r in records for f in r.findings if not f.dismissed)
        severities.update(f.severity for f in unattached if not f.dismissed)
        problem = [r.entry for r in results.values() if r.entry.status != "read"]
        info = RunInfo(
            campaign_id=campaign.id,
            campaign_title=campaign.title,
            version=__version__,
            received_dir=str(options.received),
            started=started,
            finished=dt.datetime.now().astimezone(),
            ocr_engine=options.ocr,
            jobs=options.jobs,
            submissions=len(records),
            files_total=len(discovery.files) + len(discovery.skipped),
            files_read=sum(1 for r in results.values() if r.entry.status == "read"),
            files_cached=sum(1 for r in results.values() if r.entry.cached),
            pages=sum(r.entry.pages for r in results.values()),
            findings_by_severity=dict(severities),
            problem_files=[*problem, *discovery.skipped],
            files=sorted([*(r.entry for r in results.values()), *discovery.skipped], key=lambda e: e.path),
        )
        forget_state(options.out)  # a run killed while writing leaves no state vouching for it
        write_outputs(options, records, summaries, campaign, info, unattached, previous)
        if fingerprint is not None:
            write_state(options.out, fingerprint, _outcome_state(summaries, info, unattached))
        log.info("wrote %s: %d submissions, findings %s", options.out, len(records), dict(severities))
        return Outcome(records, summaries, info, unattached)
    finally:
        if collecting:
            gc.enable()
        logging.getLogger().removeHandler(handler)
        handler.close()


def _outcome_state(summaries: list[SummaryTable], info: RunInfo, unattached: list[Finding]) -> dict:
    """What a run returns besides its records (those are in records.jsonl), as JSON."""
    return {
        "run_info": info.model_dump(mode="json"),
        "summaries": [s.model_dump(mode="json") for s in summaries],
        "unattached": [f.model_dump(mode="json") for f in unattached],
    }


def _current_outcome(out: Path, fingerprint: str, started: dt.datetime) -> Outcome | None:
    """The last run's outcome when its outputs are current for ``fingerprint`` (and none of
    its files was unreadable: those are tried again), else None. Its run information is this
    run's: started now, every file's result served without reading it (as from the cache);
    the outputs keep the last run's."""
    from intake.api import load_records

    state = current_state(out, fingerprint)
    if state is None:
        return None
    try:
        info = RunInfo.model_validate(state.outcome["run_info"])
        if any(entry.status == "unreadable" for entry in info.files):
            log.info("outputs not current: the last run could not read some files; they are tried again")
            return None
        summaries = [SummaryTable.model_validate(s) for s in state.outcome["summaries"]]
        unattached = [Finding.model_validate(f) for f in state.outcome["unattached"]]
    except (KeyError, TypeError, ValueError) as exc:
        log.info("outputs not current: the last run's state is unusable (%s)", exc)
        return None
    now = dt.datetime.now().astimezone()
    info = info.model_copy(update={"started": started, "finished": now, "files_cached": info.files_read})
    return Outcome(lambda: load_records(out), summaries, info, unattached, current=True)


def write_outputs(
    options: RunOptions,
    records: list[Record],
    summaries: list[SummaryTable],
    campaign: Campaign,
    info: RunInfo,
    unattached: list[Finding],
    previous: ReviewerState | None = None,
) -> None:
    from intake.evidence import write_evidence
    from intake.review_page import write_review_page
    from intake.writers.jsonl import write_records
    from intake.writers.workbook import write_workbook

    paused = not gc.isenabled()  # run() pauses the cycle collector for its tail
    if paused:
        gc.enable()  # but a first run renders pages here: let it free them as before
    try:
        evidence = write_evidence(
            options.out, options.received, records, unattached, jobs=options.jobs, cache_dir=options.cache_folder
        )
    finally:
        if paused:
            gc.disable()
    write_records(options.out / "records.jsonl", records)
    write_workbook(
        options.out / "review.xlsx",
        records,
        summaries,
        campaign,
        info,
        received_dir=options.received,
        unattached=unattached,
        evidence=evidence,
        previous=previous,
    )
    write_review_page(options.out / "review.html", records, campaign, info, unattached, evidence)
