"""One report: a workbook read and checked on the page, then made, previewed and downloaded."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.input.schema import LEVELS, PERIODS
from docgen.web import view as web
from docgen.web.safety import choice, language_choice, request_folder, stored_name, suffix_of
from docgen.web.stores import is_id
from docgen.web.uploads import read_form, save, uploaded
from docgen.web.words import say

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Asked:
    """What the form asks of a report; None: docgen decides from the workbook."""

    period: str | None
    level: str | None
    lang: str | None
    template: str | None  # a key of the template table ("monthly-team.zh"), never a path
    with_pdf: bool


def _asked(form) -> Asked:
    template = form.get("template") or None
    return Asked(choice(form.get("period"), PERIODS), choice(form.get("level"), LEVELS),
                 language_choice(form.get("lang")), template if isinstance(template, str) else None,
                 form.get("with_pdf") == "on")


def _options(asked: Asked, request: Request):
    from docgen.runs.report import ReportOptions
    from docgen.web.templates_flow import template_path, user_libraries

    settings = request.app.state.settings
    path = template_path(asked.template, settings) if asked.template else None
    return ReportOptions(period=asked.period, level=asked.level, lang=asked.lang, template=path,
                         find_previous=False, libraries=user_libraries(settings))


def _told(error: DocgenError, lang: str, folder: Path) -> str:
    """The error as the CLI tells it, with the request's folder left out of the file names."""
    return error.text(lang).replace(str(folder) + os.sep, "")


async def report_page(request: Request) -> Response:
    from docgen.web.templates_flow import template_keys

    return web.page(request, "report.html", keys=template_keys(request.app.state.settings))


async def inspect(request: Request) -> Response:
    """How docgen reads the workbook, the findings by severity and what it chose: a part of the page."""
    settings = request.app.state.settings
    lang = request.state.lang
    async with read_form(request, settings) as form:
        files = uploaded(form, "workbook")
        if not files:
            return web.page(request, "reading.html", 400, error=say(lang, "report.no_file"))
        with request_folder() as folder:
            path = save(files[0], folder / stored_name(None, files[0].filename, suffix_of(files[0].filename) or ".xlsx"))
            values = await run_in_threadpool(_inspect, path, _options(_asked(form), request), lang, folder)
        return web.page(request, "reading.html", 200 if "error" not in values else 422, **values)


def section_names(lang: str) -> dict[str, str]:
    """Each section's name as the page's language writes it (目标达成 / Targets), by its key."""
    from docgen.input.schema import SECTIONS

    return {section.key: section.names[0 if lang == "zh" else 1] for section in SECTIONS}


def _inspect(path: Path, options, lang: str, folder: Path) -> dict:
    from docgen.input.inspection import inspect_workbook
    from docgen.input.workbook import load_workbook
    from docgen.report.checks import severity_label
    from docgen.runs.report import check_report, resolve_settings

    try:
        view = inspect_workbook(path)
        sheets = [sheet.reading for sheet in view.sheets]
        if view.problems:
            problems = [_told(p, lang, folder) for p in view.problems]
            return {"sheets": sheets, "section_names": section_names(lang), "error": say(lang, "report.problems"),
                    "problems": problems}
        workbook = load_workbook(path)
        chosen = resolve_settings(workbook, options)
        check = check_report(workbook, options)
    except DocgenError as error:
        return {"error": _told(error, lang, folder), "problems": [], "sheets": []}
    grouped = defaultdict(list)
    for finding in check.findings_in(lang):  # the page's language, whatever the report's
        grouped[finding.severity].append(finding)
    groups = [(severity_label(s, lang), s, grouped[s]) for s in SEVERITIES if grouped[s]]
    return {"sheets": sheets, "section_names": section_names(lang), "groups": groups, "chosen": chosen,
            "due": check.due_date.isoformat(), "template_reason": chosen.template.reason.in_language(lang),
            "template_name": chosen.template.key and str(chosen.template.key) or chosen.template.path.name}


async def make(request: Request) -> Response:
    """The report made: its pages as images, the .docx and the PDF to download."""
    settings = request.app.state.settings
    lang = request.state.lang
    async with read_form(request, settings) as form:
        files = uploaded(form, "workbook")
        if not files:
            return web.page(request, "result.html", 400, error=say(lang, "report.no_file"))
        slots = request.app.state.report_slots
        if not await run_in_threadpool(slots.take, settings.report_wait):
            return web.page_error(request, 503, say(lang, "page.busy"))
        try:
            asked = _asked(form)
            with request_folder() as folder:
                suffix = suffix_of(files[0].filename)
                path = save(files[0], folder / stored_name(None, files[0].filename, suffix or ".xlsx"))
                values = await run_in_threadpool(_make, path, _options(asked, request), asked.with_pdf, lang, folder,
                                                 request.app.state.results)
        finally:
            slots.give_back()
        return web.page(request, "result.html", 200 if "error" not in values else 422, **values)


def _make(path: Path, options, with_pdf: bool, lang: str, folder: Path, results) -> dict:
    from docgen.input.workbook import load_workbook
    from docgen.output.files import write_atomic
    from docgen.runs.report import build_report

    try:
        built = build_report(load_workbook(path), options)
    except DocgenError as error:
        return {"error": _told(error, lang, folder)}
    rid, kept = results.new()
    docx = write_atomic(kept / "report.docx", built.document)
    (kept / "name.txt").write_text(path.stem, encoding="utf-8")
    values = {"rid": rid, "pages": [], "pdf": False, "pdf_error": None, "settings": built.settings,
              "findings": len(built.check.findings)}
    if with_pdf:
        from docgen.output.pdf import convert_to_pdf, preview_pages

        try:
            pdf = convert_to_pdf(docx, kept, timeout=120)
            values["pdf"] = True
            values["pages"] = list(range(1, len(preview_pages(pdf, kept / "pages", dpi=60)) + 1))
        except DocgenError as error:
            values["pdf_error"] = _told(error, lang, folder)
    return values


async def result_file(request: Request) -> Response:
    """A made report's .docx, PDF or page image: chosen by the result's id and a kind, never by a path."""
    rid, kind = request.path_params["rid"], request.path_params["kind"]
    folder = request.app.state.results.path(rid) if is_id(rid) else None
    if folder is None:
        return web.page_error(request, 404, say(request.state.lang, "page.not_found"))
    stem = (folder / "name.txt").read_text(encoding="utf-8") if (folder / "name.txt").is_file() else "report"
    if kind in ("report.docx", "report.pdf"):
        path, download = folder / kind, f"{stem}{Path(kind).suffix}"
    elif kind.startswith("page-") and kind.endswith(".png") and kind[5:-4].isdigit():
        pages = sorted((folder / "pages").glob("*.png")) if (folder / "pages").is_dir() else []
        number = int(kind[5:-4])
        path, download = (pages[number - 1] if 0 < number <= len(pages) else folder / "none"), None
    else:
        path, download = folder / "none", None
    if not path.is_file():
        return web.page_error(request, 404, say(request.state.lang, "page.not_found"))
    return FileResponse(path, filename=download, content_disposition_type="attachment" if download else "inline")


ROUTES = [
    Route("/report", report_page),
    Route("/report/inspect", inspect, methods=["POST"]),
    Route("/report/make", make, methods=["POST"]),
    Route("/results/{rid}/{kind}", result_file),
]
