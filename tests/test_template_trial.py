"""templates check --workbook: a trial render against a workbook finds a failure and every tag left literal."""

from __future__ import annotations

import docx
import pytest

from docgen.runs.template_trial import check_with_workbook
from docgen.word.library import builtin_templates


@pytest.fixture
def make_template(tmp_path):
    """make_template([paragraph, …], header=None) -> a .docx with those paragraphs."""

    def make(body, *, header=None):
        document = docx.Document()
        for text in body:
            document.add_paragraph(text)
        if header is not None:
            document.sections[0].header.paragraphs[0].text = header
        path = tmp_path / "mine.docx"
        document.save(path)
        return path

    return make


def test_with_a_workbook_tags_left_literally_in_the_output_are_found(make_template, make_workbook, minimal_sheets):
    workbook = make_workbook(minimal_sheets)
    # Braces typed with a space between them are no tag to Jinja: they come out as typed.
    path = make_template(["{{ report.title }}", "目标：{ { intro } }"], header="{{ report.organization }}")
    problems = check_with_workbook(path, workbook)
    assert [p.code for p in problems] == ["literal-tag", "literal-tag"]
    assert problems[0].location.paragraph == "目标：{ { intro } }" and problems[0].location.part == "body"
    assert "rendered from in.xlsx" in problems[0].location.file
    assert "still shows “{ {”" in problems[0].message and "still shows “} }”" in problems[1].message


def test_with_a_workbook_a_render_failure_is_reported(make_template, make_workbook, minimal_sheets):
    workbook = make_workbook(minimal_sheets)
    path = make_template(["{{ intro + 1 }}"])
    problems = [p for p in check_with_workbook(path, workbook) if p.code == "render"]
    assert len(problems) == 1 and "rendering against in.xlsx fails" in problems[0].message


def test_the_builtins_render_the_sample_with_nothing_left_over(make_workbook, minimal_sheets):
    workbook = make_workbook(minimal_sheets)
    monthly = next(p for p in builtin_templates() if p.name == "monthly-team.zh.docx")
    assert check_with_workbook(monthly, workbook) == []
