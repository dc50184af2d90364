"""The template context: the one dict, documented in docs/template-variables.md, that every template sees."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from docgen.report import analysis

from docgen.report import due

from docgen.report import review
from docgen.report import formatting as fmt
from docgen.report.analysis import RECONCILE_TOLERANCE, TargetFigures
from docgen.report.trend import analyse_trend, combine_trend
from docgen.report.checks import appendix_summary, severity_label
from docgen.input.model import GenericSection, SalesWorkbook, Target
from docgen.report.narrative import DEFAULT_THRESHOLDS, Narrator, TrendThresholds
from docgen.input.schema import name_key

# The known sections in the order a report tells them; info is report metadata, not a section.
SECTIONS = (
    "targets", "trend", "pipeline", "accounts", "churn", "followups",
    "market", "problems", "lessons", "actions", "team", "reconcile",
)  # fmt: skip

DEFAULT_CURRENCY = "元"


def build_context(
    workbook: SalesWorkbook,
    *,
    period: str,
    level: str,
    lang: str,
    today: dt.date,
    thresholds: TrendThresholds = DEFAULT_THRESHOLDS,
    tolerance: float = RECONCILE_TOLERANCE,
    previous: SalesWorkbook | None = None,
    findings: Sequence | None = None,
) -> dict:
    """Everything a template may print, as display strings, lists, dicts and bools.

    `previous` is last period's workbook, for the review of its actions; `findings`
    are docgen check's findings (docgen.report.checks.Finding) for the appendix, None for none.
    """
    info = workbook.info
    targets = analysis.analyse_targets(workbook.targets)
    currency = report_currency(workbook)
    start, end = fmt.report_dates(period, info.start_date, info.end_date, today)
    period_label = fmt.period_label(period, start, lang)
    who = report_who(workbook, level, lang)
    # Who and which period pick the phrasings: a run of reports does not read the same, a rerun does.
    narrator = Narrator(
        lang=lang, period=period, level=level, currency_unit=currency, thresholds=thresholds, seed=f"{who}|{period_label}"
    )
    headline = analysis.headline_target(targets, fmt.is_money_unit)
    present = {key: workbook.has(key) or bool(getattr(workbook, key)) for key in SECTIONS}
    units = _units_by_indicator(workbook.targets)
    due_day = due.due_date(period, end)  # SPEC rule 10, shown on the cover

    introduction = fmt.text(info.introduction)  # the workbook's own, used as given
    if not introduction:
        introduction = narrator.introduction(
            who=who,
            period_label=period_label,
            figures=targets,
            headline=headline,
            sections=[key for key in SECTIONS if present[key]],
        )

    context = {
        "report": {
            "title": fmt.text(info.title) or narrator.title(who, period_label),
            "organization": fmt.text(info.organization),
            "region": fmt.text(info.region),
            "team": fmt.text(info.team),
            "author": fmt.text(info.author),
            "level": level,
            "level_label": narrator.say(f"level.label.{level}"),
            "period": period,
            "period_name": narrator.say(f"period.name.{period}"),
            "period_label": period_label,
            "start_date": fmt.date(start, lang),
            "end_date": fmt.date(end, lang),
            "generated_on": fmt.date(today, lang),
            "due_date": fmt.date(due_day, lang),
            "due_label": narrator.say("due.label", date=fmt.date(due_day, lang), rule=narrator.say(f"due.rule.{period}")),
            "currency_unit": fmt.currency_label(currency, lang),
            "lang": lang,
        },
        "intro": introduction,
        "conclusion": narrator.conclusion(
            figures=targets, headline=headline, problems=workbook.problems, actions=workbook.actions
        ),
        "targets": _targets(targets, headline, narrator, present["targets"], _market_share_figure(targets) if period == "annual" else None),
        "trend": _trend(workbook, units, headline, narrator, present["trend"]),
        "pipeline": _pipeline(workbook, narrator, present["pipeline"]),
        "accounts": _accounts(workbook, narrator, present["accounts"]),
        "churn": _churn(workbook, narrator, present["churn"]),
        "followups": _followups(workbook, narrator, present["followups"]),
        "market": _market(workbook, narrator, present["market"]),
        "market_share": _market_share(targets, narrator),
        "problems": _problems(workbook, narrator, present["problems"]),
        "lessons": _lessons(workbook, narrator, present["lessons"]),
        "actions": _actions(workbook, narrator, present["actions"]),
        "team": _team(workbook, narrator, present["team"]),
        "reconcile": _reconcile(workbook, units, narrator, tolerance, present["reconcile"]),
        "extra_sections": [_extra_section(section) for section in workbook.generic],
        # Pictures: report.build_document puts a chart here when the template shows it.
        "charts": {"trend": ""},
        "review": _review(workbook, previous, narrator, end),
        "findings": _findings(findings, lang),
    }
    return context


def report_currency(workbook: SalesWorkbook) -> str:
    """The info sheet's currency unit, else the first money unit among the targets, else 元."""
    given = fmt.text(workbook.info.currency_unit)
    if given:
        return given
    for target in workbook.targets:
        if fmt.is_money_unit(target.unit):
            return fmt.text(target.unit)
    return DEFAULT_CURRENCY


