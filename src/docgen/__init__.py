"""docgen: turn a sales team's Excel workbook into a finished Word sales work summary.

The names below are the public front (README, "From Python"), imported on first use; every module under docgen is internal."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Each public name and the module that holds it.
_REPORTS = ("ReportOptions", "build_report", "check_report", "render_workbook")
_RUNS = ("RunSettings", "BatchOptions", "run_batch")
_MERGES = ("MergeOptions", "run_merge")
_ERRORS = (
    "DocgenError", "UsageError", "WorkbookError", "CellError", "InvalidWorkbook", "ChecksFailed",
    "TemplateError", "OutputError", "PathError", "Location",
)  # fmt: skip

__all__ = ["__version__", "load_workbook", *_REPORTS, *_RUNS, *_MERGES, *_ERRORS]


def __getattr__(name: str):
    if name == "load_workbook":
        from docgen.input import workbook as module
    elif name in _REPORTS:
        from docgen.runs import report as module
    elif name in _RUNS:
        from docgen.runs import batch as module
    elif name in _MERGES:
        from docgen.runs import merge as module
    elif name in _ERRORS:
        from docgen import errors as module
    else:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    value = globals()[name] = getattr(module, name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports them
    from docgen.errors import (
        CellError, ChecksFailed, DocgenError, InvalidWorkbook, Location, OutputError, PathError, TemplateError,
        UsageError, WorkbookError,
    )  # fmt: skip
    from docgen.input.workbook import load_workbook
    from docgen.runs.batch import BatchOptions, RunSettings, run_batch
    from docgen.runs.merge import MergeOptions, run_merge
    from docgen.runs.report import ReportOptions, build_report, check_report, render_workbook
