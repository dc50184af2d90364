"""Splitting a workbook by salesperson: the one rule of whose a row is, for a workbook read whole or streamed."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path
from typing import Any

from docgen.errors import UsageError
from docgen.input import reader, schema
from docgen.input.model import GenericSection, ReportInfo, SalesWorkbook
from docgen.input.reader import Cell, ReadLimits, Sheet
from docgen.input.schema import name_key
from docgen.input.facts import FactsCollector, SheetFacts, person_key, sheet_layout
from docgen.input.headers import HEADER_SEARCH_ROWS
from docgen.input.workbook import build_workbook
from docgen.report import analysis
from docgen.text.messages import say

# --- whose a row is --------------------------------------------------------------


def owner_key(name: object) -> str:
    """Whose a row is: the name key of the salesperson it names; "" when it names nobody."""
    return name_key(name) if name is not None else ""


def unnamed_rows_are_everyones(any_named: bool, named_only: bool) -> bool:
    """Rows that name nobody are everyone's when no row of their sheet names anyone, nobody's otherwise.

    A sheet docgen does not know (`named_only`) never shares them: its rows
    are about people or about nothing the report reads.
    """
    return not any_named and not named_only


def check_split_column(column: str) -> None:
    """Refuse a --split-by column that is not the salesperson column, saying which names are accepted."""
    if not schema.is_person_column(column):
        raise UsageError(
            say("split.bad_column", column=column),
            expected=say("split.bad_column.expected", names=" / ".join(schema.PERSON.names)),
            hint=say("split.bad_column.hint"),
        )


def individual_info(info: ReportInfo, person: str) -> ReportInfo:
    """The info of one salesperson's report cut from a team's workbook."""
    return replace(info, author=person, level="individual", title=None, introduction=None)


# --- a workbook read whole ----------------------------------------------------------


def _generic_person_column(section: GenericSection) -> int | None:
    return next((i for i, column in enumerate(section.columns) if schema.is_person_column(column)), None)


def people(workbook: SalesWorkbook) -> list[str]:
    """Every salesperson the workbook names: in rows of any sheet and in the team sheet, first-seen order."""
    names: dict[str, str] = {}
    for key in schema.PERSON_SECTIONS:
        for row in getattr(workbook, key):
            if row.person and row.person.strip():
                names.setdefault(owner_key(row.person), row.person.strip())
    for member in workbook.team:
        names.setdefault(owner_key(member.member), member.member.strip())
    for section in workbook.generic:
        column = _generic_person_column(section)
        if column is not None:
            for row in section.rows:
                if column < len(row) and row[column].strip():
                    names.setdefault(owner_key(row[column]), row[column].strip())
    return list(names.values())


class RowsByPerson:
    """Which rows of each section are whose, found in one pass, so that a split is linear in the rows."""

    def __init__(self, workbook: SalesWorkbook) -> None:
        self.sections: dict[str, dict[str, list[int]]] = {}  # a section that is everyone's is not here
        for key in schema.PERSON_SECTIONS:
            rows = getattr(workbook, key)
            if not unnamed_rows_are_everyones(any(row.person for row in rows), named_only=False):
                by_person: dict[str, list[int]] = {}
                for i, row in enumerate(rows):
                    if row.person:
                        by_person.setdefault(owner_key(row.person), []).append(i)
                self.sections[key] = by_person
        self.team = analysis.analyse_team(workbook.team)
        self.team_rows: dict[str, list[int]] = {}
        for i, member in enumerate(self.team.members):
            self.team_rows.setdefault(owner_key(member.member.member), []).append(i)
        self.generic: list[dict[str, list[tuple]] | None] = []
        for section in workbook.generic:
            column = _generic_person_column(section)
            if column is None:  # no salesperson column: everyone's
                self.generic.append(None)
                continue
            rows_of: dict[str, list[tuple]] = {}
            for row in section.rows:
                if column < len(row):
                    rows_of.setdefault(owner_key(row[column]), []).append(row)
            self.generic.append(rows_of)


def person_workbook(workbook: SalesWorkbook, person: str, rows: RowsByPerson | None = None) -> SalesWorkbook:
    """The individual workbook of one salesperson, cut from a workbook that holds everyone.

    A section whose rows name salespeople keeps this person's rows; a section
    that names nobody is shared by all (unnamed_rows_are_everyones). The team
    sheet keeps the person's own row, with their share of the whole team,
    since a lone row has none. `rows` is the workbook's RowsByPerson, when a
    split has it already.
    """
    rows = rows or RowsByPerson(workbook)
    wanted = owner_key(person)
    changes: dict[str, Any] = {}
    kept_rows: dict[str, list[int]] = {}
    for key, by_person in rows.sections.items():
        kept_rows[key] = by_person.get(wanted, [])
        section_rows = getattr(workbook, key)
        changes[key] = tuple(section_rows[i] for i in kept_rows[key])
    team = rows.team
    kept_rows["team"] = rows.team_rows.get(wanted, [])
    changes["team"] = tuple(replace(team.members[i].member, share=team.members[i].share) for i in kept_rows["team"])
    generic = []
    for section, by_person in zip(workbook.generic, rows.generic):
        if by_person is not None:
            section = replace(section, rows=tuple(by_person.get(wanted, ())))
        if section.rows:
            generic.append(section)
    changes["generic"] = tuple(generic)
    titles = {section.title for section in generic}
    present = tuple(
        key
        for key in workbook.present
        if (key.startswith("generic:") and key[len("generic:") :] in titles)
        or (not key.startswith("generic:") and (key not in changes or changes[key]))
    )
    places = _places_for_rows(workbook, kept_rows)
    if places is not None:
        changes["places"] = places
        changes["doubts"] = _doubts_for_rows(workbook, places, kept_rows)
    return replace(workbook, info=individual_info(workbook.info, person), present=present, **changes)


def _doubts_for_rows(workbook: SalesWorkbook, places: dict, kept_rows: dict[str, list[int]]) -> tuple:
    """The doubts about the kept rows and about sheets not split: another person's slip is not theirs."""
    kept_sheet_rows = {places[key].sheet: set(places[key].rows) for key in kept_rows if key in places}

    def is_kept(doubt) -> bool:
        rows = kept_sheet_rows.get(doubt.sheet)
        number = (doubt.cell or "").split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return rows is None or not number.isdigit() or int(number) in rows

    return tuple(doubt for doubt in workbook.doubts if is_kept(doubt))


