"""The run engine: jobs made in a process pool, each failing alone, recorded in the manifest as they finish."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from docgen.errors import DocgenError, Location, UsageError
from docgen.output.files import make_folder, sync_files, write_atomic
from docgen.runs.manifest import MANIFEST_JSON, Manifest, finished_before, read_manifest, remove_leftovers
from docgen.runs.records import Document, Failure, Kind, Made, Outcome, PdfCopy, RunResult, Status
from docgen.text.messages import message_language, say

# What a worker started by forkserver has imported before its first job.
_PRELOAD = ["docgen.runs.batch", "docgen.runs.report", "docgen.report.context", "docgen.word.render",
            "docgen.word.compiled"]  # fmt: skip


class BatchInterrupted(DocgenError):
    """The run was stopped with Ctrl-C; finished reports are kept and listed in the manifest."""

    exit_code = 130


@dataclass(frozen=True, slots=True)  # slots: a run of thousands holds a job for each record
class Job:
    """One document to make: how to render it (a module-level function and its arguments) and where it goes."""

    key: str  # the record's identity across runs, for --resume
    input: str
    person: str
    kind: Kind
    output: str  # the file's path (a str: a run of thousands holds one per record)
    input_hash: str
    render: Callable[..., Document]
    args: tuple = ()
    row: int | None = None  # the data sheet's row, for a merge
    note: str = ""

    def outcome(self, status: Status = Status.PENDING, **details) -> Outcome:
        details.setdefault("note", self.note)
        return Outcome(
            key=self.key,
            input=self.input,
            person=self.person,
            kind=self.kind,
            row="" if self.row is None else str(self.row),
            output=self.output,
            status=status,
            input_hash=self.input_hash,
            **details,
        )


class Progress(Protocol):
    """What a run tells whoever shows its progress."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, what: str) -> None: ...


class _Silent:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, what: str) -> None:
        pass


@dataclass(frozen=True)
class RunSettings:
    """How a run works, whatever it makes: where, how many workers, and what it may replace."""

    output_dir: Path
    jobs: int | None = None  # workers; None: one per CPU
    dry_run: bool = False
    resume: bool = False
    force: bool = False
    pdf: bool = False
    soffice: Path | None = None
    pdf_timeout: float = 120
    combine: Path | None = None
    scheduler: str | None = None  # a Dask scheduler's address: the documents are made on its cluster (docs/cluster.md)

    @property
    def workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)


# --- in a worker -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    """A file a cluster's worker made and sent back, with what became of it once this process has written it."""

    result: Made | PdfCopy
    path: str
    content: bytes


def make_document(job: Job, dry_run: bool = False, send_back: bool = False) -> Made | Failure | Sent:
    """Render one job and write it atomically (not on a dry run); what became of it, never an exception.

    Runs in a worker: errors come back as plain data, because docgen's errors
    do not survive pickling whole. With `send_back` (a cluster's worker) the
    document comes back to be written by the run (_keep).
    """
    try:
        document = job.render(*job.args)
        if send_back and not dry_run:
            return Sent(Made(Status.OK, document.findings), job.output, document.content)
        if not dry_run:
            write_atomic(Path(job.output), document.content, force=True, sync=False)  # synced by the run, grouped
    except DocgenError as error:
        return Failure.of(error)
    except Exception as error:  # a bug in one record must not stop the others
        return Failure.internal(error)
    return Made(Status.CHECKED if dry_run else Status.OK, document.findings)


def make_documents(jobs: Sequence[Job], dry_run: bool = False, send_back: bool = False) -> list[Made | Failure | Sent]:
    """make_document for several jobs in one call to a worker."""
    return [make_document(job, dry_run, send_back) for job in jobs]


