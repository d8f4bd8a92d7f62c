"""review.html as text: the page's markup from the records, findings and crops.

Everything a reviewer reads is Chinese; every value from a document goes through
``html.escape``. Pictures are relative links to ``evidence/`` beside the page, and source
files relative links into the received folder, so the output folder works from a USB stick.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from intake.evidence import Crop, EvidenceIndex
from intake.evidence.crops import KEY_FIELDS
from intake.priority import Priority
from intake.writers.sheets.common import check_attachments, field_label, kind_label, uscc_of
from models.campaign import Campaign
from models.fields import Extracted
from models.findings import FINDING_CODES, SEVERITY_LABELS, Finding
from models.records import DOC_KIND_LABELS, Record
from models.run import RunInfo

VERDICTS = ("不符合", "需复核", "通过")


def field_name(key: str) -> str:
    """A finding's field in Chinese, including the rules' ``attachments.<kind>`` and
    ``sections.<title>`` keys."""
    head, _, rest = key.partition(".")
    if head == "attachments" and rest in DOC_KIND_LABELS:
        return f"附件：{DOC_KIND_LABELS[rest]}"
    if head == "sections" and rest:
        return f"正文章节：{rest}"
    if head in DOC_KIND_LABELS and rest:
        return f"{DOC_KIND_LABELS[head]}：{field_label(rest)}"
    return field_label(key)


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _select(ident: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return f'<label>{label}<select id="{ident}"><option value="">全部</option>{items}</select></label>'


def filters(records: Sequence[Record], codes: Sequence[str]) -> str:
    """The filter bar: recommender, kind, verdict and finding code."""
    recommenders = sorted({r.recommender or "未知推荐单位" for r in records})
    kinds = sorted({kind_label(r.kind) for r in records})
    return (
        '<div class="filters">'
        + "".join(
            (
                _select("f-recommender", "推荐单位", [(r, r) for r in recommenders]),
                _select("f-kind", "申报类型", [(k, k) for k in kinds]),
                _select("f-verdict", "结论", [(v, v) for v in VERDICTS]),
                _select("f-code", "问题代码", [(c, f"{FINDING_CODES.get(c, c)}（{c}）") for c in codes]),
                f'<span>显示 <span id="shown">{len(records)}</span> / {len(records)} 份</span>',
            )
        )
        + "</div>"
    )


def figure(crop: Crop, link: str | None) -> str:
    """A crop with its caption: which document, which page, which file (linked)."""
    src = quote(crop.rel)
    page = f" 第{crop.page}页" if crop.page else ""
    file = f'<a href="{_e(link)}">{_e(crop.file)}</a>' if link else _e(crop.file)
    return (
        f'<figure><a href="{src}"><img src="{src}" alt="{_e(crop.side)}{page}证据截图"></a>'
        f"<figcaption>{_e(crop.side)}{page} · {file}</figcaption></figure>"
    )


def finding_html(finding: Finding, crops: Sequence[Crop], links: Mapping[str, str]) -> str:
    """One finding: severity, what and why, both values, the notice's words, its crops."""
    severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
    dismissed = " dismissed" if finding.dismissed else ""
    note = ' <span class="badge s-info">已标为误报，不计入结论</span>' if finding.dismissed else ""
    values = []
    if finding.field:
        values.append(f"字段：{_e(field_name(finding.field))}")
    if finding.form_value not in (None, ""):
        values.append(f"申报表填写值：<b>{_e(finding.form_value)}</b>")
    if finding.found_value not in (None, ""):
        values.append(f"核对值：<b>{_e(finding.found_value)}</b>")
    basis = f'<div class="basis">依据：{_e(finding.basis)}</div>' if finding.basis else ""
    pictures = "".join(figure(c, links.get(c.file)) for c in crops)
    places = "" if crops else _places(finding, links)
    return (
        f'<div class="finding{dismissed}" data-code="{_e(finding.code)}" data-id="{_e(finding.id)}">'
        f'<span class="badge s-{_e(finding.severity)}">{_e(severity)}</span> '
        f"<b>{_e(finding.title)}</b>（{_e(finding.code)}）{note}"
        f'<div class="reason">{_e(finding.message)}</div>'
        f'<div class="values">{"；".join(values)}</div>{basis}'
        f'<div class="crops">{pictures}</div>{places}</div>'
    )


def _places(finding: Finding, links: Mapping[str, str]) -> str:
    """Evidence without a crop: the file (linked), page and text."""
    items = []
    for item in finding.evidence:
        link = links.get(item.file)
        name = f'<a href="{_e(link)}">{_e(item.file)}</a>' if link else _e(item.file)
        page = f" 第{item.page}页" if item.page else ""
        items.append(f"<li>{name}{page}{('：' + _e(item.text)) if item.text else ''}</li>")
    return f'<ul class="places">{"".join(items)}</ul>' if items else ""


def _field_rows(record: Record, evidence: EvidenceIndex) -> list[str]:
    crops = evidence.fields.get(record.submission_id, {})
    sources: list[tuple[str, Mapping[str, Extracted]]] = [("application_form", record.form_fields)]
    sources += [(a.kind, a.fields) for a in record.attachments]
    rows = []
    for kind, fields in sources:
        for key in KEY_FIELDS.get(kind, ()):
            item = fields.get(key)
            if item is None:
                continue
            crop = crops.get(f"{kind}.{key}")
            shown = item.value if item.value not in (None, "") else item.raw
            picture = f'<a href="{quote(crop.rel)}"><img src="{quote(crop.rel)}" alt="证据截图"></a>' if crop else ""
            rows.append(
                f"<tr><td>{_e(DOC_KIND_LABELS.get(kind, kind))}</td><td>{_e(field_label(key))}</td>"
                f"<td>{_e(shown)}</td><td>{item.confidence:.2f}</td><td>{picture}</td></tr>"
            )
    return rows


