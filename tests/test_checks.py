"""docgen check's findings: one workbook seeded with every finding, each asserted with its code, cell and message."""

import datetime as dt
import re
import string
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.report import checks
from docgen.report.checks import CheckRules, Finding, check_workbook
from docgen.report.indicators import core_indicators
from docgen.report.vague import vague_words
from docgen.input.model import Action, ReportInfo, SalesWorkbook, Target
from docgen.input.workbook import load_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_inputs"
LATE = dt.date(2026, 11, 9)
ON_TIME = dt.date(2026, 11, 2)

INTRO = "本月团队围绕年度冲刺目标开展工作，重点推进大客户签约与回款。" * 12  # 360 characters

# One instance of every finding, each in a cell of its own (the comment names the code).
SEEDED = {
    "报告信息": [
        ["项目", "内容"],
        ["团队", "销售一组"],
        ["姓名", "王芳"],
        ["层级", "团队"],
        ["周期", "月报"],
        ["开始日期", "2026-10-01"],
        ["结束日期", "2026-10-31"],  # B7: due 3 November, checked on the 9th (DG601)
        ["货币单位", "万元"],
        ["语言", "中文"],
        ["引言", INTRO],  # B10 (DG106)
    ],
    "目标达成": [
        ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
        ["销售额", "万元", 1000, 900, 880, 850, None],  # G2: 90% with no reason (DG103)
        ["新增客户", "家", 20, None, 18, 15, None],  # D3: no actual (DG102)
        ["复购率", "%", 0.35, 0.36, 0.33, 0.30, None],
        ["回款额", "元", 500, 520, 480, 450, "回款有所提升"],  # B5: 元 converted into 万元 (DG108); G5: vague (DG105)
        ["出口额", "美元", 100, 98, 90, 80, None],  # B6: 美元 beside 万元 (DG104)
        ["客单价", "万元", 9.5, 0.0087, 9.1, 8.8, "中小客户占比上升"],  # D7: a thousandth of its target (DG107)
        ["营业收入", "%", 0.2, 0.21, 0.19, 0.18, None],  # B8: sales by another name, in % (DG110)
        ["客单价", "万元", 9.5, 9.6, 9.1, 8.8, None],  # A9: the row of A7 again (DG111)
        # A10: no churn rate (DG101)
    ],
    "市场动态": [["事件", "影响", "来源", "应对"], ["竞品降价10%", "中小客户观望", None, "推出返利方案"]],  # C2 (DG402)
    "问题反思": [
        ["现象", "原因", "影响", "类型", "对策"],
        ["回款周期拉长", None, "现金流承压", "内部", "建立回款周跟踪表"],  # B2 (DG201)
        ["电话营销转化低", "话术培训不足", None, "内部", "开展话术集训"],  # C3 (DG202)
        ["骨干离职", "薪酬缺乏竞争力", "两家客户交接不畅", None, "调整激励方案"],  # D4 (DG204); only internal (DG203)
    ],
    "行动计划": [
        ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"],
        ["A-01", "拜访重点客户", None, "2026-11-20", "签约两家", "进行中"],  # C2 (DG301)
        ["A-02", "话术集训", "王芳", None, "转化率提升至15%", "未开始"],  # D3 (DG302)
        ["A-03", "季度复盘", "王芳", "2026-11-25", None, "未开始"],  # E4 (DG303)
        ["A-04", "制定年度规划", "王芳", "2027-01-15", "规划经审批", "未开始"],  # D5 (DG304)
        # B6: last period's P-09 has gone (DG305)
    ],
    "团队贡献": [["成员", "贡献事项", "业绩", "占比"], ["李明", "签约大客户", 500, 0.6], ["王芳", "带教新人", 400, 0.3],
             ["合计", None, 900, 0.9]],  # A4: the sheet's own total, not a member (DG112)
    "数据核对": [["指标", "销售系统", "财务系统"], ["销售额", 900, 880]],  # B2:C2 (DG401)
}
SEPTEMBER = {
    "报告信息": [["项目", "内容"], ["周期", "月报"], ["层级", "团队"]],
    "行动计划": [
        ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"],
        ["A-01", "拜访重点客户", "李明", "2026-10-20", "签约两家", "进行中"],
        ["P-09", "老客户回访", "张伟", "2026-10-25", "回访20家", "进行中"],
    ],
}

