"""A table sheet's header row: where it is, which column is which, and the labels of open columns."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from docgen.input import schema
from docgen.input.cells import Cell, CellValue, Sheet, column_letter
from docgen.input.model import ColumnReading
from docgen.input.plausibility import totals_left_out
from docgen.input.problems import Problems
from docgen.input.values import display_text, is_blank
from docgen.text.messages import say

HEADER_SEARCH_ROWS = 20


@dataclass
class Header:
    cells: tuple[Cell, ...]  # the header row
    columns: dict[str, int] = field(default_factory=dict)  # column key → column number
    labels: list[tuple[int, str]] = field(default_factory=list)  # open sections: (column number, label)

    @property
    def row(self) -> int:
        return self.cells[0].row

    def text(self, key: str) -> str:
        return display_text(cell_at(self.cells, self.columns[key]).value)


def cell_at(row: tuple[Cell, ...], column: int) -> Cell:
    if column <= len(row):
        return row[column - 1]
    return Cell(row[0].row if row else 0, column)


def header_cells(row: tuple[Cell, ...]) -> list[Cell]:
    """A row's non-blank cells, a range merged across counting once (at its left)."""
    cells = []
    for cell in row:
        if is_blank(cell.value):
            continue
        left = cell_at(row, cell.column - 1) if cell.column > 1 else None
        if cell.merged_range and left is not None and left.merged_range == cell.merged_range:
            continue
        cells.append(cell)
    return cells


def fills_any(row: tuple[Cell, ...], columns: list[int]) -> bool:
    """Whether any of the columns holds something in this row (a loop: every data row is asked)."""
    for column in columns:
        if column <= len(row) and not is_blank(row[column - 1].value):
            return True
    return False


def is_blank_row(row: Iterable[Cell]) -> bool:
    return all(is_blank(cell.value) for cell in row)


def looks_like_title(first: tuple[Cell, ...], second: tuple[Cell, ...]) -> bool:
    """A title above a table: one cell, or one range merged across, over a wider row."""
    return len(header_cells(first)) == 1 and len(header_cells(second)) > 1


def _labels(values: Iterable[CellValue]) -> list[str]:
    """Sub-period / source labels from header values; dates read as months unless two share one."""
    values = list(values)
    dates = [value.date() if isinstance(value, dt.datetime) else value
             for value in values if isinstance(value, dt.date)]
    months = [date.strftime("%Y-%m") for date in dates]
    by_month = len(set(months)) == len(months)
    labels = []
    for value in values:
        if isinstance(value, dt.date):
            date = value.date() if isinstance(value, dt.datetime) else value
            labels.append(date.strftime("%Y-%m") if by_month else date.isoformat())
        else:
            labels.append(display_text(value))
    return labels


def names_of(named: schema.Column | schema.Section) -> str:
    """A column's or a section's usual names, Chinese and English: "目标达成 / Targets"."""
    return " / ".join(named.names[:2])


def column_readings(section: schema.Section | None, header: Header) -> tuple[ColumnReading, ...]:
    """Each headed cell of a header row and the field it became; every field None for an unknown sheet."""
    keys = {column: key for key, column in header.columns.items()}
    labels = dict(header.labels)
    figure = "period" if section is not None and section.key == "trend" else "source"
    readings = []
    for cell in header_cells(header.cells):
        text = display_text(cell.value)
        if cell.column in keys:
            readings.append(ColumnReading(column_letter(cell.column), text, keys[cell.column]))
        elif cell.column in labels:
            readings.append(ColumnReading(column_letter(cell.column), text, figure, labels[cell.column]))
        else:
            readings.append(ColumnReading(column_letter(cell.column), text, None))
    return tuple(readings)


