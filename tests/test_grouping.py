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


def _unreadable(rel: str) -> FileResult:
    """A book that could not be read at all (no documents; FILE_UNREADABLE in its findings)."""
    return FileResult(entry=FileEntry(path=rel, status="unreadable", reason="损坏"))


def _by_path(*results: FileResult) -> dict[str, FileResult]:
    return {r.entry.path: r for r in results}


def test_applicant_folder_without_a_readable_form_is_one_submission() -> None:
    """Regression (issue 9, point 5): a folder whose book could not be read became one
    submission per file instead of one submission (with FORM_NOT_FOUND)."""
    results = _by_path(
        _result("梧州市工信局/甲公司/营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("梧州市工信局/甲公司/申报书正文.docx", ("application_body", {}, "enterprise")),
        _unreadable("梧州市工信局/甲公司/申报书.pdf"),
        _result("梧州市工信局/乙公司/申报书.docx", ("application_form", {"name": "乙公司"}, "enterprise")),
    )
    grouping = group(results)
    assert [(s.path, s.recommender, len(s.files)) for s in grouping.submissions] == [
        ("梧州市工信局/乙公司", "梧州市工信局", 1),
        ("梧州市工信局/甲公司", "梧州市工信局", 3),
    ]
    assert grouping.loose == []


def test_received_folder_that_is_one_applicant_folder() -> None:
    """The received folder is the applicant's own folder (files at the top, 附件/ below)."""
    results = _by_path(
        _unreadable("申报书（扫描件）.pdf"),
        _result("附件/IMG_2034.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("附件/扫描件001.pdf", ("project_contract", {}, None)),
    )
    subs = group(results).submissions
    assert [(s.path, sorted(s.files)) for s in subs] == [
        (".", ["申报书（扫描件）.pdf", "附件/IMG_2034.jpg", "附件/扫描件001.pdf"]),
    ]


def test_files_in_sub_folders_join_their_applicant_folder() -> None:
    results = _by_path(
        _result("太原市工信局/03 甲公司/申报书.docx", ("application_form", {"name": "甲公司"}, "enterprise")),
        _result("太原市工信局/03 甲公司/附件/营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("太原市工信局/03 甲公司/附件/合同/附件3.pdf", ("project_contract", {}, None)),
        _result("太原市工信局/03 甲公司/扫描件/001.jpg", ("other", {}, None)),
        _result("太原市工信局/04 乙平台/申报书.pdf", ("application_form", {"operator": "乙公司"}, "platform")),
    )
    subs = group(results).submissions
    assert [(s.path, s.recommender, len(s.files)) for s in subs] == [
        ("太原市工信局/03 甲公司", "太原市工信局", 4),
        ("太原市工信局/04 乙平台", "太原市工信局", 1),
    ]


def test_sub_folder_with_another_applicants_form_stays_apart() -> None:
    """Content proves otherwise: a sub-folder whose form names another applicant."""
    results = _by_path(
        _result("推荐/甲公司/申报书.docx", ("application_form", {"name": "甲公司"}, "enterprise")),
        _result("推荐/甲公司/附件/营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("推荐/甲公司/丙公司/申报书.docx", ("application_form", {"name": "丙公司"}, "enterprise")),
    )
    subs = group(results).submissions
    assert [(s.path, len(s.files)) for s in subs] == [("推荐/甲公司", 2), ("推荐/甲公司/丙公司", 1)]


def test_recommender_folder_named_otherwise_still_holds_several_applicants() -> None:
    """A recommender folder without a bureau's name: its applicant-named sub-folders stay
    apart even when neither form could be read."""
    results = _by_path(
        _unreadable("第一批/甲科技有限公司/申报书.pdf"),
        _result("第一批/甲科技有限公司/营业执照.jpg", ("business_license", {"name": "甲科技有限公司"}, None)),
        _unreadable("第一批/乙共享制造平台/申报书.pdf"),
        _result("第一批/乙共享制造平台/营业执照.jpg", ("business_license", {"name": "乙公司"}, None)),
    )
    subs = group(results).submissions
    assert [(s.path, s.recommender, len(s.files)) for s in subs] == [
        ("第一批/乙共享制造平台", "第一批", 2),
        ("第一批/甲科技有限公司", "第一批", 2),
    ]


def test_loose_files_of_two_applicants_with_an_unreadable_book_split_by_name() -> None:
    """A recommender folder with two applicants' files side by side, one book unreadable:
    still split by content and file names; the unreadable book joins its applicant's files."""
    results = _by_path(
        _unreadable("大同市工信局/甲公司-申报书.pdf"),
        _result("大同市工信局/甲公司-营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("大同市工信局/乙公司-申报书.docx", ("application_form", {"name": "乙公司"}, "enterprise")),
        _result("大同市工信局/乙公司-营业执照.png", ("business_license", {"name": "乙公司"}, None)),
        _result("大同市工信局/乙公司-附件3.pdf", ("project_contract", {}, None)),
        _unreadable("大同市工信局/报送说明.txt"),
    )
    grouping = group(results)
    assert {s.path: sorted(s.files) for s in grouping.submissions} == {
        "大同市工信局/乙公司-申报书.docx": [
            "大同市工信局/乙公司-申报书.docx",
            "大同市工信局/乙公司-营业执照.png",
            "大同市工信局/乙公司-附件3.pdf",
        ],
        "大同市工信局/甲公司*": ["大同市工信局/甲公司-申报书.pdf", "大同市工信局/甲公司-营业执照.jpg"],
    }
    assert grouping.loose == ["大同市工信局/报送说明.txt"]


def test_loose_attachments_with_meaningless_names_join_by_content() -> None:
    """扫描件001.pdf and IMG_2034.jpg beside two books: the contract joins the applicant it
    names as a party (not the one sharing a 山西… prefix with the client), the licence the
    applicant it names."""
    contract = _result("省小企业局/扫描件001.pdf", ("project_contract", {}, None))
    contract.documents[0].fields["parties"] = Extracted(
        value=["山西太原重工装备有限公司", "山西乙智能科技有限公司"],
        raw="山西太原重工装备有限公司；山西乙智能科技有限公司",
    )
    results = _by_path(
        _result("省小企业局/甲-申报书.docx", ("application_form", {"name": "山西太原精工有限公司"}, "enterprise")),
        _result("省小企业局/乙-申报书.docx", ("application_form", {"name": "山西乙智能科技有限公司"}, "enterprise")),
        contract,
        _result("省小企业局/IMG_2034.jpg", ("business_license", {"name": "山西太原精工有限公司"}, None)),
    )
    subs = group(results).submissions
    assert {s.path: sorted(s.files) for s in subs} == {
        "省小企业局/甲-申报书.docx": ["省小企业局/IMG_2034.jpg", "省小企业局/甲-申报书.docx"],
        "省小企业局/乙-申报书.docx": ["省小企业局/乙-申报书.docx", "省小企业局/扫描件001.pdf"],
    }


def test_unreadable_folder_makes_one_record_without_a_form() -> None:
    """The record of such a folder has every file, no form (so FORM_NOT_FOUND, once), the
    kind its body declares, and the applicant its licence names."""
    from intake.records import build_record

    results = _by_path(
        _result("柳州市工信局/甲公司/附件/营业执照.jpg", ("business_license", {"name": "甲公司"}, None)),
        _result("柳州市工信局/甲公司/正文.docx", ("application_body", {}, "enterprise")),
        _unreadable("柳州市工信局/甲公司/申报书.pdf"),
    )
    (submission,) = group(results).submissions
    record = build_record(submission, results, "guangxi-2021")
    assert record.form is None and record.kind == "enterprise" and record.applicant == "甲公司"
    assert sorted(f.path for f in record.files) == sorted(results)
