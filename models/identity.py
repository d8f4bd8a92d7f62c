"""Which values identify an applicant: written once, read by grouping, records and rules.

An applicant is a legal entity. Its name sits in a different key of each form (an
enterprise's 企业名称, a project's 实施单位, a platform's 运营主体, a city's name); its credit
code is printed on its licence or legal-person certificate; its legal representative and
registered address are the other form values a licence confirms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

APPLICANT_KEYS: dict[str, tuple[str, ...]] = {
    "enterprise": ("name",),
    "project": ("contractor", "client"),  # 实施单位（乙方）first, 委托单位（甲方）also counts
    "platform": ("operator",),
    "city": ("name",),
}
"""Form keys that hold the applicant's (legal entity's) name, per form type, most specific
first. A project's or platform's own ``name`` is the project's or platform's, not the
applicant's."""

NAME_KEYS: tuple[str, ...] = ("name", "contractor", "client", "operator")
"""Every form key that may name the applicant, whatever the form type."""

IDENTITY_KEYS: tuple[str, ...] = ("legal_rep", "reg_address")
"""The form's other values that identify the applicant, checked against its licence."""

COVER_KEY = "applicant"
"""The cover's 申报单位."""

LICENCE_KINDS: tuple[str, ...] = ("business_license", "legal_person_certificate")
"""Documents that print the applicant's name and credit code (统一社会信用代码)."""


def applicant_keys(form_type: str | None) -> tuple[str, ...]:
    """The form keys naming the applicant for ``form_type`` (``name`` when unknown)."""
    return APPLICANT_KEYS.get(form_type or "", ("name",))


def submission_folder(path: str, files: Iterable[str]) -> str:
    """The folder a submission's files are named from: its own folder, or the folder that
    holds a loose book (``path`` a file, or a ``stem*`` group); "" for the received folder."""
    if path in ("", "."):
        return ""
    if any(f.startswith(path + "/") for f in files):
        return path
    return str(PurePosixPath(path.rstrip("*")).parent).removeprefix(".")


def relative_source(
    source: str | None, folder: str, ids_by_path: Mapping[str, str] | None = None, own_id: str | None = None
) -> str | None:
    """A finding's ``source`` as it names a file of its submission: relative to the
    submission's ``folder`` ("附件1-营业执照.jpg"), "../" for a file beside it (a recommender's
    汇总表), another submission's id (not ``own_id``) for its path in ``ids_by_path`` (a
    duplicate application); anything else unchanged. ``Finding.id`` hashes the source, so
    this keeps finding ids (and the reviewer notes keyed by them) when an applicant's or a
    recommender's folder is renamed or moved."""
    if not source:
        return source
    other = ids_by_path.get(source) if ids_by_path else None
    if other is not None and other != own_id:
        return other
    if not folder:
        return source
    if source.startswith(folder + "/"):
        return source[len(folder) + 1 :]
    parent = str(PurePosixPath(folder).parent).removeprefix(".")
    if parent and source.startswith(parent + "/"):
        return "../" + source[len(parent) + 1 :]
    return source
