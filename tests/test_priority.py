"""Review priority: a score from the findings with its reason in words, ordering 总览."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from intake.priority import ERROR_POINTS, HARD_POINTS, WARNING_POINTS, priority_of, problem_name
from intake.writers.workbook import write_workbook
from models.campaign import load_campaign
from models.findings import Finding
from tests.test_evidence_kit import record, run_info


def finding(code: str, severity: str = "error", field: str | None = None, **more: object) -> Finding:
    return Finding(code=code, severity=severity, message=code, submission_id="S", field=field, **more)  # type: ignore[arg-type]


def test_reason_names_the_problems_by_severity() -> None:
    found = [
        finding("LICENSE_EXPIRED", field="business_license.term_end"),
        finding("ATTACHMENT_MISSING", field="attachments.tech_evaluation_certificate"),
        finding("NAME_MISMATCH", "warning", field="name"),
        finding("FORMAT_DEVIATION", "info"),
    ]
    result = priority_of(found)
    assert result.reason == "2 项错误：营业执照已过期；缺少技术水平评价证书。1 项警告：名称不一致"
    # two hard errors, one of them a missing attachment, and a warning; info adds nothing
    assert result.score == 2 * (ERROR_POINTS + HARD_POINTS) + 4 + WARNING_POINTS


def test_more_severe_scores_higher() -> None:
    hard = priority_of([finding("LICENSE_EXPIRED")])
    soft = priority_of([finding("NAME_MISMATCH", "warning"), finding("ADDRESS_MISMATCH", "warning")])
    low = priority_of([finding("LOW_CONFIDENCE", "warning")])
    assert hard.score > low.score > soft.score / 2 > 0
    assert priority_of([finding("FORMAT_DEVIATION", "info")]).score == 0
    assert priority_of([]).reason == "无需重点复核的问题"


def test_dismissed_findings_do_not_count_but_are_mentioned() -> None:
    result = priority_of([finding("LICENSE_EXPIRED", dismissed=True), finding("NAME_MISMATCH", "warning")])
    assert result.score == WARNING_POINTS
    assert result.reason == "1 项警告：名称不一致。1 项已标为误报，不计入"


def test_problem_names_are_chinese() -> None:
    assert problem_name(finding("ATTACHMENT_MISSING", field="attachments.business_license")) == "缺少营业执照"
    assert problem_name(finding("CERT_EXPIRED")) == "证书已过期"


def test_priority_orders_the_overview(tmp_path: Path) -> None:
    quiet = record("S-quiet", found=[finding("FORMAT_DEVIATION", "info")], applicant="安静公司")
    busy = record("S-busy", applicant="问题公司")
    middle = record("S-mid", found=[finding("NAME_MISMATCH", "warning")], applicant="中间公司")
    out = tmp_path / "review.xlsx"
    write_workbook(out, [quiet, middle, busy], [], load_campaign("shanxi-2021"), run_info(tmp_path), tmp_path)
    ws = load_workbook(out)["总览"]
    headers = [c.value for c in ws[1]]
    name, score, reason = (headers.index(t) + 1 for t in ("申报单位", "优先级", "优先级说明"))
    rows = [(ws.cell(r, name).value, ws.cell(r, score).value, ws.cell(r, reason).value) for r in range(2, 5)]
    assert [r[0] for r in rows] == ["问题公司", "中间公司", "安静公司"]
    assert rows[0][1] > rows[1][1] > rows[2][1] == 0
    assert rows[0][2].startswith("2 项错误：营业执照已过期；文件无法读取。1 项警告：法定代表人不一致")
