"""A figure that does not fit its unit or its row is refused or reported at its cell, never passed on silently."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from conftest import MINIMAL_INFO, MINIMAL_TARGETS, rewrite_part
from docgen.input import plausibility
from docgen.input import units
from docgen.report.checks import check_workbook
from docgen.cli import main
from docgen.errors import InvalidWorkbook
from docgen.runs.report import ReportOptions, build_report
from docgen.input.workbook import load_workbook

TODAY = dt.date(2026, 11, 2)
SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"


def sheets(targets=MINIMAL_TARGETS, info=MINIMAL_INFO, **more):
    return {"报告信息": [list(r) for r in info], "目标达成": [list(r) for r in targets], **more}


def targets_with(row_index: int, row: list) -> list[list]:
    rows = [list(r) for r in MINIMAL_TARGETS]
    rows[row_index] = row
    return rows


def findings(workbook, code=None):
    found = check_workbook(workbook, period="monthly", level="team", lang="zh", today=TODAY)
    return [f for f in found if code is None or f.code == code]


def report_text(workbook, lang=None) -> list[str]:
    built = build_report(workbook, ReportOptions(today=TODAY, lang=lang))
    document = docx.Document(io.BytesIO(built.document))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs if p.text.strip()] + cells


# -- units


@pytest.mark.parametrize("written", ["%", "％", "百分比", "百分率", "个百分点", "Percent", " pct "])
def test_percent_units_in_their_usual_spellings_are_rates(written):
    assert units.parse_unit(written).is_rate


@pytest.mark.parametrize("written, currency, scale", [
    ("元", "CNY", 1), ("千元", "CNY", 1e3), ("万元", "CNY", 1e4), ("亿元", "CNY", 1e8), ("美元", "USD", 1),
    ("USD", "USD", 1), ("￥", "CNY", 1), ("RMB", "CNY", 1), ("usd", "USD", 1),
])
def test_money_units_carry_their_currency_and_scale(written, currency, scale):
    unit = units.parse_unit(written)
    assert (unit.kind, unit.currency, unit.scale) == (units.MONEY, currency, scale)


@pytest.mark.parametrize("written", ["家", "个", "户", "单", "条", "次", "人", "customers"])
def test_counts_are_counts(written):
    assert units.parse_unit(written).kind == units.COUNT


@pytest.mark.parametrize("written", ["PCS", "SKU", "KPI"])
def test_three_capitals_that_are_no_currency_are_no_money(written):
    assert not units.parse_unit(written).is_money


def test_rmb_and_yuan_are_one_currency_in_one_report():
    rmb, wan = units.parse_unit("RMB"), units.parse_unit("万元")
    assert rmb.converts_to(wan) and units.conversion_factor(rmb, wan) == pytest.approx(1e-4)


def test_yuan_converts_to_wan_yuan_but_not_to_dollars():
    yuan, wan, dollar = (units.parse_unit(u) for u in ("元", "万元", "美元"))
    assert units.conversion_factor(yuan, wan) == pytest.approx(1e-4)
    assert not yuan.converts_to(dollar)


# -- certain slips: errors at the cell, nothing rendered


def test_a_percentage_typed_in_an_amount_row_is_an_error_naming_the_cell(make_workbook):
    path = make_workbook(sheets(targets_with(1, ["销售额", "万元", 1000, "96%", 900, 850, "大客户回款延迟"])))
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    (problem,) = raised.value.problems
    assert (problem.location.sheet, problem.location.cell) == ("目标达成", "D2")
    assert problem.text("zh").endswith(
        "“实际”列：这一行以“万元”计，却填了百分比；应为以“万元”计的数值；实际为“96%”。"
        "请填写以“万元”计的数值（例如 1152），不要带 %；如果这一行确实是比率，请把单位列改为 %。"
    )


def test_a_cell_formatted_as_percent_in_a_count_row_is_an_error(make_workbook):
    path = make_workbook(sheets())
    book = openpyxl.load_workbook(path)
    book["目标达成"]["D3"].number_format = "0%"  # 新增客户's actual, 24, shown as 2400%
    book.save(path)
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    assert [(p.location.sheet, p.location.cell) for p in raised.value.problems] == [("目标达成", "D3")]


def test_an_amount_with_a_currency_sign_in_a_rate_row_is_an_error(make_workbook):
    path = make_workbook(sheets(targets_with(3, ["复购率", "%", 0.35, "￥38,000", 0.33, 0.30, None])))
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    assert [p.location.cell for p in raised.value.problems] == ["D4"]
    assert "单位是“%”，却填了金额" in raised.value.problems[0].text("zh")


def test_a_percentage_in_a_pipeline_amount_is_an_error(make_workbook):
    pipeline = [["渠道", "线索数", "成交数", "成交金额"], ["电话营销", 300, 24, "12%"]]
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(make_workbook(sheets(客户开发=pipeline)))
    assert [(p.location.sheet, p.location.cell) for p in raised.value.problems] == [("客户开发", "D2")]


def test_render_stops_on_the_slip_with_exit_code_2_and_writes_nothing(make_workbook, tmp_path):
    path = make_workbook(sheets(targets_with(1, ["销售额", "万元", 1000, "96%", 900, 850, None])), "月报.xlsx")
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out)], env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2, result.output
    assert "目标达成" in result.output and "D2" in result.output and "却填了百分比" in result.output
    assert not out.exists()
    assert "Traceback" not in result.output


# -- likely slips: findings at the cell, saying what was taken


def test_a_fraction_among_hundreds_in_an_amount_row_is_a_finding_with_what_was_taken(make_workbook):
    workbook = load_workbook(make_workbook(sheets(targets_with(1, ["销售额", "万元", 1000, 0.96, 900, 850, None]))))
    (finding,) = findings(workbook, "DG107")
    assert (finding.sheet, finding.cell, finding.severity) == ("目标达成", "D2", "warning")
    assert finding.message.startswith("指标“销售额”的“实际”为0.96万元，是“目标”（1,000万元）的约1/1,042")
    assert "docgen 暂按0.96万元计算" in finding.message


def test_a_rate_over_a_thousand_percent_is_a_finding_suggesting_the_percent_meant(make_workbook):
    path = make_workbook(sheets())
    book = openpyxl.load_workbook(path)
    book["目标达成"]["D4"] = 38  # 复购率's actual typed as 38 into a cell formatted as a percentage: 3,800%
    book["目标达成"]["D4"].number_format = "0.0%"
    book.save(path)
    (finding,) = findings(load_workbook(path), "DG107")
    assert finding.cell == "D4"
    assert "比率超过1000%（是否应为38%？）" in finding.message


def test_a_hundredfold_jump_on_last_period_is_a_finding_unless_the_note_explains_it(make_workbook):
    jump = ["新增客户", "家", 20, 24, 1800, 15]
    unexplained = load_workbook(make_workbook(sheets(targets_with(2, [*jump, None])), "a.xlsx"))
    explained = load_workbook(make_workbook(sheets(targets_with(2, [*jump, "上月含批量导入的线索"])), "b.xlsx"))
    assert [f.cell for f in findings(unexplained, "DG107")] == ["E3"]
    assert findings(explained, "DG107") == []


def test_the_samples_raise_no_doubt():
    for path in sorted(SAMPLES.rglob("*.xlsx")):
        workbook = load_workbook(path)
        assert [d for d in workbook.doubts if d.code == plausibility.LIKELY_SLIP] == [], path.name


# -- units: 百分比 is a percent, amounts in another scale are converted, a missing unit is inferred


@pytest.mark.parametrize("unit", ["百分比", "百分率", "%"])
def test_a_rate_row_reads_the_same_whatever_its_percent_spelling(make_workbook, unit):
    workbook = load_workbook(make_workbook(sheets(targets_with(3, ["复购率", unit, 30, 32.7, 31, 29, None]))))
    target = workbook.targets[2]
    assert (target.target, target.actual) == pytest.approx((0.30, 0.327))
    texts = report_text(workbook)
    assert "32.7%" in texts and "30.0%" in texts  # the targets table's actual and target cells
    assert not any("3,270" in text or "3270" in text for text in texts)


def test_a_row_without_a_unit_whose_figures_are_percentages_is_a_rate_and_says_so(make_workbook):
    workbook = load_workbook(make_workbook(sheets(targets_with(3, ["复购率", None, "35%", "38%", "33%", "30%", None]))))
    assert workbook.targets[2].is_rate
    (finding,) = findings(workbook, "DG108")
    assert finding.cell == "B4" and "按比率（%）计算" in finding.message


def test_amounts_in_yuan_are_converted_into_the_reports_wan_yuan_and_read_the_same(make_workbook):
    in_wan = load_workbook(make_workbook(sheets(), "wan.xlsx"))
    in_yuan = load_workbook(make_workbook(
        sheets(targets_with(1, ["销售额", "元", 10_000_000, 9_600_000, 9_000_000, 8_500_000, "大客户回款延迟"])),
        "yuan.xlsx"))
    assert in_yuan.targets[0].unit == "万元"
    assert in_yuan.targets[0].actual == pytest.approx(960)
    assert report_text(in_yuan) == report_text(in_wan)
    (finding,) = findings(in_yuan, "DG108")
    assert finding.cell == "B2" and "已换算为报告的货币单位“万元”（1元 = 0.0001万元）" in finding.message


# -- metamorphic: the order of a section's rows changes no figure

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _figures(texts: list[str]) -> list[str]:
    return sorted(number for text in texts for number in _NUMBER.findall(text))


def test_shuffling_the_rows_of_a_section_changes_no_figure(make_workbook):
    pipeline = [["渠道", "线索数", "成交数", "成交金额"], ["电话营销", 300, 24, 180], ["展会", 120, 30, 420],
                ["老客户转介绍", 60, 21, 360], ["线上广告", 500, 15, 96]]
    team = [["成员", "贡献事项", "业绩", "占比"], ["李明", "签约大客户", 420, None], ["王芳", "带教新人", 300, None],
            ["张伟", "整理话术库", 240, None]]
    original = load_workbook(make_workbook(sheets(客户开发=pipeline, 团队贡献=team), "a.xlsx"))
    shuffled = random.Random(7)
    rows = [list(r) for r in MINIMAL_TARGETS]
    body_targets, body_pipeline, body_team = rows[1:], pipeline[1:], team[1:]
    for body in (body_targets, body_pipeline, body_team):
        shuffled.shuffle(body)
    reordered = load_workbook(make_workbook(
        sheets([rows[0], *body_targets], 客户开发=[pipeline[0], *body_pipeline], 团队贡献=[team[0], *body_team]),
        "b.xlsx"))
    assert _figures(report_text(reordered)) == _figures(report_text(original))


def test_a_character_the_reader_replaced_is_a_finding_at_its_cell(make_workbook):
    path = make_workbook(sheets(targets_with(1, ["销售额", "万元", 1000, 960, 900, 850, "HALF回款延迟"])))
    rewrite_part(path, "xl/worksheets/sheet2.xml", lambda xml: xml.replace("HALF", "_xD800_"))  # 目标达成
    workbook = load_workbook(path)
    assert workbook.targets[0].note == "\ufffd回款延迟"
    (finding,) = findings(workbook, "DG109")
    assert (finding.sheet, finding.cell) == ("目标达成", "G2")
    assert "已替换为“\ufffd”" in finding.message
