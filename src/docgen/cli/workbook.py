"""docgen workbook new: the blank input workbook to hand to salespeople."""

from __future__ import annotations

from pathlib import Path

import click

from .. import schema
from . import main
from .common import reports_errors


@main.group(
    epilog="Example:\n\n\b\n  docgen workbook new --period monthly --level team --lang zh -o 团队月报.xlsx"
)
def workbook() -> None:
    """Input workbooks: make a blank one to fill in."""


@workbook.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen workbook new --period monthly --level team -o 团队月报.xlsx\n"
        "  docgen workbook new --period weekly --level individual --lang en -o weekly.xlsx\n"
        "  docgen workbook new --period quarterly --level department --start 2026-10-01 -o q4.xlsx"
    )
)
@click.option("--period", type=click.Choice(schema.PERIODS), required=True, help="The report's period.")
@click.option("--level", type=click.Choice(schema.LEVELS), required=True, help="The report's level.")
@click.option("--lang", type=click.Choice(schema.LANGUAGES), default="zh", show_default=True,
              help="The language of the sheet names, headers and hints.")
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="A day of the period the workbook is for (default: the period a report made today would cover).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@reports_errors
def new(period: str, level: str, lang: str, start, output: Path, force: bool) -> None:
    """Write a blank workbook for a PERIOD and LEVEL, ready to fill in.

    It has an instructions sheet, the info sheet pre-filled with the period,
    level and dates, and one sheet per section the report uses, with a hint
    on each header, drop-down lists, number formats and frozen header rows.
    """
    from ..blank import blank_settings, sections_for, write_blank_workbook

    settings = blank_settings(period, level, lang, start.date() if start else None)
    path = write_blank_workbook(output, settings, force=force)
    sheets = len(sections_for(period, level))
    click.echo(f"Wrote {path} ({period}, {level}, {lang}; {settings.start.isoformat()} to "
               f"{settings.end.isoformat()}; {sheets} section sheets).")
