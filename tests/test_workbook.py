"""Tests for docgen.input.workbook: sheets matched to sections, cells typed, every problem reported at once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from conftest import rewrite_part
from docgen.errors import CellError, InvalidWorkbook, WorkbookError
from docgen.input.model import GenericSection
from docgen.input.workbook import load_workbook

TARGET_HEADER = ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"]


def problems_of(path: Path) -> list[CellError]:
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    return raised.value.problems


def only_problem(path: Path) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


# Sheets and sections


def test_minimal_chinese_workbook(make_workbook, minimal_sheets):
    book = load_workbook(make_workbook(minimal_sheets))
    assert book.present == ("info", "targets")
    assert book.info.title == "测试报告"
    assert (book.info.level, book.info.period, book.info.language) == ("team", "monthly", "zh")
    assert (book.info.start_date, book.info.end_date) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert book.info.currency_unit == "万元"
    sales, customers, repurchase, churn = book.targets
    assert (sales.indicator, sales.unit, sales.target, sales.actual, sales.previous, sales.last_year) == (
        "销售额", "万元", 1000.0, 960.0, 900.0, 850.0)
    assert sales.note == "大客户回款延迟"
    assert customers.note is None
    assert (repurchase.target, repurchase.actual) == (0.35, 0.38)
    assert churn.is_rate


def test_english_sheet_and_column_names(make_workbook):
    path = make_workbook({
        "Report info": [["Key", "Value"], ["Title", "October summary"], ["Level", "Individual"],
                        ["Period", "Monthly"], ["Language", "English"], ["Start date", "2026-10-01"]],
        "Targets": [["Indicator", "Unit", "Target", "Actual", "Previous", "Last year", "Note"],
                    ["Sales", "k$", 500, 520, 480, 450, "new key account"]],
        "Pipeline": [["Channel", "Leads", "Deals", "Amount"], ["Referral", 40, 12, 88.5]],
    })
    book = load_workbook(path)
    assert book.present == ("info", "targets", "pipeline")
    assert (book.info.title, book.info.level, book.info.period, book.info.language) == (
        "October summary", "individual", "monthly", "en")
    assert book.targets[0].note == "new key account"
    channel = book.pipeline[0]
    assert (channel.channel, channel.leads, channel.deals, channel.amount) == ("Referral", 40.0, 12.0, 88.5)


def test_names_ignore_case_spaces_full_width_and_brackets(make_workbook):
    path = make_workbook({
        "\u3000ＴＡＲＧＥＴＳ ": [["  indicator", "ＵＮＩＴ", "Target\u3000", "ACTUAL"], ["销售额", "万元", 10, 9]],
        "【竞品】（华东）": [["名称", "价格"], ["甲", 1]],
    })
    book = load_workbook(path)
    assert book.targets[0].actual == 9.0
    assert book.present == ("targets", "generic:【竞品】（华东）")


def test_all_known_sections(make_workbook):
    path = make_workbook({
        "客户开发": [["渠道", "线索数", "成交数", "成交金额", "说明"], ["展会", 120, 18, 260, "秋季展"]],
        "客户分层": [["层级", "客户数", "满意度", "维护措施"], ["A", 12, 0.95, "季度拜访"], ["B", 40, 0.88, None]],
        "客户流失": [["客户", "原因", "金额", "是否挽回", "挽回措施"], ["华兴", "价格", "35", "是", "让利"],
                    ["联达", "服务", None, "未挽回", None]],
        "客户跟进": [["客户", "日期", "方式", "内容", "结果", "下一步"],
                    ["华兴", "2026年10月8日", "拜访", "续约", "意向", "报价"]],
        "市场动态": [["事件", "影响", "来源", "应对"], ["竞品降价", "价格压力", "市场部", "组合报价"]],
        "问题反思": [["现象", "原因", "影响", "类型", "对策"], ["回款慢", "审批长", "现金流", "外部", "周跟进"]],
        "经验提炼": [["经验", "适用场景", "做法步骤", "效果"], ["老带新", "成熟客户", "推荐奖励", "线索+30%"]],
        "行动计划": [["编号", "措施", "负责人", "完成时限", "验收标准", "状态"], [1, "大客户回访", "王芳", "2026/11/15", "回访10家", "进行中"]],
        "团队贡献": [["成员", "贡献事项", "业绩", "占比"], ["王芳", "带新人", 320, 0.4], ["李雷", "大单", 480, 0.6]],
        "数据核对": [["指标", "销售系统", "财务系统"], ["回款", 860, "850"]],
        "月度趋势": [["指标", "7月", "8月", "9月"], ["销售额", 300, 320, "310"]],
    })
    book = load_workbook(path)
    assert book.present == ("pipeline", "accounts", "churn", "followups", "market", "problems", "lessons",
                            "actions", "team", "reconcile", "trend")
    assert book.pipeline[0].note == "秋季展"
    assert [tier.satisfaction for tier in book.accounts] == [0.95, 0.88]
    assert book.accounts[1].upkeep is None
    assert [(c.customer, c.amount, c.recovered) for c in book.churn] == [("华兴", 35.0, True), ("联达", None, False)]
    assert book.followups[0].date == dt.date(2026, 10, 8)
    assert book.market[0].source == "市场部"
    assert book.problems[0].kind == "external"
    assert book.lessons[0].result == "线索+30%"
    action = book.actions[0]
    assert (action.id, action.action, action.owner, action.deadline) == ("1", "大客户回访", "王芳", dt.date(2026, 11, 15))
    assert [(m.member, m.value, m.share) for m in book.team] == [("王芳", 320.0, 0.4), ("李雷", 480.0, 0.6)]
    assert book.reconcile[0].sources == ("销售系统", "财务系统")
    assert book.reconcile[0].values == (860.0, 850.0)
    assert book.trend[0].labels == ("7月", "8月", "9月")
    assert book.trend[0].values == (300.0, 320.0, 310.0)


def test_unknown_sheets_become_generic_sections_in_workbook_order(make_workbook, minimal_sheets):
    path = make_workbook({
        "竞品价格": [["产品", "价格", "上市日期", "折扣"], ["甲", 1200.0, dt.date(2026, 9, 1), 0.15], ["乙", 99.5, None, None]],
        **minimal_sheets,
        "备忘": [["事项"], ["下月启动渠道大会"], ["  "], ["复盘客户流失"]],
    })
    book = load_workbook(path)
    assert book.present == ("generic:竞品价格", "info", "targets", "generic:备忘")
    prices, memo = book.generic
    assert prices == GenericSection(
        title="竞品价格",
        columns=("产品", "价格", "上市日期", "折扣"),
        rows=(("甲", "1200", "2026-09-01", "0.15"), ("乙", "99.5", "", "")),
    )
    assert memo.columns == ("事项",)
    assert memo.rows == (("下月启动渠道大会",), ("复盘客户流失",))


def test_generic_section_shows_percent_cells_as_percentages_and_skips_a_title(tmp_path):
    path = tmp_path / "generic.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "区域占比"
    sheet["A1"] = "各区域销售占比"
    sheet.merge_cells("A1:B1")
    sheet.append(["区域", "占比"])
    sheet.append(["华东", 0.425])
    sheet["B3"].number_format = "0.0%"
    book.save(path)
    generic = load_workbook(path).generic[0]
    assert generic.columns == ("区域", "占比")
    assert generic.rows == (("华东", "42.5%"),)


def test_hidden_and_empty_sheets_are_left_out(tmp_path):
    path = tmp_path / "hidden.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "客户流失"
    book.active.append(["客户", "原因", "金额", "是否挽回"])  # a header, no rows yet
    lists = book.create_sheet("lists")
    lists.append(["是"])
    lists.append(["否"])
    lists.sheet_state = "hidden"
    book.create_sheet("Sheet2")
    market = book.create_sheet("市场动态")
    market.append(["事件"])
    market.append(["新品发布"])
    book.save(path)
    loaded = load_workbook(path)
    assert loaded.present == ("market",)
    assert loaded.churn == ()
    assert loaded.generic == ()


# The header row


def test_title_row_and_blank_rows_above_the_header(tmp_path):
    path = tmp_path / "title.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标达成"
    sheet["A1"] = "华东销售一组 2026年10月 目标达成情况"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "单位：万元"
    sheet.append([])
    sheet.append(TARGET_HEADER)
    sheet.append(["销售额", "万元", 1000, 960, 900, 850, None])
    book.save(path)
    target = load_workbook(path).targets[0]
    assert (target.indicator, target.target, target.actual) == ("销售额", 1000.0, 960.0)


def test_merged_cells_in_data_cover_the_range(tmp_path):
    path = tmp_path / "merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户跟进"
    sheet.append(["销售员", "客户", "日期", "内容"])
    sheet.append(["张三", "华兴", "2026-10-08", "续约"])
    sheet.append([None, "联达", "2026-10-09", "报价"])
    sheet.append(["李四", "远航", "2026-10-10", "拜访"])
    sheet.merge_cells("A2:A3")
    book.save(path)
    followups = load_workbook(path).followups
    assert [(f.person, f.customer) for f in followups] == [("张三", "华兴"), ("张三", "联达"), ("李四", "远航")]


def test_columns_may_come_in_any_order_and_unknown_columns_are_ignored(make_workbook):
    path = make_workbook({"目标达成": [["备注2", "实际", "目标", "指标"], ["x", 5, 4, "新增客户"]]})
    target = load_workbook(path).targets[0]
    assert (target.indicator, target.target, target.actual, target.unit, target.note) == ("新增客户", 4.0, 5.0, None, None)


def test_missing_required_column_names_sheet_and_header_row(make_workbook):
    path = make_workbook({"目标达成": [["指标", "单位", "目标", "说明"], ["销售额", "万元", 1000, None]]})
    message = only_problem(path)
    assert "sheet '目标达成'" in message
    assert "cell A1:D1" in message
    assert "实际 / Actual" in message and "row 1" in message


def test_misspelt_required_column_suggests_the_right_name(make_workbook):
    path = make_workbook({"Targets": [["Indicator", "Unit", "Target", "Actul"], ["Sales", "k$", 10, 9]]})
    message = only_problem(path)
    assert "sheet 'Targets', cell D1" in message
    assert "“Actul”" in message
    assert "Did you mean “Actual”?" in message


def test_misspelt_chinese_column_suggests_the_right_name(make_workbook):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交 数"], ["展会", 10, 2]]})
    message = only_problem(path)
    assert "cell C1" in message and "Did you mean “成交数”?" in message


def test_duplicate_headers(make_workbook):
    path = make_workbook({"目标达成": [["指标", "目标", "实际", "Target"], ["销售额", 10, 9, 11]]})
    message = only_problem(path)
    assert "sheet '目标达成', cell D1" in message
    assert "appears twice (first in B1)" in message


def test_no_header_row(make_workbook):
    path = make_workbook({"客户流失": [["2026年10月"], ["华兴", "价格"]]})
    message = only_problem(path)
    assert "sheet '客户流失', cell A1" in message
    assert "no header row" in message and "客户 / Customer" in message


# Trend and reconciliation sheets: open-ended columns


def test_trend_headers_that_are_dates_read_as_months(make_workbook):
    path = make_workbook({"月度趋势": [
        ["指标", dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.datetime(2026, 9, 1), "销售员"],
        ["销售额", 300, None, "310", "张三"],
    ]})
    series = load_workbook(path).trend[0]
    assert series.labels == ("2026-07", "2026-08", "2026-09")
    assert series.values == (300.0, None, 310.0)
    assert series.person == "张三"


def test_a_tables_own_totals_row_and_a_trend_total_column_are_not_data(make_workbook):
    path = make_workbook({
        "客户开发": [["渠道", "线索数", "成交数", "成交金额"], ["展会", 100, 10, 500], ["电话", 200, 20, 800],
                 ["合计：", 300, 30, 1300]],
        "月度趋势": [["指标", "7月", "8月", "9月", "本季合计"], ["销售额", 1000, 1020, 1080, 3100]],
        "团队贡献": [["成员", "贡献事项", "业绩"], ["李明", "大客户", 500], ["Total", None, 500]],
    })  # fmt: skip
    workbook = load_workbook(path)
    assert [c.channel for c in workbook.pipeline] == ["展会", "电话"]
    assert workbook.trend[0].labels == ("7月", "8月", "9月") and workbook.trend[0].values == (1000, 1020, 1080)
    assert [m.member for m in workbook.team] == ["李明"]
    assert [(d.code, d.sheet, d.cell, d.values["label"]) for d in workbook.doubts] == [
        ("DG112", "客户开发", "A4", "合计："), ("DG112", "月度趋势", "E1", "本季合计"), ("DG112", "团队贡献", "A3", "Total"),
    ]


def test_weekly_trend_headers_keep_the_day(make_workbook):
    path = make_workbook({"Trend": [["Indicator", dt.date(2026, 10, 5), dt.date(2026, 10, 12)], ["Visits", 8, 11]]})
    assert load_workbook(path).trend[0].labels == ("2026-10-05", "2026-10-12")


def test_reconciliation_reads_each_source_system(make_workbook):
    path = make_workbook({"数据核对": [["说明", "指标", "销售系统", "财务系统", "仓储系统"],
                                   [None, "出库金额", "1,200", 1180, "￥1,195"]]})
    row = load_workbook(path).reconcile[0]
    assert (row.indicator, row.sources, row.values) == (
        "出库金额", ("销售系统", "财务系统", "仓储系统"), (1200.0, 1180.0, 1195.0))


def test_trend_needs_an_indicator_column(make_workbook):
    path = make_workbook({"月度趋势": [["名称", "7月", "8月"], ["销售额", 1, 2]]})
    message = only_problem(path)
    assert "sheet '月度趋势', cell A1" in message and "指标 / Indicator" in message


# Numbers


@pytest.mark.parametrize("typed, expected", [
    ("1,234.5", 1234.5),
    ("￥12,000", 12000.0),
    ("¥ 8,800", 8800.0),
    ("$1,000", 1000.0),
    ("€ 99.90", 99.9),
    ("RMB 800", 800.0),
    ("CNY1,500", 1500.0),
    ("１２３", 123.0),
    ("１，２３４．５", 1234.5),
    (" 960 ", 960.0),
    ("-¥1,200", -1200.0),
    ("(1,200)", -1200.0),
    ("500元", 500.0),
])
def test_numbers_typed_as_text(make_workbook, typed, expected):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数", "成交金额"], ["展会", 10, 2, typed]]})
    assert load_workbook(path).pipeline[0].amount == expected


@pytest.mark.parametrize("typed", ["一百", "N/A", "—", "abc", "1,2,3", "12万"])
def test_text_in_a_number_cell_is_an_error(make_workbook, typed):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数", "成交金额"], ["展会", 10, 2, typed]]})
    message = only_problem(path)
    assert "sheet '客户开发', cell D2" in message
    assert "成交金额" in message
    assert "expected a number" in message
    assert f"found “{typed}”" in message
    assert "digits" in message


def test_number_columns_keep_integers_and_empty_cells(make_workbook):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数", "成交金额"], ["展会", 10, 2, None]]})
    channel = load_workbook(path).pipeline[0]
    assert (channel.leads, channel.deals, channel.amount) == (10.0, 2.0, None)


# Percentages


def percent_formatted_targets(tmp_path, row, number_format="0%"):
    path = tmp_path / "rates.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标达成"
    sheet.append(TARGET_HEADER)
    sheet.append(row)
    for column in "CDEF":
        sheet[f"{column}2"].number_format = number_format
    book.save(path)
    return path


def test_percent_formatted_target_cells_are_fractions(tmp_path):
    path = percent_formatted_targets(tmp_path, ["复购率", "%", 0.35, 0.38, 0.33, 0.3, None])
    target = load_workbook(path).targets[0]
    assert (target.target, target.actual, target.previous, target.last_year) == (0.35, 0.38, 0.33, 0.3)


@pytest.mark.parametrize("row, expected", [
    (["复购率", "%", "35%", "38 %", "３３％", "30%"], (0.35, 0.38, 0.33, 0.30)),  # text percentages
    (["复购率", "%", 35, 38, 33, 30], (0.35, 0.38, 0.33, 0.30)),  # plain numbers above 1: percents
    (["复购率", "%", 0.35, 0.38, 0.33, 0.3], (0.35, 0.38, 0.33, 0.30)),  # all at most 1: fractions
    (["复购率", "％", "35%", 38, None, 0.3], (0.35, 0.38, None, 0.003)),  # plain numbers judged together
])
def test_percent_forms_in_a_rate_row(make_workbook, row, expected):
    path = make_workbook({"目标达成": [TARGET_HEADER[:6], row]})
    target = load_workbook(path).targets[0]
    assert (target.target, target.actual, target.previous, target.last_year) == pytest.approx(expected)


def test_rate_rows_are_judged_one_by_one(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["复购率", "%", 35, 38], ["流失率", "%", 0.05, 0.04],
                                   ["销售额", "万元", 0.5, 0.6]]})
    repurchase, churn, sales = load_workbook(path).targets
    assert (repurchase.target, churn.target, sales.target) == pytest.approx((0.35, 0.05, 0.5))


def test_share_and_satisfaction_columns_are_judged_as_a_whole(tmp_path, make_workbook):
    path = make_workbook({
        "团队贡献": [["成员", "业绩", "占比"], ["王芳", 320, 40], ["李雷", 480, 0.6], ["赵敏", 200, "25%"]],
        "客户分层": [["层级", "客户数", "满意度"], ["A", 12, 0.95], ["B", 40, 0.8]],
    })
    book = load_workbook(path)
    # 40 is above 1, so the column's plain numbers are percents: 0.6 is read as 0.6%.
    assert [member.share for member in book.team] == pytest.approx([0.40, 0.006, 0.25])
    assert [tier.satisfaction for tier in book.accounts] == pytest.approx([0.95, 0.8])

    formatted = tmp_path / "formatted.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Team contribution"
    sheet.append(["Member", "Value", "Share"])
    sheet.append(["Ann", 300, 0.75])
    sheet.append(["Bob", 100, 25])
    sheet["C2"].number_format = "0%"
    workbook.save(formatted)
    assert [member.share for member in load_workbook(formatted).team] == pytest.approx([0.75, 0.25])


# Dates


@pytest.mark.parametrize("typed", ["2026-10-31", "2026/10/31", "2026.10.31", "2026年10月31日", "２０２６－１０－３１",
                                   "2026-10-31 09:30", dt.date(2026, 10, 31), dt.datetime(2026, 10, 31, 18, 0)])
def test_date_forms(make_workbook, typed):
    path = make_workbook({"行动计划": [["措施", "完成时限"], ["回访", typed]]})
    deadline = load_workbook(path).actions[0].deadline
    assert deadline == dt.date(2026, 10, 31)
    assert type(deadline) is dt.date


def test_chinese_builtin_date_format_in_a_date_column(tmp_path):
    path = tmp_path / "wps.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户跟进"
    sheet.append(["客户", "日期"])
    sheet.append(["华兴", 46326])
    sheet["B2"].number_format = 'yyyy"年"m"月"d"日"'
    book.save(path)
    # WPS writes format id 31 (2026年10月31日) with no format code beside it.
    rewrite_part(path, "xl/styles.xml",
                 lambda xml: re.sub(r"<numFmts.*?</numFmts>", "", xml).replace('numFmtId="164"', 'numFmtId="31"'))
    assert load_workbook(path).followups[0].date == dt.date(2026, 10, 31)


@pytest.mark.parametrize("typed, phrase", [
    ("2026-02-30", "does not exist"),
    ("2026-10", "names a month, not a day"),
    ("下周一", "not a date"),
    (46326, "not a date"),
])
def test_bad_dates(make_workbook, typed, phrase):
    path = make_workbook({"行动计划": [["措施", "完成时限"], ["回访", typed]]})
    message = only_problem(path)
    assert "sheet '行动计划', cell B2" in message
    assert phrase in message and "2026年10月31日" in message


# Yes/no and internal/external


@pytest.mark.parametrize("typed, expected", [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("Yes", True), ("NO", False), (True, True),
    ("false", False), ("已挽回", True), ("未挽回", False), (1, True), (0, False), ("1", True), (None, None),
])
def test_yes_no(make_workbook, typed, expected):
    path = make_workbook({"Churn": [["Customer", "Recovered"], ["Acme", typed]]})
    assert load_workbook(path).churn[0].recovered is expected


def test_unknown_yes_no_lists_the_accepted_values(make_workbook):
    path = make_workbook({"客户流失": [["客户", "是否挽回"], ["华兴", "部分"]]})
    message = only_problem(path)
    assert "sheet '客户流失', cell B2" in message
    assert "found “部分”" in message and "是/否, Y/N, yes/no, true/false, 已挽回/未挽回 or 1/0" in message


@pytest.mark.parametrize("typed, expected", [("内部", "internal"), ("外", "external"), ("External", "external"),
                                             ("内", "internal"), (None, None)])
def test_internal_or_external(make_workbook, typed, expected):
    path = make_workbook({"问题反思": [["现象", "类型"], ["回款慢", typed]]})
    assert load_workbook(path).problems[0].kind == expected


def test_unknown_problem_type_lists_the_accepted_values(make_workbook):
    path = make_workbook({"问题反思": [["现象", "类型"], ["回款慢", "混合"]]})
    message = only_problem(path)
    assert "cell B2" in message and "内部/外部, 内/外 or internal/external" in message


# Targets


def test_zero_or_negative_target_is_an_error(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["销售额", "万元", 0, 10], ["回款", "万元", -5, 10]]})
    problems = [str(p) for p in problems_of(path)]
    assert len(problems) == 2
    assert "sheet '目标达成', cell C2" in problems[0] and "expected a target greater than zero" in problems[0]
    assert "cell C3" in problems[1] and "found “-5”" in problems[1]


def test_empty_rows_are_skipped_and_an_empty_required_cell_is_an_error(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["销售额", "万元", 100, 90], [None, None, None, None],
                                   [None, "万元", 20, 24]]})
    message = only_problem(path)
    assert "sheet '目标达成', cell A4" in message and "“指标” is empty" in message


def test_empty_target_is_an_error(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["销售额", "万元", None, 90]]})
    assert "cell C2" in only_problem(path)


# The person column


def test_person_column_on_any_sheet(make_workbook):
    path = make_workbook({
        "目标达成": [["销售员", *TARGET_HEADER[:4]], ["张三", "销售额", "万元", 100, 90], ["李四", "销售额", "万元", 80, 85]],
        "Pipeline": [["Channel", "Leads", "Deals", "Salesperson"], ["Web", 10, 1, "Ann"]],
        "团队贡献": [["成员", "业绩", "销售员"], ["王芳", 10, "组长"]],
    })
    book = load_workbook(path)
    assert [target.person for target in book.targets] == ["张三", "李四"]
    assert book.pipeline[0].person == "Ann"
    assert book.team[0].member == "王芳"  # on the team sheet 成员 is the member, not the person


# The info sheet


def test_info_without_header_row_with_extra_keys_and_title(tmp_path):
    path = tmp_path / "info.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报告信息"
    sheet["A1"] = "报告信息"
    sheet.merge_cells("A1:B1")
    sheet.append(["标题：", "十月总结"])
    sheet.append(["周期", "季度"])
    sheet.append(["层级", "department"])
    sheet.append(["结束日期", dt.date(2026, 9, 30)])
    sheet.append(["审核人", "赵总"])
    sheet.append(["引言", None])
    book.save(path)
    info = load_workbook(path).info
    assert (info.title, info.period, info.level, info.end_date) == ("十月总结", "quarterly", "department", dt.date(2026, 9, 30))
    assert info.introduction is None
    assert info.extra == {"审核人": "赵总"}


def test_unknown_period_and_level_list_the_valid_values(make_workbook):
    path = make_workbook({"报告信息": [["项目", "内容"], ["周期", "半年报"], ["层级", "公司"], ["语言", "日文"]]})
    period, level, language = (str(p) for p in problems_of(path))
    assert "sheet '报告信息', cell B2" in period and "found “半年报”" in period
    assert "日报, 周报, 月报, 季报, 年报 / daily, weekly, monthly, quarterly, annual" in period
    assert "cell B3" in level and "个人, 团队, 部门 / individual, team, department" in level
    assert "cell B4" in language and "中文, 英文 / zh, en" in language


def test_info_key_given_twice(make_workbook):
    path = make_workbook({"报告信息": [["周期", "月报"], ["Period", "weekly"]]})
    message = only_problem(path)
    assert "sheet '报告信息', cell A2" in message and "given twice (first in A1)" in message


def test_bad_info_date(make_workbook):
    path = make_workbook({"报告信息": [["开始日期", "2026-13-01"]]})
    assert "sheet '报告信息', cell B1" in only_problem(path)


def test_an_end_date_before_the_start_date_is_refused_at_its_cell(make_workbook):
    # Typed a month back: the report would be titled one month and due by another.
    path = make_workbook({"报告信息": [["开始日期", "2026-10-01"], ["结束日期", "2026-09-30"]]})
    message = only_problem(path)
    assert "sheet '报告信息', cell B2: the end date is before the start date (2026-10-01)" in message
    assert "expected a date on or after 2026-10-01; found “2026-09-30”" in message


# Formulas and error cells


def test_formula_without_cached_value_names_the_cell_and_says_to_save(make_workbook):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数"], ["展会", 10, "=B2*0.2"]]})
    message = only_problem(path)
    assert "sheet '客户开发', cell C2" in message
    assert "=B2*0.2" in message
    assert "Excel, WPS or LibreOffice" in message and "save" in message


def test_formula_with_cached_value_uses_the_value(make_workbook):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数"], ["展会", 10, "=B2*0.2"]]})
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<f>B2*0.2</f><v></v>", "<f>B2*0.2</f><v>2</v>"))
    assert load_workbook(path).pipeline[0].deals == 2.0


def test_error_cells_name_the_cell(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["销售额", "万元", 100, "#DIV/0!"], ["回款", "万元", "#REF!", 9]]})
    problems = [str(p) for p in problems_of(path)]
    assert len(problems) == 2
    assert "cell D2" in problems[0] and "#DIV/0!" in problems[0]
    assert "cell C3" in problems[1] and "#REF!" in problems[1]


def test_formulas_in_unused_columns_do_not_matter(make_workbook):
    path = make_workbook({"客户开发": [["渠道", "线索数", "成交数", "转化率"], ["展会", 10, 2, "=C2/B2"]]})
    assert load_workbook(path).pipeline[0].deals == 2.0


# All at once, and the file itself


def test_every_problem_is_reported_at_once(make_workbook):
    path = make_workbook({
        "报告信息": [["周期", "每月"]],
        "目标达成": [TARGET_HEADER[:4], ["销售额", "万元", "一千", 960], ["新增客户", "家", 20, "=B3"]],
        "客户流失": [["客户", "是否挽回"], ["华兴", "也许"]],
        "Targets ": [["Indicator", "Target", "Actual"]],
        "行动计划": [["负责人", "完成时限"], ["王芳", "2026-02-30"]],
    })
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    report = str(raised.value)
    # The actions sheet lacks its 措施 column and holds an impossible date: both are reported.
    assert f"{path.name} has 7 problems" in report
    for where in ("sheet '报告信息', cell B1", "sheet '目标达成', cell C2", "sheet '目标达成', cell D3",
                  "sheet '客户流失', cell B2", "sheet 'Targets '", "sheet '行动计划', cell A1:B1",
                  "sheet '行动计划', cell B2"):
        assert where in report
    assert all(problem.location.file == str(path) for problem in raised.value.problems)


def test_file_level_problems_are_workbook_errors(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="CSV"):
        load_workbook(path)


def test_the_input_file_is_not_changed(tmp_path):
    path = tmp_path / "input.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标达成"
    sheet["A1"] = "标题"
    sheet.merge_cells("A1:D1")
    sheet.append(TARGET_HEADER[:4])
    sheet.append(["销售额", "万元", 100, "=C3*0.9"])
    book.save(path)
    before, modified = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(InvalidWorkbook):
        load_workbook(path)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == modified


# Where each row was read: docgen check names the cell of a finding


def test_every_section_row_knows_its_sheet_row_and_columns(make_workbook):
    path = make_workbook({
        "报告信息": [["项目", "内容"], ["周期", "月报"], ["结束日期", "2026-10-31"]],
        "目标达成": [["10月目标"], [], TARGET_HEADER, ["销售额", "万元", 100, 90], [None] * 7, ["新增客户", "家", 5, 6]],
        "数据核对": [["指标", "销售系统", "财务系统"], ["销售额", 90, 89]],
    })
    book = load_workbook(path)
    targets = book.places["targets"]
    assert (targets.sheet, targets.header_row, targets.rows) == ("目标达成", 3, (4, 6))
    assert targets.cell(1, "actual") == "D6" and targets.cell(0, "note") == "G4"
    assert targets.cell(2, "actual") is None and targets.cell(0, "person") is None
    assert book.places["info"].cells == {"period": "B2", "end_date": "B3"}
    assert book.places["reconcile"].columns == {"indicator": "A", "销售系统": "B", "财务系统": "C"}


def test_an_empty_actual_is_left_to_docgen_check(make_workbook):
    path = make_workbook({"目标达成": [TARGET_HEADER[:4], ["销售额", "万元", 100, None]]})
    assert load_workbook(path).targets[0].actual is None


def test_the_instructions_sheet_is_not_a_section(make_workbook):
    path = make_workbook({"填写说明": [["请按说明填写"], ["第二行"]], "Targets": [TARGET_HEADER[:4], ["销售额", "万元", 1, 1]]})
    book = load_workbook(path)
    assert book.present == ("targets",) and book.generic == ()
