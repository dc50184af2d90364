"""Batch runs: a report per workbook or per salesperson and the team roll-up, made in parallel, with a manifest.

The pieces, in the order a run uses them:

- **Inputs.** Workbooks and folders of workbooks (`collect_inputs`). Each is
  read once, in a worker when there are several.
- **Split.** `--split-by` turns one workbook into one model per salesperson:
  a sheet whose rows carry a salesperson keeps that person's rows only; a
  sheet whose rows carry none is shared by all; the team sheet keeps the
  person's own contribution row, with their share of the whole team. A plain
  split streams the workbook into a spill file as it is read and each worker
  rebuilds its person's model (`docgen.team.split`), so a workbook of thousands
  is never held whole; with `--rollup`, which adds everyone up, the whole
  model is split (`split_workbook`).
- **Roll-up.** The team (or department) report over everyone: the whole
  workbook when it was split (`rollup_workbook`), or all the workbooks of the
  run added up (`combine_workbooks`), with one team contribution row per
  member.
- **Jobs.** Every report is a `Job` that a worker renders and writes
  atomically; one failing job never stops the others (`run_jobs`, which
  `docgen merge` uses too). PDF copies are further jobs in the same pool.
- **Manifest.** OUTDIR/manifest.csv and manifest.json list every record
  with its status, error (sheet and cell) and the input's content hash; they
  are rewritten atomically while the run goes, so a killed run leaves a
  true, partial manifest, and `--resume` skips what is complete and up to date.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import math
import multiprocessing
import os
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from docgen.report import analysis

from docgen.input import schema
from docgen.report import formatting as fmt
from docgen.errors import DocgenError, InvalidWorkbook, Location, UsageError
from docgen.text.messages import message_language, say
from docgen.input.model import GenericSection, Reconciliation, ReportInfo, SalesWorkbook, Target, TeamContribution, TrendSeries
from docgen.output.files import (
    FORMULA_STARTS,
    make_folder,
    name_from_pattern,
    numbered_name,
    path_inside,
    pattern_fields,
    write_atomic,
)
from docgen.paths import check_path, require_regular_file, shown, special_file
from docgen.runs.report import ReportOptions
from docgen.team.split import SplitWorkbook, SpilledPerson, load_person, split_file, with_team_shares

if TYPE_CHECKING:
    from docgen.word.compiled import CompiledTemplate
    from docgen.report.narrative import TrendThresholds

DEFAULT_NAME = "{team}-{person}-{period}.docx"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
# What a folder is searched for: the spreadsheet kinds people save, so that an
# .xls dropped in the folder is reported (as "save it as .xlsx"), not skipped.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")

OK, FAILED, SKIPPED, CHECKED, PENDING = "ok", "failed", "skipped", "checked", "pending"
REPORT, ROLLUP, MERGE = "report", "rollup", "merge"

# Sections whose rows carry a salesperson; the rest (info, team, reconcile) do not.
PERSON_SECTIONS = schema.PERSON_SECTIONS

# The manifest is rewritten at most this often while a run goes (and always at its end).
_MANIFEST_INTERVAL = 0.3


class BatchInterrupted(DocgenError):
    """The run was stopped with Ctrl-C; finished reports are kept and listed in the manifest."""

    exit_code = 130


# --- inputs --------------------------------------------------------------------


def collect_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """The workbooks to read: files as given, and the spreadsheets directly inside each folder, by name.

    A file named that is a FIFO, a device or a socket is refused at once
    (PathError); one found in a folder is kept, to be listed as skipped
    (read_input), never opened.
    """
    found: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            inside = sorted(
                child
                for child in path.iterdir()
                if (child.is_file() or special_file(child) is not None)
                and child.suffix.lower() in SPREADSHEET_SUFFIXES
                # Excel's lock files (~$name.xlsx) and hidden files are not workbooks of the month.
                and not child.name.startswith(("~$", "."))
            )
            if not inside:
                raise UsageError(
                    "the folder holds no workbooks",
                    location=Location(file=str(path)),
                    hint="Put the .xlsx workbooks directly in the folder, or name the files.",
                )
            found += inside
        elif path.exists():
            require_regular_file(path)
            found.append(path)
        else:
            raise UsageError("file not found", location=Location(file=str(path)), hint="Check the path.")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise UsageError("no workbook given", hint="Name workbooks or folders of workbooks.")
    return unique


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's content, which --resume compares."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- splitting a workbook by salesperson ----------------------------------------


def _key(name: object) -> str:
    return " ".join(str(name).split()).casefold()


is_person_column = schema.is_person_column


def _generic_person_column(section: GenericSection) -> int | None:
    return next((i for i, column in enumerate(section.columns) if is_person_column(column)), None)


def people(workbook: SalesWorkbook) -> list[str]:
    """Every salesperson the workbook names: in rows of any sheet and in the team sheet, first-seen order."""
    names: dict[str, str] = {}
    for key in PERSON_SECTIONS:
        for row in getattr(workbook, key):
            if row.person and row.person.strip():
                names.setdefault(_key(row.person), row.person.strip())
    for member in workbook.team:
        names.setdefault(_key(member.member), member.member.strip())
    for section in workbook.generic:
        column = _generic_person_column(section)
        if column is not None:
            for row in section.rows:
                if column < len(row) and row[column].strip():
                    names.setdefault(_key(row[column]), row[column].strip())
    return list(names.values())


class _RowsByPerson:
    """Which rows of each section are whose, found in one pass, so that a split is linear in the rows."""

    def __init__(self, workbook: SalesWorkbook) -> None:
        self.sections: dict[str, dict[str, list[int]]] = {}
        for key in PERSON_SECTIONS:
            rows = getattr(workbook, key)
            if any(row.person for row in rows):
                by_person: dict[str, list[int]] = {}
                for i, row in enumerate(rows):
                    if row.person:
                        by_person.setdefault(_key(row.person), []).append(i)
                self.sections[key] = by_person
        self.team = analysis.analyse_team(workbook.team)
        self.team_rows: dict[str, list[int]] = {}
        for i, member in enumerate(self.team.members):
            self.team_rows.setdefault(_key(member.member.member), []).append(i)
        self.generic: list[dict[str, list[tuple]] | None] = []
        for section in workbook.generic:
            column = _generic_person_column(section)
            if column is None:
                self.generic.append(None)
                continue
            by_person: dict[str, list[tuple]] = {}
            for row in section.rows:
                if column < len(row):
                    by_person.setdefault(_key(row[column]), []).append(row)
            self.generic.append(by_person)


def person_workbook(workbook: SalesWorkbook, person: str, rows: _RowsByPerson | None = None) -> SalesWorkbook:
    """The individual workbook of one salesperson, cut from a workbook that holds everyone.

    A section whose rows name salespeople keeps this person's rows (rows that
    name nobody there are the team's own and are left out); a section that
    names nobody is shared by all. The team sheet keeps the person's own row,
    with their share of the whole team, since a lone row has none. `rows` is
    the workbook's _RowsByPerson, when a split has it already.
    """
    rows = rows or _RowsByPerson(workbook)
    wanted = _key(person)
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
    info = _individual_info(workbook.info, person)
    places = _places_for_rows(workbook, kept_rows)
    if places is not None:
        changes["places"] = places
        changes["doubts"] = _doubts_for_rows(workbook, places, kept_rows)
    return replace(workbook, info=info, present=present, **changes)


def _doubts_for_rows(workbook: SalesWorkbook, places: dict, kept_rows: dict[str, list[int]]) -> tuple:
    """The doubts about the kept rows and about sheets not split: another person's slip is not theirs."""
    kept_sheet_rows = {places[key].sheet: set(places[key].rows) for key in kept_rows if key in places}

    def is_kept(doubt) -> bool:
        rows = kept_sheet_rows.get(doubt.sheet)
        number = (doubt.cell or "").split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return rows is None or not number.isdigit() or int(number) in rows

    return tuple(doubt for doubt in workbook.doubts if is_kept(doubt))


