"""Tests for docgen.output.office: one LibreOffice kept running converts document after document."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import chinese_docx, pdf_text
from docgen.output import office, pdf

FAKES = Path(__file__).parent / "fakes"

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="finds LibreOffice's processes in /proc")


def unavailable(reason: str) -> None:
    """Skip a test that needs a missing tool; under CI fail it, since CI installs the tools."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}, and CI is set, so the warm PDF tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def warm_office(require_soffice) -> None:
    """LibreOffice, poppler and a Python that can import uno (Debian's python3-uno)."""
    if os.name == "nt" or office.find_uno_python() is None:
        unavailable("no Python here can import uno (apt-get install python3-uno)")


def write_report(path: Path, person: str, sales: int, *, pages: int = 1) -> Path:
    """A small Chinese report whose title and figures name its salesperson."""
    return chinese_docx(path, f"{person}销售工作总结", f"{person}本月销售额{sales}万元，达成率{sales / 10:.1f}%。", pages=pages)


def group_processes(group: int, name: str = "soffice.bin") -> list[int]:
    """The live processes of a process group with that command name."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "comm").read_text().strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] not in ("Z", "X") and int(fields[2]) == group and command == name:
            found.append(int(entry.name))
    return found


def soffice_of(converter: office.Converter) -> int:
    [pid] = group_processes(converter.process_group)
    return pid


# --- without LibreOffice or without UNO -------------------------------------------


def test_without_soffice_the_converter_gives_the_install_hint_and_keeps_the_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setattr(pdf, "_usual_install_places", lambda: [])
    report = write_report(tmp_path / "report.docx", "张三", 960)
    before = report.read_bytes()

    with office.Converter() as converter, pytest.raises(pdf.SofficeNotFound) as caught:
        converter.convert(report)

    assert "apt-get install libreoffice-writer-nogui" in str(caught.value)
    assert report.read_bytes() == before
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")
def test_without_uno_each_document_starts_a_libreoffice_of_its_own_with_a_note(tmp_path, monkeypatch):
    soffice = tmp_path / "soffice"
    shutil.copyfile(FAKES / "soffice", soffice)
    soffice.chmod(0o755)
    monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(tmp_path))
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-pdf")
    monkeypatch.setenv("DOCGEN_UNO_PYTHON", str(tmp_path / "no-python"))
    report = tmp_path / "report.docx"
    report.write_bytes(b"docx")

    with office.Converter(soffice=soffice) as converter:
        written = converter.convert(report, tmp_path / "pdfs" / "report.pdf")
        assert not converter.warm

    assert "sudo apt-get install python3-uno" in converter.note
    assert written.read_bytes().startswith(b"%PDF-")
    assert "--convert-to" in (tmp_path / "args").read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")
def test_a_libreoffice_that_does_not_start_is_tried_once_per_document_and_fails_with_what_it_said(
    tmp_path, monkeypatch, warm_office
):
    soffice = tmp_path / "soffice"
    soffice.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n", encoding="utf-8")
    soffice.chmod(0o755)
    report = write_report(tmp_path / "report.docx", "张三", 960)

    started = time.monotonic()
    with office.Converter(soffice=soffice) as converter, pytest.raises(pdf.ConversionFailed) as caught:
        converter.convert(report)

    assert time.monotonic() - started < 15, "a program that exits at once is not waited for"
    assert not converter.warm and converter.starts == 1
    assert "LibreOffice did not start (LibreOffice exited at start (exit code 1))" in converter.note
    assert "cannot open display" in str(caught.value)
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")
@pytest.mark.parametrize("behaviour", ["writes-pdf", "hangs"])
def test_a_stand_in_that_cannot_serve_uno_falls_back_to_one_libreoffice_per_document(
    tmp_path, monkeypatch, warm_office, behaviour
):
    soffice = tmp_path / "soffice"
    shutil.copyfile(FAKES / "soffice", soffice)
    soffice.chmod(0o755)
    monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(tmp_path))
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", behaviour)
    reports = [write_report(tmp_path / f"r{number}.docx", "张三", 900 + number) for number in range(3)]

    started = time.monotonic()
    with office.Converter(soffice=soffice, timeout=2) as converter:
        if behaviour == "hangs":
            with pytest.raises(pdf.ConversionFailed):  # the one-shot LibreOffice hangs too, and is stopped
                converter.convert(reports[0])
        else:
            for report in reports:
                assert converter.convert(report).read_bytes().startswith(b"%PDF-")
            assert "--convert-to" in (tmp_path / "args").read_text(encoding="utf-8").splitlines()
    waited = time.monotonic() - started

    assert converter.starts == 1, "the warm start is tried once, not once per document"
    assert not converter.warm and "could not be kept running" in converter.note
    assert waited < (20 if behaviour == "hangs" else 15), "the start is bounded by the per-document timeout"
    if behaviour == "hangs":
        assert not processes_mentioning(str(tmp_path / "soffice")), "no stand-in is left running"


# --- with a real LibreOffice ------------------------------------------------------


@linux_only
def test_one_libreoffice_converts_several_reports_and_a_fresh_one_takes_over_after_n(tmp_path, warm_office):
    people = {"张三": 960, "李四": 875, "王五": 1230, "赵六": 640}
    reports = [write_report(tmp_path / f"{person}.docx", person, sales) for person, sales in people.items()]

    served_by, starts = [], []
    with office.Converter(restart_every=3) as converter:
        assert converter.warm and converter.note is None
        for report in reports:
            converter.convert(report, tmp_path / "pdfs" / f"{report.stem}.pdf")
            served_by.append(soffice_of(converter) if converter.process_group else None)
            starts.append(converter.starts)

    first = served_by[0]
    assert starts == [1, 1, 1, 2], "one LibreOffice served the first three, a fresh one the fourth"
    assert served_by[1] == first and served_by[2] is None, "after the third it was stopped"
    assert served_by[3] not in (None, first)
    for person, sales in people.items():
        text = pdf_text(tmp_path / "pdfs" / f"{person}.pdf")
        assert f"{person}销售工作总结" in text
        assert f"{person}本月销售额{sales}万元，达成率{sales / 10:.1f}%" in text
    assert not group_processes(first) and not group_processes(served_by[3])


@linux_only
def test_after_libreoffice_crashes_the_next_documents_convert(tmp_path, warm_office):
    first = write_report(tmp_path / "first.docx", "张三", 960)
    second = write_report(tmp_path / "second.docx", "李四", 875)
    long = write_report(tmp_path / "long.docx", "赵六", 640, pages=60)
    last = write_report(tmp_path / "last.docx", "王五", 1230)

    with office.Converter() as converter:
        converter.convert(first)
        os.kill(soffice_of(converter), signal.SIGKILL)  # between documents
        converter.convert(second)
        assert converter.starts == 2
        crashed: list[int] = []

        def crash_while_converting() -> None:
            time.sleep(0.3)
            crashed.extend(group_processes(converter.process_group))
            for pid in crashed:
                os.kill(pid, signal.SIGKILL)

        killer = threading.Thread(target=crash_while_converting)
        killer.start()
        try:
            converter.convert(long)  # killed while converting, most likely
        except pdf.ConversionFailed as error:
            assert "LibreOffice crashed while converting it" in str(error)
        killer.join()
        converter.convert(last)
        soffice_of_later = soffice_of(converter)

    assert crashed, "the second LibreOffice was killed"
    assert soffice_of_later not in crashed
    assert converter.starts == 3
    assert "李四本月销售额875万元" in pdf_text(tmp_path / "second.pdf")
    assert "王五本月销售额1230万元" in pdf_text(tmp_path / "last.pdf")


@linux_only
def test_a_document_that_hangs_fails_alone_and_the_next_converts(tmp_path, warm_office):
    first = write_report(tmp_path / "first.docx", "张三", 960)
    stuck = write_report(tmp_path / "stuck.docx", "李四", 875)
    after = write_report(tmp_path / "after.docx", "王五", 1230)

    with office.Converter() as converter:
        converter.convert(first)
        hung = soffice_of(converter)
        os.kill(hung, signal.SIGSTOP)  # a LibreOffice that no longer answers
        converter.timeout = 2
        started = time.monotonic()
        with pytest.raises(pdf.ConversionFailed) as caught:
            converter.convert(stuck)
        waited = time.monotonic() - started
        converter.timeout = 120
        converter.convert(after)

    assert "did not finish converting within the timeout of 2 seconds" in str(caught.value)
    assert waited < 10
    assert not pdf.incomplete_pdf(tmp_path / "after.pdf")
    assert not (tmp_path / "stuck.pdf").exists()
    assert converter.starts == 2
    assert not processes_mentioning("", pid=hung), "the LibreOffice that hung was killed"


@linux_only
def test_no_libreoffice_outlives_docgen_killed_mid_batch(tmp_path, warm_office):
    temp = tmp_path / "temp"  # docgen's temporary folders: LibreOffice's profile, named in its command line
    temp.mkdir()
    reports = [write_report(tmp_path / f"r{number}.docx", "张三", 900 + number, pages=10) for number in range(6)]
    docgen = subprocess.Popen(
        [sys.executable, "-m", "docgen", "pdf", *map(str, reports)],
        env={**os.environ, "TMPDIR": str(temp)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert docgen.stdout.readline().startswith(b"Wrote "), "the first PDF was written"
        assert list(temp.glob("docgen-office-*")), "the warm LibreOffice is running"
        profile = next(temp.glob("docgen-office-*"))
        docgen.kill()
        docgen.wait(timeout=15)
        deadline = time.monotonic() + 5
        while (running := processes_mentioning(str(profile))) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running, f"left running after SIGKILL: {running}"
        while list(temp.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not list(temp.iterdir()), "the profile and work folder are removed"
    finally:
        if docgen.poll() is None:
            docgen.kill()
            docgen.wait()
        docgen.stdout.close()
        for pid in processes_mentioning(str(temp)):
            os.kill(pid, signal.SIGKILL)


def processes_mentioning(marker: str, pid: int | None = None) -> list[int]:
    """Live processes (or the one pid) whose command line holds marker; zombies count as gone."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or (pid is not None and int(entry.name) != pid):
            continue
        try:
            command_line = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in command_line and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def test_each_thread_of_a_process_keeps_one_converter_and_a_new_soffice_or_timeout_replaces_it(tmp_path):
    soffice = tmp_path / "soffice"
    first = office.kept_converter(soffice, 120)
    try:
        assert office.kept_converter(soffice, 120) is first, "kept for the thread's next document"
        seen = []
        other = threading.Thread(target=lambda: seen.append(office.kept_converter(soffice, 120)))
        other.start()
        other.join()
        assert seen[0] is not first, "another thread keeps its own"
        replaced = office.kept_converter(soffice, 30)
        assert replaced is not first and replaced.timeout == 30
        assert all(kept is not seen[0] for _, kept in office._kept.values()), "an ended thread's is let go"
    finally:
        office.close_kept_converter()
    assert threading.get_ident() not in office._kept
