"""Sentences a manager reads: trend words at their thresholds, figures in words, both phrasebooks."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.report import analysis
from docgen.report import trend as trends

from docgen.report import narrative
from docgen.input.model import (
    Action,
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
from docgen.report.narrative import Narrator, TrendThresholds, trend_word
from docgen.report.vague import vague_words


def narrator(lang="zh", period="monthly", level="team", currency="万元"):
    return Narrator(lang=lang, period=period, level=level, currency_unit=currency)


# -- trend words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "word"),
    [
        (0.10, "up_marked"),
        (0.0996, "up_marked"),  # prints as 10.0%
        (0.0994, "up_slight"),
        (0.02, "up_slight"),
        (0.0196, "up_slight"),  # prints as 2.0%
        (0.0194, "steady"),
        (0.0, "steady"),
        (-0.0194, "steady"),
        (-0.02, "down_slight"),
        (-0.0994, "down_slight"),
        (-0.10, "down_marked"),
        (-0.5, "down_marked"),
        (3.0, "up_marked"),
    ],
)
def test_trend_words_at_their_thresholds(relative, word):
    assert trend_word(relative) == word


@pytest.mark.parametrize("relative", [None, math.nan, math.inf, -math.inf])
def test_no_trend_word_without_a_change(relative):
    assert trend_word(relative) is None


def test_thresholds_are_a_parameter():
    loose = TrendThresholds(slight=0.05, marked=0.20)
    assert trend_word(0.04, loose) == "steady"
    assert trend_word(0.15, loose) == "up_slight"
    assert trend_word(-0.20, loose) == "down_marked"


@pytest.mark.parametrize(
    ("current", "zh", "en"),
    [
        (120, "显著增长20.0%", "grew markedly (+20.0%)"),
        (106.7, "小幅增长6.7%", "rose slightly (+6.7%)"),
        (100.8, "基本持平（+0.8%）", "held steady (+0.8%)"),
        (97, "小幅回落3.0%", "eased slightly (-3.0%)"),
        (85, "明显下滑15.0%", "fell sharply (-15.0%)"),
    ],
)
def test_change_phrases_carry_word_and_figure(current, zh, en):
    change = analysis.change(current, 100)
    assert narrator("zh").change_phrase(change) == zh
    assert narrator("en").change_phrase(change) == en


def test_rates_change_in_points_and_a_zero_base_gives_the_direction_only():
    assert narrator("zh").change_phrase(analysis.change(0.38, 0.33, is_rate=True)) == "显著增长5.0个百分点"
    assert narrator("en").change_phrase(analysis.change(0.38, 0.33, is_rate=True)) == "grew markedly (+5.0 pp)"
    assert narrator("zh").change_phrase(analysis.change(0.03, 0.0, is_rate=True)) == "上升3.0个百分点"
    assert narrator("zh").change_phrase(analysis.change(5, 0)) is None


# -- the phrasebooks ---------------------------------------------------------


def test_both_phrasebooks_have_the_same_phrases():
    zh, en = narrative.load_phrases("zh"), narrative.load_phrases("en")
    singular_forms = {key for key in [*zh, *en] if key.startswith("plural.")}
    assert set(zh) - singular_forms == set(en) - singular_forms
    # A singular form (in either book) stands in for a phrase of both books: "plural.a_b" for "a.b".
    flattened = {key.replace(".", "_") for key in zh}
    for key in singular_forms:
        assert key.removeprefix("plural.") in flattened, key


def test_every_phrase_the_code_asks_for_exists():
    source = "".join(path.read_text(encoding="utf-8") for path in Path(narrative.__file__).parent.glob("*.py"))
    keys = set(re.findall(r"""say(?:\.counted)?\(\s*"([a-z_.]+)\"""", source))
    assert len(keys) > 50
    for lang in ("zh", "en"):
        missing = keys - set(narrative.load_phrases(lang))
        assert not missing, (lang, missing)


def test_no_vague_words_in_the_phrasebook():
    # The rule the checks hold a workbook's own text to (docgen.report.vague), each blank filled with a figure:
    # "rose slightly ({signed})" says how much.
    for lang in ("zh", "en"):
        phrases = [re.sub(r"\{\w+\}", "+2.1%", text) for text in narrative.load_phrases(lang).values()]
        assert [text for text in phrases if vague_words(text)] == []


