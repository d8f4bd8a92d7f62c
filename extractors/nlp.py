"""Entities in Chinese free text: organisations, addresses, dates, amounts, credit codes.

A ``spacy.blank("zh")`` pipeline (the default ``char`` segmenter: one token per character,
nothing downloaded) with an EntityRuler of token patterns, built once per process on first
use. Character tokens make patterns greedy to the left ("委托山西某某有限公司"), so names are
trimmed of leading function words afterwards; credit codes count only when their check
character is right (a char-token pattern happily joins a phone number into a "code").
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from models import values

_CJK = r"^[\u4e00-\u9fff]$"
_NAME_CHAR = r"^[\u4e00-\u9fff()（）]$"
_DIGIT_CN = r"^[0-9〇○零一二三四五六七八九十]$"
ORG_SUFFIXES = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "集团公司",
    "分公司",
    "研究院",
    "研究所",
    "设计院",
    "服务中心",
    "中心",
    "人民政府办公厅",
    "人民政府办公室",
    "人民政府",
    "管理委员会",
    "委员会",
    "办公室",
    "管理局",
    "税务局",
    "信息化厅",
    "信息化局",
    "技术厅",
    "财政厅",
    "大学",
    "学院",
    "合作社",
    "事务所",
    "协会",
    "银行",
)
LEADING_WORDS = (
    "委托",
    "甲方",
    "乙方",
    "同意",
    "根据",
    "经过",
    "经",
    "为",
    "与",
    "由",
    "对",
    "向",
    "致",
    "自",
    "在",
    "将",
    "及",
    "是",
    "由于",
    "我们",
    "本单位",
    "我单位",
)
_BAD_START = ("我", "本", "贵", "该", "其", "各", "贵司")

_lock = threading.Lock()
_nlp: Any = None


@dataclass(frozen=True)
class Entity:
    """An entity with its label (ORG, ADDRESS, DATE, AMOUNT, USCC) and character span."""

    label: str
    text: str
    start: int
    end: int


def _chars(word: str) -> list[dict[str, Any]]:
    return [{"TEXT": ch} for ch in word]


def _patterns() -> list[dict[str, Any]]:
    pats: list[dict[str, Any]] = []
    for suffix in ORG_SUFFIXES:
        pats.append(
            {
                "label": "ORG",
                "pattern": [{"TEXT": {"REGEX": _NAME_CHAR}, "OP": "+"}, *_chars(suffix)],
            }
        )
    place = {"TEXT": {"IN": ["省", "市", "区", "县", "镇", "乡", "盟", "旗"]}}
    pats.append(
        {
            "label": "ADDRESS",
            "pattern": [
                {"TEXT": {"REGEX": _CJK}, "OP": "+"},
                place,
                {"TEXT": {"REGEX": r"^[\u4e00-\u9fff0-9A-Za-z\-－()（）]$"}, "OP": "+"},
                {"TEXT": {"REGEX": r"^[0-9]$"}, "OP": "+"},
                {"TEXT": {"IN": ["号", "室", "层", "楼", "座"]}},
            ],
        }
    )
    digit = {"TEXT": {"REGEX": _DIGIT_CN}}
    day = [digit, {**digit, "OP": "?"}, {"TEXT": {"IN": ["日", "号"]}}]
    month = [digit, {**digit, "OP": "?"}, {"TEXT": "月"}]
    year = [digit, digit, digit, digit, {"TEXT": "年"}]
    pats.append({"label": "DATE", "pattern": [*year, *month, *day]})
    pats.append({"label": "DATE", "pattern": [*year, *month]})
    number = {"TEXT": {"REGEX": r"^[0-9.,零壹贰叁肆伍陆柒捌玖拾佰仟一二三四五六七八九十百千]$"}}
    pats.append(
        {
            "label": "AMOUNT",
            "pattern": [
                {**number, "OP": "+"},
                {"TEXT": {"IN": ["万", "亿", "千"]}, "OP": "?"},
                {"TEXT": {"IN": ["元", "圆"]}},
                {"TEXT": "整", "OP": "?"},
            ],
        }
    )
    pats.append({"label": "USCC", "pattern": [{"TEXT": {"REGEX": r"^[0-9A-Z]$"}}] * 18})
    return pats


def pipeline() -> Any:
    """The process-wide spaCy pipeline (blank zh, char segmenter, entity ruler)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                nlp = spacy.blank("zh")
                ruler = nlp.add_pipe("entity_ruler")
                ruler.add_patterns(_patterns())
                _nlp = nlp
    return _nlp


ORG_RE = re.compile(r"[\u4e00-\u9fff()（）]{2,30}?(?:" + "|".join(ORG_SUFFIXES) + ")")
"""The same organisation rule as a regex, for short strings where a pipeline is overkill."""

_BREAKS = re.compile(r"[对为向与给被由把请在将从]")


def split_orgs(span: str) -> list[str]:
    """A greedy match cut into names: at each inner suffix ("…有限公司组织专家组对…有限公司"),
    then at a preposition that leaves a long enough name ("…对山西某某有限公司")."""
    span = "".join(span.split())
    out = []
    for match in ORG_RE.finditer(span):
        name = match.group(0)
        if len(name) > 10:
            cuts = [m.end() for m in _BREAKS.finditer(name) if len(name) - m.end() >= 6]
            if cuts:
                name = name[cuts[-1] :]
        out.append(name)
    return out or [span]


def trim_org(name: str) -> str | None:
    """A name without the words the greedy pattern took from the sentence before it."""
    name = "".join(name.split())
    changed = True
    while changed:
        changed = False
        for word in LEADING_WORDS:
            rest = name[len(word) :]
            if name.startswith(word) and len(rest) >= 4 and not rest.startswith(ORG_SUFFIXES):
                name, changed = rest, True
    for close, open_ in (("）", "（"), (")", "(")):
        cut = name.rfind(close)
        if cut >= 0 and open_ not in name[:cut]:
            name = name[cut + 1 :]  # "区）人民政府" from "各县（市、区）人民政府"
    if name.startswith(_BAD_START) or len(name) < 4:
        return None
    if any(name.endswith(s) and len(name) - len(s) < 2 for s in ORG_SUFFIXES):
        return None  # a bare suffix ("人民政府"), not a name
    return name


def entities(text: str) -> list[Entity]:
    """Entities of ``text`` in order; ORG names trimmed, USCCs validated."""
    if not text.strip():
        return []
    doc = pipeline()(text)
    out: list[Entity] = []
    for ent in doc.ents:
        raw = ent.text
        if ent.label_ == "ORG":
            for part in split_orgs(raw):
                name = trim_org(part)
                if name is None:
                    continue
                start = text.find(name, ent.start_char)
                start = start if start >= 0 else ent.start_char
                out.append(Entity("ORG", name, start, start + len(name)))
        elif ent.label_ == "USCC":
            code = "".join(raw.split())
            if values.uscc_is_valid(code):
                out.append(Entity("USCC", code, ent.start_char, ent.end_char))
        else:
            out.append(Entity(ent.label_, "".join(raw.split()), ent.start_char, ent.end_char))
    return out


def organisations(text: str) -> list[str]:
    """Organisation names in order of appearance, without repeats."""
    seen: list[str] = []
    for ent in entities(text):
        if ent.label == "ORG" and ent.text not in seen:
            seen.append(ent.text)
    return seen


def of_label(text: str, label: str) -> list[str]:
    """Texts of the entities of one label, in order."""
    return [e.text for e in entities(text) if e.label == label]
