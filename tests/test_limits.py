"""Hostile templates: the sandbox's sizes, the OS limits around every render, template package checks."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import write_workbook
from docgen.cli import main
from docgen.runs.config import load_config
from docgen.errors import DocgenError, TemplateError
from docgen.word.limits import RenderLimitError, RenderLimits, current_limits
from docgen.word.compiled import compile_template
from docgen.word.render import render_docx

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
TEAM = SAMPLES / "华东销售一组-2026年10月-团队月报.xlsx"
PEOPLE = SAMPLES / "2026-10-华东销售一组-个人月报"


def template(folder: Path, *paragraphs: str, name: str = "hostile.docx") -> Path:
    """A .docx template with these paragraphs, after one harmless paragraph."""
    document = docx.Document()
    document.add_paragraph("本月总结")
    for text in paragraphs:
        document.add_paragraph(text)
    path = folder / name
    document.save(path)
    return path


def run(*args) -> object:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, (MemoryError, RecursionError)) and (
        result.exception is None or isinstance(result.exception, SystemExit)
    ), repr(result.exception)
    return result


def children() -> list[int]:
    """This process's child processes still alive (or not yet reaped), but for multiprocessing's own servers.

    A batch's forkserver serves every later pool of the test run, as it does a
    long-lived process; it is not a render's leftover.
    """
    mine = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if fields[1].decode() == mine and not _multiprocessing_server(entry):
                found.append(int(entry))
    return found


def _multiprocessing_server(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except OSError:
        return False
    return b"multiprocessing.forkserver" in command or b"multiprocessing.resource_tracker" in command


@pytest.fixture(autouse=True)
def nothing_left_behind(tmp_path):
    """Every test: no child process left, and no temporary file beside the outputs."""
    yield
    assert children() == []
    leftovers = [path for path in tmp_path.rglob("*") if path.name.startswith(".") or path.suffix == ".tmp"]
    assert leftovers == []


# --- the sandbox's own counting: refused before anything is built ---------------------------

HUGE = {
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "center filter": "{{ 'x'|center(10**9) }}",
    "% width": "{{ '%01000000000d' % 1 }}",
    "format width": "{{ '{:>1000000000}'.format(1) }}",
    "format filter precision": "{{ '%.1000000000f'|format(1.0) }}",
    "indent": "{{ 'a\\nb'|indent(10**9) }}",
    "expandtabs": "{{ ('a\\tb' * 300000).expandtabs(2000) }}",
    "batch fill": "{{ range(3)|batch(10**9, 'x')|list }}",
    "slice": "{{ range(3)|slice(10**8)|list }}",
    "replace": "{{ ('a' * 100000)|replace('a', 'b' * 1000) }}",
    "join": "{% set s = 'x' * 1000000 %}{{ ([s] * 3000)|join }}",
    "str.join": "{% set s = 'x' * 1000 %}{{ ''.join([s] * 3000) }}",
    "lipsum": "{{ lipsum(10**6) }}",
    "wordwrap": "{{ ('a ' * 400000)|wordwrap(1, wrapstring='x' * 1000) }}",
    "~ doubling": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                  "{{ ns.s|length }}",
    "repeated format field": "{{ ('{0}' * 300000).format('x' * 1000) }}",
    "% repeated key": "{{ ('%(a)s' * 100000) % {'a': 'x' * 1000} }}",
    "sum of lists": "{% set l = [0] * 900000 %}{{ [l, l, l]|sum(start=[])|length }}",
}


@pytest.mark.parametrize("tag", HUGE.values(), ids=HUGE.keys())
def test_a_huge_value_is_refused_at_once_naming_the_template_part_and_paragraph(tmp_path, tag):
    path = template(tmp_path, "前言", tag)
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as raised:
        render_docx(path, {})
    assert time.monotonic() - started < 3
    message = str(raised.value)
    assert message.startswith("hostile.docx, body, paragraph “")
    assert "the template tries something the sandbox forbids (it was not run): " in message
    assert "would be too big" in message
    assert "：模板试图执行沙箱禁止的操作（未被执行）：" in raised.value.text("zh")


def test_values_below_the_sizes_still_render(tmp_path):
    path = template(tmp_path, "{{ 'x'.ljust(12) }}|{{ 'ab'|center(6) }}|{{ '%05d' % 42 }}|{{ '{:>4}'.format(7) }}|"
                              "{{ '%.2f'|format(1.5) }}|{{ ['a', 'b']|join('、') }}|{{ 'a' ~ 'b' }}")  # fmt: skip
    document = docx.Document(__import__("io").BytesIO(render_docx(path, {})))
    assert document.paragraphs[1].text == "x           |  ab  |00042|   7|1.50|a、b|ab"


# --- every exception a template raises is a message --------------------------------------------

MISTAKES = {
    "format without values": ("{{ '{0}'.format() }}", "IndexError: "),
    "pop past the end": ("{{ [1, 2].pop(5) }}", "IndexError: pop index out of range"),
    "pop a missing key": ("{{ {}.pop('x') }}", "KeyError: 'x'"),
    "a macro calling itself": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls a macro within itself"),
}


@pytest.mark.parametrize(("tag", "said"), MISTAKES.values(), ids=MISTAKES.keys())
def test_render_says_what_a_template_mistake_is_and_where_with_exit_2(tmp_path, tag, said):
    out = tmp_path / "out" / "report.docx"
    result = run("render", TEAM, "--template", template(tmp_path, tag), "-o", out, "--today", "2026-11-02",
                 "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "Error: hostile.docx, body, paragraph “" in result.output
    assert said in result.output
    assert not out.exists()


def test_a_template_mistake_is_told_in_chinese_for_a_chinese_report(tmp_path):
    result = run("render", TEAM, "--template", template(tmp_path, "{{ [1, 2].pop(5) }}"), "-o", tmp_path / "r.docx",
                 "--lang", "zh")  # fmt: skip
    assert result.exit_code == 2
    assert "错误：hostile.docx，正文，段落“{{ [1, 2].pop(5) }}”：模板无法渲染：IndexError" in result.output


# --- the OS limits ------------------------------------------------------------------------------


def test_memory_past_the_limit_stops_the_render_with_the_limit_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_MEMORY_MB", "200")
    path = template(tmp_path, "{% set l = [] %}{% for i in range(100000) %}{{ l.append('x' * 1000000) or '' }}"
                              "{% endfor %}")  # fmt: skip
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as raised:
        render_docx(path, {})
    assert time.monotonic() - started < 5
    assert "the render went past its memory limit of 200 MB and was stopped" in str(raised.value)
    assert "hostile.docx, body, paragraph “{% set l = [] %}" in str(raised.value)
    assert "DOCGEN_RENDER_MEMORY_MB" in str(raised.value)


def test_processor_time_past_the_limit_stops_the_render(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_CPU_SECONDS", "1")
    path = template(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as raised:
        render_docx(path, {})
    assert time.monotonic() - started < 10  # two seconds of CPU at most, on a machine that may be busy
    assert "the render went past its processor-time limit of 1 seconds" in str(raised.value)
    assert "处理器时间上限 1 秒" in raised.value.text("zh")


STUCK = """
from docgen.word.limits import RenderLimitError, run_isolated
try:
    run_isolated("stuck.docx", sum, range(10**13))  # one C loop: no Python handler runs until it ends
