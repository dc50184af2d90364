"""Builds docgen's built-in Word templates (templates/docx/) from the content specs below.

    python scripts/build_templates.py           # write the templates
    python scripts/build_templates.py --check   # exit 1 and list the files that differ

The templates are docxtpl (Jinja-in-Word) documents. They use only the variables
documented in docs/template-variables.md. Edit this script, not the .docx files:
a test fails when a committed template differs from what this script builds.

How the file reads: typography (fonts and sizes per language) → words (every
label per language) → blocks (a small vocabulary: heading, text, bullets,
table, condition, loop) → content specs (which blocks a period and level
use) → the writer that turns a spec into a .docx with python-docx.
To add a period, write a spec function like `monthly_spec` and list it in
PERIOD_SPECS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from lxml import etree

from docgen.input.schema import LANGUAGES, LEVELS

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"

# Fixed so that a rebuild gives byte-identical XML; the date only marks the
# template generation, the rendered report carries its own dates.
BUILD_DATE = dt.datetime(2026, 1, 1, 0, 0, 0)

# A4 portrait with 2.5 cm side margins: a 16 cm text width that tables fill.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7
MARGIN_SIDE_CM, MARGIN_TOP_CM, MARGIN_BOTTOM_CM = 2.5, 2.54, 2.54
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_SIDE_CM
TWIPS_PER_CM = 1440 / 2.54


def twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)


# --------------------------------------------------------------------------
# Typography: the fonts, sizes and colours of one language's templates.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Typography:
    body_latin: str
    body_east_asian: str
    heading_latin: str
    heading_east_asian: str
    body_size: float  # points
    table_size: float
    small_size: float  # header, footer, captions
    title_size: float
    heading_sizes: tuple[float, float]
    line_spacing: float  # multiple of single
    body_first_line_chars: int  # first-line indent of body text, in characters
    body_space_after: float  # points
    heading_bold: bool
    heading_color: str
    heading_numbers: tuple[tuple[str, str], tuple[str, str]]  # (numFmt, lvlText) per level
    heading_number_suffix: str  # what follows the number: nothing / space / tab
    table_header_fill: str
    table_border_color: str


TYPOGRAPHY = {
    # 宋体 小四 body at 1.5 lines with a two-character indent, 黑体 headings
    # numbered 一、/（一）: the look a Chinese reader expects of a work summary.
    "zh": Typography(
        body_latin="Times New Roman",
        body_east_asian="SimSun",
        heading_latin="Arial",
        heading_east_asian="SimHei",
        body_size=12,
        table_size=10.5,
        small_size=9,
        title_size=18,  # 小二: a department quarter's title (二十余字) on one line
        heading_sizes=(16, 14),
        line_spacing=1.5,
        body_first_line_chars=2,
        body_space_after=0,
        heading_bold=False,  # 黑体 is already heavy; a synthetic bold smudges it
        heading_color="000000",
        heading_numbers=(("chineseCounting", "%1、"), ("chineseCounting", "（%2）")),
        heading_number_suffix="nothing",
        table_header_fill="DCE6F2",
        table_border_color="595959",
    ),
    # East Asian fonts are set too, so Chinese names in the data still render.
    "en": Typography(
        body_latin="Calibri",
        body_east_asian="SimSun",
        heading_latin="Cambria",
        heading_east_asian="SimHei",
        body_size=11,
        table_size=10,
        small_size=9,
        title_size=26,
        heading_sizes=(16, 13),
        line_spacing=1.15,
        body_first_line_chars=0,
        body_space_after=6,
        heading_bold=True,
        heading_color="1F3864",
        heading_numbers=(("decimal", "%1."), ("decimal", "%1.%2")),
        heading_number_suffix="space",
        table_header_fill="DCE6F2",
        table_border_color="808080",
    ),
}


# --------------------------------------------------------------------------
# Words: every label the templates print, per language. Level-specific words
# are keyed by level.
# --------------------------------------------------------------------------

WORDS: dict[str, dict] = {
    "zh": {
        "subtitle": "{{ report.period_name }}销售工作总结（{{ report.level_label }}）",
        "cover": {
            "organization": "单位",
            "region": "区域",
            "team": "团队",
            "period": "报告期间",
            "dates": "起止日期",
            "level": "报告层级",
            "author": "报告人",
            "date": "报告日期",
            "due": "报送时限",
        },
        "period_range": "{{ report.start_date }}至{{ report.end_date }}",
        # Header text: left part, a tab, then the part that sits at the right margin.
        "header": "{{ report.organization }}\t{{ report.period_label }}销售工作总结",
        "team_header": "团队贡献\t{{ report.organization }}｜{{ report.period_label }}",
        "page": ("第 ", " 页 / 共 ", " 页"),
        "sign_off": "报告人：{{ report.author }}",
        "intro": "引言",
        "targets": "目标达成情况",
        "results": "业绩分析",
        "customers": "客户资源管理",
        "accounts": "客户分层维护",
        "churn": "客户流失与挽回",
        "followups": "重点客户跟进",
        "lessons": "经验提炼",
        "plan": "下期计划",
        "reconcile": "数据核对",
        "conclusion": "结语",
        "problems": "问题与反思",
        "internal": "内部原因",
        "external": "外部因素",
        "unclassified": "其他问题",
        "total": "合计",
        "solution": "（对策：{{ row.solution.rstrip('。') }}）",
        "separator": "：",
        "targets_caption": {
            "individual": "本人核心指标一览",
            "team": "团队核心指标一览（成员合计）",
            "department": "部门核心指标一览（各团队合计）",
        },
        "columns": {
            "indicator": "指标",
            "unit": "单位",
            "target": "目标",
            "actual": "实际",
            "achievement": "达成率",
            "mom": "环比",
            "yoy": "同比",
            "status": "状态",
            "channel": "渠道",
            "leads": "线索数",
            "deals": "成交数",
            "conversion": "转化率",
            "amount": "成交金额（{{ report.currency_unit }}）",
            "tier": "客户层级",
            "customers": "客户数",
            "share": "占比",
            "satisfaction": "满意度",
            "upkeep": "维护措施",
            "customer": "客户",
            "reason": "流失原因",
            "lost_amount": "涉及金额（{{ report.currency_unit }}）",
            "recovered": "是否挽回",
            "measure": "挽回措施",
            "date": "日期",
            "way": "方式",
            "content": "跟进内容",
            "result": "结果",
            "next_step": "下一步",
            "id": "序号",
            "action": "措施",
            "owner": "负责人",
            "deadline": "完成时限",
            "acceptance": "验收标准",
            "gap": "差异",
            "within": "结论",
            "member": "成员",
            "member_team": "团队",
            "contribution": "贡献事项",
            "value": "业绩（{{ report.currency_unit }}）",
            "rank": "排名",
            "status_now": "当前状态",
            "actual_now": "本期实际",
            "next_target": "下期目标",
            "next_change": "较本期",
            "practice": "做法",
            "applies_to": "适用场景",
            "steps": "做法步骤",
            "code": "代码",
            "severity": "级别",
            "place": "位置",
            "message": "说明",
        },
        # Column widths in cm of the fixed tables, each summing to the 16 cm text width.
        "widths": {
            "targets": (2.1, 1.2, 1.9, 1.9, 1.7, 2.9, 2.9, 1.4),
            "pipeline": (3.6, 2.4, 2.4, 2.4, 5.2),
            "accounts": (2.0, 2.4, 2.0, 2.6, 7.0),
            "churn": (3.0, 3.6, 3.4, 2.2, 3.8),
            "followups": (2.8, 3.7, 2.0, 2.8, 2.4, 2.3),  # 上海瑞丰集团, 2026年12月10日 and 上门拜访 each on one line
            "followups_brief": (2.8, 3.6, 4.7, 4.9),
            "actions": (1.9, 4.7, 1.7, 3.6, 4.1),  # an id such as Q4-01 on one line
            "team": (2.2, 7.4, 2.8, 2.2, 1.4),
            "targets_brief": (3.6, 1.6, 2.6, 2.6, 2.6, 3.0),
            "targets_annual": (2.8, 1.2, 2.5, 2.5, 2.0, 3.0, 2.0),  # 同比 as wide as the monthly table's: +2.2个百分点 on one line
            "followups_day": (3.2, 2.0, 5.8, 5.0),
            "review": (1.2, 5.2, 1.9, 3.3, 4.4),
            "next_targets": (3.6, 1.6, 3.4, 3.4, 4.0),
            "lessons": (3.2, 3.6, 5.4, 3.8),
            "findings": (1.6, 1.4, 3.4, 9.6),
        },
        "team_caption": {"team": "成员贡献一览", "department": "各团队贡献一览"},
        "pipeline_caption": "各渠道线索与成交",
        "actions_caption": "下期行动计划",
        "reconcile_caption": "各系统数据对照",
        # Monthly reports review the month's data and its key events (SPEC rule 9).
        "template_title": "{period}{level}销售工作总结模板",
        "levels": {"individual": "个人", "team": "团队", "department": "部门"},
        "monthly": {
            "name": "月度",
            "trend": "业绩走势",
            "pipeline": "客户开发与转化",
            "market": "市场动态与关键事件",
            "trend_caption": "核心指标分期走势",
            "review": "上月行动回顾",
        },
        # Daily: the day's follow-ups and what has to happen next, short (SPEC rule 9).
        "daily": {
            "name": "每日",
            "intro": "今日概况",
            "targets": "今日指标",
            "followups": "客户跟进",
            "pipeline": "今日新增线索",
            "market": "市场信息",
            "problems": "问题与需协调事项",
            "review": "昨日待办回顾",
            "plan": "明日工作",
            "next_steps": "跟进下一步",
            "actions": "待办事项",
            "conclusion": "小结",
        },
        # Weekly: stage progress: new prospects, deals moving, next week's focus.
        "weekly": {
            "name": "每周",
            "intro": "本周概况",
            "targets": "本周目标达成",
            "progress": "阶段进展",
            "prospects": "新增商机",
            "deals": "成交推进",
            "trend": "周内走势",
            "trend_caption": "核心指标逐日走势",
            "customers": "客户维护",
            "market": "市场信息",
            "review": "上周行动回顾",
            "plan": "下周工作重点",
            "conclusion": "小结",
        },
        # Quarterly: the months' trend in words and a chart, strategy and last quarter's actions reviewed.
        "quarterly": {
            "name": "季度",
            "targets": "季度目标达成情况",
            "trend": "季度走势",
            "trend_caption": "核心指标逐月走势",
            "chart_caption": "图：{{ report.period_label }}核心指标逐月走势",
            "pipeline": "客户开发与转化",
            "review": "上季度行动回顾",
            "strategy": "策略回顾",
            "strategy_caption": "本季度有效做法",
            "market": "市场动态",
            "plan": "下季度计划",
            "next_targets": "下季度目标",
        },
        # Annual: strategic goals, market share, the industry and competitors, next year's plan.
        "annual": {
            "name": "年度",
            "targets": "年度战略目标达成",
            "market_share": "市场份额",
            "trend": "全年业绩走势",
            "chart_caption": "图：{{ report.period_label }}核心指标逐月走势",
            "pipeline": "客户开发与转化",
            "review": "上年度行动回顾",
            "industry": "行业与竞争趋势",
            "industry_trends": "行业趋势",
            "competitors": "竞争态势",
            "plan": "下年度目标与计划",
            "next_targets": "下年度目标",
        },
        "review_status": "{{ row.status }}{% if row.overdue %}（{{ row.overdue_label }}）{% endif %}",
        "review_caption": "上期行动完成情况",
        "next_step_line": "{{ row.customer }}：{{ row.next_step }}",
        "findings": "附录：检查发现",
        "brief_meta": "{{ report.organization }}{% if report.team %}｜{{ report.team }}{% endif %}{% if report.author %}｜报告人：{{ report.author }}{% endif %}｜{{ report.period_label }}",
        "brief_due": "{{ report.due_label }}",
    },
    "en": {
        "subtitle": "{{ report.period_name }} sales summary ({{ report.level_label }})",
        "cover": {
            "organization": "Organization",
            "region": "Region",
            "team": "Team",
            "period": "Period",
            "dates": "Dates",
            "level": "Level",
            "author": "Author",
            "date": "Date",
            "due": "Due",
        },
        "period_range": "{{ report.start_date }} to {{ report.end_date }}",
        "header": "{{ report.organization }}\tSales summary, {{ report.period_label }}",
        "team_header": "Team contribution\t{{ report.organization }} | {{ report.period_label }}",
        "page": ("Page ", " of ", ""),
        "sign_off": "{{ report.author }}",
        "intro": "Introduction",
        "targets": "Targets",
        "results": "Results analysis",
        "customers": "Customer management",
        "accounts": "Customer tiers",
        "churn": "Churn and recovery",
        "followups": "Key account follow-ups",
        "lessons": "Lessons learned",
        "plan": "Plan for the next period",
        "reconcile": "Data reconciliation",
        "conclusion": "Conclusion",
        "problems": "Problems and causes",
        "internal": "Internal causes",
        "external": "External factors",
        "unclassified": "Other problems",
        "total": "Total",
        "solution": " Remedy: {{ row.solution.rstrip('.') }}.",
        "separator": ": ",
        "targets_caption": {
            "individual": "My core indicators",
            "team": "Team core indicators (all members)",
            "department": "Department core indicators (all teams)",
        },
        "columns": {
            "indicator": "Indicator",
            "unit": "Unit",
            "target": "Target",
            "actual": "Actual",
            "achievement": "Achieved",
            "mom": "MoM",
            "yoy": "YoY",
            "status": "Status",
            "channel": "Channel",
            "leads": "Leads",
            "deals": "Deals",
            "conversion": "Conversion",
            "amount": "Amount ({{ report.currency_unit }})",
            "tier": "Tier",
            "customers": "Customers",
            "share": "Share",
            "satisfaction": "Satisfaction",
            "upkeep": "Upkeep",
            "customer": "Customer",
            "reason": "Reason",
            "lost_amount": "Amount ({{ report.currency_unit }})",
            "recovered": "Recovered",
            "measure": "Measure",
            "date": "Date",
            "way": "Way",
            "content": "Content",
            "result": "Result",
            "next_step": "Next step",
            "id": "No.",
            "action": "Action",
            "owner": "Owner",
            "deadline": "Deadline",
            "acceptance": "Acceptance",
            "gap": "Gap",
            "within": "Check",
            "member": "Member",
            "member_team": "Team",
            "contribution": "Contribution",
            "value": "Value ({{ report.currency_unit }})",
            "rank": "Rank",
            "status_now": "Status now",
            "actual_now": "Actual",
            "next_target": "Next target",
            "next_change": "Change",
            "practice": "Practice",
            "applies_to": "Applies to",
            "steps": "Steps",
            "code": "Code",
            "severity": "Severity",
            "place": "Place",
            "message": "Message",
        },
        # English labels and figures run longer than Chinese ones.
        "widths": {
            # Targets and actuals in whole yuan or dollars run to nine characters (2,900,000).
            "targets": (2.8, 1.9, 2.1, 2.1, 2.1, 1.7, 1.7, 1.6),
            "pipeline": (3.6, 2.2, 2.2, 2.6, 5.4),
            "accounts": (1.6, 2.4, 2.0, 2.8, 7.2),
            "churn": (3.0, 3.6, 3.0, 2.4, 4.0),
            "followups": (2.6, 3.2, 2.2, 2.8, 2.4, 2.8),  # "Video call"
            "followups_brief": (3.0, 3.2, 4.8, 5.0),
            "actions": (1.4, 4.4, 2.4, 3.8, 4.0),  # "20 November 2026"
            "team": (2.8, 6.8, 2.8, 2.0, 1.6),
            "targets_brief": (4.0, 1.8, 2.5, 2.5, 2.6, 2.6),
            "targets_annual": (3.0, 2.0, 2.2, 2.2, 2.2, 2.3, 2.1),  # a unit such as "accounts" on one line
            "followups_day": (3.4, 2.2, 5.4, 5.0),
            "review": (1.4, 5.0, 2.2, 3.2, 4.2),
            "next_targets": (3.6, 1.8, 3.4, 3.4, 3.8),
            "lessons": (3.2, 3.6, 5.4, 3.8),
            "findings": (1.6, 1.8, 3.4, 9.2),
        },
        "team_caption": {"team": "Contribution by member", "department": "Contribution by team"},
        "pipeline_caption": "Leads and deals by channel",
        "actions_caption": "Actions for the next period",
        "reconcile_caption": "Figures by source system",
        "template_title": "{period} {level} sales summary template",
        "levels": {"individual": "individual", "team": "team", "department": "department"},
        "monthly": {
            "name": "Monthly",
            "trend": "Trend",
            "pipeline": "Prospecting and conversion",
            "market": "Market and key events",
            "trend_caption": "Core indicators period by period",
            "review": "Review of last month's actions",
        },
        "daily": {
            "name": "Daily",
            "intro": "The day at a glance",
            "targets": "Today's figures",
            "followups": "Customer follow-ups",
            "pipeline": "New leads today",
            "market": "Market news",
            "problems": "Issues needing help",
            "review": "Yesterday's to-dos",
            "plan": "Next steps",
            "next_steps": "Follow-up next steps",
            "actions": "To-do list",
            "conclusion": "Summary",
        },
        "weekly": {
            "name": "Weekly",
            "intro": "The week at a glance",
            "targets": "Targets this week",
            "progress": "Stage progress",
            "prospects": "New prospects",
            "deals": "Deals moving",
            "trend": "Through the week",
            "trend_caption": "Core indicators day by day",
            "customers": "Customer care",
            "market": "Market news",
            "review": "Review of last week's actions",
            "plan": "Focus for next week",
            "conclusion": "Summary",
        },
        "quarterly": {
            "name": "Quarterly",
            "targets": "Targets for the quarter",
            "trend": "The quarter month by month",
            "trend_caption": "Core indicators month by month",
            "chart_caption": "Figure: core indicators month by month, {{ report.period_label }}",
            "pipeline": "Prospecting and conversion",
            "review": "Review of last quarter's actions",
            "strategy": "Strategy review",
            "strategy_caption": "What worked this quarter",
            "market": "Market and key events",
            "plan": "Plan for next quarter",
            "next_targets": "Targets for next quarter",
        },
        "annual": {
            "name": "Annual",
            "targets": "Strategic goals against targets",
            "market_share": "Market share",
            "trend": "The year month by month",
            "chart_caption": "Figure: core indicators month by month, {{ report.period_label }}",
            "pipeline": "Prospecting and conversion",
            "review": "Review of last year's actions",
            "industry": "Industry and competitor trends",
            "industry_trends": "Industry trends",
            "competitors": "Competitors",
            "plan": "Next year's targets and plan",
            "next_targets": "Targets for next year",
        },
        "review_status": "{{ row.status }}{% if row.overdue %} ({{ row.overdue_label }}){% endif %}",
        "review_caption": "Last period's actions and their status",
        "next_step_line": "{{ row.customer }}: {{ row.next_step }}",
        "findings": "Appendix: check findings",
        "brief_meta": "{{ report.organization }}{% if report.team %} | {{ report.team }}{% endif %}{% if report.author %} | {{ report.author }}{% endif %} | {{ report.period_label }}",
        "brief_due": "Due {{ report.due_label }}",
    },
}


# --------------------------------------------------------------------------
# Blocks: what a template is made of. Text fields hold docxtpl/Jinja text.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Text:
    text: str
    style: str = "Body Text"
    when: str | None = None  # leave the paragraph out unless this is true


@dataclass(frozen=True)
class Bullets:
    """One bullet per item of a list: `{%p for var in items %}`."""

    items: str
    text: str = "{{ item }}"
    var: str = "item"


@dataclass(frozen=True)
class Column:
    header: str
    cell: str  # the body cell's text, e.g. "{{ row.target }}"
    width_cm: float = 0
    figure: bool = False  # numbers sit right-aligned


@dataclass(frozen=True)
class Spread:
    """Columns repeated once per item of a list (docxtpl `{%tc for %}`)."""

    header_loop: str  # e.g. "label in trend.labels"
    header: str  # e.g. "{{ label }}"
    cell_loop: str  # e.g. "value in row.figures"
    cell: str
    figure: bool = False
    figure_when: str | None = None  # right-align the cell only when this is true (a generic table's number columns)


@dataclass(frozen=True)
class Table:
    """A styled table, one body row per item of `rows`; absent when `rows` is empty."""

    rows: str
    columns: tuple[Union[Column, Spread], ...]
    caption: str | None = None
    total: tuple[str, ...] = ()  # cells of a closing total row

    @property
    def spreads(self) -> bool:
        return any(isinstance(column, Spread) for column in self.columns)


@dataclass(frozen=True)
class When:
    condition: str
    blocks: tuple
    otherwise: tuple = ()


@dataclass(frozen=True)
class Each:
    loop: str  # e.g. "extra in extra_sections"
    blocks: tuple


@dataclass(frozen=True)
class Picture:
    """A picture from the context (a chart), centred, with its caption below; absent when it is ""."""

    image: str  # e.g. "charts.trend"
    caption: str


Block = Union[Heading, Text, Bullets, Table, When, Each, Picture]


@dataclass(frozen=True)
class TemplateSpec:
    period: str
    level: str
    lang: str
    title: str  # the template file's document title
    main: tuple  # cover and report body, first Word section
    sign_off: tuple[str, ...]  # closing lines; the last carries the section break
    team_part: tuple  # the team contribution part, second Word section
    cover_page: bool = True  # False: a title block on the first page (daily and weekly reports are short)

    @property
    def filename(self) -> str:
        return f"{self.period}-{self.level}.{self.lang}.docx"


# --------------------------------------------------------------------------
# Content specs: the sections a report has, shared by every period, with
# period and level choosing what each section shows.
#
# Each section says its figures in words: its summary, then its points (one
# sentence per row or fact). A table is added where a reader scans many rows
# or compares figures; the points are then left out when they only repeat the
# table row by row, so nothing is said twice. The core-indicator table keeps
# its points: they carry the reasons for deviations (SPEC rules 3 and 4).
# --------------------------------------------------------------------------


def _cover(words: dict) -> tuple:
    label = words["cover"]

    def line(key: str, value: str, when: str | None = None) -> Text:
        return Text(f"{label[key]}{words['separator']}\t{value}", style="Cover Info", when=when)

    return (
        Text("{{ report.title }}", style="Title"),
        Text(words["subtitle"], style="Subtitle"),
        line("organization", "{{ report.organization }}"),
        line("region", "{{ report.region }}", when="report.region"),
        line("team", "{{ report.team }}", when="report.team"),
        line("period", "{{ report.period_label }}"),
        line("dates", words["period_range"], when="report.start_date and report.end_date"),
        line("level", "{{ report.level_label }}"),
        line("author", "{{ report.author }}", when="report.author"),  # a roll-up has no author
        line("date", "{{ report.generated_on }}"),
        line("due", "{{ report.due_label }}"),
    )


def _brief_cover(words: dict) -> tuple:
    """The title block of a short report: title, subtitle and one line of who and when, on the first page."""
    return (
        Text("{{ report.title }}", style="Brief Title"),
        Text(words["subtitle"], style="Brief Subtitle"),
        Text(words["brief_meta"], style="Brief Meta"),
        Text(words["brief_due"], style="Brief Meta"),
    )


def _summary(key: str) -> Text:
    return Text(f"{{{{ {key}.summary }}}}", when=f"{key}.summary")


def _points(key: str) -> Bullets:
    return Bullets(f"{key}.points")


def _columns(words: dict, table: str, cells: tuple[tuple[str, str, bool], ...]) -> tuple[Column, ...]:
    """Fixed columns from (label key, body cell, is a figure), sized by the language's widths."""
    widths = words["widths"][table]
    if len(widths) != len(cells) or abs(sum(widths) - TEXT_WIDTH_CM) > 0.05:
        raise ValueError(f"the {table} widths must give {len(cells)} columns filling {TEXT_WIDTH_CM} cm")
    return tuple(
        Column(words["columns"][key], cell, width, figure) for (key, cell, figure), width in zip(cells, widths)
    )


