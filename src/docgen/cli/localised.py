"""The command line in the user's language: help from the catalogue, Click's own words translated, Chinese values."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path

import click

from docgen.text import catalogue
from docgen.text.language import INTERFACE_VARIABLE, interface_language, parse_language


def ui_language() -> str:
    """The interface language of this run (docgen.text.language.interface_language)."""
    return interface_language()


def cli_text(key: str, lang: str | None = None) -> str | None:
    """A text of the catalogue's cli area ("render.help"), in `lang` (default: the interface's); None if absent."""
    try:
        found = catalogue.lookup("cli", key, lang or ui_language())
    except KeyError:
        return None
    return found if isinstance(found, str) else None


def _key(ctx: click.Context) -> str:
    """The catalogue's table for a command: "render", "templates.list", "main" for the group itself."""
    parts = ctx.command_path.split()[1:]
    return ".".join(parts) or "main"


# -- text laid out by the columns it takes: a Chinese character takes two, and a line may break between two of them


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _width(text: str) -> int:
    return sum(2 if _wide(ch) else 1 for ch in text)


_OPENING = set("([{<（《「『“‘【")
_CLOSING = set(")]}>.,;:!?%）》」』”’】，。；：、！？")


def _pieces(word: str) -> list[str]:
    """A word split where Chinese text may break: beside a Chinese character, never before closing
    punctuation, after opening punctuation or between a digit and the character it counts (2026年)."""
    pieces = [word[:1]]
    for before, ch in zip(word, word[1:]):
        breaks = (
            (_wide(before) or _wide(ch))
            and ch not in _CLOSING
            and before not in _OPENING
            and not (before.isdigit() or ch.isdigit())
        )
        if breaks:
            pieces.append(ch)
        else:
            pieces[-1] += ch
    return pieces


def wrap(text: str, width: int, *, chinese: bool = False) -> list[str]:
    """A paragraph in lines of at most `width` columns, a Chinese character taking two.

    English breaks at spaces only (a Chinese name in it stays whole); Chinese
    also between its characters. A longer unit has a line to itself.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        for number, piece in enumerate(_pieces(word) if chinese else [word]):
            joined = f"{line} {piece}" if line and not number else line + piece
            if line and _width(joined) > width:
                lines.append(line)
                joined = piece
            line = joined
    if line:
        lines.append(line)
    return lines


def write_paragraphs(formatter: click.HelpFormatter, text: str) -> None:
    """Help text as the catalogue writes it: paragraphs wrapped to the terminal; indented lines (examples) as they are."""
    indent = " " * formatter.current_indent
    width = max(formatter.width - formatter.current_indent, 20)
    for number, paragraph in enumerate(text.strip("\n").split("\n\n")):
        if number:
            formatter.write("\n")
        if all(line.startswith("  ") for line in paragraph.splitlines()):
            formatter.write("".join(f"{indent}{line}\n" for line in paragraph.splitlines()))
        else:
            lines = wrap(paragraph, width, chinese=ui_language() == "zh")
            formatter.write("".join(f"{indent}{line}\n" for line in lines))


def write_rows(formatter: click.HelpFormatter, rows: list[tuple[str, str]], col_max: int = 30) -> None:
    """Click's definition list (options, commands), its second column wrapped by the columns it takes."""
    first = min(max(_width(term) for term, _ in rows), col_max) + 2
    indent = " " * formatter.current_indent
    width = max(formatter.width - formatter.current_indent - first, 20)
    chinese = ui_language() == "zh"
    for term, text in rows:
        text = chinese_punctuation(text) if chinese and text else text  # Click's "[默认：…]" joined with a space
        lines = wrap(text, width, chinese=chinese) if text else []
        if _width(term) + 2 > first:
            formatter.write(f"{indent}{term}\n")
            pad = indent + " " * first
        else:
            pad = ""
            formatter.write(f"{indent}{term}{' ' * (first - _width(term))}")
            if not lines:
                formatter.write("\n")
        for number, line in enumerate(lines):
            formatter.write(f"{pad}{line}\n")
            pad = indent + " " * first


