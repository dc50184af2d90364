"""docgen batch: the workbooks collected and read, and a report job for each (or for each salesperson) and the roll-up."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from docgen.errors import DocgenError, Location, UsageError, finding_line
from docgen.input import schema
from docgen.input.model import SalesWorkbook
from docgen.input.schema import name_key
from docgen.input.workbook import load_workbook
from docgen.output.naming import REPORT_FIELDS, check_pattern, name_from_pattern, numbered_name
from docgen.output.files import path_inside
from docgen.paths import check_path, lock_file_beside, require_regular_file, shown, special_file
from docgen.runs.engine import InProcess, Job, Progress, RunSettings, open_pool, run_jobs
from docgen.runs.records import Document, Failure, Kind, Outcome, RunResult, Status, in_hand
from docgen.runs.report import ReportOptions, build_report, name_fields, report_language, users_template
from docgen.runs.template_cache import compiled_template
from docgen.team.rollup import combine_workbooks, member_name, rollup_level, rollup_workbook
from docgen.team.split import (
    SplitWorkbook,
    SpilledPerson,
    individual_info,
    load_person,
    person_workbook,
    split_file,
    split_workbook,
    with_team_shares,
)
from docgen.text.language import is_chinese, language_in_hand, workbooks_in_hand
from docgen.text.messages import message_language, say
from docgen.word.template_check import refuse_broken_template

__all__ = ["BatchOptions", "RunSettings", "collect_inputs", "file_hash", "plan_batch", "read_input", "run_batch"]

DEFAULT_NAME = "{team}-{person}-{period}.docx"
# What a folder is searched for: the spreadsheet kinds people save, so that an
# .xls dropped in the folder is reported (as "save it as .xlsx"), not skipped.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")


@dataclass(frozen=True)
class BatchOptions:
    """What `docgen batch` is asked to make."""

    name: str = DEFAULT_NAME
    report: ReportOptions = ReportOptions()
    split: bool = False  # one report per salesperson of each workbook
    rollup: bool = False  # and the team (or department) report over everyone


# --- inputs ----------------------------------------------------------------------------


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
                    say("batch.no_workbooks"),
                    location=Location(file=str(path)),
                    hint=say("batch.no_workbooks.hint"),
                )
            found += inside
        elif path.exists():
            require_regular_file(path)
            found.append(path)
        else:
            raise UsageError(say("file.not_found"), location=Location(file=str(path)), hint=say("batch.not_found.hint"))
    unique = list(dict.fromkeys(found))
    if not unique:
        raise UsageError(say("batch.no_input"), hint=say("batch.no_input.hint"))
    return unique


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's content, which --resume compares."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Read:
    path: Path
    digest: str
    workbook: SalesWorkbook | None = None
    failure: Failure | None = None
    not_read: str | None = None  # why a file found in a folder was not opened (a FIFO, a device)
    split: SplitWorkbook | None = None  # read split by salesperson: their rows wait in a spill file


def read_input(path: Path, split: bool = False, pool=None, workers: int = 1) -> _Read:
    """Read and check one workbook (in a worker); a problem comes back as a Failure.

    With `split`, the workbook is split by salesperson as it is read (docgen.team.split)
    and only the part everyone shares is held; a `pool` of several `workers`
    reads its sheets in parallel.
    """
    problem = special_file(path)  # a folder's FIFO or device: listed, never opened (reading it would never end)
    if problem is not None:
        return _Read(path, "", not_read=say("batch.not_read", name=shown(path.name), problem=problem).in_language(message_language()))
    try:
        check_path(path)  # a name that is not UTF-8 could not be written to the manifest
    except DocgenError as error:
        return _Read(path, "", failure=Failure.of(error))
    try:
        digest = file_hash(path)
    except OSError as error:
        failure = say("batch.cannot_read", name=shown(path.name), reason=error)
        return _Read(path, "", failure=Failure(failure.in_language(message_language())))
    try:
        if split:
            spilled = split_file(path, pool=pool, workers=workers)
            return _Read(path, digest, workbook=spilled.checked, split=spilled)
        return _Read(path, digest, workbook=load_workbook(path))
    except DocgenError as error:
        return _Read(path, digest, failure=Failure.of(error))
    except Exception as error:
        return _Read(path, digest, failure=Failure.internal(error))


# --- the jobs, in a worker -------------------------------------------------------------


def render_report(workbook: SalesWorkbook, options: ReportOptions) -> Document:
    """A worker's job for one report: the .docx of a workbook already read, and its check findings."""
    built = build_report(workbook, options, templates=compiled_template)
    told = message_language(built.settings.lang)
    return Document(built.document, tuple(finding_line(finding, told) for finding in built.check.findings_in(told)))