def _individual_info(info: ReportInfo, person: str) -> ReportInfo:
    """The info of one salesperson's report cut from a team's workbook."""
    return replace(info, author=person, level="individual", title=None, introduction=None)


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
    rows = _RowsByPerson(workbook)
    return [(person, person_workbook(workbook, person, rows)) for person in people(workbook)]


def check_split_column(column: str) -> None:
    """Refuse a --split-by column that is not the salesperson column, saying which names are accepted."""
    if not is_person_column(column):
        raise UsageError(
            f"cannot split by “{column}”",
            expected="the salesperson column: " + " / ".join(schema.PERSON.names),
            hint="Reports are split by the salesperson column that any sheet may carry; "
            "write --split-by 销售员 (or leave out the column name). Put --split-by after the workbooks.",
        )


# --- the roll-up ------------------------------------------------------------------


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
        raise UsageError("no workbook to add up for the roll-up", hint="Every input failed; see the manifest.")
    models = [model for _, model in members]
    sections: dict[str, tuple] = {}
    for key in PERSON_SECTIONS:
        rows = [
            row if row.person else replace(row, person=name) for name, model in members for row in getattr(model, key)
        ]
        if key == "market":  # the same event reported by several people is one event
            rows = list({_key(row.event): row for row in reversed(rows)}.values())[::-1]
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
    rates = {_key(t.indicator) for t in targets if t.is_rate}
    averaged: dict[str, Target] = {}
    for target in targets:
        key = _key(target.indicator)
        if key in rates and key not in averaged:
            group = [t for t in targets if _key(t.indicator) == key]
            own = [t for t in group if not t.person]  # the team's own figure, where the sheet gives one
            figures = {name: _mean(getattr(t, name) for t in group) for name in ("target", "actual", "previous", "last_year")}
            averaged[key] = own[0] if own else replace(target, **figures, note=None, person=None)
    targets = tuple(
        averaged.pop(_key(t.indicator)) if _key(t.indicator) in averaged else t
        for t in targets
        if _key(t.indicator) not in rates or _key(t.indicator) in averaged
    )
    series: dict[str, TrendSeries] = {}
    for row in trend:
        key = _key(row.indicator)
        if key in rates and key not in series:
            group = [r for r in trend if _key(r.indicator) == key]
            if any(not r.person for r in group):
                series[key] = next(r for r in group if not r.person)
                continue
            labels = tuple(dict.fromkeys(label for r in group for label in r.labels))
            values = tuple(
                _mean(v for r in group for lab, v in zip(r.labels, r.values) if lab == label) for label in labels
            )
            series[key] = replace(row, labels=labels, values=values, person=None)
    trend = tuple(
        series.pop(_key(r.indicator)) if _key(r.indicator) in series else r
        for r in trend
        if _key(r.indicator) not in rates or _key(r.indicator) in series
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
            _, by_source = rows.setdefault(_key(row.indicator), (row.indicator, {}))
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


# --- names -------------------------------------------------------------------------

_LEVEL_WORDS = {
    "zh": {"individual": "个人", "team": "团队", "department": "部门"},
    "en": {"individual": "individual", "team": "team", "department": "department"},
}
_ROLLUP_WORDS = {
    "zh": {"team": "团队汇总", "department": "部门汇总"},
    "en": {"team": "team summary", "department": "department summary"},
}
NAME_FIELDS = ("person", "team", "region", "period", "level", "lang", "organization", "author", "title", "file")


def _language(workbook: SalesWorkbook, options: ReportOptions) -> str:
    if options.lang or workbook.info.language:
        return options.lang or workbook.info.language
    info = workbook.info
    names = " ".join(filter(None, (info.title, info.organization, info.team, info.author)))
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in names) else "en"


