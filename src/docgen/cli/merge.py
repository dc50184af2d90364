"""docgen merge: the classic mail merge, one document per row of a sheet."""

from __future__ import annotations

from pathlib import Path

import click

from .app import main
from .batch import run_and_report, run_options, run_settings
from .common import check_paths, pdf_options, reports_errors


@main.command()  # help, examples and each option's help: the catalogue's [merge] (text/phrases/cli.*.toml)
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--sheet")
@click.option("--name", "name_pattern")
@click.option("--scheduler", metavar="ADDRESS")
@run_options
@pdf_options
@reports_errors
def merge(
    template, data, output_dir, sheet, name_pattern, scheduler, jobs, dry_run, resume, force, combine, quiet, as_json,
    pdf, soffice,
):
    from docgen.runs.merge import MergeOptions, run_merge

    check_paths(read=(template, data), write=(output_dir, combine))
    settings = run_settings(output_dir, jobs, dry_run, resume, force, combine, pdf, soffice, scheduler)
    options = MergeOptions(sheet=sheet, name=name_pattern)
    run_and_report(
        lambda progress: run_merge(template, data, options, settings, progress=progress), quiet=quiet, as_json=as_json
    )
