"""What keeps the page safe: settings and limits, the access token, CSRF, the CSP header and uploads stored under names made here (docs/web.md)."""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from docgen.input.schema import LANGUAGES

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MB = 1 << 20

# Everything the page loads comes from docgen itself: no script or style from elsewhere, no frames, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class WebSettings:
    """How the page is served and what it accepts; the defaults suit one office on one machine."""

    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None  # None: no token asked (loopback only; docgen serve refuses it elsewhere)
    library: Path | None = None  # the user's template library, where uploaded templates go
    work_dir: Path | None = None  # where batch runs and made reports are kept; None: a temporary folder
    max_upload_mb: int = 40  # one request's body
    max_files: int = 60  # files in one request, and workbooks in one .zip
    max_unpacked_mb: int = 200  # a .zip's contents, all together
    max_reports: int = 2  # single reports made at once; more wait up to report_wait seconds
    report_wait: float = 60.0
    max_batches: int = 1  # batch runs at once; beyond it: "busy, try again"
    keep_results: int = 40  # made reports kept for download; the oldest go first
    keep_runs: int = 20  # batch runs kept in the recent list
    csrf_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def __post_init__(self) -> None:
        if self.token is None and not is_loopback(self.host):
            raise ValueError("a host other than loopback needs an access token")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def csrf_token(settings: WebSettings, session: str) -> str:
    """The CSRF token of a browser session: its cookie signed with the server's secret (double submit)."""
    return hmac.new(settings.csrf_secret, session.encode(), "sha256").hexdigest()


# --- names and folders -------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w\-]+")


def stored_name(number: int | None, client_name: str | None, suffix: str) -> str:
    """A name docgen makes for an upload: its number (if any) and the letters and digits of the client's stem.

    The stem is kept so that a manifest and an error still say which file
    it was; nothing in it can name a folder (no dots, slashes or controls).
    """
    stem = PurePosixPath((client_name or "").replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", stem.rsplit(".", 1)[0] if "." in stem else stem)
    stem = _UNSAFE.sub("_", stem).strip("_")[:60] or "file"
    return f"{stem}{suffix}" if number is None else f"{number:03d}-{stem}{suffix}"


def suffix_of(client_name: str | None) -> str:
    """The client's file kind, lower-cased (".xlsx"), or "" when it has none."""
    name = PurePosixPath((client_name or "").replace("\\", "/")).name
    suffix = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


@contextmanager
def request_folder(prefix: str = "docgen-web-"):
    """A folder of this request's own, removed when the request is done, whatever happened."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class UnpackRefused(Exception):
    """A .zip that is not unpacked: too big, too many files, or not a zip. `key` says which (web words)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def unpack_workbooks(archive: Path, into: Path, first_number: int, settings: WebSettings) -> list[Path]:
    """The workbooks of a .zip, stored under names made here; nothing else of it is written.

    Its entry names are read for their stem only, so `../` or an absolute
    path leads nowhere. The sizes are counted as the bytes come out, not as
    the zip declares them, so a zip bomb stops at the limit.
    """
    try:
        package = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnpackRefused("batch.bad_zip", reason=type(error).__name__) from None
    budget = settings.max_unpacked_mb * MB
    found: list[Path] = []
    with package:
        members = [m for m in package.infolist() if not m.is_dir() and suffix_of(m.filename) in WORKBOOK_SUFFIXES
                   and not PurePosixPath(m.filename.replace("\\", "/")).name.startswith(("~$", "."))]
        if len(members) > settings.max_files:
            raise UnpackRefused("batch.zip_too_big", files=settings.max_files, mb=settings.max_unpacked_mb)
        for number, member in enumerate(members, start=first_number):
            target = into / stored_name(number, member.filename, suffix_of(member.filename))
            try:
                with package.open(member) as source, open(target, "wb") as sink:
                    while chunk := source.read(MB):
                        budget -= len(chunk)
                        if budget < 0:
                            raise UnpackRefused("batch.zip_too_big", files=settings.max_files,
                                                mb=settings.max_unpacked_mb)
                        sink.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as error:
                raise UnpackRefused("batch.bad_zip", reason=type(error).__name__) from None
            found.append(target)
    return found


class Slots:
    """A limit on runs at once: take() waits up to `wait` seconds for a free one, else says no."""

    def __init__(self, count: int) -> None:
        self._free = threading.BoundedSemaphore(count)

    def take(self, wait: float = 0) -> bool:
        return self._free.acquire(timeout=wait) if wait > 0 else self._free.acquire(blocking=False)

    def give_back(self) -> None:
        self._free.release()


def choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    """A form's choice when it is one of `allowed`; None for "automatic" or anything else."""
    return value if value in allowed else None


def language_choice(value: str | None) -> str | None:
    return choice(value, LANGUAGES)
