"""End to end: a 表1 book written with python-docx, read by the docx loader, classified."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_forms_kit import ENTERPRISE_ROWS, add_grid_table

import extractors.classify as classify
from extractors.forms import FORM_EXTRACTORS

docx = pytest.importorskip("docx")
loader = pytest.importorskip("extractors.loaders.docx_loader")


def _red_seal_png() -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((5, 5, 115, 115), outline=(220, 0, 0), width=10, fill=(235, 40, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out


def _write_book(path: Path) -> None:
    from docx.shared import Inches

    document = docx.Document()
    document.add_paragraph("山西省服务型制造示范培育遴选 申 报 书")
    document.add_paragraph("申报单位 山西示范机械有限公司")
    document.add_paragraph("申报类型 ☑示范企业 □示范项目")
    document.add_paragraph("□示范平台 □示范城市")
    document.add_paragraph("推荐单位 太原市工业和信息化局")
    document.add_paragraph("表 1")
    document.add_paragraph("服务型制造示范培育企业申报表")
    add_grid_table(document, ENTERPRISE_ROWS)
    document.add_paragraph("填报单位意见及真实性承诺：")
    document.add_paragraph("本申报表所有材料，均真实、完整，如有不实，愿承担相应的责任。")
    stamp = document.add_paragraph("申报单位（章）")
    stamp.add_run().add_picture(_red_seal_png(), width=Inches(1.2))
    document.add_paragraph("市级推荐单位意见：")
    document.add_paragraph("单 位（章）")
    document.add_paragraph("服务型制造示范培育企业申报书正文")
    for heading in ("一、企业概况", "二、主要做法", "三、经验总结", "四、下一步设想"):
        document.add_paragraph(heading)
        document.add_paragraph("正文内容。")
    document.save(str(path))


def test_docx_book_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classify, "_extractors", lambda: dict(FORM_EXTRACTORS))
    path = tmp_path / "申报书.docx"
    _write_book(path)
    document = loader.load_docx(path, "太原/示范机械/申报书.docx")
    docs = {d.kind: d for d in classify.extract_documents(document)}
    assert set(docs) == {"cover", "application_form", "commitment", "application_body"}
    form = docs["application_form"]
    assert form.form_type == "enterprise"
    expected = {
        "name": "山西示范机械有限公司",
        "legal_rep": "张三",
        "title": "经理",
        "phone": "0351-7654321",
        "mobile": "13812345678",
        "email": "li@example.com",
        "staff_total": 320,
        "rd_staff_ratio": 15.0,
        "financials.2018.total_assets": 12000.0,
        "financials.2019.service_revenue": 2500.0,
        "financials.2020.net_profit_growth": 120.0,
        "patents.invention": 5,
        "patents.utility_model": 12,
        "patents.design": None,
    }
    got = {k: form.fields[k].value for k in expected}
    assert got == expected
    assert form.fields["name"].evidence[0].cell == "table 1 r2 c2"
    assert docs["cover"].fields["declared_kind"].value == "enterprise"
    slots = {s.role: s for s in docs["commitment"].seal_slots}
    assert slots["applicant"].seal is not None and slots["applicant"].checkable
    assert slots["recommender"].seal is None
    assert [s.title for s in docs["application_body"].sections] == [
        "企业概况",
        "主要做法",
        "经验总结",
        "下一步设想",
    ]
    assert docs["application_body"].styles
