"""The Jinja filters template authors may use: money, percent, points, trend word, date and period labels (docs/templates.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from jinja2 import pass_context

from docgen.report import formatting as fmt
from docgen.report.analysis import finite
from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds, load_phrases, trend_word as trend_key

_FIGURE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_POINTS = ("个百分点", "百分点", "pp", "ppt")
_ZH_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_EN_DATE = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}


def read_figure(value: object) -> float | None:
    """The number in a value: itself, or the first figure in a printed one ("CNY 9,600,000", "-40.0万元")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return finite(value)
    if not isinstance(value, str):
        return None
    found = _FIGURE.search(value.replace("−", "-").replace("，", ","))
    return finite(float(found.group().replace(",", ""))) if found else None


def read_fraction(value: object) -> float | None:
    """A rate or change as a fraction: 0.12 stays, "12%" and "+12.0个百分点" become 0.12."""
    figure = read_figure(value)
    if figure is None or not isinstance(value, str):
        return figure
    text = value.strip().lower()
    if text.endswith(("%", "％")) or any(text.endswith(word) for word in _POINTS):
        return figure / 100
    return figure


def read_date(value: object) -> dt.date | None:
    """A date from a date, an ISO text, or a printed label (2026年10月31日, 31 October 2026)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        for pattern, order in ((_ZH_DATE, "ymd"), (_ISO_DATE, "ymd"), (_EN_DATE, "dmy")):
            found = pattern.match(value)
            if not found:
                continue
            if order == "ymd":
                return dt.date(*(int(part) for part in found.groups()))
            day, month_name, year = found.groups()
            month = _MONTHS.get(month_name[:3].lower())
            return dt.date(int(year), month, int(day)) if month else None
    except ValueError:
        return None  # 2026年2月30日
    return None


def _report(context) -> dict:
    report = context.get("report") if context is not None else None
    return report if isinstance(report, dict) else {}


def _lang(context, lang: str | None) -> str:
    return lang or _report(context).get("lang") or "zh"


def money(context, value, unit: str | None = None, lang: str | None = None, signed: bool = False):
    """{{ row.actual|money }} → 960.0万元 / CNY 9,600,000: a figure with the report's currency unit."""
    figure = read_figure(value)
    if figure is None:
        return value
    unit = unit or _report(context).get("currency_unit") or "元"
    return fmt.money(figure, unit, _lang(context, lang), signed=signed)


def percent(context, value, lang: str | None = None, signed: bool = False):
    """{{ 0.385|percent }} → 38.5%: a fraction (or a printed percentage) to one decimal."""
    fraction = read_fraction(value)
    if fraction is None:
        return value
    return fmt.percent(fraction, _lang(context, lang), signed=signed)


def points(context, value, lang: str | None = None, signed: bool = True):
    """{{ 0.031|points }} → +3.1个百分点 / +3.1 pp: a difference of two rates."""
    fraction = read_fraction(value)
    if fraction is None:
        return value
    return fmt.points(fraction, _lang(context, lang), signed=signed)


def make_trend_word(thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> Callable:
    """The trend_word filter with the run's thresholds (docgen.toml [trend_words])."""

    def trend_word(context, value, lang: str | None = None):
        """{{ row.mom|trend_word }} → 小幅增长 / rose slightly: the word for a relative change."""
        key = trend_key(read_fraction(value), thresholds)
        if key is None:
            return value
        return trend_words(_lang(context, lang))[key]

    return trend_word


def trend_words(lang: str) -> dict[str, str]:
    """The bare trend words of a language, from the phrasebook's phrases without their figures."""
    phrases = load_phrases("zh" if fmt.is_zh(lang) else "en")
    words = {}
    for key in ("up_marked", "up_slight", "steady", "down_slight", "down_marked"):
        phrase = phrases[f"trend.phrase.{key}"]
        words[key] = re.sub(r"\s*[（(]?\{\w+\}[）)]?", "", phrase).strip()
    return words


def date_label(context, value, lang: str | None = None, short: bool = False):
    """{{ report.end_date|date_label("en") }} → 31 October 2026; short=true gives 10月31日 / 31 Oct."""
    day = read_date(value)
    if day is None:
        return value
    lang = _lang(context, lang)
    return fmt.short_date(day, lang) if short else fmt.date(day, lang)


def period_label(context, value, period: str | None = None, lang: str | None = None):
    """{{ report.start_date|period_label("quarterly") }} → 2026年第四季度: the period holding a date."""
    day = read_date(value)
    period = period or _report(context).get("period")
    if day is None or period not in fmt.DUE_DAYS:
        return value
    return fmt.period_label(period, day, _lang(context, lang))


def make_filters(thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> dict[str, Callable]:
    """The filters by name, ready for a Jinja environment's `filters`."""
    plain = {
        "money": money,
        "percent": percent,
        "points": points,
        "trend_word": make_trend_word(thresholds),
        "date_label": date_label,
        "period_label": period_label,
    }
    return {name: pass_context(function) for name, function in plain.items()}


FILTER_NAMES = ("money", "percent", "points", "trend_word", "date_label", "period_label")
