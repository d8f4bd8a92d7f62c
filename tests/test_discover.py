import os
from pathlib import Path

import pytest

from intake.discover import discover, display_name
from models.errors import InputFolderError


def _touch(path: Path, data: bytes = b"x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_every_file_is_found_or_skipped_with_reason(tmp_path: Path) -> None:
    root = tmp_path / "收件"
    _touch(root / "太原市工信局" / "甲 公司" / "申报书.docx")
    _touch(root / "太原市工信局" / "汇总表.xlsx")
    _touch(root / "太原市工信局" / ".DS_Store")
    _touch(root / "太原市工信局" / "甲 公司" / "~$申报书.docx")
    found = discover(root)
    rels = [f.rel for f in found.files]
    assert rels == ["太原市工信局/汇总表.xlsx", "太原市工信局/甲 公司/申报书.docx"]
    assert {e.path for e in found.skipped} == {
        "太原市工信局/.DS_Store",
        "太原市工信局/甲 公司/~$申报书.docx",
    }
    assert all(e.reason for e in found.skipped)


def test_symlink_leaving_the_folder_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    outside = tmp_path / "secret"
    _touch(outside / "passwd.txt")
    _touch(root / "a" / "book.pdf")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "a" / "loop").symlink_to(root / "a", target_is_directory=True)
    found = discover(root)
    assert [f.rel for f in found.files] == ["a/book.pdf"]
    reasons = {e.path: e.reason for e in found.skipped}
    assert "以外" in reasons["link"]
    assert "循环" in reasons["a/loop"]


def test_non_utf8_name_gets_a_readable_display_name(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    raw = "营业执照.jpg".encode("gbk")
    with open(os.path.join(os.fsencode(root), raw), "wb") as fh:
        fh.write(b"x")
    found = discover(root)
    assert [f.rel for f in found.files] == ["营业执照.jpg"]
    assert found.files[0].path.exists()
    assert display_name("普通.pdf") == "普通.pdf"


def test_missing_folder_is_a_run_error(tmp_path: Path) -> None:
    with pytest.raises(InputFolderError) as exc:
        discover(tmp_path / "nope")
    assert exc.value.exit_code == 4
