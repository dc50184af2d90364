"""Reads an .xlsx file into plain sheets of cells, all at once or a sheet at a time (docs/reading.md).

openpyxl is not imported here: the package's XML is parsed with lxml (docgen.input.xlsx).
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from docgen.errors import Location, WorkbookError
from docgen.input.cells import (
    Cell,
    CellValue,
    ErrorValue,
    FormulaWithoutValue,
    ReadWarning,
    Sheet,
    SheetInfo,
    column_letter,
)
from docgen.input.limits import DEFAULT_LIMITS, ReadLimits, limits_from_environment
from docgen.input.xlsx.file import check_file, unreadable
from docgen.input.xlsx.formats import EPOCH_1900, EPOCH_1904, read_formats
from docgen.input.xlsx.package import Parts, read_package, refuse_streamed_doctype
from docgen.input.xlsx.sheet import (
    RowParser,
    fill_row,
    scan_sheet,
    spread_merged_values,
)
from docgen.input.xlsx.strings import read_shared_strings
from docgen.text.messages import say


def read_workbook(path: str | Path, limits: ReadLimits | None = None) -> list[Sheet]:
    """Every worksheet of an .xlsx file as plain data, in workbook order.

    Raises WorkbookError when the file cannot be read as an .xlsx workbook.
    Without `limits`, the defaults and the environment's (limits_from_environment).
    """
    with open_workbook(path, limits) as book:
        sheets = []
        for index, info in enumerate(book.sheets):
            rows = tuple(book.rows(index))
            warnings = tuple(warning for warning in book.warnings if warning.sheet == info.name)
            sheets.append(Sheet(info.name, rows, info.hidden, warnings))
        return sheets


def open_workbook(path: str | Path, limits: ReadLimits | None = None) -> OpenWorkbook:
    """The workbook's sheets, listed, with their rows to be read one sheet at a time (OpenWorkbook.rows).

    Checks the file as read_workbook does and raises the same WorkbookErrors.
    Close it (or use it as a context manager) when done.
    """
    path = Path(path)
    limits = limits or limits_from_environment()
    check_file(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise unreadable(path, exc) from exc
    try:
        return OpenWorkbook(path, limits, archive)
    except Exception as exc:  # a malformed package surfaces as many exception types
        archive.close()
        raise unreadable(path, exc) from exc


class OpenWorkbook:
    """An .xlsx workbook whose sheets are listed and whose rows are read on demand, sheet by sheet."""

    def __init__(self, path: Path, limits: ReadLimits, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._limits = limits
        self._archive = archive
        self._package = Parts(archive)
        self._cells_read = 0  # across every rows() call: the limit is the whole workbook's
        package = read_package(self._package)
        self.sheets: list[SheetInfo] = [SheetInfo(name, hidden) for name, hidden, _part in package.sheets]
        self._parts = [part for _name, _hidden, part in package.sheets]
        # Unpacked size of each sheet's XML: how much work reading it is.
        self.sheet_sizes: list[int] = [self._package.info(part).file_size for part in self._parts]
        strings, repaired = ((), frozenset())
        if package.shared_strings:
            strings, repaired = read_shared_strings(self._package, package.shared_strings)
        self._parser = RowParser(self._package, read_formats(self._package, package.styles), strings, repaired,
                                 EPOCH_1904 if package.date1904 else EPOCH_1900)
        # What was changed in a cell to read it (characters replaced), each cell once, as the sheets are read.
        self.warnings: list[ReadWarning] = self._parser.warnings

    def __enter__(self) -> OpenWorkbook:
        return self

    def __exit__(self, *_exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()
        self._parser.strings = ()  # a big workbook's strings are a megabyte or more: let them go with the file

    def rows(self, index: int) -> Iterator[tuple[Cell, ...]]:
        """The non-empty rows of sheet `index` (as Sheet.rows holds them), read as they are asked for.

        A sheet whose rows are in order and which has no merged ranges is parsed
        as it is consumed, one row at a time; any other is read whole first (a
        merged range spreads a value down to rows below; rows out of order must
        be sorted). Cells whose text had characters replaced are added to `warnings`.
        """
        name, part = self.sheets[index].name, self._parts[index]
        limit = self._limits.max_cells
        try:
            refuse_streamed_doctype(self._package, part)
            layout = scan_sheet(self._package, part)
            merged = layout.merged_ranges
            collected: list[str] | None = [] if merged is None else None  # the parser finds them
            streamed = layout.in_order and merged == []
            parsed = self._parser.rows(part, name, collected, layout.last_filled_row if collected is None else None)
            # The parser holds the sheet's part open: it is closed however the reading ends.
            with contextlib.closing(parsed):
                if not streamed:
                    by_number: dict[int, dict[int, Cell]] = {}
                    for number, cells in parsed:
                        if number in by_number:
                            by_number[number].update(cells)  # a row repeated: a later cell for a column wins
                        else:
                            by_number[number] = cells
                    numbered = ((number, by_number[number]) for number in sorted(by_number))
                    rows = [row for row, _filled in self._checked_rows(numbered, name)]
                    if collected:
                        merged = collected
                    if merged:
                        rows = spread_merged_values(rows, merged)
                    counted = ((row, sum(cell.value is not None for cell in row)) for row in rows)
                else:
                    counted = self._checked_rows(parsed, name)
                for row, filled in counted:
                    self._cells_read += filled
                    if limit is not None and self._cells_read > limit:
                        raise WorkbookError(
                            say("file.too_many_cells", limit=limit),
                            location=Location(file=str(self.path), sheet=name),
                            expected=say("file.too_many_cells.expected", limit=limit),
                            hint=say("file.too_many_cells.hint", double=limit * 2),
                        )
                    yield row
        except WorkbookError:
            raise
        except Exception as exc:  # malformed XML and values surface as many exception types
            raise unreadable(self.path, exc, sheet=name) from exc

    def _checked_rows(self, numbered: Iterator[tuple[int, dict[int, Cell]]],
                      sheet_name: str) -> Iterator[tuple[tuple[Cell, ...], int]]:
        """Rows in order, (number, cells) each, as the rows read_workbook gives, with their numbers of filled cells.

        A row the file repeats (the same number twice in a row) is one row, a
        later cell for a column winning, as Excel shows it.
        """
        last_row = self._limits.max_rows_per_sheet
        pending_number, pending = -1, None
        for number, cells in chain(numbered, ((None, None),)):  # the last one flushes the last row
            if number == pending_number:
                pending.update(cells)
                continue
            if pending:
                if last_row is not None and pending_number > last_row:
                    raise WorkbookError(
                        say("file.too_many_rows", limit=last_row),
                        location=Location(file=str(self.path), sheet=sheet_name,
                                          cell=pending[min(pending)].coordinate),
                        expected=say("file.too_many_rows.expected", limit=last_row),
                        hint=say("file.too_many_rows.hint", double=last_row * 2),
                    )
                yield fill_row(pending_number, pending), len(pending)
            pending_number, pending = number, cells


__all__ = [
    "Cell",
    "CellValue",
    "DEFAULT_LIMITS",
    "ErrorValue",
    "FormulaWithoutValue",
    "OpenWorkbook",
    "ReadLimits",
    "ReadWarning",
    "Sheet",
    "SheetInfo",
    "column_letter",
    "limits_from_environment",
    "open_workbook",
    "read_workbook",
]
