"""The memory, processor-time and output limits every template render runs under, enforced by the OS (docs/rendering.md)."""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from docgen.errors import DocgenError, Location, TemplateError
from docgen.text.messages import say

try:  # not on Windows: there the sandbox's own counting is the only line
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]

ENVIRONMENT = {
    "memory_mb": "DOCGEN_RENDER_MEMORY_MB",
    "cpu_seconds": "DOCGEN_RENDER_CPU_SECONDS",
    "output_mb": "DOCGEN_RENDER_OUTPUT_MB",
}


@dataclass(frozen=True)
class RenderLimits:
    """What one render may use. The defaults are far above any genuine report (see docs/errors.md)."""

    memory_mb: int = 1024  # memory a render may take beyond what the process held before it
    cpu_seconds: int = 60  # processor time of one document
    output_mb: int = 50  # characters of one rendered part (document.xml, a header), in millions (MiB)

    @property
    def output_characters(self) -> int:
        return self.output_mb << 20


def current_limits(environ: dict[str, str] | None = None) -> RenderLimits:
    """The limits from DOCGEN_RENDER_MEMORY_MB, DOCGEN_RENDER_CPU_SECONDS and DOCGEN_RENDER_OUTPUT_MB, else the defaults.

    docgen.toml's [render] table reaches here through the environment
    (adopt_settings), so that batch workers, which take the run's
    environment, render under the same limits.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for name, variable in ENVIRONMENT.items():
        text = environ.get(variable, "").strip()
        if text:
            number = parse_limit(text)
            if number is None:
                raise DocgenError(
                    say("limits.invalid", name=variable, value=text),
                    hint=say("limits.invalid.hint"),
                )
            values[name] = number
    return RenderLimits(**values)


def parse_limit(value: object) -> int | None:
    """A limit's value: a whole number above 0, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    return value if isinstance(value, int) and value > 0 else None


def adopt_settings(settings: dict[str, int]) -> None:
    """docgen.toml's [render] limits, for this run and its workers; a variable already set wins."""
    for name, value in settings.items():
        os.environ.setdefault(ENVIRONMENT[name], str(value))


class LimitExceeded(Exception):
    """A render went past one of its limits; `limit` names it (memory, cpu, output)."""

    def __init__(self, limit: str, amount: int) -> None:
        super().__init__(f"{limit} limit of {amount} reached")
        self.limit = limit
        self.amount = amount


class RenderLimitError(TemplateError):
    """A template went past a limit: a value too big for the sandbox, endless recursion, memory, CPU or output."""


def limit_error(template: Path | str, error: LimitExceeded | MemoryError, location: Location | None = None,
                limits: RenderLimits | None = None) -> RenderLimitError:
    """The message for a render stopped by a limit: the template, where, which limit and how to change it."""
    limits = limits or current_limits()
    if isinstance(error, MemoryError):
        error = LimitExceeded("memory", limits.memory_mb)
    location = location or Location(file=str(template))
    return RenderLimitError(
        say(f"template.limit.{error.limit}", limit=error.amount),
        location=location,
        hint=say("template.limit.hint"),
    )


# --- limits in this process ------------------------------------------------------------------

_confined = threading.local()


def confining() -> bool:
    """Whether this thread is rendering under limits already (a nested render adds none)."""
    return getattr(_confined, "active", False)


