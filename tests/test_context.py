"""The template context: what templates can print, checked against docs/template-variables.md both ways."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.report.checks import Finding
from docgen.report.context import build_context, report_who
from docgen.input.model import (
    AccountTier,
    Action,
    Channel,
    FollowUp,
    GenericSection,
    Lesson,
    LostCustomer,
    MarketEvent,
    Problem,
    Reconciliation,
    ReportInfo,
    SalesWorkbook,
    Target,
    TeamContribution,
    TrendSeries,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "template-variables.md"
TODAY = dt.date(2026, 11, 2)
KNOWN = (
    "targets", "trend", "pipeline", "accounts", "churn", "followups",
    "market", "problems", "lessons", "actions", "team", "reconcile",
)  # fmt: skip


def sample_workbook(**changes) -> SalesWorkbook:
    """A monthly team workbook with every section: sales missed with a reason, one channel far ahead."""
    workbook = SalesWorkbook(
        source="华东销售一组-2026-10.xlsx",
        info=ReportInfo(
            organization="华东大区",
            region="华东",
            team="销售一组",
            author="王芳",
            level="team",
            period="monthly",
            start_date=dt.date(2026, 10, 1),
            end_date=dt.date(2026, 10, 31),
            currency_unit="万元",
            language="zh",
        ),
        targets=(
            Target("销售额", "万元", 1000, 960, 900, 850, "大客户回款延迟"),
            Target("新增客户", "家", 20, 24, 18, 15),
            Target("复购率", "%", 0.35, 0.38, 0.33, 0.30),
            Target("客户流失率", "%", 0.05, 0.04, 0.06, 0.07),
            Target("回款率", "%", 0.95, 0.92, 0.93, 0.90, "两家大客户付款审批延后"),
        ),
        trend=(
            TrendSeries("销售额", ("7月", "8月", "9月", "10月"), (1120, 1010, 940, 900)),
            TrendSeries("新增客户", ("7月", "8月", "9月", "10月"), (15, 16, 18, 24)),
        ),
        pipeline=(
            Channel("线上", 400, 100, 320),
            Channel("电话", 500, 40, 150),
            Channel("展会", 120, 18, 240, "秋季展"),
            Channel("老客户转介绍", 60, 21, 250),
        ),
        accounts=(
            AccountTier("A", 18, 0.95, "季度上门回访"),
            AccountTier("B", 42, 0.88, "月度电话回访"),
            AccountTier("C", 60, 0.78, "节日问候"),
        ),
        churn=(
            LostCustomer("华信科技", "价格竞争", 30, True, "提供阶梯折扣"),
            LostCustomer("远航物流", "价格竞争", 25, False),
            LostCustomer("启明教育", "服务响应慢", 30, False, "更换客户经理"),
        ),
        followups=(
            FollowUp(
                "华信科技", dt.date(2026, 10, 12), "上门拜访", "沟通年度采购计划", "对方确认11月下单", "准备报价单"
            ),
            FollowUp("启明教育", dt.date(2026, 10, 20), "电话", "续约谈判", "待定", "下周再访"),
        ),
        market=(
            MarketEvent("竞品A在华东区降价10%", "部分中小客户观望", "市场部", "推出季度返利方案"),
            MarketEvent("行业展会将于11月举办", "可集中获取线索", "行业协会通报", "提前预约展位"),
        ),
        problems=(
            Problem("回款周期拉长", "大客户付款审批流程变更", "本月销售额未达成目标", "internal", "建立回款周跟踪表"),
            Problem("中小客户流失增加", "竞品降价", "流失金额55万元", "external", "推出返利方案"),
        ),
        lessons=(Lesson("老客户转介绍", "成熟行业客户", "每季度举办客户答谢会", "转介绍转化率35%"),),
        actions=(
            Action("建立回款周跟踪表", "A1", "王芳", dt.date(2026, 11, 15), "逾期款项下降20%", "进行中"),
            Action("推出季度返利方案", "A2", "李明", dt.date(2026, 11, 30), "方案经审批并发布", "未开始"),
        ),
        team=(
            TeamContribution("李明", "签下两家大客户", 230),
            TeamContribution("王芳", "带教新人", 180),
            TeamContribution("张伟", "维护A类客户", 150),
            TeamContribution("赵磊", None, 120),
            TeamContribution("刘洋", None, 90),
            TeamContribution("陈静", None, 80),
            TeamContribution("杨帆", None, 60),
            TeamContribution("周婷", None, 50),
        ),
        reconcile=(
            Reconciliation("销售额", ("销售系统", "财务系统", "仓储系统"), (960, 948, 960)),
            Reconciliation("新增客户", ("销售系统", "财务系统", "仓储系统"), (24, 24, None)),
        ),
        generic=(
            GenericSection("下月重点客户", ("客户",), (("华信科技",), ("",), ("启明教育",))),
            GenericSection("费用明细", ("项目", "金额"), (("差旅", "3.2"), ("招待", "1.5"))),
        ),
        present=("info", *KNOWN, "generic:下月重点客户", "generic:费用明细"),
    )
    return replace(workbook, **changes)


def previous_workbook() -> SalesWorkbook:
    """September's workbook of the same team: the actions this report reviews."""
    return SalesWorkbook(
        source="华东销售一组-2026-09.xlsx",
        actions=(
            Action("建立回款周跟踪表", "A1", "王芳", dt.date(2026, 10, 15), "逾期款项下降20%", "未开始"),
            Action("清理呆滞库存", "S2", "张伟", dt.date(2026, 10, 20), "库存下降10%", "进行中"),
        ),
        present=("actions",),
    )


