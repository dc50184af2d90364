"""A worksheet's XML: a quick scan of its text, then its rows parsed into cells, merged ranges spread."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from docgen.input.cells import (
    Cell,
    CellValue,
    ErrorValue,
    FormulaWithoutValue,
    ReadWarning,
    column_letter,
)
from docgen.input.xlsx.formats import NumberFormat, from_iso8601, from_serial
from docgen.input.xlsx.package import MAIN_NS, Damage, Parts, forget, iterparse
from docgen.input.xlsx.strings import StringTable, text_of, unescape
from docgen.text.messages import say

_ROW, _VALUE, _FORMULA, _INLINE_STRING, _MERGE_CELL = (
    f"{{{MAIN_NS}}}{name}" for name in ("row", "v", "f", "is", "mergeCell")
)


@dataclass(frozen=True)
class SheetScan:
    merged_ranges: list[str] | None  # "A1:C1" …, in the file's order; None: not known (the parser must list them)
    in_order: bool  # its rows come in ascending order (a row may repeat the one before it)
    # The number of the row holding the sheet's last cell (0: no cell; None: not known). Rows
    # below it are empty, only formatted: a parse of rows in order stops there.
    last_filled_row: int | None


# A row's start tag, and its r attribute when it has one; a merged range's ref. The
# elements' prefix (<x:row>, as some writers spell them) is put in front.
_ROW_TAG = rb"<%srow\b(?:[^>]*?\sr\s*=\s*[\"'](\d+))?"
_MERGE_TAG = rb"<%smergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']*)"
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")


def scan_sheet(package: Parts, part: str) -> SheetScan:
    """A sheet's merged ranges, whether its rows are in order, and which row holds its last cell.

    A search of the text, far quicker than parsing it, so that the common sheet
    (rows in order, nothing merged) can be parsed as a stream, and one formatted
    down to row 1,048,576 costs no more than its filled rows.
    """
    merged: list[str] = []
    row_tag = merge_tag = cell_end = row_start = None
    last = number = 0
    in_order = True
    last_filled: int | None = 0
    carried = b""
    with package.open(part) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            text = carried + block
            cut = text.rfind(b"<")  # a tag cut in two by the block's end waits for the next block
            if cut <= 0 or len(text) - cut > 4096:
                cut = len(text)
            text, carried = text[:cut], text[cut:]
            if row_tag is None:
                if b"\0" in text[:4096]:  # UTF-16 or UTF-32, which no search here can read: read it whole
                    return SheetScan(merged_ranges=None, in_order=False, last_filled_row=None)
                root = _ROOT_PREFIX.search(text)
                prefix = (root.group(1) or b"") if root else b""
                row_tag, merge_tag = (re.compile(tag % re.escape(prefix)) for tag in (_ROW_TAG, _MERGE_TAG))
                # A cell that holds anything has an end tag; one without (<c r="A1" s="1"/>) is empty.
                cell_end, row_start = b"</" + prefix + b"c>", b"<" + prefix + b"row"
            if b"mergeCell" in text:
                merged += (ref.decode("ascii", "replace") for ref in merge_tag.findall(text))
            row_before = number  # the last row of the blocks before this one
            if in_order:
                stated = row_tag.findall(text)
                if b"" in stated:  # rows without a number: each comes after the one before it
                    for found in stated:
                        number = int(found) if found else number + 1
                        if number < last:
                            in_order = False
                            break
                        last = number
                elif stated:
                    numbers = list(map(int, stated))
                    in_order = numbers[0] >= last and numbers == sorted(numbers)  # sorted() is quick on sorted lists
                    last = number = numbers[-1]
            if not in_order:
                last_filled = None  # of no use: the sheet is read whole
                continue
            cell_at = text.rfind(cell_end)
            if cell_at >= 0:
                row_at = text.rfind(row_start, 0, cell_at)
                if row_at < 0:  # the row began in a block before
                    last_filled = row_before
                else:
                    found = row_tag.match(text, row_at)
                    last_filled = int(found.group(1)) if found and found.group(1) else None
    return SheetScan(merged, in_order, last_filled)


class RowParser:
    """Parses a sheet's rows into cells, with the workbook's number formats, shared strings and date system."""

    def __init__(self, package: Parts, formats: list[NumberFormat | None], strings: StringTable | tuple,
                 repaired_strings: frozenset[int], epoch: dt.datetime) -> None:
        self._package = package
        self._formats = formats
        self.strings = strings
        self._repaired_strings = repaired_strings  # shared strings with characters replaced
        self._epoch = epoch
        # What was changed in a cell to read it (characters replaced), as the sheets are read:
        # each cell once, however often its sheet is read.
        self.warnings: list[ReadWarning] = []
        self._warned: set[tuple[str, str]] = set()

    def rows(self, part: str, sheet_name: str, merged: list[str] | None,
             last_filled_row: int | None) -> Iterator[tuple[int, dict[int, Cell]]]:
        """Each <row> that holds a filled cell, in the file's order: its number and its cells by column.

        The merged ranges are appended to `merged` when it is a list (when the
        scan could not list them); they are not spread here. The parse stops
        after row `last_filled_row` when it is given (see scan_sheet).
        """
        number = 0  # a row without an r attribute comes after the one before it in the file
        with self._package.open(part) as stream:
            for _event, element in iterparse(stream, (_ROW, _MERGE_CELL) if merged is not None else (_ROW,)):
                if element.tag == _MERGE_CELL:
                    if element.get("ref"):
                        merged.append(element.get("ref"))
                    continue
                stated = element.get("r")
                if stated is None:
                    number += 1
                else:
                    try:
                        number = int(stated)
                    except ValueError:
                        number = _row_number(stated)
                if last_filled_row is not None and number > last_filled_row:
                    return  # only empty rows below (see scan_sheet)
                if len(element):  # an empty row (only formatted) costs no more than this
                    cells = self._parse_cells(element, number, sheet_name)
                    if cells:
                        yield number, cells
                forget(element)

    def _parse_cells(self, row: etree._Element, row_number: int, sheet_name: str) -> dict[int, Cell]:
        """The row's non-empty cells by column (in the order the file gives them).

        Written for speed (the workbook's every cell passes here): plain numbers
        and shared strings, nearly all of a sales workbook, are made inline. A
        cell that cannot be read is looked at again, slowly, to say what is wrong.
        """
        formats, strings, repaired = self._formats, self.strings, self._repaired_strings
        cells: dict[int, Cell] = {}
        column = 0
        element = None
        try:
            for element in row:
                coordinate = element.get("r")
                if coordinate:
                    letters = coordinate.rstrip("0123456789")
                    column = _COLUMNS.get(letters, 0) if len(letters) < len(coordinate) else 0
                    if not column:
                        column = _column_number(coordinate)
                else:
                    column += 1
                style_text = element.get("s")
                style = int(style_text) if style_text else 0
                kind = element.get("t", "n")
                value_element = formula = inline = None
                for child in element:
                    tag = child.tag
                    if tag == _VALUE:
                        if value_element is None:
                            value_element = child
                    elif tag == _FORMULA:
                        if formula is None:
                            formula = child
                    elif tag == _INLINE_STRING and inline is None:
                        inline = child
                text = value_element.text if value_element is not None else None
                # Only a text result can legitimately be empty; openpyxl itself writes formulas
                # with an empty <v/> and no type. (A cell without an r attribute is marked too:
                # the old two-pass reader could not place it and read it as empty.)
                if formula is not None and (value_element is None or (not text and kind != "str")):
                    missing = FormulaWithoutValue(f"={formula.text}" if formula.text else None)
                    cells[column] = Cell(row_number, column, missing)
                    continue
                if kind == "inlineStr":
                    value = text_of(inline) if inline is not None else None
                elif not text:
                    value = None
                elif kind == "n":
                    value = float(text) if "." in text or "E" in text or "e" in text else int(text)
                    number_format = formats[style] or _undefined_format(style)
                    if not (number_format.date or number_format.chinese_date):
                        cells[column] = Cell(row_number, column, value, number_format.percent)
                        continue
                elif kind == "s":
                    if formats[style] is None:  # the style must be defined, even for text, as openpyxl required
                        _undefined_format(style)
                    cells[column] = Cell(row_number, column, strings[int(text)])
                    if repaired and int(text) in repaired:
                        self._warn_replaced(sheet_name, cells[column].coordinate)
                    continue
                else:
                    value = _typed_value(text, kind)
                if value is None:
                    cells.pop(column, None)  # a later cell for the same position wins, even an empty one
                else:
                    cells[column] = self._cell(row_number, column, value, kind, style, sheet_name)
        except (ValueError, IndexError, TypeError, OverflowError) as exc:
            raise _cell_damage(element, row_number, column, formats, strings) from exc
        return cells  # in any order the file gives them: each cell stands where its reference says

    def _cell(self, row: int, column: int, value: CellValue, kind: str, style: int, sheet_name: str) -> Cell:
        """A cell of any value but a plain number or a shared string (those are made in _parse_cells)."""
        if isinstance(value, ErrorValue):
            return Cell(row, column, value)
        number_format = self._formats[style] or _undefined_format(style)
        # (A negative style counts from the end of the list, as it did in openpyxl, but is no date.)
        if kind == "n" and number_format.date and style >= 0:
            try:
                value = from_serial(value, self._epoch, duration=number_format.duration)
            except (OverflowError, ValueError):
                return Cell(row, column, _OUTSIDE_THE_CALENDAR)
        if isinstance(value, bool):
            return Cell(row, column, value)
        if isinstance(value, str):
            if "_x" in value:
                value, replaced = unescape(value)
                if replaced:
                    self._warn_replaced(sheet_name, f"{column_letter(column)}{row}")
            return Cell(row, column, value)
        if number_format.chinese_date and isinstance(value, (int, float)):
            try:
                value = from_serial(value, self._epoch)
            except (OverflowError, ValueError):
                pass  # a serial outside the calendar: keep the number, the caller reports it
        if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
            value = value.date()
        return Cell(row, column, value, percent=number_format.percent and isinstance(value, (int, float)))

    def _warn_replaced(self, sheet_name: str, coordinate: str) -> None:
        if (sheet_name, coordinate) not in self._warned:
            self._warned.add((sheet_name, coordinate))
            self.warnings.append(ReadWarning(sheet_name, coordinate, say("file.replaced_characters")))


def _typed_value(text: str, kind: str) -> CellValue:
    """The value of a non-empty <v> of a type other than a number or a shared string."""
    if kind == "b":
        return bool(int(text))
    if kind == "e":
        return ErrorValue(text)
    if kind == "d":
        return from_iso8601(text)
    return text  # "str", a formula's text result; an unknown type reads as its text too


def _undefined_format(style: int):
    raise ValueError(f"cell style {style} has a number format that styles.xml does not define")


# A date-formatted number no date can have (a serial past the year 9999): read as #VALUE!, as openpyxl did.
_OUTSIDE_THE_CALENDAR = ErrorValue("#VALUE!")


# -- cell positions

_COLUMNS: dict[str, int] = {}  # "AB" → 28, filled as letters are met (_parse_cells looks here first)
_FIRST_DIGIT = re.compile(r"[0-9]")


def _column_number(coordinate: str) -> int:
    """The column of a cell reference ("B7" → 2); raises ValueError for one that is not a cell reference."""
    digit = _FIRST_DIGIT.search(coordinate)
    letters = coordinate[: digit.start()] if digit else coordinate
    if not 0 < len(letters) <= 3 or not all("A" <= letter <= "Z" for letter in letters.upper()):
        raise ValueError(f"not a cell reference: {coordinate!r}")
    int(coordinate[len(letters):])  # the row part must be a number, though the <row> tells the row
    column = _COLUMNS[letters] = _column_of_letters(letters)
    return column


def _column_of_letters(letters: str) -> int:
    """A column's number from its letters, in either case: "AB" → 28 (column_letter's inverse)."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _row_number(text: str) -> int:
    """A row's r attribute as a number ("9.0" is row 9, as openpyxl read it)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer():
        raise Damage(say("file.bad_row_number", number=_shorten(text, 20)))
    return int(number)


def _cell_damage(element: etree._Element | None, row: int, column: int,
                 formats: list[NumberFormat | None], strings) -> Damage:
    """What is wrong with a cell _parse_cells could not read, in a user's words: looked at again, slowly."""
    if element is None:
        return Damage(say("file.damaged_sheet"))
    coordinate = element.get("r")
    if coordinate:
        try:
            column = _column_number(coordinate)
        except ValueError:
            return Damage(say("file.bad_cell_reference", reference=_shorten(coordinate, 20), row=row))
    cell = f"{column_letter(column)}{row}" if column > 0 else None
    style = element.get("s") or "0"
    try:
        defined = formats[int(style)] is not None
    except (ValueError, IndexError):
        defined = False
    if not defined:
        return Damage(say("file.undefined_style", style=_shorten(style, 20)), cell)
    kind = element.get("t", "n")
    text = next((child.text for child in element if child.tag == _VALUE), None) or ""
    if kind == "s":
        if not text.strip().isdigit() or int(text) >= len(strings):
            return Damage(say("file.bad_shared_string", number=_shorten(text, 20), count=len(strings)), cell)
    elif kind in _STORED_AS:
        return Damage(say("file.bad_value", kind=say(_STORED_AS[kind]), text=_shorten(text, 40)), cell)
    return Damage(say("file.damaged_cell"), cell)