def _places_for_rows(workbook: SalesWorkbook, kept_rows: dict[str, list[int]]) -> dict | None:
    """Where the kept rows sit in the sheet, for a model that records it (docgen check names cells)."""
    places = getattr(workbook, "places", None)
    if not places:
        return None
    narrowed = {}
    for key, place in places.items():
        rows = getattr(place, "rows", None)
        if key in kept_rows and rows is not None:
            place = replace(place, rows=tuple(rows[i] for i in kept_rows[key] if i < len(rows)))
        narrowed[key] = place
    return narrowed


def split_workbook(workbook: SalesWorkbook) -> list[tuple[str, SalesWorkbook]]:
    """(person, their individual workbook) for every salesperson the workbook names."""
    rows = RowsByPerson(workbook)
    return [(person, person_workbook(workbook, person, rows)) for person in people(workbook)]


# --- a workbook streamed: each person's rows spilled to a file as it is read (docs/runs.md) ---------------

# Rows held before they are written out: a sorted sheet still gives each person a piece or two,
# and what is held does not grow with the workbook.
_FLUSH_ROWS = 512
_SHARES = -1  # a piece holding a member's share of the team, not a sheet's rows

# A row as spilled: its number and its filled cells as (column, value, percent, merged range).
_Row = tuple[int, tuple[tuple, ...]]


@dataclass(frozen=True, slots=True)
class SpilledPerson:
    """What a worker needs to rebuild one salesperson's workbook: small enough to send for every report."""

    spills: tuple[str, ...]  # the spill files (one tuple shared by everyone of a workbook)
    meta: tuple[int, int, int]  # where the workbook's own piece is: file, offset, length
    person: str
    pieces: array  # file, offset, length, file, offset, length … of this person's pieces
    # Where the person is first named: the section's rank (_rank) and the sheet's row (two ints, not a
    # tuple: a run of thousands keeps one for everyone).
    first_rank: int = 0
    first_row: int = 0

    @property
    def first_section(self) -> str | None:
        """The person section the person is first named in (targets when they have targets); None for another."""
        return schema.PERSON_SECTIONS[self.first_rank] if self.first_rank < len(schema.PERSON_SECTIONS) else None


@dataclass
class SplitWorkbook:
    """A workbook split while read: everyone's part checked, and where each person's rows are."""

    source: str
    folder: str  # the spill files' own temporary folder
    spills: tuple[str, ...]
    checked: SalesWorkbook  # titles, headers, shared sheets and rows that name nobody: checked, and the info
    people: list[SpilledPerson]  # in the order the whole workbook names them

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class _Meta:
    source: str
    sheets: tuple[tuple[str, bool], ...]  # name, hidden
    facts: dict[str, SheetFacts]
    shared: array  # the pieces everyone gets


