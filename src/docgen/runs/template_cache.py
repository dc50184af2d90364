"""The templates a process has compiled: each compiled on its first document and reused while it is unchanged."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.report.narrative import TrendThresholds
    from docgen.word.compiled import CompiledTemplate

# By path, file version, trend thresholds and render limits (the output cap is compiled in).
_compiled_templates: dict[tuple, CompiledTemplate] = {}


def compiled_template(path: Path, thresholds: TrendThresholds) -> CompiledTemplate:
    """docgen.word.compiled.compile_template's template for a path, compiled once per process while unchanged.

    Kept from run to run: a process that makes several runs (docgen serve, a
    Python caller, a worker of a cluster) compiles a template once, and again
    only when its file, the thresholds or the render limits change.
    """
    from docgen.word.compiled import compile_template  # docxtpl: loaded by the workers, not by `docgen --help`
    from docgen.word.limits import current_limits

    try:
        stat = os.stat(path)
    except OSError:
        return compile_template(path, thresholds)  # it renders with docxtpl, which says what is wrong
    key = (os.fspath(path), stat.st_mtime_ns, stat.st_size, thresholds, current_limits())
    template = _compiled_templates.get(key)
    if template is None:
        if len(_compiled_templates) >= 16:  # a run uses a few; a long-lived process may see many
            _compiled_templates.clear()
        template = _compiled_templates[key] = compile_template(path, thresholds)
    return template
