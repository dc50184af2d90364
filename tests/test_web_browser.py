"""docgen serve in a real browser: Debian's Chromium, headless, driven by Selenium through chromium-driver.

The server is `docgen serve` started on the loopback address in a subprocess;
nothing is downloaded (no browser, no driver). Without Chromium the tests
skip, except under CI (the CI variable set), where they fail. Each page is
saved as a screenshot in DOCGEN_SCREENSHOTS when it is set, to look at.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"
FOLDER = ROOT / "sample_inputs" / "2026-10-华东销售一组-个人月报"
CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def _missing() -> str | None:
    for path in (CHROMIUM, DRIVER):
        if not path.exists():
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    for module in ("selenium", "starlette", "uvicorn"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[test]')"
    return None


if _missing():
    if os.environ.get("CI"):
        raise RuntimeError(f"the browser tests cannot run under CI: {_missing()}")
    pytest.skip(_missing(), allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as shown  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

import docx  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`docgen serve` on loopback, until the module's tests are done."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_LANG", "LANG", "LC_ALL")}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--no-browser", "--port", str(port), "--templates",
         str(folder / "library")],
        cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"docgen serve did not start: {process.stdout.read().decode()}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must fetch nothing
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--lang=zh-CN",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def screenshot(browser, name: str) -> None:
    folder = os.environ.get("DOCGEN_SCREENSHOTS")
    if folder:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(max(height, 800), 4000))
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))
        browser.set_window_size(1280, 1000)


def downloaded(folder: Path, suffix: str, seconds: float = 60) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.suffix == suffix]
        if found and not list(folder.glob("*.crdownload")):
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


def emptied(folder: Path) -> Path:
    for path in folder.iterdir():
        path.unlink()
    return folder


def test_one_report_read_checked_previewed_and_downloaded(server, browser, downloads):
    browser.get(f"{server}/report?lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == "生成一份报告"
    browser.find_element(By.ID, "workbook").send_keys(str(TEAM))  # as a file dropped on the page
    findings = WebDriverWait(browser, 60).until(shown.visibility_of_element_located((By.ID, "findings")))
    assert "报告信息!B9" in findings.text and "警告" in findings.text
    sheets = browser.find_element(By.ID, "sheets").text
    assert "目标达成 目标达成" in sheets and "团队贡献 团队贡献" in sheets
    assert "monthly-team.zh" in browser.find_element(By.ID, "chosen").text
    screenshot(browser, "1-report-read")

    browser.find_element(By.ID, "make").click()
    WebDriverWait(browser, 240).until(shown.presence_of_element_located((By.ID, "download-docx")))
    pages = browser.find_elements(By.CSS_SELECTOR, "#pages img")
    assert len(pages) >= 3
    WebDriverWait(browser, 30).until(lambda b: all(b.execute_script("return arguments[0].naturalWidth", i) for i in pages))
    screenshot(browser, "2-report-made")

    emptied(downloads)
    browser.find_element(By.ID, "download-docx").click()
    document = docx.Document(downloaded(downloads, ".docx"))
    assert document.core_properties.title.startswith("华东销售一组")
    expected = _library_report(TEAM)
    got = [p.text for p in document.paragraphs]
    assert got == expected  # every sentence and figure as the library (and so the CLI) makes them
    assert any("%" in line for line in got)


def _library_report(path: Path) -> list[str]:
    from docgen.input.workbook import load_workbook
    from docgen.runs.report import ReportOptions, build_report

    built = build_report(load_workbook(path), ReportOptions(find_previous=False))
    return [p.text for p in docx.Document(io.BytesIO(built.document)).paragraphs]


def test_the_months_batch_with_pdfs(server, browser, downloads):
    browser.get(f"{server}/batch")
    files = sorted(FOLDER.glob("*.xlsx"))
    browser.find_element(By.ID, "workbooks").send_keys("\n".join(str(p) for p in files))
    browser.find_element(By.ID, "pdf").click()
    browser.find_element(By.ID, "rollup").click()
    browser.find_element(By.ID, "start").click()
    WebDriverWait(browser, 30).until(shown.presence_of_element_located((By.ID, "bar")))
    screenshot(browser, "3-batch-running")
    WebDriverWait(browser, 400).until(shown.visibility_of_element_located((By.ID, "download-zip")))
    assert "5" in browser.find_element(By.ID, "summary").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#failures tbody tr")
    screenshot(browser, "4-batch-done")

    emptied(downloads)
    browser.find_element(By.ID, "download-zip").click()
    archive = zipfile.ZipFile(downloaded(downloads, ".zip"))
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["summary"]["records"] == manifest["summary"]["ok"] == 5
    assert all(record["pdf_status"] == "ok" for record in manifest["records"])
    assert sum(n.endswith(".docx") for n in names) == 5 and sum(n.endswith(".pdf") for n in names) == 5
    assert "manifest.csv" in names

    browser.get(f"{server}/batch")  # the run is in the recent list, to reopen after the tab was closed
    browser.find_element(By.CSS_SELECTOR, "#recent a").click()
    WebDriverWait(browser, 20).until(shown.visibility_of_element_located((By.ID, "download-zip")))


def test_english_and_the_template_library(server, browser, downloads, tmp_path):
    browser.get(f"{server}/templates")
    browser.find_element(By.ID, "lang-switch").click()
    WebDriverWait(browser, 20).until(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Template library")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#library tbody tr")) == 30
    browser.find_element(By.ID, "explain").click()
    explained = WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.ID, "explained")))
    assert "monthly-team.zh.docx" in explained.text

    emptied(downloads)
    browser.find_element(By.CSS_SELECTOR, 'a[href="/templates/builtin/monthly-team.zh"]').click()
    template = downloaded(downloads, ".docx")
    custom = tmp_path / "customised.docx"
    shutil.copy(template, custom)
    browser.find_element(By.CSS_SELECTOR, 'input[name="template"]').send_keys(str(custom))
    browser.find_element(By.CSS_SELECTOR, 'form[action^="/templates/upload"] input[name="variant"]').send_keys("east")
    browser.find_element(By.ID, "upload").click()
    notice = WebDriverWait(browser, 60).until(shown.presence_of_element_located((By.ID, "notice")))
    assert "monthly-team.zh.east.docx" in notice.text
    assert "my library" in browser.find_element(By.ID, "library").text
    screenshot(browser, "5-templates-en")

    emptied(downloads)
    browser.find_element(By.ID, "blank").click()
    assert downloaded(downloads, ".xlsx").read_bytes().startswith(b"PK")

    browser.get(f"{server}/report")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Make one report"  # the switch is remembered
    screenshot(browser, "6-report-en")
