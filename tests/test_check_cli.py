"""docgen check and workbook new on the command line; the checks render runs: warnings, --strict, appendix, review."""

import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
TEAM_ZH = SAMPLES / "华东销售一组-2026年10月-团队月报.xlsx"
DEPARTMENT_ZH = SAMPLES / "华东大区-2026年10月-部门月报.xlsx"
GAP = "DG401 数据核对!B2:D2: 指标“销售额”各系统数据差异0.8%，超出0.5%的容差"
# The same finding told to an English interface: the report (and its appendix) stays Chinese.
GAP_EN = "DG401 数据核对!B2:D2: '销售额' differs across the source systems by 0.8%, beyond the 0.5% tolerance"


def run(*args, env=None):
    """The command's result, told in English (DOCGEN_LANG=en) unless `env` says otherwise (docs/language.md)."""
    result = CliRunner().invoke(main, [str(a) for a in args], env={"DOCGEN_LANG": "en", **(env or {})})
    assert "Traceback" not in result.output
    return result


def text_of(path: Path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["|".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def headings(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.style.name.startswith("Heading") and p.text]


# -- docgen check


def test_check_help_has_examples():
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "docgen check sample_inputs/" in result.output
    assert "--json" in result.output and "docs/checks.md" in result.output


def test_a_clean_workbook_has_no_findings():
    result = run("check", TEAM_ZH, "--today", "2026-11-02", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "No findings: the workbook meets the format rules."


def test_findings_are_listed_and_fail_only_under_strict():
    result = run("check", DEPARTMENT_ZH, "--today", "2026-11-02")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("error " + GAP_EN)
    assert lines[-1] == "1 finding (1 error)."
    strict = run("check", DEPARTMENT_ZH, "--today", "2026-11-02", "--strict")
    assert strict.exit_code == 1
    assert strict.output.strip().splitlines()[0].startswith("error " + GAP_EN)


def test_check_says_when_the_report_is_late_and_in_which_language():
    result = run("check", DEPARTMENT_ZH, "--today", "2026-11-09", "--lang", "en")
    late = "This report was due by 3 November 2026; today (9 November 2026) it is 6 days late."
    assert f"warning DG601 报告信息!B9: {late}" in result.output
    assert result.output.strip().splitlines()[-1] == "2 findings (1 error, 1 warning)."


def test_check_json_is_the_documented_document():
    result = run("check", DEPARTMENT_ZH, "--today", "2026-11-09", "--json", "--strict")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["format"] == "docgen-check/1"
    assert (document["period"], document["level"], document["lang"]) == ("monthly", "department", "zh")
    assert (document["today"], document["due_date"], document["previous"]) == ("2026-11-09", "2026-11-03", None)
    assert document["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert [(f["code"], f["severity"], f["sheet"], f["cell"]) for f in document["findings"]] == [
        ("DG401", "error", "数据核对", "B2:D2"),
        ("DG601", "warning", "报告信息", "B9"),
    ]


def test_check_refuses_bad_input_with_exit_code_2(tmp_path):
    missing = run("check", tmp_path / "nope.xlsx", "--json")
    assert missing.exit_code == 2
    assert missing.output.startswith("Error: ") and "nope.xlsx" in missing.output
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("hello", encoding="utf-8")
    result = run("check", not_a_workbook)
    assert result.exit_code == 2 and "notes.xlsx" in result.output
    bad_date = run("check", TEAM_ZH, "--today", "2 Nov")
    assert bad_date.exit_code == 2 and "--today" in bad_date.output


def test_check_needs_period_and_level(make_workbook):
    path = make_workbook({"目标达成": [["指标", "目标", "实际"], ["销售额", 10, 9]]})
    result = run("check", path)
    assert result.exit_code == 2
    assert "the report's period and level is not given" in result.output
    assert run("check", path, "--period", "monthly", "--level", "team", "--today", "2026-11-02").exit_code == 0


# -- render runs the checks


def test_render_prints_findings_as_warnings_and_writes_the_report(tmp_path):
    out = tmp_path / "dept.docx"
    result = run("render", DEPARTMENT_ZH, "-o", out, "--today", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert "Warning: " + GAP_EN in result.output
    assert "数据核对" in headings(out)


def test_strict_fails_a_render_with_findings_and_writes_nothing(tmp_path):
    out = tmp_path / "dept.docx"
    result = run("render", DEPARTMENT_ZH, "-o", out, "--today", "2026-11-02", "--strict", env={"DOCGEN_LANG": None})
    assert result.exit_code == 1
    # The report is Chinese, so the message is too (docgen.text.messages).
    assert "在 --strict 下有 1 项检查发现，因此没有写出报告" in result.output
    # Each finding's severity in the message's language too: no line half in each.
    assert "  - 错误 " + GAP.replace("B2:D2: ", "B2:D2：") in result.output
    assert not out.exists()
    # An existing report is left as it was.
    out.write_bytes(b"old")
    assert run("render", DEPARTMENT_ZH, "-o", out, "--today", "2026-11-02", "--strict", "--force").exit_code == 1
    assert out.read_bytes() == b"old"


def test_strict_renders_a_clean_workbook(tmp_path):
    out = tmp_path / "team.docx"
    result = run("render", TEAM_ZH, "-o", out, "--today", "2026-11-02", "--strict")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    assert out.exists() and "目标达成情况" in headings(out)


def test_findings_appendix(tmp_path):
    out = tmp_path / "dept.docx"
    assert run("render", DEPARTMENT_ZH, "-o", out, "--today", "2026-11-09", "--findings-appendix").exit_code == 0
    text = text_of(out)
    assert headings(out)[-1] == "附录：检查发现"
    assert "docgen 按销售工作总结的格式规则核查本报告，发现以下问题（错误1条，警告1条）。" in text
    assert "DG401|错误|数据核对!B2:D2|指标“销售额”各系统数据差异0.8%" in text
    assert "DG601|警告|报告信息!B9|本报告应于2026年11月3日前报送" in text
    # Without the option there is no appendix.
    plain = tmp_path / "plain.docx"
    run("render", DEPARTMENT_ZH, "-o", plain, "--today", "2026-11-09")
    assert "附录：检查发现" not in headings(plain)


def test_the_cover_shows_the_due_date(tmp_path):
    out = tmp_path / "team.docx"
    run("render", TEAM_ZH, "-o", out, "--today", "2026-11-02")
    assert "2026年11月3日前报送（月报：次月3日前）" in text_of(out)


# -- the closed loop: two months of one team


def _team_month(folder: Path, name: str, month: int, actions: list[list]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "报告信息": [["项目", "内容"], ["单位", "星辰科技"], ["团队", "华东销售一组"], ["姓名", "王芳"], ["层级", "团队"],
                 ["周期", "月报"], ["开始日期", f"2026-{month:02d}-01"], ["结束日期", f"2026-{month:02d}-{30 if month == 9 else 31}"],
                 ["货币单位", "万元"]],
        "目标达成": [["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"], ["销售额", "万元", 1000, 1020, 980, 900, None],
                 ["新增客户", "家", 20, 22, 18, 15, None], ["复购率", "%", 0.35, 0.36, 0.34, 0.33, None],
                 ["客户流失率", "%", 0.05, 0.04, 0.05, 0.06, None]],
        "行动计划": [["编号", "措施", "负责人", "完成时限", "验收标准", "状态"], *actions],
    }  # fmt: skip
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = folder / name
    book.save(path)
    return path


SEPTEMBER_ACTIONS = [
    ["S-01", "推进两家延期大客户签约", "李明", "2026-10-20", "合同签订并回款30%", "进行中"],
    ["S-02", "电话营销话术集训", "王芳", "2026-10-15", "转化率提升至15%", "未开始"],
    ["S-03", "申请区域特价审批权限", "王芳", "2026-11-10", "审批时长缩短至2天", "未开始"],
    ["S-04", "流失客户回访与挽回", "张伟", "2026-10-25", "挽回至少1家流失客户", "进行中"],
]
OCTOBER_ACTIONS = [
    ["S-01", "推进两家延期大客户签约", "李明", "2026-10-20", "合同签订并回款30%", "已完成"],
    ["S-02", "电话营销话术集训", "王芳", "2026-10-15", "转化率提升至15%", "进行中"],
    ["S-03", "申请区域特价审批权限", "王芳", "2026-11-10", "审批时长缩短至2天", "进行中"],
    ["O-01", "新品推介会", "杨帆", "2026-11-20", "到场客户30家", "未开始"],
]


@pytest.fixture
def two_months(tmp_path):
    september = _team_month(tmp_path, "华东销售一组-2026年9月-团队月报.xlsx", 9, SEPTEMBER_ACTIONS)
    october = _team_month(tmp_path, "华东销售一组-2026年10月-团队月报.xlsx", 10, OCTOBER_ACTIONS)
    return september, october


def _review_rows(path: Path) -> list[list[str]]:
    document = docx.Document(path)
    table = next(t for t in document.tables if t.rows[0].cells[0].text in ("序号", "No.", "编号") and
                 any(row.cells[0].text == "S-01" for row in t.rows))  # fmt: skip
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_the_review_of_last_months_actions_is_found_beside_the_workbook(two_months, tmp_path):
    september, october = two_months
    out = tmp_path / "october.docx"
    result = run("render", october, "-o", out, "--today", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert f"Reviewed last period's actions from {september}." in result.output
    # S-04 has gone from October's sheet without a status.
    assert "Warning: DG305 行动计划!B6: Last period's action '流失客户回访与挽回' (S-04) is gone" in result.output
    names = headings(out)
    assert names.index("上月行动回顾") == names.index("目标达成情况") + 1
    text = text_of(out)
    assert "上期行动共四项：一项已完成，一项进行中，两项已逾期。" in text
    assert _review_rows(out) == [
        ["S-01", "推进两家延期大客户签约", "李明", "2026年10月20日", "已完成"],
        ["S-02", "电话营销话术集训", "王芳", "2026年10月15日", "进行中（已逾期）"],
        ["S-03", "申请区域特价审批权限", "王芳", "2026年11月10日", "进行中"],
        ["S-04", "流失客户回访与挽回", "张伟", "2026年10月25日", "本期未更新（已逾期）"],
    ]


def test_previous_given_and_no_previous(two_months, tmp_path):
    september, october = two_months
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / "last.xlsx"
    moved.write_bytes(september.read_bytes())
    september.unlink()
    out = tmp_path / "october.docx"
    assert run("render", october, "-o", out, "--today", "2026-11-02").exit_code == 0
    assert "上月行动回顾" not in headings(out)
    assert run("render", october, "-o", out, "--today", "2026-11-02", "--previous", moved, "--force").exit_code == 0
    assert "上月行动回顾" in headings(out)
    # A Chinese workbook is spoken of in Chinese under LANG=C; DOCGEN_LANG=en asks for English.
    result = run("render", october, "-o", out, "--today", "2026-11-02", "--previous", october, "--force",
                 env={"DOCGEN_LANG": None})
    assert result.exit_code == 2 and "--previous 指定的正是本次报告所用的工作簿" in result.output
    result = run("render", october, "-o", out, "--today", "2026-11-02", "--previous", october, "--force")
    assert result.exit_code == 2 and "--previous names the workbook being reported on" in result.output


def test_no_previous_turns_the_search_off(two_months, tmp_path):
    _september, october = two_months
    out = tmp_path / "october.docx"
    result = run("render", october, "-o", out, "--today", "2026-11-02", "--no-previous")
    assert result.exit_code == 0 and "Reviewed" not in result.output
    assert "上月行动回顾" not in headings(out)


def test_check_with_last_months_workbook(two_months):
    september, october = two_months
    result = run("check", october, "--today", "2026-11-02", "--json")
    document = json.loads(result.output)
    assert document["previous"] == str(september)
    # S-02 is kept, overdue, with its old deadline (give it a new one); S-04 has gone; no team sheet.
    assert [(f["code"], f["cell"]) for f in document["findings"]] == [("DG304", "D3"), ("DG305", "B6"), ("DG502", None)]


def test_an_english_review(tmp_path):
    def month(name, month_number, actions):
        path = _team_month(tmp_path, name, month_number, actions)
        book = openpyxl.load_workbook(path)
        book["报告信息"].append(["语言", "English"])
        book.save(path)
        return path

    month("team-2026-09.xlsx", 9, SEPTEMBER_ACTIONS[:2])
    october = month("team-2026-10.xlsx", 10, OCTOBER_ACTIONS[:2])
    out = tmp_path / "october.docx"
    assert run("render", october, "-o", out, "--today", "2026-11-02").exit_code == 0
    assert "Review of last month's actions" in headings(out)
    assert "Last period's actions: two in all; one done, one overdue." in text_of(out)
    assert _review_rows(out)[1][-1] == "in progress (overdue)"


# -- docgen workbook new


def test_workbook_new_writes_a_blank_workbook(tmp_path):
    out = tmp_path / "团队月报.xlsx"
    result = run("workbook", "new", "--period", "monthly", "--level", "team", "--start", "2026-10-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {out} (monthly, team, zh; 2026-10-01 to 2026-10-31; 12 section sheets)."
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["填写说明", "报告信息", "目标达成"]
    again = run("workbook", "new", "--period", "monthly", "--level", "team", "-o", out, env={"DOCGEN_LANG": None})
    assert again.exit_code == 2 and "输出文件已存在" in again.output  # LANG=C: the Chinese workbook's language
    assert run("workbook", "new", "--period", "monthly", "--level", "team", "-o", out, "--force").exit_code == 0


def test_workbook_new_needs_period_and_level(tmp_path):
    result = run("workbook", "new", "--period", "hourly", "--level", "team", "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "hourly" in result.output
    assert run("workbook", "new", "--level", "team", "-o", tmp_path / "x.xlsx").exit_code == 2


def test_workbook_help_has_examples():
    for args in (["workbook", "--help"], ["workbook", "new", "--help"]):
        result = run(*args)
        assert result.exit_code == 0
        assert re.search(r"docgen workbook new --period \w+ --level \w+", result.output)


def test_docgen_toml_sets_the_core_indicators(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text('core_indicators = ["销售额", "新增客户", "复购率", "流失率", "毛利率"]\n', encoding="utf-8")
    result = run("check", TEAM_ZH, "--today", "2026-11-02", "--config", config)
    assert "error DG101 目标达成!A10: The core indicator '毛利率' is missing from the targets" in result.output
    assert result.output.strip().splitlines()[-1] == "1 finding (1 error)."


def test_docgen_toml_sets_the_reconciliation_tolerance(tmp_path):
    """The department sample's 0.8% gap is a finding at the default 0.5%, and not at a configured 1%."""
    sample = Path(__file__).resolve().parents[1] / "sample_inputs" / "华东大区-2026年10月-部门月报.xlsx"
    config = tmp_path / "docgen.toml"
    config.write_text("[checks]\ntolerance = 0.01\n", encoding="utf-8")
    default = CliRunner().invoke(main, ["check", str(sample), "--today", "2026-11-02", "--no-previous"])
    assert "DG401" in default.output
    relaxed = CliRunner().invoke(
        main, ["check", str(sample), "--today", "2026-11-02", "--no-previous", "--config", str(config)]
    )
    assert relaxed.exit_code == 0 and "DG401" not in relaxed.output, relaxed.output
