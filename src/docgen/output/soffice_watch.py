"""Runs LibreOffice for docgen and kills its whole process group when docgen ends, even by SIGKILL: a script, never imported.

Run as `python -I -S soffice_watch.py LOG WORKDIR COMMAND...`, standard library only; docs/pdf.md says how it works."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

# How long to wait for a killed process group to disappear.
GRACE = 2.0


def stop_group(group: int) -> None:
    """Kill every process of the group, and wait (a little) until none is left running."""
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        return  # the group is already gone
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline and group_running(group):
        time.sleep(0.02)


def group_running(group: int) -> bool:
    """Whether a process of the group still runs.

    A killed soffice.bin outlives oosplash, its parent, and is left to init to
    collect; until init does, it is a zombie, which kill(0) still finds. It
    holds nothing any more (no memory, no open file), but an init that
    collects every two seconds (a container's or a virtual machine's), or
    none (docgen as a container's first process), would hold up every
    conversion that long. On Linux zombies are told apart in /proc.
    """
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    try:
        names = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return True  # not Linux: the group is there
    for name in names:
        try:
            with open("/proc/%s/stat" % name, "rb") as stat:
                line = stat.read()
        except OSError:
            continue  # ended meanwhile
        state, _parent, process_group = line[line.rindex(b")") + 2 :].split()[:3]
        if int(process_group) == group and state not in (b"Z", b"X"):  # X: dead, being removed
            return True
    return False


def main(argv: list[str]) -> int:
    log, work, *command = argv[1:]
    handed_on = [int(fd) for fd in os.environ.get("DOCGEN_OFFICE_FDS", "").split(",") if fd]
    with open(log, "wb") as output:
        program = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=handed_on,
        )
    for fd in handed_on:
        os.close(fd)

    docgen_gone = threading.Event()

    def watch_docgen() -> None:
        said = sys.stdin.buffer.read()  # returns when the pipe closes
        if not said:
            docgen_gone.set()
        stop_group(program.pid)

    threading.Thread(target=watch_docgen, daemon=True).start()
    code = program.wait()
    stop_group(program.pid)  # whatever the program left running when it exited
    if docgen_gone.is_set():  # nobody else will clear the work folder
        shutil.rmtree(work, ignore_errors=True)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    os._exit(main(sys.argv))  # not sys.exit: the watching thread may still wait on stdin
