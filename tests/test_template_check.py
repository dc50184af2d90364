"""templates check: each fault a person makes in Word is found, with its place; the built-ins have none."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from docgen.errors import TemplateError
from docgen.word.library import builtin_templates
from docgen.word.reference import reference_context, variable_reference
from docgen.word.template_check import ERROR, INFO, WARNING, check_template


@pytest.fixture
def make_template(tmp_path):
    """make_template(body=[…], header=None, table=None, name=…) -> .docx; a list item splits a paragraph into runs."""

    def make(body=(), *, header=None, footer=None, table=None, name="mine.docx"):
        document = docx.Document()
        for item in body:
            paragraph = document.add_paragraph()
            for run in [item] if isinstance(item, str) else item:
                paragraph.add_run(run)
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, text in enumerate(row):
                    grid.cell(r, c).text = text
        if header is not None:
            document.sections[0].header.paragraphs[0].text = header
        if footer is not None:
            document.sections[0].footer.paragraphs[0].text = footer
        path = tmp_path / name
        document.save(path)
        return path

    return make


def found(path, code=None, **kwargs):
    problems = check_template(path, **kwargs)
    return [p for p in problems if code is None or p.code == code]


def only(path, code):
    problems = found(path, code)
    assert len(problems) == 1, [str(p) for p in check_template(path)]
    return problems[0]


@pytest.mark.parametrize("path", builtin_templates(), ids=lambda p: p.name)
def test_the_builtin_templates_have_no_problems(path):
    assert [str(p) for p in check_template(path) if p.severity != INFO] == []


def test_a_jinja_syntax_error_is_found_in_its_paragraph(make_template):
    problem = only(make_template(["第一段", "{{ report.title + }}", "第三段"]), "syntax")
    assert problem.severity == ERROR
    assert (problem.location.part, problem.location.paragraph) == ("body", "{{ report.title + }}")
    assert "Jinja syntax error" in str(problem)


def test_a_tag_left_open_is_found_where_it_starts(make_template):
    problem = only(make_template(["坏标签 {{ report.title ", "下一段 }}"]), "syntax")
    assert problem.location.paragraph == "坏标签 {{ report.title "
    assert "not closed with “}}” in this paragraph" in problem.message


def test_all_problems_are_reported_at_once_across_body_header_and_footer(make_template):
    path = make_template(
        ["{{ report.titel }}", "{{ report.title|mony }}", "{{ intro + }}"],
        header="{{ report.organisation }}",
        footer="｛｛ report.period_label ｝｝",
    )
    problems = check_template(path)
    assert sorted((p.code, p.location.part) for p in problems) == [
        ("full-width", "footer"), ("syntax", "body"), ("unknown-filter", "body"),
        ("unknown-variable", "body"), ("unknown-variable", "header"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "tag, wrong, right",
    [
        ("{{ report.titel }}", "report.titel", "report.title"),
        ("{{ Report.title }}", "Report", "report"),
        ("{{ targets.summery }}", "targets.summery", "targets.summary"),
        ("{% if market_shares.present %}x{% endif %}", "market_shares", "market_share"),
        ("{{ charts.trnd }}", "charts.trnd", "charts.trend"),
    ],
)
def test_unknown_variables_come_with_the_nearest_name(make_template, tag, wrong, right):
    problem = only(make_template([tag]), "unknown-variable")
    assert f"“{wrong}” is not a variable of the report (did you mean “{right}”" in problem.message


def test_loop_variables_are_checked_against_the_rows_they_stand_for(make_template):
    path = make_template(
        table=[
            ["{%tr for row in targets.rows %}", ""],
            ["{{ row.indicator }}", "{{ row.acheivement }}"],
            ["{%tr endfor %}", ""],
        ]
    )
    problem = only(path, "unknown-variable")
    assert "did you mean “row.achievement”?" in problem.message
    assert problem.location.part == "body, table 1 row 2 column 2"
    assert problem.location.paragraph == "{{ row.acheivement }}"


def test_filtered_loops_and_set_variables_are_known(make_template):
    path = make_template(
        [
            '{%p for row in problems.rows|rejectattr("kind")|list %}',
            "{{ row.sentence }}{% set who = report.author %}{{ who }}",
            "{%p endfor %}",
            "{{ row_count }}",
        ]
    )
    problems = found(path)
    assert [(p.code, p.location.paragraph) for p in problems] == [("unknown-variable", "{{ row_count }}")]


def test_unknown_filters_and_tags_come_with_the_nearest_name(make_template):
    path = make_template(["{{ 0.1|percnt }}", "{% iff report.title %}x{% endif %}"])
    problems = {p.code: p for p in check_template(path)}
    assert "“percnt” that does not exist (did you mean “percent”?)" in problems["unknown-filter"].message
    assert "unknown tag “iff” (did you mean “if”?)" in problems["syntax"].message


def test_full_width_braces_and_percent_typed_by_a_chinese_input_method(make_template):
    path = make_template(["｛｛ report.title ｝｝", "{％p if intro ％}", "达成率95％，正常文字"])
    problems = found(path, "full-width")
    assert [p.location.paragraph for p in problems] == ["｛｛ report.title ｝｝", "{％p if intro ％}"]
    assert "type “{{ report.title }}”" in problems[0].hint
    assert "type “{%p if intro %}”" in problems[1].hint


def test_a_p_tag_must_be_alone_in_its_paragraph(make_template):
    problem = only(make_template(["{%p if intro %} 这句话会被删掉", "{{ intro }}", "{%p endif %}"]), "tag-kind")
    assert problem.severity == WARNING
    assert "also holds other text, which is dropped" in problem.message
    assert problem.location.paragraph == "{%p if intro %} 这句话会被删掉"


def test_tr_tags_outside_a_table_and_two_in_one_row(make_template):
    outside = found(make_template(["{%tr for row in targets.rows %}", "{{ row.indicator }}", "{%tr endfor %}"]))
    assert [(p.code, p.location.paragraph) for p in outside] == [
        ("tag-kind", "{%tr for row in targets.rows %}"), ("tag-kind", "{%tr endfor %}"),
    ]  # fmt: skip
    assert all("stands outside a table" in p.message for p in outside)
    same_row = make_template(table=[["{%tr for row in targets.rows %}", "{%tr endfor %}"]], name="row.docx")
    problem = only(same_row, "tag-kind")
    assert "opens and closes in the same table row" in problem.message
    assert problem.location.part == "body, table 1 row 1 column 2"


def test_p_tags_opened_and_closed_with_different_kinds_or_cells(make_template):
    mixed = only(make_template(["{%p if intro %}", "{{ intro }}", "{% endif %}"]), "tag-kind")
    assert "both tags need the same kind" in mixed.message and "Write {%p endif %}" in mixed.hint
    cells = make_template(table=[["{%p if intro %}"], ["{%p endif %}"]])
    problem = only(cells, "tag-kind")
    assert "opens in one table cell and closes in another" in problem.message
    assert problem.location.part == "body, table 1 row 2 column 1"


def test_a_plain_block_over_several_paragraphs_should_be_a_p_block(make_template):
    problem = only(make_template(["{% if intro %}", "{{ intro }}", "{% endif %}"]), "tag-kind")
    assert problem.severity == WARNING and "needs {%p … %} tags" in problem.hint


def test_blocks_never_closed_or_closed_twice(make_template):
    problems = found(make_template(["{%p if intro %}", "{{ intro }}", "{%p endfor %}", "{% endif %}"]))
    messages = [p.message for p in problems]
    assert any("“{%p endfor %}” closes {% for %} but the open block is the {% if %}" in m for m in messages)
    assert not any("never closed" in m for m in messages)
    never = only(make_template(["{%p for row in actions.rows %}", "{{ row.action }}"]), "block-not-closed")
    assert never.location.paragraph == "{%p for row in actions.rows %}"


def test_what_word_does_to_a_tag_is_a_warning_not_an_error(make_template):
    path = make_template(["{% p if intro %}", "{{ intro }}", "{%p If intro %}", "{%p endif %}", "{%p endif %}"])
    problems = found(path)
    assert {p.severity for p in problems} == {WARNING}
    assert [p.code for p in problems] == ["tag-kind", "tag-kind"]
    assert "AutoCorrect" in problems[1].hint


def test_styles_used_but_not_defined(make_template, tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("公司简介")
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = "CompanyIntro"
    document.save(tmp_path / "styled.docx")
    problem = only(tmp_path / "styled.docx", "missing-style")
    assert "uses the style “CompanyIntro”, which the template does not define" in problem.message
    assert problem.location.paragraph == "公司简介"


def test_split_tags_are_noted_not_faulted(make_template):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("{{ report.")
    marked = paragraph.add_run("title")
    marked.font.highlight_color = WD_COLOR_INDEX.YELLOW
    paragraph.add_run(" }}")
    path = Path(make_template([]).parent / "split.docx")
    document.save(path)
    problem = only(path, "split-tag")
    assert problem.severity == INFO and "split over 3 runs" in problem.message


def test_a_file_that_is_not_a_template_is_one_clear_error(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("no zip")
    with pytest.raises(TemplateError) as caught:
        check_template(fake)
    assert "is not a readable Word .docx file" in str(caught.value)


def test_the_reference_context_holds_every_section_with_rows():
    context = reference_context("zh")
    for key in ("targets", "trend", "review", "market", "team", "reconcile"):
        assert context[key]["rows"], key
    assert context["findings"]["rows"] and context["market_share"]["present"]
    lines = dict(variable_reference(context))
    assert lines["report.title"].startswith("“") and "targets.rows[].achievement" in lines
    assert lines["charts.trend"] == "“”"
    assert lines["targets.present"] == "True"


def test_a_trial_render_past_a_limit_is_a_limit_error_at_its_paragraph(make_template):
    path = make_template(["{{ report.title }}", "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
                          "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"])  # fmt: skip
    (problem,) = found(path, "limit")
    assert problem.severity == ERROR
    assert problem.location.part == "body" and problem.location.paragraph.startswith("{% set ns = namespace")
    assert problem.message.startswith("a trial render fails: the template tries something the sandbox forbids")


def test_a_trial_render_runs_every_tag_whatever_the_context_lacks(make_template):
    # A variable docgen does not give is reported as such, not as a limit; one only a workbook gives runs too.
    path = make_template(["{% if report.title %}{{ 'x'.center(10**9) }}{% endif %}"])
    assert [problem.code for problem in check_template(path)] == ["limit"]


def test_batch_and_merge_refuse_before_starting_a_template_past_a_limit(make_template):
    from docgen.word.template_check import refuse_broken_template

    with pytest.raises(TemplateError, match="the template cannot be used: a trial render fails: "):
        refuse_broken_template(make_template(["{{ lipsum(10**6) }}"]))
    # a mistake, not a limit: each record says it
    refuse_broken_template(make_template(["{{ 姓名 }} {{ [1, 2].pop(5) }}"]), sheet="名单", columns=("姓名",))
