"""The fonts a template asks for (word/fonts.py), which this machine replaces (output/fonts.py), and what
`docgen doctor` and the PDF step say of them, in Chinese and English."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from docgen.cli import main
from docgen.output import fonts as machine
from docgen.word.fonts import fonts_asked, fonts_of_documents
from docgen.word.library import builtin_dir, builtin_templates
from test_interface_language import mixed_lines


# A machine with Arial and 宋体 under its Chinese name, Liberation Serif for Times New Roman (the same widths),
# DejaVu Sans for Calibri and Cambria, and neither SimSun nor SimHei.
FC_MATCH = """#!/bin/sh
# fc-match -f %{family} PATTERN, as fontconfig answers on a machine without the Windows Chinese fonts
case "$3" in
  SimSun*) printf 'Noto Serif CJK SC' ;;
  SimHei*) printf 'Noto Sans CJK SC' ;;
  宋体*) printf 'SimSun,宋体' ;;
  Calibri*|Cambria*) printf 'DejaVu Sans' ;;
  "Times New Roman"*) printf 'Liberation Serif' ;;
  Nowhere*) ;;
  *) printf '%s' "${3%%:*}" ;;
esac
"""


@pytest.fixture
def fc_match(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "fc-match"
    program.write_text(FC_MATCH, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{shutil.os.environ['PATH']}")
    machine._fc_match.cache_clear()
    yield program
    machine._fc_match.cache_clear()


def run(*args, lang="en"):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"DOCGEN_LANG": lang})
    assert "Traceback" not in result.output, result.output
    return result


# -- what a template asks for


def test_a_builtin_template_asks_for_the_fonts_of_the_styles_it_uses():
    asked = fonts_asked(builtin_dir() / "monthly-team.zh.docx")
    # 宋体 body and 黑体 headings for Chinese text; its unused styles (Courier for macro text) ask for nothing.
    assert asked == {"SimSun": True, "SimHei": True, "Times New Roman": False, "Arial": False}
    assert fonts_asked(builtin_dir() / "monthly-team.en.docx") == {
        "SimSun": True, "SimHei": True, "Calibri": False, "Cambria": False}


def test_fonts_set_on_runs_and_through_the_theme_are_asked_for_too(tmp_path):
    document = docx.Document()
    document.add_heading("一、目标达成", level=1)  # Heading 1 takes its Latin font from the theme
    run_ = document.add_paragraph().add_run("楷体的一段")
    run_._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "楷体")
    path = tmp_path / "letter.docx"
    document.save(path)
    asked = fonts_asked(path)
    assert asked["楷体"] is True
    assert {"Calibri", "Cambria"} <= set(asked)  # the theme's major and minor typefaces
    assert "" not in asked  # the theme's empty East Asian typeface asks for nothing


def test_the_library_asks_for_simsun_and_simhei_whatever_the_report_language():
    asked = fonts_of_documents(builtin_templates())
    assert asked["SimSun"] and asked["SimHei"]
    assert fonts_of_documents([Path("missing.docx")]) == {}


# -- what this machine sets them in


def test_a_font_the_machine_lacks_is_named_with_the_one_that_replaces_it(fc_match):
    matches = {m.asked: m for m in machine.match_fonts({"SimSun": True, "Arial": False, "宋体": True, "Nowhere": True})}
    assert matches["SimSun"].substituted and matches["SimSun"].used == "Noto Serif CJK SC"
    assert not matches["Arial"].substituted and not matches["宋体"].substituted  # its other name counts
    assert matches["Nowhere"].used is None
    assert [m.asked for m in machine.match_fonts({"Arial": False, "SimSun": True})] == ["SimSun", "Arial"]


def test_without_fontconfig_nothing_is_claimed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert machine.match_fonts({"SimSun": True}) is None
    assert machine.substituted_fonts({"SimSun": True}) is None
    [check] = machine.font_checks({"SimSun": True})
    assert check.ok and "not checked" in check.detail


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_doctor_has_a_line_for_each_font_of_the_library_and_warns_where_one_is_replaced(fc_match, lang):
    result = run("doctor", lang=lang)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    if lang == "en":
        assert "warn  font “SimSun” (Chinese text): not installed: PDFs use “Noto Serif CJK SC” in its place" in result.output
        assert "warn  font “SimHei” (Chinese text): not installed: PDFs use “Noto Sans CJK SC”" in result.output
        assert "ok   font “Arial” (Latin text): installed" in lines
        assert any(line.startswith("To print in the template's own fonts (SimHei, SimSun, ") for line in lines)
    else:
        assert "注意  字体“SimSun”（中文）：未安装：PDF 中改用“Noto Serif CJK SC”" in result.output
        assert "正常  字体“Arial”（西文）：已安装" in lines
        assert "正常  字体“Times New Roman”（西文）：未安装：PDF 中改用字宽相同的“Liberation Serif”，换行和分页与原字体一致" in lines
        assert any(line.startswith("要让 PDF 用回模板原本的字体（") and "fc-cache -f" in line for line in lines)
    assert sum("fc-cache" in line for line in lines) == 1  # the way out, said once
    assert mixed_lines(result.output, lang) == []


def test_the_pdf_step_warns_once_a_run_not_once_a_document(fc_match, pdf_writing_soffice, tmp_path):
    soffice = pdf_writing_soffice
    documents = [shutil.copyfile(builtin_dir() / "monthly-team.zh.docx", tmp_path / f"{name}.docx")
                 for name in ("一组", "二组", "三组")]
    for lang, said in (("en", "“SimSun” (set in “Noto Serif CJK SC”)"), ("zh", "“SimSun”（改用“Noto Serif CJK SC”）")):
        result = run("pdf", *documents, "-o", tmp_path / lang, "--soffice", soffice, lang=lang)
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.output.splitlines() if "SimSun" in line]
        assert len(warnings) == 1 and said in warnings[0] and "SimHei" in warnings[0], result.output
        assert "Arial" not in warnings[0]  # one the machine has is not named
        assert mixed_lines(result.output, lang) == []


def test_the_warning_says_how_to_install_the_fonts_or_pick_others(fc_match):
    warning = machine.substituted_fonts({"SimSun": True, "SimHei": True, "Arial": False})
    english, chinese = warning.in_language("en"), warning.in_language("zh")
    assert english.startswith("Warning: ") and "fc-cache -f" in english and "docgen templates copy" in english
    assert chinese.startswith("警告：") and "C:\\Windows\\Fonts" in chinese and "--variant" in chinese
    assert mixed_lines(english, "en") == [] and mixed_lines(chinese, "zh") == []
    assert machine.substituted_fonts({"Arial": False}) is None


def test_a_batch_with_pdfs_warns_once_in_the_language_of_its_workbooks(fc_match, pdf_writing_soffice, tmp_path):
    soffice = pdf_writing_soffice
    folder = Path(__file__).resolve().parents[1] / "sample_inputs" / "2026-10-华东销售一组-个人月报"
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(tmp_path / "out"), "--today", "2026-11-02",
                                       "--pdf", "--soffice", str(soffice)],
                                env={"DOCGEN_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None})
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "SimSun" in line]
    assert len(warnings) == 1 and warnings[0].startswith("警告：这台机器没有报告所用的字体"), result.output
    assert mixed_lines(result.output, "zh") == []


def test_a_font_of_the_same_widths_stands_in_without_a_warning(fc_match):
    # Liberation Serif is made to Times New Roman's widths: lines and pages break as in Word.
    [match] = machine.match_fonts({"Times New Roman": False})
    assert match.substituted and match.same_widths and not match.replaced
    assert machine.substituted_fonts({"Times New Roman": False, "Arial": False}) is None
    [check] = machine.font_checks({"Times New Roman": False})
    assert check.ok and not check.warning and "same character widths" in check.detail.in_language("en")
    # Where another is set in a font of other widths, the way out names the free fonts of the same widths.
    warning = machine.substituted_fonts({"Calibri": False, "Times New Roman": False})
    assert "“Calibri” (set in" in warning.in_language("en") and "“Times New Roman” (set in" not in warning.in_language("en")
    assert "fonts-crosextra-carlito" in warning.in_language("en") and "字宽相同" in warning.in_language("zh")
    assert "fonts-liberation2" not in machine.substituted_fonts({"SimSun": True}).in_language("en")
