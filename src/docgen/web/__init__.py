"""The web page of `docgen serve`: the only package that imports Starlette and uvicorn; docs/web.md explains its routes and safety."""

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
