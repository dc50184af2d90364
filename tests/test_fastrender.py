"""The fast path makes docxtpl's document: every built-in template and docxtpl-style templates, both ways."""

import dataclasses
import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from docxtpl import RichText
from lxml import etree

import docgen.input.reader
import docgen.input.workbook
from conftest import MINIMAL_INFO, write_workbook
from docgen.runs import template_cache as batch  # the template cache a batch worker keeps
from docgen.word import compiled as fastrender
from docgen.word.compiled import compile_template
from docgen.runs.batch import BatchOptions, RunSettings, run_batch
from docgen.errors import TemplateError
from docgen.word.library import builtin_templates, parse_key
from docgen.report.narrative import TrendThresholds
from docgen.word.render import render_docx
from docgen.runs.report import ReportOptions, build_document
from docgen.word.reference import example_workbook, reference_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- comparing two documents --------------------------------------------------------

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every member's CRC checks out
        return {name: archive.read(name) for name in archive.namelist()}


def canonical(xml: bytes) -> bytes:
    """The XML without what may legitimately differ: namespace declarations' place, blank text between tags."""
    return etree.tostring(etree.fromstring(xml, _PARSER), method="c14n")


def document_text(document: docx.document.Document | bytes) -> list[str]:
    """Every paragraph and table cell of the body, headers and footers, as python-docx reads them."""
    if isinstance(document, bytes):
        document = docx.Document(io.BytesIO(document))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            lines += [p.text for p in part.paragraphs]
    return lines


def assert_same_document(fast: bytes, slow: bytes) -> None:
    """The same parts, each with the same XML (or bytes): so the same text, as any reader reads it."""
    fast_parts, slow_parts = package(fast), package(slow)
    assert list(fast_parts) == list(slow_parts)
    for name, content in slow_parts.items():
        if name.endswith((".xml", ".rels")):
            assert canonical(fast_parts[name]) == canonical(content), name
        else:
            assert fast_parts[name] == content, name


@pytest.fixture
def fast_only(monkeypatch):
    """Fail a test whose document docxtpl made: the fast path falls back to render_docx silently."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the fast path fell back to docxtpl")

    monkeypatch.setattr(fastrender, "render_docx", forbidden)


# --- every built-in template -----------------------------------------------------------


def _context_for(template: Path) -> dict:
    """The reference context of a template's period, level and language, with values that test the XML."""
    key = parse_key(template.name)
    workbook = example_workbook(key.lang)
    hostile = "A&B <b>不是标签</b> \"引号\" 'x' {{ 7*7 }}"
    info = dataclasses.replace(workbook.info, period=key.period, level=key.level, title=hostile)
    problems = tuple(
        dataclasses.replace(problem, cause=problem.cause + "\n第二行\t制表") for problem in workbook.problems
    )
    return reference_context(key.lang, dataclasses.replace(workbook, info=info, problems=problems))


BUILTINS = builtin_templates()


def test_there_are_thirty_builtin_templates():
    assert len(BUILTINS) == 30


@pytest.mark.parametrize("template", BUILTINS, ids=[path.name for path in BUILTINS])
def test_every_builtin_template_renders_the_same_document_both_ways(template, fast_only):
    """The guard of the docxtpl and python-docx pins in pyproject.toml: the fast path uses their private parts."""
    context = _context_for(template)
    compiled = compile_template(template)
    assert compiled.fast, compiled.reason
    fast = compiled.render(context, title=context["report"]["title"], author=context["report"]["author"])
    slow = render_docx(template, context, title=context["report"]["title"], author=context["report"]["author"])
    assert_same_document(fast, slow)
    document = docx.Document(io.BytesIO(fast))
    # The values came out literally: escaped, never run, line breaks kept.
    assert "A&B <b>不是标签</b> \"引号\" 'x' {{ 7*7 }}" in "\n".join(document_text(document))
    assert document.core_properties.title == context["report"]["title"]


# --- docxtpl-style templates built here -------------------------------------------------


