"""The web page of `docgen serve`: one report, the month's batch and the template library, in a browser.

Only this package imports the web framework (Starlette) and its server
(uvicorn). It sits at the top beside cli/ and calls the same library the
command line does; docs/web.md explains its routes and its safety measures.
"""

from __future__ import annotations

__all__ = ["WebSettings", "create_app"]


def __getattr__(name: str):
    # Lazily: `docgen --help` must not load Starlette.
    if name == "create_app":
        from docgen.web.app import create_app

        return create_app
    if name == "WebSettings":
        from docgen.web.safety import WebSettings

        return WebSettings
    raise AttributeError(f"module 'docgen.web' has no attribute {name!r}")
