"""The workbook's known sections and columns, with their Chinese and English names."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from docgen.text.language import LANGUAGE_NAMES, LANGUAGES, parse_language  # noqa: F401  (re-exported)

TEXT = "text"
NUMBER = "number"
PERCENT = "percent"
DATE = "date"
YESNO = "yesno"
KIND = "kind"  # internal / external


@dataclass(frozen=True)
class Column:
    key: str
    names: tuple[str, ...]  # accepted headers; the first is the Chinese, the second the English
    kind: str = TEXT
    required: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    names: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    # True where the columns after the first are open-ended (sub-periods, source systems).
    open_columns: bool = False
    key_value: bool = False  # the info sheet: one key/value pair a row
    fields: tuple[Column, ...] = field(default=())  # key/value keys, for key_value sections


PERSON = Column("person", ("销售员", "Salesperson", "业务员", "Sales rep", "Member", "成员"))
# A note column may sit on every sheet: it is read as text, never as a figure (nor as a source or a sub-period).
NOTE = Column("note", ("说明", "Note", "备注", "Notes", "Remarks", "Remark", "注释"))

INFO = Section(
    "info",
    ("报告信息", "Report info", "基本信息", "Info"),
    columns=(Column("key", ("项目", "Key", "字段", "Field")), Column("value", ("内容", "Value", "值"))),
    key_value=True,
    fields=(
        Column("title", ("标题", "Title", "报告标题")),
        Column("organization", ("单位", "Organization", "Organisation", "公司", "Company")),
        Column("region", ("区域", "Region", "大区")),
        Column("team", ("团队", "Team", "部门", "Department")),
        Column("author", ("姓名", "Author", "汇报人", "Name", "报告人")),
        Column("level", ("层级", "Level", "报告层级")),
        Column("period", ("周期", "Period", "报告周期")),
        Column("start_date", ("开始日期", "Start date", "Start"), kind=DATE),
        Column("end_date", ("结束日期", "End date", "End"), kind=DATE),
        Column("currency_unit", ("货币单位", "Currency unit", "Currency", "金额单位")),
        Column("language", ("语言", "Language", "Lang")),
        Column("introduction", ("引言", "Introduction", "Intro", "前言")),
    ),
)

SECTIONS: tuple[Section, ...] = (
    INFO,
    Section(
        "targets",
        ("目标达成", "Targets", "目标", "Target review"),
        (
            Column("indicator", ("指标", "Indicator", "指标名称"), required=True),
            Column("unit", ("单位", "Unit")),
            Column("target", ("目标", "Target", "目标值"), NUMBER, required=True),
            Column("actual", ("实际", "Actual", "实际值", "完成"), NUMBER, required=True),
            Column("previous", ("上期", "Previous", "Previous period", "上月"), NUMBER),
            Column("last_year", ("去年同期", "Last year", "Same period last year"), NUMBER),
            Column("next_target", ("下期目标", "Next target", "下年目标", "明年目标", "Next period target"), NUMBER),
            NOTE,
        ),
    ),
    Section(
        "trend",
        ("月度趋势", "Trend", "趋势", "Monthly trend"),
        (Column("indicator", ("指标", "Indicator"), required=True),),
        open_columns=True,
    ),
    Section(
        "pipeline",
        ("客户开发", "Pipeline", "渠道", "Customer development"),
        (
            Column("channel", ("渠道", "Channel"), required=True),
            Column("leads", ("线索数", "Leads", "线索"), NUMBER, required=True),
            Column("deals", ("成交数", "Deals", "成交"), NUMBER, required=True),
            Column("amount", ("成交金额", "Amount", "金额"), NUMBER),
            NOTE,
        ),
    ),
    Section(
        "accounts",
        ("客户分层", "Accounts", "Customer tiers"),
        (
            Column("tier", ("层级", "Tier", "客户层级"), required=True),
            Column("customers", ("客户数", "Customers"), NUMBER, required=True),
            Column("satisfaction", ("满意度", "Satisfaction"), PERCENT),
            Column("upkeep", ("维护措施", "Upkeep", "维护"),),
        ),
    ),
    Section(
        "churn",
        ("客户流失", "Churn", "流失"),
        (
            Column("customer", ("客户", "Customer", "客户名称"), required=True),
            Column("reason", ("原因", "Reason", "流失原因")),
            Column("amount", ("金额", "Amount", "涉及金额"), NUMBER),
            Column("recovered", ("是否挽回", "Recovered"), YESNO),
            Column("measure", ("挽回措施", "Measure", "措施")),
        ),
    ),
    Section(
        "followups",
        ("客户跟进", "Follow-ups", "Followups", "跟进"),
        (
            Column("customer", ("客户", "Customer"), required=True),
            Column("date", ("日期", "Date"), DATE),
            Column("way", ("方式", "Way", "跟进方式")),
            Column("content", ("内容", "Content", "跟进内容")),
            Column("result", ("结果", "Result")),
            Column("next_step", ("下一步", "Next step", "下一步计划")),
        ),
    ),
    Section(
        "market",
        ("市场动态", "Market", "市场"),
        (
            Column("event", ("事件", "Event"), required=True),
            Column("impact", ("影响", "Impact")),
            Column("source", ("来源", "Source", "信息来源")),
            Column("response", ("应对", "Response", "应对措施")),
        ),
    ),
    Section(
        "problems",
        ("问题反思", "Problems", "问题"),
        (
            Column("symptom", ("现象", "Symptom", "问题"), required=True),
            Column("cause", ("原因", "Cause")),
            Column("impact", ("影响", "Impact")),
            Column("kind", ("类型", "Type", "内外部"), KIND),
            Column("solution", ("对策", "Solution", "解决措施")),
        ),
    ),
    Section(
        "lessons",
        ("经验提炼", "Lessons", "经验"),
        (
            Column("practice", ("经验", "Practice"), required=True),
            Column("applies_to", ("适用场景", "Applies to")),
            Column("steps", ("做法步骤", "Steps", "做法")),
            Column("result", ("效果", "Result")),
        ),
    ),
    Section(
        "actions",
        ("行动计划", "Actions", "计划", "Action plan"),
        (
            Column("id", ("编号", "ID", "No.")),
            Column("action", ("措施", "Action", "行动"), required=True),
            Column("owner", ("负责人", "Owner")),
            Column("deadline", ("完成时限", "Deadline", "截止日期"), DATE),
            Column("acceptance", ("验收标准", "Acceptance", "Acceptance criterion")),
            Column("status", ("状态", "Status")),
        ),
    ),
    Section(
        "team",
        ("团队贡献", "Team contribution", "Team", "贡献"),
        (
            Column("member", ("成员", "Member", "姓名", "Name"), required=True),
            Column("contribution", ("贡献事项", "Contribution", "贡献")),
            Column("value", ("业绩", "Value", "业绩金额"), NUMBER),
            Column("share", ("占比", "Share"), PERCENT),
        ),
    ),
    Section(
        "reconcile",
        ("数据核对", "Reconciliation", "Reconcile", "核对"),
        (Column("indicator", ("指标", "Indicator"), required=True),),
        open_columns=True,
    ),
)

SECTION_KEYS = tuple(section.key for section in SECTIONS)

# Sheets written for the person filling in the workbook (the blank workbook's first sheet): never a section.
INSTRUCTION_SHEETS = ("填写说明", "Instructions", "使用说明", "Read me", "README")

PERIODS = ("daily", "weekly", "monthly", "quarterly", "annual")
LEVELS = ("individual", "team", "department")

PERIOD_NAMES = {
    "daily": ("日报", "daily", "day", "日"),
    "weekly": ("周报", "weekly", "week", "周"),
    "monthly": ("月报", "monthly", "month", "月", "月度"),
    "quarterly": ("季报", "quarterly", "quarter", "季度", "季"),
    "annual": ("年报", "annual", "year", "yearly", "年度", "年"),
}
LEVEL_NAMES = {
    "individual": ("个人", "individual", "person", "personal"),
    "team": ("团队", "team", "小组", "组"),
    "department": ("部门", "department", "dept", "事业部"),
}
# A language's names and the rule that reads them are text/language.py's: one rule for the
# info sheet, the command line and docgen.toml.


_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "(", "〕": ")"})


def normalize_name(text: object) -> str:
    """Fold a sheet or column name for matching: width, case, brackets and spaces."""
    return _normalized(str(text))


@functools.lru_cache(maxsize=4096)  # the same few names are folded for every row and every report of a batch
def _normalized(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return re.sub(r"\s+", " ", folded).strip().casefold()


def _index(names_by_key: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize_name(name): key for key, names in names_by_key.items() for name in names}


_SECTIONS_BY_NAME = _index({section.key: section.names for section in SECTIONS})
_PERIODS_BY_NAME = _index(PERIOD_NAMES)
_LEVELS_BY_NAME = _index(LEVEL_NAMES)


def section_for_sheet(sheet_name: str) -> Section | None:
    """The known section a sheet name stands for, or None for a sheet docgen does not know."""
    key = _SECTIONS_BY_NAME.get(normalize_name(sheet_name))
    return next((s for s in SECTIONS if s.key == key), None) if key else None


def section_by_name(sheet_name: str) -> tuple[Section | None, str | None]:
    """The section a sheet name spells and how: "name" (its usual Chinese or English name) or "alias"."""
    section_ = section_for_sheet(sheet_name)
    if section_ is None:
        return None, None
    usual = {normalize_name(name) for name in section_.names[:2]}
    return section_, "name" if normalize_name(sheet_name) in usual else "alias"


# What a sheet name may carry beside a section's name: a period, a year, a remark in brackets, filler words.
_NAME_EXTRAS = re.compile(
    r"[(（\[][^)）\]]*[)）\]]"
    r"|\d{2,4}\s*年(?:\s*第?\s*[一二三四1-4]\s*季度)?|\d{1,2}\s*月份?|第?\s*\d+\s*周"
    r"|\bq[1-4]\b|\bw\d{1,2}\b|\bfy\s*\d+\b|\d+"
    r"|情况|汇总|明细|统计|一览|清单|总表|表格?|\bsheet\b|\btable\b|\bsummary\b|\boverview\b"
)


def _name_core(text: str) -> str:
    core = normalize_name(text)
    for _ in range(2):  # "sheet1" is a word only once its digits are gone
        core = re.sub(r"[\W_]+", " ", _NAME_EXTRAS.sub(" ", core)).strip()
    return core


# How alike a sheet name and a section's name must be for the sheet to be read as the section (when its
# headers fit too), or else to be named in a finding about the missing section. Two four-character Chinese
# names sharing two characters (客户名单, 客户开发) are 0.5 alike: not close.
CLOSE_NAME = 0.6


def name_closeness(sheet_name: str) -> list[tuple[float, Section, str]]:
    """How alike a sheet name is to each section's names (1 the same, 0 nothing alike), the closest first.

    Each item is (closeness, section, the section's name it is closest to). A
    period, a year, a remark in brackets and words such as 情况, 汇总, 表 or
    "sheet" do not count: 目标达成情况, 目标达成（10月） and "Targets 2026" are as
    close to 目标达成 / Targets as can be.
    """
    core = _name_core(sheet_name)
    if not core:
        return []
    bare = core.replace(" ", "")
    closest = []
    for section_ in SECTIONS:
        best = (0.0, section_.names[0])
        for name in section_.names:
            wanted = _name_core(name)
            if not wanted:
                continue
            if wanted == core:
                score = 1.0
            elif len(wanted) >= 2 and (
                re.search(rf"\b{re.escape(wanted)}\b", core) if wanted.isascii() else wanted in bare
            ):
                score = 0.8  # the section's name inside a longer one
            else:
                score = difflib.SequenceMatcher(None, bare, wanted.replace(" ", "")).ratio()
                if bare.isascii() and wanted.isascii():
                    score -= 0.2  # English words share letters easily (targets, market): a typo only
            best = max(best, (score, name), key=lambda item: item[0])
        closest.append((best[0], section_, best[1]))
    return sorted(closest, key=lambda item: -item[0])


def is_instruction_sheet(sheet_name: str) -> bool:
    return normalize_name(sheet_name) in {normalize_name(name) for name in INSTRUCTION_SHEETS}


# Sections whose rows may each name a salesperson: a workbook split by salesperson gives each their own rows.
PERSON_SECTIONS = (
    "targets", "trend", "pipeline", "accounts", "churn", "followups", "market", "problems", "lessons", "actions",
)  # fmt: skip


def is_person_column(header: object) -> bool:
    """True when a header names the salesperson column (销售员, Salesperson, 业务员, …)."""
    return normalize_name(header) in _PERSON_NAMES


_PERSON_NAMES = frozenset({"person", *(normalize_name(name) for name in PERSON.names)})


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


def match_column(section_: Section, header: object) -> Column | None:
    """The column of a section that a header names, or None."""
    cached = _COLUMNS_BY_NAME.get(section_.key)
    if cached is None or cached[0] is not section_:
        # A split batch matches every sheet's header once per report: index each section's names once.
        index: dict[str, Column] = {}
        for column in (*section_.columns, *section_.fields, PERSON, NOTE):
            for name in column.names:
                index.setdefault(normalize_name(name), column)  # the first column to claim a name keeps it
        cached = _COLUMNS_BY_NAME[section_.key] = (section_, index)
    return cached[1].get(normalize_name(header))


_COLUMNS_BY_NAME: dict[str, tuple[Section, dict[str, Column]]] = {}


def parse_period(text: object) -> str | None:
    return _PERIODS_BY_NAME.get(normalize_name(text)) if text is not None else None


def parse_level(text: object) -> str | None:
    return _LEVELS_BY_NAME.get(normalize_name(text)) if text is not None else None


def name_key(name: object) -> str:
    """How two spellings of one name (a person, an indicator, a label) are told to be the same.

    Runs of whitespace are one space and case does not matter: " 王五 " and "王五",
    "Sales " and "sales" are one name. (normalize_name, for headers and sheet
    names, also folds full-width forms and brackets.)
    """
    return " ".join(str(name).split()).casefold()


# What a table's own totals row or column is headed: no row of data, nor a sub-period (docs/reading.md).
_TOTAL_WORDS = {"合计", "总计", "小计", "汇总", "总和", "累计", "total", "totals", "grand total", "subtotal", "sum"}
_TOTAL_ENDINGS = ("合计", "总计", "小计", "汇总")  # 本季合计, 全年总计


def is_total_label(text: object) -> bool:
    """A label that heads a table's own totals: 合计, 总计, 本季合计, Total, Grand total, Sum."""
    written = "" if text is None else str(text)
    if not written.strip() or len(written) > 20:
        return False
    # Folded here, not by normalize_name: its cache would fill with every row's first cell.
    key = " ".join(unicodedata.normalize("NFKC", written).split()).casefold().strip(":： ")
    return key in _TOTAL_WORDS or (key.endswith(_TOTAL_ENDINGS) and len(key) <= 6)
