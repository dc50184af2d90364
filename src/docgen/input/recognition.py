"""Which section a sheet is, and why: by its name, a name close to a section's, or its headers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from docgen.input import schema
from docgen.input.cells import Cell
from docgen.input.headers import HEADER_SEARCH_ROWS, header_cells, is_blank_row
from docgen.input.values import display_text


@dataclass(frozen=True)
class _Fit:
    """How well a sheet's best header row (among its first rows) fits a section's columns."""

    keys: frozenset[str] = frozenset()  # the section's columns the row names (not the person or note)
    headers: tuple[str, ...] = ()  # those headers, as the sheet writes them
    missing: tuple[str, ...] = ()  # the keys of the section's required columns the row lacks
    others: int = 0  # headed cells naming none of the section's columns (an open section's figure columns)

    def fits_named(self, section: schema.Section) -> bool:
        """Enough for a sheet whose name is close to the section's."""
        if section.key_value:
            return len(self.keys) >= 2
        if section.open_columns:
            return "indicator" in self.keys and self.others >= 1
        return not self.missing and len(self.keys) >= min(2, len(section.columns))

    def fits_alone(self, section: schema.Section) -> bool:
        """Enough for any sheet, whatever its name: most of its headers are the section's, required ones too."""
        if section.key_value:
            return len(self.keys) >= 4
        if section.open_columns:  # an indicator column and anything else: too little to tell
            return False
        return not self.missing and len(self.keys) >= 3 and len(self.keys) >= self.others


def _fit(section: schema.Section, head: Iterable[tuple[Cell, ...]]) -> _Fit:
    if section.key_value:  # the info sheet: keys down its first column
        keys, headers = set(), []
        for row in head:
            cells = header_cells(row)
            text = display_text(cells[0].value).rstrip(":： ").strip() if cells else ""
            column = schema.match_column(section, text) if text else None
            found = column if column in section.fields else None
            if found is not None and found.key not in keys:
                keys.add(found.key)
                headers.append(text)
        return _Fit(frozenset(keys), tuple(headers))
    best = _Fit(missing=tuple(c.key for c in section.columns if c.required))
    for row in head:
        keys, headers, others = set(), [], 0
        for cell in header_cells(row):
            text = display_text(cell.value)
            column = schema.match_column(section, text)
            if column is None:
                others += 1
            elif column in section.columns and column is not schema.NOTE and column.key not in keys:
                keys.add(column.key)
                headers.append(text)
        if len(keys) > len(best.keys):
            missing = tuple(c.key for c in section.columns if c.required and c.key not in keys)
            best = _Fit(frozenset(keys), tuple(headers), missing, others)
    return best


@dataclass(frozen=True)
class Recognition:
    """The section a sheet was taken as, and why (SheetReading.how); for a sheet not taken, what it came close to."""

    section: str | None
    how: str  # name | alias | close-name | headers | unknown | instructions
    matched: tuple[str, ...] = ()
    almost: str | None = None
    almost_why: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def inferred(self) -> bool:
        """Taken by a close name or by its headers: the user is told (DG001)."""
        return self.how in ("close-name", "headers")


def recognise_sheet(name: str, rows: Iterable[tuple[Cell, ...]]) -> Recognition:
    """Which section a sheet is, from its name and its first rows (docs/workbook-show.md says the rules).

    A sheet named as a section (or an alias) is that section. Else a name close
    to a section's (目标达成情况, Targets 2026) whose header fits the section's
    columns, else a header row that on its own is plainly the section's (its
    required columns and at least three of its columns, and more of its columns
    than other headers). A tie between two sections takes neither.
    """
    if schema.is_instruction_sheet(name):
        return Recognition(None, "instructions")
    section, how = schema.section_by_name(name)
    if section is not None:
        matched = next(n for n in section.names if schema.normalize_name(n) == schema.normalize_name(name))
        return Recognition(section.key, how, (matched,))
    head = [row for row in islice(rows, HEADER_SEARCH_ROWS) if not is_blank_row(row)]
    fits = {candidate.key: _fit(candidate, head) for candidate in schema.SECTIONS}
    closeness = schema.name_closeness(name)
    named = [(score, len(fits[s.key].keys), s, close) for score, s, close in closeness
             if score >= schema.CLOSE_NAME and fits[s.key].fits_named(s)]
    if named:
        named.sort(key=lambda item: (-item[0], -item[1]))
        if len(named) == 1 or named[0][:2] != named[1][:2]:
            _score, _keys, chosen, close = named[0]
            return Recognition(chosen.key, "close-name", (close,))
    alone = sorted(((len(fits[s.key].keys), s) for s in schema.SECTIONS if fits[s.key].fits_alone(s)),
                   key=lambda item: -item[0])
    if alone and (len(alone) == 1 or alone[0][0] > alone[1][0]):
        chosen = alone[0][1]
        return Recognition(chosen.key, "headers", fits[chosen.key].headers)
    # Not taken: the section it comes closest to, for a finding about a missing section.
    near = next(((s, fits[s.key]) for score, s, _close in closeness if score >= schema.CLOSE_NAME), None)
    if near is not None:
        return Recognition(None, "unknown", almost=near[0].key, almost_why="close-name", missing=near[1].missing)
    partial = [(len(fit.keys), s) for s in schema.SECTIONS
               if not s.key_value and not s.open_columns and len((fit := fits[s.key]).keys) >= 2]
    if partial:
        _keys, chosen = max(partial, key=lambda item: item[0])
        return Recognition(None, "unknown", almost=chosen.key, almost_why="headers", missing=fits[chosen.key].missing)
    return Recognition(None, "unknown")
