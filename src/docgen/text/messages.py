"""The words of docgen's error messages in English and Chinese, and which language a user is told in.

A raise site writes ``say("file.empty")`` where it used to write the English
text. What comes back is a ``Phrase``: a plain ``str`` holding the English
text (so every test, log line and ``str(error)`` reads as before) that can
also give its Chinese wording (``phrase.in_language("zh")``). Parameters
that are Phrases themselves are put into the Chinese text in Chinese.

Which language: the report's language when it is known (``--lang``, the info
sheet's 语言 / Language, or the language docgen chose for the report), else
the locale: Chinese when ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (the first
that is set, as POSIX reads them) starts with ``zh``, English otherwise.
Text that is not in the catalogue (a detail from a library, a cell's value)
is printed as it is in both languages.
"""

from __future__ import annotations

import os

# key: (English, Chinese). Fields in braces are filled by say(key, field=...).
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- how a message is put together (errors.py)
    "where.sheet": ("sheet '{sheet}'", "工作表“{sheet}”"),
    "where.cell": ("cell {cell}", "单元格 {cell}"),
    "where.paragraph": ("paragraph “{text}”", "段落“{text}”"),
    "where.body": ("body", "正文"),
    "where.header": ("header", "页眉"),
    "where.footer": ("footer", "页脚"),
    "where.footnotes": ("footnotes", "脚注"),
    "expected": ("expected {what}", "应为{what}"),
    "found": ("found {what}", "实际为{what}"),
    "found.empty": ("an empty cell", "空单元格"),
    "problems": ("{name} has {count} problem", "{name} 有 {count} 处问题"),
    "problems.plural": ("{name} has {count} problems", "{name} 有 {count} 处问题"),
    "the_workbook": ("the workbook", "该工作簿"),
    # -- the workbook file (reader.py)
    "file.not_found": ("file not found", "找不到文件"),
    "file.not_found.hint": ("Check the path and the file name.", "请检查路径和文件名。"),
    "file.is_folder": ("this is a folder, not a workbook", "这是一个文件夹，不是工作簿"),
    "file.is_folder.hint": ("Give the path of an .xlsx file.", "请给出 .xlsx 文件的路径。"),
    "file.cannot_open": ("cannot open the file ({reason})", "无法打开文件（{reason}）"),
    "file.cannot_open.hint": (
        "Check that the file exists and that you may read it.",
        "请确认文件存在，并且您有权限读取。",
    ),
    "file.empty": ("the file is empty (0 bytes)", "文件是空的（0 字节）"),
    "file.empty.hint": (
        "Copy the workbook again, or make a new one and save it as .xlsx.",
        "请重新复制工作簿，或新建一个并另存为 .xlsx。",
    ),
    "file.encrypted": ("the workbook is password-protected (encrypted)", "工作簿设置了打开密码（已加密）"),
    "file.encrypted.hint": (
        "Open it in Excel or WPS, remove the password to open (File > Info > Protect Workbook), "
        "and save it again as .xlsx.",
        "请用 Excel 或 WPS 打开，取消打开密码（文件 > 信息 > 保护工作簿），再另存为 .xlsx。",
    ),
    "file.xls": (
        "this is an old Excel 97–2003 file (.xls), not an .xlsx workbook",
        "这是旧版 Excel 97–2003 文件（.xls），不是 .xlsx 工作簿",
    ),
    "file.save_as_xlsx": (
        "Open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx).",
        "请用 Excel、WPS 或 LibreOffice 打开，另存为 Excel 工作簿（.xlsx）。",
    ),
    "file.not_xlsx": ("this is not an Excel .xlsx workbook ({kind})", "这不是 Excel .xlsx 工作簿（{kind}）"),
    "file.kind.html": ("it is a web page (HTML) saved under a spreadsheet name", "它是用表格文件名保存的网页（HTML）"),
    "file.kind.xml": ("it is an XML file", "它是 XML 文件"),
    "file.kind.pdf": ("it is a PDF", "它是 PDF 文件"),
    "file.kind.csv": (
        "it looks like a CSV or text file saved under an .xlsx name",
        "它看起来是改成 .xlsx 文件名的 CSV 或文本文件",
    ),
    "file.kind.text": ("it is a plain text file", "它是纯文本文件"),
    "file.kind.unknown": ("its contents are not a spreadsheet", "其内容不是表格"),
    "file.kind.word": ("it is a Word document", "它是 Word 文档"),
    "file.kind.zip": ("it is a zip archive", "它是 zip 压缩包"),
    "file.damaged": (
        "the file is damaged: it cannot be unpacked as an .xlsx workbook",
        "文件已损坏：无法作为 .xlsx 工作簿解包",
    ),
    "file.truncated": (
        "the file is damaged: it is cut off (incomplete), as a download or copy that stopped half-way leaves it",
        "文件已损坏：文件不完整（被截断），常见于下载或复制中途中断",
    ),
    "file.truncated.hint": (
        "Copy or download the workbook again from where it came from.",
        "请从原处重新复制或下载该工作簿。",
    ),
    "file.xlsb": (
        "this is an Excel binary workbook (.xlsb), not an .xlsx workbook",
        "这是 Excel 二进制工作簿（.xlsb），不是 .xlsx 工作簿",
    ),
    "file.ods": (
        "this is an OpenDocument spreadsheet (.ods), not an .xlsx workbook",
        "这是 OpenDocument 表格（.ods），不是 .xlsx 工作簿",
    ),
    # What is wrong inside a workbook that cannot be read (reader.py): never an exception's text.
    "file.damaged_sheet": (
        "the workbook cannot be read: this sheet's data is damaged in the file (cut off or garbled)",
        "无法读取工作簿：文件中该工作表的数据已损坏（不完整或内容错乱）",
    ),
    "file.damaged_cell": (
        "the workbook cannot be read: this cell is damaged in the file",
        "无法读取工作簿：文件中该单元格已损坏",
    ),
    "file.damaged_sheet_list": (
        "the workbook cannot be read: its list of sheets is damaged in the file",
        "无法读取工作簿：文件中的工作表目录已损坏",
    ),
    "file.damaged_formats": (
        "the workbook cannot be read: its cell formats are damaged in the file",
        "无法读取工作簿：文件中的单元格格式信息已损坏",
    ),
    "file.damaged_strings": (
        "the workbook cannot be read: the list of texts its cells share is damaged in the file",
        "无法读取工作簿：文件中供各单元格共用的文本列表已损坏",
    ),
    "file.damaged_package": (
        "the workbook cannot be read: the index of the parts it is made of is damaged in the file",
        "无法读取工作簿：文件中记录其各组成部分的索引已损坏",
    ),
    "file.bad_shared_string": (
        "the workbook cannot be read: this cell points to shared text no. {number}, which is not in the "
        "workbook's list of shared texts ({count:,} in all, numbered from 0)",
        "无法读取工作簿：该单元格指向第 {number} 号共享文本，但工作簿的共享文本列表中没有这一条（共 {count:,} 条，从 0 开始编号）",
    ),
    "file.bad_cell_reference": (
        "the workbook cannot be read: a cell in row {row} is placed at “{reference}”, "
        "which is not a cell position such as B7",
        "无法读取工作簿：第 {row} 行中有一个单元格的位置写作“{reference}”，不是 B7 这样的单元格位置",
    ),
    "file.bad_row_number": (
        "the workbook cannot be read: a row is numbered “{number}”, which is not a row number",
        "无法读取工作簿：有一行的行号写作“{number}”，这不是有效的行号",
    ),
    "file.bad_value": (
        "the workbook cannot be read: this cell is stored as {kind} but holds “{text}”",
        "无法读取工作簿：该单元格按{kind}存储，内容却是“{text}”",
    ),
    "file.stored_as.number": ("a number", "数字"),
    "file.stored_as.boolean": ("TRUE or FALSE", "TRUE/FALSE 逻辑值"),
    "file.stored_as.date": ("a date", "日期"),
    "file.undefined_style": (
        "the workbook cannot be read: this cell uses cell format no. {style}, which the workbook does not define",
        "无法读取工作簿：该单元格使用了第 {style} 号单元格格式，但工作簿中没有定义这种格式",
    ),
    "file.doctype": (
        "the workbook cannot be read: its part {part} declares a DOCTYPE, which no workbook needs: "
        "refused as possibly malicious XML",
        "无法读取工作簿：其中的部件 {part} 声明了 DOCTYPE，正常工作簿用不到它，疑为恶意 XML，拒绝读取",
    ),
    "file.doctype.hidden": (
        "the workbook cannot be read: its part {part} does not start with its content, where a DOCTYPE could "
        "hide: refused as possibly malicious XML",
        "无法读取工作簿：其中的部件 {part} 开头不是正文，其中可能藏有 DOCTYPE，疑为恶意 XML，拒绝读取",
    ),
    "file.compression": (
        "the file is packed with a compression method docgen cannot unpack",
        "文件使用了 docgen 无法解压的压缩方式",
    ),
    "file.replaced_characters": (
        "the cell's text holds a character that cannot be stored (half of a character pair written as "
        "an _xD800_-style code); it was replaced by “\ufffd”",
        "该单元格的文本中有无法保存的字符（以 _xD800_ 这类代码写入的半个字符对），已替换为“\ufffd”",
    ),
    "file.unreadable.hint": (
        "The file may be damaged or made by a program that writes non-standard files. "
        "Open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx).",
        "文件可能已损坏，或由生成非标准文件的程序制作。请用 Excel、WPS 或 LibreOffice 打开，另存为 Excel 工作簿（.xlsx）。",
    ),
    "file.bomb.size": (
        "the workbook unpacks to {size} MB, more than the {limit} MB docgen reads",
        "工作簿解压后有 {size} MB，超过 docgen 读取的上限 {limit} MB",
    ),
    "file.bomb.ratio": (
        "the part {part} unpacks to {size} MB from {packed} KB ({ratio:,}:1), which no real workbook does: "
        "refusing a possible zip bomb",
        "部件 {part} 从 {packed} KB 解压为 {size} MB（压缩比 {ratio:,}:1），正常工作簿不会如此，疑为“压缩炸弹”，拒绝读取",
    ),
    "file.bomb.hint": (
        "If the workbook is genuine, open it in Excel, WPS or LibreOffice, delete unused rows and columns, "
        "and save it again.",
        "如确为正常工作簿，请用 Excel、WPS 或 LibreOffice 打开，删除未使用的行和列后重新保存。",
    ),
    "file.too_many_cells": (
        "the workbook holds more than {limit:,} filled cells",
        "工作簿中非空单元格超过 {limit:,} 个",
    ),
    "file.too_many_cells.expected": ("at most {limit:,} filled cells", "不超过 {limit:,} 个非空单元格"),
    "file.too_many_cells.hint": (
        "Split the workbook, or remove data the report does not need "
        "(or raise the limit: DOCGEN_MAX_CELLS={double}).",
        "请拆分工作簿，或删除报告不需要的数据（也可以放宽上限：DOCGEN_MAX_CELLS={double}）。",
    ),
    "file.too_many_rows": ("the sheet has data below row {limit:,}", "工作表在第 {limit:,} 行以下还有数据"),
    "file.too_many_rows.expected": ("at most {limit:,} rows", "不超过 {limit:,} 行"),
    "file.too_many_rows.hint": (
        "Split the sheet, or remove rows the report does not need (or raise the limit: DOCGEN_MAX_ROWS={double}).",
        "请拆分工作表，或删除报告不需要的行（也可以放宽上限：DOCGEN_MAX_ROWS={double}）。",
    ),
    # -- cells, columns and sheets (workbook.py)
    "cell.in_column": ("column “{column}”: {problem}", "“{column}”列：{problem}"),
    "cell.formula_without_value": (
        "the formula {formula} has no computed value",
        "公式 {formula} 没有计算结果",
    ),
    "cell.formula_without_value.anonymous": ("the formula has no computed value", "公式没有计算结果"),
    "cell.formula_without_value.hint": (
        "Open the file in Excel, WPS or LibreOffice and save it, so that the formulas' values are computed "
        "and stored; then run docgen again.",
        "请用 Excel、WPS 或 LibreOffice 打开文件并保存，使公式的结果被计算并保存，然后重新运行 docgen。",
    ),
    "cell.a_value": ("a value", "一个值"),
    "cell.error_value": ("the cell shows the error {code}", "单元格显示错误值 {code}"),
    "cell.error_value.hint": (
        "Correct the formula or the cells it uses so that it shows a value, or type the value in.",
        "请修正公式或其引用的单元格，使其显示数值，或直接填入数值。",
    ),
    "cell.not_a_number": ("this is not a number", "这不是数字"),
    "cell.a_number": ("a number", "数字"),
    "cell.not_a_number.hint": (
        "Type the figure as digits (for example 1234.5), or leave the cell empty if there is none.",
        "请用阿拉伯数字填写（例如 1234.5）；没有数据时请留空。",
    ),
    "cell.date_forms": (
        "a date such as 2026-10-31, 2026/10/31, 2026.10.31 or 2026年10月31日",
        "日期，例如 2026-10-31、2026/10/31、2026.10.31 或 2026年10月31日",
    ),
    "cell.impossible_day": ("this day does not exist in the calendar", "日历上没有这一天"),
    "cell.impossible_day.hint": ("Check the day and the month.", "请检查日和月。"),
    "cell.month_not_day": ("this names a month, not a day", "这是一个月份，不是具体日期"),
    "cell.month_not_day.hint": (
        "Give the full date, for example the month's first or last day.",
        "请填写完整日期，例如当月第一天或最后一天。",
    ),
    "cell.not_a_date": ("this is not a date", "这不是日期"),
    "cell.not_a_date.hint": (
        "Type the date as 2026-10-31, or format the cell as a date.",
        "请按 2026-10-31 的格式填写，或把单元格设为日期格式。",
    ),
    "cell.not_yes_no": ("this is not a yes or no", "这不是“是”或“否”"),
    "cell.one_of_listed.hint": ("Write one of the values listed.", "请填写所列的值之一。"),
    "cell.not_kind": ("this is neither internal nor external", "这既不是“内部”也不是“外部”"),
    "sheet.second": (
        "this sheet is a second “{section}” sheet (the first is “{first}”)",
        "这是第二张“{section}”工作表（第一张是“{first}”）",
    ),
    "sheet.second.expected": ("one sheet for {names}", "{names}只有一张工作表"),
    "sheet.second.hint": (
        "Move its rows into the first sheet and delete it, or rename it.",
        "请把它的行移到第一张表后删除它，或给它改名。",
    ),
    "sheet.inferred": (
        "this sheet was read as the “{section}” sheet because {why}, so its cells are held to that sheet's rules",
        "这张工作表被当作“{section}”表读取（{why}），因此其单元格须符合该表的要求",
    ),
    "sheet.inferred.close-name": ("its name is close to “{name}”", "名称与“{name}”相近"),
    "sheet.inferred.headers": ("its headers ({headers}) are that sheet's columns", "表头（{headers}）正是该表的列"),
    "sheet.inferred.hint": (
        "If it is not that sheet, rename it and change its headers, and the report prints it as a table of its "
        "own; if it is, correct the cells listed.",
        "如果它不是该表，请修改表名和列标题，报告会把它作为普通表格原样列出；如果是，请改正所列单元格。",
    ),
    "sheet.both": (
        "the sheets “{first}” and “{second}” could both be the “{section}” sheet: neither is named so",
        "工作表“{first}”和“{second}”都可能是“{section}”表，但都没有用这个名称",
    ),
    "sheet.both.hint": (
        "Rename the one the report should use to “{name}”, and rename the other so that it no longer looks like it.",
        "请把报告要用的那张表改名为“{name}”，并给另一张改一个不会混淆的名称。",
    ),
    "info.twice": ("“{key}” is given twice (first in {first})", "“{key}”填写了两次（第一次在 {first}）"),
    "info.twice.expected": ("one row for {names}", "{names}只有一行"),
    "info.twice.hint": ("Delete one of the two rows.", "请删除其中一行。"),
    "info.unknown": ("“{key}”: not a known {what}", "“{key}”：不是可识别的{what}"),
    "info.what.period": ("report period", "报告周期"),
    "info.what.level": ("report level", "报告层级"),
    "info.what.language": ("language", "语言"),
    "info.unknown.hint": (
        "Write one of the values listed, in Chinese or in English.",
        "请填写所列的值之一（中文或英文均可）。",
    ),
    "info.unknown.hint.close": (
        "Did you mean “{close}”? Write one of the values listed, in Chinese or in English.",
        "您是不是想填“{close}”？请填写所列的值之一（中文或英文均可）。",
    ),
    "header.none": ("no header row found in the first {rows} rows", "前 {rows} 行中没有找到表头行"),
    "header.none.expected": ("a header row with the columns {columns}", "包含 {columns} 列的表头行"),
    "header.none.hint": (
        "Add a row of column headers above the data, spelled as in the blank workbook.",
        "请在数据上方加一行列标题，写法与空白工作簿一致。",
    ),
    "header.twice": ("the column “{column}” appears twice (first in {first})", "“{column}”列出现了两次（第一次在 {first}）"),
    "header.twice.expected": ("each column once", "每列只出现一次"),
    "header.twice.hint": ("Delete or rename one of the two columns.", "请删除其中一列，或给它改名。"),
    "header.misspelt": (
        "the required column “{column}” is missing; the header “{typed}” looks like a misspelling",
        "缺少必需的“{column}”列；表头“{typed}”像是写错了",
    ),
    "header.misspelt.expected": ("a column headed {names}", "标题为 {names} 的列"),
    "header.misspelt.hint": (
        "Did you mean “{name}”? Rename the header to “{name}”.",
        "您是不是想写“{name}”？请把表头改为“{name}”。",
    ),
    "header.missing": (
        "the required column “{column}” is missing from the header row (row {row})",
        "表头行（第 {row} 行）缺少必需的“{column}”列",
    ),
    "header.missing.hint": (
        "Add a column headed “{first}” (or “{second}”) to row {row}.",
        "请在第 {row} 行加一列，标题为“{first}”（或“{second}”）。",
    ),
    "row.empty": ("column “{column}” is empty in row {row}", "第 {row} 行的“{column}”列是空的"),
    "row.empty.expected": ("a value for “{column}”", "“{column}”的值"),
    "row.empty.hint": (
        "Fill in the {column}, or delete the row if it is not needed.",
        "请填写{column}；如果这一行不需要，请删除。",
    ),
    "target.not_positive": (
        "column “{column}”: the target must be greater than zero",
        "“{column}”列：目标必须大于零",
    ),
    "target.not_positive.expected": ("a target greater than zero", "大于零的目标值"),
    # -- figures that cannot be what their row's unit says (plausibility.py)
    "target.percent_in_amount": (
        "column “{column}”: a percentage in a row counted in {unit}",
        "“{column}”列：这一行以“{unit}”计，却填了百分比",
    ),
    "target.percent_in_amount.expected": ("a figure in {unit}", "以“{unit}”计的数值"),
    "target.percent_in_amount.hint": (
        "Type the figure in {unit} (for example 1152), without %. If this row really is a rate, "
        "write % in its unit column.",
        "请填写以“{unit}”计的数值（例如 1152），不要带 %；如果这一行确实是比率，请把单位列改为 %。",
    ),
    "target.money_in_rate": (
        "column “{column}”: an amount of money in a row whose unit is {unit}",
        "“{column}”列：这一行的单位是“{unit}”，却填了金额",
    ),
    "target.money_in_rate.expected": ("a percentage, such as 38.5% or 0.385", "百分比，例如 38.5% 或 0.385"),
    "target.money_in_rate.hint": (
        "Type the rate as a percentage. If this row is an amount, write its money unit (万元, 元 …) "
        "in the unit column.",
        "请按百分比填写比率；如果这一行是金额，请在单位列填写货币单位（万元、元等）。",
    ),
    "cell.percent_in_number": (
        "this is a percentage, but the column counts money or things",
        "这是百分比，但该列应填金额或数量",
    ),
    "cell.an_amount_or_count": ("an amount or a count, such as 1152", "金额或数量，例如 1152"),
    "cell.percent_in_number.hint": (
        "Type the figure itself, without % and not formatted as a percentage.",
        "请直接填写数值，不要带 %，也不要设为百分比格式。",
    ),
    "target.not_positive.hint": (
        "Enter the period's target; an indicator without a target cannot have an achievement rate "
        "(put such figures on another sheet).",
        "请填写本期目标；没有目标的指标无法计算达成率（这类数据请放到其他工作表）。",
    ),
    # -- the report (report.py)
    "report.kind_missing": ("the report's {what} is not given", "没有给出报告的{what}"),
    "report.period": ("period", "周期"),
    "report.level": ("level", "层级"),
    "report.period_and_level": ("period and level", "周期和层级"),
    "report.kind_missing.hint": (
        "Add a 周期 (Period) and 层级 (Level) row to the 报告信息 (Report info) sheet, or pass --period {periods} "
        "and --level {levels}.",
        "请在“报告信息”工作表中加入“周期”和“层级”两行，或在命令行给出 --period {periods} 和 --level {levels}。",
    ),
    "checks.failed": (
        "{count} finding under --strict, so the report was not written",
        "在 --strict 下有 {count} 项检查发现，因此没有写出报告",
    ),
    "checks.failed.plural": (
        "{count} findings under --strict, so the report was not written",
        "在 --strict 下有 {count} 项检查发现，因此没有写出报告",
    ),
    "checks.failed.hint": (
        "Fix them in the workbook (each names its sheet and cell; docs/checks.md says how), "
        "or run without --strict to write the report with the findings as warnings.",
        "请在工作簿中改正（每项都指明了工作表和单元格，改法见 docs/checks.md），或去掉 --strict，把这些发现作为警告写出报告。",
    ),
    # -- output (output.py, batch)
    "output.is_folder": ("the output path is a folder", "输出路径是一个文件夹"),
    "output.is_folder.hint": ("Give a file name, e.g. -o out/report.docx.", "请给出文件名，例如 -o out/report.docx。"),
    "output.exists": ("the output file already exists", "输出文件已存在"),
    "output.exists.hint": (
        "Add --force to replace it, or choose another name with -o.",
        "如要替换，请加 --force；或用 -o 换一个文件名。",
    ),
    "output.folder_unwritable": ("cannot write to the folder ({reason})", "无法写入该文件夹（{reason}）"),
    "output.folder_unwritable.hint": ("Choose a folder you can write to with -o.", "请用 -o 选择一个可以写入的文件夹。"),
    "output.file_in_the_way": (
        "cannot make the folder {folder}: {file} is a file, not a folder",
        "无法创建文件夹 {folder}：{file} 是文件，不是文件夹",
    ),
    "output.file_in_the_way.hint": (
        "Choose another output folder with -o, or move the file away.",
        "请用 -o 选择其他输出文件夹，或把该文件移走。",
    ),
    "output.folder_unmakeable": (
        "cannot make the output folder {folder} ({reason})",
        "无法创建输出文件夹 {folder}（{reason}）",
    ),
    "output.file_unwritable": ("cannot write the file ({reason})", "无法写入文件（{reason}）"),
    "output.file_unwritable.hint": (
        "Check the disk has room and the file is not open in Word.",
        "请检查磁盘空间，并确认文件没有在 Word 中打开。",
    ),
    "output.outside": ("the output name leads outside the output folder", "输出文件名指向输出文件夹之外"),
    "output.outside.hint": (
        "Output names may not contain folders; check the --name pattern.",
        "输出文件名不能包含文件夹，请检查 --name 的写法。",
    ),
    # -- paths the user gives, and files that are not regular files (paths.py, batch, pdf)
    "path.not_regular": ("this is {kind}, not a file docgen can read", "这是{kind}，不是 docgen 能读取的文件"),
    "path.not_regular.link": (
        "this links to {target}, which is {kind}, not a file docgen can read",
        "这是指向 {target} 的链接，而它是{kind}，不是 docgen 能读取的文件",
    ),
    "path.not_regular.hint": (
        "Give the path of a file saved on disk: reading a pipe or a device would never end.",
        "请给出保存在磁盘上的文件的路径：读取管道或设备永远不会结束。",
    ),
    "path.folder.hint": ("Give the path of a file in it, not of the folder.", "请给出文件夹中某个文件的路径，而不是文件夹本身。"),
    "path.kind.folder": ("a folder", "文件夹"),
    "path.kind.fifo": ("a named pipe (FIFO)", "命名管道（FIFO）"),
    "path.kind.device": ("a device", "设备文件"),
    "path.kind.socket": ("a socket", "套接字"),
    "path.kind.other": ("a special file", "特殊文件"),
    "path.not_utf8": (
        "the name is not valid UTF-8 text (the bytes that are not are shown as \\xff)",
        "名称不是有效的 UTF-8 文本（无法识别的字节显示为 \\xff 这样的形式）",
    ),
    "path.not_utf8.hint": (
        "Rename the file or folder so that its name is readable text, for example by typing its Chinese again.",
        "请给文件或文件夹改名，使名称成为可读的文字，例如重新输入其中的中文。",
    ),
    "path.name_too_long": (
        "the name is {size} bytes long, more than the {limit} bytes a file or folder name may have",
        "名称长度为 {size} 字节，超过了文件名或文件夹名 {limit} 字节的上限",
    ),
    "path.name_too_long.hint": (
        "Choose a shorter name (a Chinese character takes 3 bytes).",
        "请换一个短一些的名称（一个汉字占 3 字节）。",
    ),
    "path.too_long": (
        "the path is {size} bytes long, more than the {limit} bytes the system allows",
        "路径长度为 {size} 字节，超过了系统允许的 {limit} 字节上限",
    ),
    "path.too_long.hint": (
        "Choose a folder fewer levels deep, for example -o out/.",
        "请选择层级浅一些的文件夹，例如 -o out/。",
    ),
    "batch.not_read": ("{name}: not read: {problem}", "{name}：未读取：{problem}"),
    # -- templates (render.py)
    "template.not_found": ("template not found", "找不到模板"),
    "template.not_found.hint": (
        "Check the path, or leave out --template to use the built-in library.",
        "请检查路径，或去掉 --template 以使用内置模板。",
    ),
    "template.not_docx": ("is not a Word .docx file", "不是 Word .docx 文件"),
    "template.not_docx.hint": (
        "Save the template from Word or LibreOffice as .docx (Word 2007-365).",
        "请在 Word 或 LibreOffice 中把模板另存为 .docx（Word 2007-365）。",
    ),
    "template.damaged": (
        "is damaged: it cannot be opened as a Word document ({detail})",
        "已损坏，无法作为 Word 文档打开（{detail}）",
    ),
    "template.failed": ("the template {what}: {detail}", "模板{what}：{detail}"),
    "template.syntax": ("has a Jinja syntax error", "有 Jinja 语法错误"),
    "template.syntax.hint": (
        "docgen templates check FILE lists every problem of a template with its place.",
        "用 docgen templates check 文件 可以列出模板的所有问题及其位置。",
    ),
    "template.unknown_variable": ("uses a variable docgen does not provide", "使用了 docgen 不提供的变量"),
    "template.unknown_variable.hint": (
        "See docs/template-variables.md for the variables a template may use.",
        "模板可用的变量见 docs/template-variables.md。",
    ),
    "template.forbidden": (
        "tries something the sandbox forbids (it was not run)",
        "试图执行沙箱禁止的操作（未被执行）",
    ),
    "template.forbidden.hint": (
        "Templates may only use the documented variables and filters; see docs/template-variables.md.",
        "模板只能使用文档中列出的变量和过滤器，见 docs/template-variables.md。",
    ),
    "template.not_rendered": ("could not be rendered", "无法渲染"),
    # -- hostile templates: the sandbox's sizes, the render limits, the package checks (sandbox.py, limits.py)
    "template.raised.hint": (
        "An expression at this place fails, e.g. an index or key that is not there, or a format with too few "
        "values; correct it and check the template with docgen templates check.",
        "此处的表达式出错，例如索引或键不存在，或格式字符串的值不够；请改正后用 docgen templates check 检查模板。",
    ),
    "template.recursion": ("calls a macro within itself without end", "中的宏无休止地调用自身"),
    "template.recursion.hint": (
        "Give the macro a condition that stops it calling itself.",
        "请为该宏加上停止调用自身的条件。",
    ),
    "template.too_big.hint": (
        "A template may make texts and lists of up to a million characters or items; look for a huge width, "
        "count or repetition at this place.",
        "模板生成的文本和列表最多一百万个字符或项；请检查此处是否有过大的宽度、数量或重复次数。",
    ),
    "template.limit.memory": (
        "the render went past its memory limit of {limit:,} MB and was stopped",
        "渲染超出内存上限 {limit:,} MB，已被终止",
    ),
    "template.limit.cpu": (
        "the render went past its processor-time limit of {limit:,} seconds and was stopped",
        "渲染超出处理器时间上限 {limit:,} 秒，已被终止",
    ),
    "template.limit.output": (
        "the rendered document went past its size limit of {limit:,} MB and was stopped",
        "渲染出的文档超出大小上限 {limit:,} MB，已被终止",
    ),
    "template.limit.stopped": ("the render process stopped unexpectedly ({status})", "渲染进程意外停止（{status}）"),
    "template.limit.hint": (
        "Look at this place for a loop that does not end or a value that grows huge. The limits are "
        "DOCGEN_RENDER_MEMORY_MB, DOCGEN_RENDER_CPU_SECONDS and DOCGEN_RENDER_OUTPUT_MB, or [render] in "
        "docgen.toml (docs/errors.md).",
        "请检查此处是否有不会结束的循环或急剧增大的值。上限由 DOCGEN_RENDER_MEMORY_MB、DOCGEN_RENDER_CPU_SECONDS、"
        "DOCGEN_RENDER_OUTPUT_MB 或 docgen.toml 的 [render] 设置（见 docs/errors.md）。",
    ),
    "limits.invalid": ("{name} must be a whole number above 0, found “{value}”", "{name} 应为大于 0 的整数，实际为“{value}”"),
    "limits.invalid.hint": (
        "Unset it to use the default, or see docs/errors.md for the render limits.",
        "删除该变量即使用默认值；渲染上限见 docs/errors.md。",
    ),
    "package.parts": (
        "the file holds {count:,} parts, more than the {limit:,} docgen opens",
        "文件包含 {count:,} 个部件，超过 docgen 打开的上限 {limit:,} 个",
    ),
    "package.size": (
        "the file unpacks to {size} MB, more than the {limit} MB docgen opens",
        "文件解压后有 {size} MB，超过 docgen 打开的上限 {limit} MB",
    ),
    "package.ratio": (
        "the part {part} unpacks to {size} MB from {packed} KB ({ratio:,}:1), which no real document does: "
        "refusing a possible zip bomb",
        "部件 {part} 从 {packed} KB 解压为 {size} MB（压缩比 {ratio:,}:1），正常文档不会如此，疑为“压缩炸弹”，拒绝打开",
    ),
    "package.doctype": (
        "the part {part} declares a DOCTYPE, which no Word document needs: refused as possibly malicious XML",
        "部件 {part} 声明了 DOCTYPE，Word 文档不需要它，疑为恶意 XML，拒绝打开",
    ),
    "package.hint": (
        "If the template is genuine, open it in Word or LibreOffice and save it again as .docx.",
        "如确为正常模板，请用 Word 或 LibreOffice 打开，再另存为 .docx。",
    ),
    # -- the command line
    # -- docgen workbook show (inspection.py)
    "show.workbook": ("Workbook {file}: {count} sheets", "工作簿 {file}：共 {count} 张工作表"),
    "show.sheet": ("Sheet {index} “{name}”", "第 {index} 张工作表“{name}”"),
    "show.hidden": ("(hidden)", "（已隐藏）"),
    "show.how.name": ("read as {section}, by its name", "按名称读作“{section}”"),
    "show.how.alias": ("read as {section}, by its name (an alias: {matched})", "按名称读作“{section}”（别名：{matched}）"),
    "show.how.close-name": (
        "read as {section}: its name is close to “{matched}” and its headers fit",
        "读作“{section}”：名称与“{matched}”相近，且表头相符",
    ),
    "show.how.headers": (
        "read as {section}: its headers ({matched}) are that section's columns",
        "读作“{section}”：表头（{matched}）正是该表的列",
    ),
    "show.how.unknown": (
        "not a known section: the report prints it as a table of its own, under its name",
        "不是已知的表：报告以表名为标题原样列出",
    ),
    "show.how.instructions": ("instructions for whoever fills in the workbook", "填写说明"),
    "show.skipped.hidden": ("not in the report: the sheet is hidden", "不进入报告：工作表已隐藏"),
    "show.skipped.empty": ("not in the report: it has no rows of data", "不进入报告：没有数据行"),
    "show.skipped.instructions": ("not in the report: instructions are not read", "不进入报告：填写说明不读取"),
    "show.skipped.second": (
        "not in the report: that section is read from another sheet",
        "不进入报告：该表已从另一张工作表读取",
    ),
    "show.almost.close-name": (
        "its name is close to {section}, but its headers are not that section's columns",
        "名称与“{section}”相近，但表头不是该表的列",
    ),
    "show.almost.headers": (
        "some of its headers are {section}'s columns, too few to tell",
        "部分表头是“{section}”的列，但不足以认定",
    ),
    "show.almost.second": (
        "it looks like {section}, which another sheet is named as",
        "它像“{section}”表，但另一张工作表正用这个名称",
    ),
    "show.almost.missing": ("it lacks {columns}", "缺少{columns}列"),
    "show.header_row": ("header row {row}:", "表头行：第 {row} 行"),
    "show.fields": ("fields:", "字段："),
    "show.unused": ("not used", "未使用"),
    "show.field.source": ("source system “{label}”", "来源系统“{label}”"),
    "show.field.period": ("sub-period “{label}”", "子期间“{label}”"),
    "show.cells": ("cells as read ({count}):", "读取到的单元格（{count} 个）："),
    "show.percent": ("shown as a percentage", "百分比格式"),
    "show.merged": ("merged {range}", "合并单元格 {range}"),
    "show.type.text": ("text", "文本"),
    "show.type.number": ("number", "数字"),
    "show.type.boolean": ("boolean", "逻辑值"),
    "show.type.date": ("date", "日期"),
    "show.type.datetime": ("date and time", "日期时间"),
    "show.type.time": ("time", "时间"),
    "show.type.duration": ("duration", "时长"),
    "show.type.formula": ("formula without a computed value", "公式（无计算结果）"),
    "show.type.error": ("error value", "错误值"),
    "show.problems": ("{count} problem would stop a report:", "有 {count} 处问题会使报告无法生成："),
    "show.problems.plural": ("{count} problems would stop a report:", "有 {count} 处问题会使报告无法生成："),
    "show.no_such_sheet": ("the workbook has no sheet “{name}”", "工作簿中没有“{name}”工作表"),
    "show.no_such_sheet.hint": ("Its sheets are: {names}.", "它的工作表有：{names}。"),
    "cli.error": ("Error: {message}", "错误：{message}"),
}