def _targets(words: dict, level: str, heading: str | None = None, brief: bool = False, yearly: bool = False) -> When:
    """The core-indicator panorama (SPEC rule 4).

    `brief` (a day's figures) leaves out 环比, 同比 and the sentence per
    indicator: the summary already gives the headline and its reason.
    `yearly` leaves out 环比: a year is compared with the year before once.
    """
    cells = (
        ("indicator", "{{ row.indicator }}", False),
        ("unit", "{{ row.unit }}", False),
        ("target", "{{ row.target }}", True),
        ("actual", "{{ row.actual }}", True),
        ("achievement", "{{ row.achievement }}", True),
        ("mom", "{{ row.mom }}", True),
        ("yoy", "{{ row.yoy }}", True),
        ("status", "{{ row.status_label }}", False),
    )
    if brief:
        cells = tuple(cell for cell in cells if cell[0] not in ("mom", "yoy"))
    elif yearly:
        cells = tuple(cell for cell in cells if cell[0] != "mom")
    table = Table(
        "targets.rows",
        _columns(words, "targets_brief" if brief else "targets_annual" if yearly else "targets", cells),
        caption=words["targets_caption"][level],
    )
    points = () if brief else (_points("targets"),)
    return When("targets.present", (Heading(heading or words["targets"]), _summary("targets"), table, *points))


