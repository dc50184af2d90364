"""Mail merge: docxtpl templates and Word MERGEFIELD templates filled once per row of a sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from conftest import write_workbook
from docgen.cli import main
from docgen.errors import CellError, UsageError
from docgen.runs.merge import read_table, row_context, typed_value
from docgen.word.mergefields import convert_merge_fields, merge_field_names
from docgen.input.reader import Cell
from docgen.input.workbook import cell_text

RECIPIENTS = [
    ["姓名", "客户 名称", "金额", "日期"],
    ["张三", "A & B <有限公司>", 1200, "2026-11-18"],
    ["李四", "星辰科技", 88.5, "2026-11-19"],
]


def run(*args):
    # Told in English: under LANG=C a Chinese data sheet would be spoken of in Chinese (docs/language.md).
    result = CliRunner().invoke(main, [str(a) for a in args], env={"DOCGEN_LANG": "en"})
    assert "Traceback" not in result.output, result.output
    return result


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["records"]


def docxtpl_template(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def simple_field(column: str) -> str:
    return (
        f'<w:fldSimple {nsdecls("w")} w:instr=" MERGEFIELD {column} \\* MERGEFORMAT ">'
        f"<w:r><w:rPr><w:b/></w:rPr><w:t>«{column}»</w:t></w:r></w:fldSimple>"
    )


def complex_field(paragraph, column: str, *, split_instruction: bool = False) -> None:
    """A field as Word writes it: begin, instruction (maybe over two runs), separate, result, end."""
    instruction = [f" MERGEFIELD {column} ", "\\* MERGEFORMAT "]
    if not split_instruction:
        instruction = ["".join(instruction)]
    runs = ['<w:r %s><w:fldChar w:fldCharType="begin"/></w:r>']
    runs += [f'<w:r %s><w:instrText xml:space="preserve">{part}</w:instrText></w:r>' for part in instruction]
    runs += [
        '<w:r %s><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r %s><w:rPr><w:i/></w:rPr><w:t>«{column}»</w:t></w:r>',
        '<w:r %s><w:fldChar w:fldCharType="end"/></w:r>',
    ]
    for xml in runs:
        paragraph._p.append(parse_xml(xml % nsdecls("w")))


def mergefield_template(path: Path) -> Path:
    """A Word mail-merge letter: simple and complex MERGEFIELDs, one in the page header."""
    document = docx.Document()
    greeting = document.add_paragraph("尊敬的 ")
    greeting._p.append(parse_xml(simple_field("姓名")))
    greeting.add_run("：")
    body = document.add_paragraph("贵司（")
    complex_field(body, "客户_名称", split_instruction=True)  # Word writes a space in a column name as _
    body.add_run("）本月金额 ")
    complex_field(body, "金额")
    body.add_run(" 万元。")
    header = document.sections[0].header.paragraphs[0]
    header.text = "致："
    complex_field(header, "姓名")
    document.save(path)
    return path


# --- the data sheet -------------------------------------------------------------


def test_read_table_skips_a_title_row_and_blank_rows_and_reads_typed_values_and_shown_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2026年11月客户名单"])
    sheet.merge_cells("A1:D1")
    sheet.append(["姓名", "比例", "日期", "数量"])
    sheet.append(["张三", 0.125, openpyxl.utils.datetime.from_excel(46344), 3.0])
    sheet.append([])
    sheet.append(["李四", None, None, 1234567])
    sheet.cell(3, 2).number_format = "0.0%"
    book.save(tmp_path / "名单.xlsx")
    table = read_table(tmp_path / "名单.xlsx")
    assert table.columns == ("姓名", "比例", "日期", "数量")
    assert [row.number for row in table.rows] == [3, 5]
    assert table.rows[0].values == {"姓名": "张三", "比例": 0.125, "日期": dt.date(2026, 11, 18), "数量": 3}
    assert type(table.rows[0].values["数量"]) is int  # 3.0 in the file, a whole number
    assert table.rows[0].texts == {"姓名": "张三", "比例": "12.5%", "日期": "2026-11-18", "数量": "3"}
    assert table.rows[1].values == {"姓名": "李四", "比例": "", "日期": "", "数量": 1234567}
    assert table.rows[1].texts == {"姓名": "李四", "比例": "", "日期": "", "数量": "1234567"}


def test_duplicate_headers_are_refused_with_their_cell(tmp_path):
    data = write_workbook(tmp_path / "d.xlsx", {"S": [["姓名", "金额", "姓名"], ["a", 1, "b"]]})
    with pytest.raises(CellError) as caught:
        read_table(data)
    assert "appears twice (first in A1)" in str(caught.value) and "cell C1" in str(caught.value)


def test_row_context_gives_names_and_the_row_with_its_texts():
    context = row_context({"姓名": "张三", "客户 名称": "X", "row": "r", "金额": 0.5},
                          {"姓名": "张三", "客户 名称": "X", "row": "r", "金额": "50%"})
    assert set(context) == {"姓名", "金额", "row"}
    assert dict(context["row"]) == {"姓名": "张三", "客户 名称": "X", "row": "r", "金额": 0.5}
    assert context["row"].text == {"姓名": "张三", "客户 名称": "X", "row": "r", "金额": "50%"}
    # A typed value computes as a number and prints as the sheet shows it.
    assert context["金额"] * 2 == 1.0 and str(context["金额"]) == "50%" and str(context["金额"] * 2) == "1.0"


# --- docxtpl templates ------------------------------------------------------------


def test_merge_with_a_docxtpl_template_using_chinese_names_and_row(tmp_path):
    template = docxtpl_template(
        tmp_path / "letter.docx",
        "尊敬的{{ 姓名 }}：",
        "贵司{{ row['客户 名称'] }}本月金额{{ 金额 }}万元，日期{{ 日期 }}。",
    )
    data = write_workbook(tmp_path / "data.xlsx", {"名单": RECIPIENTS})
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    first = paragraphs(out / "1-张三.docx")
    assert first == ["尊敬的张三：", "贵司A & B <有限公司>本月金额1200万元，日期2026-11-18。"]
    assert paragraphs(out / "2-李四.docx")[1] == "贵司星辰科技本月金额88.5万元，日期2026-11-19。"
    assert [(r["row"], r["person"], r["status"]) for r in manifest(out)] == [("2", "张三", "ok"), ("3", "李四", "ok")]


def test_a_row_whose_printed_cell_is_empty_is_written_with_a_warning_naming_the_column(tmp_path):
    # "尊敬的 女士：" is a mail merge's classic slip: the letter is made, and the user told which row and column.
    template = docxtpl_template(
        tmp_path / "letter.docx",
        "尊敬的{{ 姓名 }}{{ row['称谓'] }}：",
        "{% if 金额 %}本月金额{{ 金额 }}万元。{% endif %}",  # tested first: an empty one leaves no gap
        "{% if 日期 == '2026-11-18' %}首场{% endif %}",  # only tested, never printed
    )
    rows = [["姓名", "称谓", "金额", "日期"], ["张三", "先生", 1200, "2026-11-18"], [None, "女士", None, None]]
    out = tmp_path / "out"
    result = run("merge", template, write_workbook(tmp_path / "data.xlsx", {"名单": rows}), "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning")]
    assert warnings == ["Warning: data.xlsx, row 3: “姓名” empty in this row: the document has a gap where it goes. "
                        "Fill it in, or put it inside {% if column %} in the template."]
    assert [r["findings"] for r in manifest(out)] == [[], [warnings[0].split("row 3: ")[1]]]
    assert paragraphs(out / "2.docx")[0] == "尊敬的女士："


def test_merge_in_parallel_with_a_name_pattern_and_combine(tmp_path):
    template = docxtpl_template(tmp_path / "letter.docx", "{{ 姓名 }}：金额{{ 金额 }}")
    data = write_workbook(tmp_path / "data.xlsx", {"名单": RECIPIENTS})
    out = tmp_path / "out"
    combined = tmp_path / "all.docx"
    result = run("merge", template, data, "-o", out, "--name", "{客户 名称}-{n}", "--combine", combined, "-j", "2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["A & B _有限公司_-1.docx", "星辰科技-2.docx"]
    assert [p for p in paragraphs(combined) if p] == ["张三：金额1200", "李四：金额88.5"]


def test_a_template_naming_a_missing_column_stops_before_the_first_row_with_the_columns(tmp_path):
    template = docxtpl_template(tmp_path / "letter.docx", "{{ 名字 }}")
    data = write_workbook(tmp_path / "data.xlsx", {"名单": RECIPIENTS})
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "-j", "1")
    assert result.exit_code == 2
    assert "“名字” is not a column of the sheet “名单” (did you mean “姓名”?)" in result.output
    assert "Columns: 姓名, 客户 名称, 金额, 日期" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_missing_column_in_row_is_named_as_a_column(tmp_path):
    template = docxtpl_template(tmp_path / "letter.docx", "{{ row['名字'] }}")
    data = write_workbook(tmp_path / "data.xlsx", {"名单": RECIPIENTS})
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "-j", "1")
    assert result.exit_code == 2
    assert "“名字” is not a column of the sheet “名单”" in result.output and "TemplateRow" not in result.output


def test_a_row_with_an_error_cell_fails_alone_naming_the_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in RECIPIENTS:
        sheet.append(row)
    sheet["C3"] = "#DIV/0!"
    book.save(tmp_path / "data.xlsx")
    template = docxtpl_template(tmp_path / "letter.docx", "{{ 姓名 }}")
    out = tmp_path / "out"
    result = run("merge", template, tmp_path / "data.xlsx", "-o", out, "-j", "1")
    assert result.exit_code == 1
    failed = {r["person"]: r for r in manifest(out)}["李四"]
    assert (failed["status"], failed["sheet"], failed["cell"]) == ("failed", "名单", "C3")
    assert "#DIV/0!" in failed["error"]
    assert paragraphs(out / "1-张三.docx") == ["张三"]


def test_sheet_option_and_an_unknown_sheet(tmp_path):
    data = write_workbook(tmp_path / "data.xlsx", {"说明": [["这是说明"]], "名单": RECIPIENTS})
    template = docxtpl_template(tmp_path / "letter.docx", "{{ 姓名 }}")
    missing = run("merge", template, data, "-o", tmp_path / "x", "--sheet", "客户")
    assert missing.exit_code == 2
    assert "there is no sheet “客户”" in missing.output and "说明, 名单" in missing.output
    result = run("merge", template, data, "-o", tmp_path / "out", "--sheet", "名单", "-j", "1", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] == 2


def test_hostile_values_in_names_stay_inside_the_output_folder(tmp_path):
    rows = [["编号", "姓名"], [1, "../../x"], [2, "CON"], [3, "销" * 200], [4, None], [5, "..\\..\\y"], [6, "　"]]
    data = write_workbook(tmp_path / "data.xlsx", {"名单": rows})
    template = docxtpl_template(tmp_path / "letter.docx", "{{ row['姓名'] }}")
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "--name", "{姓名}.docx", "-j", "1")
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.docx"))
    assert len(written) == 6
    for path in written:
        assert path.resolve().parent == out.resolve()
        assert len(path.name.encode("utf-8")) <= 240
    assert {"_CON.docx", "_.._x.docx", "row-5.docx", "row-7.docx"} <= {p.name for p in written}


# --- Word MERGEFIELD templates ------------------------------------------------------


def test_merge_field_names_are_found_in_body_and_header(tmp_path):
    template = mergefield_template(tmp_path / "letter.docx")
    assert merge_field_names(template) == ["姓名", "客户_名称", "金额"]


def test_merge_fills_word_mergefields_simple_and_complex(tmp_path):
    template = mergefield_template(tmp_path / "letter.docx")
    data = write_workbook(tmp_path / "data.xlsx", {"名单": RECIPIENTS})
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "1-张三.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts == ["尊敬的 张三：", "贵司（A & B <有限公司>）本月金额 1200 万元。"]
    assert document.sections[0].header.paragraphs[0].text == "致：张三"
    assert "«" not in document.element.xml and "MERGEFIELD" not in document.element.xml
    # The field's result formatting is the filled text's: bold for the simple field, italic for the others.
    assert [run.bold for run in document.paragraphs[0].runs if run.text == "张三"] == [True]
    assert [run.italic for run in document.paragraphs[1].runs if run.text == "1200"] == [True]
    assert paragraphs(out / "2-李四.docx")[:2] == ["尊敬的 李四：", "贵司（星辰科技）本月金额 88.5 万元。"]


def test_a_mergefield_naming_no_column_stops_the_run_with_a_suggestion(tmp_path):
    template = mergefield_template(tmp_path / "letter.docx")
    data = write_workbook(tmp_path / "data.xlsx", {"名单": [["姓名", "客户名称", "金额"], ["张三", "X", 1]]})
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out)
    assert result.exit_code == 2
    assert "«客户_名称» (did you mean “客户名称”?)" in result.output
    assert not out.exists()


def test_convert_merge_fields_leaves_the_template_untouched(tmp_path):
    template = mergefield_template(tmp_path / "letter.docx")
    before = template.read_bytes()
    assert convert_merge_fields(template, tmp_path / "converted.docx", ["姓名", "客户 名称", "金额"]) == 4
    assert template.read_bytes() == before
    converted = docx.Document(str(tmp_path / "converted.docx"))
    assert converted.paragraphs[0].text == "尊敬的 {{ row.text['姓名'] }}："


def test_convert_refuses_unknown_fields(tmp_path):
    template = mergefield_template(tmp_path / "letter.docx")
    with pytest.raises(UsageError) as caught:
        convert_merge_fields(template, tmp_path / "c.docx", ["姓名"])
    assert "«客户_名称»" in str(caught.value) and "«金额»" in str(caught.value)


# --- typed values and the text as the sheet shows it ---------------------------------


def customers_workbook(path: Path) -> Path:
    """Two customers with a TRUE/FALSE column, a whole and a fractional amount, a percentage, a date and a time."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["公司", "在城区", "金额", "比例", "拜访日期", "拜访时间", "备注"])
    sheet.append(["瑞丰", False, 1200.0, 0.125, dt.date(2026, 10, 31), dt.datetime(2026, 10, 31, 9, 30), None])
    sheet.append(["华盛", True, 880.5, 0.3, dt.date(2026, 11, 2), dt.datetime(2026, 11, 2, 14, 0), "老客户"])
    for cell in ("D2", "D3"):
        sheet[cell].number_format = "0.0%"
    book.save(path)
    return path


