"""Turns a workbook's sheets into a typed, validated SalesWorkbook, reporting every problem at once.

``load_workbook(path)`` reads the file (through ``docgen.input.reader``), matches each
sheet to a known section by its Chinese or English name, finds the header row,
converts every cell to the type its column asks for and returns a
``SalesWorkbook``. Problems are collected, not raised one by one: a workbook
with bad cells raises one ``InvalidWorkbook`` listing them all, each naming the
sheet and cell, what was expected, what was found and how to fix it.

The rules a user may need to know:

- **Sheets.** A sheet whose name is not a known section becomes a generic
  section (its name the title, its first row the column headers), in workbook
  order. Hidden sheets are skipped (they usually hold drop-down lists), and so is
  an instructions sheet (填写说明 / Instructions, as the blank workbook has). A sheet
  with a header but no data rows counts as absent: it is not in
  ``SalesWorkbook.present``, so a report leaves it out instead of printing an
  empty heading.
- **Header row.** Titles and blank rows may sit above it: the header is the row
  among the first 20 that names the most of the section's columns. Columns the
  section does not know are ignored. The trend and reconciliation sheets take
  the indicator column, then every other headed column as a sub-period or a
  source system; a header that is a date reads as its month ("2026-07"), or
  as the full date when two headers fall in the same month.
- **Numbers.** Text such as "1,234.5", "￥12,000", "RMB 800", "１２３" or
  "(1,200)" (negative) is read as a number; words such as "一百" or "N/A" are
  errors. Text ending in % ("12%", "１２％") is a fraction (0.12).
- **Percentages** (satisfaction, share, and every figure of a target whose unit
  is %) become fractions. A cell formatted as a percentage (0.12 shown as 12%)
  and text such as "12%" are fractions as they are. Plain numbers are judged as
  a group — a target's row, or the whole satisfaction or share column: when
  every plain number of the group is at most 1 they are fractions already (0.12),
  otherwise they are percents (12) and are divided by 100.
- **Dates.** Real dates, date-formatted numbers (the Chinese formats too) and
  text such as 2026-10-31, 2026/10/31, 2026.10.31 or 2026年10月31日. A month
  alone (2026-10) is refused, because it does not say which day is meant; an
  impossible day (2026-02-30) is an error.
- **Yes/no**: 是/否, Y/N, yes/no, true/false, 已挽回/未挽回, 1/0.
  **Internal/external**: 内部/外部, 内/外, internal/external.
- **Formulas** count with the value Excel last computed; a formula with no
  computed value, or one showing an error (#DIV/0!, #N/A …), is an error in any
  column docgen uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from docgen.input import plausibility

from docgen.input import schema

from docgen.input import units
from docgen.errors import CellError, InvalidWorkbook, Location
from docgen.text.messages import Phrase, say
from docgen.input.model import (
    AccountTier,
    Action,
    Doubt,
    Channel,
    ColumnReading,
    FollowUp,
    GenericSection,
    InfoFieldReading,
    Lesson,
    LostCustomer,
    MarketEvent,
    Problem,
    Reconciliation,
    ReportInfo,
    SalesWorkbook,
    SheetPlace,
    SheetReading,
    Target,
    TeamContribution,
    TrendSeries,
)
from docgen.input.reader import (
    Cell,
    CellValue,
    ErrorValue,
    FormulaWithoutValue,
    ReadLimits,
    Sheet,
    column_letter,
    read_workbook,
)

HEADER_SEARCH_ROWS = 20


def load_workbook(path: str | Path, limits: ReadLimits | None = None) -> SalesWorkbook:
    """Read and validate a sales workbook.

    Raises WorkbookError when the file cannot be read at all, and InvalidWorkbook
    listing every cell, column and sheet problem when its content is wrong.
    Without `limits`, the reader's defaults and the environment's (DOCGEN_MAX_ROWS …).
    """
    sheets = read_workbook(path, limits)
    return _WorkbookBuilder(str(path)).build(sheets)


def build_workbook(file: str, sheets: list[Sheet], facts: dict[str, SheetFacts] | None = None) -> SalesWorkbook:
    """A SalesWorkbook from sheets already read; `file` names the workbook in messages.

    `facts` (by sheet name) say what a whole column holds when `sheets` hold
    only part of the rows, as a split by salesperson gives each worker.
    """
    return _WorkbookBuilder(file, facts).build(sheets)


def read_sheets(file: str, sheets: list[Sheet]) -> tuple[tuple[SheetReading, ...], InvalidWorkbook | None]:
    """How each sheet is read, by the code that builds the model, and what stops it making one (or None).

    For `docgen workbook show`: a workbook with problems still says how each of its sheets was read.
    """
    builder = _WorkbookBuilder(file)
    try:
        builder.build(sheets)
    except InvalidWorkbook as invalid:
        return tuple(builder.readings), invalid
    return tuple(builder.readings), None


# ---------------------------------------------------------------------------
# Converting one value


class _Invalid(Exception):
    """A value that cannot be used; the caller adds where it is."""

    def __init__(self, message: Phrase, *, expected: Phrase | str | None = None, found: str | None = None,
                 hint: Phrase | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.found = found
        self.hint = hint


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse_markers(value: CellValue) -> None:
    if isinstance(value, FormulaWithoutValue):
        raise _Invalid(
            say("cell.formula_without_value", formula=value.formula) if value.formula
            else say("cell.formula_without_value.anonymous"),
            expected=say("cell.a_value"),
            hint=say("cell.formula_without_value.hint"),
        )
    if isinstance(value, ErrorValue):
        raise _Invalid(say("cell.error_value", code=value.code), expected=say("cell.a_value"),
                       hint=say("cell.error_value.hint"))


def _number_text(value: float | int) -> str:
    """A number as a person would type it: 1200, not 1200.0; 0.1, not 0.1000000000000001."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _display_text(value: CellValue, percent: bool = False) -> str:
    """How a cell's value reads as text (for text columns, generic sections and messages)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _number_text(value * 100) + "%" if percent else _number_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


def cell_text(cell: Cell) -> str:
    """A cell as the sheet shows it, as text; "" for an empty cell, an error value or an uncomputed formula."""
    if isinstance(cell.value, (FormulaWithoutValue, ErrorValue)):
        return ""
    return _display_text(cell.value, cell.percent)


def _to_text(cell: Cell) -> str | None:
    _refuse_markers(cell.value)
    text = _display_text(cell.value, cell.percent)
    return text or None


_CURRENCY_BEFORE = re.compile(r"^(?:RMB|CNY|USD|EUR|[¥$€£])", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"(?:RMB|CNY|USD|EUR|元)$", re.IGNORECASE)
_DIGITS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")

_NUMBER_HINT = say("cell.not_a_number.hint")


def _parse_number_text(text: str) -> tuple[float, bool, bool]:
    """The number a text cell holds, whether it was written as a percentage, and whether as money."""
    # NFKC turns full-width digits, ，．％ and ￥ into their ASCII forms.
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("\u2212", "-")
    negative = False
    if len(folded) > 2 and folded[0] == "(" and folded[-1] == ")":  # accounting style negative
        negative, folded = True, folded[1:-1]
    money = False
    for _ in range(2):  # the sign may come before or after a currency sign: -¥12 or ¥-12
        if folded[:1] in ("+", "-"):
            negative ^= folded[0] == "-"
            folded = folded[1:]
        folded, signs = _CURRENCY_BEFORE.subn("", folded)
        money |= bool(signs)
    percent = folded.endswith("%")
    if percent:
        folded = folded[:-1]
    folded, signs = _CURRENCY_AFTER.subn("", folded)
    money |= bool(signs)
    if not _DIGITS.fullmatch(folded):
        raise ValueError(text)
    number = float(folded.replace(",", ""))
    if negative:
        number = -number
    return (number / 100 if percent else number), percent, money


@dataclass(frozen=True)
class _NumberReading:
    value: float
    is_fraction: bool  # shown or typed as a percentage, so already a fraction
    is_money: bool = False  # typed with a currency sign or code (￥12,000, RMB 800)


def _read_number(cell: Cell) -> _NumberReading | None:
    value = cell.value
    _refuse_markers(value)
    if _is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _NumberReading(float(value), cell.percent)
    if isinstance(value, str):
        try:
            number, percent, money = _parse_number_text(value)
        except ValueError:
            raise _Invalid(say("cell.not_a_number"), expected=say("cell.a_number"), found=value.strip(),
                           hint=_NUMBER_HINT) from None
        return _NumberReading(number, percent, money)
    raise _Invalid(say("cell.not_a_number"), expected=say("cell.a_number"), found=_display_text(value),
                   hint=_NUMBER_HINT)


def _to_number(cell: Cell) -> float | None:
    reading = _read_number(cell)
    return reading.value if reading else None


def _to_count_or_amount(cell: Cell) -> float | None:
    """A figure of a column that counts things or money: a percentage there is a slip, never a figure."""
    reading = _read_number(cell)
    if reading is not None and reading.is_fraction:
        raise _Invalid(say("cell.percent_in_number"), expected=say("cell.an_amount_or_count"),
                       found=_display_text(cell.value, cell.percent), hint=say("cell.percent_in_number.hint"))
    return reading.value if reading else None


_TEXT_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_TEXT_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_DATE_FORMS = say("cell.date_forms")


def _to_date(cell: Cell) -> dt.date | None:
    value = cell.value
    _refuse_markers(value)
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _TEXT_DATE.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise _Invalid(say("cell.impossible_day"), expected=_DATE_FORMS,
                               found=value.strip(), hint=say("cell.impossible_day.hint")) from None
        if _TEXT_MONTH.fullmatch(text):
            raise _Invalid(say("cell.month_not_day"), expected=_DATE_FORMS, found=value.strip(),
                           hint=say("cell.month_not_day.hint"))
    raise _Invalid(say("cell.not_a_date"), expected=_DATE_FORMS, found=_display_text(value),
                   hint=say("cell.not_a_date.hint"))


_YES = ("是", "否", "Y", "N", "yes", "no", "true", "false", "已挽回", "未挽回", "1", "0")
_YES_WORDS = {schema.normalize_name(word) for word in ("是", "y", "yes", "true", "已挽回", "1")}
_NO_WORDS = {schema.normalize_name(word) for word in ("否", "n", "no", "false", "未挽回", "0")}
_YES_NO_LIST = "是/否, Y/N, yes/no, true/false, 已挽回/未挽回 or 1/0"


def _to_yes_no(cell: Cell) -> bool | None:
    value = cell.value
    _refuse_markers(value)
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = schema.normalize_name(_display_text(value))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise _Invalid(say("cell.not_yes_no"), expected=_YES_NO_LIST, found=_display_text(value),
                   hint=say("cell.one_of_listed.hint"))


_KIND_WORDS = {
    **{schema.normalize_name(word): "internal" for word in ("内部", "内", "internal")},
    **{schema.normalize_name(word): "external" for word in ("外部", "外", "external")},
}
_KIND_LIST = "内部/外部, 内/外 or internal/external"


def _to_kind(cell: Cell) -> str | None:
    value = cell.value
    _refuse_markers(value)
    if _is_blank(value):
        return None
    kind = _KIND_WORDS.get(schema.normalize_name(_display_text(value)))
    if kind is None:
        raise _Invalid(say("cell.not_kind"), expected=_KIND_LIST,
                       found=_display_text(value), hint=say("cell.one_of_listed.hint"))
    return kind


_CONVERTERS: dict[str, Callable[[Cell], object]] = {
    schema.TEXT: _to_text,
    schema.NUMBER: _to_count_or_amount,
    schema.DATE: _to_date,
    schema.YESNO: _to_yes_no,
    schema.KIND: _to_kind,
}


def _scale_plain_percents(readings: Iterable[_NumberReading | None]) -> float:
    """1 when a group's plain numbers are fractions already (all at most 1), else 1/100."""
    plain = [reading.value for reading in readings if reading is not None and not reading.is_fraction]
    return 1.0 if all(abs(value) <= 1 for value in plain) else 0.01