def _trend(
    words: dict, period_words: dict, level: str, *, heading_level: int = 2, table: bool | None = None, chart: bool = False
) -> When:
    blocks: tuple = (Heading(period_words["trend"], heading_level), _summary("trend"))
    if chart:
        blocks += (Picture("charts.trend", period_words["chart_caption"]),)
    # A person reads their own trend in words; a lead comparing several
    # indicators across the weeks also wants the figures side by side.
    if table is None:
        table = level != "individual"
    if table:
        blocks += (
            Table(
                "trend.rows",
                (
                    Column(words["columns"]["indicator"], "{{ row.indicator }}"),
                    Spread("label in trend.labels", "{{ label }}", "value in row.figures", "{{ value }}", figure=True),
                ),
                caption=period_words["trend_caption"],
            ),
        )
    return When("trend.present", blocks + (_points("trend"),))


def _pipeline(words: dict, period_words: dict, heading: str | None = None, heading_level: int = 2) -> When:
    table = Table(
        "pipeline.rows",
        _columns(
            words,
            "pipeline",
            (
                ("channel", "{{ row.channel }}", False),
                ("leads", "{{ row.leads }}", True),
                ("deals", "{{ row.deals }}", True),
                ("conversion", "{{ row.conversion }}", True),
                ("amount", "{{ row.amount }}", True),
            ),
        ),
        caption=words["pipeline_caption"],
        total=(
            words["total"],
            "{{ pipeline.total.leads }}",
            "{{ pipeline.total.deals }}",
            "{{ pipeline.total.conversion }}",
            "{{ pipeline.total.amount }}",
        ),
    )
    return When(
        "pipeline.present",
        (Heading(heading or period_words["pipeline"], heading_level), _summary("pipeline"), table, _points("pipeline")),
    )