def make_pdf(document: Path, soffice: Path | None, timeout: float, content: bytes | None = None) -> PdfCopy | Sent:
    """A worker's PDF job: convert a written report; a failure keeps the .docx and is recorded.

    Every document a worker converts goes to the one LibreOffice it keeps
    running (docgen.output.office.kept_converter), started at its first PDF.
    Given the report's `content` (a cluster's worker), it is converted in a
    folder of the worker's own and the PDF is sent back to be written beside it.
    """
    from docgen.output.office import kept_converter

    if content is not None:
        return _pdf_sent_back(Path(document), soffice, timeout, content)
    document = Path(document)
    try:
        written = kept_converter(soffice, timeout).convert(document, document.parent / f"{document.stem}.pdf")
    except DocgenError as error:
        return PdfCopy(Status.FAILED, error=" ".join(str(error).split()))
    except Exception as error:
        return PdfCopy(Status.FAILED, error=Failure.internal(error).error)
    return PdfCopy(Status.OK, pdf=str(written))


def _pdf_sent_back(document: Path, soffice: Path | None, timeout: float, content: bytes) -> PdfCopy | Sent:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as folder:
        here = Path(folder) / document.name
        here.write_bytes(content)
        made = make_pdf(here, soffice, timeout)
        if made.status != Status.OK:
            return made
        pdf = document.with_name(Path(made.pdf).name)
        return Sent(PdfCopy(Status.OK, pdf=str(pdf)), str(pdf), Path(made.pdf).read_bytes())


def _keep(result):
    """A result as the run records it: a file a cluster's worker sent back is written here first."""
    if not isinstance(result, Sent):
        return result
    try:
        write_atomic(Path(result.path), result.content, force=True, sync=False)
    except DocgenError as error:
        failure = Failure.of(error)
        return PdfCopy(Status.FAILED, error=failure.error) if isinstance(result.result, PdfCopy) else failure
    return result.result


# --- the pool ----------------------------------------------------------------------


class InProcess:
    """An executor that runs each job at once in this process: --jobs 1, and single reads."""

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        future.set_result(function(*args))
        return future

    def map(self, function, items):
        return map(function, items)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def _start_worker(environment: dict[str, str], folder: str, run_alive) -> None:
    """In a new worker: take the run's environment and folder, and stop when the run is gone.

    A forkserver worker is forked from a server started earlier, whose
    environment and current folder may be older than the run's.
    """
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)

    def watch() -> None:
        # Only the run holds the pipe's other end: it reads as closed once the run has
        # ended or been killed, and a worker left waiting for work would wait for ever.
        try:
            run_alive.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="docgen-run-watch").start()


class _Pool(ProcessPoolExecutor):
    """Worker processes that end with the run, even when the run is killed."""

    def __init__(self, workers: int, context) -> None:
        alive, self._alive = context.Pipe(duplex=False)
        super().__init__(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(dict(os.environ), os.getcwd(), alive),
        )
        # Start the workers now: they import docgen on the other CPUs while this process reads the workbooks.
        try:
            self.submit(os.getpid)
        except OSError:
            super().shutdown(wait=False)
            self._alive.close()
            raise

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:
            self._alive.close()


def open_pool(workers: int, scheduler: str | None = None):
    """The worker processes of a run, or an in-process stand-in for one worker, or a Dask cluster's workers."""
    if scheduler:
        from docgen.runs.cluster import open_cluster  # Dask: only for a run given --scheduler

        return open_cluster(scheduler)
    if workers <= 1:
        return InProcess()
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Workers fork from a server that has imported the renderer once, so each starts warm;
        # unlike plain fork it is safe whatever threads this process runs.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        try:
            return _Pool(workers, context)
        except OSError:
            # The forkserver listens on a socket in the temporary folder, and a TMPDIR longer than a
            # socket's path may be (about 100 bytes) cannot hold it; spawned workers need no socket.
            pass
    return _Pool(workers, multiprocessing.get_context("spawn"))


# --- a run -------------------------------------------------------------------------


