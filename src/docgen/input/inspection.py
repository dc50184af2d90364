"""What docgen sees in a workbook, sheet by sheet and cell by cell (docgen workbook show; docs/workbook-show.md)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docgen.input import schema
from docgen.errors import DocgenError, Location, UsageError, visible
from docgen.text.messages import localise, say
from docgen.text.nearest import did_you_mean, nearest_names
from docgen.input.model import SheetReading
from docgen.input.cells import Cell, ErrorValue, FormulaWithoutValue, Sheet
from docgen.input.limits import ReadLimits
from docgen.input.reader import read_workbook
from docgen.input.workbook import read_sheets

FORMAT = "docgen.workbook-show/1"


@dataclass(frozen=True)
class CellView:
    """One filled cell as the reader gave it: its type and a JSON-ready value."""

    ref: str
    type: str  # text, number, boolean, date, datetime, time, duration, formula, error
    value: str | int | float | bool | None
    percent: bool  # its number format shows it as a percentage (0.12 as 12%)
    merged: str | None  # the merged range it belongs to ("A1:E1"), if any


@dataclass(frozen=True)
class SheetView:
    index: int  # 1-based, in workbook order
    reading: SheetReading
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class WorkbookView:
    file: str
    sheet_count: int  # every sheet of the workbook, also when `sheets` holds only the one asked for
    sheets: tuple[SheetView, ...]
    problems: tuple[DocgenError, ...]  # what would stop a report being made from the workbook


def inspect_workbook(path: str | Path, *, sheet: str | None = None, limits: ReadLimits | None = None) -> WorkbookView:
    """Every sheet of a workbook (or the one named `sheet`), how docgen reads it, and its cells.

    Raises WorkbookError when the file cannot be read, UsageError when it has no sheet `sheet`.
    """
    sheets = read_workbook(path, limits)
    readings, invalid = read_sheets(str(path), sheets)
    chosen = list(range(len(sheets)))
    if sheet is not None:
        wanted = schema.normalize_name(sheet)
        chosen = [i for i, s in enumerate(sheets) if s.name == sheet] or [
            i for i, s in enumerate(sheets) if schema.normalize_name(s.name) == wanted]
        if not chosen:
            guess = did_you_mean(nearest_names(sheet, [s.name for s in sheets]))
            raise UsageError(say("names.show.no_such_sheet", name=sheet, guess=guess), location=Location(file=str(path)),
                             hint=say("show.no_such_sheet.hint", names=", ".join(s.name for s in sheets)))
    problems = tuple(invalid.problems) if invalid is not None else ()
    if sheet is not None:
        names = {sheets[i].name for i in chosen}
        problems = tuple(p for p in problems if p.location.sheet in names)
    views = tuple(SheetView(i + 1, readings[i], _cells(sheets[i])) for i in chosen)
    return WorkbookView(str(path), len(sheets), views, problems)


def _cells(sheet: Sheet) -> tuple[CellView, ...]:
    return tuple(_cell(cell) for row in sheet.rows for cell in row if cell.value is not None)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: str) -> str:
    # A lone surrogate cannot be written as UTF-8: it would stop the output half-way.
    return _SURROGATE.sub("\ufffd", value)


def _cell(cell: Cell) -> CellView:
    value = cell.value
    if isinstance(value, bool):
        kind, shown = "boolean", value
    elif isinstance(value, (int, float)):
        kind, shown = "number", value
    elif isinstance(value, str):
        kind, shown = "text", _text(value)
    elif isinstance(value, dt.datetime):
        kind, shown = "datetime", value.isoformat()
    elif isinstance(value, dt.date):
        kind, shown = "date", value.isoformat()
    elif isinstance(value, dt.time):
        kind, shown = "time", value.isoformat()
    elif isinstance(value, dt.timedelta):
        kind, shown = "duration", _iso_duration(value)
    elif isinstance(value, FormulaWithoutValue):
        kind, shown = "formula", _text(value.formula) if value.formula else None
    elif isinstance(value, ErrorValue):
        kind, shown = "error", value.code
    else:  # a type the reader may add later: said as text rather than lost
        kind, shown = "text", _text(str(value))
    if kind == "number" and isinstance(shown, float) and shown != shown:  # NaN is no JSON number
        kind, shown = "text", "NaN"
    return CellView(cell.coordinate, kind, shown, cell.percent, cell.merged_range)


def _iso_duration(value: dt.timedelta) -> str:
    """A duration as ISO 8601: P1DT2H30M, PT0S; a negative one with a leading minus."""
    sign = "-" if value < dt.timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    seconds += value.microseconds / 1_000_000
    time = "".join(
        f"{amount:g}{unit}" for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if amount
    )
    days = f"{value.days}D" if value.days else ""
    if not days and not time:
        return "PT0S"
    return f"{sign}P{days}{'T' + time if time else ''}"


# -- the --json document -------------------------------------------------------------------


def show_document(view: WorkbookView, lang: str = "en") -> dict:
    """The `docgen workbook show --json` document: keys never change meaning within a format (docs/workbook-show.md)."""
    return {
        "format": FORMAT,
        "file": view.file,
        "sheet_count": view.sheet_count,
        "sheets": [_sheet_document(sheet) for sheet in view.sheets],
        "problems": [
            {"sheet": p.location.sheet, "cell": p.location.cell, "message": _text(p.text(lang))}
            for p in view.problems
        ],
    }


def _sheet_document(sheet: SheetView) -> dict:
    reading = sheet.reading
    return {
        "name": _text(reading.name),
        "index": sheet.index,
        "hidden": reading.hidden,
        "section": reading.section,
        "taken_as": {"how": reading.how, "matched": [_text(m) for m in reading.matched]},
        "skipped": reading.skipped,
        "almost": None if reading.almost is None else {
            "section": reading.almost, "why": reading.almost_why, "missing": list(reading.missing),
        },
        "header_row": reading.header_row,
        "columns": [
            {"column": c.column, "header": _text(c.header), "field": c.field, "label": _text(c.label) if c.label else None}
            for c in reading.columns
        ],
        "fields": [{"cell": f.cell, "key": _text(f.key), "field": f.field} for f in reading.fields],
        "cells": [
            {"ref": c.ref, "type": c.type, "value": c.value, "percent": c.percent, "merged": c.merged}
            for c in sheet.cells
        ],
    }


# -- the human text --------------------------------------------------------------------


def show_lines(view: WorkbookView, lang: str = "en") -> list[str]:
    """What `docgen workbook show` prints: readable, in `lang`, control characters spelled out."""
    def tell(key: str, **params: object) -> str:
        return str(localise(say(key, **params), lang))

    lines = [tell("show.workbook", file=Path(view.file).name, count=view.sheet_count)]
    for sheet in view.sheets:
        reading = sheet.reading
        lines.append("")
        title = tell("show.sheet", index=sheet.index, name=reading.name)
        if reading.hidden:
            title += " " + tell("show.hidden")
        lines.append(title)
        lines.append("  " + _how(reading, lang, tell))
        if reading.skipped:
            lines.append("  " + tell(f"show.skipped.{reading.skipped}"))
        if reading.almost:
            almost = tell(f"show.almost.{reading.almost_why}", section=_section_name(reading.almost, lang))
            if reading.missing:
                almost += ("，" if lang == "zh" else "; ") + tell(
                    "show.almost.missing", columns=_join(_column_names(reading.almost, reading.missing, lang), lang))
            lines.append("  " + almost)
        if reading.fields:
            lines.append("  " + tell("show.fields"))
            lines += [f"    {f.cell} {f.key} → {_field_name('info', f.field, lang, tell)}" for f in reading.fields]
        if reading.header_row is not None:
            lines.append("  " + tell("show.header_row", row=reading.header_row))
            for column in reading.columns:
                if column.field in ("source", "period"):
                    field = tell(f"show.field.{column.field}", label=column.label)
                else:
                    field = _field_name(reading.section, column.field, lang, tell)
                lines.append(f"    {column.column} “{column.header}” → {field}")
        lines.append("  " + tell("show.cells", count=len(sheet.cells)))
        for cell in sheet.cells:
            details = [tell(f"show.type.{cell.type}")]
            if cell.percent:
                details.append(tell("show.percent"))
            if cell.merged:
                details.append(tell("show.merged", range=cell.merged))
            shown = "" if cell.value is None else _value_text(cell.value)
            # A full-width bracket needs no space before it; an English one two, to stand apart from the value.
            details_text = f"（{_join(details, lang)}）" if lang == "zh" else f"  ({_join(details, lang)})"
            lines.append(f"    {cell.ref:<6} {shown}{details_text}")
    if view.problems:
        lines.append("")
        key = "show.problems" if len(view.problems) == 1 else "show.problems.plural"
        lines.append(tell(key, count=len(view.problems)))
        lines += [f"  - {p.text(lang)}" for p in view.problems]
    return [visible(line) for line in lines]


def _how(reading: SheetReading, lang: str, tell) -> str:
    section = _section_name(reading.section, lang) if reading.section else ""
    matched = _join(reading.matched, lang)
    return tell(f"show.how.{reading.how}", section=section, matched=matched)


def _section_name(key: str, lang: str) -> str:
    names = schema.section(key).names
    return names[0] if lang == "zh" else f"{names[1]} ({names[0]})"


def _column_names(section: str, keys: tuple[str, ...], lang: str) -> list[str]:
    columns = {column.key: column for column in schema.section(section).columns}
    return [columns[key].names[0 if lang == "zh" else 1] if key in columns else key for key in keys]


def _field_name(section: str | None, field: str | None, lang: str, tell) -> str:
    if field is None:
        return tell("show.unused")
    if lang != "zh":
        return field
    columns = {c.key: c for c in (schema.PERSON, schema.NOTE)}
    if section is not None:
        found = schema.section(section)
        columns.update({c.key: c for c in (*found.columns, *found.fields)})
    column = columns.get(field)
    return f"{column.names[0]}（{field}）" if column is not None else field


def _join(items, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(item) for item in items)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return "“" + value.replace("\n", "\\n").replace("\r", "\\r") + "”"
    return str(value)
