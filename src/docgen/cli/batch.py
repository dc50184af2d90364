"""docgen batch: a report for every workbook or salesperson and the team roll-up; and the run options merge shares."""

from __future__ import annotations

import dataclasses
import json
import sys
import unicodedata
from pathlib import Path

import click

from docgen.text.messages import message_language, say

from .app import main
from .common import (
    check_paths, pdf_options, report_options, reports_errors, warn_of_substituted_fonts, with_library,
)

# What the summary table lists in full; a bigger run lists only what failed.
_TABLE_ROWS = 60


def run_options(command):
    """The options of every command that makes many documents: workers, resume, combine, output style."""
    options = [  # their help: the catalogue's [options] (text/phrases/cli.*.toml)
        click.option("-j", "--jobs", type=click.IntRange(min=1)),
        click.option("--dry-run", is_flag=True),
        click.option("--resume", is_flag=True),
        click.option("--force", is_flag=True),
        click.option("--combine", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE"),
        click.option("-q", "--quiet", is_flag=True),
        click.option("--json", "as_json", is_flag=True),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_settings(output_dir, jobs, dry_run, resume, force, combine, pdf, soffice, scheduler=None):
    from docgen.runs.engine import RunSettings

    if resume and force:
        raise click.UsageError(say("cli.resume_and_force").in_language(message_language()))
    return RunSettings(
        output_dir=output_dir,
        jobs=jobs,
        dry_run=dry_run,
        resume=resume,
        force=force,
        pdf=pdf,
        soffice=soffice,
        combine=combine,
        scheduler=scheduler,
    )


class ProgressBar:
    """The library's progress, shown as click progress bars (count and time left) on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def start(self, total: int, label: str) -> None:
        self.close()
        if self.enabled and total:
            self.bar = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda item: _clip(item, 40) if item else None,
            )
            self.bar.__enter__()

    def advance(self, what: str) -> None:
        if self.bar is not None:
            self.bar.update(1, what)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def run_and_report(work, *, quiet: bool, as_json: bool) -> None:
    """Run `work(progress)`, then print the summary as asked; exit 1 when any record failed."""
    progress = ProgressBar(enabled=not quiet and not as_json)
    try:
        result = work(progress)
    finally:
        progress.close()
    told = message_language(result.lang)  # the interface's; the workbooks' when none is set (docs/language.md)
    if as_json:
        summary = result.summary()
        summary["records"] = [
            {key: value for key, value in dataclasses.asdict(outcome).items() if key != "key"} for outcome in result.outcomes
        ]
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    elif quiet:
        for outcome in result.failed:
            line = say("batch.failed", who=_who(outcome, told), error=outcome.error or outcome.pdf_error)
            click.echo(line.in_language(told), err=True)
    else:
        for outcome in result.outcomes:
            for finding in outcome.findings:
                click.echo(say("batch.warning", who=_who(outcome, told), finding=finding).in_language(told), err=True)
        _print_table(result, told)
    if not as_json and not quiet:
        from docgen.runs.records import Status

        made = [outcome.output for outcome in result.outcomes if outcome.pdf_status == Status.OK and outcome.output]
        warn_of_substituted_fonts(made, told)  # once for the run, not once a document
        if made and result.pdf_note is not None:
            click.echo(say("cli.note", note=result.pdf_note).in_language(told), err=True)
    if result.combine_error:
        click.echo(say("cli.error", message=result.combine_error).in_language(told), err=True)
    if result.exit_code:
        raise SystemExit(result.exit_code)


def _who(outcome, told: str) -> str:
    """The record in words: its file, row, person and whether it is the roll-up."""
    from docgen.runs.records import Kind

    where = Path(outcome.input).name if outcome.input and "," not in outcome.input else outcome.input
    bits = [where]
    if outcome.row:
        bits.append(say("batch.who.row", row=outcome.row).in_language(told))
    if outcome.person:
        bits.append(outcome.person)
    if outcome.kind == Kind.ROLLUP:
        bits.append(say("batch.who.rollup").in_language(told))
    return ("，" if told == "zh" else ", ").join(bit for bit in bits if bit)


def _print_table(result, told: str) -> None:
    from docgen.runs.records import Status

    outcomes = result.outcomes
    shown = outcomes if len(outcomes) <= _TABLE_ROWS else result.failed
    rows = [tuple(say(f"batch.column.{name}").in_language(told) for name in ("status", "record", "output", "detail"))]
    for outcome in shown:
        status = say(f"status.{outcome.status}" if outcome.pdf_status != Status.FAILED else "status.pdf_failed")
        detail = outcome.error or outcome.pdf_error or outcome.note
        output = Path(outcome.output).name if outcome.output else ""
        rows.append((status.in_language(told), _who(outcome, told), output, detail))
    if len(rows) > 1:
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        widths = [min(width, 48) for width in widths]
        for row in rows:
            cells = [_pad(_clip(row[i], widths[i]), widths[i]) for i in range(3)]
            click.echo("  ".join(cells + [row[3]]).rstrip())
    counts = result.summary()
    if result.dry_run:
        line = say("batch.checked", records=counts["records"], checked=counts["checked"], failed=counts["failed"])
    else:
        # A skipped record without an output is a FIFO or device found in a folder, which is not read.
        not_read = sum(outcome.status == Status.SKIPPED and not outcome.output for outcome in outcomes)
        line = say(
            "batch.totals",
            ok=counts["ok"],
            skipped=counts["skipped"] - not_read,
            failed=counts["failed"],
            pdf=say("batch.totals.pdf", count=counts["pdf_failed"]) if counts["pdf_failed"] else "",
            not_read=say("batch.totals.not_read", count=not_read) if not_read else "",
            manifest=Path(result.output_dir) / "manifest.csv",
            combined=say("batch.totals.combined", path=result.combined) if result.combined else "",
        )
    if len(outcomes) > _TABLE_ROWS and counts["failed"]:
        line = say("batch.only_failed", line=line)
    click.echo(line.in_language(told))


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    kept = ""
    for ch in text:
        if _width(kept + ch) > width - 1:
            break
        kept += ch
    return kept + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@main.command()  # help, examples and each option's help: the catalogue's [batch] (text/phrases/cli.*.toml)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output-dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--split-by", is_flag=False, flag_value="销售员", default=None, metavar="[COLUMN]")
@click.option("--rollup", is_flag=True)
@click.option("--strict", is_flag=True)
@click.option("--name", "name_pattern", default="{team}-{person}-{period}.docx", show_default=True)
@click.option("--scheduler", metavar="ADDRESS")
@report_options
@run_options
@pdf_options
@reports_errors
def batch(
    inputs, output_dir, split_by, rollup, strict, name_pattern, scheduler, period, level, lang, template, today,
    jobs, dry_run, resume, force, combine, quiet, as_json, pdf, soffice,
):  # fmt: skip
    from docgen.runs.batch import BatchOptions, run_batch
    from docgen.team.split import check_split_column
    from docgen.runs.report import ReportOptions

    # The workbooks are checked as they are read: one that cannot be is a failed record, not the run's end.
    check_paths(read=(template,), write=(output_dir, combine))
    if split_by is not None:
        check_split_column(split_by)
    # A template that would fail every record (--template, or one of a library) is refused by run_batch, once.
    settings = run_settings(output_dir, jobs, dry_run, resume, force, combine, pdf, soffice, scheduler)
    options = BatchOptions(
        name=name_pattern,
        report=with_library(
            ReportOptions(period=period, level=level, lang=lang, template=template, today=today, strict=strict)
        ),
        split=split_by is not None,
        rollup=rollup,
    )
    run_and_report(lambda progress: run_batch(inputs, options, settings, progress=progress), quiet=quiet, as_json=as_json)