def _results(words: dict, period_words: dict, level: str) -> When:
    return When(
        "trend.present or pipeline.present",
        (Heading(words["results"]), _trend(words, period_words, level), _pipeline(words, period_words)),
    )


def _followups(words: dict, level: str, heading: str | None = None) -> When:
    blocks: tuple = (Heading(heading or words["followups"], 2), _summary("followups"))
    # An individual lists every follow-up with its next step; a team lead
    # reviews outcomes; a department reads the narrative only.
    if level == "individual":
        blocks += (
            Table(
                "followups.rows",
                _columns(
                    words,
                    "followups",
                    (
                        ("customer", "{{ row.customer }}", False),
                        ("date", "{{ row.date }}", False),
                        ("way", "{{ row.way }}", False),
                        ("content", "{{ row.content }}", False),
                        ("result", "{{ row.result }}", False),
                        ("next_step", "{{ row.next_step }}", False),
                    ),
                ),
            ),
        )
    elif level == "team":
        blocks += (
            Table(
                "followups.rows",
                _columns(
                    words,
                    "followups_brief",
                    (
                        ("customer", "{{ row.customer }}", False),
                        ("date", "{{ row.date }}", False),
                        ("result", "{{ row.result }}", False),
                        ("next_step", "{{ row.next_step }}", False),
                    ),
                ),
            ),
        )
    return When("followups.present", blocks)


def _customers(words: dict, level: str, heading: str | None = None, with_followups: bool = True) -> When:
    accounts = When(
        "accounts.present",
        (
            Heading(words["accounts"], 2),
            _summary("accounts"),
            Table(
                "accounts.rows",
                _columns(
                    words,
                    "accounts",
                    (
                        ("tier", "{{ row.tier }}", False),
                        ("customers", "{{ row.customers }}", True),
                        ("share", "{{ row.share }}", True),
                        ("satisfaction", "{{ row.satisfaction }}", True),
                        ("upkeep", "{{ row.upkeep }}", False),
                    ),
                ),
            ),
        ),
    )
    # A person tells each lost customer's story in a sentence; a team or
    # department, with more of them, lists them in a table.
    if level == "individual":
        lost: tuple = (_points("churn"),)
    else:
        lost = (
            Table(
                "churn.rows",
                _columns(
                    words,
                    "churn",
                    (
                        ("customer", "{{ row.customer }}", False),
                        ("reason", "{{ row.reason }}", False),
                        ("lost_amount", "{{ row.amount }}", True),
                        ("recovered", "{{ row.recovered }}", False),
                        ("measure", "{{ row.measure }}", False),
                    ),
                ),
            ),
        )
    churn = When("churn.present", (Heading(words["churn"], 2), _summary("churn"), *lost))
    if not with_followups:
        return When("accounts.present or churn.present", (Heading(heading or words["customers"]), accounts, churn))
    return When(
        "accounts.present or churn.present or followups.present",
        (Heading(heading or words["customers"]), accounts, churn, _followups(words, level)),
    )


def _market(period_words: dict) -> When:
    # Each event's sentence names its source and the response (SPEC rule 8).
    return When(
        "market.present",
        (Heading(period_words["market"]), _summary("market"), Bullets("market.rows", "{{ row.sentence }}", var="row")),
    )


def _problems(words: dict) -> When:
    problem = f"{{{{ row.sentence }}}}{{% if row.solution %}}{words['solution']}{{% endif %}}"
    unclassified = 'problems.rows|rejectattr("kind")|list'

    def group(title: str, rows: str) -> When:
        return When(rows, (Heading(title, 2), Bullets(rows, problem, var="row")))

    return When(
        "problems.present",
        (
            Heading(words["problems"]),
            _summary("problems"),
            group(words["internal"], "problems.internal"),
            group(words["external"], "problems.external"),
            group(words["unclassified"], unclassified),
        ),
    )


def _lessons(words: dict) -> When:
    return When(
        "lessons.present",
        (
            Heading(words["lessons"]),
            _summary("lessons"),
            Bullets("lessons.rows", "{{ row.sentence }}", var="row"),
        ),
    )


def _next_targets(words: dict, caption: str | None = None) -> Table:
    """Next period's targets beside this period's actuals, from the optional 下期目标 column."""
    return Table(
        "targets.next_rows",
        _columns(
            words,
            "next_targets",
            (
                ("indicator", "{{ row.indicator }}", False),
                ("unit", "{{ row.unit }}", False),
                ("actual_now", "{{ row.actual }}", True),
                ("next_target", "{{ row.next_target }}", True),
                ("next_change", "{{ row.next_change }}", True),
            ),
        ),
        caption=caption,
    )


def _plan(words: dict, heading: str | None = None, next_targets: str | None = None) -> When:
    """Next period's targets (when the sheet sets them) and the actions, each checkable (SPEC rule 6)."""
    return When(
        "actions.present or targets.next_rows",
        (
            Heading(heading or words["plan"]),
            _summary("actions"),
            _next_targets(words, next_targets),
            _plan_actions_table(words, words["actions_caption"]),
        ),
    )


def _review(words: dict, period_words: dict) -> When:
    """Last period's actions with their status now: the closed loop (SPEC rule 6), given --previous."""
    table = Table(
        "review.rows",
        _columns(
            words,
            "review",
            (
                ("id", "{{ row.id }}", False),
                ("action", "{{ row.action }}", False),
                ("owner", "{{ row.owner }}", False),
                ("deadline", "{{ row.deadline }}", False),
                ("status_now", words["review_status"], False),
            ),
        ),
        caption=words["review_caption"],
    )
    return When("review.present", (Heading(period_words["review"]), _summary("review"), table))


def _findings(words: dict) -> When:
    """docgen check's findings, when a run asks for them as an appendix (--findings-appendix)."""
    table = Table(
        "findings.rows",
        _columns(
            words,
            "findings",
            (
                ("code", "{{ row.code }}", False),
                ("severity", "{{ row.severity_label }}", False),
                ("place", "{{ row.place }}", False),
                ("message", "{{ row.message }}", False),
            ),
        ),
    )
    return When("findings.present", (Heading(words["findings"]), Text("{{ findings.summary }}"), table))


def _reconcile(words: dict) -> When:
    col = words["columns"]
    table = Table(
        "reconcile.rows",
        (
            Column(col["indicator"], "{{ row.indicator }}"),
            Spread("source in reconcile.sources", "{{ source }}", "value in row.figures", "{{ value }}", figure=True),
            Column(col["gap"], "{{ row.gap }}", figure=True),
            Column(col["within"], "{{ row.within_label }}"),
        ),
        caption=words["reconcile_caption"],
    )
    return When(
        "reconcile.present",
        (Heading(words["reconcile"]), _summary("reconcile"), table),
    )


