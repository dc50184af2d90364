"""Builds a SalesWorkbook from a workbook's sheets: each sheet recognised, read by its section's rules."""

from __future__ import annotations

import dataclasses
import difflib

from docgen.errors import InvalidWorkbook
from docgen.input import plausibility, schema
from docgen.input.cells import Cell, Sheet, column_letter
from docgen.input.facts import SheetFacts
from docgen.input.headers import (
    Header,
    cell_at,
    column_readings,
    fills_any,
    find_header,
    header_cells,
    is_blank_row,
    looks_like_title,
    names_of,
)
from docgen.input.model import (
    Doubt,
    GenericSection,
    InfoFieldReading,
    ReportInfo,
    SalesWorkbook,
    SheetPlace,
    SheetReading,
)
from docgen.input.problems import Problems
from docgen.input.recognition import Recognition, recognise_sheet
from docgen.input.sections import SECTION_BUILDERS, RowReader
from docgen.input.values import display_text, is_blank, to_date, to_text
from docgen.text.language import is_chinese
from docgen.text.messages import say


class WorkbookBuilder:
    """Builds the model from a workbook's sheets, collecting every problem (Problems) before it raises."""

    def __init__(self, file: str, facts: dict[str, SheetFacts] | None = None) -> None:
        self.file = file
        self.facts = facts or {}
        self.problems = Problems(file)
        self.places: dict[str, SheetPlace] = {}  # where each section was read, for docgen check
        self.readings: list[SheetReading] = []  # how each sheet was read (docgen workbook show)
        self._headers: dict[str, Header] = {}  # each table sheet's header, as found
        self._info_fields: list[InfoFieldReading] = []

    # -- the workbook

    def build(self, sheets: list[Sheet]) -> SalesWorkbook:
        content: dict[str, object] = {}
        generic: list[GenericSection] = []
        present: list[str] = []
        sheet_of_section: dict[str, str] = {}
        recognitions = self._recognise_all(sheets)
        # Characters the reader had to replace are said at their cell (DG109), never passed on silently.
        self.problems.doubts += [Doubt("DG109", "replaced_characters", warning.sheet, warning.cell)
                                 for sheet in sheets for warning in getattr(sheet, "warnings", ())]
        for sheet, recognition in zip(sheets, recognitions):
            reading = self._reading(sheet, recognition)
            if sheet.hidden or all(is_blank_row(row) for row in sheet.rows) or recognition.how == "instructions":
                skipped = "hidden" if sheet.hidden else "instructions" if recognition.how == "instructions" else "empty"
                self.readings.append(dataclasses.replace(reading, skipped=skipped))
                continue
            section = schema.section(recognition.section) if recognition.section else None
            if section is None:
                generic_section = self._generic(sheet)
                if generic_section is not None:
                    generic.append(generic_section)
                    present.append(f"generic:{generic_section.title}")
                    header = self._headers.get(sheet.name)
                    reading = dataclasses.replace(reading, header_row=header.row if header else None,
                                                  columns=column_readings(section, header) if header else ())
                self.readings.append(reading if generic_section else dataclasses.replace(reading, skipped="empty"))
                continue
            if section.key in sheet_of_section:
                first = sheet_of_section[section.key]
                if recognition.inferred:  # neither is named as the section: which one is meant?
                    self.problems.report(
                        sheet, None, say("sheet.both", first=first, second=sheet.name, section=section.names[0]),
                        expected=say("sheet.second.expected", names=names_of(section)),
                        hint=say("sheet.both.hint", name=section.names[0]),
                    )
                else:
                    self.problems.report(
                        sheet, None,
                        say("sheet.second", section=section.names[0], first=first),
                        expected=say("sheet.second.expected", names=names_of(section)),
                        hint=say("sheet.second.hint"),
                    )
                self.readings.append(dataclasses.replace(reading, skipped="second"))
                continue
            sheet_of_section[section.key] = sheet.name
            if section.key_value:
                facts = self.facts.get(sheet.name)
                if facts is not None and facts.info is not None:  # read once for everyone of a split
                    info, self.places["info"] = facts.info
                else:
                    info = self._info(sheet)
                content["info"] = info
                if info != ReportInfo():
                    present.append("info")
                self.readings.append(dataclasses.replace(
                    reading, fields=tuple(self._info_fields), skipped=None if info != ReportInfo() else "empty"))
            else:
                before = len(self.problems.errors)
                rows = self._table(section, sheet)
                if recognition.inferred and len(self.problems.errors) > before:
                    self._report_inferred(sheet, section, recognition)
                content[section.key] = rows
                if rows:
                    present.append(section.key)
                header = self._headers.get(sheet.name)
                self.readings.append(dataclasses.replace(
                    reading, header_row=header.row if header else None,
                    columns=column_readings(section, header) if header else (), skipped=None if rows else "empty"))
        if self.problems.errors:
            invalid = InvalidWorkbook(self.problems.errors, file=self.file)
            info = content.get("info")
            invalid.lang = info.language if isinstance(info, ReportInfo) else None  # tell them in the report's language
            raise invalid
        return plausibility.in_one_currency_unit(SalesWorkbook(
            source=self.file, generic=tuple(generic), present=tuple(present), places=dict(self.places),
            sheets=tuple(self.readings), doubts=tuple(self.problems.doubts), **content,
        ))

    def _recognise_all(self, sheets: list[Sheet]) -> list[Recognition]:
        """Each sheet's section; a sheet named as a section keeps it from one only close to it, or like it."""
        recognitions = []
        for sheet in sheets:
            facts = self.facts.get(sheet.name)
            if facts is not None and facts.recognition is not None:  # judged over the whole sheet (a split)
                recognitions.append(facts.recognition)
            else:
                recognitions.append(recognise_sheet(sheet.name, sheet.rows))
        named = {r.section for sheet, r in zip(sheets, recognitions)
                 if r.how in ("name", "alias") and not sheet.hidden and not all(is_blank_row(row) for row in sheet.rows)}
        return [
            Recognition(None, "unknown", almost=r.section, almost_why="second")
            if r.inferred and r.section in named else r
            for r in recognitions
        ]

    def _report_inferred(self, sheet: Sheet, section: schema.Section, recognition: Recognition) -> None:
        """Say why a sheet not named as a section is held to its rules: its cells' problems may surprise."""
        if recognition.how == "close-name":
            why = say("sheet.inferred.close-name", name=section.names[0])
        else:
            why = say("sheet.inferred.headers", headers=", ".join(recognition.matched))
        self.problems.report(sheet, None, say("sheet.inferred", section=section.names[0], why=why),
                             hint=say("sheet.inferred.hint"))

    @staticmethod
    def _reading(sheet: Sheet, recognition: Recognition) -> SheetReading:
        return SheetReading(
            name=sheet.name, hidden=sheet.hidden, section=recognition.section, how=recognition.how,
            matched=recognition.matched, almost=recognition.almost, almost_why=recognition.almost_why,
            missing=recognition.missing,
        )

    # -- the info sheet

    def _info(self, sheet: Sheet) -> ReportInfo:
        values: dict[str, object] = {}
        extra: dict[str, str] = {}
        key_cells: dict[str, Cell] = {}
        value_cells: dict[str, str] = {}
        key_header, value_header = schema.INFO.columns
        for row in sheet.rows:
            cells = header_cells(row)
            if not cells:
                continue
            key_cell = cells[0]
            value_cell = self._value_beside(row, key_cell)
            key_text = display_text(key_cell.value).rstrip(":： ").strip()
            if (schema.match_column(schema.INFO, key_text) is key_header
                    and schema.match_column(schema.INFO, display_text(value_cell.value)) is value_header):
                continue  # the 项目 / 内容 header row
            info_field = _info_field(key_text)
            self._info_fields.append(
                InfoFieldReading(key_text, info_field.key if info_field else None, value_cell.coordinate))
            if info_field is None:
                value = self.problems.convert(sheet, value_cell, to_text, key_text)
                if value is not None:
                    extra[key_text] = value
                continue
            if info_field.key in key_cells:
                first = key_cells[info_field.key].coordinate
                self.problems.report(sheet, key_cell.coordinate, say("info.twice", key=key_text, first=first),
                                     expected=say("info.twice.expected", names=names_of(info_field)),
                                     hint=say("info.twice.hint"))
                continue
            key_cells[info_field.key] = key_cell
            value_cells[info_field.key] = value_cell.coordinate
            values[info_field.key] = self._info_value(sheet, info_field, key_text, value_cell)
        start, end = values.get("start_date"), values.get("end_date")
        if start is not None and end is not None and end < start:
            self.problems.report(sheet, value_cells["end_date"], say("info.end_before_start", start=start.isoformat()),
                                 expected=say("info.end_before_start.expected", start=start.isoformat()),
                                 found=end.isoformat(), hint=say("info.end_before_start.hint"))
        self.places["info"] = SheetPlace(sheet.name, cells=value_cells)
        return ReportInfo(**values, extra=extra)

    @staticmethod
    def _value_beside(row: tuple[Cell, ...], key_cell: Cell) -> Cell:
        """The cell right of a key, past the key's own merged range."""
        column = key_cell.column + 1
        while key_cell.merged_range and cell_at(row, column).merged_range == key_cell.merged_range:
            column += 1
        return cell_at(row, column) if column <= len(row) else Cell(key_cell.row, column)

    def _info_value(self, sheet: Sheet, info_field: schema.Column, key_text: str, value_cell: Cell):
        if info_field.kind == schema.DATE:
            return self.problems.convert(sheet, value_cell, to_date, key_text)
        text = self.problems.convert(sheet, value_cell, to_text, key_text)
        parsers = {
            "period": (schema.parse_period, schema.PERIOD_NAMES),
            "level": (schema.parse_level, schema.LEVEL_NAMES),
            "language": (schema.parse_language, schema.LANGUAGE_NAMES),
        }
        if text is None or info_field.key not in parsers:
            return text
        parse, names = parsers[info_field.key]
        parsed = parse(text)
        if parsed is None:
            spellings = {schema.normalize_name(name): name for aliases in names.values() for name in aliases}
            close = difflib.get_close_matches(schema.normalize_name(text), list(spellings), n=1, cutoff=0.6)
            self.problems.report(sheet, value_cell.coordinate,
                                 say("info.unknown", key=key_text, what=say(f"info.what.{info_field.key}")),
                                 expected=_choices(names), found=text,
                                 hint=say("info.unknown.hint.close", close=spellings[close[0]]) if close
                                 else say("info.unknown.hint"))
        return parsed

    # -- table sheets

    def _table(self, section: schema.Section, sheet: Sheet) -> tuple:
        facts = self.facts.get(sheet.name)
        header = find_header(section, sheet, self.problems, facts.header_row if facts else None)
        if header is None:
            return ()
        self._headers[sheet.name] = header
        data_rows = [row for row in sheet.rows if row[0].row > header.row]
        # A row with only a note (a footnote under the table) is no row of a section without a note field.
        notes = {header.columns.get("note")} if schema.NOTE not in section.columns else set()
        used = sorted((set(header.columns.values()) - notes) | {column for column, _label in header.labels})
        data_rows = [row for row in data_rows if fills_any(row, used) and not self._totals_row(sheet, row, used)]
        rows = [RowReader(self.problems, facts, sheet, section, header, row) for row in data_rows]
        # A builder yields one item (None for a row it cannot build) per row, so rows and items line up.
        kept = [(row, item) for row, item in zip(data_rows, SECTION_BUILDERS[section.key](rows)) if item is not None]
        letters = {label: column_letter(column) for column, label in header.labels}
        letters.update({key: column_letter(column) for key, column in header.columns.items()})
        self.places[section.key] = SheetPlace(
            sheet.name, columns=letters, rows=tuple(row[0].row for row, _ in kept), header_row=header.row
        )
        return tuple(item for _, item in kept)

    def _totals_row(self, sheet: Sheet, row: tuple[Cell, ...], used: list[int]) -> bool:
        """A row headed 合计 / Total: the table's own totals, no row of data (docgen works them out itself)."""
        first = next((cell_at(row, column) for column in used if not is_blank(cell_at(row, column).value)), None)
        label = display_text(first.value) if first is not None else ""
        if not schema.is_total_label(label):
            return False
        self.problems.doubts.append(plausibility.totals_left_out(sheet.name, first.coordinate, label))
        return True

    # -- generic sheets

    def _generic(self, sheet: Sheet) -> GenericSection | None:
        rows = [row for row in sheet.rows if not is_blank_row(row)]
        if len(rows) >= 2 and looks_like_title(rows[0], rows[1]):
            rows = rows[1:]
        if len(rows) < 2:
            return None
        self._headers[sheet.name] = Header(rows[0])
        facts = self.facts.get(sheet.name)
        if facts is not None and facts.span is not None:
            span = range(facts.span[0], facts.span[1] + 1)
        else:
            columns = sorted({cell.column for row in rows for cell in row if not is_blank(cell.value)})
            span = range(columns[0], columns[-1] + 1)
        header = tuple(
            self.problems.convert(sheet, cell_at(rows[0], column), to_text, column_letter(column)) or ""
            for column in span
        )
        body = tuple(
            tuple(
                self.problems.convert(sheet, cell_at(row, column), to_text, name or column_letter(column)) or ""
                for column, name in zip(span, header)
            )
            for row in rows[1:]
        )
        return GenericSection(title=sheet.name.strip(), columns=header, rows=body)


def _info_field(text: str) -> schema.Column | None:
    """The info sheet's field a key names, or None."""
    column = schema.match_column(schema.INFO, text)
    return column if column in schema.INFO.fields else None


def _choices(names_by_key: dict[str, tuple[str, ...]]) -> str:
    """The valid values of a setting, as "月报, 周报 / monthly, weekly"."""
    chinese = [next((n for n in names if is_chinese(n)), key)
               for key, names in names_by_key.items()]
    return f"{', '.join(chinese)} / {', '.join(names_by_key)}"