FINDINGS = (Finding("DG103", "warning", "目标达成", "G3", "指标“回款率”未说明原因。"),)


def context_for(
    workbook=None, *, period="monthly", level="team", lang="zh", today=TODAY, previous=..., findings=FINDINGS
) -> dict:
    previous = previous_workbook() if previous is ... else previous
    return build_context(
        workbook or sample_workbook(), period=period, level=level, lang=lang, today=today, previous=previous,
        findings=findings,
    )


# -- the documented API, both ways ---------------------------------------------------


def _without_parentheses(text: str) -> str:
    while True:
        shorter = re.sub(r"\([^()]*\)", "", text)
        if shorter == text:
            return text
        text = shorter


def documented_keys() -> tuple[set[str], dict[str, str]]:
    """The keys docs/template-variables.md lists, and the keys it says hold the rows of another."""
    blocks: dict[str, list[str]] = {}
    name = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{2,3} +(\S+)", line)
        if heading:
            name = heading.group(1)
            blocks[name] = []
        elif name:
            blocks[name].append(line)

    common = set()
    for line in blocks.pop("Sections"):
        cell = re.match(r"^\| `(\w+)` \|", line)
        if cell:
            common.add(cell.group(1))
    assert common == {"present", "summary", "points", "rows"}

    keys: set[str] = set()
    aliases: dict[str, str] = {}
    token = r"[\w.\[\]]+"
    for name, lines in blocks.items():
        if name in KNOWN:
            keys |= {f"{name}.{key}" for key in common}
        text = _without_parentheses("\n".join(lines))
        own = [k for k in re.findall(rf"`({token})`", text) if k == name or k.startswith((name + ".", name + "["))]
        keys |= {k.removesuffix("[]") for k in own}
        # "`targets.rows[]`: `indicator`, `unit`, …" up to the end of the sentence.
        lists = list(re.finditer(rf"`({token})`:", text))
        for here, following in zip(lists, lists[1:] + [None]):
            span = text[here.end() : following.start() if following else len(text)]
            span = re.split(r"\.(?:\s|$)", span, maxsplit=1)[0]
            keys |= {f"{here.group(1)}.{field}" for field in re.findall(r"`(\w+)`", span)}
        for sentence in re.split(r"\.\s", text):
            if "hold the same row dicts" in sentence:
                for alias in re.findall(rf"`({token})`", sentence):
                    aliases[alias] = f"{name}.rows"
        if not own and name not in KNOWN:
            keys.add(name)
    return keys, aliases


