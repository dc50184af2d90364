"""The public front: one workbook in, one finished report out, through every stage of the pipeline."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.input import schema
from docgen.errors import ChecksFailed, DocgenError, Location, UsageError
from docgen.word.library import TemplateChoice, choose_template
from docgen.input.model import SalesWorkbook

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.report.checks import CheckRules, Finding
    from docgen.runs.config import Config
    from docgen.word.compiled import CompiledTemplate
    from docgen.report.narrative import TrendThresholds

    # A template compiled for a path and trend thresholds (docgen.word.render.compile_template, or a cache of it).
    CompiledTemplates = Callable[[Path, TrendThresholds], CompiledTemplate]

_CJK = re.compile("[\u3400-\u9fff]")


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
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class RenderedReport:
    output: Path
    settings: ReportSettings
    check: CheckResult | None = None


def resolve_settings(
    workbook: SalesWorkbook,
    *,
    period: str | None = None,
    level: str | None = None,
    lang: str | None = None,
    template: Path | None = None,
    libraries: tuple[Path, ...] = (),
    variant: str | None = None,
    config: Config | None = None,
) -> ReportSettings:
    """Options given on the command line win over the info sheet, and both over docgen.toml.

    Period and level are required. The template is --template's, else the
    first of the library fallback order (docgen.word.library): the `libraries`
    (--templates), DOCGEN_TEMPLATES, docgen.toml's, the built-ins.
    """
    from docgen.word.library import search_path

    config_lang = config.language if config else None
    period, level, lang = _resolve_kind(workbook, period, level, lang, config_lang)
    search = None
    if template is None:
        search = search_path(libraries, config.libraries if config else ())
    variant = variant or (config.variant if config else None)
    choice = choose_template(period, level, lang, explicit=template, libraries=search, variant=variant)
    return ReportSettings(period, level, lang, choice)


def _resolve_kind(
    workbook: SalesWorkbook, period: str | None, level: str | None, lang: str | None, config_lang: str | None = None
) -> tuple[str, str, str]:
    """The report's period, level and language: the options', else the info sheet's, else docgen.toml's language.

    Without any of them the language is guessed from the workbook's names.
    """
    info = workbook.info
    period = period or info.period
    level = level or info.level
    lang = lang or info.language or config_lang or _guess_language(workbook)
    missing = [name for name, value in (("period", period), ("level", level)) if not value]
    if missing:
        from docgen.text.messages import say

        raise UsageError(
            say("report.kind_missing", what=say(f"report.{'_and_'.join(missing)}")),
            location=Location(file=workbook.source),
            hint=say("report.kind_missing.hint", periods="/".join(schema.PERIODS), levels="/".join(schema.LEVELS)),
        )
    return period, level, lang


def _in_report_language(function):
    """Give a DocgenError from making a report the report's language, so the CLI tells it in that language."""

    @functools.wraps(function)
    def wrapper(workbook: SalesWorkbook, *args, **kwargs):
        try:
            return function(workbook, *args, **kwargs)
        except DocgenError as error:
            if error.lang is None:
                options = args[0] if args else kwargs.get("options")
                error.lang = getattr(options, "lang", None) or workbook.info.language or _guess_language(workbook)
            raise

    return wrapper


def _guess_language(workbook: SalesWorkbook) -> str:
    """Chinese when the report's own names are written in Chinese, English otherwise."""
    info = workbook.info
    names = " ".join(filter(None, (info.title, info.organization, info.team, info.author)))
    return "zh" if _CJK.search(names) else "en"


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


