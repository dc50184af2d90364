"""Every problem found in a workbook, each at its cell, and the figures read but doubted."""

from __future__ import annotations

from collections.abc import Callable

from docgen.errors import CellError, Location
from docgen.input.cells import Cell, Sheet
from docgen.input.model import Doubt
from docgen.input.values import Invalid
from docgen.text.messages import say


class Problems:
    """What is wrong in a workbook's cells, collected so that all of it is told at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[CellError] = []
        self.doubts: list[Doubt] = []  # figures read but doubted, for docgen check (docgen.input.plausibility)

    def report(self, sheet: Sheet, cell: str | None, message: str, *, expected: str | None = None,
               found: str | None = None, hint: str | None = None) -> None:
        # message, expected and hint are docgen.text.messages Phrases: English, and Chinese on request.
        self.errors.append(CellError(
            message, location=Location(file=self.file, sheet=sheet.name, cell=cell),
            expected=expected, found=found, hint=hint,
        ))

    def convert(self, sheet: Sheet, cell: Cell, convert: Callable[[Cell], object], column_name: str):
        try:
            return convert(cell)
        except Invalid as invalid:
            self.report(sheet, cell.coordinate, say("cell.in_column", column=column_name, problem=invalid.message),
                        expected=invalid.expected, found=invalid.found, hint=invalid.hint)
            return None
