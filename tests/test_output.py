"""Output: safe file names and atomic writes."""

import pytest

from docgen.errors import OutputError
from docgen.output import safe_filename, write_atomic


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("华东销售一组-2026年10月.docx", "华东销售一组-2026年10月.docx"),
        ("../../etc/passwd.docx", "_.._etc_passwd.docx"),
        ("CON.docx", "_CON.docx"),
        ("nul", "_nul"),
        ("a\u202eb\x00c.docx", "abc.docx"),
        ("   .docx", "report.docx"),
        ("", "report"),
    ],
)
def test_safe_filename_examples(raw, expected):
    assert safe_filename(raw) == expected


def test_safe_filename_trims_chinese_to_the_byte_limit_and_keeps_the_extension():
    name = safe_filename("销" * 200 + ".docx")
    assert name.endswith(".docx")
    assert len(name.encode("utf-8")) <= 240
    assert set(name[:-5]) == {"销"}


def test_write_atomic_writes_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "报告.docx"
    write_atomic(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert [p.name for p in target.parent.iterdir()] == ["报告.docx"]


def test_write_atomic_refuses_to_replace_without_force(tmp_path):
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"new")
    assert "already exists" in str(caught.value) and "--force" in str(caught.value)
    assert target.read_bytes() == b"old"
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_write_atomic_reports_a_folder_it_cannot_make(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OutputError) as caught:
        write_atomic(blocker / "r.docx", b"x")
    assert "cannot write to the folder" in str(caught.value)
    assert "not-a-folder" in str(caught.value)


def test_write_atomic_refuses_a_folder_as_output(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path, b"x", force=True)
    assert "is a folder" in str(caught.value)
