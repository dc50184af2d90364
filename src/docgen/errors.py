"""Every error docgen reports to a user, each knowing where it happened and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docgen.text.messages import Phrase, localise, say


@dataclass(frozen=True)
class Location:
    """Where a problem is: a workbook cell, or a part of a template."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    part: str | None = None  # template part: body, header, footer
    paragraph: str | None = None  # the paragraph's text, to find it in Word

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The place in words, in English or Chinese ("zh")."""
        bits = []
        if self.file:
            bits.append(Path(self.file).name)
        if self.sheet:
            bits.append(say("where.sheet", sheet=self.sheet))
        if self.cell:
            bits.append(say("where.cell", cell=self.cell))
        if self.part:
            bits.append(part_words(self.part))
        if self.paragraph:
            bits.append(say("where.paragraph", text=_shorten(self.paragraph)))
        return ("，" if lang == "zh" else ", ").join(str(localise(bit, lang)) for bit in bits)


_PART_NAMES = {"body", "header", "footer", "footnotes"}


def part_words(part: str) -> str:
    """A template part as the user reads it: "body", "header 2" (正文, 页眉 2); a phrase or another label as it is."""
    if isinstance(part, Phrase):
        return part
    name, _, number = part.partition(" ")
    if name in _PART_NAMES and not number:
        return say(f"where.{name}")
    if name in ("header", "footer") and number.isdigit():
        return say(f"where.{name}.numbered", number=number)
    return part


def _shorten(text: str, limit: int = 60) -> str:
    if isinstance(text, Phrase):  # a word of docgen's own ("(empty paragraph)"), said in the user's language
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DocgenError(Exception):
    """Base class: a problem a user can fix, reported without a traceback."""

    exit_code = 2
    # The language of the report the error is about, when known ("zh" or "en"): the CLI tells
    # the user in it (docgen.text.messages.message_language). None: not known, the locale decides.
    lang: str | None = None

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
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The whole message in English or Chinese ("zh").

        A message the catalogue (docgen.text.messages) does not have is told wholly
        in English rather than half in each language.
        """
        zh = lang == "zh" and isinstance(self.message, Phrase)
        lang = "zh" if zh else "en"
        parts = []
        where = self.location.text(lang)
        message = localise(self.message, lang)
        parts.append((f"{where}：{message}" if zh else f"{where}: {message}") if where else message)
        if self.expected is not None:
            parts.append(localise(say("expected", what=self.expected), lang))
        if self.found is not None:
            parts.append(localise(say("found", what=_describe(self.found)), lang))
        text = ("；" if zh else "; ").join(str(part) for part in parts)
        text += "。" if zh else "."
        if self.hint:
            text += localise(self.hint, lang) if zh else f" {self.hint}"
        return visible(text)


def _describe(value: object) -> object:
    if isinstance(value, str):
        return f"“{_shorten(value)}”" if value.strip() else say("found.empty")
    return repr(value)


# Characters a terminal would act on instead of showing: control characters (an escape
# sequence in a cell could recolour or clear the screen) and the bidirectional controls
# (a right-to-left override reverses the text after it). Shown as \x07, \u202e.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text safe to print on a terminal: control and bidirectional characters spelled out."""
    return _INVISIBLE.sub(lambda m: repr(m.group(0))[1:-1], text)


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
        name = Path(file).name if file else say("the_workbook")
        key = "problems" if len(problems) == 1 else "problems.plural"
        super().__init__(say(key, name=name, count=len(problems)), location=Location(file=file))

    def text(self, lang: str = "en") -> str:
        lines = [f"{localise(self.message, lang)}{'：' if lang == 'zh' else ':'}"]
        lines += [f"  - {problem.text(lang)}" for problem in self.problems]
        return visible("\n".join(lines))


class ChecksFailed(DocgenError):
    """A run with --strict found something to fix (docgen.report.checks findings): exit 1, and nothing is written."""

    exit_code = 1

    def __init__(self, findings: list, file: str | None = None) -> None:
        self.findings = list(findings)
        count = len(self.findings)
        super().__init__(
            say("checks.failed" if count == 1 else "checks.failed.plural", count=count),
            location=Location(file=file),
            hint=say("checks.failed.hint"),
        )

    def text(self, lang: str = "en") -> str:
        lines = [super().text(lang)]
        lines += [f"  - {finding_line(finding, lang)}" for finding in self.findings]
        return visible("\n".join(lines))


def finding_line(finding, lang: str = "en") -> str:
    """A docgen check finding as one line, its severity in `lang`: "warning DG103 目标达成!G3: …" (警告 … in Chinese)."""
    severity = say(f"check.severity.{finding.severity}").in_language(lang)
    place = f" {finding.place}" if finding.place else ""
    return f"{severity} {finding.code}{place}{'：' if lang == 'zh' else ': '}{finding.message}"


class TemplateError(DocgenError):
    """A template cannot be found, parsed or rendered."""


class OutputError(DocgenError):
    """The report cannot be written where it was asked to go."""


class PathError(DocgenError):
    """A path the user gave cannot be used: not a regular file, a name too long, or not valid UTF-8."""


class ConfigError(UsageError):
    """docgen.toml (or the file given with --config) has mistakes: every one, each in the user's language."""

    def __init__(self, problems: list, *, file: str, hint: str | None = None) -> None:
        self.problems = tuple(problems)
        super().__init__(self._listed("en"), location=Location(file=file), hint=hint)

    def _listed(self, lang: str) -> Phrase:
        listed = ("；" if lang == "zh" else "; ").join(str(localise(problem, lang)) for problem in self.problems)
        key = "config.mistake" if len(self.problems) == 1 else "config.mistakes"
        return say(key, count=len(self.problems), problems=listed)

    def text(self, lang: str = "en") -> str:
        return UsageError(self._listed(lang), location=self.location, hint=self.hint).text(lang)