def render_spilled_report(part: SpilledPerson, options: ReportOptions) -> Document:
    """A worker's job for one salesperson of a workbook split while read: their workbook, then their report."""
    workbook, shares = load_person(part)
    return render_report(with_team_shares(person_workbook(workbook, part.person), shares), options)


# --- a batch run ---------------------------------------------------------------------


def run_batch(
    inputs: Sequence[str | Path],
    options: BatchOptions,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
) -> RunResult:
    """Make a report for every workbook (or every salesperson), and the roll-up, into settings.output_dir."""
    paths = collect_inputs(inputs)
    check_pattern(options.name)  # its syntax now; its fields once the workbooks are read
    if options.report.template is not None:
        refuse_broken_template(options.report.template)  # it would fail every record: say so once, before reading
    pool = open_pool(settings.workers, settings.scheduler)
    reads: list[_Read] = []
    try:
        if progress is not None:
            # Before they are read, Chinese names are all there is to go by for the language in hand.
            named = "zh" if all(is_chinese(path.name) for path in paths) else None
            with workbooks_in_hand(named):
                progress.start(len(paths), say("progress.reading").in_language(message_language()))
        # One workbook is read here: a worker would only add the cost of sending it back.
        # On a cluster they are read here too, and each task takes its part along: no worker need see the inputs.
        local = settings.scheduler is None
        reader = pool if len(paths) > 1 and local else InProcess()
        # A roll-up adds up everyone, so it needs the whole workbook; a plain split streams it (to a spill
        # file here, which a cluster's worker could not read), and the sheets of a lone workbook are
        # shared out among the workers.
        read = functools.partial(read_input, split=options.split and not options.rollup and local)
        if len(paths) == 1 and settings.workers > 1 and local:
            read = functools.partial(read, pool=pool, workers=settings.workers)
        for done in reader.map(read, paths):
            reads.append(done)
            if progress is not None:
                progress.advance(shown(done.path.name))
        # Where no interface language is set, the workbooks' own decides what is said of the run (docs/language.md).
        lang = language_in_hand(
            report_language(done.workbook, options.report) for done in reads if done.workbook is not None
        )
        with in_hand(lang):
            jobs, failures = plan_batch(reads, options, settings)
            result = run_jobs(jobs, settings, failures=failures, progress=progress, pool=pool)
        result.lang = lang
        return result
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
    kind: Kind
    workbook: SalesWorkbook | SpilledPerson  # a person of a workbook split while read is rebuilt by the worker
    options: ReportOptions
    name: str  # the file's name from --name, before names that clash are numbered
    note: str = ""


def _open_in_excel(path: Path) -> str:
    """A record's note when its workbook is open in Excel now: its unsaved edits are not in the report."""
    return say("batch.open_in_excel").in_language(message_language()) if lock_file_beside(path) else ""


def _members_twice(reads: list[_Read]) -> str:
    """The members of a roll-up with more than one workbook ("李明 (a.xlsx, b.xlsx)"): it would count them twice."""
    files: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for read in reads:
        name = member_name(read.workbook)
        names.setdefault(name_key(name), name)
        files.setdefault(name_key(name), []).append(read.path.name)
    zh = message_language() == "zh"
    told = [f"{names[key]}{'（' if zh else ' ('}{('、' if zh else ', ').join(found)}{'）' if zh else ')'}"
            for key, found in files.items() if len(found) > 1]
    return ("；" if zh else "; ").join(told)


def _misspelt_people(split: SplitWorkbook) -> dict[str, str]:
    """Names with no targets row where others have theirs, and so like another's that they are most likely
    that name misspelt (张韦 in one 客户跟进 row for 张伟): person → why no report is made for them."""
    with_targets = [part.person for part in split.people if part.first_section == "targets"]
    places = split.checked.places
    targets = places["targets"].sheet if "targets" in places else schema.section("targets").names[0]
    found = {}
    for part in split.people:
        if part.first_section in ("targets", None) or not with_targets:  # None: named on the team sheet only
            continue
        near = difflib.get_close_matches(part.person, with_targets, n=1, cutoff=0.5)
        place = places.get(part.first_section)
        if near and place is not None:
            told = say("batch.misspelt_person", person=part.person, sheet=place.sheet, row=part.first_row,
                       targets=targets, near=near[0])
            found[part.person] = told.in_language(message_language())
    return found


def _nobody_to_split(read: _Read) -> Outcome:
    return Outcome(
        input=str(read.path),
        key=f"{Kind.REPORT}:{read.path.resolve()}:",
        input_hash=read.digest,
        status=Status.FAILED,
        error=say("batch.nobody_to_split", name=read.path.name).in_language(message_language()),
    )


