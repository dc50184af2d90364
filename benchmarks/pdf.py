"""The PDF benchmark: a warm LibreOffice against one LibreOffice per file, and against unoserver, in one run.

    .venv/bin/python benchmarks/pdf.py                    # 50 reports, about 8 minutes on 2 busy cores
    .venv/bin/python benchmarks/pdf.py --count 12         # fewer
    .venv/bin/python benchmarks/pdf.py --reports DIR      # the .docx files in DIR instead of new ones
    .venv/bin/python benchmarks/pdf.py --unoserver-python /tmp/unoenv/bin/python

On the same reports (by default made by `docgen batch` from the synthetic team
workbook, make_workbook.py, one report a salesperson) it converts each report
three ways, one right after the other, in an order that turns with every
report, so that a machine busy with other work slows all three alike:

1. warm: docgen.output.office.Converter, one LibreOffice for all the reports;
2. one-shot: docgen.output.pdf.convert_to_pdf, a LibreOffice with a fresh
   profile started for each file (docgen's path before the warm converter);
3. unoserver, the reference for what a running LibreOffice allows: its
   server, then its own client, UnoClient.convert, in a loop in a Python of
   its own that takes one file at a time from this script, asked to do what
   docgen does (update_index=False; its default refreshes tables of contents
   twice). It needs a Python that can import uno and unoserver:
   `/usr/bin/python3 -m venv --system-site-packages /tmp/unoenv &&
   /tmp/unoenv/bin/pip install unoserver`. Without one it is left out, with a
   note.

The starts are timed apart: the warm converter's first document (LibreOffice
started with a fresh profile, then one report) and unoserver's server until
it answers (it sleeps 7 s by design) and its first report. PDFs per second are
given for the conversions alone and, for 50 reports from nothing, with the
start; the ratios are of the summed times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from docgen.output.office import Converter
from docgen.output.pdf import convert_to_pdf, find_soffice, incomplete_pdf

GOALS = {"warm_vs_one_shot": 3.0, "warm_vs_unoserver": 0.8}  # at least

# Run by the unoserver Python: waits for the server, then converts each "SOURCE\tTARGET" line it reads.
UNOSERVER_LOOP = r"""
import sys, time, xmlrpc.client
from unoserver.client import UnoClient
client = UnoClient(port=sys.argv[1])
deadline = time.monotonic() + 120
while True:
    try:
        xmlrpc.client.ServerProxy(f"http://127.0.0.1:{sys.argv[1]}").info()
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.05)
print("ready", flush=True)
for line in sys.stdin:
    source, target = line.rstrip("\n").split("\t")
    client.convert(inpath=source, outpath=target, convert_to="pdf", update_index=False)
    print("done", flush=True)
