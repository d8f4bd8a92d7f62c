"""FORM_FIELD_MISSING, precision first (found by the robustness harness): a form filled for
other years gets one warning per year, not an error per cell; a blank read off a scan asks
the reviewer to look rather than failing the book; a typed blank stays an error."""

from __future__ import annotations

from typing import Any

from test_rules_form import FORM_FILE, enterprise_fields, ex, make_record, run

from models.campaign import Campaign, load_campaign
from models.fields import FieldMap
from models.records import ExtractedDocument, Record


def _shift(fields: FieldMap, by: int) -> FieldMap:
    out: FieldMap = {}
    for key, item in fields.items():
        parts = key.split(".")
        if parts[0] == "financials":
            key = f"financials.{int(parts[1]) + by}.{parts[2]}"
        out[key] = item
    return out


def _scanned(fields: FieldMap) -> Record:
    record = make_record(fields)
    scanned = ExtractedDocument(
        kind="application_form", file=FORM_FILE, pages=[1], form_type="enterprise", method="ocr"
    )
    return record.model_copy(update={"documents": [scanned, *record.documents[1:]]})


def test_other_years_give_one_warning_per_missing_year() -> None:
    shanxi: Campaign = load_campaign("shanxi-2021")  # asks for 2018–2020
    found = run("form.field_missing", make_record(_shift(enterprise_fields(), 1)), shanxi)
    assert [(f.field, f.severity) for f in found] == [("financials.2018", "warning")]
    assert "2019、2020、2021" in found[0].message and "2018" in found[0].message


def test_a_blank_year_column_is_still_an_error() -> None:
    shanxi = load_campaign("shanxi-2021")
    blank: dict[str, Any] = {f"financials__2018__{k}": ex(None) for k in ("total_assets", "revenue")}
    found = run("form.field_missing", make_record(enterprise_fields(**blank)), shanxi)
    assert {(f.field, f.severity) for f in found} == {
        ("financials.2018.total_assets", "error"),
        ("financials.2018.revenue", "error"),
    }


def test_blank_on_a_scan_is_a_warning_to_compare_with_the_page() -> None:
    shanxi = load_campaign("shanxi-2021")
    found = run("form.field_missing", _scanned(enterprise_fields(email=None)), shanxi)
    assert [(f.field, f.severity) for f in found] == [("email", "warning")]
    assert "扫描件" in found[0].message and "原件" in found[0].message
    typed = run("form.field_missing", make_record(enterprise_fields(email=None)), shanxi)
    assert [(f.field, f.severity) for f in typed] == [("email", "error")]


def test_summary_cell_with_two_numbers_keeps_both() -> None:
    """Regression (issue 9): a 汇总表 cell 0351-1234567/13812345678 was cut to its first number,
    so a form giving only the mobile was reported as SUMMARY_MISMATCH."""
    from extractors.summary import _phone
    from models.values import phones_match

    listed = _phone("0351-1234567/13812345678")
    assert listed is not None and phones_match(listed, "13812345678")
    assert _phone("0351-1234567") == "0351-1234567"
