"""表2 示范项目申报表: project data, the 委托/实施单位's data, one year of results
(``2020 年度生产经营状况``) and the project's patents (总数 + 其中 发明/实用新型/外观设计,
values below their labels)."""

from __future__ import annotations

import re

from extractors.forms.formbase import FormExtractor, FormSpec
from models.fields import Extracted, FieldMap

_YEAR = re.compile(r"(?:19|20)\d\d")


def split_years(fields: FieldMap) -> None:
    """``项目实施年限 2019 年至 2021 年`` → start_year 2019.0 and end_year 2021.0."""
    period = fields.pop("project_years", None)
    if period is None:
        return
    years = [float(y) for y in _YEAR.findall(period.raw)]
    for i, key in enumerate(("start_year", "end_year")):
        value = years[i] if i < len(years) else None
        error = "not_numeric" if period.raw and not years else None
        fields[key] = Extracted(
            value=value,
            raw=period.raw,
            confidence=period.confidence,
            evidence=period.evidence,
            method=period.method,
            error=error,
        )


PROJECT = FormSpec(
    form_type="project",
    titles=("项目申报表",),
    labels={
        "项目名称": "name",
        "委托单位": "client",
        "实施单位": "contractor",
        "所在行业": "industry",
        "投资额度": "investment",
        "项目投资额度": "investment",
        "项目实施年限": "project_years",
        "实施年限": "project_years",
    },
    distinctive=("项目名称", "委托单位", "实施单位", "所在行业", "投资额度", "项目实施年限"),
    post=split_years,
)

project_form = FormExtractor(PROJECT)
