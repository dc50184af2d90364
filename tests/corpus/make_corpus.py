"""docgen's corpus of hostile and broken inputs, built by code: ``python tests/corpus/make_corpus.py FOLDER``.

Every case is one input named for what it shows (``text_in_number_cells.xlsx``,
``template_popen.docx`` …), what docgen must answer for each command that
takes it (the exit code and the words of the one message that names the
problem and its place, in English and, where the message is localised, in
Chinese), and for the hostile inputs docgen must accept, the text that must
come out literally in the report. tests/test_corpus.py builds the corpus into
a temporary folder and runs every case through every command; docs/errors.md
lists the cases (``python tests/corpus/make_corpus.py --table FOLDER`` builds
the corpus in FOLDER and prints the table it shows, with what docgen says).

The inputs are made here rather than committed: most are a few hundred bytes
of a workbook with one thing wrong, and two (the zip bombs) would be binary
blobs nobody can review. Writing xlsx and docx files is what this script does,
so it imports openpyxl and python-docx itself.
"""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

TODAY = "2026-11-02"

# The files every case shares: a workbook that renders, a mail-merge letter and its data.
GOOD = "good_team_report.xlsx"
LETTER = "letter.docx"
DATA = "recipients.xlsx"

INFO = [
    ["项目", "内容"],
    ["标题", "华东销售一组2026年10月工作总结"],
    ["单位", "星辰科技"],
    ["团队", "华东销售一组"],
    ["姓名", "王五"],
    ["层级", "团队"],
    ["周期", "月报"],
    ["开始日期", "2026-10-01"],
    ["结束日期", "2026-10-31"],
    ["货币单位", "万元"],
]
TARGETS = [
    ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
    ["销售额", "万元", 1000, 960, 900, 850, "大客户回款延迟"],
    ["新增客户", "家", 20, 24, 18, 15, None],
    ["复购率", "%", 0.35, 0.38, 0.33, 0.30, None],
    ["客户流失率", "%", 0.05, 0.04, 0.06, 0.07, None],
]
PROBLEMS = [
    ["现象", "原因", "影响", "类型", "对策"],
    ["两家大客户签约推迟", "客户预算审批延后", "影响约60万元", "外部", "提前锁定下季度预算"],
]


def sheets(**changes: list[list]) -> dict[str, list[list]]:
    """The good workbook's sheets, with some replaced or added (a value of None removes a sheet)."""
    base = {"报告信息": INFO, "目标达成": TARGETS, "问题反思": PROBLEMS}
    base.update(changes)
    return {name: [list(row) for row in rows] for name, rows in base.items() if rows is not None}


def info_with(**values: object) -> list[list]:
    """The info sheet with some keys' values changed (None removes the row) or rows added."""
    rows = [list(row) for row in INFO]
    for key, value in values.items():
        found = next((row for row in rows if row[0] == key), None)
        if found is None:
            rows.append([key, value])
        elif value is None:
            rows.remove(found)
        else:
            found[1] = value
    return rows


def targets_with(cells: dict[tuple[int, int], object]) -> list[list]:
    """The targets sheet with some cells (row, column; 0-based, the header is row 0) changed."""
    rows = [list(row) for row in TARGETS]
    for (row, column), value in cells.items():
        rows[row][column] = value
    return rows


def write_xlsx(path: Path, book_sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in book_sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def rewrite_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """Change one part of a zip package (what openpyxl or python-docx cannot write)."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    contents[part] = edit(contents[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip part of a sheet, by its name (openpyxl numbers them in order)."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<sheet\b[^>]*?\bname="([^"]*)"', workbook)
    return f"xl/worksheets/sheet{names.index(sheet_name) + 1}.xml"


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def ole2_file(path: Path, *streams: str) -> Path:
    """A file that looks like an OLE2 compound document (old .xls, or an encrypted .xlsx) holding named streams."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:28] = struct.pack("<HH", 0x3E, 3)  # minor and major version
    header[28:34] = struct.pack("<HHH", 0xFFFE, 9, 6)  # byte order, sector and mini-sector shift
    directory = bytearray()
    for name in ("Root Entry", *streams):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded) + 2)
        entry[66] = 5 if name == "Root Entry" else 2  # storage type: root, stream
        directory += entry
    path.write_bytes(bytes(header) + bytes(directory) + bytes(512 - len(directory) % 512))
    return path


# --- the case table ----------------------------------------------------------------------------------

# How each command is run for an input of each kind. {input} is the case's file, {out} a fresh output
# folder; the shared files are {good}, {letter} and {data}. A run in English adds --lang en where the
# command has it, so that the report's language does not decide the message's.
WORKBOOK_RUNS = {
    "render": ["render", "{input}", "-o", "{out}/report.docx", "--today", TODAY],
    "check": ["check", "{input}", "--today", TODAY],
    "batch": ["batch", "{input}", "{good}", "-o", "{out}/batch", "--today", TODAY, "-j", "1"],
    "merge": ["merge", "{letter}", "{input}", "-o", "{out}/merge", "-j", "1"],
}
TEMPLATE_RUNS = {
    "render": ["render", "{good}", "--template", "{input}", "-o", "{out}/report.docx", "--today", TODAY],
    "batch": ["batch", "{good}", "--template", "{input}", "-o", "{out}/batch", "--today", TODAY, "-j", "1"],
    "merge": ["merge", "{input}", "{data}", "-o", "{out}/merge", "-j", "1"],
    "templates check": ["templates", "check", "{input}"],
}
LANG_OPTION = {"render", "check", "batch"}