# -- targets -----------------------------------------------------------------

SALES = Target("销售额", "万元", 1000, 960, 900, 850, "大客户回款延迟。")


def test_the_target_sentence_states_every_figure():
    figures = analysis.target_figures(SALES)
    assert narrator("zh").target_sentence(figures, lead=True) == (
        "本月销售额完成960.0万元（目标1,000.0万元），目标达成率96.0%，距目标差40.0万元；"
        "环比小幅增长6.7%，同比显著增长12.9%。未达成目标的主要原因是大客户回款延迟。"
    )
    assert narrator("en", currency="万元").target_sentence(figures) == (
        "销售额 came to CNY 9,600,000 against a target of CNY 10,000,000, an achievement rate of 96.0%, "
        "CNY 400,000 short of target; it rose slightly (+6.7%) month on month and grew markedly (+12.9%) "
        "year on year. Main reason for the shortfall: 大客户回款延迟."
    )


def test_rate_and_lower_is_better_targets():
    zh = narrator("zh")
    rate = zh.target_sentence(analysis.target_figures(Target("复购率", "%", 0.35, 0.38, 0.33)))
    assert rate == "复购率为38.0%（目标35.0%），目标达成率108.6%，超出目标3.0个百分点；环比显著增长5.0个百分点。"
    churn = zh.target_sentence(analysis.target_figures(Target("客户流失率", "%", 0.05, 0.04)))
    assert churn == "客户流失率为4.0%（目标不高于5.0%），目标达成率125.0%，低于目标上限1.0个百分点。"


def test_targets_without_usable_figures_say_so():
    zh = narrator("zh")
    assert (
        zh.target_sentence(analysis.target_figures(Target("销售额", "万元", 0, 960)))
        == "销售额完成960.0万元，未设定有效目标。"
    )
    assert (
        zh.target_sentence(analysis.target_figures(Target("销售额", "万元", 1000, None))) == "销售额未填写实际完成数。"
    )
    assert (
        zh.target_sentence(analysis.target_figures(Target("新增客户", "家", 20, 20)))
        == "新增客户完成20家（目标20家），目标达成率100.0%，恰好完成目标。"
    )
    # A target there is, beside an actual no rate can be worked from: not "no usable target".
    assert (
        zh.target_sentence(analysis.target_figures(Target("销售额", "万元", 1000, -960)))
        == "销售额完成-960.0万元（目标1,000.0万元），无法计算目标达成率。"
    )


def test_a_gap_too_small_to_show_is_never_said_to_be_exact():
    # 0.38 against 0.35万元 both show as 0.4万元, and the gap as 0.0万元: but 108.6% is not "exactly".
    zh, en = narrator("zh"), narrator("en")
    small = analysis.target_figures(Target("客单价", "万元", 0.35, 0.38))
    assert zh.target_sentence(small) == "客单价完成0.4万元（目标0.4万元），目标达成率108.6%，超出目标不到0.1万元。"
    short = analysis.target_figures(Target("客单价", "万元", 0.38, 0.35))
    assert zh.target_point(short) == "客单价距目标差不到0.1万元。"
    churn = analysis.target_figures(Target("客户流失率", "%", 0.05, 0.0502))  # 0.02 points over the ceiling
    assert zh.target_point(churn) == "客户流失率超出目标上限不到0.1个百分点。"
    english = analysis.target_figures(Target("Churn rate", "%", 0.05, 0.0502))
    assert en.target_point(english) == "Churn rate finished less than 0.1 pp over the ceiling."
    exact = analysis.target_figures(Target("客单价", "万元", 0.35, 0.35))
    assert zh.target_point(exact) == "客单价恰好完成目标。"


