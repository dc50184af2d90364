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


@main.command(
    epilog=(
        "Examples:\n\n\b\n"
        f"  docgen render {EXAMPLE_WORKBOOK} -o out/report.docx\n"
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
@reports_errors
def render(workbook: Path, output: Path | None, period, level, lang, template, today, force):
    """Render one WORKBOOK into a Word report.

    The period, level and language come from the workbook's info sheet
    (报告信息 / Report info) unless given here; the template is the built-in
    one for them unless --template names another. The input is never
    modified; the output is written whole or not at all.
    """
    from .report import render_workbook

    output = output or Path(workbook.with_suffix(".docx").name)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
