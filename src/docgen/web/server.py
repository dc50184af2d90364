"""Serving the page: uvicorn on the chosen address, and the browser opened on it once it listens."""

from __future__ import annotations

import threading
import webbrowser
from urllib.parse import quote

from docgen.web.safety import WebSettings


def address(settings: WebSettings) -> str:
    """The address to open: with the token, which the page trades for a cookie at once."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{settings.port}/"
    return url + (f"?token={quote(settings.token)}" if settings.token else "")


def serve(settings: WebSettings, *, open_browser: bool = True) -> None:
    """Run the page until Ctrl-C."""
    import uvicorn

    from docgen.web.app import create_app

    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                            limit_concurrency=64, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    if open_browser:
        def _open_when_up() -> None:
            while not server.started and not server.should_exit:
                threading.Event().wait(0.1)
            if server.started:
                webbrowser.open(address(settings))

        threading.Thread(target=_open_when_up, daemon=True).start()
    server.run()
