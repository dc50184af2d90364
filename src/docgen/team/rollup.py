"""The roll-up: one team (or department) workbook over everyone, from a whole workbook or from members' workbooks."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen.errors import UsageError
from docgen.input import schema
from docgen.input.model import GenericSection, Reconciliation, ReportInfo, SalesWorkbook, Target, TeamContribution, TrendSeries
from docgen.input.schema import name_key
from docgen.report import analysis
from docgen.report import formatting as fmt
from docgen.team.split import split_workbook
from docgen.text.messages import say


def sales_actual(workbook: SalesWorkbook) -> float | None:
    """The figure a member's contribution is measured by: the actual of the headline money indicator."""
    headline = analysis.headline_target(analysis.analyse_targets(workbook.targets), fmt.is_money_unit)
    if headline is None or headline.is_rate:
        return None
    return analysis.finite(headline.target.actual)


def rollup_level(levels: Iterable[str | None]) -> str:
    """The level of a report over reports of these levels: team over people, department over teams."""
    counted = Counter(level for level in levels if level)
    most = counted.most_common(1)[0][0] if counted else "individual"
    return "department" if most in ("team", "department") else "team"


def rollup_workbook(workbook: SalesWorkbook) -> SalesWorkbook:
    """The team (or department) report of a workbook that holds everyone.

    Its team contribution part is the team sheet; without one, a row per
    salesperson with their sales actual. Rates given per salesperson only are
    averaged (see combine_workbooks).
    """
    level = workbook.info.level if workbook.info.level in ("team", "department") else "team"
    targets, trend = _averaged_rates(workbook.targets, workbook.trend)
    changes: dict[str, Any] = {"info": replace(workbook.info, level=level), "targets": targets, "trend": trend}
    if not workbook.team:
        changes["team"] = tuple(
            TeamContribution(member=person, value=sales_actual(model)) for person, model in split_workbook(workbook)
        )
        if changes["team"] and "team" not in workbook.present:
            changes["present"] = (*workbook.present, "team")
    return replace(workbook, **changes)


def member_name(workbook: SalesWorkbook) -> str:
    """Whom a workbook speaks for in a roll-up: its author (a person) or its team (a team's workbook)."""
    info = workbook.info
    if info.level in ("team", "department"):
        name = info.team or info.author
    else:
        name = info.author or info.team
    return (name or Path(workbook.source).stem).strip()


def combine_workbooks(members: Sequence[tuple[str, SalesWorkbook]], level: str = "team") -> SalesWorkbook:
    """One workbook adding up the workbooks of several members (people, or teams for a department).

    Rows are tagged with their member, so the figures are added per indicator,
    channel and tier when the report is worked out (analysis.combine_targets);
    rates, which cannot be added, are the members' average. The team part gets
    a row per member: their own row from their team sheet, else their sales actual.
    """
    if not members:
        raise UsageError(say("rollup.nothing"), hint=say("rollup.nothing.hint"))
    models = [model for _, model in members]
    sections: dict[str, tuple] = {}
    for key in schema.PERSON_SECTIONS:
        rows = [
            row if row.person else replace(row, person=name) for name, model in members for row in getattr(model, key)
        ]
        if key == "market":  # the same event reported by several people is one event
            rows = list({name_key(row.event): row for row in reversed(rows)}.values())[::-1]
        sections[key] = tuple(rows)
    sections["targets"], sections["trend"] = _averaged_rates(sections["targets"], sections["trend"])
    team = tuple(_member_row(name, model) for name, model in members)
    present = list(dict.fromkeys(key for model in models for key in model.present))
    if "team" not in present:
        present.append("team")
    return SalesWorkbook(
        source=models[0].source,
        info=_common_info(models, level),
        team=team,
        reconcile=_added_reconciliation(models),
        generic=_joined_generic(models),
        present=tuple(present),
        **sections,
    )


def _mean(values: Iterable[object]) -> float | None:
    numbers = [n for n in (analysis.finite(v) for v in values) if n is not None]
    return math.fsum(numbers) / len(numbers) if numbers else None