def _extra_sections() -> Each:
    """Sheets docgen does not know: the sheet's name as heading, its rows as a table."""
    table = Table(
        "extra.rows",
        (
            Spread(
                "column in extra.columns",
                "{{ column }}",
                "cell in row",
                "{{ cell }}",
                figure_when="extra.figure_columns[loop.index0]",
            ),
        ),
    )
    paragraphs = Each("text in extra.paragraphs", (Text("{{ text }}"),))
    return Each(
        "extra in extra_sections",
        (Heading("{{ extra.title }}"), When("extra.as_table", (table,), otherwise=(paragraphs,))),
    )


def _team_part(words: dict, level: str) -> tuple:
    """Always present: when the sheet is missing, the summary says so."""
    blocks: tuple = (Heading("{{ team.heading }}"), Text("{{ team.summary }}"))
    if level == "individual":
        # The summary says what the person did for the team; the points set
        # it among the team's contributions (each names its member). With the
        # person's own row alone they would only repeat the summary.
        return blocks + (When("team.rows|length > 1", (_points("team"),)),)
    members = Table(
        "team.rows",
        _columns(
            words,
            "team",
            (
                # A department's rows are its teams.
                ("member_team" if level == "department" else "member", "{{ row.member }}", False),
                ("contribution", "{{ row.contribution }}", False),
                ("value", "{{ row.value }}", True),
                ("share", "{{ row.share }}", True),
                ("rank", "{{ row.rank }}", True),
            ),
        ),
        caption=words["team_caption"][level],
    )
    return blocks + (members,)


def _spec(period: str, level: str, lang: str, main: tuple, *, cover_page: bool = True) -> TemplateSpec:
    """A template: the cover (or title block), the body, the sign-off and the team part with the findings appendix."""
    words = WORDS[lang]
    cover = _cover(words) if cover_page else _brief_cover(words)
    return TemplateSpec(
        period=period,
        level=level,
        lang=lang,
        title=words["template_title"].format(period=words[period]["name"], level=words["levels"][level]),
        main=cover + main,
        sign_off=(words["sign_off"], "{{ report.generated_on }}"),
        team_part=_team_part(words, level) + (_findings(words),),
        cover_page=cover_page,
    )


def _closing(words: dict, heading: str | None = None) -> tuple:
    """Sheets docgen does not know, then the conclusion."""
    return (_extra_sections(), Heading(heading or words["conclusion"]), Text("{{ conclusion }}", style="Closing Text"))


def daily_spec(level: str, lang: str) -> TemplateSpec:
    """A daily report: the day's follow-ups and what has to happen next, short (SPEC rule 9)."""
    words = WORDS[lang]
    day = words["daily"]
    # The day's follow-ups: what happened (the next steps have their own part).
    if level == "department":
        followups: tuple = (_summary("followups"), _points("followups"))
    else:
        table = Table(
            "followups.rows",
            _columns(
                words,
                "followups_day",
                (
                    ("customer", "{{ row.customer }}", False),
                    ("way", "{{ row.way }}", False),
                    ("content", "{{ row.content }}", False),
                    ("result", "{{ row.result }}", False),
                ),
            ),
        )
        followups = (_summary("followups"), table)
    next_steps = 'followups.rows|selectattr("next_step")|list'
    plan = When(
        f"{next_steps} or actions.present",
        (
            Heading(day["plan"]),
            When(next_steps, (Heading(day["next_steps"], 2), Bullets(next_steps, words["next_step_line"], var="row"))),
            When("actions.present", (Heading(day["actions"], 2), _plan_actions_table(words))),
        ),
    )
    main = (
        Heading(day["intro"]),
        Text("{{ intro }}"),
        _targets(words, level, heading=day["targets"], brief=True),
        _review(words, day),
        When("followups.present", (Heading(day["followups"]), *followups)),
        _pipeline(words, day, heading=day["pipeline"], heading_level=1),
        _market(day),
        When(
            "problems.present",
            (Heading(day["problems"]), _summary("problems"), Bullets("problems.points")),
        ),
        plan,
        *_closing(words, day["conclusion"]),
    )
    return _spec("daily", level, lang, main, cover_page=False)


def _plan_actions_table(words: dict, caption: str | None = None) -> Table:
    return Table(
        "actions.rows",
        _columns(
            words,
            "actions",
            (
                ("id", "{{ row.id }}", False),
                ("action", "{{ row.action }}", False),
                ("owner", "{{ row.owner }}", False),
                ("deadline", "{{ row.deadline }}", False),
                ("acceptance", "{{ row.acceptance }}", False),
            ),
        ),
        caption=caption,
    )


def weekly_spec(level: str, lang: str) -> TemplateSpec:
    """A weekly report: stage progress (new prospects, deals moving, follow-ups) and next week's focus."""
    words = WORDS[lang]
    week = words["weekly"]
    progress = When(
        "pipeline.present or followups.present or trend.present",
        (
            Heading(week["progress"]),
            _pipeline(words, week, heading=week["prospects"]),
            _followups(words, level, heading=week["deals"]),
            _trend(words, week, level),
        ),
    )
    main = (
        Heading(week["intro"]),
        Text("{{ intro }}"),
        _targets(words, level, heading=week["targets"]),
        progress,
        _review(words, week),
        _customers(words, level, heading=week["customers"], with_followups=False),
        _market(week),
        _problems(words),
        _lessons(words),
        _plan(words, heading=week["plan"]),
        _reconcile(words),
        *_closing(words, week["conclusion"]),
    )
    return _spec("weekly", level, lang, main, cover_page=False)


def monthly_spec(level: str, lang: str) -> TemplateSpec:
    """A monthly summary: the month's data review and its key events (SPEC rule 9)."""
    words = WORDS[lang]
    month = words["monthly"]
    main = (
        Heading(words["intro"]),
        Text("{{ intro }}"),
        _targets(words, level),
        _review(words, month),
        _results(words, month, level),
        _customers(words, level),
        _market(month),
        _problems(words),
        _lessons(words),
        _plan(words),
        _reconcile(words),
        *_closing(words),
    )
    return _spec("monthly", level, lang, main)


def _strategy(words: dict, quarter: dict) -> When:
    """What the quarter's ways of working achieved: the lessons sheet as practice, where, how and result."""
    table = Table(
        "lessons.rows",
        _columns(
            words,
            "lessons",
            (
                ("practice", "{{ row.practice }}", False),
                ("applies_to", "{{ row.applies_to }}", False),
                ("steps", "{{ row.steps }}", False),
                ("result", "{{ row.result }}", False),
            ),
        ),
        caption=quarter["strategy_caption"],
    )
    return When("lessons.present", (Heading(quarter["strategy"]), _summary("lessons"), table))


def quarterly_spec(level: str, lang: str) -> TemplateSpec:
    """A quarterly summary: the trend over the months (words, chart, table), strategy and last quarter's actions."""
    words = WORDS[lang]
    quarter = words["quarterly"]
    main = (
        Heading(words["intro"]),
        Text("{{ intro }}"),
        _targets(words, level, heading=quarter["targets"]),
        # Three months fit a table at every level, beside the chart.
        _trend(words, quarter, level, heading_level=1, table=True, chart=True),
        When("pipeline.present", (Heading(words["results"]), _pipeline(words, quarter))),
        _review(words, quarter),
        _strategy(words, quarter),
        _customers(words, level),
        _market(quarter),
        _problems(words),
        _plan(words, heading=quarter["plan"], next_targets=quarter["next_targets"]),
        _reconcile(words),
        *_closing(words),
    )
    return _spec("quarterly", level, lang, main)


def _industry(year: dict) -> When:
    """The industry and competitor module: the market sheet's events, the industry's and the competitors'."""
    return When(
        "market.present",
        (
            Heading(year["industry"]),
            _summary("market"),
            When(
                "market.industry",
                (Heading(year["industry_trends"], 2), Bullets("market.industry", "{{ row.sentence }}", var="row")),
            ),
            When(
                "market.competitors",
                (Heading(year["competitors"], 2), Bullets("market.competitors", "{{ row.sentence }}", var="row")),
            ),
        ),
    )


