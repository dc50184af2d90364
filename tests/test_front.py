"""The public front in docgen/__init__.py: every name resolves, lazily, and the README's example runs as written."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

import docgen

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").partition("## From Python")[2].partition("\n## ")[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "README's 'From Python' section should hold one python example"
    return blocks[0]


def test_every_public_name_resolves():
    for name in docgen.__all__:
        assert getattr(docgen, name) is not None, name
    assert issubclass(docgen.CellError, docgen.DocgenError)
    with pytest.raises(AttributeError):
        docgen.no_such_name  # noqa: B018


def test_importing_docgen_imports_nothing_heavy():
    code = "import sys, docgen; print(sorted(m for m in sys.modules if m.startswith(('docgen.', 'docx', 'openpyxl', 'lxml', 'jinja2', 'click'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_the_readme_example_runs(tmp_path, monkeypatch):
    (tmp_path / "sample_inputs").symlink_to(ROOT / "sample_inputs")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_example(), "README.md (From Python)", "exec"), {})
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out" / "team.docx").paragraphs)
    assert "Introduction" in text  # lang="en" was honoured
    made = sorted(path.name for path in (tmp_path / "out" / "2026-10").glob("*.docx"))
    assert len(made) >= 2 and any("团队汇总" in name for name in made), made
    output = printed.getvalue()
    assert "manifest:" in output and "no-such.xlsx" in output
    assert not (tmp_path / "out" / "none.docx").exists()