class Phrase(str):
    """A message in English (its str value) that can also say itself in Chinese."""

    key: str
    params: dict

    def __new__(cls, key: str, /, **params: object) -> Phrase:
        english = CATALOGUE[key][0].format(**params)
        phrase = super().__new__(cls, english)
        phrase.key = key
        phrase.params = params
        return phrase

    def in_language(self, lang: str) -> str:
        if lang != "zh":
            return str.__str__(self)
        localised = {name: localise(value, lang) for name, value in self.params.items()}
        return CATALOGUE[self.key][1].format(**localised)

    def __reduce__(self):
        # Errors travel from batch workers as data; a Phrase goes as its key and parameters.
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict) -> Phrase:
    return Phrase(key, **params)


def say(key: str, /, **params: object) -> Phrase:
    """The catalogue's message `key`, filled with `params`; str() of it is the English text."""
    return Phrase(key, **params)


def localise(text: object, lang: str) -> object:
    """A Phrase in `lang`; anything else as it is (a number keeps its type so that format specs still apply)."""
    return text.in_language(lang) if isinstance(text, Phrase) else text


def locale_language(environ: dict[str, str] | None = None) -> str:
    """ "zh" when the locale is Chinese (LC_ALL, else LC_MESSAGES, else LANG starts with zh), else "en"."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def message_language(report_language: str | None = None) -> str:
    """The language to tell a user in: the report's when known, else the locale's."""
    if report_language in ("zh", "en"):
        return report_language
    return locale_language()


__all__ = ["CATALOGUE", "Phrase", "locale_language", "localise", "message_language", "say"]
