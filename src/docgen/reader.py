"""Reads an .xlsx file into plain sheets of cells: the only module that imports openpyxl.

What comes out is plain Python: each visible or hidden worksheet in workbook
order, each a list of its non-empty rows, each cell with its coordinate
("C5"), a plain value and whether its number format shows a percentage.

- Merged cells: every cell of a merged range carries the top-left cell's value.
- Dates: date-formatted numbers become ``datetime.date`` (``datetime.datetime``
  when they have a time of day), including the Chinese built-in formats
  (ids 27–36 and 50–58) that openpyxl leaves as plain numbers.
- Formulas: the value Excel cached when the file was last saved. A formula
  with no cached value becomes a ``FormulaWithoutValue``, an error value
  (#DIV/0!, #REF!, #N/A …) an ``ErrorValue``, so the caller can name the cell.
- A sheet is read as a stream and reading stops after a long run of empty
  rows, so a sheet whose stated size is a million rows but holds ten is quick.
- Limits (``ReadLimits``): rows per sheet and filled cells (100,000 and
  1,000,000 unless DOCGEN_MAX_ROWS and DOCGEN_MAX_CELLS say otherwise), and
  what the zip may unpack to: a part that unpacks more than 100 times its
  packed size (past 10 MB), or a whole above 1 GB, is refused as a possible
  zip bomb before any XML is parsed.
- Text that Excel escaped (``_x0007_`` for a character XML cannot hold) is
  read as the character it stands for.

The input file is opened read-only and never written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import openpyxl
import openpyxl.xml
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from docgen.errors import Location, UsageError, WorkbookError
from docgen.messages import say


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


@dataclass(frozen=True)
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
class Sheet:
    name: str
    # The sheet's non-empty rows, top to bottom. Each row starts at column A and
    # runs to its last non-empty cell; empty positions hold a Cell whose value is None.
    rows: tuple[tuple[Cell, ...], ...] = ()
    hidden: bool = False


@dataclass(frozen=True)
class ReadLimits:
    """How much of a workbook is read, so a huge or mostly empty file cannot stall a run."""

    # Reading a sheet stops after this many empty rows in a row: sheets formatted
    # down to row 1,048,576 then read as fast as the rows they really hold.
    empty_rows_to_stop: int = 200
    max_rows_per_sheet: int | None = 100_000  # None: no limit
    max_cells: int | None = 1_000_000  # non-empty cells in the whole workbook; None: no limit
    # What the file may unpack to, checked from the zip's directory before anything is parsed.
    max_unpacked_bytes: int = 1 << 30
    max_part_ratio: int = 100  # unpacked / packed size of one part, for parts bigger than 10 MB


DEFAULT_LIMITS = ReadLimits()
_RATIO_CHECKED_FROM = 10 << 20  # small parts may compress very well (a sheet of empty styled cells)
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
# times (yyyy"年"m"月"d"日", m"月"d"日", h"时"mm"分" …). They are not in the
# standard list openpyxl knows, so it reads such cells as plain serial numbers.
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
    path = Path(path)
    limits = limits or limits_from_environment()
    _require_defused_xml(path)
    _check_file(path, limits)
    with open(path, "rb") as stream, warnings.catch_warnings():
        # openpyxl warns about workbook features it drops (data validation
        # extensions, unknown styles): harmless for reading values.
        warnings.filterwarnings("ignore", module=r"openpyxl(\..*)?$")
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for malformed files
            raise _unreadable(path, exc) from exc
        try:
            return _read_sheets(path, book, limits)
        finally:
            book.close()


def _require_defused_xml(path: Path) -> None:
    if not openpyxl.xml.DEFUSEDXML:
        raise WorkbookError(
            say("file.xml_unprotected"), location=Location(file=str(path)), hint=say("file.xml_unprotected.hint")
        )


def _check_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Tell the user plainly what a file is when it is not an .xlsx workbook, or one too big to unpack."""
    where = Location(file=str(path))
    if not path.exists():
        raise WorkbookError(say("file.not_found"), location=where, hint=say("file.not_found.hint"))
    if path.is_dir():
        raise WorkbookError(say("file.is_folder"), location=where, hint=say("file.is_folder.hint"))
    try:
        # The start tells what the file is; a real workbook is not read whole here, openpyxl reads it next.
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
            parts = archive.infolist()
            names = {part.filename for part in parts}
            _refuse_zip_bomb(where, parts, limits)
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
        raise WorkbookError(say("file.damaged"), location=where, hint=say("file.save_as_xlsx")) from exc
    if "xl/workbook.bin" in names:
        raise WorkbookError(say("file.xlsb"), location=where, hint=say("file.save_as_xlsx"))
    if b"opendocument.spreadsheet" in mimetype:
        raise WorkbookError(say("file.ods"), location=where, hint=say("file.save_as_xlsx"))
    if "xl/workbook.xml" not in names:
        kind = say("file.kind.word") if "word/document.xml" in names else say("file.kind.zip")
        raise WorkbookError(say("file.not_xlsx", kind=kind), location=where, hint=say("file.save_as_xlsx"))


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
    for part in parts:
        if part.file_size > _RATIO_CHECKED_FROM and part.file_size > part.compress_size * limits.max_part_ratio:
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


