"""A run's pool on an existing Dask distributed cluster: its executor, the files a task needs, and a lost worker."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from docgen.errors import UsageError
from docgen.text.messages import message_language, say

# How long to wait for the scheduler: a wrong address should be said at once, not after distributed's 30 s.
CONNECT_TIMEOUT = 5.0
# The client's files a task takes along: Word templates a job names (a merge's, a --template), up to this size.
_SENT_SUFFIXES = (".docx", ".dotx", ".docm", ".dotm")
_LARGEST_SENT = 32 << 20
# How deep into a task's arguments their paths are looked for: the jobs, their arguments, and the options among them.
_DEPTH = 5


def open_cluster(address: str, *, timeout: float | None = None) -> ClusterPool:
    """The pool of the Dask cluster whose scheduler is at `address`; UsageError without Dask or the scheduler."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(say("cluster.not_installed"), hint=say("cluster.not_installed.hint")) from None
    try:
        client = Client(address, timeout=f"{timeout or CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise UsageError(
            say("cluster.unreachable", address=address, reason=error or type(error).__name__),
            hint=say("cluster.unreachable.hint"),
        ) from None
    return ClusterPool(client)


class ClusterPool:
    """The cluster's concurrent.futures executor in the shape of a run's pool.

    Its tasks send their files back (`sends_back`): the client writes them, so
    the atomic writes and the manifest stay on one machine and the workers need
    no shared folder (docs/cluster.md).
    """

    sends_back = True

    def __init__(self, client) -> None:
        self._client = client
        # pure=False: two tasks with equal arguments are still two documents (a PDF made again on --force).
        self._executor = client.get_executor(pure=False)
        self._files: dict[str, tuple[str, bytes] | None] = {}

    @property
    def workers(self) -> int:
        """The tasks the cluster runs at once (each worker's threads), at least one."""
        return max(1, sum(self._client.nthreads().values()))

    def submit(self, function, *args) -> Future:
        files = self._files_of(args)
        # The language now, not when the pool opened: by then a run knows the language of its workbooks in hand.
        language = message_language()
        return _lost_worker_as_broken_pool(self._executor.submit(_on_worker, function, args, files, language))

    def map(self, function, items):
        futures = [self.submit(function, item) for item in items]
        return (future.result() for future in futures)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)
        self._client.close()

    def _files_of(self, args: tuple) -> dict[str, tuple[str, bytes]]:
        """The client's files a task's arguments name (a merge's template, a --template), to be sent with it."""
        wanted = {}
        for path in _paths_in(args):
            if path.suffix.lower() not in _SENT_SUFFIXES:
                continue
            key = os.fspath(path)
            if key not in self._files:
                try:
                    content = path.read_bytes() if path.is_file() and path.stat().st_size <= _LARGEST_SENT else None
                    self._files[key] = None if content is None else (hashlib.sha256(content).hexdigest(), content)
                except OSError:
                    self._files[key] = None
            if self._files[key] is not None:
                wanted[key] = self._files[key]
        return wanted


def _paths_in(args: tuple):
    """Paths inside a task's arguments, down to the fields of its jobs' arguments (a ReportOptions' template).

    A path given as an argument itself is the task's own (a PDF's report, sent as bytes), not a file to take along.
    """
    for arg in args:
        if not isinstance(arg, Path):
            yield from (value for value in _values(arg, depth=_DEPTH - 1) if isinstance(value, Path))


def _values(value, depth: int):
    yield value
    if depth == 0:
        return
    if isinstance(value, (list, tuple)):
        children = value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, field.name) for field in dataclasses.fields(value)]
    else:
        return
    for child in children:
        yield from _values(child, depth - 1)


def _lost_worker_as_broken_pool(future: Future) -> Future:
    """A future that fails like the local pool's when a task's workers kept dying (Dask's KilledWorker).

    Dask gives a task whose worker died to another worker; only after
    several deaths does it give up, and the record fails as a local worker's would.
    """
    told: Future = Future()

    def copy(done: Future) -> None:
        if done.cancelled():
            told.cancel()
            told.set_running_or_notify_cancel()
            return
        error = done.exception()
        if error is None:
            told.set_result(done.result())
        elif type(error).__name__ == "KilledWorker":
            told.set_exception(BrokenProcessPool(str(error)))
        else:
            told.set_exception(error)

    future.add_done_callback(copy)
    return told


# --- on a worker -----------------------------------------------------------------------

_WORKER_FILES = Path(tempfile.gettempdir()) / "docgen-cluster-files"


def _on_worker(function, args: tuple, files: dict[str, tuple[str, bytes]], language: str):
    """Run a job on a worker, in the client's language, with the client's files in place of its paths."""
    before = os.environ.get("DOCGEN_LANG")
    os.environ["DOCGEN_LANG"] = language  # a worker serves one run's client at a time (docs/cluster.md)
    try:
        if files:
            places = {path: _kept_here(path, digest, content) for path, (digest, content) in files.items()}
            args = tuple(arg if isinstance(arg, Path) else _moved(arg, places, _DEPTH - 1) for arg in args)
        return function(*args)
    finally:  # the process's own language comes back (a test may run this in its own process)
        if before is None:
            os.environ.pop("DOCGEN_LANG", None)
        else:
            os.environ["DOCGEN_LANG"] = before


def _kept_here(client_path: str, digest: str, content: bytes) -> Path:
    """A client's file copied to this worker once, under its name (errors name the file the user gave)."""
    folder = _WORKER_FILES / digest
    here = folder / Path(client_path).name
    if not here.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{os.getpid()}.part"
        partial.write_bytes(content)
        os.replace(partial, here)
    return here


def _moved(value, places: dict[str, Path], depth: int):
    """`value` with each client path in `places` replaced by the worker's copy."""
    if isinstance(value, Path):
        return places.get(os.fspath(value), value)
    if depth == 0:
        return value
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        children = [_moved(child, places, depth - 1) for child in value]
        if all(new is old for new, old in zip(children, value)):
            return value
        return children if isinstance(value, list) else tuple(children)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = _moved(old, places, depth - 1)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