def test_targets_summary_counts_what_was_met():
    figures = analysis.analyse_targets([SALES, Target("新增客户", "家", 20, 24), Target("复购率", "%", 0.35, 0.38)])
    headline = figures[0]
    summary = narrator("zh").targets_summary(figures, headline)
    assert summary.startswith("本月销售额完成960.0万元")
    assert "目标达成率96.0%" in summary
    assert summary.endswith("三项指标中两项达成目标，未达成的是销售额。达成率以新增客户最高（120.0%），销售额最低（96.0%）。")
    english = narrator("en").targets_summary(figures, headline)
    assert english.endswith(
        "Two of the three indicators met their targets; missed: 销售额. Achievement ran from 96.0% for 销售额 to 120.0% for 新增客户."
    )


def test_a_target_point_says_what_the_table_leaves_out():
    figure = analysis.target_figures(Target("回款额", "万元", 1100, 1085, 990, 950, "两笔回款延至11月上旬到账（据财务系统）"))
    assert narrator("zh").target_point(figure) == (
        "回款额距目标差15.0万元；环比小幅增长9.6%，同比显著增长14.2%。据财务系统，未达成目标的主要原因是两笔回款延至11月上旬到账。"
    )
    sales = analysis.target_figures(Target("Sales", "USD", 100, 110, 90, 95))
    assert narrator("en", currency="USD").target_point(sales) == (
        "Sales finished USD 10 above target; it grew markedly (+22.2%) month on month and grew markedly (+15.8%) year on year."
    )


def test_a_year_compares_with_the_year_before_once():
    figure = analysis.target_figures(Target("销售额", "万元", 1000, 1143, 1000, 1000))
    sentence = narrator("zh", period="annual").target_sentence(figure)
    assert sentence.count("增长14.3%") == 1 and "环比" not in sentence and "同比显著增长14.3%" in sentence
    only_previous = analysis.target_figures(Target("销售额", "万元", 1000, 1143, 1000))
    assert "同比显著增长14.3%" in narrator("zh", period="annual").target_sentence(only_previous)


@given(
    st.one_of(st.none(), st.floats()),
    st.one_of(st.none(), st.floats()),
    st.one_of(st.none(), st.floats()),
    st.sampled_from(["万元", "%", "家", None]),
    st.sampled_from(["zh", "en"]),
)
def test_target_sentences_never_print_inf_or_nan(target, actual, previous, unit, lang):
    sentence = narrator(lang).target_sentence(analysis.target_figures(Target("销售额", unit, target, actual, previous)))
    lowered = sentence.casefold()
    assert "inf" not in lowered and "nan" not in lowered and "none" not in lowered


# -- trend sentences ---------------------------------------------------------


def _trend(values, labels=None, is_rate=False):
    labels = labels or [f"{m}月" for m in range(7, 7 + len(values))]
    return trends.analyse_trend(TrendSeries("销售额", tuple(labels), tuple(values)), is_rate=is_rate)


def test_three_months_of_decline_the_fall_narrowing():
    figures = _trend([100, 88, 80, 76])
    assert narrator("zh").trend_sentence(figures) == "连续三个月下滑，降幅收窄至5.0%"
    assert narrator("en").trend_sentence(figures) == "Three months of decline in a row, the fall narrowing to 5.0%"
    assert narrator("zh").trend_summary(figures) == "销售额连续三个月下滑，降幅收窄至5.0%；7月至10月累计明显下滑24.0%。"


def test_a_partial_last_sub_period_left_empty_ends_the_series():
    # The blank monthly workbook's weeks run to 第49周, which holds one day of November.
    labels = [f"第{w}周" for w in range(44, 50)]
    figures = _trend([320, 300, 310, 296, 286.7, None], labels=labels)
    summary = narrator("zh").trend_summary(figures)
    assert "数据不足" not in summary
    assert summary == "销售额连续两周下滑，降幅收窄至3.1%；第44周至第48周累计明显下滑10.4%。"


def test_a_year_names_its_highest_and_lowest_month_not_a_change_beside_its_year_on_year():
    figures = _trend([100, 90, 120, 130], labels=["1月", "2月", "3月", "4月"])
    summary = narrator("zh", period="annual").trend_summary(figures, "万元")
    assert summary == "销售额连续两个月增长，增幅收窄至8.3%；全年以4月最高（130.0万元），2月最低（90.0万元）。"
    assert "累计" not in summary


