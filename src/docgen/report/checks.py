"""docgen check: a workbook held to SPEC's format rules, as findings with a code, a severity and a cell (docs/checks.md).

`findings_document` is the documented, stable `check --json` shape.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from docgen.input import schema, units
from docgen.input.model import SalesWorkbook, Target
from docgen.input.periods import period_of_span
from docgen.input.schema import name_key
from docgen.report import analysis, due, review
from docgen.report import formatting as fmt
from docgen.report.indicators import CORE_INDICATORS, CoreIndicator
from docgen.report.vague import vague_words
from docgen.text import catalogue
from docgen.text.language import language_of

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

# code → (severity, what it means in a few words); docs/checks.md says more, tests keep the two in step.
CODES: dict[str, tuple[str, str]] = {
    "DG001": (WARNING, "a sheet read as a section by a name close to the section's, or by its headers"),
    "DG002": (WARNING, "a sheet like a section that another sheet is named as: printed as a table of its own"),
    "DG101": (ERROR, "a core indicator is missing from the targets"),
    "DG102": (ERROR, "a target has no actual"),
    "DG103": (WARNING, "a target missed by more than the threshold, with no note giving the reason"),
    "DG104": (WARNING, "more than one currency unit in one report"),
    "DG105": (INFO, "a vague trend word in text the user typed"),
    "DG106": (WARNING, "the introduction is longer than 300 characters"),
    "DG107": (WARNING, "a figure that does not fit its unit or its row: a likely slip, counted as read"),
    "DG108": (INFO, "a figure converted into the report's currency unit, or a row's missing unit inferred"),
    "DG109": (WARNING, "a character in a cell that cannot be stored was replaced by �"),
    "DG110": (WARNING, "a known indicator with a unit of another kind (销售额 in %, 复购率 in 万元)"),
    "DG111": (ERROR, "one indicator in two rows of the targets sheet, so the report states it twice"),
    "DG112": (INFO, "a table's own totals row or column (合计, Total), not read as data"),
    "DG201": (WARNING, "a problem with no cause"),
    "DG202": (WARNING, "a problem with no impact"),
    "DG203": (INFO, "the problems name only internal or only external causes"),
    "DG204": (INFO, "a problem not marked internal or external"),
    "DG301": (WARNING, "an action without an owner"),
    "DG302": (WARNING, "an action without a deadline"),
    "DG303": (WARNING, "an action without an acceptance criterion"),
    "DG304": (WARNING, "an action's deadline is outside the coming period"),
    "DG305": (WARNING, "an action of last period has vanished without a status"),
    "DG401": (ERROR, "a reconciliation gap between source systems beyond the tolerance"),
    "DG402": (INFO, "a market event that names no source"),
    "DG403": (WARNING, "a quarter's or year's months that do not add up to its actual"),
    "DG501": (ERROR, "the team's shares do not add up to about 100%"),
    "DG502": (WARNING, "no team contribution sheet, so the report's team part is empty"),
    "DG601": (WARNING, "the report is produced after its due date"),
    "DG602": (WARNING, "the start and end dates span another period than the report's"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    sheet: str | None
    cell: str | None
    message: str

    @property
    def place(self) -> str:
        """The place as Excel writes it: 目标达成!G3, or the sheet alone."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "sheet": self.sheet, "cell": self.cell,
                "message": self.message}

    def __str__(self) -> str:
        where = f" {self.place}" if self.place else ""
        return f"{self.severity} {self.code}{where}: {self.message}"


@dataclass(frozen=True)
class CheckRules:
    """The thresholds the checks use; every one can be set (docs/checks.md)."""

    core_indicators: tuple[CoreIndicator, ...] = CORE_INDICATORS
    deviation: float = 0.05  # a target missed by more than this fraction needs a note (DG103)
    tolerance: float = analysis.RECONCILE_TOLERANCE  # reconciliation gap (DG401)
    intro_limit: int = 300  # characters (DG106)
    share_tolerance: float = 0.01  # how far from 100% the team's shares may add up (DG501)


DEFAULT_RULES = CheckRules()


# -- the phrasebook ----------------------------------------------------------------


@functools.cache
def load_messages(lang: str) -> dict:
    return catalogue.book("checks", lang)


def _lang(lang: str) -> str:
    return "zh" if fmt.is_zh(lang) else "en"


