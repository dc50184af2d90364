"""The `docgen` command group; each command module registers its commands on it."""

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
