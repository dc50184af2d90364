"""Sheets taken as sections by what they hold: a name close to a section's, or its headers; note columns.

A renamed sheet (目标完成情况 for 目标达成) used to vanish from the report and
come back as an unknown table; now it is read as the section it is, and
`docgen check` says so (DG001). A sheet that comes close without being taken
is named by the finding about the missing section (DG101, DG502).
"""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from click.testing import CliRunner

from conftest import MINIMAL_INFO, MINIMAL_TARGETS
from docgen.report.checks import check_workbook
from docgen.cli import main
from docgen.errors import InvalidWorkbook
from docgen.input.workbook import load_workbook

TODAY = dt.date(2026, 11, 2)


def findings(book, lang="zh", level="team"):
    return check_workbook(book, period="monthly", level=level, lang=lang, today=TODAY)


def reading(book, name):
    return next(sheet for sheet in book.sheets if sheet.name == name)


@pytest.mark.parametrize("name", ["目标完成情况", "目标达成情况", "目标达成（10月）", "Targets 2026"])
def test_a_sheet_named_close_to_a_section_is_that_section(make_workbook, name):
    original = load_workbook(make_workbook({"报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS}, "original.xlsx"))
    renamed = load_workbook(make_workbook({"报告信息": MINIMAL_INFO, name: MINIMAL_TARGETS}, "renamed.xlsx"))
    assert renamed.present == ("info", "targets")
    assert renamed.targets == original.targets
    assert renamed.generic == ()
    sheet = reading(renamed, name)
    assert (sheet.section, sheet.how, sheet.header_row) == ("targets", "close-name", 1)
    assert [(c.column, c.header, c.field) for c in sheet.columns][:4] == [
        ("A", "指标", "indicator"), ("B", "单位", "unit"), ("C", "目标", "target"), ("D", "实际", "actual")]
    assert renamed.places["targets"].sheet == name


def test_the_renamed_targets_sheet_gives_one_finding_and_no_missing_indicators(make_workbook):
    book = load_workbook(make_workbook({"报告信息": MINIMAL_INFO, "目标完成情况": MINIMAL_TARGETS}))
    found = [f for f in findings(book) if f.code in ("DG001", "DG101")]
    assert [(f.code, f.severity, f.sheet, f.cell) for f in found] == [("DG001", "warning", "目标完成情况", "A1:G1")]
    assert found[0].message == (
        "工作表“目标完成情况”不是标准名称，docgen 因为其名称与“目标达成”相近，且表头与该表的列相符，把它当作“目标达成”表读取。"
        "如果没错，请把工作表改名为“目标达成”；如果不对，请给它改名并调整列标题。"
    )


def test_rendering_the_renamed_sheet_gives_the_targets_section_and_says_why(make_workbook, tmp_path):
    workbook = make_workbook({"报告信息": MINIMAL_INFO, "目标完成情况": MINIMAL_TARGETS})
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["render", str(workbook), "-o", str(out), "--today", "2026-11-02"])
    assert result.exit_code == 0, result.output
    # Under LANG=C the Chinese workbook's language is the interface's: the warning is Chinese throughout.
    assert "警告：DG001 目标完成情况!A1:G1：工作表“目标完成情况”不是标准名称" in result.output
    assert "DG101" not in result.output
    text = [paragraph.text for paragraph in docx.Document(str(out)).paragraphs]
    assert "目标达成情况" in text  # the section's heading
    assert any(line.startswith("本月销售额完成960.0万元（目标1,000.0万元），目标达成率96.0%") for line in text)
    assert "目标完成情况" not in text  # not printed again as an unknown sheet
    assert not any("四项指标中三项达成目标" in line and "未列入" in line for line in text)


def test_a_sheet_recognised_by_its_headers_alone(make_workbook):
    book = load_workbook(make_workbook({"报告信息": MINIMAL_INFO, "Sheet1": MINIMAL_TARGETS}))
    sheet = reading(book, "Sheet1")
    assert (sheet.section, sheet.how) == ("targets", "headers")
    assert sheet.matched[:4] == ("指标", "单位", "目标", "实际")
    (found,) = [f for f in findings(book, lang="en") if f.code == "DG001"]
    assert found.message.startswith(
        "The sheet 'Sheet1' is not named as docgen expects; it was read as the 'Targets' sheet because its headers "
        "(指标, 单位, 目标, 实际, 上期, 去年同期) are that sheet's columns.")


def test_an_unknown_sheet_stays_a_table_of_its_own(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "竞品价格": [["产品", "价格", "说明"], ["A型", 120, "上月140"]],
        "下月工作计划": [["事项", "时间"], ["拜访华润", "11月5日"]],  # close to 计划, but not its columns
    }))
    assert [g.title for g in book.generic] == ["竞品价格", "下月工作计划"]
    assert reading(book, "竞品价格").how == "unknown"
    assert reading(book, "下月工作计划").almost == "actions"
    assert not [f for f in findings(book) if f.code == "DG001"]


