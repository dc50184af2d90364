"""Factories that build test workbooks inline, so the input sits beside the assertion."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest


def rewrite_part(path: Path, part: str, edit) -> None:
    """Edit one XML part of an .xlsx in place, to make what openpyxl cannot write."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents[part] = edit(contents[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write an .xlsx with one sheet per key, each a list of rows (the first usually the header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path):
    """make_workbook({sheet: rows}, name="in.xlsx") -> path of a fresh workbook."""

    def make(sheets: dict[str, list[list]], name: str = "in.xlsx") -> Path:
        return write_workbook(tmp_path / name, sheets)

    return make


MINIMAL_INFO = [
    ["项目", "内容"],
    ["标题", "测试报告"],
    ["单位", "测试公司"],
    ["团队", "销售一组"],
    ["姓名", "张三"],
    ["层级", "团队"],
    ["周期", "月报"],
    ["开始日期", "2026-10-01"],
    ["结束日期", "2026-10-31"],
    ["货币单位", "万元"],
    ["语言", "中文"],
]

MINIMAL_TARGETS = [
    ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
    ["销售额", "万元", 1000, 960, 900, 850, "大客户回款延迟"],
    ["新增客户", "家", 20, 24, 18, 15, None],
    ["复购率", "%", 0.35, 0.38, 0.33, 0.30, None],
    ["客户流失率", "%", 0.05, 0.04, 0.06, 0.07, None],
]


@pytest.fixture
def minimal_sheets():
    """The smallest workbook that renders: info and targets, in Chinese."""
    return {"报告信息": [list(r) for r in MINIMAL_INFO], "目标达成": [list(r) for r in MINIMAL_TARGETS]}


@pytest.fixture
def require_soffice():
    """Skip a test that needs LibreOffice and poppler when they are missing; under CI, fail it."""
    missing = [tool for tool in ("soffice", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (apt-get install libreoffice-writer-nogui poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must install what the PDF tests need: {message}")
        pytest.skip(message)


@pytest.fixture(scope="session")
def builder():
    """scripts/build_templates.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("build_templates", Path(__file__).resolve().parents[1] / "scripts" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_templates"] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_shared(tmp_path_factory):
    """run_shared(name, make) -> what make() returns, made once per test run.

    Under pytest-xdist the first worker to ask makes it and leaves it (pickled)
    in the run's own folder, which every worker of this run shares; the others
    read it there.
    """
    xdist = "PYTEST_XDIST_WORKER" in os.environ and os.name == "posix"
    folder = tmp_path_factory.getbasetemp().parent if xdist else None
    made: dict[str, object] = {}

    def shared(name: str, make):
        if name in made:
            return made[name]
        if folder is None:
            made[name] = make()
            return made[name]
        import fcntl
        import pickle

        path = folder / f"shared-{name}.pickle"
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                path.write_bytes(pickle.dumps(make()))
            made[name] = pickle.loads(path.read_bytes())
        return made[name]

    return shared


@pytest.fixture(scope="session")
def built_templates(builder, run_shared) -> dict[str, bytes]:
    """The 30 built-in templates as scripts/build_templates.py builds them, built once per test run (several seconds)."""
    return run_shared("built-templates", builder.build_all)


@pytest.fixture(scope="session")
def sample_report(run_shared):
    """sample_report(path, lang=None) -> (the .docx, its template's name): a sample workbook's report, made once a run.

    Made as a user makes it the day after the period ends; lang None is the
    workbook's own language. Several modules read the same samples' reports.
    """
    import datetime as dt

    from docgen.input.workbook import load_workbook
    from docgen.runs.report import ReportOptions, build_report, report_language

    def report(path: Path, lang: str | None = None) -> tuple[bytes, str]:
        lang = lang or report_language(load_workbook(path))

        def make() -> tuple[bytes, str]:
            workbook = load_workbook(path)
            today = workbook.info.end_date + dt.timedelta(days=1)
            built = build_report(workbook, ReportOptions(lang=lang, today=today, find_previous=False))
            return built.document, built.settings.template.path.name

        return run_shared(f"sample-{path.parent.name}-{path.stem}-{lang}", make)

    return report


def pytest_collection_modifyitems(items):
    """The Dask cluster tests run last.

    A Dask client leaves threads in the test process (its IO loops), and
    docgen renders in a forked child only when its process has no other
    thread (a fork copies one thread). Every other test expects a process
    like a command line's, with one thread, as a user's is.
    """
    items.sort(key=lambda item: item.fspath.basename == "test_cluster.py")


@pytest.fixture
def pdf_writing_soffice(tmp_path, monkeypatch) -> Path:
    """tests/fakes/soffice in a folder of its own, writing a small PDF for each document it is given."""
    program = tmp_path / "fake-bin" / "soffice"
    program.parent.mkdir()
    shutil.copyfile(Path(__file__).parent / "fakes" / "soffice", program)
    program.chmod(0o755)
    (tmp_path / "record").mkdir()
    monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(tmp_path / "record"))
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-pdf")
    return program


def report_text(path: Path) -> str:
    """A .docx's text as a reader sees it: its paragraphs, then each table cell, a line each."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def chinese_docx(path: Path, title: str, sentence: str, *, pages: int = 1) -> Path:
    """A small Chinese report (a heading, a sentence, then a line a page), East Asian fonts set so LibreOffice shows it."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    for style_name in ("Normal", "Heading 1"):
        fonts = document.styles[style_name].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    document.add_heading(title, level=1)
    document.add_paragraph(sentence)
    for page in range(2, pages + 1):
        document.add_page_break()
        document.add_paragraph(f"第{page}页：下月行动计划")
    document.save(path)
    return path


def pdf_text(pdf_path: Path) -> str:
    """The PDF's text without whitespace: pdftotext puts spaces between Chinese and digits."""
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())