def name_fields(workbook: SalesWorkbook, person: str, options: ReportOptions, *, rollup: bool = False) -> dict:
    """The values a --name pattern may use for a report: person, team, region, period, level, lang, info keys.

    Every field may also be written with the info sheet's Chinese name
    ({团队}, {区域}, {姓名}, {周期}, …; {销售员} for person), and every
    other key of the info sheet by the name it has there.
    """
    info = workbook.info
    lang = _language(workbook, options)
    words = "zh" if fmt.is_zh(lang) else "en"
    period = options.period or info.period
    level = options.level if options.level and not rollup else info.level
    period_text = ""
    if period in schema.PERIODS:
        start, _end = fmt.report_dates(period, info.start_date, info.end_date, options.today or dt.date.today())
        period_text = fmt.period_label(period, start, lang)
    if rollup:
        person = _ROLLUP_WORDS[words].get(level or "team", _ROLLUP_WORDS[words]["team"])
    fields = {
        "person": person,
        "team": info.team or "",
        "region": info.region or "",
        "organization": info.organization or "",
        "author": info.author or "",
        "title": info.title or "",
        "period": period_text,
        "level": _LEVEL_WORDS[words].get(level or "", level or ""),
        "lang": lang,
        "file": Path(workbook.source).stem,
    }
    for column in schema.INFO.fields:
        if column.key in fields:
            for alias in column.names:
                fields.setdefault(alias, fields[column.key])
    for alias in schema.PERSON.names:
        fields.setdefault(alias, person)
    for key, value in info.extra.items():
        fields.setdefault(key, value)
    return fields


def check_pattern(pattern: str, known: Iterable[str] | None = None) -> None:
    """Refuse a --name pattern that is malformed or (given the fields there are) uses a field no record has."""
    try:
        used = pattern_fields(pattern)
    except ValueError as error:
        folder = "folder" in str(error)
        hint = "Leave folders out of --name; choose the folder with -o." if folder else "Write fields as {person}."
        raise UsageError(f"the --name pattern “{pattern}” has {error}", hint=hint) from None
    if known is None:
        return
    known = set(known)
    unknown = [name for name in used if name not in known]
    if unknown:
        raise UsageError(
            f"the --name pattern uses {', '.join('{' + n + '}' for n in unknown)}, which no record has",
            hint="Fields: " + ", ".join("{" + n + "}" for n in sorted(known, key=lambda n: (not n.isascii(), n))) + ".",
        )


# --- jobs and their outcomes --------------------------------------------------------


# The templates a worker (or a one-worker run) has compiled: each is compiled on its first report
# and reused for the rest of the run, by path and file version.
_compiled_templates: dict[tuple, CompiledTemplate] = {}


def compiled_template(path: Path, thresholds: TrendThresholds) -> CompiledTemplate:
    """docgen.word.render.compile_template's template for a path, compiled once per worker and run."""
    from docgen.word.render import compile_template

    try:
        stat = os.stat(path)
    except OSError:
        return compile_template(path, thresholds)  # it renders with docxtpl, which says what is wrong
    key = (os.fspath(path), stat.st_mtime_ns, stat.st_size, thresholds)
    template = _compiled_templates.get(key)
    if template is None:
        if len(_compiled_templates) >= 16:  # a run uses a few; a long-lived process may see many
            _compiled_templates.clear()
        template = _compiled_templates[key] = compile_template(path, thresholds)
    return template


def render_report(workbook: SalesWorkbook, options: ReportOptions) -> tuple[bytes, list[str]]:
    """A worker's job for one report: the .docx bytes of a workbook already read, and its check findings."""
    from docgen.runs.report import build_report

    built = build_report(workbook, options, templates=compiled_template)
    return built.document, [str(finding) for finding in built.check.findings]


def render_spilled_report(part: SpilledPerson, options: ReportOptions) -> tuple[bytes, list[str]]:
    """A worker's job for one salesperson of a workbook split while read: their workbook, then their report."""
    workbook, shares = load_person(part)
    return render_report(with_team_shares(person_workbook(workbook, part.person), shares), options)


@dataclass(frozen=True, slots=True)  # slots: a run of thousands holds a job and an outcome for each
class Job:
    """One document to make: how to render it (a module-level function and its arguments) and where it goes."""

    key: str  # the record's identity across runs, for --resume
    input: str
    person: str
    kind: str  # report, rollup or merge
    output: str  # the file's path (a str: a run of thousands holds one per record)
    input_hash: str
    render: Callable[..., bytes | tuple[bytes, list[str]]]  # the document, or it and its findings
    args: tuple = ()
    row: int | None = None  # the data sheet's row, for a merge
    note: str = ""

    def outcome(self, status: str = PENDING, **details: Any) -> Outcome:
        details.setdefault("note", self.note)
        return Outcome(
            key=self.key,
            input=self.input,
            person=self.person,
            kind=self.kind,
            row="" if self.row is None else str(self.row),
            output=self.output,
            status=status,
            input_hash=self.input_hash,
            **details,
        )


