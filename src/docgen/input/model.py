"""The typed content of a sales workbook: one dataclass per section row, no Excel or Word types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen.input import units


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

    # The row's figures, in the sheet's order: what a unit applies to, and what is converted with it.
    FIGURES = ("target", "actual", "previous", "last_year", "next_target")

    @property
    def is_rate(self) -> bool:
        """True when the figures are rates (fractions), so differences are percentage points."""
        return units.is_rate(self.unit)


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
    note: str | None = None  # the 说明 / Note column: why the systems differ, say


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
class ColumnReading:
    """One headed column of a sheet and what docgen took it for."""

    column: str  # its letter: "B"
    header: str  # the header as the sheet shows it
    # The section's column key ("target", "person", "note" …); "source" or "period" for a reconciliation or trend
    # sheet's figure columns; None for a column docgen does not use (and for every column of an unknown sheet).
    field: str | None
    label: str | None = None  # source / period columns: the label the report uses ("2026-07" for a date header)


@dataclass(frozen=True)
class InfoFieldReading:
    """One row of the info sheet: its key, the field it fills and the cell its value is in."""

    key: str  # as the sheet writes it: 标题, Title
    field: str | None  # the ReportInfo field; None for a key docgen does not know (kept in ReportInfo.extra)
    cell: str  # the value's cell: "B2"


@dataclass(frozen=True)
class SheetReading:
    """How docgen read one sheet: the section it took it as and why, and which column became which field.

    The same code that builds the SalesWorkbook makes these, so `docgen workbook show`
    and the report cannot disagree (docs/workbook-show.md).
    """

    name: str
    hidden: bool
    section: str | None  # the section key it was read as; None for an unknown or an instructions sheet
    # name | alias | close-name | headers | unknown | instructions
    how: str
    matched: tuple[str, ...] = ()  # the section's name or alias it matched, or the headers that decided it
    header_row: int | None = None
    columns: tuple[ColumnReading, ...] = ()
    fields: tuple[InfoFieldReading, ...] = ()  # the info sheet
    # Why the sheet is not in the report: hidden, empty (nothing, or a header without rows), instructions,
    # second (the section was read from another sheet already); None when it is.
    skipped: str | None = None
    # A sheet not taken as a known section that comes close to one: the section key, and why it was not taken.
    almost: str | None = None
    almost_why: str | None = None  # close-name (its headers do not fit), headers (too few of them), second
    missing: tuple[str, ...] = ()  # the keys of the almost-section's required columns its headers lack


@dataclass(frozen=True)
class Doubt:
    """A figure docgen read but is not sure of, or changed, so that `docgen check` can say so at its cell.

    `reason` names what was noticed (docgen.input.plausibility lists them); `values`
    are the plain facts the message is made of (indicator, column, the value
    as read and as taken), never words of a language.
    """

    code: str  # the finding's code: DG107 a likely slip, DG108 a figure converted or a unit inferred
    reason: str
    sheet: str
    cell: str | None
    values: dict[str, object] = field(default_factory=dict)


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
    # How each sheet was read, in workbook order (docgen workbook show); empty for a workbook built in code.
    # Not compared: two workbooks with the same content are equal however their sheets were laid out.
    sheets: tuple[SheetReading, ...] = field(default=(), compare=False)
    # Figures the reader doubted or converted, each naming its cell (reported by docgen check).
    doubts: tuple[Doubt, ...] = ()

    def has(self, key: str) -> bool:
        return key in self.present
