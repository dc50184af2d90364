"""`templates check --workbook`: a template's checks, then a trial render against a workbook like any run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docgen.errors import DocgenError, Location, TemplateError
from docgen.input.workbook import load_workbook
from docgen.runs.report import ReportOptions, build_report
from docgen.text.messages import say
from docgen.word.template_check import ERROR, TemplateProblem, by_severity, check_template, literal_tag_problems


def check_with_workbook(template: Path, workbook: Path, options: ReportOptions | None = None) -> list[TemplateProblem]:
    """Every problem of a template, and, when it has no error, what rendering against the workbook leaves literal.

    `options` are the report options to render with; the template is `template`.
    """
    problems = check_template(template)
    if not any(problem.severity == ERROR for problem in problems):
        problems = by_severity(problems + render_problems(Path(template), Path(workbook), options))
    return problems


def render_problems(template: Path, workbook: Path, options: ReportOptions | None = None) -> list[TemplateProblem]:
    """Render the template against a workbook; a failure, and every tag left literally in the output."""
    options = replace(options or ReportOptions(), template=template, find_previous=False)
    try:
        document = build_report(load_workbook(workbook), options).document
    except TemplateError as error:
        message = say("trial.fails", workbook=workbook.name, message=error.message)
        return [TemplateProblem("render", ERROR, message, error.location, error.hint)]
    except DocgenError as error:
        message = say("trial.cannot_render", workbook=workbook.name, error=error)
        return [TemplateProblem("render", ERROR, message, Location(file=str(workbook)), None)]
    return literal_tag_problems(document, Path(say("trial.rendered_from", template=template.stem, workbook=workbook.name)))