def test_a_false_cell_takes_the_else_branch_and_numbers_compare_and_compute(tmp_path):
    template = docxtpl_template(
        tmp_path / "letter.docx",
        "{{ 公司 }}：{% if 在城区 %}城区{% else %}郊区{% endif %}（{{ row.text['在城区'] }}，{{ 在城区 }}）",
        "{% if 金额 > 1000 %}重点客户{% else %}普通客户{% endif %}，金额{{ 金额 }}，两倍{{ 金额 * 2 }}，"
        "加一成{{ '%.2f'|format(金额 * 1.1) }}",
        "比例{{ 比例 }}（{{ row.text['比例'] }}），{% if 比例 >= 0.2 %}高{% else %}低{% endif %}",
        "拜访{{ 拜访日期 }}，即{{ 拜访日期.month }}月{{ 拜访日期.day }}日，时间{{ row['拜访时间'] }}",
        "备注：{% if 备注 %}{{ 备注 }}{% else %}无{% endif %}",
    )
    data = customers_workbook(tmp_path / "data.xlsx")
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "-j", "2")
    assert result.exit_code == 0, result.output
    assert paragraphs(out / "1-瑞丰.docx") == [
        "瑞丰：郊区（FALSE，False）",
        "重点客户，金额1200，两倍2400，加一成1320.00",
        "比例12.5%（12.5%），低",
        "拜访2026-10-31，即10月31日，时间2026-10-31 09:30",
        "备注：无",
    ]
    assert paragraphs(out / "2-华盛.docx") == [
        "华盛：城区（TRUE，True）",
        "普通客户，金额880.5，两倍1761.0，加一成968.55",
        "比例30%（30%），高",
        "拜访2026-11-02，即11月2日，时间2026-11-02 14:00",
        "备注：老客户",
    ]


