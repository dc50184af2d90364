"""Property tests (Hypothesis) that look for what the corpus missed: figures, file names and random workbooks.

- Any figure (zero, negative, huge, NaN, infinity, missing) gives a report
  context whose words never print nan, inf or None.
- Any text gives a safe file name inside the output folder.
- Any workbook of random cell values and types is either read and rendered
  into a document that opens, or refused with one of docgen's own errors.

The runs are derandomized and keep no example database, so CI sees the same
examples every time; the example counts keep the suite quick.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
import unicodedata
from pathlib import Path

import docx
import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from docgen.report.context import build_context
from docgen.errors import DocgenError, Location
from docgen.text.messages import say
from docgen.input.model import AccountTier, Channel, LostCustomer, ReportInfo, SalesWorkbook, Target, TeamContribution
from docgen.input.model import TrendSeries
from docgen.output.files import path_inside, safe_filename
from docgen.output.naming import name_from_pattern, numbered_name, pattern_fields
from docgen.runs.report import ReportOptions, build_document
from docgen.input.workbook import load_workbook

TODAY = dt.date(2026, 11, 2)

QUICK = settings(max_examples=100, derandomize=True, database=None, deadline=None)
HEAVY = settings(
    max_examples=40,  # each example reads and renders a workbook; 40 fixed ones cover the strategies' shapes
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- figures ----------------------------------------------------------------------------------------

any_figure = st.one_of(
    st.none(),
    st.just(0.0),
    st.just(-0.0),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30).map(float),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 1e-12]),
)
_NONSENSE = re.compile(r"\b(nan|inf|infinity|none)\b|-0\.0\b|\+-|-\+", re.IGNORECASE)


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@QUICK
@given(
    figures=st.lists(any_figure, min_size=24, max_size=24),
    unit=st.sampled_from(["万元", "%", "家", "元", None]),
    lang=st.sampled_from(["zh", "en"]),
)
def test_any_figures_give_words_without_nan_inf_or_none(figures, unit, lang):
    f = iter(figures)
    workbook = SalesWorkbook(
        source="figures.xlsx",
        info=ReportInfo(title="报告", team="一组", period="monthly", level="team", currency_unit="万元"),
        targets=(
            Target("销售额", unit, next(f), next(f), next(f), next(f)),
            Target("客户流失率", "%", next(f), next(f), next(f), next(f)),
        ),
        trend=(TrendSeries("销售额", ("2026-08", "2026-09", "2026-10"), (next(f), next(f), next(f))),),
        pipeline=(Channel("电话", next(f), next(f), next(f)),),
        accounts=(AccountTier("A", next(f), next(f)),),
        churn=(LostCustomer("甲公司", "价格", next(f), True),),
        team=(TeamContribution("张三", "大客户", next(f), next(f)), TeamContribution("李四", None, next(f), None)),
        present=("info", "targets", "trend", "pipeline", "accounts", "churn", "team"),
    )
    context = build_context(workbook, period="monthly", level="team", lang=lang, today=TODAY)
    for text in _strings(context):
        assert not _NONSENSE.search(text), text


# --- file names -------------------------------------------------------------------------------------

_BIDI_AND_CONTROL = {"Cc", "Cf", "Cs"}
# Windows's device names (with the superscript digits it reads as ports), whatever follows a dot.
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", "conin$", "conout$"} | {
    f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"
}


def _assert_safe(name: str) -> None:
    assert name and len(name.encode("utf-8")) <= 240
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name == name.strip()
    assert not any(unicodedata.category(ch) in _BIDI_AND_CONTROL for ch in name)
    assert name.split(".")[0].rstrip(" ").casefold() not in _WINDOWS_DEVICES
    assert not name.startswith(("=", "+", "-", "@", "\t", "\r")), "a spreadsheet would take it for a formula"
    assert not re.search(r'[<>:"|?*]', name)


# Text that is often close to a device name or a formula, as well as any text.
_near_misses = st.builds(
    lambda start, device, tail: start + device + tail,
    st.sampled_from(["", " ", "=", "+", "-", "@", "\t", "\r", "."]),
    st.sampled_from(sorted(_WINDOWS_DEVICES)).map(lambda d: d.upper() if len(d) % 2 else d),
    st.sampled_from(["", ".docx", " .docx", ". .txt.docx", "..", " ", "1", "$"]),
)


@QUICK
@given(st.one_of(st.text(max_size=300), _near_misses))
def test_any_text_gives_a_safe_file_name(raw):
    name = safe_filename(raw)
    _assert_safe(name)
    folder = Path("/tmp/docgen-out")
    assert path_inside(folder, name).parent == folder


@QUICK
@given(
    pattern=st.sampled_from(["{team}-{person}-{period}.docx", "{person}", "{n}-{姓名}.docx", "{团队}{销售员}", "x.docx"]),
    values=st.dictionaries(st.sampled_from(["team", "person", "period", "n", "姓名", "团队", "销售员"]),
                           st.text(max_size=200)),  # fmt: skip
    taken=st.sets(st.text(max_size=20)),
)
def test_any_values_in_a_name_pattern_give_a_unique_safe_name_inside_the_folder(pattern, values, taken):
    name = name_from_pattern(pattern, values)
    _assert_safe(name)
    assert name.endswith(".docx")
    keys = {item.casefold() for item in taken}
    unique = numbered_name(name, keys)
    _assert_safe(unique)
    assert unique.casefold() in keys


@QUICK
@given(st.text(max_size=60))
def test_a_name_pattern_is_read_or_refused_never_anything_else(pattern):
    try:
        fields = pattern_fields(pattern)
    except ValueError as refusal:
        assert "{" in str(refusal) or "folder" in str(refusal)
        return
    outside = re.sub(r"\{[^{}]*\}", "", pattern)
    assert "/" not in outside and "\\" not in outside
    assert all("{" not in field and "}" not in field for field in fields)


# --- random workbooks -------------------------------------------------------------------------------

# Text openpyxl can write: XML 1.0 forbids the other control characters (docgen reads them when Excel
# escapes them, as the corpus' control_characters case shows).
_writable = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                          "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff")  # fmt: skip
cell_value = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(_writable, max_size=40),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from([
        "一百", "N/A", "—", "12%", "１２％", "￥1,200", "(300)", "RMB 800", "2026-02-30", "2026-10", "2026年10月31日",
        "是", "否", "maybe", "内部", "外部", "=1/0", "=A1+1", "=SUM(C2:C9)", "#DIV/0!", "#REF!", "#N/A",
        "{{ 7*7 }}", "{% for %}", "<w:t>", "&amp;", "\u202e", "🎉", "长" * 500, "", " ", "0", "-1", "1e309",
    ]),
)  # fmt: skip

_SECTIONS = {
    "目标达成": ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
    "客户开发": ["渠道", "线索数", "成交数", "成交金额"],
    "客户分层": ["层级", "客户数", "满意度", "维护措施"],
    "客户流失": ["客户", "原因", "金额", "是否挽回", "挽回措施"],
    "问题反思": ["现象", "原因", "影响", "类型", "对策"],
    "行动计划": ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"],
    "团队贡献": ["成员", "贡献事项", "业绩", "占比"],
    "月度趋势": ["指标", "2026-08", "2026-09", "2026-10"],
    "数据核对": ["指标", "销售系统", "财务系统"],
}
_INFO_KEYS = ["标题", "单位", "团队", "姓名", "层级", "周期", "开始日期", "结束日期", "货币单位", "语言", "引言"]

# What a column holds when the cell is filled in as meant, so that most workbooks get as far as the report.
_FIGURE = st.one_of(st.integers(-(10**9), 10**12), st.floats(-1e12, 1e15), st.sampled_from([0, 0.0, 1e-9]))
_MEANT = {
    **dict.fromkeys(["目标", "实际", "上期", "去年同期", "线索数", "成交数", "成交金额", "客户数", "满意度", "金额",
                     "业绩", "占比", "2026-08", "2026-09", "2026-10", "销售系统", "财务系统"], _FIGURE),
    "完成时限": st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    "是否挽回": st.sampled_from(["是", "否", True, False]),
    "类型": st.sampled_from(["内部", "外部"]),
    "单位": st.sampled_from(["万元", "%", "家", "元", "单"]),
    "层级": st.sampled_from(["A", "B", "C"]),
}
_MEANT_INFO = {
    "层级": st.sampled_from(["个人", "团队", "部门"]),
    "周期": st.sampled_from(["日报", "周报", "月报", "季报", "年报"]),
    "语言": st.sampled_from(["中文", "English"]),
    "开始日期": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    "结束日期": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
}
_TEXT = st.text(_writable, min_size=1, max_size=30).filter(str.strip)


@st.composite
def workbooks(draw) -> dict[str, list[list]]:
    """Sheets of a workbook: an info sheet, some known sections and maybe an unknown one.

    Each sheet is filled either as meant (figures in figure columns …), or, one time in four,
    at random.
    """
    book: dict[str, list[list]] = {}

    def value(column: str, meant: dict, hostile: bool):
        return draw(cell_value if hostile else meant.get(column, _TEXT))

    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(_INFO_KEYS), max_size=8, unique=True))
        hostile = draw(st.integers(0, 3)) == 0
        book["报告信息"] = [["项目", "内容"]] + [[key, value(key, _MEANT_INFO, hostile)] for key in keys]
    for name in draw(st.lists(st.sampled_from(sorted(_SECTIONS)), min_size=1, max_size=3, unique=True)):
        header = list(_SECTIONS[name])
        if draw(st.integers(0, 3)) == 0:  # a header cell replaced: misspelt, missing or duplicated
            header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(["", "目票", header[0], "备注"]))
        hostile = draw(st.integers(0, 3)) == 0
        rows = [[value(column, _MEANT, hostile) for column in header] for _ in range(draw(st.integers(0, 4)))]
        book[name] = [header, *rows]
    if draw(st.booleans()):
        book[draw(st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=12))
             .strip() or "其他"] = draw(st.lists(st.lists(cell_value, min_size=1, max_size=3), max_size=4))  # fmt: skip
    return book


def _write(path: Path, book: dict[str, list[list]], percent: bool) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.items():
        sheet = workbook.create_sheet(name[:31])
        for row in rows:
            sheet.append(row)
        if percent:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        cell.number_format = "0.0%"
    workbook.save(path)


@HEAVY
@given(book=workbooks(), percent=st.booleans(), lang=st.sampled_from(["zh", "en"]))
def test_any_workbook_is_rendered_into_a_document_that_opens_or_refused_with_docgens_error(book, percent, lang):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.xlsx"
        try:
            _write(path, book, percent)
        except (ValueError, TypeError):
            return  # a value openpyxl itself will not write (a sheet name it refuses, a date it cannot store)
        before = path.read_bytes()
        try:
            workbook = load_workbook(path)
            document, _settings = build_document(
                workbook, ReportOptions(period="monthly", level="team", lang=lang, today=TODAY, find_previous=False)
            )
        except DocgenError as error:
            assert str(error) and error.text("zh")  # says something, in either language
            event(f"refused: {type(error).__name__}")
            return
        finally:
            assert path.read_bytes() == before
        opened = docx.Document(io.BytesIO(document))
        assert opened.paragraphs
        event("rendered")


# --- messages ---------------------------------------------------------------------------------------


@QUICK
@given(st.text(max_size=80), st.text(max_size=40))
def test_a_message_never_prints_control_or_bidirectional_characters(found, sheet):
    error = DocgenError(say("cell.not_a_number"), location=Location(file="x.xlsx", sheet=sheet, cell="A1"),
                        expected=say("cell.a_number"), found=found, hint=say("cell.not_a_number.hint"))  # fmt: skip
    for text in (str(error), error.text("zh")):
        assert not any(unicodedata.category(ch) in {"Cc"} and ch not in "\n\t" for ch in text)
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
