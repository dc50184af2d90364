"""The blank input workbook (`docgen workbook new`): the sheets a period and level use, hard to fill in wrongly.

It writes an .xlsx with openpyxl, the only module that does; docs/reading.md describes what it holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.input import schema
from docgen.input.periods import period_bounds, report_dates
from docgen.text import catalogue

# The sections each period uses (SPEC rule 9): a day is follow-ups and tomorrow's
# work; a week, stage progress; a month, the data review and key events; a
# quarter and a year, trends, strategy and the plan. Every report has the team part.
SECTIONS_BY_PERIOD: dict[str, tuple[str, ...]] = {
    "daily": ("targets", "followups", "problems", "actions", "team"),
    "weekly": ("targets", "trend", "pipeline", "followups", "problems", "actions", "team"),
    "monthly": ("targets", "trend", "pipeline", "accounts", "churn", "followups", "market", "problems", "lessons",
                "actions", "team", "reconcile"),
    "quarterly": ("targets", "trend", "pipeline", "accounts", "churn", "market", "problems", "lessons", "actions",
                  "team", "reconcile"),
    "annual": ("targets", "trend", "pipeline", "accounts", "churn", "market", "problems", "lessons", "actions",
               "team", "reconcile"),
}
# A salesperson does not reconcile the company's systems; a department reads follow-ups from its teams' reports.
LEFT_OUT_BY_LEVEL: dict[str, tuple[str, ...]] = {
    "individual": ("reconcile",),
    "team": (),
    "department": ("followups",),
}
# Sheets a team fills in row by row for its members, so a batch can split them by salesperson.
PERSON_SECTIONS = {"team": ("churn", "followups")}

DATA_ROWS = 60  # rows below the header that carry formats and validation
COUNT_COLUMNS = {"leads", "deals", "customers"}
CHOICE_COLUMNS = {("problems", "kind"): "kind", ("churn", "recovered"): "yesno", ("actions", "status"): "status",
                  ("accounts", "tier"): "tier"}
# Columns docgen reads as optional but `docgen check` expects (an action's owner, a problem's cause …).
CHECKED_COLUMNS = {("actions", "owner"), ("actions", "deadline"), ("actions", "acceptance"), ("problems", "cause"),
                   ("problems", "impact"), ("problems", "kind"), ("market", "source"), ("targets", "unit")}
MONEY_FORMAT, COUNT_FORMAT, PERCENT_FORMAT, DATE_FORMAT = "#,##0.00", "#,##0", "0.0%", "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def sections_for(period: str, level: str) -> tuple[str, ...]:
    """The section sheets a blank workbook for this period and level has, in report order."""
    return tuple(key for key in SECTIONS_BY_PERIOD[period] if key not in LEFT_OUT_BY_LEVEL[level])


@functools.cache
def load_words(lang: str) -> dict:
    return catalogue.book("blank", lang)


def sub_periods(period: str, start: dt.date, lang: str) -> list[str]:
    """The trend sheet's column headers: the weeks of a month, months of a quarter or year, days of a week."""
    words = load_words(lang)["value"]
    if period == "daily":
        return []
    end = period_bounds(period, start)[1]
    if period == "weekly":
        return list(words["weekdays"])
    if period == "monthly":
        days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
        weeks = dict.fromkeys(day.isocalendar()[1] for day in days)
        return [words["week"].format(week=week) for week in weeks]
    if period in ("quarterly", "annual"):
        months = range(start.month, end.month + 1)
        return [words["month"].format(month=m, month_name=_EN_MONTHS[m - 1]) for m in months]
    raise ValueError(f"unknown period {period!r}")


@dataclass(frozen=True)
class BlankSettings:
    period: str
    level: str
    lang: str
    start: dt.date  # the first day of the period the workbook is for
    end: dt.date


def blank_settings(period: str, level: str, lang: str, start: dt.date | None = None,
                   today: dt.date | None = None) -> BlankSettings:
    """The period a blank workbook is for: the one starting on `start`, else the one a report made today covers."""
    if start is None:
        start, end = report_dates(period, None, None, today or dt.date.today())
    elif period == "daily":
        end = start
    else:
        start, end = period_bounds(period, start)
    return BlankSettings(period, level, lang, start, end)


def blank_workbook(settings: BlankSettings) -> bytes:
    """The blank workbook as .xlsx bytes."""
    writer = _BlankWriter(settings)
    return writer.write()


