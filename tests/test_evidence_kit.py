"""Builders for the evidence, review-page, priority and dismissal tests: a small received
folder with a digital PDF, a scanned-looking PNG and a Word book, and records pointing into
it. Also checks the builders themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from PIL import Image, ImageDraw

from models.document import BBox
from models.fields import Evidence, Extracted
from models.findings import Finding
from models.forms import EnterpriseForm
from models.records import Attachment, Record, Verdict
from models.run import RunInfo

FOLDER = "太原市工业和信息化局/甲公司"
PDF = f"{FOLDER}/营业执照.pdf"
PNG = f"{FOLDER}/营业执照照片.png"
DOCX = f"{FOLDER}/申报书.docx"
PDF_BOX = BBox(x0=100, y0=130, x1=330, y1=146)  # "Legal rep: Zhang San" (points, top-left origin)
PNG_BOX = BBox(x0=300, y0=200, x1=700, y1=240)  # the black bar drawn on the picture
CELL_VALUE = "4478.91"


def make_received(root: Path) -> Path:
    """A received folder: a digital PDF licence, a PNG licence photo, a Word book."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    folder = root / FOLDER
    folder.mkdir(parents=True)
    pdf = canvas.Canvas(str(root / PDF), pagesize=A4)
    height = A4[1]
    pdf.setFont("Helvetica", 14)
    pdf.drawString(100, height - 100, "Business licence of Shanxi Jia Manufacturing Co")
    pdf.drawString(100, height - 144, "Legal rep: Zhang San")
    pdf.drawString(100, height - 188, "Address: 1 Some Road, Taiyuan, Shanxi")
    pdf.save()
    image = Image.new("RGB", (1000, 700), "white")
    ImageDraw.Draw(image).rectangle((300, 205, 700, 235), fill="black")
    image.save(root / PNG)
    book = docx.Document()
    book.add_paragraph("服务型制造示范企业申报表")
    table = book.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "营业收入", "17915.65"
    table.cell(1, 0).text, table.cell(1, 1).text = "服务收入", CELL_VALUE
    book.save(root / DOCX)
    return root


def ext(value: object, evidence: list[Evidence] | None = None) -> Extracted[object]:
    return Extracted[object](value=value, raw=str(value), evidence=evidence or [])


def findings(sid: str = "S-jia") -> list[Finding]:
    """A mismatch with both sides (PDF licence and Word form), an expired licence on a photo,
    an unreadable file (no page: no crop)."""
    return [
        Finding(
            code="LEGAL_REP_MISMATCH",
            severity="warning",
            message="申报表法人代表“李四”与营业执照法定代表人“张三”不一致",
            submission_id=sid,
            field="legal_rep",
            form_value="李四",
            found_value="张三",
            evidence=[
                Evidence(file=DOCX, page=1, cell="table 1 r2 c2", text=CELL_VALUE),
                Evidence(file=PDF, page=1, bbox=PDF_BOX, text="Legal rep: Zhang San"),
            ],
            source="business_license",
            basis="申报单位名称、法定代表人应与营业执照一致",
        ),
        Finding(
            code="LICENSE_EXPIRED",
            severity="error",
            message="营业执照营业期限至2021年6月30日，早于申报截止日",
            submission_id=sid,
            field="business_license.term_end",
            evidence=[Evidence(file=PNG, page=1, bbox=PNG_BOX, text="2001年07月01日至2021年06月30日")],
        ),
        Finding(
            code="FILE_UNREADABLE",
            severity="error",
            message="文件无法读取",
            submission_id=sid,
            evidence=[Evidence(file=f"{FOLDER}/坏文件.pdf", text="文件已损坏")],
        ),
    ]


def record(sid: str = "S-jia", found: list[Finding] | None = None, applicant: str = "山西甲制造有限公司") -> Record:
    licence = Attachment(
        kind="business_license",
        file=PDF,
        pages=[1],
        fields={"legal_rep": ext("张三", [Evidence(file=PDF, page=1, bbox=PDF_BOX, text="Zhang San")])},
    )
    return Record(
        submission_id=sid,
        path=FOLDER,
        kind="enterprise",
        applicant=applicant,
        recommender="太原市工业和信息化局",
        form=EnterpriseForm(name=applicant, legal_rep="李四"),
        form_fields={"name": ext(applicant), "legal_rep": ext("李四")},
        form_file=DOCX,
        attachments=[licence, Attachment(kind="business_license", file=PNG, pages=[1])],
        findings=findings(sid) if found is None else found,
        verdict=Verdict(value="不符合", rule="LICENSE_EXPIRED", reason="营业执照已过期"),
    )


def run_info(received: Path) -> RunInfo:
    return RunInfo(
        campaign_id="shanxi-2021",
        campaign_title="山西省2021年度省级服务型制造示范培育遴选",
        version="0.1.0",
        received_dir=str(received),
        started=dt.datetime(2021, 11, 21, 9, 0, 0),
        finished=dt.datetime(2021, 11, 21, 9, 3, 15),
        submissions=1,
    )


def test_received_folder_has_the_three_files(tmp_path: Path) -> None:
    root = make_received(tmp_path)
    assert sorted(p.name for p in (root / FOLDER).iterdir()) == ["申报书.docx", "营业执照.pdf", "营业执照照片.png"]
    assert [f.code for f in record().findings] == ["LEGAL_REP_MISMATCH", "LICENSE_EXPIRED", "FILE_UNREADABLE"]
