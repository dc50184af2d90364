"""docgen check: a workbook held to the format rules, its findings printed or given as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from docgen.text.messages import message_language, say

from docgen.input import schema
from .app import main
from .common import EXAMPLE_WORKBOOK, check_options, check_paths, reports_errors, warn_if_open_in_excel


@main.command(
    epilog=(
        "Examples:\n\n\b\n"
        f"  docgen check {EXAMPLE_WORKBOOK}\n"
        "  docgen check 2026-10.xlsx --previous 2026-09.xlsx --strict\n"
        "  docgen check 2026-10.xlsx --json --today 2026-11-05 > findings.json\n\n"
        "Exit codes: 0 no findings, or findings without --strict; 1 findings under --strict; "
        "2 bad usage or bad input. docs/checks.md explains every finding code and the JSON format."
    )
)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", type=click.Choice(schema.PERIODS), help="The report's period; overrides the info sheet's.")
@click.option("--level", type=click.Choice(schema.LEVELS), help="The report's level; overrides the info sheet's.")
@click.option("--lang", type=click.Choice(schema.LANGUAGES), help="The messages' language (default: the report's).")
@check_options
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (format: docs/checks.md).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="docgen.toml to use (default: docgen.toml in this folder, if there is one): its core_indicators.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="The day the report is made on, to judge it against its due date (default: today).",
)
@click.pass_context
@reports_errors
def check(ctx, workbook: Path, period, level, lang, previous, no_previous, strict, as_json, config_path, today):
    """Check WORKBOOK against the format rules of a sales summary.

    Each finding has a code (DG101 …), a severity (error, warning or info),
    the sheet and cell it is about, and a message in the report's language
    saying what to fix. With last period's workbook (--previous, or found
    beside this one) it also reports last period's actions that vanished.
    """
    from docgen.report.checks import count_by_severity, findings_document
    from docgen.runs.config import load_config
    from docgen.runs.report import ReportOptions, check_report
    from docgen.input.workbook import load_workbook

    check_paths(read=(workbook, previous, config_path))
    warn_if_open_in_excel(workbook)
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
        told = message_language()
        if result.previous is not None:
            click.echo(say("check.previous", path=result.previous).in_language(told))
        for finding in result.findings:
            click.echo(str(finding))
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
