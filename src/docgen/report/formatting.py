"""How figures, money, dates and periods are written in Chinese and English (docs/narrative.md, "How figures are written").

A value that cannot be shown is "不适用" / "n/a", never "nan" or "inf"."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Context, Decimal

from docgen.input import units
from docgen.input.periods import DUE_DAYS, period_bounds, quarter_of, report_dates  # noqa: F401 (fmt.* for report/)
from docgen.report.analysis import Change, finite

NOT_APPLICABLE = {"zh": "不适用", "en": "n/a"}

# A share within half a percentage point of a whole tenth is said as that tenth.
TENTHS_TOLERANCE = 0.05  # in tenths

_ZH_DIGITS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
_EN_NUMBERS = dict(enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), start=1))
_ZH_QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

def is_zh(lang: str) -> bool:
    return lang == "zh"


def not_applicable(lang: str) -> str:
    return NOT_APPLICABLE["zh" if is_zh(lang) else "en"]


def text(value: object) -> str:
    """A cell's text for printing: "" for an empty cell."""
    if value is None:
        return ""
    return str(value).strip()


# -- numbers -----------------------------------------------------------------


_ROUNDING = Context(prec=400, rounding=ROUND_HALF_UP)  # room for every digit of the largest float


def _digits(value: float, decimals: int, signed: bool) -> str:
    # Rounded half up from the figure as written (2,987.25 → 2,987.3), as a person rounds (四舍五入);
    # binary floats rounded half to even would give 2,987.2.
    rounded = _ROUNDING.quantize(Decimal(repr(abs(value))), Decimal(1).scaleb(-decimals))
    shown = f"{rounded:,.{decimals}f}"
    if float(shown.replace(",", "")) == 0:
        return shown  # no "-0.0" or "+0.0"
    if value < 0:
        return "-" + shown
    return ("+" if signed else "") + shown


def _default_decimals(value: float) -> int:
    return 0 if float(round(value, 6)).is_integer() else 1


def number(value: object, lang: str = "zh", *, decimals: int | None = None, signed: bool = False) -> str:
    """1,280 for a whole number, 1,280.5 otherwise (or a fixed number of decimals)."""
    figure = finite(value)
    if figure is None:
        return not_applicable(lang)
    return _digits(figure, _default_decimals(figure) if decimals is None else decimals, signed)


def integer(value: object, lang: str = "zh") -> str:
    return number(value, lang, decimals=0)


def percent(fraction: object, lang: str = "zh", *, signed: bool = False) -> str:
    """A fraction as a percentage to one decimal: 0.96 → "96.0%"."""
    figure = finite(fraction)
    scaled = finite(figure * 100) if figure is not None else None
    if scaled is None:
        return not_applicable(lang)
    return _digits(scaled, 1, signed) + "%"


def points(difference: object, lang: str = "zh", *, signed: bool = True) -> str:
    """A difference of two rates in percentage points: 0.031 → "+3.1个百分点" / "+3.1 pp"."""
    figure = finite(difference)
    scaled = finite(figure * 100) if figure is not None else None
    if scaled is None:
        return not_applicable(lang)
    return _digits(scaled, 1, signed) + ("个百分点" if is_zh(lang) else " pp")


def change(change_: Change, lang: str = "zh", *, signed: bool = True) -> str:
    """A change as printed: a relative change in %, or percentage points for rates."""
    if change_.in_points:
        return points(change_.points, lang, signed=signed)
    return percent(change_.relative, lang, signed=signed)


def magnitude(change_: Change, lang: str = "zh") -> str:
    """The size of a change without its sign, for sentences that say the direction in words."""
    shown = change_.shown
    size = None if shown is None else abs(shown)
    if change_.in_points:
        return points(size, lang, signed=False)
    return percent(size, lang)


def count_word(count: int, lang: str = "zh") -> str:
    """A small count in words (三, three); larger counts in digits."""
    words = _ZH_DIGITS if is_zh(lang) else _EN_NUMBERS
    return words.get(count, f"{count:,}")


def ordinal(rank: int) -> str:
    """English ordinals: 1st, 2nd, 3rd, 11th."""
    if 10 <= rank % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def tenths(share: object) -> str | None:
    """A share said in tenths the Chinese way, or None where tenths would not read naturally.

    0.20 → 两成, 0.33 → 逾三成, 0.48 → 近五成, 0.5 → 五成, 0.07 → 不到一成.
    Within half a percentage point of a whole tenth it is that tenth; below
    the half-way mark it is 逾 (over) the tenth beneath; above it, 近
    (nearly) the tenth above. Shares of 0 or less, or above 95%, give None.
    """
    figure = finite(share)
    if figure is None or figure <= 0 or figure > 1:
        return None
    # Judged on the percentage as printed (one decimal), so the word always agrees with the
    # figure beside it: 0.3504 prints as 35.0% and is 逾三成, like 0.35.
    shown = _ROUNDING.quantize(Decimal(repr(figure * 100)), Decimal("0.1"))
    if shown <= 0 or shown > 95:
        return None
    scaled = float(shown) / 10
    whole = math.floor(scaled)
    rest = scaled - whole
    if rest <= TENTHS_TOLERANCE and whole >= 1:
        return f"{_ZH_DIGITS[whole]}成"
    if rest >= 1 - TENTHS_TOLERANCE:
        return f"{_ZH_DIGITS[whole + 1]}成"
    if whole == 0:
        return "不到一成"
    if rest <= 0.5:
        return f"逾{_ZH_DIGITS[whole]}成"
    return f"近{_ZH_DIGITS[whole + 1]}成"


