"""How a rule judges a value read by OCR against the value an applicant typed.

A false error costs a reviewer more than a missed warning. So before a cross-check calls two
values different it asks whether OCR can explain the difference:

1. equal after folding the known OCR confusions (``OCR_CONFUSIONS``) → the same value;
2. the read value is the typed value with text of other licence fields run on (``overflow``:
   "…有限公司扫描二维码登录…", "…路1号法定代表人张三", a label character in front) → unsure;
3. read with a confidence under the round's ``low_confidence`` → unsure;
4. otherwise → a real difference (the rule's own error or warning).

"Unsure" becomes a LOW_CONFIDENCE warning that quotes both values; the rule's *_MISMATCH
finding is kept for differences OCR cannot explain. Traditional → simplified characters are
already folded when the page is read (``extractors.ocr``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

from models.campaign import Campaign
from models.fields import Extracted
from models.values import edit_distance

LOW_CONFIDENCE_THRESHOLD = 0.80
"""Confidence under which an OCR'd value that disagrees with a typed one is only a warning.
A round's ``low_confidence`` (the same key the LOW_CONFIDENCE rule reads) takes precedence."""

OCR_CONFUSIONS: dict[str, str] = {
    # Latin letters and digits (after case folding: O→o, I→i, S→s, B→b)
    "o": "0",
    "l": "1",
    "i": "1",
    "|": "1",
    "s": "5",
    "b": "8",
    # CJK characters that differ by one short stroke
    "已": "己",
    "巳": "己",
    "末": "未",
    "士": "土",
}
"""Characters OCR engines mistake for one another, mapped to one representative. Full- and
half-width forms are folded by NFKC before the table is applied."""

EMAIL_CONFUSIONS: dict[str, str] = {",": ".", "@": "e", "_": "", "-": ""}
"""E-mail specific OCR noise on top of ``OCR_CONFUSIONS``: "." read as ",", "@" read as "e",
"_" and "-" (on the base line) dropped."""

_FOLD_TABLE = str.maketrans(OCR_CONFUSIONS)
_EMAIL_TABLE = str.maketrans({**OCR_CONFUSIONS, **EMAIL_CONFUSIONS})

LICENCE_LABELS: tuple[str, ...] = (
    "名称", "统一社会信用代码", "类型", "法定代表人", "法人代表", "经营者", "负责人", "住所",
    "经营场所", "营业场所", "注册资本", "成立日期", "注册日期", "营业期限", "经营期限",
    "经营范围", "登记机关", "组成形式", "宗旨和业务范围", "开办资金", "举办单位", "有效期",
)  # fmt: skip
"""Labels of the licence and certificate layouts (company, 个体工商户, 分公司, 事业单位)."""

LICENCE_RUN_ON: tuple[str, ...] = (
    *LICENCE_LABELS,
    # the QR-code footer of the licence
    "扫描二维码", "二维码", "国家企业信用信息公示系统", "了解更多", "监管信息",
    # values of neighbouring fields: company types, capital, authority
    "有限责任公司", "股份有限公司", "个人独资企业", "合伙企业", "个体工商户", "自然人投资或控股",
    "法人独资", "人民币", "万元", "长期", "市场监督管理局",
)  # fmt: skip
"""Text that belongs to other fields of a licence: when a read value is the typed value
followed by one of these (or by a date), the reader ran past the field; the value is not a
different one."""

_DATE_RUN_ON = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日")
_LABEL_CHARS = frozenset("".join(LICENCE_LABELS) + "电话")
"""Characters of licence labels; one to three of them in front of a read value are a piece
of a label the reader took into the value (所 上海市…, 所电山西…)."""

_SPACE_PUNCT = re.compile(r"[\s\W_]+")

Judgement = Literal["same", "unsure", "differs"]


def threshold_of(campaign: Campaign | None) -> float:
    """The confidence threshold of the round, else ``LOW_CONFIDENCE_THRESHOLD``."""
    return campaign.low_confidence if campaign is not None else LOW_CONFIDENCE_THRESHOLD


