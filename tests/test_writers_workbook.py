"""The review workbook, read back with openpyxl: sheets, headers, styles, validations, types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from intake.writers.workbook import write_workbook
from models.campaign import Campaign, load_campaign
from models.document import BBox
from models.fields import Evidence, Extracted
from models.findings import Finding
from models.forms import EnterpriseForm, Patents, PlatformForm, ProjectForm, YearFinancials
from models.records import Attachment, FileEntry, Record, SummaryRow, SummaryTable, Verdict
from models.run import RunInfo

SHEETS = ["总览", "问题清单", "附件核对", "汇总表", "提取数据", "运行信息"]
TAIYUAN = "太原市工业和信息化局"
DATONG = "大同市工业和信息化局"


def ext(value: object, raw: str | None = None) -> Extracted[object]:
    return Extracted[object](value=value, raw=raw if raw is not None else str(value or ""))


def enterprise(findings: list[Finding] | None = None) -> Record:
    sid = "sub-enterprise"
    base = f"{TAIYUAN}/甲公司"
    form = EnterpriseForm(
        name="山西甲制造有限公司",
        legal_rep="张三",
        reg_address="山西省太原市小店区某路1号",
        contact="李四",
        phone="0351-1234567",
        email="li@example.com",
        staff_total=250.0,
        financials={
            "2019": YearFinancials(revenue=900.0, service_revenue=200.0),
            "2020": YearFinancials(revenue=12345.678, service_revenue=4321.5),
        },
        patents=Patents(total=12),
    )
    licence = Attachment(
        kind="business_license",
        file=f"{base}/营业执照.pdf",
        pages=[3, 4],
        fields={
            "uscc": ext("91140100MA0K000000"),
            "established": ext(dt.date(2012, 3, 5), "2012年03月05日"),
            "term_end": ext(None, "长期"),
        },
    )
    cert = Attachment(
        kind="high_tech_certificate",
        file=f"{base}/高新证书.jpg",
        fields={"number": ext("GR202014000123"), "valid_until": ext(dt.date(2023, 12, 1))},
    )
    if findings is None:
        findings = default_findings(sid, base)
    return Record(
        submission_id=sid,
        path=base,
        kind="enterprise",
        applicant="山西甲制造有限公司",
        recommender=TAIYUAN,
        form=form,
        form_file=f"{base}/申报书.docx",
        attachments=[licence, cert],
        findings=findings,
        verdict=Verdict(value="需复核", rule="NAME_MISMATCH", reason="名称不一致，需人工核对"),
    )


def default_findings(sid: str, base: str) -> list[Finding]:
    pdf = Evidence(
        file=f"{base}/营业执照.pdf", page=3, bbox=BBox(x0=10, y0=20, x1=200, y1=40), text="山西甲制造有限责任公司"
    )
    return [
        Finding(
            code="NAME_MISMATCH",
            severity="error",
            message="申报表名称与营业执照不一致",
            submission_id=sid,
            field="name",
            form_value='=HYPERLINK("http://evil","点我")',
            found_value="山西甲制造有限责任公司",
            evidence=[pdf],
            source="business_license",
        ),
        Finding(
            code="SERVICE_SHARE_BELOW_THRESHOLD",
            severity="warning",
            message="服务收入占比35.0%\x07低于要求",
            submission_id=sid,
            field="financials.2020.service_revenue",
            form_value=4321.5,
            found_value="-35%",
            evidence=[Evidence(file=f"{base}/申报书.docx", cell="table 1 r 9 c 3", text="+4321.5")],
        ),
        Finding(code="FORMAT_DEVIATION", severity="info", message="正文字体不是仿宋", submission_id=sid, field="body"),
    ]


def project() -> Record:
    return Record(
        submission_id="sub-project",
        path=f"{TAIYUAN}/乙项目",
        kind="project",
        applicant="山西乙科技有限公司",
        recommender=TAIYUAN,
        form=ProjectForm(name="乙智能运维项目", contact="王五", phone="13800000000"),
        attachments=[Attachment(kind="legal_person_certificate", file=f"{TAIYUAN}/乙项目/法人证书.png")],
        findings=[
            Finding(
                code="ATTACHMENT_MISSING",
                severity="error",
                message="缺少项目建设合同",
                submission_id="sub-project",
                field="project_contract",
            )
        ],
        verdict=Verdict(value="不符合", rule="ATTACHMENT_MISSING", reason="缺少必需附件"),
    )


def platform() -> Record:
    return Record(
        submission_id="sub-platform",
        path=f"{DATONG}/丙平台.pdf",
        kind="platform",
        applicant="大同丙服务有限公司",
        recommender=DATONG,
        form=PlatformForm(name="丙工业互联网平台", platform_type="regional", email="c@example.com"),
        verdict=Verdict(value="通过", rule="no findings", reason="未发现问题"),
    )


def summaries() -> list[SummaryTable]:
    row = SummaryRow(kind="enterprise", name="山西甲制造有限公司", mode="供应链管理", contact="李四", file="x.xlsx")
    return [
        SummaryTable(
            recommender=TAIYUAN, file=f"{TAIYUAN}/汇总表.xlsx", filled_by="赵六", phone="0351-7654321", rows=[row]
        )
    ]


def run_info(received: Path) -> RunInfo:
    return RunInfo(
        campaign_id="shanxi-2021",
        campaign_title="山西省2021年度省级服务型制造示范培育遴选",
        version="0.1.0",
        received_dir=str(received),
        started=dt.datetime(2021, 11, 21, 9, 0, 0),
        finished=dt.datetime(2021, 11, 21, 9, 3, 15),
        jobs=2,
        submissions=3,
        files_total=9,
        files_read=7,
        pages=40,
        findings_by_severity={"error": 2, "warning": 1, "info": 1},
        problem_files=[
            FileEntry(path=f"{TAIYUAN}/坏文件.pdf", status="unreadable", reason="文件已损坏", size=12),
            FileEntry(path=f"{DATONG}/视频.mp4", status="not_processed", reason="不支持的文件类型"),
        ],
    )


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign("shanxi-2021")


def write(tmp_path: Path, campaign: Campaign, records: list[Record] | None = None) -> Path:
    received = tmp_path / "received"
    out = tmp_path / "out" / "review.xlsx"
    if records is None:
        records = [enterprise(), project(), platform()]
    write_workbook(out, records, summaries(), campaign, run_info(received), received)
    return out


@pytest.fixture
def book(tmp_path: Path, campaign: Campaign) -> Workbook:
    return load_workbook(write(tmp_path, campaign))


def headers(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def column(ws: Worksheet, title: str) -> int:
    return headers(ws).index(title) + 1


def find_row(ws: Worksheet, col_title: str, value: object) -> int:
    col = column(ws, col_title)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == value:
            return row
    raise AssertionError(f"{value!r} not in {col_title}")


def test_sheets_and_headers(book: Workbook) -> None:
    assert book.sheetnames == SHEETS
    assert headers(book["总览"])[:11] == [
        "序号", "推荐单位", "申报类型", "申报单位", "统一社会信用代码", "材料位置",
        "结论", "依据", "错误数", "警告数", "缺少附件",
    ]  # fmt: skip
    assert {"审核意见", "审核人", "备注", "申报编号"} <= set(headers(book["总览"]))
    assert {"问题编号", "严重程度", "证据文件", "页码", "处理结果", "备注", "状态"} <= set(headers(book["问题清单"]))
    assert {"营业收入（万元）", "成立日期", "高企证书有效期至"} <= set(headers(book["提取数据"]))


def test_frozen_header_and_filter(book: Workbook) -> None:
    for name in ["总览", "问题清单", "附件核对", "提取数据"]:
        ws = book[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
    assert book["运行信息"].freeze_panes == "A2"
    assert book["运行信息"].auto_filter.ref


def test_hidden_submission_id_and_counts(book: Workbook) -> None:
    ws = book["总览"]
    key = column(ws, "申报编号")
    assert ws.column_dimensions[ws.cell(row=1, column=key).column_letter].hidden
    row = find_row(ws, "申报编号", "sub-enterprise")
    assert ws.cell(row=row, column=column(ws, "统一社会信用代码")).value == "91140100MA0K000000"
    assert ws.cell(row=row, column=column(ws, "错误数")).value == 1
    assert ws.cell(row=row, column=column(ws, "警告数")).value == 1
    missing = ws.cell(row=row, column=column(ws, "缺少附件")).value
    assert "技术水平评价证书" in missing and "高新技术" not in missing  # optional is not missing


def test_verdict_and_severity_fills(book: Workbook) -> None:
    ws = book["总览"]
    fills = {
        ws.cell(row=r, column=column(ws, "结论")).value: ws.cell(row=r, column=column(ws, "结论")).fill.fgColor.rgb
        for r in range(2, ws.max_row + 1)
    }
    assert fills == {"需复核": "00FFEB9C", "不符合": "00FFC7CE", "通过": "00C6EFCE"}
    ws = book["问题清单"]
    col = column(ws, "严重程度")
    severity = {
        ws.cell(row=r, column=col).value: ws.cell(row=r, column=col).fill.fgColor.rgb for r in range(2, ws.max_row + 1)
    }
    assert severity == {"错误": "00FFC7CE", "警告": "00FFEB9C", "提示": "00DDEBF7"}


def test_reviewer_drop_downs(book: Workbook) -> None:
    for sheet, title, choice in [("总览", "审核意见", "补充材料后再审"), ("问题清单", "处理结果", "误报")]:
        ws = book[sheet]
        letter = ws.cell(row=1, column=column(ws, title)).column_letter
        validations = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert len(validations) == 1
        dv = validations[0]
        assert choice in dv.formula1
        assert str(dv.sqref) == f"{letter}2:{letter}{ws.max_row}"


def test_document_text_never_becomes_a_formula(book: Workbook) -> None:
    ws = book["问题清单"]
    row = find_row(ws, "代码", "NAME_MISMATCH")
    cell = ws.cell(row=row, column=column(ws, "申报表填写值"))
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    assert cell.quotePrefix
    warn = find_row(ws, "代码", "SERVICE_SHARE_BELOW_THRESHOLD")
    found = ws.cell(row=warn, column=column(ws, "核对值"))
    assert (found.value, found.data_type) == ("-35%", "s")
    assert ws.cell(row=warn, column=column(ws, "证据文字")).value == "+4321.5"
    assert ws.cell(row=warn, column=column(ws, "说明")).value == "服务收入占比35.0%低于要求"  # \x07 gone
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            assert all(c.data_type != "f" for c in line), sheet.title


def test_evidence_links_are_relative_with_pdf_page(book: Workbook) -> None:
    ws = book["问题清单"]
    row = find_row(ws, "代码", "NAME_MISMATCH")
    cell = ws.cell(row=row, column=column(ws, "证据文件"))
    assert cell.hyperlink.target == f"../received/{TAIYUAN}/甲公司/营业执照.pdf#page=3"
    assert ws.cell(row=row, column=column(ws, "页码")).value == 3
    assert ws.cell(row=row, column=column(ws, "位置")).value == "(10, 20)–(200, 40)"
    docx = ws.cell(row=find_row(ws, "代码", "SERVICE_SHARE_BELOW_THRESHOLD"), column=column(ws, "证据文件"))
    assert docx.hyperlink.target.endswith("申报书.docx")  # no page fragment for Word files
    overview = book["总览"]
    folder = overview.cell(row=find_row(overview, "申报编号", "sub-platform"), column=column(overview, "材料位置"))
    assert folder.hyperlink.target == f"../received/{DATONG}/丙平台.pdf"


def test_numbers_are_numbers_and_dates_are_dates(book: Workbook) -> None:
    ws = book["提取数据"]
    row = find_row(ws, "申报编号", "sub-enterprise")

    def cell(title: str) -> Cell:
        return ws.cell(row=row, column=column(ws, title))

    assert cell("营业收入（万元）").value == pytest.approx(12345.678)
    assert cell("营业收入（万元）").number_format == "#,##0.00"
    assert cell("最近年度").value == 2020
    assert cell("员工总数").value == 250 and cell("员工总数").data_type == "n"
    assert cell("服务收入占比（%）").value == pytest.approx(35.0, abs=0.01)
    assert cell("专利总数").value == 12
    assert cell("成立日期").value == dt.datetime(2012, 3, 5)
    assert cell("成立日期").is_date and cell("成立日期").number_format == "yyyy-mm-dd"
    assert cell("营业期限至").value == "长期"
    assert cell("高企证书有效期至").value == dt.datetime(2023, 12, 1)
    assert cell("高企证书编号").value == "GR202014000123"


def test_records_read_back_from_json_give_the_same_dates(tmp_path: Path, campaign: Campaign) -> None:
    back = [Record.model_validate_json(r.model_dump_json()) for r in (enterprise(), project(), platform())]
    ws = load_workbook(write(tmp_path, campaign, back))["提取数据"]
    row = find_row(ws, "申报编号", "sub-enterprise")
    established = ws.cell(row=row, column=column(ws, "成立日期"))
    assert established.value == dt.datetime(2012, 3, 5) and established.is_date


def test_attachment_matrix(book: Workbook) -> None:
    ws = book["附件核对"]
    titles = headers(ws)
    licence = titles.index("营业执照/事业单位法人证书") + 1
    contract = titles.index("项目建设合同") + 1
    hightech = titles.index("高新技术企业证书（如有）") + 1
    ent = find_row(ws, "申报单位", "山西甲制造有限公司")
    proj = find_row(ws, "申报单位", "山西乙科技有限公司")
    plat = find_row(ws, "申报单位", "大同丙服务有限公司")
    assert ws.cell(row=ent, column=licence).value == "✓ 营业执照.pdf (第3-4页)"
    assert ws.cell(row=proj, column=licence).value == "✓ 法人证书.png［事业单位法人证书］"
    assert ws.cell(row=proj, column=contract).value == "缺失"
    assert ws.cell(row=proj, column=contract).fill.fgColor.rgb == "00FFC7CE"
    assert ws.cell(row=ent, column=contract).value == "—"  # not asked of an enterprise
    assert ws.cell(row=plat, column=hightech).value == "—"
    optional = ws.cell(row=proj, column=hightech).value
    assert optional == "—"
    assert ws.cell(row=plat, column=licence).value == "缺失"


def test_attachment_optional_absent(tmp_path: Path, campaign: Campaign) -> None:
    record = enterprise()
    record.documents = [d for d in record.documents if d.kind != "high_tech_certificate"]
    assert [a.kind for a in record.attachments] == ["business_license"]  # a view of the documents
    ws = load_workbook(write(tmp_path, campaign, [record]))["附件核对"]
    col = headers(ws).index("高新技术企业证书（如有）") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == "未提供（可选）"
    assert cell.fill.fgColor.rgb == "00EDEDED"


def test_summary_sheet_follows_annex_3(book: Workbook) -> None:
    ws = book["汇总表"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    firsts = [row[0] for row in values]
    assert firsts.count("服务型制造示范培育遴选申报汇总表") == 2  # one block per recommender
    assert f"推荐单位（盖章）：{TAIYUAN}" in firsts and f"推荐单位（盖章）：{DATONG}" in firsts
    assert "填报人：赵六" in firsts and "联系电话：0351-7654321" in firsts
    assert firsts.count("一、示范企业") == 2 and "三、示范平台" in firsts and "四、示范城市" in firsts
    ent = next(row for row in values if row[1] == "山西甲制造有限公司")
    assert ent[:6] == [1, "山西甲制造有限公司", "供应链管理", "李四", "0351-1234567", "li@example.com"]
    assert ent[6] == "已列入"  # the rules' pairing, beside the printed table
    proj = next(row for row in values if row[1] == "乙智能运维项目")
    assert proj[2:5] == [None, "王五", "13800000000"]  # no summary row: mode blank
    assert proj[6] == "未列入报送的汇总表"
    assert ws.print_area == f"'汇总表'!$A$1:$F${ws.max_row}"  # column G is not printed
    plat = next(row for row in values if row[1] == "丙工业互联网平台")
    assert plat[2] == "区域平台"
    header = next(i for i, row in enumerate(values, 1) if row[0] == "四、示范城市") + 1
    assert f"B{header}:C{header}" in {str(r) for r in ws.merged_cells.ranges}
    assert len(ws.row_breaks.brk) == 1
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_print_setup_repeats_header_rows(book: Workbook) -> None:
    for name in ["总览", "问题清单", "附件核对", "提取数据"]:
        assert book[name].print_title_rows == "$1:$1", name


def test_run_info_sheet(book: Workbook) -> None:
    ws = book["运行信息"]
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(2, 30)}
    assert facts["批次编号"].value == "shanxi-2021"
    assert facts["省份"].value == "山西省"
    assert facts["申报截止日期"].is_date
    assert facts["开始时间"].value == dt.datetime(2021, 11, 21, 9, 0, 0)
    assert facts["用时"].value == "3分15秒"
    assert facts["错误"].value == 2
    texts = [c.value for row in ws.iter_rows() for c in row]
    assert f"{TAIYUAN}/坏文件.pdf" in texts and "无法读取" in texts and "不支持的文件类型" in texts


def test_empty_run_and_bare_record(tmp_path: Path, campaign: Campaign) -> None:
    """No submissions, then one with no form, kind, verdict or recommender: still a workbook."""
    book = load_workbook(write(tmp_path, campaign, []))
    assert book.sheetnames == SHEETS and book["总览"].max_row <= 2
    bare = Record(submission_id="bare", path="散件/扫描件.pdf")
    book = load_workbook(write(tmp_path, campaign, [bare]))
    ws = book["总览"]
    row = find_row(ws, "申报编号", "bare")
    assert ws.cell(row=row, column=column(ws, "申报类型")).value == "未识别"
    assert "推荐单位（盖章）：（未识别推荐单位）" in [r[0].value for r in book["汇总表"].iter_rows()]


def test_rows_with_long_wrapped_text_are_tall_enough() -> None:
    """Regression: the 依据 and 说明 columns overflowed in LibreOffice's print, rows being one
    line high whatever their wrapped text."""
    from openpyxl import Workbook

    from intake.writers.sheets.style import LINE_HEIGHT, Column, finish_table, put

    ws = Workbook().active
    columns = [Column("说明", max_width=20, wrap=True)]
    put(ws, 1, 1, "说明")
    put(ws, 2, 1, "很长的问题说明" * 10, wrap=True)
    put(ws, 3, 1, "短", wrap=True)
    finish_table(ws, columns, 3)
    assert ws.row_dimensions[2].height >= 4 * LINE_HEIGHT
    assert ws.row_dimensions[3].height is None


def test_plain_cells_use_the_house_font(tmp_path: Path) -> None:
    """The house font is the workbook default (set once, not per cell, for speed)."""
    from openpyxl import Workbook, load_workbook

    from intake.writers.sheets.style import FONT_NAME, use_house_font

    wb = Workbook()
    use_house_font(wb)
    wb.active["A1"] = "文字"
    wb.save(tmp_path / "f.xlsx")
    assert load_workbook(tmp_path / "f.xlsx").active["A1"].font.name == FONT_NAME


def test_field_labels_are_chinese_for_seal_findings() -> None:
    from intake.writers.sheets.common import field_label

    assert field_label("seal.seam") == "骑缝章"
    assert field_label("seal.applicant") == "申报单位公章"
    assert field_label("seal.license_copy") == "营业执照复印件上的申报单位公章"
    assert field_label("seal.unknown_role") == "印章"
    assert field_label("financials.2020.revenue") == "2020年营业收入"
