"""The documented template context with example values: `templates vars`, and the context templates are checked with."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from docgen.input.model import (AccountTier, Action, Channel, FollowUp, GenericSection, Lesson, LostCustomer,
                                MarketEvent, Problem, Reconciliation, ReportInfo, SalesWorkbook, Target,
                                TeamContribution, TrendSeries)  # fmt: skip
from docgen.report.checks import WARNING as FINDING_WARNING
from docgen.report.checks import Finding
from docgen.report.context import build_context
from docgen.text.messages import say
from docgen.word.places import short


def example_workbook(lang: str = "zh"):
    """A workbook with one or two rows in every section, built in code: the example values of `templates vars`."""
    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    sections = ("targets", "trend", "pipeline", "accounts", "churn", "followups", "market", "problems",
                "lessons", "actions", "team", "reconcile")  # fmt: skip
    return SalesWorkbook(
        source=t("华东销售一组-2026年10月-团队月报.xlsx", "east-team-1-2026-10.xlsx"),
        info=ReportInfo(
            organization=t("星辰科技有限公司", "Northwind Trading Ltd."), region=t("华东", "East"),
            team=t("华东销售一组", "East Team 1"), author=t("王芳", "Wang Fang"), level="team", period="monthly",
            start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 31), currency_unit=t("万元", "USD"),
            language=lang,
        ),  # fmt: skip
        targets=(
            Target(t("销售额", "Sales"), t("万元", "USD"), 1200, 1152, 1080, 1010, t("两家大客户签约推迟", "Two signings slipped"), next_target=1300),
            Target(t("新增客户", "New customers"), t("家", "accounts"), 30, 34, 27, 25),
            Target(t("复购率", "Repurchase rate"), "%", 0.35, 0.385, 0.36, 0.33),
            Target(t("客户流失率", "Churn rate"), "%", 0.05, 0.042, 0.051, 0.06),
            Target(t("市场份额", "Market share"), "%", 0.12, 0.125, 0.12, 0.112),
        ),  # fmt: skip
        trend=(TrendSeries(t("销售额", "Sales"), (t("8月", "Aug"), t("9月", "Sep"), t("10月", "Oct")), (1050, 1080, 1152)),),
        pipeline=(Channel(t("老客户转介绍", "Referrals"), 80, 28, 310),),
        accounts=(AccountTier("A", 18, 0.95, t("季度高层拜访", "Quarterly review")),),
        churn=(LostCustomer(t("苏州恒达贸易", "Harbor Foods"), t("价格", "Price"), 45, False, t("提交特价申请", "Offered a discount")),),
        followups=(FollowUp(t("上海瑞丰集团", "Bluewater Retail"), dt.date(2026, 10, 9), t("上门拜访", "Visit"),
                            t("年度框架协议续签", "Contract renewal"), t("达成续签意向", "Verbal yes"),
                            t("11月10日前提交合同", "Send the contract by 10 Nov")),),  # fmt: skip
        market=(MarketEvent(t("竞品华信推出低价套餐", "A competitor launched a low-cost range"), t("C类客户询价比较", "Price pressure"), t("市场部", "Marketing"), t("推出以旧换新方案", "Bundles")),),  # fmt: skip
        problems=(Problem(t("大客户签约周期拉长", "Signings take longer"), t("审批层级增加", "More approval steps"), t("销售额缺口48万元", "A gap of USD 4,800"), "external", t("提前介入立项", "Engage earlier")),),  # fmt: skip
        lessons=(Lesson(t("老客户转介绍激励", "Referral rewards"), t("A/B类客户", "A and B accounts"), t("成交后返点", "A reward per deal"), t("成交28单", "28 deals")),),  # fmt: skip
        actions=(Action(t("推进两家延期大客户签约", "Close the two slipped signings"), "A-01", t("李明", "Li Ming"), dt.date(2026, 11, 20), t("合同签订", "Contracts signed"), t("进行中", "In progress")),),  # fmt: skip
        team=(TeamContribution(t("李明", "Li Ming"), t("签约上海瑞丰", "Signed Bluewater"), 210), TeamContribution(t("王芳", "Wang Fang"), t("统筹团队目标", "Led the team"), 185)),  # fmt: skip
        reconcile=(Reconciliation(t("销售额", "Sales"), (t("销售系统", "CRM"), t("财务系统", "Finance")), (1152, 1148)),),
        generic=(GenericSection(t("重点项目", "Key projects"), (t("项目", "Project"), t("阶段", "Stage")), ((t("新能源产线", "New line"), t("报价", "Quote")),)),),  # fmt: skip
        present=("info", *sections, "generic:" + t("重点项目", "Key projects")),
    )


def reference_context(lang: str = "zh", workbook=None) -> dict:
    """The documented context with example values: from `workbook`, else from `example_workbook`."""
    workbook = workbook or example_workbook(lang)
    # Last period's actions, so that review.rows has its keys; one finding, for findings.rows.
    previous = replace(workbook, actions=workbook.actions)
    finding = Finding("DG103", FINDING_WARNING, "目标达成" if lang == "zh" else "Targets", "G3", "…")
    period = workbook.info.period or "monthly"
    level = workbook.info.level or "team"
    today = (workbook.info.end_date or dt.date(2026, 10, 31)) + dt.timedelta(days=2)
    return build_context(workbook, period=period, level=level, lang=lang, today=today, previous=previous,
                         findings=[finding])  # fmt: skip


def variable_reference(context: dict) -> list[tuple[str, str]]:
    """(path, example value) for every variable, lists of rows shown by their first row: `templates vars`."""
    lines: list[tuple[str, str]] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            walk(value[0], f"{path}[]")
        elif isinstance(value, list):
            shown = ", ".join(f"“{short(str(v), 30)}”" for v in value[:3])
            listed = f"[{shown}{', …' if len(value) > 3 else ''}]"
            lines.append((path, say("reference.items" if len(value) != 1 else "reference.item", listed=listed,
                                    count=len(value))))
        else:
            lines.append((path, repr(value) if not isinstance(value, str) else f"“{short(value, 70)}”"))

    walk(context, "")
    return lines
