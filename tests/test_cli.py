"""The command line, end to end: sample workbooks in, Word reports out, reopened and read."""

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen import __version__
from docgen.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
TEAM_ZH = SAMPLES / "华东销售一组-2026年10月-团队月报.xlsx"
INDIVIDUAL_EN = SAMPLES / "alex-chen-2026-10-individual-monthly.xlsx"
DEPARTMENT_ZH = SAMPLES / "华东大区-2026年10月-部门月报.xlsx"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def render(workbook, out: Path, *extra):
    result = run("render", workbook, "-o", out, "--today", "2026-11-02", *extra)
    assert result.exit_code == 0, result.output
    return docx.Document(out)


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading") and p.text]


def table_with(document, first_cell):
    """The first table with a row that starts with this text."""
    for table in document.tables:
        if any(row.cells[0].text == first_cell for row in table.rows):
            return table
    raise AssertionError(f"no table has a row starting with {first_cell!r}")


def row_with(table, first_cell):
    for row in table.rows:
        if row.cells[0].text == first_cell:
            return [cell.text for cell in row.cells]
    raise AssertionError(f"no row starts with {first_cell!r}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def team_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("team") / "团队月报.docx"
    before = digest(TEAM_ZH)
    document = render(TEAM_ZH, out)
    assert digest(TEAM_ZH) == before, "the input workbook was modified"
    return document


def test_version_and_help_show_examples():
    assert run("--version").output.strip() == f"docgen, version {__version__}"
    for args in (["--help"], ["render", "--help"]):
        result = run(*args)
        assert result.exit_code == 0
        assert "Example" in result.output and "docgen render" in result.output


def test_team_report_has_the_summary_structure(team_report):
    names = headings(team_report)
    for heading in ("引言", "目标达成情况", "客户资源管理", "问题与反思", "下期计划", "结语", "成员贡献"):
        assert any(heading in name for name in names), (heading, names)
    # A summary looks back before it plans ahead.
    assert _index(names, "目标达成情况") < _index(names, "问题与反思") < _index(names, "下期计划")


def _index(names, wanted):
    return next(i for i, name in enumerate(names) if wanted in name)


def test_team_report_carries_its_own_title_and_author(team_report):
    properties = team_report.core_properties
    assert (properties.title, properties.author) == ("华东销售一组2026年10月销售工作总结", "王芳")


def test_team_report_states_the_figures_in_words(team_report):
    text = body_text(team_report)
    assert "华东销售一组" in text and "2026年10月" in text
    # 1152 / 1200 = 96.0%; 1152 / 1080 - 1 = 6.7% on the previous month.
    assert "96.0%" in text
    assert "6.7%" in text
    assert "两家大客户合同签约推迟" in text  # the reason the sales target was missed
    assert "老客户转介绍" in text  # the channel far ahead: 28 / 80 = 35.0%
    assert "35.0%" in text
    assert "inf" not in text and "nan" not in text.lower().replace("nanjing", "")


def test_team_report_core_indicator_table(team_report):
    table = table_with(team_report, "销售额")
    sales = row_with(table, "销售额")
    assert any("1,200" in cell for cell in sales) and any("1,152" in cell for cell in sales)
    assert "96.0%" in sales
    churn = row_with(table, "客户流失率")
    assert any("4.2%" in cell for cell in churn)


def test_team_part_stands_in_its_own_section(team_report):
    assert len(team_report.sections) >= 2
    last = team_report.sections[-1]
    header = " ".join(p.text for p in last.header.paragraphs)
    first_header = " ".join(p.text for p in team_report.sections[0].header.paragraphs)
    assert "团队贡献" in header and header != first_header
    table = table_with(team_report, "李明")
    li_ming = row_with(table, "李明")
    assert "18.2%" in li_ming  # 210 of 1,152


def test_an_unknown_sheet_becomes_its_own_section(team_report):
    assert "重点项目" in headings(team_report)
    table = table_with(team_report, "新能源产线配套")
    assert row_with(table, "新能源产线配套")[1] == "常州天宇新能源"


def test_english_individual_report(tmp_path):
    document = render(INDIVIDUAL_EN, tmp_path / "alex.docx")
    text = body_text(document)
    assert "October 2026" in text and "Alex Chen" in text
    assert "108.6%" in text  # 271,500 of 250,000
    names = headings(document)
    assert "Training" in names  # a sheet docgen does not know
    # The workbook has no trend, market, lessons or reconciliation sheet: no empty headings.
    assert not any(re.search(r"market|lessons|reconcil", n, re.I) for n in names), names
    # The team part says what Alex did for the team once: a lone row is not repeated as a bullet.
    assert sum("coached two new reps" in p.text.lower() for p in document.paragraphs) == 1  # lower-cased mid-sentence


def test_department_report_lists_each_team(tmp_path):
    document = render(DEPARTMENT_ZH, tmp_path / "部门.docx")
    table = table_with(document, "大客户部")
    assert "32.3%" in row_with(table, "大客户部")  # 1,650 of 5,102
    assert "部门建设" in headings(document)
    text = body_text(document)
    assert "完成新员工入职培训12人次。" in text


def test_options_override_the_info_sheet(tmp_path):
    document = render(TEAM_ZH, tmp_path / "en.docx", "--lang", "en", "--level", "department")
    assert "Review of targets" in body_text(document) or "Targets" in body_text(document)


def test_an_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"keep me")
    result = run("render", TEAM_ZH, "-o", out)
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    assert run("render", TEAM_ZH, "-o", out, "--force").exit_code == 0
    assert docx.Document(out).paragraphs[0].text == "华东销售一组2026年10月销售工作总结"


