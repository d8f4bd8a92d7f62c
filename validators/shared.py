"""Projects must be 共享制造 projects (issue 10, item 5): both notices select projects for shared
manufacturing only. Whether a project is one is the reviewer's judgement; the rule only asks
for it when neither the project form (名称, 主要建设内容, 主营业务, 所在行业) nor the body's text
uses any of the round's words for shared-manufacturing content
(``[rules.NOT_SHARED_MANUFACTURING].keywords``). A round without keywords checks nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.campaign import SharedContentConfig
from models.fields import Extracted
from models.findings import Finding, Severity
from validators.base import RecordContext, register
from validators.common import bodies, evidence_of, finding, form_evidence
from validators.identity import RecordRule, form_field, text

FORM_KEYS = ("name", "content", "main_business", "industry")
"""Form fields whose text may show what the project is."""


def _compact(value: str) -> str:
    return "".join(value.split())


class NotSharedManufacturing(RecordRule):
    """A project whose form and body use none of the round's shared-manufacturing words."""

    code = "NOT_SHARED_MANUFACTURING"
    title = "项目未体现共享制造"
    checks = "示范项目的申报表或正文体现共享制造内容"
    severity: Severity = "warning"
    config_keys = ("rules.NOT_SHARED_MANUFACTURING.keywords", "rules.NOT_SHARED_MANUFACTURING.kinds")

    def check_record(self, ctx: RecordContext) -> Iterator[Finding]:
        config = ctx.campaign.rules.get(self.code)
        if not isinstance(config, SharedContentConfig) or not config.keywords:
            return
        record = ctx.record
        if record.kind not in config.kinds:
            return
        form = [(key, ex) for key in FORM_KEYS if (ex := form_field(record, key)) is not None and text(ex)]
        if not any(key == "name" for key, _ in form):
            return  # the form was not read: nothing to judge by
        body: list[Extracted[Any]] = []
        for doc in bodies(record):
            item = doc.fields.get("text")
            if item is not None and isinstance(item.value, str) and item.value.strip():
                body.append(item)
        words = [_compact(w) for w in config.keywords if w.strip()]
        texts = [_compact(text(ex)) for _, ex in form] + [_compact(str(ex.value)) for ex in body]
        if any(word in t for t in texts for word in words):
            return
        name = text(form[0][1])
        where = "申报表和申报书正文" if body else "申报表（未读到申报书正文）"
        listed = "、".join(config.keywords[:6])
        evidence = evidence_of(*(ex for _, ex in form), *body) or form_evidence(record)
        yield finding(
            self.code,
            self.severity,
            f"项目“{name}”的{where}中未见共享制造相关内容（如{listed}），请核对是否属于共享制造项目。",
            record,
            field="name",
            form_value=name,
            evidence=evidence[:4],
            source=record.form_file,
        )


register(NotSharedManufacturing(), "not_shared_manufacturing")