def report_who(workbook: SalesWorkbook, level: str, lang: str) -> str:
    """Whose report it is, for the title: the author of an individual report, else region and team."""
    info = workbook.info
    if level == "individual":
        return fmt.text(info.author)
    region, team = fmt.text(info.region), fmt.text(info.team)
    if region and team and not _names_overlap(region, team):
        return region + ("" if fmt.is_zh(lang) else " ") + team
    return team or region or fmt.text(info.organization)


# What a region's name may end with besides the place: 华南大区 is 华南, East Region is East.
_REGION_SUFFIX = re.compile(r"\s*(?:大区|片区|地区|区域|区|region|area|district)$", re.IGNORECASE)


def _names_overlap(region: str, team: str) -> bool:
    """Whether the team's name already says the region: 华南销售二组 says 华南大区, East Team 1 says East."""
    place = _REGION_SUFFIX.sub("", region).strip() or region
    return name_key(place) in name_key(team) or name_key(team) in name_key(region)


def _section(present: bool, summary: str = "", points: Sequence[str] = (), rows: Sequence[dict] = ()) -> dict:
    if not present:
        return {"present": False, "summary": "", "points": [], "rows": []}
    return {"present": True, "summary": summary, "points": list(points), "rows": list(rows)}


def _same_name(a: object, b: object) -> bool:
    return name_key(a) == name_key(b)


def _units_by_indicator(targets: Sequence[Target]) -> Callable[[str], Target | None]:
    """The target row an indicator of another sheet (trend, reconciliation) refers to, for its unit."""
    by_name = {}
    for target in targets:
        by_name.setdefault(name_key(target.indicator), target)
    return lambda indicator: by_name.get(name_key(indicator))


# -- sections ----------------------------------------------------------------


def _targets(
    figures: Sequence[TargetFigures],
    headline: TargetFigures | None,
    narrator: Narrator,
    present: bool,
    told_apart: TargetFigures | None = None,
) -> dict:
    """The core-indicator section; `told_apart` is a row a paragraph of its own tells (an annual market share)."""
    lang = narrator.lang
    # A year's previous period is the year before: its one change is 同比, and the 环比 cell says 不适用
    # rather than print the same figure twice (docs/narrative.md, "Periods and comparisons").
    annual = narrator.period == "annual"
    rows = []
    for f in figures:
        t = f.target
        rows.append(
            {
                "indicator": fmt.text(t.indicator),
                "unit": fmt.currency_label(t.unit, lang),
                "target": fmt.figure(t.target, t.unit, lang),
                "actual": fmt.figure(t.actual, t.unit, lang),
                "achievement": fmt.percent(f.achievement, lang),
                "gap": fmt.difference(f.gap, t.unit, lang) if f.gap is not None else fmt.not_applicable(lang),
                "previous": fmt.figure(t.previous, t.unit, lang),
                "mom": fmt.not_applicable(lang) if annual else fmt.change(f.mom, lang),
                "last_year": fmt.figure(t.last_year, t.unit, lang),
                "yoy": fmt.change(dict(narrator.comparisons(f))["yoy"], lang),
                "note": fmt.text(t.note),
                "status": f.status,
                "status_label": narrator.label(f.status),
                "next_target": fmt.figure(t.next_target, t.unit, lang) if t.next_target is not None else "",
                "next_change": _next_change(t, lang),
            }
        )
    # The headline's full sentence leads the summary; below the table the others say what it leaves out.
    points = [narrator.target_point(f) for f in figures if f is not headline and f is not told_apart]
    section = _section(present, narrator.targets_summary(figures, headline), points, rows)
    section["next_rows"] = [row for row in section["rows"] if row["next_target"]]
    section["compares_previous"] = not annual  # False: a template leaves out the 环比 column
    return section


def _next_change(target: Target, lang: str) -> str:
    """How far the next period's target is from this period's actual: "+19.8%", "+2.0个百分点"."""
    if target.next_target is None:
        return ""
    return fmt.change(analysis.change(target.next_target, target.actual, is_rate=target.is_rate), lang)


