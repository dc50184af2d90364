"""Sheets, rows and cells as the reader gives them: plain values, each at its coordinate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula whose result was never computed (the file was not saved by a spreadsheet program)."""

    formula: str | None  # "=A1+1"; None for a shared formula whose text sits in another cell

    def __str__(self) -> str:
        return self.formula or "a formula"


@dataclass(frozen=True)
class ErrorValue:
    """An error a formula produced, such as #DIV/0! or #N/A."""

    code: str

    def __str__(self) -> str:
        return self.code


CellValue = Union[
    str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta, FormulaWithoutValue, ErrorValue, None
]


@dataclass(frozen=True, slots=True)
class Cell:
    row: int  # 1-based, as Excel numbers rows
    column: int  # 1-based: A is 1
    value: CellValue = None
    percent: bool = False  # the number format shows the value as a percentage (0.12 as 12%)
    merged_range: str | None = None  # "A1:E1" when the cell is part of a merged range

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    @property
    def is_empty(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class ReadWarning:
    """Something the reader changed in a cell so that it could be read, for the caller to report."""

    sheet: str
    cell: str  # "B7"
    message: str  # a Phrase (docgen.text.messages), in English and Chinese


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    # The sheet's non-empty rows, top to bottom. Each row starts at column A and
    # runs to its last non-empty cell; empty positions hold a Cell whose value is None.
    rows: tuple[tuple[Cell, ...], ...] = ()
    hidden: bool = False
    warnings: tuple[ReadWarning, ...] = ()  # cells whose text had characters replaced (OpenWorkbook.warnings)


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    hidden: bool  # hidden or "very hidden" in Excel


def column_letter(column: int) -> str:
    """Excel's letters for a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
