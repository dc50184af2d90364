"""One cell's value in the type its column asks for: text, a number, a percentage, a date, yes/no, a kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docgen.input import schema
from docgen.input.cells import Cell, CellValue, ErrorValue, FormulaWithoutValue
from docgen.text.messages import Phrase, say


class Invalid(Exception):
    """A value that cannot be used; the caller adds where it is."""

    def __init__(self, message: Phrase, *, expected: Phrase | str | None = None, found: str | None = None,
                 hint: Phrase | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.found = found
        self.hint = hint


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse_markers(value: CellValue) -> None:
    if isinstance(value, FormulaWithoutValue):
        raise Invalid(
            say("cell.formula_without_value", formula=value.formula) if value.formula
            else say("cell.formula_without_value.anonymous"),
            expected=say("cell.a_value"),
            hint=say("cell.formula_without_value.hint"),
        )
    if isinstance(value, ErrorValue):
        raise Invalid(say("cell.error_value", code=value.code), expected=say("cell.a_value"),
                      hint=say("cell.error_value.hint"))


def number_text(value: float | int) -> str:
    """A number as a person would type it: 1200, not 1200.0; 0.1, not 0.1000000000000001."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def display_text(value: CellValue, percent: bool = False) -> str:
    """How a cell's value reads as text (for text columns, generic sections and messages)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value * 100) + "%" if percent else number_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


def cell_text(cell: Cell) -> str:
    """A cell as the sheet shows it, as text; "" for an empty cell, an error value or an uncomputed formula."""
    if isinstance(cell.value, (FormulaWithoutValue, ErrorValue)):
        return ""
    return display_text(cell.value, cell.percent)


def to_text(cell: Cell) -> str | None:
    _refuse_markers(cell.value)
    text = display_text(cell.value, cell.percent)
    return text or None


_CURRENCY_BEFORE = re.compile(r"^(?:RMB|CNY|USD|EUR|[¥$€£])", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"(?:RMB|CNY|USD|EUR|元)$", re.IGNORECASE)
_DIGITS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")

_NUMBER_HINT = say("cell.not_a_number.hint")


def _parse_number_text(text: str) -> tuple[float, bool, bool]:
    """The number a text cell holds, whether it was written as a percentage, and whether as money."""
    # NFKC turns full-width digits, ，．％ and ￥ into their ASCII forms.
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("\u2212", "-")
    negative = False
    if len(folded) > 2 and folded[0] == "(" and folded[-1] == ")":  # accounting style negative
        negative, folded = True, folded[1:-1]
    money = False
    for _ in range(2):  # the sign may come before or after a currency sign: -¥12 or ¥-12
        if folded[:1] in ("+", "-"):
            negative ^= folded[0] == "-"
            folded = folded[1:]
        folded, signs = _CURRENCY_BEFORE.subn("", folded)
        money |= bool(signs)
    percent = folded.endswith("%")
    if percent:
        folded = folded[:-1]
    folded, signs = _CURRENCY_AFTER.subn("", folded)
    money |= bool(signs)
    if not _DIGITS.fullmatch(folded):
        raise ValueError(text)
    number = float(folded.replace(",", ""))
    if negative:
        number = -number
    return (number / 100 if percent else number), percent, money


@dataclass(frozen=True)
class NumberReading:
    value: float
    is_fraction: bool  # shown or typed as a percentage, so already a fraction
    is_money: bool = False  # typed with a currency sign or code (￥12,000, RMB 800)


def read_number(cell: Cell) -> NumberReading | None:
    value = cell.value
    _refuse_markers(value)
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return NumberReading(float(value), cell.percent)
    if isinstance(value, str):
        try:
            number, percent, money = _parse_number_text(value)
        except ValueError:
            raise Invalid(say("cell.not_a_number"), expected=say("cell.a_number"), found=value.strip(),
                          hint=_NUMBER_HINT) from None
        return NumberReading(number, percent, money)
    raise Invalid(say("cell.not_a_number"), expected=say("cell.a_number"), found=display_text(value),
                  hint=_NUMBER_HINT)


def to_number(cell: Cell) -> float | None:
    reading = read_number(cell)
    return reading.value if reading else None


def _to_count_or_amount(cell: Cell) -> float | None:
    """A figure of a column that counts things or money: a percentage there is a slip, never a figure."""
    reading = read_number(cell)
    if reading is not None and reading.is_fraction:
        raise Invalid(say("cell.percent_in_number"), expected=say("cell.an_amount_or_count"),
                      found=display_text(cell.value, cell.percent), hint=say("cell.percent_in_number.hint"))
    return reading.value if reading else None


_TEXT_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_TEXT_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_DATE_FORMS = say("cell.date_forms")


def to_date(cell: Cell) -> dt.date | None:
    value = cell.value
    _refuse_markers(value)
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _TEXT_DATE.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise Invalid(say("cell.impossible_day"), expected=_DATE_FORMS,
                              found=value.strip(), hint=say("cell.impossible_day.hint")) from None
        if _TEXT_MONTH.fullmatch(text):
            raise Invalid(say("cell.month_not_day"), expected=_DATE_FORMS, found=value.strip(),
                          hint=say("cell.month_not_day.hint"))
    raise Invalid(say("cell.not_a_date"), expected=_DATE_FORMS, found=display_text(value),
                  hint=say("cell.not_a_date.hint"))


_YES_WORDS = {schema.normalize_name(word) for word in ("是", "y", "yes", "true", "已挽回", "1")}
_NO_WORDS = {schema.normalize_name(word) for word in ("否", "n", "no", "false", "未挽回", "0")}
_YES_NO_LIST = "是/否, Y/N, yes/no, true/false, 已挽回/未挽回 or 1/0"


def _to_yes_no(cell: Cell) -> bool | None:
    value = cell.value
    _refuse_markers(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = schema.normalize_name(display_text(value))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise Invalid(say("cell.not_yes_no"), expected=_YES_NO_LIST, found=display_text(value),
                  hint=say("cell.one_of_listed.hint"))


_KIND_WORDS = {
    **{schema.normalize_name(word): "internal" for word in ("内部", "内", "internal")},
    **{schema.normalize_name(word): "external" for word in ("外部", "外", "external")},
}
_KIND_LIST = "内部/外部, 内/外 or internal/external"


def _to_kind(cell: Cell) -> str | None:
    value = cell.value
    _refuse_markers(value)
    if is_blank(value):
        return None
    kind = _KIND_WORDS.get(schema.normalize_name(display_text(value)))
    if kind is None:
        raise Invalid(say("cell.not_kind"), expected=_KIND_LIST,
                      found=display_text(value), hint=say("cell.one_of_listed.hint"))
    return kind


CONVERTERS: dict[str, Callable[[Cell], object]] = {
    schema.TEXT: to_text,
    schema.NUMBER: _to_count_or_amount,
    schema.DATE: to_date,
    schema.YESNO: _to_yes_no,
    schema.KIND: _to_kind,
}


def in_whole_percents(reading: NumberReading | None) -> bool:
    """A plain number above 1 in a percentage group: its plain numbers are whole percents (12), not fractions."""
    return reading is not None and not reading.is_fraction and not abs(reading.value) <= 1


def percent_scale(any_in_whole_percents: bool) -> float:
    """What a group's plain numbers are multiplied by: 1/100 when any is in whole percents, else 1."""
    return 0.01 if any_in_whole_percents else 1.0


def scale_plain_percents(readings: Iterable[NumberReading | None]) -> float:
    """1 when a group's plain numbers are fractions already (all at most 1), else 1/100."""
    return percent_scale(any(in_whole_percents(reading) for reading in readings))


def as_fraction(reading: NumberReading | None, scale: float) -> float | None:
    if reading is None:
        return None
    return reading.value if reading.is_fraction else reading.value * scale