@dataclass(slots=True)
class Outcome:
    """One row of the manifest: what became of a record."""

    input: str
    person: str = ""
    kind: str = REPORT
    row: str = ""
    output: str = ""
    status: str = PENDING
    error: str = ""
    sheet: str = ""
    cell: str = ""
    input_hash: str = ""
    pdf: str = ""
    pdf_status: str = ""
    pdf_error: str = ""
    note: str = ""
    key: str = ""
    problems: list | tuple = ()  # every problem of an invalid workbook (JSON only)
    findings: list | tuple = ()  # docgen check's findings for the report (JSON only)

    @property
    def failed(self) -> bool:
        return self.status == FAILED or self.pdf_status == FAILED


_OUTCOME_FIELDS = tuple(f.name for f in dataclasses.fields(Outcome))
MANIFEST_COLUMNS = tuple(f.name for f in dataclasses.fields(Outcome) if f.name not in {"problems", "findings"})


def error_details(error: DocgenError) -> dict:
    """An error as manifest fields: its whole message on one line, and the sheet and cell of the first problem."""
    problems = list(error.problems) if isinstance(error, InvalidWorkbook) else [error]
    first = problems[0].location if problems else error.location
    return {
        "status": FAILED,
        # In the report's language when known, else the locale's (docgen.text.messages), as the CLI's own errors.
        "error": " ".join(line.strip() for line in error.text(message_language(error.lang)).splitlines() if line.strip()),
        "sheet": first.sheet or "",
        "cell": first.cell or "",
        "problems": [
            {"sheet": p.location.sheet or "", "cell": p.location.cell or "", "message": str(p)} for p in problems
        ]
        if isinstance(error, InvalidWorkbook)
        else [],
    }


def _internal_error(error: BaseException) -> dict:
    return {
        "status": FAILED,
        "error": f"internal error ({type(error).__name__}: {error}); please report this as a bug",
    }


def make_document(job: Job, dry_run: bool = False) -> dict:
    """Render one job and write it atomically (not on a dry run); the outcome's fields, never an exception.

    Runs in a worker: errors come back as plain data, because docgen's errors
    do not survive pickling whole.
    """
    try:
        rendered = job.render(*job.args)
        document, findings = rendered if isinstance(rendered, tuple) else (rendered, [])
        if not dry_run:
            write_atomic(Path(job.output), document, force=True)
    except DocgenError as error:
        return error_details(error)
    except Exception as error:  # a bug in one record must not stop the others
        return _internal_error(error)
    return {"status": CHECKED if dry_run else OK, "findings": findings}


def make_pdf(document: Path, soffice: Path, timeout: float) -> dict:
    """A worker's PDF job: convert a written report; a failure keeps the .docx and is recorded."""
    from docgen.output.pdf import convert_to_pdf

    try:
        written = convert_to_pdf(document, Path(document).parent, soffice=soffice, timeout=timeout)
    except DocgenError as error:
        return {"pdf_status": FAILED, "pdf_error": " ".join(str(error).split())}
    except Exception as error:
        return {"pdf_status": FAILED, "pdf_error": _internal_error(error)["error"]}
    return {"pdf": str(written), "pdf_status": OK}


# --- the manifest ---------------------------------------------------------------------


