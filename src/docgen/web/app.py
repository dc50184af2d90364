"""The Starlette application: the guard every request passes, the page renderer and the routes."""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import tempfile
from dataclasses import replace
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen.input.schema import LANGUAGES
from docgen.web import batch_flow, report_flow, templates_flow
from docgen.web.view import page_error
from docgen.web.safety import CONTENT_SECURITY_POLICY, MB, Slots, WebSettings, csrf_token, same_secret
from docgen.web.stores import BatchRuns, ResultStore
from docgen.web.words import LANGUAGE_COOKIE, request_language, say

log = logging.getLogger("docgen.web")

PACKAGE = Path(__file__).parent
SESSION_COOKIE = "docgen_session"
TOKEN_COOKIE = "docgen_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BodyTooLarge(Exception):
    """A request body beyond the upload limit, counted as it arrives."""


class Guard:
    """Every request: the access token, the CSRF token of a change, the upload limit and the safety headers."""

    def __init__(self, app, settings: WebSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        lang = request_language(request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE))
        new_cookies: dict[str, str] = {}
        session = request.cookies.get(SESSION_COOKIE)
        if not session:
            session = new_cookies[SESSION_COOKIE] = secrets.token_urlsafe(24)
        scope.setdefault("state", {})
        scope["state"].update(lang=lang, csrf=csrf_token(self.settings, session))
        if request.query_params.get("lang") in LANGUAGES:
            new_cookies[LANGUAGE_COOKIE] = lang

        refusal = self._refusal(request, lang, session, new_cookies)
        if refusal is not None:
            return await self._send(refusal, scope, receive, send, new_cookies)

        limit = self.settings.max_upload_mb * MB
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return await self._send(page_error(request, 413, say(lang, "page.too_large", limit=self.settings.max_upload_mb)),
                                    scope, receive, send, new_cookies)
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
            return message

        async def headed_send(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += _safety_headers() + [(b"set-cookie", _cookie(n, v)) for n, v in new_cookies.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, counted_receive, headed_send)

    def _refusal(self, request: Request, lang: str, session: str, new_cookies: dict) -> Response | None:
        token = self.settings.token
        if token is not None:
            given = request.query_params.get("token")
            if same_secret(given, token):
                new_cookies[TOKEN_COOKIE] = token
                rest = {k: v for k, v in parse_qs(request.url.query).items() if k != "token"}
                return RedirectResponse(request.url.path + ("?" + urlencode(rest, doseq=True) if rest else ""), 303)
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or None
            if not (same_secret(request.cookies.get(TOKEN_COOKIE), token) or same_secret(bearer, token)):
                return page_error(request, 403, say(lang, "page.forbidden"))
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
                return page_error(request, 403, say(lang, "page.csrf"))
            given = request.headers.get("x-csrf-token") or request.query_params.get("csrf")
            if SESSION_COOKIE in new_cookies or not same_secret(given, request.state.csrf):
                return page_error(request, 403, say(lang, "page.csrf"))
        return None

    async def _send(self, response: Response, scope, receive, send, new_cookies: dict) -> None:
        for name, value in _safety_headers():
            response.headers[name.decode()] = value.decode()
        for name, value in new_cookies.items():
            response.headers.append("set-cookie", _cookie(name, value).decode())
        await response(scope, receive, send)


def _safety_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
    ]


def _cookie(name: str, value: str) -> bytes:
    cookie = SimpleCookie()
    cookie[name] = value
    cookie[name]["path"] = "/"
    cookie[name]["samesite"] = "Strict"
    if name != LANGUAGE_COOKIE:
        cookie[name]["httponly"] = True
    return cookie.output(header="").strip().encode()


async def _too_large(request: Request, _error: Exception) -> Response:
    settings = request.app.state.settings
    return page_error(request, 413, say(request.state.lang, "page.too_large", limit=settings.max_upload_mb))


async def _http_error(request: Request, error: HTTPException) -> Response:
    lang = request.state.lang
    if error.status_code == 404:
        return page_error(request, 404, say(lang, "page.not_found"))
    if error.status_code == 405:
        return page_error(request, 405, say(lang, "page.bad_request", what=request.method))
    if "files" in str(error.detail).lower() or "fields" in str(error.detail).lower():
        limit = request.app.state.settings.max_files
        return page_error(request, 413, say(lang, "page.too_many", limit=limit))
    return page_error(request, error.status_code, say(lang, "page.bad_request", what=str(error.detail)))


async def _internal(request: Request, error: Exception) -> Response:
    log.error("unexpected error on %s", request.url.path, exc_info=error)
    return page_error(request, 500, say(getattr(request.state, "lang", "zh"), "page.internal"))


async def home(request: Request) -> Response:
    return RedirectResponse("/report", 303)


async def robots(_request: Request) -> Response:
    return PlainTextResponse("User-agent: *\nDisallow: /\n")


def create_app(settings: WebSettings | None = None) -> Starlette:
    """The page's application; its state holds the settings, the stores and the run slots.

    Without a work_dir the made reports and runs go into a temporary folder,
    removed when the server stops.
    """
    settings = settings or WebSettings()
    own_work = settings.work_dir is None
    work = Path(settings.work_dir) if settings.work_dir else Path(tempfile.mkdtemp(prefix="docgen-serve-"))

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        try:
            yield
        finally:
            if own_work:
                shutil.rmtree(work, ignore_errors=True)

    if settings.library is None:
        settings = replace(settings, library=work / "library")
    routes = [
        Route("/", home),
        Route("/robots.txt", robots),
        *report_flow.ROUTES,
        *batch_flow.ROUTES,
        *templates_flow.ROUTES,
        Mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, settings=settings)],
        exception_handlers={BodyTooLarge: _too_large, HTTPException: _http_error, Exception: _internal},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.results = ResultStore(work / "results", settings.keep_results)
    app.state.runs = BatchRuns(work / "runs", settings.keep_runs)
    app.state.report_slots = Slots(settings.max_reports)
    app.state.batch_slots = Slots(settings.max_batches)
    app.state.work_dir = work
    return app
