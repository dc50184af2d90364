"""PDF copies and page previews through LibreOffice (soffice) and poppler (pdftoppm)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docgen.errors import Location, OutputError
from docgen.output.files import write_atomic
from docgen.paths import check_input
from docgen.text.messages import say

INSTALL_HINT = say("pdf.install.hint")
POPPLER_HINT = say("pdf.poppler.hint")

# How long LibreOffice's killed process group may take to disappear (the watcher waits as long).
_GROUP_EXIT_GRACE = 2.0


class SofficeNotFound(OutputError):
    """LibreOffice's soffice program cannot be found where docgen looks."""


class ConversionFailed(OutputError):
    """LibreOffice ran but no complete PDF came out (error, crash or timeout)."""


class PopplerNotFound(OutputError):
    """pdftoppm, which turns PDF pages into images, is not installed."""


class PreviewFailed(OutputError):
    """pdftoppm could not turn the PDF into page images."""


# --- finding LibreOffice -----------------------------------------------------


def find_soffice(explicit: str | os.PathLike | None = None) -> Path:
    """The soffice program to run: --soffice, then $DOCGEN_SOFFICE, then PATH, then the usual places.

    A path the user gave explicitly (option or environment variable) is not
    second-guessed: if it is wrong, that is an error, not a reason to look
    elsewhere.
    """
    if explicit:
        return _given_program(str(explicit), "--soffice")
    from_environment = os.environ.get("DOCGEN_SOFFICE")
    if from_environment:
        return _given_program(from_environment, "DOCGEN_SOFFICE")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _usual_install_places():
        if _is_program(place):
            return place
    raise SofficeNotFound(say("pdf.soffice_not_found"), hint=INSTALL_HINT)


def _given_program(given: str, source: str) -> Path:
    path = Path(given).expanduser()
    # People paste the install folder as often as the program itself.
    candidates = [path]
    if path.is_dir():
        candidates += [
            path / name
            for name in ("soffice", "soffice.exe", "program/soffice", "program/soffice.exe", "Contents/MacOS/soffice")
        ]
    for candidate in candidates:
        if _is_program(candidate):
            return candidate
    found = shutil.which(given)  # a bare name such as "libreoffice7.6"
    if found:
        return Path(found)
    raise SofficeNotFound(say("pdf.not_soffice", source=source, given=given), hint=INSTALL_HINT)


