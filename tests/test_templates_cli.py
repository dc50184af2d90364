"""docgen templates list, explain, copy, check and vars, and --templates / --variant / --config on render."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.word.library import builtin_dir

ROOT = Path(__file__).resolve().parents[1]
TEAM_MONTH = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """run(*args) -> Click result, in a fresh working folder without DOCGEN_TEMPLATES, told in English.

    English by DOCGEN_LANG: under LANG=C a Chinese workbook would be spoken of in Chinese (docs/language.md).
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOCGEN_TEMPLATES", raising=False)

    def invoke(*args, env=None):
        env = {"DOCGEN_LANG": "en", **(env or {})}
        return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def east(tmp_path):
    """A regional library: the built-in monthly team template, its heading changed, as the plain and the east variant."""
    folder = tmp_path / "华东模板"
    folder.mkdir()
    for name, marker in (("monthly-team.zh.docx", "华东通用版"), ("monthly-team.zh.east.docx", "华东东区版")):
        document = docx.Document(builtin_dir() / "monthly-team.zh.docx")
        document.add_paragraph(marker)
        document.save(folder / name)
    return folder


def last_paragraph(path: Path) -> str:
    return docx.Document(path).paragraphs[-1].text


@pytest.mark.parametrize("command", ["list", "explain", "copy", "check", "vars"])
def test_every_command_has_help_with_an_example(run, command):
    result = run("templates", command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"docgen templates {command}" in result.output


def test_list_shows_all_thirty_builtins(run):
    result = run("templates", "list")
    assert result.exit_code == 0
    rows = re.findall(r"^(\w+-\w+\.\w\w) +(\S+\.docx) +built-in$", result.output, re.M)
    assert len(rows) == 30
    assert ("quarterly-department.en", "quarterly-department.en.docx") in rows
    assert "30 keys: 30 built-in, 0 from your libraries." in result.output


def test_list_shows_which_library_serves_each_key(run, east):
    (east / "notes.docx").write_bytes(b"")
    result = run("templates", "list", "--templates", east, "--variant", "east")
    assert result.exit_code == 0
    assert re.search(rf"^monthly-team\.zh +monthly-team\.zh\.east\.docx +{re.escape(str(east))} \(--templates\)$", result.output, re.M)
    assert re.search(r"^monthly-team\.en +monthly-team\.en\.docx +built-in$", result.output, re.M)
    assert "30 keys: 29 built-in, 1 from your libraries." in result.output
    assert f"monthly-team.zh{' ' * 10}" in result.output  # the plain one is listed among the others
    assert "notes.docx: not named {period}-{level}.{lang}.docx" in result.output


def test_explain_shows_every_candidate_and_why(run, east):
    result = run("templates", "explain", "--period", "monthly", "--level", "team", "--templates", east, "--variant", "east")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Template for monthly-team.zh, variant east; candidates in the order they are considered:"
    assert lines[1] == f"  1. {east / 'monthly-team.zh.east.docx'}  [--templates {east}]  <- chosen: the first candidate that exists"
    assert lines[2].endswith("exists, but comes after the chosen one")
    assert f"Why: the variant's template for monthly-team.zh.east in the library {east} (--templates)" in result.output

    other = run("templates", "explain", "--period", "monthly", "--level", "team", "--lang", "en", "--templates", east)
    assert "1. " in other.output and "not there" in other.output
    assert "Why: the built-in template for monthly-team.en; no user library has one" in other.output


def test_explain_reads_docgen_toml_in_the_working_folder(run, east, tmp_path):
    (tmp_path / "docgen.toml").write_text(f'language = "zh"\n[templates]\nlibraries = ["{east.name}"]\nvariant = "east"\n', "utf-8")
    result = run("templates", "explain", "--period", "monthly", "--level", "team")
    assert "variant east" in result.output
    assert f"[docgen.toml {east}]" in result.output or f"[docgen.toml {east.resolve()}]" in result.output
    assert "monthly-team.zh.east.docx" in result.output.split("Chosen: ")[1]


def test_copy_starts_a_library_of_ones_own(run, tmp_path):
    result = run("templates", "copy", "quarterly-team.zh", "mine", "--variant", "east")
    assert result.exit_code == 0
    copied = tmp_path / "mine" / "quarterly-team.zh.east.docx"
    assert copied.read_bytes() == (builtin_dir() / "quarterly-team.zh.docx").read_bytes()
    assert "docgen render WORKBOOK --templates mine --variant east" in result.output
    again = run("templates", "copy", "quarterly-team.zh", "mine", "--variant", "east")
    assert again.exit_code == 2 and "already exists" in again.output and "--force" in again.output
    assert run("templates", "copy", "quarterly-team.zh", "mine", "--variant", "east", "--force").exit_code == 0


def test_copy_of_an_unknown_key_suggests_the_nearest(run):
    result = run("templates", "copy", "quartely-team.zh", "mine")
    assert result.exit_code == 2
    assert "there is no built-in template “quartely-team.zh”. Did you mean quarterly-team.zh?" in result.output
    assert "Traceback" not in result.output


def test_check_finds_the_faults_with_their_places_and_exits_1(run, tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ report.titel }}")
    document.add_paragraph("｛｛ report.period_label ｝｝")
    document.sections[0].header.paragraphs[0].text = "{%p if report.team %} 团队"
    path = tmp_path / "bad.docx"
    document.save(path)
    result = run("templates", "check", path)
    assert result.exit_code == 1
    out = result.output
    assert "Error: bad.docx, body, paragraph “{{ report.titel }}”: “report.titel” is not a variable of the report" in out
    assert "(did you mean “report.title”?)" in out
    assert "Error: bad.docx, body, paragraph “｛｛ report.period_label ｝｝”: “｛｛ report.period_label ｝｝” is typed with full-width" in out
    assert "Warning: bad.docx, header, paragraph “{%p if report.team %} 团队”" in out
    assert "bad.docx: 3 errors, 1 warning, 0 notes." in out


