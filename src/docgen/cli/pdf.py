"""docgen pdf, preview and doctor: PDF copies and page images through LibreOffice, and the set-up check."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.errors import DocgenError
from docgen.text.messages import localise, message_language, say
from .app import main
from .common import check_paths, reports_errors, soffice_option, warn_of_substituted_fonts

# Help, examples and each option's help: the catalogue's [pdf], [preview] and [doctor] (text/phrases/cli.*.toml).


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--timeout", type=float, default=120, show_default=True)
@soffice_option
@reports_errors
def pdf(documents: tuple[Path, ...], output_dir: Path | None, timeout: float, soffice: Path | None):
    from docgen.output.office import Converter
    from docgen.output.pdf import find_soffice

    check_paths(write=(output_dir,))  # each document is checked as it is converted: one bad one fails alone
    failed = 0
    converted = []
    told = message_language()
    # One LibreOffice, kept running, converts them all.
    with Converter(soffice=find_soffice(soffice), timeout=timeout) as converter:
        if converter.note and len(documents) > 1:
            click.echo(say("cli.note", note=converter.note).in_language(told), err=True)
        for document in documents:
            try:
                written = converter.convert(document, (output_dir or document.parent) / f"{document.stem}.pdf")
            except DocgenError as error:
                failed += 1
                click.echo(say("cli.error", message=error.text(told)).in_language(told), err=True)
            else:
                converted.append(document)
                click.echo(say("cli.wrote", path=written).in_language(told))
    warn_of_substituted_fonts(converted, told)  # once for the run, not once a document
    if failed:
        raise SystemExit(1)


@main.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--dpi", type=click.IntRange(20, 600), default=80, show_default=True)
@soffice_option
@reports_errors
def preview(document: Path, output_dir: Path, dpi: int, soffice: Path | None):
    from docgen.output.office import Converter
    from docgen.output.pdf import find_soffice, preview_pages

    if document.suffix.lower() == ".pdf":
        pages = preview_pages(document, output_dir, dpi=dpi)
    else:
        with Converter(soffice=find_soffice(soffice)) as converter:
            pages = preview_pages(document, output_dir, dpi=dpi, convert=converter.convert)
    wrote = say("cli.wrote_pages" if len(pages) == 1 else "cli.wrote_pages.plural", count=len(pages), folder=output_dir)
    click.echo(wrote.in_language(message_language()))
    if document.suffix.lower() != ".pdf":
        warn_of_substituted_fonts([document])


@main.command()
@soffice_option
@reports_errors
def doctor(soffice: Path | None):
    from docgen.word.library import builtin_dir, builtin_templates
    from docgen.output.doctor import doctor as run_checks

    from docgen.output.fonts import font_checks
    from docgen.word.fonts import fonts_of_documents

    told = message_language()
    colon = "：" if told == "zh" else ": "
    checks = run_checks(soffice)
    for check in checks:
        click.echo(f"{_mark(check, told)}  {localise(check.name, told)}{colon}{localise(check.detail, told)}")
    count = len(builtin_templates())
    templates = say("doctor.builtin", count=count, folder=builtin_dir()).in_language(told)
    click.echo(f"{_mark(count, told)}  {templates}")
    # The fonts the built-in templates ask for, each as this machine has it (a warning where it sets another).
    fonts = font_checks(fonts_of_documents(builtin_templates()))
    for check in fonts:
        click.echo(f"{_mark(check, told)}  {localise(check.name, told)}{colon}{localise(check.detail, told)}")
    for hint in dict.fromkeys(check.hint for check in [*checks, *fonts] if check.hint):
        click.echo(f"\n{localise(hint, told)}")


def _mark(check: object, told: str) -> str:
    """ok, warn or MISSING (正常、注意、缺少) for a Check; ok or MISSING for anything else by its truth."""
    ok, warning = (check.ok, check.warning) if hasattr(check, "warning") else (bool(check), False)
    return say("doctor.missing" if not ok else "doctor.warn" if warning else "doctor.ok").in_language(told)
