"""The built-in templates: committed files match scripts/build_templates.py, and they render to real reports."""

from __future__ import annotations

import copy
import functools
import io
import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "templates" / "docx"
LEVELS = ("individual", "team", "department")
PERIODS = ("daily", "weekly", "monthly", "quarterly", "annual")
TEMPLATES = [f"monthly-{level}.{lang}.docx" for level in LEVELS for lang in ("zh", "en")]
ALL_TEMPLATES = [f"{period}-{level}.{lang}.docx" for period in PERIODS for level in LEVELS for lang in ("zh", "en")]
SECTION_KEYS = (
    "targets", "trend", "pipeline", "accounts", "churn", "followups", "market",
    "problems", "lessons", "actions", "reconcile", "team", "review",
)  # fmt: skip


@pytest.fixture
def built(built_templates):
    return built_templates


# --------------------------------------------------------------------------
# 1. The committed templates are what the script builds.
# --------------------------------------------------------------------------


def test_the_script_builds_all_thirty_templates(built):
    assert sorted(built) == sorted(ALL_TEMPLATES)
    assert len(built) == 30


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_committed_template_matches_the_script(builder, built, name):
    path = TEMPLATE_DIR / name
    assert path.is_file(), f"{name} is missing: run `python scripts/build_templates.py`"
    differing = builder.differing_parts(path.read_bytes(), built[name])
    assert not differing, (
        f"{name} differs from what scripts/build_templates.py builds (parts: {', '.join(differing)}); "
        "run `python scripts/build_templates.py` and commit the result"
    )


def test_a_rebuild_gives_the_same_xml(builder, built):
    again = builder.build_template(builder.all_specs()[0])
    first = builder.all_specs()[0].filename
    assert builder.differing_parts(built[first], again) == []


