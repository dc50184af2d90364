"""Every command says what it does and shows an example, and every command and option is in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen.cli import main

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


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_have_help(name):
    command = COMMANDS[name]
    result = CliRunner().invoke(main, [*name.split()[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert command.help, f"{name} has no help text (its docstring)"
    example = result.output.partition("Example")[2]
    assert example, f"`{name} --help` shows no example (add an epilog 'Examples:' with a command line)"
    assert name in example, f"`{name} --help`'s example does not run {name}"
    undocumented = [param.opts[0] for param in options(command) if not param.help]
    assert not undocumented, f"{name}: options without help: {undocumented}"


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_are_documented(name):
    assert mentioned(name), f"`{name}` is in neither README.md nor docs/*.md"
    missing = [param.opts[-1] for param in options(COMMANDS[name]) if not any(map(mentioned, param.opts))]
    assert not missing, f"{name}: options in neither README.md nor docs/*.md: {missing}"