_STORED_AS = {"n": "file.stored_as.number", "b": "file.stored_as.boolean", "d": "file.stored_as.date"}


_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _row_and_column(coordinate: str) -> tuple[int, int]:
    """A merged range's corner ("$B$7" → (7, 2)); raises ValueError for one that is not a cell reference."""
    match = _COORDINATE.match(coordinate.strip())
    if not match:
        raise ValueError(f"not a cell reference: {coordinate!r}")
    return int(match.group(2)), _column_of_letters(match.group(1))


def fill_row(row_number: int, cells: dict[int, Cell]) -> tuple[Cell, ...]:
    """The row from column A to its last filled cell, empty positions as empty cells."""
    last = max(cells)
    if len(cells) == last:  # no gaps: the common case, made quick
        return tuple(map(cells.__getitem__, range(1, last + 1)))
    return tuple(cells.get(column) or Cell(row_number, column) for column in range(1, last + 1))


def spread_merged_values(rows: list[tuple[Cell, ...]], merged_ranges: list[str]) -> list[tuple[Cell, ...]]:
    """Give every cell of a merged range the top-left cell's value."""
    if not merged_ranges or not rows:
        return [tuple(row) for row in rows]
    grid = {(cell.row, cell.column): cell for row in rows for cell in row}
    last_row = rows[-1][0].row
    widest = max(len(row) for row in rows)
    for merged in merged_ranges:
        first, _, last = merged.partition(":")
        try:
            top, left = _row_and_column(first)
            bottom, right = _row_and_column(last or first)
        except ValueError:
            continue
        anchor = grid.get((top, left))
        if anchor is None or anchor.is_empty:
            continue
        # A range merged down to the sheet's end is clipped to what was read.
        for row in range(top, min(bottom, last_row) + 1):
            for column in range(left, min(right, max(widest, left)) + 1):
                grid[(row, column)] = Cell(row, column, anchor.value, anchor.percent, merged)
    by_row: dict[int, dict[int, Cell]] = {}
    for (row, column), cell in grid.items():
        if not cell.is_empty:
            by_row.setdefault(row, {})[column] = cell
    return [
        tuple(by_row[row].get(column, Cell(row, column)) for column in range(1, max(by_row[row]) + 1))
        for row in sorted(by_row)
    ]


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
