"""Printed pages: the team monthly sample and a combined batch, read through their PDFs page by page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from docgen.cli import main
from docgen.output.pdf import convert_to_pdf

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
TEAM_SAMPLE = SAMPLES / "华东销售一组-2026年10月-团队月报.xlsx"
PEOPLE = SAMPLES / "2026-10-华东销售一组-个人月报"
TODAY = "2026-12-06"
BODY_HEADER = "星辰科技有限公司2026年10月销售工作总结"
TEAM_HEADER = "团队贡献"
# 一、 as a heading number of its own, not the end of 十一、
FIRST_HEADING = re.compile(r"(?<![一二三四五六七八九十])一、")


@pytest.fixture(scope="module")
def office_tools() -> None:
    """conftest's require_soffice, for the module's fixtures: each PDF here is made once for several tests."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (apt-get install libreoffice-writer-nogui poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must install what the PDF tests need: {message}")
        pytest.skip(message)


def run(*args) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def pages(pdf: Path) -> list[list[str]]:
    """Each page's non-blank lines, with whitespace removed (pdftotext spaces Chinese from digits)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [["".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def team_sample(tmp_path_factory, office_tools) -> tuple[Path, list[list[str]]]:
    """The team monthly sample, its 重点项目 amounts made large enough to need a thousands separator, and its PDF's pages."""
    folder = tmp_path_factory.mktemp("team")
    workbook = openpyxl.load_workbook(TEAM_SAMPLE)
    workbook["重点项目"]["D2"] = 1280.5
    workbook.save(folder / TEAM_SAMPLE.name)
    report = folder / "团队月报.docx"
    run("render", folder / TEAM_SAMPLE.name, "-o", report, "--today", TODAY)
    return report, pages(convert_to_pdf(report))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, office_tools) -> tuple[list[str], list[list[str]]]:
    """The sample folder of four people with --rollup, combined: the reports' titles in order, and the bundle's pages."""
    folder = tmp_path_factory.mktemp("bundle")
    combined = folder / "打印.docx"
    run("batch", PEOPLE, "-o", folder / "out", "--rollup", "--combine", combined, "--today", TODAY, "-j", "1")
    titles = [docx.Document(str(path)).core_properties.title for path in sorted((folder / "out").glob("*.docx"))]
    return titles, pages(convert_to_pdf(combined))


def report_spans(titles: list[str], printed: list[list[str]]) -> list[tuple[str, int, int]]:
    """(title, first page index, end index) of each report, in the bundle's order: a report starts on the page its title opens."""
    starts = {}
    for title in titles:
        found = [index for index, page in enumerate(printed) if index > 0 and page[0] == "".join(title.split())]
        assert len(found) == 1, (title, found)
        starts[found[0]] = title
    order = sorted(starts)
    assert order[0] == 1, "the first report starts right after the contents page"
    return [(starts[start], start, end) for start, end in zip(order, order[1:] + [len(printed)])]


def test_the_bundle_opens_with_a_contents_page_listing_each_report_and_its_first_page(bundle):
    titles, printed = bundle
    contents = printed[0]
    assert contents[0] in ("目录",)
    entries = contents[1:]
    assert len(entries) == len(titles)
    listed = []
    for number, entry in enumerate(entries, start=1):
        found = re.fullmatch(rf"{number}\.(.+?)\.*(\d+)", entry)
        assert found, entry
        title, page = found.group(1), int(found.group(2))
        # The page the contents gives (counted from the bundle's first page) opens with the report's title.
        assert printed[page - 1][0] == title, (entry, printed[page - 1][:2])
        listed.append((title, page - 1))
    assert listed == [("".join(title.split()), start) for title, start, _ in report_spans(titles, printed)]


def test_without_libreoffice_the_contents_page_gives_each_reports_page_count_for_word_to_fill_in(tmp_path, monkeypatch):
    import docgen.output.pdf
    from docgen.output.pdf import SofficeNotFound

    def missing(*_args, **_kwargs):
        raise SofficeNotFound("no soffice")

    monkeypatch.setattr(docgen.output.pdf, "find_soffice", missing)
    combined = tmp_path / "打印.docx"
    run("batch", PEOPLE, "-o", tmp_path / "out", "--combine", combined, "--today", TODAY, "-j", "1")
    entries = docx.Document(str(combined)).paragraphs[1:5]
    for number, entry in enumerate(entries, start=1):
        assert [i.text.strip() for i in entry._p.iter(qn("w:instrText"))] == [f"PAGEREF docgen_report_{number}_end"]
        assert entry.text.endswith("共  页"), entry.text


