"""What a file is when it is not an .xlsx workbook, and what to tell the user when one cannot be read."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from docgen.errors import Location, WorkbookError
from docgen.input.limits import DEFAULT_LIMITS, ReadLimits
from docgen.input.xlsx.package import Damage, Parts, find_workbook_part, refuse_zip_bomb
from docgen.paths import require_regular_file
from docgen.text.messages import say

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding a stream of this name (UTF-16 in the directory).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def check_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Tell the user plainly what a file is when it is not an .xlsx workbook, or one too big to unpack."""
    require_regular_file(path)  # before open(): a FIFO or /dev/zero never ends
    where = Location(file=str(path))
    if not path.exists():
        raise WorkbookError(say("file.not_found"), location=where, hint=say("file.not_found.hint"))
    if path.is_dir():
        raise WorkbookError(say("file.is_folder"), location=where, hint=say("file.is_folder.hint"))
    try:
        # The start tells what the file is; a real workbook is not read whole here, it is parsed next.
        with open(path, "rb") as stream:
            head = stream.read(4096)
        if head.startswith(_OLE2_SIGNATURE) and _ENCRYPTED_STREAM in path.read_bytes():
            raise WorkbookError(say("file.encrypted"), location=where, hint=say("file.encrypted.hint"))
    except OSError as exc:
        raise WorkbookError(say("file.cannot_open", reason=exc.strerror), location=where,
                            hint=say("file.cannot_open.hint")) from exc
    if not head:
        raise WorkbookError(say("file.empty"), location=where, hint=say("file.empty.hint"))
    if head.startswith(_OLE2_SIGNATURE):
        raise WorkbookError(say("file.xls"), location=where, hint=say("file.save_as_xlsx"))
    if not zipfile.is_zipfile(path):
        if head.startswith(_ZIP_SIGNATURE):  # a zip's start without its end: cut off
            raise WorkbookError(say("file.truncated"), location=where, hint=say("file.truncated.hint"))
        raise WorkbookError(say("file.not_xlsx", kind=_guess_kind(head)), location=where,
                            hint=say("file.save_as_xlsx"))
    try:
        with zipfile.ZipFile(path) as archive:
            refuse_zip_bomb(where, archive.infolist(), limits)
            package = Parts(archive)
            mimetype = package.read("mimetype")[:100] if "mimetype" in package else b""
            if "xl/workbook.bin" in package:
                raise WorkbookError(say("file.xlsb"), location=where, hint=say("file.save_as_xlsx"))
            if b"opendocument.spreadsheet" in mimetype:
                raise WorkbookError(say("file.ods"), location=where, hint=say("file.save_as_xlsx"))
            if find_workbook_part(package) is None:
                kind = say("file.kind.word") if "word/document.xml" in package else say("file.kind.zip")
                raise WorkbookError(say("file.not_xlsx", kind=kind), location=where, hint=say("file.save_as_xlsx"))
    except WorkbookError:
        raise
    except Exception as exc:  # the zip's directory or its index parts are damaged
        raise unreadable(path, exc) from exc


_ZIP_SIGNATURE = b"PK\x03\x04"


def _guess_kind(content: bytes) -> str:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head[:512]:
        return say("file.kind.html")
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return say("file.kind.xml")
    if head.startswith(b"%pdf"):
        return say("file.kind.pdf")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = content[:4096].decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(separator in text for separator in (",", "\t", ";")):
            return say("file.kind.csv")
        return say("file.kind.text")
    return say("file.kind.unknown")


def unreadable(path: Path, exc: Exception, sheet: str | None = None) -> WorkbookError:
    """The WorkbookError for what went wrong reading the file: what is wrong with it, never the exception's text."""
    where = Location(file=str(path), sheet=sheet)
    if isinstance(exc, Damage):
        return WorkbookError(exc.message, location=Location(file=str(path), sheet=sheet, cell=exc.cell),
                             hint=say("file.unreadable.hint"))
    if isinstance(exc, NotImplementedError):  # a compression method Python's zipfile lacks (Deflate64 …)
        return WorkbookError(say("file.compression"), location=where, hint=say("file.save_as_xlsx"))
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError)):
        # The zip itself: a part that does not unpack (a wrong checksum, cut-off data, encrypted parts).
        return WorkbookError(say("file.damaged"), location=where, hint=say("file.save_as_xlsx"))
    # Anything else the XML or its values raise (lxml's syntax errors above all).
    message = say("file.damaged_sheet") if sheet is not None else say("file.damaged_package")
    return WorkbookError(message, location=where, hint=say("file.unreadable.hint"))
