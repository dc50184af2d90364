"""What every command shares: error mapping to exit codes, and the reusable option decorators."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from docgen.input import schema
from docgen.errors import DocgenError
from docgen.text.language import parse_language
from docgen.text.messages import message_language, say

from .localised import Named, adopt_config_language, cli_text

# Values as the info sheet accepts them, in English or Chinese: --period 月报, --level 团队, --lang 中文.
PERIOD = Named({period: names[0] for period, names in schema.PERIOD_NAMES.items()}, schema.parse_period)
LEVEL = Named({level: names[0] for level, names in schema.LEVEL_NAMES.items()}, schema.parse_level)
LANGUAGE = Named({"zh": "中文", "en": "英文"}, parse_language)

# Each option's help is the catalogue's (text/phrases/cli.*.toml: the command's [NAME.options], else [options]).


class DocgenClickError(click.ClickException):
    """A docgen error as Click prints it: the message alone, in the user's language, no traceback."""

    def __init__(self, error: DocgenError, lang: str = "en") -> None:
        super().__init__(error.text(lang))
        self.exit_code = error.exit_code
        self.lang = lang

    def show(self, file=None) -> None:
        click.echo(say("cli.error", message=self.format_message()).in_language(self.lang), err=True)


def reports_errors(command):
    """Map every DocgenError to its message and exit code, in one place.

    The message is in the interface language (docs/language.md): DOCGEN_LANG
    or `docgen --lang`, else the system's, else the workbook's (the language
    the error knows its workbook is in, else the report's --lang).
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DocgenError as error:
            raise DocgenClickError(error, message_language(error.lang or kwargs.get("lang"))) from None

    return wrapper


def check_paths(*, read: tuple = (), write: tuple = ()) -> None:
    """Refuse, before any work, a path given on the command line that cannot be used (exit 2).

    A file to read must be a regular file (not a FIFO or a device, which would
    never end) with a usable name; a file or folder to write must have a name
    the system can hold (docgen.paths). None stands for an option not given.
    """
    from docgen.paths import check_input, check_path

    for path in read:
        check_input(path)
    for path in write:
        check_path(path)


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(cli_text("errors.bad_date").format(value=value)) from None


def report_options(command):
    """The options every command that makes a report shares."""
    options = [
        click.option("--period", type=PERIOD),
        click.option("--level", type=LEVEL),
        click.option("--lang", type=LANGUAGE),
        click.option("--template", type=click.Path(dir_okay=False, path_type=Path)),
        click.option("--today", callback=_date, metavar="YYYY-MM-DD"),
    ]
    # --templates, --variant and --config reach the command through with_library(), so that
    # commands written before them keep their signatures.
    command = _stash_library_options(command)
    for option in reversed(options):
        command = option(command)
    return library_options(command)


_LIBRARY_KEY = "docgen.word.library"


def library_options(command):
    """--templates DIR (repeatable), --variant and --config: where templates come from, and docgen.toml."""
    options = [
        click.option("--templates", multiple=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR"),
        click.option("--variant"),
        config_option(metavar="FILE"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def config_option(**kwargs):
    """--config FILE: docgen.toml given, in place of the working folder's; its interface_language is the run's."""
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), is_eager=True,
        callback=adopt_config_language, **kwargs,
    )


def _stash_library_options(command):
    @functools.wraps(command)
    def wrapper(*args, templates=(), variant=None, config_path=None, **kwargs):
        click.get_current_context().meta[_LIBRARY_KEY] = (tuple(templates), variant, config_path)
        return command(*args, **kwargs)

    return wrapper


def with_library(options):
    """ReportOptions with the run's --templates, --variant and docgen.toml (read now, so its errors are reported)."""
    from dataclasses import replace

    from docgen.runs.config import load_config

    templates, variant, config_path = click.get_current_context().meta.get(_LIBRARY_KEY, ((), None, None))
    return replace(options, libraries=templates, variant=variant, config=load_config(config_path))


def check_options(command):
    """--previous, --no-previous and --strict: for every command that runs docgen check (docs/checks.md)."""
    options = [
        click.option("--previous", type=click.Path(dir_okay=False, path_type=Path)),
        click.option("--no-previous", is_flag=True),
        click.option("--strict", is_flag=True),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def word(kind: str, value: str | None) -> object:
    """A period, level or language as the user reads it (月报, 团队, 中文 in Chinese); an unknown value as it is."""
    return say(f"word.{kind}.{value}") if value in _WORDS[kind] else value


_WORDS = {"period": schema.PERIODS, "level": schema.LEVELS, "lang": schema.LANGUAGES}


def echo_findings(findings, lang: str | None = None) -> None:
    """Each finding on stderr as a warning: "Warning: DG103 目标达成!G3: …" (in `lang`, else the interface's)."""
    lang = lang or message_language()
    for finding in findings:
        key = "cli.finding" if finding.place else "cli.finding.nowhere"
        line = say(key, code=finding.code, place=finding.place, message=finding.message)
        click.echo(line.in_language(lang), err=True)


def pdf_options(command):
    """--pdf and --soffice, for every command that writes reports."""
    command = soffice_option(command)
    return click.option("--pdf", is_flag=True)(command)


def soffice_option(command):
    return click.option("--soffice", type=click.Path(path_type=Path), envvar="DOCGEN_SOFFICE")(command)


def warn_if_open_in_excel(*workbooks: Path | None, lang: str | None = None) -> None:
    """A warning on stderr for each workbook open in Excel now: its unsaved edits are not in the file read.

    Said in the interface language; where none is set, in `lang`, the workbook's (docs/language.md).
    """
    from docgen.paths import lock_file_beside, shown

    for workbook in workbooks:
        lock = lock_file_beside(workbook) if workbook is not None else None
        if lock is not None:
            message = say("path.open_in_excel", workbook=shown(Path(workbook).name), lock=shown(lock.name))
            click.echo(message.in_language(message_language(lang)), err=True)


def warn_of_substituted_fonts(documents, told: str | None = None) -> None:
    """One warning for a run's PDFs, however many: the fonts its documents ask for that this machine replaces.

    The fonts are read from the .docx files (docgen.word.fonts) and matched by
    fontconfig (docgen.output.fonts); where fontconfig is absent nothing is said.
    """
    from docgen.output.fonts import substituted_fonts
    from docgen.word.fonts import fonts_of_documents

    warning = substituted_fonts(fonts_of_documents(documents))
    if warning is not None:
        click.echo(warning.in_language(told or message_language()), err=True)
