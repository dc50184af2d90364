"""The figures of a sales summary, worked out from the typed workbook: pure functions, numbers only, no words.

A figure that cannot be worked out is None; rates and their differences are fractions (0.031 is 3.1 points)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from docgen.input.schema import name_key
from docgen.input.model import (
    AccountTier,
    Channel,
    LostCustomer,
    Problem,
    Reconciliation,
    Target,
    TeamContribution,
)

UP, DOWN, FLAT = "up", "down", "flat"
MET, MISSED, NOT_APPLICABLE = "met", "missed", "na"
INTERNAL, EXTERNAL = "internal", "external"

RECONCILE_TOLERANCE = 0.005

# Indicators where less is better: their achievement rate is target / actual and
# they are met when the actual stays at or under the target.
LOWER_IS_BETTER_WORDS = (
    "流失", "投诉", "成本", "费用", "逾期", "退货", "退款", "坏账", "损耗", "周期", "天数",
    "churn", "attrition", "complaint", "cost", "expense", "overdue", "return", "refund",
    "bad debt", "cycle", "days",
)  # fmt: skip


# -- safe arithmetic ---------------------------------------------------------


def finite(value: object) -> float | None:
    """The value as a float, or None when it is missing, not a number, NaN or infinite."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def ratio(part: object, whole: object) -> float | None:
    """part / whole for counts and amounts: None unless part >= 0 and whole > 0."""
    part_, whole_ = finite(part), finite(whole)
    if part_ is None or whole_ is None or part_ < 0 or whole_ <= 0:
        return None
    result = part_ / whole_
    return result if math.isfinite(result) else None


def relative_change(current: object, base: object) -> float | None:
    """(current - base) / base: None unless current >= 0 and base > 0."""
    share = ratio(current, base)
    return None if share is None else share - 1.0


def difference(a: object, b: object) -> float | None:
    """a - b, or None when either is not a finite number."""
    a_, b_ = finite(a), finite(b)
    if a_ is None or b_ is None:
        return None
    result = a_ - b_
    return result if math.isfinite(result) else None


def total(values: Iterable[object]) -> float | None:
    """The sum of the finite values, or None when there is none or it is too large to hold."""
    numbers = [n for n in (finite(v) for v in values) if n is not None]
    if not numbers:
        return None
    try:
        result = math.fsum(numbers)
    except OverflowError:
        return None
    return result if math.isfinite(result) else None


def direction(delta: float | None) -> str | None:
    if delta is None:
        return None
    return UP if delta > 0 else DOWN if delta < 0 else FLAT


def lower_is_better(indicator: str) -> bool:
    """True for indicators where a smaller figure is the better one (churn, cost, complaints)."""
    name = indicator.casefold()
    return any(word in name for word in LOWER_IS_BETTER_WORDS)


