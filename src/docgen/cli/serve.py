"""docgen serve: the web page (docgen.web) on this computer, and the browser opened on it."""

from __future__ import annotations

import click

from docgen.text import catalogue
from .app import main
from .localised import ui_language


def _line(key: str, **params: object) -> str:
    return catalogue.lookup("cli", f"serve.{key}", ui_language()).format(**params)


@main.command()  # help, examples and each option's help: the catalogue's [serve] (text/phrases/cli.*.toml)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--token", metavar="TOKEN")
@click.option("--no-browser", is_flag=True)
@click.option("--templates", "library", type=click.Path(file_okay=False))
def serve(host: str, port: int, token: str | None, no_browser: bool, library) -> None:
    try:
        from docgen.web.safety import WebSettings, is_loopback, new_token
        from docgen.web.server import address, serve as run
    except ImportError as missing:  # the web extra is not installed
        raise click.ClickException(_line("missing", module=missing.name or "starlette")) from None

    from pathlib import Path

    if token is None and not is_loopback(host):
        token = new_token()
    settings = WebSettings(host=host, port=port, token=token, library=Path(library) if library else None)
    click.echo(_line("listening", url=address(settings)))
    if token is not None:
        click.echo(_line("token", token=token))
    click.echo(_line("stop"))
    run(settings, open_browser=not no_browser)
