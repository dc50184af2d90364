"""The public front: one workbook in, one finished report out, through every stage of the pipeline."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .errors import Location, UsageError
from .library import TemplateChoice, choose_template
from .model import SalesWorkbook

_CJK = re.compile("[\u3400-\u9fff]")


@dataclass(frozen=True)
class ReportSettings:
    """What a run resolved: the period, level and language, and the template chosen."""

    period: str
    level: str
    lang: str
    template: TemplateChoice


@dataclass(frozen=True)
class RenderedReport:
    output: Path
    settings: ReportSettings


def resolve_settings(
    workbook: SalesWorkbook,
    *,
    period: str | None = None,
    level: str | None = None,
    lang: str | None = None,
    template: Path | None = None,
) -> ReportSettings:
    """Options given on the command line win over the info sheet; period and level are required."""
    info = workbook.info
    period = period or info.period
    level = level or info.level
    lang = lang or info.language or _guess_language(workbook)
    missing = [name for name, value in (("period", period), ("level", level)) if not value]
    if missing:
        raise UsageError(
            f"the report's {' and '.join(missing)} is not given",
            location=Location(file=workbook.source),
            hint=(
                "Add a 周期 (Period) and 层级 (Level) row to the 报告信息 (Report info) sheet, "
                "or pass --period "
                + "/".join(schema.PERIODS)
                + " and --level "
                + "/".join(schema.LEVELS)
                + "."
            ),
        )
    return ReportSettings(period, level, lang, choose_template(period, level, lang, explicit=template))


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


def build_document(workbook: SalesWorkbook, options: ReportOptions = ReportOptions()) -> tuple[bytes, ReportSettings]:
    """The finished report for a workbook already read, as .docx bytes, and the settings it used."""
    # Imported here so that `docgen --help` does not pay for docxtpl.
    from .context import build_context
    from .render import render_docx

    settings = resolve_settings(
        workbook, period=options.period, level=options.level, lang=options.lang, template=options.template
    )
    context = build_context(
        workbook,
        period=settings.period,
        level=settings.level,
        lang=settings.lang,
        today=options.today or dt.date.today(),
    )
    document = render_docx(
        settings.template.path,
        context,
        title=context["report"]["title"],
        author=context["report"]["author"],
    )
    return document, settings


def render_workbook(
    workbook_path: Path,
    output: Path,
    options: ReportOptions = ReportOptions(),
    *,
    force: bool = False,
) -> RenderedReport:
    """Read a workbook, work out its figures and words, and write the Word report to `output`."""
    from .output import check_output, write_atomic
    from .workbook import load_workbook

    check_output(Path(output), force=force)
    workbook = load_workbook(workbook_path)
    document, settings = build_document(workbook, options)
    write_atomic(Path(output), document, force=force)
    return RenderedReport(Path(output), settings)