def test_a_sheet_named_as_the_section_wins_over_one_only_like_it(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成情况（上月）": MINIMAL_TARGETS, "目标达成": MINIMAL_TARGETS,
    }))
    assert book.places["targets"].sheet == "目标达成"
    assert [g.title for g in book.generic] == ["目标达成情况（上月）"]
    other = reading(book, "目标达成情况（上月）")
    assert (other.section, other.almost, other.almost_why) == (None, "targets", "second")
    (found,) = [f for f in findings(book) if f.code in ("DG001", "DG002")]
    assert (found.code, found.severity, found.sheet) == ("DG002", "warning", "目标达成情况（上月）")
    assert found.message == (
        "工作表“目标达成情况（上月）”看起来也是“目标达成”表，但“目标达成”已按名称读作该表，所以报告把它作为普通表格原样列出，"
        "不计入指标。如果报告应使用它，请删除或改名“目标达成”，并把它改名为“目标达成”。")


def test_two_sheets_that_could_both_be_the_section_are_an_error_naming_both(make_workbook):
    path = make_workbook({"报告信息": MINIMAL_INFO, "目标完成情况": MINIMAL_TARGETS, "Targets 2026": MINIMAL_TARGETS})
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    (problem,) = raised.value.problems
    assert problem.location.sheet == "Targets 2026"
    assert "“目标完成情况” and “Targets 2026” could both be the “目标达成” sheet" in str(problem)
    assert "工作表“目标完成情况”和“Targets 2026”都可能是“目标达成”表" in problem.text("zh")


def test_bad_cells_of_a_sheet_taken_by_its_headers_say_why_the_sheet_is_held_to_the_section(make_workbook):
    path = make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "重点客户": [["客户", "原因", "金额", "措施"], ["华润", "价格", "约20万", "回访"]],  # 客户流失's columns
    })
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    cell, sheet = raised.value.problems
    assert (cell.location.sheet, cell.location.cell) == ("重点客户", "C2")
    assert (sheet.location.sheet, sheet.location.cell) == ("重点客户", None)
    assert str(sheet).endswith(
        "this sheet was read as the “客户流失” sheet because its headers (客户, 原因, 金额, 措施) are that sheet's "
        "columns, so its cells are held to that sheet's rules. If it is not that sheet, rename it and change its "
        "headers, and the report prints it as a table of its own; if it is, correct the cells listed.")
    assert "这张工作表被当作“客户流失”表读取（表头（客户, 原因, 金额, 措施）正是该表的列）" in sheet.text("zh")


def test_a_missing_targets_sheet_names_the_sheet_that_almost_matched(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标完成情况": [["指标", "计划", "完成"], ["销售额", 1000, 960]],
    }))
    assert "targets" not in book.present
    dg101 = [f for f in findings(book) if f.code == "DG101"]
    assert len(dg101) == 4
    assert {f.sheet for f in dg101} == {"目标完成情况"}
    assert dg101[0].message.endswith(
        "工作表“目标完成情况”与“目标达成”表相近，但没有当作该表读取：名称相近，表头却与该表的列不符（缺少目标列）。"
        "如果它就是该表，请把它改名为“目标达成”，并使用空白工作簿中的列标题。")
    english = [f for f in findings(book, lang="en") if f.code == "DG101"][0]
    assert "The sheet '目标完成情况' comes close to the 'Targets' sheet but was not read as it" in english.message
    assert "(it lacks Target)" in english.message


