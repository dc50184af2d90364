"""The command line: parses options, calls the library, and turns its errors into messages and exit codes.

Only this package imports click. The group is in app.py; each command lives
in a module of its own and registers itself on it when imported below.
"""

from __future__ import annotations

from .app import main

# Imported for their side effect: each module adds its commands to `main`.
from . import batch, check, merge, pdf, render, serve, templates, workbook  # noqa: F401

__all__ = ["main"]