class Manifest:
    """OUTDIR/manifest.csv and manifest.json, rewritten atomically as records finish."""

    def __init__(self, folder: Path, *, enabled: bool = True) -> None:
        self.folder = Path(folder)
        self.enabled = enabled
        self.rows: dict[str, Outcome] = {}
        self._written = 0.0
        self._interval = _MANIFEST_INTERVAL

    def set(self, outcome: Outcome) -> None:
        self.rows[outcome.key or f"#{len(self.rows)}"] = outcome

    def flush(self, *, now: bool = False) -> None:
        if not self.enabled or (not now and time.monotonic() - self._written < self._interval):
            return
        started = time.monotonic()
        # Written row by row: a run of thousands would otherwise hold its whole manifest three times over.
        write_atomic(self.folder / MANIFEST_CSV, self._write_csv, force=True)
        write_atomic(self.folder / MANIFEST_JSON, self._write_json, force=True)
        self._written = time.monotonic()
        # A big run's manifest takes long to write: writing it at most a twentieth of the time keeps the run fast.
        self._interval = max(_MANIFEST_INTERVAL, 20 * (self._written - started))

    def _write_csv(self, stream: BinaryIO) -> None:
        # The BOM lets Excel open the CSV with its Chinese intact.
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="backslashreplace", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(MANIFEST_COLUMNS)
        for row in self.rows.values():
            writer.writerow([_inert(getattr(row, name)) for name in MANIFEST_COLUMNS])
        text.flush()
        text.detach()

    def _write_json(self, stream: BinaryIO) -> None:
        # One record a line: json's C encoder writes a line ten times as fast as an indented
        # record, and the manifest is rewritten while the workers wait for new records.
        summary = json.dumps(summarise(self.rows.values()), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        stream.write(f'{{\n  "summary": {summary},\n  "records": ['.encode())
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for number, row in enumerate(self.rows.values()):
            record = {name: getattr(row, name) for name in _OUTCOME_FIELDS}
            # A lone surrogate (a name that is not UTF-8) comes out as the JSON escape \udcff.
            stream.write(f'{"," if number else ""}\n    {encode(record)}'.encode("utf-8", "backslashreplace"))
        stream.write(("\n  ]\n}\n" if self.rows else "]\n}\n").encode())


def _inert(value: object) -> object:
    """A value Excel shows as text: one starting as a formula does (=, +, -, @, tab, CR) gets a ' before it.

    OWASP's advice for CSV files: a team named =HYPERLINK(…) must not become
    a live link when the manifest is opened. manifest.json keeps the value as it is.
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def read_manifest(folder: Path) -> dict[str, dict]:
    """The records of an earlier run's manifest.json by key; empty when there is none or it is unreadable."""
    try:
        document = json.loads((Path(folder) / MANIFEST_JSON).read_text(encoding="utf-8"))
        return {row["key"]: row for row in document["records"] if row.get("key")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def summarise(outcomes: Iterable[Outcome]) -> dict[str, int]:
    outcomes = list(outcomes)
    counts = Counter(outcome.status for outcome in outcomes)
    return {
        "records": len(outcomes),
        OK: counts[OK],
        SKIPPED: counts[SKIPPED],
        CHECKED: counts[CHECKED],
        FAILED: sum(outcome.failed for outcome in outcomes),
        PENDING: counts[PENDING],
        "pdf_failed": sum(outcome.pdf_status == FAILED for outcome in outcomes),
    }


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run can leave: .~docgen-*.tmp (reports) and .*.part (PDFs)."""
    removed = []
    for pattern in (".~docgen-*.tmp", ".*.pdf.*.part"):
        for leftover in Path(folder).glob(pattern):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass
    return removed


# --- running jobs -------------------------------------------------------------------


class Progress(Protocol):
    """What a run tells whoever shows its progress."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, what: str) -> None: ...


class _Silent:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, what: str) -> None:
        pass


@dataclass(frozen=True)
class RunSettings:
    """How a run works, whatever it makes: where, how many workers, and what it may replace."""

    output_dir: Path
    jobs: int | None = None  # workers; None: one per CPU
    dry_run: bool = False
    resume: bool = False
    force: bool = False
    pdf: bool = False
    soffice: Path | None = None
    pdf_timeout: float = 120
    combine: Path | None = None

    @property
    def workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)


@dataclass
class RunResult:
    outcomes: list[Outcome]
    output_dir: Path
    dry_run: bool = False
    manifest: Path | None = None
    combined: Path | None = None
    combine_error: str | None = None

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.failed]

    @property
    def ok(self) -> bool:
        return not self.failed and self.combine_error is None

    def summary(self) -> dict:
        return {
            **summarise(self.outcomes),
            "output_dir": str(self.output_dir),
            "manifest": str(self.manifest) if self.manifest else None,
            "combined": str(self.combined) if self.combined else None,
            "combine_error": self.combine_error,
            "dry_run": self.dry_run,
        }


class _InProcess:
    """An executor that runs each job at once in this process: --jobs 1, and single reads."""

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        future.set_result(function(*args))
        return future

    def map(self, function, items):
        return map(function, items)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def _start_worker(environment: dict[str, str], folder: str, run_alive) -> None:
    """In a new worker: take the run's environment and folder, and stop when the run is gone.

    A forkserver worker is forked from a server started earlier, whose
    environment and current folder may be older than the run's.
    """
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)

    def watch() -> None:
        # Only the run holds the pipe's other end: it reads as closed once the run has
        # ended or been killed, and a worker left waiting for work would wait for ever.
        try:
            run_alive.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="docgen-run-watch").start()


class _Pool(ProcessPoolExecutor):
    """Worker processes that end with the run, even when the run is killed."""

    def __init__(self, workers: int, context) -> None:
        alive, self._alive = context.Pipe(duplex=False)
        super().__init__(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(dict(os.environ), os.getcwd(), alive),
        )
        # Start the workers now: they import docgen on the other CPUs while this process reads the workbooks.
        self.submit(os.getpid)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:
            self._alive.close()


def open_pool(workers: int):
    """The worker processes of a run, or an in-process stand-in for one worker."""
    if workers <= 1:
        return _InProcess()
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Workers fork from a server that has imported the renderer once, so each starts warm;
        # unlike plain fork it is safe whatever threads this process runs.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["docgen.runs.batch", "docgen.runs.report", "docgen.report.context", "docgen.word.render", "docgen.word.compiled"]
        )
    else:
        context = multiprocessing.get_context("spawn")
    return _Pool(workers, context)