@dataclass(frozen=True)
class Case:
    """One hostile or broken input, and what docgen answers to it."""

    name: str  # the input's file name: it says what the case shows
    group: str  # workbook file, workbook content, values, template, output
    shows: str  # one line for docs/errors.md
    build: Callable[[Path], None]  # writes the input (named `name`) into the corpus folder
    exits: dict[str, int]  # command → exit code
    # What the message holds in English, the problem and its place: for every command, or by command
    # ("*" for the others) where a command words it its own way.
    says: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    # ... in Chinese (run under a Chinese locale); None: the message is not localised (it stays English)
    says_zh: tuple[str, ...] | None = None
    literal: tuple[str, ...] = ()  # text that must be in the report as it is (hostile inputs docgen accepts)
    absent: tuple[str, ...] = ()  # text that must not be in the report (a character that should be dropped)
    env: dict[str, str] = field(default_factory=dict)  # environment of the run (the configurable limits)
    runs: dict[str, list[str]] | None = None  # command lines; None: the kind's (WORKBOOK_RUNS, TEMPLATE_RUNS)
    prepare: Callable[[Path], None] | None = None  # sets up the output folder (an existing report …)

    @property
    def kind(self) -> str:
        return "template" if self.group == "template" else "workbook"

    def phrases(self, command: str) -> tuple[str, ...]:
        if isinstance(self.says, dict):
            return self.says.get(command, self.says.get("*", ()))
        return self.says

    def command_lines(self) -> dict[str, list[str]]:
        if self.runs is not None:
            return self.runs
        runs = TEMPLATE_RUNS if self.kind == "template" else WORKBOOK_RUNS
        return {command: runs[command] for command in self.exits}


CASES: list[Case] = []


def case(name: str, group: str, shows: str, exits: dict[str, int], **details) -> Callable:
    """Register the decorated builder as a case of the corpus."""

    def register(build: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name, group, shows, build, exits, **details))
        return build

    return register


WORKBOOK_ERROR = {"render": 2, "check": 2, "batch": 1, "merge": 2}  # merge reads any sheet as rows
CONTENT_ERROR = {"render": 2, "check": 2, "batch": 1}  # the sales sheets' rules: merge takes any table
ACCEPTED = {"render": 0, "check": 0, "batch": 0, "merge": 0}


# -- workbook files


@case("empty.xlsx", "workbook file", "a file of 0 bytes", WORKBOOK_ERROR,
      says=("empty.xlsx", "the file is empty (0 bytes)"), says_zh=("empty.xlsx", "文件是空的"))
def _empty(folder: Path) -> None:
    (folder / "empty.xlsx").write_bytes(b"")


@case("not_a_zip.xlsx", "workbook file", "binary noise under an .xlsx name", WORKBOOK_ERROR,
      says=("not_a_zip.xlsx", "this is not an Excel .xlsx workbook", "save it as an Excel workbook"),
      says_zh=("not_a_zip.xlsx", "这不是 Excel .xlsx 工作簿"))
def _not_a_zip(folder: Path) -> None:
    (folder / "not_a_zip.xlsx").write_bytes(bytes(range(256)) * 8)


@case("truncated_zip.xlsx", "workbook file", "a workbook cut off half-way (a copy that stopped)", WORKBOOK_ERROR,
      says=("truncated_zip.xlsx", "the file is damaged: it is cut off"), says_zh=("文件已损坏", "被截断"))
def _truncated(folder: Path) -> None:
    whole = write_xlsx(folder / "truncated_zip.xlsx", sheets())
    whole.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])


@case("old_excel_97_2003.xls", "workbook file", "an old Excel 97–2003 .xls file (OLE2)", WORKBOOK_ERROR,
      says=("old_excel_97_2003.xls", "old Excel 97–2003 file (.xls)"), says_zh=("旧版 Excel 97–2003 文件",))
def _xls(folder: Path) -> None:
    ole2_file(folder / "old_excel_97_2003.xls", "Workbook", "\x05SummaryInformation")


@case("password_protected.xlsx", "workbook file",
      "an .xlsx with a password to open: an OLE2 file holding an EncryptedPackage stream", WORKBOOK_ERROR,
      says=("password_protected.xlsx", "password-protected (encrypted)", "remove the password"),
      says_zh=("设置了打开密码", "取消打开密码"))