def test_weeks_rising_and_turns():
    weeks = _trend([100, 102, 110], labels=["第1周", "第2周", "第3周"])
    assert narrator("zh").trend_sentence(weeks) == "连续两周增长，增幅扩大至7.8%"
    assert narrator("zh").trend_sentence(_trend([100, 90, 95])) == "9月止跌回升，较8月小幅增长5.6%"
    assert (
        narrator("en").trend_sentence(_trend([100, 110, 104.5]))
        == "9月 turned downward and eased slightly (-5.0%) on 8月"
    )
    assert narrator("zh").trend_sentence(_trend([100, 100.5])) == "8月较7月基本持平（+0.5%）"
    assert narrator("zh").trend_sentence(_trend([100, 100])) == "8月与7月持平"


def test_a_trend_without_enough_figures():
    assert narrator("zh").trend_sentence(_trend([100])) == "数据不足，无法判断走势"
    assert narrator("en").trend_sentence(_trend([None, 5])) == "Too few figures to tell a trend"


def test_a_rate_trend_in_points():
    assert (
        narrator("zh").trend_sentence(_trend([0.30, 0.32, 0.35], is_rate=True))
        == "连续两个月增长，增幅扩大至3.0个百分点"
    )


# -- customers ---------------------------------------------------------------


def test_best_and_weakest_channel():
    from docgen.input.model import Channel

    figures = analysis.analyse_pipeline(
        [Channel("线上", 400, 100, 320), Channel("电话渠道", 500, 40, 150), Channel("展会", 100, 18)]
    )
    summary = narrator("zh").pipeline_summary(figures)
    assert summary == (
        "本月共获得线索1,000条，成交158单，整体转化率15.8%，成交金额470.0万元。"
        "线上渠道转化率最高，达25.0%，远高于转化率最低的电话渠道（8.0%）。"
    )
    english = narrator("en").pipeline_summary(figures)
    assert "线上 converted best, at 25.0%, far ahead of 电话渠道, the weakest channel (8.0%)." in english
    close = analysis.analyse_pipeline([Channel("A", 100, 20), Channel("B", 100, 18)])
    assert "高于转化率最低的B渠道" in narrator("zh").pipeline_summary(close)
    assert "远高于" not in narrator("zh").pipeline_summary(close)


def test_churn_sentence():
    lost = [
        LostCustomer("华信科技", "价格竞争", 30, True, "提供阶梯折扣"),
        LostCustomer("远航物流", "价格竞争", 25, False),
        LostCustomer("启明教育", "服务响应慢", 30, False),
    ]
    figures = analysis.analyse_churn(lost)
    assert (
        narrator("zh").churn_summary(figures)
        == "本月流失客户三家，涉及金额85.0万元，主要原因是价格竞争（两家）；已挽回一家（华信科技）。"
    )
    assert narrator("en", currency="USD").churn_summary(figures) == (
        "This month three customers were lost, worth USD 85, mainly on 价格竞争 (two); one won back (华信科技)."
    )
    assert (
        narrator("zh").lost_customer_sentence(lost[0])
        == "华信科技因价格竞争流失，涉及金额30.0万元，已挽回；挽回措施：提供阶梯折扣。"
    )
    assert narrator("zh").churn_summary(analysis.analyse_churn([])) == "本月无客户流失。"
    one = analysis.analyse_churn([LostCustomer("华信科技")])
    assert narrator("en").churn_summary(one) == "This month one customer was lost; none has been won back yet."
    priced = analysis.analyse_churn([LostCustomer("Harbor Foods", "Price", 12000, False)])
    assert narrator("en", currency="USD").churn_summary(priced) == (
        "This month one customer was lost, worth USD 12,000, on price; none has been won back yet."
    )


