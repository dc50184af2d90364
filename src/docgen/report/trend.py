"""A trend over sub-periods (months, weeks, days): its steps, its latest run and pace, in numbers only (docs/narrative.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from docgen.input.model import TrendSeries
from docgen.input.schema import name_key
from docgen.report.analysis import DOWN, UP, Change, merge_people, change, finite, total

MONTH, WEEK, DAY, QUARTER, PERIOD = "month", "week", "day", "quarter", "period"
NARROWING, WIDENING, STEADY = "narrowing", "widening", "steady"

_MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_SUB_PERIOD_PATTERNS = {
    QUARTER: (r"^(q[1-4]|第?[一二三四1-4]季度?|[一二三四1-4]季度)$",),
    WEEK: (r"^(第?\d{1,2}周|w\d{1,2}|wk ?\d{1,2}|week ?\d{1,2}|\d{4}-?w\d{1,2})$",),
    DAY: (
        r"^(\d{1,2}月\d{1,2}日|\d{1,2}日|\d{1,2}[/.-]\d{1,2}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|day ?\d{1,2})$",
        r"^(周[一二三四五六日天]|星期[一二三四五六日天]|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$",
    ),
    MONTH: (
        r"^(\d{4}年)?\d{1,2}月(份)?$|^\d{4}[/.-]\d{1,2}$|^m\d{1,2}$",
        rf"^({_MONTH_NAMES})[a-z]*\.?( \d{{4}})?$",
    ),
}


def sub_period_unit(labels: Sequence[str]) -> str:
    """What the trend's columns are: months, weeks, days, quarters, or plain periods."""
    cleaned = [name_key(label) for label in labels if str(label).strip()]
    if not cleaned:
        return PERIOD
    for unit, patterns in _SUB_PERIOD_PATTERNS.items():
        if all(any(re.match(pattern, label) for pattern in patterns) for label in cleaned):
            return unit
    return PERIOD


@dataclass(frozen=True)
class TrendStep:
    label: str
    previous_label: str
    change: Change
    direction: str | None


@dataclass(frozen=True)
class TrendFigures:
    series: TrendSeries
    is_rate: bool
    unit: str  # MONTH, WEEK, DAY, QUARTER or PERIOD
    steps: tuple[TrendStep, ...]
    run_direction: str | None  # direction of the latest run of equal-direction steps
    run_length: int  # how many steps, ending with the latest, go that way (0 when unknown)
    last: TrendStep | None
    pace: str | None  # NARROWING, WIDENING or STEADY: the latest step against the one before, within a run
    overall: Change  # the last value against the first


def _size(change_: Change) -> float | None:
    shown = change_.shown
    return None if shown is None else abs(shown)


def analyse_trend(series: TrendSeries, *, is_rate: bool = False) -> TrendFigures:
    labels, values = list(series.labels), list(series.values)
    # Sub-periods not filled in yet (the month's last, partial week left empty) end the series:
    # the trend is told up to the last figure there is, not judged unknown.
    filled = [i for i, v in enumerate(values) if finite(v) is not None]
    if filled:
        labels, values = labels[: filled[-1] + 1], values[: filled[-1] + 1]
    steps = []
    for i in range(1, min(len(labels), len(values))):
        step_change = change(values[i], values[i - 1], is_rate=is_rate)
        steps.append(TrendStep(str(labels[i]), str(labels[i - 1]), step_change, step_change.direction))
    last = steps[-1] if steps else None
    run_direction = last.direction if last else None
    run_length = 0
    if run_direction is not None:
        for step in reversed(steps):
            if step.direction != run_direction:
                break
            run_length += 1
    pace = None
    if run_length >= 2 and run_direction in (UP, DOWN):
        latest, before = _size(steps[-1].change), _size(steps[-2].change)
        if latest is not None and before is not None:
            # Compared as printed (one decimal), so "5.0% after 5.0%" is never called narrowing.
            latest, before = round(latest * 100, 1), round(before * 100, 1)
            pace = NARROWING if latest < before else WIDENING if latest > before else STEADY
    present = [v for v in values if finite(v) is not None]
    overall = change(present[-1] if present else None, present[0] if present else None, is_rate=is_rate)
    return TrendFigures(
        series, is_rate, sub_period_unit(labels), tuple(steps), run_direction, run_length, last, pace, overall
    )


def combine_trend(series: Sequence[TrendSeries], rate_indicators: Iterable[str] = ()) -> list[TrendSeries]:
    """Trend rows per salesperson added up into one row per indicator; rates cannot be added."""
    rates = {name_key(name) for name in rate_indicators}
    return merge_people(
        series,
        lambda s: name_key(s.indicator),
        lambda rows: _merge_series(rows, is_rate=name_key(rows[0].indicator) in rates),
    )


def _merge_series(rows: list[TrendSeries], *, is_rate: bool) -> TrendSeries:
    labels = tuple(dict.fromkeys(label for r in rows for label in r.labels))
    if is_rate:
        sums: tuple[float | None, ...] = (None,) * len(labels)
    else:
        sums = tuple(total(v for r in rows for lab, v in zip(r.labels, r.values) if lab == label) for label in labels)
    return replace(rows[0], labels=labels, values=sums, person=None)
