"""Every error docgen reports to a user, each knowing where it happened and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a workbook cell, or a part of a template."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    part: str | None = None  # template part: body, header, footer
    paragraph: str | None = None  # the paragraph's text, to find it in Word

    def __str__(self) -> str:
        bits = []
        if self.file:
            bits.append(Path(self.file).name)
        if self.sheet:
            bits.append(f"sheet '{self.sheet}'")
        if self.cell:
            bits.append(f"cell {self.cell}")
        if self.part:
            bits.append(self.part)
        if self.paragraph:
            bits.append(f"paragraph “{_shorten(self.paragraph)}”")
        return ", ".join(bits)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DocgenError(Exception):
    """Base class: a problem a user can fix, reported without a traceback."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        expected: str | None = None,
        found: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.expected = expected
        self.found = found
        self.hint = hint

    def __str__(self) -> str:
        parts = []
        where = str(self.location)
        parts.append(f"{where}: {self.message}" if where else self.message)
        if self.expected is not None:
            parts.append(f"expected {self.expected}")
        if self.found is not None:
            parts.append(f"found {_describe(self.found)}")
        text = "; ".join(parts) + "."
        if self.hint:
            text += f" {self.hint}"
        return text


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"“{_shorten(value)}”" if value.strip() else "an empty cell"
    return repr(value)


class UsageError(DocgenError):
    """The command line asks for something impossible or incomplete."""


class WorkbookError(DocgenError):
    """A workbook cannot be opened or read as a whole (not a cell's fault)."""


class CellError(DocgenError):
    """One cell, column or sheet holds something docgen cannot use."""


class InvalidWorkbook(DocgenError):
    """Several problems found in one workbook, reported together."""

    def __init__(self, problems: list[DocgenError], file: str | None = None) -> None:
        self.problems = problems
        name = Path(file).name if file else "the workbook"
        super().__init__(
            f"{name} has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
            location=Location(file=file),
        )

    def __str__(self) -> str:
        lines = [f"{self.message}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


class ChecksFailed(DocgenError):
    """A run with --strict found something to fix (docgen.checks findings): exit 1, and nothing is written."""

    exit_code = 1

    def __init__(self, findings: list, file: str | None = None) -> None:
        self.findings = list(findings)
        count = len(self.findings)
        super().__init__(
            f"{count} finding{'s' if count != 1 else ''} under --strict, so the report was not written",
            location=Location(file=file),
            hint="Fix them in the workbook (each names its sheet and cell; docs/checks.md says how), "
                 "or run without --strict to write the report with the findings as warnings.",
        )

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  - {finding}" for finding in self.findings]
        return "\n".join(lines)


class TemplateError(DocgenError):
    """A template cannot be found, parsed or rendered."""


class OutputError(DocgenError):
    """The report cannot be written where it was asked to go."""
