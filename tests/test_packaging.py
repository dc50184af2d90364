"""Packaging: a plain, non-editable install carries every module and the built-in templates."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_the_cli_package_and_every_builtin_template(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("docgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "docgen/cli/__init__.py" in names and "docgen/cli/render.py" in names
    for module in (ROOT / "src" / "docgen").rglob("*.py"):  # every module of every package, subpackages too
        assert f"docgen/{module.relative_to(ROOT / 'src' / 'docgen').as_posix()}" in names
    assert {f"docgen/text/phrases/{area}.{lang}.toml" for area in ("messages", "report", "checks", "blank", "cli")
            for lang in ("zh", "en")} <= names
    templates = sorted(p.name for p in (ROOT / "templates" / "docx").glob("*.docx"))
    assert templates, "no built-in templates in templates/docx"
    for name in templates:
        assert f"docgen/builtin_templates/{name}" in names
