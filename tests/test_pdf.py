"""Tests for docgen.output.pdf and docgen.output.doctor: finding LibreOffice, converting to PDF, page previews and doctor."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from conftest import chinese_docx, pdf_text
from docgen.output import doctor, pdf

FAKES = Path(__file__).parent / "fakes"

posix_only = pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")


# --- helpers -----------------------------------------------------------------


def unavailable(reason: str) -> None:
    """Skip a test that needs a missing tool; under CI fail it, since CI installs the tools."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}, and CI is set, so the PDF tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def real_soffice() -> Path:
    try:
        return pdf.find_soffice()
    except pdf.SofficeNotFound:
        unavailable("LibreOffice (soffice) is not installed")


@pytest.fixture
def poppler() -> None:
    for tool in ("pdftotext", "pdftoppm"):
        if not shutil.which(tool):
            unavailable(f"{tool} (poppler-utils) is not installed")


def write_report_docx(path: Path, *, author: str = "张三", pages: int = 1) -> Path:
    """A small Chinese report, with East Asian fonts set so LibreOffice renders the characters."""
    return chinese_docx(path, "销售工作总结", f"{author}本月销售额960万元，达成率96.0%，环比增长6.7%。", pages=pages)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def still_running(pid: int) -> bool:
    """Whether pid is a live process; a zombie waiting to be reaped counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone, or going: reading a vanishing process's stat says "no such process"
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_until_gone(pid: int, patience: float = 10.0) -> bool:
    deadline = time.monotonic() + patience
    while still_running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class FakeSoffice:
    """tests/fakes/soffice, copied where it can be run, with its record folder."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.program = folder / "bin" / "soffice"
        self.program.parent.mkdir()
        shutil.copyfile(FAKES / "soffice", self.program)
        self.program.chmod(0o755)
        self.record = folder / "record"
        self.record.mkdir()
        self._monkeypatch = monkeypatch
        monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(self.record))

    def behaving(self, behaviour: str) -> Path:
        self._monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", behaviour)
        return self.program

    def args(self) -> list[str]:
        return (self.record / "args").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> FakeSoffice:
    folder = tmp_path / "fake-soffice"
    folder.mkdir()
    return FakeSoffice(folder, monkeypatch)


@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:
    """A private system temp folder, to check that docgen removes what it puts there."""
    root = tmp_path / "system-temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def nothing_installed(tmp_path, monkeypatch) -> Path:
    """An empty PATH, no DOCGEN_SOFFICE and no usual install places; returns the PATH folder."""
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setattr(pdf, "_usual_install_places", lambda: [])
    return empty_bin


def write_program(path: Path, script: str) -> Path:
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


# --- the CI rule for missing tools -------------------------------------------


def test_a_missing_tool_skips_the_test_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        unavailable("LibreOffice (soffice) is not installed")


def test_a_missing_tool_fails_the_test_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("LibreOffice (soffice) is not installed")


# --- finding soffice ---------------------------------------------------------


@posix_only
def test_find_soffice_takes_the_option_before_the_environment(tmp_path, monkeypatch):
    from_option = write_program(tmp_path / "option-soffice", "exit 0")
    from_environment = write_program(tmp_path / "env-soffice", "exit 0")
    monkeypatch.setenv("DOCGEN_SOFFICE", str(from_environment))

    assert pdf.find_soffice(str(from_option)) == from_option
    assert pdf.find_soffice() == from_environment


@posix_only
def test_find_soffice_looks_for_libreoffice_on_path(nothing_installed):
    program = write_program(nothing_installed / "libreoffice", "exit 0")

    assert pdf.find_soffice() == program


@posix_only
def test_find_soffice_accepts_the_install_folder(tmp_path):
    install = tmp_path / "LibreOffice"
    (install / "program").mkdir(parents=True)
    program = write_program(install / "program" / "soffice", "exit 0")

    assert pdf.find_soffice(install) == program


@posix_only
def test_find_soffice_falls_back_to_the_usual_install_places(nothing_installed, tmp_path, monkeypatch):
    program = write_program(tmp_path / "soffice", "exit 0")
    monkeypatch.setattr(pdf, "_usual_install_places", lambda: [tmp_path / "absent" / "soffice", program])

    assert pdf.find_soffice() == program


def test_no_soffice_anywhere_says_how_to_install_it(nothing_installed):
    with pytest.raises(pdf.SofficeNotFound) as caught:
        pdf.find_soffice()

    message = str(caught.value)
    assert "LibreOffice (soffice) was not found" in message
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "libreoffice.org/download" in message
    assert "--soffice PATH" in message
    assert "DOCGEN_SOFFICE" in message