def test_followups():
    followups = [
        FollowUp("华信科技", dt.date(2026, 10, 12), "上门拜访", "沟通年度采购计划", "对方确认11月下单", "准备报价单"),
        FollowUp("华信科技", dt.date(2026, 10, 20), "上门拜访", "送样"),
    ]
    zh = narrator("zh")
    assert zh.followups_summary(followups) == "本月共跟进华信科技两次，均为上门拜访。"
    # A count of one is said with whom and how, not counted (一次，涉及一家客户，以……为主（一次）).
    assert zh.followups_summary(followups[:1]) == "本月跟进客户一次（华信科技，上门拜访）。"
    assert narrator("en").followups_summary(followups[:1]) == "This month there was one follow-up (华信科技, by 上门拜访)."
    others = [FollowUp("恒达贸易", dt.date(2026, 10, 21), "电话"), FollowUp("新材科技", None, "电话")]
    assert zh.followups_summary(followups[:1] + others) == "本月共跟进三家客户，每家一次，以电话为主（两次）。"
    assert (
        zh.followup_sentence(followups[0])
        == "华信科技（10月12日，上门拜访）：沟通年度采购计划；结果：对方确认11月下单；下一步：准备报价单。"
    )


# -- market, problems, lessons, actions ----------------------------------------


def test_market_events_name_their_source():
    event = MarketEvent("竞品A在华东区降价10%", "部分中小客户观望", "市场部", "推出季度返利方案")
    assert narrator("zh").market_sentence(event) == (
        "据市场部消息，竞品A在华东区降价10%，对我方的影响是部分中小客户观望；我们的应对是推出季度返利方案。"
    )
    report = MarketEvent("行业增速放缓", source="行业协会报告")
    assert narrator("zh").market_sentence(report) == "据行业协会报告，行业增速放缓。"
    english = MarketEvent("competitor A cut prices by 10%", "some customers are waiting", "marketing")
    assert narrator("en").market_sentence(english) == (
        "According to marketing, competitor A cut prices by 10%; impact on us: some customers are waiting."
    )
    assert narrator("zh").market_sentence(MarketEvent("竞品上新")) == "竞品上新。"
    # One source is where the news came from, not a list "including" it.
    assert narrator("zh", period="weekly").market_summary([event]) == "本周收集到一条市场动态，来自市场部。"
    assert narrator("zh").market_summary([event, event]) == "本月收集到两条市场动态，均来自市场部。"


def test_the_users_words_join_the_phrase_without_saying_it_twice():
    zh = narrator("zh")
    problem = Problem("大客户签约推迟", "原因是客户预算冻结", "影响本月达成率约6个百分点")
    assert zh.problem_sentence(problem) == "大客户签约推迟，原因是客户预算冻结，影响本月达成率约6个百分点。"
    event = MarketEvent("竞品降价", "导致两家客户观望", "市场部", "我们推出返利方案")
    assert zh.market_sentence(event) == "据市场部消息，竞品降价，导致两家客户观望；我们推出返利方案。"
    missed = analysis.analyse_targets([Target("销售额", "万元", 100, 90, note="主要原因是两个项目延期")])[0]
    assert zh.target_sentence(missed).endswith("主要原因是两个项目延期。")
    assert "原因是主要原因" not in zh.target_sentence(missed)


def test_problems_read_symptom_cause_impact_tagged_by_kind():
    problem = Problem("回款周期拉长", "大客户付款审批流程变更", "本月销售额未达成目标", "internal", "建立回款周跟踪表")
    zh = narrator("zh")
    assert (
        zh.problem_sentence(problem)
        == "回款周期拉长，原因是大客户付款审批流程变更，由此带来的影响是本月销售额未达成目标。"
    )
    assert zh.problem_point(problem) == (
        "内部问题：回款周期拉长，原因是大客户付款审批流程变更，由此带来的影响是本月销售额未达成目标。对策：建立回款周跟踪表。"
    )
    assert zh.problem_sentence(Problem("新人转化率偏低")) == "新人转化率偏低，原因尚待查明。"
    english = narrator("en").problem_point(
        Problem("Payments slowed", "approval changes", "sales missed target", "external")
    )
    assert english == "External: Payments slowed. Cause: approval changes. Impact: sales missed target."
    problems = [problem, Problem("竞品降价", kind="external"), Problem("新人转化率偏低", kind="internal")]
    summary = zh.problems_summary(problems, analysis.group_problems(problems))
    assert summary == "本月共梳理出三个问题，其中内部问题两个、外部问题一个。最主要的问题是回款周期拉长。"
    one = [Problem("Churn above target", kind="external")]
    assert narrator("en", period="annual").problems_summary(one, analysis.group_problems(one)) == (
        "One external problem was reviewed this year: churn above target."
    )
    assert zh.problems_summary(one, analysis.group_problems(one)) == "本月梳理出一个外部问题：Churn above target。"