def test_typed_values_keep_their_types_and_print_as_the_sheet_shows_them(tmp_path):
    row = read_table(customers_workbook(tmp_path / "data.xlsx")).rows[0]
    context = row_context(row.values, row.texts)
    assert context["在城区"] is False
    assert type(row.values["金额"]) is int and isinstance(context["金额"], int)
    assert isinstance(context["比例"], float) and isinstance(context["拜访日期"], dt.date)
    assert isinstance(context["拜访时间"], dt.datetime)
    assert [str(context[name]) for name in ("金额", "比例", "拜访日期", "拜访时间")] == [
        "1200", "12.5%", "2026-10-31", "2026-10-31 09:30"]
    assert context["row"].text == {"公司": "瑞丰", "在城区": "FALSE", "金额": "1200", "比例": "12.5%",
                                   "拜访日期": "2026-10-31", "拜访时间": "2026-10-31 09:30", "备注": ""}
    # What arithmetic makes is a plain value again, printed as Python prints it.
    assert str(context["比例"] * 2) == "0.25" and str(context["拜访时间"] + dt.timedelta(hours=1)) == "2026-10-31 10:30:00"


CELL_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.text(max_size=20),
)


@given(CELL_VALUES, st.booleans())
def test_every_typed_value_equals_the_cell_and_prints_as_its_shown_text(value, percent):
    cell = Cell(row=2, column=1, value=value, percent=percent)
    context = row_context({"列": typed_value(cell)}, {"列": cell_text(cell)})
    typed, text = context["列"], context["row"].text["列"]
    if isinstance(value, str):
        assert typed == text  # both made safe for Word
    else:
        whole = isinstance(value, float) and value.is_integer()
        assert typed == value and isinstance(typed, int if whole else type(value))
        assert str(typed) == text or isinstance(value, bool)  # a bool prints True/False, its text TRUE/FALSE