def _as_fraction(reading: _NumberReading | None, scale: float) -> float | None:
    if reading is None:
        return None
    return reading.value if reading.is_fraction else reading.value * scale


def _names_of(column: schema.Column) -> str:
    return " / ".join(column.names[:2])


def _choices(names_by_key: dict[str, tuple[str, ...]]) -> str:
    """The valid values of a setting, as "月报, 周报 / monthly, weekly"."""
    chinese = [next((n for n in names if re.search(r"[\u4e00-\u9fff]", n)), key)
               for key, names in names_by_key.items()]
    return f"{', '.join(chinese)} / {', '.join(names_by_key)}"


# ---------------------------------------------------------------------------
# Reading sheets


@dataclass
class _Header:
    cells: tuple[Cell, ...]  # the header row
    columns: dict[str, int] = field(default_factory=dict)  # column key → column number
    labels: list[tuple[int, str]] = field(default_factory=list)  # open sections: (column number, label)

    @property
    def row(self) -> int:
        return self.cells[0].row

    def text(self, key: str) -> str:
        return _display_text(_cell_at(self.cells, self.columns[key]).value)


def _cell_at(row: tuple[Cell, ...], column: int) -> Cell:
    if column <= len(row):
        return row[column - 1]
    return Cell(row[0].row if row else 0, column)


