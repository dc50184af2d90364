"""docgen render: one workbook into one report."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.errors import DocgenError
from docgen.text.language import is_chinese, workbooks_in_hand
from docgen.text.messages import message_language, say
from .app import main
from .common import (
    check_options,
    check_paths,
    echo_findings,
    pdf_options,
    report_options,
    reports_errors,
    warn_if_open_in_excel,
    warn_of_substituted_fonts,
    with_library,
    word,
)

@main.command()  # help, examples and each option's help: the catalogue's [render] (text/phrases/cli.*.toml)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path))
@report_options
@click.option("--force", is_flag=True)
@check_options
@click.option("--findings-appendix", is_flag=True)
@pdf_options
@reports_errors
def render(
    workbook: Path, output: Path | None, period, level, lang, template, today, force, previous, no_previous, strict,
    findings_appendix, pdf, soffice,
):
    from docgen.runs.report import ReportOptions, render_workbook

    check_paths(read=(workbook, template, previous), write=(output,))
    # Before the workbook is read, a Chinese file name is all there is to go by for its language (as batch does).
    with workbooks_in_hand("zh" if is_chinese(workbook.name) else None):
        converter = _find_converter(soffice) if pdf else None
    options = ReportOptions(
        period=period,
        level=level,
        lang=lang,
        template=template,
        today=today,
        previous=previous,
        find_previous=not no_previous,
        strict=strict,
        findings_appendix=findings_appendix,
    )
    result = render_workbook(workbook, output, with_library(options), force=force)
    settings = result.settings
    told = message_language(settings.lang)  # the interface's; the workbook's when the system names none
    warn_if_open_in_excel(workbook, lang=settings.lang)
    echo_findings(result.check.findings_in(told), told)
    if result.check.previous is not None:
        click.echo(say("cli.reviewed", path=result.check.previous).in_language(told))
    wrote = say(
        "cli.wrote_report",
        path=result.output,
        period=word("period", settings.period),
        level=word("level", settings.level),
        lang=word("lang", settings.lang),
        template=settings.template.path.name,
        reason=settings.template.reason,
    )
    click.echo(wrote.in_language(told))
    if pdf:
        _write_pdf(result.output, converter, settings.lang)


def _find_converter(soffice: Path | None):
    """Find LibreOffice before any work, so a missing one is said at once; the .docx is still written."""
    from docgen.output.pdf import find_soffice

    try:
        return find_soffice(soffice)
    except DocgenError as error:
        told = message_language()
        click.echo(say("cli.no_pdf", error=error.text(told)).in_language(told), err=True)
        return error


def _write_pdf(docx_path: Path, converter, lang: str) -> None:
    """The report's PDF, said of in the same language as the report's own lines (`lang`: the report's)."""
    from docgen.output.pdf import convert_to_pdf

    try:
        if isinstance(converter, DocgenError):
            raise converter
        pdf = convert_to_pdf(docx_path, docx_path.parent, soffice=converter)
    except DocgenError as error:
        error.lang = error.lang or lang
        raise
    told = message_language(lang)
    click.echo(say("cli.wrote", path=pdf).in_language(told))
    warn_of_substituted_fonts([docx_path], told)