class _Spill:
    """An append-only file of pickled pieces; `number` tells it from the other spill files of a split.

    Pickle is safe here because only this run writes the files: they sit in a
    folder mkdtemp made for it, which no other user may open.
    """

    def __init__(self, stream, number: int) -> None:
        self.stream = stream
        self.number = number
        self.offset = 0

    def write(self, payload: object) -> tuple[int, int, int]:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        self.stream.write(data)
        where = (self.number, self.offset, len(data))
        self.offset += len(data)
        return where


class _Person:
    __slots__ = ("name", "rank", "pieces")

    def __init__(self, name: str, rank: tuple[int, int]) -> None:
        self.name = name
        self.rank = rank
        self.pieces = array("q")

    def merge(self, other: _Person) -> None:
        if other.rank < self.rank:
            self.name, self.rank = other.name, other.rank
        self.pieces.extend(other.pieces)


@dataclass
class _SheetPart:
    """One sheet, split: what it gives everyone and what is checked in the run's process."""

    number: int  # the sheet's place among those the model reads
    name: str
    hidden: bool
    facts: SheetFacts | None
    shared: array
    checked: list[_Row]  # titles, the header, rows that name nobody, or the whole sheet when it is everyone's
    team: list[_Row] | None = None  # the team sheet's figures: each member's share needs everyone's


def _encode(row: tuple[Cell, ...]) -> _Row:
    return row[0].row, tuple(
        (cell.column, cell.value, cell.percent, cell.merged_range) for cell in row if cell.value is not None
    )


def _decode(row: _Row) -> tuple[Cell, ...]:
    number, filled = row
    by_column = {column: Cell(number, column, value, percent, merged) for column, value, percent, merged in filled}
    return tuple(by_column.get(column) or Cell(number, column) for column in range(1, max(by_column) + 1))


def _rank(section: str, sheet_number: int) -> int:
    """Where a section comes when the people are listed: the person sections in their order, the team, the rest."""
    if section in schema.PERSON_SECTIONS:
        return schema.PERSON_SECTIONS.index(section)
    return len(schema.PERSON_SECTIONS) + (0 if section == "team" else 1 + sheet_number)