class Localised:
    """What a command and a group share: help, epilog and each option's help said in the interface language.

    The texts are the catalogue's (text/phrases/cli.*.toml): for the command at
    `render` the table [render] holds help, short and epilog, [render.options]
    each option's help by its name; options shared by several commands are in
    [options]. Code holds no prose: a command without its table shows none.
    """

    def help_text(self, ctx: click.Context, what: str = "help") -> str | None:
        return cli_text(f"{_key(ctx)}.{what}")

    def format_help_text(self, ctx, formatter) -> None:
        text = self.help_text(ctx)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                write_paragraphs(formatter, text)

    def format_epilog(self, ctx, formatter) -> None:
        text = self.help_text(ctx, "epilog")
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                write_paragraphs(formatter, text)

    def option_help(self, ctx: click.Context, param: click.Option) -> str | None:
        """An option's help: the command's own, else the shared one, else Click's (--help, --version) translated."""
        name = "help" if "--help" in param.opts else param.name  # Click names its help option as it likes
        return (
            cli_text(f"{_key(ctx)}.options.{name}")
            or cli_text(f"options.{name}")
            or (_translate(param.help) if param.help else None)
        )

    def format_options(self, ctx, formatter) -> None:
        records = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue  # named in the usage line and the help text
            saved = param.help if isinstance(param, click.Option) else None
            if isinstance(param, click.Option):
                param.help = self.option_help(ctx, param)
            try:
                record = param.get_help_record(ctx)
            finally:
                if isinstance(param, click.Option):
                    param.help = saved
            if record is not None:
                records.append(record)
        if records:
            with formatter.section(_translate("Options")):
                write_rows(formatter, records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Formatter(click.HelpFormatter):
    """Click's help layout, with a Chinese colon after a Chinese heading."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _translate("Usage:")
            prefix += "" if prefix.endswith("：") else " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        colon = "：" if heading and _wide(heading[-1]) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class Context(click.Context):
    formatter_class = Formatter


class Command(Localised, click.Command):
    context_class = Context


class Group(Localised, click.Group):
    """A group whose commands and subgroups are localised too; the top one applies docgen.toml's interface language."""

    command_class = Command
    context_class = Context

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            ctx.meta[_STATED] = parse_language(os.environ.get(INTERFACE_VARIABLE)) is not None
            _adopt_configured_language()
        return super().parse_args(ctx, args)

    def main(self, *args, **kwargs):
        translate_click()  # now that every command is defined: their types took Click's English names
        # The interface language set for a run (--lang, docgen.toml) is the run's: as it was once the run,
        # and the printing of its last error, is over (for callers that run docgen in their own process).
        before = os.environ.get(INTERFACE_VARIABLE)
        try:
            return super().main(*args, **kwargs)
        finally:
            if before is None:
                os.environ.pop(INTERFACE_VARIABLE, None)
            else:
                os.environ[INTERFACE_VARIABLE] = before

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            key = f"{_key(ctx)}.{name}".removeprefix("main.")
            text = cli_text(f"{key}.short") or cli_text(f"{key}.help") or ""
            rows.append((name, text.strip().split("\n\n")[0].replace("\n", " ")))
        if rows:
            with formatter.section(_translate("Commands")):
                write_rows(formatter, rows)


Group.group_class = Group


# -- Click's own words


def _translate(message: str) -> str:
    if ui_language() != "zh":
        return message
    try:
        found = catalogue.lookup("click", message, "zh")
    except KeyError:
        return message
    # The line an error is shown in holds pieces Click joins with English stops and spaces: tidy it once whole.
    return _TidiedLine(found) if message == "Error: {message}" else found


class _TidiedLine(str):
    """A Chinese format string whose filled-in text is tidied by `chinese_punctuation`."""

    def format(self, *args, **kwargs) -> str:
        return chinese_punctuation(str.format(self, *args, **kwargs))


_STOP = re.compile(r"(?<=[^\s.])\.(?=\s|$)")  # an English full stop that ends a sentence (not "...", not "x.docx")
_AFTER_WIDE_PUNCTUATION = re.compile(r"(?<=[。：；？！，、）])(?: +)")
_BEFORE_WIDE_PUNCTUATION = re.compile(r" +(?=[（。：；？！，、])")


def chinese_punctuation(text: str) -> str:
    """Chinese text as it should read: full stops 。 not ".", no space after or before full-width punctuation.

    Click builds its messages from pieces ("缺少参数 'X'." + " " + "您是不是要用 …？"); their
    joins are English. Text with no Chinese in it is left as it is.
    """
    if not any(_wide(ch) for ch in text):
        return text
    text = _STOP.sub("。", text).replace("', '", "'、'").replace("; ", "；")  # Click's joins
    text = _AFTER_WIDE_PUNCTUATION.sub("", text)
    return _BEFORE_WIDE_PUNCTUATION.sub("", text)


def _translate_n(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def translate_click() -> None:
    """Put docgen's catalogue in place of Click's gettext, so that its usage errors speak the interface language.

    Called when the command line runs, after the commands are defined: a
    parameter type names itself once, when it is made ("path", "file"), and
    must not take the language of the moment the module was imported.
    """
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


# -- the interface language


def set_interface_language(ctx, _param, value: str | None) -> None:
    """`docgen --lang zh|en|中文|英文`: the interface's language for this run (and its worker processes)."""
    if value is None:
        return
    lang = parse_language(value)
    if lang is None:
        raise click.BadParameter(cli_text("errors.bad_language").format(value=value))
    os.environ[INTERFACE_VARIABLE] = lang  # for this run and the worker processes it starts
    ctx.meta[_STATED] = True


# Whether DOCGEN_LANG or `docgen --lang` said the interface language: then no docgen.toml says it.
_STATED = "docgen.interface_language.stated"


def show_version(ctx: click.Context, _param, value: bool) -> None:
    """`docgen --version`, said when asked (Click's own option words its line once, when the command is defined)."""
    if not value or ctx.resilient_parsing:
        return
    from docgen import __version__

    click.echo(_translate("%(prog)s, version %(version)s") % {"prog": "docgen", "version": __version__})
    ctx.exit()


def _adopt_configured_language(explicit: Path | None = None) -> None:
    """The config file's interface_language, unless DOCGEN_LANG says (`--lang` overrides both, being parsed after).

    The file is the one the run uses (docgen.runs.config.find_config): the one
    given with --config, else docgen.toml in the working folder. Only that key
    is read: the command that reads the whole file reports its mistakes.
    """
    if parse_language(os.environ.get(INTERFACE_VARIABLE)) or not Path(explicit or "docgen.toml").is_file():
        return
    from docgen.runs.config import configured_interface_language

    lang = configured_interface_language(explicit)
    if lang is not None:
        os.environ[INTERFACE_VARIABLE] = lang


def adopt_config_language(ctx: click.Context, _param, value: Path | None) -> Path | None:
    """A command's --config FILE: its interface_language is the run's, unless DOCGEN_LANG or --lang said one.

    It takes the place of the working folder's docgen.toml, as it does for
    every other key (an eager option: read before the command's other options).
    """
    if value is not None and not ctx.meta.get(_STATED) and Path(value).is_file():
        os.environ.pop(INTERFACE_VARIABLE, None)  # the working folder's, adopted before the command was known
        _adopt_configured_language(Path(value))
    return value


# -- values given in English or Chinese


class Named(click.ParamType):
    """A choice given in English or Chinese (月报 for monthly, 团队 for team), as the info sheet accepts.

    `labels` maps each value to its Chinese name, shown in the help of a Chinese
    interface; `parse` is the one rule that reads every spelling (None: unknown).
    """

    name = "choice"

    def __init__(self, labels: dict[str, str], parse) -> None:
        self.labels = labels
        self.parse = parse

    def _shown(self) -> list[str]:
        return list(self.labels.values()) if ui_language() == "zh" else list(self.labels)

    def get_metavar(self, param, ctx=None) -> str:
        return "[" + "|".join(self._shown()) + "]"

    def convert(self, value, param, ctx):
        if value is None or value in self.labels:
            return value
        parsed = self.parse(value)
        if parsed in self.labels:
            return parsed
        chinese = ui_language() == "zh"
        pattern, separator = ("{}（{}）", "、") if chinese else ("{} ({})", ", ")
        choices = separator.join(pattern.format(key, label) for key, label in self.labels.items())
        message = cli_text("errors.not_one_of").format(value=value, choices=choices)
        close = difflib.get_close_matches(str(value), [*self.labels, *self.labels.values()], n=1)
        if close:
            message += ("" if chinese else " ") + _translate("Did you mean {possibility}?").format(possibility=close[0])
        self.fail(message, param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in self._shown() if name.startswith(incomplete)]