def run_jobs(
    jobs: Sequence[Job],
    settings: RunSettings,
    *,
    failures: Sequence[Outcome] = (),
    progress: Progress | None = None,
    pool=None,
) -> RunResult:
    """Make every job, in parallel, recording each outcome in the manifest as it comes.

    A list of `jobs` is emptied: the run lets each job go once it is made, so
    that a run of thousands holds their outcomes, not their workbooks.

    `failures` are records that failed before they became jobs (an unreadable
    workbook); they go into the manifest too. Raises UsageError, before
    anything is written, when outputs exist and neither --force nor --resume
    says what to do with them; BatchInterrupted on Ctrl-C, after recording
    what was finished.
    """
    progress = progress or _Silent()
    _compiled_templates.clear()  # each run compiles its templates afresh (workers start empty)
    folder = Path(settings.output_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            "the output folder is a file", location=Location(file=str(folder)), hint="Give a folder with -o."
        )
    earlier = read_manifest(folder) if settings.resume else {}
    manifest = Manifest(folder, enabled=not settings.dry_run)
    for failure in failures:
        manifest.set(failure)
    todo: deque[Job] = deque()
    for job in jobs:
        done = _up_to_date(job, earlier.get(job.key), settings)
        manifest.set(done or job.outcome())
        if done is None:
            todo.append(job)
    if isinstance(jobs, list):
        jobs.clear()  # handed over: each job is let go once made, so a long run does not hold them all
    _refuse_replacing(todo, settings)
    if not settings.dry_run:
        make_folder(folder)  # an OutputError when a parent is a file or may not be written
        if settings.resume:
            remove_leftovers(folder)
    soffice, pdf_problem = _pdf_program(settings)
    manifest.flush(now=True)

    pdf_steps = settings.pdf and not settings.dry_run
    progress.start(len(todo) * (2 if pdf_steps else 1), "Checking" if settings.dry_run else "Writing")
    own_pool = pool is None
    pool = pool if pool is not None else open_pool(min(settings.workers, max(1, len(todo))))
    try:
        _work_through(todo, settings, manifest, progress, pool, soffice, pdf_problem)
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        manifest.flush(now=True)
        done = sum(row.status in (OK, SKIPPED) for row in manifest.rows.values())
        raise BatchInterrupted(
            f"stopped: {done} of {len(manifest.rows)} records finished",
            location=Location(file=str(folder)),
            hint="Finished reports are kept and none is half-written; run the same command with --resume to do the rest.",
        ) from None
    finally:
        if own_pool:
            pool.shutdown(wait=True)
    manifest.flush(now=True)

    result = RunResult(
        list(manifest.rows.values()),
        folder,
        dry_run=settings.dry_run,
        manifest=None if settings.dry_run else folder / MANIFEST_JSON,
    )
    if settings.combine is not None and not settings.dry_run:
        _combine(result, settings)
    return result


def make_documents(jobs: Sequence[Job], dry_run: bool = False) -> list[dict]:
    """make_document for several jobs in one call to a worker."""
    return [make_document(job, dry_run) for job in jobs]