def _is_program(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _usual_install_places() -> list[Path]:
    if sys.platform == "win32":
        roots = {os.environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")}
        roots = {root for root in roots if root} or {r"C:\Program Files"}
        return [Path(root) / "LibreOffice" / "program" / "soffice.exe" for root in sorted(roots)]
    if sys.platform == "darwin":
        bundle = Path("LibreOffice.app/Contents/MacOS/soffice")
        return [Path("/Applications") / bundle, Path.home() / "Applications" / bundle]
    # The upstream .deb/.rpm packages install into /opt/libreofficeX.Y; prefer the newest.
    upstream = sorted(Path("/opt").glob("libreoffice*/program/soffice"), key=_release, reverse=True)
    return [
        Path("/usr/lib/libreoffice/program/soffice"),
        Path("/usr/lib64/libreoffice/program/soffice"),
        *upstream,
    ]


def _release(program: Path) -> tuple[int, ...]:
    """(24, 2) for /opt/libreoffice24.2/program/soffice, so that 24.2 sorts after 7.6."""
    return tuple(int(number) for number in re.findall(r"\d+", program.parent.parent.name))


def soffice_version(soffice: Path) -> str | None:
    """soffice's own version line (e.g. "LibreOffice 7.4.7.2 40(Build:2)"), or None if it does not say."""
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-soffice-", ignore_cleanup_errors=True) as work:
            work_dir = Path(work)
            command = [str(soffice), _profile_argument(work_dir / "profile"), "--version"]
            _, output = _run_in_own_group(command, work_dir / "soffice.log", timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"\d+\.\d+", line) and not line.lower().startswith("warning"):
            return line
    return None


# --- converting --------------------------------------------------------------


def convert_to_pdf(
    docx: Path,
    out_dir: Path | None = None,
    *,
    soffice: Path | None = None,
    timeout: float = 120,
) -> Path:
    """Convert a document to PDF next to it (or in out_dir) and return the PDF's path.

    LibreOffice runs headless with a profile of its own, so conversions can run
    side by side and never hand the work to a LibreOffice the user has open.
    The PDF is made in a temporary folder and moved into place only when it is
    complete, so a failure leaves any earlier PDF as it was.
    """
    docx = Path(docx)
    check_source(docx)
    target = Path(out_dir if out_dir is not None else docx.parent) / f"{docx.stem}.pdf"
    program = Path(soffice) if soffice is not None else find_soffice()
    convert_one_shot(docx, target, soffice=program, timeout=timeout)
    return target


def page_counts(documents: Sequence[Path], *, soffice: Path | None = None, timeout: float = 120) -> list[int]:
    """How many pages each document has as LibreOffice lays it out.

    A PDF beside a document, written since it (batch --pdf), is counted as
    it is; the other documents are converted together by one LibreOffice,
    in a temporary folder, so a bundle of many reports pays for one start.
    """
    counts: dict[int, int] = {}
    todo: list[int] = []
    for index, docx in enumerate(map(Path, documents)):
        check_source(docx)
        pdf = docx.with_suffix(".pdf")
        if pdf.is_file() and pdf.stat().st_mtime >= docx.stat().st_mtime and incomplete_pdf(pdf) is None:
            counts[index] = pdf_page_count(pdf)
        else:
            todo.append(index)
    if todo:
        program = Path(soffice) if soffice is not None else find_soffice()
        with tempfile.TemporaryDirectory(prefix="docgen-pages-", ignore_cleanup_errors=True) as work:
            work_dir = Path(work)
            sources = []
            for number, index in enumerate(todo):
                folder = work_dir / f"source{number}"
                folder.mkdir()
                sources.append(copy_source(Path(documents[index]), folder).rename(work_dir / f"document{number}.docx"))
            produced_dir = work_dir / "pdf"
            produced_dir.mkdir()
            command = [str(program), _profile_argument(work_dir / "profile"), "--headless", "--norestore", "--nologo",
                       "--nolockcheck", "--convert-to", "pdf", "--outdir", str(produced_dir), *map(str, sources)]  # fmt: skip
            first = Location(file=str(documents[todo[0]]))
            try:
                returncode, output = _run_in_own_group(command, work_dir / "soffice.log", timeout=timeout * len(todo))
            except subprocess.TimeoutExpired as expired:
                raise ConversionFailed(
                    say("pdf.timeout", timeout=_seconds(timeout * len(todo)), said=_said(expired.output)),
                    location=first,
                    hint=say("pdf.timeout.hint"),
                ) from None
            except OSError as error:
                raise ConversionFailed(
                    say("pdf.cannot_run", program=program, reason=error.strerror or error), location=first, hint=INSTALL_HINT
                ) from None
            for number, index in enumerate(todo):
                produced = produced_dir / f"document{number}.pdf"
                problem = incomplete_pdf(produced)
                if problem:
                    raise ConversionFailed(
                        say("pdf.failed", problem=problem, code=returncode, said=_said(output)),
                        location=Location(file=str(documents[index])),
                        hint=say("pdf.failed.hint"),
                    )
                counts[index] = pdf_page_count(produced)
    return [counts[index] for index in range(len(documents))]


def pdf_page_count(pdf: Path) -> int:
    """The pages of a PDF LibreOffice wrote: its page objects, which it never compresses into object streams."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", Path(pdf).read_bytes()))


def check_source(docx: Path) -> None:
    """Refuse what cannot be converted before LibreOffice is asked: a missing file, a PDF."""
    _require_file(docx)
    if docx.suffix.lower() == ".pdf":
        raise ConversionFailed(
            say("pdf.already_pdf"), location=Location(file=str(docx)), hint=say("pdf.already_pdf.hint")
        )


def copy_source(docx: Path, work_dir: Path) -> Path:
    """The document copied into work_dir under an ASCII name (soffice mangles others in the C locale)."""
    source = work_dir / f"document{docx.suffix}"
    try:
        shutil.copyfile(docx, source)
    except OSError as error:
        raise ConversionFailed(
            say("pdf.cannot_read", reason=error.strerror or error),
            location=Location(file=str(docx)),
            hint=say("pdf.cannot_read.hint"),
        ) from None
    return source


def convert_one_shot(docx: Path, target: Path, *, soffice: Path, timeout: float = 120) -> None:
    """Convert docx to the PDF target with a LibreOffice started (with a fresh profile) for it alone."""
    program = soffice
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-", ignore_cleanup_errors=True) as work:
        work_dir = Path(work)
        source = copy_source(docx, work_dir)
        produced_dir = work_dir / "pdf"
        produced_dir.mkdir()
        command = [
            str(program),
            _profile_argument(work_dir / "profile"),
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(produced_dir),
            str(source),
        ]
        try:
            returncode, output = _run_in_own_group(command, work_dir / "soffice.log", timeout=timeout)
        except subprocess.TimeoutExpired as expired:
            raise ConversionFailed(
                say("pdf.timeout", timeout=_seconds(timeout), said=_said(expired.output)),
                location=Location(file=str(docx)),
                hint=say("pdf.timeout.hint"),
            ) from None
        except OSError as error:
            raise ConversionFailed(
                say("pdf.cannot_run", program=program, reason=error.strerror or error),
                location=Location(file=str(docx)),
                hint=INSTALL_HINT,
            ) from None

        produced = produced_dir / f"{source.stem}.pdf"
        problem = incomplete_pdf(produced)
        if problem:
            raise ConversionFailed(
                say("pdf.failed", problem=problem, code=returncode, said=_said(output)),
                location=Location(file=str(docx)),
                hint=say("pdf.failed.hint"),
            )
        # The earlier PDF stays whole until the new one replaces it in one rename.
        write_atomic(target, produced.read_bytes(), force=True)


def _require_file(path: Path) -> None:
    check_input(path)  # a FIFO or a device would never end; a name that is not UTF-8 cannot be shown
    if not path.is_file():
        raise ConversionFailed(say("pdf.no_file"), location=Location(file=str(path)), hint=say("file.not_found.hint"))


def _profile_argument(profile_dir: Path) -> str:
    return f"-env:UserInstallation={profile_dir.resolve().as_uri()}"


def incomplete_pdf(pdf: Path) -> str | None:
    """Why pdf is not a complete PDF ("wrote no PDF", a catalogue phrase), or None if it is one."""
    if not pdf.is_file():
        return say("pdf.problem.none")
    size = pdf.stat().st_size
    if size == 0:
        return say("pdf.problem.empty")
    with pdf.open("rb") as stream:
        head = stream.read(5)
        stream.seek(max(0, size - 1024))
        tail = stream.read()
    # A PDF ends with %%EOF; without it the writer stopped half-way.
    if head != b"%PDF-" or b"%%EOF" not in tail:
        return say("pdf.problem.incomplete")
    return None


def _seconds(timeout: float) -> str:
    return say("pdf.seconds" if timeout == 1 else "pdf.seconds.plural", count=timeout)


def _said(output: str | bytes | None, lines: int = 6) -> str:
    """The last lines soffice printed, to quote in an error message."""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    # LibreOffice warns about javaldx on every run without Java; that is never the cause.
    kept = [line.strip() for line in (output or "").splitlines() if line.strip() and "javaldx" not in line]
    kept = kept[-lines:]
    return say("pdf.said", output=" | ".join(kept)) if kept else ""


def _run_in_own_group(command: list[str], log: Path, *, timeout: float) -> tuple[int, str]:
    """Run command in a process group of its own and return (exit code, output).

    soffice starts oosplash, which starts soffice.bin; killing only the first
    would leave the others running. So the whole group is killed: on timeout,
    on Ctrl-C, when it exits (whatever it left running), and when docgen
    itself dies, by SIGTERM, SIGHUP or SIGKILL alike (docgen.output.soffice_watch,
    which runs it, does that on POSIX). Output goes to a file in the log's
    folder, the conversion's work folder, not a pipe: a leftover child
    holding a pipe open would make reading it wait for the timeout.

    Raises subprocess.TimeoutExpired (with the output) when the time is up.
    """
    if os.name == "nt":
        return _run_on_windows(command, log, timeout=timeout)
    watcher = subprocess.Popen(
        # -I -S: the watcher needs only the standard library, and starts at once without site-packages.
        [sys.executable, "-I", "-S", str(_WATCHER), str(log), str(log.parent), *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own session: a signal sent to docgen's process group (Ctrl-C, a killed job) leaves it to clean up.
        start_new_session=True,
    )
    try:
        returncode = watcher.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop_watched(watcher)
        raise subprocess.TimeoutExpired(command, timeout, output=_read_log(log)) from None
    except BaseException:  # e.g. Ctrl-C: leave no LibreOffice behind
        _stop_watched(watcher)
        raise
    watcher.stdin.close()
    return returncode, _read_log(log)


_WATCHER = Path(__file__).with_name("soffice_watch.py")


def _stop_watched(watcher: subprocess.Popen) -> None:
    """Have the watcher kill the program's group (a byte, then the pipe closed), and wait until it has."""
    try:
        watcher.stdin.write(b"s")  # "stop", not "docgen is gone": docgen clears its work folder itself
        watcher.stdin.close()
    except OSError:
        pass  # the watcher has exited already
    try:
        watcher.wait(timeout=_GROUP_EXIT_GRACE + 5)
    except subprocess.TimeoutExpired:
        watcher.kill()
        watcher.wait()


def _run_on_windows(command: list[str], log: Path, *, timeout: float) -> tuple[int, str]:
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_stream,
            stderr=subprocess.STDOUT,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
        )
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_windows_tree(process)
            raise subprocess.TimeoutExpired(command, timeout, output=_read_log(log)) from None
        except BaseException:
            _stop_windows_tree(process)
            raise
    return returncode, _read_log(log)


def _stop_windows_tree(process: subprocess.Popen) -> None:
    # Windows has no killpg; taskkill /T ends the process and its children.
    # Only for a process still running: Windows soon reuses the id of one that exited.
    if process.poll() is None:
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        process.kill()
    process.wait()


def _read_log(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# --- previews ----------------------------------------------------------------


def preview_pages(
    docx_or_pdf: Path,
    out_dir: Path,
    *,
    dpi: int = 80,
    soffice: Path | None = None,
    timeout: float = 120,
    convert: Callable[[Path, Path], object] | None = None,
) -> list[Path]:
    """One PNG per page of a document (converted to PDF first) or a PDF, written to out_dir.

    convert(docx, pdf_path) makes the PDF when given (a warm
    docgen.output.office.Converter's convert); otherwise a LibreOffice is
    started for this document alone. The images are named after the document and numbered from 1, padded so
    that they sort in page order: report-1.png … or report-01.png … report-12.png.
    """
    source = Path(docx_or_pdf)
    _require_file(source)
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise PopplerNotFound(say("pdf.poppler_not_found"), hint=POPPLER_HINT)
    out_dir = Path(out_dir)

    with tempfile.TemporaryDirectory(prefix="docgen-preview-", ignore_cleanup_errors=True) as work:
        work_dir = Path(work)
        if source.suffix.lower() == ".pdf":
            pdf = source
        elif convert is not None:
            pdf = work_dir / f"{source.stem}.pdf"
            convert(source, pdf)
        else:
            pdf = convert_to_pdf(source, work_dir, soffice=soffice, timeout=timeout)
        pages_dir = work_dir / "pages"
        pages_dir.mkdir()
        try:
            result = subprocess.run(
                [pdftoppm, "-png", "-r", str(dpi), str(pdf), str(pages_dir / "page")],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PreviewFailed(
                say("pdf.preview_timeout", timeout=_seconds(timeout)),
                location=Location(file=str(source)),
                hint=say("pdf.preview_timeout.hint"),
            ) from None
        pages = sorted(pages_dir.glob("page-*.png"), key=_page_number)
        if result.returncode != 0 or not pages:
            raise PreviewFailed(
                say("pdf.preview_failed", code=result.returncode, said=_said(result.stderr)),
                location=Location(file=str(source)),
                hint=say("pdf.preview_failed.hint"),
            )
        width = len(str(len(pages)))
        previews = []
        for number, page in enumerate(pages, start=1):
            target = out_dir / f"{source.stem}-{number:0{width}d}.png"
            write_atomic(target, page.read_bytes(), force=True)
            previews.append(target)
    return previews


def _page_number(image: Path) -> int:
    return int(image.stem.rsplit("-", 1)[1])
