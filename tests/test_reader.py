"""Tests for docgen.input.reader and the xlsx package under it: an .xlsx file in, plain sheets of cells out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import posixpath
import random
import re
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import rewrite_part
from docgen.errors import WorkbookError
from docgen.input.cells import Cell, ErrorValue, FormulaWithoutValue, SheetInfo, column_letter
from docgen.input.limits import ReadLimits
from docgen.input.reader import open_workbook, read_workbook
from docgen.input.xlsx import sheet as sheet_xml
from docgen.input.xlsx.formats import is_percent_format
from docgen.input.xlsx.strings import StringTable

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize("merged", [None, "A11:B11"], ids=["streamed", "with a merged range"])
def test_a_sheet_formatted_down_to_its_last_row_reads_its_rows_quickly(make_workbook, merged):
    path = make_workbook({"S": [[f"row {n}", n] for n in range(1, 12)]})

    def formatted(xml: str) -> str:
        # What Excel writes for a sheet whose rows were formatted down to the end: an
        # empty <row> element for each of the million rows below the data.
        empty = "".join(f'<row r="{n}" s="1" customFormat="1" ht="20" customHeight="1"/>'
                        for n in range(12, 1_048_577))
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        ranges = f'<mergeCells><mergeCell ref="{merged}"/></mergeCells>' if merged else ""
        return xml.replace("</sheetData>", empty + "</sheetData>" + ranges)

    rewrite_part(path, "xl/worksheets/sheet1.xml", formatted)
    started = time.perf_counter()
    read = read_workbook(path)[0]
    seconds = time.perf_counter() - started
    last = ["row 11", "row 11"] if merged else ["row 11", 11]
    assert [[c.value for c in row] for row in read.rows] == [[f"row {n}", n] for n in range(1, 11)] + [last]
    assert seconds < 5  # under a second here: the empty rows below the last cell are not parsed


def test_a_value_far_below_the_data_is_read_or_refused_by_the_row_limit(make_workbook):
    path = make_workbook({"S": [[f"row {n}", n] for n in range(1, 11)]})
    # A stray value at the very bottom, a million rows below the data: Excel shows it, so it
    # is read, and the row limit (data below row 100,000) names it rather than drop it.
    stray = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</sheetData>", stray))
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert str(raised.value).startswith("in.xlsx, sheet 'S', cell A1048576: the sheet has data below row 100,000")
    read = read_workbook(path, ReadLimits(max_rows_per_sheet=None))[0]
    assert [(row[0].coordinate, row[0].value) for row in read.rows][-2:] == [("A10", "row 10"), ("A1048576", "x")]


def test_the_last_filled_row_is_found_however_the_xml_is_laid_out(tmp_path):
    # Pretty-printed cells, empty styled cells after the data, and a last row longer than
    # the blocks the sheet's text is searched in: every filled cell is still read.
    long_text = "长" * (1 << 20)
    rows = ('<row r="1">\n  <c\n    r="A1">\n    <v>1</v>\n  </c>\n</row>\n'
            + row(2, '<c r="A2" s="0"/>', '<c r="B2" t="inlineStr"><is><t>b</t></is></c>')
            + row(3, f'<c r="A3" t="inlineStr"><is><t>{long_text}</t></is></c>', '<c r="B3"><v>3</v></c>')
            + row(4, '<c r="A4" s="0"/>', '<c r="B4" s="0"/>')
            + "".join(f'<row r="{n}" s="0" customFormat="1"/>' for n in range(5, 2000)))
    sheet = read_workbook(raw_workbook(tmp_path / "laid-out.xlsx", {"S": rows}))[0]
    assert values(sheet) == {"A1": 1, "B2": "b", "A3": long_text, "B3": 3}


def test_an_empty_sheet_has_no_rows(tmp_path):
    path = raw_workbook(tmp_path / "empty-sheets.xlsx", {"Blank": "", "Formatted": '<row r="1" s="1"/><row r="2"/>'})
    assert [(sheet.name, sheet.rows) for sheet in read_workbook(path)] == [("Blank", ()), ("Formatted", ())]


def test_reading_goes_on_past_gaps_of_any_length(make_workbook):
    path = make_workbook({"S": [["top"], *([[]] * 5000), ["bottom"]]})
    assert [(row[0].coordinate, row[0].value) for row in read_workbook(path)[0].rows] == [
        ("A1", "top"), ("A5002", "bottom")]


def test_a_sheet_whose_first_filled_row_is_392_reads_its_data(tmp_path):
    # As some exports leave it: hundreds of empty, formatted rows above the table.
    rows = "".join(f'<row r="{n}" spans="1:3" s="2" customFormat="1"/>' for n in range(1, 392))
    rows += row(392, '<c r="A392" t="inlineStr"><is><t>指标</t></is></c><c r="B392" t="inlineStr"><is><t>目标</t></is></c>')
    rows += row(393, '<c r="A393" t="inlineStr"><is><t>销售额</t></is></c><c r="B393"><v>1000</v></c>')
    sheet = read_workbook(raw_workbook(tmp_path / "low.xlsx", {"S": rows}))[0]
    assert values(sheet) == {"A392": "指标", "B392": "目标", "A393": "销售额", "B393": 1000}


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


def test_limits_come_from_the_environment_and_a_bad_one_is_refused(make_workbook, monkeypatch):
    from docgen.errors import UsageError
    from docgen.input.limits import DEFAULT_LIMITS, limits_from_environment

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
    # 40 MB of spaces pack to about 40 KB, a thousand to one: filler written to inflate, not data.
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</worksheet>", " " * (40 << 20) + "</worksheet>"))
    unpacked = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: unpacked.append(name))
    check_file_error(path, "refusing a possible zip bomb", "xl/worksheets/sheet1.xml")
    assert unpacked == []


def state_unpacked_size(path: Path, part: str, size: int) -> None:
    """Make the zip's headers say `part` unpacks to `size` bytes, as a bomb's do (nothing else changes)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    # The size is at offset 22 of a local header (name at 30) and 24 of a directory entry (name at 46).
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at:start + name_at + len(name)] == name:
                data[start + offset:start + offset + 4] = struct.pack("<I", size)
            start += 4
    path.write_bytes(bytes(data))


