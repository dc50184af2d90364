"""Every word a user reads comes from the catalogue: no raise of a docgen error and no Click output carries prose.

The code is read with ast (nothing is imported). A message written in place
would reach a Chinese user in English; its text belongs in
text/phrases/messages.*.toml, said through docgen.text.messages.say.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import docgen

SOURCE = Path(docgen.__file__).parent

# Click's calls that print or raise a message a user reads.
CLICK_OUTPUT = {"echo", "secho", "ClickException", "BadParameter", "UsageError", "fail"}

# A record's words, whatever makes it: a failure's message, a manifest note, an error's hint.
USER_TEXT_CALLS = {"Failure"}
USER_TEXT_KEYWORDS = {"hint", "note", "expected", "error"}

# Arguments that are not what a user reads: where an echo goes and how it looks.
NOT_TEXT = {"err", "nl", "fg", "bg", "bold", "file", "color", "location", "exit_code", "ctx", "param", "param_hint"}

# Two letters in a row, of any script: a word. Punctuation, spaces and format fields are not prose.
_WORD = re.compile(r"[^\W\d_]{2}")


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _modules():
    return sorted(SOURCE.rglob("*.py"))


def _error_classes(trees) -> set[str]:
    """DocgenError and every class that derives from it, by name, through any number of steps."""
    classes = {"DocgenError"}
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    grew = True
    while grew:
        found = {name for name, parents in bases.items() if parents & classes} - classes
        classes |= found
        grew = bool(found)
    return classes


def _prose(node: ast.expr) -> str | None:
    """The literal prose an argument carries, if any: a string written in place, or an f-string's text.

    A call's own arguments are not looked into: say("key", …) takes a key, and a
    helper that builds a message is held by this test at its own raise or echo.
    """
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and _WORD.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and _WORD.search(part.value):
                return part.value
        return None
    if isinstance(node, ast.BinOp):  # "text " + name, "%s" % …
        return _prose(node.left) or _prose(node.right)
    if isinstance(node, ast.IfExp):
        return _prose(node.body) or _prose(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "…".format(…), "; ".join(…): the text is the object the method is called on.
        return _prose(node.func.value)
    return None


def _sites():
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in _modules()}
    errors = _error_classes(trees)
    for path, tree in trees.items():
        in_cli = path.parent.name == "cli"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name in errors or name in USER_TEXT_CALLS or (in_cli and name in CLICK_OUTPUT):
                arguments = list(node.args) + [k.value for k in node.keywords if k.arg not in NOT_TEXT]
            else:  # any other call: only the keywords that are a user's text
                arguments = [k.value for k in node.keywords if k.arg in USER_TEXT_KEYWORDS]
            for argument in arguments:
                prose = _prose(argument)
                if prose is not None:
                    yield f"{path.relative_to(SOURCE.parent)}:{node.lineno}: {name}(…{prose.strip()[:50]!r}…)"
                    break


def test_no_raise_or_echo_carries_prose():
    sites = list(_sites())
    assert not sites, (
        f"{len(sites)} places write a user's text in the code; give each a key in "
        "text/phrases/messages.en.toml and messages.zh.toml and say(key, …) it:\n" + "\n".join(sites)
    )


def test_the_walk_finds_prose_where_it_is_written():
    source = (
        "class DocgenError(Exception): pass\n"
        "class OddError(DocgenError): pass\n"
        "def f(x):\n"
        "    raise OddError(f'no {x} here')\n"
        "def g(x):\n"
        "    raise OddError(say('odd.key', x=x), hint=say('odd.key.hint'))\n"
        "def h(x):\n"
        "    raise ValueError('internal, caught below')\n"
        "def k(x):\n"
        "    raise OddError(\"{x}: \" + x, hint='Try again.')\n"
    )
    tree = ast.parse(source)
    errors = _error_classes({Path("m.py"): tree})
    assert errors == {"DocgenError", "OddError"}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in errors]
    flagged = [n.lineno for n in calls if any(_prose(a) for a in n.args + [k.value for k in n.keywords])]
    assert flagged == [4, 10]
