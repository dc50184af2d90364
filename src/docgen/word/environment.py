"""The one Jinja environment templates are rendered and checked in, and the context made safe for it."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds
from docgen.word.filters import make_filters
from docgen.word.limits import current_limits
from docgen.word.ooxml import clean_text
from docgen.word.sandbox import Sandbox


def make_environment(thresholds: TrendThresholds = DEFAULT_THRESHOLDS, *, lenient: bool = False) -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaped, strict, with docgen's filters.

    A render's output (a part's XML) is capped at the output limit (docgen.word.limits).
    `lenient` lets an unknown variable print as nothing: trial_render's.
    """
    # StrictUndefined turns a misspelt variable into an error that names it,
    # instead of a report with a silent hole in it.
    environment = Sandbox(
        autoescape=True,
        undefined=jinja2.ChainableUndefined if lenient else jinja2.StrictUndefined,
        output_characters=current_limits().output_characters,
    )
    environment.filters.update(make_filters(thresholds))
    return environment


def sanitise(value: Any) -> Any:
    """A copy of a context with every string made safe for WordprocessingML."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: sanitise(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitise(item) for item in value]
    return value
