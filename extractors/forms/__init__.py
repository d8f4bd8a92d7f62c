"""Extractors for the application book itself: the four forms (表1–表4), the cover, the
commitment/recommendation seal slots, the body outline and the recommender's 汇总表."""

from __future__ import annotations

from extractors.base import Extractor
from extractors.forms.body import body
from extractors.forms.city import city_form
from extractors.forms.commitment import commitment
from extractors.forms.cover import cover
from extractors.forms.enterprise import enterprise_form
from extractors.forms.platform import platform_form
from extractors.forms.project import project_form
from extractors.forms.summary_table import SummaryTableExtractor

FORM_EXTRACTORS: dict[str, Extractor] = {
    "form_enterprise": enterprise_form,
    "form_project": project_form,
    "form_platform": platform_form,
    "form_city": city_form,
    "cover": cover,
    "commitment": commitment,
    "application_body": body,
    "summary_table": SummaryTableExtractor(),
}

__all__ = ["FORM_EXTRACTORS"]
