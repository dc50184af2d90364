"""How much of a workbook is read (ReadLimits), so that a huge file cannot stall a run."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from docgen.errors import UsageError
from docgen.text.messages import say


@dataclass(frozen=True)
class ReadLimits:
    """How much of a workbook is read, so a huge file cannot stall a run.

    The limits count what is there (rows with data, filled cells, bytes), never
    gaps: empty rows are skipped at little cost, however many there are.
    """

    max_rows_per_sheet: int | None = 100_000  # data below this row is refused; None: no limit
    max_cells: int | None = 1_000_000  # non-empty cells in the whole workbook; None: no limit
    # What the file may unpack to, checked from the zip's directory before anything is parsed.
    # The total is what bounds the work; a part's ratio is only a second signal. Deflate
    # packs at most about 1,030 to 1, and genuine sheets of long repeated text reach 100
    # to 200 to 1 (54 MB from 460 KB is 117 to 1), so a part is refused only when it is
    # both big and packed like filler written to inflate: what a real bomb is.
    max_unpacked_bytes: int = 1 << 30
    max_part_ratio: int = 500  # unpacked / packed size of one part ...
    part_ratio_checked_from: int = 32 << 20  # ... for parts that unpack to more than this (bytes)


DEFAULT_LIMITS = ReadLimits()
_LIMIT_VARIABLES = {"max_rows_per_sheet": "DOCGEN_MAX_ROWS", "max_cells": "DOCGEN_MAX_CELLS"}


def limits_from_environment(environ: dict[str, str] | None = None) -> ReadLimits:
    """The default limits, with DOCGEN_MAX_ROWS and DOCGEN_MAX_CELLS where they are set (0: no limit)."""
    environ = os.environ if environ is None else environ
    changes: dict[str, int | None] = {}
    for field_name, variable in _LIMIT_VARIABLES.items():
        text = environ.get(variable, "").strip().replace(",", "").replace("_", "")
        if not text:
            continue
        if not text.isdigit():
            raise UsageError(
                say(f"limits.not_whole.{'rows' if 'ROWS' in variable else 'cells'}", variable=variable),
                found=environ[variable], hint=say("limits.not_whole.hint", variable=variable),
            )
        changes[field_name] = int(text) or None
    return dataclasses.replace(DEFAULT_LIMITS, **changes) if changes else DEFAULT_LIMITS

