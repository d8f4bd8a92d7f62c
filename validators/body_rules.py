"""Rules on the application book's body (申报书正文) alone: the round's outline (参考提纲)
and its formatting (fonts, sizes, line spacing) (SPEC §5).

Both run whether or not a form was read (``needs_form = False``) and are registered under
``form.*`` names beside ``validators.form_rules``, whose ``FormRule`` base they share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from models.campaign import Campaign
from models.fields import Evidence, FieldMap
from models.findings import Finding, Severity
from models.records import ExtractedDocument, Record, StyleSample
from validators.base import register
from validators.common import bodies, finding, fmt, font_family, form_type_of, section_matches
from validators.form_rules import FormRule


def _doc_evidence(doc: ExtractedDocument, text: str = "", cell: str | None = None) -> Evidence:
    return Evidence(file=doc.file, page=doc.pages[0] if doc.pages else None, cell=cell, text=text)


class SectionMissing(FormRule):
    """SECTION_MISSING: a title of the round's outline for this kind has no matching heading
    in the body (tolerant matching: ``validators.common.section_matches``). No body at all
    is one finding on field "body"; a body in which no heading was recognised is one
    warning (likely a reading problem rather than four missing sections)."""

    code = "SECTION_MISSING"
    title = "申报书正文缺少章节"
    checks = "申报书正文包括参考提纲的各部分"
    config_keys = ("sections",)
    needs_form = False

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        kind = form_type_of(record)
        required = campaign.sections.get(kind, []) if kind else []
        if not required:
            return
        docs = bodies(record)
        outline = "、".join(required)
        if not docs:
            yield self.emit(record, f"未找到申报书正文（参考提纲：{outline}）", "body")
            return
        headings = [s.title for d in docs for s in d.sections]
        if not headings:
            message = f"申报书正文中未识别出章节标题，请人工核对是否包括：{outline}"
            yield finding(
                self.code, "warning", message, record, field="body.sections", evidence=[_doc_evidence(docs[0])],
            )  # fmt: skip
            return
        found = "、".join(headings)[:200]
        for title in required:
            if not any(section_matches(title, heading) for heading in headings):
                message = f"申报书正文缺少“{title}”部分（参考提纲：{outline}）"
                yield finding(
                    self.code, "error", message, record, field=f"sections.{title}", form_value=title,
                    found_value=found, evidence=[_doc_evidence(docs[0], found)],
                )  # fmt: skip


_ELEMENTS = {"body": "正文", "heading1": "一级标题", "heading2": "二级标题"}
_ASPECTS = {"font": "字体", "size": "字号", "spacing": "行距"}
_SIZE_NAMES = {
    42: "初号",
    36: "小初",
    26: "一号",
    24: "小一",
    22: "二号",
    18: "小二",
    16: "三号",
    15: "小三",
    14: "四号",
    12: "小四",
    10.5: "五号",
    9: "小五",
}


def _show(aspect: str, value: Any) -> str:
    if aspect == "size":
        name = _SIZE_NAMES.get(value)
        return f"{fmt(value)}磅" + (f"（{name}）" if name else "")
    if aspect == "spacing":
        return "单倍行距" if abs(value - 1) < 1e-9 else f"{fmt(value)}倍行距"
    return str(value)


def _deviations(sample: StyleSample, wanted: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if sample.font and font_family(sample.font) != font_family(wanted["font"]):
        yield "font", sample.font
    if sample.size_pt is not None and abs(sample.size_pt - wanted["size"]) > 0.25:
        yield "size", sample.size_pt
    spacing, found = wanted.get("spacing"), sample.line_spacing
    if spacing is not None and found is not None and abs(found - spacing) > 0.05:
        yield "spacing", found


class FormatDeviation(FormRule):
    """FORMAT_DEVIATION (info): body paragraphs of a .docx not in the round's fonts, sizes
    and line spacing. Fonts compare by family (仿宋_GB2312 = 仿宋), sizes within 0.25 pt,
    spacing within 0.05 (body only). One finding per element and aspect, counting the
    paragraphs and pointing at the first one; unknown attributes are not deviations."""

    code = "FORMAT_DEVIATION"
    title = "格式不符合要求"
    checks = "申报书正文字体、字号、行距符合要求"
    config_keys = ("format",)
    severity: Severity = "info"
    needs_form = False

    def findings(self, record: Record, campaign: Campaign, view: FieldMap) -> Iterator[Finding]:
        rule = campaign.format
        if rule is None:
            return
        wanted: dict[str, dict[str, Any]] = {
            "body": {"font": rule.body_font, "size": rule.body_size_pt, "spacing": rule.line_spacing},
            "heading1": {"font": rule.heading1_font, "size": rule.heading_size_pt},
            "heading2": {"font": rule.heading2_font, "size": rule.heading_size_pt},
        }
        for doc in bodies(record):
            hits: dict[tuple[str, str], list[tuple[StyleSample, Any]]] = {}
            for sample in doc.styles:
                for aspect, found in _deviations(sample, wanted[sample.element]):
                    hits.setdefault((sample.element, aspect), []).append((sample, found))
            for (element, aspect), samples in hits.items():
                total = sum(1 for s in doc.styles if s.element == element)
                first = samples[0][0]
                common = Counter(_show(aspect, f) for _, f in samples).most_common(1)[0][0]
                expected = _show(aspect, wanted[element][aspect])
                where = f"第{first.paragraph}段" if first.paragraph else "首段"
                message = (
                    f"申报书正文{_ELEMENTS[element]}{_ASPECTS[aspect]}应为{expected}，"
                    f"有{len(samples)}段（共{total}段）不符，多为{common}；"
                    f"如{where}“{first.sample[:20]}”"
                )
                cell = f"paragraph {first.paragraph}" if first.paragraph else None
                yield finding(
                    self.code, "info", message, record, field=f"body.{element}.{aspect}",
                    form_value=expected, found_value=common, source=doc.file,
                    evidence=[_doc_evidence(doc, first.sample, cell)],
                )  # fmt: skip


RULES: dict[str, FormRule] = {
    "form.section_missing": SectionMissing(),
    "form.format_deviation": FormatDeviation(),
}
"""Registered name → rule, for this module's rules."""
for _name, _rule in RULES.items():
    register(_rule, _name)