def test_each_report_in_the_bundle_has_its_own_pages_headers_and_page_numbers(bundle):
    titles, printed = bundle
    for title, start, end in report_spans(titles, printed):
        cover, body = printed[start], printed[start + 1 : end]
        # The cover is the report's page 1, unnumbered and without a header, as in the report alone.
        assert not any(line.startswith("第") and line.endswith("页") and "/" in line for line in cover), cover
        assert body[0][0] == BODY_HEADER, (title, body[0][:2])
        # A team's member table starts a page under the team part's header; a person's few lines follow their sign-off.
        assert body[-1][0].startswith(TEAM_HEADER) or "个人" in title, (title, body[-1][:2])
        for number, page in enumerate(body, start=2):
            assert page[-1] == f"第{number}页/共{end - start}页", (title, page[-1])


def test_heading_numbers_start_again_in_each_report(bundle):
    titles, printed = bundle
    for title, start, end in report_spans(titles, printed):
        text = "\n".join(line for page in printed[start:end] for line in page)
        assert len(FIRST_HEADING.findall(text)) == 1, title
        assert "一、引言" in text


def body_lines(page: list[str], header: str = BODY_HEADER) -> list[str]:
    """A page's lines without its running header and its page number."""
    if page and (page[0] == header or page[0].startswith(TEAM_HEADER)):
        page = page[1:]
    if page and re.fullmatch(r"第\d+页/共\d+页|Page\d+of\d+", page[-1]):
        page = page[:-1]
    return page


# A person's team part is a paragraph: it follows the sign-off on a page with room, and is kept with
# the conclusion and sign-off on a page without (the English quarterly's page 4 is full).
INDIVIDUALS = {
    "李明-2026年10月-个人月报.xlsx": ("报告人：李明", "对团队的贡献", "本月李明对团队的贡献"),
    "alex-chen-2026-q3-individual-quarterly.xlsx": ("AlexChen", "Contributiontotheteam", "ThisquarterAlexChencontributed"),
}


@pytest.fixture(scope="module", params=sorted(INDIVIDUALS))
def individual_sample(request, tmp_path_factory, office_tools) -> tuple[str, list[list[str]]]:
    """An individual sample's PDF pages."""
    workbook = PEOPLE / request.param if (PEOPLE / request.param).exists() else SAMPLES / request.param
    report = tmp_path_factory.mktemp("individual") / "个人.docx"
    run("render", workbook, "-o", report, "--today", TODAY)
    return request.param, pages(convert_to_pdf(report))


def test_no_page_of_the_team_sample_is_nearly_empty_and_the_signature_stays_with_the_conclusion(team_sample):
    _, printed = team_sample
    for number, page in enumerate(printed, start=1):
        assert len(body_lines(page)) >= 5, (number, page)
    closing = next(page for page in printed if any(line.endswith("结语") for line in page))
    assert "报告人：王芳" in closing and "2026年12月6日" in closing


def test_an_individual_reports_short_team_part_never_stands_alone_on_a_nearly_empty_page(individual_sample):
    name, printed = individual_sample
    header = printed[1][0]
    for number, page in enumerate(printed, start=1):
        assert len(body_lines(page, header)) >= 5, (name, number, page)
    signature, heading, summary = INDIVIDUALS[name]
    last = printed[-1]
    assert signature in last, last
    team = next(i for i, line in enumerate(last) if line.endswith(heading))
    assert last.index(signature) < team, last
    assert any(line.startswith(summary) for line in last[team:]), last


def test_a_generic_tables_numbers_are_right_aligned_with_thousands_separators(team_sample):
    report, printed = team_sample
    document = docx.Document(str(report))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["项目", "客户"])
    amounts = [row.cells[3].paragraphs[0] for row in table.rows[1:]]
    names = [row.cells[0].paragraphs[0] for row in table.rows[1:]]
    assert [p.text for p in amounts] == ["1,280.5", "420"]
    assert all(_alignment(p) == WD_ALIGN_PARAGRAPH.RIGHT for p in amounts)
    assert all(_alignment(p) != WD_ALIGN_PARAGRAPH.RIGHT for p in names)
    assert any(line.endswith("1,280.5") for page in printed for line in page)


def _alignment(paragraph):
    """The paragraph's alignment, its own or its style's (w:jc)."""
    style = paragraph.style
    while paragraph.alignment is None and style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment
        style = style.base_style
    return paragraph.alignment


def test_the_templates_page_fields_store_no_number_a_viewer_would_show_on_every_page():
    template = docx.Document(str(Path(__file__).resolve().parents[1] / "templates" / "docx" / "monthly-team.zh.docx"))
    footer = template.sections[0].footer.paragraphs[0]
    assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert footer.text == "第  页 / 共  页"
