"""What every command shares: error mapping to exit codes, and the reusable option decorators."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from .. import schema
from ..errors import DocgenError

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


def pdf_options(command):
    """--pdf and --soffice, for every command that writes reports."""
    command = soffice_option(command)
    return click.option("--pdf", is_flag=True, help="Also write a PDF copy beside each report (needs LibreOffice).")(
        command
    )




def soffice_option(command):
    return click.option(
        "--soffice",
        type=click.Path(path_type=Path),
        envvar="DOCGEN_SOFFICE",
        help="LibreOffice's soffice program (default: $DOCGEN_SOFFICE, then PATH, then the usual places).",
    )(command)
