"""Rendering: sandboxed, autoescaped docxtpl, and template errors that say where they are."""

import io

import docx
import pytest

from docgen.errors import TemplateError
from docgen.word.ooxml import clean_text
from docgen.word.render import render_docx


@pytest.fixture
def make_template(tmp_path):
    """make_template(body_paragraphs, header=None) -> path of a .docx template."""

    def make(paragraphs: list[str], header: str | None = None):
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        if header is not None:
            document.sections[0].header.paragraphs[0].text = header
        path = tmp_path / "template.docx"
        document.save(path)
        return path

    return make


def paragraphs_of(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_renders_variables_into_body_and_header(make_template):
    template = make_template(["报告：{{ report.title }}"], header="{{ report.organization }}")
    data = render_docx(template, {"report": {"title": "十月总结", "organization": "星辰科技"}})
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "报告：十月总结"
    assert document.sections[0].header.paragraphs[0].text == "星辰科技"


def test_values_come_out_literally_and_the_document_stays_valid(make_template):
    hostile = 'A&B <b>x</b> "q" \'s {{ 7*7 }} {% for %} \u202eevil\x07\x0c end'
    data = render_docx(make_template(["{{ value }}"]), {"value": hostile})
    text = paragraphs_of(data)[0]
    assert 'A&B <b>x</b> "q" \'s {{ 7*7 }} {% for %} \u202eevil end' == text
    assert "49" not in text


def test_clean_text_keeps_line_breaks_and_tabs_but_drops_xml_illegal_characters():
    assert clean_text("a\r\nb\tc\x00d\ufffe") == "a\nb\tcd"


def test_a_syntax_error_names_the_part_and_paragraph(make_template):
    template = make_template(["第一段", "坏标签 {{ report.title ", "第三段"])
    with pytest.raises(TemplateError) as caught:
        render_docx(template, {"report": {"title": "x"}})
    message = str(caught.value)
    assert "template.docx" in message and "syntax error" in message
    assert "body" in message and "坏标签" in message


def test_an_unknown_variable_is_named(make_template):
    with pytest.raises(TemplateError) as caught:
        render_docx(make_template(["{{ report.titel }}"]), {"report": {"title": "x"}})
    assert "titel" in str(caught.value)
    assert "template-variables" in str(caught.value)


@pytest.mark.parametrize(
    "attack",
    [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__ }}",
        "{{ report|attr('__class__') }}",
    ],
)
def test_code_execution_attempts_are_refused_by_the_sandbox(make_template, attack):
    with pytest.raises(TemplateError) as caught:
        render_docx(make_template([attack]), {"report": {"title": "x"}})
    assert "sandbox forbids" in str(caught.value)


def test_huge_ranges_are_refused(make_template):
    with pytest.raises(TemplateError):
        render_docx(make_template(["{% for i in range(10**10) %}x{% endfor %}"]), {})


def test_a_file_that_is_not_a_docx_is_refused(tmp_path):
    fake = tmp_path / "template.docx"
    fake.write_text("not a zip")
    with pytest.raises(TemplateError) as caught:
        render_docx(fake, {})
    assert "not a Word .docx file" in str(caught.value)


# -- templates as people edit them in Word or LibreOffice --------------------------------


@pytest.fixture
def edited_template(tmp_path):
    """edited_template([[run, run, …] or (run, {"bold": True, …}), …], header_runs=None, cell_runs=None) -> .docx.

    Each paragraph is a list of runs, as Word leaves a tag whose letters were
    formatted, corrected or typed at different times.
    """
    from docx.shared import RGBColor

    def make(paragraphs, header_runs=None, cell_runs=None):
        document = docx.Document()

        def fill(paragraph, runs):
            for run in runs:
                text, look = (run, {}) if isinstance(run, str) else run
                added = paragraph.add_run(text)
                added.bold = look.get("bold")
                if "colour" in look:
                    added.font.color.rgb = RGBColor.from_string(look["colour"])

        for runs in paragraphs:
            fill(document.add_paragraph(), runs)
        if header_runs:
            fill(document.sections[0].header.paragraphs[0], header_runs)
        if cell_runs:
            fill(document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0], cell_runs)
        path = tmp_path / "edited.docx"
        document.save(path)
        return path

    return make


