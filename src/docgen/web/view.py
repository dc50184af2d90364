"""The page renderer: the Jinja pages of docgen.web, in the request's language, autoescaped."""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from docgen.input.schema import LANGUAGES, LEVELS, PERIODS
from docgen.web.words import words

PACKAGE = Path(__file__).parent

_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PACKAGE / "pages"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, name: str, code: int = 200, **values) -> HTMLResponse:
    """A page of docgen.web.pages, in the request's language, with what every page needs."""
    lang = request.state.lang
    html = _PAGES.get_template(name).render(
        w=words(lang), lang=lang, other_lang="en" if lang == "zh" else "zh", csrf=request.state.csrf,
        path=request.url.path, switch_to=request.url.path if request.method == "GET" else "/report",
        periods=PERIODS, levels=LEVELS, languages=LANGUAGES, **values,
    )
    return HTMLResponse(html, status_code=code)


def page_error(request: Request, status: int, message: str) -> HTMLResponse:
    if not hasattr(request.state, "lang"):
        request.state.lang = "zh"
    return page(request, "message.html", status, message=message)


