"""A workbook in, a typed, validated SalesWorkbook out, every problem told at once (docs/reading.md)."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import InvalidWorkbook
from docgen.input.builder import WorkbookBuilder
from docgen.input.cells import Sheet
from docgen.input.facts import SheetFacts
from docgen.input.limits import ReadLimits
from docgen.input.model import SalesWorkbook, SheetReading
from docgen.input.reader import read_workbook
from docgen.input.values import cell_text


def load_workbook(path: str | Path, limits: ReadLimits | None = None) -> SalesWorkbook:
    """Read and validate a sales workbook.

    Raises WorkbookError when the file cannot be read at all, and InvalidWorkbook
    listing every cell, column and sheet problem when its content is wrong.
    Without `limits`, the reader's defaults and the environment's (DOCGEN_MAX_ROWS …).
    """
    sheets = read_workbook(path, limits)
    return WorkbookBuilder(str(path)).build(sheets)


def build_workbook(file: str, sheets: list[Sheet], facts: dict[str, SheetFacts] | None = None) -> SalesWorkbook:
    """A SalesWorkbook from sheets already read; `file` names the workbook in messages.

    `facts` (by sheet name) say what a whole column holds when `sheets` hold
    only part of the rows, as a split by salesperson gives each worker.
    """
    return WorkbookBuilder(file, facts).build(sheets)


def read_sheets(file: str, sheets: list[Sheet]) -> tuple[tuple[SheetReading, ...], InvalidWorkbook | None]:
    """How each sheet is read, by the code that builds the model, and what stops it making one (or None).

    For `docgen workbook show`: a workbook with problems still says how each of its sheets was read.
    """
    builder = WorkbookBuilder(file)
    try:
        builder.build(sheets)
    except InvalidWorkbook as invalid:
        return tuple(builder.readings), invalid
    return tuple(builder.readings), None


__all__ = ["build_workbook", "cell_text", "load_workbook", "read_sheets"]