def _header_cells(row: tuple[Cell, ...]) -> list[Cell]:
    """A row's non-blank cells, a range merged across counting once (at its left)."""
    cells = []
    for cell in row:
        if _is_blank(cell.value):
            continue
        left = _cell_at(row, cell.column - 1) if cell.column > 1 else None
        if cell.merged_range and left is not None and left.merged_range == cell.merged_range:
            continue
        cells.append(cell)
    return cells


def _fills_any(row: tuple[Cell, ...], columns: list[int]) -> bool:
    """Whether any of the columns holds something in this row (a loop: every data row is asked)."""
    for column in columns:
        if column <= len(row) and not _is_blank(row[column - 1].value):
            return True
    return False


def _is_blank_row(row: Iterable[Cell]) -> bool:
    return all(_is_blank(cell.value) for cell in row)


# ---------------------------------------------------------------------------
# Which section a sheet is: by its name, a name close to a section's, or its headers


@dataclass(frozen=True)
class _Fit:
    """How well a sheet's best header row (among its first rows) fits a section's columns."""

    keys: frozenset[str] = frozenset()  # the section's columns the row names (not the person or note)
    headers: tuple[str, ...] = ()  # those headers, as the sheet writes them
    missing: tuple[str, ...] = ()  # the keys of the section's required columns the row lacks
    others: int = 0  # headed cells naming none of the section's columns (an open section's figure columns)

    def fits_named(self, section: schema.Section) -> bool:
        """Enough for a sheet whose name is close to the section's."""
        if section.key_value:
            return len(self.keys) >= 2
        if section.open_columns:
            return "indicator" in self.keys and self.others >= 1
        return not self.missing and len(self.keys) >= min(2, len(section.columns))

    def fits_alone(self, section: schema.Section) -> bool:
        """Enough for any sheet, whatever its name: most of its headers are the section's, required ones too."""
        if section.key_value:
            return len(self.keys) >= 4
        if section.open_columns:  # an indicator column and anything else: too little to tell
            return False
        return not self.missing and len(self.keys) >= 3 and len(self.keys) >= self.others


def _fit(section: schema.Section, head: Iterable[tuple[Cell, ...]]) -> _Fit:
    if section.key_value:  # the info sheet: keys down its first column
        keys, headers = set(), []
        for row in head:
            cells = _header_cells(row)
            text = _display_text(cells[0].value).rstrip(":： ").strip() if cells else ""
            found = next((f for f in section.fields if _matches(f, text)), None) if text else None
            if found is not None and found.key not in keys:
                keys.add(found.key)
                headers.append(text)
        return _Fit(frozenset(keys), tuple(headers))
    best = _Fit(missing=tuple(c.key for c in section.columns if c.required))
    for row in head:
        keys, headers, others = set(), [], 0
        for cell in _header_cells(row):
            text = _display_text(cell.value)
            column = schema.match_column(section, text)
            if column is None:
                others += 1
            elif column in section.columns and column is not schema.NOTE and column.key not in keys:
                keys.add(column.key)
                headers.append(text)
        if len(keys) > len(best.keys):
            missing = tuple(c.key for c in section.columns if c.required and c.key not in keys)
            best = _Fit(frozenset(keys), tuple(headers), missing, others)
    return best


@dataclass(frozen=True)
class Recognition:
    """The section a sheet was taken as, and why (SheetReading.how); for a sheet not taken, what it came close to."""

    section: str | None
    how: str  # name | alias | close-name | headers | unknown | instructions
    matched: tuple[str, ...] = ()
    almost: str | None = None
    almost_why: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def inferred(self) -> bool:
        """Taken by a close name or by its headers: the user is told (DG001)."""
        return self.how in ("close-name", "headers")


def recognise_sheet(name: str, rows: Iterable[tuple[Cell, ...]]) -> Recognition:
    """Which section a sheet is, from its name and its first rows (docs/workbook-show.md says the rules).

    A sheet named as a section (or an alias) is that section. Else a name close
    to a section's (目标达成情况, Targets 2026) whose header fits the section's
    columns, else a header row that on its own is plainly the section's (its
    required columns and at least three of its columns, and more of its columns
    than other headers). A tie between two sections takes neither.
    """
    if schema.is_instruction_sheet(name):
        return Recognition(None, "instructions")
    section, how = schema.section_by_name(name)
    if section is not None:
        matched = next(n for n in section.names if schema.normalize_name(n) == schema.normalize_name(name))
        return Recognition(section.key, how, (matched,))
    head = [row for row in islice(rows, HEADER_SEARCH_ROWS) if not _is_blank_row(row)]
    fits = {candidate.key: _fit(candidate, head) for candidate in schema.SECTIONS}
    closeness = schema.name_closeness(name)
    named = [(score, len(fits[s.key].keys), s, close) for score, s, close in closeness
             if score >= schema.CLOSE_NAME and fits[s.key].fits_named(s)]
    if named:
        named.sort(key=lambda item: (-item[0], -item[1]))
        if len(named) == 1 or named[0][:2] != named[1][:2]:
            _score, _keys, chosen, close = named[0]
            return Recognition(chosen.key, "close-name", (close,))
    alone = sorted(((len(fits[s.key].keys), s) for s in schema.SECTIONS if fits[s.key].fits_alone(s)),
                   key=lambda item: -item[0])
    if alone and (len(alone) == 1 or alone[0][0] > alone[1][0]):
        chosen = alone[0][1]
        return Recognition(chosen.key, "headers", fits[chosen.key].headers)
    # Not taken: the section it comes closest to, for a finding about a missing section.
    near = next(((s, fits[s.key]) for score, s, _close in closeness if score >= schema.CLOSE_NAME), None)
    if near is not None:
        return Recognition(None, "unknown", almost=near[0].key, almost_why="close-name", missing=near[1].missing)
    partial = [(len(fit.keys), s) for s in schema.SECTIONS
               if not s.key_value and not s.open_columns and len((fit := fits[s.key]).keys) >= 2]
    if partial:
        _keys, chosen = max(partial, key=lambda item: item[0])
        return Recognition(None, "unknown", almost=chosen.key, almost_why="headers", missing=fits[chosen.key].missing)
    return Recognition(None, "unknown")