def test_missing_period_and_level_says_how_to_give_them(make_workbook, tmp_path):
    workbook = make_workbook({"目标达成": [["指标", "目标", "实际"], ["销售额", 100, 90]]})
    out = tmp_path / "r.docx"
    result = run("render", workbook, "-o", out)
    assert result.exit_code == 2
    assert "period and level" in result.output and "--period" in result.output
    assert not out.exists()


def test_bad_cells_are_all_reported_with_sheet_and_cell_and_nothing_is_written(
    make_workbook, minimal_sheets, tmp_path
):
    minimal_sheets["目标达成"][1][3] = "一百"  # actual, D2
    minimal_sheets["目标达成"][2][2] = "N/A"  # target, C3
    workbook = make_workbook(minimal_sheets)
    before = digest(workbook)
    out = tmp_path / "r.docx"
    result = run("render", workbook, "-o", out)
    assert result.exit_code == 2
    assert "目标达成" in result.output
    assert "D2" in result.output and "C3" in result.output
    assert "一百" in result.output
    assert not out.exists() and list(tmp_path.glob(".~docgen-*")) == []
    assert digest(workbook) == before


def test_a_file_that_is_not_a_workbook_gives_a_clear_error(tmp_path):
    fake = tmp_path / "报表.xlsx"
    fake.write_text("姓名,销售额\n张三,100\n", encoding="utf-8")
    result = run("render", fake, "-o", tmp_path / "r.docx")
    assert result.exit_code == 2
    assert "报表.xlsx" in result.output


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "docgen", "--version"], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == f"docgen, version {__version__}"


# The team sample converts in test_render_pdf_and_preview, and every period and level in
# test_templates_build: here the English one, through render and convert_to_pdf.
@pytest.mark.parametrize("sample", [INDIVIDUAL_EN], ids=["individual"])
def test_each_sample_report_converts_to_pdf_with_libreoffice(sample, tmp_path, require_soffice):
    import subprocess

    from docgen.output.pdf import convert_to_pdf

    out = tmp_path / "report.docx"
    render(sample, out)
    pdf = convert_to_pdf(out, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    expected = "Targets" if sample == INDIVIDUAL_EN else "目标达成"
    assert expected in text


def test_render_without_output_writes_next_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "input.xlsx"
    shutil.copy(TEAM_ZH, copy)
    result = run("render", copy, "--today", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert docx.Document(tmp_path / "input.docx").paragraphs[0].text == "华东销售一组2026年10月销售工作总结"


def test_render_pdf_without_libreoffice_keeps_the_docx_and_says_how_to_install(tmp_path):
    out = tmp_path / "r.docx"
    result = run(
        "render", TEAM_ZH, "-o", out, "--pdf", "--soffice", tmp_path / "no-such-soffice"
    )
    assert result.exit_code == 2
    assert "libreoffice-writer-nogui" in result.output
    assert docx.Document(out).paragraphs[0].text == "华东销售一组2026年10月销售工作总结"  # the report itself was still written
    assert not out.with_suffix(".pdf").exists()


def test_render_pdf_and_preview(tmp_path, require_soffice):
    out = tmp_path / "团队月报.docx"
    result = run("render", TEAM_ZH, "-o", out, "--pdf", "--today", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True).stdout
    assert "目标达成" in text
    pages = tmp_path / "pages"
    result = run("preview", out.with_suffix(".pdf"), "-o", pages)
    assert result.exit_code == 0, result.output
    images = sorted(pages.glob("*.png"))
    assert len(images) >= 3 and f"Wrote {len(images)} page images" in result.output


def test_doctor_lists_what_docgen_needs():
    result = run("doctor")
    assert result.exit_code == 0
    for item in ("LibreOffice", "fonts for Chinese", "python-docx", "built-in templates"):
        assert item in result.output
