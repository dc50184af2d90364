"""Numbers, money, percentages, dates and period labels as a reader sees them, in Chinese and English."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.report import formatting as fmt
from docgen.report.analysis import change

# -- percentages and points --------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(0.96, "96.0%"), (1.2, "120.0%"), (0.0, "0.0%"), (0.0004, "0.0%"), (-0.032, "-3.2%"), (12.5, "1,250.0%")],
)
def test_percent_has_one_decimal(fraction, shown):
    assert fmt.percent(fraction) == shown


def test_signed_percent_shows_plus_and_never_minus_zero():
    assert fmt.percent(0.067, signed=True) == "+6.7%"
    assert fmt.percent(-0.067, signed=True) == "-6.7%"
    assert fmt.percent(-0.0001, signed=True) == "0.0%"


def test_percentage_points_in_both_languages():
    assert fmt.points(0.031, "zh") == "+3.1个百分点"
    assert fmt.points(0.031, "en") == "+3.1 pp"
    assert fmt.points(-0.02, "zh") == "-2.0个百分点"
    assert fmt.points(0.031, "zh", signed=False) == "3.1个百分点"


def test_a_change_is_percent_for_amounts_and_points_for_rates():
    assert fmt.change(change(960, 900)) == "+6.7%"
    assert fmt.change(change(0.38, 0.33, is_rate=True)) == "+5.0个百分点"
    assert fmt.change(change(0.38, 0.33, is_rate=True), "en") == "+5.0 pp"
    assert fmt.magnitude(change(855, 900)) == "5.0%"
    assert fmt.change(change(960, 0)) == "不适用"


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf, "abc"])
def test_missing_or_impossible_figures_read_not_applicable(value):
    assert fmt.percent(value, "zh") == "不适用"
    assert fmt.percent(value, "en") == "n/a"
    assert fmt.points(value, "en") == "n/a"
    assert fmt.number(value, "zh") == "不适用"
    assert fmt.money(value, "万元", "zh") == "不适用"
    assert fmt.money(value, "万元", "en") == "n/a"


# -- numbers and money -------------------------------------------------------


def test_whole_numbers_have_no_decimals_and_thousands_separators():
    assert fmt.number(1280) == "1,280"
    assert fmt.number(24.0) == "24"
    assert fmt.number(1280.5) == "1,280.5"
    assert fmt.integer(1280.6) == "1,281"
    assert fmt.number(-4, signed=True) == "-4"
    assert fmt.number(4, signed=True) == "+4"


def test_money_in_chinese_units():
    assert fmt.money(1280.5, "万元", "zh") == "1,280.5万元"
    assert fmt.money(960, "万元", "zh") == "960.0万元"
    assert fmt.money(12800, "元", "zh") == "12,800元"
    assert fmt.money(12800.5, "元", "zh") == "12,800.50元"
    assert fmt.money(-40, "万元", "zh", signed=True) == "-40.0万元"


def test_money_in_english_puts_the_currency_code_first():
    assert fmt.money(960, "万元", "en") == "CNY 9,600,000"
    assert fmt.money(12800, "元", "en") == "CNY 12,800"
    assert fmt.money(1.2, "亿元", "en") == "CNY 120,000,000"
    assert fmt.money(12800, "USD", "en") == "USD 12,800"
    assert fmt.money(12800, "$", "en") == "$12,800"
    assert fmt.money(-40, "万元", "en", signed=True) == "CNY -400,000"
    assert fmt.money(12800, "USD", "zh") == "12,800 USD"


def test_currency_label_and_table_figures_agree():
    assert fmt.currency_label("万元", "zh") == "万元"
    assert fmt.currency_label("万元", "en") == "CNY"
    assert fmt.currency_label("USD", "en") == "USD"
    assert fmt.money_figure(960, "万元", "zh") == "960.0"
    assert fmt.money_figure(960, "万元", "en") == "9,600,000"


def test_quantities_carry_their_unit():
    assert fmt.quantity(24, "家", "zh") == "24家"
    assert fmt.quantity(24, "家", "en") == "24 家"
    assert fmt.quantity(24, "accounts", "zh") == "24 accounts"
    assert fmt.quantity(0.38, "%", "zh") == "38.0%"
    assert fmt.quantity(24, None, "zh") == "24"
    assert fmt.difference(4, "家", "zh") == "+4家"
    assert fmt.difference(0.03, "%", "zh") == "+3.0个百分点"
    assert fmt.figure(0.35, "%", "zh") == "35.0%"
    assert fmt.figure(1000, "万元", "zh") == "1,000.0"


def test_money_units_are_recognised():
    for unit in ("元", "万元", "亿元", "千元", "美元", "万美元", "USD", "CNY", "$", "￥"):
        assert fmt.is_money_unit(unit), unit
    for unit in ("家", "%", "个", "单", "", None, "usd dollars"):
        assert not fmt.is_money_unit(unit), unit


finite_or_not = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**20), 10**20))


@given(finite_or_not, st.sampled_from(["zh", "en"]), st.sampled_from(["万元", "元", "USD", "$", "家", "%", None, ""]))
def test_number_wording_never_raises_nor_prints_inf_or_nan(value, lang, unit):
    texts = [
        fmt.percent(value, lang),
        fmt.percent(value, lang, signed=True),
        fmt.points(value, lang),
        fmt.number(value, lang),
        fmt.integer(value, lang),
        fmt.money(value, unit, lang),
        fmt.money(value, unit, lang, signed=True),
        fmt.money_figure(value, unit, lang),
        fmt.quantity(value, unit, lang),
        fmt.difference(value, unit, lang),
        fmt.figure(value, unit, lang),
        fmt.change(change(value, 100.0), lang),
        fmt.change(change(0.5, value, is_rate=True), lang),
        fmt.magnitude(change(value, 3.0), lang),
    ]
    for text in texts:
        assert isinstance(text, str) and text
        assert "inf" not in text.casefold()
        assert "nan" not in text.casefold()
        assert "none" not in text.casefold()


# -- shares in tenths --------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.20, "两成"),
        (0.203, "两成"),
        (0.33, "逾三成"),
        (0.35, "逾三成"),
        (0.36, "近四成"),
        (0.48, "近五成"),
        (0.5, "五成"),
        (0.498, "五成"),
        (0.1, "一成"),
        (0.07, "不到一成"),
        (0.9, "九成"),
        (0.93, "逾九成"),
    ],
)
def test_shares_in_tenths(share, words):
    assert fmt.tenths(share) == words


@pytest.mark.parametrize("share", [0, -0.2, 0.97, 1.0, 3.0, None, math.nan, math.inf])
def test_no_tenths_where_they_would_not_read_naturally(share):
    assert fmt.tenths(share) is None


@given(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_tenths_never_raise_and_always_use_chinese_numerals(share):
    words = fmt.tenths(share)
    assert words is None or (words.endswith("成") and "二" not in words and not any(c.isdigit() for c in words))


def test_small_counts_in_words():
    assert fmt.count_word(2, "zh") == "两"
    assert fmt.count_word(3, "zh") == "三"
    assert fmt.count_word(3, "en") == "three"
    assert fmt.count_word(12, "zh") == "12"
    assert fmt.count_word(1200, "en") == "1,200"
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip


# -- dates and periods -------------------------------------------------------


def test_dates_in_both_languages():
    day = dt.date(2026, 10, 31)
    assert fmt.date(day, "zh") == "2026年10月31日"
    assert fmt.date(day, "en") == "31 October 2026"
    assert fmt.date(None, "en") == "n/a"
    assert fmt.short_date(day, "zh") == "10月31日"
    assert fmt.short_date(day, "en") == "31 Oct"


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ("daily", "2026年10月31日", "31 October 2026"),
        ("weekly", "2026年第44周", "Week 44, 2026"),
        ("monthly", "2026年10月", "October 2026"),
        ("quarterly", "2026年第四季度", "Q4 2026"),
        ("annual", "2026年", "2026"),
    ],
)
def test_period_labels_for_every_period(period, zh, en):
    day = dt.date(2026, 10, 31)
    assert fmt.period_label(period, day, "zh") == zh
    assert fmt.period_label(period, day, "en") == en


def test_quarter_and_iso_week_labels_at_the_edges():
    assert fmt.period_label("quarterly", dt.date(2026, 7, 1), "zh") == "2026年第三季度"
    assert fmt.period_label("quarterly", dt.date(2026, 7, 1), "en") == "Q3 2026"
    # 1 January 2027 belongs to ISO week 53 of 2026.
    assert fmt.period_label("weekly", dt.date(2027, 1, 1), "zh") == "2026年第53周"
    assert fmt.period_label("weekly", dt.date(2027, 1, 1), "en") == "Week 53, 2026"


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        ("daily", dt.date(2026, 10, 31), dt.date(2026, 10, 31), dt.date(2026, 10, 31)),
        ("weekly", dt.date(2026, 10, 28), dt.date(2026, 10, 26), dt.date(2026, 11, 1)),
        ("monthly", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("quarterly", dt.date(2026, 11, 5), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("annual", dt.date(2026, 6, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_period_bounds(period, day, start, end):
    assert fmt.period_bounds(period, day) == (start, end)


def test_report_dates_come_from_the_info_sheet_when_given():
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    today = dt.date(2027, 3, 3)
    assert fmt.report_dates("monthly", start, end, today) == (start, end)
    assert fmt.report_dates("monthly", start, None, today) == (start, end)
    assert fmt.report_dates("monthly", None, end, today) == (start, end)


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        # Still within the due time of the period just ended: report on it.
        ("monthly", dt.date(2026, 11, 2), dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("monthly", dt.date(2026, 11, 3), dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("quarterly", dt.date(2026, 10, 10), dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("annual", dt.date(2027, 1, 15), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("weekly", dt.date(2026, 11, 2), dt.date(2026, 10, 26), dt.date(2026, 11, 1)),  # a Monday
        # Past it: the current period.
        ("monthly", dt.date(2026, 11, 4), dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("quarterly", dt.date(2026, 10, 11), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("weekly", dt.date(2026, 11, 3), dt.date(2026, 11, 2), dt.date(2026, 11, 8)),
        ("daily", dt.date(2026, 11, 3), dt.date(2026, 11, 3), dt.date(2026, 11, 3)),
    ],
)
def test_report_dates_without_dates_follow_the_due_time(period, today, start, end):
    assert fmt.report_dates(period, None, None, today) == (start, end)