def find_header(section: schema.Section, sheet: Sheet, problems: Problems,
                header_row: int | None = None) -> Header | None:
    """The row among the sheet's first that names the most of the section's columns, its columns mapped.

    `header_row`, when the whole sheet was searched already (a split), is the last row it may be.
    """
    best: Header | None = None
    best_score = 0
    candidates = sheet.rows[:HEADER_SEARCH_ROWS]
    if header_row is not None:  # found over the whole sheet already
        candidates = [row for row in candidates if row[0].row <= header_row]
    for row in candidates:
        known = {
            column.key
            for cell in header_cells(row)
            if (column := schema.match_column(section, display_text(cell.value))) is not None
            and column in section.columns
        }
        if len(known) > best_score:
            best, best_score = Header(row), len(known)
    first_cell = sheet.rows[0][0].coordinate if sheet.rows else "A1"
    if best is None:
        wanted = [names_of(column) for column in section.columns if column.required] or [
            names_of(column) for column in section.columns]
        problems.report(
            sheet, first_cell,
            say("header.none", rows=HEADER_SEARCH_ROWS),
            expected=say("header.none.expected", columns=", ".join(wanted)),
            hint=say("header.none.hint"),
        )
        return None
    if section.open_columns:
        _map_open_columns(problems, section, sheet, best)
    else:
        _map_columns(problems, section, sheet, best)
    return best


def _map_columns(problems: Problems, section: schema.Section, sheet: Sheet, header: Header) -> None:
    unknown: list[Cell] = []
    for cell in header_cells(header.cells):
        column = schema.match_column(section, display_text(cell.value))
        if column is None or (column not in section.columns and column not in (schema.PERSON, schema.NOTE)):
            unknown.append(cell)
            continue
        _claim_column(problems, sheet, header, column.key, cell)
    for column in section.columns:
        if column.required and column.key not in header.columns:
            _report_missing(problems, sheet, header, column, unknown)


def _claim_column(problems: Problems, sheet: Sheet, header: Header, key: str, cell: Cell) -> None:
    if key in header.columns:
        first = cell_at(header.cells, header.columns[key]).coordinate
        problems.report(sheet, cell.coordinate,
                        say("header.twice", column=display_text(cell.value), first=first),
                        expected=say("header.twice.expected"), hint=say("header.twice.hint"))
        return
    header.columns[key] = cell.column


def _report_missing(problems: Problems, sheet: Sheet, header: Header, column: schema.Column,
                    unknown: list[Cell]) -> None:
    names = {schema.normalize_name(name): name for name in column.names}
    suggestion = None
    for cell in unknown:
        typed = schema.normalize_name(display_text(cell.value))
        if difflib.get_close_matches(typed, names, n=1, cutoff=0.5):
            suggestion = cell
            break
    row_range = f"{header.cells[0].coordinate}:{header.cells[-1].coordinate}"
    if suggestion is not None:
        typed = display_text(suggestion.value)
        closest = difflib.get_close_matches(schema.normalize_name(typed), names, n=1, cutoff=0.5)[0]
        problems.report(
            sheet, suggestion.coordinate,
            say("header.misspelt", column=names_of(column), typed=typed),
            expected=say("header.misspelt.expected", names=" or ".join(column.names[:2])), found=typed,
            hint=say("header.misspelt.hint", name=names[closest]),
        )
    else:
        problems.report(
            sheet, row_range,
            say("header.missing", column=names_of(column), row=header.row),
            expected=say("header.misspelt.expected", names=" or ".join(column.names)),
            hint=say("header.missing.hint", first=column.names[0], second=column.names[1], row=header.row),
        )


def _map_open_columns(problems: Problems, section: schema.Section, sheet: Sheet, header: Header) -> None:
    """The indicator column, then each other headed column is a sub-period or a source system."""
    indicator = section.columns[0]
    cells = header_cells(header.cells)
    indicator_cell = next(cell for cell in cells if schema.match_column(section, display_text(cell.value)) is indicator)
    header.columns[indicator.key] = indicator_cell.column
    label_cells = []
    for cell in cells:
        if cell.column <= indicator_cell.column:
            continue
        column = schema.match_column(section, display_text(cell.value))
        if column in (schema.PERSON, schema.NOTE):  # a note is never a source system or a sub-period
            _claim_column(problems, sheet, header, column.key, cell)
        else:
            label_cells.append(cell)
    labels = _labels(cell.value for cell in label_cells)
    seen: dict[str, Cell] = {}
    for cell, label in zip(label_cells, labels):
        if section.key == "trend" and schema.is_total_label(label):  # 合计 after the months: no sub-period
            problems.doubts.append(totals_left_out(sheet.name, cell.coordinate, label))
            continue
        if label in seen:
            problems.report(sheet, cell.coordinate, say("header.twice", column=label, first=seen[label].coordinate),
                            expected=say("header.twice.expected"), hint=say("header.twice.hint"))
            continue
        seen[label] = cell
        header.labels.append((cell.column, label))
