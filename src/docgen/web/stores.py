"""What the page keeps between requests: made reports for download, and batch runs that outlive their tab."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import shutil
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError

log = logging.getLogger("docgen.web")

_ID_LENGTH = 16


def new_id() -> str:
    return secrets.token_hex(_ID_LENGTH // 2)


def is_id(text: str) -> bool:
    return len(text) == _ID_LENGTH and all(c in "0123456789abcdef" for c in text)


class ResultStore:
    """Made reports, each in a folder named by a random id; the oldest are removed beyond `keep`."""

    def __init__(self, folder: Path, keep: int) -> None:
        self.folder, self.keep = folder, keep
        self.folder.mkdir(parents=True, exist_ok=True)
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def new(self) -> tuple[str, Path]:
        rid = new_id()
        path = self.folder / rid
        path.mkdir()
        with self._lock:
            self._ids[rid] = None
            while len(self._ids) > self.keep:
                old, _ = self._ids.popitem(last=False)
                shutil.rmtree(self.folder / old, ignore_errors=True)
        return rid, path

    def path(self, rid: str) -> Path | None:
        with self._lock:
            known = rid in self._ids
        return self.folder / rid if known and is_id(rid) else None


@dataclass
class BatchRun:
    """One batch run: its folders, how far it is, and how it ended."""

    id: str
    folder: Path
    started: dt.datetime
    inputs: int
    state: str = "running"  # running | done | failed
    label: str = ""
    total: int = 0
    done: int = 0
    error: str = ""
    summary: dict = field(default_factory=dict)

    @property
    def output_dir(self) -> Path:
        return self.folder / "out"

    @property
    def archive(self) -> Path:
        return self.folder / "documents.zip"

    # The library's Progress protocol (docgen.runs.engine.Progress), called from the run's thread.
    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.label = total, 0, label

    def advance(self, what: str) -> None:
        self.done += 1

    def records(self) -> list[dict]:
        """The manifest's records as the run has written them so far (it rewrites manifest.json as it goes)."""
        try:
            document = json.loads((self.output_dir / "manifest.json").read_text(encoding="utf-8"))
            return list(document["records"])
        except (OSError, ValueError, KeyError, TypeError):
            return []


class BatchRuns:
    """The recent batch runs, each made in a thread of its own so that it goes on when its tab is closed."""

    def __init__(self, folder: Path, keep: int) -> None:
        self.folder, self.keep = folder, keep
        self.folder.mkdir(parents=True, exist_ok=True)
        self._runs: OrderedDict[str, BatchRun] = OrderedDict()
        self._lock = threading.Lock()

    def new(self, inputs: int) -> BatchRun:
        run = BatchRun(new_id(), Path(), dt.datetime.now(), inputs)
        run.folder = self.folder / run.id
        (run.folder / "inputs").mkdir(parents=True)
        with self._lock:
            self._runs[run.id] = run
            finished = [r for r in self._runs.values() if r.state != "running"]
            while len(self._runs) > self.keep and finished:
                old = finished.pop(0)
                del self._runs[old.id]
                shutil.rmtree(old.folder, ignore_errors=True)
        return run

    def get(self, rid: str) -> BatchRun | None:
        with self._lock:
            return self._runs.get(rid)

    def recent(self) -> list[BatchRun]:
        with self._lock:
            return list(reversed(self._runs.values()))

    def start(self, run: BatchRun, work, release) -> None:
        """Run `work(run)` in a thread; `release()` when it ends, however it ends."""
        thread = threading.Thread(target=self._run, args=(run, work, release), name=f"docgen-batch-{run.id}",
                                  daemon=True)
        thread.start()

    def _run(self, run: BatchRun, work, release) -> None:
        try:
            run.summary = work(run)
            pack(run)
            run.state = "done"
        except DocgenError as error:
            run.error, run.state = error.text(run.summary.get("lang", "en")) if run.summary else str(error), "failed"
        except Exception:  # a run's bug must not take the server down; it is logged and shown as not finished
            log.exception("batch run %s failed", run.id)
            run.state = "failed"
        finally:
            shutil.rmtree(run.folder / "inputs", ignore_errors=True)
            release()


def pack(run: BatchRun) -> Path:
    """One .zip of every file the run made (documents, PDFs, the combined file, the manifest)."""
    temporary = run.archive.with_suffix(".part")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(run.output_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                archive.write(path, path.relative_to(run.output_dir).as_posix())
    temporary.replace(run.archive)
    return run.archive