def _unreadable(path: Path, exc: Exception) -> WorkbookError:
    detail = str(exc).strip() or type(exc).__name__
    return WorkbookError(
        say("file.unreadable", detail=_shorten(detail)), location=Location(file=str(path)),
        hint=say("file.unreadable.hint"),
    )


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_sheets(path: Path, book, limits: ReadLimits) -> list[Sheet]:
    sheets = []
    cells_read = 0
    for worksheet in book.worksheets:
        try:
            merged_ranges, formulas_without_value = _scan_sheet_xml(worksheet)
            rows = _read_rows(path, worksheet, book.epoch, formulas_without_value, limits)
        except WorkbookError:
            raise
        except Exception as exc:  # malformed sheet XML surfaces as many exception types
            raise _unreadable(path, exc) from exc
        rows = _spread_merged_values(rows, merged_ranges)
        cells_read += sum(1 for row in rows for cell in row if not cell.is_empty)
        if limits.max_cells is not None and cells_read > limits.max_cells:
            raise WorkbookError(
                say("file.too_many_cells", limit=limits.max_cells),
                location=Location(file=str(path), sheet=worksheet.title),
                expected=say("file.too_many_cells.expected", limit=limits.max_cells),
                hint=say("file.too_many_cells.hint", double=limits.max_cells * 2),
            )
        sheets.append(Sheet(worksheet.title, tuple(rows), hidden=worksheet.sheet_state != "visible"))
    return sheets


def _scan_sheet_xml(worksheet) -> tuple[list[str], dict[tuple[int, int], FormulaWithoutValue]]:
    """The merged ranges and the formulas with no cached result, from the sheet's XML.

    openpyxl's streaming reader offers neither: it skips merged ranges, and with
    data_only it reads a formula that was never computed as an empty cell.
    """
    merged_ranges: list[str] = []
    without_value: dict[tuple[int, int], FormulaWithoutValue] = {}
    if not _may_have_formulas_or_merges(worksheet):
        return merged_ranges, without_value
    cell_tag, formula_tag, value_tag = (f"{{{SHEET_MAIN_NS}}}{name}" for name in ("c", "f", "v"))
    row_tag, merge_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}mergeCell"
    # _get_source is the read-only worksheet's own way to open its XML part.
    with worksheet._get_source() as source:
        for _event, element in iterparse(source):
            if element.tag == cell_tag:
                formula = element.find(formula_tag)
                if formula is None or not element.get("r"):
                    continue
                value = element.find(value_tag)
                # Only a text result can legitimately be empty; openpyxl itself
                # writes formulas with an empty <v/> and no type.
                if value is None or (not value.text and element.get("t") != "str"):
                    text = f"={formula.text}" if formula.text else None
                    without_value[_row_and_column(element.get("r"))] = FormulaWithoutValue(text)
            elif element.tag == row_tag:
                element.clear()
            elif element.tag == merge_tag and element.get("ref"):
                merged_ranges.append(element.get("ref"))
    return merged_ranges, without_value


# A formula (<f>, <x:f …>) or a merged range in a sheet's raw XML; most sheets have neither.
_FORMULA_OR_MERGE = re.compile(rb"<(?:[\w.-]+:)?(?:f[\s/>]|mergeCell\b)")


