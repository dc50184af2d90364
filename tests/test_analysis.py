"""The figures behind the words: achievement, changes, conversion, churn, shares, trends, reconciliation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.report import analysis
from docgen.report import trend as trends
from docgen.input.model import (
    AccountTier,
    Channel,
    LostCustomer,
    Problem,
    Reconciliation,
    Target,
    TeamContribution,
    TrendSeries,
)

BAD = [None, 0, -5, math.nan, math.inf, -math.inf]


# -- safe arithmetic ---------------------------------------------------------


@pytest.mark.parametrize("base", BAD)
def test_a_ratio_over_a_zero_missing_negative_or_infinite_base_is_not_applicable(base):
    assert analysis.ratio(10, base) is None
    assert analysis.relative_change(10, base) is None


@pytest.mark.parametrize("part", [None, -1, math.nan, math.inf, True])
def test_a_ratio_of_a_missing_or_negative_part_is_not_applicable(part):
    assert analysis.ratio(part, 10) is None


def test_ratio_and_change_of_plain_figures():
    assert analysis.ratio(960, 1000) == pytest.approx(0.96)
    assert analysis.relative_change(960, 900) == pytest.approx(0.0667, abs=1e-4)
    assert analysis.difference(0.38, 0.33) == pytest.approx(0.05)
    assert analysis.total([1, None, math.nan, 2.5]) == 3.5
    assert analysis.total([None, math.inf]) is None


# -- targets -----------------------------------------------------------------


def test_achievement_gap_and_changes_of_an_amount():
    figures = analysis.target_figures(Target("销售额", "万元", 1000, 960, 900, 850, "大客户回款延迟"))
    assert figures.achievement == pytest.approx(0.96)
    assert figures.gap == pytest.approx(-40)
    assert figures.status == analysis.MISSED
    assert figures.mom.relative == pytest.approx(60 / 900)
    assert figures.yoy.relative == pytest.approx(110 / 850)
    assert not figures.mom.in_points
    assert figures.mom.direction == analysis.UP


def test_changes_of_a_rate_are_percentage_points():
    figures = analysis.target_figures(Target("复购率", "%", 0.35, 0.38, 0.33, 0.30))
    assert figures.is_rate
    assert figures.status == analysis.MET
    assert figures.mom.in_points
    assert figures.mom.points == pytest.approx(0.05)
    assert figures.mom.shown == pytest.approx(0.05)
    # The relative change is kept to choose the trend word.
    assert figures.mom.relative == pytest.approx(0.05 / 0.33)


def test_churn_rate_is_met_by_staying_under_its_target():
    figures = analysis.target_figures(Target("客户流失率", "%", 0.05, 0.04, 0.06, 0.07))
    assert figures.lower_is_better
    assert figures.status == analysis.MET
    assert figures.achievement == pytest.approx(1.25)
    missed = analysis.target_figures(Target("费用率", "%", 0.05, 0.06))
    assert missed.status == analysis.MISSED


def test_lower_is_better_is_recognised_by_name():
    for name in ("客户流失率", "投诉次数", "销售费用", "Churn rate", "Cost of sales", "回款周期"):
        assert analysis.lower_is_better(name), name
    for name in ("销售额", "新增客户", "复购率", "Revenue"):
        assert not analysis.lower_is_better(name), name


@pytest.mark.parametrize("target", BAD)
def test_no_usable_target_means_no_achievement_and_no_status(target):
    figures = analysis.target_figures(Target("销售额", "万元", target, 960))
    assert figures.achievement is None
    assert figures.status == analysis.NOT_APPLICABLE


def test_no_actual_means_nothing_can_be_judged():
    figures = analysis.target_figures(Target("销售额", "万元", 1000, None, 900))
    assert figures.achievement is None and figures.gap is None and figures.mom.relative is None
    assert figures.status == analysis.NOT_APPLICABLE


number_or_not = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))


@given(number_or_not, number_or_not, number_or_not, number_or_not, st.sampled_from(["万元", "%", "家", None]))
def test_target_figures_are_finite_or_none_for_any_input(target, actual, previous, last_year, unit):
    figures = analysis.target_figures(Target("销售额", unit, target, actual, previous, last_year))
    values = [
        figures.achievement,
        figures.gap,
        figures.mom.relative,
        figures.mom.points,
        figures.yoy.relative,
        figures.yoy.points,
    ]
    assert all(v is None or math.isfinite(v) for v in values)
    assert figures.status in (analysis.MET, analysis.MISSED, analysis.NOT_APPLICABLE)


def test_rows_per_salesperson_add_up_to_the_team_figure():
    rows = [
        Target("销售额", "万元", 500, 480, 450, None, "回款延迟", person="李明"),
        Target("销售额", "万元", 500, 520, 460, None, None, person="王芳"),
        Target("复购率", "%", 0.3, 0.32, None, person="李明"),
        Target("复购率", "%", 0.3, 0.36, None, person="王芳"),
        Target("新增客户", "家", 20, 24),
    ]
    combined = analysis.combine_targets(rows)
    assert [t.indicator for t in combined] == ["销售额", "复购率", "新增客户"]
    sales = combined[0]
    assert (sales.target, sales.actual, sales.previous, sales.last_year) == (1000, 1000, 910, None)
    assert sales.note == "回款延迟" and sales.person is None
    # Rates of several people cannot be added up.
    assert combined[1].actual is None


def test_a_team_row_wins_over_the_rows_per_salesperson():
    rows = [
        Target("复购率", "%", 0.3, 0.32, person="李明"),
        Target("复购率", "%", 0.3, 0.34),
        Target("复购率", "%", 0.3, 0.36, person="王芳"),
    ]
    assert analysis.combine_targets(rows) == [rows[1]]


def test_rows_without_salespeople_are_left_as_they_are():
    rows = [Target("销售额", "万元", 1, 1), Target("销售额", "万元", 2, 2)]
    assert analysis.combine_targets(rows) == rows


def test_headline_is_the_first_money_indicator():
    figures = analysis.analyse_targets([Target("新增客户", "家", 20, 24), Target("销售额", "万元", 1000, 960)])
    assert analysis.headline_target(figures, lambda unit: unit == "万元").target.indicator == "销售额"
    assert analysis.headline_target(figures, lambda unit: False).target.indicator == "新增客户"
    assert analysis.headline_target([], lambda unit: True) is None


# -- pipeline, accounts, churn ---------------------------------------------------


def test_conversion_per_channel_with_best_and_weakest():
    figures = analysis.analyse_pipeline(
        [
            Channel("线上", 400, 100, 320),
            Channel("电话", 500, 40, 150),
            Channel("展会", 0, 3, 10),
            Channel("地推", None, 5),
        ]
    )
    assert [f.conversion for f in figures.channels] == [0.25, 0.08, None, None]
    assert figures.best.channel.channel == "线上"
    assert figures.weakest.channel.channel == "电话"
    assert (figures.leads, figures.deals, figures.amount) == (900, 148, 480)
    assert figures.conversion == pytest.approx(148 / 900)


def test_no_best_channel_when_all_convert_alike_or_there_is_only_one():
    assert analysis.analyse_pipeline([Channel("A", 10, 2), Channel("B", 20, 4)]).best is None
    assert analysis.analyse_pipeline([Channel("A", 10, 2)]).best is None
    empty = analysis.analyse_pipeline([])
    assert empty.best is None and empty.conversion is None and empty.leads is None


def test_channels_per_salesperson_are_added_up():
    figures = analysis.analyse_pipeline(
        [Channel("线上", 100, 20, person="李明"), Channel("线上", 300, 80, person="王芳")]
    )
    assert len(figures.channels) == 1
    assert figures.channels[0].conversion == pytest.approx(0.25)


def test_tier_shares_and_the_least_satisfied_tier():
    figures = analysis.analyse_accounts(
        [AccountTier("A", 18, 0.95), AccountTier("B", 42, 0.88), AccountTier("C", 60, 0.78)]
    )
    assert figures.customers == 120
    assert [f.share for f in figures.tiers] == [pytest.approx(0.15), pytest.approx(0.35), pytest.approx(0.5)]
    assert figures.least_satisfied.tier.tier == "C"


def test_satisfaction_of_tiers_per_salesperson_is_weighted_by_customers():
    figures = analysis.analyse_accounts(
        [AccountTier("A", 10, 0.9, person="李明"), AccountTier("A", 30, 0.7, person="王芳")]
    )
    assert figures.tiers[0].tier.customers == 40
    assert figures.tiers[0].tier.satisfaction == pytest.approx(0.75)


def test_churn_count_amount_reasons_and_recovered():
    figures = analysis.analyse_churn(
        [
            LostCustomer("华信科技", "价格竞争", 30, True),
            LostCustomer("远航物流", "价格竞争", 25, False),
            LostCustomer("启明教育", "服务响应慢", None, None),
        ]
    )
    assert figures.count == 3
    assert figures.amount == 55
    assert figures.main_reasons == ("价格竞争",)
    assert figures.reasons == (("价格竞争", 2), ("服务响应慢", 1))
    assert [r.customer for r in figures.recovered] == ["华信科技"]
    assert figures.recovered_amount == 30


def test_tied_churn_reasons_are_all_main_reasons_in_workbook_order():
    figures = analysis.analyse_churn(
        [LostCustomer("a", "服务"), LostCustomer("b", "价格"), LostCustomer("c", "价格"), LostCustomer("d", "服务")]
    )
    assert figures.main_reasons == ("服务", "价格")
    assert analysis.analyse_churn([]).amount is None


# -- team --------------------------------------------------------------------


def _team(values):
    return [TeamContribution(f"m{i}", value=v) for i, v in enumerate(values, 1)]


def test_member_shares_ranks_and_concentration():
    figures = analysis.analyse_team(_team([230, 180, 150, 120, 90, 80, 60, 50]))
    assert figures.total_value == 960
    assert figures.leader.member.member == "m1"
    assert figures.top_share == pytest.approx(230 / 960)
    assert figures.top3_share == pytest.approx(560 / 960)
    assert [m.rank for m in figures.members] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert figures.concentration == analysis.CONCENTRATED


def test_an_even_team_is_balanced():
    assert analysis.analyse_team(_team([100, 98, 97, 95, 94])).concentration == analysis.BALANCED
    # Three members: no top-three share, no judgement.
    three = analysis.analyse_team(_team([5, 3, 2]))
    assert three.top3_share is None and three.concentration is None


def test_the_share_column_wins_and_equal_shares_share_a_rank():
    team = [
        TeamContribution("李明", value=100, share=0.4),
        TeamContribution("王芳", value=None, share=0.3),
        TeamContribution("张伟", value=None, share=0.3),
        TeamContribution("赵磊", value=None, share=None),
    ]
    figures = analysis.analyse_team(team)
    assert [m.share for m in figures.members] == [0.4, 0.3, 0.3, None]
    assert [m.rank for m in figures.members] == [1, 2, 2, None]
    assert [m.member.member for m in figures.ranked] == ["李明", "王芳", "张伟"]


def test_the_member_of_an_individual_report():
    figures = analysis.analyse_team(
        [TeamContribution("李明", "带新人", 100), TeamContribution(" 王芳 ", "签大单", 200)]
    )
    assert analysis.member_for(figures, "王芳").member.contribution == "签大单"
    assert analysis.member_for(figures, "赵磊") is None
    only = analysis.analyse_team([TeamContribution("李明", "带新人")])
    assert analysis.member_for(only, None).member.member == "李明"


def test_a_member_named_on_two_rows_is_ranked_by_their_sum():
    # One row a contribution: 李明's two rows are 60% of the team, not a leader of 50% and a third of 10%.
    team = [TeamContribution("李明", "签约大客户", 500), TeamContribution("王芳", "带教新人", 400),
            TeamContribution("李明 ", "回款", 100)]  # fmt: skip
    figures = analysis.analyse_team(team)
    assert [(m.member.member, m.share, m.rank) for m in figures.members] == [
        ("李明", 0.5, 1), ("王芳", 0.4, 2), ("李明 ", 0.1, 1)
    ]  # each row as the workbook has it, with its member's rank
    assert [(m.member.member, m.member.contribution, m.member.value, m.share) for m in figures.ranked] == [
        ("李明", "签约大客户；回款", 600, 0.6), ("王芳", "带教新人", 400, 0.4)
    ]
    assert figures.leader.member.member == "李明" and figures.top_share == 0.6
    assert analysis.member_for(figures, "李明").share == 0.6
    english = analysis.analyse_team([TeamContribution("Li", "Key accounts", 5), TeamContribution("Li", "Collections", 1)])
    assert english.ranked[0].member.contribution == "Key accounts; Collections"


@given(st.lists(st.tuples(number_or_not, number_or_not), max_size=8))
def test_team_figures_never_raise_or_give_infinite_shares(rows):
    figures = analysis.analyse_team([TeamContribution(f"m{i}", value=v, share=s) for i, (v, s) in enumerate(rows)])
    for value in [figures.total_value, figures.top_share, figures.top3_share, *(m.share for m in figures.members)]:
        assert value is None or math.isfinite(value)


# -- problems ----------------------------------------------------------------


def test_problems_are_grouped_internal_and_external():
    problems = [
        Problem("回款慢", kind="internal"),
        Problem("竞品降价", kind="外部"),
        Problem("新人转化低", kind="内部"),
        Problem("原因不明"),
    ]
    groups = analysis.group_problems(problems)
    assert [p.symptom for p in groups.internal] == ["回款慢", "新人转化低"]
    assert [p.symptom for p in groups.external] == ["竞品降价"]
    assert [p.symptom for p in groups.unknown] == ["原因不明"]


# -- trend -------------------------------------------------------------------


def _series(values, labels=None):
    labels = labels or [f"{m}月" for m in range(7, 7 + len(values))]
    return TrendSeries("销售额", tuple(labels), tuple(values))


def test_three_months_of_decline_with_the_fall_narrowing():
    figures = trends.analyse_trend(_series([100, 88, 80, 76]))
    assert figures.unit == trends.MONTH
    assert figures.run_direction == analysis.DOWN
    assert figures.run_length == 3
    assert figures.pace == trends.NARROWING
    assert figures.last.change.relative == pytest.approx(-0.05)
    assert figures.overall.relative == pytest.approx(-0.24)


def test_a_widening_rise_and_a_turn():
    rising = trends.analyse_trend(_series([100, 102, 110]))
    assert (rising.run_direction, rising.run_length, rising.pace) == (analysis.UP, 2, trends.WIDENING)
    turned = trends.analyse_trend(_series([100, 90, 95]))
    assert (turned.run_direction, turned.run_length) == (analysis.UP, 1)
    assert turned.steps[0].direction == analysis.DOWN


def test_a_missing_figure_ends_the_run():
    figures = trends.analyse_trend(_series([100, 90, None, 80, 70]))
    assert figures.run_length == 1
    assert figures.steps[1].direction is None


def test_a_rate_trend_moves_in_percentage_points():
    figures = trends.analyse_trend(_series([0.30, 0.32, 0.35]), is_rate=True)
    assert figures.last.change.in_points
    assert figures.last.change.points == pytest.approx(0.03)
    assert figures.pace == trends.WIDENING


def test_equal_steps_as_printed_are_steady_not_narrowing():
    figures = trends.analyse_trend(_series([1000, 950, 902.5]))
    assert figures.pace == trends.STEADY


def test_too_few_figures_give_no_trend():
    figures = trends.analyse_trend(_series([100]))
    assert figures.last is None and figures.run_length == 0


@pytest.mark.parametrize(
    ("labels", "unit"),
    [
        (["7月", "8月", "9月"], trends.MONTH),
        (["2026年7月", "2026年8月"], trends.MONTH),
        (["2026-07", "2026-08"], trends.MONTH),
        (["Jul", "Aug", "Sep"], trends.MONTH),
        (["July 2026", "August 2026"], trends.MONTH),
        (["第1周", "第2周"], trends.WEEK),
        (["W1", "W2"], trends.WEEK),
        (["Week 1", "Week 2"], trends.WEEK),
        (["10月5日", "10月6日"], trends.DAY),
        (["周一", "周二"], trends.DAY),
        (["Mon", "Tuesday"], trends.DAY),
        (["Q1", "Q2"], trends.QUARTER),
        (["第一季度", "第二季度"], trends.QUARTER),
        (["华东", "华南"], trends.PERIOD),
        (["7月", "第2周"], trends.PERIOD),
        ([], trends.PERIOD),
    ],
)
def test_sub_periods_are_recognised_from_the_column_headers(labels, unit):
    assert trends.sub_period_unit(labels) == unit


def test_trend_rows_per_salesperson_are_added_up_except_rates():
    rows = [
        TrendSeries("销售额", ("7月", "8月"), (10, 20), person="李明"),
        TrendSeries("销售额", ("7月", "8月"), (5, None), person="王芳"),
        TrendSeries("复购率", ("7月", "8月"), (0.3, 0.4), person="李明"),
        TrendSeries("复购率", ("7月", "8月"), (0.2, 0.1), person="王芳"),
    ]
    combined = trends.combine_trend(rows, rate_indicators=["复购率"])
    assert combined[0].values == (15, 20)
    assert combined[1].values == (None, None)


@given(st.lists(number_or_not, max_size=8), st.booleans())
def test_trend_never_raises_for_any_figures(values, is_rate):
    figures = trends.analyse_trend(_series(values, [f"{i}月" for i in range(1, len(values) + 1)]), is_rate=is_rate)
    assert figures.run_length <= len(figures.steps)
    for step in figures.steps:
        assert step.change.shown is None or math.isfinite(step.change.shown)


# -- reconciliation ----------------------------------------------------------


def test_reconcile_gap_is_spread_over_the_largest():
    row = Reconciliation("销售额", ("销售系统", "财务系统", "仓储系统"), (960, 948, None))
    figures = analysis.reconcile(row)
    assert figures.gap == pytest.approx(12 / 960)
    assert figures.within is False


def test_reconcile_tolerance_boundary():
    assert analysis.reconcile(Reconciliation("x", ("a", "b"), (1000, 995))).within is True  # exactly 0.5%
    assert analysis.reconcile(Reconciliation("x", ("a", "b"), (1000, 994.9))).within is False
    assert analysis.reconcile(Reconciliation("x", ("a", "b"), (1000, 990)), tolerance=0.02).within is True


@pytest.mark.parametrize("values", [(960,), (960, None), (None, None), (-5, 10), (math.nan, 3)])
def test_reconcile_needs_two_usable_figures(values):
    figures = analysis.reconcile(Reconciliation("x", tuple("ab"[: len(values)]), values))
    assert figures.gap is None and figures.within is None


def test_all_sources_saying_zero_agree():
    assert analysis.reconcile(Reconciliation("x", ("a", "b"), (0, 0))).within is True
