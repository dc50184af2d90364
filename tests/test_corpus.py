"""The corpus of hostile and broken inputs (tests/corpus/make_corpus.py), every case through every command that takes it.

Each run must end with the case's exit code and one clear message naming the
problem and its place, print no traceback, leave no output behind (a batch
keeps only the reports of the records that did not fail) and leave the input
as it was. Hostile inputs docgen accepts must come out literally in a document
that opens. docs/errors.md lists the cases.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import jinja2
import pytest
from click.testing import CliRunner

from docgen.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tests" / "corpus" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


corpus_cases = _load_corpus_module()
CASES = corpus_cases.CASES
RUNS = [(case, command) for case in CASES for command in case.exits]
# The interface language (docs/language.md): DOCGEN_LANG=en says English whatever the workbook's language;
# a Chinese system says Chinese.
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": "en"}
CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "DOCGEN_LANG": None}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return corpus_cases.build_corpus(tmp_path_factory.mktemp("corpus"))


def command_line(case, command: str, corpus: Path, out: Path, *, english: bool) -> list[str]:
    places = {
        "input": str(corpus / case.name),
        "out": str(out),
        "good": str(corpus / corpus_cases.GOOD),
        "letter": str(corpus / corpus_cases.LETTER),
        "data": str(corpus / corpus_cases.DATA),
    }
    args = [re.sub(r"\{(input|out|good|letter|data)\}", lambda m: places[m.group(1)], arg)
            for arg in case.command_lines()[command]]  # fmt: skip
    if english and command in corpus_cases.LANG_OPTION:
        args += ["--lang", "en"]  # the report's language: English too
    return args


def run(case, command: str, corpus: Path, out: Path, *, english: bool = True):
    environment = {**(ENGLISH if english else CHINESE), **case.env}
    return CliRunner().invoke(main, command_line(case, command, corpus, out, english=english), env=environment)


def fingerprints(folder: Path) -> dict[str, tuple[int, int, int, int]]:
    """Each file's size, inode, modification and change times: a write, a rename over it or a chmod changes one.

    The change time (ctime) is the kernel's: no program can set it back.
    """
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(folder))] = (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
    return found


def document_text(path: Path) -> str:
    """Every paragraph of a .docx, tables, headers and footers included, one per line."""
    document = docx.Document(str(path))
    texts = []

    def paragraphs(container) -> None:
        texts.extend(paragraph.text for paragraph in container.paragraphs)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs(cell)

    paragraphs(document)
    for section in document.sections:
        paragraphs(section.header)
        paragraphs(section.footer)
    return "\n".join(texts)


def assert_no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["records"]


def records_of(case, corpus: Path, records: list[dict]) -> list[dict]:
    """The manifest records made from the case's input (all of them when the input is a template)."""
    if case.kind == "template":
        return records
    return [record for record in records if Path(record["input"]).name == case.name]


@pytest.mark.parametrize(("case", "command"), RUNS, ids=[f"{case.name}-{command}" for case, command in RUNS])
def test_each_command_answers_each_case(corpus, case, command, tmp_path):
    out = tmp_path / "out"
    if case.prepare is not None:
        case.prepare(out)
    inputs, prepared = fingerprints(corpus), fingerprints(out)

    result = run(case, command, corpus, out)

    expected = case.exits[command]
    assert result.exit_code == expected, result.output
    assert_no_traceback(result)
    assert fingerprints(corpus) == inputs, "the input was changed"
    if expected == 0:
        _accepted(case, command, out, result)
    elif command in ("batch", "merge") and expected == 1:
        _records_failed(case, command, corpus, out, result)
    else:
        _refused(case, command, out, prepared, result)


def _refused(case, command, out, prepared, result) -> None:
    """One message with the problem and its place; nothing written, what was there left as it was."""
    for phrase in case.phrases(command):
        assert phrase in result.output, (phrase, result.output)
    if command != "templates check":  # that one lists every problem of the template
        assert len(re.findall(r"^Error: ", result.output, re.M)) == 1, result.output
    assert fingerprints(out) == prepared, "something was written, or what was there was changed"


def _records_failed(case, command, corpus, out, result) -> None:
    """A batch or merge where records failed: each names the problem; only the others' documents exist."""
    folder = out / command
    records = manifest(folder)
    failed = [record for record in records_of(case, corpus, records) if record["status"] == "failed"]
    assert failed, records
    for record in failed:
        for phrase in case.phrases(command):
            assert phrase in record["error"], (phrase, record["error"])
        assert not record["output"] or not Path(record["output"]).exists()
    written = {path.name for path in folder.glob("*.docx")}
    assert written == {Path(record["output"]).name for record in records if record["status"] == "ok"}
    for name in written:
        docx.Document(str(folder / name))
    assert not [path for path in folder.iterdir() if path.name.startswith(".~docgen")]