EXPECTED = [
    ("DG101", "error", "目标达成", "A10",
     "核心指标“流失率”未列入目标达成表，报告须完整呈现销售额、新增客户、复购率、流失率，不能选择性汇报。"
     "请在“目标达成”表增加“流失率”一行，填写目标和实际。"),
    ("DG102", "error", "目标达成", "D3",
     "指标“新增客户”有目标但没有实际完成数。请填写实际值；确实无法取得时，在说明列写明原因。"),
    ("DG103", "warning", "目标达成", "G2",
     "指标“销售额”目标达成率仅90.0%，偏离目标超过5.0%，但没有说明原因。请在说明列写明未达成的原因。"),
    ("DG104", "warning", "目标达成", "B6",
     "报告中出现多种货币单位（万元、美元）：指标“出口额”的单位是“美元”，而报告的货币单位是“万元”。请把金额统一换算为“万元”。"),
    ("DG105", "info", "目标达成", "G5",
     "“有所提升”是含糊的趋势词，读者无法判断变化大小。请写明幅度，例如“小幅增长2.5%”“显著增长12.0%”或“基本持平（+0.8%）”。"),
    ("DG106", "warning", "报告信息", "B10",
     "引言有360个字，超过300字。请只保留期间、目标和背景，压缩到300字以内。"),
    ("DG107", "warning", "目标达成", "D7",
     "指标“客单价”的“实际”为0.0087万元，是“目标”（9.5万元）的约1/1,092，很可能是输入错误。docgen 暂按0.0087万元计算。"
     "请核对该单元格；如数据属实，请在说明列注明原因。"),
    ("DG108", "info", "目标达成", "B5", "指标“回款额”的单位是“元”，已换算为报告的货币单位“万元”（1元 = 0.0001万元）。"),
    ("DG110", "warning", "目标达成", "B8",
     "指标“营业收入”的单位是“%”（百分比），而营业收入应以金额计，很可能是单位填错了。docgen 暂按“%”计算，报告会写成“21.0%”。"
     "请改正单位列；如数据确实以“%”计，请改用能说明这一点的指标名。"),
    ("DG111", "error", "目标达成", "A9",
     "指标“客单价”在目标达成表出现了2次（A7、A9），报告会把每一行都写一遍，读者会读到不同的“客单价”。"
     "请删除多余的行，或给各行起能区分它们的指标名。"),
    ("DG112", "info", "团队贡献", "A4",
     "“合计”是表中自带的合计，docgen 不把它当作一条数据，报告中的合计和占比都由各行算出。如果它其实是一条数据，请给它改个名字。"),
    ("DG201", "warning", "问题反思", "B2",
     "问题“回款周期拉长”没有写明原因。每个问题应写成“现象—原因—影响”，请填写原因。"),
    ("DG202", "warning", "问题反思", "C3",
     "问题“电话营销转化低”没有写明影响。每个问题应写成“现象—原因—影响”，请填写影响。"),
    ("DG203", "info", "问题反思", "D2:D4",
     "两个问题都归为内部原因，没有一个涉及外部因素。请补充外部原因，或核对问题的类型。"),
    ("DG204", "info", "问题反思", "D4", "问题“骨干离职”没有标注内部或外部。请在类型列选择“内部”或“外部”。"),
    ("DG301", "warning", "行动计划", "C2", "行动“拜访重点客户”没有负责人。请填写负责人。"),
    ("DG302", "warning", "行动计划", "D3", "行动“话术集训”没有完成时限。请填写完成日期。"),
    ("DG303", "warning", "行动计划", "E4", "行动“季度复盘”没有验收标准。请写明怎样算完成（可衡量的结果）。"),
    ("DG304", "warning", "行动计划", "D5",
     "行动“制定年度规划”的完成时限2027年1月15日不在下一期（2026年11月1日至2026年11月30日）之内。"
     "请把时限定在下一期内，或拆分为下一期内可验收的步骤。"),
    ("DG305", "warning", "行动计划", "B6",
     "上期行动“老客户回访”（P-09）在本期行动计划中消失了，没有交代状态（上期状态：进行中）。"
     "请在行动计划表中保留这一行并填写当前状态（已完成、进行中或已取消）。"),
    ("DG401", "error", "数据核对", "B2:C2",
     "指标“销售额”各系统数据差异2.2%，超出0.5%的容差（销售系统900.0万元、财务系统880.0万元）。"
     "请核实各系统的统计口径，并在报告中说明差异原因。"),
    ("DG402", "info", "市场动态", "C2",
     "市场动态“竞品降价10%”没有注明来源。请在来源列填写提供信息的部门或系统，例如市场部、财务系统。"),
    ("DG501", "error", "团队贡献", "D2:D3", "团队贡献的占比合计为90.0%，应约为100%。请核对占比列，或留空由业绩自动计算。"),
    ("DG601", "warning", "报告信息", "B7", "本报告应于2026年11月3日前报送，今天（2026年11月9日）已逾期6天。"),
]