def severity_label(severity: str, lang: str) -> str:
    return load_messages(_lang(lang))["severity"][severity]


# The typed text docgen checks for vague words: section → text fields (names and IDs are left out).
TYPED_TEXT: dict[str, tuple[str, ...]] = {
    "targets": ("note",),
    "pipeline": ("note",),
    "accounts": ("upkeep",),
    "churn": ("reason", "measure"),
    "followups": ("content", "result", "next_step"),
    "market": ("event", "impact", "response"),
    "problems": ("symptom", "cause", "impact", "solution"),
    "lessons": ("practice", "applies_to", "steps", "result"),
    "actions": ("action", "acceptance"),
    "team": ("contribution",),
}


# -- running the checks ---------------------------------------------------------------


@dataclass
class _Checker:
    workbook: SalesWorkbook
    period: str
    level: str
    lang: str
    today: dt.date
    previous: SalesWorkbook | None
    rules: CheckRules
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lang = _lang(self.lang)
        self.messages = load_messages(self.lang)
        info = self.workbook.info
        self.start, self.end = fmt.report_dates(self.period, info.start_date, info.end_date, self.today)

    # -- places and messages

    def sheet(self, key: str) -> str:
        place = self.workbook.places.get(key)
        if place is not None:
            return place.sheet
        names = schema.section(key).names
        return names[0] if self.lang == "zh" else names[1]

    def cell(self, key: str, index: int, column: str) -> str | None:
        place = self.workbook.places.get(key)
        return place.cell(index, column) if place is not None else None

    def column_range(self, key: str, column: str) -> str | None:
        place = self.workbook.places.get(key)
        if place is None or not place.rows or column not in place.columns:
            return None
        letter = place.columns[column]
        return f"{letter}{place.rows[0]}:{letter}{place.rows[-1]}"

    def next_row(self, key: str, column: str) -> str | None:
        """The cell below a section's last row in a column: where a missing row goes."""
        place = self.workbook.places.get(key)
        if place is None or column not in place.columns:
            return None
        last = place.rows[-1] if place.rows else place.header_row or 1
        return f"{place.columns[column]}{last + 1}"

    def info_cell(self, key: str) -> str | None:
        place = self.workbook.places.get("info")
        return place.cells.get(key) if place is not None else None

    def add(self, code: str, place: str | None, cell: str | None, **values: object) -> None:
        """A finding at sheet `place`, cell `cell`; `values` fill in the message."""
        message = self.messages["message"][code].format(**values)
        self.findings.append(Finding(code, CODES[code][0], place, cell, message))

    def word(self, key: str) -> str:
        return self.messages["word"][key]

    def date(self, day: dt.date | None) -> str:
        return fmt.date(day, self.lang)

    # -- the rules, in code order

    def run(self) -> list[Finding]:
        for check in (self.recognised_sheets, self.core_indicators, self.targets, self.known_indicators,
                      self.indicators_twice, self.currency, self.doubts, self.vague, self.introduction, self.problems,
                      self.actions, self.vanished_actions, self.reconciliation, self.trend_totals, self.market,
                      self.team_part, self.team_shares, self.span, self.due_date):
            check()
        order = list(CODES)
        return sorted(self.findings, key=lambda finding: order.index(finding.code))

    def recognised_sheets(self) -> None:
        """A sheet read as a section although not named as one: say which and why, so a wrong guess is seen."""
        words = self.messages["sheet"]
        for reading in self.workbook.sheets:
            place = self.workbook.places.get(reading.almost) if reading.almost_why == "second" else None
            if place is not None and reading.skipped != "hidden":
                self.add("DG002", reading.name, None, sheet=reading.name, section=self.section_name(reading.almost),
                         first=place.sheet)
            if reading.skipped or reading.section is None or reading.how not in ("close-name", "headers"):
                continue
            section = self.section_name(reading.section)
            if reading.how == "close-name":
                why = words["close_name"].format(name=section)
            else:
                why = words["headers"].format(headers=self.join(reading.matched))
            place = self.workbook.places.get(reading.section)
            cell = None
            if place is not None and place.header_row and place.columns:
                letters = sorted(place.columns.values(), key=lambda letter: (len(letter), letter))
                cell = f"{letters[0]}{place.header_row}:{letters[-1]}{place.header_row}"
            self.add("DG001", reading.name, cell, sheet=reading.name, section=section, why=why)

    def section_name(self, key: str) -> str:
        names = schema.section(key).names
        return names[0] if self.lang == "zh" else names[1]

    def join(self, items) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def almost(self, key: str) -> tuple[str | None, str]:
        """A sheet that came close to being section `key` but was not read as it, and a sentence saying so."""
        reading = next((r for r in self.workbook.sheets if r.almost == key and r.almost_why != "second"
                        and r.skipped != "hidden"), None)
        if reading is None:
            return None, ""
        words = self.messages["sheet"]
        why = words["almost_close_name" if reading.almost_why == "close-name" else "almost_headers"]
        if reading.missing:
            columns = {column.key: column for column in schema.section(key).columns}
            names = [columns[k].names[0 if self.lang == "zh" else 1] for k in reading.missing if k in columns]
            why += words["missing"].format(columns=self.join(names))
        section = self.section_name(key)
        return reading.name, words["almost"].format(sheet=reading.name, section=section, why=why)

    def core_indicators(self) -> None:
        names = [t.indicator for t in self.workbook.targets]
        # The row to add is named as the workbook's rows are, in whatever language the finding is told.
        rows = language_of(" ".join(names)) if names else self.workbook.info.language or self.lang
        near, sentence = (None, "") if self.workbook.has("targets") else self.almost("targets")
        for core in self.rules.core_indicators:
            if not any(core.matches(name) for name in names):
                sheet = self.sheet("targets")
                self.add("DG101", near or sheet, None if near else self.next_row("targets", "indicator"),
                         indicator=core.name(self.lang), row=core.name(rows), sheet=sheet)
                if sentence:
                    self.amend(sentence)

    def amend(self, sentence: str) -> None:
        """Add a sentence to the last finding's message."""
        last = self.findings[-1]
        space = "" if self.lang == "zh" else " "
        self.findings[-1] = Finding(last.code, last.severity, last.sheet, last.cell, f"{last.message}{space}{sentence}")

    def targets(self) -> None:
        for i, target in enumerate(self.workbook.targets):
            indicator = fmt.text(target.indicator)
            if target.actual is None:
                self.add("DG102", self.sheet("targets"), self.cell("targets", i, "actual"), indicator=indicator)
                continue
            figures = analysis.target_figures(target)
            short = figures.achievement is not None and figures.achievement < 1 - self.rules.deviation
            if figures.status == analysis.MISSED and short and not fmt.text(target.note):
                cell = self.cell("targets", i, "note") or self.cell("targets", i, "actual")
                self.add("DG103", self.sheet("targets"), cell, indicator=indicator,
                         achievement=fmt.percent(figures.achievement, self.lang),
                         threshold=fmt.percent(self.rules.deviation, self.lang))

    def known_indicators(self) -> None:
        """The four indicators docgen knows, held to what they are: a unit of their kind (DG110), never negative (DG107)."""
        kinds, columns = self.messages["kind"], {c.key: c for c in schema.section("targets").columns}
        for i, target in enumerate(self.workbook.targets):
            known = next((core for core in CORE_INDICATORS if core.is_named(target.indicator)), None)
            if known is None:
                continue
            unit = units.parse_unit(target.unit)
            indicator = fmt.text(target.indicator)
            if unit.kind in known.clashes:
                shown = fmt.quantity(target.actual if target.actual is not None else target.target, target.unit, self.lang)
                self.add("DG110", self.sheet("targets"), self.cell("targets", i, "unit"), indicator=indicator,
                         unit=unit.text, found=kinds[unit.kind], expected=kinds[known.kind], shown=shown)
            for key in Target.FIGURES:
                value = analysis.finite(getattr(target, key))
                if value is not None and value < 0:
                    value_shown = _as_read(value, target.unit, self.lang)
                    self.add("DG107", self.sheet("targets"), self.cell("targets", i, key), indicator=indicator,
                             column=columns[key].names[0 if self.lang == "zh" else 1], value=value_shown,
                             why=self.messages["doubt"]["negative"])

    def indicators_twice(self) -> None:
        """One indicator in two rows (of one salesperson): the report would state two different figures for it."""
        rows: dict[tuple[str, str], list[int]] = {}
        for i, target in enumerate(self.workbook.targets):
            rows.setdefault((name_key(target.indicator), name_key(target.person or "")), []).append(i)
        for found in rows.values():
            if len(found) > 1:
                target = self.workbook.targets[found[0]]
                cells = [self.cell("targets", i, "indicator") for i in found]
                known = self.join(c for c in cells if c)
                where = (f"（{known}）" if self.lang == "zh" else f" ({known})") if known else ""
                self.add("DG111", self.sheet("targets"), cells[1], indicator=fmt.text(target.indicator),
                         count=len(found), where=where)

    def currency(self) -> None:
        given = fmt.text(self.workbook.info.currency_unit)
        money = [(i, fmt.text(t.unit)) for i, t in enumerate(self.workbook.targets) if fmt.is_money_unit(t.unit)]
        units = list(dict.fromkeys(([given] if given else []) + [unit for _, unit in money]))
        if len(units) < 2:
            return
        currency = units[0]
        for i, unit in money:
            if unit != currency:
                target = self.workbook.targets[i]
                self.add("DG104", self.sheet("targets"), self.cell("targets", i, "unit"),
                         units="、".join(units) if self.lang == "zh" else ", ".join(units),
                         indicator=fmt.text(target.indicator), unit=unit, currency=currency)

    def doubts(self) -> None:
        """What the reader doubted or changed (docgen.input.plausibility), each at its cell."""
        words = self.messages["doubt"]
        for doubt in self.workbook.doubts:
            facts = doubt.values
            if doubt.code in ("DG109", "DG112"):
                self.add(doubt.code, doubt.sheet, doubt.cell, **facts)
                continue
            if doubt.code == "DG108":
                change = words[doubt.reason].format(**{**facts, "factor": _plain_number(facts.get("factor", 1))})
                self.add("DG108", doubt.sheet, doubt.cell, indicator=fmt.text(facts["indicator"]), change=change)
                continue
            unit = facts.get("unit")
            if doubt.reason == "out_of_line":
                ratio = facts["ratio"]
                times = (words["times_more"].format(n=fmt.number(round(ratio), self.lang)) if ratio >= 1
                         else words["times_less"].format(n=fmt.number(round(1 / ratio), self.lang)))
                why = words["out_of_line"].format(against=facts["against"], times=times,
                                                  reference=_as_read(facts["reference"], unit, self.lang))
            else:
                why = words[doubt.reason].format(meant=_as_read(facts["meant"], unit, self.lang))
            self.add("DG107", doubt.sheet, doubt.cell, indicator=fmt.text(facts["indicator"]),
                     column=facts["column"], value=_as_read(facts["value"], unit, self.lang), why=why)

    def vague(self) -> None:
        alternatives = self.messages["vague"]
        intro = self.workbook.info.introduction
        places = [("info", None, "introduction", intro)]
        for key, columns in TYPED_TEXT.items():
            for i, row in enumerate(getattr(self.workbook, key)):
                places += [(key, i, column, getattr(row, column)) for column in columns]
        for key, i, column, text in places:
            seen = set()
            for word, direction in vague_words(text):
                if word in seen:
                    continue
                seen.add(word)
                cell = self.info_cell(column) if i is None else self.cell(key, i, column)
                self.add("DG105", self.sheet(key), cell, word=word, alternative=alternatives[direction])

    def introduction(self) -> None:
        text = fmt.text(self.workbook.info.introduction)
        if len(text) > self.rules.intro_limit:
            self.add("DG106", self.sheet("info"), self.info_cell("introduction"), length=len(text),
                     limit=self.rules.intro_limit)

    def problems(self) -> None:
        problems = self.workbook.problems
        for i, problem in enumerate(problems):
            symptom = fmt.text(problem.symptom)
            if not fmt.text(problem.cause):
                self.add("DG201", self.sheet("problems"), self.cell("problems", i, "cause")
                         or self.cell("problems", i, "symptom"), symptom=symptom)
            if not fmt.text(problem.impact):
                self.add("DG202", self.sheet("problems"), self.cell("problems", i, "impact")
                         or self.cell("problems", i, "symptom"), symptom=symptom)
        groups = analysis.group_problems(problems)
        for kind, other, rows, others in (("internal", "external", groups.internal, groups.external),
                                          ("external", "internal", groups.external, groups.internal)):
            if len(problems) >= 2 and len(rows) >= 2 and not others:
                self.add("DG203", self.sheet("problems"), self.column_range("problems", "kind"),
                         count=fmt.count_word(len(rows), self.lang), kind=self.word(kind), other=self.word(other))
        for i, problem in enumerate(problems):
            if analysis.problem_kind(problem) is None:
                self.add("DG204", self.sheet("problems"), self.cell("problems", i, "kind")
                         or self.cell("problems", i, "symptom"), symptom=fmt.text(problem.symptom))

    def actions(self) -> None:
        start, end = review.coming_period(self.period, self.end)
        sheet = self.sheet("actions")
        for i, action in enumerate(self.workbook.actions):
            name = fmt.text(action.action)
            where = self.cell("actions", i, "action")
            if not fmt.text(action.owner):
                self.add("DG301", sheet, self.cell("actions", i, "owner") or where, action=name)
            if action.deadline is None:
                self.add("DG302", sheet, self.cell("actions", i, "deadline") or where, action=name)
            if not fmt.text(action.acceptance):
                self.add("DG303", sheet, self.cell("actions", i, "acceptance") or where, action=name)
            status, _overdue = review.read_status(action.status)
            closed = status in (review.DONE, review.CANCELLED)
            if action.deadline is not None and not closed and not start <= action.deadline <= end:
                self.add("DG304", sheet, self.cell("actions", i, "deadline"), action=name,
                         deadline=self.date(action.deadline), start=self.date(start), end=self.date(end))

    def vanished_actions(self) -> None:
        if self.previous is None:
            return
        reviewed = review.review_actions(self.previous.actions, self.workbook.actions, self.end)
        for item in reviewed:
            if item.vanished:
                action = item.previous
                status = fmt.text(action.status) or self.word("none")
                self.add("DG305", self.sheet("actions"), self.next_row("actions", "action"),
                         action=fmt.text(action.action), id=fmt.text(action.id) or self.word("no_id"), status=status)

    def reconciliation(self) -> None:
        units = {schema.normalize_name(t.indicator): t.unit for t in self.workbook.targets}
        for i, row in enumerate(self.workbook.reconcile):
            figures = analysis.reconcile(row, self.rules.tolerance)
            if figures.within is not False:
                continue
            unit = units.get(schema.normalize_name(row.indicator))
            values = [f"{source}{'' if self.lang == 'zh' else ' '}{fmt.quantity(value, unit, self.lang)}"
                      for source, value in zip(row.sources, row.values) if analysis.finite(value) is not None]
            place = self.workbook.places.get("reconcile")
            cell = None
            if place is not None:
                letters = [place.columns[s] for s in row.sources if s in place.columns]
                cell = f"{letters[0]}{place.rows[i]}:{letters[-1]}{place.rows[i]}" if letters else None
            self.add("DG401", self.sheet("reconcile"), cell, indicator=fmt.text(row.indicator),
                     gap=fmt.percent(figures.gap, self.lang), tolerance=fmt.percent(self.rules.tolerance, self.lang),
                     values=("、" if self.lang == "zh" else ", ").join(values))

    def trend_totals(self) -> None:
        """A quarter's or a year's months that do not add up to the actual its targets state (sales, new customers)."""
        months = {"quarterly": 3, "annual": 12}.get(self.period)
        additive = [core for core in CORE_INDICATORS if core.kind in (units.MONEY, units.COUNT)]
        actuals = {name_key(t.indicator): t for t in self.workbook.targets if not t.person}
        for i, row in enumerate(self.workbook.trend):
            target = actuals.get(name_key(row.indicator))
            values = [analysis.finite(v) for v in row.values]
            if (months is None or row.person or target is None or len(values) != months or None in values
                    or not any(core.is_named(row.indicator) for core in additive)):
                continue
            actual, months_total = analysis.finite(target.actual), analysis.total(values)
            gap = analysis.relative_change(months_total, actual) if actual else None
            if gap is None or abs(gap) <= self.rules.tolerance:
                continue
            place = self.workbook.places.get("trend")
            letters = [place.columns[label] for label in row.labels if label in place.columns] if place else []
            cell = f"{letters[0]}{place.rows[i]}:{letters[-1]}{place.rows[i]}" if letters else None
            self.add("DG403", self.sheet("trend"), cell, indicator=fmt.text(row.indicator),
                     total=fmt.quantity(months_total, target.unit, self.lang),
                     actual=fmt.quantity(actual, target.unit, self.lang), gap=fmt.percent(abs(gap), self.lang),
                     sheet=self.sheet("targets"))

    def market(self) -> None:
        for i, event in enumerate(self.workbook.market):
            if not fmt.text(event.source):
                self.add("DG402", self.sheet("market"), self.cell("market", i, "source")
                         or self.cell("market", i, "event"), event=fmt.text(event.event))

    def team_part(self) -> None:
        # SPEC rule 7: every report has a separate team contribution part.
        if not self.workbook.team and not self.workbook.has("team"):
            near, sentence = self.almost("team")
            self.add("DG502", near or self.sheet("team"), None)
            if sentence:
                self.amend(sentence)

    def team_shares(self) -> None:
        # An individual report may list only its own row: its share is of the team, not of the sheet.
        if self.level == "individual":
            return
        shares = [analysis.finite(m.share) for m in self.workbook.team]
        given = [share for share in shares if share is not None]
        if not given:
            return
        total = analysis.total(given) or 0.0
        tolerance = self.rules.share_tolerance + 1e-9
        off = total > 1 + tolerance or (len(given) == len(shares) and total < 1 - tolerance)
        if off:
            self.add("DG501", self.sheet("team"), self.column_range("team", "share"),
                     total=fmt.percent(total, self.lang))

    def span(self) -> None:
        """A 月报 from 1 July to 30 September: titled July and said 本月, its figures a quarter's."""
        info = self.workbook.info
        if info.start_date is None or info.end_date is None or info.end_date < info.start_date:
            return
        fits = period_of_span(self.period, info.start_date, info.end_date)
        if fits is not None:
            words = self.messages["period"]
            self.add("DG602", self.sheet("info"), self.info_cell("end_date"), period=words[self.period],
                     days=(info.end_date - info.start_date).days + 1, start=self.date(info.start_date),
                     end=self.date(info.end_date), fits=words["fits"].format(period=words[fits]) if fits else "")

    def due_date(self) -> None:
        late = due.days_late(self.period, self.end, self.today)
        if late:
            self.add("DG601", self.sheet("info"), self.info_cell("end_date"),
                     due=self.date(due.due_date(self.period, self.end)), today=self.date(self.today), days=late)