def annual_spec(level: str, lang: str) -> TemplateSpec:
    """An annual summary: strategic goals, market share, industry and competitors, next year's targets and plan."""
    words = WORDS[lang]
    year = words["annual"]
    main = (
        Heading(words["intro"]),
        Text("{{ intro }}"),
        _targets(words, level, heading=year["targets"], yearly=True),
        When("market_share.present", (Heading(year["market_share"]), Text("{{ market_share.sentence }}"))),
        # Twelve months do not fit a table beside the figures' labels; the chart carries them.
        _trend(words, year, level, heading_level=1, table=False, chart=True),
        When("pipeline.present", (Heading(words["results"]), _pipeline(words, year))),
        _review(words, year),
        _customers(words, level),
        _industry(year),
        _problems(words),
        _lessons(words),
        _plan(words, heading=year["plan"], next_targets=year["next_targets"]),
        _reconcile(words),
        *_closing(words),
    )
    return _spec("annual", level, lang, main)


# The periods whose templates are built, each from its content spec.
PERIOD_SPECS: dict[str, Callable[[str, str], TemplateSpec]] = {
    "daily": daily_spec,
    "weekly": weekly_spec,
    "monthly": monthly_spec,
    "quarterly": quarterly_spec,
    "annual": annual_spec,
}


def all_specs() -> list[TemplateSpec]:
    return [build(level, lang) for build in PERIOD_SPECS.values() for level in LEVELS for lang in LANGUAGES]


# --------------------------------------------------------------------------
# Styles: Normal, headings, body, lists, captions, tables, header and footer.
# --------------------------------------------------------------------------

W = nsdecls("w")


def _fonts_xml(latin: str, east_asian: str) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asian}" w:cs="{latin}"/>'


def _half_points(size: float) -> int:
    return round(size * 2)


def _run_props(
    fonts: tuple[str, str] | None = None,
    size: float | None = None,
    bold: bool | None = None,
    color: str | None = None,
    proofing_languages: bool = False,
) -> str:
    """A w:rPr in schema order."""
    parts = []
    if fonts:
        parts.append(_fonts_xml(*fonts))
    if bold is not None:
        value = "1" if bold else "0"
        parts.append(f'<w:b w:val="{value}"/><w:bCs w:val="{value}"/>')
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        parts.append(f'<w:sz w:val="{_half_points(size)}"/><w:szCs w:val="{_half_points(size)}"/>')
    if proofing_languages:
        # Latin text is proofed as English and East Asian text as Chinese, in
        # both languages' templates: a Chinese name can appear in either.
        parts.append('<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')
    return f"<w:rPr {W}>{''.join(parts)}</w:rPr>"


def _para_props(
    keep_next: bool = False,
    num: tuple[int, int] | None = None,  # (numId, ilvl)
    border_bottom: str | None = None,
    tabs: tuple[tuple[str, int], ...] = (),
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
    left_cm: float = 0,
    hanging_cm: float = 0,
    first_line_chars: int = 0,
    first_line_twips: int = 0,
    align: str | None = None,
    outline_level: int | None = None,
) -> str:
    """A w:pPr in schema order; sizes in points, indents in cm or characters."""
    parts = []
    if keep_next:
        parts.append("<w:keepNext/><w:keepLines/>")
    if num:
        parts.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    if border_bottom:
        parts.append(f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="{border_bottom}"/></w:pBdr>')
    if tabs:
        stops = "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in tabs)
        parts.append(f"<w:tabs>{stops}</w:tabs>")
    parts.append(
        f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}"'
        f' w:line="{round(line * 240)}" w:lineRule="auto"/>'
    )
    if left_cm or first_line_chars or first_line_twips:
        ind = f'<w:ind w:left="{twips(left_cm)}"'
        if hanging_cm:
            ind += f' w:hanging="{twips(hanging_cm)}"'
        if first_line_chars:
            ind += f' w:firstLineChars="{first_line_chars * 100}" w:firstLine="{first_line_twips}"'
        ind += "/>"
        parts.append(ind)
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    if outline_level is not None:
        parts.append(f'<w:outlineLvl w:val="{outline_level}"/>')
    return f"<w:pPr {W}>{''.join(parts)}</w:pPr>"


def _restyle(style, ppr: str | None, rpr: str | None) -> None:
    """Replace a style's paragraph and run properties, dropping the default template's."""
    element = style.element
    for old in element.findall(qn("w:pPr")) + element.findall(qn("w:rPr")):
        element.remove(old)
    if ppr:
        element.append(parse_xml(ppr))
    if rpr:
        element.append(parse_xml(rpr))


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if name != "Normal" else None
    style.hidden = False
    style.quick_style = True
    return style


HEADING_NUM_ID = 20
BULLET_NUM_ID = 21


def _add_numbering(doc, typo: Typography) -> None:
    """Numbered headings (so a left-out section leaves no gap) and the bullet list."""
    numbering = doc.part.numbering_part.element
    (fmt1, text1), (fmt2, text2) = typo.heading_numbers
    suffix = typo.heading_number_suffix
    heading_fonts = _fonts_xml(typo.heading_latin, typo.heading_east_asian)
    heading_levels = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="Heading{ilvl + 1}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr>'
        f"<w:rPr>{heading_fonts}</w:rPr></w:lvl>"
        for ilvl, (fmt, text) in enumerate(((fmt1, text1), (fmt2, text2)))
    )
    headings = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{HEADING_NUM_ID}"><w:nsid w:val="6B1D0C20"/>'
        f'<w:multiLevelType w:val="multilevel"/>{heading_levels}</w:abstractNum>'
    )
    bullet_left = twips(1.5) if typo.body_first_line_chars else twips(1.0)
    bullets = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{BULLET_NUM_ID}"><w:nsid w:val="6B1D0C21"/>'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:pStyle w:val="ListBullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{bullet_left}"/></w:tabs>'
        f'<w:ind w:left="{bullet_left}" w:hanging="{twips(0.5)}"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:hint="default"/></w:rPr>'
        "</w:lvl></w:abstractNum>"
    )
    # abstractNum elements must all precede the num elements.
    last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
    last_abstract.addnext(bullets)
    last_abstract.addnext(headings)
    for num_id in (HEADING_NUM_ID, BULLET_NUM_ID):
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def _add_table_style(doc, typo: Typography) -> None:
    border = typo.table_border_color
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    style = parse_xml(
        f'<w:style {W} w:type="table" w:customStyle="1" w:styleId="ReportTable">'
        '<w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:tblPr><w:tblBorders>{edges}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tcPr><w:vAlign w:val="center"/></w:tcPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{typo.table_header_fill}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        f'<w:tcPr><w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="{border}"/></w:tcBorders>'
        '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )
    doc.styles.element.append(style)


def apply_styles(doc, typo: Typography) -> None:
    body_fonts = (typo.body_latin, typo.body_east_asian)
    heading_fonts = (typo.heading_latin, typo.heading_east_asian)
    styles_element = doc.styles.element

    # Document defaults carry the fonts too, so text outside any styled
    # paragraph (a cell a user adds by hand) is not in the theme's fonts.
    defaults = styles_element.find(qn("w:docDefaults"))
    run_default = defaults.find(qn("w:rPrDefault"))
    run_default.remove(run_default.find(qn("w:rPr")))
    run_default.append(parse_xml(_run_props(body_fonts, typo.body_size, proofing_languages=True)))
    para_default = defaults.find(qn("w:pPrDefault"))
    para_default.remove(para_default.find(qn("w:pPr")))
    para_default.append(parse_xml(_para_props()))

    body_chars = typo.body_first_line_chars
    body = dict(  # a body paragraph: justified, its first line indented by two characters
        line=typo.line_spacing,
        before=3,
        after=typo.body_space_after,
        first_line_chars=body_chars,
        first_line_twips=round(body_chars * typo.body_size * 20),
        align="both",
    )
    text_width = twips(TEXT_WIDTH_CM)
    looks = {
        "Normal": (
            _para_props(line=typo.line_spacing),
            _run_props(body_fonts, typo.body_size, proofing_languages=True),
        ),
        "Body Text": (_para_props(**body), None),
        "Title": (
            _para_props(keep_next=True, before=120, after=12, line=1.0, align="center"),
            _run_props(heading_fonts, typo.title_size, bold=True, color=typo.heading_color),
        ),
        "Subtitle": (
            _para_props(before=6, after=96, line=1.0, align="center"),
            _run_props(heading_fonts, typo.heading_sizes[1], bold=False, color="404040"),
        ),
        "Cover Info": (
            # Labels at 2.5 cm, values at 5.8 cm; a long value wraps under itself.
            _para_props(before=0, after=6, line=1.25, left_cm=5.8, hanging_cm=3.3, tabs=(("left", twips(5.8)),)),
            _run_props(body_fonts, typo.heading_sizes[1]),
        ),
        "Heading 1": (
            _para_props(keep_next=True, num=(HEADING_NUM_ID, 0), before=18, after=6, line=1.25, outline_level=0),
            _run_props(heading_fonts, typo.heading_sizes[0], bold=typo.heading_bold, color=typo.heading_color),
        ),
        "Heading 2": (
            _para_props(keep_next=True, num=(HEADING_NUM_ID, 1), before=12, after=4, line=1.25, outline_level=1),
            _run_props(heading_fonts, typo.heading_sizes[1], bold=typo.heading_bold, color=typo.heading_color),
        ),
        "List Bullet": (
            _para_props(num=(BULLET_NUM_ID, 0), line=typo.line_spacing, before=3, after=typo.body_space_after / 2),
            None,
        ),
        "Caption": (
            _para_props(keep_next=True, before=6, after=3, line=1.0, align="center"),
            _run_props(heading_fonts, typo.table_size, bold=typo.heading_bold, color="000000"),
        ),
        # The title block of a short report (daily, weekly): no cover page, a rule under it.
        "Brief Title": (
            _para_props(keep_next=True, before=0, after=4, line=1.0, align="center"),
            _run_props(heading_fonts, typo.heading_sizes[0] + 2, bold=True, color=typo.heading_color),
        ),
        "Brief Subtitle": (
            _para_props(keep_next=True, before=0, after=4, line=1.0, align="center"),
            _run_props(heading_fonts, typo.heading_sizes[1] - 2, bold=False, color="404040"),
        ),
        "Brief Meta": (
            # Consecutive lines with the same border share it: one rule under the block.
            _para_props(keep_next=True, border_bottom="808080", before=0, after=2, line=1.0, align="center"),
            _run_props(size=typo.small_size, color="595959"),
        ),
        "Figure": (_para_props(keep_next=True, before=6, after=0, line=1.0, align="center"), None),
        "Figure Caption": (
            _para_props(before=3, after=9, line=1.0, align="center"),
            _run_props(heading_fonts, typo.table_size, bold=False, color="404040"),
        ),
        "Table Text": (_para_props(line=1.0), _run_props(size=typo.table_size)),
        "Table Figure": (_para_props(line=1.0, align="right"), _run_props(size=typo.table_size)),
        "Table Heading": (
            _para_props(keep_next=True, line=1.0, align="center"),
            _run_props(heading_fonts, typo.table_size, bold=True),
        ),
        # The conclusion and the sign-off lines that follow it stay on one page: a
        # signature alone on the last page reads as if the report had lost its end.
        # The conclusion: body text kept with the sign-off below it.
        "Closing Text": (_para_props(keep_next=True, **body), None),
        "Sign-off": (_para_props(before=0, after=0, line=typo.line_spacing, align="right"), None),
        "Header": (
            _para_props(border_bottom="808080", tabs=(("right", text_width),), line=1.0),
            _run_props(size=typo.small_size, color="404040"),
        ),
        "Footer": (_para_props(line=1.0, align="center"), _run_props(size=typo.small_size, color="404040")),
    }
    bases = {"Table Figure": "Table Text", "Closing Text": "Body Text"}
    for name, (ppr, rpr) in looks.items():
        style = _paragraph_style(doc, name, bases.get(name, "Normal"))
        _restyle(style, ppr, rpr)
    # Typing on after a heading in Word continues in body text.
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].next_paragraph_style = doc.styles["Body Text"]
    _add_numbering(doc, typo)
    _add_table_style(doc, typo)


