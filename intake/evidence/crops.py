"""Evidence crops: the spot on the page a finding or key field was read from, boxed in red.

One PNG per evidence item of a finding (both sides of a mismatch: the form cell and the
licence region), named ``<finding id>-<n>.png``, and one per key field of a submission,
named ``<submission id>-<document kind>-<field>.png``, all under ``OUT_DIR/evidence/``.
``evidence/index.json`` keeps each crop's content hash (the source file's sha256, page, box,
cell and text); a re-run whose hash is unchanged reuses the PNG without rendering anything.
Evidence with a page but no box shows the whole page, smaller; a Word book's cell is found
on its LibreOffice rendering (``intake.evidence.office``). Evidence that cannot be drawn (an
unreadable file, a Word value not found on the rendering) has no crop; the run goes on.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from intake.discover import real_path
from intake.evidence.office import WORD_SUFFIXES, convert_all, locate, occurrence
from intake.evidence.sources import IMAGE_SUFFIXES, PageCache
from intake.writers.atomic import atomic_write
from models.fields import Evidence
from models.findings import Finding
from models.records import DOC_KIND_LABELS, Record

log = logging.getLogger(__name__)

CROP_VERSION = 3  # part of every hash: bump when the drawing changes
EVIDENCE_DIR = "evidence"
INDEX_FILE = "index.json"
WORD_PDF_DIR = ".intake-word-pdf"  # Word books' PDF renderings, in the cache folder
MIN_PARALLEL_CROPS = 24  # fewer crops are drawn in this process (forking costs more than it saves)
MAX_CROP_WIDTH = 900
MAX_PAGE_SIZE = (700, 990)  # a whole page shown when the evidence has no box
BOX_COLOUR = (220, 20, 20)
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "application_form": ("name", "legal_rep", "reg_address"),
    "business_license": ("name", "uscc", "legal_rep", "address", "established", "term_end"),
    "legal_person_certificate": ("name", "uscc", "legal_rep", "address", "valid_until"),
    "high_tech_certificate": ("name", "number", "valid_until"),
}
"""Fields of each document kind a reviewer checks by eye, cropped for every submission."""


@dataclass(frozen=True)
class Crop:
    """A written crop: its name under ``evidence/``, what it shows and where it came from."""

    name: str
    file: str
    page: int | None
    text: str
    side: str  # the document it shows, in Chinese: 申报表, 营业执照 …

    @property
    def rel(self) -> str:
        """The crop's path relative to the output folder ("evidence/…png")."""
        return f"{EVIDENCE_DIR}/{self.name}"


@dataclass
class EvidenceIndex:
    """Crops by finding id and, per submission id, by key field ("business_license.uscc");
    ``root`` is the output folder the crops' ``rel`` paths start from."""

    root: Path
    findings: dict[str, list[Crop]]
    fields: dict[str, dict[str, Crop]]

    def of(self, finding: Finding) -> list[Crop]:
        return self.findings.get(finding.id, [])

    def path(self, crop: Crop) -> Path:
        """The crop's file."""
        return self.root / crop.rel