@_in_report_language
def check_report(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> CheckResult:
    """docgen check: every finding for a workbook already read (docgen.report.checks), without rendering it."""
    workbook = with_config_defaults(workbook, options.config)
    config_lang = options.config.language if options.config else None
    period, level, lang = _resolve_kind(workbook, options.period, options.level, options.lang, config_lang)
    return _check(workbook, options, period, level, lang)[0]


def naming_fields(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> dict[str, str]:
    """The fields an output naming pattern may use (docgen.runs.config.NAMING_FIELDS) for a workbook's report."""
    from docgen.report import formatting as fmt
    from docgen.report.narrative import Phrasebook

    workbook = with_config_defaults(workbook, options.config)
    config_lang = options.config.language if options.config else None
    period, level, lang = _resolve_kind(workbook, options.period, options.level, options.lang, config_lang)
    info = workbook.info
    start, end = fmt.report_dates(period, info.start_date, info.end_date, options.today or dt.date.today())
    say = Phrasebook(lang)
    return {
        "title": fmt.text(info.title),
        "organization": fmt.text(info.organization),
        "region": fmt.text(info.region),
        "team": fmt.text(info.team),
        "author": fmt.text(info.author),
        "period": period,
        "period_name": say(f"period.name.{period}"),
        "period_label": fmt.period_label(period, start, lang),
        "level": level,
        "level_label": say(f"level.label.{level}"),
        "lang": lang,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "workbook": Path(workbook.source).stem if workbook.source else "",
    }


def with_config_defaults(workbook: SalesWorkbook, config: Config | None) -> SalesWorkbook:
    """The workbook with docgen.toml's organisation and currency unit where its info sheet gives none."""
    from dataclasses import replace

    if config is None:
        return workbook
    info = workbook.info
    filled = {
        name: getattr(config, name)
        for name in ("organization", "currency_unit")
        if getattr(config, name) and not (getattr(info, name) or "").strip()
    }
    return replace(workbook, info=replace(info, **filled)) if filled else workbook


def _charts(template: Path, workbook: SalesWorkbook, lang: str) -> dict[str, tuple[bytes, float]]:
    """The pictures the template shows; matplotlib is only imported for a template that has one."""
    from docgen.word.library import charts_used

    names = charts_used(template)
    if not names:
        return {}
    from docgen.report.charts import make_charts

    return make_charts(names, workbook, lang=lang)


def _check(
    workbook: SalesWorkbook, options: ReportOptions, period: str, level: str, lang: str
) -> tuple[CheckResult, SalesWorkbook | None]:
    from docgen.report import formatting as fmt
    from docgen.report.checks import check_workbook
    from docgen.report.due import due_date

    today = options.today or dt.date.today()
    start, end = fmt.report_dates(period, workbook.info.start_date, workbook.info.end_date, today)
    previous_path, previous = _previous_workbook(workbook, options, period, start)
    findings = check_workbook(
        workbook,
        period=period,
        level=level,
        lang=lang,
        today=today,
        previous=previous,
        rules=_rules(options),
    )
    result = CheckResult(period, level, lang, today, due_date(period, end), previous_path, tuple(findings))
    return result, previous


def _rules(options: ReportOptions) -> CheckRules:
    """The checks' thresholds: the options', else docgen's with docgen.toml's core indicators and [checks]."""
    from dataclasses import replace

    from docgen.report.checks import DEFAULT_RULES, core_indicators

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
    from docgen.report.review import find_previous

    if options.previous is not None:
        path = Path(options.previous)
        if workbook.source and path.resolve() == Path(workbook.source).resolve():
            raise UsageError(
                "--previous names the workbook being reported on",
                location=Location(file=str(path)),
                hint="Give last period's workbook with --previous.",
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
    from docgen.input.workbook import load_workbook

    stat = Path(path).stat() if Path(path).is_file() else None
    if stat is None:
        return load_workbook(path)  # says clearly that it is missing
    return _read_previous(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_previous(path: str, _mtime_ns: int, _size: int) -> SalesWorkbook:
    from docgen.input.workbook import load_workbook

    return load_workbook(path)


@_in_report_language
def build_report(
    workbook: SalesWorkbook, options: ReportOptions = ReportOptions(), *, templates: CompiledTemplates | None = None
) -> BuiltReport:
    """The finished report for a workbook already read, with the findings of docgen check.

    Under `options.strict` any finding raises ChecksFailed (exit 1) before
    anything is rendered: a report that fails its checks is not handed out.
    `templates` gives a template compiled once for many reports (a batch
    worker's cache of docgen.word.render.compile_template); without it the
    template is rendered by render_docx.
    """
    # Imported here so that `docgen --help` does not pay for docxtpl.
    from docgen.report.context import build_context
    from docgen.report.narrative import DEFAULT_THRESHOLDS
    from docgen.word.render import render_docx

    workbook = with_config_defaults(workbook, options.config)
    settings = resolve_settings(
        workbook,
        period=options.period,
        level=options.level,
        lang=options.lang,
        template=options.template,
        libraries=options.libraries,
        variant=options.variant,
        config=options.config,
    )
    check, previous = _check(workbook, options, settings.period, settings.level, settings.lang)
    if options.strict and check.findings:
        raise ChecksFailed(list(check.findings), file=workbook.source)
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
        render = functools.partial(render_docx, settings.template.path, thresholds=thresholds)
    document = render(
        context,
        title=context["report"]["title"],
        author=context["report"]["author"],
        images=_charts(settings.template.path, workbook, settings.lang),
    )
    return BuiltReport(document, settings, check)


@dataclass(frozen=True)
class BuiltReport:
    document: bytes  # the .docx
    settings: ReportSettings
    check: CheckResult


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

    Without an output, the report is named by docgen.toml's [output] naming,
    else after the workbook, in the working folder.
    """
    from docgen.output.files import check_output, write_atomic
    from docgen.input.workbook import load_workbook

    if output is not None:
        check_output(Path(output), force=force)  # before reading: a refused output costs nothing
    workbook = load_workbook(workbook_path)
    if output is None:
        fallback = Path(workbook_path).with_suffix(".docx").name
        output = Path(options.config.output_name(naming_fields(workbook, options), fallback) if options.config else fallback)
        check_output(output, force=force)
    built = build_report(workbook, options)
    write_atomic(Path(output), built.document, force=force)
    return RenderedReport(Path(output), built.settings, built.check)
