"""Typed records of a run: a record's status and kind, what a worker sends back, and each manifest row."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from docgen.errors import DocgenError, InvalidWorkbook
from docgen.text.language import workbooks_in_hand
from docgen.text.messages import Phrase, message_language, say


class Status(StrEnum):
    """What became of a record (a manifest's status and pdf_status columns)."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"  # up to date from an earlier run, or a file that is not read
    CHECKED = "checked"  # a dry run's record that would be made
    PENDING = "pending"  # not made yet: a killed run's manifest says so


class Kind(StrEnum):
    """What a record makes."""

    REPORT = "report"
    ROLLUP = "rollup"
    MERGE = "merge"


# A run's exit code when any record failed (every record finished or not, the run itself went through).
RECORDS_FAILED = 1


@dataclass(frozen=True, slots=True)
class Document:
    """What a job's render gives: the .docx bytes and docgen check's findings for it."""

    content: bytes
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Made:
    """A document rendered, and written unless the run is a dry run."""

    status: Status
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a record failed: the message on one line, where (sheet and cell), and every problem of a workbook."""

    error: str
    sheet: str = ""
    cell: str = ""
    problems: tuple[dict, ...] = ()  # an invalid workbook's problems, each {sheet, cell, message} (JSON only)
    cause: DocgenError | None = field(default=None, repr=False, compare=False)  # to be said again (said_now)

    def said_now(self) -> Failure:
        """The failure said in the language of this moment: a workbook read before the run knew its language."""
        return Failure.of(self.cause) if self.cause is not None else self

    @classmethod
    def of(cls, error: DocgenError) -> Failure:
        """A docgen error as a failure: its whole message, and the sheet and cell of its first problem."""
        problems = list(error.problems) if isinstance(error, InvalidWorkbook) else [error]
        first = problems[0].location if problems else error.location
        # In the report's language when known, else the locale's (docgen.text.messages), as the CLI's own errors.
        text = error.text(message_language(error.lang))
        return cls(
            error=" ".join(line.strip() for line in text.splitlines() if line.strip()),
            sheet=first.sheet or "",
            cell=first.cell or "",
            problems=tuple(
                {"sheet": p.location.sheet or "", "cell": p.location.cell or "", "message": str(p)} for p in problems
            )
            if isinstance(error, InvalidWorkbook)
            else (),
            cause=error,
        )

    @classmethod
    def internal(cls, error: BaseException) -> Failure:
        """A bug met while making one record: said as one, so that it is reported."""
        return cls(say("run.internal", kind=type(error).__name__, error=error).in_language(message_language()))


@dataclass(frozen=True, slots=True)
class PdfCopy:
    """What became of a report's PDF copy."""

    status: Status
    pdf: str = ""
    error: str = ""


@dataclass(slots=True)  # slots: a run of thousands holds an outcome for each record
class Outcome:
    """One row of the manifest: what became of a record. The field order is the manifest's column order."""

    input: str
    person: str = ""
    kind: Kind = Kind.REPORT
    row: str = ""
    output: str = ""
    status: Status = Status.PENDING
    error: str = ""
    sheet: str = ""
    cell: str = ""
    input_hash: str = ""
    pdf: str = ""
    pdf_status: Status | str = ""  # "" when no PDF was asked for
    pdf_error: str = ""
    note: str = ""
    key: str = ""
    problems: tuple[dict, ...] = ()  # every problem of an invalid workbook (JSON only)
    findings: tuple[str, ...] = ()  # docgen check's findings for the report (JSON only)

    @property
    def failed(self) -> bool:
        return self.status == Status.FAILED or self.pdf_status == Status.FAILED

    def record(self, result: Made | Failure) -> None:
        """Take in what a worker sent back for the record's document."""
        if isinstance(result, Failure):
            self.status = Status.FAILED
            self.error, self.sheet, self.cell, self.problems = result.error, result.sheet, result.cell, result.problems
        else:
            self.status, self.findings = result.status, result.findings

    def record_pdf(self, copy: PdfCopy) -> None:
        self.pdf_status, self.pdf_error = copy.status, copy.error
        if copy.pdf:
            self.pdf = copy.pdf

    @classmethod
    def failure(cls, failure: Failure, **fields) -> Outcome:
        """A record that failed before it became a job (an unreadable workbook, a row with a bad cell)."""
        outcome = cls(**fields)
        outcome.record(failure)
        return outcome


OUTCOME_FIELDS = tuple(f.name for f in dataclasses.fields(Outcome))
MANIFEST_COLUMNS = tuple(name for name in OUTCOME_FIELDS if name not in {"problems", "findings"})


def summarise(outcomes) -> dict[str, int]:
    """How many records there are of each status (failed: the document's or its PDF)."""
    outcomes = list(outcomes)
    statuses = [outcome.status for outcome in outcomes]
    return {
        "records": len(outcomes),
        "ok": statuses.count(Status.OK),
        "skipped": statuses.count(Status.SKIPPED),
        "checked": statuses.count(Status.CHECKED),
        "failed": sum(outcome.failed for outcome in outcomes),
        "pending": statuses.count(Status.PENDING),
        "pdf_failed": sum(outcome.pdf_status == Status.FAILED for outcome in outcomes),
    }


@dataclass
class RunResult:
    """What a run made: every record's outcome, and the combined file when one was asked for."""

    outcomes: list[Outcome]
    output_dir: Path
    dry_run: bool = False
    manifest: Path | None = None
    combined: Path | None = None
    combine_error: str | None = None
    lang: str | None = None  # the language of the workbooks in hand, for what is said of the run (docs/language.md)
    pdf_note: Phrase | None = None  # why each PDF started a LibreOffice of its own (no UNO bridge), when it did

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.failed]

    @property
    def ok(self) -> bool:
        return not self.failed and self.combine_error is None

    @property
    def exit_code(self) -> int:
        """0 when every record (and the combined file) was made; RECORDS_FAILED otherwise."""
        return 0 if self.ok else RECORDS_FAILED

    def summary(self) -> dict:
        return {
            **summarise(self.outcomes),
            "output_dir": str(self.output_dir),
            "manifest": str(self.manifest) if self.manifest else None,
            "combined": str(self.combined) if self.combined else None,
            "combine_error": self.combine_error,
            "dry_run": self.dry_run,
        }


@contextlib.contextmanager
def in_hand(lang: str | None) -> Iterator[None]:
    """A run over workbooks in `lang`: where no interface language is set, what is said of the run is said in it
    (docgen.text.language.workbooks_in_hand), and so is an error that stops the run and knows no language of its own."""
    with workbooks_in_hand(lang):
        try:
            yield
        except DocgenError as error:
            error.lang = error.lang or lang
            raise
