"""docgen merge: the classic mail merge, one document per row of a sheet."""

from __future__ import annotations

from pathlib import Path

import click

from .app import main
from .batch import run_and_report, run_options, run_settings
from .common import check_paths, pdf_options, reports_errors


@main.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen merge sample_inputs/merge/邀请函.docx sample_inputs/merge/客户名单.xlsx -o out/letters\n"
        '  docgen merge letter.docx customers.xlsx --sheet 名单 --name "{公司}-{姓名}.docx" -o out/ --pdf\n'
        "  docgen merge letter.docx customers.xlsx -o out/ --combine out/all-letters.docx"
    )
)
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output-dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the documents."
)
@click.option("--sheet", help="The sheet holding the rows (default: the first visible sheet).")
@click.option(
    "--name",
    "name_pattern",
    help="Output names from the columns, e.g. \"{公司}-{姓名}.docx\"; also {n} (the record's number) "
    "and {row} (its sheet row). Default: {n}-{first column}.docx.",
)
@run_options
@pdf_options
@reports_errors
def merge(
    template, data, output_dir, sheet, name_pattern, jobs, dry_run, resume, force, combine, quiet, as_json, pdf, soffice
):
    """Fill TEMPLATE once for every row of the sheet in DATA (.xlsx): one .docx per row.

    TEMPLATE is any docxtpl template: each column is a variable, {{ 姓名 }}
    for a header that is a plain name (Chinese too), and every column is in
    `row`: {{ row['客户 名称'] }}. A Word mail-merge template works as it
    is: each «MERGEFIELD» is filled from the column of that name. Outputs,
    manifest, --resume and --combine work as in docgen batch.
    """
    from docgen.runs.merge import MergeOptions, run_merge

    check_paths(read=(template, data), write=(output_dir, combine))
    settings = run_settings(output_dir, jobs, dry_run, resume, force, combine, pdf, soffice)
    options = MergeOptions(sheet=sheet, name=name_pattern)
    run_and_report(
        lambda progress: run_merge(template, data, options, settings, progress=progress), quiet=quiet, as_json=as_json
    )
