"""Real Chinese documents that are none of our rounds' books (../shared/realdocs): nothing in
them may be read as an application form, a licence, a 汇总表 or a policy document, and the
real scanned letter (pr-136, an accounting firm's reply citing a provincial policy by its 文号)
is a letter on every page (issue 9, point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REALDOCS

from intake.reading import FileResult, read_file

READABLE = {".pdf", ".doc", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
NEVER = {"application_form", "business_license", "summary_table", "policy_document"}
LETTER = "pdfplumber-cjk/pr-136-example.pdf"


def _files() -> list[str]:
    if not REALDOCS.is_dir():
        return []
    return sorted(str(p.relative_to(REALDOCS)) for p in REALDOCS.rglob("*") if p.suffix.lower() in READABLE)


def _slow(rel: str) -> list[pytest.MarkDecorator]:
    """The scan (real OCR) and the .doc files (LibreOffice) are slow."""
    return [pytest.mark.slow] if rel == LETTER or rel.endswith(".doc") else []


@pytest.fixture(scope="module")
def read_realdoc(realdocs: Path):
    """Each real document read once per module, through the whole reading path."""
    cache: dict[str, FileResult] = {}

    def read(rel: str) -> FileResult:
        if rel not in cache:
            cache[rel] = read_file(realdocs / rel, Path(rel).name)
        return cache[rel]

    return read


@pytest.mark.parametrize("rel", [pytest.param(r, id=r, marks=_slow(r)) for r in _files()])
def test_realdocs_yield_no_form_licence_summary_or_policy(read_realdoc, rel: str) -> None:
    result = read_realdoc(rel)
    assert result.entry.status == "read"
    assert [(d.kind, d.pages) for d in result.documents if d.kind in NEVER] == []


@pytest.mark.slow
def test_real_scanned_letter_is_a_letter_on_every_page(read_realdoc) -> None:
    """Regression: its last page, which cites 《浙江省人民政府关于…的意见》（浙政发[2016]11号）
    in running text, was classified as a policy document."""
    result = read_realdoc(LETTER)
    assert [(d.kind, d.pages) for d in result.documents] == [("other", [1, 2, 3, 4, 5, 6])]
    assert not result.documents[0].low_text
