"""Generates a synthetic team workbook with N salespeople, every section filled, for the benchmark.

    python benchmarks/make_workbook.py 500 -o /tmp/team-500.xlsx

Each person has realistic amounts of data: six targets, three channels, a
churned customer or two, follow-ups, problems, actions and a team row; every
sheet but the info and team sheets has a 销售员 (salesperson) column, so the
workbook splits into one report per person. The figures are drawn from a
seeded random generator, so a given N always gives the same workbook.

The file is written the way Excel, WPS and LibreOffice save a workbook: text
in a shared-strings table, each sheet stating its size (<dimension>), dates
as serial numbers with a date format. (openpyxl's own writer stores every
text inline and states no size, which makes a file slower to read than the
workbooks people hand in; `--openpyxl` writes that kind instead.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国志文斌宇浩凯"
CHANNELS = ("老客户转介绍", "线上商城", "电话营销", "行业展会", "地推拜访")
INDICATORS = (("销售额", "万元"), ("回款额", "万元"), ("新增客户", "家"), ("复购率", "%"), ("客户流失率", "%"), ("客单价", "万元"))

Row = list  # one spreadsheet row: str, int, float, date or None per cell


def person_names(count: int) -> list[str]:
    """Distinct Chinese names, numbered once the short ones run out."""
    names = [s + g for g in GIVEN for s in SURNAMES]
    if count <= len(names):
        return names[:count]
    return [f"{names[i % len(names)]}{i // len(names) + 1}" for i in range(count)]


def build(count: int, seed: int = 7) -> dict[str, list[Row]]:
    """The workbook's sheets, by name, as rows of plain values (header first)."""
    rng = random.Random(seed)
    people = person_names(count)
    sheets: dict[str, list[Row]] = {
        "报告信息": [
            ["项目", "内容"],
            ["单位", "星辰科技有限公司"],
            ["区域", "华东"],
            ["团队", "华东销售大组"],
            ["姓名", "王芳"],
            ["层级", "团队"],
            ["周期", "月报"],
            ["开始日期", dt.date(2026, 10, 1)],
            ["结束日期", dt.date(2026, 10, 31)],
            ["货币单位", "万元"],
            ["语言", "中文"],
        ],
        "目标达成": [["销售员", "指标", "单位", "目标", "实际", "上期", "去年同期", "说明"]],
        "客户开发": [["销售员", "渠道", "线索数", "成交数", "成交金额"]],
        "客户流失": [["销售员", "客户", "原因", "金额", "是否挽回", "挽回措施"]],
        "客户跟进": [["销售员", "客户", "日期", "方式", "内容", "结果", "下一步"]],
        "问题反思": [["销售员", "现象", "原因", "影响", "类型", "对策"]],
        "行动计划": [["销售员", "编号", "措施", "负责人", "完成时限", "验收标准", "状态"]],
        "团队贡献": [["成员", "贡献事项", "业绩", "占比"]],
    }
    targets, pipeline, churn = sheets["目标达成"], sheets["客户开发"], sheets["客户流失"]
    followups, problems, actions, team = sheets["客户跟进"], sheets["问题反思"], sheets["行动计划"], sheets["团队贡献"]

    for number, person in enumerate(people, start=1):
        sales = round(rng.uniform(80, 260), 1)
        for indicator, unit in INDICATORS:
            if unit == "%":
                target = round(rng.uniform(0.03, 0.4), 3)
                actual = round(target * rng.uniform(0.8, 1.2), 3)
            elif indicator == "销售额":
                target, actual = round(sales * rng.uniform(0.9, 1.15), 1), sales
            else:
                target = round(rng.uniform(5, 40), 1)
                actual = round(target * rng.uniform(0.75, 1.25), 1)
            note = "大客户签约推迟" if actual < target * 0.9 else None
            targets.append(
                [person, indicator, unit, target, actual, round(actual * rng.uniform(0.85, 1.1), 3),
                 round(actual * rng.uniform(0.8, 1.05), 3), note]
            )
        for channel in rng.sample(CHANNELS, 3):
            leads = rng.randint(20, 300)
            deals = rng.randint(1, max(1, leads // 4))
            pipeline.append([person, channel, leads, deals, round(rng.uniform(10, 120), 1)])
        for index in range(rng.randint(1, 2)):
            churn.append([person, f"客户{number}-{index + 1}", rng.choice(("价格", "服务响应慢", "需求变化")),
                          round(rng.uniform(5, 50), 1), rng.choice(("是", "否")), "回访并提出方案"])
        for index in range(3):
            followups.append([person, f"重点客户{number}-{index + 1}", dt.date(2026, 10, 5 + index * 9),
                              rng.choice(("上门拜访", "电话", "视频会议")), "年度合作洽谈", "进入商务谈判", "提交报价"])
        problems.append([person, "新客户转化偏慢", "线索筛选粗放", "获客成本上升", "内部", "引入线索评分"])
        problems.append([person, "竞品降价", "市场竞争加剧", "两家客户询价比较", "外部", "强调服务价值"])
        actions.append([person, f"P{number}-1", "推进重点客户签约", person, dt.date(2026, 11, 20), "合同签订", "进行中"])
        actions.append([person, f"P{number}-2", "流失客户回访", person, dt.date(2026, 11, 25), "挽回一家客户", "未开始"])
        team.append([person, "重点客户开拓与新人带教", sales, None])
    return sheets


# --- writing the .xlsx as a spreadsheet program saves it ---------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_STYLE = 1  # the cellXfs entry with number format 14 (a short date)


def _column(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_xml(rows: list[Row], strings: dict[str, int]) -> str:
    width = max(len(row) for row in rows)
    lines = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        f'<dimension ref="A1:{_column(width)}{len(rows)}"/><sheetData>'
    ]
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            where = f"{_column(column)}{number}"
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{where}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{where}" s="{_DATE_STYLE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>')
            else:
                cells.append(f'<c r="{where}"><v>{value!r}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    lines.append("</sheetData></worksheet>")
    return "".join(lines)


def write_xlsx(sheets: dict[str, list[Row]], path: Path) -> None:
    """The sheets as an .xlsx file with a shared-strings table, as Excel writes one."""
    strings: dict[str, int] = {}
    sheet_parts = [_sheet_xml(rows, strings) for rows in sheets.values()]
    count = len(sheet_parts)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, count + 1)
        )
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_OFFICE_RELS}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_OFFICE_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_OFFICE_RELS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{count + 2}" Type="{_OFFICE_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    shared = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        + "</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/sharedStrings.xml", shared)
        for n, xml in enumerate(sheet_parts, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)


def write_with_openpyxl(sheets: dict[str, list[Row]], path: Path) -> None:
    """The sheets as openpyxl's streaming writer saves them: text inline, no stated size."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int, help="how many salespeople")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--openpyxl", action="store_true", help="write it with openpyxl (inline text, no size)")
    args = parser.parse_args()
    sheets = build(args.people, args.seed)
    (write_with_openpyxl if args.openpyxl else write_xlsx)(sheets, args.output)
    print(f"wrote {args.output} with {args.people} salespeople")


if __name__ == "__main__":
    main()