def test_check_mode_lists_missing_and_changed_templates(builder, built, tmp_path, capsys, monkeypatch):
    # Writing and checking are what is tested here, not building: a few of the session's templates stand in.
    few = {name: built[name] for name in ("monthly-team.zh.docx", "monthly-team.en.docx", "daily-individual.en.docx")}
    monkeypatch.setattr(builder, "build_all", lambda: dict(few))
    assert builder.main(["--check", "--out", str(tmp_path)]) == 1
    assert "monthly-team.zh.docx" in capsys.readouterr().out

    assert builder.main(["--out", str(tmp_path)]) == 0
    assert builder.main(["--check", "--out", str(tmp_path)]) == 0

    # A hand-edited template (here: another template's content) is caught.
    (tmp_path / "monthly-team.zh.docx").write_bytes((tmp_path / "monthly-team.en.docx").read_bytes())
    capsys.readouterr()
    assert builder.main(["--check", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "monthly-team.zh.docx" in out
    assert "monthly-team.en.docx" not in out
    assert "python scripts/build_templates.py" in out


def test_templates_use_only_documented_variables():
    documented = set(re.findall(r"^##+ `?([a-z_]+)", (ROOT / "docs" / "template-variables.md").read_text("utf-8"), re.M))
    assert {"report", "intro", "conclusion", "targets", "team", "extra_sections"} <= documented
    for name in ALL_TEMPLATES:
        used = DocxTemplate(str(TEMPLATE_DIR / name)).get_undeclared_template_variables()
        assert used <= documented, f"{name} uses undocumented variables: {sorted(used - documented)}"


# --------------------------------------------------------------------------
# A context that follows docs/template-variables.md.
# --------------------------------------------------------------------------

TEAM_HEADINGS = {
    "zh": {"individual": "个人团队贡献", "team": "成员贡献", "department": "各团队贡献"},
    "en": {"individual": "My contribution to the team", "team": "Member contributions", "department": "Team contributions"},
}


def make_context(lang: str = "zh", level: str = "team", absent: tuple[str, ...] = ()) -> dict:
    """A full context for a monthly report; the sections named in `absent` have no sheet."""
    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    def section(rows, summary="", points=(), **extra):
        return {"present": True, "summary": summary, "points": list(points), "rows": list(rows), **extra}

    internal = {
        "symptom": t("回款延迟", "Late payments"), "cause": t("付款条款不清", "Vague payment terms"),
        "impact": t("缺口40万元", "A gap of USD 4,000"), "kind": "internal", "kind_label": t("内部", "Internal"),
        "solution": t("规范合同模板", "Standard contract terms"),
        "sentence": t("大客户回款延迟，原因是付款条款不清，导致销售额缺口40.0万元。",
                      "Key accounts paid late because the payment terms were vague, leaving a gap of USD 4,000."),
    }  # fmt: skip
    external = {
        "symptom": t("竞品降价", "Competitor price cut"), "cause": t("行业价格战", "Price war"),
        "impact": t("中端订单减少", "Fewer mid-range orders"), "kind": "external", "kind_label": t("外部", "External"),
        "solution": "", "sentence": t("竞品降价源于行业价格战，致使中端订单减少。",
                                      "A price war led a competitor to cut prices, costing mid-range orders."),
    }  # fmt: skip
    unclassified = {
        "symptom": "CRM", "cause": "", "impact": "", "kind": "", "kind_label": "", "solution": "",
        "sentence": t("CRM系统偶有卡顿。", "The CRM system is sometimes slow."),
    }  # fmt: skip
    team_rows = [
        {"member": t("李强", "Li Qiang"), "contribution": t("签约两家A类客户", "Signed two A-tier accounts"),
         "value": t("320.0", "32,000"), "share": "33.3%", "rank": 1},
        {"member": t("赵敏", "Zhao Min"), "contribution": t("开拓线上渠道", "Opened the online channel"),
         "value": t("250.0", "25,000"), "share": "26.0%", "rank": 2},
    ]  # fmt: skip
    context = {
        "report": {
            "title": t("华东销售一组2026年10月销售工作总结", "East China Team 1 sales summary, October 2026"),
            "organization": t("华东大区", "East China Region"), "region": t("华东", "East"),
            "team": t("销售一组", "Team 1"), "author": t("王芳", "Wang Fang"), "level": level,
            "level_label": {"individual": t("个人", "Individual"), "team": t("团队", "Team"),
                            "department": t("部门", "Department")}[level],
            "period": "monthly", "period_name": t("月度", "Monthly"), "period_label": t("2026年10月", "October 2026"),
            "start_date": t("2026年10月1日", "1 October 2026"), "end_date": t("2026年10月31日", "31 October 2026"),
            "generated_on": t("2026年11月2日", "2 November 2026"), "currency_unit": t("万元", "USD"), "lang": lang,
            "due_date": t("2026年11月3日", "3 November 2026"),
            "due_label": t("2026年11月3日前报送（月报：次月3日前）", "by 3 November 2026 (monthly: by the 3rd)"),
        },
        "intro": t("2026年10月，销售额完成960.0万元，达成率96.0%。", "In October 2026 sales reached USD 96,000, 96.0% of target."),
        "conclusion": t("下月重点推进大客户回款。", "Next month the focus is on collecting from key accounts."),
        "targets": section(
            [
                {"indicator": t("销售额", "Sales"), "unit": t("万元", "USD"), "target": t("1,000.0", "100,000"),
                 "actual": t("960.0", "96,000"), "achievement": "96.0%", "gap": t("-40.0", "-4,000"),
                 "previous": t("900.0", "90,000"), "mom": "+6.7%", "last_year": t("850.0", "85,000"),
                 "yoy": "+12.9%", "note": t("大客户回款延迟", "Late payments"), "status": "missed",
                 "status_label": t("未达成", "Missed")},
                {"indicator": t("复购率", "Repurchase rate"), "unit": "%", "target": "35.0%", "actual": "38.0%",
                 "achievement": "108.6%", "gap": t("+3.0 个百分点", "+3.0 pp"), "previous": "33.0%",
                 "mom": t("+5.0 个百分点", "+5.0 pp"), "last_year": "30.0%", "yoy": t("+8.0 个百分点", "+8.0 pp"),
                 "note": "", "status": "met", "status_label": t("达成", "Met")},
            ],
            summary=t("销售额达成率96.0%，环比显著增长6.7%。", "Sales reached 96.0% of target, up 6.7% on September."),
            points=[t("销售额未达成：大客户回款延迟。", "Sales missed target: key accounts paid late.")],
        ),  # fmt: skip
        "trend": section(
            [{"indicator": t("销售额", "Sales"), "figures": ["210.0", "230.0", "245.0", "275.0"],
              "sentence": t("连续四周增长", "four weeks of growth")}],
            summary=t("销售额逐周上升。", "Sales rose week by week."),
            points=[t("销售额：连续四周增长。", "Sales: four weeks of growth.")],
            labels=[t("第1周", "Week 1"), t("第2周", "Week 2"), t("第3周", "Week 3"), t("第4周", "Week 4")],
        ),  # fmt: skip
        "pipeline": section(
            [{"channel": t("线上推广", "Online"), "leads": "120", "deals": "30", "amount": t("420.0", "42,000"),
              "conversion": "25.0%", "note": ""}],
            summary=t("线上渠道转化率25.0%。", "Online converts 25.0% of leads."),
            points=[t("线上推广线索120条，成交30单，转化率25.0%。", "Online: 120 leads, 30 deals, 25.0% conversion.")],
            total={"leads": "120", "deals": "30", "amount": t("420.0", "42,000"), "conversion": "25.0%"},
        ),  # fmt: skip
        "accounts": section(
            [{"tier": "A", "customers": "12", "share": "20.0%", "satisfaction": "4.6",
              "upkeep": t("季度高层拜访", "Quarterly executive visit")}],
            summary=t("A类客户占两成。", "A-tier accounts are a fifth of customers."),
            points=[t("A类客户12家，占两成。", "A tier: 12 customers, a fifth.")],
        ),  # fmt: skip
        "churn": section(
            [{"customer": t("苏州恒达", "Suzhou Hengda"), "reason": t("价格竞争", "Price"),
              "amount": t("35.0", "3,500"), "recovered": t("是", "Yes"), "measure": t("调整报价", "New quote")}],
            summary=t("流失客户1家，已挽回。", "One customer left and was won back."),
            points=[t("苏州恒达因价格竞争流失，已挽回。", "Suzhou Hengda left over price and was won back.")],
        ),  # fmt: skip
        "followups": section(
            [{"customer": t("上海明泰", "Shanghai Mingtai"), "date": t("2026年10月12日", "12 October 2026"),
              "way": t("拜访", "Visit"), "content": t("年度框架协议", "Framework contract"),
              "result": t("达成意向", "Agreed in principle"), "next_step": t("11月签约", "Sign in November")}],
            summary=t("重点跟进客户1家。", "One key account followed up."),
            points=[t("上海明泰：10月12日拜访，达成意向。", "Shanghai Mingtai: visited on 12 Oct, agreed in principle.")],
        ),  # fmt: skip
        "market": section(
            [{"event": t("竞品降价", "Price cut"), "impact": "", "source": t("市场部", "Marketing"),
              "response": t("推出组合套餐", "Bundle offer"),
              "sentence": t("据市场部，竞品A下调中端产品价格约8%。", "According to Marketing, competitor A cut prices by 8%.")}],
            summary=t("竞品降价。", "A competitor cut prices."),
            points=[t("据市场部，竞品A下调中端产品价格约8%。", "According to Marketing, competitor A cut prices by 8%.")],
        ),  # fmt: skip
        "market_share": {"present": False, "indicator": "", "actual": "", "target": "", "last_year": "", "yoy": "",
                         "status_label": "", "sentence": ""},
        "review": section(
            [{"id": "A0", "action": t("完成华信报价", "Quote Huaxin"), "owner": t("李强", "Li Qiang"),
              "deadline": t("2026年10月20日", "20 October 2026"), "status": t("进行中", "in progress"),
              "status_key": "in_progress", "overdue": True, "overdue_label": t("已逾期", "overdue")}],
            summary=t("上期行动共一项：一项已逾期。", "Last period's actions: one, overdue."),
            points=[t("A0 完成华信报价：进行中，已逾期。", "A0 Quote Huaxin: in progress, overdue.")],
        ),
        "findings": {"present": False, "summary": "", "rows": []},
        "charts": {"trend": ""},
        "problems": section(
            [internal, external, unclassified],
            summary=t("问题集中在回款。", "Most problems concern payments."),
            points=[t("【内部】" + internal["sentence"], "[Internal] " + internal["sentence"])],
            internal=[internal], external=[external],
        ),  # fmt: skip
        "lessons": section(
            [{"practice": t("直播获客", "Live streams"), "applies_to": "", "steps": "", "result": "",
              "sentence": t("直播获客使线索翻倍。", "Live streams doubled the leads.")}],
            points=[t("直播获客使线索翻倍。", "Live streams doubled the leads.")],
        ),  # fmt: skip
        "actions": section(
            [{"id": "A1", "action": t("推进上海明泰签约", "Sign Shanghai Mingtai"), "owner": t("李强", "Li Qiang"),
              "deadline": t("2026年11月15日", "15 November 2026"), "acceptance": t("合同签署", "Contract signed"),
              "status": ""}],
            summary=t("下月行动1项。", "One action for next month."),
            points=[t("推进上海明泰签约（负责人：李强）。", "Sign Shanghai Mingtai (owner: Li Qiang).")],
        ),  # fmt: skip
        "reconcile": section(
            [{"indicator": t("销售额", "Sales"), "figures": ["960.0", "955.0"], "gap": "0.5%", "within": True,
              "within_label": t("一致", "Consistent")}],
            summary=t("销售额两系统一致。", "Sales agree across systems."),
            points=[t("销售额各系统差异0.5%，在容差内。", "Sales differ by 0.5% across systems, within tolerance.")],
            sources=[t("销售系统", "CRM"), t("财务系统", "Finance")],
        ),  # fmt: skip
        "team": section(
            team_rows,
            summary=t("李强贡献最大，占逾三成。", "Li Qiang led with a third of the total."),
            points=[t("李强：签约两家A类客户，业绩320.0万元，占逾三成。", "Li Qiang: signed two A-tier accounts, USD 32,000, a third."),
                    t("赵敏：开拓线上渠道，业绩250.0万元。", "Zhao Min: opened the online channel, USD 25,000.")],
            heading=TEAM_HEADINGS[lang][level],
        ),
        "extra_sections": [
            {"title": t("培训记录", "Training"), "columns": [t("日期", "Date"), t("主题", "Topic")],
             "rows": [[t("10月8日", "8 Oct"), t("谈判技巧", "Negotiation")]], "figure_columns": [False, False],
             "as_table": True, "paragraphs": []},
            {"title": t("备注", "Notes"), "columns": [t("内容", "Text")], "rows": [[t("启用新CRM。", "New CRM.")]],
             "figure_columns": [False], "as_table": False, "paragraphs": [t("启用新CRM。", "New CRM.")]},
        ],  # fmt: skip
    }
    for row in context["targets"]["rows"]:
        row.update(next_target="", next_change="")
    context["targets"]["next_rows"] = []
    context["market"]["competitors"] = context["market"]["rows"]
    context["market"]["industry"] = []
    for key in absent:
        if key == "extra_sections":
            context[key] = []
            continue
        emptied = {
            name: []
            for name in ("labels", "sources", "internal", "external", "next_rows", "competitors", "industry")
            if name in context[key]
        }
        context[key] = {"present": False, "summary": "", "points": [], "rows": [], **emptied}
        if key == "pipeline":
            context[key]["total"] = {"leads": "", "deals": "", "amount": "", "conversion": ""}
        if key == "team":
            context[key].update(
                heading=TEAM_HEADINGS[lang][level],
                summary=t("工作簿未提供团队贡献数据。", "The workbook has no team contribution sheet."),
            )
    return context


def render(name: str, context: dict, out_dir: Path):
    """Render a committed template as docgen does (sandboxed, autoescaped), save it, reopen it."""
    template = DocxTemplate(str(TEMPLATE_DIR / name))
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    template.render(copy.deepcopy(context), jinja_env=environment, autoescape=True)
    path = out_dir / name.replace(".docx", ".rendered.docx")
    template.save(str(path))
    return Document(str(path)), path


@functools.lru_cache(maxsize=None)
def _full_report(name: str) -> bytes:
    level, lang = level_lang(name)
    template = DocxTemplate(str(TEMPLATE_DIR / name))
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    template.render(make_context(lang, level), jinja_env=environment, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def full_report(name: str):
    """A template rendered as `render` does with the whole reference context: rendered once, reopened for each test."""
    return Document(io.BytesIO(_full_report(name)))


def level_lang(name: str) -> tuple[str, str]:
    level, lang = re.match(r"monthly-(\w+)\.(\w+)\.docx", name).groups()
    return level, lang


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with_header(doc, first: str):
    found = [table for table in doc.tables if table.rows[0].cells[0].text == first]
    return found[0] if found else None


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


# --------------------------------------------------------------------------
# 2. Rendered reports: structure, tables, sections, styles.
# --------------------------------------------------------------------------

FULL_HEADINGS = {
    "zh": [
        "引言", "目标达成情况", "上月行动回顾", "业绩分析", "业绩走势", "客户开发与转化", "客户资源管理", "客户分层维护",
        "客户流失与挽回", "重点客户跟进", "市场动态与关键事件", "问题与反思", "内部原因", "外部因素", "其他问题",
        "经验提炼", "下期计划", "数据核对", "培训记录", "备注", "结语",
    ],
    "en": [
        "Introduction", "Targets", "Review of last month's actions", "Results analysis", "Trend", "Prospecting and conversion",
        "Customer management", "Customer tiers", "Churn and recovery", "Key account follow-ups",
        "Market and key events", "Problems and causes", "Internal causes", "External factors", "Other problems",
        "Lessons learned", "Plan for the next period", "Data reconciliation", "Training", "Notes", "Conclusion",
    ],
}  # fmt: skip

CORE_HEADER = {
    "zh": ["指标", "单位", "目标", "实际", "达成率", "环比", "同比", "状态"],
    "en": ["Indicator", "Unit", "Target", "Actual", "Achieved", "MoM", "YoY", "Status"],
}


@pytest.mark.parametrize("name", TEMPLATES)
def test_full_report_has_cover_and_every_section_in_order(name):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    doc = full_report(name)

    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == [context["report"]["title"]]
    cover = "\n".join(p.text for p in doc.paragraphs if p.style.name == "Cover Info")
    for key in ("organization", "period_label", "author", "generated_on", "level_label"):
        assert context["report"][key] in cover

    assert headings(doc) == FULL_HEADINGS[lang] + [TEAM_HEADINGS[lang][level]]
    text = all_text(doc)
    assert context["intro"] in text and context["conclusion"] in text
    assert "{%" not in text and "{{" not in text
    # Problems read as sentences under their group, with the remedy when there is one.
    assert context["problems"]["internal"][0]["sentence"] in text
    assert context["problems"]["internal"][0]["solution"] in text
    assert context["market"]["rows"][0]["sentence"] in text
    assert context["targets"]["points"][0] in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_nothing_is_said_twice(name):
    level, lang = level_lang(name)
    doc = full_report(name)
    said = [p.text for p in doc.paragraphs if p.text.strip()]
    repeated = sorted({text for text in said if said.count(text) > 1})
    assert repeated == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_core_indicator_table_holds_the_context_figures(name):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    doc = full_report(name)

    table = table_with_header(doc, CORE_HEADER[lang][0])
    assert table is not None, "no core-indicator table"
    assert table.style.name == "Report Table"
    keys = ("indicator", "unit", "target", "actual", "achievement", "mom", "yoy", "status_label")
    expected = [CORE_HEADER[lang]] + [[row[key] for key in keys] for row in context["targets"]["rows"]]
    assert table_rows(table) == expected


@pytest.mark.parametrize("name", TEMPLATES)
def test_tables_with_columns_from_the_data(name):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    doc = full_report(name)

    training = context["extra_sections"][0]
    extra = table_with_header(doc, training["columns"][0])
    assert table_rows(extra) == [training["columns"], *training["rows"]]
    assert context["extra_sections"][1]["paragraphs"][0] in [p.text for p in doc.paragraphs]

    reconcile = context["reconcile"]
    sources_table = next(t for t in doc.tables if reconcile["sources"][0] in table_rows(t)[0])
    header, body = table_rows(sources_table)
    assert header[1:3] == reconcile["sources"]
    assert body[:3] == [reconcile["rows"][0]["indicator"], *reconcile["rows"][0]["figures"]]

    pipeline = table_with_header(doc, {"zh": "渠道", "en": "Channel"}[lang])
    assert table_rows(pipeline)[-1][1:] == [context["pipeline"]["total"][k] for k in ("leads", "deals", "conversion", "amount")]


@pytest.mark.parametrize("name", TEMPLATES)
def test_content_differs_by_level(name):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    doc = full_report(name)
    week = context["trend"]["labels"][0]
    trend_table = next((t for t in doc.tables if week in table_rows(t)[0]), None)
    followup_way = context["followups"]["rows"][0]["way"]
    followup_customer = context["followups"]["rows"][0]["customer"]
    followup_tables = [t for t in doc.tables if any(followup_customer in row for row in table_rows(t))]
    member_header = {"zh": {"team": "成员", "department": "团队"}, "en": {"team": "Member", "department": "Team"}}

    lost_customer = context["churn"]["rows"][0]["customer"]
    churn_tables = [t for t in doc.tables if any(lost_customer in row for row in table_rows(t))]
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]

    if level == "individual":
        # A person reads their trend and lost customers in words and lists every follow-up in full.
        assert trend_table is None
        assert churn_tables == [] and context["churn"]["points"][0] in bullets
        assert any(followup_way in row for t in followup_tables for row in table_rows(t))
        # The team part: what the person did (summary), set among the team's contributions.
        assert context["team"]["summary"] in [p.text for p in doc.paragraphs]
        assert context["team"]["points"] == bullets[-2:]
        assert table_with_header(doc, {"zh": "成员", "en": "Member"}[lang]) is None
    else:
        assert len(churn_tables) == 1 and context["churn"]["points"][0] not in bullets
        assert table_rows(trend_table)[0] == [CORE_HEADER[lang][0], *context["trend"]["labels"]]
        team_table = table_with_header(doc, member_header[lang][level])
        expected = [[r["member"], r["contribution"], r["value"], r["share"], str(r["rank"])] for r in context["team"]["rows"]]
        assert table_rows(team_table)[1:] == expected
        if level == "team":
            assert followup_tables and not any(followup_way in row for row in table_rows(followup_tables[0]))
        else:
            # A department reads the follow-ups as narrative, not customer by customer.
            assert followup_tables == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_absent_sections_leave_no_heading_and_no_table(name, tmp_path):
    level, lang = level_lang(name)
    gone = tuple(key for key in SECTION_KEYS if key != "targets") + ("extra_sections",)
    context = make_context(lang, level, absent=gone)
    doc, _ = render(name, context, tmp_path)

    heads = FULL_HEADINGS[lang]
    assert headings(doc) == [heads[0], heads[1], heads[-1], TEAM_HEADINGS[lang][level]]
    assert len(doc.tables) == 1  # the core-indicator table only
    assert all(len(table.rows) > 1 for table in doc.tables)
    # The team part still stands, saying that no data was given.
    assert context["team"]["summary"] in [p.text for p in doc.paragraphs]
    assert len(doc.sections) == (1 if level == "individual" else 2)


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_section_absent_leaves_a_clean_report(name, tmp_path):
    level, lang = level_lang(name)
    context = make_context(lang, level, absent=SECTION_KEYS + ("extra_sections",))
    doc, _ = render(name, context, tmp_path)

    heads = FULL_HEADINGS[lang]
    assert headings(doc) == [heads[0], heads[-1], TEAM_HEADINGS[lang][level]]
    assert doc.tables == []
    body = [p for p in doc.paragraphs if p.style.name not in ("Title", "Subtitle", "Cover Info")]
    assert all(p.text.strip() for p in body), "an empty paragraph was left behind"


@pytest.mark.parametrize("name", [n for n in TEMPLATES if level_lang(n)[0] == "individual"])
def test_an_individuals_team_part_follows_the_sign_off_in_the_body_section(name, tmp_path):
    """A person's team part is a paragraph or two: it follows the sign-off rather than stand alone on a page."""
    level, lang = level_lang(name)
    doc, _ = render(name, make_context(lang, level), tmp_path)
    assert len(doc.sections) == 1
    texts = [p.text for p in doc.paragraphs]
    heading = texts.index(TEAM_HEADINGS[lang][level])
    assert texts.index(FULL_HEADINGS[lang][-1]) < heading
    assert doc.paragraphs[heading].paragraph_format.keep_with_next or doc.paragraphs[heading].style.paragraph_format.keep_with_next
    # Kept with the sign-off too, so on a full page the conclusion goes over with it rather than leave it alone.
    assert doc.paragraphs[heading - 1].style.name == "Sign-off" and doc.paragraphs[heading - 1].paragraph_format.keep_with_next


@pytest.mark.parametrize("name", [n for n in TEMPLATES if level_lang(n)[0] != "individual"])
@pytest.mark.parametrize("absent", [(), SECTION_KEYS + ("extra_sections",)], ids=["full", "empty"])
def test_team_part_is_its_own_word_section(name, absent, tmp_path):
    level, lang = level_lang(name)
    context = make_context(lang, level, absent=absent)
    doc, _ = render(name, context, tmp_path)

    assert len(doc.sections) == 2
    main, team = doc.sections
    assert team.start_type == WD_SECTION.NEW_PAGE
    main_header = "".join(p.text for p in main.header.paragraphs)
    team_header = "".join(p.text for p in team.header.paragraphs)
    assert context["report"]["organization"] in main_header
    assert context["report"]["period_label"] in main_header
    assert not team.header.is_linked_to_previous
    assert team_header != main_header
    assert {"zh": "团队贡献", "en": "Team contribution"}[lang] in team_header
    # The cover page has no header; the body pages number themselves.
    assert main.different_first_page_header_footer
    assert "".join(p.text for p in main.first_page_header.paragraphs) == ""
    assert team.footer.is_linked_to_previous

    # The team part's heading comes after the section break, the conclusion before it.
    order = []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            order.append(Paragraph(element, doc).text)
            if element.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
                order.append("<section break>")
    assert order.index(FULL_HEADINGS[lang][-1]) < order.index("<section break>")
    assert order.index("<section break>") < order.index(TEAM_HEADINGS[lang][level])


@pytest.mark.parametrize("name", TEMPLATES)
def test_footer_has_page_number_fields(name):
    level, lang = level_lang(name)
    doc = full_report(name)
    footer = doc.sections[0].footer._element
    instructions = [node.text.strip() for node in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert {"zh": "第", "en": "Page"}[lang] in "".join(footer.itertext())


def east_asian_font(style) -> str | None:
    fonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize("name", TEMPLATES)
def test_styles_set_latin_and_east_asian_fonts(name):
    level, lang = level_lang(name)
    doc = full_report(name)
    styles = doc.styles
    assert east_asian_font(styles["Normal"]) == "SimSun"
    for name_ in ("Title", "Heading 1", "Heading 2", "Table Heading"):
        assert east_asian_font(styles[name_]) == "SimHei", name_
    assert styles["Normal"].font.name == {"zh": "Times New Roman", "en": "Calibri"}[lang]
    assert styles["Heading 1"].font.name == {"zh": "Arial", "en": "Cambria"}[lang]
    language = styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert language.get(qn("w:eastAsia")) == "zh-CN"
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    if lang == "zh":
        assert styles["Normal"].paragraph_format.line_spacing == 1.5
        assert styles["Normal"].font.size.pt == 12


# --------------------------------------------------------------------------
# 3. Values are printed literally.
# --------------------------------------------------------------------------

NASTY = "R&D <East> \"A\" 'B' {{ 7*7 }}"


@pytest.mark.parametrize("name", ["monthly-team.zh.docx", "monthly-individual.en.docx"])
def test_markup_and_tags_in_values_come_out_literally(name, tmp_path):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    context["report"]["title"] = NASTY
    context["report"]["organization"] = NASTY
    context["intro"] = NASTY
    context["targets"]["rows"][0]["indicator"] = NASTY
    context["extra_sections"][0]["rows"][0][1] = NASTY
    doc, _ = render(name, context, tmp_path)

    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [NASTY]
    assert NASTY in [p.text for p in doc.paragraphs]
    assert table_with_header(doc, CORE_HEADER[lang][0]).rows[1].cells[0].text == NASTY
    assert NASTY in doc.sections[0].header.paragraphs[0].text
    assert "49" not in all_text(doc)


# --------------------------------------------------------------------------
# LibreOffice opens a rendered report and lays it out with real Chinese text.
# --------------------------------------------------------------------------


needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler"
)
RENDERED_CHINESE = "monthly-team.zh.rendered.docx"


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory, sample_report) -> dict[str, str]:
    """The text of each report the LibreOffice tests read, by .docx name: all converted in one soffice run.

    LibreOffice's start is most of a conversion's cost, so the reports share one.
    """
    folder = tmp_path_factory.mktemp("libreoffice")
    _, rendered = render("monthly-team.zh.docx", make_context("zh", "team"), folder)
    documents = [rendered]
    for name, _ in PERIOD_PDF_SNIPPETS:
        documents.append(folder / name)
        documents[-1].write_bytes(render_sample(name, sample_report)[2])
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *map(str, documents)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {
        path.name: subprocess.run(["pdftotext", str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True, text=True).stdout
        for path in documents
    }


@needs_libreoffice
def test_libreoffice_converts_a_rendered_chinese_report(pdf_texts):
    text = pdf_texts[RENDERED_CHINESE]
    # pdftotext spaces CJK from Latin text; compare without white space.
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f")]
    assert "华东销售一组2026年10月销售工作总结" in pages[0]
    assert "第1页" not in pages[0]  # no footer on the cover
    assert "一、引言" in pages[1]  # heading numbers are Word numbering, laid out by LibreOffice
    assert "二、目标达成情况" in pages[1]
    assert "第2页/共" in pages[1]
    # The team part starts on a page of its own, under its own header.
    team_page = next(page for page in pages if "成员贡献一览" in page)
    assert "团队贡献" in team_page and "结语" not in team_page


# --------------------------------------------------------------------------
# 4. Every built-in renders the sample workbook of its period and level, and
#    says what is particular to that period and level.
# --------------------------------------------------------------------------

SAMPLE_DIR = ROOT / "sample_inputs"
SAMPLES = {
    ("daily", "individual"): "李明-2026年11月3日-个人日报.xlsx",
    ("daily", "team"): "east-team-1-2026-11-03-team-daily.xlsx",
    ("daily", "department"): "华东大区-2026年11月3日-部门日报.xlsx",
    ("weekly", "individual"): "alex-chen-2026-w45-individual-weekly.xlsx",
    ("weekly", "team"): "华东销售一组-2026年第45周-团队周报.xlsx",
    ("weekly", "department"): "华东大区-2026年第45周-部门周报.xlsx",
    ("monthly", "individual"): "alex-chen-2026-10-individual-monthly.xlsx",
    ("monthly", "team"): "华东销售一组-2026年10月-团队月报.xlsx",
    ("monthly", "department"): "华东大区-2026年10月-部门月报.xlsx",
    ("quarterly", "individual"): "alex-chen-2026-q3-individual-quarterly.xlsx",
    ("quarterly", "team"): "华东销售一组-2026年第三季度-团队季报.xlsx",
    ("quarterly", "department"): "华东大区-2026年第三季度-部门季报.xlsx",
    ("annual", "individual"): "李明-2026年-个人年报.xlsx",
    ("annual", "team"): "east-team-1-2026-team-annual.xlsx",
    ("annual", "department"): "华东大区-2026年-部门年报.xlsx",
}


def key_of(name: str) -> tuple[str, str, str]:
    period, level, lang = re.match(r"(\w+)-(\w+)\.(\w+)\.docx", name).groups()
    return period, level, lang


def render_sample(name: str, sample_report):
    """The sample of a built-in's period and level as docgen renders it; (document, context, bytes)."""
    import datetime as dt

    from docgen.report.context import build_context
    from docgen.input.workbook import load_workbook

    period, level, lang = key_of(name)
    path = SAMPLE_DIR / SAMPLES[period, level]
    report, template = sample_report(path, lang)
    assert template == name
    workbook = load_workbook(path)
    assert (workbook.info.period, workbook.info.level) == (period, level)
    today = workbook.info.end_date + dt.timedelta(days=1)
    context = build_context(workbook, period=period, level=level, lang=lang, today=today)
    return Document(io.BytesIO(report)), context, report


def paragraphs(doc, style: str | None = None) -> list[str]:
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def table_texts(doc) -> list[list[list[str]]]:
    return [table_rows(table) for table in doc.tables]


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_every_builtin_renders_a_sample_of_its_period_and_level(name, sample_report):
    period, level, lang = key_of(name)
    doc, context, _ = render_sample(name, sample_report)
    text = all_text(doc)
    assert "{{" not in text and "{%" not in text
    assert context["report"]["title"] in paragraphs(doc)
    assert context["intro"] in paragraphs(doc)
    assert headings(doc)[-1] == context["team"]["heading"]
    assert context["team"]["summary"] in paragraphs(doc)
    core = table_with_header(doc, CORE_HEADER[lang][0])
    assert [row[0] for row in table_rows(core)[1:]] == [row["indicator"] for row in context["targets"]["rows"]]
    charts = [p for p in doc.paragraphs if p.style.name == "Figure"]
    if period in ("quarterly", "annual"):
        # The chart is a picture in its own paragraph, captioned below.
        assert len(doc.inline_shapes) == 1 and len(charts) == 1
        assert charts[0]._p.xpath(".//pic:pic")
        caption = charts[0]._p.getnext()
        assert context["report"]["period_label"] in "".join(caption.itertext())
    else:
        assert len(doc.inline_shapes) == 0 and charts == []
    PERIOD_CHECKS[period](doc, context, level, lang)


def _daily(doc, context, level, lang):
    words = {"zh": ("客户跟进", "明日工作", "跟进下一步", "待办事项"),
             "en": ("Customer follow-ups", "Next steps", "Follow-up next steps", "To-do list")}[lang]  # fmt: skip
    assert [h for h in headings(doc) if h in words] == list(words)
    # Short: a title block on the first page, no cover page; the page header starts at once.
    assert paragraphs(doc)[0] == context["report"]["title"]
    assert doc.paragraphs[0].style.name == "Brief Title"
    assert not doc.sections[0].different_first_page_header_footer
    separator = {"zh": "：", "en": ": "}[lang]
    next_steps = [f"{r['customer']}{separator}{r['next_step']}" for r in context["followups"]["rows"] if r["next_step"]]
    bullets = paragraphs(doc, "List Bullet")
    assert next_steps and all(step in bullets for step in next_steps)
    followup = context["followups"]["rows"][0]
    tables = [t for t in table_texts(doc) if any(followup["customer"] in row for row in t)]
    if level == "department":
        assert tables == [] and context["followups"]["summary"] in paragraphs(doc)
    else:
        # What happened in the table; the next step is said once, under the day's plan.
        assert [followup["customer"], followup["way"], followup["content"], followup["result"]] in tables[0]
        assert all(followup["next_step"] not in row for row in tables[0])
    actions = table_with_header(doc, {"zh": "序号", "en": "No."}[lang])
    assert [row[1] for row in table_rows(actions)[1:]] == [r["action"] for r in context["actions"]["rows"]]


def _weekly(doc, context, level, lang):
    words = {"zh": ("阶段进展", "新增商机", "成交推进", "下周工作重点"),
             "en": ("Stage progress", "New prospects", "Deals moving", "Focus for next week")}[lang]  # fmt: skip
    assert [h for h in headings(doc) if h in words] == list(words)
    assert not doc.sections[0].different_first_page_header_footer
    pipeline = table_with_header(doc, {"zh": "渠道", "en": "Channel"}[lang])
    total = context["pipeline"]["total"]
    assert table_rows(pipeline)[-1][1:] == [total[k] for k in ("leads", "deals", "conversion", "amount")]
    assert context["pipeline"]["summary"] in paragraphs(doc)
    moving = context["followups"]["rows"][0]
    assert any(moving["result"] in row for t in table_texts(doc) for row in t) == (level != "department")
    assert context["followups"]["summary"] in paragraphs(doc)


def _quarterly(doc, context, level, lang):
    # The trend over the months in words, then the chart, then the figures.
    assert context["trend"]["summary"] in paragraphs(doc, "Body Text")
    assert table_with_header(doc, CORE_HEADER[lang][0]) is not None
    months = next(t for t in table_texts(doc) if t[0][1:] == context["trend"]["labels"])
    assert [row[0] for row in months[1:]] == [row["indicator"] for row in context["trend"]["rows"]]
    strategy = {"zh": "策略回顾", "en": "Strategy review"}[lang]
    assert strategy in headings(doc)
    practices = [row["practice"] for row in context["lessons"]["rows"]]
    assert any([row[0] for row in t[1:]] == practices for t in table_texts(doc))
    _next_targets(doc, context, {"zh": "下季度目标", "en": "Targets for next quarter"}[lang])
    if lang == "zh" and level == "team":
        assert "销售额连续两个月增长，增幅收窄至6.7%；7月至9月累计显著增长14.3%。" in paragraphs(doc)


def _annual(doc, context, level, lang):
    share = context["market_share"]
    heading = {"zh": "市场份额", "en": "Market share"}[lang]
    if level == "individual":
        assert not share["present"] and heading not in headings(doc)
    else:
        # The market share paragraph, right after the strategic goals.
        assert share["present"] and share["sentence"] in paragraphs(doc, "Body Text")
        assert headings(doc)[headings(doc).index(heading) - 1] == {"zh": "年度战略目标达成", "en": "Strategic goals against targets"}[lang]
    if level == "department" and lang == "zh":
        assert share["sentence"].startswith("本年度市场份额为12.5%，达到目标（12.0%），较上年同期显著增长1.3个百分点。")
    industry = {"zh": ("行业与竞争趋势", "行业趋势", "竞争态势"), "en": ("Industry and competitor trends", "Industry trends", "Competitors")}[lang]  # fmt: skip
    assert [h for h in headings(doc) if h in industry] == list(industry)
    bullets = paragraphs(doc, "List Bullet")
    assert all(row["sentence"] in bullets for row in context["market"]["competitors"] + context["market"]["industry"])
    assert context["market"]["competitors"] and context["market"]["industry"]
    assert context["trend"]["summary"] in paragraphs(doc, "Body Text")
    _next_targets(doc, context, {"zh": "下年度目标", "en": "Targets for next year"}[lang])


def _next_targets(doc, context, caption: str):
    assert caption in paragraphs(doc, "Caption")
    rows = next(t for t in table_texts(doc) if t[0][3] in ("下期目标", "Next target"))
    expected = [[r["indicator"], r["unit"], r["actual"], r["next_target"], r["next_change"]] for r in context["targets"]["next_rows"]]
    assert rows[1:] == expected and expected


def _monthly(doc, context, level, lang):
    assert doc.sections[0].different_first_page_header_footer  # a cover page
    assert context["targets"]["points"][0] in paragraphs(doc, "List Bullet")


PERIOD_CHECKS = {"daily": _daily, "weekly": _weekly, "monthly": _monthly, "quarterly": _quarterly, "annual": _annual}


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_charts_are_in_the_quarterly_and_annual_templates_only(name):
    from docgen.word.library import charts_used

    period, _, _ = key_of(name)
    assert charts_used(TEMPLATE_DIR / name) == ({"trend"} if period in ("quarterly", "annual") else set())


@pytest.mark.parametrize("name", ["monthly-team.zh.docx", "daily-individual.en.docx"])
def test_the_findings_appendix_closes_the_report_when_asked_for(name, tmp_path):
    level, lang = name.split("-")[1].split(".")[0], name.split(".")[1]
    context = make_context(lang, level)
    context["report"]["period"] = name.split("-")[0]
    context["findings"] = {
        "present": True,
        "summary": "共1项发现。",
        "rows": [{"code": "DG101", "severity": "warning", "severity_label": "警告", "place": "目标达成!A5",
                  "message": "核心指标“复购率”未列入目标达成表。"}],
    }  # fmt: skip
    doc, _ = render(name, context, tmp_path)
    assert headings(doc)[-1] == {"zh": "附录：检查发现", "en": "Appendix: check findings"}[lang]
    assert table_rows(doc.tables[-1])[1] == ["DG101", "警告", "目标达成!A5", "核心指标“复购率”未列入目标达成表。"]
    # Absent by default: no heading, no table.
    doc, _ = render(name, make_context(lang, level), tmp_path)
    assert "附录：检查发现" not in headings(doc) and "Appendix: check findings" not in headings(doc)


def test_the_review_of_last_periods_actions_shows_overdue_ones(tmp_path):
    context = make_context("zh", "team")
    doc, _ = render("quarterly-team.zh.docx", context, tmp_path)
    assert "上季度行动回顾" in headings(doc)
    review = next(t for t in doc.tables if table_rows(t)[0][-1] == "当前状态")
    assert table_rows(review)[1] == ["A0", "完成华信报价", "李强", "2026年10月20日", "进行中（已逾期）"]


PERIOD_PDF_SNIPPETS = [
    ("daily-individual.zh.docx", ["跟进下一步", "上海瑞丰集团：11月5日前寄出盖章合同"]),
    ("weekly-team.zh.docx", ["阶段进展", "新增商机", "下周工作重点"]),
    ("quarterly-team.zh.docx", ["三、季度走势", "销售额连续两个月增长，增幅收窄至6.7%", "图：2026年第三季度核心指标逐月走势"]),
    ("annual-department.en.docx", ["Market share", "stood at 12.5%", "Industry and competitor trends"]),
]


@needs_libreoffice
@pytest.mark.parametrize("name, expected", PERIOD_PDF_SNIPPETS)
def test_libreoffice_converts_a_sample_report_of_each_period(name, expected, pdf_texts):
    text = pdf_texts[name]
    flat = re.sub(r"\s+", "", text)
    for snippet in expected:
        assert re.sub(r"\s+", "", snippet) in flat, snippet
    assert text.count("\f") >= 2  # body and team part at least


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_tables_rows_are_kept_with_its_total(name):
    """A total alone on a page under a repeated header says nothing: the rows above it keep with it."""
    doc = full_report(name)
    table = next(t for t in doc.tables if t.rows[-1].cells[0].text in ("合计", "Total"))
    for row in table.rows[1:-1]:
        assert all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs), row.cells[0].text
    assert not any(p.paragraph_format.keep_with_next for cell in table.rows[-1].cells for p in cell.paragraphs)


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_roll_up_without_an_author_has_no_empty_author_line_on_its_cover(name, tmp_path):
    level, lang = level_lang(name)
    context = make_context(lang, level)
    context["report"]["author"] = ""
    doc, _ = render(name, context, tmp_path)
    cover = [p.text for p in doc.paragraphs if p.style.name == "Cover Info"]
    assert cover and all(line.split("\t", 1)[1].strip() for line in cover), cover
    assert not any(line.startswith(("报告人", "Author")) for line in cover)