def split_file(path: str | Path, limits: ReadLimits | None = None, *, pool=None, workers: int = 1) -> SplitWorkbook:
    """Read a workbook once, spilling each salesperson's rows; raises InvalidWorkbook for the shared part.

    With a process `pool` of several `workers`, the sheets are shared out
    among them, each sheet parsed once. The caller removes the spill files
    (SplitWorkbook.remove) when the reports are made.
    """
    file = str(path)
    folder = _spill_folder()
    spills: list[str] = []
    try:
        with reader.open_workbook(file, limits) as book:
            read = [(index, info.name) for index, info in enumerate(book.sheets)
                    if not (info.hidden or schema.is_instruction_sheet(info.name))]  # the model leaves them out
            groups = _share_out(list(enumerate(read)), book, workers if pool is not None else 1)
            futures = [pool.submit(_split_in_worker, file, limits, group, number, folder) for number, group in
                       enumerate(groups)] if len(groups) > 1 else []
            parts: list[_SheetPart] = []
            people: dict[str, _Person] = {}
            for number, group in enumerate(groups):
                done = _result(futures[number]) if futures else None
                if done is None:  # one worker, or a worker met a problem: meet it here, where it can be told whole
                    done = _split_group(book, group, number, folder)
                spill_name, group_parts, group_people = done
                spills.append(spill_name)
                parts.extend(group_parts)
                if not people:
                    people = group_people
                    continue
                for key, person in group_people.items():
                    if key in people:
                        people[key].merge(person)
                    else:
                        people[key] = person
        return _assemble(file, sorted(parts, key=lambda part: part.number), people, spills, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _spill_folder() -> str:
    """A new temporary folder for a split's spill files, named by this process, once abandoned ones are gone."""
    if os.name == "posix":  # where a process's existence can be asked without touching it
        for abandoned in Path(tempfile.gettempdir()).glob("docgen-split-*-*"):
            pid = abandoned.name.split("-")[2]
            # A run killed before it could clean up; an hour old, in case the pid is another machine's.
            if pid.isdigit() and not _running(int(pid)) and _age(abandoned) > _ABANDONED_AFTER:
                shutil.rmtree(abandoned, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"docgen-split-{os.getpid()}-")


_ABANDONED_AFTER = 3600.0  # seconds


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def _result(future) -> _Split | None:
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - a worker that died: its sheets are read again in this process
        return None


_Group = list[tuple[int, tuple[int, str]]]  # (the sheet's place in the model, (its index in the file, its name))
_Split = tuple[str, list["_SheetPart"], dict[str, "_Person"]]  # a group's spill file, its sheets, its people


def _share_out(read: _Group, book, workers: int) -> list[_Group]:
    """The sheets in `workers` groups of about the same size, biggest first."""
    if workers <= 1 or len(read) <= 1:
        return [read]

    def size(item) -> int:
        return book.sheet_sizes[item[1][0]]  # the sheet's unpacked XML: how much reading it is

    groups: list[_Group] = [[] for _ in range(min(workers, len(read)))]
    totals = [0] * len(groups)
    for item in sorted(read, key=size, reverse=True):
        smallest = totals.index(min(totals))
        groups[smallest].append(item)
        totals[smallest] += size(item)
    return groups


def _new_spill(number: int, folder: str) -> tuple[_Spill, str]:
    handle, name = tempfile.mkstemp(suffix=".bin", dir=folder)
    return _Spill(os.fdopen(handle, "wb"), number), name


def _split_group(book, group: _Group, file_number: int, folder: str) -> _Split:
    spill, name = _new_spill(file_number, folder)
    people: dict[str, _Person] = {}
    try:
        with spill.stream:
            return name, [_split_sheet(book, index, number, spill, people) for number, (index, _name) in group], people
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _split_in_worker(file: str, limits: ReadLimits | None, group: _Group, file_number: int,
                     folder: str) -> _Split | None:
    """A worker's share of the sheets, spilled to its own file; None when anything goes wrong."""
    try:
        with reader.open_workbook(file, limits) as book:
            return _split_group(book, group, file_number, folder)
    except Exception:  # noqa: BLE001 - the run's process reads these sheets again and reports what it finds
        return None


def _split_sheet(book, index: int, number: int, spill: _Spill, people: dict[str, _Person]) -> _SheetPart:
    """One sheet's rows spilled under the people they name (added to `people`)."""
    info = book.sheets[index]
    rows = book.rows(index)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    layout = sheet_layout(info.name, head)
    if layout is None:  # everyone's: small sheets such as the info sheet
        whole = [_encode(row) for row in chain(head, rows)]
        return _SheetPart(number, info.name, info.hidden, None, array("q", spill.write((number, whole))), whole)
    named = False
    collector = FactsCollector(layout)
    titles: list[_Row] = []
    nobody: list[_Row] = []
    buffer: dict[str, list[_Row]] = {}
    buffered = 0
    team: list[_Row] | None = [] if layout.figures else None
    figures = set(layout.figures)
    rank = _rank(layout.section, number)
    for row in chain(head, rows):
        collector.add(row)
        encoded = _encode(row)
        if team is not None:  # only the figures: a team of thousands is held until its shares are known
            kept = tuple(cell for cell in encoded[1] if cell[0] in figures)
            if kept:
                team.append((encoded[0], kept))
        if row[0].row <= layout.header_row:
            titles.append(encoded)
            continue
        key, name = person_key(row, layout.column)
        if not key:
            nobody.append(encoded)
            continue
        named = True
        person = people.get(key)
        if person is None:
            people[key] = _Person(name, (rank, row[0].row))
        elif (rank, row[0].row) < person.rank:  # named earlier in the order the people are listed in
            person.name, person.rank = name, (rank, row[0].row)
        buffer.setdefault(key, []).append(encoded)
        buffered += 1
        if buffered >= _FLUSH_ROWS:
            _flush(spill, number, buffer, people)
            buffered = 0
    _flush(spill, number, buffer, people)
    if unnamed_rows_are_everyones(named, layout.named_only):
        titles.extend(nobody)  # no row names anyone: they are everyone's
        nobody = []
    shared = array("q", spill.write((number, titles)))
    return _SheetPart(number, info.name, info.hidden, collector.result(), shared, titles + nobody, team)


def _flush(spill: _Spill, number: int, buffer: dict[str, list[_Row]], people: dict[str, _Person]) -> None:
    for key, rows in buffer.items():
        people[key].pieces.extend(spill.write((number, rows)))
    buffer.clear()


def _assemble(file: str, parts: list[_SheetPart], people: dict[str, _Person], spills: list[str],
              folder: str) -> SplitWorkbook:
    """The split workbook from its sheets' parts: everyone's part checked, the team's shares, the people in order."""
    facts = {part.name: part.facts for part in parts if part.facts is not None}
    checked = build_workbook(
        file, [Sheet(part.name, tuple(map(_decode, part.checked)), part.hidden) for part in parts], facts
    )  # raises InvalidWorkbook for a mistake everyone's report would share
    info_sheet = checked.places.get("info")
    if info_sheet is not None:  # everyone's reports share it: read once here
        facts[info_sheet.sheet] = SheetFacts(info=(checked.info, info_sheet))
    shared = array("q")
    for part in parts:
        shared.extend(part.shared)
    spill, name = _new_spill(len(spills), folder)
    spills.append(name)
    with spill.stream:
        team = next((part for part in parts if part.team is not None), None)
        if team is not None:
            _spill_team_shares(file, spill, team, facts, people)
        meta = spill.write(_Meta(file, tuple((part.name, part.hidden) for part in parts), facts, shared))
    names = tuple(spills)
    ordered = sorted(people.values(), key=lambda person: person.rank)
    return SplitWorkbook(
        source=file,
        folder=folder,
        spills=names,
        checked=checked,
        people=[SpilledPerson(names, meta, person.name, person.pieces, *person.rank) for person in ordered],
    )


def _spill_team_shares(file: str, spill: _Spill, team: _SheetPart, facts: dict[str, SheetFacts],
                       people: dict[str, _Person]) -> None:
    """Each member's share of the whole team, which their own row alone cannot give."""
    header_row = facts[team.name].header_row or 0
    titles = [row for row in team.team if row[0] <= header_row]
    rows = [row for row in team.team if row[0] > header_row]
    members = []
    for start in range(0, len(rows), _FLUSH_ROWS):  # a few hundred rows at a time: cells are bigger than figures
        chunk = Sheet(team.name, tuple(map(_decode, chain(titles, rows[start:start + _FLUSH_ROWS]))))
        members.extend(build_workbook(file, [chunk], facts).team)  # raises InvalidWorkbook for a bad team row
    for member in analysis.analyse_team(members).members:
        person = people.get(owner_key(member.member.member))
        if person is not None:
            person.pieces.extend(spill.write((_SHARES, member.share)))


# --- in the worker -----------------------------------------------------------------

_metas: dict[tuple[tuple[str, ...], tuple[int, int, int]], _Meta] = {}


def load_person(part: SpilledPerson) -> tuple[SalesWorkbook, list[float | None] | None]:
    """The workbook of one person's rows (with everyone's), and their shares of the team when known.

    Raises InvalidWorkbook for a mistake in their rows.
    """
    streams: dict[int, object] = {}
    try:
        def piece(number: int, offset: int, length: int):
            if number not in streams:
                streams[number] = open(part.spills[number], "rb")
            stream = streams[number]
            stream.seek(offset)
            return pickle.loads(stream.read(length))

        meta = _metas.get((part.spills, part.meta))
        if meta is None:
            _metas.clear()  # one split at a time
            meta = _metas[(part.spills, part.meta)] = piece(*part.meta)
        rows: list[list[_Row]] = [[] for _ in meta.sheets]
        shares: list[float | None] | None = None
        for number, payload in (piece(*where) for where in _triples(chain(meta.shared, part.pieces))):
            if number == _SHARES:  # one for each of the person's team rows, in their order
                shares = [*(shares or ()), payload]
            else:
                rows[number].extend(payload)
    finally:
        for stream in streams.values():
            stream.close()
    sheets = [
        Sheet(name, tuple(_decode(row) for row in sorted(sheet_rows, key=lambda row: row[0])), hidden)
        for (name, hidden), sheet_rows in zip(meta.sheets, rows)
    ]
    return build_workbook(meta.source, sheets, meta.facts), shares


def _triples(numbers: Iterable[int]) -> Iterator[tuple[int, int, int]]:
    numbers = iter(numbers)
    return zip(numbers, numbers, numbers)


def with_team_shares(workbook: SalesWorkbook, shares: list[float | None] | None) -> SalesWorkbook:
    """The person's team rows with their shares of the whole team."""
    if shares is None or not workbook.team:
        return workbook
    return replace(workbook, team=tuple(replace(member, share=share) for member, share in zip(workbook.team, shares)))
