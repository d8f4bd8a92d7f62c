"""The offline review page, ``OUT_DIR/review.html``: static, no server, no CDN.

Per submission, in review-priority order: the verdict, the findings with their crops side by
side, the key fields with their evidence, the attachment checklist; a filter bar by
recommender, kind, verdict and code. CSS and JavaScript ship as package data
(``intake/review_page/static/``) and are inlined, so the page is one file beside
``evidence/`` and opens from a USB stick.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from intake.evidence import EvidenceIndex
from intake.priority import rank
from intake.review_page.render import filters, orphans_html, page, source_links, submission_html
from intake.writers.atomic import atomic_write
from intake.writers.sheets.common import record_sort_key
from intake.writers.workbook import group_findings
from models.campaign import Campaign
from models.findings import Finding
from models.records import Record
from models.run import RunInfo

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _static(name: str) -> str:
    return files("intake.review_page").joinpath("static", name).read_text(encoding="utf-8")


def render_review_page(
    records: Sequence[Record],
    campaign: Campaign,
    info: RunInfo,
    unattached: Sequence[Finding],
    evidence: EvidenceIndex,
    out: Path,
) -> str:
    """The page's HTML; links are relative to ``out`` (where the page is written)."""
    by_submission, orphans = group_findings(records, unattached)
    priorities = rank(records, by_submission)
    ordered = sorted(records, key=lambda r: (-priorities[r.submission_id].score, record_sort_key(r)))
    links = source_links(records, out, Path(info.received_dir))
    cards = []
    for number, record in enumerate(ordered, start=1):
        own = sorted(
            by_submission.get(record.submission_id, []),
            key=lambda f: (f.dismissed, SEVERITY_ORDER.get(f.severity, 3), f.code),
        )
        cards.append(submission_html(number, record, own, priorities[record.submission_id], campaign, evidence, links))
    cards.append(orphans_html(orphans, evidence, links))
    codes = sorted({f.code for fs in by_submission.values() for f in fs} | {f.code for f in orphans})
    verdicts = Counter(r.verdict.value for r in records if r.verdict)
    header = f"<span>申报 {len(records)} 份</span>" + "".join(
        f"<span>{v} {verdicts.get(v, 0)}</span>" for v in ("不符合", "需复核", "通过")
    )
    return page(
        campaign.title, info, header, [filters(records, codes), *cards], _static("review.css"), _static("review.js")
    )


def write_review_page(
    path: Path,
    records: Sequence[Record],
    campaign: Campaign,
    info: RunInfo,
    unattached: Sequence[Finding],
    evidence: EvidenceIndex,
) -> Path:
    """Write ``review.html`` atomically beside ``evidence/`` and return its path."""
    html = render_review_page(records, campaign, info, unattached, evidence, path.parent)
    with atomic_write(path, "w") as handle:
        handle.write(html)
    log.info("wrote %s (%d submissions)", path, len(records))
    return path
