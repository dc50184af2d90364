"""One report: a workbook in, its settings resolved once, checked, rendered and written; and its name's fields."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import ChecksFailed, DocgenError, Location, UsageError
from docgen.input import schema
from docgen.input.model import SalesWorkbook
from docgen.input.workbook import load_workbook
from docgen.output.files import check_output, write_atomic
from docgen.report import formatting as fmt
from docgen.report.checks import DEFAULT_RULES, CheckRules, Finding, check_workbook
from docgen.report.indicators import core_indicators
from docgen.report.context import build_context
from docgen.report.due import due_date
from docgen.report.narrative import DEFAULT_THRESHOLDS, Phrasebook
from docgen.report.review import find_previous
from docgen.text.language import language_of
from docgen.text.messages import message_language, say
from docgen.runs.template_cache import compiled_template
from docgen.word.library import TemplateChoice, charts_used, choose_template, search_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.report.narrative import TrendThresholds
    from docgen.runs.config import Config
    from docgen.word.compiled import CompiledTemplate

    # A template compiled for a path and trend thresholds (docgen.word.compiled.compile_template, or a cache of it).
    CompiledTemplates = Callable[[Path, TrendThresholds], CompiledTemplate]


@dataclass(frozen=True)
class ReportSettings:
    """What a run resolved: the period, level and language, and the template chosen."""

    period: str
    level: str
    lang: str
    template: TemplateChoice


@dataclass(frozen=True)
class CheckResult:
    """What docgen check found for a report, and what it judged it against."""

    period: str
    level: str
    lang: str
    today: dt.date
    due_date: dt.date
    previous: Path | None  # last period's workbook, given or found; None without one
    findings: tuple[Finding, ...]  # in the report's language, as its findings appendix says them
    # The same checks again, given lang=: their messages in another language; None: only the report's can be had.
    recheck: Callable[..., list[Finding]] | None = field(default=None, repr=False, compare=False)

    def findings_in(self, lang: str) -> tuple[Finding, ...]:
        """The findings with their messages in `lang`: the interface's, when they are printed for the user."""
        if lang == self.lang or self.recheck is None:
            return self.findings
        return tuple(self.recheck(lang=lang))

    @property
    def told(self) -> tuple[Finding, ...]:
        """The findings in the language the user is told in (docs/language.md), whatever the report's."""
        return self.findings_in(message_language(self.lang))


@dataclass(frozen=True)
class RenderedReport:
    output: Path
    settings: ReportSettings
    check: CheckResult | None = None


@dataclass(frozen=True)
class BuiltReport:
    document: bytes  # the .docx
    settings: ReportSettings
    check: CheckResult


@dataclass(frozen=True)
class ReportOptions:
    """What a user may ask of a report on the command line; None means: take it from the workbook."""

    period: str | None = None
    level: str | None = None
    lang: str | None = None
    template: Path | None = None
    today: dt.date | None = None
    # Last period's workbook, for the review of its actions; None: look beside this one (find_previous).
    previous: Path | None = None
    find_previous: bool = True  # False: review last period only when `previous` is given
    strict: bool = False  # any finding fails the run (ChecksFailed, exit 1) and nothing is written
    findings_appendix: bool = False  # the findings become an appendix of the report
    rules: CheckRules | None = None  # the checks' thresholds; None: docgen's defaults
    libraries: tuple[Path, ...] = ()  # --templates folders, searched before DOCGEN_TEMPLATES and docgen.toml's
    variant: str | None = None  # --variant: a region's templates where they exist; None: docgen.toml's
    config: Config | None = None  # docgen.toml as read (docgen.runs.config.load_config); None: no file


# --- the settings, resolved once ------------------------------------------------------


def _kind(workbook: SalesWorkbook, options: ReportOptions) -> tuple[str | None, str | None, str]:
    """The report's period, level and language: the options', else the info sheet's, else docgen.toml's language.

    Without any of them the language is that of the report's own names (docgen.text.language).
    """
    info = workbook.info
    config_lang = options.config.language if options.config else None
    lang = options.lang or info.language or config_lang or _names_language(workbook)
    return options.period or info.period, options.level or info.level, lang


