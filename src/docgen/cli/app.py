"""The `docgen` command group; each command module registers its commands on it."""

from __future__ import annotations

import click

from docgen import __version__

from .common import LANGUAGE
from .localised import Group, set_interface_language


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--lang",
    type=LANGUAGE,
    callback=set_interface_language,
    is_eager=True,
    expose_value=False,
)
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    # Help: the catalogue's [main] (text/phrases/cli.*.toml). Click's own words are put in the interface
    # language by Group.main (docgen.cli.localised.translate_click).
    pass
