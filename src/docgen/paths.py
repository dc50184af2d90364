"""What a path the user gives may be: a regular file to read, a name the file system can hold, text that can be shown."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from docgen.errors import Location, PathError
from docgen.text.messages import Phrase, say

# The limits of Linux and of most file systems elsewhere: a name of 255 bytes, a path of 4096.
NAME_MAX = 255
PATH_MAX = 4096


def shown(path: str | os.PathLike) -> str:
    """A path as text that can be printed and written to UTF-8 files: bytes that are not UTF-8 spelled as \\xff.

    Python hands a name that is not valid UTF-8 over as lone surrogates, which
    no UTF-8 file or terminal accepts.
    """
    text = os.fspath(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_utf8(path: str | os.PathLike) -> bool:
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(mode: int) -> Phrase | None:
    """What a file of this mode is, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return say("path.kind.folder")
    if stat.S_ISFIFO(mode):
        return say("path.kind.fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return say("path.kind.device")
    if stat.S_ISSOCK(mode):
        return say("path.kind.socket")
    return say("path.kind.other")


def _special_kind(path: str | os.PathLike) -> Phrase | None:
    try:
        return _kind(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


def special_file(path: str | os.PathLike) -> Phrase | None:
    """Why `path` cannot be read as a file (it is a FIFO, a device, a socket or a folder), or None.

    Only stat is used: opening a FIFO waits for a writer for ever, and
    reading /dev/zero never ends. A link is followed; the message then says
    where it leads. A path that does not exist (or cannot be looked at) gives
    None: the caller says so in its own words when it opens it.
    """
    kind = _special_kind(path)
    if kind is None:
        return None
    if os.path.islink(path):
        return say("path.not_regular.link", target=shown(os.path.realpath(path)), kind=kind)
    return say("path.not_regular", kind=kind)


def require_regular_file(path: str | os.PathLike) -> None:
    """Raise PathError at once when `path` is a FIFO, a device, a socket or a folder (see special_file)."""
    problem = special_file(path)
    if problem is not None:
        hint = say("path.folder.hint" if os.path.isdir(path) else "path.not_regular.hint")
        raise PathError(problem, location=Location(file=shown(path)), hint=hint)


def path_problem(path: str | os.PathLike) -> tuple[str, Phrase, Phrase] | None:
    """(the name at fault, message, hint) when a path cannot be used as a name at all, or None.

    A name that is not valid UTF-8 cannot be written to the manifest or shown;
    a name over NAME_MAX bytes or a path over PATH_MAX bytes (as docgen
    resolves it, from the working folder) is refused by the system.
    """
    text = os.fspath(path)
    if not is_utf8(text):
        return shown(text), say("path.not_utf8"), say("path.not_utf8.hint")
    for part in Path(text).parts:
        size = len(part.encode("utf-8"))
        if size > NAME_MAX:
            return _clipped(part), say("path.name_too_long", size=size, limit=NAME_MAX), say("path.name_too_long.hint")
    size = len(os.path.abspath(text).encode("utf-8"))
    if size > PATH_MAX:
        return _clipped(text), say("path.too_long", size=size, limit=PATH_MAX), say("path.too_long.hint")
    return None


def check_path(path: str | os.PathLike | None) -> None:
    """Raise PathError when a path given by the user cannot be a name (see path_problem); None passes."""
    if path is None:
        return
    problem = path_problem(path)
    if problem is not None:
        name, message, hint = problem
        raise PathError(message, location=Location(file=name), hint=hint)


def check_input(path: str | os.PathLike | None) -> None:
    """A file docgen is to read: a usable name (check_path) of a regular file (require_regular_file), not a lock file."""
    if path is None:
        return
    check_path(path)
    refuse_lock_file(path)
    require_regular_file(path)


# Excel, WPS and LibreOffice keep "~$name.xlsx" (LibreOffice ".~lock.name.xlsx#") beside a workbook while it is open.
_LOCK_PREFIXES = ("~$", ".~lock.")


def workbook_of_lock_file(path: str | os.PathLike) -> Path | None:
    """The workbook a lock file stands for ("~$月报.xlsx" → "月报.xlsx"), or None when `path` is no lock file."""
    path = Path(path)
    for prefix in _LOCK_PREFIXES:
        if path.name.startswith(prefix):
            return path.with_name(path.name[len(prefix):].removesuffix("#"))
    return None


def refuse_lock_file(path: str | os.PathLike) -> None:
    """Raise PathError for a spreadsheet program's lock file, naming the workbook that is open."""
    workbook = workbook_of_lock_file(path)
    if workbook is not None:
        raise PathError(say("path.lock_file", workbook=shown(workbook.name)), location=Location(file=shown(path)),
                        hint=say("path.lock_file.hint", workbook=shown(workbook.name)))


def lock_file_beside(path: str | os.PathLike) -> Path | None:
    """The lock file beside a workbook that is open in Excel, WPS or LibreOffice now, or None.

    Its unsaved edits are in the program, not in the file docgen reads.
    Excel shortens a long name in its lock file ("~$" and the name's last
    characters), so a lock file whose name ends the workbook's counts too.
    """
    path = Path(path)
    try:
        siblings = [entry.name for entry in os.scandir(path.parent or ".")]
    except OSError:
        return None
    for name in siblings:
        if name.startswith("~$") and (name[2:] == path.name or (len(name) > 4 and path.name.endswith(name[2:]))):
            return path.with_name(name)
        if name == f".~lock.{path.name}#":
            return path.with_name(name)
    return None


def _clipped(text: str, limit: int = 60) -> str:
    """A long name cut for a message: its start, …, and its end (where the extension is)."""
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-(limit // 2) :]}"
