"""Trend charts: pictures made from the trend sheet, and matplotlib loaded only for templates that show one."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import docx
import pytest

from docgen.input.model import SalesWorkbook, Target, TrendSeries

ROOT = Path(__file__).resolve().parents[1]


def workbook(months=("7月", "8月", "9月"), **changes) -> SalesWorkbook:
    values = {
        "source": "q3.xlsx",
        "targets": (Target("销售额", "万元", 3300, 3150), Target("客户流失率", "%", 0.05, 0.047)),
        "trend": (
            TrendSeries("销售额", months, tuple(1000 + 50 * i for i in range(len(months)))),
            TrendSeries("客户流失率", months, tuple(0.056 - 0.004 * i for i in range(len(months)))),
        ),
        "present": ("targets", "trend"),
    }
    values.update(changes)
    return SalesWorkbook(**values)


def image_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_a_trend_chart_is_a_png_the_width_of_the_text():
    from docgen.report.charts import CHART_WIDTH_CM, DPI, make_charts

    charts = make_charts({"trend"}, workbook(), lang="zh")
    png, width_cm = charts["charts.trend"]
    assert width_cm == CHART_WIDTH_CM
    width, height = image_size(png)
    assert width == pytest.approx(CHART_WIDTH_CM / 2.54 * DPI, abs=2)
    assert 0.3 < height / width < 0.6  # two small charts side by side


def test_a_year_stacks_its_charts_full_width():
    from docgen.report.charts import make_charts

    months = tuple(f"{m}月" for m in range(1, 13))
    width, height = image_size(make_charts({"trend"}, workbook(months), lang="en")["charts.trend"][0])
    assert height / width > 0.6  # one chart above the other


def test_no_trend_sheet_gives_no_chart_and_unknown_names_are_ignored():
    from docgen.report.charts import make_charts

    assert make_charts({"trend"}, workbook(trend=()), lang="zh") == {}
    assert make_charts({"pie"}, workbook(), lang="zh") == {}


def test_english_labels_give_amounts_in_yuan_and_rates_in_percent():
    from docgen.report.charts import _display_value, _label, _title

    assert _display_value(1150, "万元", False, "en") == 11_500_000
    assert _display_value(1150, "万元", False, "zh") == 1150
    assert _label(11_500_000, False, "en") == "11.5M"
    assert _label(0.047 * 100, True, "zh") == "4.7%"
    assert _title("销售额", "万元", False, "zh") == "销售额（万元）"
    assert _title("Sales", "万元", False, "en") == "Sales (CNY)"


def test_a_quarterly_report_carries_the_chart_as_a_picture(tmp_path):
    import datetime as dt

    from docgen.runs.report import ReportOptions, build_report

    built = build_report(workbook(), ReportOptions(period="quarterly", level="team", lang="zh", today=dt.date(2026, 10, 5), find_previous=False))
    document = docx.Document(io.BytesIO(built.document))
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert picture.width.cm == pytest.approx(15.5, abs=0.01)
    figure = next(p for p in document.paragraphs if p.style.name == "Figure")
    assert figure._p.xpath(".//pic:pic")


def _imports_after(script: str) -> str:
    code = textwrap.dedent(script) + "\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'docgen')))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return run.stdout


RUN = """
import datetime as dt
from docgen.runs.report import ReportOptions, render_workbook
render_workbook({workbook!r}, {output!r}, ReportOptions(today=dt.date(2026, 11, 2), find_previous=False))
"""


def test_a_run_whose_template_has_no_chart_does_not_import_matplotlib(tmp_path):
    workbook_path = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"
    loaded = _imports_after(RUN.format(workbook=str(workbook_path), output=str(tmp_path / "m.docx")))
    assert "'docgen.word.render'" in loaded  # the report was made …
    assert "matplotlib" not in loaded and "docgen.report.charts" not in loaded  # … without the plotting library
    assert docx.Document(tmp_path / "m.docx").paragraphs[0].text == "华东销售一组2026年10月销售工作总结"


def test_a_run_whose_template_has_a_chart_imports_it(tmp_path):
    workbook_path = ROOT / "sample_inputs" / "华东销售一组-2026年第三季度-团队季报.xlsx"
    loaded = _imports_after(RUN.format(workbook=str(workbook_path), output=str(tmp_path / "q.docx")))
    assert "'docgen.report.charts'" in loaded and "'matplotlib'" in loaded
    assert len(docx.Document(tmp_path / "q.docx").inline_shapes) == 1
