"""docgen workbook new: the blank input workbook to hand to salespeople."""

from __future__ import annotations

from pathlib import Path

import json

import click

from docgen.input import schema
from .app import main
from .common import EXAMPLE_WORKBOOK, reports_errors


@main.group(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen workbook new --period monthly --level team --lang zh -o 团队月报.xlsx\n"
        f"  docgen workbook show {EXAMPLE_WORKBOOK}"
    )
)
def workbook() -> None:
    """Input workbooks: make a blank one to fill in, or see what docgen reads in one."""


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
    from docgen.input.blank import blank_settings, sections_for, write_blank_workbook

    settings = blank_settings(period, level, lang, start.date() if start else None)
    path = write_blank_workbook(output, settings, force=force)
    sheets = len(sections_for(period, level))
    from docgen.text.messages import message_language, say

    from .common import word

    wrote = say(
        "cli.wrote_workbook",
        path=path,
        period=word("period", period),
        level=word("level", level),
        lang=word("lang", lang),
        start=settings.start.isoformat(),
        end=settings.end.isoformat(),
        count=sheets,
    )
    click.echo(wrote.in_language(message_language()))


@workbook.command(
    epilog=(
        "Examples:\n\n\b\n"
        f"  docgen workbook show {EXAMPLE_WORKBOOK}\n"
        f"  docgen workbook show {EXAMPLE_WORKBOOK} --sheet 目标达成\n"
        "  docgen workbook show 2026-10.xlsx --json > seen.json\n\n"
        "Exit codes: 0 shown (also when the workbook has problems: they are listed); 2 bad usage, "
        "a file that cannot be read, or no such sheet. docs/workbook-show.md explains the JSON format."
    )
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", "sheet_name", metavar="NAME", help="Show this sheet only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (format: docs/workbook-show.md).")
@click.option("--lang", type=click.Choice(schema.LANGUAGES),
              help="The language to tell it in (default: the locale's).")
@reports_errors
def show(file: Path, sheet_name: str | None, as_json: bool, lang: str | None) -> None:
    """Show what docgen reads in FILE: for a user asking "why is my sheet missing?".

    For each sheet: its name, whether it is hidden, the section it was taken
    as and why (its name, an alias, a name close to a section's, its headers,
    or not a known section), the header row and which column became which
    field, and every filled cell as read: reference, type, value and whether
    it is shown as a percentage. Problems that would stop a report are listed
    at the end.
    """
    from docgen.input.inspection import inspect_workbook, show_document, show_lines
    from docgen.text.messages import message_language

    language = message_language(lang)
    view = inspect_workbook(file, sheet=sheet_name)
    if as_json:
        click.echo(json.dumps(show_document(view, language), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(show_lines(view, language)))
