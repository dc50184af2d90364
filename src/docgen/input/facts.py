"""What the whole sheet says when a split gives each salesperson only their rows (docgen.team.split)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.input import schema
from docgen.input.cells import Cell, Sheet
from docgen.input.headers import cell_at, find_header, is_blank_row, looks_like_title
from docgen.input.model import ReportInfo, SheetPlace
from docgen.input.problems import Problems
from docgen.input.recognition import Recognition, recognise_sheet
from docgen.input.values import Invalid, display_text, is_blank, percent_scale, read_number, to_text, in_whole_percents


@dataclass
class SheetFacts:
    """What the whole sheet says that one salesperson's rows of it cannot."""

    # Column key → the scale its plain numbers take (1 or 1/100), judged over the whole column.
    percent_scales: dict[str, float] = field(default_factory=dict)
    # A sheet docgen does not know: its first and last column, over all its rows.
    span: tuple[int, int] | None = None
    header_row: int | None = None  # a known section's header, found among the whole sheet's first rows
    info: tuple[ReportInfo, SheetPlace] | None = None  # the info sheet, read already
    recognition: Recognition | None = None  # the section the sheet was taken as, judged from its first rows


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's data starts and which column says whose each row is."""

    section: str  # the section key; "generic" for a sheet docgen does not know
    header_row: int  # this row and those above it (titles, the header) go to everyone
    column: int  # the column naming the salesperson (the member column on the team sheet)
    percent_columns: tuple[tuple[int, str], ...] = ()  # (column, key) of columns judged as a whole
    figures: tuple[int, ...] = ()  # the team sheet: the columns each member's share is worked out from
    recognition: Recognition | None = None  # the section the sheet was taken as, and why

    @property
    def named_only(self) -> bool:
        """A row naming nobody belongs to nobody; elsewhere, when no row names anyone, the rows are everyone's."""
        return self.section == "generic"


def sheet_layout(sheet_name: str, head: list[tuple[Cell, ...]]) -> SheetLayout | None:
    """How a sheet splits by salesperson, from its first rows; None when the whole sheet is everyone's."""
    recognition = recognise_sheet(sheet_name, head)
    section = schema.section(recognition.section) if recognition.section else None
    if section is None:
        rows = [row for row in head if not is_blank_row(row)]
        if len(rows) >= 2 and looks_like_title(rows[0], rows[1]):
            rows = rows[1:]
        if len(rows) < 2:
            return None
        column = next((cell.column for cell in rows[0]
                       if not is_blank(cell.value) and schema.is_person_column(display_text(cell.value))), None)
        return None if column is None else SheetLayout("generic", rows[0][0].row, column, recognition=recognition)
    if section.key_value or (section.key not in schema.PERSON_SECTIONS and section.key != "team"):
        return None
    header = find_header(section, Sheet(sheet_name, tuple(head)), Problems(""))  # its problems are told later
    if header is None:
        return None
    column = header.columns.get("member" if section.key == "team" else schema.PERSON.key)
    if column is None:
        return None
    # A percentage column's plain numbers are judged over the whole column (values.scale_plain_percents).
    judged = tuple((header.columns[column.key], column.key) for column in section.columns
                   if column.kind == schema.PERCENT and column.key in header.columns)
    figures = tuple(header.columns[key] for key in ("member", "value", "share") if key in header.columns)
    return SheetLayout(section.key, header.row, column, judged, figures if section.key == "team" else (),
                       recognition=recognition)


def person_key(row: tuple[Cell, ...], column: int) -> tuple[str, str]:
    """(key, name) of the salesperson a row names; ("", "") when it names nobody or cannot be read."""
    try:
        name = to_text(cell_at(row, column))
    except Invalid:
        return "", ""  # the row is still checked, with the rows that name nobody
    name = (name or "").strip()
    return schema.name_key(name), name


class FactsCollector:
    """Judges a sheet's SheetFacts from its rows as they go by."""

    def __init__(self, layout: SheetLayout) -> None:
        self.layout = layout
        self.facts = SheetFacts()
        self._in_whole_percents: set[str] = set()  # percent columns with a plain number above 1
        self._first = self._last = 0

    def add(self, row: tuple[Cell, ...]) -> None:
        if not row or row[0].row < self.layout.header_row:
            return
        if self.layout.section == "generic":
            filled = [cell.column for cell in row if not is_blank(cell.value)]
            if filled:
                self._first = min(self._first or filled[0], filled[0])
                self._last = max(self._last, filled[-1])
            return
        if row[0].row == self.layout.header_row:
            return
        for column, key in self.layout.percent_columns:
            try:
                reading = read_number(cell_at(row, column))
            except Invalid:
                continue
            if in_whole_percents(reading):
                self._in_whole_percents.add(key)

    def result(self) -> SheetFacts:
        scales = {key: percent_scale(key in self._in_whole_percents) for _column, key in self.layout.percent_columns}
        if self.layout.section == "generic":
            return SheetFacts(span=(self._first, self._last) if self._last else None,
                              recognition=self.layout.recognition)
        return SheetFacts(percent_scales=scales, header_row=self.layout.header_row,
                          recognition=self.layout.recognition)
