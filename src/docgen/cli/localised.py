"""The command line in the user's language: help from the catalogue, Click's own words translated, Chinese values."""

from __future__ import annotations

import os

import click

from docgen.text import catalogue
from docgen.text.language import INTERFACE_VARIABLE, interface_language, parse_language


def ui_language() -> str:
    """The interface language of this run (docgen.text.language.interface_language)."""
    return interface_language()


def _cli_text(path: str, lang: str) -> str | None:
    try:
        found = catalogue.lookup("cli", path, lang)
    except KeyError:
        return None
    return found if isinstance(found, str) else None


def _key(ctx: click.Context) -> str:
    """The catalogue's table for a command: "render", "templates.list", "main" for the group itself."""
    parts = ctx.command_path.split()[1:]
    return ".".join(parts) or "main"


class Localised:
    """What a command and a group share: help, epilog and each option's help said in the interface language.

    The texts are the catalogue's (text/phrases/cli.*.toml): for the command at
    `render` the table [render] holds help, short and epilog, [render.options]
    each option's help by its name; options shared by several commands are in
    [options]. Code holds no prose: a command without its table shows none.
    """

    def _text(self, ctx: click.Context, what: str) -> str | None:
        return _cli_text(f"{_key(ctx)}.{what}", ui_language())

    def format_help_text(self, ctx, formatter) -> None:
        text = self._text(ctx, "help")
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_epilog(self, ctx, formatter) -> None:
        text = self._text(ctx, "epilog")
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                for line in text.splitlines():
                    formatter.write(f"{formatter.current_indent * ' '}{line}\n" if line else "\n")

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        lang = ui_language()
        name = self.name if ctx is None or ctx.command is self else f"{_key(ctx)}.{self.name}".removeprefix("main.")
        text = _cli_text(f"{name}.short", lang) or _cli_text(f"{name}.help", lang) or ""
        return text.split("\n\n")[0].strip()

    def format_options(self, ctx, formatter) -> None:
        lang = ui_language()
        key = _key(ctx)
        records = []
        for param in self.get_params(ctx):
            saved = param.help if isinstance(param, click.Option) else None
            if isinstance(param, click.Option):
                param.help = (_cli_text(f"{key}.options.{param.name}", lang) or _cli_text(f"options.{param.name}", lang)
                              or param.help)
            record = param.get_help_record(ctx)
            if isinstance(param, click.Option):
                param.help = saved
            if record is not None:
                records.append(record)
        if records:
            with formatter.section(_translate("Options")):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Command(Localised, click.Command):
    pass


class Group(Localised, click.Group):
    command_class = Command

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            with ctx.scope(cleanup=False):
                sub = click.Context(command, info_name=name, parent=ctx)
                text = _cli_text(f"{_key(sub)}.short", ui_language()) or _cli_text(f"{_key(sub)}.help", ui_language())
            rows.append((name, (text or "").split("\n\n")[0].strip()))
        if rows:
            with formatter.section(_translate("Commands")):
                formatter.write_dl(rows)


Group.group_class = Group


# -- Click's own words


def _translate(message: str) -> str:
    if ui_language() != "zh":
        return message
    try:
        return catalogue.lookup("click", message, "zh")
    except KeyError:
        return message


def _translate_n(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def translate_click() -> None:
    """Put docgen's catalogue in place of Click's gettext, so that its usage errors speak the interface language."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types, click.utils):
        if hasattr(module, "_"):
            module._ = _translate
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_n


# -- the interface language option and Chinese values


def set_interface_language(_ctx, _param, value: str | None) -> None:
    """`docgen --lang zh|en|中文|英文`: the interface's language for this run (and its worker processes)."""
    if value is None:
        return
    lang = parse_language(value)
    if lang is None:
        raise click.BadParameter(_cli_text("errors.bad_language", ui_language()).format(value=value))
    os.environ[INTERFACE_VARIABLE] = lang


class Named(click.ParamType):
    """A choice given in English or Chinese (月报 for monthly, 团队 for team), as the info sheet accepts."""

    def __init__(self, names: dict[str, tuple[str, ...]], parse) -> None:
        self.names = names
        self.parse = parse
        self.name = "choice"

    def get_metavar(self, param, ctx=None) -> str:
        return "[" + "|".join(self.names) + "]"

    def convert(self, value, param, ctx):
        if value is None or value in self.names:
            return value
        parsed = self.parse(value)
        if parsed is None:
            choices = ", ".join(f"{key} ({names[0]})" for key, names in self.names.items())
            self.fail(_cli_text("errors.not_one_of", ui_language()).format(value=value, choices=choices),
                      param, ctx)
        return parsed