# An indicator of the targets sheet with one of these in its name is the market share (annual reports).
MARKET_SHARE_NAMES = ("市场份额", "市场占有率", "市占率", "market share")


def _market_share_figure(figures: Sequence[TargetFigures]) -> TargetFigures | None:
    return next((f for f in figures if any(n in name_key(f.target.indicator) for n in MARKET_SHARE_NAMES)), None)


def _market_share(figures: Sequence[TargetFigures], narrator: Narrator) -> dict:
    """The market share paragraph: the targets row named like 市场份额 / market share, in words."""
    lang = narrator.lang
    figure = _market_share_figure(figures)
    if figure is None:
        return {"present": False, "indicator": "", "actual": "", "target": "", "last_year": "", "yoy": "",
                "status_label": "", "sentence": ""}  # fmt: skip
    t = figure.target
    return {
        "present": True,
        "indicator": fmt.text(t.indicator),
        "actual": fmt.figure(t.actual, t.unit, lang),
        "target": fmt.figure(t.target, t.unit, lang),
        "last_year": fmt.figure(t.last_year, t.unit, lang),
        "yoy": fmt.change(figure.yoy, lang),
        "status_label": narrator.label(figure.status),
        "sentence": narrator.market_share_sentence(figure),
    }


def _trend(workbook: SalesWorkbook, units, headline: TargetFigures | None, narrator: Narrator, present: bool) -> dict:
    lang = narrator.lang
    rates = [t.indicator for t in workbook.targets if t.is_rate]
    series = combine_trend(workbook.trend, rates)
    rows, figures = [], []
    for s in series:
        target = units(s.indicator)
        unit = target.unit if target else None
        trend = analyse_trend(s, is_rate=bool(target and target.is_rate))
        figures.append(trend)
        rows.append(
            {
                "indicator": fmt.text(s.indicator),
                "figures": [fmt.figure(v, unit, lang) for v in s.values],
                "sentence": narrator.trend_sentence(trend),
            }
        )
    # The summary follows the series of the headline indicator (sales) when there is one.
    lead = next((f for f in figures if headline and _same_name(f.series.indicator, headline.target.indicator)), None)
    lead = lead or (figures[0] if figures else None)
    lead_target = units(lead.series.indicator) if lead else None
    summary = narrator.trend_summary(lead, lead_target.unit if lead_target else None)
    # The lead series is told in the summary; the points are the others'.
    points = [narrator.trend_point(f) for f in figures if f is not lead]
    section = _section(present, summary, points, rows)
    section["labels"] = [fmt.text(label) for label in series[0].labels] if present and series else []
    return section


