"""review.html: static, Chinese, escaped, ordered by priority, crops beside findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake.evidence import write_evidence
from intake.review_page import write_review_page
from models.campaign import load_campaign
from models.findings import Finding
from models.records import Record, Verdict
from tests.test_evidence_kit import make_received, record, run_info
from validators.verdict import decide


def batch(received: Path) -> list[Record]:
    """Three submissions: 太原 enterprise with findings, 大同 project passing, a hostile name."""
    campaign = load_campaign("shanxi-2021")
    jia = record()
    jia = jia.model_copy(update={"verdict": decide(jia, campaign)})
    clean = Record(
        submission_id="S-yi",
        path="大同市工业和信息化局/乙项目",
        kind="project",
        applicant="大同乙科技有限公司",
        recommender="大同市工业和信息化局",
        verdict=Verdict(value="通过", rule="no findings", reason="未发现错误或警告。"),
    )
    note = Finding(code="NAME_MISMATCH", severity="warning", message="名称<b>不一致</b>", submission_id="S-bing")
    hostile = Record(
        submission_id="S-bing",
        path="大同市工业和信息化局/丙",
        kind="enterprise",
        applicant='<script>alert("x")</script>丙公司',
        recommender="大同市工业和信息化局",
        findings=[note],
        verdict=Verdict(value="需复核", rule="NAME_MISMATCH", reason="名称不一致"),
    )
    return [clean, hostile, jia]


def write_page(root: Path) -> Path:
    received = make_received(root / "received")
    out = root / "out"
    records = batch(received)
    evidence = write_evidence(out, received, records)
    orphan = Finding(code="SUMMARY_MISMATCH", severity="warning", message="汇总表列出的“丁公司”没有申报材料")
    campaign = load_campaign("shanxi-2021")
    return write_review_page(out / "review.html", records, campaign, run_info(received), [orphan], evidence)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_page(tmp_path_factory.mktemp("page")).read_text(encoding="utf-8")


def test_page_is_static_and_offline(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no CDN, no web address"
    assert "<style>" in page and "<script>" in page  # inlined package data


def test_document_text_is_escaped(page: str) -> None:
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;丙公司" in page
    assert "名称&lt;b&gt;不一致&lt;/b&gt;" in page


def test_submissions_in_priority_order_with_reason(page: str) -> None:
    order = re.findall(r'<section class="sub" id="([^"]+)"', page)
    assert order == ["S-jia", "S-bing", "S-yi"]
    assert "复核优先级 <b>" in page and "2 项错误：营业执照已过期；文件无法读取" in page


def test_findings_with_crops_side_by_side_and_basis(page: str) -> None:
    mismatch = record().findings[0]
    block = page[page.index(f'data-id="{mismatch.id}"') :]
    block = block[: block.index('<div class="finding', 10)]
    assert block.count("<figure>") == 2
    assert f'src="evidence/{mismatch.id}-1.png"' in block and f'src="evidence/{mismatch.id}-2.png"' in block
    assert "申报表" in block and "营业执照" in block
    assert "依据：申报单位名称、法定代表人应与营业执照一致" in block


def test_fields_and_attachment_checklist(page: str) -> None:
    jia = page[page.index('id="S-jia"') : page.index('id="S-bing"')]
    assert "<h3>关键字段</h3>" in jia and "法定代表人" in jia and "张三" in jia
    assert "<h3>附件核对</h3>" in jia and "✓ 已提供" in jia
    assert "未归属到申报的问题" in page


def test_filters_list_every_choice(page: str) -> None:
    for value in ("太原市工业和信息化局", "大同市工业和信息化局", "示范企业", "示范项目", "不符合", "需复核", "通过"):
        assert f'<option value="{value}">' in page
    assert '<option value="LICENSE_EXPIRED">营业执照已过期（LICENSE_EXPIRED）</option>' in page


def test_field_names_are_chinese() -> None:
    from intake.review_page.render import field_name

    assert field_name("business_license.name") == "营业执照：名称"
    assert field_name("attachments.project_contract") == "附件：项目建设合同"
    assert field_name("sections.经验总结") == "正文章节：经验总结"
    assert field_name("financials.2020.revenue") == "2020年营业收入"


def test_attachment_unrecognised_scan_is_to_check_not_missing() -> None:
    """Where the attachment rule only warns (an unrecognised photo may be the licence), the page
    says 未识别，待核对 as the workbook does, not 缺失."""
    from intake.review_page.render import attachments_html
    from models.records import ExtractedDocument

    photo = ExtractedDocument(kind="other", file="太原市工信局/示例科技/IMG_2041.jpg", pages=[1], method="ocr")
    rec = Record(submission_id="S-photo", path="太原市工信局/示例科技", kind="enterprise", documents=[photo])
    html = attachments_html(rec, load_campaign("shanxi-2021"))
    assert "未识别，待核对" in html and "缺失" not in html
    bare = Record(submission_id="S-bare", path="太原市工信局/示例科技", kind="enterprise")
    assert "缺失" in attachments_html(bare, load_campaign("shanxi-2021"))