def read_by_ocr(item: Extracted[Any] | None, document_method: str | None = None) -> bool:
    """Whether a value came from OCR: its method says so, or it was inferred on a document
    that was OCR'd, or it carries a confidence under 1 (only a recogniser gives one)."""
    if item is None:
        return False
    if item.method == "ocr":
        return True
    if item.method in (None, "inferred", "seal") and document_method == "ocr":
        return True
    return item.method is None and item.confidence < 1.0


def doubtful(item: Extracted[Any] | None, campaign: Campaign | None, document_method: str | None = None) -> bool:
    """Whether a value a hard rule relies on was read by OCR with a confidence under the
    round's threshold: the rule then asks a reviewer (warning) instead of failing the
    application on a reading it cannot trust."""
    return read_by_ocr(item, document_method) and item is not None and item.confidence < threshold_of(campaign)


def doubt_note(item: Extracted[Any] | None) -> str:
    """The Chinese note a rule adds to a finding it softened because of ``doubtful``."""
    conf = f"{item.confidence:.2f}" if item is not None else "低"
    return f"（该值为扫描识别结果，置信度{conf}，请对照原件核对）"


def fold_confusions(text: str) -> str:
    """``text`` with every known OCR confusion mapped to one representative (NFKC, case folded,
    spaces dropped): "Zhang_San@l63.com" and "zhangsan@163.com" differ only in "_"."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split()).translate(_FOLD_TABLE)


def fold_email(text: str) -> str:
    """An e-mail address folded for OCR noise: ``fold_confusions`` plus ``EMAIL_CONFUSIONS``."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split()).translate(_EMAIL_TABLE)


def near(a: str, b: str, min_length: int = 8, max_edits: int = 2) -> bool:
    """Two long values (``min_length`` characters or more) at most ``max_edits`` edits apart."""
    return min(len(a), len(b)) >= min_length and edit_distance(a, b) <= max_edits


def _compact(text: str) -> str:
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def _cut_points(text: str) -> list[int]:
    """Where text of another licence field may start in ``text`` (label, type, date, footer)."""
    points = {m.start() for m in _DATE_RUN_ON.finditer(text)}
    for mark in LICENCE_RUN_ON:
        start = text.find(mark)
        while start != -1:
            points.add(start)
            start = text.find(mark, start + 1)
    return sorted(p for p in points if p > 0)


def overflow(typed: str, read: str, same: Callable[[str, str], bool] | None = None) -> bool:
    """Whether ``read`` is ``typed`` (by ``same``, default: equal without spaces and
    punctuation) with text of other licence fields around it: cut where a label, a company
    type, capital, a date or the QR footer starts, or with one to three label characters in
    front (所 上海市…). "…有限公司太原分公司" is not overflow: a branch is another entity."""
    equal = same or (lambda a, b: bool(_compact(a)) and _compact(a) == _compact(b))
    squeezed = "".join(unicodedata.normalize("NFKC", read or "").split())
    for lead in range(4):
        if lead and (lead >= len(squeezed) or squeezed[lead - 1] not in _LABEL_CHARS):
            break
        body = squeezed[lead:]
        if lead and equal(typed, body):
            return True
        if any(equal(typed, body[:cut]) for cut in _cut_points(body)):
            return True
    return False


def judge(
    typed: str,
    read: str,
    same: Callable[[str, str], bool],
    *items: tuple[Extracted[Any] | None, str | None],
    threshold: float = LOW_CONFIDENCE_THRESHOLD,
) -> Judgement:
    """Judge two values a rule compares with ``same``. ``items`` are the (value, method of its
    document) pairs of both sides; those read by OCR decide whether confusions are folded and
    whose confidence counts. See the module docstring for the order of the tests."""
    if same(typed, read):
        return "same"
    ocr = [item for item, method in items if item is not None and read_by_ocr(item, method)]
    if ocr and same(fold_confusions(typed), fold_confusions(read)):
        return "same"

    def same_or_folded(a: str, b: str) -> bool:
        return same(a, b) or (bool(ocr) and same(fold_confusions(a), fold_confusions(b)))

    if overflow(typed, read, same_or_folded):
        return "unsure"
    if ocr and min(item.confidence for item in ocr) < threshold:
        return "unsure"
    return "differs"
