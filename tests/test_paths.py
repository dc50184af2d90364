"""Paths the user gives: special files refused without being opened, names too long or not UTF-8, in every command.

Each case shows the message, exit code 2, that nothing was written and that
no temporary file was left. A FIFO would make a regression hang for ever, so
a watchdog opens its other end after a while: the test then fails instead.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import paths
from docgen.cli import main
from docgen.errors import PathError

posix_only = pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices and byte names are POSIX's")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
WORKBOOK = SAMPLES / "alex-chen-2026-10-individual-monthly.xlsx"
LETTER = SAMPLES / "merge"
UNDECODABLE = "bad\udcff.xlsx"  # what Python makes of the bytes b"bad\xff.xlsx" in argv


@pytest.fixture
def fifo(tmp_path):
    """A FIFO named like a workbook, with a watchdog: a reader stuck on it for 20 s is let go (and fails)."""
    path = tmp_path / "pipe.xlsx"
    os.mkfifo(path)
    done = threading.Event()

    def let_go() -> None:
        if not done.wait(20):
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass

    threading.Thread(target=let_go, daemon=True).start()
    yield path
    done.set()


@pytest.fixture
def zero_link(tmp_path):
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    return link


@contextmanager
def bound_socket(path: Path):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        yield path
    finally:
        server.close()


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """The system temp folder docgen uses, private to the test, to show nothing is left in it."""
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def run(*args, env=None):
    started = time.monotonic()
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert time.monotonic() - started < 15, "the command took as long as a hang"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# --- the library --------------------------------------------------------------------------------------


@posix_only
def test_special_files_are_told_apart_and_never_opened(tmp_path, fifo, zero_link):
    assert paths.special_file(fifo) == "this is a named pipe (FIFO), not a file docgen can read"
    assert paths.special_file(zero_link) == "this links to /dev/zero, which is a device, not a file docgen can read"
    assert paths.special_file(Path("/dev/null")) == "this is a device, not a file docgen can read"
    assert paths.special_file(tmp_path) == "this is a folder, not a file docgen can read"
    with bound_socket(tmp_path / "s.xlsx") as sock:
        assert paths.special_file(sock) == "this is a socket, not a file docgen can read"
    assert paths.special_file(WORKBOOK) is None
    assert paths.special_file(tmp_path / "absent.xlsx") is None  # said by whoever opens it
    with pytest.raises(PathError) as caught:
        paths.require_regular_file(fifo)
    assert caught.value.text("zh").startswith("pipe.xlsx：这是命名管道（FIFO），不是 docgen 能读取的文件。")


@posix_only
def test_names_too_long_or_not_utf8_are_refused_with_the_name_at_fault(tmp_path):
    with pytest.raises(PathError, match=r"the name is 305 bytes long, more than the 255 bytes"):
        paths.check_path(tmp_path / ("a" * 300 + ".docx"))
    with pytest.raises(PathError, match=r"the path is \d+ bytes long, more than the 4096 bytes"):
        paths.check_path(tmp_path.joinpath(*["b"] * 2100, "r.docx"))
    with pytest.raises(PathError) as caught:
        paths.check_path(tmp_path / UNDECODABLE)
    assert str(caught.value).startswith("bad\\xff.xlsx: the name is not valid UTF-8 text")
    paths.check_path(tmp_path / ("a" * 250 + ".docx"))  # 255 bytes exactly
    paths.check_path(tmp_path / ("销" * 83 + ".docx"))  # 254 bytes: a Chinese character is 3
    assert paths.shown(UNDECODABLE) == "bad\\xff.xlsx"


# --- every command -------------------------------------------------------------------------------------

SPECIAL = "not a file docgen can read. Give the path of a file saved on disk"


@posix_only
@pytest.mark.parametrize("command", ["render", "check"])
def test_a_fifo_workbook_is_refused_at_once(command, fifo, tmp_path, private_temp):
    out = tmp_path / "out"
    args = [command, fifo] + (["-o", out / "r.docx"] if command == "render" else [])
    result = run(*args)
    assert result.exit_code == 2
    assert f"Error: pipe.xlsx: this is a named pipe (FIFO), {SPECIAL}" in result.output
    assert files_in(out) == [] and files_in(private_temp) == []


@posix_only
@pytest.mark.parametrize("command", ["render", "check"])
def test_a_link_to_dev_zero_is_refused_at_once_without_reading_it(command, zero_link, tmp_path):
    out = tmp_path / "out"
    args = [command, zero_link] + (["-o", out / "r.docx"] if command == "render" else [])
    result = run(*args)
    assert result.exit_code == 2
    assert f"Error: zero.xlsx: this links to /dev/zero, which is a device, {SPECIAL}" in result.output
    assert files_in(out) == []


@posix_only
def test_a_socket_or_a_device_workbook_is_refused(tmp_path):
    with bound_socket(tmp_path / "s.xlsx") as sock:
        result = run("check", sock)
    assert result.exit_code == 2 and f"s.xlsx: this is a socket, {SPECIAL}" in result.output
    result = run("check", "/dev/zero")
    assert result.exit_code == 2 and f"zero: this is a device, {SPECIAL}" in result.output


@posix_only
def test_a_fifo_template_is_refused_by_render_and_merge(fifo, tmp_path, private_temp):
    out = tmp_path / "out"
    result = run("render", WORKBOOK, "--template", fifo, "-o", out / "r.docx")
    assert result.exit_code == 2 and f"pipe.xlsx: this is a named pipe (FIFO), {SPECIAL}" in result.output
    result = run("merge", fifo, LETTER / "客户名单.xlsx", "-o", out)
    assert result.exit_code == 2 and f"pipe.xlsx: this is a named pipe (FIFO), {SPECIAL}" in result.output
    assert files_in(out) == [] and files_in(private_temp) == []


@posix_only
def test_a_fifo_data_sheet_is_refused_by_merge(fifo, tmp_path):
    out = tmp_path / "out"
    result = run("merge", LETTER / "邀请函.docx", fifo, "-o", out)
    assert result.exit_code == 2 and f"pipe.xlsx: this is a named pipe (FIFO), {SPECIAL}" in result.output
    assert files_in(out) == []


@posix_only
def test_a_fifo_named_in_a_batch_is_refused_before_anything_is_read(fifo, tmp_path, private_temp):
    out = tmp_path / "out"
    result = run("batch", WORKBOOK, fifo, "-o", out, "-j", "1")
    assert result.exit_code == 2 and f"pipe.xlsx: this is a named pipe (FIFO), {SPECIAL}" in result.output
    assert files_in(out) == [] and files_in(private_temp) == []


@posix_only
def test_the_message_is_chinese_under_a_chinese_locale(fifo):
    result = run("check", fifo, env={"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None})
    assert result.exit_code == 2
    assert "错误：pipe.xlsx：这是命名管道（FIFO），不是 docgen 能读取的文件。请给出保存在磁盘上的文件的路径" in result.output


LONG_NAME = "a" * 300 + ".docx"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["render", WORKBOOK, "-o", "{out}/" + LONG_NAME], "the name is 305 bytes long, more than the 255 bytes"),
        (["render", WORKBOOK, "-o", "{out}/" + "b/" * 2100 + "r.docx"], "bytes long, more than the 4096 bytes"),
        (["batch", WORKBOOK, "-o", "{out}/" + "c" * 256], "the name is 256 bytes long, more than the 255 bytes"),
        (["batch", WORKBOOK, "-o", "{out}", "--combine", "{out}/" + LONG_NAME], "the name is 305 bytes long"),
        (["merge", LETTER / "邀请函.docx", LETTER / "客户名单.xlsx", "-o", "{out}/" + "d/" * 2100],
         "bytes long, more than the 4096 bytes"),  # fmt: skip
        (["pdf", WORKBOOK, "-o", "{out}/" + "e" * 256], "the name is 256 bytes long"),
    ],
    ids=["render-name", "render-folder", "batch-folder", "batch-combine", "merge-folder", "pdf-folder"],
)
def test_an_output_name_or_folder_too_long_is_exit_2_before_any_work(args, said, tmp_path, private_temp):
    out = tmp_path / "out"
    result = run(*[str(a).replace("{out}", str(out)) for a in args])
    assert result.exit_code == 2, result.output
    assert said in result.output and "Choose a" in result.output
    assert files_in(out) == [] and files_in(private_temp) == []


@posix_only
@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("command", ["render", "check", "merge"])
def test_a_workbook_name_that_is_not_utf8_is_exit_2(command, tmp_path):
    workbook = tmp_path / UNDECODABLE
    workbook.write_bytes(WORKBOOK.read_bytes())
    out = tmp_path / "out"
    args = {
        "render": ["render", workbook, "-o", out / "r.docx"],
        "check": ["check", workbook],
        "merge": ["merge", LETTER / "邀请函.docx", workbook, "-o", out],
    }[command]
    result = run(*args)
    assert result.exit_code == 2
    assert "Error: bad\\xff.xlsx: the name is not valid UTF-8 text" in result.output
    assert "Rename the file or folder" in result.output
    assert files_in(out) == []


@posix_only
def test_the_reader_refuses_a_fifo_it_finds_itself_without_opening_it(fifo):
    # Last period's workbook is looked for beside the workbook: no command line names it.
    from docgen.input.reader import read_workbook

    with pytest.raises(PathError, match=r"pipe.xlsx: this is a named pipe \(FIFO\)"):
        read_workbook(fifo)


def test_a_folder_where_a_file_is_read_is_told_to_name_a_file_in_it(tmp_path):
    folder = tmp_path / "2026-10.xlsx"
    folder.mkdir()
    with pytest.raises(PathError) as caught:
        paths.require_regular_file(folder)
    assert str(caught.value) == (
        "2026-10.xlsx: this is a folder, not a file docgen can read. Give the path of a file in it, not of the folder."
    )
    assert caught.value.text("zh") == "2026-10.xlsx：这是文件夹，不是 docgen 能读取的文件。请给出文件夹中某个文件的路径，而不是文件夹本身。"
