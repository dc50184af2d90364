"""The Jinja filters for template authors, in both languages, on numbers and on the context's printed figures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.word.filters import FILTER_NAMES, make_filters, read_date, read_figure, read_fraction, trend_words
from docgen.report.narrative import TrendThresholds
from docgen.word.environment import make_environment

ZH = {"report": {"lang": "zh", "currency_unit": "万元", "period": "monthly"}}
EN = {"report": {"lang": "en", "currency_unit": "CNY", "period": "monthly"}}


def render(source: str, context: dict = ZH, **values) -> str:
    """A template string rendered in docgen's own environment (sandboxed, with the filters)."""
    return make_environment().from_string(source).render({**context, **values})


@pytest.mark.parametrize(
    "source, context, expected",
    [
        ("{{ 960|money }}", ZH, "960.0万元"),
        ("{{ '1,152.0'|money }}", ZH, "1,152.0万元"),
        ("{{ 9600000|money }}", EN, "CNY 9,600,000"),
        ("{{ 12800|money('USD') }}", EN, "USD 12,800"),
        ("{{ 960|money('万元', 'en') }}", ZH, "CNY 9,600,000"),
        ("{{ -40|money(signed=true) }}", ZH, "-40.0万元"),
        ("{{ 0.385|percent }}", ZH, "38.5%"),
        ("{{ '96.0%'|percent }}", EN, "96.0%"),
        ("{{ 0.067|percent(signed=true) }}", ZH, "+6.7%"),
        ("{{ 0.031|points }}", ZH, "+3.1个百分点"),
        ("{{ 0.031|points }}", EN, "+3.1 pp"),
        ("{{ '-0.4个百分点'|points('en') }}", ZH, "-0.4 pp"),
        ("{{ 0.15|trend_word }}", ZH, "显著增长"),
        ("{{ '+6.7%'|trend_word }}", ZH, "小幅增长"),
        ("{{ 0.005|trend_word }}", ZH, "基本持平"),
        ("{{ '-3.0%'|trend_word }}", EN, "eased slightly"),
        ("{{ -0.2|trend_word }}", EN, "fell sharply"),
        ("{{ '2026年10月31日'|date_label('en') }}", ZH, "31 October 2026"),
        ("{{ '31 October 2026'|date_label }}", ZH, "2026年10月31日"),
        ("{{ '2026-10-31'|date_label(short=true) }}", ZH, "10月31日"),
        ("{{ '2026-10-31'|date_label(short=true) }}", EN, "31 Oct"),
        ("{{ '2026年8月15日'|period_label }}", ZH, "2026年8月"),
        ("{{ '2026年8月15日'|period_label('quarterly') }}", ZH, "2026年第三季度"),
        ("{{ '2026-08-15'|period_label('quarterly') }}", EN, "Q3 2026"),
        ("{{ '2026-11-03'|period_label('weekly', 'zh') }}", EN, "2026年第45周"),
        ("{{ '2026-11-03'|period_label('annual') }}", EN, "2026"),
    ],
)
def test_filters_in_both_languages(source, context, expected):
    assert render(source, context) == expected


@pytest.mark.parametrize("name", FILTER_NAMES)
@pytest.mark.parametrize("value", ["不适用", "n/a", "", "销售额"])
def test_a_value_a_filter_cannot_read_is_printed_unchanged(name, value):
    assert render(f"{{{{ value|{name} }}}}", value=value) == value


def test_filters_read_the_context_figures_of_a_real_report():
    from docgen.report.context import build_context
    from docgen.input.model import SalesWorkbook, Target

    workbook = SalesWorkbook(source="x.xlsx", targets=(Target("销售额", "万元", 1000, 960, 900, 850),), present=("targets",))
    context = build_context(workbook, period="monthly", level="team", lang="zh", today=dt.date(2026, 11, 2))
    row = context["targets"]["rows"][0]
    source = "{{ row.indicator }}{{ row.actual|money }}，环比{{ row.mom|trend_word }}{{ row.mom }}，{{ report.end_date|period_label('quarterly') }}"
    assert render(source, context, row=row) == "销售额960.0万元，环比小幅增长+6.7%，2026年第四季度"


def test_the_trend_word_follows_the_configured_thresholds():
    strict = make_environment(TrendThresholds(slight=0.05, marked=0.2))
    assert strict.from_string("{{ 0.067|trend_word }}").render(ZH) == "小幅增长"
    assert strict.from_string("{{ 0.03|trend_word }}").render(ZH) == "基本持平"
    assert strict.from_string("{{ 0.15|trend_word }}").render(ZH) == "小幅增长"
    assert set(make_filters()) == set(FILTER_NAMES)


def test_trend_words_come_from_the_phrasebook_without_their_figures():
    assert trend_words("zh") == {
        "up_marked": "显著增长", "up_slight": "小幅增长", "steady": "基本持平",
        "down_slight": "小幅回落", "down_marked": "明显下滑",
    }  # fmt: skip
    assert trend_words("en")["steady"] == "held steady"


def test_readers():
    assert read_figure("CNY 9,600,000") == 9_600_000
    assert read_figure("-40.0万元") == -40
    assert read_figure(True) is None and read_figure("不适用") is None
    assert read_fraction("+3.1个百分点") == pytest.approx(0.031)
    assert read_fraction("12%") == pytest.approx(0.12)
    assert read_fraction(0.12) == 0.12
    assert read_date("2026年2月30日") is None
    assert read_date(dt.datetime(2026, 1, 2, 9, 30)) == dt.date(2026, 1, 2)
    assert read_date("2 Jan 2026") == dt.date(2026, 1, 2)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)), st.sampled_from(["zh", "en"]))
def test_a_date_label_reads_back_as_the_same_date(day, lang):
    label = render("{{ day|date_label(lang) }}", day=day, lang=lang)
    assert read_date(label) == day


def test_filters_stay_inside_the_sandbox():
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        render("{{ (1|money).__class__.__mro__ }}")