def _averaged_rates(targets: tuple[Target, ...], trend: tuple[TrendSeries, ...]):
    """Rate indicators (复购率, 流失率) as one team row each: the members' average.

    Rates cannot be added, and the workbooks give no weights; the plain average
    keeps the indicator in the team's panorama instead of leaving it blank.
    """
    rates = {name_key(t.indicator) for t in targets if t.is_rate}
    averaged: dict[str, Target] = {}
    for target in targets:
        key = name_key(target.indicator)
        if key in rates and key not in averaged:
            group = [t for t in targets if name_key(t.indicator) == key]
            own = [t for t in group if not t.person]  # the team's own figure, where the sheet gives one
            figures = {name: _mean(getattr(t, name) for t in group) for name in ("target", "actual", "previous", "last_year")}
            averaged[key] = own[0] if own else replace(target, **figures, note=None, person=None)
    targets = tuple(
        averaged.pop(name_key(t.indicator)) if name_key(t.indicator) in averaged else t
        for t in targets
        if name_key(t.indicator) not in rates or name_key(t.indicator) in averaged
    )
    series: dict[str, TrendSeries] = {}
    for row in trend:
        key = name_key(row.indicator)
        if key in rates and key not in series:
            group = [r for r in trend if name_key(r.indicator) == key]
            if any(not r.person for r in group):
                series[key] = next(r for r in group if not r.person)
                continue
            labels = tuple(dict.fromkeys(label for r in group for label in r.labels))
            values = tuple(
                _mean(v for r in group for lab, v in zip(r.labels, r.values) if lab == label) for label in labels
            )
            series[key] = replace(row, labels=labels, values=values, person=None)
    trend = tuple(
        series.pop(name_key(r.indicator)) if name_key(r.indicator) in series else r
        for r in trend
        if name_key(r.indicator) not in rates or name_key(r.indicator) in series
    )
    return targets, trend


def _member_row(name: str, workbook: SalesWorkbook) -> TeamContribution:
    own = analysis.member_for(analysis.analyse_team(workbook.team), name)
    value = own.member.value if own is not None and own.member.value is not None else sales_actual(workbook)
    contribution = own.member.contribution if own is not None else None
    # The share is worked out again over the whole team.
    return TeamContribution(member=name, contribution=contribution, value=value, share=None)


def _most_common(values: Iterable[Any]) -> Any:
    counted = Counter(value for value in values if value is not None)
    return counted.most_common(1)[0][0] if counted else None


def _common_info(models: Sequence[SalesWorkbook], level: str) -> ReportInfo:
    infos = [model.info for model in models]

    def common(name: str) -> Any:
        return _most_common(getattr(info, name) for info in infos)

    shared_extra = dict(infos[0].extra)
    for info in infos[1:]:
        shared_extra = {key: value for key, value in shared_extra.items() if info.extra.get(key) == value}
    return ReportInfo(
        organization=common("organization"),
        region=common("region"),
        # A department's members are teams: their team names do not name the department.
        team=common("team") if level == "team" else None,
        level=level,
        period=common("period"),
        start_date=common("start_date"),
        end_date=common("end_date"),
        currency_unit=common("currency_unit"),
        language=common("language"),
        extra=shared_extra,
    )


def _added_reconciliation(models: Sequence[SalesWorkbook]) -> tuple[Reconciliation, ...]:
    """Each indicator's figure per source system, added over the members."""
    rows: dict[str, tuple[str, dict[str, list]]] = {}
    for model in models:
        for row in model.reconcile:
            _, by_source = rows.setdefault(name_key(row.indicator), (row.indicator, {}))
            for source, value in zip(row.sources, row.values):
                by_source.setdefault(source, []).append(value)
    return tuple(
        Reconciliation(indicator, tuple(by_source), tuple(analysis.total(values) for values in by_source.values()))
        for indicator, by_source in rows.values()
    )


def _joined_generic(models: Sequence[SalesWorkbook]) -> tuple[GenericSection, ...]:
    """Sheets docgen does not know, one per title: rows appended when their columns agree."""
    joined: dict[tuple[str, tuple[str, ...]], GenericSection] = {}
    for model in models:
        for section in model.generic:
            key = (section.title, section.columns)
            if key in joined:
                joined[key] = replace(joined[key], rows=joined[key].rows + section.rows)
            else:
                joined[key] = section
    return tuple(joined.values())
