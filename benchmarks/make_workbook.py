"""Generates a synthetic team workbook with N salespeople, every section filled, for the benchmark.

    python benchmarks/make_workbook.py 500 -o /tmp/team-500.xlsx

Each person has realistic amounts of data: six targets, three channels, a
churned customer or two, follow-ups, problems, actions and a team row. The
figures are drawn from a seeded random generator, so a given N always gives
the same workbook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import openpyxl

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国志文斌宇浩凯"
CHANNELS = ("老客户转介绍", "线上商城", "电话营销", "行业展会", "地推拜访")
INDICATORS = (("销售额", "万元"), ("回款额", "万元"), ("新增客户", "家"), ("复购率", "%"), ("客户流失率", "%"), ("客单价", "万元"))


def person_names(count: int) -> list[str]:
    """Distinct Chinese names, numbered once the short ones run out."""
    names = [s + g for g in GIVEN for s in SURNAMES]
    if count <= len(names):
        return names[:count]
    return [f"{names[i % len(names)]}{i // len(names) + 1}" for i in range(count)]


def build(count: int, seed: int = 7) -> openpyxl.Workbook:
    rng = random.Random(seed)
    people = person_names(count)
    book = openpyxl.Workbook(write_only=True)

    info = book.create_sheet("报告信息")
    info.append(["项目", "内容"])
    for pair in (
        ("单位", "星辰科技有限公司"),
        ("区域", "华东"),
        ("团队", "华东销售大组"),
        ("姓名", "王芳"),
        ("层级", "团队"),
        ("周期", "月报"),
        ("开始日期", dt.date(2026, 10, 1)),
        ("结束日期", dt.date(2026, 10, 31)),
        ("货币单位", "万元"),
        ("语言", "中文"),
    ):
        info.append(list(pair))

    targets = book.create_sheet("目标达成")
    targets.append(["销售员", "指标", "单位", "目标", "实际", "上期", "去年同期", "说明"])
    pipeline = book.create_sheet("客户开发")
    pipeline.append(["销售员", "渠道", "线索数", "成交数", "成交金额"])
    churn = book.create_sheet("客户流失")
    churn.append(["销售员", "客户", "原因", "金额", "是否挽回", "挽回措施"])
    followups = book.create_sheet("客户跟进")
    followups.append(["销售员", "客户", "日期", "方式", "内容", "结果", "下一步"])
    problems = book.create_sheet("问题反思")
    problems.append(["销售员", "现象", "原因", "影响", "类型", "对策"])
    actions = book.create_sheet("行动计划")
    actions.append(["销售员", "编号", "措施", "负责人", "完成时限", "验收标准", "状态"])
    team = book.create_sheet("团队贡献")
    team.append(["成员", "贡献事项", "业绩", "占比"])

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
    return book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int, help="how many salespeople")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build(args.people, args.seed).save(args.output)
    print(f"wrote {args.output} with {args.people} salespeople")


if __name__ == "__main__":
    main()
