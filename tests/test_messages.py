"""Tests for docgen.text.messages: every error in English or Chinese, in the interface language (docs/language.md)."""

from __future__ import annotations

import pickle
import re

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import CellError, InvalidWorkbook, Location, WorkbookError
from docgen.text import catalogue
from docgen.text.language import os_language
from docgen.text.messages import Phrase, message_language, say

# LANG=C names no language: the workbook's decides, English when there is none.
C_LOCALE = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}
ENGLISH_LOCALE = {"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}
CHINESE_LOCALE = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}


def _texts(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_texts(value, f"{prefix}{key}."))
        elif isinstance(value, str):
            flat[f"{prefix}{key}"] = value
        else:  # a list of phrasings
            flat.update({f"{prefix}{key}.{i}": text for i, text in enumerate(value)})
    return flat


@pytest.mark.parametrize("area", catalogue.AREAS)
def test_every_text_of_the_catalogue_is_in_both_languages_with_the_same_fields(area):
    chinese, english = (_texts(catalogue.book(area, lang)) for lang in ("zh", "en"))
    # English alone has singular forms (plural.*), and phrasings may differ in number between languages.
    # Either language may hold a singular form (plural.*) the other does without.
    def phrases(texts):
        return {key.rsplit(".", 1)[0] if key[-1].isdigit() else key for key in texts if not key.startswith("plural.")}

    assert phrases(chinese) == phrases(english)
    if area in ("messages", "checks"):  # the same facts in both; the phrasebooks word dates their own way
        for key in chinese:
            assert set(re.findall(r"\{(\w+)", english[key])) == set(re.findall(r"\{(\w+)", chinese[key])), key
    if area == "messages":
        assert all(re.search("[\u4e00-\u9fff]", text) for key, text in chinese.items() if key != "where.cell")


def test_a_phrase_is_its_english_text_and_travels_to_workers_whole():
    phrase = say("file.too_many_rows", limit=100)
    assert isinstance(phrase, Phrase) and phrase == "the sheet has data below row 100"
    assert pickle.loads(pickle.dumps(phrase)).in_language("zh") == "工作表在第 100 行以下还有数据"


def test_an_error_in_english_and_in_chinese():
    error = CellError(
        say("cell.in_column", column="目标", problem=say("cell.not_a_number")),
        location=Location(file="/data/团队.xlsx", sheet="目标达成", cell="C2"),
        expected=say("cell.a_number"),
        found="一百",
        hint=say("cell.not_a_number.hint"),
    )
    assert str(error) == (
        "团队.xlsx, sheet '目标达成', cell C2: column “目标”: this is not a number; expected a number; "
        "found “一百”. Type the figure as digits (for example 1234.5), or leave the cell empty if there is none."
    )
    assert error.text("zh") == (
        "团队.xlsx，工作表“目标达成”，单元格 C2：“目标”列：这不是数字；应为数字；实际为“一百”。"
        "请用阿拉伯数字填写（例如 1234.5）；没有数据时请留空。"
    )
    listed = InvalidWorkbook([error, error], file="/data/团队.xlsx")
    assert listed.text("zh").splitlines()[0] == "团队.xlsx 有 2 处问题："
    assert str(listed).splitlines()[0] == "团队.xlsx has 2 problems:"


def test_a_message_the_catalogue_lacks_is_told_wholly_in_english():
    error = WorkbookError("something new went wrong", location=Location(file="a.xlsx", sheet="S"), hint="Fix it.")
    assert error.text("zh") == str(error) == "a.xlsx, sheet 'S': something new went wrong. Fix it."


def test_control_and_bidirectional_characters_are_spelled_out():
    error = CellError(say("cell.not_a_date"), location=Location(file="a.xlsx"), found="\x1b[2J\u202e12")
    assert "\\x1b[2J\\u202e12" in str(error) and "\x1b" not in str(error) and "\u202e" not in error.text("zh")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, None),
        ({"LC_MESSAGES": "zh_CN", "LANG": "C"}, "zh"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_locale_is_read_as_posix_reads_it(environment, expected):
    assert os_language(environment) == expected


def test_the_interface_language_wins_over_the_workbook(monkeypatch):
    monkeypatch.delenv("DOCGEN_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert message_language("en") == "zh" and message_language(None) == "zh"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert message_language("zh") == "zh" and message_language("en") == "en" and message_language(None) == "en"
    monkeypatch.setenv("DOCGEN_LANG", "en")
    assert message_language("zh") == "en"


# -- the command line picks the language


def run(args, env):
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env)


def test_a_file_error_follows_the_locale(tmp_path):
    empty = tmp_path / "空的.xlsx"
    empty.write_bytes(b"")
    english = run(["render", empty, "-o", tmp_path / "r.docx"], ENGLISH_LOCALE)
    chinese = run(["render", empty, "-o", tmp_path / "r.docx"], CHINESE_LOCALE)
    no_language = run(["render", empty, "-o", tmp_path / "r.docx"], C_LOCALE)  # nor a workbook read: English
    assert english.exit_code == chinese.exit_code == 2
    assert no_language.output == english.output
    assert english.output == "Error: 空的.xlsx: the file is empty (0 bytes). Copy the workbook again, or make a new one and save it as .xlsx.\n"
    assert chinese.output == "错误：空的.xlsx：文件是空的（0 字节）。请重新复制工作簿，或新建一个并另存为 .xlsx。\n"


def test_the_workbook_language_decides_when_the_locale_names_none(make_workbook, minimal_sheets, tmp_path):
    minimal_sheets["目标达成"][1][2] = "一百"
    workbook = make_workbook(minimal_sheets)  # its info sheet says 语言 中文
    chinese = run(["render", workbook, "-o", tmp_path / "r.docx"], C_LOCALE)
    assert chinese.exit_code == 2 and "实际为“一百”" in chinese.output
    # The report's --lang is the report's: the interface stays the system's.
    chinese = run(["render", workbook, "-o", tmp_path / "r.docx", "--lang", "en"], CHINESE_LOCALE)
    assert chinese.exit_code == 2 and "实际为“一百”" in chinese.output
    english = run(["render", workbook, "-o", tmp_path / "r.docx"], {**C_LOCALE, "DOCGEN_LANG": "en"})
    assert english.exit_code == 2 and "found “一百”" in english.output
    english = run(["--lang", "en", "render", workbook, "-o", tmp_path / "r.docx"], CHINESE_LOCALE)
    assert english.exit_code == 2 and "found “一百”" in english.output


def test_a_template_error_is_in_the_language_of_the_workbook_under_lang_c(make_workbook, minimal_sheets, tmp_path):
    import docx

    template = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("{{ report.titel }}")
    document.save(template)
    workbook = make_workbook(minimal_sheets)
    result = run(["render", workbook, "--template", template, "-o", tmp_path / "r.docx"], C_LOCALE)
    assert result.exit_code == 2
    assert result.output.startswith(
        "错误：t.docx，正文，段落“{{ report.titel }}”：该模板无法使用：报告中没有变量“report.titel”（您是不是要写“report.title”？）")


def test_a_list_in_a_message_is_joined_as_each_language_joins_one():
    from docgen.text.messages import Listed

    phrase = say("merge.sheets.hint", names=Listed(["名单", say("status.ok")]))
    assert phrase == "Sheets: 名单, ok."
    assert phrase.in_language("zh") == "工作表：名单、成功。"
    assert pickle.loads(pickle.dumps(phrase)).in_language("zh") == "工作表：名单、成功。"
