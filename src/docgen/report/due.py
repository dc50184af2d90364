"""When a report is due, by SPEC rule 10, counted from the last day it covers (docs/checks.md, "The due date")."""

from __future__ import annotations

import datetime as dt

DAYS_AFTER = {"quarterly": 10, "annual": 15}
MONTHLY_DUE_DAY = 3


def due_date(period: str, end: dt.date) -> dt.date:
    """The day a report for the period that ends on `end` is due."""
    if period == "daily":
        return next_working_day(end)
    if period == "weekly":
        return end + dt.timedelta(days=7 - end.weekday())  # the Monday after, never the same day
    if period == "monthly":
        following = end.replace(day=1) + dt.timedelta(days=32)
        return following.replace(day=MONTHLY_DUE_DAY)
    if period in DAYS_AFTER:
        return end + dt.timedelta(days=DAYS_AFTER[period])
    raise ValueError(f"unknown period {period!r}")


def next_working_day(day: dt.date) -> dt.date:
    """The first Monday-to-Friday after `day`."""
    following = day + dt.timedelta(days=1)
    while following.weekday() >= 5:
        following += dt.timedelta(days=1)
    return following


def days_late(period: str, end: dt.date, today: dt.date) -> int:
    """How many days after its due date a report made on `today` is; 0 when on time."""
    return max(0, (today - due_date(period, end)).days)
