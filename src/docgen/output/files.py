"""Writes outputs safely: file names that work everywhere, and atomic replacement."""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from docgen.errors import Location, OutputError
from docgen.text.messages import say
from docgen.paths import check_path

# Names Windows keeps for devices, whatever the extension and with trailing dots or spaces ("CON .txt"):
# Microsoft's list, with the superscript digits it also reads as ports (COM¹ is COM1) and the console's names.
_RESERVED = (
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{number}" for port in ("com", "lpt") for number in (*"0123456789", "¹", "²", "³")}
)
# What a spreadsheet takes for the start of a formula: a name starting with one is a formula when it is
# pasted into Excel, and one starting with "-" is an option when it is typed after a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORBIDDEN_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
MAX_NAME_BYTES = 240  # below the 255-byte limit of common file systems, room for a suffix


def safe_filename(name: str, *, fallback: str = "report") -> str:
    """A file name with no path parts, control or bidi characters, reserved words, or a formula's start.

    Chinese stays as it is; the name is trimmed to the byte limit of common
    file systems (a Chinese character is 3 bytes in UTF-8).
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    name = FORBIDDEN_CHARACTERS.sub("_", name)
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext.strip() or " " in ext:
        stem, ext = name, ""
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    if stem.casefold().split(".")[0].rstrip(" ") in _RESERVED or stem.startswith(FORMULA_STARTS):
        stem = f"_{stem}"
    suffix = f".{ext.strip()}" if ext.strip() else ""
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES and stem:
        stem = stem[:-1].rstrip(" .")
    return (stem or fallback) + suffix


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: Path, *, force: bool = False) -> None:
    """Refuse early an output that is a folder, or that exists and may not be replaced, or whose name is unusable."""
    path = Path(path)
    check_path(path)
    if path.is_dir():
        raise OutputError(say("output.is_folder"), location=Location(file=str(path)), hint=say("output.is_folder.hint"))
    if path.exists() and not force:
        raise OutputError(say("output.exists"), location=Location(file=str(path)), hint=say("output.exists.hint"))


def make_folder(folder: Path) -> Path:
    """Make an output folder (and its parents), or say plainly why it cannot be made."""
    folder = Path(folder)
    check_path(folder)
    # mkdir would say "File exists" or "Not a directory": name the file in the way instead.
    in_the_way = next((path for path in (folder, *folder.parents) if path.exists() and not path.is_dir()), None)
    if in_the_way is not None:
        raise OutputError(
            say("output.file_in_the_way", folder=str(folder), file=str(in_the_way)),
            hint=say("output.file_in_the_way.hint"),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            say("output.folder_unmakeable", folder=str(folder), reason=error.strerror),
            hint=say("output.folder_unwritable.hint"),
        ) from None
    return Path(folder)


def write_atomic(
    path: Path, data: bytes | Callable[[BinaryIO], None], *, force: bool = False, sync: bool = True
) -> Path:
    """Write data to path through a temporary file in the same folder, then rename.

    `data` is the bytes, or a function that writes them to the open file (a
    big file need not be held whole). A reader of `path` sees the old file or
    the whole new one, never half of it; an existing file is only replaced
    with force. With `sync=False` the data is not forced to disk: the caller
    does it for a group of files (sync_files) before it claims them written.
    """
    path = Path(path)
    check_output(path, force=force)
    folder = path.parent
    try:
        try:
            handle, temp_name = tempfile.mkstemp(prefix=".~docgen-", suffix=".tmp", dir=folder)
        except (FileNotFoundError, NotADirectoryError):
            # The folder is made (or what is in its way named) only when it is missing, not for every file of a run.
            handle, temp_name = tempfile.mkstemp(prefix=".~docgen-", suffix=".tmp", dir=make_folder(folder))
    except OSError as error:
        raise OutputError(
            say("output.folder_unwritable", reason=error.strerror),
            location=Location(file=str(folder)),
            hint=say("output.folder_unwritable.hint"),
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
            else:
                start_writeback(stream.fileno())
        # mkstemp makes the file private (0600); a report should get the usual permissions.
        os.chmod(temp_name, 0o666 & ~_current_umask())
        os.replace(temp_name, path)
    except OSError as error:
        raise OutputError(
            say("output.file_unwritable", reason=error.strerror),
            location=Location(file=str(path)),
            hint=say("output.file_unwritable.hint"),
        ) from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return path


@functools.cache
def _sync_file_range():
    """Linux's sync_file_range, or None where there is none (looked up at the first file, not at import)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_SYNC_FILE_RANGE_WRITE = 2  # start writing the range's dirty pages; do not wait


def start_writeback(handle: int) -> None:
    """Have the kernel start writing a file's data to disk now, without waiting for it (Linux; elsewhere nothing).

    A file written with sync=False is synced later in a group (sync_files):
    started at once, its writing overlaps the next documents' work, and the
    group's fsyncs find the data on disk and commit the file system's journal
    once for the lot, where otherwise each fsync writes its file and commits
    on its own. A hint only: sync_files still syncs every file.
    """
    sync_file_range = _sync_file_range()
    if sync_file_range is not None:
        sync_file_range(handle, 0, 0, _SYNC_FILE_RANGE_WRITE)


def sync_files(paths: Iterable[Path]) -> None:
    """Force written files to disk, then their folders (so their renames last too): one group, many files.

    Syncing a group at once costs little more than one file: the file system
    commits their data together on the first sync and the rest find it done.
    A file removed since it was written is passed over (--resume makes it again).
    """
    folders = set()
    for path in paths:
        try:
            handle = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
        folders.add(os.path.dirname(os.path.abspath(path)))
    for folder in folders:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def path_inside(folder: Path, name: str) -> Path:
    """folder / name, refusing any name that would put the file anywhere but directly inside folder."""
    folder = Path(folder)
    path = folder / name
    if Path(name).name != name or path.resolve().parent != folder.resolve():
        raise OutputError(say("output.outside"), location=Location(file=name), hint=say("output.outside.hint"))
    return path
