"""Tests for docgen.reader: an .xlsx file in, plain sheets of cells out."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from conftest import rewrite_part
from docgen.errors import WorkbookError
from docgen.reader import ErrorValue, FormulaWithoutValue, ReadLimits, column_letter, read_workbook


def values(sheet) -> dict[str, object]:
    return {cell.coordinate: cell.value for row in sheet.rows for cell in row if cell.value is not None}


def cell(sheet, coordinate: str):
    return next(c for row in sheet.rows for c in row if c.coordinate == coordinate)


def test_sheets_come_in_workbook_order_with_plain_values(make_workbook):
    path = make_workbook({
        "目标达成": [["指标", "目标"], ["销售额", 1000], ["复购率", 0.35]],
        "Notes": [["text", True, None, 2.5]],
    })
    sheets = read_workbook(path)
    assert [sheet.name for sheet in sheets] == ["目标达成", "Notes"]
    assert values(sheets[0]) == {"A1": "指标", "B1": "目标", "A2": "销售额", "B2": 1000, "A3": "复购率", "B3": 0.35}
    assert values(sheets[1]) == {"A1": "text", "B1": True, "D1": 2.5}


def test_rows_skip_blank_lines_and_pad_to_column_a(make_workbook):
    path = make_workbook({"S": [[None, None, "title"], [], [], ["a", None, "c"]]})
    sheet = read_workbook(path)[0]
    assert [[c.coordinate for c in row] for row in sheet.rows] == [["A1", "B1", "C1"], ["A4", "B4", "C4"]]
    assert cell(sheet, "B4").value is None


def test_merged_cells_carry_the_top_left_value(tmp_path):
    path = tmp_path / "merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标达成"
    sheet["A1"] = "2026年10月目标达成"
    sheet.merge_cells("A1:D1")
    sheet.append(["销售员", "指标", "目标", "实际"])
    sheet.append(["张三", "销售额", 100, 90])
    sheet.append([None, "新增客户", 10, 12])
    sheet.merge_cells("A3:A4")
    book.save(path)

    read = read_workbook(path)[0]
    assert [cell(read, c).value for c in ("A1", "B1", "C1", "D1")] == ["2026年10月目标达成"] * 4
    assert cell(read, "C1").merged_range == "A1:D1"
    assert cell(read, "A4").value == "张三"
    assert cell(read, "A2").merged_range is None


def test_percent_formatted_cells_are_marked(tmp_path):
    path = tmp_path / "percent.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([0.12, 0.125, 0.5, "12%"])
    sheet["A1"].number_format = "0%"
    sheet["B1"].number_format = "0.0%"
    sheet["C1"].number_format = '0.00"%"'  # a literal % sign, not a percentage
    book.save(path)

    read = read_workbook(path)[0]
    assert [cell(read, c).percent for c in ("A1", "B1", "C1", "D1")] == [True, True, False, False]
    assert cell(read, "A1").value == 0.12


def test_dates_and_date_formatted_numbers(tmp_path):
    path = tmp_path / "dates.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([dt.date(2026, 10, 31), dt.datetime(2026, 10, 31, 14, 30), 46326, "2026-10-31"])
    sheet["C1"].number_format = "yyyy-mm-dd"
    book.save(path)

    assert values(read_workbook(path)[0]) == {
        "A1": dt.date(2026, 10, 31),
        "B1": dt.datetime(2026, 10, 31, 14, 30),
        "C1": dt.date(2026, 10, 31),
        "D1": "2026-10-31",
    }


@pytest.mark.parametrize("format_id, expected", [
    (31, dt.date(2026, 10, 31)),  # yyyy"年"m"月"d"日"
    (27, dt.date(2026, 10, 31)),  # yyyy"年"m"月"
    (58, dt.date(2026, 10, 31)),  # m"月"d"日"
])
def test_chinese_builtin_date_formats_become_dates(tmp_path, format_id, expected):
    path = tmp_path / "chinese-date.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = 46326  # 2026-10-31 as an Excel serial
    sheet["A1"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["B1"] = 46326  # no format: stays a number
    book.save(path)
    # Excel and WPS in Chinese write only the built-in id, with no format code beside it.
    rewrite_part(path, "xl/styles.xml",
                 lambda xml: re.sub(r"<numFmts.*?</numFmts>", "", xml).replace('numFmtId="164"', f'numFmtId="{format_id}"'))
    assert 'numFmtId="164"' not in zipfile.ZipFile(path).read("xl/styles.xml").decode()

    read = read_workbook(path)[0]
    assert cell(read, "A1").value == expected
    assert cell(read, "B1").value == 46326


def test_chinese_builtin_time_format_becomes_a_time(tmp_path):
    path = tmp_path / "chinese-time.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = 0.5
    book.active["A1"].number_format = 'h"时"mm"分"'
    book.save(path)
    rewrite_part(path, "xl/styles.xml",
                 lambda xml: re.sub(r"<numFmts.*?</numFmts>", "", xml).replace('numFmtId="164"', 'numFmtId="32"'))
    assert cell(read_workbook(path)[0], "A1").value == dt.time(12, 0)


def test_formula_without_cached_value_is_marked(make_workbook):
    path = make_workbook({"S": [[1, "=A1+1", "=IF(A1>0,\"\",1)"]]})  # openpyxl stores no results
    read = read_workbook(path)[0]
    assert cell(read, "A1").value == 1
    assert cell(read, "B1").value == FormulaWithoutValue("=A1+1")
    assert isinstance(cell(read, "C1").value, FormulaWithoutValue)


def test_formula_with_cached_value_reads_the_value(make_workbook):
    path = make_workbook({"S": [[12, "=A1*2", '=IF(A1>0,"","x")']]})
    # What Excel writes after computing: the result beside the formula.
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml
                 .replace("<f>A1*2</f><v></v>", "<f>A1*2</f><v>24</v>")
                 .replace('<c r="C1"><f>', '<c r="C1" t="str"><f>'))
    read = read_workbook(path)[0]
    assert cell(read, "B1").value == 24
    # A formula whose result is empty text has been computed: it reads as an empty cell.
    assert values(read) == {"A1": 12, "B1": 24}


def test_error_cells_are_marked(make_workbook):
    path = make_workbook({"S": [["#DIV/0!", "#N/A", "#REF!"]]})
    read = read_workbook(path)[0]
    assert [cell(read, c).value for c in ("A1", "B1", "C1")] == [ErrorValue("#DIV/0!"), ErrorValue("#N/A"), ErrorValue("#REF!")]


def test_a_million_row_dimension_with_ten_rows_reads_ten_rows(make_workbook):
    path = make_workbook({"S": [[f"row {n}", n] for n in range(1, 11)]})

    def huge(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        # A stray value at the very bottom, a million rows below the data, as a sheet
        # formatted down to its end leaves behind.
        return xml.replace("</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')

    rewrite_part(path, "xl/worksheets/sheet1.xml", huge)
    read = read_workbook(path)[0]
    assert len(read.rows) == 10
    assert [len(row) for row in read.rows] == [2] * 10
    assert read.rows[-1][0].value == "row 10"


def test_reading_goes_on_past_short_gaps(make_workbook):
    path = make_workbook({"S": [["top"], *([[]] * 50), ["bottom"]]})
    assert [row[0].value for row in read_workbook(path)[0].rows] == ["top", "bottom"]
    assert [row[0].value for row in read_workbook(path, ReadLimits(empty_rows_to_stop=10))[0].rows] == ["top"]


def test_row_limit_is_reported_with_sheet_and_cell(make_workbook):
    path = make_workbook({"Big": [[n] for n in range(1, 8)]})
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path, ReadLimits(max_rows_per_sheet=5))
    assert "sheet 'Big'" in str(raised.value) and "cell A6" in str(raised.value)


def test_hidden_sheets_are_flagged(tmp_path):
    path = tmp_path / "hidden.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "shown"
    lists = book.create_sheet("lists")
    lists["A1"] = "是"
    lists.sheet_state = "hidden"
    book.save(path)
    assert [(sheet.name, sheet.hidden) for sheet in read_workbook(path)] == [("Sheet", False), ("lists", True)]


def test_the_input_file_is_not_changed(make_workbook):
    path = make_workbook({"S": [["a", "=1+1"], ["#N/A", 3]]})
    before = path.read_bytes()
    read_workbook(path)
    assert path.read_bytes() == before


def test_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703, 16384)] == ["A", "Z", "AA", "AZ", "AAA", "XFD"]


# File-level problems: each says what the file is and how to make it an .xlsx.


def check_file_error(path: Path, *phrases: str) -> None:
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    message = str(raised.value)
    assert path.name in message
    for phrase in phrases:
        assert phrase in message
    assert raised.value.hint


def test_missing_file(tmp_path):
    check_file_error(tmp_path / "nowhere.xlsx", "file not found")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    check_file_error(path, "empty")


def test_not_a_zip(tmp_path):
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    check_file_error(path, "not an Excel .xlsx workbook", "save it as an Excel workbook (.xlsx)")


def test_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("指标,目标,实际\n销售额,1000,960\n", encoding="utf-8")
    check_file_error(path, "CSV")


def test_html_saved_as_spreadsheet(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    check_file_error(path, "web page")


def test_old_xls_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 512)
    check_file_error(path, ".xls", "save it as an Excel workbook (.xlsx)")


def test_password_protected_xlsx(tmp_path):
    path = tmp_path / "locked.xlsx"
    stream_names = "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream_names + b"\0" * 512)
    check_file_error(path, "password-protected", "remove the password")


def test_xlsb_file(tmp_path):
    path = tmp_path / "binary.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\0\1\2")
    check_file_error(path, ".xlsb")


def test_word_document_named_xlsx(tmp_path):
    path = tmp_path / "summary.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    check_file_error(path, "Word document")


def test_damaged_workbook_is_a_workbook_error(make_workbook):
    path = make_workbook({"S": [["a"]]})
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    check_file_error(path, "cannot be read")


def test_any_extension_is_read_by_content(make_workbook):
    path = make_workbook({"S": [["a"]]}, name="export.dat")
    assert values(read_workbook(path)[0]) == {"A1": "a"}


def test_refuses_to_run_without_defusedxml(make_workbook, monkeypatch):
    path = make_workbook({"S": [["a"]]})
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    check_file_error(path, "malicious XML", )
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert "defusedxml" in raised.value.hint


def test_limits_come_from_the_environment_and_a_bad_one_is_refused(make_workbook, monkeypatch):
    from docgen.errors import UsageError
    from docgen.reader import DEFAULT_LIMITS, limits_from_environment

    assert limits_from_environment({}) == DEFAULT_LIMITS
    limits = limits_from_environment({"DOCGEN_MAX_ROWS": "5", "DOCGEN_MAX_CELLS": "0"})
    assert (limits.max_rows_per_sheet, limits.max_cells) == (5, None)
    with pytest.raises(UsageError) as raised:
        limits_from_environment({"DOCGEN_MAX_ROWS": "lots"})
    assert "DOCGEN_MAX_ROWS must be a whole number" in str(raised.value)
    monkeypatch.setenv("DOCGEN_MAX_ROWS", "5")
    with pytest.raises(WorkbookError) as raised:
        read_workbook(make_workbook({"Big": [[n] for n in range(1, 8)]}))
    assert "cell A6" in str(raised.value) and "DOCGEN_MAX_ROWS=10" in str(raised.value)


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(make_workbook, monkeypatch):
    path = make_workbook({"S": [["a"]]})
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</worksheet>", " " * (11 << 20) + "</worksheet>"))
    unpacked = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: unpacked.append(name))
    check_file_error(path, "refusing a possible zip bomb", "xl/worksheets/sheet1.xml")
    assert unpacked == []
