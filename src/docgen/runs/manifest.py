"""A run's manifest: OUTDIR/manifest.csv and manifest.json written as records finish, and read back to resume."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import BinaryIO

from docgen.output.files import FORMULA_STARTS, write_atomic
from docgen.runs.records import MANIFEST_COLUMNS, OUTCOME_FIELDS, Kind, Outcome, Status, summarise
from docgen.text.messages import message_language, say
from docgen.word.readback import document_opens

MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"

# The manifest is rewritten at most this often while a run goes (and always at its end).
_MANIFEST_INTERVAL = 0.3


class Manifest:
    """OUTDIR/manifest.csv and manifest.json, rewritten atomically as records finish.

    manifest.csv is for people (it opens in Excel): its headers and statuses are in `lang`,
    the user's language by default. manifest.json is for programs and for --resume: its
    keys and statuses stay the English codes whatever the language.
    """

    def __init__(self, folder: Path, *, enabled: bool = True, lang: str | None = None) -> None:
        self.folder = Path(folder)
        self.enabled = enabled
        self.lang = lang or message_language()
        self.rows: dict[str, Outcome] = {}
        self._written = 0.0
        self._interval = _MANIFEST_INTERVAL

    @property
    def due(self) -> bool:
        """Whether flush() would write now: a run syncs the reports it names just before."""
        return self.enabled and time.monotonic() - self._written >= self._interval

    def set(self, outcome: Outcome) -> None:
        self.rows[outcome.key or f"#{len(self.rows)}"] = outcome

    def flush(self, *, now: bool = False) -> None:
        if not self.enabled or (not now and time.monotonic() - self._written < self._interval):
            return
        started = time.monotonic()
        # Written row by row: a run of thousands would otherwise hold its whole manifest three times over.
        write_atomic(self.folder / MANIFEST_CSV, self._write_csv, force=True)
        write_atomic(self.folder / MANIFEST_JSON, self._write_json, force=True)
        self._written = time.monotonic()
        # A big run's manifest takes long to write: writing it at most a twentieth of the time keeps the run fast.
        self._interval = max(_MANIFEST_INTERVAL, 20 * (self._written - started))

    def _write_csv(self, stream: BinaryIO) -> None:
        # The BOM lets Excel open the CSV with its Chinese intact.
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="backslashreplace", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([say(f"manifest.column.{name}").in_language(self.lang) for name in MANIFEST_COLUMNS])
        # A status or kind as its word in the manifest's language (成功, 失败 …), looked up once a write.
        words = {
            column: {code: say(f"{prefix}.{code}").in_language(self.lang) for code in codes}
            for column, (prefix, codes) in _WORDS.items()
        }
        for row in self.rows.values():
            writer.writerow([_inert(_shown(words, name, getattr(row, name))) for name in MANIFEST_COLUMNS])
        text.flush()
        text.detach()

    def _write_json(self, stream: BinaryIO) -> None:
        # One record a line: json's C encoder writes a line ten times as fast as an indented
        # record, and the manifest is rewritten while the workers wait for new records.
        summary = json.dumps(summarise(self.rows.values()), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        stream.write(f'{{\n  "summary": {summary},\n  "records": ['.encode())
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for number, row in enumerate(self.rows.values()):
            record = {name: getattr(row, name) for name in OUTCOME_FIELDS}
            # A lone surrogate (a name that is not UTF-8) comes out as the JSON escape \udcff.
            stream.write(f'{"," if number else ""}\n    {encode(record)}'.encode("utf-8", "backslashreplace"))
        stream.write(("\n  ]\n}\n" if self.rows else "]\n}\n").encode())


# The columns whose values are codes, told as words in manifest.csv: (catalogue prefix, the codes).
_WORDS = {
    "status": ("status", set(Status)),
    "pdf_status": ("status", set(Status)),
    "kind": ("kind", set(Kind)),
}


def _shown(words: dict[str, dict], column: str, value: object) -> object:
    """A coded value as its word (`words`: column → code → word); any other value as it is."""
    return words[column].get(value, value) if column in words else value


def _inert(value: object) -> object:
    """A value Excel shows as text: one starting as a formula does (=, +, -, @, tab, CR) gets a ' before it.

    OWASP's advice for CSV files: a team named =HYPERLINK(…) must not become
    a live link when the manifest is opened. manifest.json keeps the value as it is.
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def read_manifest(folder: Path) -> dict[str, dict]:
    """The records of an earlier run's manifest.json by key; empty when there is none or it is unreadable."""
    try:
        document = json.loads((Path(folder) / MANIFEST_JSON).read_text(encoding="utf-8"))
        return {row["key"]: row for row in document["records"] if row.get("key")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def finished_before(earlier: dict | None, input_hash: str, output: Path, *, pdf: bool) -> dict | None:
    """The PDF fields of a record an earlier run finished ({} without a PDF), or None when it must be made again.

    It is finished when the earlier manifest says so, its input is unchanged,
    its report opens and, when PDFs are asked for, its PDF is whole.
    """
    if not earlier or earlier.get("status") not in (Status.OK, Status.SKIPPED):
        return None
    if earlier.get("input_hash") != input_hash or Path(earlier.get("output", "")).name != output.name:
        return None
    if not document_opens(output):
        return None
    if not pdf:
        return {}
    from docgen.output.pdf import incomplete_pdf

    if earlier.get("pdf_status") != Status.OK or incomplete_pdf(Path(earlier.get("pdf", ""))) is not None:
        return None
    return {"pdf": earlier["pdf"], "pdf_status": Status.OK}


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run can leave: .~docgen-*.tmp (reports) and .*.part (PDFs)."""
    removed = []
    for pattern in (".~docgen-*.tmp", ".*.pdf.*.part"):
        for leftover in Path(folder).glob(pattern):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass
    return removed
