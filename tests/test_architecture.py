"""The layers hold: no import cycle, no import that climbs a layer, each outside library in its one package.

The imports are read from the source (ast), never run, so a module that
fails to import still has its imports judged. Every import counts: at the
top of a module, inside a function, or under TYPE_CHECKING. There is no list
of exceptions; docs/architecture.md explains the picture.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "docgen"

# Lowest first: a module may import from its own layer or an earlier one.
LAYERS = (
    "text",  # the catalogue of words a user reads, the language detector
    "foundation",  # docgen.errors, docgen.paths
    "output",  # safe names, atomic writes, PDF
    "input",  # the xlsx package → typed, validated model
    "report",  # figures, sentences, the template context, checks
    "word",  # templates, sandboxed render, .docx bytes
    "team",  # the split rule, the roll-up
    "runs",  # one report, batches, merges
    "front",  # docgen/__init__.py: the public names, imported lazily from the layers below
    ("cli", "web"),  # Click only; the web page (docgen serve), beside it at the top
)
# Each layer's rank: the layers of one entry (cli and web) stand at the same height.
RANK = {name: rank for rank, entry in enumerate(LAYERS) for name in (entry if isinstance(entry, tuple) else (entry,))}
FOUNDATION = {"docgen.errors", "docgen.paths"}

# The package that owns each outside library; anywhere else it is refused.
OWNERS = {
    "docxtpl": {"word"},
    "docx": {"word"},  # python-docx
    "docxcompose": {"word"},
    "openpyxl": {"input"},  # input/blank.py writes the blank workbook with it
    # lxml parses both OOXML formats: SpreadsheetML in input/, WordprocessingML in word/.
    "lxml": {"input", "word"},
    "click": {"cli"},
    "starlette": {"web"},  # the web framework and its server: only the page imports them
    "uvicorn": {"web"},
    "multipart": {"web"},
    "python_multipart": {"web"},
}

MAX_LINES = 600  # the "about 600": a module past it owns more than one thing


@dataclass(frozen=True)
class Import:
    importer: str  # docgen.word.render
    target: str  # docgen.word.compiled, or an outside top-level name such as "docx"
    line: int

    def where(self) -> str:
        return f"{module_path(self.importer)}:{self.line}"


def module_name(path: Path) -> str:
    parts = ("docgen",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_path(name: str) -> str:
    return str(MODULES[name].relative_to(PACKAGE.parent))


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(name: str) -> str | None:
    if name == "docgen":
        return "front"
    if name == "docgen.__main__":
        return "cli"
    if name in FOUNDATION:
        return "foundation"
    package = name.split(".")[1]
    return package if package in RANK and package not in ("front", "foundation") else None


def imports_of(name: str) -> list[Import]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(name, _internal(alias.name) or alias.name.split(".")[0], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name if is_package(name) else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            if not source.startswith("docgen"):
                found.append(Import(name, source.split(".")[0], node.lineno))
                continue
            for alias in node.names:
                # `from docgen.report import formatting` depends on the module, `from docgen.errors import X` on errors.
                submodule = f"{source}.{alias.name}"
                found.append(Import(name, submodule if submodule in MODULES else _internal(source) or source, node.lineno))
    return found


def _internal(dotted: str) -> str | None:
    """The docgen module an import names (its longest known prefix), or None for an outside one."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in MODULES:
            return ".".join(parts[:end])
    return None


IMPORTS = {name: imports_of(name) for name in MODULES}
INTERNAL = {name: [i for i in found if i.target in MODULES and i.target != name] for name, found in IMPORTS.items()}


def cycles() -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for edge in INTERNAL[name]:
            if edge.target not in index:
                visit(edge.target)
                low[name] = min(low[name], low[edge.target])
            elif edge.target in on_stack:
                low[name] = min(low[name], index[edge.target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in MODULES:
        if name not in index:
            visit(name)
    return sorted(groups)


def test_every_module_has_a_layer():
    lost = [module_path(name) for name in MODULES if layer(name) is None]
    assert not lost, f"in no layer (add the package to LAYERS here and to docs/architecture.md): {lost}"


def test_no_import_cycle():
    problems = []
    for group in cycles():
        edges = dict.fromkeys(f"{edge.where()} imports {edge.target}" for name in group for edge in INTERNAL[name] if edge.target in group)
        problems.append(" ↔ ".join(group) + "\n      " + "\n      ".join(edges))
    assert not problems, "modules that import each other:\n  " + "\n  ".join(problems)


def test_no_import_climbs_a_layer():
    climbs = []
    for name, found in INTERNAL.items():
        own = layer(name)
        for edge in found:
            theirs = layer(edge.target)
            if own and theirs and RANK[theirs] > RANK[own]:
                climbs.append(f"{edge.where()}: {name} ({own}) imports {edge.target} ({theirs})")
    climbs = list(dict.fromkeys(climbs))
    assert not climbs, "imports that climb a layer (move the shared part down):\n  " + "\n  ".join(climbs)


def test_outside_libraries_stay_in_their_package():
    strays = []
    for name, found in IMPORTS.items():
        for edge in found:
            owners = OWNERS.get(edge.target)
            if owners and layer(name) not in owners:
                strays.append(f"{edge.where()}: {edge.target} outside {' and '.join(f'{p}/' for p in sorted(owners))}")
    assert not strays, "outside libraries imported where they do not belong:\n  " + "\n  ".join(strays)


def test_the_front_imports_its_names_lazily():
    """docgen/__init__.py imports nothing of docgen at its top: every docgen module imports the package first."""
    tree = ast.parse(MODULES["docgen"].read_text(encoding="utf-8"))
    eager = [
        node.lineno
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and (node.level or (getattr(node, "module", None) or "").startswith("docgen")
             or any(alias.name.startswith("docgen") for alias in node.names))
    ]
    assert not eager, f"docgen/__init__.py imports docgen modules at its top (lines {eager}); import them in __getattr__"


def test_no_module_is_too_long():
    long = {module_path(name): n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by what they own): {long}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from docgen.report import formatting as fmt", "docgen.report.formatting"),
        ("from docgen.errors import Location", "docgen.errors"),
        ("import docgen.input.schema", "docgen.input.schema"),
        ("from . import main", "docgen.cli"),
        ("from .common import reports_errors", "docgen.cli.common"),
    ],
)
def test_the_walker_resolves_imports(tmp_path, source, expected, monkeypatch):
    """The walker itself: absolute, relative and `from package import module` imports all land on the module."""
    path = PACKAGE / "cli" / "batch.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source if self == path else Path.read_bytes(self).decode())
    assert [i.target for i in imports_of("docgen.cli.batch")] == [expected]


def test_the_page_does_not_import_the_command_line():
    """web/ stands beside cli/: it calls the library below both, never the Click layer (cli/serve.py may start it)."""
    sideways = [f"{edge.where()}: imports {edge.target}" for name, found in INTERNAL.items() if layer(name) == "web"
                for edge in found if layer(edge.target) == "cli"]
    assert not sideways, "web/ imports cli/:\n  " + "\n  ".join(sideways)
