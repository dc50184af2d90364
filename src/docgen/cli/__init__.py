"""The command line: only this package imports click; the group is in app.py and each command registers itself from a module of its own."""

from __future__ import annotations

from .app import main

# Imported for their side effect: each module adds its commands to `main`.
from . import batch, check, merge, pdf, render, serve, templates, workbook  # noqa: F401

__all__ = ["main"]