@dataclass(frozen=True)
class _Job:
    name: str
    evidence: Evidence
    sha: str
    side: str
    finding: str | None = None  # the finding id, for a finding's crop
    submission: str | None = None  # with ``field``, for a key field's crop
    field: str | None = None  # "business_license.uscc"

    @property
    def digest(self) -> str:
        e = self.evidence
        box = e.bbox.model_dump() if e.bbox else None
        key = json.dumps([CROP_VERSION, self.sha, e.page, box, e.cell, e.text], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


def drawable(evidence: Evidence) -> bool:
    """Whether the evidence names a place a crop can show."""
    suffix = Path(evidence.file).suffix.lower()
    if evidence.page is None:  # a whole file (unreadable, not processed): nothing to show
        return False
    if suffix in WORD_SUFFIXES:
        return bool(evidence.text.strip())
    return suffix in (".pdf", *IMAGE_SUFFIXES)


def _labelled(evidence: Evidence, field: str | None) -> Evidence:
    """A blank Word cell (a required field left empty) is found by its label instead: the
    crop then shows the label and the empty cell beside it."""
    from intake.writers.sheets.common import FIELD_LABELS

    if evidence.text.strip() or not field or Path(evidence.file).suffix.lower() not in WORD_SUFFIXES:
        return evidence
    label = FIELD_LABELS.get(field.split(".")[-1])
    return evidence.model_copy(update={"text": label}) if label else evidence


def _sides(records: Sequence[Record]) -> dict[str, str]:
    """The Chinese name of the document each file holds (the form's book is 申报表)."""
    sides: dict[str, str] = {}
    for record in records:
        for doc in record.documents:
            sides.setdefault(doc.file, DOC_KIND_LABELS.get(doc.kind, "材料"))
        for attachment in record.attachments:
            sides[attachment.file] = DOC_KIND_LABELS.get(attachment.kind, "材料")
        if record.form_file:
            sides[record.form_file] = "申报表"
    return sides


def _plan(records: Sequence[Record], unattached: Sequence[Finding], shas: dict[str, str]) -> list[_Job]:
    sides = _sides(records)
    planned: dict[str, _Job] = {}

    def usable(evidence: Sequence[Evidence]) -> list[Evidence]:
        return [e for e in evidence if drawable(e) and e.file in shas]

    for finding in [*(f for r in records for f in r.findings), *unattached]:
        for n, item in enumerate(usable([_labelled(e, finding.field) for e in finding.evidence]), start=1):
            name = f"{finding.id}-{n}.png"
            side = sides.get(item.file, "材料")
            planned.setdefault(name, _Job(name, item, shas[item.file], side, finding=finding.id))
    for record in records:
        sources = [("application_form", record.form_fields)]
        sources += [(a.kind, a.fields) for a in record.attachments]
        for kind, fields in sources:
            for key in KEY_FIELDS.get(kind, ()):
                item = fields.get(key)
                found = usable(item.evidence[:1]) if item is not None else []
                if found:
                    name = f"{record.submission_id}-{kind}.{key}.png"
                    side = sides.get(found[0].file, "材料")
                    job = _Job(name, found[0], shas[found[0].file], side, None, record.submission_id, f"{kind}.{key}")
                    planned.setdefault(name, job)
    return list(planned.values())


def _box_on(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    """The region around ``box`` (pixels) with a margin, the box drawn in red."""
    x0, y0, x1, y1 = box
    h = max(y1 - y0, 12.0)
    pad_y = max(2.5 * h, 40.0)
    pad_x = max(0.5 * (x1 - x0), 8 * h, 200.0)
    left, top = max(0, int(x0 - pad_x)), max(0, int(y0 - pad_y))
    right, bottom = min(image.width, int(x1 + pad_x)), min(image.height, int(y1 + pad_y))
    if right - left < 8 or bottom - top < 8:  # box off the page: show the page
        return _whole(image)
    crop = image.crop((left, top, right, bottom))
    width = max(2, round(h / 8))
    ImageDraw.Draw(crop).rectangle(
        (x0 - left - width, y0 - top - width, x1 - left + width, y1 - top + width), outline=BOX_COLOUR, width=width
    )
    if crop.width > MAX_CROP_WIDTH:
        crop = crop.resize((MAX_CROP_WIDTH, max(1, round(crop.height * MAX_CROP_WIDTH / crop.width))))
    return crop


def _small(image: Image.Image) -> Image.Image:
    """128 colours: scans and rendered pages lose nothing a reviewer reads, and the PNG
    shrinks about fivefold (about 10 KB a crop on the samples). The fast octree palette takes
    a fifth of median cut's time and gives smaller files."""
    return image.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def _whole(image: Image.Image) -> Image.Image:
    page = image.copy()
    page.thumbnail(MAX_PAGE_SIZE)
    return page


class _Renderer:
    """Turns jobs into images, rendering each page (and Word book) once."""

    def __init__(self, received: Path, word_pdfs: dict[str, Path]) -> None:
        self.received = received
        self.word_pdfs = word_pdfs
        self.pages = PageCache()

    def render(self, job: _Job) -> tuple[Image.Image, int | None] | None:
        evidence = job.evidence
        path, page, bbox = real_path(self.received, evidence.file), evidence.page, evidence.bbox
        if path.suffix.lower() in WORD_SUFFIXES:
            pdf = self.word_pdfs.get(job.sha)
            if pdf is None:  # LibreOffice missing or failed: try again next run
                raise RuntimeError("the Word book has no PDF rendering")
            found = locate(pdf, evidence.text, occurrence(path, evidence.cell, evidence.text))
            if found is None:
                return None
            path, (page, bbox) = pdf, found
        if page is None:
            return None
        image, scale = self.pages.get(path, page, bbox)
        if bbox is None:
            return _whole(image), page
        box = (bbox.x0 * scale, bbox.y0 * scale, bbox.x1 * scale, bbox.y1 * scale)
        return _box_on(image, box), page


def _is_word(rel: str) -> bool:
    return Path(rel).suffix.lower() in WORD_SUFFIXES


def _file_shas(records: Sequence[Record], received: Path, files: set[str]) -> dict[str, str]:
    shas = {entry.path: entry.sha256 for r in records for entry in r.files if entry.sha256}
    for rel in files - shas.keys():
        try:
            shas[rel] = hashlib.sha256(real_path(received, rel).read_bytes()).hexdigest()
        except OSError:
            continue
    return shas


def _still_valid(entry: dict | None, job: _Job, folder: Path) -> bool:
    """An earlier run's crop (or its note that none could be drawn) for the same content."""
    if entry is None or entry.get("hash") != job.digest:
        return False
    return bool(entry.get("missing")) or (folder / job.name).is_file()


def _read_index(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return dict(data.get("crops", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def _draw(jobs: Sequence[_Job], received: Path, word_pdfs: dict[str, Path], folder: Path) -> dict[str, dict]:
    """Draw ``jobs`` (sorted page by page, so the few page images kept serve every crop of a
    page), write their PNGs, and return their index entries; a crop that cannot be drawn is
    logged and left out (not remembered: the file may be readable next time)."""
    renderer = _Renderer(received, word_pdfs)
    entries: dict[str, dict] = {}
    for job in jobs:
        try:
            drawn = renderer.render(job)
        except Exception as exc:  # a page that will not render loses its crop, not the run
            log.warning("no evidence crop for %s p%s: %s", job.evidence.file, job.evidence.page, exc)
            continue
        if drawn is None:  # the text is not on the rendering: remembered, not tried again
            entries[job.name] = {"hash": job.digest, "page": None, "missing": True}
            continue
        image, page = drawn
        with atomic_write(folder / job.name) as handle:
            _small(image).save(handle, format="PNG")
        entries[job.name] = {"hash": job.digest, "page": page}
    return entries


def _shares(jobs: Sequence[_Job], count: int) -> list[list[_Job]]:
    """``jobs`` split into ``count`` shares of about equal size, a source file's crops kept
    together (its pages are rendered once), each share in page order."""
    by_file: dict[str, list[_Job]] = {}
    for job in jobs:
        by_file.setdefault(job.evidence.file, []).append(job)
    shares: list[list[_Job]] = [[] for _ in range(count)]
    for group in sorted(by_file.values(), key=len, reverse=True):
        min(shares, key=len).extend(group)
    return [sorted(share, key=_page_order) for share in shares if share]


def _page_order(job: _Job) -> tuple[str, int, str]:
    return job.evidence.file, job.evidence.page or 0, job.name


def _draw_all(
    jobs: Sequence[_Job], received: Path, word_pdfs: dict[str, Path], folder: Path, workers: int
) -> dict[str, dict]:
    """Draw the crops, in ``workers`` forked processes when there are enough of them to pay
    for the processes (one crop is about 10 ms: rendering its page, cutting, quantising,
    compressing). Each process writes its own PNGs; the index entries come back here. The
    drawing is the same code on the same input, so the crops are the same bytes."""
    ordered = sorted(jobs, key=_page_order)
    count = min(workers, len(ordered) // max(1, MIN_PARALLEL_CROPS // 2))  # a dozen crops or more each
    shares = _shares(ordered, count) if count > 1 else [ordered]
    if len(shares) <= 1:
        return _draw(ordered, received, word_pdfs, folder)
    from concurrent.futures import ProcessPoolExecutor

    from intake.workers import process_context

    entries: dict[str, dict] = {}
    try:
        with ProcessPoolExecutor(len(shares), mp_context=process_context()) as pool:
            draw = functools.partial(_draw, received=received, word_pdfs=word_pdfs, folder=folder)
            for part in pool.map(draw, shares):
                entries.update(part)
    except Exception as exc:  # a crashed drawing process: what it did not return is drawn here
        log.warning("evidence crop processes failed (%s); drawing the rest in this process", exc)
        rest = [job for job in ordered if job.name not in entries]
        entries.update(_draw(rest, received, word_pdfs, folder))
    return entries


def write_evidence(
    out: Path,
    received: Path,
    records: Sequence[Record],
    unattached: Sequence[Finding] = (),
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> EvidenceIndex:
    """Write the crops of every finding and key field under ``out/evidence`` and index them.

    ``jobs``: processes drawing crops (and LibreOffice processes rendering Word books) at
    once. ``cache_dir``: where Word books' PDF renderings are kept by content hash (beside
    the result cache; ``out`` by default). Never raises for a file or page that cannot be
    drawn: that crop is skipped and logged.
    """
    folder = out / EVIDENCE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = {e.file for r in records for f in r.findings for e in f.evidence}
    files |= {e.file for f in unattached for e in f.evidence}
    for record in records:
        for fields in (record.form_fields, *(a.fields for a in record.attachments)):
            files |= {e.file for item in fields.values() for e in item.evidence[:1]}
    shas = _file_shas(records, received, files)
    planned = _plan(records, unattached, shas)
    old = _read_index(folder / INDEX_FILE)
    fresh = {j.name for j in planned if not _still_valid(old.get(j.name), j, folder)}
    books = {
        (real_path(received, j.evidence.file), j.sha) for j in planned if j.name in fresh and _is_word(j.evidence.file)
    }
    word_pdfs = convert_all(sorted(books), (cache_dir or out) / WORD_PDF_DIR, jobs) if books else {}
    drawn_now = _draw_all([j for j in planned if j.name in fresh], received, word_pdfs, folder, jobs)
    index: dict[str, dict] = {}
    for job in sorted(planned, key=_page_order):
        if job.name in fresh:
            if job.name in drawn_now:
                index[job.name] = drawn_now[job.name]
        elif job.name in old:
            index[job.name] = old[job.name]
    for name in old.keys() - index.keys():
        (folder / name).unlink(missing_ok=True)
    missing = {name for name, item in index.items() if item.get("missing")}
    with atomic_write(folder / INDEX_FILE, "w") as handle:
        json.dump({"version": CROP_VERSION, "crops": index}, handle, ensure_ascii=False, indent=1)
    drawn = len((fresh & index.keys()) - missing)
    reused = len(index) - drawn - len(missing)
    log.info("evidence crops: %d drawn, %d reused, %d not found", drawn, reused, len(missing))
    return _index_of(out, planned, {name: item for name, item in index.items() if name not in missing})


def _index_of(root: Path, jobs: Sequence[_Job], written: dict[str, dict]) -> EvidenceIndex:
    result = EvidenceIndex(root=root, findings={}, fields={})
    for job in jobs:
        if job.name not in written:
            continue
        crop = Crop(job.name, job.evidence.file, written[job.name].get("page"), job.evidence.text, job.side)
        if job.finding is not None:
            result.findings.setdefault(job.finding, []).append(crop)
        elif job.submission is not None and job.field is not None:
            result.fields.setdefault(job.submission, {})[job.field] = crop
    return result