def _encrypted(folder: Path) -> None:
    ole2_file(folder / "password_protected.xlsx", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")


@case("excel_binary.xlsb", "workbook file", "an Excel binary workbook (.xlsb)", WORKBOOK_ERROR,
      says=("excel_binary.xlsb", "Excel binary workbook (.xlsb)"), says_zh=("Excel 二进制工作簿（.xlsb）",))
def _xlsb(folder: Path) -> None:
    with zipfile.ZipFile(folder / "excel_binary.xlsb", "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")


@case("csv_renamed.xlsx", "workbook file", "a CSV export renamed to .xlsx", WORKBOOK_ERROR,
      says=("csv_renamed.xlsx", "CSV or text file saved under an .xlsx name"), says_zh=("CSV 或文本文件",))
def _csv(folder: Path) -> None:
    (folder / "csv_renamed.xlsx").write_text("指标,目标,实际\n销售额,1000,960\n", encoding="utf-8")


@case("html_saved_as_xlsx.xlsx", "workbook file", "a web page saved under a spreadsheet name", WORKBOOK_ERROR,
      says=("html_saved_as_xlsx.xlsx", "web page (HTML)"), says_zh=("网页（HTML）",))
def _html(folder: Path) -> None:
    (folder / "html_saved_as_xlsx.xlsx").write_text(
        "<html><body><table><tr><td>销售额</td><td>960</td></tr></table></body></html>", encoding="utf-8"
    )


@case("word_document_renamed.xlsx", "workbook file", "a Word document renamed to .xlsx", WORKBOOK_ERROR,
      says=("word_document_renamed.xlsx", "it is a Word document"), says_zh=("它是 Word 文档",))
def _word(folder: Path) -> None:
    write_docx(folder / "word_document_renamed.xlsx", ["销售工作总结"])


@case("opendocument_renamed.xlsx", "workbook file", "a LibreOffice .ods spreadsheet renamed to .xlsx",
      WORKBOOK_ERROR, says=("opendocument_renamed.xlsx", "OpenDocument spreadsheet (.ods)"),
      says_zh=("OpenDocument 表格（.ods）",))
def _ods(folder: Path) -> None:
    with zipfile.ZipFile(folder / "opendocument_renamed.xlsx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


@case("damaged_sheet_xml.xlsx", "workbook file", "a zip that is whole but whose sheet XML is cut off",
      WORKBOOK_ERROR, says=("damaged_sheet_xml.xlsx", "the workbook cannot be read"), says_zh=("无法读取工作簿",))
def _damaged(folder: Path) -> None:
    path = write_xlsx(folder / "damaged_sheet_xml.xlsx", sheets())
    rewrite_part(path, sheet_part(path, "目标达成"), lambda xml: xml[: len(xml) // 2])


# A sheet part of 64 MB of spaces: it packs to about 64 KB (a thousand to one). A real
# sheet packs ten or twenty to one.
BOMB_MEGABYTES = 64


@case("zip_bomb_ratio.xlsx", "workbook file",
      f"a sheet that unpacks to {BOMB_MEGABYTES} MB from 64 KB: refused from the zip's directory, "
      "before any XML is parsed", WORKBOOK_ERROR,
      says=("zip_bomb_ratio.xlsx", "refusing a possible zip bomb", "xl/worksheets/sheet"),
      says_zh=("压缩炸弹", "拒绝读取"))
def _bomb_ratio(folder: Path) -> None:
    good = write_xlsx(folder / "zip_bomb_ratio.tmp", sheets())
    part = sheet_part(good, "目标达成")
    path = folder / "zip_bomb_ratio.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != part:
                bomb.writestr(info.filename, data)
                continue
            # The real sheet, with megabytes of whitespace before its end: still valid XML.
            head, tail = data.rsplit(b"</worksheet>", 1)
            with bomb.open(part, "w", force_zip64=True) as stream:
                stream.write(head)
                block = b" " * (1 << 20)
                for _ in range(BOMB_MEGABYTES):
                    stream.write(block)
                stream.write(b"</worksheet>" + tail)
    good.unlink()


@case("zip_bomb_stated_size.xlsx", "workbook file",
      "a zip whose directory says a part unpacks to 3.75 GB: refused before anything is unpacked",
      WORKBOOK_ERROR, says=("zip_bomb_stated_size.xlsx", "unpacks to 3,840 MB", "1,024 MB"),
      says_zh=("解压后有 3,840 MB",))
def _bomb_size(folder: Path) -> None:
    path = write_xlsx(folder / "zip_bomb_stated_size.xlsx", sheets())
    part = sheet_part(path, "目标达成").encode()
    data = bytearray(path.read_bytes())
    stated = struct.pack("<I", 0xF0000000)
    # The part's uncompressed size, in its local header (offset 22) and its directory entry (offset 24).
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + len(part)] == part:
                data[start + offset : start + offset + 4] = stated
            start += 4
    path.write_bytes(bytes(data))


@case("million_row_dimension.xlsx", "workbook file",
      "a targets sheet whose stated dimension is A1:XFD1048576 and which holds ten rows, and a formatted, "
      "empty last row: read quickly (empty rows below the last cell are not parsed), and the report is made",
      ACCEPTED, literal=("指标09",))
def _million_rows(folder: Path) -> None:
    rows = [TARGETS[0]] + [[f"指标{n:02d}", "家", 10 + n, 10 + n, None, None, None] for n in range(10)]
    path = write_xlsx(folder / "million_row_dimension.xlsx", sheets(目标达成=rows))
    stray = b'<row r="1048576" s="1" customFormat="1" ht="20" customHeight="1"/></sheetData>'

    def huge(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:].replace(b"</sheetData>", stray)

    rewrite_part(path, sheet_part(path, "目标达成"), huge)


@case("too_many_rows.xlsx", "workbook file",
      "150 rows on a sheet where DOCGEN_MAX_ROWS=100 (the limit is configurable; 100,000 by default)",
      WORKBOOK_ERROR, env={"DOCGEN_MAX_ROWS": "100"},
      says=("too_many_rows.xlsx", "sheet '客户跟进明细'", "cell A101", "data below row 100", "DOCGEN_MAX_ROWS"),
      says_zh=("工作表“客户跟进明细”", "单元格 A101", "第 100 行以下还有数据"))
def _too_many_rows(folder: Path) -> None:
    rows = [["客户", "内容"]] + [[f"客户{n}", "拜访"] for n in range(150)]
    write_xlsx(folder / "too_many_rows.xlsx", sheets(客户跟进明细=rows))


@case("too_many_cells.xlsx", "workbook file",
      "400 filled cells where DOCGEN_MAX_CELLS=300 (the limit is configurable; 1,000,000 by default)",
      WORKBOOK_ERROR, env={"DOCGEN_MAX_CELLS": "300"},
      says=("too_many_cells.xlsx", "more than 300 filled cells", "DOCGEN_MAX_CELLS"),
      says_zh=("非空单元格超过 300 个",))
def _too_many_cells(folder: Path) -> None:
    rows = [["客户", "内容", "结果", "下一步"]] + [[f"客户{n}", "拜访", "意向", "报价"] for n in range(100)]
    write_xlsx(folder / "too_many_cells.xlsx", sheets(客户跟进明细=rows))


# -- workbook content


@case("missing_required_column.xlsx", "workbook content", "the targets sheet has no 目标 / Target column",
      CONTENT_ERROR,
      says=("sheet '目标达成'", "cell A1:F1", "the required column “目标 / Target” is missing from the header row"),
      says_zh=("工作表“目标达成”", "缺少必需的“目标 / Target”列"))
def _missing_column(folder: Path) -> None:
    rows = [[cell for index, cell in enumerate(row) if index != 2] for row in TARGETS]
    write_xlsx(folder / "missing_required_column.xlsx", sheets(目标达成=rows))


@case("misspelt_column.xlsx", "workbook content", "the header “Tagret” where “Target” is meant: the nearest name "
      "is suggested", CONTENT_ERROR,
      says=("sheet '目标达成'", "cell C1", "“Tagret” looks like a misspelling", "Did you mean “Target”?"),
      says_zh=("单元格 C1", "像是写错了", "您是不是想写“Target”"))
def _misspelt(folder: Path) -> None:
    write_xlsx(folder / "misspelt_column.xlsx", sheets(目标达成=targets_with({(0, 2): "Tagret"})))


@case("duplicate_headers.xlsx", "workbook content", "two columns headed 实际", CONTENT_ERROR,
      says=("sheet '目标达成'", "cell H1", "the column “实际” appears twice (first in D1)"),
      says_zh=("单元格 H1", "“实际”列出现了两次"))
def _duplicates(folder: Path) -> None:
    rows = [row + [extra] for row, extra in zip(TARGETS, ["实际", 1, 2, 3, 4])]
    write_xlsx(folder / "duplicate_headers.xlsx", sheets(目标达成=rows))


@case("no_header_row.xlsx", "workbook content", "a targets sheet of data rows with no header row", CONTENT_ERROR,
      says=("sheet '目标达成'", "cell A1", "no header row found in the first 20 rows"),
      says_zh=("工作表“目标达成”", "没有找到表头行"))
def _no_header(folder: Path) -> None:
    write_xlsx(folder / "no_header_row.xlsx", sheets(目标达成=TARGETS[1:]))


@case("text_in_number_cells.xlsx", "workbook content", "一百, N/A and — typed where figures go", CONTENT_ERROR,
      says=("3 problems", "cell C2", "“一百”", "cell D3", "“N/A”", "cell E2", "“—”", "this is not a number"),
      says_zh=("有 3 处问题", "单元格 C2", "这不是数字", "实际为“一百”"))
def _text_numbers(folder: Path) -> None:
    rows = targets_with({(1, 2): "一百", (2, 3): "N/A", (1, 4): "—"})
    write_xlsx(folder / "text_in_number_cells.xlsx", sheets(目标达成=rows))


@case("zero_target.xlsx", "workbook content", "a target of 0 (no achievement rate can be worked out)",
      CONTENT_ERROR, says=("cell C3", "the target must be greater than zero", "found “0”"),
      says_zh=("单元格 C3", "目标必须大于零"))
def _zero_target(folder: Path) -> None:
    write_xlsx(folder / "zero_target.xlsx", sheets(目标达成=targets_with({(2, 2): 0})))


@case("negative_target.xlsx", "workbook content", "a target of -500", CONTENT_ERROR,
      says=("cell C2", "the target must be greater than zero", "found “-500”"), says_zh=("目标必须大于零",))
def _negative_target(folder: Path) -> None:
    write_xlsx(folder / "negative_target.xlsx", sheets(目标达成=targets_with({(1, 2): -500})))


@case("percent_in_amount_row.xlsx", "workbook content",
      "96% typed as the actual of 销售额, a row counted in 万元: refused, never read as 0.96万元", CONTENT_ERROR,
      says=("cell D2", "a percentage in a row counted in 万元", "found “96%”"),
      says_zh=("单元格 D2", "这一行以“万元”计，却填了百分比"))
def _percent_in_amount(folder: Path) -> None:
    write_xlsx(folder / "percent_in_amount_row.xlsx", sheets(目标达成=targets_with({(1, 3): "96%"})))


@case("money_in_rate_row.xlsx", "workbook content",
      "￥38,000 typed as the actual of 复购率, a row whose unit is %", CONTENT_ERROR,
      says=("cell D4", "an amount of money in a row whose unit is %"),
      says_zh=("单元格 D4", "这一行的单位是“%”，却填了金额"))
def _money_in_rate(folder: Path) -> None:
    write_xlsx(folder / "money_in_rate_row.xlsx", sheets(目标达成=targets_with({(3, 3): "￥38,000"})))


@case("error_cells.xlsx", "workbook content", "formulas showing #DIV/0! and #REF!", CONTENT_ERROR,
      says=("cell D2", "shows the error #DIV/0!", "cell F2", "#REF!"), says_zh=("单元格显示错误值 #DIV/0!",))
def _error_cells(folder: Path) -> None:
    path = write_xlsx(folder / "error_cells.xlsx", sheets(目标达成=targets_with({(1, 3): "x", (1, 5): "y"})))
    book = openpyxl.load_workbook(path)
    sheet = book["目标达成"]
    # As Excel saves a formula that failed: the formula and its cached error value.
    sheet["D2"] = "#DIV/0!"
    sheet["F2"] = "#REF!"
    book.save(path)


@case("formulas_without_values.xlsx", "workbook content",
      "formulas never computed (the file was written by a program, not saved by a spreadsheet)", CONTENT_ERROR,
      says=("cell D2", "the formula =C2*0.96 has no computed value", "save it"),
      says_zh=("公式 =C2*0.96 没有计算结果",))
def _formulas(folder: Path) -> None:
    write_xlsx(folder / "formulas_without_values.xlsx", sheets(目标达成=targets_with({(1, 3): "=C2*0.96"})))


@case("impossible_dates.xlsx", "workbook content", "a start date of 2026-02-30 and an end date in month 13",
      CONTENT_ERROR, says=("sheet '报告信息'", "cell B8", "this day does not exist in the calendar", "“2026-02-30”",
                           "cell B9"),
      says_zh=("单元格 B8", "日历上没有这一天"))
def _dates(folder: Path) -> None:
    write_xlsx(folder / "impossible_dates.xlsx", sheets(报告信息=info_with(开始日期="2026-02-30", 结束日期="2026-13-01")))


@case("end_before_start.xlsx", "workbook content", "an end date a month before the start date (typed a month back)",
      CONTENT_ERROR, says=("cell B9", "the end date is before the start date (2026-10-01)", "“2026-09-30”"),
      says_zh=("结束日期早于开始日期",))
def _end_before_start(folder: Path) -> None:
    write_xlsx(folder / "end_before_start.xlsx", sheets(报告信息=info_with(结束日期="2026-09-30")))


@case("month_instead_of_date.xlsx", "workbook content", "a start date of 2026-10 (a month, not a day)",
      CONTENT_ERROR, says=("cell B8", "this names a month, not a day"), says_zh=("这是一个月份，不是具体日期",))
def _month(folder: Path) -> None:
    write_xlsx(folder / "month_instead_of_date.xlsx", sheets(报告信息=info_with(开始日期="2026-10")))


@case("unknown_period.xlsx", "workbook content", "周期 双月报 (no such period): the valid ones are listed",
      CONTENT_ERROR, says=("cell B7", "“周期”: not a known report period", "月报", "monthly", "quarterly"),
      says_zh=("“周期”：不是可识别的报告周期", "月报"))
def _period(folder: Path) -> None:
    write_xlsx(folder / "unknown_period.xlsx", sheets(报告信息=info_with(周期="双月报")))


@case("unknown_level.xlsx", "workbook content", "Level “tema” (a typo): the valid levels are listed and "
      "the nearest suggested", CONTENT_ERROR,
      says=("cell B6", "not a known report level", "individual, team, department", "Did you mean “team”?"),
      says_zh=("不是可识别的报告层级", "您是不是想填“team”"))
def _level(folder: Path) -> None:
    write_xlsx(folder / "unknown_level.xlsx", sheets(报告信息=info_with(层级="tema")))


@case("period_and_level_missing.xlsx", "workbook content", "an info sheet without 周期 and 层级",
      CONTENT_ERROR, says=("period_and_level_missing.xlsx", "the report's period and level is not given", "--period"),
      says_zh=("没有给出报告的周期和层级",))
def _kind_missing(folder: Path) -> None:
    write_xlsx(folder / "period_and_level_missing.xlsx", sheets(报告信息=info_with(周期=None, 层级=None)))


@case("second_targets_sheet.xlsx", "workbook content", "two sheets for the targets (目标达成 and Targets)",
      CONTENT_ERROR, says=("sheet 'Targets'", "a second “目标达成” sheet"), says_zh=("第二张“目标达成”工作表",))
def _second_sheet(folder: Path) -> None:
    write_xlsx(folder / "second_targets_sheet.xlsx", sheets(Targets=TARGETS))


@case("yes_no_gibberish.xlsx", "workbook content", "是否挽回 holding “maybe”", CONTENT_ERROR,
      says=("sheet '客户流失'", "cell D2", "this is not a yes or no", "是/否"), says_zh=("这不是“是”或“否”",))
def _yes_no(folder: Path) -> None:
    churn = [["客户", "原因", "金额", "是否挽回", "挽回措施"], ["甲公司", "价格", 12, "maybe", "回访"]]
    write_xlsx(folder / "yes_no_gibberish.xlsx", sheets(客户流失=churn))


@case("info_key_twice.xlsx", "workbook content", "周期 given twice on the info sheet", CONTENT_ERROR,
      says=("cell A11", "“周期” is given twice (first in A7)"), says_zh=("“周期”填写了两次",))
def _info_twice(folder: Path) -> None:
    write_xlsx(folder / "info_key_twice.xlsx", sheets(报告信息=INFO + [["周期", "季报"]]))


# -- values that must come out as they are


def _hostile_workbook(folder: Path, name: str, value: str, *, long_value: str | None = None) -> None:
    """The good workbook with `value` in the title, the team, a note, a problem and a sheet docgen does not know."""
    problems = [PROBLEMS[0], [value, long_value or value, "影响约60万元", "外部", "提前锁定预算"]]
    write_xlsx(
        folder / name,
        sheets(
            报告信息=info_with(标题=f"工作总结 {value}", 团队=value),
            目标达成=targets_with({(1, 6): long_value or value}),
            问题反思=problems,
            其他说明=[["事项", "说明"], ["备注", value]],
        ),
    )


MARKUP = "A&B <b>粗体</b> \"双引号\" 'single' </w:t>"
TEMPLATE_LOOKALIKE = "{{ 7*7 }} {% for x in y %}循环{% endfor %} {# 注释 #} {{ report.title }}"


@case("markup_characters.xlsx", "values", "& < > \" ' and a piece of WordprocessingML in cells",
      ACCEPTED, literal=(MARKUP,))
def _markup(folder: Path) -> None:
    _hostile_workbook(folder, "markup_characters.xlsx", MARKUP)


@case("control_characters.xlsx", "values",
      "a bell, an escape sequence and a vertical tab in cells, as Excel writes them (_x0007_): they are dropped, "
      "the text around them kept", ACCEPTED, literal=("前中[31m后",), absent=("_x0007_", "\x07", "\x1b"))
def _control(folder: Path) -> None:
    _hostile_workbook(folder, "control_characters.xlsx", "前_x0007_中_x001B_[31m_x000B_后")


@case("emoji.xlsx", "values", "emoji (outside the Basic Multilingual Plane) in cells", ACCEPTED,
      literal=("业绩🎉📈达成👍🏻",))
def _emoji(folder: Path) -> None:
    _hostile_workbook(folder, "emoji.xlsx", "业绩🎉📈达成👍🏻")


@case("right_to_left_override.xlsx", "values",
      "a right-to-left override (U+202E) in the team name: kept in the text, dropped from file names", ACCEPTED,
      literal=("华东\u202e组一",))
def _rtl(folder: Path) -> None:
    _hostile_workbook(folder, "right_to_left_override.xlsx", "华东\u202e组一")


LONG = "长" * 9_990 + "一万字的单元格"


@case("ten_thousand_characters.xlsx", "values", "a note and a problem cause of 10,000 characters", ACCEPTED,
      literal=(LONG,))
def _long(folder: Path) -> None:
    _hostile_workbook(folder, "ten_thousand_characters.xlsx", "很长的说明", long_value=LONG)


@case("template_lookalike.xlsx", "values",
      "cells holding {{ 7*7 }}, {% for %} and {# #}: printed as they are, never run (also in the PDF)", ACCEPTED,
      literal=(TEMPLATE_LOOKALIKE,))
def _lookalike(folder: Path) -> None:
    _hostile_workbook(folder, "template_lookalike.xlsx", TEMPLATE_LOOKALIKE)


@case("names_that_escape_folder.xlsx", "values",
      "salespeople named ../../逃逸, /etc/passwd, CON and a team “a/b”: batch --split-by names stay inside OUTDIR",
      {"batch": 0},
      runs={"batch": ["batch", "{input}", "--split-by", "-o", "{out}/batch", "--today", TODAY, "-j", "1"]},
      literal=("../../逃逸",))
def _escaping_names(folder: Path) -> None:
    people = ["../../逃逸", "/etc/passwd", "CON", "..\\..\\windows"]
    targets = [TARGETS[0] + ["销售员"]] + [["销售额", "万元", 100, 90 + n, 80, 70, None, person]
                                            for n, person in enumerate(people)]
    write_xlsx(folder / "names_that_escape_folder.xlsx",
               sheets(报告信息=info_with(团队="a/b"), 目标达成=targets))


# -- templates


MARKER = "PWNED-by-template"  # a file the code-execution payload would create, beside the corpus


def _template(name: str, tag: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        write_docx(folder / name, ["模板第一段", "正文第二段", tag.replace("{marker}", str(folder / MARKER))])

    return build


# render says what the sandbox refused while rendering; batch, merge and templates check find the tag
# before anything is rendered (docgen.word.template_check) and say what it asks for.
SANDBOX = {"render": ("tries something the sandbox forbids (it was not run)",), "*": ("which the sandbox refuses",)}
SANDBOX_ZH = ("模板试图执行沙箱禁止的操作（未被执行）", "正文", "段落“")
STATIC = {"render": 2, "batch": 2, "merge": 2, "templates check": 1}  # templates check finds it; the runs refuse it
RUNTIME = {"render": 2, "batch": 1, "merge": 1, "templates check": 0}  # only rendering shows it: every record fails
# Only rendering shows it, and the trial render of templates check (and before batch and merge) does.
TRIAL = {"render": 2, "batch": 2, "merge": 2, "templates check": 1}

TEMPLATE_CASES = [
    ("template_popen.docx", "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
     "a tag that would run a shell command (it would create a marker file; the test shows it does not)",
     STATIC, ("“{{ cycler.__init__", "__init__")),
    ("template_class_mro.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
     "''.__class__.__mro__: the way to every class in Python", STATIC, ("__class__",)),
    ("template_lipsum_globals.docx", "{{ lipsum.__globals__['os'] }}", "a Jinja global's module globals",
     STATIC, ("__globals__",)),
    ("template_attr_filter.docx", "{{ report|attr('__class__') }}", "an attribute reached through |attr",
     STATIC, ("__class__",)),
    ("template_map_attribute.docx", "{{ targets.rows|map(attribute='__class__')|list }}",
     "an attribute reached through |map(attribute=…)", STATIC, ("__class__",)),
    ("template_format_string.docx", "{{ '{0.__class__}'.format(report) }}",
     "an attribute reached through str.format", STATIC, ("__class__",)),
    ("template_private_attribute.docx", "{{ self._TemplateReference__context }}",
     "the template's own context through a name-mangled attribute", STATIC, ("_TemplateReference__context",)),
    ("template_huge_range.docx", "{% for i in range(10**10) %}x{% endfor %}",
     "range(10**10): a loop of ten billion", STATIC, ("range(10**10)",)),
    ("template_huge_power.docx", "{{ 10 ** (10 ** 10) }}", "a number with ten billion digits",
     STATIC, ("too big to compute",)),
    ("template_string_repeat.docx", "{{ 'x' * 10**10 }}", "a text of ten billion characters",
     STATIC, ("too big to compute",)),
    ("template_doubling_loop.docx",
     "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
     "a text doubled 64 times in a loop: only rendering can tell, so templates check, batch and merge render the "
     "template once before anything else (a trial render) and refuse it", TRIAL, ("too big to compute",)),
]


def _register_template_cases() -> None:
    for name, tag, shows, exits, extra in TEMPLATE_CASES:
        runtime = {"render": ("tries something the sandbox forbids (it was not run)",)}
        by_command = runtime if exits is RUNTIME else {**runtime, "*": ("a trial render fails",)} if exits is TRIAL else SANDBOX
        says = {command: (name, "body", "paragraph “", *phrases, *extra) for command, phrases in by_command.items()}
        if exits is RUNTIME:  # each record fails with render's message; templates check finds nothing
            says.update(batch=says["render"], merge=says["render"], **{"templates check": ("no problems found",)})
        CASES.append(Case(name, "template", shows, _template(name, tag), dict(exits), says=says,
                          says_zh=(name, *SANDBOX_ZH)))


_register_template_cases()


@case("template_not_docx.docx", "template", "a text file named .docx", {**STATIC, "templates check": 2},
      says=("template_not_docx.docx", "Word .docx file", "Save the template"),
      says_zh=("template_not_docx.docx", "不是 Word .docx 文件"))
def _not_docx(folder: Path) -> None:
    (folder / "template_not_docx.docx").write_text("{{ report.title }}", encoding="utf-8")


@case("template_is_a_workbook.docx", "template", "an .xlsx workbook renamed to .docx",
      {**STATIC, "templates check": 2}, says=("template_is_a_workbook.docx", "Word .docx file"),
      says_zh=("template_is_a_workbook.docx", "Word .docx 文件"))
def _xlsx_as_docx(folder: Path) -> None:
    write_xlsx(folder / "template_is_a_workbook.docx", sheets())


@case("template_damaged.docx", "template", "a .docx whose document part is cut in half",
      {**STATIC, "templates check": 2},
      says=("template_damaged.docx", "Save the template from Word or LibreOffice as .docx"),
      says_zh=("template_damaged.docx", "已损坏，无法作为 Word 文档打开"))
def _damaged_docx(folder: Path) -> None:
    path = write_docx(folder / "template_damaged.docx", ["{{ report.title }}"])
    rewrite_part(path, "word/document.xml", lambda xml: xml[: len(xml) // 2])


@case("template_syntax_error.docx", "template", "{{ report.title  without its closing braces",
      STATIC, says={"*": ("template_syntax_error.docx", "body", "paragraph “坏标签 {{ report.title"),
                    "render": ("template_syntax_error.docx", "body", "paragraph “坏标签 {{ report.title", "syntax error")},
      says_zh=("正文", "有 Jinja 语法错误"))
def _syntax(folder: Path) -> None:
    write_docx(folder / "template_syntax_error.docx", ["第一段", "坏标签 {{ report.title ", "第三段"])


@case("template_block_not_closed.docx", "template", "{% if %} with no {% endif %}", STATIC,
      says=("template_block_not_closed.docx", "body", "endif"), says_zh=("template_block_not_closed.docx", "endif"))
def _unclosed(folder: Path) -> None:
    write_docx(folder / "template_block_not_closed.docx", ["{% if report.title %}", "标题：{{ report.title }}"])


@case("template_unknown_variable.docx", "template", "{{ report.titel }}: a misspelt variable, refused before "
      "the first document with the nearest name", {"render": 2, "batch": 2, "merge": 2, "templates check": 1},
      says={"*": ("template_unknown_variable.docx", "paragraph “{{ report.titel }}”",
                  "“report.titel” is not a variable of the report (did you mean “report.title”?)"),
            "merge": ("template_unknown_variable.docx", "paragraph “{{ report.titel }}”", "is not a column of the sheet")},
      says_zh=("报告中没有变量“report.titel”（您是不是要写“report.title”？）",))
def _unknown_variable(folder: Path) -> None:
    write_docx(folder / "template_unknown_variable.docx", ["标题：", "{{ report.titel }}"])


@case("template_include_file.docx", "template", "{% include '/etc/passwd' %}: a template may not read files",
      STATIC, says=("template_include_file.docx", "include"), says_zh=("template_include_file.docx", "include"))
def _include(folder: Path) -> None:
    write_docx(folder / "template_include_file.docx", ["{% include '/etc/passwd' %}"])


# -- output


def _existing_report(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.docx").write_bytes(b"an earlier report, which must be left as it is")


def _existing_batch(out: Path) -> None:
    (out / "batch").mkdir(parents=True, exist_ok=True)
    (out / "batch" / "report.docx").write_bytes(b"an earlier report")


def _blocking_file(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "blocker").write_text("a file where the output folder should be", encoding="utf-8")


def _nothing(folder: Path) -> None:
    """Output cases use the shared files."""


OUTPUT_CASES = [
    ("output_parent_is_a_file", "-o names a folder that is a regular file (permission bits do not stop root; "
     "this does)", {"render": ["render", "{good}", "-o", "{out}/blocker/report.docx", "--today", TODAY],
                    "batch": ["batch", "{good}", "-o", "{out}/blocker/sub", "--today", TODAY, "-j", "1"]},
     {"render": 2, "batch": 2}, _blocking_file,
     ("cannot make the folder", "blocker is a file, not a folder"), ("无法创建文件夹", "是文件，不是文件夹")),
    ("output_exists_without_force", "the report exists and --force is not given: it is left as it was",
     {"render": ["render", "{good}", "-o", "{out}/report.docx", "--today", TODAY]},
     {"render": 2}, _existing_report, ("report.docx", "the output file already exists", "--force"), ("输出文件已存在",)),
    ("output_is_a_folder", "-o names an existing folder", {"render": ["render", "{good}", "-o", "{out}", "--today", TODAY]},
     {"render": 2}, _existing_report, ("the output path is a folder",), ("输出路径是一个文件夹",)),
    ("batch_output_exists_without_force", "a batch whose reports exist, without --resume or --force",
     {"batch": ["batch", "{good}", "-o", "{out}/batch", "--name", "report.docx", "--today", TODAY, "-j", "1"]},
     {"batch": 2}, _existing_batch, ("already exist", "report.docx", "--resume", "--force"),
     ("输出文件夹中已有 1 份报告", "report.docx", "--resume", "--force")),
    ("batch_output_dir_is_a_file", "batch -o names a regular file (Click says so, before docgen starts)",
     {"batch": ["batch", "{good}", "-o", "{out}/blocker", "--today", TODAY, "-j", "1"]},
     {"batch": 2}, _blocking_file, ("--output-dir", "blocker", "is a file"), ("--output-dir", "blocker", "是文件，不是文件夹")),
    ("batch_name_escapes_folder", "batch --name \"../{team}.docx\": a name pattern with a folder in it",
     {"batch": ["batch", "{good}", "-o", "{out}/batch", "--name", "../{team}.docx", "--today", TODAY, "-j", "1"]},
     {"batch": 2}, None, ("the --name pattern “../{team}.docx” has a folder in it",), ("--name 模式“../{team}.docx”有文件夹",)),
    ("merge_name_escapes_folder", "merge --name \"../../{姓名}.docx\"",
     {"merge": ["merge", "{letter}", "{data}", "-o", "{out}/merge", "--name", "../../{姓名}.docx", "-j", "1"]},
     {"merge": 2}, None, ("the --name pattern “../../{姓名}.docx” has a folder in it",),
     ("--name 模式“../../{姓名}.docx”有文件夹",)),
    ("merge_absolute_name", "merge --name \"/tmp/{姓名}.docx\": an absolute path",
     {"merge": ["merge", "{letter}", "{data}", "-o", "{out}/merge", "--name", "/tmp/{姓名}.docx", "-j", "1"]},
     {"merge": 2}, None, ("has a folder in it",), ("--name 模式“/tmp/{姓名}.docx”有文件夹",)),
]

for _name, _shows, _runs, _exits, _prepare, _says, _says_zh in OUTPUT_CASES:
    CASES.append(Case(_name, "output", _shows, _nothing, _exits, says=_says, says_zh=_says_zh, runs=_runs,
                      prepare=_prepare))


# --- building -------------------------------------------------------------------------------------------


def build_shared(folder: Path) -> None:
    """The files the cases share: a workbook that renders, a letter and its recipients for mail merge."""
    write_xlsx(folder / GOOD, sheets())
    write_docx(folder / LETTER, ["尊敬的 {{ row['内容'] }}：", "此致"])
    write_xlsx(folder / DATA, {"名单": [["姓名", "内容"], ["张三", "十月对账单"], ["李四", "十月对账单"]]})


def build_corpus(folder: Path) -> Path:
    """Write every case's input and the shared files into `folder` (made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    build_shared(folder)
    for item in CASES:
        item.build(folder)
    return folder


def first_answer(item: Case, folder: Path) -> tuple[str, str]:
    """The command docs/errors.md quotes for a case (render where it applies) and the message it prints."""
    import tempfile

    from click.testing import CliRunner

    from docgen.cli import main

    command = "render" if "render" in item.exits else next(iter(item.exits))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        if item.prepare is not None:
            item.prepare(out)
        places = {"input": str(folder / item.name), "out": str(out), "good": str(folder / GOOD),
                  "letter": str(folder / LETTER), "data": str(folder / DATA)}  # fmt: skip
        args = [re.sub(r"\{(input|out|good|letter|data)\}", lambda m: places[m.group(1)], arg)
                for arg in item.command_lines()[command]]  # fmt: skip
        if command in LANG_OPTION:
            args += ["--lang", "en"]
        result = CliRunner().invoke(main, args, env={"LANG": "C.UTF-8", "LC_ALL": None, "DOCGEN_LANG": "en", **item.env})
        said = result.output.replace(str(out), "OUT").replace(str(folder), "CORPUS")
    lines = [line for line in said.splitlines() if line.startswith(("Error:", "Failed:", "  - "))]
    if result.exit_code == 0:
        return command, "(exit 0: the report is made, the text in it as it was)"
    if not lines:  # a batch or merge: the records' table
        lines = [line for line in said.splitlines() if line.startswith("failed")][:1]
    return command, " ".join(lines)


def markdown_table(folder: Path | None = None) -> str:
    """The corpus as docs/errors.md lists it: case, what it shows, the exit codes and, with a built corpus, what
    docgen says."""
    header = "| case | what it shows | exit codes |" + (" what docgen says |" if folder else "")
    lines = [header, "|---|---|---|" + ("---|" if folder else "")]
    for item in CASES:
        exits = ", ".join(f"{command} {code}" for command, code in item.exits.items())
        cells = [f"`{item.name}`", item.shows, exits]
        if folder is not None:
            command, said = first_answer(item, folder)
            cells.append(f"{command}: {said}")
        lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table"]:
        print(markdown_table(build_corpus(Path(sys.argv[2])) if len(sys.argv) > 2 else None))
    elif len(sys.argv) == 2:
        built = build_corpus(Path(sys.argv[1]))
        print(f"Wrote {len(CASES)} cases into {built}.")
    else:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        raise SystemExit(2)