def fields_html(record: Record, evidence: EvidenceIndex) -> str:
    """The key extracted fields with their confidence and crops."""
    rows = _field_rows(record, evidence)
    if not rows:
        return "<p>未提取到关键字段。</p>"
    head = "<tr><th>材料</th><th>字段</th><th>识别值</th><th>置信度</th><th>证据</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def attachments_html(record: Record, campaign: Campaign) -> str:
    """The attachment checklist of the record's kind: present, missing or optional."""
    rows = []
    for check in check_attachments(record, campaign):
        files = "、".join(sorted({a.file.rsplit("/", 1)[-1] for a in check.found}))
        if check.present:
            state = f'<span class="present">✓ 已提供</span> {_e(files)}'
        elif check.status == "unsure":  # the rule warns: unrecognised scans may hold it
            state = '<span class="unsure">？ 未识别，待核对</span>'
        elif check.rule.required:
            state = '<span class="missing">✗ 缺失</span>'
        else:
            state = '<span class="optional">可选，未提供</span>'
        rows.append(f"<tr><td>{_e(check.rule.label)}</td><td>{state}</td></tr>")
    if not rows:
        return "<p>申报类型未识别，无法核对附件。</p>"
    return f"<table><tr><th>附件</th><th>情况</th></tr>{''.join(rows)}</table>"


def submission_html(
    number: int,
    record: Record,
    findings: Sequence[Finding],
    priority: Priority,
    campaign: Campaign,
    evidence: EvidenceIndex,
    links: Mapping[str, str],
) -> str:
    """One submission's card."""
    verdict = record.verdict.value if record.verdict else "需复核"
    reason = record.verdict.reason if record.verdict else ""
    codes = " ".join(sorted({f.code for f in findings}))
    recommender = record.recommender or "未知推荐单位"
    kind = kind_label(record.kind)
    folder = links.get(record.path)
    place = f'<a href="{_e(folder)}">{_e(record.path)}</a>' if folder else _e(record.path)
    body = "".join(finding_html(f, evidence.of(f), links) for f in findings) or "<p>未发现问题。</p>"
    return (
        f'<section class="sub" id="{_e(record.submission_id)}" data-recommender="{_e(recommender)}" '
        f'data-kind="{_e(kind)}" data-verdict="{_e(verdict)}" data-codes="{_e(codes)}">'
        f"<h2>{number}. {_e(record.applicant or '（未识别申报单位）')} "
        f'<span class="badge v-{_e(verdict)}">{_e(verdict)}</span></h2>'
        f'<div class="meta"><span>推荐单位：{_e(recommender)}</span><span>申报类型：{_e(kind)}</span>'
        f"<span>统一社会信用代码：{_e(uscc_of(record) or '—')}</span><span>材料：{place}</span></div>"
        f'<div class="priority">复核优先级 <b>{priority.score}</b>：{_e(priority.reason)}</div>'
        f'<div class="reason">结论依据：{_e(reason)}</div>'
        f"<h3>问题（{len(findings)}）</h3>{body}"
        f"<h3>关键字段</h3>{fields_html(record, evidence)}"
        f"<h3>附件核对</h3>{attachments_html(record, campaign)}</section>"
    )


def orphans_html(findings: Sequence[Finding], evidence: EvidenceIndex, links: Mapping[str, str]) -> str:
    """Batch findings that name no submission (a 汇总表 line without a book …)."""
    if not findings:
        return ""
    codes = " ".join(sorted({f.code for f in findings}))
    body = "".join(finding_html(f, evidence.of(f), links) for f in findings)
    return (
        f'<section class="sub batch" data-recommender="" data-kind="" data-verdict="" data-codes="{_e(codes)}">'
        f"<h2>未归属到申报的问题</h2>{body}</section>"
    )


def page(
    title: str,
    info: RunInfo,
    header: str,
    cards: Sequence[str],
    css: str,
    js: str,
) -> str:
    """The whole document; CSS and script are inlined (one file beside ``evidence/``)."""
    started = info.started.strftime("%Y-%m-%d %H:%M")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} 审核页</title><style>{css}</style></head><body>"
        f"<header><h1>{_e(title)} · 申报材料审核</h1>"
        f'<div class="stats">{header}<span>运行时间：{_e(started)}</span>'
        f"<span>intake {_e(info.version)}</span></div>"
        f"{cards[0]}</header><main>{''.join(cards[1:])}</main>"
        f"<script>{js}</script></body></html>"
    )


def source_links(records: Sequence[Record], out: Path, received: Path) -> dict[str, str]:
    """Relative links from the page to every source file and submission folder."""
    from intake.writers.sheets.style import link_target

    paths = {r.path for r in records} | {e.path for r in records for e in r.files}
    paths |= {ev.file for r in records for f in r.findings for ev in f.evidence}
    return {p: t for p in paths if (t := link_target(p, out, received))}