except RenderLimitError as error:
    print(error)
"""


def test_code_stuck_in_one_c_call_is_killed_by_the_hard_limit():
    # In a process of its own, as a render from the command line is: the test run's own process may hold
    # threads (a test's Dask client leaves one), and with threads a render is confined in-process instead.
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STUCK], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DOCGEN_RENDER_CPU_SECONDS": "1"})
    assert time.monotonic() - started < 15  # three seconds of CPU, and the interpreter's start
    assert done.stdout.startswith("stuck.docx: the render went past its processor-time limit of 1 seconds"), done


def test_output_past_the_limit_stops_the_render_at_the_default_limits(tmp_path):
    assert current_limits() == RenderLimits(memory_mb=1024, cpu_seconds=60, output_mb=50)
    path = template(tmp_path, "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as raised:
        render_docx(path, {})
    assert time.monotonic() - started < 5
    assert str(raised.value).startswith("hostile.docx, body: the rendered document went past its size limit of 50 MB")


def test_a_compiled_template_renders_each_document_under_the_limits_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_CPU_SECONDS", "1")
    path = template(tmp_path, "{{ name }}", "{% if name == 'b' %}{% for i in range(100000) %}{% for j in range(100000) %}"
                                            "{% endfor %}{% endfor %}{% endif %}")  # fmt: skip
    compiled = compile_template(path)
    assert compiled.fast
    assert compiled.render({"name": "a"})
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as raised:
        compiled.render({"name": "b"})
    assert time.monotonic() - started < 10
    assert compiled.fallbacks == 0  # reported at once, not rendered again by docxtpl
    assert "hostile.docx, body, paragraph “{% if name == 'b' %}" in str(raised.value)
    assert "processor-time limit of 1 seconds" in str(raised.value)
    assert compiled.render({"name": "c"})  # the limits are lifted after each document


def test_a_limit_in_a_batch_worker_fails_that_record_only(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_CPU_SECONDS", "1")
    # The trial render before the run uses example values, so only 张伟's own report loops.
    path = template(tmp_path, "{{ report.title }}", "{% if report.author == '张伟' %}{% for i in range(100000) %}"
                    "{% for j in range(100000) %}{% endfor %}{% endfor %}{% endif %}")  # fmt: skip
    out = tmp_path / "out"
    result = run("batch", PEOPLE, "--template", path, "-o", out, "-j", "2", "-q", "--today", "2026-11-02")
    assert result.exit_code == 1, result.output
    records = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"]
    failed = [record for record in records if record["status"] == "failed"]
    assert [record["person"] for record in failed] == ["张伟"]
    assert "processor-time limit of 1 seconds" in failed[0]["error"] or "处理器时间上限 1 秒" in failed[0]["error"]
    assert sum(record["status"] == "ok" for record in records) == len(records) - 1
    assert not Path(failed[0]["output"]).exists()


def test_a_limit_in_a_merge_fails_that_row_only(tmp_path):
    data = write_workbook(tmp_path / "名单.xlsx", {"名单": [["姓名", "宽度"], ["张三", 10], ["李四", 10**9]]})
    path = template(tmp_path, "{{ 姓名 }}{{ 'x'.ljust(宽度) }}")
    out = tmp_path / "out"
    result = run("merge", path, data, "-o", out)
    assert result.exit_code == 1, result.output
    records = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"]
    assert [record["status"] for record in records] == ["ok", "failed"]
    assert "would be too big" in records[1]["error"]


def test_batch_and_merge_refuse_a_template_whose_trial_render_goes_past_a_limit(tmp_path):
    path = template(tmp_path, "{{ 'x'.ljust(10**9) }}")
    batch = run("batch", PEOPLE, "--template", path, "-o", tmp_path / "batch")
    assert batch.exit_code == 2, batch.output
    assert "a trial render fails" in batch.output and "too big" in batch.output
    data = write_workbook(tmp_path / "名单.xlsx", {"名单": [["姓名"], ["张三"]]})
    merge = run("merge", path, data, "-o", tmp_path / "merge")
    assert merge.exit_code == 2, merge.output
    assert "a trial render fails" in merge.output
    assert not (tmp_path / "batch").exists() and not (tmp_path / "merge").exists()


def test_templates_check_reports_a_template_whose_trial_render_goes_past_a_limit(tmp_path):
    result = run("templates", "check", template(tmp_path, "{{ report.title }}", "{{ '%.1000000000f'|format(1.0) }}"))
    assert result.exit_code == 1
    assert "Error: hostile.docx, body, paragraph “{{ '%.1000000000f'|format(1.0) }}”: a trial render fails: " \
           "the template tries something the sandbox forbids (it was not run): the % formatting would be too big" \
           in result.output


def test_the_limits_come_from_the_environment_then_docgen_toml(tmp_path, monkeypatch):
    for variable in ("DOCGEN_RENDER_MEMORY_MB", "DOCGEN_RENDER_CPU_SECONDS", "DOCGEN_RENDER_OUTPUT_MB"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DOCGEN_RENDER_CPU_SECONDS", "5")
    config = tmp_path / "docgen.toml"
    config.write_text("[render]\nmemory_mb = 512\ncpu_seconds = 30\n", encoding="utf-8")
    assert load_config(config).render_limits == {"memory_mb": 512, "cpu_seconds": 30}
    assert current_limits() == RenderLimits(memory_mb=512, cpu_seconds=5, output_mb=50)  # the variable wins


def test_a_wrong_limit_is_said_plainly(tmp_path, monkeypatch):
    config = tmp_path / "docgen.toml"
    config.write_text("[render]\nmemory_mb = -1\noutput_mbs = 5\n", encoding="utf-8")
    with pytest.raises(DocgenError) as raised:
        load_config(config)
    assert "“render.memory_mb” must be a whole number of MB such as 1024, found -1" in str(raised.value)
    assert "unknown key “render.output_mbs” (did you mean “render.output_mb”?)" in str(raised.value)
    monkeypatch.setenv("DOCGEN_RENDER_OUTPUT_MB", "lots")
    with pytest.raises(DocgenError, match="DOCGEN_RENDER_OUTPUT_MB must be a whole number above 0, found “lots”"):
        current_limits()


# --- templates are checked as packages ------------------------------------------------------------


def _zip(path: Path, members: list[tuple[str, int, int, bytes]]) -> Path:
    """A zip written member by member: (name, crc, unpacked size, deflated bytes), as a packer would."""
    with open(path, "wb") as out:
        directory = []
        for name, crc, size, deflated in members:
            offset = out.tell()
            encoded = name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                                  len(encoded), 0) + encoded + deflated)  # fmt: skip
            directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                         len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)  # fmt: skip
        start = out.tell()
        out.write(b"".join(directory))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start,
                              start, 0))  # fmt: skip
    return path


def _members_of(path: Path) -> list[tuple[str, int, int, bytes]]:
    members = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((info.filename, zlib.crc32(data), len(data), packer.compress(data) + packer.flush()))
    return members


def zip_bomb(folder: Path) -> Path:
    """A 1.6 MB template whose document.xml unpacks to 1.5 GiB: one deflated block of zeros repeated."""
    chunk = b"\0" * (16 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every chunk
    crc = 0
    for _ in range(96):
        crc = zlib.crc32(chunk, crc)
    bomb = ("word/document.xml", crc, 96 * len(chunk), block * 96 + zlib.compressobj(9, zlib.DEFLATED, -15).flush())
    members = [bomb if name == "word/document.xml" else (name, *rest) for name, *rest in _members_of(template(folder))]
    return _zip(folder / "bomb.docx", members)


def test_a_zip_bomb_template_is_refused_at_once_with_exit_2(tmp_path):
    bomb = zip_bomb(tmp_path)
    assert 1 << 20 < bomb.stat().st_size < 2 << 20
    out = tmp_path / "report.docx"
    started = time.monotonic()
    result = run("render", TEAM, "--template", bomb, "-o", out, "--lang", "en")
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert "Error: bomb.docx: the file unpacks to 1,537 MB, more than the 256 MB docgen opens." in result.output
    assert not out.exists()
    checked = run("templates", "check", bomb)
    assert checked.exit_code == 2 and "the file unpacks to 1,537 MB" in checked.output


def test_a_template_part_with_a_zip_bombs_ratio_is_refused(tmp_path):
    data = b" " * (12 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    members = _members_of(template(tmp_path))
    path = _zip(tmp_path / "ratio.docx", [*members, ("word/media/filler.bin", zlib.crc32(data), len(data), packed)])
    with pytest.raises(TemplateError, match=r"the part word/media/filler.bin unpacks to 12 MB from \d+ KB \([\d,]+:1\)"):
        render_docx(path, {})


def test_a_template_declaring_a_doctype_is_refused(tmp_path):
    members = _members_of(template(tmp_path, "{{ x }}"))
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
    edited = []
    for name, crc, size, deflated in members:
        if name == "word/document.xml":
            xml = doctype + zlib.decompress(deflated, -15).split(b"?>", 1)[1].lstrip()
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            edited.append((name, zlib.crc32(xml), len(xml), packer.compress(xml) + packer.flush()))
        else:
            edited.append((name, crc, size, deflated))
    path = _zip(tmp_path / "doctype.docx", edited)
    result = run("render", TEAM, "--template", path, "-o", tmp_path / "r.docx", "--lang", "en")
    assert result.exit_code == 2
    assert "the part word/document.xml declares a DOCTYPE, which no Word document needs" in result.output
    checked = run("templates", "check", path)
    assert checked.exit_code == 2 and "declares a DOCTYPE" in checked.output


def test_a_template_of_too_many_parts_is_refused(tmp_path):
    members = _members_of(template(tmp_path))
    empty = zlib.compressobj(6, zlib.DEFLATED, -15).flush()
    path = _zip(tmp_path / "parts.docx", members + [(f"word/media/p{n}.bin", 0, 0, empty) for n in range(5000)])
    with pytest.raises(TemplateError, match="the file holds 5,0\\d\\d parts, more than the 5,000 docgen opens"):
        render_docx(path, {})


def test_render_past_the_memory_limit_exits_2_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_MEMORY_MB", "200")
    path = template(tmp_path, "{% set l = [] %}{% for i in range(100000) %}{{ l.append('x' * 1000000) or '' }}"
                              "{% endfor %}")  # fmt: skip
    out = tmp_path / "out" / "report.docx"
    result = run("render", TEAM, "--template", path, "-o", out, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "Error: hostile.docx, body, paragraph “{% set l = [] %}" in result.output
    assert "the render went past its memory limit of 200 MB and was stopped" in result.output
    assert not out.exists()


def test_a_batch_record_says_a_template_mistake_as_render_does(tmp_path):
    # Only 张伟's report pops past the end, so the trial render before the run passes.
    path = template(tmp_path, "{% if report.author == '张伟' %}{{ [1, 2].pop(5) }}{% endif %}")
    out = tmp_path / "out"
    result = run("batch", PEOPLE, "--template", path, "-o", out, "-j", "1", "-q", "--lang", "en")
    assert result.exit_code == 1, result.output
    records = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"]
    failed = [record for record in records if record["status"] == "failed"]
    assert [record["person"] for record in failed] == ["张伟"]
    assert failed[0]["error"].startswith("hostile.docx, body, paragraph “{% if report.author == '张伟' %}")
    assert "the template could not be rendered: IndexError: pop index out of range" in failed[0]["error"]