def test_a_missing_team_sheet_names_the_sheet_that_almost_matched(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS, "团队情况": [["姓名", "备注"], ["张三", "带新人"]],
    }))
    (dg502,) = [f for f in findings(book) if f.code == "DG502"]
    assert dg502.sheet == "团队情况"
    assert "工作表“团队情况”与“团队贡献”表相近，但没有当作该表读取" in dg502.message


def test_a_team_sheet_under_another_name_is_read_with_its_members(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "团队情况": [["成员", "贡献事项", "业绩"], ["张三", "带新人", 300], ["李四", "大客户", 500]],
    }))
    assert [m.member for m in book.team] == ["张三", "李四"]
    assert not [f for f in findings(book) if f.code == "DG502"]


# Note columns


def test_a_note_column_on_the_reconciliation_sheet_is_a_note_not_a_fourth_system(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "数据核对": [["指标", "销售系统", "财务系统", "仓库系统", "说明"],
                 ["销售额", 960, 955, 960, "财务有一笔5万元回款未入账"], ["新增客户", 24, 24, 24, None]],
    }))
    sales, customers = book.reconcile
    assert sales.sources == ("销售系统", "财务系统", "仓库系统")
    assert sales.values == (960.0, 955.0, 960.0)
    assert sales.note == "财务有一笔5万元回款未入账"
    assert customers.note is None
    columns = reading(book, "数据核对").columns
    assert [(c.column, c.field, c.label) for c in columns] == [
        ("A", "indicator", None), ("B", "source", "销售系统"), ("C", "source", "财务系统"),
        ("D", "source", "仓库系统"), ("E", "note", None)]


@pytest.mark.parametrize("header", ["备注", "Note", "Remarks"])
def test_a_note_column_on_the_trend_sheet_is_no_sub_period(make_workbook, header):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "月度趋势": [["指标", dt.datetime(2026, 8, 1), dt.datetime(2026, 9, 1), dt.datetime(2026, 10, 1), header],
                 ["销售额", 880, 900, 960, "十月有大单"]],
    }))
    (series,) = book.trend
    assert series.labels == ("2026-08", "2026-09", "2026-10")
    assert series.values == (880.0, 900.0, 960.0)


def test_a_note_column_is_allowed_on_every_sheet_and_a_row_of_only_a_note_is_no_row(make_workbook):
    book = load_workbook(make_workbook({
        "报告信息": MINIMAL_INFO, "目标达成": MINIMAL_TARGETS,
        "问题反思": [["现象", "原因", "影响", "类型", "备注"],
                 ["回款慢", "客户审批长", "现金流紧", "外部", "已上报"], [None, None, None, None, "注：数据截至10月31日"]],
    }))
    (problem,) = book.problems
    assert problem.symptom == "回款慢"
    assert ("E", "备注", "note") in [(c.column, c.header, c.field) for c in reading(book, "问题反思").columns]


def test_the_split_reads_a_renamed_sheet_as_the_whole_workbook_does(make_workbook):
    from test_split import assert_same_split

    targets = [[*row, "销售员" if i == 0 else ("张三" if i % 2 else "李四")] for i, row in enumerate(MINIMAL_TARGETS)]
    assert_same_split(make_workbook({"报告信息": MINIMAL_INFO, "目标完成情况": targets}))


def test_every_sheet_says_how_it_was_read_even_when_the_workbook_has_problems(make_workbook):
    from docgen.input.reader import read_workbook
    from docgen.input.workbook import read_sheets

    path = make_workbook({
        "填写说明": [["请按说明填写"]], "报告信息": MINIMAL_INFO, "Targets": MINIMAL_TARGETS,
        "目标": MINIMAL_TARGETS, "空表": [], "竞品": [["产品", "价格"], ["A", 1]],
    })  # 目标 is a second targets sheet: the workbook cannot make a report
    readings, invalid = read_sheets(str(path), read_workbook(path))
    assert "second “目标达成” sheet" in str(invalid)
    assert [(r.name, r.section, r.how, r.skipped) for r in readings] == [
        ("填写说明", None, "instructions", "instructions"),
        ("报告信息", "info", "name", None),
        ("Targets", "targets", "name", None),
        ("目标", "targets", "alias", "second"),
        ("空表", None, "unknown", "empty"),
        ("竞品", None, "unknown", None),
    ]
    info = readings[1]
    assert (info.fields[0].key, info.fields[0].field, info.fields[0].cell) == ("标题", "title", "B2")