def _work_through(todo: deque[Job], settings, manifest, progress, pool, soffice, pdf_problem) -> None:
    waiting = todo  # taken from as the jobs are handed out
    running: dict[Future, tuple[str, list[Job]]] = {}
    window = 2 * settings.workers  # enough to keep workers busy without holding every job's data in the queue
    # A big run hands its records to the workers a few at a time: this process shares the CPUs with
    # them, and each hand-over costs it about as much as a fifth of a report.
    group = 1 if isinstance(pool, _InProcess) else max(1, min(16, len(waiting) // (16 * settings.workers)))
    while waiting or running:
        while waiting and len(running) < window:
            jobs = [waiting.popleft() for _ in range(min(group, len(waiting)))]
            running[_submit(pool, make_documents, jobs, settings.dry_run)] = ("document", jobs)
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            step, jobs = running.pop(future)
            try:
                outcomes = future.result() if step == "document" else [future.result()]
            except BrokenProcessPool:
                problem = "the worker process stopped unexpectedly (out of memory?); run again with --resume"
                outcomes = [{"status": FAILED, "error": problem} if step == "document" else {
                    "pdf_status": FAILED, "pdf_error": problem}] * len(jobs)
            except Exception as error:  # e.g. a record that cannot be sent to a worker
                failure = _internal_error(error)
                outcomes = [failure if step == "document" else {
                    "pdf_status": FAILED, "pdf_error": failure["error"]}] * len(jobs)
            for job, details in zip(jobs, outcomes):
                row = manifest.rows[job.key]
                for name, value in details.items():
                    setattr(row, name, value)
                progress.advance(_label(job, step))
                if step == "document" and settings.pdf and not settings.dry_run:
                    if row.status != OK:
                        progress.advance(_label(job, "pdf"))
                    elif pdf_problem is not None:
                        row.pdf_status, row.pdf_error = FAILED, pdf_problem
                        progress.advance(_label(job, "pdf"))
                    else:
                        running[_submit(pool, make_pdf, Path(job.output), soffice, settings.pdf_timeout)] = ("pdf", [job])
            manifest.flush()


def _submit(pool, function, *args) -> Future:
    try:
        return pool.submit(function, *args)
    except BrokenProcessPool as error:  # a worker died: every job still to go fails the same way
        future: Future = Future()
        future.set_exception(error)
        return future


def _label(job: Job, step: str) -> str:
    name = Path(job.output).name
    return f"{name} → PDF" if step == "pdf" else name


def _up_to_date(job: Job, earlier: dict | None, settings: RunSettings) -> Outcome | None:
    """The outcome of a record an earlier run finished, when its output is complete and its input unchanged."""
    if not earlier or earlier.get("status") not in (OK, SKIPPED):
        return None
    if earlier.get("input_hash") != job.input_hash or Path(earlier.get("output", "")).name != Path(job.output).name:
        return None
    if not report_opens(Path(job.output)):
        return None
    pdf = {}
    if settings.pdf:
        from docgen.output.pdf import incomplete_pdf

        if earlier.get("pdf_status") != OK or incomplete_pdf(Path(earlier.get("pdf", ""))) is not None:
            return None
        pdf = {"pdf": earlier["pdf"], "pdf_status": OK}
    return job.outcome(SKIPPED, note="up to date: made by an earlier run", **pdf)


def report_opens(path: Path) -> bool:
    """Whether a report an earlier run wrote can be kept: its zip is whole and its main part parses.

    A file cut short, emptied or replaced (an empty zip, a zip of something
    else) is made again rather than trusted because it exists.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:  # every part read back against its checksum
                return False
            with archive.open("word/document.xml") as part:
                root = etree.parse(part, parser).getroot()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    return etree.QName(root).localname == "document"


def _refuse_replacing(todo: Sequence[Job], settings: RunSettings) -> None:
    if settings.dry_run or settings.force:
        return
    if not settings.resume:
        existing = [Path(job.output) for job in todo if Path(job.output).exists()]
        if existing:
            raise UsageError(
                f"{len(existing)} of the reports already exist in the output folder (e.g. {existing[0].name})",
                location=Location(file=str(settings.output_dir)),
                hint="Add --resume to keep the finished ones and make the rest, or --force to make them all again.",
            )
    if settings.combine is not None and Path(settings.combine).exists() and not settings.resume:
        raise UsageError(
            "the --combine file already exists",
            location=Location(file=str(settings.combine)),
            hint="Add --force to replace it, or choose another name.",
        )


def _pdf_program(settings: RunSettings) -> tuple[Path | None, str | None]:
    """LibreOffice, found once for the whole run; without it every PDF fails with the install hint."""
    if not settings.pdf or settings.dry_run:
        return None, None
    from docgen.output.pdf import find_soffice

    try:
        return find_soffice(settings.soffice), None
    except DocgenError as error:
        return None, " ".join(str(error).split())


def _combine(result: RunResult, settings: RunSettings) -> None:
    from docgen.word.compose import combine_documents

    documents = [Path(o.output) for o in result.outcomes if o.status in (OK, SKIPPED) and o.output]
    try:
        result.combined = combine_documents(documents, Path(settings.combine), force=True)
    except DocgenError as error:
        result.combine_error = " ".join(str(error).split())


# --- a batch run ----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOptions:
    """What `docgen batch` is asked to make."""

    name: str = DEFAULT_NAME
    report: ReportOptions = ReportOptions()
    split: bool = False  # one report per salesperson of each workbook
    rollup: bool = False  # and the team (or department) report over everyone


@dataclass
class _Read:
    path: Path
    digest: str
    workbook: SalesWorkbook | None = None
    error: dict | None = None
    split: SplitWorkbook | None = None  # read split by salesperson: their rows wait in a spill file


def read_input(path: Path, split: bool = False, pool=None, workers: int = 1) -> _Read:
    """Read and check one workbook (in a worker); a problem comes back as manifest fields.

    With `split`, the workbook is split by salesperson as it is read (docgen.team.split)
    and only the part everyone shares is held; a `pool` of several `workers`
    reads its sheets in parallel.
    """
    from docgen.input.workbook import load_workbook

    problem = special_file(path)  # a folder's FIFO or device: listed, never opened (reading it would never end)
    if problem is not None:
        note = say("batch.not_read", name=shown(path.name), problem=problem).in_language(message_language())
        return _Read(path, "", error={"status": SKIPPED, "note": note})
    try:
        check_path(path)  # a name that is not UTF-8 could not be written to the manifest
    except DocgenError as error:
        return _Read(path, "", error=error_details(error))
    try:
        digest = file_hash(path)
    except OSError as error:
        return _Read(path, "", error={"status": FAILED, "error": f"{shown(path.name)}: cannot read the file ({error})"})
    try:
        if split:
            spilled = split_file(path, pool=pool, workers=workers)
            return _Read(path, digest, workbook=spilled.checked, split=spilled)
        return _Read(path, digest, workbook=load_workbook(path))
    except DocgenError as error:
        return _Read(path, digest, error=error_details(error))
    except Exception as error:
        return _Read(path, digest, error=_internal_error(error))


def run_batch(
    inputs: Sequence[str | Path],
    options: BatchOptions,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
) -> RunResult:
    """Make a report for every workbook (or every salesperson), and the roll-up, into settings.output_dir."""
    progress = progress or _Silent()
    paths = collect_inputs(inputs)
    check_pattern(options.name)  # its syntax now; its fields once the workbooks are read
    pool = open_pool(settings.workers)
    reads: list[_Read] = []
    try:
        progress.start(len(paths), "Reading")
        # One workbook is read here: a worker would only add the cost of sending it back.
        reader = pool if len(paths) > 1 else _InProcess()
        # A roll-up adds up everyone, so it needs the whole workbook; a plain split streams it,
        # and the sheets of a lone workbook are shared out among the workers.
        read = functools.partial(read_input, split=options.split and not options.rollup)
        if len(paths) == 1 and settings.workers > 1:
            read = functools.partial(read, pool=pool, workers=settings.workers)
        for done in reader.map(read, paths):
            reads.append(done)
            progress.advance(shown(done.path.name))
        jobs, failures = plan_batch(reads, options, settings)
        return run_jobs(jobs, settings, failures=failures, progress=progress, pool=pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for done in reads:
            if done.split is not None:
                done.split.remove()


@dataclass(frozen=True, slots=True)
class _Planned:
    input: str
    key: str
    digest: str
    person: str
    kind: str
    workbook: SalesWorkbook | SpilledPerson  # a person of a workbook split while read is rebuilt by the worker
    options: ReportOptions
    name: str  # the file's name from --name, before names that clash are numbered
    note: str = ""


def _nobody_to_split(read: _Read) -> Outcome:
    return Outcome(
        input=str(read.path),
        key=f"{REPORT}:{read.path.resolve()}:",
        input_hash=read.digest,
        status=FAILED,
        error=f"{read.path.name}: no sheet has a salesperson column (销售员 / Salesperson), "
        "so there is nobody to split by. Add the column to the sheets, or leave out --split-by.",
    )


def _common_folder(paths: Iterable[Path]) -> str:
    """What a roll-up is made from, for the manifest: the inputs' folder, or the inputs when they are spread."""
    paths = list(paths)
    folders = {path.parent for path in paths}
    return str(folders.pop()) if len(folders) == 1 else ", ".join(str(path) for path in paths)


def _made_in_code(options: ReportOptions) -> ReportOptions:
    """Options for a workbook cut or added up here: last period's workbook is not looked up beside it.

    The file beside the input is last period's whole workbook, not this
    person's part of it (nor the team's sum), and looking for it once per
    person would read it once per person.
    """
    if any(option.name == "find_previous" for option in dataclasses.fields(options)):
        return replace(options, find_previous=False)
    return options


def plan_batch(
    reads: Sequence[_Read], options: BatchOptions, settings: RunSettings
) -> tuple[list[Job], list[Outcome]]:
    """The jobs of a batch, named and placed in the output folder, and the records that failed to read."""
    failures: list[Outcome] = []
    planned: list[_Planned] = []
    fields_seen: set[str] = set(NAME_FIELDS)

    def file_name(fields: dict) -> str:  # the names now: a run of thousands need not keep every record's fields
        fields_seen.update(fields)
        return name_from_pattern(options.name, fields)

    # Split reports are individual and the roll-up is a team's, whatever --level says.
    own_level = _made_in_code(replace(options.report, level=None))
    for read in reads:
        where = shown(read.path.resolve())  # shown: a name that is not UTF-8 is a failed record, written safely
        source = shown(read.path)  # one string for all of a workbook's records
        if read.error is not None:
            failures.append(Outcome(input=source, key=f"{REPORT}:{where}:", input_hash=read.digest, **read.error))
            continue
        workbook = read.workbook
        if not options.split:
            person = member_name(workbook)
            person_field = (workbook.info.author or "") if workbook.info.level in (None, "individual") else ""
            fields = name_fields(workbook, person_field, options.report)
            planned.append(
                _Planned(source, f"{REPORT}:{where}:{_key(person)}", read.digest, person, REPORT, workbook,
                         options.report, file_name(fields))
            )
            continue
        if read.split is not None:
            for part in read.split.people:
                individual = replace(workbook, info=_individual_info(workbook.info, part.person))
                planned.append(
                    _Planned(source, f"{REPORT}:{where}:{_key(part.person)}", read.digest, part.person,
                             REPORT, part, own_level, file_name(name_fields(individual, part.person, own_level)))
                )
            if not read.split.people:
                failures.append(_nobody_to_split(read))
            read.split.people = []  # handed over to the jobs, which are let go as they are made
            continue
        members = split_workbook(workbook)
        if not members:
            failures.append(_nobody_to_split(read))
            continue
        for person, model in members:
            planned.append(
                _Planned(source, f"{REPORT}:{where}:{_key(person)}", read.digest, person, REPORT, model,
                         own_level, file_name(name_fields(model, person, own_level)))
            )
        if options.rollup:
            model = rollup_workbook(workbook)
            planned.append(
                _Planned(source, f"{ROLLUP}:{where}", read.digest, "", ROLLUP, model, own_level,
                         file_name(name_fields(model, "", own_level, rollup=True)))
            )
    good = [read for read in reads if read.workbook is not None]
    if options.rollup and not options.split and good:
        level = rollup_level(read.workbook.info.level for read in good)
        model = combine_workbooks([(member_name(read.workbook), read.workbook) for read in good], level)
        left_out = [Path(failure.input).name for failure in failures]
        planned.append(
            _Planned(
                input=_common_folder(read.path for read in good),
                key=f"{ROLLUP}:" + "|".join(sorted(str(read.path.resolve()) for read in good)),
                digest=hashlib.sha256("".join(read.digest for read in good).encode()).hexdigest(),
                person="",
                kind=ROLLUP,
                workbook=model,
                options=own_level,
                name=file_name(name_fields(model, "", own_level, rollup=True)),
                note=f"leaves out what could not be read: {', '.join(left_out)}" if left_out else "",
            )
        )

    check_pattern(options.name, fields_seen)
    taken: set[str] = set()
    if settings.combine is not None:
        taken.add(Path(settings.combine).name.casefold())
    jobs = []
    # The roll-up comes first: it heads a combined file, and keeps its name when a person's would clash.
    for item in sorted(planned, key=lambda item: item.kind != ROLLUP):
        name = numbered_name(item.name, taken)
        jobs.append(
            Job(
                key=item.key,
                input=item.input,
                person=item.person,
                kind=item.kind,
                output=str(path_inside(settings.output_dir, name)),
                input_hash=item.digest,
                render=render_spilled_report if isinstance(item.workbook, SpilledPerson) else render_report,
                args=(item.workbook, item.options),
                note=item.note,
            )
        )
    return jobs, failures