def _data_bytes() -> int | None:
    """The process's writable private memory now (what RLIMIT_DATA counts), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            fields = statm.read().split()
        return int(fields[5]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _on_cpu_limit(signum, frame):  # noqa: ARG001 - a signal handler's signature
    if confining():  # the kernel signals past the soft limit, which is only set while confined
        raise LimitExceeded("cpu", _confined.cpu_seconds)


# Set once per process, not per document: a batch worker renders thousands.
_handler_pid: int | None = None
_baseline: tuple[int, int] | None = None  # (pid, memory held before its first render)


def _install_handler() -> None:
    global _handler_pid
    if _handler_pid != os.getpid():
        signal.signal(signal.SIGXCPU, _on_cpu_limit)
        _handler_pid = os.getpid()


def _memory_held() -> int | None:
    """What this process held before its first render: the base of the memory limit, measured once per process."""
    global _baseline
    if _baseline is None or _baseline[0] != os.getpid():
        held = _data_bytes()
        if held is None:
            return None
        _baseline = (os.getpid(), held)
    return _baseline[1]


@contextlib.contextmanager
def confined(limits: RenderLimits | None = None, *, hard: bool = False) -> Iterator[RenderLimits]:
    """Render under the memory and CPU limits: past them, MemoryError or LimitExceeded("cpu") is raised.

    The memory limit is what the process held before its first render plus
    the budget (RLIMIT_DATA, which Python's allocations count on Linux); the
    CPU limit is the time used so far plus the budget (RLIMIT_CPU), turned
    into an exception by a SIGXCPU handler. Soft limits are lifted again
    afterwards; `hard` also sets the hard limits, for a child that ends with
    its render, so that code stuck in C is killed a second past the budget.
    Off the main thread no OS limit is set: limits are the whole process's,
    and signal handlers run on the main thread alone (docgen renders on the
    main thread; the sandbox's sizes and the output cap hold everywhere).
    """
    limits = limits or current_limits()
    if confining() or resource is None or threading.current_thread() is not threading.main_thread():
        yield limits
        return
    restore: list[Callable[[], None]] = []
    try:
        held = _data_bytes() if hard else _memory_held()
        if held is not None:
            _lower(resource.RLIMIT_DATA, held + (limits.memory_mb << 20), hard, restore)
        used = resource.getrusage(resource.RUSAGE_SELF)
        # Whole seconds only: rounded up, so that a document never gets less than its budget.
        seconds = math.ceil(used.ru_utime + used.ru_stime) + limits.cpu_seconds
        _install_handler()
        _confined.cpu_seconds = limits.cpu_seconds
        _lower(resource.RLIMIT_CPU, seconds, hard, restore, grace=1)
        _confined.active = True
        yield limits
    finally:
        _confined.active = False
        for undo in reversed(restore):
            undo()


def _lower(which: int, value: int, hard: bool, restore: list, grace: int = 0) -> None:
    soft_before, hard_before = resource.getrlimit(which)
    ceiling = hard_before if hard_before != resource.RLIM_INFINITY else None
    soft = value if ceiling is None else min(value, ceiling)
    if hard:
        new_hard = soft + grace if ceiling is None else min(soft + grace, ceiling)
        resource.setrlimit(which, (soft, new_hard))
        return  # a child's limits are never lifted: it ends with its render
    resource.setrlimit(which, (soft, hard_before))
    restore.append(lambda: resource.setrlimit(which, (soft_before, hard_before)))


# --- one render in a child process ------------------------------------------------------------

T = TypeVar("T")


def run_isolated(template: Path | str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """function(*args, **kwargs) in a forked child under hard limits; its result or its DocgenError here.

    Falls back to this process's soft limits where fork is not safe (other
    threads running) or not there, and inside a render already confined
    (a batch worker's fallback to docxtpl).
    """
    limits = current_limits()
    if confining() or not hasattr(os, "fork") or threading.active_count() > 1:
        with confined(limits):
            return _limited_call(template, limits, function, *args, **kwargs)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 0
        try:
            os.close(reading)
            try:
                with confined(limits, hard=True):
                    outcome = ("result", _limited_call(template, limits, function, *args, **kwargs))
            except BaseException as error:  # noqa: BLE001 - every ending goes back to the parent
                if isinstance(error, (LimitExceeded, MemoryError)):  # past a limit as the limits were set or lifted
                    error = limit_error(template, error, limits=limits)
                outcome = ("error", _portable(error))
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - e.g. MemoryError while pickling: the parent reports the status
            status = 70
        finally:
            os._exit(status)
    os.close(writing)
    try:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
    except BaseException:  # Ctrl-C: the child goes with the render it was doing
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, wait_status, usage = os.wait4(pid, 0)
    if data:
        try:
            kind, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a child cut off while writing
            kind, value = None, None
        if kind == "result":
            return value
        if kind == "error":
            raise _rebuilt(value)
    signum = os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else None
    if signum in (signal.SIGKILL, signal.SIGXCPU) and usage.ru_utime + usage.ru_stime >= limits.cpu_seconds:
        # The hard CPU limit stopped code the handler could not reach (stuck in one C call).
        raise limit_error(template, LimitExceeded("cpu", limits.cpu_seconds), limits=limits)
    status = signal.Signals(signum).name if signum else os.waitstatus_to_exitcode(wait_status)
    raise RenderLimitError(
        say("template.limit.stopped", status=status), location=Location(file=str(template)), hint=say("template.limit.hint")
    )


def _limited_call(template, limits: RenderLimits, function: Callable[..., T], *args, **kwargs) -> T:
    try:
        return function(*args, **kwargs)
    except (LimitExceeded, MemoryError) as error:
        raise limit_error(template, error, limits=limits) from None


def _portable(error: BaseException) -> tuple:
    """An exception as data that unpickles whole (docgen's errors take keyword arguments)."""
    if isinstance(error, DocgenError):
        return ("docgen", type(error), error.message, error.location, error.hint, error.expected, error.found, error.lang)
    try:
        pickle.dumps(error)
        return ("plain", error)
    except Exception:  # noqa: BLE001
        return ("plain", RuntimeError(f"{type(error).__name__}: {error}"))


def _rebuilt(portable: tuple) -> BaseException:
    if portable[0] == "plain":
        return portable[1]
    _, kind, message, location, hint, expected, found, lang = portable
    try:
        error = kind(message, location=location, hint=hint, expected=expected, found=found)
    except TypeError:  # an error class of its own signature: the base class says the same
        error = DocgenError(message, location=location, hint=hint, expected=expected, found=found)
    error.lang = lang
    return error