def report_language(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> str:
    """The language a report of `workbook` is written in: --lang, the info sheet's, docgen.toml's, its names'."""
    return _kind(workbook, options)[2]


def _names_language(workbook: SalesWorkbook) -> str:
    info = workbook.info
    return language_of(" ".join(filter(None, (info.title, info.organization, info.team, info.author))))


def _resolve_kind(workbook: SalesWorkbook, options: ReportOptions) -> tuple[str, str, str]:
    """_kind, with period and level required."""
    period, level, lang = _kind(workbook, options)
    missing = [name for name, value in (("period", period), ("level", level)) if not value]
    if missing:
        raise UsageError(
            say("report.kind_missing", what=say(f"report.{'_and_'.join(missing)}")),
            location=Location(file=workbook.source),
            hint=say("report.kind_missing.hint", periods="/".join(schema.PERIODS), levels="/".join(schema.LEVELS)),
        )
    return period, level, lang


def resolve_settings(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> ReportSettings:
    """Options given on the command line win over the info sheet, and both over docgen.toml.

    Period and level are required. The template is --template's, else the
    first of the library fallback order (docgen.word.library): the `libraries`
    (--templates), DOCGEN_TEMPLATES, docgen.toml's, the built-ins.
    """
    config = options.config
    period, level, lang = _resolve_kind(workbook, options)
    search = None
    if options.template is None:
        search = search_path(options.libraries, config.libraries if config else ())
    variant = options.variant or (config.variant if config else None)
    choice = choose_template(period, level, lang, explicit=options.template, libraries=search, variant=variant)
    return ReportSettings(period, level, lang, choice)


def _users(choice: TemplateChoice) -> Path | None:
    """The template chosen, when it is the user's (--template, or a library of theirs): checked before use.

    The built-ins are checked when they are built (scripts/build_templates.py and its tests).
    """
    return None if choice.library is not None and choice.library.builtin else choice.path


def users_template(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> Path | None:
    """The user's template a report of `workbook` would be made with; None for a built-in one, or for a
    report that cannot be resolved (its own record says why)."""
    try:
        return _users(resolve_settings(with_config_defaults(workbook, options.config), options).template)
    except DocgenError:
        return None


def with_config_defaults(workbook: SalesWorkbook, config: Config | None) -> SalesWorkbook:
    """The workbook with docgen.toml's organisation and currency unit where its info sheet gives none."""
    if config is None:
        return workbook
    info = workbook.info
    filled = {
        name: getattr(config, name)
        for name in ("organization", "currency_unit")
        if getattr(config, name) and not (getattr(info, name) or "").strip()
    }
    return replace(workbook, info=replace(info, **filled)) if filled else workbook


def _in_report_language(function):
    """Give a DocgenError from making a report the report's language, so the CLI tells it in that language."""

    @functools.wraps(function)
    def wrapper(workbook: SalesWorkbook, *args, **kwargs):
        try:
            return function(workbook, *args, **kwargs)
        except DocgenError as error:
            if error.lang is None:
                options = args[0] if args else kwargs.get("options")
                error.lang = getattr(options, "lang", None) or workbook.info.language or _names_language(workbook)
            raise

    return wrapper


# --- names --------------------------------------------------------------------------


def name_fields(
    workbook: SalesWorkbook, options: ReportOptions = ReportOptions(), *, person: str | None = None,
    rollup: bool = False,
) -> dict[str, str]:
    """The values of docgen.output.naming.REPORT_FIELDS for a report, by --name and docgen.toml's naming alike.

    `person` is the salesperson of a split; None: the workbook's own, its
    author when it is an individual's. Every field may also be written with
    the info sheet's Chinese name ({团队}, {区域}, {姓名}, {周期}, …; {销售员}
    for person), and every other key of the info sheet by the name it has
    there. A field the workbook does not give is "".
    """
    workbook = with_config_defaults(workbook, options.config)
    info = workbook.info
    if person is None:
        person = (info.author or "") if info.level in (None, "individual") else ""
    period, level, lang = _kind(workbook, replace(options, level=None) if rollup else options)
    words = Phrasebook("zh" if fmt.is_zh(lang) else "en")
    period_label = period_name = start_date = end_date = ""
    if period in schema.PERIODS:
        start, end = fmt.report_dates(period, info.start_date, info.end_date, options.today or dt.date.today())
        period_label, period_name = fmt.period_label(period, start, lang), words(f"period.name.{period}")
        start_date, end_date = start.isoformat(), end.isoformat()
    level_label = words(f"level.label.{level}") if level in schema.LEVELS else (level or "")
    if rollup:
        # Whom a roll-up's {person} names: 团队汇总 / team summary.
        person = say(f"rollup.person.{level if level == 'department' else 'team'}").in_language(words.lang)
    fields = {
        "person": person,
        "team": info.team or "",
        "region": info.region or "",
        "organization": info.organization or "",
        "author": info.author or "",
        "title": info.title or "",
        "period": period_label,
        "period_label": period_label,
        "period_name": period_name,
        "level": level_label.lower(),
        "level_label": level_label,
        "lang": lang,
        "start_date": start_date,
        "end_date": end_date,
        "file": Path(workbook.source).stem if workbook.source else "",
        "workbook": Path(workbook.source).stem if workbook.source else "",
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


# --- checking and building ------------------------------------------------------------


@_in_report_language
def check_report(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> CheckResult:
    """docgen check: every finding for a workbook already read (docgen.report.checks), without rendering it."""
    workbook = with_config_defaults(workbook, options.config)
    return _check(workbook, options, *_resolve_kind(workbook, options))[0]


def _charts(template: Path, workbook: SalesWorkbook, lang: str) -> dict[str, tuple[bytes, float]]:
    """The pictures the template shows."""
    names = charts_used(template)
    if not names:
        return {}
    from docgen.report.charts import make_charts  # matplotlib: only for a template that shows a chart

    return make_charts(names, workbook, lang=lang)


def _check(
    workbook: SalesWorkbook, options: ReportOptions, period: str, level: str, lang: str
) -> tuple[CheckResult, SalesWorkbook | None]:
    today = options.today or dt.date.today()
    start, end = fmt.report_dates(period, workbook.info.start_date, workbook.info.end_date, today)
    previous_path, previous = _previous_workbook(workbook, options, period, start)
    recheck = functools.partial(
        check_workbook, workbook, period=period, level=level, today=today, previous=previous, rules=_rules(options)
    )
    findings = recheck(lang=lang)
    result = CheckResult(
        period, level, lang, today, due_date(period, end), previous_path, tuple(findings),
        recheck=recheck,
    )
    return result, previous


def _rules(options: ReportOptions) -> CheckRules:
    """The checks' thresholds: the options', else docgen's with docgen.toml's core indicators and [checks]."""
    if options.rules is not None:
        return options.rules
    rules = DEFAULT_RULES
    if options.config is not None:
        if options.config.core_indicators:
            rules = replace(rules, core_indicators=core_indicators(options.config.core_indicators))
        rules = replace(rules, **options.config.checks)
    return rules


def _previous_workbook(
    workbook: SalesWorkbook, options: ReportOptions, period: str, start: dt.date
) -> tuple[Path | None, SalesWorkbook | None]:
    """Last period's workbook: the one given, else one found beside this one for the period before."""
    if options.previous is not None:
        path = Path(options.previous)
        if workbook.source and path.resolve() == Path(workbook.source).resolve():
            raise UsageError(
                say("batch.previous_is_this"),
                location=Location(file=str(path)),
                hint=say("batch.previous_is_this.hint"),
            )
        return path, _load_previous(path)
    if not options.find_previous or not workbook.source:
        return None, None
    found = find_previous(workbook.source, period, start)
    if found is None:
        return None, None
    previous = _load_previous(found)
    # A file that says it is of another period is not this report's previous one.
    if previous.info.period not in (None, period):
        return None, None
    return found, previous


def _load_previous(path: Path) -> SalesWorkbook:
    """Last period's workbook, read once per run even when a batch's reports all review it."""
    stat = Path(path).stat() if Path(path).is_file() else None
    if stat is None:
        return load_workbook(path)  # says clearly that it is missing
    return _read_previous(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_previous(path: str, _mtime_ns: int, _size: int) -> SalesWorkbook:
    return load_workbook(path)


@_in_report_language
def build_report(
    workbook: SalesWorkbook, options: ReportOptions = ReportOptions(), *, templates: CompiledTemplates | None = None
) -> BuiltReport:
    """The finished report for a workbook already read, with the findings of docgen check.

    Under `options.strict` any finding raises ChecksFailed (exit 1) before
    anything is rendered: a report that fails its checks is not handed out.
    `templates` gives a template compiled once for many reports (a batch
    worker's cache of docgen.word.compiled.compile_template); without it the
    template is rendered by render_docx.
    """
    workbook = with_config_defaults(workbook, options.config)
    return _build(workbook, options, resolve_settings(workbook, options), templates)


def _build(
    workbook: SalesWorkbook, options: ReportOptions, settings: ReportSettings, templates: CompiledTemplates | None
) -> BuiltReport:
    from docgen.word.limits import confined, run_isolated  # only when a report is rendered, not for docgen check

    check, previous = _check(workbook, options, settings.period, settings.level, settings.lang)
    if options.strict and check.findings:
        raise ChecksFailed(list(check.told), file=workbook.source)
    thresholds = options.config.thresholds if options.config else DEFAULT_THRESHOLDS
    context = build_context(
        workbook,
        period=settings.period,
        level=settings.level,
        lang=settings.lang,
        today=check.today,
        thresholds=thresholds,
        tolerance=_rules(options).tolerance,
        previous=previous,
        findings=check.findings if options.findings_appendix else None,
    )
    if templates is not None:
        render = templates(settings.template.path, thresholds).render
    else:
        # One report: the template compiled once a process (docgen serve, a Python caller's loop and the tests
        # render a template again), under the render limits; the document made in a child process of its own
        # under hard limits, as render_docx does (a template the fast path cannot take goes to render_docx there).
        with confined():
            compiled = compiled_template(settings.template.path, thresholds)
        render = functools.partial(run_isolated, settings.template.path, compiled.render)
    document = render(
        context,
        title=context["report"]["title"],
        author=context["report"]["author"],
        images=_charts(settings.template.path, workbook, settings.lang),
    )
    return BuiltReport(document, settings, check)


def build_document(
    workbook: SalesWorkbook, options: ReportOptions = ReportOptions(), *, templates: CompiledTemplates | None = None
) -> tuple[bytes, ReportSettings]:
    """The finished report for a workbook already read, as .docx bytes, and the settings it used.

    The same as `build_report` without its findings (which batch runs print through build_report).
    """
    built = build_report(workbook, options, templates=templates)
    return built.document, built.settings


def render_workbook(
    workbook_path: Path,
    output: Path | None,
    options: ReportOptions = ReportOptions(),
    *,
    force: bool = False,
) -> RenderedReport:
    """Read a workbook, work out its figures and words, and write the Word report to `output`.

    Without an output, the report is named by docgen.toml's [output] naming
    (docgen.output.naming, as --name), else after the workbook, in the working folder.
    """
    if output is not None:
        check_output(Path(output), force=force)  # before reading: a refused output costs nothing
    workbook = load_workbook(workbook_path)
    built = _render(workbook, options, output, Path(workbook_path).with_suffix(".docx").name, force)
    return RenderedReport(built[0], built[1].settings, built[1].check)


@_in_report_language
def _render(
    workbook: SalesWorkbook, options: ReportOptions, output: Path | None, fallback: str, force: bool
) -> tuple[Path, BuiltReport]:
    workbook = with_config_defaults(workbook, options.config)
    settings = resolve_settings(workbook, options)
    if output is None:
        if options.config is not None:
            resolved = replace(options, period=settings.period, level=settings.level, lang=settings.lang)
            fallback = options.config.output_name(name_fields(workbook, resolved), fallback)
        output = Path(fallback)
        check_output(output, force=force)
    if _users(settings.template) is not None:
        from docgen.word.template_check import refuse_broken_template

        # Every name a template of the user's misspells, at once and with the nearest, rather than the render's first.
        refuse_broken_template(settings.template.path, names_only=True)
    built = _build(workbook, options, settings, None)
    write_atomic(Path(output), built.document, force=force)
    return Path(output), built