@pytest.fixture
def seeded(make_workbook):
    current = load_workbook(make_workbook(SEEDED, "2026-10.xlsx"))
    previous = load_workbook(make_workbook(SEPTEMBER, "2026-09.xlsx"))
    return current, previous


def findings_of(workbook, *, previous=None, lang="zh", today=LATE, level="team", period="monthly", **rules):
    return check_workbook(
        workbook, period=period, level=level, lang=lang, today=today, previous=previous, rules=CheckRules(**rules)
    )


def test_every_finding_with_its_code_severity_cell_and_message(seeded):
    current, previous = seeded
    found = [(f.code, f.severity, f.sheet, f.cell, f.message) for f in findings_of(current, previous=previous)]
    assert found == EXPECTED


def test_every_code_is_seeded():
    # DG502 needs a workbook without a team sheet, which the seeded one must have for DG501: see below.
    # DG001 and DG002 need a sheet not named as its section: tests/test_sheet_recognition.py.
    # DG109 needs a character openpyxl cannot write: tests/test_plausibility.py writes it into the XML.
    # DG403 needs a quarter or a year (the seeded workbook is a month), DG602 dates that are not the seeded
    # month's: see their own tests below.
    unseeded = ("DG001", "DG002", "DG109", "DG403", "DG502", "DG602")
    assert [code for code, *_ in EXPECTED] == [code for code in checks.CODES if code not in unseeded]


