"""docgen workbook new: the blank input workbook to hand to salespeople."""

from __future__ import annotations

from pathlib import Path

import json

import click

from .app import main
from .common import LANGUAGE, LEVEL, PERIOD, reports_errors

# Help, examples and each option's help: the catalogue's [workbook], [workbook.new] and [workbook.show]
# (text/phrases/cli.*.toml).


@main.group()
def workbook() -> None:
    pass


@workbook.command()
@click.option("--period", type=PERIOD, required=True)
@click.option("--level", type=LEVEL, required=True)
@click.option("--lang", type=LANGUAGE, default="zh", show_default=True)
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--force", is_flag=True)
@reports_errors
def new(period: str, level: str, lang: str, start, output: Path, force: bool) -> None:
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


@workbook.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", "sheet_name", metavar="NAME")
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=LANGUAGE)
@reports_errors
def show(file: Path, sheet_name: str | None, as_json: bool, lang: str | None) -> None:
    from docgen.input.inspection import inspect_workbook, show_document, show_lines
    from docgen.text.messages import message_language

    language = lang or message_language()
    view = inspect_workbook(file, sheet=sheet_name)
    if as_json:
        click.echo(json.dumps(show_document(view, language), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(show_lines(view, language)))