def test_a_bomb_that_unpacks_to_1_5_gib_from_1_6_mb_is_refused(tmp_path):
    path = raw_workbook(tmp_path / "bomb.xlsx", {"S": row(1, '<c r="A1"><v>1</v></c>')},
                        parts={"xl/media/filler.bin": random.Random(0).randbytes(1_600_000)})
    state_unpacked_size(path, "xl/media/filler.bin", 3 << 29)
    assert zipfile.ZipFile(path).getinfo("xl/media/filler.bin").compress_size > 1_600_000
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert str(raised.value).startswith("bomb.xlsx: the workbook unpacks to 1,536 MB, more than the 1,024 MB docgen reads.")


def test_a_genuine_sheet_of_long_repeated_text_is_read_though_it_packs_well(tmp_path):
    # As a real workbook of long notes does: 58 MB of XML from 450 KB (129 to 1).
    note = "".join(f"第{n}条说明：客户回款延迟，需跟进合同条款与发票。" for n in range(20))
    rows = "".join(row(n, *(f'<c r="{column}{n}" t="inlineStr"><is><t>{note}</t></is></c>' for column in "ABCDE"))
                   for n in range(1, 8001))
    path = raw_workbook(tmp_path / "notes.xlsx", {"S": rows})
    part = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert part.file_size > 54_000_000 and 100 < part.file_size / part.compress_size < 200
    sheet = read_workbook(path)[0]
    assert [[c.coordinate for c in r] for r in sheet.rows] == [[f"{c}{n}" for c in "ABCDE"] for n in range(1, 8001)]
    assert {c.value for r in sheet.rows for c in r} == {note}


def test_a_small_part_that_packs_very_well_is_read(tmp_path):
    # The ratio is only a second signal: 2 MB of spaces (a thousand to one) harm nothing.
    rows = row(1, '<c r="A1"><v>1</v></c>') + " " * (2 << 20) + row(2, '<c r="A2"><v>2</v></c>')
    assert values(read_workbook(raw_workbook(tmp_path / "spaces.xlsx", {"S": rows}))[0]) == {"A1": 1, "A2": 2}


