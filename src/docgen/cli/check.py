"""docgen check: a workbook held to the format rules, its findings printed or given as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from docgen.errors import finding_line
from docgen.text.messages import message_language, say

from .app import main
from .common import (
    LANGUAGE, LEVEL, PERIOD, check_options, check_paths, config_option, reports_errors, warn_if_open_in_excel,
)


@main.command()  # help, examples and each option's help: the catalogue's [check] (text/phrases/cli.*.toml)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", type=PERIOD)
@click.option("--level", type=LEVEL)
@click.option("--lang", type=LANGUAGE)
@check_options
@click.option("--json", "as_json", is_flag=True)
@config_option()
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.pass_context
@reports_errors
def check(ctx, workbook: Path, period, level, lang, previous, no_previous, strict, as_json, config_path, today):
    from docgen.report.checks import count_by_severity, findings_document
    from docgen.runs.config import load_config
    from docgen.runs.report import ReportOptions, check_report
    from docgen.input.workbook import load_workbook

    check_paths(read=(workbook, previous, config_path))
    options = ReportOptions(
        period=period,
        level=level,
        lang=lang,
        today=today.date() if today else None,
        previous=previous,
        find_previous=not no_previous,
        config=load_config(config_path),
    )
    result = check_report(load_workbook(workbook), options)
    warn_if_open_in_excel(workbook, lang=result.lang)  # in the workbook's language where no other is set
    if as_json:
        document = findings_document(
            result.findings,
            workbook=str(workbook),
            previous=str(result.previous) if result.previous else None,
            period=result.period,
            level=result.level,
            lang=result.lang,
            today=result.today,
            due_date=result.due_date,
        )
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        told = message_language(result.lang)  # the interface's; the workbook's when the system names none
        if result.previous is not None:
            click.echo(say("check.previous", path=result.previous).in_language(told))
        for finding in result.findings_in(told):  # the user's language; the report's is the appendix's
            click.echo(finding_line(finding, told))
        click.echo(_tally(count_by_severity(result.findings), told))
    if strict and result.findings:
        ctx.exit(1)


def _tally(counts: dict[str, int], told: str) -> str:
    """"2 findings (1 error, 1 warning).", in the language the user is told in."""
    total = sum(counts.values())
    if not total:
        return say("check.none").in_language(told)
    parts = [say(f"check.count.{name}" + ("" if n == 1 else ".plural"), count=n) for name, n in counts.items() if n]
    listed = ("，" if told == "zh" else ", ").join(part.in_language(told) for part in parts)
    return say("check.tally" if total == 1 else "check.tally.plural", total=total, parts=listed).in_language(told)