# --------------------------------------------------------------------------
# The writer: blocks to WordprocessingML.
# --------------------------------------------------------------------------


class Writer:
    """Appends blocks to a python-docx document, turning conditions into docxtpl tags."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self._style_ids: dict[str, str] = {}

    def set_style(self, paragraph, name: str) -> None:
        # python-docx looks a style name up on every assignment, which is slow
        # over hundreds of paragraphs; the ids are looked up once.
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = self._style_ids[name]

    def paragraph(self, text: str, style: str):
        paragraph = self.doc.add_paragraph(text)
        self.set_style(paragraph, style)
        return paragraph

    def tag(self, text: str) -> None:
        # A `{%p %}` tag is alone in its paragraph (style Normal): docxtpl drops the paragraph.
        self.doc.add_paragraph(text)

    def write(self, blocks) -> None:
        for block in blocks:
            self.write_block(block)

    def write_block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.paragraph(block.text, f"Heading {block.level}")
        elif isinstance(block, Text):
            if block.when:
                self.tag(f"{{%p if {block.when} %}}")
            self.paragraph(block.text, block.style)
            if block.when:
                self.tag("{%p endif %}")
        elif isinstance(block, Bullets):
            self.tag(f"{{%p for {block.var} in {block.items} %}}")
            self.paragraph(block.text, "List Bullet")
            self.tag("{%p endfor %}")
        elif isinstance(block, Table):
            self.tag(f"{{%p if {block.rows} %}}")
            if block.caption:
                self.paragraph(block.caption, "Caption")
            self.table(block)
            self.tag("{%p endif %}")
        elif isinstance(block, When):
            self.tag(f"{{%p if {block.condition} %}}")
            self.write(block.blocks)
            if block.otherwise:
                self.tag("{%p else %}")
                self.write(block.otherwise)
            self.tag("{%p endif %}")
        elif isinstance(block, Each):
            self.tag(f"{{%p for {block.loop} %}}")
            self.write(block.blocks)
            self.tag("{%p endfor %}")
        elif isinstance(block, Picture):
            self.tag(f"{{%p if {block.image} %}}")
            self.paragraph(f"{{{{ {block.image} }}}}", "Figure")
            self.paragraph(block.caption, "Figure Caption")
            self.tag("{%p endif %}")
        else:
            raise TypeError(f"unknown block {block!r}")

    def table(self, spec: Table) -> None:
        # Template cells: a Spread takes three (open loop, the repeated cell,
        # close loop); docxtpl removes the tag cells and fix_tables re-grids.
        header, body = [], []
        for column in spec.columns:
            if isinstance(column, Spread):
                header += [(f"{{%tc for {column.header_loop} %}}", False), (column.header, False), ("{%tc endfor %}", False)]
                cell = (column.cell, column.figure) if not column.figure_when else (column.cell, column.figure_when)
                body += [(f"{{%tc for {column.cell_loop} %}}", False), cell, ("{%tc endfor %}", False)]
            else:
                header.append((column.header, False))
                body.append((column.cell, column.figure))
        count = len(header)
        rows = [header, [(f"{{%tr for row in {spec.rows} %}}", False)], body, [("{%tr endfor %}", False)]]
        if spec.total:
            rows.append([(text, index > 0) for index, text in enumerate(spec.total)])
        table = self.doc.add_table(rows=len(rows), cols=count)
        table.style = self.doc.styles["Report Table"]
        for row_index, cells in enumerate(rows):
            row = table.rows[row_index]
            for cell_index in range(count):
                text, figure = cells[cell_index] if cell_index < len(cells) else ("", False)
                if row_index == 0:
                    style = "Table Heading"
                else:
                    style = "Table Figure" if figure else "Table Text"
                paragraph = row.cells[cell_index].paragraphs[0]
                if isinstance(figure, str):
                    self._aligned_by_condition(row.cells[cell_index], text, figure)
                    continue
                self.set_style(paragraph, style)
                if text:
                    paragraph.add_run(text)
        self._table_layout(table, spec)
        self._table_rows(table, spec)

    def _aligned_by_condition(self, cell, text: str, condition: str) -> None:
        """A cell right-aligned as a figure when `condition` holds, else as text; docxtpl keeps one of its paragraphs."""
        for index, (line, style) in enumerate(
            (
                (f"{{%p if {condition} %}}", "Table Text"),
                (text, "Table Figure"),
                ("{%p else %}", "Table Text"),
                (text, "Table Text"),
                ("{%p endif %}", "Table Text"),
            )
        ):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            self.set_style(paragraph, style)
            paragraph.add_run(line)

    def _table_layout(self, table, spec: Table) -> None:
        tbl_pr = table._tbl.tblPr
        for old in tbl_pr.findall(qn("w:tblW")) + tbl_pr.findall(qn("w:tblLook")):
            tbl_pr.remove(old)
        # Schema order: tblStyle, tblW, ..., tblLayout, tblCellMar, tblLook.
        style_element = tbl_pr.find(qn("w:tblStyle"))
        look_bits = 0x0620 | (0x0040 if spec.total else 0)  # firstRow, noHBand, noVBand (+lastRow)
        last_row = "1" if spec.total else "0"
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        if spec.spreads:
            # Columns appear at render time: let the table fill the page and
            # leave widths to the layout engine.
            style_element.addnext(parse_xml(f'<w:tblW {W} w:w="5000" w:type="pct"/>'))
            for cell in table._tbl.iter(qn("w:tc")):
                tc_pr = cell.find(qn("w:tcPr"))
                if tc_pr is not None:
                    for width in tc_pr.findall(qn("w:tcW")):
                        tc_pr.remove(width)
            for col in grid:
                col.set(qn("w:w"), str(twips(TEXT_WIDTH_CM) // len(grid)))
        else:
            widths = [twips(column.width_cm) for column in spec.columns]
            style_element.addnext(parse_xml(f'<w:tblW {W} w:w="{sum(widths)}" w:type="dxa"/>'))
            table.autofit = False
            for col, width in zip(grid, widths):
                col.set(qn("w:w"), str(width))
            for row in table.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = width * 635  # twips to EMU
        tbl_pr.append(
            parse_xml(
                f'<w:tblLook {W} w:val="{look_bits:04X}" w:firstRow="1" w:lastRow="{last_row}"'
                ' w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            )
        )

    def _table_rows(self, table, spec: Table) -> None:
        for index, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:cantSplit {W}/>"))
            if index == 0:
                # The header row repeats on every page a long table runs over.
                tr_pr.append(parse_xml(f"<w:tblHeader {W}/>"))
        if spec.total:
            # The rows are kept with the total below them: a total alone under a repeated header means nothing.
            for cell in table.rows[2].cells:  # the body row docxtpl repeats (row 1 and 3 hold its loop tags)
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _page_field(paragraph, instruction: str) -> None:
    """A real Word field (begin / instruction / separate / end) with no stored result.

    Word and LibreOffice compute page fields as they lay the pages out; a
    stored "1" would be shown as is by a viewer that does not, on every page.
    """
    element = paragraph._p
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        element.append(parse_xml(xml.replace("<w:r>", f"<w:r {W}>", 1)))


def _set_page(section) -> None:
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_SIDE_CM)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP_CM), Cm(MARGIN_BOTTOM_CM)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(1.5)


def _drop_part(rels, reltype: str) -> None:
    for rel_id, rel in list(rels.items()):
        if rel.reltype == reltype:
            rels.pop(rel_id)


def build_document(spec: TemplateSpec):
    """The python-docx Document of one template."""
    words = WORDS[spec.lang]
    typo = TYPOGRAPHY[spec.lang]
    doc = Document()
    # Word 2010 would read its own stale copy of the styles; a blank
    # thumbnail would misrepresent the template in file browsers.
    _drop_part(doc.part.rels, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")
    _drop_part(doc.part.package.rels, "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail")
    settings = doc.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    apply_styles(doc, typo)

    writer = Writer(doc)
    writer.write(spec.main)
    for index, text in enumerate(spec.sign_off):
        line = writer.paragraph(text, "Sign-off")
        # A team's last line holds the section break: nothing after it on this page. An individual's
        # few team lines are kept with the conclusion and sign-off, so they never stand alone on a page.
        if index < len(spec.sign_off) - 1 or spec.level == "individual":
            line.paragraph_format.keep_with_next = True
    if spec.cover_page:
        _cover_page_break(doc)
    _body_section_frame(doc, words, cover_page=spec.cover_page)
    if spec.level != "individual":
        _start_team_section(doc, words)
    writer.write(spec.team_part)
    _set_core_properties(doc, spec.title)
    return doc


def _set_core_properties(doc, title: str) -> None:
    """Fixed document properties, so that a rebuild gives the same XML.

    Written as XML with explicit namespaces: importing docxtpl (docxcompose)
    rebinds python-docx's "cp" prefix, after which python-docx's own setters
    put lastModifiedBy and revision in the wrong namespace.
    """
    core = doc.core_properties._element
    for child in list(core):
        core.remove(child)
    stamp = BUILD_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    namespaces = {
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    for xml in (
        f"<dc:title>{title}</dc:title>",
        "<dc:creator>docgen</dc:creator>",
        "<dc:description>Built by scripts/build_templates.py; edit the script and rebuild, not this file.</dc:description>",
        "<cp:lastModifiedBy>docgen</cp:lastModifiedBy>",
        "<cp:revision>1</cp:revision>",
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>',
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>',
    ):
        tag_end = xml.index(">")
        core.append(etree.fromstring(f"{xml[:tag_end]} {declarations}{xml[tag_end:]}"))


def _header_text(header, text: str) -> None:
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Header"
    paragraph.add_run(text)


def _body_section_frame(doc, words: dict, cover_page: bool = True) -> None:
    """Page setup, header and page-numbered footer of the report body; none on a cover page."""
    section = doc.sections[0]
    _set_page(section)
    section.different_first_page_header_footer = cover_page
    if cover_page:
        for blank in (section.first_page_header, section.first_page_footer):
            blank.is_linked_to_previous = False
            blank.paragraphs[0].style = doc.styles["Normal"]
    _header_text(section.header, words["header"])
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    before, middle, after = words["page"]
    footer.add_run(before)
    _page_field(footer, "PAGE")
    footer.add_run(middle)
    _page_field(footer, "NUMPAGES")
    if after:
        footer.add_run(after)


def _cover_page_break(doc) -> None:
    """End the cover with a page break inside its last line, so no blank line opens the next page."""
    paragraphs = doc.paragraphs
    last = max(i for i, p in enumerate(paragraphs) if p.style.name == "Cover Info")
    if paragraphs[last - 1].text.startswith("{%p"):
        raise ValueError("the cover's last line must not be conditional: its page break would vanish with it")
    paragraphs[last].add_run().add_break(WD_BREAK.PAGE)


def _start_team_section(doc, words: dict) -> None:
    """Start a team's or department's team part (its member table) on a new page in a Word section of its own, with its own header.

    An individual's team part is a short paragraph: on a page of its own it
    would leave that page nearly empty, so it follows the sign-off in the
    body's section, its heading kept with it. (A continuous section break
    would keep its header, but LibreOffice starts a new page at one when
    another section follows, as in a --combine bundle.)

    A section break is the w:sectPr in the last paragraph of a section. That
    paragraph must survive rendering: it is the last sign-off line, which has
    no tag and no condition, so docxtpl never removes it. The footer (page
    numbers) carries on from the body.
    """
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    holder = doc.paragraphs[-1]  # python-docx puts the break in a new empty paragraph
    sign_off = doc.paragraphs[-2]
    sign_off._p.get_or_add_pPr().append(holder._p.pPr.sectPr)
    holder._p.getparent().remove(holder._p)
    section.different_first_page_header_footer = False
    _header_text(section.header, words["team_header"])


def build_template(spec: TemplateSpec) -> bytes:
    """The .docx bytes of one template."""
    buffer = io.BytesIO()
    build_document(spec).save(buffer)
    return buffer.getvalue()


def build_all() -> dict[str, bytes]:
    """Every built-in template, by file name."""
    return {spec.filename: build_template(spec) for spec in all_specs()}


# --------------------------------------------------------------------------
# Comparing what is committed with what would be built.
# --------------------------------------------------------------------------


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a .docx, XML in canonical form, so zip timestamps do not count."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            content = archive.read(name)
            if name.endswith((".xml", ".rels")):
                content = etree.tostring(etree.fromstring(content), method="c14n")
            parts[name] = content
    return parts


def differing_parts(committed: bytes, built: bytes) -> list[str]:
    """The names of the parts that differ between two .docx files."""
    old, new = docx_parts(committed), docx_parts(built)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def stale_templates(folder: Path = TEMPLATE_DIR) -> list[str]:
    """Template files in `folder` that are missing or differ from what this script builds."""
    stale = []
    for name, built in build_all().items():
        path = folder / name
        if not path.is_file() or differing_parts(path.read_bytes(), built):
            stale.append(name)
    return stale


def write_templates(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in build_all().items():
        path = folder / name
        if path.is_file() and not differing_parts(path.read_bytes(), data):
            continue  # the same XML: rewriting would only change zip timestamps
        partial = path.with_name(f".{name}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 and list templates that differ from a fresh build")
    parser.add_argument("--out", type=Path, default=TEMPLATE_DIR, help="folder to write or check (default: templates/docx)")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_templates(args.out)
        for name in stale:
            print(f"differs: {args.out / name}")
        if stale:
            print("Run `python scripts/build_templates.py` to rebuild them.")
            return 1
        print(f"{len(all_specs())} templates up to date in {args.out}")
        return 0
    for path in write_templates(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