def test_output_names_use_the_text_the_sheet_shows(tmp_path):
    template = docxtpl_template(tmp_path / "letter.docx", "{{ 公司 }}")
    data = customers_workbook(tmp_path / "data.xlsx")
    out = tmp_path / "out"
    result = run("merge", template, data, "-o", out, "--name", "{公司}-{在城区}-{金额}-{拜访日期}.docx", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["华盛-TRUE-880.5-2026-11-02.docx",
                                                          "瑞丰-FALSE-1200-2026-10-31.docx"]


def test_word_mergefields_insert_the_text_the_sheet_shows(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    for column in ("公司", "在城区", "金额", "比例", "拜访时间"):
        paragraph._p.append(parse_xml(simple_field(column)))
        paragraph.add_run("|")
    document.save(tmp_path / "letter.docx")
    out = tmp_path / "out"
    result = run("merge", tmp_path / "letter.docx", customers_workbook(tmp_path / "data.xlsx"), "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert paragraphs(out / "1-瑞丰.docx") == ["瑞丰|FALSE|1200|12.5%|2026-10-31 09:30|"]
    assert paragraphs(out / "2-华盛.docx") == ["华盛|TRUE|880.5|30%|2026-11-02 14:00|"]


SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs" / "merge"


def test_merge_help_shows_examples():
    result = run("merge", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output and "docgen merge" in result.output and "MERGEFIELD" in result.output


@pytest.mark.parametrize("template", ["邀请函.docx", "邀请函-邮件合并域.docx"])
def test_the_sample_letters_fill_from_the_sample_recipients(template, tmp_path):
    out = tmp_path / "out"
    result = run("merge", SAMPLES / template, SAMPLES / "客户名单.xlsx", "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    letter = "\n".join(paragraphs(out / "1-上海瑞丰集团.docx"))
    assert "上海瑞丰集团 赵总" in letter and "2026年11月18日" in letter
    assert "«" not in letter and "{{" not in letter
    assert len(list(out.glob("*.docx"))) == 4
