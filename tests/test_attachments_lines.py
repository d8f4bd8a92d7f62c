"""The facts shared by every attachment kind on a page (``extractors.attachments.lines``):
worked out once per list of lines, yet each caller gets its own result, and the indexed
searches find exactly what a scan of every box finds."""

from __future__ import annotations

import random

from test_attachments_layouts import box, document

from extractors.attachments import lines as lines_mod
from extractors.attachments.freetext import titles
from extractors.attachments.geometry import LabelIndex, find_label
from extractors.attachments.lines import (
    LABEL_HEAD_STRIP,
    Line,
    drop_watermarks,
    facts,
    page_lines,
    row_text,
    rows,
    same_row,
)
from models.document import BBox

LICENCE = [
    box("营业执照", 900, 120, h=90),
    box("名", 150, 520),
    box("称", 310, 520),
    box("某某科技有限公司", 410, 522),
    box("类型", 150, 600),
    box("有限责任公司", 410, 600),
    box("住所：山西省太原市小店区某路1号", 150, 680),
    box("法定代表人", 1300, 520),
    box("张三", 1520, 520),
    box("仅供投标使用", 600, 900, h=60),
]


def _lines() -> tuple[list[Line], object]:
    doc = document(LICENCE, seed=3)
    return page_lines(doc, doc.pages[0]), doc


def test_same_lines_share_facts_and_copies_share_nothing_mutable() -> None:
    lines, _ = _lines()
    again = list(lines)
    assert facts(lines) is facts(again)  # the same boxes in the same order: one set of facts
    first = find_label(lines, ["名称"], "name")
    first.clear()  # a caller's list is its own
    assert find_label(again, ["名称"], "name")
    unmarked = drop_watermarks(lines)
    unmarked.pop()
    assert len(drop_watermarks(lines)) == len(unmarked) + 1
    assert all("仅供" not in ln.text for ln in drop_watermarks(lines))
    grouped = rows(lines)
    grouped[0].clear()
    assert rows(lines)[0]


def test_other_order_other_facts() -> None:
    lines, _ = _lines()
    assert facts(list(reversed(lines))) is not facts(lines)


def test_label_index_same_hits_with_and_without_memo() -> None:
    lines, _ = _lines()
    labels = {"name": ["名称", "企业名称"], "type": ["类型"], "legal_rep": ["法定代表人"], "address": ["住所"]}
    shared = LabelIndex(lines, labels)
    lines_mod._facts.clear()
    fresh = LabelIndex(list(lines), labels)
    assert {k: [ln.text for ln in h.lines] for k, h in shared.hits.items()} == {
        k: [ln.text for ln in h.lines] for k, h in fresh.hits.items()
    }
    assert shared.value("name").text == "某某科技有限公司"
    assert shared.value("legal_rep").text == "张三"


def _brute_row_text(line: Line, lines: list[Line]) -> str:
    h = line.bbox.height
    row = [ln for ln in lines if same_row(line.bbox, ln.bbox, 0.6) and 0.7 * h <= ln.bbox.height <= 1.4 * h]
    row.sort(key=lambda ln: ln.bbox.x0)
    out: list[Line] = []
    for ln in row:
        if out and ln.bbox.x0 - out[-1].bbox.x1 > 2.5 * h:
            if line in out:
                break
            out = []
        out.append(ln)
    return "".join(ln.flat for ln in out)


def _brute_first(lines: list[Line]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        head = ln.text.lstrip(LABEL_HEAD_STRIP)
        if head:
            out.setdefault(head[0], []).append(i)
    return out


def test_indexed_searches_match_a_scan_of_every_box() -> None:
    rng = random.Random(7)
    for _ in range(20):
        lines = []
        for _ in range(rng.randint(5, 60)):
            x, y = rng.uniform(0, 2000), rng.uniform(0, 1500)
            text = rng.choice(["名", "称", "类型", "：住所", "【日期】", "某某公司", "2021年3月1日", "甲方"])
            height = rng.choice([20.0, 40.0, 41.0, 90.0])
            bbox = BBox(x0=x, y0=y, x1=x + 30 * len(text), y1=y + height)
            lines.append(Line(text=text, bbox=bbox, confidence=1.0, file="f", page=1, method="ocr"))
        for ln in lines:
            assert row_text(ln, lines) == _brute_row_text(ln, lines)
        assert facts(lines).by_first == _brute_first(lines)


def test_titles_found_once_per_page_for_every_kind() -> None:
    doc = document([box("技术合同书", 700, 100, h=80), box("甲方：某某有限公司", 150, 400)], seed=None)
    lines = page_lines(doc, doc.pages[0])
    first = titles(lines, doc.pages[0])
    assert [ln.flat for ln in first][:1] == ["技术合同书"]
    first.clear()
    assert titles(list(lines), doc.pages[0])
