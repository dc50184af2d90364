"""The days a period covers, and which period a report made on a given day is for."""

from __future__ import annotations

import datetime as dt


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period that contains `day`."""
    if period == "daily":
        return day, day
    if period == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if period == "monthly":
        start = day.replace(day=1)
    elif period == "quarterly":
        start = dt.date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)
    elif period == "annual":
        start = dt.date(day.year, 1, 1)
    else:
        raise ValueError(f"unknown period {period!r}")
    months = {"monthly": 1, "quarterly": 3, "annual": 12}[period]
    following = start.month - 1 + months
    next_start = dt.date(start.year + following // 12, following % 12 + 1, 1)
    return start, next_start - dt.timedelta(days=1)


# Days after a period's end within which a report is still due for it (SPEC rule 10):
# a report made on 2 November without dates covers October.
DUE_DAYS = {"daily": 0, "weekly": 1, "monthly": 3, "quarterly": 10, "annual": 15}


def report_dates(period: str, start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a report covers: the info sheet's dates, the period around the one given, or from today.

    With neither date, the report covers the period that has just ended when
    `today` is still within that period's due time, else the current one.
    """
    if start and end:
        return start, end
    if start:
        return start, period_bounds(period, start)[1]
    if end:
        return period_bounds(period, end)[0], end
    current = period_bounds(period, today)
    previous_end = current[0] - dt.timedelta(days=1)
    if (today - previous_end).days <= DUE_DAYS[period]:
        return period_bounds(period, previous_end)
    return current


# How many days a report of each period may span and still be that period (a custom span may be a little
# shorter or longer: a month from the 26th to the 25th; a week of five working days). Outside, another period fits.
_SPAN_DAYS = {"daily": (1, 1), "weekly": (4, 10), "monthly": (25, 40), "quarterly": (80, 100), "annual": (350, 380)}


def period_of_span(period: str, start: dt.date, end: dt.date) -> str | None:
    """None when a report of `period` may run from start to end; else the period those dates fit (or "" for none)."""
    days = (end - start).days + 1
    low, high = _SPAN_DAYS[period]
    if low <= days <= high:
        return None
    return next((other for other, (low, high) in _SPAN_DAYS.items() if low <= days <= high), "")
