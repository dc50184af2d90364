"""The templates a worker has compiled: each compiled on its first document and reused for the rest of the run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.report.narrative import TrendThresholds
    from docgen.word.compiled import CompiledTemplate

# By path, file version and trend thresholds.
_compiled_templates: dict[tuple, CompiledTemplate] = {}


def compiled_template(path: Path, thresholds: TrendThresholds) -> CompiledTemplate:
    """docgen.word.compiled.compile_template's template for a path, compiled once per worker and run."""
    from docgen.word.compiled import compile_template  # docxtpl: loaded by the workers, not by `docgen --help`

    try:
        stat = os.stat(path)
    except OSError:
        return compile_template(path, thresholds)  # it renders with docxtpl, which says what is wrong
    key = (os.fspath(path), stat.st_mtime_ns, stat.st_size, thresholds)
    template = _compiled_templates.get(key)
    if template is None:
        if len(_compiled_templates) >= 16:  # a run uses a few; a long-lived process may see many
            _compiled_templates.clear()
        template = _compiled_templates[key] = compile_template(path, thresholds)
    return template


def forget_compiled_templates() -> None:
    """Start a run with no template compiled (its workers start empty too)."""
    _compiled_templates.clear()
