"""A bounded load test of docgen serve on loopback: 20 single reports at once, twice, all complete, in bounded memory."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("python_multipart")

import docx  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"
REQUESTS = 20
MEMORY_GROWTH_MB = 400  # the server after 20 reports at once, over the server after one


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="team.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc")
def test_twenty_reports_at_once_all_complete_in_bounded_memory(tmp_path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--no-browser", "--port", str(port)],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "DOCGEN_LANG": "en"})
    url = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        deadline = time.monotonic() + 30
        while True:
            try:
                page = opener.open(f"{url}/report", timeout=5).read().decode()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "docgen serve did not start"
                time.sleep(0.2)
        token = re.search(r'<meta name="csrf" content="([^"]+)"', page).group(1)
        body, content_type = _multipart(TEAM)

        def make_report(_: int) -> str:
            request = urllib.request.Request(f"{url}/report/make?csrf={token}", data=body, method="POST",
                                             headers={"Content-Type": content_type})
            with opener.open(request, timeout=300) as response:
                assert response.status == 200
                return re.search(r"/results/([0-9a-f]{16})/report\.docx", response.read().decode()).group(1)

        make_report(0)  # warm: the renderer and templates loaded once
        before = _rss_mb(process.pid)
        with ThreadPoolExecutor(REQUESTS) as pool:
            ids = list(pool.map(make_report, range(REQUESTS)))
        after = _rss_mb(process.pid)
        with ThreadPoolExecutor(REQUESTS) as pool:  # a second wave: memory levels off rather than climbing
            ids += list(pool.map(make_report, range(REQUESTS)))
        again = _rss_mb(process.pid)
        print(f"server memory: {before:.0f} MB after one report, {after:.0f} MB after {REQUESTS} at once, "
              f"{again:.0f} MB after {REQUESTS} more")

        assert len(set(ids)) == 2 * REQUESTS  # nothing lost, nothing given twice
        for rid in ids[::5]:
            made = docx.Document(io.BytesIO(opener.open(f"{url}/results/{rid}/report.docx").read()))
            assert made.core_properties.title.startswith("华东销售一组")
        assert after - before < MEMORY_GROWTH_MB, f"the server grew from {before:.0f} MB to {after:.0f} MB"
        assert again - after < MEMORY_GROWTH_MB / 4, f"the second wave grew the server to {again:.0f} MB"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
