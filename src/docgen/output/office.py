"""A warm LibreOffice per worker: one kept running, with its own profile, and fed document after document through UNO."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Self

from docgen.errors import Location
from docgen.output.files import write_atomic
from docgen.output.pdf import (
    _GROUP_EXIT_GRACE,
    ConversionFailed,
    _read_log,
    _said,
    _seconds,
    _stop_watched,
    check_source,
    convert_one_shot,
    copy_source,
    find_soffice,
    incomplete_pdf,
)
from docgen.text.messages import say

UNO_HINT = say("office.uno.hint")

# Documents one LibreOffice converts before it is replaced by a fresh one, to bound its memory.
RESTART_EVERY = 200

_CLIENT = Path(__file__).with_name("office_client.py")
_WATCHER = Path(__file__).with_name("soffice_watch.py")

# The Python found able to `import uno`, by the Python asked first; None when none can.
_uno_pythons: dict[str, str | None] = {}


def find_uno_python() -> str | None:
    """A Python that can `import uno`: $DOCGEN_UNO_PYTHON, else the system Python python3-uno is built for."""
    given = os.environ.get("DOCGEN_UNO_PYTHON")
    candidates = [given] if given else ["/usr/bin/python3", shutil.which("python3")]
    key = "\0".join(filter(None, candidates))
    if key not in _uno_pythons:
        _uno_pythons[key] = next((python for python in filter(None, candidates) if _imports_uno(python)), None)
    return _uno_pythons[key]


def _imports_uno(python: str) -> bool:
    try:
        return (
            subprocess.run(
                [python, "-I", "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


class Converter:
    """Converts .docx files to PDF through one LibreOffice that stays running between documents.

        with Converter(timeout=120) as converter:
            for document in documents:
                converter.convert(document, document.with_suffix(".pdf"))

    LibreOffice starts at the first document, not before, and is replaced by a
    fresh one (with a fresh profile) after a crash (the document it was
    converting is tried again on the fresh one), after a document that
    takes longer than timeout (that document alone fails), and every
    restart_every documents. Like the one-shot path, it runs under a watcher
    that kills it when docgen ends in any way, and a failure leaves any
    earlier PDF as it was. Without a Python that can `import uno` (or on
    Windows), or when the LibreOffice to keep cannot be started (it exits at
    once, or does not answer within the start timeout or the per-document
    timeout, whichever is shorter), each document gets a LibreOffice of its
    own, and `note` says why. One Converter serves one thread; each worker
    process makes its own (`kept_converter`).
    """

    def __init__(
        self,
        *,
        soffice: Path | None = None,
        timeout: float = 120,
        restart_every: int = RESTART_EVERY,
        start_timeout: float = 60,
    ) -> None:
        self.timeout = timeout
        self.restart_every = restart_every
        self.start_timeout = start_timeout
        self._soffice = Path(soffice) if soffice is not None else None
        self._uno_python: str | None = None
        self._checked = False
        self._office: _Office | None = None
        self.note: str | None = None  # why documents are converted one LibreOffice each, if they are
        self.starts = 0  # LibreOffices started so far

    @property
    def warm(self) -> bool:
        """Whether documents go to a LibreOffice kept running (False: one started per document)."""
        self._check()
        return self._uno_python is not None

    @property
    def process_group(self) -> int | None:
        """The process group of the running LibreOffice and its UNO client; None when none runs."""
        return self._office.group if self._office else None

    def convert(self, docx: Path, target: Path | None = None) -> Path:
        """Convert docx to the PDF target (default: beside it, named after it) and return target."""
        docx = Path(docx)
        check_source(docx)
        target = Path(target) if target is not None else docx.with_suffix(".pdf")
        if not self.warm:
            convert_one_shot(docx, target, soffice=self._soffice, timeout=self.timeout)
            return target
        # A document that a LibreOffice which had served others crashes on (or found dead) goes to a fresh
        # one; only a crash of a fresh LibreOffice is the document's own failure.
        while True:
            try:
                office = self._running()
            except ConversionFailed as error:
                # What cannot be kept running (a stand-in program, a LibreOffice without UNO) may still convert
                # a document at a time: this one and the next go the one-shot way, which says what went wrong.
                self._uno_python = None
                self.note = say("office.not_kept", reason=error.message)
                convert_one_shot(docx, target, soffice=self._soffice, timeout=self.timeout)
                return target
            fresh = office.served == 0
            try:
                done = office.convert(docx, target, self.timeout)
            except ConversionFailed:
                if office.stuck:
                    self._stop()
                raise
            if done:
                if office.served >= self.restart_every:
                    self._stop()
                return target
            self._stop()
            if fresh:
                raise ConversionFailed(
                    say("office.crashed"), location=Location(file=str(docx)), hint=say("office.crashed.hint")
                )

    def close(self) -> None:
        """Stop LibreOffice; a later convert starts another."""
        self._stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _check(self) -> None:
        if self._checked:
            return
        self._soffice = self._soffice or find_soffice()
        if os.name == "nt":
            self.note = say("office.windows")
        else:
            self._uno_python = find_uno_python()
            if self._uno_python is None:
                self.note = UNO_HINT
        self._checked = True

    def _running(self) -> _Office:
        if self._office is None:
            self.starts += 1
            # A program that hangs at start is given no longer than a document would be.
            self._office = _Office(self._soffice, self._uno_python, min(self.start_timeout, self.timeout))
        return self._office

    def _stop(self) -> None:
        office, self._office = self._office, None
        if office is not None:
            office.stop()


# Each thread's kept Converter: thread → ((process id, soffice, timeout), converter).
_kept: dict[int, tuple[tuple, Converter]] = {}
_kept_lock = threading.Lock()


def kept_converter(soffice: Path | None, timeout: float) -> Converter:
    """This thread's Converter for soffice and timeout, kept for every document the worker converts.

    A run's worker (a pool's process, a Dask worker's thread, the run's own
    process with one job) converts all its documents through it, so
    LibreOffice starts once a worker, not once a document. The key holds the
    process id: a forked child forgets its parent's (the parent's LibreOffice
    is the parent's to stop) and starts its own. Asked for another soffice or
    timeout, the thread's earlier Converter is closed first. A worker's
    Converter is closed when its process ends normally; if it is killed, the
    watcher stops LibreOffice. The run that converts in its own process closes
    it with close_kept_converter when it ends.
    """
    pid = os.getpid()
    key = (pid, None if soffice is None else str(soffice), timeout)
    thread = threading.get_ident()
    with _kept_lock:
        for other in [thread for thread, (kept_key, _) in _kept.items() if kept_key[0] != pid]:
            del _kept[other]  # a parent's, copied into this forked child
        earlier = _kept.get(thread)
        if earlier is not None and earlier[0] == key:
            return earlier[1]
        converter = Converter(soffice=soffice, timeout=timeout)
        _kept[thread] = (key, converter)
        # Those of threads that have ended (a worker's pool may replace its threads) go too.
        alive = {running.ident for running in threading.enumerate()}
        ended = [_kept.pop(other)[1] for other in list(_kept) if other not in alive]
    for stale in ([earlier[1]] if earlier is not None else []) + ended:
        stale.close()
    # Run when a worker process ends normally (multiprocessing and Dask's workers both end through it),
    # so that the run's end finds no LibreOffice still being killed.
    Finalize(None, _close_in, args=(converter, pid), exitpriority=10)
    return converter


def _close_in(converter: Converter, pid: int) -> None:
    # Not in a forked child that exits through Python: its parent's LibreOffice is the parent's to stop.
    if os.getpid() == pid:
        converter.close()


def close_kept_converter() -> None:
    """Close this thread's kept Converter (its LibreOffice stops); the thread's next document starts another.

    Only this thread's: runs in other threads of the process (docgen serve's)
    may be converting with theirs.
    """
    with _kept_lock:
        kept = _kept.pop(threading.get_ident(), None)
    if kept is not None and kept[0][0] == os.getpid():
        kept[1].close()


class _Office:
    """One running LibreOffice, its UNO client, the watcher around both, and their work folder."""

    def __init__(self, soffice: Path, uno_python: str, start_timeout: float) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="docgen-office-"))
        self.log = self.work / "office.log"
        self.served = 0
        self.stuck = False
        self.group: int | None = None
        self._buffer = b""
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        # A pipe name of its own: two LibreOffices never answer on one name, nor share a profile.
        pipe_name = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        try:
            self.watcher = subprocess.Popen(
                [
                    *(sys.executable, "-I", "-S", str(_WATCHER), str(self.log), str(self.work)),
                    *(uno_python, "-I", str(_CLIENT), str(soffice), str(self.work / "profile")),
                    *(pipe_name, f"{start_timeout:g}"),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                pass_fds=(requests_read, replies_write),
                env={**os.environ, "DOCGEN_OFFICE_FDS": f"{requests_read},{replies_write}"},
            )
        except OSError as error:
            for fd in (requests_read, requests_write, replies_read, replies_write):
                os.close(fd)
            shutil.rmtree(self.work, ignore_errors=True)
            raise ConversionFailed(
                say("pdf.cannot_run", program=uno_python, reason=error.strerror or error), hint=UNO_HINT
            ) from None
        os.close(requests_read)
        os.close(replies_write)
        self._requests = requests_write
        self._replies = replies_read
        try:
            ready = self._reply(start_timeout + _GROUP_EXIT_GRACE)
        except BaseException:  # e.g. Ctrl-C while LibreOffice starts: leave none behind
            self.stop()
            raise
        if not ready or not ready.get("ready"):
            said = ready.get("error") if ready else say("office.no_answer")
            output = _read_log(self.log)
            self.stop()
            raise ConversionFailed(
                say("office.not_started", reason=said, said=_said(output)), hint=say("office.not_started.hint")
            )
        self.group = ready.get("group")

    def convert(self, docx: Path, target: Path, timeout: float) -> bool:
        """Convert one document: True when done, False when LibreOffice died and the document may be retried.

        Raises ConversionFailed when the document itself failed, or timed out
        (then `stuck` is set, and this LibreOffice must be replaced).
        """
        with tempfile.TemporaryDirectory(dir=self.work, ignore_cleanup_errors=True) as job:
            job_dir = Path(job)
            source = copy_source(docx, job_dir)
            produced = job_dir / "document.pdf"
            try:
                os.write(self._requests, (json.dumps({"source": str(source), "target": str(produced)}) + "\n").encode())
            except OSError:
                return False
            started = time.monotonic()
            reply = self._reply(timeout)
            self.served += 1
            if reply is None and time.monotonic() - started >= timeout:
                self.stuck = True
                raise ConversionFailed(
                    say("pdf.timeout", timeout=_seconds(timeout), said=""),
                    location=Location(file=str(docx)),
                    hint=say("pdf.timeout.hint"),
                )
            if reply is None or reply.get("crashed"):
                return False
            problem = None if reply.get("ok") else f"could not convert it ({reply.get('error')})"
            problem = problem or incomplete_pdf(produced)
            if problem:
                raise ConversionFailed(
                    say("office.failed", problem=problem),
                    location=Location(file=str(docx)),
                    hint=say("pdf.failed.hint"),
                )
            # The earlier PDF stays whole until the new one replaces it in one rename.
            write_atomic(target, produced.read_bytes(), force=True)
        return True

    def _reply(self, timeout: float) -> dict | None:
        """The client's next line, or None when it ended or said nothing within timeout."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._replies], [], [], remaining)[0]:
                return None
            chunk = os.read(self._replies, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self) -> None:
        """Kill LibreOffice and its client (their whole group) and remove the profile and work folder."""
        _stop_watched(self.watcher)
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.work, ignore_errors=True)