def test_check_of_a_clean_copy_passes_and_strict_fails_on_warnings(run, tmp_path):
    assert run("templates", "copy", "monthly-team.zh", ".").exit_code == 0
    clean = run("templates", "check", "monthly-team.zh.docx", "--workbook", TEAM_MONTH, "--today", "2026-11-02")
    assert clean.exit_code == 0
    assert clean.output.strip().endswith(f"monthly-team.zh.docx: no problems found, and it renders {TEAM_MONTH.name} with no tag left over.")
    document = docx.Document()
    document.add_paragraph("{% if intro %}")
    document.add_paragraph("{% endif %}")
    document.save(tmp_path / "warn.docx")
    assert run("templates", "check", "warn.docx").exit_code == 0
    strict = run("templates", "check", "warn.docx", "--strict")
    assert strict.exit_code == 1 and "0 errors, 1 warning" in strict.output


def test_check_with_a_workbook_reports_tags_left_literally(run, tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ report.title }}")
    document.add_paragraph("合计：{ { targets.summary } }")
    document.save(tmp_path / "spaced.docx")
    result = run("templates", "check", "spaced.docx", "--workbook", TEAM_MONTH, "--today", "2026-11-02")
    assert result.exit_code == 1
    assert f"Error: spaced rendered from {TEAM_MONTH.name}, body, paragraph “合计：{{ {{ targets.summary }} }}”: the output still shows “{{ {{”" in result.output


def test_check_of_a_missing_file_is_a_usage_error(run):
    result = run("templates", "check", "nowhere.docx")
    assert result.exit_code == 2 and "nowhere.docx: template not found" in result.output


def test_vars_lists_the_variables_with_example_values(run):
    result = run("templates", "vars")
    assert result.exit_code == 0
    assert re.search(r"^report\.title +“.+”$", result.output, re.M)
    assert re.search(r"^targets\.rows\[\]\.achievement +“\d+\.\d%”$", result.output, re.M)
    assert re.search(r"^market_share\.sentence +“本年度|^market_share\.sentence +“本月", result.output, re.M)
    assert "docs/template-variables.md" in result.output


def test_vars_with_a_workbook_shows_its_values(run):
    result = run("templates", "vars", "--workbook", TEAM_MONTH)
    assert result.exit_code == 0
    assert re.search(r"^report\.organization +“星辰科技有限公司”$", result.output, re.M)


# -- the library on render -----------------------------------------------------------------


def test_render_uses_the_user_library_for_its_key_only(run, east, tmp_path):
    result = run("render", TEAM_MONTH, "-o", "a.docx", "--templates", east, "--today", "2026-11-02", "--no-previous")
    assert result.exit_code == 0, result.output
    assert "template: monthly-team.zh.docx, the plain template for monthly-team.zh in the library" in result.output
    assert last_paragraph(tmp_path / "a.docx") == "华东通用版"

    variant = run("render", TEAM_MONTH, "-o", "b.docx", "--templates", east, "--variant", "east", "--today", "2026-11-02", "--no-previous")
    assert "template: monthly-team.zh.east.docx, the variant's template" in variant.output
    assert last_paragraph(tmp_path / "b.docx") == "华东东区版"

    english = run("render", TEAM_MONTH, "-o", "c.docx", "--lang", "en", "--templates", east, "--today", "2026-11-02", "--no-previous")
    assert "template: monthly-team.en.docx, the built-in template for monthly-team.en" in english.output


