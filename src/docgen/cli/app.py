"""The `docgen` command group; each command module registers its commands on it."""

from __future__ import annotations

import click

from .common import LANGUAGE
from .localised import Group, set_interface_language, show_version


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--lang",
    type=LANGUAGE,
    callback=set_interface_language,
    is_eager=True,
    expose_value=False,
)
@click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=show_version)
def main() -> None:
    # Help: the catalogue's [main] (text/phrases/cli.*.toml). Click's own words are put in the interface
    # language by Group.main (docgen.cli.localised.translate_click).
    pass