def test_lessons_and_actions():
    zh = narrator("zh")
    lesson = Lesson("老客户转介绍", "成熟行业客户", "每季度举办客户答谢会", "转介绍转化率35%")
    assert (
        zh.lesson_sentence(lesson)
        == "老客户转介绍，适用于成熟行业客户，做法是每季度举办客户答谢会，效果是转介绍转化率35%。"
    )
    action = Action("建立回款周跟踪表", "A1", "王芳", dt.date(2026, 11, 15), "逾期款项下降20%", "进行中")
    assert (
        zh.action_point(action)
        == "建立回款周跟踪表（负责人：王芳；完成时限：2026年11月15日；验收标准：逾期款项下降20%；状态：进行中）。"
    )
    assert narrator("en").action_point(action) == (
        "建立回款周跟踪表 (owner: 王芳; deadline: 15 November 2026; acceptance: 逾期款项下降20%; status: 进行中)."
    )
    assert (
        zh.actions_summary([action, Action("推出返利方案")])
        == "下月共安排两项行动，重点是建立回款周跟踪表和推出返利方案。"
    )
    assert narrator("zh", period="quarterly").actions_summary([action]) == "下季度安排一项行动：建立回款周跟踪表。"


# -- team --------------------------------------------------------------------

TEAM = [
    TeamContribution("李明", "签下两家大客户", 230),
    TeamContribution("王芳", "带教新人", 180),
    TeamContribution("张伟", None, 150),
    TeamContribution("赵磊", None, 120),
    TeamContribution("刘洋", None, 90),
    TeamContribution("陈静", None, 80),
    TeamContribution("杨帆", None, 60),
    TeamContribution("周婷", None, 50),
]


def test_team_summary_says_who_led_and_how_concentrated():
    figures = analysis.analyse_team(TEAM)
    assert (
        narrator("zh").team_summary(figures)
        == "李明贡献最大，占团队业绩逾两成（24.0%）；前三名合计占近六成（58.3%），业绩较为集中。"
    )
    assert narrator("en").team_summary(figures) == (
        "李明 contributed the most, 24.0% of the team's result; the top three together account for 58.3%, "
        "a fairly concentrated result."
    )
    department = narrator("zh", level="department").team_summary(figures)
    assert "占部门业绩逾两成" in department and "前三个团队合计" in department


def test_a_member_on_two_rows_leads_with_the_sum_of_both():
    figures = analysis.analyse_team([TeamContribution("李明", "签约大客户", 500), TeamContribution("王芳", "带教新人", 400),
                                     TeamContribution("李明", "回款", 100)])  # fmt: skip
    assert narrator("zh").team_summary(figures) == "李明贡献最大，占团队业绩六成（60.0%）。"


def test_tied_leaders_and_a_balanced_team():
    figures = analysis.analyse_team(
        [TeamContribution(n, value=v) for n, v in [("甲", 100), ("乙", 100), ("丙", 95), ("丁", 90)]]
    )
    summary = narrator("zh").team_summary(figures)
    assert summary == "甲和乙并列第一，各占团队业绩近三成（26.0%）；最少的丁也占逾两成（23.4%），各成员业绩较为均衡。"


def test_the_top_three_are_said_only_where_they_are_not_most_of_the_team():
    # Three of four members hold most of any team's result: "前三名合计占近八成……较为均衡" contradicts itself.
    four = analysis.analyse_team([TeamContribution(n, value=v) for n, v in [("甲", 29), ("乙", 26), ("丙", 24), ("丁", 21)]])
    summary = narrator("zh").team_summary(four)
    assert "前三名" not in summary and "最少的丁也占逾两成（21.0%）" in summary
    assert narrator("zh").team_summary(analysis.analyse_team(TEAM)).count("前三名") == 1


