"""The command line: parses options, calls the library, and turns its errors into messages and exit codes.

Only this package imports click. Each command lives in a module of its own
and registers itself on `main` when imported below.
"""

from __future__ import annotations

import click

from docgen import __version__
from .common import EXAMPLE_WORKBOOK

@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=f"Example:\n\n\b\n  docgen render {EXAMPLE_WORKBOOK} -o out/report.docx",
)
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """Turn a sales team's Excel workbook into a finished Word sales work summary (销售工作总结)."""



# Imported for their side effect: each module adds its commands to `main`.
from . import batch, check, merge, pdf, render, templates, workbook  # noqa: E402,F401
