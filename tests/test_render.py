"""Rendering: sandboxed, autoescaped docxtpl, and template errors that say where they are."""

import io

import docx
import pytest

from docgen.errors import TemplateError
from docgen.render import clean_text, render_docx


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