def test_a_wrong_soffice_option_is_an_error_even_when_libreoffice_is_installed(tmp_path):
    wrong = tmp_path / "no-such-soffice"

    with pytest.raises(pdf.SofficeNotFound) as caught:
        pdf.find_soffice(str(wrong))

    message = str(caught.value)
    assert f"--soffice points to {wrong}, which is not the soffice program" in message
    assert "libreoffice-writer-nogui" in message


def test_a_wrong_docgen_soffice_variable_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "nowhere"))

    with pytest.raises(pdf.SofficeNotFound, match="DOCGEN_SOFFICE points to"):
        pdf.find_soffice()


def test_convert_without_soffice_gives_the_install_hint_and_keeps_the_docx(tmp_path, nothing_installed):
    report = write_report_docx(tmp_path / "report.docx")
    before = report.read_bytes()

    with pytest.raises(pdf.SofficeNotFound, match="libreoffice-writer-nogui"):
        pdf.convert_to_pdf(report)

    assert report.read_bytes() == before
    assert not (tmp_path / "report.pdf").exists()


# --- converting, with a fake soffice -------------------------------------------


@posix_only
def test_convert_runs_soffice_headless_with_a_fresh_profile_each_time(tmp_path, fake_soffice, temp_root):
    soffice = fake_soffice.behaving("writes-pdf")
    report = tmp_path / "销售工作总结.docx"
    report.write_bytes(b"not really a docx: the fake does not read it")

    produced = pdf.convert_to_pdf(report, soffice=soffice)
    first_args = fake_soffice.args()
    pdf.convert_to_pdf(report, soffice=soffice)
    second_args = fake_soffice.args()

    assert produced == tmp_path / "销售工作总结.pdf"
    assert produced.read_bytes().startswith(b"%PDF-")
    for flag in ("--headless", "--norestore", "--nologo", "--nolockcheck"):
        assert flag in first_args
    assert first_args[first_args.index("--convert-to") + 1] == "pdf"
    profiles = [next(a for a in args if a.startswith("-env:UserInstallation=file:///")) for args in (first_args, second_args)]
    assert profiles[0] != profiles[1]
    assert list(temp_root.iterdir()) == [], "the temporary profile and work folders are removed"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["销售工作总结.docx", "销售工作总结.pdf"]


@posix_only
def test_convert_writes_into_out_dir_and_creates_it(tmp_path, fake_soffice):
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")

    produced = pdf.convert_to_pdf(report, tmp_path / "pdfs" / "march", soffice=fake_soffice.behaving("writes-pdf"))

    assert produced == tmp_path / "pdfs" / "march" / "report.pdf"
    assert produced.read_bytes().startswith(b"%PDF-")


@posix_only
def test_soffice_exiting_without_a_pdf_is_a_conversion_failure(tmp_path, fake_soffice, temp_root):
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")

    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.convert_to_pdf(report, soffice=fake_soffice.behaving("writes-nothing"))

    message = str(caught.value)
    assert message.startswith("report.docx: LibreOffice wrote no PDF (exit code 0)")
    assert "Error: source file could not be loaded" in message
    assert "docgen doctor" in message
    assert not (tmp_path / "report.pdf").exists()
    assert list(temp_root.iterdir()) == []


@posix_only
def test_an_empty_pdf_is_a_conversion_failure(tmp_path, fake_soffice, temp_root):
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")

    with pytest.raises(pdf.ConversionFailed, match="report.docx: LibreOffice wrote an empty PDF"):
        pdf.convert_to_pdf(report, soffice=fake_soffice.behaving("writes-empty"))

    assert not (tmp_path / "report.pdf").exists()
    assert list(temp_root.iterdir()) == []


@posix_only
def test_a_crash_half_way_leaves_the_earlier_pdf_as_it_was(tmp_path, fake_soffice):
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")
    earlier = tmp_path / "report.pdf"
    earlier.write_bytes(b"%PDF-1.4 last month's copy %%EOF")

    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.convert_to_pdf(report, soffice=fake_soffice.behaving("writes-half"))

    message = str(caught.value)
    assert "LibreOffice wrote an incomplete PDF (exit code 139)" in message
    assert "Segmentation fault" in message
    assert earlier.read_bytes() == b"%PDF-1.4 last month's copy %%EOF"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["report.docx", "report.pdf"]


@posix_only
@pytest.mark.skipif(sys.platform != "linux", reason="reads process states from /proc")
def test_a_hanging_soffice_is_stopped_at_the_timeout_with_its_child(tmp_path, fake_soffice, temp_root):
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")

    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.convert_to_pdf(report, soffice=fake_soffice.behaving("hangs"), timeout=1.5)

    assert "did not finish converting within the timeout of 1.5 seconds and was stopped" in str(caught.value)
    leader, child = (int(pid) for pid in (fake_soffice.record / "pids").read_text().split())
    assert wait_until_gone(leader), f"fake soffice {leader} is still running"
    assert wait_until_gone(child), f"its child {child} was left running"
    assert not (tmp_path / "report.pdf").exists()
    assert list(temp_root.iterdir()) == []


