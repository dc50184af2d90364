"""The blank workbook: every period and level, read back, with its hints and drop-downs, and once filled, rendered."""

import datetime as dt
import io

import docx
import openpyxl
import pytest

from docgen.input import blank

from docgen.report import review

from docgen.input import schema
from docgen.report.checks import check_workbook, load_messages
from docgen.report.due import due_date
from docgen.errors import InvalidWorkbook
from docgen.word.library import builtin_dir
from docgen.input.reader import read_workbook
from docgen.runs.report import ReportOptions, build_report
from docgen.input.workbook import load_workbook

COMBINATIONS = [(period, level) for period in schema.PERIODS for level in schema.LEVELS]
OCTOBER = dt.date(2026, 10, 1)
START = {"daily": dt.date(2026, 10, 30), "weekly": dt.date(2026, 10, 26), "monthly": OCTOBER,
         "quarterly": OCTOBER, "annual": dt.date(2026, 1, 1)}  # fmt: skip


def make_blank(tmp_path, period, level, lang):
    settings = blank.blank_settings(period, level, lang, START[period])
    path = tmp_path / f"{period}-{level}.{lang}.xlsx"
    blank.write_blank_workbook(path, settings)
    return path, settings


def columns_of(sheet) -> dict[str, int]:
    """Header text → column number, and the known column keys → column number."""
    section = schema.section_for_sheet(sheet.title)
    found = {}
    for cell in sheet[1]:
        column = schema.match_column(section, cell.value) if section else None
        found[column.key if column else cell.value] = cell.column
    return found


def test_the_sections_each_period_and_level_use():
    assert blank.sections_for("daily", "individual") == ("targets", "followups", "problems", "actions", "team")
    assert blank.sections_for("monthly", "team") == (
        "targets", "trend", "pipeline", "accounts", "churn", "followups", "market", "problems", "lessons",
        "actions", "team", "reconcile",
    )  # fmt: skip
    assert "reconcile" not in blank.sections_for("monthly", "individual")
    assert "followups" not in blank.sections_for("quarterly", "department")
    assert blank.sections_for("annual", "department")[:2] == ("targets", "trend")


def test_the_sub_periods_name_the_trend_columns():
    assert blank.sub_periods("monthly", OCTOBER, "zh") == ["第40周", "第41周", "第42周", "第43周", "第44周"]
    assert blank.sub_periods("quarterly", OCTOBER, "en") == ["Oct", "Nov", "Dec"]
    assert blank.sub_periods("annual", dt.date(2026, 1, 1), "zh")[::11] == ["1月", "12月"]
    assert blank.sub_periods("weekly", dt.date(2026, 10, 26), "zh") == ["周一", "周二", "周三", "周四", "周五"]
    assert blank.sub_periods("daily", dt.date(2026, 10, 26), "zh") == []


@pytest.mark.parametrize("lang", schema.LANGUAGES)
@pytest.mark.parametrize("period, level", COMBINATIONS)
def test_every_blank_workbook_reads_back(tmp_path, period, level, lang):
    path, settings = make_blank(tmp_path, period, level, lang)
    book = openpyxl.load_workbook(path)
    words = blank.load_words(lang)
    names = [schema.section(key).names[0 if lang == "zh" else 1] for key in blank.sections_for(period, level)]
    info_name = schema.INFO.names[0 if lang == "zh" else 1]
    assert book.sheetnames == [words["instructions"]["sheet"], info_name, *names]
    # docgen's reader reads every sheet; its model sees the sections (the instructions sheet is skipped).
    assert [sheet.name for sheet in read_workbook(path)] == book.sheetnames
    with pytest.raises(InvalidWorkbook) as raised:
        load_workbook(path)
    # What an untouched blank lacks is the targets of the pre-filled core indicators, and it says so.
    assert {problem.location.cell for problem in raised.value.problems} == {"C2", "C3", "C4", "C5"}

    info = book[info_name]
    values = {row[0].value: row[1].value for row in info.iter_rows(min_row=2)}
    period_word = schema.PERIOD_NAMES[period][0] if lang == "zh" else schema.PERIOD_NAMES[period][1].capitalize()
    level_word = schema.LEVEL_NAMES[level][0] if lang == "zh" else schema.LEVEL_NAMES[level][1].capitalize()
    key = {"period": "周期" if lang == "zh" else "Period", "level": "层级" if lang == "zh" else "Level"}
    assert values[key["period"]] == period_word and values[key["level"]] == level_word
    assert schema.parse_period(period_word) == period and schema.parse_level(level_word) == level

    for name in names:
        sheet = book[name]
        assert sheet.freeze_panes in ("A2", "B2")
        assert all(cell.comment is not None and cell.comment.text for cell in sheet[1])


