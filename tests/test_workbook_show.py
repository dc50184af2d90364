"""docgen workbook show: each sheet, the section it was taken as and why, its columns' fields and its cells."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import MINIMAL_INFO, MINIMAL_TARGETS
from docgen.cli import main
from docgen.input.reader import open_workbook
from docgen.input.workbook import load_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_inputs").rglob("*.xlsx"))
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


def show(*args, env=None):
    return CliRunner().invoke(main, ["workbook", "show", *map(str, args)], env={**ENGLISH, **(env or {})})


def document(*args, env=None) -> dict:
    result = show(*args, "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def renamed(make_workbook):
    return make_workbook({
        "报告信息": MINIMAL_INFO,
        "目标完成情况": MINIMAL_TARGETS,
        "数据核对": [["指标", "销售系统", "财务系统", "说明"], ["销售额", 960, 955, "财务未入账"]],
    })


def test_the_human_output_says_how_each_sheet_was_read(renamed):
    result = show(renamed)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Workbook in.xlsx: 3 sheets"
    assert "Sheet 2 “目标完成情况”" in lines
    assert "  read as Targets (目标达成): its name is close to “目标” and its headers fit" in lines
    assert "  header row 1:" in lines
    for line in ("    A “指标” → indicator", "    D “实际” → actual", "    G “说明” → note",
                 "    B “销售系统” → source system “销售系统”", "    D “说明” → note"):
        assert line in lines, line
    assert "    C2     1000  (number)" in lines
    assert "    B2     “测试报告”  (text)" in lines
    assert "    B2 标题 → title" in lines  # the info sheet's fields


def test_the_human_output_in_chinese(renamed):
    result = show(renamed, "--lang", "zh")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "工作簿 in.xlsx：共 3 张工作表"
    assert "  读作“目标达成”：名称与“目标”相近，且表头相符" in lines
    assert "    C “目标” → 目标（target）" in lines
    assert "    C2     1000（数字）" in lines


def test_the_json_document(make_workbook, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Targets 2026"
    for row in MINIMAL_TARGETS:
        sheet.append(row)
    sheet["D4"].number_format = "0%"
    sheet["H1"], sheet["H2"] = "日期", dt.datetime(2026, 10, 31)
    sheet["I2"], sheet["J2"], sheet["K2"] = True, "=C2*2", "#DIV/0!"
    lists = book.create_sheet("lists")
    lists.append(["A", "B"])
    lists.sheet_state = "hidden"
    path = tmp_path / "made.xlsx"
    book.save(path)

    found = document(path)
    assert (found["format"], found["file"], found["sheet_count"]) == ("docgen.workbook-show/1", str(path), 2)
    targets, hidden = found["sheets"]
    assert (targets["name"], targets["index"], targets["hidden"], targets["section"]) == (
        "Targets 2026", 1, False, "targets")
    assert targets["taken_as"] == {"how": "close-name", "matched": ["Targets"]}
    assert targets["header_row"] == 1
    assert targets["columns"][0] == {"column": "A", "header": "指标", "field": "indicator", "label": None}
    assert {"column": "H", "header": "日期", "field": None, "label": None} in targets["columns"]
    cells = {cell["ref"]: cell for cell in targets["cells"]}
    assert cells["C2"] == {"ref": "C2", "type": "number", "value": 1000, "percent": False, "merged": None}
    assert (cells["D4"]["value"], cells["D4"]["percent"]) == (0.38, True)
    assert (cells["H2"]["type"], cells["H2"]["value"]) == ("date", "2026-10-31")  # a date at midnight is a date
    assert (cells["I2"]["type"], cells["I2"]["value"]) == ("boolean", True)
    assert (cells["J2"]["type"], cells["J2"]["value"]) == ("formula", "=C2*2")
    assert (cells["K2"]["type"], cells["K2"]["value"]) == ("error", "#DIV/0!")
    assert "F5" in cells and "G3" not in cells  # empty cells are left out
    assert (hidden["name"], hidden["hidden"], hidden["skipped"]) == ("lists", True, "hidden")
    assert found["problems"] == []  # J2 and K2 sit in columns the targets section does not use


def test_a_workbook_with_problems_is_still_shown_with_them(make_workbook):
    path = make_workbook({"报告信息": MINIMAL_INFO, "目标达成": [*MINIMAL_TARGETS, ["毛利率", "%", "一百", 0.2]]})
    result = show(path)
    assert result.exit_code == 0, result.output
    assert "1 problem would stop a report:" in result.output
    assert "sheet '目标达成', cell C6: column “目标”: this is not a number" in result.output


def test_one_sheet_by_its_name(renamed):
    found = document(renamed, "--sheet", "数据核对")
    assert [sheet["name"] for sheet in found["sheets"]] == ["数据核对"]
    assert found["sheet_count"] == 3
    assert [column["field"] for column in found["sheets"][0]["columns"]] == ["indicator", "source", "source", "note"]
    assert [sheet["name"] for sheet in document(renamed, "--sheet", " 目标完成情况 ")["sheets"]] == ["目标完成情况"]


def test_a_sheet_that_is_not_there_is_bad_usage(renamed):
    result = show(renamed, "--sheet", "目标达成")
    assert result.exit_code == 2
    assert result.output == (
        "Error: in.xlsx: the workbook has no sheet “目标达成” (did you mean “目标完成情况”?). "
        "Its sheets are: 报告信息, 目标完成情况, 数据核对.\n")


def test_bad_input_is_a_clear_error_with_exit_code_2(tmp_path):
    result = show(tmp_path / "missing.xlsx")
    assert (result.exit_code, result.output) == (
        2, "Error: missing.xlsx: file not found. Check the path and the file name.\n")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    result = show(text)
    assert result.exit_code == 2
    assert result.output.startswith("Error: notes.xlsx: this is not an Excel .xlsx workbook")
    chinese = show(tmp_path / "missing.xlsx", env={"LANG": "zh_CN.UTF-8"})
    assert (chinese.exit_code, chinese.output) == (2, "错误：missing.xlsx：找不到文件。请检查路径和文件名。\n")


def test_help_shows_examples():
    result = CliRunner().invoke(main, ["workbook", "show", "--help"])
    assert result.exit_code == 0
    assert "docgen workbook show sample_inputs/华东销售一组-2026年10月-团队月报.xlsx --sheet 目标达成" in result.output
    assert "docs/workbook-show.md" in result.output
    group = CliRunner().invoke(main, ["workbook", "--help"])
    assert "docgen workbook show sample_inputs/" in group.output


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_sample_is_shown_as_the_report_reads_it(sample):
    found = document(sample)
    with open_workbook(sample) as book:
        names = [info.name for info in book.sheets]
    assert [sheet["name"] for sheet in found["sheets"]] == names
    assert all(isinstance(sheet["cells"], list) for sheet in found["sheets"])
    if not found["problems"]:  # the report's own reading of the workbook says the same
        model = load_workbook(sample)
        assert [(s["name"], s["section"], s["taken_as"]["how"]) for s in found["sheets"]] == [
            (reading.name, reading.section, reading.how) for reading in model.sheets]


def _corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tests" / "corpus" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


CORPUS = _corpus_module()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return CORPUS.build_corpus(tmp_path_factory.mktemp("corpus"))


def test_every_corpus_file_is_shown_or_refused_clearly(corpus):
    env_of = {case.name: case.env for case in CORPUS.CASES}
    files = sorted(path for path in corpus.rglob("*") if path.is_file())
    assert len(files) >= 40
    shown = 0
    for path in files:
        result = show(path, "--json", env=env_of.get(path.name))
        assert result.exception is None or isinstance(result.exception, SystemExit), (path.name, result.exception)
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            assert result.output.startswith("Error: ") and result.output.count("Error: ") == 1, result.output
            continue
        assert result.exit_code == 0, (path.name, result.output)
        found = json.loads(result.output)
        assert found["format"] == "docgen.workbook-show/1"
        with open_workbook(path) as book:
            names = [info.name for info in book.sheets]
        assert [sheet["name"] for sheet in found["sheets"]] == names, path.name
        shown += 1
    assert shown >= 20


def test_characters_a_terminal_would_act_on_are_spelled_out(make_workbook):
    result = show(make_workbook({"杂项": [["名称", "说明"], ["red\u202eevil", "a\nb"]]}))
    assert result.exit_code == 0, result.output
    assert "    A2     “red\\u202eevil”  (text)" in result.output.splitlines()
    assert "    B2     “a\\nb”  (text)" in result.output.splitlines()
    assert "\u202e" not in result.output