def _column_readings(section: schema.Section | None, header: _Header) -> tuple[ColumnReading, ...]:
    """Each headed cell of a header row and the field it became; every field None for an unknown sheet."""
    keys = {column: key for key, column in header.columns.items()}
    labels = dict(header.labels)
    figure = "period" if section is not None and section.key == "trend" else "source"
    readings = []
    for cell in _header_cells(header.cells):
        text = _display_text(cell.value)
        if cell.column in keys:
            readings.append(ColumnReading(column_letter(cell.column), text, keys[cell.column]))
        elif cell.column in labels:
            readings.append(ColumnReading(column_letter(cell.column), text, figure, labels[cell.column]))
        else:
            readings.append(ColumnReading(column_letter(cell.column), text, None))
    return tuple(readings)


class _WorkbookBuilder:
    def __init__(self, file: str, facts: dict[str, SheetFacts] | None = None) -> None:
        self.file = file
        self.facts = facts or {}
        self.problems: list[CellError] = []
        self.places: dict[str, SheetPlace] = {}  # where each section was read, for docgen check
        self.readings: list[SheetReading] = []  # how each sheet was read (docgen workbook show)
        self._headers: dict[str, _Header] = {}  # each table sheet's header, as found
        self._info_fields: list[InfoFieldReading] = []
        self.doubts: list[Doubt] = []  # figures read but doubted, for docgen check (docgen.input.plausibility)

    # -- problems

    def _report(self, sheet: Sheet, cell: str | None, message: str, *, expected: str | None = None,
                found: str | None = None, hint: str | None = None) -> None:
        # message, expected and hint are docgen.text.messages Phrases: English, and Chinese on request.
        self.problems.append(CellError(
            message, location=Location(file=self.file, sheet=sheet.name, cell=cell),
            expected=expected, found=found, hint=hint,
        ))

    def _convert(self, sheet: Sheet, cell: Cell, convert: Callable[[Cell], object], column_name: str):
        try:
            return convert(cell)
        except _Invalid as invalid:
            self._report(sheet, cell.coordinate, say("cell.in_column", column=column_name, problem=invalid.message),
                         expected=invalid.expected, found=invalid.found, hint=invalid.hint)
            return None

    # -- the workbook

    def build(self, sheets: list[Sheet]) -> SalesWorkbook:
        content: dict[str, object] = {}
        generic: list[GenericSection] = []
        present: list[str] = []
        sheet_of_section: dict[str, str] = {}
        recognitions = self._recognise_all(sheets)
        # Characters the reader had to replace are said at their cell (DG109), never passed on silently.
        self.doubts += [Doubt("DG109", "replaced_characters", warning.sheet, warning.cell)
                        for sheet in sheets for warning in getattr(sheet, "warnings", ())]
        for sheet, recognition in zip(sheets, recognitions):
            reading = self._reading(sheet, recognition)
            if sheet.hidden or all(_is_blank_row(row) for row in sheet.rows) or recognition.how == "instructions":
                skipped = "hidden" if sheet.hidden else "instructions" if recognition.how == "instructions" else "empty"
                self.readings.append(dataclasses.replace(reading, skipped=skipped))
                continue
            section = schema.section(recognition.section) if recognition.section else None
            if section is None:
                generic_section = self._generic(sheet)
                if generic_section is not None:
                    generic.append(generic_section)
                    present.append(f"generic:{generic_section.title}")
                    header = self._headers.get(sheet.name)
                    reading = dataclasses.replace(reading, header_row=header.row if header else None,
                                                  columns=_column_readings(section, header) if header else ())
                self.readings.append(reading if generic_section else dataclasses.replace(reading, skipped="empty"))
                continue
            if section.key in sheet_of_section:
                first = sheet_of_section[section.key]
                if recognition.inferred:  # neither is named as the section: which one is meant?
                    self._report(
                        sheet, None, say("sheet.both", first=first, second=sheet.name, section=section.names[0]),
                        expected=say("sheet.second.expected", names=_names_of_section(section)),
                        hint=say("sheet.both.hint", name=section.names[0]),
                    )
                else:
                    self._report(
                        sheet, None,
                        say("sheet.second", section=section.names[0], first=first),
                        expected=say("sheet.second.expected", names=_names_of_section(section)),
                        hint=say("sheet.second.hint"),
                    )
                self.readings.append(dataclasses.replace(reading, skipped="second"))
                continue
            sheet_of_section[section.key] = sheet.name
            if section.key_value:
                facts = self.facts.get(sheet.name)
                if facts is not None and facts.info is not None:  # read once for everyone of a split
                    info, self.places["info"] = facts.info
                else:
                    info = self._info(sheet)
                content["info"] = info
                if info != ReportInfo():
                    present.append("info")
                self.readings.append(dataclasses.replace(
                    reading, fields=tuple(self._info_fields), skipped=None if info != ReportInfo() else "empty"))
            else:
                before = len(self.problems)
                rows = self._table(section, sheet)
                if recognition.inferred and len(self.problems) > before:
                    self._report_inferred(sheet, section, recognition)
                content[section.key] = rows
                if rows:
                    present.append(section.key)
                header = self._headers.get(sheet.name)
                self.readings.append(dataclasses.replace(
                    reading, header_row=header.row if header else None,
                    columns=_column_readings(section, header) if header else (), skipped=None if rows else "empty"))
        if self.problems:
            invalid = InvalidWorkbook(self.problems, file=self.file)
            info = content.get("info")
            invalid.lang = info.language if isinstance(info, ReportInfo) else None  # tell them in the report's language
            raise invalid
        return plausibility.in_one_currency_unit(SalesWorkbook(
            source=self.file, generic=tuple(generic), present=tuple(present), places=dict(self.places),
            sheets=tuple(self.readings), doubts=tuple(self.doubts), **content,
        ))

    def _recognise_all(self, sheets: list[Sheet]) -> list[Recognition]:
        """Each sheet's section; a sheet named as a section keeps it from one only close to it, or like it."""
        recognitions = []
        for sheet in sheets:
            facts = self.facts.get(sheet.name)
            if facts is not None and facts.recognition is not None:  # judged over the whole sheet (a split)
                recognitions.append(facts.recognition)
            else:
                recognitions.append(recognise_sheet(sheet.name, sheet.rows))
        named = {r.section for sheet, r in zip(sheets, recognitions)
                 if r.how in ("name", "alias") and not sheet.hidden and not all(_is_blank_row(row) for row in sheet.rows)}
        return [
            Recognition(None, "unknown", almost=r.section, almost_why="second")
            if r.inferred and r.section in named else r
            for r in recognitions
        ]

    def _report_inferred(self, sheet: Sheet, section: schema.Section, recognition: Recognition) -> None:
        """Say why a sheet not named as a section is held to its rules: its cells' problems may surprise."""
        if recognition.how == "close-name":
            why = say("sheet.inferred.close-name", name=section.names[0])
        else:
            why = say("sheet.inferred.headers", headers=", ".join(recognition.matched))
        self._report(sheet, None, say("sheet.inferred", section=section.names[0], why=why),
                     hint=say("sheet.inferred.hint"))

    @staticmethod
    def _reading(sheet: Sheet, recognition: Recognition) -> SheetReading:
        return SheetReading(
            name=sheet.name, hidden=sheet.hidden, section=recognition.section, how=recognition.how,
            matched=recognition.matched, almost=recognition.almost, almost_why=recognition.almost_why,
            missing=recognition.missing,
        )

    # -- the info sheet

    def _info(self, sheet: Sheet) -> ReportInfo:
        values: dict[str, object] = {}
        extra: dict[str, str] = {}
        key_cells: dict[str, Cell] = {}
        value_cells: dict[str, str] = {}
        key_header, value_header = schema.INFO.columns
        for row in sheet.rows:
            cells = _header_cells(row)
            if not cells:
                continue
            key_cell = cells[0]
            value_cell = self._value_beside(row, key_cell)
            key_text = _display_text(key_cell.value).rstrip(":： ").strip()
            if _matches(key_header, key_text) and _matches(value_header, _display_text(value_cell.value)):
                continue  # the 项目 / 内容 header row
            info_field = next((f for f in schema.INFO.fields if _matches(f, key_text)), None)
            self._info_fields.append(
                InfoFieldReading(key_text, info_field.key if info_field else None, value_cell.coordinate))
            if info_field is None:
                value = self._convert(sheet, value_cell, _to_text, key_text)
                if value is not None:
                    extra[key_text] = value
                continue
            if info_field.key in key_cells:
                first = key_cells[info_field.key].coordinate
                self._report(sheet, key_cell.coordinate, say("info.twice", key=key_text, first=first),
                             expected=say("info.twice.expected", names=_names_of(info_field)),
                             hint=say("info.twice.hint"))
                continue
            key_cells[info_field.key] = key_cell
            value_cells[info_field.key] = value_cell.coordinate
            values[info_field.key] = self._info_value(sheet, info_field, key_text, value_cell)
        self.places["info"] = SheetPlace(sheet.name, cells=value_cells)
        return ReportInfo(**values, extra=extra)

    @staticmethod
    def _value_beside(row: tuple[Cell, ...], key_cell: Cell) -> Cell:
        """The cell right of a key, past the key's own merged range."""
        column = key_cell.column + 1
        while key_cell.merged_range and _cell_at(row, column).merged_range == key_cell.merged_range:
            column += 1
        return _cell_at(row, column) if column <= len(row) else Cell(key_cell.row, column)

    def _info_value(self, sheet: Sheet, info_field: schema.Column, key_text: str, value_cell: Cell):
        if info_field.kind == schema.DATE:
            return self._convert(sheet, value_cell, _to_date, key_text)
        text = self._convert(sheet, value_cell, _to_text, key_text)
        parsers = {
            "period": (schema.parse_period, schema.PERIOD_NAMES),
            "level": (schema.parse_level, schema.LEVEL_NAMES),
            "language": (schema.parse_language, schema.LANGUAGE_NAMES),
        }
        if text is None or info_field.key not in parsers:
            return text
        parse, names = parsers[info_field.key]
        parsed = parse(text)
        if parsed is None:
            spellings = {schema.normalize_name(name): name for aliases in names.values() for name in aliases}
            close = difflib.get_close_matches(schema.normalize_name(text), list(spellings), n=1, cutoff=0.6)
            self._report(sheet, value_cell.coordinate,
                         say("info.unknown", key=key_text, what=say(f"info.what.{info_field.key}")),
                         expected=_choices(names), found=text,
                         hint=say("info.unknown.hint.close", close=spellings[close[0]]) if close
                         else say("info.unknown.hint"))
        return parsed

    # -- table sheets

    def _table(self, section: schema.Section, sheet: Sheet) -> tuple:
        header = self._find_header(section, sheet)
        if header is None:
            return ()
        self._headers[sheet.name] = header
        data_rows = [row for row in sheet.rows if row[0].row > header.row]
        # A row with only a note (a footnote under the table) is no row of a section without a note field.
        notes = {header.columns.get("note")} if schema.NOTE not in section.columns else set()
        used = sorted((set(header.columns.values()) - notes) | {column for column, _label in header.labels})
        data_rows = [row for row in data_rows if _fills_any(row, used)]
        rows = [_RowReader(self, sheet, section, header, row) for row in data_rows]
        # A builder yields one item (None for a row it cannot build) per row, so rows and items line up.
        kept = [(row, item) for row, item in zip(data_rows, _SECTION_BUILDERS[section.key](rows)) if item is not None]
        letters = {label: column_letter(column) for column, label in header.labels}
        letters.update({key: column_letter(column) for key, column in header.columns.items()})
        self.places[section.key] = SheetPlace(
            sheet.name, columns=letters, rows=tuple(row[0].row for row, _ in kept), header_row=header.row
        )
        return tuple(item for _, item in kept)

    def _find_header(self, section: schema.Section, sheet: Sheet) -> _Header | None:
        best: _Header | None = None
        best_score = 0
        facts = self.facts.get(sheet.name)
        candidates = sheet.rows[:HEADER_SEARCH_ROWS]
        if facts is not None and facts.header_row is not None:  # found over the whole sheet already
            candidates = [row for row in candidates if row[0].row <= facts.header_row]
        for row in candidates:
            known = {
                column.key
                for cell in _header_cells(row)
                if (column := schema.match_column(section, _display_text(cell.value))) is not None
                and column in section.columns
            }
            if len(known) > best_score:
                best, best_score = _Header(row), len(known)
        first_cell = sheet.rows[0][0].coordinate if sheet.rows else "A1"
        if best is None:
            wanted = [_names_of(column) for column in section.columns if column.required] or [
                _names_of(column) for column in section.columns]
            self._report(
                sheet, first_cell,
                say("header.none", rows=HEADER_SEARCH_ROWS),
                expected=say("header.none.expected", columns=", ".join(wanted)),
                hint=say("header.none.hint"),
            )
            return None
        if section.open_columns:
            self._map_open_columns(section, sheet, best)
        else:
            self._map_columns(section, sheet, best)
        return best

    def _map_columns(self, section: schema.Section, sheet: Sheet, header: _Header) -> None:
        unknown: list[Cell] = []
        for cell in _header_cells(header.cells):
            column = schema.match_column(section, _display_text(cell.value))
            if column is None or (column not in section.columns and column not in (schema.PERSON, schema.NOTE)):
                unknown.append(cell)
                continue
            self._claim_column(sheet, header, column.key, cell)
        for column in section.columns:
            if column.required and column.key not in header.columns:
                self._report_missing(sheet, header, column, unknown)

    def _claim_column(self, sheet: Sheet, header: _Header, key: str, cell: Cell) -> None:
        if key in header.columns:
            first = _cell_at(header.cells, header.columns[key]).coordinate
            self._report(sheet, cell.coordinate,
                         say("header.twice", column=_display_text(cell.value), first=first),
                         expected=say("header.twice.expected"), hint=say("header.twice.hint"))
            return
        header.columns[key] = cell.column

    def _report_missing(self, sheet: Sheet, header: _Header, column: schema.Column, unknown: list[Cell]) -> None:
        names = {schema.normalize_name(name): name for name in column.names}
        suggestion = None
        for cell in unknown:
            typed = schema.normalize_name(_display_text(cell.value))
            if difflib.get_close_matches(typed, names, n=1, cutoff=0.5):
                suggestion = cell
                break
        row_range = f"{header.cells[0].coordinate}:{header.cells[-1].coordinate}"
        if suggestion is not None:
            typed = _display_text(suggestion.value)
            closest = difflib.get_close_matches(schema.normalize_name(typed), names, n=1, cutoff=0.5)[0]
            self._report(
                sheet, suggestion.coordinate,
                say("header.misspelt", column=_names_of(column), typed=typed),
                expected=say("header.misspelt.expected", names=" or ".join(column.names[:2])), found=typed,
                hint=say("header.misspelt.hint", name=names[closest]),
            )
        else:
            self._report(
                sheet, row_range,
                say("header.missing", column=_names_of(column), row=header.row),
                expected=say("header.misspelt.expected", names=" or ".join(column.names)),
                hint=say("header.missing.hint", first=column.names[0], second=column.names[1], row=header.row),
            )

    def _map_open_columns(self, section: schema.Section, sheet: Sheet, header: _Header) -> None:
        """The indicator column, then each other headed column is a sub-period or a source system."""
        indicator = section.columns[0]
        cells = _header_cells(header.cells)
        indicator_cell = next(cell for cell in cells if schema.match_column(section, _display_text(cell.value)) is indicator)
        header.columns[indicator.key] = indicator_cell.column
        label_cells = []
        for cell in cells:
            if cell.column <= indicator_cell.column:
                continue
            column = schema.match_column(section, _display_text(cell.value))
            if column in (schema.PERSON, schema.NOTE):  # a note is never a source system or a sub-period
                self._claim_column(sheet, header, column.key, cell)
            else:
                label_cells.append(cell)
        labels = _labels(cell.value for cell in label_cells)
        seen: dict[str, Cell] = {}
        for cell, label in zip(label_cells, labels):
            if label in seen:
                self._report(sheet, cell.coordinate, say("header.twice", column=label, first=seen[label].coordinate),
                             expected=say("header.twice.expected"), hint=say("header.twice.hint"))
                continue
            seen[label] = cell
            header.labels.append((cell.column, label))

    # -- generic sheets

    def _generic(self, sheet: Sheet) -> GenericSection | None:
        rows = [row for row in sheet.rows if not _is_blank_row(row)]
        if len(rows) >= 2 and _looks_like_title(rows[0], rows[1]):
            rows = rows[1:]
        if len(rows) < 2:
            return None
        self._headers[sheet.name] = _Header(rows[0])
        facts = self.facts.get(sheet.name)
        if facts is not None and facts.span is not None:
            span = range(facts.span[0], facts.span[1] + 1)
        else:
            columns = sorted({cell.column for row in rows for cell in row if not _is_blank(cell.value)})
            span = range(columns[0], columns[-1] + 1)
        header = tuple(
            self._convert(sheet, _cell_at(rows[0], column), _to_text, column_letter(column)) or ""
            for column in span
        )
        body = tuple(
            tuple(
                self._convert(sheet, _cell_at(row, column), _to_text, name or column_letter(column)) or ""
                for column, name in zip(span, header)
            )
            for row in rows[1:]
        )
        return GenericSection(title=sheet.name.strip(), columns=header, rows=body)


