"""Output: safe file names and atomic writes."""

import os
import sys

import pytest

from docgen.errors import OutputError
from docgen.output.files import safe_filename, write_atomic


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("华东销售一组-2026年10月.docx", "华东销售一组-2026年10月.docx"),
        ("../../etc/passwd.docx", "_.._etc_passwd.docx"),
        ("CON.docx", "_CON.docx"),
        ("nul", "_nul"),
        ("COM¹.docx", "_COM¹.docx"),
        ("lpt³.tar.gz", "_lpt³.tar.gz"),
        ("CONIN$.docx", "_CONIN$.docx"),
        ("conout$ . .docx", "_conout$.docx"),
        ("CON .txt.docx", "_CON .txt.docx"),
        ("COM0.docx", "_COM0.docx"),
        ("COM10.docx", "COM10.docx"),
        ("CONSOLE.docx", "CONSOLE.docx"),
        ("+1+1.docx", "_+1+1.docx"),
        ("=SUM(1).docx", "_=SUM(1).docx"),
        ("@SUM(1).docx", "_@SUM(1).docx"),
        ("-rf.docx", "_-rf.docx"),
        ("\t=1.docx", "_=1.docx"),
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
    assert "cannot make the folder" in str(caught.value)
    assert "not-a-folder is a file, not a folder" in str(caught.value)


def test_write_atomic_refuses_a_folder_as_output(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path, b"x", force=True)
    assert "is a folder" in str(caught.value)


# --- names from a pattern -----------------------------------------------------------

from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from docgen.output.files import path_inside  # noqa: E402
from docgen.output.naming import name_from_pattern, numbered_name, pattern_fields  # noqa: E402

DEFAULT = "{team}-{person}-{period}.docx"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"team": "销售一组", "person": "张三", "period": "2026年10月"}, "销售一组-张三-2026年10月.docx"),
        ({"team": "销售一组", "person": "", "period": "2026年10月"}, "销售一组-2026年10月.docx"),
        ({"team": None, "person": "张三", "period": "2026年10月"}, "张三-2026年10月.docx"),
        ({"team": "销售一组", "person": "张三"}, "销售一组-张三.docx"),
        ({"team": "a/b", "person": "../../x", "period": "c\\d"}, "a_b-.._.._x-c_d.docx"),
        ({"person": "CON"}, "_CON.docx"),
        ({}, "report.docx"),
        ({"person": "\u202e\x07"}, "report.docx"),
    ],
)
def test_name_from_pattern(fields, expected):
    assert name_from_pattern(DEFAULT, fields) == expected


def test_name_from_pattern_adds_the_extension_and_trims_long_chinese_names():
    assert name_from_pattern("{person}", {"person": "张三"}) == "张三.docx"
    name = name_from_pattern("{person}", {"person": "销" * 200})
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= 240


def test_pattern_fields_and_unbalanced_braces():
    assert pattern_fields("{团队}-{ person }.docx") == ["团队", "person"]
    with pytest.raises(ValueError):
        pattern_fields("{team-{person}.docx")


def test_numbered_name_counts_case_insensitively_and_stays_within_the_limit():
    taken: set[str] = set()
    assert numbered_name("张三.docx", taken) == "张三.docx"
    assert numbered_name("张三.docx", taken) == "张三 (2).docx"
    assert numbered_name("A.docx", taken) == "A.docx"
    assert numbered_name("a.docx", taken) == "a (2).docx"
    long = name_from_pattern("{p}", {"p": "销" * 200})
    numbered_name(long, taken)
    second = numbered_name(long, taken)
    assert second.endswith(" (2).docx") and len(second.encode("utf-8")) <= 240


def test_path_inside_refuses_names_that_leave_the_folder(tmp_path):
    assert path_inside(tmp_path, "a.docx") == tmp_path / "a.docx"
    for name in ("../a.docx", "sub/a.docx", "..", "/etc/passwd"):
        with pytest.raises(OutputError) as caught:
            path_inside(tmp_path, name)
        assert "outside the output folder" in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["team", "person", "period"]), st.text(max_size=120)))
def test_any_values_give_a_safe_name_inside_the_folder(fields):
    name = name_from_pattern(DEFAULT, fields)
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= 240
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name.split(".")[0].casefold() not in {"con", "prn", "aux", "nul"}
    folder = Path("/tmp/docgen-names")
    assert path_inside(folder, name).parent == folder


def test_write_atomic_leaves_no_temporary_file_when_interrupted(tmp_path, monkeypatch):
    import os

    def interrupted(_fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "report.docx", b"half")
    assert list(tmp_path.iterdir()) == []


def test_a_file_synced_later_has_its_writing_started_at_once_and_is_whole(tmp_path, monkeypatch):
    from docgen.output import files

    started = []
    monkeypatch.setattr(files, "start_writeback", lambda handle: started.append(os.fstat(handle).st_size))
    target = write_atomic(tmp_path / "report.docx", b"x" * 5000, sync=False)
    assert started == [5000], "the whole file's writing is started before it is renamed into place"
    files.sync_files([target])
    assert target.read_bytes() == b"x" * 5000
    if sys.platform.startswith("linux"):
        assert files._sync_file_range() is not None