# -- units and money ---------------------------------------------------------


def is_rate_unit(unit: str | None) -> bool:
    return units.is_rate(unit)


def _money_unit(unit: str | None) -> tuple[str, float, str] | None:
    """(currency code or symbol, scale to one unit of it, how it is written) for a money unit."""
    parsed = units.parse_unit(unit)
    if not parsed.is_money:
        return None
    code = parsed.text if parsed.style == "symbol" else parsed.currency
    return code, parsed.scale, parsed.style


def is_money_unit(unit: str | None) -> bool:
    return _money_unit(unit) is not None


def currency_label(unit: str | None, lang: str = "zh") -> str:
    """The currency unit as a report in this language names it: 万元 in Chinese, CNY in English."""
    money = _money_unit(unit)
    if money is None or is_zh(lang) or money[2] != "zh":
        return text(unit)
    return money[0]


def _money_parts(value: object, unit: str | None, lang: str, signed: bool) -> tuple[str, str, str] | None:
    """(figure, unit label, layout) for a money value, or None when the unit is not money."""
    money = _money_unit(unit)
    if money is None:
        return None
    code, scale, kind = money
    figure = finite(value)
    if kind == "zh" and not is_zh(lang):
        figure = finite(figure * scale) if figure is not None else None
        scale, kind = 1, "code"
    if figure is None:
        return not_applicable(lang), "", "bare"
    # Amounts in 万元 or 亿元 keep one decimal; whole currency units show cents only when there are some.
    decimals = 1 if scale > 1 else 0 if float(round(figure, 2)).is_integer() else 2
    digits = _digits(figure, decimals, signed)
    label = text(unit) if kind == "zh" or kind == "symbol" else code
    return digits, label, kind


def money_figure(value: object, unit: str | None, lang: str = "zh", *, signed: bool = False) -> str:
    """The number of a money value, in the unit `currency_label` names (for table cells)."""
    parts = _money_parts(value, unit, lang, signed)
    if parts is None:
        return number(value, lang, signed=signed)
    return parts[0]


def money(value: object, unit: str | None, lang: str = "zh", *, signed: bool = False) -> str:
    """A money value with its unit: "960.0万元", "CNY 9,600,000", "USD 12,800", "$12,800"."""
    parts = _money_parts(value, unit, lang, signed)
    if parts is None:
        return quantity(value, unit, lang, signed=signed)
    digits, label, kind = parts
    if kind == "bare":
        return digits
    if kind == "zh":
        return digits + label
    if kind == "symbol":
        sign = digits[0] if digits[0] in "+-" else ""
        return f"{sign}{label}{digits.lstrip('+-')}"
    if is_zh(lang):
        return f"{digits} {label}"
    return f"{label} {digits}"


def figure(value: object, unit: str | None, lang: str = "zh") -> str:
    """A value for a table cell whose unit is printed in its own column (rates still as %)."""
    if is_rate_unit(unit):
        return percent(value, lang)
    return money_figure(value, unit, lang)


def quantity(value: object, unit: str | None, lang: str = "zh", *, signed: bool = False) -> str:
    """A value with its unit, for sentences: "24家", "960.0万元", "38.0%", "24 accounts"."""
    if is_rate_unit(unit):
        return percent(value, lang, signed=signed)
    if is_money_unit(unit):
        return money(value, unit, lang, signed=signed)
    digits = number(value, lang, signed=signed)
    label = text(unit)
    if not label or finite(value) is None:
        return digits
    if is_zh(lang) and not label[0].isascii():
        return digits + label
    return f"{digits} {label}"


def difference(value: object, unit: str | None, lang: str = "zh", *, signed: bool = True) -> str:
    """A difference of two values with its unit: "-40.0万元", "+4家", "+3.0个百分点" for rates."""
    if is_rate_unit(unit):
        return points(value, lang, signed=signed)
    return quantity(value, unit, lang, signed=signed)


# -- dates and periods -------------------------------------------------------


def date(day: dt.date | None, lang: str = "zh") -> str:
    """2026年10月31日 / 31 October 2026."""
    if day is None:
        return not_applicable(lang)
    if is_zh(lang):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None, lang: str = "zh") -> str:
    """10月31日 / 31 Oct: for follow-up dates inside one report."""
    if day is None:
        return ""
    if is_zh(lang):
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_EN_MONTHS[day.month - 1][:3]}"


def period_label(period: str, day: dt.date, lang: str = "zh") -> str:
    """The period containing `day`: 2026年10月 / October 2026, 2026年第三季度 / Q3 2026, …"""
    zh = is_zh(lang)
    if period == "daily":
        return date(day, lang)
    if period == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}年第{week}周" if zh else f"Week {week}, {year}"
    if period == "monthly":
        return f"{day.year}年{day.month}月" if zh else f"{_EN_MONTHS[day.month - 1]} {day.year}"
    if period == "quarterly":
        quarter = quarter_of(day)
        return f"{day.year}年第{_ZH_QUARTERS[quarter]}季度" if zh else f"Q{quarter} {day.year}"
    if period == "annual":
        return f"{day.year}年" if zh else str(day.year)
    raise ValueError(f"unknown period {period!r}")