def test_individual_team_part_says_what_the_person_did():
    figures = analysis.analyse_team(TEAM)
    member = analysis.member_for(figures, "王芳")
    assert narrator("zh", level="individual").individual_team_summary(member, figures) == (
        "本月王芳对团队的贡献：带教新人。个人业绩180.0万元，占团队业绩近两成（18.8%），在八名成员中排名第2。"
    )
    assert narrator("en", level="individual").individual_team_summary(member, figures) == (
        "This month 王芳 contributed to the team: 带教新人. "
        "Personal result CNY 1,800,000, 18.8% of the team's result, ranked 2nd of eight."
    )
    stated = analysis.analyse_team([TeamContribution("Alex Chen", "Coached two reps", 271500, 0.24)])
    assert narrator("en", level="individual", currency="USD").individual_team_summary(stated.members[0], stated) == (
        "This month Alex Chen contributed to the team: coached two reps. "
        "Personal result USD 271,500, 24.0% of the team's result."
    )
    assert narrator("en", currency="USD").member_point(stated.members[0], ranked=False) == (
        "Alex Chen: coached two reps, result USD 271,500, 24.0% of the total."
    )
    alone = analysis.analyse_team([TeamContribution("王芳", "整理客户档案")])
    assert narrator("zh", level="individual").individual_team_summary(analysis.member_for(alone, None), alone) == (
        "本月王芳对团队的贡献：整理客户档案。"
    )


# -- introduction, conclusion, title ------------------------------------------------


def test_introduction_is_written_from_the_data():
    figures = analysis.analyse_targets([SALES, Target("新增客户", "家", 20, 24)])
    intro = narrator("zh").introduction(
        who="华东销售一组", period_label="2026年10月", figures=figures, headline=figures[0], sections=["targets"]
    )
    assert intro == (
        "本报告总结华东销售一组2026年10月的销售工作。本月考核销售额和新增客户两项指标，一项达成目标；销售额目标达成率96.0%。"
    )


def test_introduction_stays_within_300_characters():
    figures = analysis.analyse_targets([Target("指标" + "很长的名字" * 12 + str(i), "家", 10, 12) for i in range(12)])
    for lang in ("zh", "en"):
        intro = narrator(lang).introduction(
            who="华东销售一组", period_label="2026年10月", figures=figures, headline=figures[0], sections=[]
        )
        assert len(intro) <= 300
        assert "2026年10月" in intro
    huge = narrator("zh").introduction(
        who="很长" * 200, period_label="2026年10月", figures=[], headline=None, sections=[]
    )
    assert len(huge) == 300


def test_introduction_without_targets_names_the_sections():
    intro = narrator("zh").introduction(
        who="", period_label="2026年10月", figures=[], headline=None, sections=["pipeline", "churn"]
    )
    assert intro == "本报告总结2026年10月的销售工作。报告涵盖客户开发和客户流失等内容。"


def test_introduction_when_no_target_can_be_judged():
    figures = analysis.analyse_targets([Target("销售额", "万元", None, 960)])
    intro = narrator("zh").introduction(
        who="", period_label="2026年10月", figures=figures, headline=figures[0], sections=[]
    )
    assert intro == "本报告总结2026年10月的销售工作。本月考核销售额一项指标；销售额完成960.0万元。"
    english = narrator("en").introduction(
        who="", period_label="October 2026", figures=figures, headline=figures[0], sections=[]
    )
    assert english == (
        "This report reviews sales work for October 2026. "
        "This month one indicator was tracked (销售额); 销售额 came to CNY 9,600,000."
    )


def test_conclusion_names_result_problem_and_next_focus():
    figures = analysis.analyse_targets([SALES, Target("新增客户", "家", 20, 24)])
    conclusion = narrator("zh").conclusion(
        figures=figures,
        headline=figures[0],
        problems=[Problem("回款周期拉长", "大客户付款审批流程变更")],
        actions=[Action("建立回款周跟踪表"), Action("推出返利方案")],
    )
    assert conclusion == (
        "总体来看，本月销售额目标达成率96.0%，两项指标中一项达成目标。"
        "主要问题是回款周期拉长，根源在于大客户付款审批流程变更。下月工作重点是建立回款周跟踪表和推出返利方案。"
    )
    plain = narrator("en").conclusion(figures=[], headline=None, problems=[], actions=[])
    assert plain == "Overall, work this month went to plan."


