"""Excel's lock file: refused as input with the name of the open workbook; beside a workbook, a warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.paths import lock_file_beside, workbook_of_lock_file

CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}
ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}


@pytest.mark.parametrize("lock, workbook", [("~$月报.xlsx", "月报.xlsx"), (".~lock.月报.xlsx#", "月报.xlsx"),
                                            ("月报.xlsx", None)])
def test_a_lock_file_names_its_workbook(lock, workbook):
    found = workbook_of_lock_file(lock)
    assert (found.name if found else None) == workbook


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_lock_file_given_as_input_is_refused_naming_the_open_workbook(tmp_path, command):
    lock = tmp_path / "~$月报.xlsx"
    lock.write_bytes(b"\x06wang fang" + b"\x00" * 150)  # what Excel writes: the user's name, padded
    result = CliRunner().invoke(main, [command, str(lock)], env=CHINESE)
    assert result.exit_code == 2
    assert "这是 Excel（或 WPS、LibreOffice）打开工作簿时生成的锁定文件：工作簿 月报.xlsx 正在 Excel 中打开" in result.output
    assert "纯文本" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_workbook_open_in_excel_is_read_with_a_warning(make_workbook, minimal_sheets, tmp_path, command):
    workbook = make_workbook(minimal_sheets, "月报.xlsx")
    (tmp_path / "~$月报.xlsx").write_bytes(b"\x06wang fang")
    assert lock_file_beside(workbook) == tmp_path / "~$月报.xlsx"
    args = [command, str(workbook)] + (["-o", str(tmp_path / "out.docx")] if command == "render" else [])
    result = CliRunner().invoke(main, args, env=ENGLISH)
    assert result.exit_code == 0, result.output
    assert ("Warning: 月报.xlsx is open in Excel (its lock file ~$月报.xlsx is beside it): edits not yet saved "
            "in Excel are not in this report.") in result.output


def test_no_warning_without_a_lock_file(make_workbook, minimal_sheets, tmp_path):
    workbook = make_workbook(minimal_sheets, "月报.xlsx")
    shutil.copy(workbook, tmp_path / "另一份.xlsx")
    assert lock_file_beside(workbook) is None


def test_under_lang_c_the_warning_is_in_the_workbooks_language(make_workbook, minimal_sheets, tmp_path):
    workbook = make_workbook(minimal_sheets, "月报.xlsx")
    (tmp_path / "~$月报.xlsx").write_bytes(b"\x06wang fang")
    no_language = {**ENGLISH, "LANG": "C.UTF-8"}
    for args in (["check", str(workbook)], ["render", str(workbook), "-o", str(tmp_path / "out.docx")]):
        result = CliRunner().invoke(main, args, env=no_language)
        assert result.exit_code == 0, result.output
        assert "警告：月报.xlsx 正在 Excel 中打开（旁边有锁定文件 ~$月报.xlsx）" in result.output
        assert "Warning" not in result.output


@pytest.mark.parametrize("env, note", [(ENGLISH, "open in Excel: edits not yet saved there are not in this report"),
                                       (CHINESE, "正在 Excel 中打开：尚未保存的修改不在本报告中")])
def test_a_batch_notes_each_record_whose_workbook_is_open_in_excel(make_workbook, minimal_sheets, tmp_path, env, note):
    folder = tmp_path / "十月"
    folder.mkdir()
    shutil.copy(make_workbook(minimal_sheets, "月报.xlsx"), folder / "一组.xlsx")
    shutil.copy(folder / "一组.xlsx", folder / "二组.xlsx")
    (folder / "~$一组.xlsx").write_bytes(b"\x06wang fang")  # 一组 is open in Excel; the lock file is no input
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(tmp_path / "out"), "--json"], env=env)
    assert result.exit_code == 0, result.output
    import json

    records = {Path(record["input"]).name: record for record in json.loads(result.output)["records"]}
    assert records["一组.xlsx"]["note"] == note and records["二组.xlsx"]["note"] == ""
    assert len(records) == 2