def write_blank_workbook(path: Path, settings: BlankSettings, *, force: bool = False) -> Path:
    """Write the blank workbook to `path`, whole or not at all (an existing file only with force)."""
    from docgen.output.files import check_output, write_atomic

    check_output(Path(path), force=force)
    return write_atomic(Path(path), blank_workbook(settings), force=force)


class _BlankWriter:
    def __init__(self, settings: BlankSettings) -> None:
        self.settings = settings
        self.lang = settings.lang
        self.words = load_words(settings.lang)
        self.book = openpyxl.Workbook()
        self.book.remove(self.book.active)
        self.author = "docgen"

    def name(self, names: tuple[str, ...]) -> str:
        """A sheet or column name as docgen reads it: the Chinese one, or the English one."""
        return names[0] if self.lang == "zh" else names[1]

    def choice_names(self, names_by_key: dict[str, tuple[str, ...]]) -> dict[str, str]:
        return {key: names[0] if self.lang == "zh" else names[1].capitalize() for key, names in names_by_key.items()}

    def write(self) -> bytes:
        self.instructions()
        self.info()
        for key in sections_for(self.settings.period, self.settings.level):
            self.section(schema.section(key))
        stream = io.BytesIO()
        self.book.save(stream)
        return stream.getvalue()

    # -- sheets

    def instructions(self) -> None:
        words = self.words["instructions"]
        sheet = self.book.create_sheet(words["sheet"])
        periods, levels = self.choice_names(schema.PERIOD_NAMES), self.choice_names(schema.LEVEL_NAMES)
        period_name = catalogue.lookup("report", f"period.name.{self.settings.period}", self.lang)
        sheet.append([words["title"].format(period_name=period_name, level_name=levels[self.settings.level])])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        for line in words["lines"]:
            sheet.append([line])
        sheet.append([])
        rule = catalogue.lookup("report", f"due.rule.{self.settings.period}", self.lang)
        sheet.append([words["due"].format(rule=rule, period=periods[self.settings.period])])
        sheet.column_dimensions["A"].width = 110
        for row in sheet.iter_rows(min_row=3):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")

    def info(self) -> None:
        words = self.words["info"]
        sheet = self.book.create_sheet(self.name(schema.INFO.names))
        self.header(sheet, [words["header_key"], words["header_value"]], [None, None])
        periods, levels = self.choice_names(schema.PERIOD_NAMES), self.choice_names(schema.LEVEL_NAMES)
        values = {
            "level": levels[self.settings.level],
            "period": periods[self.settings.period],
            "start_date": self.settings.start,
            "end_date": self.settings.end,
            "currency_unit": self.words["value"]["currency"],
            "language": self.words["value"]["language"],
        }
        choices = {"level": list(levels.values()), "period": list(periods.values()),
                   "language": list(self.words["choice"]["language"])}
        hints = self.words["hint"]["info"]
        for row, info_field in enumerate(schema.INFO.fields, start=2):
            key_cell = sheet.cell(row, 1, self.name(info_field.names))
            key_cell.font = Font(bold=True)
            key_cell.comment = self.comment(hints.get(info_field.key, self.name(info_field.names)))
            value_cell = sheet.cell(row, 2, values.get(info_field.key))
            if info_field.kind == schema.DATE:
                value_cell.number_format = DATE_FORMAT
                self.validate_date(sheet, value_cell.coordinate)
            if info_field.key in choices:
                self.validate_list(sheet, value_cell.coordinate, choices[info_field.key])
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 60
        sheet.freeze_panes = "A2"

    def section(self, section: schema.Section) -> None:
        sheet = self.book.create_sheet(self.name(section.names))
        columns: list[tuple[str, str, schema.Column | None]] = []  # (header, hint key, column)
        for column in section.columns:
            columns.append((self.name(column.names), column.key, column))
        if section.open_columns:
            labels = (sub_periods(self.settings.period, self.settings.start, self.lang) if section.key == "trend"
                      else list(self.words["value"]["sources"]))
            columns += [(label, "label", schema.Column("label", (label, label), schema.NUMBER)) for label in labels]
        if section.key in PERSON_SECTIONS.get(self.settings.level, ()):
            columns.append((self.name(schema.PERSON.names), "person", schema.PERSON))
        hints = {**self.words["hint"].get(section.key, {}), **self.words["hint"]["person"]}
        self.header(sheet, [header for header, _, _ in columns],
                    [self.column_hint(hints, key, column, (section.key, key) in CHECKED_COLUMNS)
                     for _, key, column in columns])
        for index, (_header, key, column) in enumerate(columns, start=1):
            self.format_column(sheet, section.key, index, key, column)
        if section.key == "targets":
            self.prefill_targets(sheet, [key for _, key, _ in columns])
        sheet.freeze_panes = "B2" if section.open_columns else "A2"

    def prefill_targets(self, sheet, keys: list[str]) -> None:
        """The four core indicators with their units, so none is left out (DG101)."""
        prefill = self.words["prefill"]
        rows = [
            (prefill["sales"], self.words["value"]["currency"], MONEY_FORMAT),
            (prefill["new_customers"], prefill["new_customers_unit"], COUNT_FORMAT),
            (prefill["repurchase"], "%", PERCENT_FORMAT),
            (prefill["churn"], "%", PERCENT_FORMAT),
        ]
        figures = [i for i, key in enumerate(keys, start=1) if key in ("target", "actual", "previous", "last_year",
                                                                        "next_target")]
        for row, (indicator, unit, number_format) in enumerate(rows, start=2):
            sheet.cell(row, keys.index("indicator") + 1, indicator)
            sheet.cell(row, keys.index("unit") + 1, unit)
            for column in figures:
                sheet.cell(row, column).number_format = number_format

    # -- cells

    def comment(self, text: str) -> Comment:
        comment = Comment(text, self.author)
        comment.width, comment.height = 260, 90
        return comment

    def column_hint(self, hints: dict, key: str, column: schema.Column | None, checked: bool = False) -> str | None:
        if column is None:
            return None
        general = self.words["hint"]
        text = hints.get(key) or general["default"].format(name=self.name(column.names), need="")
        need = general["required"] if column.required or checked else general["optional"]
        return f"{need}{'' if self.lang == 'zh' else ' '}{text}"

    def header(self, sheet, headers: list[str], hints: list[str | None]) -> None:
        for index, (text, hint) in enumerate(zip(headers, hints), start=1):
            cell = sheet.cell(1, index, text)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if hint:
                cell.comment = self.comment(hint)
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
            sheet.column_dimensions[get_column_letter(index)].width = max(12, width + 4)

    def data_range(self, column: int) -> str:
        letter = get_column_letter(column)
        return f"{letter}2:{letter}{DATA_ROWS + 1}"

    def format_column(self, sheet, section_key: str, index: int, key: str, column: schema.Column | None) -> None:
        if column is None:
            return
        cells = self.data_range(index)
        choice = CHOICE_COLUMNS.get((section_key, key))
        number_format = None
        if choice:
            self.validate_list(sheet, cells, list(self.words["choice"][choice]))
        elif column.kind == schema.DATE:
            number_format = DATE_FORMAT
            self.validate_date(sheet, cells)
        elif column.kind == schema.PERCENT:
            number_format = PERCENT_FORMAT
            self.validate_number(sheet, cells, percent=True)
        elif column.kind == schema.NUMBER:
            # The targets sheet holds money, counts and rates in the same columns: formats go per row there.
            if section_key != "targets":
                number_format = COUNT_FORMAT if key in COUNT_COLUMNS else MONEY_FORMAT
            self.validate_number(sheet, cells)
        if section_key in ("problems", "lessons", "market", "actions", "followups") and column.kind == schema.TEXT:
            sheet.column_dimensions[get_column_letter(index)].width = 28
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=DATA_ROWS + 1, min_col=index, max_col=index):
                cell.number_format = number_format

    def validate_list(self, sheet, cells: str, values: list[str]) -> None:
        errors = self.words["error"]
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=errors["title"], error=errors["list"])
        sheet.add_data_validation(validation)
        validation.add(cells)

    def validate_number(self, sheet, cells: str, *, percent: bool = False) -> None:
        errors = self.words["error"]
        if percent:
            validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
            validation.error = errors["percent"]
        else:
            validation = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
            validation.error = errors["number"]
        validation.allow_blank, validation.showErrorMessage, validation.errorTitle = True, True, errors["title"]
        sheet.add_data_validation(validation)
        validation.add(cells)

    def validate_date(self, sheet, cells: str) -> None:
        errors = self.words["error"]
        # Excel keeps dates as day numbers; 36526 is 2000-01-01.
        validation = DataValidation(type="date", operator="greaterThanOrEqual", formula1="36526", allow_blank=True,
                                    showErrorMessage=True, errorTitle=errors["title"], error=errors["date"])
        sheet.add_data_validation(validation)
        validation.add(cells)
