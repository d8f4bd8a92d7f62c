"""The free-text attachments: evaluation certificates, contracts, acceptance opinions, premises
proofs, service evidence, customer evaluations and policy documents.

Each kind is a ``KindSpec`` (title pattern, strong and weak words, labels naming parties and
dates) read by one ``KeywordExtractor``. Words alone never make a page a document: they occur
in any body text ("签订了合同", "详见附件营业执照", a policy cited by its 文号). A page starts a
document of its kind only with structural evidence: its title in title position, or its
parties' labels in label position (甲方：… / 乙方：… at the start of their lines); a policy
document also needs the marks of an official document (红头 ``…文件``, a 文号 on its own line,
a government title, the 主送 line, a government signature: two of them). Without it a page
scores at most ``UNTITLED_CAP``, under the classifier's threshold for a new document, so it
can only continue the document before it. Fields: ``parties`` (labelled 甲方/乙方…
first, else organisation names found by ``extractors.nlp``), ``date``, ``start``/``end``
(a "自…起至…止" period; a lease's from its 租赁期限 line), the parties by role with their
credit codes (``party.<role>``, ``uscc.<role>``: ``extractors.attachments.parties``) and, for
policy documents, ``number`` (文号).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from extractors import nlp
from extractors.attachments.common import (
    doc_lines,
    find_dates,
    find_range,
    is_form_page,
    page_words,
    put,
)
from extractors.attachments.geometry import (
    LabelIndex,
    Line,
    compact,
    extracted,
    page_lines,
    rows,
    union,
)
from extractors.attachments.parties import read_roles, read_term
from models.document import Document, Page
from models.fields import Evidence, Extracted, FieldMap
from models.records import DocKind, ExtractedDocument

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
# Government issuers as a signature ends: 人民政府, its 办公厅/办公室, a 委员会 or 管委会, a
# 厅, 局 or 委 (工信委, 市委); in a title anywhere (without 委: 委托 is no issuer).
_GOV = r"(?:人民政府|政府办公厅|政府办公室|办公厅|委员会|管委会|[厅局委])"
_GOV_IN_TITLE = re.compile(r"人民政府|政府|办公厅|委员会|管委会|[厅局]|印发")
_NOT_GOV = ("公司", "集团", "事务所", "银行", "中心", "学校", "医院")
_GOV_NAME = re.compile(rf"^[\u4e00-\u9fff（）()、]{{2,30}}{_GOV}$")
_RED_HEAD = re.compile(rf"^[\u4e00-\u9fff（）()、]{{2,40}}{_GOV}(?:文件|函|通知)$")
_SIGNER = re.compile(r"^签发人[:：]?[\u4e00-\u9fff]{0,4}$")
_ADDRESSEE = re.compile(r"^各[\u4e00-\u9fff（）()、，,]{2,80}[:：]$")
# A page without its kind's structure scores at most this: below the classifier's
# NEW_DOCUMENT (0.5), so words alone can continue a document but never start one.
UNTITLED_CAP = 0.45
# With its parties' labels in label position (甲方：… and 乙方：…) but no readable title.
LABELLED_CAP = 0.6
_ROLE = re.compile(r"^[(（][^)）]{1,8}[)）]")


@dataclass(frozen=True)
class KindSpec:
    kind: DocKind
    title: re.Pattern[str]
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    parties: tuple[str, ...] = ()
    dates: tuple[str, ...] = ("日期",)
    exclude: tuple[str, ...] = ()  # title words that make it another kind
    title_weight: float = 0.55
    prose_parties: bool = False  # names in the running text count even beside labelled ones


SPECS: dict[str, KindSpec] = {
    "tech_evaluation_certificate": KindSpec(
        "tech_evaluation_certificate",
        re.compile(r"技术水平评价|科技成果评价(证书|报告)|鉴定证书|技术评价证书|成果鉴定|成果评价|评价证书$|技术鉴定(报告|意见书)"),
        ("技术水平评价", "科技成果评价", "鉴定证书", "鉴定委员会", "评价证书"),
        ("评价机构", "国内领先", "国际先进", "国内先进", "国际领先", "技术水平", "成果名称",
         "完成单位", "评价日期", "鉴定日期"),
        ("完成单位", "成果完成单位", "申请单位", "委托单位", "评价机构", "组织鉴定单位", "鉴定单位"),
        ("评价日期", "鉴定日期", "发证日期", "日期"),
    ),
    "project_contract": KindSpec(
        "project_contract",
        re.compile(r"(项目|建设|工程|承包|委托).*(合同|协议)书?$|^(?!.*服务).*(合同|协议)书?$"),
        ("甲方", "乙方", "合同期限", "合同金额", "合同编号", "签订日期"),
        ("委托方", "承建方", "承包方", "发包方", "违约", "付款", "建设内容", "双方", "项目"),
        ("甲方", "乙方", "丙方", "委托方", "受托方", "承建方", "承包方", "发包方", "建设单位"),
        ("签订日期", "签约日期", "签订时间", "日期"),
        exclude=("租赁", "租房", "房屋", "购房"),
    ),
    "acceptance_opinion": KindSpec(
        "acceptance_opinion",
        re.compile(r"验收意见|验收报告|验收证书|专家(评价|评审|论证)意见|鉴定意见|评审意见|验收结论"),
        ("验收意见", "专家组", "验收委员会", "通过验收", "专家评价意见", "评审意见"),
        ("验收", "专家", "组长", "签字", "评审", "一致认为", "同意"),
        ("项目承担单位", "承担单位", "建设单位", "组织单位", "验收单位"),
        ("验收日期", "验收时间", "评审日期", "日期"),
    ),
    "premises_proof": KindSpec(
        "premises_proof",
        re.compile(r"不动产权证|房屋所有权证|房产证|租赁合同|租赁协议|土地使用权证|不动产登记证明"),
        ("出租方", "承租方", "租赁期限", "不动产权", "房屋所有权", "权利人", "不动产单元号"),
        ("租金", "建筑面积", "坐落", "房屋", "租赁", "出租人", "承租人", "共有情况"),
        ("出租方", "承租方", "出租人", "承租人", "甲方", "乙方", "权利人", "房屋所有权人"),
        ("签订日期", "登记时间", "日期"),
    ),
    "service_evidence": KindSpec(
        "service_evidence",
        re.compile(
            r"服务证明|证明材料|^证明$|服务情况|开展.{0,8}服务|服务(协议|合同)书?$|工作总结|总结$|通知$"
            r"|照片|服务记录|培训记录|签到表"
        ),
        ("服务证明", "证明材料", "特此证明", "兹证明", "服务情况", "服务开展", "开展服务"),
        ("培训", "活动", "照片", "现场", "参加", "举办", "总结", "证明", "服务"),
        ("服务单位", "证明单位", "主办单位", "承办单位"),
        ("日期", "时间"),
        exclude=("人民政府", "建设"),
        title_weight=0.4,
        prose_parties=True,
    ),
    "customer_evaluation": KindSpec(
        "customer_evaluation",
        re.compile(
            r"客户评价|用户评价|服务评价|合作评价|评价意见|使用意见|用户意见|反馈意见|用户使用报告|满意度|评价函"
            r"|评价表|评价书|使用证明|应用证明"
        ),
        ("客户评价", "用户评价", "评价单位", "满意", "使用情况"),
        ("服务质量", "服务态度", "优秀", "良好", "合作", "我公司", "我单位"),
        ("评价单位", "客户名称", "用户单位", "使用单位", "客户单位", "被评价单位", "服务单位"),
        ("评价日期", "日期"),
        exclude=("专家", "验收", "鉴定", "成果", "技术水平", "证书"),
        prose_parties=True,  # the evaluator signs; the provider is named in the letter
    ),
    "policy_document": KindSpec(
        "policy_document",
        re.compile(r"关于.{2,60}的(通知|意见|实施意见|实施方案|办法|决定|规划|措施|批复)|人民政府(办公厅|办公室)?文件"),
        ("人民政府", "印发", "现印发给你们", "贯彻执行"),
        ("政策", "措施", "扶持", "奖励", "各有关单位", "各县", "实施", "办公室", "办公厅"),
        ("发文机关", "印发单位"),
        ("成文日期", "印发日期"),
    ),
}  # fmt: skip


_SENTENCE = re.compile(r"[，,。；;！？!?]")
_OUTLINE = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
TITLE_ROWS = 4


def is_title_like(flat: str) -> bool:
    """A line that could be a document's title: no sentence punctuation (running text wraps
    mid-sentence) and no outline numbering (a body's "（一）…" heading is not a title)."""
    return 2 <= len(flat) <= 40 and not _SENTENCE.search(flat) and not _OUTLINE.match(flat)


def titles(lines: list[Line], page: Page) -> list[Line]:
    """Title-like lines among the first rows at the top of the page, tallest first: where a
    document's title is printed (a page that continues running text has none). A title
    printed letter-spaced (合　同　书) that OCR cut into boxes, or wrapped over two lines
    (…关于推动服务型制造发展的实施 / 意见), is read whole again."""
    if not lines:
        return []
    top = min(ln.bbox.y0 for ln in lines)
    bottom = max(ln.bbox.y1 for ln in lines)
    limit = top + 0.35 * max(bottom - top, 1.0)
    top_rows = rows(lines)[:TITLE_ROWS]
    first = [ln for row in top_rows for ln in [*row, *_spaced_title(row)]]
    heads = [ln for ln in first if ln.bbox.y0 <= limit and is_title_like(ln.flat)]
    heads += [ln for ln in _wrapped_titles(top_rows) if ln.bbox.y0 <= limit]
    heads.sort(key=lambda ln: (-round(ln.bbox.height), ln.bbox.y0))
    return heads[:6]


def _wrapped_titles(top_rows: list[list[Line]]) -> list[Line]:
    """Two consecutive one-box rows, both title-like, of about one height and one line apart,
    joined: a long title wrapped onto a second line."""
    out: list[Line] = []
    for upper, lower in pairwise(top_rows):
        if len(upper) != 1 or len(lower) != 1:
            continue
        a, b = upper[0], lower[0]
        if not (is_title_like(a.flat) and is_title_like(b.flat)) or len(a.flat) + len(b.flat) > 80:
            continue
        height = max(a.bbox.height, b.bbox.height)
        if min(a.bbox.height, b.bbox.height) < 0.7 * height or b.bbox.y0 - a.bbox.y1 > 1.5 * height:
            continue
        box = union([a.bbox, b.bbox])
        out.append(replace(a, text=a.flat + b.flat, bbox=box, confidence=min(a.confidence, b.confidence)))
    return out


def _spaced_title(row: list[Line]) -> list[Line]:
    """A row of short boxes (one to four characters each) set apart by gaps narrower than a
    few character heights, joined into one line: a letter-spaced title; [] otherwise."""
    if len(row) < 2 or any(len(ln.flat) > 4 for ln in row):
        return []
    ordered = sorted(row, key=lambda ln: ln.bbox.x0)
    height = max(ln.bbox.height for ln in ordered)
    if any(b.bbox.x0 - a.bbox.x1 > 4 * height for a, b in pairwise(ordered)):
        return []
    box = union([ln.bbox for ln in ordered])
    text = "".join(ln.flat for ln in ordered)
    return [replace(ordered[0], text=text, bbox=box, confidence=min(ln.confidence for ln in ordered))]


def _is_gov(text: str, *, anywhere: bool = False) -> bool:
    """A government body named in ``text`` (at its end, or ``anywhere``: a title's issuer or
    印发), and no company, firm or bank."""
    if any(w in text for w in _NOT_GOV):
        return False
    if anywhere:
        return _GOV_IN_TITLE.search(text) is not None
    return _GOV_NAME.match(text) is not None


def official_marks(lines: list[Line], page: Page) -> set[str]:
    """The marks of an official (红头) document found on the page: ``head`` (…人民政府文件
    at the top), ``number`` (a 文号 on its own line, not cited in a sentence), ``title``
    (关于…的通知 in title position), ``addressee`` (各县（市、区）人民政府…：) and ``signer``
    (a government body signing near the foot)."""
    marks: set[str] = set()
    natural = rows(lines)
    if not natural:
        return marks
    head_rows = [ln.flat for row in natural[: TITLE_ROWS + 2] for ln in row]
    if any(_RED_HEAD.match(flat) for flat in head_rows):
        marks.add("head")
    for row in natural[: len(natural) // 2 + 2]:
        flats = [ln.flat for ln in sorted(row, key=lambda x: x.bbox.x0) if not _SIGNER.match(ln.flat)]
        joined = "".join(flats)
        if DOC_NUMBER.fullmatch(joined) or any(DOC_NUMBER.fullmatch(f) for f in flats):
            marks.add("number")
        if _ADDRESSEE.match(joined):
            marks.add("addressee")
    policy_title = SPECS["policy_document"].title
    if any(policy_title.search(ln.flat) and _is_gov(ln.flat, anywhere=True) for ln in titles(lines, page)):
        marks.add("title")
    if any(_GOV_NAME.match(ln.flat) and _is_gov(ln.flat) for row in natural[-4:] for ln in row):
        marks.add("signer")
    return marks


def reading_text(lines: list[Line]) -> str:
    """The page's text in reading order: rows top to bottom, boxes left to right."""
    return "\n".join(" ".join(ln.text for ln in sorted(row, key=lambda x: x.bbox.x0)) for row in rows(lines))


_QUOTED = re.compile(r"“[^”]{1,60}”|\"[^\"]{1,60}\"|《[^》]{1,80}》|「[^」]{1,60}」")
_STOP = re.compile(r"[。：:；;！？!?]$")
_PEOPLE_HEADER = ("姓名", "签字", "签名")
_PEOPLE_COLUMNS = ("单位", "职称", "职务", "专业")
_RANKS = ("教授", "工程师", "研究员", "讲师", "高工", "博士", "主任", "经济师", "会计师")


def _people_row(row: list[Line]) -> bool:
    """A row of a people table: a header (姓名 | 工作单位 | 职称) or a short row whose own box
    is a professional title (张三 | 某某大学 | 教授)."""
    flat = "".join(ln.flat for ln in row)
    if any(h in flat for h in _PEOPLE_HEADER) and any(c in flat for c in _PEOPLE_COLUMNS):
        return True
    return len(row) <= 5 and any(ln.flat.endswith(_RANKS) and len(ln.flat) <= 8 for ln in row)


def prose(lines: list[Line], *, issuer_first: bool = False) -> str:
    """The page's running text for finding organisations: wrapped lines joined back into
    their sentences (a name broken across two lines is whole again), quoted titles
    (“…项目”, 《…》) dropped, and nothing from a people table (an expert list names
    affiliations, not parties) or below its header."""
    natural = rows(lines)
    order = list(range(len(natural)))
    if issuer_first:  # a policy document's issuer: its heading and signature
        order = list(dict.fromkeys(order[:3] + order[-3:] + order[3:-3]))
    right = max((ln.bbox.x1 for ln in lines), default=0.0)
    left = min((ln.bbox.x0 for ln in lines), default=0.0)
    parts: list[str] = []
    wrapped = False
    previous = -2
    for i in order:
        row = natural[i]
        wrapped = wrapped and i == previous + 1  # only a row's own next row continues it
        previous = i
        if _people_row(row):
            if not issuer_first:
                break
            continue
        seen: list[str] = []
        for ln in sorted(row, key=lambda x: x.bbox.x0):
            if ln.text not in seen:  # a PDF table prints each cell as a block too
                seen.append(ln.text)
        text = " ".join(seen)
        parts.append(("" if wrapped else "\n") + text)
        last = max(row, key=lambda x: x.bbox.x1)
        wrapped = last.bbox.x1 >= right - 0.06 * (right - left) and not _STOP.search(last.flat)
    return _QUOTED.sub("", "".join(parts)).strip()


class KeywordExtractor:
    """One free-text attachment kind, recognised by its title and words."""

    def __init__(self, spec: KindSpec) -> None:
        self.spec = spec
        self.kind: DocKind = spec.kind

    def title_of(self, lines: list[Line], page: Page) -> Line | None:
        for ln in titles(lines, page):
            if self.spec.title.search(ln.flat) and not any(w in ln.flat for w in self.spec.exclude):
                return ln
        return None

    def score(self, page: Page, document: Document) -> float:
        """Title in title position, then the kind's words; capped by the page's structure
        (see the module docstring) and lowered on pages of the application itself."""
        lines = page_lines(document, page)
        if not lines:
            return 0.0
        words = page_words(page)
        spec = self.spec
        title = self.title_of(lines, page)
        score = spec.title_weight if title else 0.0
        score += min(0.4, 0.2 * sum(1 for w in spec.strong if w in words))
        score += min(0.25, 0.06 * sum(1 for w in spec.weak if w in words))
        if spec.kind == "policy_document":
            marks = official_marks(lines, page)
            if "number" in marks:
                score += 0.25
            if len(marks) < 2:  # a letter citing a policy and its 文号 is not one
                score = min(score, UNTITLED_CAP)
            elif title is None and "title" not in marks:
                score = min(score, LABELLED_CAP)
        elif title is None:
            score = min(score, LABELLED_CAP if self.labelled_parties(lines) >= 2 else UNTITLED_CAP)
        if "营业执照" in words and "统一社会信用代码" in words:
            score *= 0.4
        return round(min(score, 1.0) * (1.0 - 0.8 * is_form_page(page)), 3)

    def labelled_parties(self, lines: list[Line]) -> int:
        """How many of the kind's party labels start a line and name someone (甲方（委托方）：
        某某有限公司): a contract's structure, which running text ("甲方为…") does not have."""
        index = LabelIndex(lines, {label: [label] for label in self.spec.parties})
        found = 0
        for label in self.spec.parties:
            value = index.value(label)
            if value is not None and _party_name(value.text):
                found += 1
        return found

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        read = doc_lines(document, pages)
        lines = [ln for _, page_lines_ in read for ln in page_lines_]
        fields: FieldMap = {}
        title = None
        if read:
            first_title = self.title_of(read[0][1], read[0][0])
            title = first_title.flat if first_title else None
        put(fields, "parties", self._parties(read))
        put(fields, "date", self._date(read))
        text = "\n".join(reading_text(page_lines_) for _, page_lines_ in read)
        period = find_range(text)
        term = read_term(read) if self.kind == "premises_proof" else None
        if term is not None:
            put(fields, "start", term[0])
            put(fields, "end", term[1])
        elif period:
            where = [ln for ln in lines if period[0][:6] in ln.flat][:1]
            put(fields, "start", extracted(period[1], period[0], where))
            put(fields, "end", extracted(period[2], period[0], where))
        for key, item in read_roles(self.kind, read, _party_name).items():
            put(fields, key, item)
        if self.kind == "policy_document":
            numbered = [(ln, DOC_NUMBER.search(ln.flat)) for ln in lines]
            numbered = [(ln, m) for ln, m in numbered if m]
            if numbered:
                ln, match = min(numbered, key=lambda p: (p[1].start() > 0, p[0].bbox.y0))
                put(fields, "number", extracted(match.group(0), ln.flat, [ln]))
        method = next((e.method for e in fields.values() if e.method), None)
        seals = [s for p in document.pages if p.number in pages for s in p.seals]
        return ExtractedDocument(
            kind=self.kind,
            file=document.file,
            pages=pages,
            fields=fields,
            title=title,
            seals=seals,
            method=method,
            low_text=not lines,
        )

    def _parties(self, read: list[tuple[Page, list[Line]]]) -> Extracted | None:
        """Labelled parties (甲方/乙方, 评价单位 …) first; then, when there are none or the
        kind names a party in its letter, organisations in the running text."""
        names: list[str] = []
        used: list[Line] = []
        for _page, lines in read:
            index = LabelIndex(lines, {label: [label] for label in self.spec.parties})
            for label in self.spec.parties:
                value = index.value(label)
                name = _party_name(value.text) if value else None
                if value and name and name not in names:
                    names.append(name)
                    used += [*(value.label.lines if value.label else []), *value.lines]
        if not names or self.spec.prose_parties:
            limit = len(names) + 1 if names else 4
            for _page, lines in read:
                for name in nlp.organisations(prose(lines, issuer_first=self.kind == "policy_document")):
                    if len(names) < limit and not any(name in other or other in name for other in names):
                        names.append(name)
                        used += [ln for ln in lines if name[-6:] in ln.flat][:1]
        if not names:
            return None
        evidence = [Evidence(file=ln.file, page=ln.page, bbox=ln.bbox, text=ln.text) for ln in used]
        confidence = min((ln.confidence for ln in used), default=0.8)
        method = used[0].method if used else "nlp"
        return Extracted(value=names, raw="；".join(names), confidence=confidence, evidence=evidence, method=method)

    def _date(self, read: list[tuple[Page, list[Line]]]) -> Extracted | None:
        for _page, lines in read:
            index = LabelIndex(lines, {label: [label] for label in self.spec.dates})
            for label in self.spec.dates:
                value = index.value(label)
                found = find_dates(compact(value.text)) if value else []
                if value and found:
                    return value.extracted(found[0][1], raw=found[0][0])
        # Unlabelled: the lowest date on the last page that has one (signature, 成文日期).
        for _page, lines in reversed(read):
            dated = [(ln, find_dates(ln.flat)) for ln in lines if not find_range(ln.flat) and "至" not in ln.flat]
            dated = [(ln, f) for ln, f in dated if f]
            if dated:
                ln, found = max(dated, key=lambda p: (p[0].bbox.y1, p[0].bbox.x0))
                return extracted(found[-1][1], found[-1][0], [ln])
        return None


def _party_name(text: str) -> str | None:
    """An organisation (or person) from a party label's value: role and 盖章 notes dropped."""
    flat = compact(text).lstrip(":：")
    while _ROLE.match(flat):
        flat = _ROLE.sub("", flat, count=1).lstrip(":：")
    flat = re.sub(r"[(（](盖章|签章|公章|签字|章)[)）]", "", flat).strip(":：")
    match = nlp.ORG_RE.search(flat)
    if match:
        return nlp.trim_org(match.group(0)) or match.group(0)
    if 2 <= len(flat) <= 30 and re.fullmatch(r"[\u4e00-\u9fff()（）·]+", flat):
        return flat
    return None


def keyword_extractors() -> dict[str, KeywordExtractor]:
    return {name: KeywordExtractor(spec) for name, spec in SPECS.items()}