"""


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs {model}".strip()


def make_reports(work: Path, count: int) -> list[Path]:
    workbook = work / "team.xlsx"
    subprocess.run([sys.executable, str(HERE / "make_workbook.py"), str(count), "-o", str(workbook)], check=True)
    out = work / "reports"
    subprocess.run(
        [sys.executable, "-m", "docgen", "batch", str(workbook), "--split-by", "销售员", "-o", str(out), "-q"],
        check=True,
    )
    return sorted(out.glob("*.docx"))


def checked(pdfs: Path, documents: list[Path]) -> None:
    for document in documents:
        problem = incomplete_pdf(pdfs / f"{document.stem}.pdf")
        if problem:
            raise SystemExit(f"{document.name}: the PDF is not complete ({problem})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Unoserver:
    """unoserver's server, and its client in a loop fed one file at a time."""

    def __init__(self, python: str, work: Path) -> None:
        port, uno_port = free_port(), free_port()
        self.profile = Path(tempfile.mkdtemp(prefix="unoserver-profile-", dir=work))
        self.server = subprocess.Popen(
            [python, "-m", "unoserver.server", "--port", str(port), "--uno-port", str(uno_port),
             "--user-installation", str(self.profile), "--executable", str(find_soffice()), "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.client = subprocess.Popen(
            [python, "-c", UNOSERVER_LOOP, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        if self.client.stdout.readline().strip() != "ready":
            self.close()
            raise SystemExit("unoserver did not start")

    def convert(self, document: Path, target: Path) -> None:
        self.client.stdin.write(f"{document}\t{target}\n")
        self.client.stdin.flush()
        if self.client.stdout.readline().strip() != "done":
            raise SystemExit(f"unoserver could not convert {document.name}")

    def close(self) -> None:
        self.client.kill()
        self.client.wait()
        # SIGTERM first: unoserver passes it to LibreOffice, which then removes its socket files from /tmp.
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.server.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def timed(action, *arguments) -> float:
    started = time.monotonic()
    action(*arguments)
    return time.monotonic() - started


def measure(documents: list[Path], work: Path, python: str | None) -> dict:
    outs = {name: work / name for name in ("warm", "one_shot", "unoserver")}
    for out in outs.values():
        out.mkdir()
    program = find_soffice()
    converter = Converter(timeout=120)
    if not converter.warm:
        raise SystemExit(f"the warm converter cannot run here: {converter.note}")
    reference = None
    try:
        start = {"warm": timed(lambda: converter.convert(documents[0], work / "first-warm.pdf"))}
        if python:
            began = time.monotonic()
            reference = Unoserver(python, work)
            reference.convert(documents[0], work / "first-unoserver.pdf")
            start["unoserver"] = time.monotonic() - began
        paths = {
            "warm": lambda document: converter.convert(document, outs["warm"] / f"{document.stem}.pdf"),
            "one_shot": lambda document: convert_to_pdf(document, outs["one_shot"], soffice=program),
        }
        if reference:
            paths["unoserver"] = lambda document: reference.convert(document, outs["unoserver"] / f"{document.stem}.pdf")
        seconds = {name: 0.0 for name in paths}
        names = list(paths)
        for number, document in enumerate(documents):
            turn = number % len(names)
            for name in names[turn:] + names[:turn]:
                seconds[name] += timed(paths[name], document)
            print(f"\r{number + 1}/{len(documents)}", end="", flush=True)
        print()
        starts = converter.starts
    finally:
        converter.close()
        if reference:
            reference.close()
    for name in seconds:
        checked(outs[name], documents)
    return {"seconds": seconds, "start_seconds": start, "warm_libreoffice_starts": starts}


def unoserver_python(given: str | None) -> tuple[str | None, str | None]:
    """A Python that imports uno and unoserver, or None and why not."""
    candidates = [given] if given else [str(Path("/tmp/unoenv/bin/python")), "/usr/bin/python3"]
    for python in candidates:
        if python and shutil.which(python):
            probe = subprocess.run([python, "-c", "import uno, unoserver"], capture_output=True, check=False)
            if probe.returncode == 0:
                return python, None
    return None, (
        "no Python here imports both uno and unoserver (see this script's docstring for how to make one)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50, help="reports to convert (50)")
    parser.add_argument("--reports", type=Path, help="a folder of .docx reports to use instead of new ones")
    parser.add_argument("--unoserver-python", help="a Python with uno and unoserver (default: /tmp/unoenv/bin/python)")
    parser.add_argument("--json", type=Path, default=HERE / "pdf-latest.json", help="where to write the figures")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="docgen-pdf-bench-") as work_name:
        work = Path(work_name)
        if options.reports:
            documents = sorted(options.reports.glob("*.docx"))[: options.count]
        else:
            documents = make_reports(work, options.count)
        if len(documents) < options.count:
            raise SystemExit(f"only {len(documents)} reports to convert, not {options.count}")
        python, why_not = unoserver_python(options.unoserver_python)
        measured = measure(documents, work, python)

    count = len(documents)
    seconds, start = measured["seconds"], measured["start_seconds"]
    # From nothing: the one-shot path has no start of its own; the others' first document was extra work.
    from_nothing = {name: seconds[name] + start.get(name, 0.0) for name in seconds}
    results = {
        "machine": machine(),
        "libreoffice": subprocess.run([str(find_soffice()), "--version"], capture_output=True, text=True, check=False).stdout.strip(),
        "reports": count,
        "seconds": seconds,
        "start_seconds": start,
        "warm_libreoffice_starts": measured["warm_libreoffice_starts"],
        "pdfs_per_second": {name: count / value for name, value in seconds.items()},
        "pdfs_per_second_with_start": {name: count / value for name, value in from_nothing.items()},
        "ratios": {
            "warm_vs_one_shot": seconds["one_shot"] / seconds["warm"],
            "warm_with_start_vs_one_shot": seconds["one_shot"] / from_nothing["warm"],
        },
        "notes": [],
    }
    if "unoserver" in seconds:
        results["ratios"]["warm_vs_unoserver"] = seconds["unoserver"] / seconds["warm"]
        results["ratios"]["warm_with_start_vs_unoserver_with_start"] = from_nothing["unoserver"] / from_nothing["warm"]
    else:
        results["notes"].append(f"unoserver left out: {why_not}")
    options.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"\n{results['machine']}; {results['libreoffice']}; {count} reports")
    for name, rate in results["pdfs_per_second"].items():
        with_start = results["pdfs_per_second_with_start"][name]
        print(f"  {name:10} {rate:6.2f} PDFs/s ({seconds[name]:.1f} s); from nothing {with_start:.2f} PDFs/s")
    print("  starts: " + ", ".join(f"{name} {value:.1f} s" for name, value in start.items()))
    for name, ratio in results["ratios"].items():
        goal = GOALS.get(name.replace("_with_start", "").replace("_vs_unoserver_with_start", "_vs_unoserver"))
        verdict = f" (goal ≥ {goal}×: {'met' if ratio >= goal else 'NOT met'})" if goal else ""
        print(f"  {name:42} {ratio:5.2f}×{verdict}")
    for note in results["notes"]:
        print(f"  note: {note}")


if __name__ == "__main__":
    main()
