"""Every number a report states is one its workbook holds, or a documented derivation of them, within rounding.

The derivations are those docs/narrative.md documents: a figure itself (and
as a percentage), differences, ratios and changes between two figures of one
row or one column (达成率, 环比, 同比, gaps, conversion, shares), the sums of the rows
that share a name (a channel two salespeople worked, in a team workbook), a column's
sum, mean and leading figures (totals, the top three's share), and ratios of
two columns' sums (overall conversion). A number in a report that none of
these gives is a figure docgen made up or misread, and fails the test.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import re
from pathlib import Path

import docx
import pytest

from docgen.input.reader import read_workbook
from docgen.runs.report import ReportOptions, build_report
from docgen.input.workbook import cell_text, load_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
TODAY = dt.date(2026, 11, 2)

# Dates, periods, weeks, page and section numbers, IDs: numbers that are not figures.
_NOT_FIGURES = re.compile(
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*日"
    r"|第\s*\d+\s*(?:周|页|季度)|共\s*\d+\s*页|\d{4}-\d{2}(?:-\d{2})?|\b[A-Z]{1,3}-?\d+\b|\bQ[1-4]\b"
    r"|\b(?:week|Week|W)\s*\d+|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)|(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{1,2}|\b(?:19|20)\d{2}\b"
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALES = (1.0, 1e3, 1e4, 1e8)  # a report states 万元 amounts in yuan in English (CNY 9,600,000)


def report_numbers(document: bytes) -> list[str]:
    """The numbers of a report's paragraphs and tables, as written, dates and IDs left out."""
    parsed = docx.Document(io.BytesIO(document))
    texts = [p.text for p in parsed.paragraphs]
    texts += [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return [number for text in texts for number in _NUMBER.findall(_NOT_FIGURES.sub(" ", text))]


def workbook_figures(path: Path) -> list[float]:
    """Every figure the workbook holds and every documented derivation of them."""
    grid: list[list[float]] = []
    by_column: dict[tuple[str, int], list[float]] = {}
    figures: set[float] = set()
    for sheet in read_workbook(path):
        groups: dict[str, dict[int, float]] = {}  # rows of one name (a channel of two salespeople) add up
        for row in sheet.rows:
            name = cell_text(row[0])
            for cell in row[1:]:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    group = groups.setdefault(name, {})
                    group[cell.column] = group.get(cell.column, 0.0) + cell.value
            numbers = []
            for cell in row:
                value = cell.value
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, (int, float)):
                    numbers.append(float(value))
                    by_column.setdefault((sheet.name, cell.column), []).append(float(value))
                for found in _NUMBER.findall(cell_text(cell)):  # figures written in text: 约60万元, 降价10%
                    figures.add(float(found.replace(",", "")))
            grid.append(numbers)
        for group in groups.values():
            grid.append(list(group.values()))
            figures.update(group.values())
        figures.add(float(len(sheet.rows)))
    for numbers in grid:
        figures.update(_pairs(numbers))
    sums = []
    for numbers in by_column.values():
        figures.update(_pairs(numbers))
        total = sum(numbers)
        sums.append(total)
        leading = list(itertools.accumulate(sorted(numbers, reverse=True)))
        figures.update([total, total / len(numbers), *leading])
        if total:
            figures.update(value / total for value in [*numbers, *leading])
    figures.update(_pairs(sums))
    figures.update(range(0, 13))  # counts of rows and things, said as digits in English
    spread = {value * scale for value in figures for scale in _SCALES}
    return sorted(abs(value) for value in spread | {value * 100 for value in spread})


def _pairs(numbers: list[float]) -> set[float]:
    """Differences, ratios and changes between two figures (a target and its actual, two months …)."""
    derived = set()
    for a, b in itertools.permutations(numbers, 2):
        derived.add(a - b)
        if b:
            derived.update((a / b, (a - b) / b))
    return derived


def unexplained(numbers: list[str], figures: list[float]) -> list[str]:
    missing = []
    for written in numbers:
        value = float(written.replace(",", ""))
        decimals = len(written.partition(".")[2])
        tolerance = 0.5 * 10 ** -decimals + 1e-6
        at = bisect.bisect_left(figures, value - tolerance)
        if at == len(figures) or figures[at] > value + tolerance:
            missing.append(written)
    return missing


SAMPLE_WORKBOOKS = sorted(SAMPLES.glob("*.xlsx")) + sorted((SAMPLES / "2026-10-华东销售一组-个人月报").glob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLE_WORKBOOKS, ids=lambda path: path.stem)
def test_every_number_in_a_sample_report_comes_from_its_workbook(path, sample_report):
    numbers = report_numbers(sample_report(path)[0])
    assert len(numbers) > 20  # the report states its figures
    assert unexplained(numbers, workbook_figures(path)) == []


def test_a_misread_figure_would_be_caught():
    # The guard itself: a number no derivation gives is reported.
    figures = sorted({1200.0, 1152.0, 96.0})
    assert unexplained(["1,152.0", "96.0", "1,234.5"], figures) == ["1,234.5"]


MADE = {  # a workbook made for this test: figures no sample has, every section that states figures
    "报告信息": [["项目", "内容"], ["团队", "华南二组"], ["层级", "团队"], ["周期", "季报"], ["开始日期", "2026-07-01"],
             ["结束日期", "2026-09-30"], ["货币单位", "万元"], ["语言", "中文"]],
    "目标达成": [["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
             ["销售额", "万元", 3210.5, 2987.25, 2875.4, 2650, "两个项目延期"], ["新增客户", "家", 47, 53, 41, 39, None],
             ["复购率", "%", 0.415, 0.398, 0.402, 0.377, "老客户预算收紧"], ["客户流失率", "%", 0.061, 0.073, 0.058, 0.066, "竞品降价"]],
    "月度趋势": [["指标", "7月", "8月", "9月"], ["销售额", 912.5, 1003.75, 1071], ["新增客户", 15, 17, 21]],
    "客户开发": [["渠道", "线索数", "成交数", "成交金额"], ["电话营销", 433, 37, 611.3], ["展会", 97, 19, 1204.45],
             ["转介绍", 58, 27, 1171.5]],
    "团队贡献": [["成员", "贡献事项", "业绩", "占比"], ["周敏", "签约两家大客户", 1187.6, None], ["吴昊", "新渠道", 903.15, None],
             ["郑爽", "带教", 896.5, None]],
    "数据核对": [["指标", "销售系统", "财务系统"], ["销售额", 2987.25, 2961.8]],
}


def test_every_number_in_a_report_of_a_made_workbook_comes_from_it(make_workbook):
    path = make_workbook(MADE, "made.xlsx")
    built = build_report(load_workbook(path), ReportOptions(today=TODAY))
    numbers = report_numbers(built.document)
    assert "2,987.3" in numbers  # the actual, as the report rounds it
    assert unexplained(numbers, workbook_figures(path)) == []
