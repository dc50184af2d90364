"""A misspelt name (template variable, merge column, sheet, config key) stops the run before anything is written,
with the nearest names, in English and in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import write_workbook
from docgen.cli import main
from docgen.text.nearest import nearest_names

CUSTOMERS = [["姓名", "联系人", "客户 名称"], ["张三", "李四", "星辰科技"], ["王五", "赵六", "华信"]]


def run(*args, lang="en"):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"DOCGEN_LANG": lang})
    assert "Traceback" not in result.output, result.output
    return result


def template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def customers(tmp_path):
    return write_workbook(tmp_path / "customers.xlsx", {"客户": CUSTOMERS})


@pytest.fixture
def workbook(make_workbook, minimal_sheets):
    return make_workbook(minimal_sheets, name="月报.xlsx")


# -- the nearest names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, candidates, nearest",
    [
        ("autor", ["author", "title", "team"], ["author"]),
        ("Author", ["author", "title"], ["author"]),
        ("联糸人", ["姓名", "联系人", "客户 名称"], ["联系人"]),
        ("金颔", ["金额", "日期"], ["金额"]),  # two characters, one wrong: alike although the ratio is 0.5
        ("ｔｅａｍ", ["team"], ["team"]),  # full width, as a Chinese input method types it
        ("xyz", ["author", "title"], []),
    ],
)
def test_the_nearest_names_compare_characters_in_either_language(name, candidates, nearest):
    assert nearest_names(name, candidates) == nearest


# -- render, batch, templates check ----------------------------------------------------------

MISSPELT_REPORT = ("{{ report.title }}", "作者：{{ report.autor }}", "{{ targets.rows[0].acheivement }}")


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "report.docx, body, paragraph “作者：{{ report.autor }}”: the template cannot be used: "
               "“report.autor” is not a variable of the report (did you mean “report.author”?); "
               "1 more: “targets.rows[0].acheivement”."),
        ("zh", "report.docx，正文，段落“作者：{{ report.autor }}”：该模板无法使用：报告中没有变量“report.autor”"
               "（您是不是要写“report.author”？）；另有 1 处：“targets.rows[0].acheivement”。"),
    ],
)  # fmt: skip
def test_render_stops_before_writing_on_a_misspelt_variable(tmp_path, workbook, lang, expected):
    custom = template(tmp_path / "report.docx", *MISSPELT_REPORT)
    out = tmp_path / "out"
    result = run("render", workbook, "--template", custom, "-o", out / "report.docx", lang=lang)
    assert result.exit_code == 2
    assert expected in result.output
    assert written(out) == []


@pytest.mark.parametrize("lang, expected", [("en", "(did you mean “report.author”?)"),
                                            ("zh", "（您是不是要写“report.author”？）")])  # fmt: skip
def test_batch_stops_before_the_first_report_on_a_misspelt_variable(tmp_path, workbook, lang, expected):
    custom = template(tmp_path / "report.docx", *MISSPELT_REPORT)
    out = tmp_path / "out"
    result = run("batch", workbook, "--template", custom, "-o", out, lang=lang)
    assert result.exit_code == 2
    assert expected in result.output and "report.autor" in result.output
    assert written(out) == []  # no report, no manifest


@pytest.mark.parametrize("lang, expected", [("en", "(did you mean “report.author”?)"),
                                            ("zh", "（您是不是要写“report.author”？）")])  # fmt: skip
def test_batch_stops_before_the_first_report_on_a_misspelt_variable_in_a_library_template(
    tmp_path, workbook, lang, expected
):
    library = tmp_path / "华东模板"
    library.mkdir()
    template(library / "monthly-team.zh.docx", *MISSPELT_REPORT)  # the one the workbook's monthly team report takes
    out = tmp_path / "out"
    result = run("batch", workbook, "--templates", library, "-o", out, lang=lang)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "monthly-team.zh.docx" in result.output
    assert written(out) == []  # no report, no manifest
    # render says the same of the library's template.
    assert expected in run("render", workbook, "--templates", library, "-o", out / "r.docx", lang=lang).output


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "“targets.rows[0].acheivement” is not a variable of the report "
               "(did you mean “targets.rows[0].achievement”?)"),
        ("zh", "报告中没有变量“targets.rows[0].acheivement”（您是不是要写“targets.rows[0].achievement”？）"),
    ],
)  # fmt: skip
def test_templates_check_says_the_same_with_every_misspelt_name(tmp_path, lang, expected):
    custom = template(tmp_path / "report.docx", *MISSPELT_REPORT, "{{ autor }}")
    result = run("templates", "check", custom, lang=lang)
    assert result.exit_code == 1
    assert expected in result.output
    assert ("“autor” is not a variable of the report (did you mean “report.author”?)" if lang == "en"
            else "报告中没有变量“autor”（您是不是要写“report.author”？）") in result.output  # fmt: skip


def test_names_a_template_gives_itself_are_not_flagged(tmp_path, workbook):
    custom = template(
        tmp_path / "report.docx",
        "{% macro line(label, value) %}{{ label }}：{{ value }}{% endmacro %}",
        "{% set who = report.author %}{{ line('作者', who) }}",
        "{% for row in targets.rows %}{{ loop.index }}{{ row.indicator }}{% endfor %}",
        "{% if report.subtitle is defined %}{{ report.subtitle }}{% endif %}{{ report.motto|default('') }}",
        "{% for key, value in report.items() %}{{ key }}{% endfor %}",
    )
    assert "unknown-variable" not in run("templates", "check", custom).output
    out = tmp_path / "out"
    result = run("render", workbook, "--template", custom, "-o", out / "report.docx")
    assert result.exit_code == 0, result.output
    assert "作者：张三" in [p.text for p in docx.Document(str(out / "report.docx")).paragraphs]


def test_a_name_only_the_render_finds_comes_with_the_nearest_too(tmp_path, workbook):
    # The key is put together by the template, so no check before the render can read it.
    custom = template(tmp_path / "report.docx", "{% set key = 'au' ~ 'tor' %}{{ report[key] }}")
    out = tmp_path / "out"
    result = run("render", workbook, "--template", custom, "-o", out / "report.docx")
    assert result.exit_code == 2
    assert "there is no “autor” (did you mean “report.author”" in result.output
    assert "dict object" not in result.output
    assert written(out) == []


# -- merge -------------------------------------------------------------------------------------


@pytest.mark.parametrize("letter", ["尊敬的{{ 联糸人 }}：", "尊敬的{{ row['联糸人'] }}：", "{{ row.text['联糸人'] }}"])
@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "the template cannot be used: “联糸人” is not a column of the sheet “客户” (did you mean “联系人”?). "
               "Columns: 姓名, 联系人, 客户 名称."),
        ("zh", "该模板无法使用：“联糸人”不是工作表“客户”中的列（您是不是要写“联系人”？）。列：姓名、联系人、客户 名称。"),
    ],
)  # fmt: skip
def test_merge_stops_before_the_first_row_on_a_misspelt_column(tmp_path, customers, letter, lang, expected):
    letter_path = template(tmp_path / "letter.docx", letter, "{{ 姓名 }}")
    out = tmp_path / "out"
    result = run("merge", letter_path, customers, "-o", out, lang=lang)
    assert result.exit_code == 2
    assert expected in result.output
    assert ("letter.docx, body, paragraph “" if lang == "en" else "letter.docx，正文，段落“") + letter in result.output
    assert written(out) == []  # no document, no manifest rows


def test_a_merge_template_may_use_its_row_its_own_names_and_a_column_that_is_no_plain_name(tmp_path, customers):
    letter_path = template(
        tmp_path / "letter.docx",
        "{% set greeting = '您好' %}{{ greeting }}，{{ 联系人 }}（{{ row['客户 名称'] }}，{{ row.text['姓名'] }}）",
        "{% for name in row %}{{ name }}{% endfor %}{{ row.get('备注', '') }}",
    )
    out = tmp_path / "out"
    result = run("merge", letter_path, customers, "-o", out, "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] == 2


def test_a_column_only_the_render_finds_fails_its_rows_with_the_nearest_column(tmp_path, customers):
    letter_path = template(tmp_path / "letter.docx", "{% set column = '联糸' ~ '人' %}{{ row[column] }}")
    out = tmp_path / "out"
    result = run("merge", letter_path, customers, "-o", out, "-j", "1")
    assert result.exit_code == 1
    records = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"]
    assert [r["status"] for r in records] == ["failed", "failed"]
    assert "there is no “联糸人” (did you mean “联系人”?)" in records[0]["error"]


# -- sheets and config keys ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang, expected", [("en", "there is no sheet “客护” (did you mean “客户”?)"),
                                            ("zh", "没有名为“客护”的工作表（您是不是要写“客户”？）")])  # fmt: skip
def test_merge_with_a_misspelt_sheet(tmp_path, customers, lang, expected):
    letter_path = template(tmp_path / "letter.docx", "{{ 姓名 }}")
    out = tmp_path / "out"
    result = run("merge", letter_path, customers, "-o", out, "--sheet", "客护", lang=lang)
    assert result.exit_code == 2
    assert expected in result.output
    assert written(out) == []


@pytest.mark.parametrize("lang, expected", [("en", "the workbook has no sheet “目标达到” (did you mean “目标达成”?)"),
                                            ("zh", "工作簿中没有“目标达到”工作表（您是不是要写“目标达成”？）")])  # fmt: skip
def test_workbook_show_with_a_misspelt_sheet(workbook, lang, expected):
    result = run("workbook", "show", workbook, "--sheet", "目标达到", lang=lang)
    assert result.exit_code == 2
    assert expected in result.output


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", ("unknown key “checks.tolerence” (did you mean “checks.tolerance”?)",
                "unknown key “output.languag” (did you mean “language”?)")),
        ("zh", ("未知的键“checks.tolerence”（您是不是要写“checks.tolerance”？）",
                "未知的键“output.languag”（您是不是要写“language”？）")),
    ],
)  # fmt: skip
def test_a_misspelt_config_key(tmp_path, workbook, monkeypatch, lang, expected):
    (tmp_path / "docgen.toml").write_text('[checks]\ntolerence = 0.1\n\n[output]\nlanguag = "zh"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = run("render", workbook, "-o", out / "report.docx", lang=lang)
    assert result.exit_code == 2
    assert all(mistake in result.output for mistake in expected), result.output
    assert written(out) == []