def run_jobs(
    jobs: Sequence[Job],
    settings: RunSettings,
    *,
    failures: Sequence[Outcome] = (),
    progress: Progress | None = None,
    pool=None,
) -> RunResult:
    """Make every job, in parallel, recording each outcome in the manifest as it comes.

    A list of `jobs` is emptied: the run lets each job go once it is made, so
    that a run of thousands holds their outcomes, not their workbooks.

    `failures` are records that failed before they became jobs (an unreadable
    workbook); they go into the manifest too. Raises UsageError, before
    anything is written, when outputs exist and neither --force nor --resume
    says what to do with them; BatchInterrupted on Ctrl-C, after recording
    what was finished.
    """
    progress = progress or _Silent()
    folder = Path(settings.output_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            say("run.output_is_file"), location=Location(file=str(folder)), hint=say("run.output_is_file.hint")
        )
    earlier = read_manifest(folder) if settings.resume else {}
    manifest = Manifest(folder, enabled=not settings.dry_run)
    for failure in failures:
        manifest.set(failure)
    todo: deque[Job] = deque()
    for job in jobs:
        done = _up_to_date(job, earlier.get(job.key), settings)
        manifest.set(done or job.outcome())
        if done is None:
            todo.append(job)
    if isinstance(jobs, list):
        jobs.clear()  # handed over: each job is let go once made, so a long run does not hold them all
    _refuse_replacing(todo, settings)
    if not settings.dry_run:
        make_folder(folder)  # an OutputError when a parent is a file or may not be written
        if settings.resume:
            remove_leftovers(folder)
    soffice, pdf_problem = _pdf_program(settings)
    manifest.flush(now=True)

    pdf_steps = settings.pdf and not settings.dry_run
    label = say("progress.checking" if settings.dry_run else "progress.writing").in_language(message_language())
    progress.start(len(todo) * (2 if pdf_steps else 1), label)
    own_pool = pool is None
    pool = pool if pool is not None else open_pool(min(settings.workers, max(1, len(todo))), settings.scheduler)
    recorded = _Recorded(manifest)
    try:
        _work_through(todo, settings, recorded, progress, pool, soffice, pdf_problem)
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        recorded.flush(now=True)
        done = sum(row.status in (Status.OK, Status.SKIPPED) for row in manifest.rows.values())
        raise BatchInterrupted(
            say("run.interrupted", done=done, total=len(manifest.rows)),
            location=Location(file=str(folder)),
            hint=say("run.interrupted.hint"),
        ) from None
    finally:
        if own_pool:
            pool.shutdown(wait=True)
        if pdf_steps and isinstance(pool, InProcess):
            _close_converters()  # the PDFs were made here: no LibreOffice outlives the run
    recorded.flush(now=True)

    result = RunResult(
        list(manifest.rows.values()),
        folder,
        dry_run=settings.dry_run,
        manifest=None if settings.dry_run else folder / MANIFEST_JSON,
        pdf_note=_pdf_note(soffice) if pdf_steps and pdf_problem is None and not settings.scheduler else None,
    )
    if settings.combine is not None and not settings.dry_run:
        _combine(result, settings)
    return result


class _Recorded:
    """The manifest, written only once the reports it newly names as made are synced to disk, as one group.

    Workers write without syncing; one sync of the group, then of the folder,
    then the manifest: a report is claimed finished only once it would survive
    a power cut, for less than a sync per file (docs/runs.md).
    """

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.rows = manifest.rows
        self.written: list[str] = []

    def flush(self, *, now: bool = False) -> None:
        if now or self.manifest.due:
            sync_files(self.written)
            self.written.clear()
            self.manifest.flush(now=True)