def test_titles():
    assert narrator("zh").title("华东销售一组", "2026年10月") == "华东销售一组2026年10月销售工作总结"
    assert narrator("zh", level="individual").title("王芳", "2026年10月") == "王芳2026年10月个人销售工作总结"
    assert narrator("en").title("East Team 1", "October 2026") == "Sales Work Summary, October 2026 — East Team 1"
    assert narrator("en").title("", "Q3 2026") == "Sales Work Summary, Q3 2026"


# -- sources named in notes, and the reconciliation in words -----------------------


@pytest.mark.parametrize(
    "note, split",
    [
        ("两笔回款延至11月上旬到账（据财务系统）", ("两笔回款延至11月上旬到账", "财务系统")),
        ("据财务系统统计，回款延迟", ("回款延迟", "财务系统统计")),
        ("According to finance, two invoices were paid early", ("two invoices were paid early", "finance")),
        ("Paid late (source: finance)", ("Paid late", "finance")),
        ("大客户回款延迟", ("大客户回款延迟", None)),
        ("（据财务系统）", ("（据财务系统）", None)),  # nothing but a source: left as it is
    ],
)
def test_a_source_is_split_from_a_note(note, split):
    assert narrative.split_source(note) == split


def test_a_note_naming_its_source_reads_naturally():
    missed = analysis.target_figures(Target("回款额", "万元", 1100, 1085, note="两笔回款延至11月上旬到账（据财务系统）"))
    assert narrator("zh").target_sentence(missed).endswith("据财务系统，未达成目标的主要原因是两笔回款延至11月上旬到账。")
    met = analysis.target_figures(
        Target("Collection rate", "%", 0.95, 0.97, note="According to finance, two invoices were paid early")
    )
    assert narrator("en").target_sentence(met).endswith(" According to finance, two invoices were paid early.")


def test_the_reconciliation_names_every_systems_figure():
    rows = [
        analysis.reconcile(Reconciliation("销售额", ("销售系统", "财务系统"), (1152, 1148))),
        analysis.reconcile(Reconciliation("回款额", ("销售系统", "财务系统"), (1085, 1085))),
    ]
    assert narrator("zh").reconcile_summary(rows, ["万元", "万元"]) == (
        "核对两项指标，各系统数据一致，差异均在0.5%以内。"
        "销售额在各系统间一致（销售系统1,152.0万元、财务系统1,148.0万元，差异0.3%）；"
        "回款额在各系统间一致（销售系统1,085.0万元、财务系统1,085.0万元，差异0.0%）。"
    )


def test_an_indicator_where_less_is_better_changes_in_plain_words():
    """A churn rate that fell improved: 明显下滑 would read as a slump, so only the direction is said."""
    from docgen.report.analysis import target_figures
    from docgen.input.model import Target
    from docgen.report.narrative import Narrator

    churn = target_figures(Target("客户流失率", "%", 0.05, 0.042, 0.051, 0.06))
    sentence = Narrator(lang="zh", period="monthly", level="team", currency_unit="万元").target_sentence(churn)
    assert "环比下降0.9个百分点，同比下降1.8个百分点" in sentence
    assert "下滑" not in sentence


def test_the_range_of_achievement_names_indicators_tied_as_printed_together():
    figures = analysis.analyse_targets(
        [Target("Sales", "USD", 100, 104), Target("New customers", "accounts", 80, 84), Target("Market share", "%", 0.08, 0.084),
         Target("Churn rate", "%", 0.04, 0.045)]  # fmt: skip
    )
    summary = narrator("en", currency="USD").targets_summary(figures, figures[0])
    assert summary.endswith("Achievement ran from 88.9% for churn rate to 105.0% for new customers and market share.")


def test_a_latin_name_is_set_apart_from_the_year_after_it():
    assert narrator("zh", period="annual").title("East Team 1", "2026年") == "East Team 1 2026年销售工作总结"
    assert narrator("zh").title("华东销售一组", "2026年10月") == "华东销售一组2026年10月销售工作总结"