# -- the parts of the format a workbook written by openpyxl does not show, written by hand

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_workbook(path: Path, sheets: dict[str, str | None], *, strings: list[str] | None = None, styles: str = "",
                 workbook_pr: str = "", states: dict[str, str] | None = None, targets: dict[str, str] | None = None,
                 kinds: dict[str, str] | None = None, parts: dict[str, bytes | str] | None = None) -> Path:
    """An .xlsx made of the XML given: each sheet's <sheetData> content (None: its part is missing)."""
    states, targets, kinds = states or {}, targets or {}, kinds or {}
    listed, rels = "", ""
    files: dict[str, bytes | str] = {}
    for number, (name, rows) in enumerate(sheets.items(), start=1):
        state = f' state="{states[name]}"' if name in states else ""
        listed += f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"{state}/>'
        target = targets.get(name, f"worksheets/sheet{number}.xml")
        rels += (f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/{kinds.get(name, "worksheet")}" '
                 f'Target="{target}"/>')
        if rows is not None:
            files[target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")] = (
                f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>')
    types = ('<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>')
    if strings is not None:
        types += ('<Override PartName="/xl/sharedStrings.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        files["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{MAIN}">{"".join(strings)}</sst>'
    files["[Content_Types].xml"] = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>' + types + "</Types>")
    files["xl/workbook.xml"] = (f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                                f"{workbook_pr}<sheets>{listed}</sheets></workbook>")
    files["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>")
    if styles:
        files["xl/styles.xml"] = f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    files.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def typed(sheet) -> dict[str, tuple[str, object]]:
    """Each filled cell's value with its type's name: 5 and 5.0 are not the same reading."""
    return {c.coordinate: (type(c.value).__name__, c.value) for r in sheet.rows for c in r if c.value is not None}


def test_numbers_are_int_or_float_as_their_text_says(tmp_path):
    texts = ["5", "5.0", "1E3", "1e-2", "-0", " 7", "3.14159"]
    path = raw_workbook(tmp_path / "n.xlsx", {"S": row(1, *(f'<c r="{column_letter(n)}1"><v>{text}</v></c>'
                                                            for n, text in enumerate(texts, start=1)))})
    assert typed(read_workbook(path)[0]) == {
        "A1": ("int", 5), "B1": ("float", 5.0), "C1": ("float", 1000.0), "D1": ("float", 0.01),
        "E1": ("int", 0), "F1": ("int", 7), "G1": ("float", 3.14159),
    }


# Styles: 0 general, 1 built-in date (14), 2 custom date, 3 custom percent, 4 elapsed time, 5 time (20),
# 6 date and time (22), 7 built-in percent (10), 8 id 9 redefined as "0.000" (no longer a percent),
# 9 and 11 Chinese dates (31, 57: no format code), 10 a literal % sign.
STYLES = (
    '<numFmts><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.0%"/>'
    '<numFmt numFmtId="166" formatCode="[h]:mm:ss"/><numFmt numFmtId="9" formatCode="0.000"/>'
    '<numFmt numFmtId="167" formatCode="0.00&quot;%&quot;"/></numFmts><cellXfs>'
    + "".join(f'<xf numFmtId="{n}"/>' for n in (0, 14, 164, 165, 166, 20, 22, 10, 9, 31, 167, 57)) + "</cellXfs>"
)


def styled_numbers(tmp_path, serials: list[str], workbook_pr: str = "") -> list[dict[str, object]]:
    """Each serial under every style of STYLES, one row each: the values read, by column letter."""
    rows = "".join(row(n, *(f'<c r="{column_letter(s + 1)}{n}" s="{s}"><v>{serial}</v></c>' for s in range(12)))
                   for n, serial in enumerate(serials, start=1))
    sheet = read_workbook(raw_workbook(tmp_path / "styled.xlsx", {"S": rows}, styles=STYLES,
                                       workbook_pr=workbook_pr))[0]
    return [{column_letter(c.column): (c.value, c.percent) if c.percent else c.value for c in r} for r in sheet.rows]


def test_date_time_duration_and_percent_formats(tmp_path):
    first, fraction, small = styled_numbers(tmp_path, ["46326", "46326.6045138889", "0.5"])
    assert first == {
        "A": 46326, "B": dt.date(2026, 10, 31), "C": dt.date(2026, 10, 31), "D": (46326, True),
        "E": dt.timedelta(days=46326), "F": dt.date(2026, 10, 31), "G": dt.date(2026, 10, 31),
        "H": (46326, True), "I": 46326, "J": dt.date(2026, 10, 31), "K": 46326, "L": dt.date(2026, 10, 31),
    }
    assert fraction["B"] == fraction["G"] == dt.datetime(2026, 10, 31, 14, 30, 30)
    assert fraction["E"] == dt.timedelta(days=46326, seconds=52230)
    assert small["F"] == small["B"] == small["J"] == dt.time(12, 0)
    assert small["E"] == dt.timedelta(hours=12)


def test_excel_serials_keep_the_1900_leap_year_bug_and_the_1904_epoch(tmp_path):
    serials = ["1", "59", "60", "61", "2958465", "2958466", "-1"]
    dates = [r["B"] for r in styled_numbers(tmp_path, serials)]
    assert dates == [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 2, 28), dt.date(1900, 3, 1),
                     dt.date(9999, 12, 31), ErrorValue("#VALUE!"), dt.date(1899, 12, 29)]
    # A Chinese date format's number outside the calendar stays a number, for the caller to report.
    assert [r["J"] for r in styled_numbers(tmp_path, serials)][5] == 2958466
    dates_1904 = [r["B"] for r in styled_numbers(tmp_path, serials[:4], '<workbookPr date1904="1"/>')]
    assert dates_1904 == [dt.date(1904, 1, 2), dt.date(1904, 2, 29), dt.date(1904, 3, 1), dt.date(1904, 3, 2)]
    assert [r["B"] for r in styled_numbers(tmp_path, ["1"], '<workbookPr date1904="false"/>')] == [dt.date(1900, 1, 1)]


def test_shared_inline_and_typed_text(tmp_path):
    strings = [
        '<si><t xml:space="preserve">  spaced  </t></si>',
        "<si><r><rPr><b/></rPr><t>rich</t></r><r><t xml:space=\"preserve\"> text</t></r></si>",
        '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>',
        "<si><t>bell_x0007_ and _x005F_x0007_</t></si>",
        "<si><t/></si>",
        "<si><t>a&amp;b&lt;c&gt;</t></si>",
    ]
    cells = "".join(f'<c r="{column_letter(n + 1)}1" t="s"><v>{n}</v></c>' for n in range(len(strings)))
    second = (
        '<c r="A2" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="B2" t="inlineStr"><is><r><t>in</t></r><r><t>rich</t></r></is></c><c r="C2" t="inlineStr"><is/></c>'
        '<c r="D2" t="str"><v>formula text</v></c><c r="E2" t="str"><v></v></c>'
        '<c r="F2" t="b"><v>1</v></c><c r="G2" t="b"><v>0</v></c><c r="H2" t="e"><v>#N/A</v></c><c r="I2" t="e"/>'
        '<c r="J2" t="d"><v>2026-10-31</v></c><c r="K2" t="d"><v>2026-10-31T14:30:00</v></c>'
        '<c r="L2" t="d"><v>2026-10-31T00:00:00Z</v></c><c r="M2" t="d"><v>14:30</v></c>'
        '<c r="N2" t="d"><v>PT1H30M</v></c>'
        '<c r="O2" t="str"><v>tab_x0009_</v></c>'
    )
    path = raw_workbook(tmp_path / "text.xlsx", {"S": row(1, cells) + row(2, second)}, strings=strings)
    assert values(read_workbook(path)[0]) == {
        "A1": "  spaced  ", "B1": "rich text", "C1": "漢字", "D1": "bell\x07 and _x0007_", "E1": "", "F1": "a&b<c>",
        "A2": "inline", "B2": "inrich", "C2": "", "D2": "formula text", "F2": True, "G2": False,
        "H2": ErrorValue("#N/A"), "J2": dt.date(2026, 10, 31), "K2": dt.datetime(2026, 10, 31, 14, 30),
        "L2": dt.date(2026, 10, 31), "M2": dt.time(14, 30), "N2": dt.timedelta(hours=1, minutes=30), "O2": "tab\t",
    }


def test_cells_and_rows_without_positions_out_of_order_and_repeated(tmp_path):
    rows = (
        '<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>'  # no r: after the last
        '<row><c r="B2" t="str"><v>b</v></c></row>'
        '<row r="5"><c r="C5"><v>3</v></c><c r="A5"><v>1</v></c></row>'  # cells out of order: each where its reference says
        '<row r="4"><c r="A4"><v>4</v></c></row>'  # above the row before: put in its place
        '<row r="5"><c r="A5"><v>55</v></c></row>'  # a row again: merged, the later cell winning
        '<row><c r="A6"><v>6</v></c><c r="A6" t="str"><v>later</v></c></row>'  # the later cell wins
        '<row r="8"><c r="A8"><v>8</v></c><c r="A8"/></row>'  # even an empty one
        '<row r="9.0"><c r="b9"><v>9</v></c></row>'
    )
    sheet = read_workbook(raw_workbook(tmp_path / "positions.xlsx", {"S": rows}))[0]
    assert [[(c.coordinate, c.value) for c in r] for r in sheet.rows] == [
        [("A1", 1), ("B1", 2), ("C1", None), ("D1", None), ("E1", 5), ("F1", 6)],
        [("A2", None), ("B2", "b")],
        [("A4", 4)],
        [("A5", 55), ("B5", None), ("C5", 3)],
        [("A6", "later")],
        [("A9", None), ("B9", 9)],
    ]


def test_formulas_without_a_cached_value(tmp_path):
    cells = (
        '<c r="A1"><f>1+1</f></c><c r="B1"><f>1+1</f><v></v></c><c r="C1" t="str"><f>"x"</f><v></v></c>'
        '<c r="D1" t="str"><f>"x"</f></c><c r="E1"><f>A1</f><v>2</v></c><c r="F1"><f t="shared" si="0"/></c>'
        '<c><f>A1*3</f></c>'  # no r: placed after F1, and marked too
    )
    assert values(read_workbook(raw_workbook(tmp_path / "f.xlsx", {"S": row(1, cells)}))[0]) == {
        "A1": FormulaWithoutValue("=1+1"), "B1": FormulaWithoutValue("=1+1"), "D1": FormulaWithoutValue('="x"'),
        "E1": 2, "F1": FormulaWithoutValue(None), "G1": FormulaWithoutValue("=A1*3"),
    }


def test_sheets_from_the_workbook_part_and_its_relationships(tmp_path):
    one = row(1, '<c r="A1"><v>1</v></c>')
    path = raw_workbook(
        tmp_path / "sheets.xlsx",
        {"Shown": one, "Hid": one, "Very": one, "Gone": None, "Chart": None, "Absolute": one, "Relative": one},
        states={"Hid": "hidden", "Very": "veryHidden", "Absolute": "visible"},
        targets={"Chart": "chartsheets/sheet1.xml", "Absolute": "/xl/worksheets/abs.xml",
                 "Relative": "./worksheets/../worksheets/rel.xml"},
        kinds={"Chart": "chartsheet"},
        parts={"xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}"/>'},
    )
    assert [(s.name, s.hidden, values(s)) for s in read_workbook(path)] == [
        ("Shown", False, {"A1": 1}), ("Hid", True, {"A1": 1}), ("Very", True, {"A1": 1}),
        ("Absolute", False, {"A1": 1}), ("Relative", False, {"A1": 1}),
    ]


def test_merged_ranges_are_clipped_to_the_rows_read(tmp_path):
    rows = row(1, '<c r="A1" t="str"><v>title</v></c>') + row(2, *(f'<c r="{c}2"><v>2</v></c>' for c in "ABCD"))
    rows += "".join(row(n) for n in range(3, 300)) + row(300, '<c r="A300"><v>300</v></c>')
    path = raw_workbook(tmp_path / "m.xlsx", {"S": rows})
    merged = '<mergeCells><mergeCell ref="A1:C1"/><mergeCell ref="D2:F1048576"/></mergeCells>'
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</sheetData>", "</sheetData>" + merged))
    sheet = read_workbook(path)[0]
    # A range is clipped to the last row read and to the widest row (D2:F1048576 to D2:D300).
    assert [[(c.coordinate, c.value, c.merged_range) for c in r] for r in sheet.rows[:3]] == [
        [("A1", "title", "A1:C1"), ("B1", "title", "A1:C1"), ("C1", "title", "A1:C1")],
        [("A2", 2, None), ("B2", 2, None), ("C2", 2, None), ("D2", 2, "D2:F1048576")],
        [("A3", None, None), ("B3", None, None), ("C3", None, None), ("D3", 2, "D2:F1048576")],
    ]
    assert len(sheet.rows) == 300
    assert [(c.coordinate, c.value) for c in sheet.rows[-1]] == [("A300", 300), ("B300", None), ("C300", None),
                                                                ("D300", 2)]


# -- hostile XML: a DOCTYPE is refused wherever it is


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


DECLARATION = '<?xml version="1.0"?>'


@pytest.mark.parametrize("part, edit", [
    ("xl/worksheets/sheet1.xml",
     lambda xml: xml.replace(DECLARATION, BILLION_LAUGHS).replace("<v>1</v>", "<v>&lol3;</v>")),
    ("xl/sharedStrings.xml",
     lambda xml: xml.replace(DECLARATION, DECLARATION + '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
     .replace("<t>a</t>", "<t>&x;</t>")),
    ("xl/workbook.xml", lambda xml: xml.replace(DECLARATION, DECLARATION + "<!-- x --><!DOCTYPE workbook>")),
    ("xl/styles.xml",
     lambda xml: xml.replace(DECLARATION, '<!DOCTYPE styleSheet SYSTEM "http://example.invalid/x.dtd">')),
    # A prolog longer than the head that is checked: what it hides is not looked for, it is refused.
    ("xl/worksheets/sheet1.xml", lambda xml: xml.replace(DECLARATION, f"<!--{'x' * 70_000}-->")),
], ids=["billion laughs", "external entity", "after a comment", "external DTD", "hidden far down"])
def test_a_part_declaring_a_doctype_is_refused_before_it_is_parsed(tmp_path, part, edit):
    path = raw_workbook(tmp_path / "hostile.xlsx", {"S": row(1, '<c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c>')},
                        strings=["<si><t>a</t></si>"], styles='<cellXfs><xf numFmtId="0"/></cellXfs>')
    rewrite_part(path, part, edit)
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert "cannot be read" in str(raised.value) and part in str(raised.value)
    assert "malicious XML" in str(raised.value)


def test_a_doctype_is_found_in_utf16_too(tmp_path):
    cells = row(1, '<c r="A1"><v>1</v></c>')
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    for name, doctype in (("plain", ""), ("hostile", "<!DOCTYPE worksheet>")):
        xml = ('<?xml version="1.0" encoding="UTF-16"?>' + doctype + sheet).encode("utf-16")
        raw_workbook(tmp_path / f"{name}.xlsx", {"S": ""}, parts={"xl/worksheets/sheet1.xml": xml})
    assert values(read_workbook(tmp_path / "plain.xlsx")[0]) == {"A1": 1}
    with pytest.raises(WorkbookError, match="DOCTYPE"):
        read_workbook(tmp_path / "hostile.xlsx")


# -- reading a sheet at a time: open_workbook


def test_open_workbook_lists_the_sheets_and_gives_the_rows_read_workbook_gives(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "目标达成"
    book.active.append(["2026年10月目标达成"])
    book.active.merge_cells("A1:C1")
    book.active.append(["指标", "目标", "实际"])
    book.active.append(["销售额", 100, 0.5])
    book.active["C3"].number_format = "0%"
    hidden = book.create_sheet("lists")
    hidden.sheet_state = "hidden"
    hidden.append(["是", "否"])
    book.save(path)
    whole = read_workbook(path)
    with open_workbook(path) as opened:
        assert opened.sheets == [SheetInfo("目标达成", False), SheetInfo("lists", True)]
        # In any order, and more than once.
        assert [tuple(opened.rows(1)), tuple(opened.rows(0)), tuple(opened.rows(0))] == [
            whole[1].rows, whole[0].rows, whole[0].rows]


def test_open_workbook_checks_the_file_first(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(WorkbookError, match="empty"):
        open_workbook(path)


def test_the_cell_limit_counts_across_sheets_and_reads(make_workbook):
    path = make_workbook({"One": [[1, 2, 3]] * 10, "Two": [[1, 2, 3]] * 10})
    with open_workbook(path, ReadLimits(max_cells=50)) as opened:
        assert len(list(opened.rows(0))) == 10
        with pytest.raises(WorkbookError) as raised:
            list(opened.rows(1))
    assert "more than 50 filled cells" in str(raised.value) and "sheet 'Two'" in str(raised.value)
    with open_workbook(path, ReadLimits(max_cells=50)) as opened:
        list(opened.rows(0))
        with pytest.raises(WorkbookError, match="more than 50 filled cells"):
            list(opened.rows(0))  # the same sheet read again counts again


def many_rows(tmp_path, count: int) -> Path:
    rows = "".join(row(n, f'<c r="A{n}"><v>{n}</v></c>', f'<c r="B{n}" t="inlineStr"><is><t>row {n}</t></is></c>')
                   for n in range(1, count + 1))
    return raw_workbook(tmp_path / "many.xlsx", {"S": rows})


def test_rows_are_parsed_as_they_are_asked_for(tmp_path):
    path = many_rows(tmp_path, 20_000)
    # The end of the sheet is cut off: the first rows come out before the parser gets there.
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) - 200])
    with open_workbook(path) as opened:
        rows = opened.rows(0)
        assert [c.value for c in next(rows)] == [1, "row 1"]
        with pytest.raises(WorkbookError, match="cannot be read"):
            list(rows)


def test_a_streamed_sheet_holds_a_bounded_part_of_its_xml(tmp_path, monkeypatch):
    path = many_rows(tmp_path, 20_000)
    held = []
    forget = sheet_xml.forget

    def counting(element):
        forget(element)
        assert element.getprevious() is None and len(element) == 0
        held.append(len(element.getparent()))  # this row and those the parser has read ahead

    monkeypatch.setattr(sheet_xml, "forget", counting)
    with open_workbook(path) as opened:
        assert sum(1 for _ in opened.rows(0)) == 20_000
    assert len(held) == 20_000 and max(held) < 2_000


def test_cells_are_small_frozen_objects():
    cell = Cell(1, 1, "x")
    assert not hasattr(cell, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.value = "y"


def test_reading_does_not_import_openpyxl():
    code = "import sys, docgen.input.reader; print('openpyxl' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


# -- the same values as openpyxl's reader, which docgen used before (merges and dates aside, as documented)


def assert_reads_as_openpyxl(path: Path) -> None:
    """Every cell openpyxl's read-only reader gives, read alike: what reader.py read before it parsed XML itself.

    Where the two differ by design: docgen spreads merged values, marks formulas
    without a value, and gives a date for a datetime at midnight.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ours = read_workbook(path)
        assert [(s.name, s.hidden) for s in ours] == [(w.title, w.sheet_state != "visible") for w in book.worksheets]
        for sheet, worksheet in zip(ours, book.worksheets):
            worksheet.reset_dimensions()
            theirs = {}
            for number, cells in enumerate(worksheet.iter_rows(), start=1):
                for column, cell in enumerate(cells, start=1):
                    if cell.value is not None:
                        value = cell.value
                        if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
                            value = value.date()
                        percent = isinstance(value, (int, float)) and not isinstance(value, bool) and (
                            is_percent_format(cell.number_format))
                        theirs[(number, column)] = (type(value), value, percent)
            mine = {(c.row, c.column): (type(c.value), c.value, c.percent) for r in sheet.rows for c in r
                    if c.value is not None and (c.merged_range is None or c.merged_range.startswith(c.coordinate + ":"))
                    and not isinstance(c.value, FormulaWithoutValue)}
            assert mine == theirs, (path.name, sheet.name)
    finally:
        book.close()


SAMPLES = sorted((ROOT / "sample_inputs").rglob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_sample_workbooks_read_as_openpyxl_read_them(path):
    assert_reads_as_openpyxl(path)


def test_a_workbook_written_as_excel_writes_it_reads_as_openpyxl_read_it(tmp_path):
    spec = importlib.util.spec_from_file_location("make_workbook", ROOT / "benchmarks" / "make_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "team.xlsx"
    module.write_xlsx(module.build(30), path)  # shared strings, stated sizes, dates as serials
    assert_reads_as_openpyxl(path)


def test_the_shared_string_table_gives_each_string_back_and_refuses_a_missing_one():
    table = StringTable()
    strings = ["", "销售额", "a_x", "😀 emoji", *(f"客户{n}" for n in range(3000))]
    for text in strings:
        table.append(text)
    table.close()
    assert len(table) == len(strings)
    assert [table[i] for i in range(len(strings))] == strings
    for missing in (-1, len(strings)):
        with pytest.raises(IndexError):
            table[missing]


# -- what Excel shows that openpyxl lost: repeated and unordered rows, escapes, part names


def test_repeated_row_elements_are_one_row_the_later_cell_winning(tmp_path):
    # As writers that append a <row> for every cell they set leave it.
    rows = (row(1, '<c r="A1" t="inlineStr"><is><t>指标</t></is></c>')
            + row(1, '<c r="B1" t="inlineStr"><is><t>目标</t></is></c>')
            + row(2, '<c r="A2" t="inlineStr"><is><t>销售额</t></is></c>', '<c r="B2"><v>900</v></c>')
            + row(2, '<c r="B2"><v>1000</v></c>')
            + row(3, '<c r="A3" t="inlineStr"><is><t>新增客户</t></is></c>'))
    expected = [[("A1", "指标"), ("B1", "目标")], [("A2", "销售额"), ("B2", 1000)], [("A3", "新增客户")]]
    streamed = read_workbook(raw_workbook(tmp_path / "repeated.xlsx", {"S": rows}))[0]
    assert [[(c.coordinate, c.value) for c in r] for r in streamed.rows] == expected
    # A sheet with merged ranges is read whole: the same rows.
    path = raw_workbook(tmp_path / "repeated-merged.xlsx", {"S": rows})
    merged = '<mergeCells><mergeCell ref="C5:D5"/></mergeCells>'
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</sheetData>", "</sheetData>" + merged))
    assert [[(c.coordinate, c.value) for c in r] for r in read_workbook(path)[0].rows] == expected


def test_rows_out_of_order_come_out_in_order(tmp_path):
    rows = (row(3, '<c r="A3"><v>3</v></c>') + row(1, '<c r="A1"><v>1</v></c>', '<c r="B1"><v>10</v></c>')
            + row(2, '<c r="A2"><v>2</v></c>') + row(1, '<c r="B1"><v>11</v></c>')
            + '<row><c r="A2"><v>22</v></c></row>')  # no number: the one after row 1, so row 2
    with open_workbook(raw_workbook(tmp_path / "unordered.xlsx", {"S": rows})) as opened:
        assert [[(c.coordinate, c.value) for c in r] for r in opened.rows(0)] == [
            [("A1", 1), ("B1", 11)], [("A2", 22)], [("A3", 3)]]


def test_rows_without_numbers_after_numbered_ones_are_placed_and_ordered(tmp_path):
    rows = row(5, '<c r="A5"><v>5</v></c>') + '<row><c><v>6</v></c></row>' + row(2, '<c r="A2"><v>2</v></c>')
    sheet = read_workbook(raw_workbook(tmp_path / "unnumbered.xlsx", {"S": rows}))[0]
    assert [[(c.coordinate, c.value) for c in r] for r in sheet.rows] == [[("A2", 2)], [("A5", 5)], [("A6", 6)]]


def test_rows_of_a_sheet_whose_elements_carry_a_prefix(tmp_path):
    # Some .NET writers spell every element with a prefix: <x:row>, <x:c>.
    sheet = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
             '<x:row r="2"><x:c r="A2"><x:v>2</x:v></x:c></x:row><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
             '<x:c r="B1"><x:v>1</x:v></x:c></x:row><x:row r="3"/></x:sheetData><x:mergeCells><x:mergeCell ref="A2:B2"/></x:mergeCells></x:worksheet>')
    path = raw_workbook(tmp_path / "prefixed.xlsx", {"S": ""}, parts={"xl/worksheets/sheet1.xml": sheet})
    assert [[(c.coordinate, c.value) for c in r] for r in read_workbook(path)[0].rows] == [
        [("A1", 1), ("B1", 1)], [("A2", 2), ("B2", 2)]]


def test_escapes_are_read_as_excel_reads_them_and_unwritable_halves_are_replaced_and_reported(tmp_path):
    strings = [
        "<si><t>_x005F_x000D_</t></si>",  # an escaped underscore, then text: the literal _x000D_
        "<si><t>line_x000D__x000A_next</t></si>",
        "<si><t>_x005f_x005F_</t></si>",  # the hex in either case
        "<si><t>_xD83D__xDE00_</t></si>",  # a UTF-16 pair: one character
        "<si><t>lone _xD800_ half</t></si>",  # half a pair: cannot be text
        "<si><t>_x_ _x12_ _x00GG_ x005F_</t></si>",  # not escapes
    ]
    cells = "".join(f'<c r="{column_letter(n + 1)}1" t="s"><v>{n}</v></c>' for n in range(len(strings)))
    second = ('<c r="A2" t="inlineStr"><is><t>_x005F_x0009_</t></is></c>'
              '<c r="B2" t="inlineStr"><is><t>end_xDC00_</t></is></c><c r="C2" t="str"><v>_xDBFF_</v></c>'
              '<c r="D2" t="s"><v>4</v></c>')
    path = raw_workbook(tmp_path / "escapes.xlsx", {"S": row(1, cells) + row(2, second)}, strings=strings)
    sheet = read_workbook(path)[0]
    assert values(sheet) == {
        "A1": "_x000D_", "B1": "line\r\nnext", "C1": "_x005F_", "D1": "😀", "E1": "lone \ufffd half",
        "F1": "_x_ _x12_ _x00GG_ x005F_",
        "A2": "_x0009_", "B2": "end\ufffd", "C2": "\ufffd", "D2": "lone \ufffd half",
    }
    for value in values(sheet).values():
        value.encode("utf-8")
    assert [(w.sheet, w.cell) for w in sheet.warnings] == [("S", "E1"), ("S", "B2"), ("S", "C2"), ("S", "D2")]
    assert sheet.warnings[0].message == (
        "the cell's text holds a character that cannot be stored (half of a character pair written as an "
        "_xD800_-style code); it was replaced by “\ufffd”")
    with open_workbook(path) as opened:
        list(opened.rows(0))
        list(opened.rows(0))  # read again: each cell is listed once
        assert [w.cell for w in opened.warnings] == ["E1", "B2", "C2", "D2"]


def rename_parts(path: Path, rename) -> None:
    """Rename the zip's parts as some writers spell them (backslashes, capitals)."""
    with zipfile.ZipFile(path) as archive:
        contents = [(rename(name), archive.read(name)) for name in archive.namelist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents:
            archive.writestr(name, data)


TABLE = {"A1": "指标", "B1": "目标", "A2": "销售额", "B2": 1000}


def table_workbook(tmp_path: Path) -> Path:
    """A small sheet whose text is in a shared-strings table, as Excel saves it."""
    cells = row(1, '<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>')
    cells += row(2, '<c r="A2" t="s"><v>2</v></c>', '<c r="B2"><v>1000</v></c>')
    strings = ["<si><t>指标</t></si>", "<si><t>目标</t></si>", "<si><t>销售额</t></si>"]
    path = raw_workbook(tmp_path / "table.xlsx", {"目标达成": cells}, strings=strings,
                        styles='<cellXfs><xf numFmtId="0"/></cellXfs>')
    rewrite_part_bytes(path, "_rels/.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
    return path


def rewrite_part_bytes(path: Path, part: str, content: str) -> None:
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents[part] = content.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def test_part_names_with_backslashes_are_found(tmp_path):
    path = table_workbook(tmp_path)
    rename_parts(path, lambda name: name.replace("/", "\\"))
    assert "xl\\worksheets\\sheet1.xml" in zipfile.ZipFile(path).namelist()
    assert values(read_workbook(path)[0]) == TABLE


def test_part_names_in_another_case_are_found(tmp_path):
    path = table_workbook(tmp_path)
    renamed = {"xl/sharedStrings.xml": "xl/SharedStrings.xml", "xl/worksheets/sheet1.xml": "XL/Worksheets/Sheet1.XML",
               "xl/styles.xml": "xl/Styles.xml"}
    rename_parts(path, lambda name: renamed.get(name, name))
    assert "xl/SharedStrings.xml" in zipfile.ZipFile(path).namelist()
    assert values(read_workbook(path)[0]) == TABLE


def test_a_workbook_part_elsewhere_is_found_through_the_package_relationships(tmp_path):
    path = table_workbook(tmp_path)
    moved = {"xl/workbook.xml": "xl/book.xml", "xl/_rels/workbook.xml.rels": "xl/_rels/book.xml.rels"}
    rename_parts(path, lambda name: moved.get(name, name))
    rewrite_part_bytes(path, "_rels/.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="/xl/book.xml"/></Relationships>'))
    # The content types still name the old place, as the file this copies did.
    assert "xl/workbook.xml" not in zipfile.ZipFile(path).namelist()
    assert [(s.name, values(s)) for s in read_workbook(path)] == [("目标达成", TABLE)]


def test_a_word_document_with_its_relationships_is_still_told_apart(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="word/document.xml"/>'
            '</Relationships>'))
        archive.writestr("word/document.xml", "<document/>")
    check_file_error(path, "this is not an Excel .xlsx workbook (it is a Word document)")


# -- a file that cannot be read: what is wrong with it, in a user's words

HINT = (" The file may be damaged or made by a program that writes non-standard files. Open it in Excel, WPS or "
        "LibreOffice and save it as an Excel workbook (.xlsx).")


@pytest.mark.parametrize("cells, message", [
    (row(1, '<c r="A1" t="s"><v>0</v></c>') + row(3, '<c r="B3" t="s"><v>7</v></c>'),
     "sheet 'S', cell B3: the workbook cannot be read: this cell points to shared text no. 7, which is not in the "
     "workbook's list of shared texts (1 in all, numbered from 0)"),
    (row(3, '<c r="0"><v>1</v></c>'),
     "sheet 'S': the workbook cannot be read: a cell in row 3 is placed at “0”, "
     "which is not a cell position such as B7"),
    (row(2, '<c r="A2"><v>1</v></c>') + '<row r="x"><c r="A3"><v>1</v></c></row>',
     "sheet 'S': the workbook cannot be read: a row is numbered “x”, which is not a row number"),
    (row(1, '<c r="C1" s="9"><v>1</v></c>'),
     "sheet 'S', cell C1: the workbook cannot be read: this cell uses cell format no. 9, which the workbook does not "
     "define"),
    (row(2, '<c r="D2"><v>12 万</v></c>'),
     "sheet 'S', cell D2: the workbook cannot be read: this cell is stored as a number but holds “12 万”"),
    (row(2, '<c r="E2" t="b"><v>yes</v></c>'),
     "sheet 'S', cell E2: the workbook cannot be read: this cell is stored as TRUE or FALSE but holds “yes”"),
    (row(2, '<c r="F2" t="d"><v>31/10/2026</v></c>'),
     "sheet 'S', cell F2: the workbook cannot be read: this cell is stored as a date but holds “31/10/2026”"),
    (row(1, '<c r="A1"><v>1</v></c>') + "<row r='2'><c r='A2'><v>2</c></row>",
     "sheet 'S': the workbook cannot be read: this sheet's data is damaged in the file (cut off or garbled)"),
], ids=["shared text missing", "cell reference", "row number", "undefined format", "number", "boolean", "date",
        "broken XML"])
def test_a_damaged_sheet_is_told_in_a_users_words(tmp_path, cells, message):
    path = raw_workbook(tmp_path / "damaged.xlsx", {"S": cells}, strings=["<si><t>a</t></si>"],
                        styles='<cellXfs><xf numFmtId="0"/></cellXfs>')
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert str(raised.value) == f"damaged.xlsx, {message}.{HINT}"


@pytest.mark.parametrize("part, edit, message", [
    ("xl/workbook.xml", lambda xml: xml.replace("</sheets>", "</sheet>"),
     "the workbook cannot be read: its list of sheets is damaged in the file"),
    ("xl/workbook.xml", lambda xml: xml.replace('sheetId="1"', 'sheetId="one"'),
     "the workbook cannot be read: its list of sheets is damaged in the file"),
    ("xl/_rels/workbook.xml.rels", lambda xml: xml.replace('Id="rId1"', 'Id="rId9"'),
     "the workbook cannot be read: its list of sheets is damaged in the file"),
    ("xl/styles.xml", lambda xml: xml.replace('numFmtId="0"', 'numFmtId="general"'),
     "the workbook cannot be read: its cell formats are damaged in the file"),
    ("xl/sharedStrings.xml", lambda xml: xml.replace("</sst>", "<si>"),
     "the workbook cannot be read: the list of texts its cells share is damaged in the file"),
    ("[Content_Types].xml", lambda xml: xml[:40],
     "the workbook cannot be read: the index of the parts it is made of is damaged in the file"),
], ids=["workbook xml", "sheet number", "relationship", "styles", "shared strings", "content types"])
def test_a_damaged_part_of_the_package_is_told_in_a_users_words(tmp_path, part, edit, message):
    path = raw_workbook(tmp_path / "damaged.xlsx", {"S": row(1, '<c r="A1" t="s"><v>0</v></c>')},
                        strings=["<si><t>a</t></si>"], styles='<cellXfs><xf numFmtId="0"/></cellXfs>')
    rewrite_part(path, part, edit)
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert str(raised.value) == f"damaged.xlsx: {message}.{HINT}"


def test_a_damaged_cell_is_told_in_chinese_too(tmp_path):
    path = raw_workbook(tmp_path / "损坏.xlsx", {"目标达成": row(3, '<c r="B3" t="s"><v>7</v></c>')},
                        strings=["<si><t>a</t></si>"])
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert raised.value.text("zh").startswith(
        "损坏.xlsx，工作表“目标达成”，单元格 B3：无法读取工作簿：该单元格指向第 7 号共享文本，"
        "但工作簿的共享文本列表中没有这一条（共 1 条，从 0 开始编号）。")


def test_a_part_that_does_not_unpack_is_a_damaged_file(tmp_path):
    path = raw_workbook(tmp_path / "crc.xlsx", {"S": row(1, '<c r="A1"><v>1</v></c>')})
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 5  # inside its packed data
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert str(raised.value) == (
        "crc.xlsx, sheet 'S': the file is damaged: it cannot be unpacked as an .xlsx workbook. "
        "Open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx).")