def test_converting_a_missing_file_names_it(tmp_path):
    with pytest.raises(pdf.ConversionFailed, match="absent.docx: the file does not exist"):
        pdf.convert_to_pdf(tmp_path / "absent.docx", soffice=Path("/bin/true"))


@posix_only
def test_soffice_version_is_the_line_soffice_prints(fake_soffice, tmp_path):
    assert pdf.soffice_version(fake_soffice.behaving("writes-pdf")) == "LibreOffice 24.2.7.2 (fake)"
    assert pdf.soffice_version(write_program(tmp_path / "mute", "exit 1")) is None
    assert pdf.soffice_version(tmp_path / "absent") is None


# --- previews and doctor without the real tools ------------------------------


def test_preview_without_pdftoppm_says_to_install_poppler(tmp_path, nothing_installed):
    report = write_report_docx(tmp_path / "report.docx")

    with pytest.raises(pdf.PopplerNotFound) as caught:
        pdf.preview_pages(report, tmp_path / "pages")

    assert "pdftoppm (from poppler) was not found" in str(caught.value)
    assert "sudo apt-get install poppler-utils" in str(caught.value)
    assert not (tmp_path / "pages").exists()


@posix_only
def test_doctor_says_what_is_missing_and_how_to_install_it(nothing_installed):
    write_program(nothing_installed / "fc-list", "exit 0")  # fontconfig, but no font for Chinese

    checks = {check.name: check for check in doctor.doctor()}

    soffice = checks["LibreOffice (soffice)"]
    assert not soffice.ok and "libreoffice-writer-nogui" in soffice.detail
    fonts = checks["fonts for Chinese"]
    assert not fonts.ok
    assert "empty boxes" in fonts.detail and "fonts-noto-cjk" in fonts.detail
    previews = checks["pdftoppm (previews)"]
    assert not previews.ok and "poppler-utils" in previews.detail


@posix_only
def test_doctor_shows_soffice_fonts_and_library_versions(nothing_installed, fake_soffice):
    write_program(
        nothing_installed / "fc-list",
        "printf 'Noto Sans CJK SC,Noto Sans CJK SC Regular\\nNoto Serif CJK SC\\n'",
    )
    soffice = fake_soffice.behaving("writes-pdf")

    checks = {check.name: check for check in doctor.doctor(soffice)}

    assert checks["LibreOffice (soffice)"] == doctor.Check(
        "LibreOffice (soffice)", True, f"{soffice}, LibreOffice 24.2.7.2 (fake)"
    )
    assert checks["fonts for Chinese"] == doctor.Check("fonts for Chinese", True, "Noto Sans CJK SC, Noto Serif CJK SC")
    for library in ("python-docx", "docxtpl", "openpyxl", "jinja2", "click", "lxml"):
        assert checks[library].ok, library
        assert checks[library].detail[0].isdigit(), f"{library}: {checks[library].detail}"


# --- with the real LibreOffice and poppler -----------------------------------


def test_real_soffice_reports_its_version(real_soffice):
    assert pdf.soffice_version(real_soffice).startswith("LibreOffice ")


def test_two_chinese_reports_convert_at_once_with_their_heading_and_figures(tmp_path, real_soffice, poppler):
    # One test for a conversion and for two at once: LibreOffice's start is most of either's cost.
    reports = {
        author: write_report_docx(tmp_path / f"{author}-销售工作总结.docx", author=author) for author in ("张三", "王五")
    }

    with ThreadPoolExecutor(max_workers=2) as pool:
        produced = dict(zip(reports, pool.map(pdf.convert_to_pdf, reports.values())))

    for author, pdf_path in produced.items():
        assert pdf_path == tmp_path / f"{author}-销售工作总结.pdf"  # beside the document, by default
        text = pdf_text(pdf_path)
        assert "销售工作总结" in text
        assert f"{author}本月销售额960万元，达成率96.0%，环比增长6.7%。" in text


def test_preview_writes_one_png_per_page(tmp_path, real_soffice, poppler):
    report = write_report_docx(tmp_path / "report.docx", pages=2)
    page_width_inches = docx.Document(report).sections[0].page_width.inches

    previews = pdf.preview_pages(report, tmp_path / "pages", dpi=80)

    assert previews == [tmp_path / "pages" / "report-1.png", tmp_path / "pages" / "report-2.png"]
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["report-1.png", "report-2.png"]
    for preview in previews:
        width, height = png_size(preview)
        assert abs(width - page_width_inches * 80) <= 1
        assert height > width
    assert not (tmp_path / "report.pdf").exists(), "a preview leaves no PDF beside the document"