def _pipeline(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    lang, currency = narrator.lang, narrator.currency_unit
    figures = analysis.analyse_pipeline(workbook.pipeline)
    rows = [
        {
            "channel": fmt.text(f.channel.channel),
            "leads": fmt.number(f.channel.leads, lang),
            "deals": fmt.number(f.channel.deals, lang),
            "amount": fmt.money_figure(f.channel.amount, currency, lang),
            "conversion": fmt.percent(f.conversion, lang),
            "note": fmt.text(f.channel.note),
        }
        for f in figures.channels
    ]
    section = _section(present, narrator.pipeline_summary(figures), narrator.pipeline_points(figures), rows)
    section["total"] = {
        "leads": fmt.number(figures.leads, lang) if present else "",
        "deals": fmt.number(figures.deals, lang) if present else "",
        "amount": fmt.money_figure(figures.amount, currency, lang) if present else "",
        "conversion": fmt.percent(figures.conversion, lang) if present else "",
    }
    return section


def _accounts(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    lang = narrator.lang
    figures = analysis.analyse_accounts(workbook.accounts)
    rows = [
        {
            "tier": fmt.text(f.tier.tier),
            "customers": fmt.number(f.tier.customers, lang),
            "share": fmt.percent(f.share, lang),
            "satisfaction": fmt.percent(f.tier.satisfaction, lang),
            "upkeep": fmt.text(f.tier.upkeep),
        }
        for f in figures.tiers
    ]
    return _section(present, narrator.accounts_summary(figures), narrator.accounts_points(figures), rows)


def _churn(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    lang = narrator.lang
    figures = analysis.analyse_churn(workbook.churn)
    recovered = {True: narrator.label("yes"), False: narrator.label("no"), None: ""}
    rows = [
        {
            "customer": fmt.text(r.customer),
            "reason": fmt.text(r.reason),
            "amount": fmt.money_figure(r.amount, narrator.currency_unit, lang),
            "recovered": recovered[r.recovered],
            "measure": fmt.text(r.measure),
        }
        for r in workbook.churn
    ]
    points = [narrator.lost_customer_sentence(r) for r in workbook.churn]
    return _section(present, narrator.churn_summary(figures), points, rows)


def _followups(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    rows = [
        {
            "customer": fmt.text(f.customer),
            "date": fmt.date(f.date, narrator.lang) if f.date else "",
            "way": fmt.text(f.way),
            "content": fmt.text(f.content),
            "result": fmt.text(f.result),
            "next_step": fmt.text(f.next_step),
        }
        for f in workbook.followups
    ]
    points = [narrator.followup_sentence(f) for f in workbook.followups]
    return _section(present, narrator.followups_summary(workbook.followups), points, rows)


def _market(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    rows = []
    for e in workbook.market:
        sentence = narrator.market_sentence(e)
        rows.append(
            {
                "event": fmt.text(e.event),
                "impact": fmt.text(e.impact),
                "source": fmt.text(e.source),
                "response": fmt.text(e.response),
                "sentence": sentence,
            }
        )
    section = _section(present, narrator.market_summary(workbook.market), [r["sentence"] for r in rows], rows)
    competitor = [_mentions_competitor(row) for row in section["rows"]]
    section["competitors"] = [row for row, yes in zip(section["rows"], competitor) if yes]
    section["industry"] = [row for row, yes in zip(section["rows"], competitor) if not yes]
    return section


# A market event whose event or impact names one of these is about competitors; the rest are the industry's.
COMPETITOR_WORDS = ("竞品", "竞争", "对手", "友商", "competitor", "rival", "competition")


def _mentions_competitor(row: dict) -> bool:
    text = f"{row['event']} {row['impact']}".casefold()
    return any(word in text for word in COMPETITOR_WORDS)


def _problems(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    groups = analysis.group_problems(workbook.problems)
    rows = []
    for p in workbook.problems:
        kind = analysis.problem_kind(p) or ""
        rows.append(
            {
                "symptom": fmt.text(p.symptom),
                "cause": fmt.text(p.cause),
                "impact": fmt.text(p.impact),
                "kind": kind,
                "kind_label": narrator.label(kind) if kind else "",
                "solution": fmt.text(p.solution),
                "sentence": narrator.problem_sentence(p),
            }
        )
    points = [narrator.problem_point(p) for p in workbook.problems]
    section = _section(present, narrator.problems_summary(workbook.problems, groups), points, rows)
    section["internal"] = [r for r in section["rows"] if r["kind"] == analysis.INTERNAL]
    section["external"] = [r for r in section["rows"] if r["kind"] == analysis.EXTERNAL]
    return section


def _lessons(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    rows = [
        {
            "practice": fmt.text(lesson.practice),
            "applies_to": fmt.text(lesson.applies_to),
            "steps": fmt.text(lesson.steps),
            "result": fmt.text(lesson.result),
            "sentence": narrator.lesson_sentence(lesson),
        }
        for lesson in workbook.lessons
    ]
    return _section(present, narrator.lessons_summary(workbook.lessons), [r["sentence"] for r in rows], rows)


def _actions(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    rows = [
        {
            "id": fmt.text(a.id),
            "action": fmt.text(a.action),
            "owner": fmt.text(a.owner),
            "deadline": fmt.date(a.deadline, narrator.lang) if a.deadline else "",
            "acceptance": fmt.text(a.acceptance),
            "status": fmt.text(a.status),
        }
        for a in workbook.actions
    ]
    points = [narrator.action_point(a) for a in workbook.actions]
    return _section(present, narrator.actions_summary(workbook.actions), points, rows)


def _team(workbook: SalesWorkbook, narrator: Narrator, present: bool) -> dict:
    lang = narrator.lang
    figures = analysis.analyse_team(workbook.team)
    if narrator.level == "individual":
        summary = narrator.individual_team_summary(analysis.member_for(figures, workbook.info.author), figures)
    else:
        summary = narrator.team_summary(figures)
    rows = [
        {
            "member": fmt.text(m.member.member),
            "contribution": fmt.text(m.member.contribution),
            "value": fmt.money_figure(m.member.value, narrator.currency_unit, lang),
            "share": fmt.percent(m.share, lang),
            "rank": str(m.rank) if m.rank is not None else "",
        }
        for m in figures.members
    ]
    points = [narrator.member_point(m, ranked=len(figures.ranked) > 1) for m in figures.members]
    section = _section(present, summary, points, rows)
    if not present:
        # The part always stands (SPEC rule 7), so it says why it is empty instead of showing a bare heading.
        section["summary"] = narrator.say("team.missing")
    section["heading"] = narrator.say(f"team.heading.{narrator.level}")
    return section


def _reconcile(workbook: SalesWorkbook, units, narrator: Narrator, tolerance: float, present: bool) -> dict:
    lang = narrator.lang
    figures = [analysis.reconcile(row, tolerance) for row in workbook.reconcile]
    row_units = []
    for row in workbook.reconcile:
        target = units(row.indicator)
        row_units.append(target.unit if target else None)
    rows = []
    for f, unit in zip(figures, row_units):
        if f.within is None:
            within_label = narrator.label("na")
        else:
            within_label = narrator.label("agrees" if f.within else "differs")
        rows.append(
            {
                "indicator": fmt.text(f.row.indicator),
                "figures": [fmt.figure(v, unit, lang) for v in f.row.values],
                "gap": fmt.percent(f.gap, lang),
                "within": bool(f.within),
                "within_label": within_label,
            }
        )
    points = [narrator.end(narrator.reconcile_sentence(f, unit)) for f, unit in zip(figures, row_units)]
    section = _section(present, narrator.reconcile_summary(figures, row_units), points, rows)
    sources = workbook.reconcile[0].sources if workbook.reconcile else ()
    section["sources"] = [fmt.text(s) for s in sources] if present else []
    return section


def _review(workbook: SalesWorkbook, previous: SalesWorkbook | None, narrator: Narrator, end: dt.date) -> dict:
    """Last period's actions with their status now (the closed loop); absent without a previous workbook."""
    if previous is None or not previous.actions:
        return _section(False)
    reviewed = review.review_actions(previous.actions, workbook.actions, end)
    say, lang = narrator.say, narrator.lang
    rows = [
        {
            "id": fmt.text(item.previous.id),
            "action": fmt.text(item.previous.action),
            "owner": fmt.text(item.previous.owner),
            "deadline": fmt.date(item.deadline, lang) if item.deadline else "",
            "status": review.status_label(item, say),
            "status_key": item.status,
            "overdue": item.overdue,
            "overdue_label": say("review.overdue") if item.overdue else "",
        }
        for item in reviewed
    ]
    points = [review.review_point(item, say, lang) for item in reviewed]
    return _section(True, review.review_summary(reviewed, say, lang), points, rows)


def _findings(findings: Sequence | None, lang: str) -> dict:
    """docgen check's findings for an appendix; absent unless the run asked for one."""
    if findings is None:
        return {"present": False, "summary": "", "rows": []}
    rows = [
        {
            "code": f.code,
            "severity": f.severity,
            "severity_label": severity_label(f.severity, lang),
            "place": f.place,
            "message": f.message,
        }
        for f in findings
    ]
    return {"present": True, "summary": appendix_summary(findings, lang), "rows": rows}


def _extra_section(section: GenericSection) -> dict:
    as_table = len(section.columns) != 1
    figure_columns = [_is_figure_column(section, index) for index in range(len(section.columns))]
    return {
        "title": fmt.text(section.title),
        "columns": [fmt.text(c) for c in section.columns],
        "rows": [
            [_extra_cell(cell, index < len(figure_columns) and figure_columns[index]) for index, cell in enumerate(row)]
            for row in section.rows
        ],
        "figure_columns": figure_columns,
        "as_table": as_table,
        "paragraphs": [] if as_table else [fmt.text(row[0]) for row in section.rows if row and fmt.text(row[0])],
    }


# A number as a sheet holds it: 260, -1280.5, 1,280 (no unit, no percent sign).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
# Columns of numbers that are names, not amounts: no thousands separator in a code or a year.
_NOT_AMOUNT = re.compile(r"编号|代码|号码|电话|年份|日期|\bid\b|code|\bno\b|number|phone|year|date", re.IGNORECASE)


def _is_figure_column(section: GenericSection, index: int) -> bool:
    """A column whose filled cells are all plain numbers: shown right-aligned with thousands separators."""
    if _NOT_AMOUNT.search(fmt.text(section.columns[index])):
        return False
    cells = [fmt.text(row[index]) for row in section.rows if index < len(row) and fmt.text(row[index])]
    return bool(cells) and all(_PLAIN_NUMBER.fullmatch(cell) for cell in cells)


def _extra_cell(cell: object, figure: bool) -> str:
    """A generic table's cell: a figure column's numbers with thousands separators and the decimals as written."""
    shown = fmt.text(cell)
    match = _PLAIN_NUMBER.fullmatch(shown) if figure else None
    if match is None:
        return shown
    return fmt.number(float(shown.replace(",", "")), decimals=len(match.group(1) or ""))