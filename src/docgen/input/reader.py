"""Reads an .xlsx file into plain sheets of cells, parsing the package's XML itself with lxml.

What comes out is plain Python: each visible or hidden worksheet in workbook
order, each a list of its non-empty rows, each cell with its coordinate
("C5"), a plain value and whether its number format shows a percentage.
``read_workbook`` gives every sheet at once; ``open_workbook`` lists the
sheets and streams one sheet's rows at a time (``OpenWorkbook.rows``).

The values are the ones openpyxl's read-only, data-only mode gave when it
read the files (the reader was built on it; tests/test_reader.py compares),
except where openpyxl lost what Excel shows (gaps, repeated rows, escapes):

- Merged cells: every cell of a merged range carries the top-left cell's value.
- Dates: date-formatted numbers become ``datetime.date`` (``datetime.datetime``
  when they have a time of day, ``datetime.time`` or ``datetime.timedelta``
  for times and durations), including the Chinese built-in formats
  (ids 27–36 and 50–58) that have no standard format code.
- Formulas: the value Excel cached when the file was last saved. A formula
  with no cached value becomes a ``FormulaWithoutValue``, an error value
  (#DIV/0!, #REF!, #N/A …) an ``ErrorValue``, so the caller can name the cell.
- Every filled row is read, however far below a gap it is. A search of the
  sheet's text first finds its merged ranges, whether its rows are in order
  and which row holds its last cell, so that rows below it (a sheet formatted
  down to row 1,048,576) are not parsed. Several ``<row>`` elements with the
  same number are one row (a later cell for the same column wins), and rows
  out of order come out in order. A sheet is parsed as a stream, row by row,
  unless it has merged ranges or rows out of order: then it is held whole.
- Text that Excel escaped (``_x0007_`` for a character XML cannot hold) is read
  as the character it stands for, as Excel reads it: ``_x005F_`` is an escaped
  underscore, so ``_x005F_x000D_`` is the text ``_x000D_``. An escape that
  stands for half a UTF-16 pair with no other half (``_xD800_``) cannot be
  text: it becomes U+FFFD and the cell is listed in ``warnings``.
- Parts are found as Excel finds them: the workbook part through the package's
  relationships, part names in any case and with either slash.
- Limits (``ReadLimits``): rows per sheet and filled cells (100,000 and
  1,000,000 unless DOCGEN_MAX_ROWS and DOCGEN_MAX_CELLS say otherwise), and
  what the zip may unpack to: a whole above 1 GB, or a part both above 32 MB
  and packed more than 500 to 1, is refused as a possible zip bomb before any
  XML is parsed.
- Hostile XML: a part that declares a DOCTYPE is refused before it is parsed
  (no workbook needs one; it is what entity expansion and external entity
  attacks are made of), and the parser neither expands entities nor loads
  DTDs nor touches the network.
- A file that cannot be read gets a message saying what is wrong in it (which
  sheet, row or cell), never the text of an internal exception.

The input file is opened read-only and never written. openpyxl is not
imported here (importing it takes longer than reading a small workbook); it
remains a dependency for writing blank workbooks (blank.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Union

from lxml import etree

from docgen.errors import Location, UsageError, WorkbookError
from docgen.text.messages import say


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


@dataclass(frozen=True)
class ReadLimits:
    """How much of a workbook is read, so a huge file cannot stall a run.

    The limits count what is there (rows with data, filled cells, bytes), never
    gaps: empty rows are skipped at little cost, however many there are.
    """

    max_rows_per_sheet: int | None = 100_000  # data below this row is refused; None: no limit
    max_cells: int | None = 1_000_000  # non-empty cells in the whole workbook; None: no limit
    # What the file may unpack to, checked from the zip's directory before anything is parsed.
    # The total is what bounds the work; a part's ratio is only a second signal. Deflate
    # packs at most about 1,030 to 1, and genuine sheets of long repeated text reach 100
    # to 200 to 1 (54 MB from 460 KB is 117 to 1), so a part is refused only when it is
    # both big and packed like filler written to inflate: what a real bomb is.
    max_unpacked_bytes: int = 1 << 30
    max_part_ratio: int = 500  # unpacked / packed size of one part ...
    part_ratio_checked_from: int = 32 << 20  # ... for parts that unpack to more than this (bytes)


DEFAULT_LIMITS = ReadLimits()
_LIMIT_VARIABLES = {"max_rows_per_sheet": "DOCGEN_MAX_ROWS", "max_cells": "DOCGEN_MAX_CELLS"}


def limits_from_environment(environ: dict[str, str] | None = None) -> ReadLimits:
    """The default limits, with DOCGEN_MAX_ROWS and DOCGEN_MAX_CELLS where they are set (0: no limit)."""
    environ = os.environ if environ is None else environ
    changes: dict[str, int | None] = {}
    for field_name, variable in _LIMIT_VARIABLES.items():
        text = environ.get(variable, "").strip().replace(",", "").replace("_", "")
        if not text:
            continue
        if not text.isdigit():
            raise UsageError(
                f"{variable} must be a whole number of {'rows' if 'ROWS' in variable else 'cells'}",
                found=environ[variable], hint=f"Set it as {variable}=200000, or 0 for no limit.",
            )
        changes[field_name] = int(text) or None
    return dataclasses.replace(DEFAULT_LIMITS, **changes) if changes else DEFAULT_LIMITS

# Number format ids that the Chinese editions of Excel and WPS use for dates and
# times (yyyy"年"m"月"d"日", m"月"d"日", h"时"mm"分" …). They have no standard
# format code, so nothing in the file says they are dates but the id itself.
CHINESE_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding a stream of this name (UTF-16 in the directory).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def column_letter(column: int) -> str:
    """Excel's letters for a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


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
    _check_file(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(path, exc) from exc
    try:
        return OpenWorkbook(path, limits, archive)
    except Exception as exc:  # a malformed package surfaces as many exception types
        archive.close()
        raise _unreadable(path, exc) from exc


class OpenWorkbook:
    """An .xlsx workbook whose sheets are listed and whose rows are read on demand, sheet by sheet."""

    def __init__(self, path: Path, limits: ReadLimits, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._limits = limits
        self._archive = archive
        self._package = _Parts(archive)
        self._cells_read = 0  # across every rows() call: the limit is the whole workbook's
        # What was changed in a cell to read it (characters replaced), as the sheets are read:
        # each cell once, however often its sheet is read.
        self.warnings: list[ReadWarning] = []
        self._warned: set[tuple[str, str]] = set()
        package = _read_package(self._package)
        self.sheets: list[SheetInfo] = [SheetInfo(name, hidden) for name, hidden, _part in package.sheets]
        self._parts = [part for _name, _hidden, part in package.sheets]
        # Unpacked size of each sheet's XML: how much work reading it is.
        self.sheet_sizes: list[int] = [self._package.info(part).file_size for part in self._parts]
        self._epoch = package.epoch
        self._formats = _read_formats(self._package, package.styles)
        self._strings: _StringTable | tuple = ()
        self._repaired_strings: frozenset[int] = frozenset()  # shared strings with characters replaced
        if package.shared_strings:
            self._strings, self._repaired_strings = _read_shared_strings(self._package, package.shared_strings)

    def __enter__(self) -> OpenWorkbook:
        return self

    def __exit__(self, *_exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()
        self._strings = ()  # a big workbook's strings are a megabyte or more: let them go with the file

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
            _refuse_streamed_doctype(self._package, part)
            layout = _scan_sheet(self._package, part)
            merged = layout.merged_ranges
            collected: list[str] | None = [] if merged is None else None  # the parser finds them
            streamed = layout.in_order and merged == []
            parsed = self._row_cells(part, name, collected, layout.last_filled_row if collected is None else None)
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
                        rows = _spread_merged_values(rows, merged)
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
            raise _unreadable(self.path, exc, sheet=name) from exc

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
                yield _fill_row(pending_number, pending), len(pending)
            pending_number, pending = number, cells

    def _row_cells(self, part: str, sheet_name: str, merged: list[str] | None,
                   last_filled_row: int | None) -> Iterator[tuple[int, dict[int, Cell]]]:
        """Each <row> that holds a filled cell, in the file's order: its number and its cells by column.

        The merged ranges are appended to `merged` when it is a list (when the
        scan could not list them); they are not spread here. The parse stops
        after row `last_filled_row` when it is given (see _scan_sheet).
        """
        number = 0  # a row without an r attribute comes after the one before it in the file
        with self._package.open(part) as stream:
            for _event, element in _iterparse(stream, (_ROW, _MERGE_CELL) if merged is not None else (_ROW,)):
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
                    return  # only empty rows below (see _scan_sheet)
                if len(element):  # an empty row (only formatted) costs no more than this
                    cells = self._parse_cells(element, number, sheet_name)
                    if cells:
                        yield number, cells
                _forget(element)

    def _parse_cells(self, row: etree._Element, row_number: int, sheet_name: str) -> dict[int, Cell]:
        """The row's non-empty cells by column (in the order the file gives them).

        Written for speed (the workbook's every cell passes here): plain numbers
        and shared strings, nearly all of a sales workbook, are made inline. A
        cell that cannot be read is looked at again, slowly, to say what is wrong.
        """
        formats, strings, repaired = self._formats, self._strings, self._repaired_strings
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
                    value = _text_of(inline) if inline is not None else None
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
                value = _from_serial(value, self._epoch, duration=number_format.duration)
            except (OverflowError, ValueError):
                return Cell(row, column, _OUTSIDE_THE_CALENDAR)
        if isinstance(value, bool):
            return Cell(row, column, value)
        if isinstance(value, str):
            if "_x" in value:
                value, replaced = _unescape(value)
                if replaced:
                    self._warn_replaced(sheet_name, f"{column_letter(column)}{row}")
            return Cell(row, column, value)
        if number_format.chinese_date and isinstance(value, (int, float)):
            try:
                value = _from_serial(value, self._epoch)
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
        return _from_iso8601(text)
    return text  # "str", a formula's text result; an unknown type reads as its text too


def _undefined_format(style: int):
    raise ValueError(f"cell style {style} has a number format that styles.xml does not define")


# A date-formatted number no date can have (a serial past the year 9999): read as #VALUE!, as openpyxl did.
_OUTSIDE_THE_CALENDAR = ErrorValue("#VALUE!")


# -- the package: which parts hold the sheets, and how to parse a part safely

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _VALUE, _FORMULA, _INLINE_STRING, _MERGE_CELL, _STRING_ITEM, _TEXT = (
    f"{{{_MAIN_NS}}}{name}" for name in ("row", "v", "f", "is", "mergeCell", "si", "t")
)
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKBOOK_TYPES = tuple(  # in the order openpyxl looked for them
    f"application/vnd.{kind}.main+xml" for kind in (
        "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHEET_STATES = {"visible": False, "hidden": True, "veryHidden": True, "none": True}  # state → hidden

# No entity is expanded, no DTD loaded, nothing fetched; comments and processing
# instructions are dropped so that an element's children are elements only.
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       remove_comments=True, remove_pis=True)
_PARSER = etree.XMLParser(**_PARSER_OPTIONS)


@dataclass(frozen=True)
class _Package:
    sheets: list[tuple[str, bool, str]]  # name, hidden, the part holding it
    epoch: dt.datetime
    shared_strings: str | None  # the part, if the workbook has one
    styles: str | None  # the part, if the workbook has one


class _Damage(Exception):
    """What is wrong in the file, in a user's words (a Phrase), and the cell where it is when there is one."""

    def __init__(self, message: str, cell: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell


def _part_key(name: str) -> str:
    """A part's name as Excel compares them: either slash, any case, with or without a leading slash."""
    return name.replace("\\", "/").lstrip("/").lower()


class _Parts:
    """The zip's parts, found by name as Excel finds them (see _part_key)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            self._infos.setdefault(_part_key(info.filename), info)

    def __contains__(self, part: str) -> bool:
        return _part_key(part) in self._infos

    def info(self, part: str) -> zipfile.ZipInfo:
        return self._infos[_part_key(part)]

    def name(self, part: str) -> str:
        """The part's name as the zip spells it, for messages."""
        info = self._infos.get(_part_key(part))
        return info.filename if info else part

    def open(self, part: str):
        return self._archive.open(self.info(part))

    def read(self, part: str) -> bytes:
        return self._archive.read(self.info(part))


_OFFICE_DOCUMENT = "/officeDocument"  # the end of the package relationship type that points at the workbook


def _content_types(package: _Parts) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml: content type by part (overrides) and by extension (defaults); empty when it is missing."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    if "[Content_Types].xml" not in package:
        return overrides, defaults
    for element in _parse_part(package, "[Content_Types].xml", "file.damaged_package"):
        if _local(element.tag) == "Override":
            overrides.setdefault(_part_key(element.get("PartName", "")), element.get("ContentType", ""))
        elif _local(element.tag) == "Default":
            defaults.setdefault(element.get("Extension", "").lower(), element.get("ContentType", ""))
    return overrides, defaults


def _workbook_part(package: _Parts) -> str | None:
    """The part holding the workbook, as Excel finds it; None when the package has none.

    First the package's own relationship (_rels/.rels), unless it points at a
    part of another kind (a Word document's); then a part whose content type
    is a workbook's; then the usual place.
    """
    overrides, defaults = _content_types(package)
    if "_rels/.rels" in package:
        for kind, target in _relationships(package, "_rels/.rels", "").values():
            if not kind.endswith(_OFFICE_DOCUMENT) or target not in package:
                continue
            content_type = overrides.get(_part_key(target)) or defaults.get(target.rpartition(".")[2].lower(), "")
            if content_type in _WORKBOOK_TYPES or content_type in ("", "application/xml"):
                return target
    for kind in _WORKBOOK_TYPES:
        for part, content_type in overrides.items():
            if content_type == kind and part in package:
                return part
    return "xl/workbook.xml" if "xl/workbook.xml" in package else None


def _read_package(package: _Parts) -> _Package:
    """The worksheets in workbook order, the date epoch and where the shared strings and styles are."""
    workbook_part = _workbook_part(package)
    if workbook_part is None:  # _check_file has refused such a file already
        raise _Damage(say("file.damaged_package"))
    workbook = _parse_part(package, workbook_part, "file.damaged_sheet_list")
    listed: list[etree._Element] = []
    epoch = _EPOCH_1900
    for element in workbook:
        if _local(element.tag) == "sheets":
            listed = list(element)
        elif _local(element.tag) == "workbookPr":
            epoch = _EPOCH_1900 if element.get("date1904") in (None, "", "false", "f", "0") else _EPOCH_1904
    folder, file_name = posixpath.split(workbook_part.replace("\\", "/"))
    rels = posixpath.join(folder, "_rels", f"{file_name}.rels")
    targets = _relationships(package, rels, folder) if rels in package else {}
    sheets = []
    for element in listed:
        name, state, number = element.get("name"), element.get("state", "visible"), element.get("sheetId", "")
        if name is None or state not in _SHEET_STATES or not number.strip().isdigit():
            raise _Damage(say("file.damaged_sheet_list"))
        if not element.get(_RELATIONSHIP_ID):
            continue  # an invalid entry older .xlsm files hold: Excel drops it too
        if element.get(_RELATIONSHIP_ID) not in targets:
            raise _Damage(say("file.damaged_sheet_list"))
        kind, part = targets[element.get(_RELATIONSHIP_ID)]
        if part not in package or "chartsheet" in kind:
            continue
        sheets.append((name, _SHEET_STATES[state], part))
    overrides, _defaults = _content_types(package)
    shared_strings = next((part for part, kind in overrides.items() if kind == _SHARED_STRINGS_TYPE), None)
    styles = None
    for kind, target in targets.values():
        if kind.endswith("/sharedStrings") and shared_strings is None:
            shared_strings = target
        elif kind.endswith("/styles") and styles is None:
            styles = target
    if shared_strings is None and "xl/sharedStrings.xml" in package:
        shared_strings = "xl/sharedStrings.xml"
    if styles is None and "xl/styles.xml" in package:
        styles = "xl/styles.xml"
    present = lambda part: part if part is not None and part in package else None  # noqa: E731
    return _Package(sheets, epoch, present(shared_strings), present(styles))


def _relationships(package: _Parts, part: str, folder: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, the target's part name), targets made absolute from `folder`."""
    found = {}
    for element in _parse_part(package, part, "file.damaged_package"):
        target = element.get("Target", "").replace("\\", "/")
        if element.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[element.get("Id")] = (element.get("Type", ""), target)
    return found


def _parse_part(package: _Parts, part: str, damage: str) -> etree._Element:
    """A small part (content types, workbook, relationships, styles), parsed whole.

    `damage` is the message key that says what is wrong when the part's XML is broken.
    """
    content = package.read(part)
    _refuse_doctype(package.name(part), content[:_HEAD_SIZE])
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _Damage(say(damage)) from exc


def _iterparse(stream, tags: tuple[str, ...]):
    return etree.iterparse(stream, events=("end",), tag=tags, **_PARSER_OPTIONS)


def _forget(element: etree._Element) -> None:
    """Free a parsed element and the siblings before it: what keeps a streamed parse small."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# A part's head, in which its root element must start: a workbook's parts start with
# it at once, after an XML declaration. One longer may hide a DOCTYPE past it.
_HEAD_SIZE = 1 << 16
# The start of an XML part up to its root element: a declaration, comments and
# processing instructions, and the DOCTYPE if there is one (it can be nowhere else).
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def _refuse_doctype(part: str, head: bytes) -> None:
    """Refuse a part whose XML declares a DOCTYPE (or whose first 64 KB, `head`, do not reach its root element)."""
    # NUL bytes are dropped, so that UTF-16 and UTF-32 text reads as ASCII would (markup is all ASCII).
    text = head.replace(b"\0", b"")
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(mark):
            text = text[len(mark):]
            break
    position = 0
    while found := _PROLOG_ITEM.match(text, position):
        position = found.end()
    rest = text[position:].lstrip()
    if rest.startswith(b"<!DOCTYPE"):
        raise _Damage(say("file.doctype", part=part))
    reached_root = rest.startswith(b"<") and not rest.startswith((b"<?", b"<!")) and b">" in rest
    if not reached_root and len(head) >= _HEAD_SIZE:
        raise _Damage(say("file.doctype.hidden", part=part))
    # A part that ends before its root element is left to the parser to report.


def _refuse_streamed_doctype(package: _Parts, part: str) -> None:
    with package.open(part) as stream:
        _refuse_doctype(package.name(part), stream.read(_HEAD_SIZE))


@dataclass(frozen=True)
class _SheetLayout:
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


def _scan_sheet(package: _Parts, part: str) -> _SheetLayout:
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
                    return _SheetLayout(merged_ranges=None, in_order=False, last_filled_row=None)
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
    return _SheetLayout(merged, in_order, last_filled)


def _read_shared_strings(package: _Parts, part: str) -> tuple[_StringTable, frozenset[int]]:
    """The shared strings, and which of them had characters replaced (see _unescape)."""
    _refuse_streamed_doctype(package, part)
    table = _StringTable()
    repaired = set()
    try:
        with package.open(part) as stream:
            for _event, element in _iterparse(stream, (_STRING_ITEM,)):
                text = _text_of(element)
                if "_x" in text:
                    text, replaced = _unescape(text)
                    if replaced:
                        repaired.add(len(table))
                table.append(text)
                _forget(element)
    except etree.XMLSyntaxError as exc:
        raise _Damage(say("file.damaged_strings")) from exc
    table.close()
    return table, frozenset(repaired)


class _StringTable:
    """The shared strings as one long text and where each one ends.

    A workbook of thousands of salespeople has tens of thousands of strings;
    as one text they take a quarter of the memory of a list of str, and the
    table is held for as long as the workbook is read.
    """

    __slots__ = ("_text", "_ends", "_pending", "_chunks")

    def __init__(self) -> None:
        self._text = ""
        self._ends = array("q")
        self._pending: list[str] = []  # appended strings not yet joined to a chunk
        self._chunks: list[str] = []

    def append(self, text: str) -> None:
        self._ends.append((self._ends[-1] if self._ends else 0) + len(text))
        self._pending.append(text)
        if len(self._pending) >= 1024:
            self._chunks.append("".join(self._pending))
            self._pending.clear()

    def close(self) -> None:
        self._text = "".join([*self._chunks, *self._pending])
        self._chunks, self._pending = [], []

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            raise IndexError(f"no shared string {index}")
        return self._text[self._ends[index - 1] if index else 0:self._ends[index]]


def _text_of(element: etree._Element) -> str:
    """A string item's text: its <t>, then its runs' <t> (rich text); phonetic guides (<rPh>) left out."""
    plain = None
    runs = []
    for child in element:
        tag = child.tag
        if tag == _TEXT or _local(tag) == "t":
            plain = child.text
        elif _local(tag) == "r":
            run = None
            for grandchild in child:
                if _local(grandchild.tag) == "t":
                    run = grandchild.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# How Excel writes a character XML cannot hold (_x0007_), and an underscore that would read as one (_x005F_).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unescape(text: str) -> tuple[str, int]:
    """Text with Excel's escapes read, and how many characters had to be replaced by U+FFFD.

    One pass from left to right, as Excel reads them: "_x005F_x000D_" is an
    escaped underscore followed by the text "x000D_". Two escapes that make a
    UTF-16 pair (_xD83D__xDE00_) are the one character they stand for; half a
    pair alone can be neither encoded nor written, so it is replaced.
    """
    text = _EXCEL_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
    if not _SURROGATE.search(text):
        return text, 0
    before = text.count("\ufffd")
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text, text.count("\ufffd") - before


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
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    _COLUMNS[letters] = column
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
        raise _Damage(say("file.bad_row_number", number=_shorten(text, 20)))
    return int(number)


def _cell_damage(element: etree._Element | None, row: int, column: int,
                 formats: list[_NumberFormat | None], strings) -> _Damage:
    """What is wrong with a cell _parse_cells could not read, in a user's words: looked at again, slowly."""
    if element is None:
        return _Damage(say("file.damaged_sheet"))
    coordinate = element.get("r")
    if coordinate:
        try:
            column = _column_number(coordinate)
        except ValueError:
            return _Damage(say("file.bad_cell_reference", reference=_shorten(coordinate, 20), row=row))
    cell = f"{column_letter(column)}{row}" if column > 0 else None
    style = element.get("s") or "0"
    try:
        defined = formats[int(style)] is not None
    except (ValueError, IndexError):
        defined = False
    if not defined:
        return _Damage(say("file.undefined_style", style=_shorten(style, 20)), cell)
    kind = element.get("t", "n")
    text = next((child.text for child in element if child.tag == _VALUE), None) or ""
    if kind == "s":
        if not text.strip().isdigit() or int(text) >= len(strings):
            return _Damage(say("file.bad_shared_string", number=_shorten(text, 20), count=len(strings)), cell)
    elif kind in _STORED_AS:
        return _Damage(say("file.bad_value", kind=say(_STORED_AS[kind]), text=_shorten(text, 40)), cell)
    return _Damage(say("file.damaged_cell"), cell)


_STORED_AS = {"n": "file.stored_as.number", "b": "file.stored_as.boolean", "d": "file.stored_as.date"}


_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _row_and_column(coordinate: str) -> tuple[int, int]:
    match = _COORDINATE.match(coordinate.strip())
    if not match:
        raise ValueError(f"not a cell reference: {coordinate!r}")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


# -- number formats and dates


@dataclass(frozen=True, slots=True)
class _NumberFormat:
    """What a cell style's number format means for the numbers read."""

    date: bool  # the number is a date, a time or a duration
    duration: bool  # [h]:mm and the like: a length of time, not a time of day
    percent: bool
    chinese_date: bool


# The number formats every spreadsheet program knows by id alone (ECMA-376, 18.8.30), as openpyxl lists them.
_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_BUILTIN_IDS = {code: number for number, code in _BUILTIN_FORMATS.items()}
_FIRST_CUSTOM_ID = 164  # ids below are built in

# What a date format is made of, once quoted text and [bracketed] colours and
# locales are taken out ([h], [mm], [ss] are elapsed time and stay): a d, m, h,
# y or s that is not an escaped or _-padded literal.
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED_TIME = re.compile(r"\[(?:hh?|mm?|ss?)\]", re.I)


def _is_date_format(code: str | None) -> bool:
    return code is not None and _DATE_PART.search(_LITERALS.sub("", code.split(";")[0])) is not None


def _is_duration_format(code: str | None) -> bool:
    return code is not None and _ELAPSED_TIME.search(code.split(";")[0]) is not None


def _read_formats(package: _Parts, part: str | None) -> list[_NumberFormat | None]:
    """Each cell style's number format, from the styles part (a workbook without one has the default style only).

    None for a style whose number format id is a custom one the file does not define.
    """
    default = [_NumberFormat(False, False, False, False)]
    if part is None:
        return default
    styles = _parse_part(package, part, "file.damaged_formats")
    custom: dict[int, str] = {}
    format_ids: list[int] = []
    try:
        for element in styles:
            if _local(element.tag) == "numFmts":
                for number_format in element:
                    if _local(number_format.tag) == "numFmt":
                        code = number_format.get("formatCode")
                        if code is None:
                            raise ValueError("a number format without a format code")
                        custom[int(number_format.get("numFmtId"))] = code
            elif _local(element.tag) == "cellXfs":
                format_ids = [int(xf.get("numFmtId") or 0) for xf in element if _local(xf.tag) == "xf"]
    except (ValueError, TypeError) as exc:
        raise _Damage(say("file.damaged_formats")) from exc
    if not format_ids:
        return default
    # Custom codes are numbered afresh from 164 in the order the styles use them, and a
    # custom code that is a built-in one takes the built-in id: what openpyxl did, and
    # its numbering decides which code an undefined id of 164 or more stands for.
    numbered: dict[str, int] = {}
    styles_read = []
    for format_id in format_ids:
        if format_id in custom:
            code = custom[format_id]
            if code in _BUILTIN_IDS:
                format_id = _BUILTIN_IDS[code]
            else:
                format_id = _FIRST_CUSTOM_ID + numbered.setdefault(code, len(numbered))
        else:
            code = _BUILTIN_FORMATS.get(format_id)
        styles_read.append((format_id, _is_date_format(code), _is_duration_format(code)))
    codes = list(numbered)
    formats: list[_NumberFormat | None] = []
    for format_id, date, duration in styles_read:
        if format_id < _FIRST_CUSTOM_ID:
            code = _BUILTIN_FORMATS.get(format_id, "General")
        elif format_id - _FIRST_CUSTOM_ID < len(codes):
            code = codes[format_id - _FIRST_CUSTOM_ID]
        else:
            formats.append(None)
            continue
        formats.append(_NumberFormat(date, date and duration, _is_percent_format(code),
                                     format_id in CHINESE_DATE_FORMAT_IDS))
    return formats


_EPOCH_1900 = dt.datetime(1899, 12, 30)  # Excel's day 0, as its 1900 date system counts (see _from_serial)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def _from_serial(serial: int | float, epoch: dt.datetime, duration: bool = False):
    """An Excel serial number as a datetime (a time for a fraction of a day, a timedelta for a duration).

    Excel's 1900 system counts a 29 February 1900 that never was (serial 60),
    so serials before it are one day early against a calendar; milliseconds
    are rounded as Excel shows them.
    """
    if duration:
        length = dt.timedelta(days=serial)
        if length.microseconds:
            length = dt.timedelta(seconds=length.total_seconds() // 1, microseconds=round(length.microseconds, -3))
        return length
    days, fraction = divmod(serial, 1)
    time_of_day = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= serial < 1 and time_of_day.days == 0:
        minutes, seconds = divmod(time_of_day.seconds, 60)
        return dt.time(minutes // 60, minutes % 60, seconds, time_of_day.microseconds)
    if 0 < serial < 60 and epoch == _EPOCH_1900:
        days += 1
    return epoch + dt.timedelta(days=days) + time_of_day


_ISO_DATETIME = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION = re.compile(r"PT(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,3})?)S)?")


def _from_iso8601(text: str) -> dt.date | dt.datetime | dt.time | dt.timedelta:
    """A t="d" cell's ISO 8601 text: a date, a time, both, or a duration (PT1H30M) as strict OOXML writes it."""
    found = _ISO_DATETIME.match(text)
    if found and (found["date"] or found["time"]):
        parts = {key: int(value) for key, value in found.groupdict().items()
                 if value and key not in ("date", "time", "fraction")}
        microsecond = int(float(found["fraction"]) * 1_000_000) if found["fraction"] else 0
        if not found["date"]:
            return dt.time(parts["hour"], parts["minute"], parts.get("second", 0), microsecond)
        if not found["time"]:
            return dt.date(parts["year"], parts["month"], parts["day"])
        return dt.datetime(**parts, microsecond=microsecond)
    found = _ISO_DURATION.match(text)
    if found and any(found.groups()):
        return dt.timedelta(**{key: float(value) for key, value in found.groupdict().items() if value})
    raise ValueError(f"Invalid datetime value {text}")


def _is_percent_format(number_format: str | None) -> bool:
    """True when a number format shows its value multiplied by 100 with a % sign."""
    if not number_format:
        return False
    shown = number_format.split(";")[0]
    # Quoted text and escaped characters are printed literally, not as the percent operator.
    shown = re.sub(r'"[^"]*"|\\.', "", shown)
    return "%" in shown


# -- rows


def _fill_row(row_number: int, cells: dict[int, Cell]) -> tuple[Cell, ...]:
    """The row from column A to its last filled cell, empty positions as empty cells."""
    last = max(cells)
    if len(cells) == last:  # no gaps: the common case, made quick
        return tuple(map(cells.__getitem__, range(1, last + 1)))
    return tuple(cells.get(column) or Cell(row_number, column) for column in range(1, last + 1))


def _spread_merged_values(rows: list[tuple[Cell, ...]], merged_ranges: list[str]) -> list[tuple[Cell, ...]]:
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


# -- the file itself: what it is when it is not an .xlsx workbook


def _check_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Tell the user plainly what a file is when it is not an .xlsx workbook, or one too big to unpack."""
    from docgen.paths import require_regular_file; require_regular_file(path)  # before open(): a FIFO or /dev/zero never ends
    where = Location(file=str(path))
    if not path.exists():
        raise WorkbookError(say("file.not_found"), location=where, hint=say("file.not_found.hint"))
    if path.is_dir():
        raise WorkbookError(say("file.is_folder"), location=where, hint=say("file.is_folder.hint"))
    try:
        # The start tells what the file is; a real workbook is not read whole here, it is parsed next.
        with open(path, "rb") as stream:
            head = stream.read(4096)
        if head.startswith(_OLE2_SIGNATURE) and _ENCRYPTED_STREAM in path.read_bytes():
            raise WorkbookError(say("file.encrypted"), location=where, hint=say("file.encrypted.hint"))
    except OSError as exc:
        raise WorkbookError(say("file.cannot_open", reason=exc.strerror), location=where,
                            hint=say("file.cannot_open.hint")) from exc
    if not head:
        raise WorkbookError(say("file.empty"), location=where, hint=say("file.empty.hint"))
    if head.startswith(_OLE2_SIGNATURE):
        raise WorkbookError(say("file.xls"), location=where, hint=say("file.save_as_xlsx"))
    if not zipfile.is_zipfile(path):
        if head.startswith(_ZIP_SIGNATURE):  # a zip's start without its end: cut off
            raise WorkbookError(say("file.truncated"), location=where, hint=say("file.truncated.hint"))
        raise WorkbookError(say("file.not_xlsx", kind=_guess_kind(head)), location=where,
                            hint=say("file.save_as_xlsx"))
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_zip_bomb(where, archive.infolist(), limits)
            package = _Parts(archive)
            mimetype = package.read("mimetype")[:100] if "mimetype" in package else b""
            if "xl/workbook.bin" in package:
                raise WorkbookError(say("file.xlsb"), location=where, hint=say("file.save_as_xlsx"))
            if b"opendocument.spreadsheet" in mimetype:
                raise WorkbookError(say("file.ods"), location=where, hint=say("file.save_as_xlsx"))
            if _workbook_part(package) is None:
                kind = say("file.kind.word") if "word/document.xml" in package else say("file.kind.zip")
                raise WorkbookError(say("file.not_xlsx", kind=kind), location=where, hint=say("file.save_as_xlsx"))
    except WorkbookError:
        raise
    except Exception as exc:  # the zip's directory or its index parts are damaged
        raise _unreadable(path, exc) from exc


_ZIP_SIGNATURE = b"PK\x03\x04"


def _refuse_zip_bomb(where: Location, parts: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Refuse, from the zip's directory alone, a file that would unpack to far more than it holds.

    The sizes the directory states are the most Python's zipfile will unpack
    (it stops at the stated size), so checking them is enough.
    """
    megabytes = lambda size: f"{size / (1 << 20):,.0f}"  # noqa: E731
    total = sum(part.file_size for part in parts)
    if total > limits.max_unpacked_bytes:
        raise WorkbookError(
            say("file.bomb.size", size=megabytes(total), limit=megabytes(limits.max_unpacked_bytes)),
            location=where, hint=say("file.bomb.hint"),
        )
    # The ratio alone proves nothing (a genuine sheet of repeated text packs well): a part
    # is refused only when it is big as well, see ReadLimits.
    for part in parts:
        if (part.file_size > limits.part_ratio_checked_from
                and part.file_size > part.compress_size * limits.max_part_ratio):
            raise WorkbookError(
                say("file.bomb.ratio", part=part.filename, size=megabytes(part.file_size),
                    packed=f"{part.compress_size / 1024:,.0f}",
                    ratio=part.file_size // max(part.compress_size, 1)),
                location=where, hint=say("file.bomb.hint"),
            )


def _guess_kind(content: bytes) -> str:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head[:512]:
        return say("file.kind.html")
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return say("file.kind.xml")
    if head.startswith(b"%pdf"):
        return say("file.kind.pdf")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = content[:4096].decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(separator in text for separator in (",", "\t", ";")):
            return say("file.kind.csv")
        return say("file.kind.text")
    return say("file.kind.unknown")


def _unreadable(path: Path, exc: Exception, sheet: str | None = None) -> WorkbookError:
    """The WorkbookError for what went wrong reading the file: what is wrong with it, never the exception's text."""
    where = Location(file=str(path), sheet=sheet)
    if isinstance(exc, _Damage):
        return WorkbookError(exc.message, location=Location(file=str(path), sheet=sheet, cell=exc.cell),
                             hint=say("file.unreadable.hint"))
    if isinstance(exc, NotImplementedError):  # a compression method Python's zipfile lacks (Deflate64 …)
        return WorkbookError(say("file.compression"), location=where, hint=say("file.save_as_xlsx"))
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError)):
        # The zip itself: a part that does not unpack (a wrong checksum, cut-off data, encrypted parts).
        return WorkbookError(say("file.damaged"), location=where, hint=say("file.save_as_xlsx"))
    # Anything else the XML or its values raise (lxml's syntax errors above all).
    message = say("file.damaged_sheet") if sheet is not None else say("file.damaged_package")
    return WorkbookError(message, location=where, hint=say("file.unreadable.hint"))


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "CHINESE_DATE_FORMAT_IDS",
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
