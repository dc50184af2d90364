"""The worker processes of a run, wherever the system's temporary folder is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"


def test_two_workers_start_under_a_temporary_folder_too_long_for_a_socket(tmp_path):
    # The forkserver's socket lives in TMPDIR, and a socket's path holds about 100 bytes.
    temp = tmp_path / ("a-long-folder-name-" * 6)
    temp.mkdir()
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", str(SAMPLES / "2026-10-华东销售一组-个人月报"), "-o", str(out),
         "-j", "2", "-q", "--today", "2026-11-02"],
        env={**os.environ, "TMPDIR": str(temp)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == len(list((SAMPLES / "2026-10-华东销售一组-个人月报").glob("*.xlsx")))
    assert any("销售工作总结" in p.text for p in docx.Document(reports[0]).paragraphs)