def test_a_workbook_without_a_team_sheet_is_told_its_team_part_is_empty():
    workbook = SalesWorkbook("x.xlsx", targets=(Target("销售额", "万元", 100, 100),))
    (found,) = [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG502"]
    assert (found.severity, found.sheet, found.cell) == ("warning", "团队贡献", None)
    assert found.message.startswith("工作簿没有“团队贡献”表，报告的团队贡献部分为空。")


def test_the_same_workbook_in_english_messages(seeded):
    current, previous = seeded
    found = {f.code: f for f in findings_of(current, previous=previous, lang="en")}
    assert found["DG101"].message == (
        "The core indicator 'Churn rate' is missing from the targets: a summary shows sales, new customers, "
        "repurchase rate and churn rate every time, not only the good ones. Add a row '流失率' with its "
        "target and actual to the '目标达成' sheet."  # the row as the workbook names its rows: in Chinese
    )
    assert found["DG103"].message == (
        "'销售额' reached only 90.0% of its target, more than 5.0% short, and no note gives the reason. "
        "Write the reason in the note column."
    )
    assert found["DG203"].message == (
        "The problems name only internal causes (two of them) and no external ones. "
        "Add the external side, or check each problem's type."
    )
    assert found["DG304"].message.startswith(
        "The action '制定年度规划' is due on 15 January 2027, outside the next period (1 November 2026 to 30 November 2026)."
    )
    assert found["DG601"].message == "This report was due by 3 November 2026; today (9 November 2026) it is 6 days late."
    assert (found["DG601"].sheet, found["DG601"].cell) == ("报告信息", "B7")


def test_without_last_periods_workbook_no_action_can_vanish(seeded):
    current, _previous = seeded
    assert "DG305" not in {f.code for f in findings_of(current)}


def test_a_report_made_by_its_due_date_is_not_late(seeded):
    current, _previous = seeded
    assert "DG601" not in {f.code for f in findings_of(current, today=dt.date(2026, 11, 3))}


def test_the_place_reads_as_excel_writes_it():
    assert Finding("DG103", "warning", "目标达成", "G2", "…").place == "目标达成!G2"
    assert Finding("DG101", "error", "Targets", None, "…").place == "Targets"
    assert str(Finding("DG103", "warning", "目标达成", "G2", "说明。")) == "warning DG103 目标达成!G2: 说明。"


# -- the samples


@pytest.mark.parametrize(
    "sample", ["华东销售一组-2026年10月-团队月报.xlsx", "alex-chen-2026-10-individual-monthly.xlsx"]
)
def test_the_samples_are_clean(sample):
    workbook = load_workbook(SAMPLES / sample)
    assert findings_of(workbook, today=ON_TIME, level=workbook.info.level, lang=workbook.info.language or "zh") == []


def test_the_department_sample_shows_its_reconciliation_gap():
    # The sample keeps one real gap (finance books 42万元 less sales) to show what the report says about it.
    workbook = load_workbook(SAMPLES / "华东大区-2026年10月-部门月报.xlsx")
    found = findings_of(workbook, today=ON_TIME, level="department")
    assert [(f.code, f.place) for f in found] == [("DG401", "数据核对!B2:D2")]
    assert "差异0.8%，超出0.5%的容差" in found[0].message


# -- rules that can be set


def test_the_core_indicators_are_configurable():
    workbook = SalesWorkbook("x.xlsx", targets=(Target("Sales", "USD", 10, 10), Target("回款率", "%", 0.9, 0.95)))
    rules = dict(core_indicators=core_indicators(["销售额", "回款率", "毛利率"]))
    found = findings_of(workbook, lang="en", today=ON_TIME, **rules)
    # 销售额 brings its aliases (Sales); an unknown name is matched as it is.
    assert [(f.code, f.message.split("'")[1]) for f in found if f.code != "DG502"] == [("DG101", "毛利率")]


def test_core_indicators_are_matched_by_alias_and_inside_longer_names():
    workbook = SalesWorkbook(
        "x.xlsx",
        targets=(
            Target("销售收入", "万元", 10, 10),
            Target("New accounts", "accounts", 3, 3),
            Target("重复购买率", "%", 0.3, 0.3),
            Target("客户流失率（月）", "%", 0.05, 0.04),
        ),
    )
    assert [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG101"] == []


def test_the_reconciliation_tolerance_and_the_deviation_threshold_are_configurable(seeded):
    current, _previous = seeded
    codes = {f.code for f in findings_of(current, tolerance=0.05, deviation=0.15)}
    assert "DG401" not in codes and "DG103" not in codes


def test_a_workbook_built_in_code_names_the_sheet_only():
    workbook = SalesWorkbook("x.xlsx", targets=(Target("销售额", "万元", 100, None),))
    found = [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG102"]
    assert [(f.sheet, f.cell) for f in found] == [("目标达成", None)]
    english = [f for f in findings_of(workbook, today=ON_TIME, lang="en") if f.code == "DG101"]
    assert english[0].sheet == "Targets"


def test_a_known_indicator_in_a_unit_it_is_never_counted_in_is_a_likely_slip():
    workbook = SalesWorkbook("x.xlsx", targets=(
        Target("销售额", "%", 10, 9.6),  # 1,000 and 960 typed in a row whose unit says %
        Target("新增客户", "万元", 20, 24),
        Target("复购率", "万元", 0.35, 0.38),
        Target("Churn rate", "accounts", 5, 4),
    ))  # fmt: skip
    found = [(f.code, f.message) for f in findings_of(workbook, today=ON_TIME) if f.code == "DG110"]
    assert [message.split("“")[1].split("”")[0] for _, message in found] == ["销售额", "新增客户", "复购率", "Churn rate"]
    assert "报告会写成“960.0%”" in found[0][1] and "应以金额计" in found[0][1]
    assert "应以数量计" in found[1][1] and "应以百分比计" in found[2][1]
    english = [f.message for f in findings_of(workbook, lang="en", today=ON_TIME) if f.code == "DG110"]
    assert english[0].startswith("The unit of '销售额' is '%' (a percentage), but 销售额 is counted in money")


def test_a_known_indicator_is_never_negative():
    workbook = SalesWorkbook("x.xlsx", targets=(Target("销售额", "万元", 1000, -960, 900), Target("净利润", "万元", 100, -20)))
    found = [f.message for f in findings_of(workbook, today=ON_TIME) if f.code == "DG107"]
    assert found == ["指标“销售额”的“实际”为-960万元，是负数，很可能是输入错误。docgen 暂按-960万元计算。"
                     "请核对该单元格；如数据属实，请在说明列注明原因。"]  # a profit may be negative: not doubted


def test_an_indicator_twice_for_one_salesperson_only_is_one_row_each():
    workbook = SalesWorkbook("x.xlsx", targets=(
        Target("销售额", "万元", 500, 480, person="李明"), Target("销售额", "万元", 500, 520, person="王芳"),
        Target("销售额", "万元", 1000, 1000),
    ))  # fmt: skip
    assert [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG111"] == []
    twice = replace(workbook, targets=workbook.targets + (Target("Sales ", "万元", 1000, 1100),))
    assert [f.code for f in findings_of(twice, today=ON_TIME) if f.code == "DG111"] == []  # another name
    again = replace(workbook, targets=workbook.targets + (Target(" 销售额", "万元", 1000, 1100),))
    assert [f.message.split("，")[0] for f in findings_of(again, today=ON_TIME) if f.code == "DG111"] == [
        "指标“销售额”在目标达成表出现了2次"  # a workbook built in code has no cells to name
    ]


def test_a_quarters_months_that_do_not_add_up_to_its_actual(make_workbook):
    info = [["项目", "内容"], ["层级", "团队"], ["周期", "季报"], ["开始日期", "2026-07-01"], ["结束日期", "2026-09-30"]]
    targets = [["指标", "单位", "目标", "实际"], ["销售额", "万元", 3000, 3100], ["客单价", "万元", 9, 9.2]]
    trend = [["指标", "7月", "8月", "9月"], ["销售额", 1000, 1020, 1280], ["客单价", 9.1, 9.2, 9.3]]
    workbook = load_workbook(make_workbook({"报告信息": info, "目标达成": targets, "月度趋势": trend}))
    found = [(f.cell, f.message) for f in findings_of(workbook, period="quarterly", today=ON_TIME) if f.code == "DG403"]
    assert found == [("B2:D2", "“销售额”各月合计3,300.0万元，而“目标达成”表的实际为3,100.0万元，相差6.5%："
                               "报告会同时写出这两个数。请核对是哪一处填错了。")]  # 客单价 is an average: never added up
    trend[1][3] = 1080  # now 3,100: no finding
    workbook = load_workbook(make_workbook({"报告信息": info, "目标达成": targets, "月度趋势": trend}, "fixed.xlsx"))
    assert [f for f in findings_of(workbook, period="quarterly", today=ON_TIME) if f.code == "DG403"] == []


@pytest.mark.parametrize("period, start, end, fits", [
    ("monthly", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "，更像季报"),  # a quarter typed as a month
    ("quarterly", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "，更像月报"),
    ("annual", dt.date(2026, 1, 1), dt.date(2026, 8, 31), ""),  # eight months fit no period
])  # fmt: skip
def test_dates_that_span_another_period_than_the_reports(period, start, end, fits):
    info = ReportInfo(period=period, level="team", start_date=start, end_date=end)
    workbook = SalesWorkbook("x.xlsx", info=info, targets=(Target("销售额", "万元", 100, 100),))
    [finding] = [f for f in findings_of(workbook, period=period, today=end) if f.code == "DG602"]
    assert finding.severity == "warning"
    assert f"跨{(end - start).days + 1}天{fits}：标题和“本期”的说法都按" in finding.message


def test_a_custom_span_near_its_periods_length_is_its_period():
    for period, start, end in (("monthly", dt.date(2026, 9, 26), dt.date(2026, 10, 25)),
                               ("weekly", dt.date(2026, 11, 2), dt.date(2026, 11, 6))):  # fmt: skip
        info = ReportInfo(period=period, level="team", start_date=start, end_date=end)
        workbook = SalesWorkbook("x.xlsx", info=info, targets=(Target("销售额", "万元", 100, 100),))
        assert [f for f in findings_of(workbook, period=period, today=end) if f.code == "DG602"] == []


def test_a_unit_that_fits_or_a_longer_name_is_not_a_slip():
    workbook = SalesWorkbook("x.xlsx", targets=(
        Target("销售额增长率", "%", 0.1, 0.12),  # holds 销售额, but is a rate by its own name
        Target("Sales", "deals", 40, 42),  # sales counted in deals, as English may
        Target("新增客户", "家", 20, 24),
        Target("流失率", "百分比", 0.05, 0.04),
        Target("回款额", "万元", 500, 520),
    ))  # fmt: skip
    assert [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG110"] == []


def test_a_missed_target_within_the_threshold_needs_no_note():
    workbook = SalesWorkbook("x.xlsx", targets=(Target("销售额", "万元", 100, 96),))
    assert "DG103" not in {f.code for f in findings_of(workbook, today=ON_TIME)}
    churn = SalesWorkbook("x.xlsx", targets=(Target("客户流失率", "%", 0.05, 0.07),))  # less is better: missed
    assert "DG103" in {f.code for f in findings_of(churn, today=ON_TIME)}


def test_an_individual_report_may_list_only_its_own_share():
    workbook = SalesWorkbook("x.xlsx", team=(replace(_member("Alex"), share=0.24),))
    assert "DG501" not in {f.code for f in findings_of(workbook, today=ON_TIME, level="individual")}
    assert "DG501" in {f.code for f in findings_of(workbook, today=ON_TIME, level="team")}


def _member(name):
    from docgen.input.model import TeamContribution

    return TeamContribution(name, "x", 100)


def test_done_or_cancelled_actions_may_keep_an_old_deadline():
    workbook = SalesWorkbook(
        "x.xlsx",
        info=ReportInfo(start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 31)),
        actions=(
            Action("A", owner="x", deadline=dt.date(2026, 10, 10), acceptance="y", status="已完成"),
            Action("B", owner="x", deadline=dt.date(2026, 10, 10), acceptance="y", status="进行中"),
        ),
    )
    found = [f for f in findings_of(workbook, today=ON_TIME) if f.code == "DG304"]
    assert [f.message.split("”")[0] for f in found] == ["行动“B"]


# -- vague words


@pytest.mark.parametrize(
    "text, words",
    [
        ("销售额有所提升", [("有所提升", "up")]),
        ("满意度稳中有升，回款略有下降", [("稳中有升", "up"), ("略有下降", "down")]),
        ("新增客户有一定的增长", [("有一定的增长", "up")]),
        ("一定程度上影响了签约", [("一定程度上", "neutral")]),
        ("Sales somewhat improved", [("somewhat improved", "up")]),
        ("Margins were slightly lower", [("slightly lower", "down")]),
        ("This helped to some extent", [("to some extent", "neutral")]),
        # A word with its figure says how large the change is.
        ("回款略有下降2.1%", []),
        ("Sales rose slightly (+2.1%)", []),
        ("环比增长6.7%", []),
        (None, []),
    ],
)
def test_vague_words(text, words):
    assert vague_words(text) == words


# -- the phrasebooks and the documentation


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_checks_phrasebooks_have_the_same_messages_and_placeholders():
    zh, en = checks.load_messages("zh"), checks.load_messages("en")
    assert zh.keys() == en.keys()
    for table in zh:
        assert zh[table].keys() == en[table].keys(), table
        for key in zh[table]:
            assert _placeholders(zh[table][key]) == _placeholders(en[table][key]), (table, key)
    assert set(zh["message"]) == set(checks.CODES)


DOC = ROOT / "docs" / "checks.md"


def test_docs_list_every_code_with_its_severity():
    text = DOC.read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `(DG\d{3})` \| (error|warning|info) \|", text, re.MULTILINE))
    assert listed == {code: severity for code, (severity, _) in checks.CODES.items()}
    assert f"`{checks.JSON_FORMAT}`" in text


def test_the_json_document(seeded):
    current, previous = seeded
    found = findings_of(current, previous=previous)
    document = checks.findings_document(
        found,
        workbook="2026-10.xlsx",
        previous="2026-09.xlsx",
        period="monthly",
        level="team",
        lang="zh",
        today=LATE,
        due_date=dt.date(2026, 11, 3),
    )
    assert list(document) == [
        "format", "workbook", "previous", "period", "level", "lang", "today", "due_date", "counts", "findings",
    ]  # fmt: skip
    assert document["format"] == "docgen-check/1"
    assert document["counts"] == {"error": 5, "warning": 13, "info": 6}
    assert document["findings"][0] == {
        "code": "DG101",
        "severity": "error",
        "sheet": "目标达成",
        "cell": "A10",
        "message": EXPECTED[0][4],
    }


def test_the_appendix_summary_counts_by_severity():
    found = [Finding("DG101", "error", "s", None, "m"), Finding("DG105", "info", "s", None, "m")]
    assert checks.appendix_summary(found, "zh") == "docgen 按销售工作总结的格式规则核查本报告，发现以下问题（错误1条，提示1条）。"
    assert checks.appendix_summary([], "en").endswith("found no issues.")


def test_the_row_to_add_is_named_in_the_workbooks_language_whatever_the_findings_are_told_in():
    english = SalesWorkbook("x.xlsx", targets=(Target("Sales", "CNY", 100, 100), Target("New customers", "accounts", 5, 6),
                                                Target("Repurchase rate", "%", 0.3, 0.3)))
    (told,) = [f for f in findings_of(english, today=ON_TIME, lang="zh") if f.code == "DG101"]
    assert told.message.startswith("核心指标“流失率”未列入目标达成表")
    assert "增加“Churn rate”一行" in told.message
