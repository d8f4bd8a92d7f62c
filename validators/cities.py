"""Who may apply as a 示范城市: Shanxi 申报对象为地级市, Guangxi 示范城市申报主体为设区市.

The cities are config data (``[rules.CITY_NOT_ELIGIBLE] cities``), so a round for another
province lists its own. The 表4 城市名称 is reduced before comparing: the province in front
(山西省太原市), a trailing 人民政府 / 工业和信息化局, and a missing 市 (太原) are tolerated, and a
name holding a listed city in full passes (precision first); a county-level city (介休市), a
district or another province's city is not among them.

A name read by OCR with low confidence gives a warning, not an error. A round that lists no
cities checks nothing. The notice's city categories (Guangxi: 工业设计特色类 / 其他类) are
listed in the config too; the form prints no category field, so they are quoted in the
finding for the reviewer and not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from models.findings import Finding, Severity
from models.identity import COVER_KEY
from models.values import normalise_name
from validators.base import RecordContext, register
from validators.common import evidence_of, finding
from validators.identity import RecordRule, form_field, text
from validators.ocr_noise import doubt_note, doubtful

_PROVINCE = re.compile(r"^.{2,8}?(?:省|自治区)")
_TAILS = ("人民政府", "工业和信息化局", "工信局", "政府")


def city_key(name: str) -> str:
    """A city name reduced for comparison: no province in front, no 人民政府 after, no 市."""
    key = normalise_name(name)
    key = _PROVINCE.sub("", key, count=1)
    for tail in _TAILS:
        key = key.removesuffix(tail)
    return key.removesuffix("市")


def listed_city(name: str, cities: list[str]) -> str | None:
    """The configured city ``name`` stands for, or None."""
    key = city_key(name)
    if not key:
        return None
    exact = next((city for city in cities if city_key(city) == key), None)
    folded = normalise_name(name)
    return exact or next((city for city in cities if normalise_name(city) in folded), None)


class CityNotEligible(RecordRule):
    """A 表4 city that is not one of the round's prefecture-level cities."""

    code = "CITY_NOT_ELIGIBLE"
    title = "申报城市不符合申报主体要求"
    checks = "示范城市申报主体为本省的地级市（设区市）"
    severity: Severity = "error"
    fatal = True
    config_keys = ("rules.CITY_NOT_ELIGIBLE.cities", "rules.CITY_NOT_ELIGIBLE.level")

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        config = ctx.campaign.rules.CITY_NOT_ELIGIBLE
        record = ctx.record
        if record.kind != "city" or not config.cities:
            return
        name_ex = form_field(record, "name")
        name = text(name_ex) or text(record.cover.get(COVER_KEY))
        if not name or listed_city(name, config.cities) is not None:
            return
        form_method = next((d.method for d in record.documents if d.kind == "application_form"), None)
        doubt = doubtful(name_ex, ctx.campaign, form_method)
        where = ctx.campaign.province or ""
        categories = f"；申报类别分为{'、'.join(config.categories)}" if config.categories else ""
        yield finding(
            self.code,
            "warning" if doubt else self.severity,
            f"表4城市名称“{name}”不是{where}的{config.level}（{'、'.join(config.cities)}）"
            f"{categories}{doubt_note(name_ex) if doubt else ''}。",
            record,
            field="name",
            form_value=name,
            evidence=evidence_of(name_ex),
        )


register(CityNotEligible(), "city_not_eligible")