def _plain_number(value: float) -> str:
    """A number with every digit it has and no trailing zeros: 0.0001, 10000, 1.5."""
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def _as_read(value: float, unit: str | None, lang: str) -> str:
    """A figure as the workbook holds it, with its unit: 0.96万元, not the report's rounded 1.0万元."""
    if fmt.is_rate_unit(unit):
        return _plain_number(value * 100) + "%"
    unit = fmt.text(unit)
    if not unit:
        return _plain_number(value)
    return f"{_plain_number(value)}{'' if fmt.is_zh(lang) and not unit.isascii() else ' '}{unit}"


def check_workbook(
    workbook: SalesWorkbook,
    *,
    period: str,
    level: str,
    lang: str,
    today: dt.date,
    previous: SalesWorkbook | None = None,
    rules: CheckRules = DEFAULT_RULES,
) -> list[Finding]:
    """Every finding for a workbook, in code order (and workbook order within a code)."""
    return _Checker(workbook, period, level, lang, today, previous, rules).run()


def count_by_severity(findings: Sequence[Finding]) -> dict[str, int]:
    return {severity: sum(f.severity == severity for f in findings) for severity in SEVERITIES}


JSON_FORMAT = "docgen-check/1"


def findings_document(
    findings: Sequence[Finding],
    *,
    workbook: str,
    previous: str | None,
    period: str,
    level: str,
    lang: str,
    today: dt.date,
    due_date: dt.date,
) -> dict:
    """The `docgen check --json` document (docs/checks.md): its keys and their meaning never change within a format."""
    return {
        "format": JSON_FORMAT,
        "workbook": workbook,
        "previous": previous,
        "period": period,
        "level": level,
        "lang": _lang(lang),
        "today": today.isoformat(),
        "due_date": due_date.isoformat(),
        "counts": count_by_severity(findings),
        "findings": [finding.as_dict() for finding in findings],
    }


def appendix_summary(findings: Sequence[Finding], lang: str) -> str:
    """The findings appendix's opening sentence."""
    messages = load_messages(_lang(lang))["appendix"]
    if not findings:
        return messages["summary_none"]
    counts = [
        messages["count"].format(severity=severity_label(severity, lang), count=number)
        for severity, number in count_by_severity(findings).items()
        if number
    ]
    return messages["summary"].format(counts=messages["count_join"].join(counts))
