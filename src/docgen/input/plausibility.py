"""Whether a target row's figures fit its unit and one another, and amounts stated in the report's one unit.

docs/checks.md (DG107, DG108) gives the rules and their thresholds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.input import units
from docgen.input.model import Doubt, SalesWorkbook, Target

# A figure at least this many times its row's target (or at most its reciprocal) is a likely
# unit slip: 0.96 typed for 960, 元 typed for 万元. Real swings between periods stay well inside it.
OUT_OF_LINE = 50.0
# A rate above 1,000% is a likely slip: 38.5 typed into a cell formatted as a percentage shows 3,850%.
RATE_CEILING = 10.0

LIKELY_SLIP, CHANGED, TOTALS = "DG107", "DG108", "DG112"

# Reasons a figure is refused outright (the reader's error) or doubted (a finding).
PERCENT_IN_AMOUNT = "percent_in_amount"
MONEY_IN_RATE = "money_in_rate"
RATE_TOO_LARGE = "rate_too_large"
OUT_OF_LINE_WITH_TARGET = "out_of_line"
UNIT_INFERRED = "unit_inferred"
CONVERTED = "converted"
TOTALS_LEFT_OUT = "totals_left_out"


@dataclass(frozen=True)
class Figure:
    """One figure of a target row as read: its column, cell, value and how it was written."""

    key: str  # target, actual, previous, last_year, next_target
    column: str  # the header as the sheet writes it (实际, Actual …)
    cell: str  # B7
    value: float  # as the model takes it: a rate as a fraction
    written_as_percent: bool  # a % number format, or text ending in %
    written_as_money: bool  # text with a currency sign or code (￥12,000, RMB 800)


def certain_slips(unit: units.Unit, figures: Iterable[Figure]) -> list[tuple[Figure, str]]:
    """The figures that cannot be what the row's unit says, each with its reason."""
    if unit.is_rate:
        return [(figure, MONEY_IN_RATE) for figure in figures if figure.written_as_money]
    if unit.kind in (units.MONEY, units.COUNT, units.OTHER):
        return [(figure, PERCENT_IN_AMOUNT) for figure in figures if figure.written_as_percent]
    return []


def row_doubts(sheet: str, indicator: str, unit: units.Unit, figures: list[Figure],
               note: str | None) -> list[Doubt]:
    """The likely slips of one target row, at most one per cell.

    A figure out of line with the target (an actual, a next target) is always
    doubted; one out of line only with last period or last year (a jump the
    business may really have made) is not doubted when the row's note
    explains the row.
    """
    doubts: dict[str, Doubt] = {}
    by_key = {figure.key: figure for figure in figures}
    facts = {"indicator": indicator, "unit": unit.text}
    if unit.is_rate:
        for figure in figures:
            if abs(figure.value) > RATE_CEILING:
                doubts[figure.cell] = Doubt(LIKELY_SLIP, RATE_TOO_LARGE, sheet, figure.cell, {
                    **facts, "column": figure.column, "value": figure.value, "meant": figure.value / 100,
                })
    reference = by_key.get("target") or by_key.get("actual")
    if reference is None or reference.value <= 0:
        return list(doubts.values())
    for figure in figures:
        if figure is reference or figure.value <= 0 or figure.cell in doubts:
            continue
        ratio = figure.value / reference.value
        if 1 / OUT_OF_LINE < ratio < OUT_OF_LINE:
            continue
        if figure.key in ("previous", "last_year") and (note or "").strip():
            continue
        doubts[figure.cell] = Doubt(LIKELY_SLIP, OUT_OF_LINE_WITH_TARGET, sheet, figure.cell, {
            **facts, "column": figure.column, "value": figure.value,
            "against": reference.column, "reference": reference.value, "ratio": ratio,
        })
    return list(doubts.values())


def totals_left_out(sheet: str, cell: str, label: str) -> Doubt:
    """The note that a table's own totals row or column (合计, Total) was not read as data."""
    return Doubt(TOTALS, TOTALS_LEFT_OUT, sheet, cell, {"label": label})


def inferred_rate(sheet: str, cell: str, indicator: str) -> Doubt:
    """The note that a row without a unit was taken as a rate, since its figures are percentages."""
    return Doubt(CHANGED, UNIT_INFERRED, sheet, cell, {"indicator": indicator, "unit": "%"})


def report_currency_unit(workbook: SalesWorkbook) -> units.Unit:
    """The report's one money unit: the info sheet's, else the first money unit among the targets."""
    given = units.parse_unit(workbook.info.currency_unit)
    if given.kind != units.NONE:
        return given
    return next((parsed for target in workbook.targets if (parsed := units.parse_unit(target.unit)).is_money),
                given)


def in_one_currency_unit(workbook: SalesWorkbook) -> SalesWorkbook:
    """The workbook with every target counted in another scale of the report's currency converted into it.

    元 and 万元 are converted, not mixed: a 回款额 row in 元 beside a report in
    万元 is stated in 万元, and a Doubt (DG108) says so at the row's unit cell.
    Amounts in another currency are left as they are (DG104 reports them).
    """
    into = report_currency_unit(workbook)
    if not into.is_money:
        return workbook
    place = workbook.places.get("targets")
    targets, doubts = [], list(workbook.doubts)
    for index, target in enumerate(workbook.targets):
        source = units.parse_unit(target.unit)
        if not source.converts_to(into) or source.scale == into.scale:
            targets.append(target)
            continue
        factor = units.conversion_factor(source, into)
        figures = {key: value * factor for key in Target.FIGURES if (value := getattr(target, key)) is not None}
        targets.append(dataclasses.replace(target, unit=into.text, **figures))
        if place is not None:
            doubts.append(Doubt(CHANGED, CONVERTED, place.sheet, place.cell(index, "unit"), {
                "indicator": target.indicator, "from": source.text, "to": into.text, "factor": factor,
            }))
    return dataclasses.replace(workbook, targets=tuple(targets), doubts=tuple(doubts))
