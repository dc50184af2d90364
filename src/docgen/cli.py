"""The command line: parses options, calls the library, and turns its errors into messages and exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

import click

from . import __version__, schema
from .errors import DocgenError

EXAMPLE_WORKBOOK = "sample_inputs/华东销售一组-2026年10月-团队月报.xlsx"


class DocgenClickError(click.ClickException):
    """A docgen error as Click prints it: the message alone, no traceback, the error's exit code."""

    def __init__(self, error: DocgenError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def reports_errors(command):
    """Map every DocgenError to its message and exit code, in one place."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DocgenError as error:
            raise DocgenClickError(error) from None

    return wrapper


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-11-02, found “{value}”") from None


def report_options(command):
    """The options every command that makes a report shares."""
    options = [
        click.option(
            "--period",
            type=click.Choice(schema.PERIODS),
            help="The report's period; overrides the info sheet's 周期 / Period.",
        ),
        click.option(
            "--level",
            type=click.Choice(schema.LEVELS),
            help="The report's level; overrides the info sheet's 层级 / Level.",
        ),
        click.option(
            "--lang",
            type=click.Choice(schema.LANGUAGES),
            help="The report's language; overrides the info sheet's 语言 / Language.",
        ),
        click.option(
            "--template",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Use this .docx template instead of the built-in library's.",
        ),
        click.option(
            "--today",
            callback=_date,
            metavar="YYYY-MM-DD",
            help="The date the report is made on (default: today).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=f"Example:\n\n\b\n  docgen render {EXAMPLE_WORKBOOK} -o out/report.docx",
)
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """Turn a sales team's Excel workbook into a finished Word sales work summary (销售工作总结)."""


def pdf_options(command):
    """--pdf and --soffice, for every command that writes reports."""
    command = click.option(
        "--soffice",
        type=click.Path(path_type=Path),
        envvar="DOCGEN_SOFFICE",
        help="LibreOffice's soffice program (default: $DOCGEN_SOFFICE, then PATH, then the usual places).",
    )(command)
    return click.option("--pdf", is_flag=True, help="Also write a PDF copy beside each report (needs LibreOffice).")(
        command
    )


@main.command(
    epilog=(
        "Examples:\n\n\b\n"
        f"  docgen render {EXAMPLE_WORKBOOK} -o out/report.docx\n"
        f"  docgen render {EXAMPLE_WORKBOOK} -o out/report.docx --pdf\n"
        "  docgen render 张三.xlsx --period monthly --level individual --lang zh\n"
        "  docgen render team.xlsx --template my-template.docx -o out/team.docx --force"
    )
)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the .docx (default: the workbook's name, .docx, in this folder).",
)
@report_options
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@pdf_options
@reports_errors
def render(workbook: Path, output: Path | None, period, level, lang, template, today, force, pdf, soffice):
    """Render one WORKBOOK into a Word report.

    The period, level and language come from the workbook's info sheet
    (报告信息 / Report info) unless given here; the template is the built-in
    one for them unless --template names another. The input is never
    modified; the output is written whole or not at all.
    """
    from .report import render_workbook

    output = output or Path(workbook.with_suffix(".docx").name)
    converter = _find_converter(soffice) if pdf else None
    result = render_workbook(
        workbook,
        output,
        period=period,
        level=level,
        lang=lang,
        template=template,
        force=force,
        today=today,
    )
    settings = result.settings
    click.echo(
        f"Wrote {result.output} ({settings.period}, {settings.level}, {settings.lang}; "
        f"template: {settings.template.path.name}, {settings.template.reason})."
    )
    if pdf:
        _write_pdf(result.output, converter)


def _find_converter(soffice: Path | None):
    """Find LibreOffice before any work, so a missing one is said at once; the .docx is still written."""
    from .pdf import find_soffice

    try:
        return find_soffice(soffice)
    except DocgenError as error:
        click.echo(f"Warning: no PDF copies: {error}", err=True)
        return error


def _write_pdf(docx_path: Path, converter) -> None:
    from .pdf import convert_to_pdf

    if isinstance(converter, DocgenError):
        raise converter
    pdf = convert_to_pdf(docx_path, docx_path.parent, soffice=converter)
    click.echo(f"Wrote {pdf}.")


@main.command(epilog="Examples:\n\n\b\n  docgen pdf out/团队月报.docx\n  docgen pdf out/*.docx -o out/pdf")
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs (default: beside each document).",
)
@click.option("--timeout", type=float, default=120, show_default=True, help="Seconds one conversion may take.")
@click.option(
    "--soffice",
    type=click.Path(path_type=Path),
    envvar="DOCGEN_SOFFICE",
    help="LibreOffice's soffice program (default: $DOCGEN_SOFFICE, then PATH, then the usual places).",
)
@reports_errors
def pdf(documents: tuple[Path, ...], output_dir: Path | None, timeout: float, soffice: Path | None):
    """Convert Word DOCUMENTS to PDF with LibreOffice, one after another."""
    from .pdf import convert_to_pdf, find_soffice

    program = find_soffice(soffice)
    failed = 0
    for document in documents:
        try:
            written = convert_to_pdf(document, output_dir or document.parent, soffice=program, timeout=timeout)
        except DocgenError as error:
            failed += 1
            click.echo(f"Error: {error}", err=True)
        else:
            click.echo(f"Wrote {written}.")
    if failed:
        raise SystemExit(1)


@main.command(epilog="Example:\n\n\b\n  docgen preview out/团队月报.docx -o out/pages")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the page images.",
)
@click.option("--dpi", type=click.IntRange(20, 600), default=80, show_default=True, help="Image resolution.")
@click.option(
    "--soffice",
    type=click.Path(path_type=Path),
    envvar="DOCGEN_SOFFICE",
    help="LibreOffice's soffice program (default: $DOCGEN_SOFFICE, then PATH, then the usual places).",
)
@reports_errors
def preview(document: Path, output_dir: Path, dpi: int, soffice: Path | None):
    """Write one PNG per page of DOCUMENT (a .docx or .pdf), to look at without Word."""
    from .pdf import preview_pages

    pages = preview_pages(document, output_dir, dpi=dpi, soffice=soffice)
    click.echo(f"Wrote {len(pages)} page image{'s' if len(pages) != 1 else ''} to {output_dir}.")


@main.command(epilog="Example:\n\n\b\n  docgen doctor")
@click.option(
    "--soffice",
    type=click.Path(path_type=Path),
    envvar="DOCGEN_SOFFICE",
    help="LibreOffice's soffice program to check.",
)
@reports_errors
def doctor(soffice: Path | None):
    """Check what docgen needs: LibreOffice, Chinese fonts, poppler, templates and libraries."""
    from .library import builtin_dir, builtin_templates
    from .pdf import doctor as run_checks

    checks = run_checks(soffice)
    for check in checks:
        click.echo(f"{'ok ' if check.ok else 'MISSING'}  {check.name}: {check.detail}")
    count = len(builtin_templates())
    click.echo(f"{'ok ' if count else 'MISSING'}  built-in templates: {count} in {builtin_dir()}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