def _may_have_formulas_or_merges(worksheet) -> bool:
    """Whether the sheet's XML holds a formula or a merged range: a text search, far quicker than parsing."""
    tail = b""
    with worksheet._get_source() as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            if _FORMULA_OR_MERGE.search(tail + block):
                return True
            tail = block[-32:]  # a tag cut in two by the block boundary
    return False


_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _row_and_column(coordinate: str) -> tuple[int, int]:
    match = _COORDINATE.match(coordinate.strip())
    if not match:
        raise ValueError(f"not a cell reference: {coordinate!r}")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


def _read_rows(path, worksheet, epoch, formulas_without_value, limits: ReadLimits) -> list[list[Cell]]:
    # The stated dimension is often wrong (a million rows for ten) and, when
    # trusted, makes openpyxl pad every row to it: read what is really there.
    worksheet.reset_dimensions()
    rows: list[list[Cell]] = []
    empty_run = 0
    number_formats: dict[int, tuple[bool, bool]] = {}
    for row_number, raw_row in enumerate(worksheet.iter_rows(), start=1):
        cells = []
        for column, raw_cell in enumerate(raw_row, start=1):
            missing = formulas_without_value.get((row_number, column))
            if missing is not None:
                cells.append(Cell(row_number, column, missing))
            elif raw_cell.value is not None:
                cells.append(_plain_cell(raw_cell, row_number, column, epoch, number_formats))
        if not cells:
            empty_run += 1
            if empty_run >= limits.empty_rows_to_stop:
                break
            continue
        empty_run = 0
        if limits.max_rows_per_sheet is not None and row_number > limits.max_rows_per_sheet:
            raise WorkbookError(
                say("file.too_many_rows", limit=limits.max_rows_per_sheet),
                location=Location(file=str(path), sheet=worksheet.title, cell=cells[0].coordinate),
                expected=say("file.too_many_rows.expected", limit=limits.max_rows_per_sheet),
                hint=say("file.too_many_rows.hint", double=limits.max_rows_per_sheet * 2),
            )
        rows.append(_fill_row(row_number, cells))
    return rows


def _fill_row(row_number: int, cells: list[Cell]) -> list[Cell]:
    """The row from column A to its last filled cell, empty positions as empty cells."""
    by_column = {cell.column: cell for cell in cells}
    last = max(by_column)
    return [by_column.get(column, Cell(row_number, column)) for column in range(1, last + 1)]


def _plain_cell(raw_cell, row: int, column: int, epoch, number_formats: dict) -> Cell:
    value = raw_cell.value
    if raw_cell.data_type == "e":
        return Cell(row, column, ErrorValue(str(value)))
    format_id = raw_cell.style_array.numFmtId
    if format_id not in number_formats:
        number_formats[format_id] = (_is_percent_format(raw_cell.number_format), format_id in CHINESE_DATE_FORMAT_IDS)
    percent, chinese_date = number_formats[format_id]
    if isinstance(value, bool):
        return Cell(row, column, value)
    if isinstance(value, str) and "_x" in value:
        value = _EXCEL_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), value)
    if chinese_date and isinstance(value, (int, float)):
        try:
            value = from_excel(value, epoch)
        except (OverflowError, ValueError):
            pass  # a serial outside the calendar: keep the number, the caller reports it
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        value = value.date()
    return Cell(row, column, value, percent=percent and isinstance(value, (int, float)))


# How Excel writes a character XML cannot hold (_x0007_), and an underscore that would read as one (_x005F_).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _is_percent_format(number_format: str | None) -> bool:
    """True when a number format shows its value multiplied by 100 with a % sign."""
    if not number_format:
        return False
    shown = number_format.split(";")[0]
    # Quoted text and escaped characters are printed literally, not as the percent operator.
    shown = re.sub(r'"[^"]*"|\\.', "", shown)
    return "%" in shown


def _spread_merged_values(rows: list[list[Cell]], merged_ranges: list[str]) -> list[tuple[Cell, ...]]:
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


__all__ = [
    "CHINESE_DATE_FORMAT_IDS",
    "Cell",
    "CellValue",
    "DEFAULT_LIMITS",
    "ErrorValue",
    "FormulaWithoutValue",
    "ReadLimits",
    "Sheet",
    "column_letter",
    "limits_from_environment",
    "read_workbook",
]