def produced_keys(value, prefix: str = "") -> set[str]:
    """Every path in the context: dict keys joined by dots, lists of dicts as `name[]`."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            paths |= produced_keys(item, f"{prefix}.{key}" if prefix else key)
        return paths
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        paths = {prefix}
        for item in value:
            paths |= produced_keys(item, prefix + "[]")
        return paths
    return {prefix}


def _normalised(paths: set[str], aliases: dict[str, str]) -> set[str]:
    result = set()
    for path in paths:
        for alias, rows in aliases.items():
            if path.startswith(alias + "[]"):
                path = rows + path[len(alias) :]
        result.add(path)
    return result


def test_the_doc_parser_reads_the_documented_keys():
    keys, aliases = documented_keys()
    assert {"report.title", "intro", "conclusion", "targets.present", "targets.rows[].achievement"} <= keys
    assert {"pipeline.total.conversion", "team.heading", "extra_sections[].as_table", "trend.labels"} <= keys
    # Values in parentheses are not keys.
    assert "targets.rows[].met" not in keys and "problems.rows[].internal" not in keys
    assert aliases == {
        "problems.internal": "problems.rows",
        "problems.external": "problems.rows",
        "targets.next_rows": "targets.rows",
        "market.competitors": "market.rows",
        "market.industry": "market.rows",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_key_the_code_produces_is_documented(lang):
    keys, aliases = documented_keys()
    produced = _normalised(produced_keys(context_for(lang=lang)), aliases)
    undocumented = sorted(produced - keys)
    assert not undocumented, f"add these to docs/template-variables.md: {undocumented}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_documented_key_is_produced(lang):
    keys, aliases = documented_keys()
    produced = _normalised(produced_keys(context_for(lang=lang)), aliases) | set(aliases)
    missing = sorted(k for k in keys if not any(p == k or p.startswith((k + ".", k + "[")) for p in produced))
    assert not missing, f"documented but not produced: {missing}"


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path + "[]")
    else:
        yield path, value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_values_are_ready_to_print(lang):
    for path, value in _leaves(context_for(lang=lang)):
        if path.rsplit(".", 1)[-1] in ("present", "within", "as_table", "figure_columns[]", "overdue", "compares_previous"):
            assert isinstance(value, bool), path
        else:
            assert isinstance(value, str), path
            assert not re.search(r"\b(nan|inf)\b|\binf%", value, re.IGNORECASE), (path, value)
            assert value != "None", path


# -- what a reader finds in the sentences ------------------------------------------


def test_report_metadata():
    report = context_for()["report"]
    assert report == {
        "title": "华东销售一组2026年10月销售工作总结",
        "organization": "华东大区",
        "region": "华东",
        "team": "销售一组",
        "author": "王芳",
        "level": "team",
        "level_label": "团队",
        "period": "monthly",
        "period_name": "月度",
        "period_label": "2026年10月",
        "start_date": "2026年10月1日",
        "end_date": "2026年10月31日",
        "generated_on": "2026年11月2日",
        "due_date": "2026年11月3日",
        "due_label": "2026年11月3日前报送（月报：次月3日前）",
        "currency_unit": "万元",
        "lang": "zh",
    }
    english = context_for(lang="en")["report"]
    assert english["title"] == "Sales Work Summary, October 2026 — 华东 销售一组"
    assert english["period_label"] == "October 2026"
    assert english["currency_unit"] == "CNY"
    assert english["level_label"] == "Team"


def test_the_info_sheet_title_and_introduction_are_used_as_given():
    long_intro = "本月团队围绕年度冲刺目标开展工作。" * 30
    workbook = sample_workbook(info=replace(sample_workbook().info, title="十月工作总结", introduction=long_intro))
    context = context_for(workbook)
    assert context["report"]["title"] == "十月工作总结"
    assert context["intro"] == long_intro


def test_the_written_introduction_and_conclusion():
    context = context_for()
    # The phrasing is one of the phrasebook's, picked by who and which period (docs/narrative.md).
    assert "华东销售一组2026年10月的销售工作" in context["intro"].split("。")[0]
    assert "销售额目标达成率96.0%" in context["intro"]
    assert len(context["intro"]) <= 300
    assert "回款周期拉长，根源在于大客户付款审批流程变更" in context["conclusion"]
    assert "建立回款周跟踪表和推出季度返利方案" in context["conclusion"]
    assert context_for()["conclusion"] == context["conclusion"]  # the same report reads the same each run


def test_a_run_of_monthly_reports_does_not_read_the_same():
    openings = set()
    for month in range(1, 13):
        info = replace(sample_workbook().info, start_date=dt.date(2026, month, 1), end_date=None)
        context = context_for(sample_workbook(info=info))
        openings.add((context["intro"].split("。")[0][:4], context["conclusion"][:4]))
    assert len(openings) >= 3


def test_targets_section():
    targets = context_for()["targets"]
    assert targets["present"] is True
    assert "达成率96.0%" in targets["summary"]
    assert "环比小幅增长6.7%，同比显著增长12.9%" in targets["summary"]
    assert "未达成目标的主要原因是大客户回款延迟" in targets["summary"]
    sales, _, repurchase, churn, _ = targets["rows"]
    assert sales == {
        "indicator": "销售额",
        "unit": "万元",
        "target": "1,000.0",
        "actual": "960.0",
        "achievement": "96.0%",
        "gap": "-40.0万元",
        "previous": "900.0",
        "mom": "+6.7%",
        "last_year": "850.0",
        "yoy": "+12.9%",
        "note": "大客户回款延迟",
        "status": "missed",
        "status_label": "未达成",
        "next_target": "",
        "next_change": "",
    }
    assert (repurchase["mom"], repurchase["gap"], repurchase["status_label"]) == (
        "+5.0个百分点",
        "+3.0个百分点",
        "达成",
    )
    assert (churn["achievement"], churn["status"]) == ("125.0%", "met")
    # The headline's sentence leads the summary; the points below the table are the other indicators'.
    assert len(targets["points"]) == 4
    assert not any(point in targets["summary"] for point in targets["points"])
    assert targets["compares_previous"] is True


def test_sections_tell_their_figures():
    context = context_for()
    assert context["trend"]["labels"] == ["7月", "8月", "9月", "10月"]
    assert context["trend"]["rows"][0]["sentence"] == "连续三个月下滑，降幅收窄至4.3%"
    assert context["trend"]["rows"][0]["figures"] == ["1,120.0", "1,010.0", "940.0", "900.0"]
    assert "老客户转介绍渠道转化率最高，达35.0%，远高于转化率最低的电话渠道（8.0%）" in context["pipeline"]["summary"]
    assert context["pipeline"]["total"] == {"leads": "1,080", "deals": "179", "amount": "960.0", "conversion": "16.6%"}
    assert context["accounts"]["rows"][2]["share"] == "50.0%"
    assert (
        context["churn"]["summary"]
        == "本月流失客户三家，涉及金额85.0万元，主要原因是价格竞争（两家）；已挽回一家（华信科技）。"
    )
    assert [r["recovered"] for r in context["churn"]["rows"]] == ["是", "否", "否"]
    assert context["followups"]["rows"][0]["date"] == "2026年10月12日"
    assert context["market"]["rows"][0]["sentence"].startswith("据市场部消息，竞品A在华东区降价10%")
    assert context["actions"]["rows"][1]["deadline"] == "2026年11月30日"


def test_problems_are_split_internal_and_external():
    problems = context_for()["problems"]
    assert [r["symptom"] for r in problems["internal"]] == ["回款周期拉长"]
    assert [r["symptom"] for r in problems["external"]] == ["中小客户流失增加"]
    assert problems["rows"][0]["kind_label"] == "内部"
    assert (
        problems["rows"][0]["sentence"]
        == "回款周期拉长，原因是大客户付款审批流程变更，由此带来的影响是本月销售额未达成目标。"
    )
    assert problems["points"][1].startswith("外部问题：中小客户流失增加")


def test_team_part_per_level():
    team = context_for()["team"]
    assert team["heading"] == "成员贡献"
    assert team["summary"].startswith("李明")
    assert "占团队业绩逾两成（24.0%）；前三名合计占近六成（58.3%）" in team["summary"]
    assert team["rows"][0] == {
        "member": "李明",
        "contribution": "签下两家大客户",
        "value": "230.0",
        "share": "24.0%",
        "rank": "1",
    }
    individual = context_for(level="individual")["team"]
    assert individual["heading"] == "对团队的贡献"
    assert individual["summary"].startswith("本月王芳对团队的贡献：带教新人。个人业绩180.0万元")
    assert context_for(level="department", lang="en")["team"]["heading"] == "Team contributions"
    assert context_for(level="individual")["report"]["title"] == "王芳2026年10月个人销售工作总结"


def test_reconciliation():
    reconcile = context_for()["reconcile"]
    assert reconcile["sources"] == ["销售系统", "财务系统", "仓储系统"]
    sales, customers = reconcile["rows"]
    assert (sales["gap"], sales["within"], sales["within_label"]) == ("1.3%", False, "存在差异")  # 12 of 960: 1.25%, half up
    assert (customers["figures"], customers["within_label"]) == (["24", "24", "不适用"], "一致")
    assert "销售额在各系统间存在差异，差异率1.3%" in reconcile["summary"]


def test_unknown_sheets_become_extra_sections_in_workbook_order():
    extra = context_for()["extra_sections"]
    assert [e["title"] for e in extra] == ["下月重点客户", "费用明细"]
    assert extra[0]["as_table"] is False
    assert extra[0]["paragraphs"] == ["华信科技", "启明教育"]
    assert extra[1]["as_table"] is True
    assert extra[1]["rows"] == [["差旅", "3.2"], ["招待", "1.5"]]
    assert extra[1]["paragraphs"] == []


def test_english_context_reads_in_english():
    context = context_for(lang="en")
    assert "an achievement rate of 96.0%" in context["targets"]["summary"]
    assert context["targets"]["rows"][0]["unit"] == "CNY"
    assert context["targets"]["rows"][0]["actual"] == "9,600,000"
    assert context["team"]["summary"].startswith("李明 contributed the most, 24.0% of the team's result")
    assert context["market"]["rows"][0]["sentence"].startswith("According to 市场部, ")
    assert context["churn"]["rows"][0]["recovered"] == "Yes"


# -- missing and odd input -----------------------------------------------------


def test_missing_sections_are_absent_with_empty_lists():
    minimal = SalesWorkbook(
        source="in.xlsx",
        info=ReportInfo(team="销售一组", currency_unit="万元"),
        targets=(Target("销售额", "万元", 1000, 960),),
        present=("info", "targets"),
    )
    context = context_for(minimal)
    assert context["targets"]["present"] is True
    for key in KNOWN[1:]:
        section = context[key]
        assert section["present"] is False, key
        # The team part always stands (SPEC rule 7), so it says why it is empty.
        summary = "本期工作簿未提供团队贡献数据（“团队贡献”表），本部分暂缺。" if key == "team" else ""
        assert (section["summary"], section["points"], section["rows"]) == (summary, [], []), key
    assert context["trend"]["labels"] == [] and context["reconcile"]["sources"] == []
    assert context["problems"]["internal"] == [] and context["problems"]["external"] == []
    assert context["pipeline"]["total"] == {"leads": "", "deals": "", "amount": "", "conversion": ""}
    assert context["extra_sections"] == []
    assert context["conclusion"] in ("总体来看，本月销售额目标达成率96.0%。", "综合来看，本月销售额目标达成率96.0%。",
                                     "回顾本月，销售额目标达成率96.0%。")  # fmt: skip


def test_a_sheet_with_only_its_header_is_present_but_has_no_rows():
    workbook = sample_workbook(churn=(), team=())
    context = context_for(workbook)
    assert context["churn"]["present"] is True
    assert context["churn"]["summary"] == "本月无客户流失。"
    assert context["churn"]["rows"] == []
    assert (context["team"]["present"], context["team"]["summary"], context["team"]["rows"]) == (True, "", [])


def test_no_dates_on_the_info_sheet_means_the_period_is_worked_out_from_today():
    workbook = sample_workbook(info=replace(sample_workbook().info, start_date=None, end_date=None))
    report = context_for(workbook, today=dt.date(2026, 11, 2))["report"]
    assert (report["period_label"], report["start_date"], report["end_date"]) == (
        "2026年10月",
        "2026年10月1日",
        "2026年10月31日",
    )
    weekly = context_for(workbook, period="weekly", lang="en", today=dt.date(2026, 10, 28))["report"]
    assert weekly["period_label"] == "Week 44, 2026"
    assert weekly["title"] == "Sales Work Summary, Week 44, 2026 — 华东 销售一组"


@pytest.mark.parametrize("period", ["daily", "weekly", "monthly", "quarterly", "annual"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_period_and_language_builds(period, lang):
    context = context_for(period=period, lang=lang)
    assert context["report"]["period"] == period
    assert context["targets"]["summary"]


def test_degenerate_figures_never_crash_or_print_inf():
    odd = [None, 0, -5, math.nan, math.inf]
    workbook = sample_workbook(
        info=ReportInfo(),
        targets=tuple(
            Target(f"指标{i}", unit, t, a, p, y)
            for i, (unit, t, a, p, y) in enumerate(
                [("万元", *odd[:4]), ("%", *odd[1:5]), ("家", *odd[2:5], None), (None, math.inf, 5, 0, -1)]
            )
        ),
        trend=(TrendSeries("指标0", ("1月", "2月", "3月"), (0, math.nan, -1)),),
        pipeline=(Channel("线上", 0, 5), Channel("电话", math.inf, None, math.nan)),
        accounts=(AccountTier("A", 0), AccountTier("B", None, math.nan)),
        churn=(LostCustomer("x", amount=math.inf),),
        team=(TeamContribution("甲", value=0), TeamContribution("乙", value=math.nan, share=math.inf)),
        reconcile=(Reconciliation("指标0", ("a", "b"), (math.nan, -3)),),
    )
    for lang in ("zh", "en"):
        for level in ("individual", "team"):
            context = context_for(workbook, lang=lang, level=level)
            for path, value in _leaves(context):
                if isinstance(value, str):
                    assert not re.search(r"\b(nan|inf)\b|\binf%", value, re.IGNORECASE), (path, value)


# -- what the quarterly and annual templates add -------------------------------------------


def test_market_share_is_the_targets_row_named_so_said_in_a_sentence():
    share = Target("市场份额", "%", 0.12, 0.125, 0.12, 0.112, "据行业协会年度统计")
    workbook = sample_workbook(targets=(*sample_workbook().targets, share))
    context = context_for(workbook, period="annual", level="department")
    assert context["market_share"] == {
        "present": True,
        "indicator": "市场份额",
        "actual": "12.5%",
        "target": "12.0%",
        "last_year": "11.2%",
        "yoy": "+1.3个百分点",
        "status_label": "达成",
        "sentence": "本年度市场份额为12.5%，达到目标（12.0%），较上年同期显著增长1.3个百分点。说明：据行业协会年度统计。",
    }
    english = context_for(workbook, period="annual", level="department", lang="en")["market_share"]["sentence"]
    assert english.startswith("This year, 市场份额 stood at 12.5%, meeting the target of 12.0%, and grew markedly (+1.3 pp)")
    assert context_for()["market_share"]["present"] is False


def test_next_period_targets_come_from_the_optional_column():
    targets = (Target("销售额", "万元", 1000, 960, 900, 850, next_target=1150), Target("复购率", "%", 0.35, 0.38, next_target=0.40))
    rows = context_for(sample_workbook(targets=targets))["targets"]["next_rows"]
    assert [(r["indicator"], r["actual"], r["next_target"], r["next_change"]) for r in rows] == [
        ("销售额", "960.0", "1,150.0", "+19.8%"),
        ("复购率", "38.0%", "40.0%", "+2.0个百分点"),
    ]
    assert context_for()["targets"]["next_rows"] == []


def test_market_events_are_split_into_competitors_and_industry():
    market = context_for()["market"]
    assert [r["event"] for r in market["competitors"]] == ["竞品A在华东区降价10%"]
    assert [r["event"] for r in market["industry"]] == ["行业展会将于11月举办"]


def test_charts_are_empty_until_the_renderer_draws_them():
    assert context_for()["charts"] == {"trend": ""}


def test_an_annual_report_compares_with_the_year_before_once():
    targets = context_for(period="annual")["targets"]
    assert targets["compares_previous"] is False
    assert {row["mom"] for row in targets["rows"]} == {"不适用"}  # not the 同比 figure a second time
    assert targets["rows"][0]["yoy"] == "+12.9%"
    assert "环比" not in targets["summary"] + "".join(targets["points"])


@pytest.mark.parametrize(
    ("region", "team", "lang", "who"),
    [("华南大区", "华南销售二组", "zh", "华南销售二组"), ("华南大区", "华南销售二组", "en", "华南销售二组"),
     ("East", "East Team 1", "en", "East Team 1"), ("华东大区", "销售一组", "zh", "华东大区销售一组"),
     ("East Region", "Team 2", "en", "East Region Team 2")],  # fmt: skip
)
def test_the_region_is_said_once_when_the_teams_name_holds_it(region, team, lang, who):
    info = replace(sample_workbook().info, region=region, team=team)
    assert report_who(sample_workbook(info=info), "team", lang) == who
