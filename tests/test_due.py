"""Due dates by the period rule (SPEC rule 10), and lateness against the day of the run."""

import datetime as dt

import pytest

from docgen.report.due import days_late, due_date, next_working_day

D = dt.date


@pytest.mark.parametrize(
    "period, end, due",
    [
        # Monthly: by the 3rd of the next month, also across a year's end and after a short month.
        ("monthly", D(2026, 10, 31), D(2026, 11, 3)),
        ("monthly", D(2026, 12, 31), D(2027, 1, 3)),
        ("monthly", D(2026, 2, 28), D(2026, 3, 3)),
        # Quarterly: within 10 days of the quarter's end.
        ("quarterly", D(2026, 9, 30), D(2026, 10, 10)),
        ("quarterly", D(2026, 12, 31), D(2027, 1, 10)),
        # Weekly: the next Monday (a week ends on Sunday; a week ending early still waits for Monday).
        ("weekly", D(2026, 11, 1), D(2026, 11, 2)),
        ("weekly", D(2026, 10, 30), D(2026, 11, 2)),
        # Daily: the next working day; Friday's report is due on Monday.
        ("daily", D(2026, 11, 2), D(2026, 11, 3)),
        ("daily", D(2026, 10, 30), D(2026, 11, 2)),
        ("daily", D(2026, 10, 31), D(2026, 11, 2)),
        # Annual: within 15 days of the year's end.
        ("annual", D(2026, 12, 31), D(2027, 1, 15)),
    ],
)
def test_due_date_by_period(period, end, due):
    assert due_date(period, end) == due


def test_next_working_day_skips_the_weekend():
    assert next_working_day(D(2026, 11, 6)) == D(2026, 11, 9)  # Friday → Monday
    assert next_working_day(D(2026, 11, 4)) == D(2026, 11, 5)


def test_days_late_counts_from_the_due_date():
    assert days_late("monthly", D(2026, 10, 31), D(2026, 11, 3)) == 0  # the due day itself is on time
    assert days_late("monthly", D(2026, 10, 31), D(2026, 11, 1)) == 0
    assert days_late("monthly", D(2026, 10, 31), D(2026, 11, 9)) == 6


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        due_date("hourly", D(2026, 10, 31))
