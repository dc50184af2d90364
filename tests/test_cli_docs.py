"""Every command says what it does (in the catalogue, in both languages) and shows an example, and every command and
option is in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.cli.localised import cli_text

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def commands(command: click.Command = main, path: tuple[str, ...] = ("docgen",)):
    yield " ".join(path), command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, path + (name,))


COMMANDS = dict(commands())


def options(command: click.Command) -> list[click.Option]:
    return [param for param in command.params if isinstance(param, click.Option) and not param.hidden]


def mentioned(words: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", DOCS) is not None


def catalogue_key(name: str) -> str:
    return ".".join(name.split()[1:]) or "main"


def option_help(name: str, option: click.Option, lang: str) -> str | None:
    key = catalogue_key(name)
    return cli_text(f"{key}.options.{option.name}", lang) or cli_text(f"options.{option.name}", lang)


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_have_help(name):
    command = COMMANDS[name]
    result = CliRunner().invoke(main, [*name.split()[1:], "--help"], env={"DOCGEN_LANG": "en"})
    assert result.exit_code == 0, result.output
    for lang in ("en", "zh"):
        assert cli_text(f"{catalogue_key(name)}.help", lang), f"{name} has no help text in cli.{lang}.toml"
    example = result.output.partition("Example")[2]
    assert example, f"`{name} --help` shows no example (add an epilog 'Examples:' with a command line to cli.en.toml)"
    assert name in example, f"`{name} --help`'s example does not run {name}"
    for lang in ("en", "zh"):
        undocumented = [param.opts[0] for param in options(command) if not option_help(name, param, lang)]
        assert not undocumented, f"{name}: options without help in cli.{lang}.toml: {undocumented}"


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_are_documented(name):
    assert mentioned(name), f"`{name}` is in neither README.md nor docs/*.md"
    missing = [param.opts[-1] for param in options(COMMANDS[name]) if not any(map(mentioned, param.opts))]
    assert not missing, f"{name}: options in neither README.md nor docs/*.md: {missing}"