def _not_read(read: _Read, source: str, where: str) -> Outcome:
    """The record of an input that failed to read, or that was not opened."""
    fields = {"input": source, "key": f"{Kind.REPORT}:{where}:", "input_hash": read.digest}
    if read.failure is not None:  # read before the run knew its workbooks' language: said again in it
        return Outcome.failure(read.failure.said_now(), **fields)
    return Outcome(**fields, status=Status.SKIPPED, note=read.not_read or "")


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
    fields_seen: set[str] = set(REPORT_FIELDS)
    # The user's templates the reports will be made with (from --templates, DOCGEN_TEMPLATES, docgen.toml), by
    # what chooses one: each is checked once before the first document, as --template is.
    templates: dict[tuple, Path | None] = {}

    def file_name(workbook: SalesWorkbook, report: ReportOptions, **person) -> str:
        # The names now: a run of thousands need not keep every record's fields.
        fields = name_fields(workbook, report, **person)
        fields_seen.update(fields)
        kind = (id(report), workbook.info.period, workbook.info.level, report_language(workbook, report))
        if kind not in templates:
            templates[kind] = users_template(workbook, report)
        return name_from_pattern(options.name, fields)

    # Split reports are individual and the roll-up is a team's, whatever --level says.
    own_level = _made_in_code(replace(options.report, level=None))
    for read in reads:
        where = shown(read.path.resolve())  # shown: a name that is not UTF-8 is a failed record, written safely
        source = shown(read.path)  # one string for all of a workbook's records
        workbook = read.workbook
        if workbook is None:
            failures.append(_not_read(read, source, where))
            continue
        open_now = _open_in_excel(read.path)
        if not options.split:
            person = member_name(workbook)
            planned.append(
                _Planned(source, f"{Kind.REPORT}:{where}:{name_key(person)}", read.digest, person, Kind.REPORT,
                         workbook, options.report, file_name(workbook, options.report), open_now)
            )
            continue
        if read.split is not None:
            misspelt = _misspelt_people(read.split)
            for part in read.split.people:
                if part.person in misspelt:
                    failures.append(Outcome(input=source, person=part.person, input_hash=read.digest,
                                            key=f"{Kind.REPORT}:{where}:{name_key(part.person)}",
                                            status=Status.FAILED, error=misspelt[part.person]))  # fmt: skip
                    continue
                individual = replace(workbook, info=individual_info(workbook.info, part.person))
                planned.append(
                    _Planned(source, f"{Kind.REPORT}:{where}:{name_key(part.person)}", read.digest, part.person,
                             Kind.REPORT, part, own_level, file_name(individual, own_level, person=part.person),
                             open_now)
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
                _Planned(source, f"{Kind.REPORT}:{where}:{name_key(person)}", read.digest, person, Kind.REPORT,
                         model, own_level, file_name(model, own_level, person=person), open_now)
            )
        if options.rollup:
            model = rollup_workbook(workbook)
            planned.append(
                _Planned(source, f"{Kind.ROLLUP}:{where}", read.digest, "", Kind.ROLLUP, model, own_level,
                         file_name(model, own_level, rollup=True))
            )
    good = [read for read in reads if read.workbook is not None]
    twice = _members_twice(good) if options.rollup and not options.split else ""
    if twice:
        failures.append(Outcome(
            input=_common_folder(read.path for read in good), kind=Kind.ROLLUP, status=Status.FAILED,
            key=f"{Kind.ROLLUP}:" + "|".join(sorted(str(read.path.resolve()) for read in good)),
            error=say("batch.rollup_twice", members=twice).in_language(message_language()),
        ))  # fmt: skip
    elif options.rollup and not options.split and good:
        level = rollup_level(read.workbook.info.level for read in good)
        model = combine_workbooks([(member_name(read.workbook), read.workbook) for read in good], level)
        left_out = [Path(failure.input).name for failure in failures]
        planned.append(
            _Planned(
                input=_common_folder(read.path for read in good),
                key=f"{Kind.ROLLUP}:" + "|".join(sorted(str(read.path.resolve()) for read in good)),
                digest=hashlib.sha256("".join(read.digest for read in good).encode()).hexdigest(),
                person="",
                kind=Kind.ROLLUP,
                workbook=model,
                options=own_level,
                name=file_name(model, own_level, rollup=True),
                note=say("batch.rollup_leaves_out", names=", ".join(left_out)).in_language(message_language())
                if left_out
                else "",
            )
        )

    check_pattern(options.name, fields_seen)
    for template in dict.fromkeys(path for path in templates.values() if path is not None):
        if template != options.report.template:  # that one was checked before the workbooks were read
            refuse_broken_template(template)  # a misspelt name would fail every report made with it
    taken: set[str] = set()
    if settings.combine is not None:
        taken.add(Path(settings.combine).name.casefold())
    jobs = []
    # The roll-up comes first: it heads a combined file, and keeps its name when a person's would clash.
    for item in sorted(planned, key=lambda item: item.kind != Kind.ROLLUP):
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
