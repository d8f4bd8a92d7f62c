"""Which 汇总表 row belongs to which submission: the one pairing decision.

A recommender's 汇总表 lists its submissions by name. ``pair_summaries`` decides, per table,
the row of each submission (exact names first, then near-identical names of the same kind),
the rows that match no submission and the submissions it does not list. The 汇总表 rule
(``batch_rules.SummaryMismatch``) reports that decision, the quota rules read a platform's
category from its row, and the workbook's 汇总表 sheet renders it; none pairs again.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.fields import Evidence
from models.records import Record, SummaryRow, SummaryTable
from models.values import name_distance, names_equal, normalise_name
from validators.identity import applicant_fields, form_field, licence_type, text
from validators.ocr_noise import fold_confusions

SCANNED_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf")
"""Files a 汇总表 may have been OCR'd from. ``SummaryRow`` does not say how it was read, so a
PDF counts as possibly scanned: the OCR allowance then only spares differences made of known
OCR confusions, which typed text does not produce."""


def by_path(records: Iterable[Record]) -> list[Record]:
    """Records in path order: the order quotas count in and pairing tries them."""
    return sorted(records, key=lambda r: r.path)


def display_name(record: Record) -> str:
    """The name a reviewer knows the submission by."""
    ex = form_field(record, "name")
    return text(ex) or record.applicant or text(record.cover.get("applicant")) or record.path


def record_names(record: Record) -> list[str]:
    """Every name the submission may be listed under: the form's name (project/platform title),
    its applicant fields, the record's applicant and the cover's."""
    names = [text(form_field(record, "name"))]
    names += [text(ex) for _, ex in applicant_fields(record)]
    names += [record.applicant or "", text(record.cover.get("applicant"))]
    return [n for n in dict.fromkeys(names) if n]


def row_evidence(row: SummaryRow) -> Evidence:
    """The 汇总表 cell a finding about the row points at."""
    return Evidence(file=row.file, page=row.page, cell=row.cell, text=row.name)


def summary_maybe_ocr(row: SummaryRow) -> bool:
    """Whether the 汇总表 row may have been read by OCR (an image or a PDF)."""
    return row.file.lower().endswith(SCANNED_SUFFIXES)


def summary_members(summary: SummaryTable, records: Sequence[Record]) -> list[Record]:
    """The submissions of a 汇总表's recommender: same normalised recommender name, else the
    submissions under the folder the 汇总表 lies in."""
    key = normalise_name(summary.recommender)
    members = [r for r in records if key and normalise_name(r.recommender) == key]
    folder = posixpath.dirname(summary.file.replace("\\", "/"))
    if not members and folder:
        members = [r for r in records if r.path.replace("\\", "/").startswith(folder + "/")]
    return members


def row_matches(row: SummaryRow, record: Record) -> bool:
    """Same name after normalising; for a possibly scanned 汇总表 also after folding OCR
    confusions."""
    ltype = licence_type(record)
    names = record_names(record)
    if any(names_equal(row.name, name, ltype) for name in names):
        return True
    if not summary_maybe_ocr(row):
        return False
    listed = fold_confusions(row.name)
    return any(names_equal(listed, fold_confusions(name), ltype) for name in names)


def pair_rows(
    rows: list[SummaryRow], records: list[Record]
) -> tuple[list[tuple[SummaryRow, Record, bool]], list[SummaryRow], list[Record]]:
    """Pair 汇总表 rows with submissions: exact (normalised) names first, then near-identical
    names of the same kind (the bool is False for those: the names differ). Returns the pairs,
    the rows without a submission and the submissions without a row."""
    free_rows, free_recs = list(rows), by_path(records)
    pairs: list[tuple[SummaryRow, Record, bool]] = []
    for row in rows:
        match = next((r for r in free_recs if row_matches(row, r) and r.kind == row.kind), None)
        match = match or next((r for r in free_recs if row_matches(row, r)), None)
        if match is not None:
            pairs.append((row, match, True))
            free_rows.remove(row)
            free_recs.remove(match)
    near: list[tuple[int, int, SummaryRow, Record]] = []
    for i, row in enumerate(free_rows):
        for rec in free_recs:
            if rec.kind != row.kind:
                continue
            dist = min((name_distance(row.name, n) for n in record_names(rec)), default=99)
            if dist <= max(1, len(normalise_name(row.name)) // 5):
                near.append((dist, i, row, rec))
    for _dist, _i, row, rec in sorted(near, key=lambda t: (t[0], t[1], t[3].path)):
        if row in free_rows and rec in free_recs:
            pairs.append((row, rec, False))
            free_rows.remove(row)
            free_recs.remove(rec)
    return pairs, free_rows, free_recs


@dataclass(frozen=True)
class RowPair:
    """A 汇总表 row and the submission it lists; ``exact`` is False for a near-identical name
    (NAME_MISMATCH, or LOW_CONFIDENCE on a scan)."""

    row: SummaryRow
    record: Record
    exact: bool


@dataclass(frozen=True)
class SummaryPairing:
    """The decision on one 汇总表: its recommender's submissions (``members``), the row of each
    one it lists, the rows that match no submission (every row when the recommender has none)
    and the submissions it does not list."""

    summary: SummaryTable
    members: tuple[Record, ...]
    pairs: tuple[RowPair, ...]
    unmatched: tuple[SummaryRow, ...]
    unlisted: tuple[Record, ...]


def pair_summaries(records: Sequence[Record], summaries: Sequence[SummaryTable]) -> list[SummaryPairing]:
    """Each 汇总表 paired with its recommender's submissions (``pair_rows``), in table order."""
    out = []
    for summary in summaries:
        members = summary_members(summary, records)
        if not members:
            out.append(SummaryPairing(summary, (), (), tuple(summary.rows), ()))
            continue
        pairs, rows, recs = pair_rows(summary.rows, members)
        found = tuple(RowPair(row, record, exact) for row, record, exact in pairs)
        out.append(SummaryPairing(summary, tuple(members), found, tuple(rows), tuple(recs)))
    return out


def rows_by_submission(pairings: Iterable[SummaryPairing]) -> dict[str, RowPair]:
    """Each listed submission's row (the first table's, when two tables list it)."""
    out: dict[str, RowPair] = {}
    for pairing in pairings:
        for pair in pairing.pairs:
            out.setdefault(pair.record.submission_id, pair)
    return out
