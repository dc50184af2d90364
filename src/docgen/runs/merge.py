"""docgen merge: a Word template filled once per row of a sheet, docxtpl tags or Word MERGEFIELDs alike (docs/merge.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from docgen.errors import CellError, DocgenError, Location, TemplateError, UsageError
from docgen.input import schema
from docgen.input.reader import Cell, ErrorValue, FormulaWithoutValue, Sheet, read_workbook
from docgen.input.workbook import cell_text
from docgen.output.files import path_inside
from docgen.output.naming import check_pattern, name_from_pattern, numbered_name, pattern_fields
from docgen.paths import check_input
from docgen.report.narrative import DEFAULT_THRESHOLDS
from docgen.runs.engine import Job, Progress, RunSettings, open_pool, run_jobs
from docgen.runs.records import Document, Failure, Kind, Outcome, RunResult, in_hand
from docgen.runs.template_cache import compiled_template
from docgen.text.language import language_of
from docgen.text.messages import Listed, message_language, say
from docgen.text.nearest import did_you_mean, nearest_names
from docgen.word.ooxml import clean_text  # the word layer's rule for what Word can hold
from docgen.word.mergefields import convert_merge_fields, field_key, merge_field_names
from docgen.word.template_check import merge_fields_used, refuse_broken_template

HEADER_SEARCH_ROWS = 20


# --- the data sheet --------------------------------------------------------------


# What a cell gives a template: its text, a whole number as an int, TRUE/FALSE as a
# bool, a date or time as Python's own; "" for an empty cell.
MergeValue = Union[str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta]


@dataclass(frozen=True)
class DataRow:
    number: int  # the sheet's row number, as Excel shows it
    values: dict[str, MergeValue]  # column header → the cell's typed value
    texts: dict[str, str]  # column header → the cell as the sheet shows it
    problem: DocgenError | None = None  # a cell that holds no usable value


@dataclass(frozen=True)
class DataTable:
    source: str
    sheet: str
    columns: tuple[str, ...]
    rows: tuple[DataRow, ...]


def read_table(path: str | Path, sheet: str | None = None) -> DataTable:
    """The rows of one sheet, each as {header: typed value} and {header: text as shown}, for a mail merge."""
    sheets = read_workbook(path)
    chosen = _choose_sheet(str(path), sheets, sheet)
    rows = [row for row in chosen.rows if any(cell_text(cell) for cell in row)]
    where = Location(file=str(path), sheet=chosen.name)
    if not rows:
        raise UsageError(say("merge.sheet_empty"), location=where, hint=say("merge.sheet_empty.hint"))
    header = _header_row(rows)
    columns: dict[int, str] = {}
    seen: dict[str, Cell] = {}
    for cell in header:
        name = cell_text(cell)
        if not name:
            continue
        folded = field_key(name)
        if folded in seen:
            raise CellError(
                say("merge.column_twice", name=name, cell=seen[folded].coordinate),
                location=Location(file=str(path), sheet=chosen.name, cell=cell.coordinate),
                hint=say("merge.column_twice.hint"),
            )
        seen[folded] = cell
        columns[cell.column] = name
    data = []
    for row in rows:
        if row[0].row <= header[0].row:
            continue
        values, texts, problem = {}, {}, None
        for cell in row:
            if cell.column not in columns:
                continue
            if isinstance(cell.value, (FormulaWithoutValue, ErrorValue)) and problem is None:
                problem = CellError(
                    say("merge.cell_error", column=columns[cell.column], value=cell.value)
                    if isinstance(cell.value, ErrorValue)
                    else say("merge.cell_no_value", column=columns[cell.column]),
                    location=Location(file=str(path), sheet=chosen.name, cell=cell.coordinate),
                    hint=say("merge.cell.hint"),
                )
            values[columns[cell.column]] = typed_value(cell)
            texts[columns[cell.column]] = cell_text(cell)
        row_texts = {name: texts.get(name, "") for name in columns.values()}
        if any(row_texts.values()):
            row_values = {name: values.get(name, "") for name in columns.values()}
            data.append(DataRow(row[0].row, row_values, row_texts, problem))
    if not data:
        raise UsageError(say("merge.no_rows"), location=where, hint=say("merge.no_rows.hint"))
    return DataTable(str(path), chosen.name, tuple(columns.values()), tuple(data))


def typed_value(cell: Cell) -> MergeValue:
    """A cell's value for a template: whole numbers as int; "" for an empty cell, an error, an uncomputed formula."""
    value = cell.value
    if value is None or isinstance(value, (FormulaWithoutValue, ErrorValue)):
        return ""
    if isinstance(value, str):
        return value.strip()  # as cell_text shows it
    # The file stores 1200 as 1200.0: as an int, {{ 金额 + 1 }} prints 1201 and range(数量) works.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _header_row(rows: Sequence[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """The first row that is not a title: one value (a cell, or one merged range) above wider rows."""
    window = rows[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(window):
        filled = [cell for cell in row if cell_text(cell)]
        one_value = len(filled) == 1 or (len({cell_text(c) for c in filled}) == 1 and filled[0].merged_range)
        wider_below = any(sum(1 for cell in later if cell_text(cell)) > 1 for later in window[index + 1 :])
        if not (one_value and wider_below):
            return row
    return rows[0]


def _choose_sheet(path: str, sheets: Sequence[Sheet], wanted: str | None) -> Sheet:
    if wanted is not None:
        for sheet in sheets:
            if schema.normalize_name(sheet.name) == schema.normalize_name(wanted):
                return sheet
        guess = did_you_mean(nearest_names(wanted, [sheet.name for sheet in sheets]))
        raise UsageError(
            say("names.no_such_sheet", name=wanted, guess=guess),
            location=Location(file=path),
            hint=say("merge.sheets.hint", names=Listed(sheet.name for sheet in sheets)),
        )
    for sheet in sheets:
        if not sheet.hidden and sheet.rows:
            return sheet
    raise UsageError(say("merge.no_data"), location=Location(file=path), hint=say("merge.no_data.hint"))


class _PrintsAsShown:
    """A typed value that prints as its cell shows it (1200, 12.5%, 2026-10-31 09:30), and computes as a value.

    A result of arithmetic is a plain value again, printed as Python prints it.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return getattr(self, "shown", None) or super().__str__()


class CellInt(_PrintsAsShown, int):
    pass


class CellFloat(_PrintsAsShown, float):
    pass


class CellDate(_PrintsAsShown, dt.date):
    pass


class CellDateTime(_PrintsAsShown, dt.datetime):
    pass


class CellTime(_PrintsAsShown, dt.time):
    pass


def _printing_as_shown(value: MergeValue, text: str) -> MergeValue:
    # bool cannot be subclassed (it prints True/False; row.text has TRUE/FALSE); a text is its own text.
    if isinstance(value, (bool, str, dt.timedelta)):
        return value
    if isinstance(value, int):
        typed = CellInt(value)
    elif isinstance(value, float):
        typed = CellFloat(value)
    elif isinstance(value, dt.datetime):
        typed = CellDateTime.combine(value.date(), value.timetz())
    elif isinstance(value, dt.date):
        typed = CellDate.fromordinal(value.toordinal())
    elif isinstance(value, dt.time):
        typed = CellTime(value.hour, value.minute, value.second, value.microsecond, value.tzinfo, fold=value.fold)
    else:
        return value
    typed.shown = text
    return typed


class TemplateRow(Mapping):
    """The `row` a template sees: row['金额'] the typed value, row.text['金额'] the text the sheet shows.

    A Mapping, not a dict: the renderer copies every dict of a context into a
    plain one, which would lose `text`, and makes the texts in those dicts safe
    for Word, so row_context does that for a TemplateRow.
    """

    __slots__ = ("_values", "text")

    def __init__(self, values: dict[str, MergeValue], texts: dict[str, str]) -> None:
        self._values = values
        self.text = texts

    def __getitem__(self, column: str) -> MergeValue:
        return self._values[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"TemplateRow({self._values!r}, text={self.text!r})"


def row_context(values: dict[str, MergeValue], texts: dict[str, str]) -> dict:
    """What a template sees for one row: each column by name where it is one, and all of them in `row`."""
    texts = {name: clean_text(text) for name, text in texts.items()}
    typed = {
        name: clean_text(value) if isinstance(value, str) else _printing_as_shown(value, texts[name])
        for name, value in values.items()
    }
    context = {name: value for name, value in typed.items() if name.isidentifier() and name != "row"}
    context["row"] = TemplateRow(typed, texts)
    return context


# --- rendering a row ----------------------------------------------------------------

# Jinja names the class of what it could not find a key in: say "row" instead.
_NO_SUCH_COLUMN = re.compile(r"'[\w.]*TemplateRow object' has no attribute ('[^']*')")


def render_row(template: Path, row: DataRow, columns: tuple[str, ...], warnings: tuple[str, ...] = ()) -> Document:
    """A worker's job for one row: the filled template's .docx (the template compiled once per worker)."""
    # The context is made here, in the worker: the job carries the row's plain values.
    context = row_context(row.values, row.texts)
    try:
        return Document(compiled_template(template, DEFAULT_THRESHOLDS).render(context), warnings)
    except TemplateError as error:
        message = error.message
        what = getattr(message, "params", {}).get("what")
        if getattr(message, "key", None) != "template.failed" or getattr(what, "key", None) != "template.unknown_variable":
            raise
        detail = message.params["detail"]
        missing = _NO_SUCH_COLUMN.fullmatch(str(detail))
        if getattr(detail, "key", None) == "names.undefined":  # a name no check could see before the run
            name = detail.params["name"]
            detail = say("names.undefined", name=name, guess=did_you_mean(nearest_names(name, columns)))
        elif missing:
            detail = say("merge.row_has_no_column", name=missing.group(1))
        raise TemplateError(
            say("template.failed", what=say("merge.unknown_column"), detail=detail),
            location=error.location,
            hint=say("merge.columns.hint", names=Listed(columns)),
        ) from None


# --- a merge run -------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeOptions:
    sheet: str | None = None
    name: str | None = None  # the --name pattern; None: "{n}-{first column}.docx"


def default_name(columns: Sequence[str]) -> str:
    first = next((column for column in columns if "{" not in column and "}" not in column), None)
    return "{n}-{" + first + "}.docx" if first else "{n}.docx"


def run_merge(
    template: str | Path,
    data: str | Path,
    options: MergeOptions,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
) -> RunResult:
    """Fill the template once per row of the data sheet, one document each, into settings.output_dir."""
    template, data = Path(template), Path(data)
    _require_template(template)
    table = read_table(data, options.sheet)
    # Where no interface language is set, the data sheet's (its column names') decides what is said of the run.
    lang = language_of(" ".join(table.columns))
    with in_hand(lang):
        result = _run(template, table, options, settings, progress)
    result.lang = lang
    return result


def _run(
    template: Path, table: DataTable, options: MergeOptions, settings: RunSettings, progress: Progress | None
) -> RunResult:
    data = Path(table.source)
    # A template every row would fail on (a syntax error, a tag the sandbox refuses, a name that is
    # no column of the sheet) stops the run at once, before anything is written.
    refuse_broken_template(template, sheet=table.sheet, columns=table.columns)
    pattern = options.name or default_name(table.columns)
    check_pattern(pattern, ["n", "row", "file", *table.columns])
    digest = hashlib.sha256()
    for path in (data, template):
        digest.update(path.read_bytes())
    # A cluster is reached now: a wrong address is said before anything is written.
    pool = open_pool(settings.workers, settings.scheduler) if settings.scheduler else None
    work = Path(tempfile.mkdtemp(prefix="docgen-merge-"))
    try:
        prepared = work / template.name  # errors name the file the user gave
        if merge_field_names(template):
            convert_merge_fields(template, prepared, table.columns)
        else:
            shutil.copyfile(template, prepared)
        printed = merge_fields_used(prepared, table.columns)
        jobs, failures = _plan(table, prepared, pattern, digest.hexdigest(), settings, printed)
        return run_jobs(jobs, settings, failures=failures, progress=progress, pool=pool)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(work, ignore_errors=True)


def _require_template(template: Path) -> None:
    check_input(template)  # a FIFO or a device would never end
    if not template.is_file():
        raise TemplateError(
            say("merge.template_not_found"), location=Location(file=str(template)), hint=say("batch.not_found.hint")
        )
    if not zipfile.is_zipfile(template):
        raise TemplateError(
            say("merge.template_not_docx"),
            location=Location(file=str(template)),
            hint=say("merge.template_not_docx.hint"),
        )


def _plan(table: DataTable, template: Path, pattern: str, digest: str, settings: RunSettings, printed: Sequence[str]):
    width = len(str(len(table.rows)))
    taken: set[str] = set()
    if settings.combine is not None:
        taken.add(Path(settings.combine).name.casefold())
    jobs, failures = [], []
    label_column = next((c for c in table.columns if c in pattern_fields(pattern)), table.columns[0])
    for index, row in enumerate(table.rows, start=1):
        fields = {**row.texts, "n": str(index).zfill(width), "row": str(row.number), "file": Path(table.source).stem}
        name = numbered_name(name_from_pattern(pattern, fields, fallback=f"row-{row.number}"), taken)
        key = f"{Kind.MERGE}:{Path(table.source).resolve()}:{table.sheet}:{row.number}"
        person = row.texts.get(label_column, "")
        if row.problem is not None:
            failures.append(
                Outcome.failure(Failure.of(row.problem), input=table.source, person=person, kind=Kind.MERGE,
                                row=str(row.number), output=str(settings.output_dir / name), input_hash=digest,
                                key=key)
            )
            continue
        jobs.append(
            Job(
                key=key,
                input=table.source,
                person=person,
                kind=Kind.MERGE,
                output=str(path_inside(settings.output_dir, name)),
                input_hash=digest,
                render=render_row,
                args=(template, row, table.columns, _blank_printed(row, printed)),
                row=row.number,
            )
        )
    return jobs, failures


def _blank_printed(row: DataRow, printed: Sequence[str]) -> tuple[str, ...]:
    """The warning for a row whose cells the template prints are empty: its document has a hole there."""
    blank = [column for column in printed if not row.texts.get(column, "").strip()]
    return (say("merge.blank", columns=Listed(f"“{column}”" for column in blank)).in_language(message_language()),) if blank else ()


__all__ = [
    "DataRow",
    "DataTable",
    "MergeOptions",
    "MergeValue",
    "TemplateRow",
    "default_name",
    "read_table",
    "render_row",
    "row_context",
    "run_merge",
    "typed_value",
]