def test_render_reads_libraries_from_the_environment(run, east, tmp_path):
    result = run("render", TEAM_MONTH, "-o", "a.docx", "--today", "2026-11-02", "--no-previous", env={"DOCGEN_TEMPLATES": str(east)})
    assert result.exit_code == 0
    assert "(DOCGEN_TEMPLATES)" in result.output and last_paragraph(tmp_path / "a.docx") == "华东通用版"


def test_a_missing_library_folder_stops_the_run_with_exit_2(run, tmp_path):
    result = run("render", TEAM_MONTH, "-o", "a.docx", "--templates", "nowhere", "--no-previous")
    assert result.exit_code == 2
    assert "nowhere: the template library folder does not exist" in result.output
    assert not (tmp_path / "a.docx").exists()


def test_docgen_toml_sets_defaults_and_the_command_line_wins(run, east, tmp_path, make_workbook, minimal_sheets):
    sheets = minimal_sheets
    sheets["报告信息"] = [row for row in sheets["报告信息"] if row[0] not in ("单位", "语言", "货币单位")]
    workbook = make_workbook(sheets, name="无单位.xlsx")
    (tmp_path / "docgen.toml").write_text(
        'organization = "星辰科技有限公司"\ncurrency_unit = "万元"\n'
        f'[templates]\nlibraries = ["{east.name}"]\nvariant = "east"\n'
        '[output]\nnaming = "{team}-{period_label}-{level_label}"\n',
        "utf-8",
    )
    result = run("render", workbook, "--today", "2026-11-02", "--no-previous")
    assert result.exit_code == 0, result.output
    output = tmp_path / "销售一组-2026年10月-团队.docx"
    assert f"Wrote {output.name}" in result.output
    document = docx.Document(output)
    assert document.paragraphs[-1].text == "华东东区版"  # docgen.toml's library and variant
    assert "星辰科技有限公司" in document.sections[0].header.paragraphs[0].text
    # The command line wins over docgen.toml.
    given = run("render", workbook, "-o", "given.docx", "--variant", "none", "--today", "2026-11-02", "--no-previous")
    assert given.exit_code == 0, given.output
    assert docx.Document(tmp_path / "given.docx").paragraphs[-1].text == "华东通用版"
    other = tmp_path / "other.toml"
    other.write_text('organization = "另一家公司"\n', "utf-8")
    run("render", workbook, "-o", "other.docx", "--config", other, "--today", "2026-11-02", "--no-previous")
    assert "另一家公司" in docx.Document(tmp_path / "other.docx").sections[0].header.paragraphs[0].text


def test_a_broken_docgen_toml_is_a_usage_error(run, tmp_path):
    (tmp_path / "docgen.toml").write_text('[templates]\nvarient = "east"\n', "utf-8")
    result = run("render", TEAM_MONTH, "-o", "a.docx", "--no-previous")
    assert result.exit_code == 2
    assert "docgen.toml: the config file has a mistake: unknown key “templates.varient” (did you mean “templates.variant”?)" in result.output
    assert not (tmp_path / "a.docx").exists()
    assert "Traceback" not in result.output


def test_config_trend_thresholds_change_the_words(run, tmp_path):
    shutil.copyfile(TEAM_MONTH, tmp_path / "team.xlsx")
    run("render", "team.xlsx", "-o", "default.docx", "--today", "2026-11-02", "--no-previous")
    (tmp_path / "strict.toml").write_text("[trend_words]\nslight = 0.08\nmarked = 0.3\n", "utf-8")
    run("render", "team.xlsx", "-o", "strict.docx", "--config", "strict.toml", "--today", "2026-11-02", "--no-previous")

    def text(name):
        return "\n".join(p.text for p in docx.Document(tmp_path / name).paragraphs)

    # 销售额 grew 6.7% on September: a slight rise by default, steady under the stricter thresholds.
    assert "环比小幅增长6.7%" in text("default.docx")
    assert "环比基本持平（+6.7%）" in text("strict.docx")
