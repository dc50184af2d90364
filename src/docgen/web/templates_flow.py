"""The template library on the page: the table, explain, a built-in to download, an upload checked first; the blank workbook."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.input.schema import LANGUAGES, LEVELS, PERIODS
from docgen.web import view as web
from docgen.web.safety import choice, request_folder, suffix_of
from docgen.web.uploads import read_form, save, uploaded
from docgen.web.words import say

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_VARIANT = re.compile(r"^[a-z0-9_]{1,30}$")


def user_libraries(settings) -> tuple[Path, ...]:
    """The user's library when it exists: it is searched before the built-ins."""
    return (Path(settings.library),) if settings.library and Path(settings.library).is_dir() else ()


def _libraries(settings):
    from docgen.word.library import search_path

    return search_path(user_libraries(settings), (), environ={})


def _rows(settings):
    from docgen.word.library import listing

    chosen, others = listing(_libraries(settings))
    return chosen + others


def template_keys(settings) -> list[str]:
    return [str(row.key) for row in _rows(settings)]


def template_path(key: str, settings) -> Path | None:
    """The file serving a key of the table: looked up, so a form names a template, never a path."""
    return next((row.path for row in _rows(settings) if str(row.key) == key), None)


async def templates_page(request: Request, **values) -> Response:
    settings = request.app.state.settings
    rows = await run_in_threadpool(_rows, settings)
    return web.page(request, "templates.html", rows=rows, explained=None, check=None, **values)


async def explain(request: Request) -> Response:
    from docgen.word.library import choose_template, explain_choice

    settings = request.app.state.settings
    q = request.query_params
    period, level = choice(q.get("period"), PERIODS) or "monthly", choice(q.get("level"), LEVELS) or "team"
    lang = choice(q.get("language"), LANGUAGES) or "zh"  # the report's; ?lang= is the page's
    variant = q.get("variant") if _VARIANT.match(q.get("variant") or "") else None
    try:
        chosen = choose_template(period, level, lang, libraries=_libraries(settings), variant=variant)
        told = request.state.lang  # the page's language; `lang` is the report's
        explained = {"lines": explain_choice(chosen, told), "path": chosen.path.name,
                     "reason": chosen.reason.in_language(told)}
    except DocgenError as error:
        explained = {"lines": [], "path": "", "reason": error.text(request.state.lang)}
    rows = await run_in_threadpool(_rows, settings)
    return web.page(request, "templates.html", rows=rows, explained=explained, check=None,
                    asked={"period": period, "level": level, "lang": lang, "variant": variant or ""})


async def builtin(request: Request) -> Response:
    from docgen.word.library import builtin_library, parse_key

    key = parse_key(request.path_params["key"])
    library = builtin_library()
    if key is None or key.plain not in library.entries:
        return web.page_error(request, 404, say(request.state.lang, "page.not_found"))
    entry = library.entries[key.plain]
    return Response(entry.path.read_bytes(), media_type=DOCX,
                    headers=_attachment(key.plain.filename))


def _attachment(name: str) -> dict:
    from urllib.parse import quote

    return {"content-disposition": f"attachment; filename*=utf-8''{quote(name)}"}


async def upload(request: Request) -> Response:
    """A customised template into the user's library, once `templates check` finds no error in it."""
    from docgen.output.files import write_atomic
    from docgen.word.library import TemplateKey
    from docgen.word.template_check import ERROR, check_template

    settings = request.app.state.settings
    lang = request.state.lang
    async with read_form(request, settings) as form:
        files = uploaded(form, "template")
        period, level = choice(form.get("period"), PERIODS), choice(form.get("level"), LEVELS)
        template_lang = choice(form.get("lang"), LANGUAGES)
        variant = (form.get("variant") or "").strip()
        if not files or suffix_of(files[0].filename) != ".docx" or not (period and level and template_lang):
            return await templates_page(request, error=say(lang, "templates.no_template"))
        if variant and not _VARIANT.match(variant):
            return await templates_page(request, error=say(lang, "templates.bad_variant"))
        key = TemplateKey(period, level, template_lang, variant or None)
        with request_folder() as folder:
            path = save(files[0], folder / key.filename)
            try:
                problems = await run_in_threadpool(check_template, path)
            except DocgenError as error:
                return await templates_page(request, error=error.text(lang).replace(str(folder) + "/", ""))
            shown = [str(p).replace(str(folder) + "/", "") for p in problems]
            if any(p.severity == ERROR for p in problems):
                return await templates_page(request, error=say(lang, "templates.rejected"), problems=shown)
            library = Path(settings.library)
            library.mkdir(parents=True, exist_ok=True)
            write_atomic(library / key.filename, path.read_bytes(), force=True)
        return await templates_page(request, notice=say(lang, "templates.uploaded", name=key.filename),
                                    problems=shown, warned=bool(shown))


async def blank(request: Request) -> Response:
    """The blank input workbook for a period and level, to hand out."""
    from docgen.input.blank import blank_settings, blank_workbook

    q = request.query_params
    period, level = choice(q.get("period"), PERIODS) or "monthly", choice(q.get("level"), LEVELS) or "individual"
    lang = choice(q.get("language"), LANGUAGES) or request.state.lang  # the workbook's; ?lang= is the page's
    content = await run_in_threadpool(blank_workbook, blank_settings(period, level, lang))
    name = f"{say(lang, 'words.' + level)}{say(lang, 'words.' + period)}-blank.xlsx"
    return Response(content, media_type=XLSX, headers=_attachment(name))


ROUTES = [
    Route("/templates", templates_page),
    Route("/templates/explain", explain),
    Route("/templates/builtin/{key}", builtin),
    Route("/templates/upload", upload, methods=["POST"]),
    Route("/blank", blank),
]