def _png(width: int = 4, height: int = 3) -> bytes:
    """A small red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def make_template(tmp_path):
    """make_template(build) -> a .docx whose content `build(document)` writes with python-docx."""

    def make(build, name: str = "template.docx") -> Path:
        document = docx.Document()
        build(document)
        path = tmp_path / name
        document.save(path)
        return path

    return make


def _loops_and_conditions(document) -> None:
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("{%p for item in items %}")
    document.add_paragraph("{{ item.name }}：{{ item.value }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if show_note %}")
    document.add_paragraph("备注：{{ note }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if show_hidden %}")
    document.add_paragraph("不应出现")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("状态：{% if done %}完成{% else %}进行中{% endif %}，共{{ items|length }}项")
    split = document.add_paragraph("拆开的标签：")
    for text, bold in (("{{ ti", False), ("tle", True), (" }}", False)):  # as Word leaves a tag it formatted
        split.add_run(text).bold = bold
    document.add_paragraph("{{r rich }}")


def _table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    table.style = "Table Grid"
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text


def _tables(document) -> None:
    _table(document, [  # a row loop, with a cell colour per row
        ("客户", "金额", "状态"),
        ("{%tr for row in rows %}",),
        ("{{ row.customer }}", "{{ row.amount }}", "{% cellbg row.colour %}{{ row.state }}"),
        ("{%tr endfor %}",),
    ])
    _table(document, [  # a column loop: as many columns as months
        ("{%tc for month in months %}", "{{ month }}", "{%tc endfor %}"),
        ("{%tc for month in months %}", "{{ sales[month] }}", "{%tc endfor %}"),
    ])
    _table(document, [("{% colspan width %}合并",), ("a", "b", "c")])  # a cell spanning the columns


def _headers_footers_and_picture(document) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉：{{ header_text }}"
    section.footer.paragraphs[0].text = "页脚：{{ footer_text }} {% if done %}✓{% endif %}"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "首页页眉：{{ title }}"
    document.add_paragraph("正文：{{ note }}")
    document.add_picture(io.BytesIO(_png()), width=Cm(2))  # a picture of the template's own
    document.add_paragraph("图下：{{ title }}")
    document.add_picture(io.BytesIO(_png(2, 2)), width=Cm(1))


CONTEXT = {
    "title": "十月 <总结> & 计划",
    "items": [{"name": "销售额", "value": "1,152.0万元"}, {"name": "新增客户", "value": "34家"}],
    "show_note": True,
    "show_hidden": False,
    "note": "第一行\n第二行\t制表 <b>&amp;</b>",
    "done": True,
    "rich": RichText("加粗红字", bold=True, color="FF0000"),
    "rows": [
        {"customer": "上海瑞丰", "amount": "310", "state": "签约", "colour": "C6EFCE"},
        {"customer": "苏州恒达", "amount": "45", "state": "流失", "colour": "FFC7CE"},
    ],
    "months": ["8月", "9月", "10月", "11月", "12月"],
    "sales": {"8月": 1050, "9月": 1080, "10月": 1152, "11月": 1190, "12月": 1230},
    "width": 3,
    "header_text": "华东销售一组",
    "footer_text": "内部资料",
}


@pytest.mark.parametrize("build", [_loops_and_conditions, _tables, _headers_footers_and_picture])
def test_docxtpl_style_templates_render_the_same_document_both_ways(make_template, build, fast_only):
    template = make_template(build)
    compiled = compile_template(template)
    assert compiled.fast, compiled.reason
    fast = compiled.render(CONTEXT, title="标题", author="作者")
    slow = render_docx(template, CONTEXT, title="标题", author="作者")
    assert_same_document(fast, slow)


def test_loops_conditions_split_tags_and_rich_text_come_out_right(make_template, fast_only):
    data = compile_template(make_template(_loops_and_conditions)).render(CONTEXT)
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "十月 <总结> & 计划"
    assert "销售额：1,152.0万元" in lines and "新增客户：34家" in lines
    assert "备注：第一行\n第二行\t制表 <b>&amp;</b>" in lines  # a line break and a tab, not new paragraphs
    assert "不应出现" not in lines
    assert "状态：完成，共2项" in lines
    assert "拆开的标签：十月 <总结> & 计划" in lines
    rich = next(p for p in document.paragraphs if p.text == "加粗红字")
    run = next(run for run in rich.runs if run.text)
    assert run.bold and str(run.font.color.rgb) == "FF0000"


def test_row_and_column_loops_fill_the_tables_and_widen_the_grid(make_template, fast_only):
    data = compile_template(make_template(_tables)).render(CONTEXT)
    rows, columns, spans = docx.Document(io.BytesIO(data)).tables
    assert [[c.text for c in row.cells] for row in rows.rows] == [
        ["客户", "金额", "状态"], ["上海瑞丰", "310", "签约"], ["苏州恒达", "45", "流失"]
    ]
    assert [c.text for c in columns.rows[0].cells] == CONTEXT["months"]
    assert [c.text for c in columns.rows[1].cells] == ["1050", "1080", "1152", "1190", "1230"]
    assert len(columns._tbl.tblGrid.findall(W + "gridCol")) == 5  # fix_tables made room for five months
    span = spans.rows[0]._tr.tc_lst[0].tcPr.find(W + "gridSpan")
    assert spans.rows[0].cells[0].text == "合并" and span.get(W + "val") == "3"


def test_headers_footers_and_the_templates_pictures_are_kept(make_template, fast_only):
    data = compile_template(make_template(_headers_footers_and_picture)).render(CONTEXT)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "页眉：华东销售一组"
    assert section.footer.paragraphs[0].text == "页脚：内部资料 ✓"
    assert section.first_page_header.paragraphs[0].text == "首页页眉：十月 <总结> & 计划"
    assert len(document.inline_shapes) == 2
    drawing = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
    ids = etree.fromstring(package(data)["word/document.xml"]).xpath("//wp:docPr/@id", namespaces=drawing)
    assert ids == ["1001", "1002"]  # renumbered as docxtpl does, so no two pictures share an id


def test_document_properties_are_the_reports(make_template, fast_only):
    data = compile_template(make_template(_loops_and_conditions)).render(CONTEXT, title="十月\x07总结", author="王芳")
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert (properties.title, properties.author, properties.comments) == ("十月总结", "王芳", "")


def test_many_documents_from_one_compiled_template_do_not_leak_into_each_other(make_template, fast_only):
    compiled = compile_template(make_template(_tables))
    first = compiled.render(CONTEXT)
    second = compiled.render({**CONTEXT, "rows": [], "months": ["1月"], "sales": {"1月": 990}})
    assert document_text(compiled.render(CONTEXT)) == document_text(first)
    rows, columns, _ = docx.Document(io.BytesIO(second)).tables
    assert len(rows.rows) == 1 and [c.text for c in columns.rows[0].cells] == ["1月"]
    assert [c.text for c in columns.rows[1].cells] == ["990"]


# --- what goes to docxtpl --------------------------------------------------------------


def test_pictures_put_in_by_the_report_are_docxtpls_job(make_template):
    template = make_template(lambda d: [d.add_paragraph(text) for text in ("{{ charts.trend }}", "{{ title }}")])
    context = {"charts": {"trend": ""}, "title": "十月"}
    compiled = compile_template(template)
    images = {"charts.trend": (_png(), 4.0)}
    assert compiled.fast and not compiled.uses_fast_path(images=images)
    data = compiled.render(context, images=images)
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 1
    assert document_text(data) == document_text(render_docx(template, context, images=images))


def _with_footnote(template: Path, text: str) -> Path:
    """The template with a footnotes part holding `text` (python-docx cannot add one)."""
    parts = package(template.read_bytes())
    parts["word/footnotes.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'footnotes" Target="footnotes.xml"/></Relationships>',
    )
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return template


def test_footnotes_with_tags_are_rendered_by_docxtpl(make_template):
    template = _with_footnote(make_template(lambda d: d.add_paragraph("{{ title }}")), "注：{{ title }}")
    compiled = compile_template(template)
    assert not compiled.fast and "footnotes" in compiled.reason
    data = compiled.render({"title": "十月"})
    assert "注：十月".encode() in package(data)["word/footnotes.xml"]


def test_footnotes_without_tags_stay_on_the_fast_path(make_template, fast_only):
    template = _with_footnote(make_template(lambda d: d.add_paragraph("{{ title }}")), "注：数据来自财务系统")
    fast, slow = compile_template(template).render({"title": "十月"}), render_docx(template, {"title": "十月"})
    assert_same_document(fast, slow)


def _error(render) -> str:
    with pytest.raises(TemplateError) as caught:
        render()
    return str(caught.value)


def test_a_template_with_a_syntax_error_fails_as_docxtpl_says(make_template):
    template = make_template(lambda d: [d.add_paragraph(text) for text in ("第一段", "坏标签 {{ title ")])
    compiled = compile_template(template)
    assert not compiled.fast and "TemplateSyntaxError" in compiled.reason
    message = _error(lambda: compiled.render({"title": "x"}))
    assert message == _error(lambda: render_docx(template, {"title": "x"}))
    assert "syntax error" in message and "坏标签" in message


def test_a_record_missing_a_variable_fails_with_docxtpls_error(make_template):
    template = make_template(lambda d: d.add_paragraph("{{ report.title }} {{ report.nosuch }}"))
    compiled = compile_template(template)
    assert compiled.fast
    context = {"report": {"title": "x"}}
    message = _error(lambda: compiled.render(context))
    assert message == _error(lambda: render_docx(template, context))
    assert "nosuch" in message and "docs/template-variables.md" in message


def test_the_sandbox_holds_on_the_fast_path(make_template):
    template = make_template(lambda d: d.add_paragraph("{{ title.__class__.__mro__ }}"))
    compiled = compile_template(template)
    assert compiled.fast
    # Had the fast path rendered it, render() would have returned a document: it refused, and docxtpl says why.
    message = _error(lambda: compiled.render({"title": "x"}))
    assert message == _error(lambda: render_docx(template, {"title": "x"}))
    assert compiled.fallbacks == 1


def test_a_missing_template_fails_as_render_docx_does(tmp_path):
    compiled = compile_template(tmp_path / "gone.docx")
    assert not compiled.fast
    assert "template not found" in _error(lambda: compiled.render({}))


def test_the_trend_thresholds_reach_the_fast_paths_filters(make_template, fast_only):
    template = make_template(lambda d: d.add_paragraph("{{ change|trend_word }}"))
    wide = TrendThresholds(slight=0.05, marked=0.5)
    fast = compile_template(template, wide).render({"change": 0.03})
    assert document_text(fast) == document_text(render_docx(template, {"change": 0.03}, thresholds=wide))


# --- batches compile each template once ------------------------------------------------


def test_a_batch_worker_compiles_a_template_once_and_again_when_it_changes(make_template):
    batch._compiled_templates.clear()
    template = make_template(lambda d: d.add_paragraph("{{ title }}"))
    first = batch.compiled_template(template, TrendThresholds())
    assert batch.compiled_template(template, TrendThresholds()) is first
    make_template(lambda d: d.add_paragraph("新的 {{ title }} 模板"))
    again = batch.compiled_template(template, TrendThresholds())
    assert again is not first and document_text(again.render({"title": "十月"}))[0] == "新的 十月 模板"


def test_a_report_through_the_compiled_template_is_the_report_docxtpl_renders(fast_only):
    workbook = dataclasses.replace(example_workbook("zh"), source="east.xlsx")
    options = ReportOptions(period="monthly", level="team", today=dt.date(2026, 11, 2), find_previous=False)
    fast, _ = build_document(workbook, options, templates=batch.compiled_template)
    slow, settings = build_document(workbook, options)
    assert settings.template.path.name == "monthly-team.zh.docx"
    assert_same_document(fast, slow)
    assert any("华东销售一组" in line for line in document_text(fast))


def test_a_split_batch_reads_its_workbook_once_and_compiles_its_template_once(tmp_path, monkeypatch):
    people = ["甲", "乙", "丙"]
    workbook = write_workbook(tmp_path / "全员.xlsx", {
        "报告信息": [list(row) for row in MINIMAL_INFO],
        "目标达成": [["销售员", "指标", "单位", "目标", "实际"]]
        + [[name, "销售额", "万元", 100, 90 + n] for n, name in enumerate(people)],
    })
    batch._compiled_templates.clear()  # another test of this process may have compiled the built-in already
    reads, compiles = [], []
    read, compile_ = docgen.input.reader.open_workbook, fastrender.compile_template  # every read opens the file here
    monkeypatch.setattr(docgen.input.reader, "open_workbook", lambda *a, **k: reads.append(a) or read(*a, **k))
    monkeypatch.setattr(fastrender, "compile_template", lambda *a, **k: compiles.append(a) or compile_(*a, **k))
    options = BatchOptions(split=True, report=ReportOptions(today=dt.date(2026, 11, 2)))
    result = run_batch([workbook], options, RunSettings(output_dir=tmp_path / "out", jobs=1))
    assert result.ok and len(reads) == 1 and len(compiles) == 1
    for outcome, name in zip(result.outcomes, people):
        text = "\n".join(document_text((tmp_path / "out" / Path(outcome.output).name).read_bytes()))
        assert outcome.person == name and name in text
