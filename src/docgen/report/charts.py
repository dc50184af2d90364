"""Trend charts as PNG pictures, drawn with matplotlib's object API (no pyplot), loaded only for a template that shows one."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from docgen.report import analysis
from docgen.report import formatting as fmt
from docgen.report.trend import combine_trend
from docgen.input.model import SalesWorkbook, TrendSeries
from docgen.input.schema import name_key

CHART_WIDTH_CM = 15.5  # within the 16 cm text width of the built-in templates
MAX_PANELS = 4  # a quarter's or a year's page holds four small charts legibly

# Fonts tried for Chinese text, the first installed wins; Latin text uses DejaVu Sans.
CJK_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Serif CJK SC",
)  # fmt: skip

BAR_COLOUR = "#2F5597"
LATEST_COLOUR = "#1F3864"  # the last sub-period stands out
LINE_COLOUR = "#C55A11"
TEXT_COLOUR = "#404040"
DPI = 200


def make_charts(names: Iterable[str], workbook: SalesWorkbook, *, lang: str) -> dict[str, tuple[bytes, float]]:
    """The charts a template asks for that the workbook has data for: context path → (PNG, width in cm)."""
    charts = {}
    for name in names:
        if name == "trend":
            png = trend_chart(workbook, lang=lang)
            if png is not None:
                charts["charts.trend"] = (png, CHART_WIDTH_CM)
    return charts


def trend_chart(workbook: SalesWorkbook, *, lang: str) -> bytes | None:
    """Small charts of the trend sheet's indicators, one per indicator, the money headline first; None without data."""
    rates = [t.indicator for t in workbook.targets if t.is_rate]
    series = [s for s in combine_trend(workbook.trend, rates) if any(_finite(v) for v in s.values)]
    if not series:
        return None
    units = {name_key(t.indicator): t.unit for t in workbook.targets}
    series = _lead_first(series, units)[:MAX_PANELS]
    return draw_panels(
        [(s, units.get(name_key(s.indicator)), name_key(s.indicator) in {name_key(r) for r in rates}) for s in series], lang=lang
    )


def draw_panels(panels: Sequence[tuple[TrendSeries, str | None, bool]], *, lang: str) -> bytes:
    """One small chart per (series, unit, is a rate): bars for amounts and counts, a line for rates."""
    # A year's twelve months need the full width; three or four months fit side by side.
    longest = max(len(series.labels) for series, _, _ in panels)
    if len(panels) == 1 or longest > 6:
        columns = 1
    else:
        columns = 3 if len(panels) == 3 else 2
    rows = (len(panels) + columns - 1) // columns
    width_in = CHART_WIDTH_CM / 2.54
    height_in = (3.0 if len(panels) == 1 else 2.2 if columns == 1 else 2.5) * rows + 0.2
    with rc_context(_style()), warnings.catch_warnings():
        # A font without a glyph only draws a box; the report must still be made.
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        figure = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(figure)
        axes_list = figure.subplots(rows, columns, squeeze=False).flatten()
        for axes, (series, unit, is_rate) in zip(axes_list, panels):
            _panel(axes, series, unit, is_rate, lang)
        for axes in axes_list[len(panels) :]:
            axes.set_visible(False)
        figure.tight_layout(pad=0.6, h_pad=1.2, w_pad=1.6)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _panel(axes, series: TrendSeries, unit: str | None, is_rate: bool, lang: str) -> None:
    labels = [str(label) for label in series.labels]
    values = [_display_value(v, unit, is_rate, lang) for v in series.values]
    positions = range(len(labels))
    shown = [v for v in values if v is not None]
    if is_rate:
        points = [(x, v) for x, v in zip(positions, values) if v is not None]
        axes.plot([x for x, _ in points], [v for _, v in points], color=LINE_COLOUR, linewidth=1.8, marker="o",
                  markersize=4, zorder=3)  # fmt: skip
        low, high = min(shown), max(shown)
        margin = max((high - low) * 0.35, abs(high) * 0.05, 0.5)
        axes.set_ylim(low - margin, high + margin)
    else:
        colours = [LATEST_COLOUR if i == len(labels) - 1 else BAR_COLOUR for i in positions]
        axes.bar(positions, [v or 0 for v in values], color=colours, width=0.6, zorder=3)
        top = max([v for v in shown if v > 0], default=1)
        axes.set_ylim(min(0, min(shown) * 1.15), top * 1.18)
    for x, value in zip(positions, values):
        if value is not None:
            axes.annotate(
                _label(value, is_rate, lang), (x, value), textcoords="offset points", xytext=(0, 3),
                ha="center", va="bottom", fontsize=6.5 if len(labels) > 6 else 7.5, color=TEXT_COLOUR,
            )  # fmt: skip
    axes.set_xticks(list(positions))
    axes.set_xticklabels(labels, fontsize=6.5 if len(labels) > 6 else 8)
    axes.set_title(_title(series.indicator, unit, is_rate, lang), fontsize=9, color="#000000", loc="left")
    # Every point carries its figure, so a y axis would only repeat them less precisely.
    axes.yaxis.set_visible(False)
    axes.tick_params(axis="x", colors=TEXT_COLOUR, length=0)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#808080")


def _display_value(value: object, unit: str | None, is_rate: bool, lang: str) -> float | None:
    figure = _finite(value)
    if figure is None:
        return None
    if is_rate:
        return figure * 100
    # In English, amounts in Chinese units are shown in whole yuan, as in the report's tables.
    if not fmt.is_money_unit(unit):
        return figure
    try:
        return float(fmt.money_figure(figure, unit, lang).replace(",", ""))
    except ValueError:
        return figure


def _label(value: float, is_rate: bool, lang: str) -> str:
    if is_rate:
        return f"{value:.1f}%"
    if not fmt.is_zh(lang) and abs(value) >= 10_000:
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(value) >= size:
                return f"{value / size:,.1f}{suffix}"
    return fmt.number(value, lang)


def _title(indicator: str, unit: str | None, is_rate: bool, lang: str) -> str:
    label = "%" if is_rate else fmt.currency_label(unit, lang)
    if not label:
        return indicator
    return f"{indicator}（{label}）" if fmt.is_zh(lang) else f"{indicator} ({label})"


def _lead_first(series: list[TrendSeries], units: dict[str, str | None]) -> list[TrendSeries]:
    """The first money indicator (sales) leads, as it leads the report; the rest keep the sheet's order."""
    lead = next((s for s in series if fmt.is_money_unit(units.get(name_key(s.indicator)))), None)
    return [lead, *[s for s in series if s is not lead]] if lead else series


def _style() -> dict:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    cjk = [name for name in CJK_FONTS if name in installed]
    # A list of families (not the generic "sans-serif") lets matplotlib fall back glyph by glyph.
    return {
        "font.family": ["DejaVu Sans", *cjk],
        "axes.unicode_minus": False,
        "axes.titlepad": 8,
    }


def _finite(value: object) -> float | None:
    return analysis.finite(value)