def _names_of_section(section: schema.Section) -> str:
    return " / ".join(section.names[:2])


def _matches(column: schema.Column, text: str) -> bool:
    wanted = schema.normalize_name(text)
    return any(schema.normalize_name(name) == wanted for name in column.names)


def _looks_like_title(first: tuple[Cell, ...], second: tuple[Cell, ...]) -> bool:
    """A title above a table: one cell, or one range merged across, over a wider row."""
    return len(_header_cells(first)) == 1 and len(_header_cells(second)) > 1


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
            labels.append(_display_text(value))
    return labels


class _RowReader:
    """One data row of a table sheet, giving each column's value in its type and reporting problems."""

    def __init__(self, builder: _WorkbookBuilder, sheet: Sheet, section: schema.Section, header: _Header,
                 cells: tuple[Cell, ...]) -> None:
        self.builder = builder
        self.sheet = sheet
        self.facts = builder.facts.get(sheet.name)
        self.header = header
        self.cells = cells
        self.columns = {column.key: column for column in (*section.columns, schema.PERSON, schema.NOTE)}

    def cell(self, key: str) -> Cell | None:
        column = self.header.columns.get(key)
        return None if column is None else _cell_at(self.cells, column)

    def value(self, key: str, *, required: bool = False, kind: str | None = None):
        cell = self.cell(key)
        if cell is None:
            return None
        if required and _is_blank(cell.value):
            self.report_empty(key, cell)
            return None
        convert = _CONVERTERS[kind or self.columns[key].kind]
        return self.builder._convert(self.sheet, cell, convert, self.header.text(key))

    def text(self, key: str, *, required: bool = False) -> str | None:
        return self.value(key, required=required, kind=schema.TEXT)

    def number(self, key: str, *, required: bool = False) -> float | None:
        return self.value(key, required=required, kind=schema.NUMBER)

    def reading(self, key: str, *, required: bool = False) -> _NumberReading | None:
        cell = self.cell(key)
        if cell is None:
            return None
        if required and _is_blank(cell.value):
            self.report_empty(key, cell)
            return None
        return self.builder._convert(self.sheet, cell, _read_number, self.header.text(key))

    def person(self) -> str | None:
        return self.text(schema.PERSON.key)

    def report_empty(self, key: str, cell: Cell) -> None:
        name = self.header.text(key)
        self.builder._report(self.sheet, cell.coordinate, say("row.empty", column=name, row=cell.row),
                             expected=say("row.empty.expected", column=name),
                             hint=say("row.empty.hint", column=name))

    def report(self, key: str, message: str, **details) -> None:
        self.builder._report(self.sheet, self.cell(key).coordinate, message, **details)

    def open_values(self) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
        labels, values = [], []
        for column, label in self.header.labels:
            labels.append(label)
            values.append(self.builder._convert(self.sheet, _cell_at(self.cells, column), _to_number, label))
        return tuple(labels), tuple(values)