# --- no LibreOffice outlives docgen ----------------------------------------------


def processes_mentioning(marker: str, also: str = "") -> list[int]:
    """Live processes whose command line holds marker (and `also`): LibreOffice's name its profile folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command_line = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if marker in command_line and also in command_line and still_running(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_for(condition, patience: float) -> bool:
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@posix_only
@pytest.mark.skipif(sys.platform != "linux", reason="finds LibreOffice's processes in /proc")
@pytest.mark.parametrize(
    ("command", "sent"),
    # docgen handles no signal but SIGINT (Ctrl-C): SIGTERM stands for SIGHUP (a closed terminal) too, and
    # SIGKILL for every end no handler sees.
    [
        ("pdf", signal.SIGKILL),
        ("pdf", signal.SIGTERM),
        ("pdf", signal.SIGINT),
        ("batch", signal.SIGKILL),
    ],
    ids=["pdf-SIGKILL", "pdf-SIGTERM", "pdf-SIGINT", "batch-pdf-SIGKILL"],
)
def test_no_libreoffice_outlives_docgen(command, sent, tmp_path, real_soffice):
    temp = tmp_path / "temp"  # docgen's temporary folders, with LibreOffice's profile: what names its processes
    temp.mkdir()
    marker = f"{temp}{os.sep}"
    if command == "pdf":
        document = write_report_docx(tmp_path / "report.docx", pages=40)  # long enough to be caught converting
        args = ["pdf", str(document), "--soffice", str(real_soffice)]
    else:
        workbook = Path(__file__).resolve().parents[1] / "sample_inputs" / "alex-chen-2026-10-individual-monthly.xlsx"
        args = ["batch", str(workbook), "-o", str(tmp_path / "out"), "--pdf", "--soffice", str(real_soffice), "-j", "2"]
    docgen = subprocess.Popen(
        [sys.executable, "-m", "docgen", *args],
        env={**os.environ, "TMPDIR": str(temp)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: processes_mentioning(marker, "UserInstallation"), 60), "LibreOffice never started"
        docgen.send_signal(sent)
        docgen.wait(timeout=15)
        assert wait_for(lambda: not processes_mentioning(marker), 5), (
            f"left running after {sent.name}: {processes_mentioning(marker)}"
        )
        # LibreOffice's work folders (profile and copy); a batch's multiprocessing also leaves its pymp-* folder.
        assert wait_for(lambda: not list(temp.glob("docgen-*")), 5), f"left behind: {list(temp.iterdir())}"
        # Nothing half-written: no PDF, or (where the conversion ended just before the signal came) a whole one.
        for made in tmp_path.rglob("*.pdf"):
            assert pdf.incomplete_pdf(made) is None and pdf.pdf_page_count(made) == 40, f"half a PDF: {made}"
    finally:
        if docgen.poll() is None:
            docgen.kill()
            docgen.wait()
        for pid in processes_mentioning(marker):  # a failing test leaves nothing behind either
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_page_counts_lays_several_documents_out_in_one_libreoffice(tmp_path, real_soffice):
    one, three = write_report_docx(tmp_path / "一页.docx"), write_report_docx(tmp_path / "三页.docx", pages=3)
    assert pdf.page_counts([one, three], soffice=real_soffice) == [1, 3]
    assert not list(tmp_path.glob("*.pdf")), "the conversions are made in a temporary folder"


def test_page_counts_counts_a_pdf_made_since_the_document_instead_of_converting_it(tmp_path, nothing_installed):
    report = write_report_docx(tmp_path / "报告.docx")
    made = tmp_path / "报告.pdf"
    made.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>\n%%EOF\n")
    later = report.stat().st_mtime + 5
    os.utime(made, (later, later))
    assert pdf.page_counts([report]) == [2]
    os.utime(made, (later - 10, later - 10))  # older than the document: no longer its copy, so LibreOffice is needed
    with pytest.raises(pdf.SofficeNotFound):
        pdf.page_counts([report])


@pytest.mark.skipif(sys.platform != "linux", reason="zombies are told apart in /proc")
def test_a_killed_group_left_as_a_zombie_counts_as_stopped_at_once():
    # A killed soffice.bin waits as a zombie until init collects it, which on this kind of machine takes
    # about two seconds: the stop must not wait for that, or every conversion would take two seconds longer.
    from docgen.output.soffice_watch import group_running, stop_group

    process = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        assert group_running(process.pid)
        started = time.monotonic()
        stop_group(process.pid)
        assert time.monotonic() - started < 1
        os.killpg(process.pid, 0)  # not collected: the zombie is still there for kill(0) ...
        assert not group_running(process.pid)  # ... and nothing of the group runs
    finally:
        process.kill()
        process.wait()
