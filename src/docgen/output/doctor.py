"""docgen doctor: what the PDF and preview features need, found on this machine, and the libraries' versions."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from docgen.output.pdf import POPPLER_HINT, SofficeNotFound, find_soffice, soffice_version
from docgen.text.messages import Listed, say

CJK_FONT_HINT = say("pdf.cjk_fonts.hint")

# The libraries whose versions matter in a bug report.
LIBRARIES = ("python-docx", "docxtpl", "docxcompose", "openpyxl", "jinja2", "click", "lxml", "matplotlib")


@dataclass(frozen=True)
class Check:
    """One line of `docgen doctor`: what was checked, whether it is fine, and what was found."""

    name: str
    ok: bool
    detail: str
    hint: str | None = None  # what to do, said once after the lines however many checks share it
    warning: bool = False  # works, but not as it should (a font replaced by another)


def ask(command: list[str]) -> subprocess.CompletedProcess:
    """A helper program's answer (fc-list, fc-match, pdftoppm -v): no input, its output as text, 30 seconds at most.

    Raises OSError or subprocess.TimeoutExpired when it cannot be run.
    """
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, check=False)


def doctor(soffice: str | os.PathLike | None = None) -> list[Check]:
    """What docgen's PDF and preview features need, and the versions of the libraries docgen uses."""
    checks = [_check_soffice(soffice), _check_cjk_fonts(), _check_pdftoppm()]
    checks.append(Check("Python", True, sys.version.split()[0]))
    for library in LIBRARIES:
        try:
            checks.append(Check(library, True, importlib.metadata.version(library)))
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check(library, False, say("doctor.not_installed", library=library)))
    return checks


def _check_soffice(explicit: str | os.PathLike | None) -> Check:
    try:
        program = find_soffice(explicit)
    except SofficeNotFound as error:
        return Check("LibreOffice (soffice)", False, say("doctor.failed", message=error.message, hint=error.hint))
    version = soffice_version(program)
    if version is None:
        return Check("LibreOffice (soffice)", True, say("doctor.no_version", program=program))
    return Check("LibreOffice (soffice)", True, f"{program}, {version}")


def _check_cjk_fonts() -> Check:
    name = say("doctor.fonts")
    fc_list = shutil.which("fc-list")
    if not fc_list:
        if sys.platform in ("win32", "darwin"):
            return Check(name, True, say("doctor.fonts.unchecked"))
        return Check(name, False, say("doctor.fonts.no_fc_list", hint=CJK_FONT_HINT))
    try:
        listed = ask([fc_list, ":lang=zh", "family"]).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        return Check(name, False, say("doctor.fonts.fc_list_failed", error=error, hint=CJK_FONT_HINT))
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})
    if not families:
        return Check(name, False, say("doctor.fonts.none", hint=CJK_FONT_HINT))
    shown = Listed(families[:3])
    return Check(name, True, say("doctor.fonts.more", shown=shown, count=len(families) - 3) if len(families) > 3 else shown)


def _check_pdftoppm() -> Check:
    name = say("doctor.pdftoppm")
    program = shutil.which("pdftoppm")
    if not program:
        return Check(name, False, say("doctor.not_found", hint=POPPLER_HINT))
    try:
        said = ask([program, "-v"])
    except (OSError, subprocess.TimeoutExpired):
        return Check(name, True, program)
    version = re.search(r"version\s+(\S+)", said.stderr + said.stdout)
    return Check(name, True, say("doctor.version", program=program, version=version.group(1)) if version else program)