# ---------------------------------------------------------------------------
# One builder per table section: rows in, model objects out (None where a row cannot be built)


_TARGET_FIGURES = ("target", "actual", "previous", "last_year", "next_target")


def _figure_required(row: _RowReader, key: str) -> bool:
    # An empty actual is not a read error: the report says it is missing and
    # `docgen check` reports it (DG102). The column itself stays required.
    return row.columns[key].required and key != "actual"


def _targets(rows: list[_RowReader]) -> Iterable[Target | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        unit_text = row.text("unit")
        unit = units.parse_unit(unit_text)
        readings = {key: row.reading(key, required=_figure_required(row, key)) for key in _TARGET_FIGURES}
        written_as_percent = any(reading is not None and reading.is_fraction for reading in readings.values())
        if unit.kind == units.NONE and written_as_percent:
            # Figures shown as percentages in a row without a unit: a rate, and docgen check says so.
            unit_text, unit = "%", units.parse_unit("%")
            if indicator is not None:
                cell = row.cell("unit") or row.cell("indicator")
                row.builder.doubts.append(plausibility.inferred_rate(row.sheet.name, cell.coordinate, indicator))
        if unit.is_rate:
            scale = _scale_plain_percents(readings.values())
            figures = {key: _as_fraction(reading, scale) for key, reading in readings.items()}
        else:
            figures = {key: reading.value if reading else None for key, reading in readings.items()}
        read = [
            plausibility.Figure(key, row.header.text(key), row.cell(key).coordinate, figures[key],
                                reading.is_fraction, reading.is_money)
            for key, reading in readings.items() if reading is not None
        ]
        slips = plausibility.certain_slips(unit, read)
        for figure, reason in slips:
            cell = row.cell(figure.key)
            row.report(figure.key, say(f"target.{reason}", column=figure.column, unit=unit.text),
                       expected=say(f"target.{reason}.expected", unit=unit.text),
                       found=_display_text(cell.value, cell.percent),
                       hint=say(f"target.{reason}.hint", unit=unit.text))
        target = figures["target"]
        if target is not None and target <= 0:
            row.report("target", say("target.not_positive", column=row.header.text("target")),
                       expected=say("target.not_positive.expected"), found=_number_text(target),
                       hint=say("target.not_positive.hint"))
        if indicator is None:
            yield None
            continue
        note = row.text("note")
        if not slips:
            row.builder.doubts += plausibility.row_doubts(row.sheet.name, indicator, unit, read, note)
        yield Target(indicator=indicator, unit=unit_text, note=note, person=row.person(), **figures)


def _trend(rows: list[_RowReader]) -> Iterable[TrendSeries | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        labels, values = row.open_values()
        yield None if indicator is None else TrendSeries(indicator, labels, values, person=row.person())


def _reconcile(rows: list[_RowReader]) -> Iterable[Reconciliation | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        sources, values = row.open_values()
        yield None if indicator is None else Reconciliation(indicator, sources, values, note=row.text("note"))


def _with_percent_column(rows: list[_RowReader], key: str) -> list[float | None]:
    """A percent column's values as fractions, judging its plain numbers together."""
    readings = [row.reading(key) for row in rows]
    judged = rows[0].facts.percent_scales.get(key) if rows and rows[0].facts else None
    scale = judged if judged is not None else _scale_plain_percents(readings)
    return [_as_fraction(reading, scale) for reading in readings]


def _accounts(rows: list[_RowReader]) -> Iterable[AccountTier | None]:
    satisfaction = _with_percent_column(rows, "satisfaction")
    for row, rate in zip(rows, satisfaction):
        tier = row.text("tier", required=True)
        customers = row.number("customers", required=True)
        upkeep = row.text("upkeep")
        yield None if tier is None else AccountTier(tier, customers, rate, upkeep, person=row.person())


def _team(rows: list[_RowReader]) -> Iterable[TeamContribution | None]:
    shares = _with_percent_column(rows, "share")
    for row, share in zip(rows, shares):
        member = row.text("member", required=True)
        contribution = row.text("contribution")
        value = row.number("value")
        yield None if member is None else TeamContribution(member, contribution, value, share)


def _simple(model: type, name_field: str) -> Callable[[list[_RowReader]], Iterable]:
    """A section whose columns map one to one onto the model's fields; name_field identifies a row."""
    field_names = {model_field.name for model_field in dataclasses.fields(model)}

    def build(rows: list[_RowReader]) -> Iterable:
        for row in rows:
            values = {key: row.value(key, required=column.required)
                      for key, column in row.columns.items()
                      if key in field_names and column is not schema.PERSON}
            if "person" in field_names:
                values["person"] = row.person()
            yield None if values[name_field] is None else model(**values)

    return build


_SECTION_BUILDERS: dict[str, Callable[[list[_RowReader]], Iterable]] = {
    "targets": _targets,
    "trend": _trend,
    "reconcile": _reconcile,
    "pipeline": _simple(Channel, "channel"),
    "accounts": _accounts,
    "churn": _simple(LostCustomer, "customer"),
    "followups": _simple(FollowUp, "customer"),
    "market": _simple(MarketEvent, "event"),
    "problems": _simple(Problem, "symptom"),
    "lessons": _simple(Lesson, "practice"),
    "actions": _simple(Action, "action"),
    "team": _team,
}


# ---------------------------------------------------------------------------
# Splitting a sheet by salesperson while it is read (docgen.team.split)
#
# A split gives each salesperson the rows that name them and builds their
# model from those alone. What only the whole sheet knows (a percentage
# column's scale, an unknown sheet's columns, where the header is, the info
# sheet everyone shares) is judged once and handed to each build as SheetFacts.


@dataclass
class SheetFacts:
    """What the whole sheet says that one salesperson's rows of it cannot."""

    # Column key → the scale its plain numbers take (1 or 1/100), judged over the whole column.
    percent_scales: dict[str, float] = field(default_factory=dict)
    # A sheet docgen does not know: its first and last column, over all its rows.
    span: tuple[int, int] | None = None
    header_row: int | None = None  # a known section's header, found among the whole sheet's first rows
    info: tuple[ReportInfo, SheetPlace] | None = None  # the info sheet, read already
    recognition: Recognition | None = None  # the section the sheet was taken as, judged from its first rows


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's data starts and which column says whose each row is."""

    section: str  # the section key; "generic" for a sheet docgen does not know
    header_row: int  # this row and those above it (titles, the header) go to everyone
    column: int  # the column naming the salesperson (the member column on the team sheet)
    percent_columns: tuple[tuple[int, str], ...] = ()  # (column, key) of columns judged as a whole
    figures: tuple[int, ...] = ()  # the team sheet: the columns each member's share is worked out from
    recognition: Recognition | None = None  # the section the sheet was taken as, and why

    @property
    def named_only(self) -> bool:
        """A row naming nobody belongs to nobody; elsewhere, when no row names anyone, the rows are everyone's."""
        return self.section == "generic"


_JUDGED_AS_A_COLUMN = {"accounts": ("satisfaction",), "team": ("share",)}


def sheet_layout(sheet_name: str, head: list[tuple[Cell, ...]]) -> SheetLayout | None:
    """How a sheet splits by salesperson, from its first rows; None when the whole sheet is everyone's."""
    recognition = recognise_sheet(sheet_name, head)
    section = schema.section(recognition.section) if recognition.section else None
    if section is None:
        rows = [row for row in head if not _is_blank_row(row)]
        if len(rows) >= 2 and _looks_like_title(rows[0], rows[1]):
            rows = rows[1:]
        if len(rows) < 2:
            return None
        column = next((cell.column for cell in rows[0]
                       if not _is_blank(cell.value) and schema.is_person_column(_display_text(cell.value))), None)
        return None if column is None else SheetLayout("generic", rows[0][0].row, column, recognition=recognition)
    if section.key_value or (section.key not in schema.PERSON_SECTIONS and section.key != "team"):
        return None
    header = _WorkbookBuilder("")._find_header(section, Sheet(sheet_name, tuple(head)))
    if header is None:
        return None
    column = header.columns.get("member" if section.key == "team" else schema.PERSON.key)
    if column is None:
        return None
    judged = tuple((header.columns[key], key) for key in _JUDGED_AS_A_COLUMN.get(section.key, ())
                   if key in header.columns)
    figures = tuple(header.columns[key] for key in ("member", "value", "share") if key in header.columns)
    return SheetLayout(section.key, header.row, column, judged, figures if section.key == "team" else (),
                       recognition=recognition)


def person_key(row: tuple[Cell, ...], column: int) -> tuple[str, str]:
    """(key, name) of the salesperson a row names; ("", "") when it names nobody or cannot be read."""
    try:
        name = _to_text(_cell_at(row, column))
    except _Invalid:
        return "", ""  # the row is still checked, with the rows that name nobody
    name = (name or "").strip()
    return " ".join(name.split()).casefold(), name


class FactsCollector:
    """Judges a sheet's SheetFacts from its rows as they go by."""

    def __init__(self, layout: SheetLayout) -> None:
        self.layout = layout
        self.facts = SheetFacts()
        self._plain_above_one: set[str] = set()
        self._first = self._last = 0

    def add(self, row: tuple[Cell, ...]) -> None:
        if not row or row[0].row < self.layout.header_row:
            return
        if self.layout.section == "generic":
            filled = [cell.column for cell in row if not _is_blank(cell.value)]
            if filled:
                self._first = min(self._first or filled[0], filled[0])
                self._last = max(self._last, filled[-1])
            return
        if row[0].row == self.layout.header_row:
            return
        for column, key in self.layout.percent_columns:
            try:
                reading = _read_number(_cell_at(row, column))
            except _Invalid:
                continue
            if reading is not None and not reading.is_fraction and abs(reading.value) > 1:
                self._plain_above_one.add(key)

    def result(self) -> SheetFacts:
        scales = {key: 0.01 if key in self._plain_above_one else 1.0 for _column, key in self.layout.percent_columns}
        if self.layout.section == "generic":
            return SheetFacts(span=(self._first, self._last) if self._last else None,
                              recognition=self.layout.recognition)
        return SheetFacts(percent_scales=scales, header_row=self.layout.header_row,
                          recognition=self.layout.recognition)
