"""Keeps one LibreOffice running and converts document after document through UNO: a script docgen.output.office starts, never imported.

Run as `python3 office_client.py SOFFICE PROFILE_DIR PIPE_NAME START_TIMEOUT` under a Python that has `uno`; docs/pdf.md gives its protocol."""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def properties(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def start_office(soffice, profile_dir, pipe_name):
    # No new session: LibreOffice stays in this process group, which the watcher kills.
    return subprocess.Popen(
        [
            soffice,
            "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile_dir)),
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name,
        ],
        stdin=subprocess.DEVNULL,
        # LibreOffice's own temporary files go into docgen's work folder, removed with it even after a kill.
        env=dict(os.environ, TMPDIR=os.path.dirname(os.path.abspath(profile_dir))),
    )


def connect(office, pipe_name, deadline):
    """The running LibreOffice's Desktop, once it accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name)
            break
        except NoConnectException:
            if office.poll() is not None:
                raise RuntimeError("LibreOffice exited at start (exit code %s)" % office.returncode) from None
            if time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not accept a connection in time") from None
            time.sleep(0.05)
    forget_pipes(pipe_name)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def forget_pipes(pipe_name):
    """Remove the socket files LibreOffice listens on, which a killed LibreOffice would leave in /tmp.

    They are its UNO pipe, to which the one connection docgen needs is made,
    and its single-instance pipe, through which another soffice with the same
    profile would hand its work over: none will, the profile is this one's
    alone. A removed name leaves the sockets themselves working.
    """
    names = {"/tmp/OSL_PIPE_%d_%s" % (os.getuid(), pipe_name)}
    try:
        # Linux: the /tmp sockets that a process of this group holds open.
        by_inode = {}
        with open("/proc/net/unix") as table:
            for line in table.read().splitlines()[1:]:
                fields = line.split()
                if len(fields) >= 8 and fields[7].startswith("/tmp/OSL_PIPE_"):
                    by_inode[fields[6]] = fields[7]
        group = os.getpgid(0)
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if os.getpgid(int(pid)) != group:
                    continue
                for fd in os.listdir("/proc/%s/fd" % pid):
                    link = os.readlink("/proc/%s/fd/%s" % (pid, fd))
                    if link.startswith("socket:[") and link[8:-1] in by_inode:
                        names.add(by_inode[link[8:-1]])
            except OSError:
                continue  # a process that ended meanwhile
    except OSError:
        pass  # not Linux: only the UNO pipe's name is known
    for name in names:
        try:
            os.unlink(name)
        except OSError:
            pass


def convert(desktop, source, target):
    # ReadOnly: no lock file, and LibreOffice never offers to save.
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, properties(Hidden=True, ReadOnly=True)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), properties(FilterName="writer_pdf_Export"))
    finally:
        try:
            document.close(True)
        except Exception:
            document.dispose()


def answers(office, desktop):
    """Whether LibreOffice is still there and answering."""
    if office.poll() is not None:
        return False
    try:
        desktop.getComponents()
    except Exception:
        return False
    return True


def main(argv):
    soffice, profile_dir, pipe_name, start_timeout = argv[1:5]
    requests_fd, replies_fd = (int(fd) for fd in os.environ["DOCGEN_OFFICE_FDS"].split(","))
    requests = os.fdopen(requests_fd, "r", encoding="utf-8")
    replies = os.fdopen(replies_fd, "w", encoding="utf-8")

    def reply(**message):
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    office = start_office(soffice, profile_dir, pipe_name)
    try:
        desktop = connect(office, pipe_name, time.monotonic() + float(start_timeout))
    except Exception as error:
        reply(ready=False, error=str(error))
        return 1
    reply(ready=True, group=os.getpgid(0))
    for line in requests:
        request = json.loads(line)
        try:
            convert(desktop, request["source"], request["target"])
        except Exception as error:
            crashed = not answers(office, desktop)
            reply(ok=False, error="%s: %s" % (type(error).__name__, getattr(error, "Message", None) or error), crashed=crashed)
            if crashed:
                return 1
        else:
            reply(ok=True)
    return 0


if __name__ == "__main__":
    os._exit(main(sys.argv))  # the watcher kills LibreOffice with the group
