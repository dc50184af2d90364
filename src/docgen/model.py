"""The typed content of a sales workbook: one dataclass per section row, no Excel or Word types.

Numbers are floats in the unit the workbook states. Rates (a percent unit, a
share, a satisfaction score) are fractions: 0.12 means 12%. A value the
workbook leaves empty is None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportInfo:
    title: str | None = None
    organization: str | None = None
    region: str | None = None
    team: str | None = None
    author: str | None = None
    level: str | None = None  # individual / team / department
    period: str | None = None  # daily / weekly / monthly / quarterly / annual
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    currency_unit: str | None = None
    language: str | None = None  # zh / en
    introduction: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # info keys docgen does not know


@dataclass(frozen=True)
class Target:
    indicator: str
    unit: str | None
    target: float | None
    actual: float | None
    previous: float | None = None
    last_year: float | None = None
    note: str | None = None
    person: str | None = None
    next_target: float | None = None  # the target set for the next period, when the sheet gives one

    @property
    def is_rate(self) -> bool:
        """True when the figures are rates (fractions), so differences are percentage points."""
        return (self.unit or "").strip() in {"%", "％", "百分比", "percent"}


@dataclass(frozen=True)
class TrendSeries:
    indicator: str
    labels: tuple[str, ...]  # the sub-period column headers, in order
    values: tuple[float | None, ...]
    person: str | None = None


@dataclass(frozen=True)
class Channel:
    channel: str
    leads: float | None
    deals: float | None
    amount: float | None = None
    note: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class AccountTier:
    tier: str
    customers: float | None
    satisfaction: float | None = None
    upkeep: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class LostCustomer:
    customer: str
    reason: str | None = None
    amount: float | None = None
    recovered: bool | None = None
    measure: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class FollowUp:
    customer: str
    date: dt.date | None = None
    way: str | None = None
    content: str | None = None
    result: str | None = None
    next_step: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class MarketEvent:
    event: str
    impact: str | None = None
    source: str | None = None
    response: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class Problem:
    symptom: str
    cause: str | None = None
    impact: str | None = None
    kind: str | None = None  # internal / external
    solution: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class Lesson:
    practice: str
    applies_to: str | None = None
    steps: str | None = None
    result: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class Action:
    action: str
    id: str | None = None
    owner: str | None = None
    deadline: dt.date | None = None
    acceptance: str | None = None
    status: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class TeamContribution:
    member: str
    contribution: str | None = None
    value: float | None = None
    share: float | None = None


@dataclass(frozen=True)
class Reconciliation:
    indicator: str
    sources: tuple[str, ...]  # source system names, from the column headers
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class GenericSection:
    """A sheet docgen does not know: its name becomes a heading, its rows a table."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SheetPlace:
    """Where a section sits in the workbook, so that a finding can name its sheet and cell."""

    sheet: str
    columns: dict[str, str] = field(default_factory=dict)  # column key (or open-column label) → letter
    rows: tuple[int, ...] = ()  # the sheet row of each model row, in the model's order
    cells: dict[str, str] = field(default_factory=dict)  # info sheet: field key → its value cell
    header_row: int | None = None

    def cell(self, index: int, key: str) -> str | None:
        """The cell of row `index` (0-based, model order) in column `key`, or None when unknown."""
        letter = self.columns.get(key)
        if letter is None or not 0 <= index < len(self.rows):
            return None
        return f"{letter}{self.rows[index]}"


@dataclass(frozen=True)
class SalesWorkbook:
    source: str  # the workbook's path, for messages
    info: ReportInfo = field(default_factory=ReportInfo)
    targets: tuple[Target, ...] = ()
    trend: tuple[TrendSeries, ...] = ()
    pipeline: tuple[Channel, ...] = ()
    accounts: tuple[AccountTier, ...] = ()
    churn: tuple[LostCustomer, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    market: tuple[MarketEvent, ...] = ()
    problems: tuple[Problem, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    actions: tuple[Action, ...] = ()
    team: tuple[TeamContribution, ...] = ()
    reconcile: tuple[Reconciliation, ...] = ()
    generic: tuple[GenericSection, ...] = ()
    # Section keys present in the workbook, in workbook order ("generic:<title>" for unknown sheets).
    present: tuple[str, ...] = ()
    # Where each known section was read from (section key → place); empty for a workbook built in code.
    places: dict[str, SheetPlace] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.present