def _work_through(todo: deque[Job], settings, manifest: _Recorded, progress, pool, soffice, pdf_problem) -> None:
    waiting = todo  # taken from as the jobs are handed out
    running: dict[Future, tuple[str, list[Job]]] = {}
    workers = getattr(pool, "workers", settings.workers)  # a cluster's: its workers' threads
    sends_back = getattr(pool, "sends_back", False)  # a cluster's workers send their files back to be written here
    window = 2 * workers  # enough to keep workers busy without holding every job's data in the queue
    # A big run hands its records to the workers a few at a time: this process shares the CPUs with
    # them, and each hand-over costs it about as much as a fifth of a report.
    group = 1 if isinstance(pool, InProcess) else max(1, min(16, len(waiting) // (16 * workers)))
    while waiting or running:
        while waiting and len(running) < window:
            jobs = [waiting.popleft() for _ in range(min(group, len(waiting)))]
            running[_submit(pool, make_documents, jobs, settings.dry_run, sends_back)] = ("document", jobs)
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            step, jobs = running.pop(future)
            results = _results(future, step, len(jobs))
            for job, result in zip(jobs, results):
                result = _keep(result)
                row = manifest.rows[job.key]
                progress.advance(_label(job, step))
                if step == "pdf":
                    row.record_pdf(result)
                    continue
                row.record(result)
                if row.status == Status.OK:
                    manifest.written.append(job.output)
                if settings.pdf and not settings.dry_run:
                    if row.status != Status.OK:
                        progress.advance(_label(job, "pdf"))
                    elif pdf_problem is not None:
                        row.record_pdf(PdfCopy(Status.FAILED, error=pdf_problem))
                        progress.advance(_label(job, "pdf"))
                    else:
                        content = (Path(job.output).read_bytes(),) if sends_back else ()
                        future = _submit(pool, make_pdf, Path(job.output), soffice, settings.pdf_timeout, *content)
                        running[future] = ("pdf", [job])
            manifest.flush()


def _results(future: Future, step: str, count: int) -> list:
    """What a worker sent back for a step of `count` jobs; a worker that died fails each of them."""
    try:
        return future.result() if step == "document" else [future.result()]
    except BrokenProcessPool:
        failure = Failure(say("run.worker_stopped").in_language(message_language()))
    except Exception as error:  # e.g. a record that cannot be sent to a worker
        failure = Failure.internal(error)
    return [failure if step == "document" else PdfCopy(Status.FAILED, error=failure.error)] * count


def _submit(pool, function, *args) -> Future:
    try:
        return pool.submit(function, *args)
    except BrokenProcessPool as error:  # a worker died: every job still to go fails the same way
        future: Future = Future()
        future.set_exception(error)
        return future


def _label(job: Job, step: str) -> str:
    name = Path(job.output).name
    return f"{name} → PDF" if step == "pdf" else name


def _up_to_date(job: Job, earlier: dict | None, settings: RunSettings) -> Outcome | None:
    """The outcome of a record an earlier run finished, when its output is complete and its input unchanged."""
    pdf = finished_before(earlier, job.input_hash, Path(job.output), pdf=settings.pdf)
    if pdf is None:
        return None
    return job.outcome(Status.SKIPPED, note=say("run.up_to_date").in_language(message_language()), **pdf)


def _refuse_replacing(todo: Sequence[Job], settings: RunSettings) -> None:
    if settings.dry_run or settings.force:
        return
    if not settings.resume:
        existing = [Path(job.output) for job in todo if Path(job.output).exists()]
        if existing:
            raise UsageError(
                say("run.outputs_exist", count=len(existing), example=existing[0].name),
                location=Location(file=str(settings.output_dir)),
                hint=say("run.outputs_exist.hint"),
            )
    if settings.combine is not None and Path(settings.combine).exists() and not settings.resume:
        raise UsageError(
            say("run.combine_exists"),
            location=Location(file=str(settings.combine)),
            hint=say("run.combine_exists.hint"),
        )


def _pdf_program(settings: RunSettings) -> tuple[Path | None, str | None]:
    """LibreOffice, found once for the whole run; without it every PDF fails with the install hint."""
    if not settings.pdf or settings.dry_run:
        return None, None
    if settings.scheduler:
        return settings.soffice, None  # each of the cluster's workers finds its own LibreOffice
    from docgen.output.pdf import find_soffice

    try:
        return find_soffice(settings.soffice), None
    except DocgenError as error:
        return None, " ".join(str(error).split())


def _pdf_note(soffice: Path | None):
    """Why this machine's workers started a LibreOffice for each PDF (no UNO bridge, Windows); None when they kept one."""
    from docgen.output.office import Converter

    converter = Converter(soffice=soffice)
    return None if converter.warm else converter.note


def _close_converters() -> None:
    from docgen.output.office import close_kept_converter

    close_kept_converter()  # the run's thread's: another run in this process (docgen serve) keeps its own


def _combine(result: RunResult, settings: RunSettings) -> None:
    from docgen.word.compose import combine_documents

    documents = [Path(o.output) for o in result.outcomes if o.status in (Status.OK, Status.SKIPPED) and o.output]
    try:
        letters = bool(result.outcomes) and all(o.kind == Kind.MERGE for o in result.outcomes)
        result.combined = combine_documents(documents, Path(settings.combine), force=True, contents=not letters)
    except DocgenError as error:
        result.combine_error = " ".join(str(error).split())