def _validations(sheet) -> dict[str, str]:
    """The first cell of each validated range → its list of values (or its type)."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in str(validation.sqref).split():
            found[cells.split(":")[0]] = validation.formula1 if validation.type == "list" else validation.type
    return found


def test_drop_downs_formats_and_hints_zh(tmp_path):
    path, _ = make_blank(tmp_path, "monthly", "team", "zh")
    book = openpyxl.load_workbook(path)
    assert _validations(book["问题反思"])["D2"] == '"内部,外部"'
    assert _validations(book["客户流失"])["D2"] == '"是,否"'
    assert _validations(book["行动计划"])["F2"] == '"未开始,进行中,已完成,已取消"'
    assert _validations(book["行动计划"])["D2"] == "date"
    assert _validations(book["客户分层"])["A2"] == '"A,B,C"'
    assert _validations(book["客户分层"])["C2"] == "decimal"
    assert _validations(book["报告信息"])["B7"] == '"个人,团队,部门"'
    assert book["客户分层"]["C2"].number_format == "0.0%"
    assert book["团队贡献"]["D2"].number_format == "0.0%"
    assert book["客户开发"]["B2"].number_format == "#,##0"
    assert book["客户开发"]["D2"].number_format == "#,##0.00"
    assert book["行动计划"]["D2"].number_format == "yyyy-mm-dd"
    # The core indicators are pre-filled, rates formatted as percentages.
    targets = book["目标达成"]
    assert [targets.cell(row, 1).value for row in range(2, 6)] == ["销售额", "新增客户", "复购率", "客户流失率"]
    assert [targets.cell(row, 2).value for row in range(2, 6)] == ["万元", "家", "%", "%"]
    assert targets["C4"].number_format == "0.0%"
    assert targets["A1"].comment.text.startswith("必填。指标名称。销售额、新增客户、复购率、流失率")
    assert book["行动计划"]["C1"].comment.text == "必填。负责人姓名。"
    # A team sheet may list each salesperson's rows.
    assert book["客户跟进"].cell(1, 7).value == "销售员"
    instructions = [row[0].value for row in book["填写说明"].iter_rows() if row[0].value]
    assert instructions[0] == "月度团队销售工作总结 · 数据填写说明"
    assert instructions[-1] == "报送期限：月报：次月3日前。"


def test_drop_downs_in_english(tmp_path):
    path, _ = make_blank(tmp_path, "quarterly", "individual", "en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Instructions", "Report info", "Targets"]
    assert _validations(book["Problems"])["D2"] == '"Internal,External"'
    assert _validations(book["Actions"])["F2"] == '"Not started,In progress,Done,Cancelled"'
    assert [cell.value for cell in book["Trend"][1]] == ["Indicator", "Oct", "Nov", "Dec"]
    assert book["Actions"]["E1"].comment.text.startswith("Required. What counts as done")


def test_both_blank_phrasebooks_have_the_same_keys():
    zh, en = blank.load_words("zh"), blank.load_words("en")

    def keys(table, prefix=""):
        out = set()
        for key, value in table.items():
            out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return out

    assert keys(zh) == keys(en)
    assert len(zh["instructions"]["lines"]) == len(en["instructions"]["lines"])
    assert load_messages("zh")  # the check messages the instructions point to exist


def test_an_existing_file_is_kept_without_force(tmp_path):
    path, settings = make_blank(tmp_path, "monthly", "team", "zh")
    before = path.read_bytes()
    with pytest.raises(Exception, match="already exists"):
        blank.write_blank_workbook(path, settings)
    assert path.read_bytes() == before


# -- filled in, it checks clean and renders


def _fill(path, settings, lang):
    zh = lang == "zh"
    book = openpyxl.load_workbook(path)
    choice = blank.load_words(lang)["choice"]
    coming = review.coming_period(settings.period, settings.end)[0]
    info = book[schema.INFO.names[0 if zh else 1]]
    for row in info.iter_rows(min_row=2):
        field = next((f for f in schema.INFO.fields if row[0].value in f.names), None)
        filler = {"organization": "星辰科技" if zh else "Northwind", "team": "销售一组" if zh else "East Team",
                  "author": "王芳" if zh else "Alex Chen", "region": "华东" if zh else "East"}  # fmt: skip
        if field is not None and field.key in filler:
            row[1].value = filler[field.key]
    rows = {
        "pipeline": [{"channel": "转介绍" if zh else "Referrals", "leads": 40, "deals": 12, "amount": 300}],
        "accounts": [{"tier": tier, "customers": n, "satisfaction": s, "upkeep": "回访" if zh else "Calls"}
                     for tier, n, s in (("A", 10, 0.95), ("B", 20, 0.9), ("C", 30, 0.85))],
        "churn": [{"customer": "甲公司" if zh else "Acme", "reason": "价格" if zh else "Price", "amount": 20,
                   "recovered": choice["yesno"][0], "measure": "特价" if zh else "Discount", "person": "李明"}],
        "followups": [{"customer": "乙公司" if zh else "Kestrel", "date": settings.start, "way": "拜访" if zh else "Visit",
                       "content": "续约" if zh else "Renewal", "result": "达成意向" if zh else "Verbal yes",
                       "next_step": "提交合同" if zh else "Send contract", "person": "王芳"}],
        "market": [{"event": "竞品降价10%" if zh else "A competitor cut prices by 10%",
                    "impact": "客户观望" if zh else "Customers wait", "source": "市场部" if zh else "marketing",
                    "response": "推出返利" if zh else "Rebates"}],
        "problems": [
            {"symptom": "签约推迟" if zh else "Signing slipped", "cause": "审批变长" if zh else "Longer approvals",
             "impact": "缺口50万元" if zh else "A gap of 50", "kind": choice["kind"][1], "solution": "提前介入" if zh else "Engage early"},
            {"symptom": "转化率12%" if zh else "Conversion at 12%", "cause": "培训不足" if zh else "Little training",
             "impact": "成本上升" if zh else "Higher cost", "kind": choice["kind"][0], "solution": "集训" if zh else "Training"},
        ],
        "lessons": [{"practice": "转介绍激励" if zh else "Referral rewards", "applies_to": "A类客户" if zh else "Tier A",
                     "steps": "发放礼包" if zh else "Send a gift", "result": "成交12单" if zh else "12 deals"}],
        "actions": [{"id": "A-01", "action": "推进签约" if zh else "Close the deal", "owner": "李明",
                     "deadline": coming, "acceptance": "合同签订" if zh else "Signed contract", "status": choice["status"][0]}],
        "team": [{"member": "李明", "contribution": "签约" if zh else "Deals", "value": 630},
                 {"member": "王芳", "contribution": "带教" if zh else "Coaching", "value": 420}],
    }  # fmt: skip
    figures = [(1000, 1050, 980, 900, 1100), (20, 22, 18, 15, 24), (0.35, 0.36, 0.34, 0.33, 0.37),
               (0.05, 0.04, 0.05, 0.06, 0.04)]  # fmt: skip
    for sheet in book.worksheets:
        section = schema.section_for_sheet(sheet.title)
        if section is None or section.key == "info":
            continue
        columns = columns_of(sheet)
        if section.key == "targets":
            for row, values in enumerate(figures, start=2):
                for key, value in zip(("target", "actual", "previous", "last_year", "next_target"), values):
                    if key in columns:
                        sheet.cell(row, columns[key], value)
        elif section.open_columns:
            sheet.cell(2, 1, "销售额" if zh else "Sales")
            open_columns = [c for key, c in columns.items() if key != "indicator"]
            # Sub-periods rising by 10 that add up to the period's actual, 1,050 (DG403 holds them to it).
            first = (1050 - 10 * len(open_columns) * (len(open_columns) - 1) / 2) / len(open_columns)
            for offset, column in enumerate(open_columns):
                sheet.cell(2, column, 1050 if section.key == "reconcile" else first + 10 * offset)
        else:
            for row, values in enumerate(rows[section.key], start=2):
                for key, value in values.items():
                    if key in columns:
                        sheet.cell(row, columns[key], value)
    book.save(path)


def _template(period, level, lang):
    built_in = builtin_dir() / f"{period}-{level}.{lang}.docx"
    return None if built_in.is_file() else builtin_dir() / f"monthly-{level}.{lang}.docx"


# Each period and level once, the languages taking turns, so that every period and every level is filled in
# both languages (the other language of each template is rendered by tests/test_templates_build.py).
FILLED = [(period, level, schema.LANGUAGES[index % 2]) for index, (period, level) in enumerate(COMBINATIONS)]


@pytest.mark.parametrize("period, level, lang", FILLED)
def test_a_filled_blank_workbook_checks_clean_and_renders(tmp_path, period, level, lang):
    path, settings = make_blank(tmp_path, period, level, lang)
    _fill(path, settings, lang)
    workbook = load_workbook(path)
    today = due_date(period, settings.end)
    assert check_workbook(workbook, period=period, level=level, lang=lang, today=today) == []
    options = ReportOptions(today=today, template=_template(period, level, lang), find_previous=False)
    built = build_report(workbook, options)
    assert built.check.findings == ()
    document = docx.Document(io.BytesIO(built.document))
    text = "\n".join(p.text for p in document.paragraphs)
    if lang == "zh":
        assert "销售额完成1,050.0万元（目标1,000.0万元），目标达成率105.0%" in text
    else:
        assert "Sales came to CNY 1,050 against a target of CNY 1,000, an achievement rate of 105.0%" in text