def _accepted(case, command, out, result) -> None:
    """A hostile input docgen takes: the report opens, and the hostile text is in it as it was."""
    if command in ("check", "templates check"):
        for phrase in case.phrases(command):
            assert phrase in result.output, (phrase, result.output)
        return
    if command == "render":
        reports = [out / "report.docx"]
    else:
        folder = out / command
        reports = sorted(folder.glob("*.docx"))
        for path in reports:
            assert path.resolve().parent == folder.resolve()
        if command == "batch":
            mine = [Path(r["output"]).name for r in manifest(folder) if Path(r["input"]).name == case.name]
            reports = [folder / name for name in mine]
    assert reports
    texts = [document_text(path) for path in reports]  # each opens with python-docx
    if command == "merge":
        return  # the letter prints the info sheet's values; the report's own text is what is checked
    everything = "\n".join(texts)
    for literal in case.literal:
        assert literal in everything, (literal[:80], everything[:2000])
    for absent in case.absent:
        assert absent not in everything


ERROR_CASES = [case for case in CASES if any(code != 0 for code in case.exits.values())]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case.name for case in ERROR_CASES])
def test_the_message_is_chinese_under_a_chinese_locale(corpus, case, tmp_path):
    command = "render" if "render" in case.exits else next(iter(case.exits))
    out = tmp_path / "out"
    if case.prepare is not None:
        case.prepare(out)
    result = run(case, command, corpus, out, english=False)
    assert result.exit_code == case.exits[command], result.output
    assert_no_traceback(result)
    if case.says_zh is None:  # not localised: said in English (docs/errors.md lists which)
        for phrase in case.phrases(command):
            assert phrase in result.output
        return
    output = result.output if result.exit_code != 1 else json.dumps(manifest(out / command), ensure_ascii=False)
    for phrase in case.says_zh:
        assert phrase in output, (phrase, output)
    if result.exit_code == 2:  # after Click's usage lines or a progress label, if any
        assert any(line.startswith("错误：") for line in output.splitlines()), output


def test_the_corpus_holds_every_kind_of_case():
    groups = {case.group for case in CASES}
    assert groups == {"workbook file", "workbook content", "values", "template", "output"}
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


def test_the_code_execution_payload_is_real_and_nothing_ran(corpus, tmp_path):
    # The payload works when Jinja is not sandboxed: the marker file appears. (close() rather than
    # the corpus' read() waits for the command, so that no process is left behind.)
    marker = tmp_path / "marker"
    payload = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').close() }}"
    jinja2.Environment().from_string(payload).render()
    assert marker.exists()
    # docgen ran the corpus' template through every command (test_each_command_answers_each_case),
    # and once more here in a process of its own: its marker never appears.
    template = corpus / "template_popen.docx"
    process = subprocess.run(
        [sys.executable, "-m", "docgen", "render", str(corpus / corpus_cases.GOOD), "--template", str(template),
         "-o", str(tmp_path / "report.docx"), "--today", corpus_cases.TODAY, "--lang", "en"],
        capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8", "DOCGEN_LANG": "en"}, timeout=120,
    )  # fmt: skip
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr and "sandbox forbids" in process.stderr
    for command in ("render", "batch", "merge", "templates check"):
        run(next(case for case in CASES if case.name == "template_popen.docx"), command, corpus, tmp_path / command)
    assert not (corpus / corpus_cases.MARKER).exists()
    assert not (tmp_path / "report.docx").exists()


def test_every_broken_workbook_in_one_batch_of_worker_processes(corpus, tmp_path):
    """One real run with workers over every workbook case: each fails alone and says why; the good one is made."""
    cases = [case for case in CASES if case.kind == "workbook" and case.group != "output" and "batch" in case.exits
             and case.runs is None and not case.env]  # fmt: skip
    inputs = [str(corpus / case.name) for case in cases]
    out = tmp_path / "out"
    process = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", *inputs, str(corpus / corpus_cases.GOOD), "-o", str(out),
         "--today", corpus_cases.TODAY, "-j", "2", "-q", "--lang", "en"],
        capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8", "DOCGEN_LANG": "en"}, timeout=600,
    )  # fmt: skip
    assert process.returncode == 1, process.stderr
    assert "Traceback" not in process.stderr + process.stdout
    records = {Path(record["input"]).name: record for record in manifest(out)}
    for case in cases:
        record = records[case.name]
        if case.exits["batch"] == 0:
            assert record["status"] == "ok", record
            continue
        assert record["status"] == "failed", record
        for phrase in case.phrases("batch"):
            assert phrase in record["error"], (phrase, record["error"])
    assert records[corpus_cases.GOOD]["status"] == "ok"


@pytest.fixture
def lookalike_report(corpus, tmp_path) -> Path:
    case = next(case for case in CASES if case.name == "template_lookalike.xlsx")
    out = tmp_path / "out"
    result = run(case, "render", corpus, out)
    assert result.exit_code == 0, result.output
    return out / "report.docx"


def test_a_report_with_template_lookalikes_opens_in_libreoffice_and_shows_them(lookalike_report, require_soffice):
    from docgen.output.pdf import convert_to_pdf

    pdf = convert_to_pdf(lookalike_report, lookalike_report.parent)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for literal in ("{{ 7*7 }}", "{% for x in y %}循环{% endfor %}", "{# 注释 #}", "{{ report.title }}"):
        assert literal in flat, (literal, flat[:1500])


def test_the_table_in_docs_lists_every_case():
    documented = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case.name}`" in documented, case.name