# -- changes -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A figure compared with a base: the previous period, or the same period last year.

    For rates the change to show is `points` (a difference of fractions); for
    everything else it is `relative`. `relative` is kept for rates too, since
    the trend word is chosen from the relative size of a change.
    """

    current: float | None
    base: float | None
    relative: float | None
    points: float | None  # current - base, for rates only
    in_points: bool

    @property
    def shown(self) -> float | None:
        """The change as the report prints it: points for rates, relative otherwise."""
        return self.points if self.in_points else self.relative

    @property
    def direction(self) -> str | None:
        return direction(difference(self.current, self.base))


def change(current: object, base: object, *, is_rate: bool = False) -> Change:
    current_, base_ = finite(current), finite(base)
    return Change(
        current=current_,
        base=base_,
        relative=relative_change(current_, base_),
        points=difference(current_, base_) if is_rate else None,
        in_points=is_rate,
    )


# -- targets -----------------------------------------------------------------


@dataclass(frozen=True)
class TargetFigures:
    target: Target
    is_rate: bool
    lower_is_better: bool
    achievement: float | None  # actual / target (target / actual where lower is better)
    gap: float | None  # actual - target, signed
    status: str  # MET, MISSED or NOT_APPLICABLE
    mom: Change  # on the previous period (环比)
    yoy: Change  # on the same period last year (同比)


def target_figures(target: Target) -> TargetFigures:
    actual, goal = finite(target.actual), finite(target.target)
    reverse = lower_is_better(target.indicator)
    if reverse:
        achievement = ratio(goal, actual)
        met = None if actual is None or goal is None or goal < 0 or actual < 0 else actual <= goal
    else:
        achievement = ratio(actual, goal)
        met = None if achievement is None else achievement >= 1.0
    status = NOT_APPLICABLE if met is None else MET if met else MISSED
    return TargetFigures(
        target=target,
        is_rate=target.is_rate,
        lower_is_better=reverse,
        achievement=achievement,
        gap=difference(actual, goal),
        status=status,
        mom=change(actual, target.previous, is_rate=target.is_rate),
        yoy=change(actual, target.last_year, is_rate=target.is_rate),
    )


def analyse_targets(targets: Sequence[Target]) -> list[TargetFigures]:
    return [target_figures(t) for t in combine_targets(targets)]


def headline_target(figures: Sequence[TargetFigures], is_money: Callable[[str | None], bool]) -> TargetFigures | None:
    """The indicator a summary leads with: the first money indicator (sales), else the first."""
    for figure in figures:
        if is_money(figure.target.unit):
            return figure
    return figures[0] if figures else None


# -- several salespeople in one sheet ------------------------------------------

Row = TypeVar("Row")


def merge_people(rows: Sequence[Row], key: Callable[[Row], str], merge: Callable[[list[Row]], Row]) -> list[Row]:
    """One row per key, in first-seen order, when a sheet lists rows per salesperson.

    A row without a salesperson for that key is the group's own figure and
    wins; rows that carry no salesperson at all are left as they are.
    """
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    merged = []
    for group in groups.values():
        people = [r for r in group if getattr(r, "person", None)]
        own = [r for r in group if not getattr(r, "person", None)]
        if len(group) == 1 or not people:
            merged.extend(group)
        elif own:
            merged.append(own[0])
        else:
            merged.append(merge(people))
    return merged


def _joined_notes(notes: Iterable[str | None]) -> str | None:
    distinct = list(dict.fromkeys(n.strip() for n in notes if n and n.strip()))
    return ("; " if all(n.isascii() for n in distinct) else "；").join(distinct) or None


def _merge_targets(rows: list[Target]) -> Target:
    first = rows[0]
    if first.is_rate:
        # Rates of several people cannot be added, and we know no weights to average them by.
        figures = dict(target=None, actual=None, previous=None, last_year=None, next_target=None)
    else:
        figures = {
            name: total(getattr(r, name) for r in rows)
            for name in ("target", "actual", "previous", "last_year", "next_target")
        }
    return replace(first, **figures, note=_joined_notes(r.note for r in rows), person=None)


def combine_targets(targets: Sequence[Target]) -> list[Target]:
    """Targets with per-salesperson rows added up into one row per indicator (the team's figure)."""
    return merge_people(targets, lambda t: name_key(t.indicator), _merge_targets)


def _merge_channels(rows: list[Channel]) -> Channel:
    return replace(
        rows[0],
        leads=total(r.leads for r in rows),
        deals=total(r.deals for r in rows),
        amount=total(r.amount for r in rows),
        note=_joined_notes(r.note for r in rows),
        person=None,
    )


def _merge_tiers(rows: list[AccountTier]) -> AccountTier:
    weighted = [(finite(r.satisfaction), finite(r.customers)) for r in rows]
    weighted = [(s, c) for s, c in weighted if s is not None and c is not None and c > 0]
    weight = total(c for _, c in weighted)
    weighted_sum = total(s * c for s, c in weighted)
    satisfaction = finite(weighted_sum / weight) if weight and weighted_sum is not None else None
    return replace(
        rows[0],
        customers=total(r.customers for r in rows),
        satisfaction=satisfaction,
        upkeep=_joined_notes(r.upkeep for r in rows),
        person=None,
    )


# -- pipeline ----------------------------------------------------------------


@dataclass(frozen=True)
class ChannelFigures:
    channel: Channel
    conversion: float | None  # deals / leads


@dataclass(frozen=True)
class PipelineFigures:
    channels: tuple[ChannelFigures, ...]
    leads: float | None
    deals: float | None
    amount: float | None
    conversion: float | None
    best: ChannelFigures | None  # None unless at least two channels convert differently
    weakest: ChannelFigures | None


def analyse_pipeline(channels: Sequence[Channel]) -> PipelineFigures:
    rows = merge_people(channels, lambda c: name_key(c.channel), _merge_channels)
    figures = tuple(ChannelFigures(c, ratio(c.deals, c.leads)) for c in rows)
    leads, deals = total(c.leads for c in rows), total(c.deals for c in rows)
    rated = [f for f in figures if f.conversion is not None]
    best = weakest = None
    if len(rated) >= 2:
        # max/min keep the first of equals, so ties go to the channel listed first.
        best = max(rated, key=lambda f: f.conversion)
        weakest = min(rated, key=lambda f: f.conversion)
        if best.conversion == weakest.conversion:
            best = weakest = None
    return PipelineFigures(
        channels=figures,
        leads=leads,
        deals=deals,
        amount=total(c.amount for c in rows),
        conversion=ratio(deals, leads),
        best=best,
        weakest=weakest,
    )


# -- accounts ----------------------------------------------------------------


@dataclass(frozen=True)
class TierFigures:
    tier: AccountTier
    share: float | None  # of all customers


@dataclass(frozen=True)
class AccountFigures:
    tiers: tuple[TierFigures, ...]
    customers: float | None
    least_satisfied: TierFigures | None  # None unless tiers differ in satisfaction


def analyse_accounts(tiers: Sequence[AccountTier]) -> AccountFigures:
    rows = merge_people(tiers, lambda t: name_key(t.tier), _merge_tiers)
    customers = total(t.customers for t in rows)
    figures = tuple(TierFigures(t, ratio(t.customers, customers)) for t in rows)
    scored = [f for f in figures if finite(f.tier.satisfaction) is not None]
    least = min(scored, key=lambda f: f.tier.satisfaction) if len(scored) >= 2 else None
    if least is not None and all(f.tier.satisfaction == least.tier.satisfaction for f in scored):
        least = None
    return AccountFigures(tiers=figures, customers=customers, least_satisfied=least)


# -- churn -------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnFigures:
    lost: tuple[LostCustomer, ...]
    count: int
    amount: float | None  # amount lost, over the rows that state one
    reasons: tuple[tuple[str, int], ...]  # (reason, customers), most frequent first
    main_reasons: tuple[str, ...]  # the most frequent reason(s); several when tied
    recovered: tuple[LostCustomer, ...]
    recovered_amount: float | None


def analyse_churn(lost: Sequence[LostCustomer]) -> ChurnFigures:
    counts = Counter(r.reason.strip() for r in lost if r.reason and r.reason.strip())
    # Counter keeps first-seen order among equals, so ties read in workbook order.
    reasons = tuple(sorted(counts.items(), key=lambda item: -item[1]))
    top = reasons[0][1] if reasons else 0
    recovered = tuple(r for r in lost if r.recovered)
    return ChurnFigures(
        lost=tuple(lost),
        count=len(lost),
        amount=total(r.amount for r in lost),
        reasons=reasons,
        main_reasons=tuple(reason for reason, n in reasons if n == top),
        recovered=recovered,
        recovered_amount=total(r.amount for r in recovered),
    )


# -- team --------------------------------------------------------------------

CONCENTRATED, BALANCED = "concentrated", "balanced"
# Judged against an even split: the top three holding 1.5 times their even
# share is concentrated; a leader within 1.25 times an even share is balanced.
CONCENTRATED_FACTOR = 1.5
BALANCED_FACTOR = 1.25


@dataclass(frozen=True)
class MemberFigures:
    member: TeamContribution
    share: float | None  # the share column when given, else value / total value
    rank: int | None  # 1 for the largest share; equal shares share a rank


@dataclass(frozen=True)
class TeamFigures:
    members: tuple[MemberFigures, ...]  # each row, in workbook order, with its member's rank
    ranked: tuple[MemberFigures, ...]  # each member once (rows of one name added up), largest share first
    total_value: float | None
    leader: MemberFigures | None
    top_share: float | None
    top3_share: float | None  # only with four or more ranked members
    concentration: str | None  # CONCENTRATED, BALANCED or None (neither, or too few members)


def analyse_team(team: Sequence[TeamContribution]) -> TeamFigures:
    """Shares, ranks and concentration; a member named on several rows (one a contribution) is ranked by their sum."""
    total_value = total(m.value for m in team)
    shares = []
    for m in team:
        given = finite(m.share)
        shares.append(given if given is not None and given >= 0 else ratio(m.value, total_value))
    # Each member by the row that first names them; their other rows, for the few named again.
    first_of: dict[str, int] = {}
    again: dict[int, list[int]] = {}
    for i, m in enumerate(team):
        first = first_of.setdefault(name_key(m.member), i)
        if first != i:
            again.setdefault(first, []).append(i)
    member_share = list(shares)  # at each member's first row: their share, all their rows' when named again
    for first, others in again.items():
        rows = [first, *others]
        member_share[first] = total(shares[i] for i in rows) if all(shares[i] is not None for i in rows) else None
    order = sorted((i for i in first_of.values() if member_share[i] is not None), key=lambda i: -member_share[i])
    ranks: dict[int, int] = {}
    for position, index in enumerate(order):
        previous = order[position - 1] if position else None
        same = previous is not None and member_share[previous] == member_share[index]
        ranks[index] = ranks[previous] if same else position + 1
    members = tuple(MemberFigures(m, shares[i], ranks.get(first_of[name_key(m.member)])) for i, m in enumerate(team))
    ranked = tuple(
        _one_member([team[i] for i in (first, *again[first])], member_share[first], ranks[first]) if first in again
        else members[first]
        for first in order
    )  # fmt: skip
    leader = ranked[0] if ranked else None
    top_share = leader.share if leader else None
    top3_share = total(m.share for m in ranked[:3]) if len(ranked) >= 4 else None
    concentration = None
    if len(ranked) >= 4:
        even = 1.0 / len(ranked)
        if top3_share is not None and top3_share >= CONCENTRATED_FACTOR * 3 * even:
            concentration = CONCENTRATED
        elif top_share is not None and top_share <= BALANCED_FACTOR * even:
            concentration = BALANCED
    return TeamFigures(members, ranked, total_value, leader, top_share, top3_share, concentration)


def _one_member(rows: list[TeamContribution], share: float | None, rank: int) -> MemberFigures:
    """A member's rows as one: contributions joined, results and the shares the sheet gives added up."""
    given = [finite(row.share) for row in rows]
    member = replace(rows[0], contribution=_joined_notes(row.contribution for row in rows),
                     value=total(row.value for row in rows), share=total(given) if None not in given else None)
    return MemberFigures(member, share, rank)


def member_for(figures: TeamFigures, person: str | None) -> MemberFigures | None:
    """The person an individual report is about, as a member (all their rows), or the only member there is."""
    people = figures.ranked or figures.members
    if person:
        for m in (*people, *figures.members):
            if name_key(m.member.member) == name_key(person):
                return m
    return people[0] if len(people) == 1 else None


# -- problems ----------------------------------------------------------------

_KINDS = {
    "internal": INTERNAL,
    "内部": INTERNAL,
    "内": INTERNAL,
    "external": EXTERNAL,
    "外部": EXTERNAL,
    "外": EXTERNAL,
}


def problem_kind(problem: Problem) -> str | None:
    return _KINDS.get((problem.kind or "").strip().casefold())


@dataclass(frozen=True)
class ProblemGroups:
    internal: tuple[Problem, ...]
    external: tuple[Problem, ...]
    unknown: tuple[Problem, ...]  # no or unrecognised type


def group_problems(problems: Sequence[Problem]) -> ProblemGroups:
    kinds = [problem_kind(p) for p in problems]
    return ProblemGroups(
        internal=tuple(p for p, k in zip(problems, kinds) if k == INTERNAL),
        external=tuple(p for p, k in zip(problems, kinds) if k == EXTERNAL),
        unknown=tuple(p for p, k in zip(problems, kinds) if k is None),
    )


# -- reconciliation ----------------------------------------------------------


@dataclass(frozen=True)
class ReconcileFigures:
    row: Reconciliation
    gap: float | None  # (largest - smallest) / largest over the sources that give a figure
    within: bool | None  # None when the gap cannot be worked out
    tolerance: float


def reconcile(row: Reconciliation, tolerance: float = RECONCILE_TOLERANCE) -> ReconcileFigures:
    given = [finite(v) for v in row.values]
    numbers = [v for v in given if v is not None]
    gap = None
    if len(numbers) >= 2 and min(numbers) >= 0:
        gap = ratio(max(numbers) - min(numbers), max(numbers))
        if gap is None and max(numbers) == 0:
            gap = 0.0  # every source says zero: they agree
    within = None if gap is None else gap <= tolerance + 1e-12
    return ReconcileFigures(row, gap, within, tolerance)
