"""One builder per table section: a sheet's data rows in, model objects out (None where a row cannot be built)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from docgen.input import plausibility, schema, units
from docgen.input.cells import Cell, Sheet
from docgen.input.facts import SheetFacts
from docgen.input.headers import Header, cell_at
from docgen.input.model import (
    AccountTier,
    Action,
    Channel,
    FollowUp,
    Lesson,
    LostCustomer,
    MarketEvent,
    Problem,
    Reconciliation,
    Target,
    TeamContribution,
    TrendSeries,
)
from docgen.input.problems import Problems
from docgen.input.values import (
    CONVERTERS,
    NumberReading,
    as_fraction,
    display_text,
    is_blank,
    number_text,
    read_number,
    scale_plain_percents,
    to_number,
)
from docgen.text.messages import say


class RowReader:
    """One data row of a table sheet, giving each column's value in its type and reporting problems."""

    def __init__(self, problems: Problems, facts: SheetFacts | None, sheet: Sheet, section: schema.Section,
                 header: Header, cells: tuple[Cell, ...]) -> None:
        self.problems = problems
        self.sheet = sheet
        self.facts = facts
        self.header = header
        self.cells = cells
        self.columns = {column.key: column for column in (*section.columns, schema.PERSON, schema.NOTE)}

    def cell(self, key: str) -> Cell | None:
        column = self.header.columns.get(key)
        return None if column is None else cell_at(self.cells, column)

    def value(self, key: str, *, required: bool = False, kind: str | None = None, convert=None):
        cell = self.cell(key)
        if cell is None:
            return None
        if required and is_blank(cell.value):
            self.report_empty(key, cell)
            return None
        convert = convert or CONVERTERS[kind or self.columns[key].kind]
        return self.problems.convert(self.sheet, cell, convert, self.header.text(key))

    def text(self, key: str, *, required: bool = False) -> str | None:
        return self.value(key, required=required, kind=schema.TEXT)

    def number(self, key: str, *, required: bool = False) -> float | None:
        return self.value(key, required=required, kind=schema.NUMBER)

    def reading(self, key: str, *, required: bool = False) -> NumberReading | None:
        return self.value(key, required=required, convert=read_number)

    def person(self) -> str | None:
        return self.text(schema.PERSON.key)

    def report_empty(self, key: str, cell: Cell) -> None:
        name = self.header.text(key)
        self.problems.report(self.sheet, cell.coordinate, say("row.empty", column=name, row=cell.row),
                             expected=say("row.empty.expected", column=name),
                             hint=say("row.empty.hint", column=name))

    def report(self, key: str, message: str, **details) -> None:
        self.problems.report(self.sheet, self.cell(key).coordinate, message, **details)

    def open_values(self) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
        labels, values = [], []
        for column, label in self.header.labels:
            labels.append(label)
            values.append(self.problems.convert(self.sheet, cell_at(self.cells, column), to_number, label))
        return tuple(labels), tuple(values)


def _figure_required(row: RowReader, key: str) -> bool:
    # An empty actual is not a read error: the report says it is missing and
    # `docgen check` reports it (DG102). The column itself stays required.
    return row.columns[key].required and key != "actual"


def _targets(rows: list[RowReader]) -> Iterable[Target | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        unit_text = row.text("unit")
        unit = units.parse_unit(unit_text)
        readings = {key: row.reading(key, required=_figure_required(row, key)) for key in Target.FIGURES}
        written_as_percent = any(reading is not None and reading.is_fraction for reading in readings.values())
        if unit.kind == units.NONE and written_as_percent:
            # Figures shown as percentages in a row without a unit: a rate, and docgen check says so.
            unit_text, unit = "%", units.parse_unit("%")
            if indicator is not None:
                cell = row.cell("unit") or row.cell("indicator")
                row.problems.doubts.append(plausibility.inferred_rate(row.sheet.name, cell.coordinate, indicator))
        if unit.is_rate:
            scale = scale_plain_percents(readings.values())
            figures = {key: as_fraction(reading, scale) for key, reading in readings.items()}
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
                       found=display_text(cell.value, cell.percent),
                       hint=say(f"target.{reason}.hint", unit=unit.text))
        target = figures["target"]
        if target is not None and target <= 0:
            row.report("target", say("target.not_positive", column=row.header.text("target")),
                       expected=say("target.not_positive.expected"), found=number_text(target),
                       hint=say("target.not_positive.hint"))
        if indicator is None:
            yield None
            continue
        note = row.text("note")
        if not slips:
            row.problems.doubts += plausibility.row_doubts(row.sheet.name, indicator, unit, read, note)
        yield Target(indicator=indicator, unit=unit_text, note=note, person=row.person(), **figures)


def _trend(rows: list[RowReader]) -> Iterable[TrendSeries | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        labels, values = row.open_values()
        yield None if indicator is None else TrendSeries(indicator, labels, values, person=row.person())


def _reconcile(rows: list[RowReader]) -> Iterable[Reconciliation | None]:
    for row in rows:
        indicator = row.text("indicator", required=True)
        sources, values = row.open_values()
        yield None if indicator is None else Reconciliation(indicator, sources, values, note=row.text("note"))


def _with_percent_column(rows: list[RowReader], key: str) -> list[float | None]:
    """A percent column's values as fractions, judging its plain numbers together."""
    readings = [row.reading(key) for row in rows]
    judged = rows[0].facts.percent_scales.get(key) if rows and rows[0].facts else None
    scale = judged if judged is not None else scale_plain_percents(readings)
    return [as_fraction(reading, scale) for reading in readings]


def _accounts(rows: list[RowReader]) -> Iterable[AccountTier | None]:
    satisfaction = _with_percent_column(rows, "satisfaction")
    for row, rate in zip(rows, satisfaction):
        tier = row.text("tier", required=True)
        customers = row.number("customers", required=True)
        upkeep = row.text("upkeep")
        yield None if tier is None else AccountTier(tier, customers, rate, upkeep, person=row.person())


def _team(rows: list[RowReader]) -> Iterable[TeamContribution | None]:
    shares = _with_percent_column(rows, "share")
    for row, share in zip(rows, shares):
        member = row.text("member", required=True)
        contribution = row.text("contribution")
        value = row.number("value")
        yield None if member is None else TeamContribution(member, contribution, value, share)


def _simple(model: type, name_field: str) -> Callable[[list[RowReader]], Iterable]:
    """A section whose columns map one to one onto the model's fields; name_field identifies a row."""
    field_names = {model_field.name for model_field in dataclasses.fields(model)}

    def build(rows: list[RowReader]) -> Iterable:
        for row in rows:
            values = {key: row.value(key, required=column.required)
                      for key, column in row.columns.items()
                      if key in field_names and column is not schema.PERSON}
            if "person" in field_names:
                values["person"] = row.person()
            yield None if values[name_field] is None else model(**values)

    return build


SECTION_BUILDERS: dict[str, Callable[[list[RowReader]], Iterable]] = {
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