CONTEXT = {"report": {"title": "十月总结", "organization": "星辰科技", "lang": "zh"}, "intro": "引言正文"}


def rendered(path, context=CONTEXT):
    document = docx.Document(io.BytesIO(render_docx(path, context)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs], cells, document.sections[0].header.paragraphs[0].text


def test_a_tag_split_over_runs_renders(edited_template):
    path = edited_template([["标题：{", "{ rep", "ort.ti", "tle }", "}"], ["{%", "p if ", "intro %}"], ["{{ intro }}"], ["{%p end", "if %}"]])
    assert rendered(path)[0] == ["标题：十月总结", "引言正文"]


def test_bold_or_colour_inside_a_tag_renders_in_the_tags_first_formatting(edited_template):
    path = edited_template([["{{ report.", ("title", {"bold": True, "colour": "C00000"}), " }}"]])
    document = docx.Document(io.BytesIO(render_docx(path, CONTEXT)))
    assert document.paragraphs[0].text == "十月总结"
    assert document.paragraphs[0].runs[0].bold is None  # the first run's look


def test_smart_quotes_inside_a_tag_are_read_as_straight_quotes(edited_template):
    path = edited_template([["{{ report.title|replace(“十月”, ‘10月’) }}"], ["{%p if report.lang == “zh” %}"], ["中文"], ["{%p endif %}"]])
    assert rendered(path)[0] == ["10月总结", "中文"]


def test_tags_moved_into_a_table_cell_or_the_header_render(edited_template):
    path = edited_template([["正文"]], header_runs=["{{ report.", "organization }}"], cell_runs=["{{ ", "intro }}"])
    paragraphs, cells, header = rendered(path)
    assert cells == ["引言正文"] and header == "星辰科技"


def test_what_autocorrect_and_input_methods_do_inside_tags_is_undone(edited_template):
    # "{% p if" typed with a space, a capitalised keyword, no-break and ideographic spaces.
    path = edited_template([["{% p If intro %}"], ["{{\u3000intro\u00a0}}"], ["{% p endif %}"]])
    assert rendered(path)[0] == ["引言正文"]


def test_a_copied_builtin_edited_in_word_still_renders_the_sample(tmp_path):
    """A regional manager's edit: the header tag retyped with bold, the title tag split, quotes made smart."""
    import shutil
    from pathlib import Path

    from docgen.word.library import builtin_dir
    from docgen.runs.report import ReportOptions, build_report
    from docgen.input.workbook import load_workbook

    path = tmp_path / "monthly-team.zh.docx"
    shutil.copyfile(builtin_dir() / "monthly-team.zh.docx", path)
    document = docx.Document(path)
    title = next(p for p in document.paragraphs if p.text == "{{ report.title }}")
    for run in title.runs:
        run.text = ""
    title.runs[0].text = "{{ report.ti"
    title.add_run("tle }}").bold = True
    header = document.sections[0].header.paragraphs[0]
    header.runs[0].text = "{{ report."
    header.add_run("organization }}｜华东区").bold = True
    document.add_paragraph("{{ report.title|replace(“销售”, “营销”) }}")
    document.save(path)

    workbook = load_workbook(Path(__file__).resolve().parents[1] / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx")
    built = build_report(workbook, ReportOptions(template=path, find_previous=False))
    out = docx.Document(io.BytesIO(built.document))
    texts = [p.text for p in out.paragraphs]
    assert "华东销售一组2026年10月销售工作总结" in texts
    assert out.sections[0].header.paragraphs[0].text == "星辰科技有限公司｜华东区"
    assert texts[-1] == "华东营销一组2026年10月营销工作总结"
