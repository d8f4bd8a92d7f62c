from intake.grouping import group
from intake.reading import FileResult
from models.fields import Extracted
from models.records import ExtractedDocument, FileEntry


def _result(rel: str, *docs: tuple[str, dict[str, str], str | None]) -> FileResult:
    return FileResult(
        entry=FileEntry(path=rel),
        documents=[
            ExtractedDocument(
                kind=kind,  # type: ignore[arg-type]
                file=rel,
                form_type=form_type,  # type: ignore[arg-type]
                fields={k: Extracted(value=v, raw=v) for k, v in fields.items()},
            )
            for kind, fields, form_type in docs
        ],
    )


def test_recommender_and_applicant_folders() -> None:
    results = {
        r.entry.path: r
        for r in [
            _result("太原市工信局/甲公司/申报书.docx", ("application_form", {"name": "甲公司"}, "enterprise")),
            _result("太原市工信局/甲公司/营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
            _result("太原市工信局/乙平台/申报书.pdf", ("application_form", {"operator": "乙公司"}, "platform")),
            _result("太原市工信局/汇总表.xlsx", ("summary_table", {}, None)),
        ]
    }
    grouping = group(results)
    assert [(s.path, s.recommender, len(s.files)) for s in grouping.submissions] == [
        ("太原市工信局/乙平台", "太原市工信局", 1),
        ("太原市工信局/甲公司", "太原市工信局", 2),
    ]
    assert grouping.summary_files == [("太原市工信局/汇总表.xlsx", "太原市工信局")]


def test_loose_files_side_by_side_are_split_by_book_and_name() -> None:
    results = {
        r.entry.path: r
        for r in [
            _result("大同市工信局/甲公司-申报书.docx", ("application_form", {"name": "甲公司"}, "enterprise")),
            _result("大同市工信局/甲公司-营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
            _result("大同市工信局/乙公司-申报书.pdf", ("application_form", {"name": "乙公司"}, "enterprise")),
            _result("大同市工信局/乙公司-营业执照.png", ("business_license", {"name": "乙公司"}, None)),
        ]
    }
    subs = group(results).submissions
    assert {s.path: sorted(s.files) for s in subs} == {
        "大同市工信局/甲公司-申报书.docx": ["大同市工信局/甲公司-申报书.docx", "大同市工信局/甲公司-营业执照.jpg"],
        "大同市工信局/乙公司-申报书.pdf": ["大同市工信局/乙公司-申报书.pdf", "大同市工信局/乙公司-营业执照.png"],
    }
    assert all(s.recommender == "大同市工信局" for s in subs)


def test_submission_ids_are_stable() -> None:
    results = {"a/b/c.docx": _result("a/b/c.docx", ("application_form", {"name": "甲"}, "enterprise"))}
    assert group(results).submissions[0].id == group(dict(results)).submissions[0].id


def test_unread_loose_file_beside_applicant_folders_is_no_submission() -> None:
    """Regression: 报送说明.txt in a recommender folder became a submission with FORM_NOT_FOUND."""
    results = {
        r.entry.path: r
        for r in [
            _result("省小企业局/甲公司/申报书.docx", ("application_form", {"name": "甲公司"}, "enterprise")),
            _result("省小企业局/报送说明.txt"),
        ]
    }
    grouping = group(results)
    assert [s.path for s in grouping.submissions] == ["省小企业局/甲公司"]
    assert grouping.loose == ["省小企业局/报送说明.txt"]
