"""Number formats (which numbers are dates, durations, percentages) and Excel's serial and ISO dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from docgen.input.xlsx.package import Damage, Parts, local_name, parse_part
from docgen.text.messages import say

# Number format ids that the Chinese editions of Excel and WPS use for dates and
# times (yyyy"年"m"月"d"日", m"月"d"日", h"时"mm"分" …). They have no standard
# format code, so nothing in the file says they are dates but the id itself.
CHINESE_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """What a cell style's number format means for the numbers read."""

    date: bool  # the number is a date, a time or a duration
    duration: bool  # [h]:mm and the like: a length of time, not a time of day
    percent: bool
    chinese_date: bool


# The number formats every spreadsheet program knows by id alone (ECMA-376, 18.8.30), as openpyxl lists them.
_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_BUILTIN_IDS = {code: number for number, code in _BUILTIN_FORMATS.items()}
_FIRST_CUSTOM_ID = 164  # ids below are built in

# What a date format is made of, once quoted text and [bracketed] colours and
# locales are taken out ([h], [mm], [ss] are elapsed time and stay): a d, m, h,
# y or s that is not an escaped or _-padded literal.
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED_TIME = re.compile(r"\[(?:hh?|mm?|ss?)\]", re.I)


def _is_date_format(code: str | None) -> bool:
    return code is not None and _DATE_PART.search(_LITERALS.sub("", code.split(";")[0])) is not None


def _is_duration_format(code: str | None) -> bool:
    return code is not None and _ELAPSED_TIME.search(code.split(";")[0]) is not None


def read_formats(package: Parts, part: str | None) -> list[NumberFormat | None]:
    """Each cell style's number format, from the styles part (a workbook without one has the default style only).

    None for a style whose number format id is a custom one the file does not define.
    """
    default = [NumberFormat(False, False, False, False)]
    if part is None:
        return default
    styles = parse_part(package, part, "file.damaged_formats")
    custom: dict[int, str] = {}
    format_ids: list[int] = []
    try:
        for element in styles:
            if local_name(element.tag) == "numFmts":
                for number_format in element:
                    if local_name(number_format.tag) == "numFmt":
                        code = number_format.get("formatCode")
                        if code is None:
                            raise ValueError("a number format without a format code")
                        custom[int(number_format.get("numFmtId"))] = code
            elif local_name(element.tag) == "cellXfs":
                format_ids = [int(xf.get("numFmtId") or 0) for xf in element if local_name(xf.tag) == "xf"]
    except (ValueError, TypeError) as exc:
        raise Damage(say("file.damaged_formats")) from exc
    if not format_ids:
        return default
    # Custom codes are numbered afresh from 164 in the order the styles use them, and a
    # custom code that is a built-in one takes the built-in id: what openpyxl did, and
    # its numbering decides which code an undefined id of 164 or more stands for.
    numbered: dict[str, int] = {}
    styles_read = []
    for format_id in format_ids:
        if format_id in custom:
            code = custom[format_id]
            if code in _BUILTIN_IDS:
                format_id = _BUILTIN_IDS[code]
            else:
                format_id = _FIRST_CUSTOM_ID + numbered.setdefault(code, len(numbered))
        else:
            code = _BUILTIN_FORMATS.get(format_id)
        styles_read.append((format_id, _is_date_format(code), _is_duration_format(code)))
    codes = list(numbered)
    formats: list[NumberFormat | None] = []
    for format_id, date, duration in styles_read:
        if format_id < _FIRST_CUSTOM_ID:
            code = _BUILTIN_FORMATS.get(format_id, "General")
        elif format_id - _FIRST_CUSTOM_ID < len(codes):
            code = codes[format_id - _FIRST_CUSTOM_ID]
        else:
            formats.append(None)
            continue
        formats.append(NumberFormat(date, date and duration, is_percent_format(code),
                                    format_id in CHINESE_DATE_FORMAT_IDS))
    return formats


EPOCH_1900 = dt.datetime(1899, 12, 30)  # Excel's day 0, as its 1900 date system counts (see from_serial)
EPOCH_1904 = dt.datetime(1904, 1, 1)


def from_serial(serial: int | float, epoch: dt.datetime, duration: bool = False):
    """An Excel serial number as a datetime (a time for a fraction of a day, a timedelta for a duration).

    Excel's 1900 system counts a 29 February 1900 that never was (serial 60),
    so serials before it are one day early against a calendar; milliseconds
    are rounded as Excel shows them.
    """
    if duration:
        length = dt.timedelta(days=serial)
        if length.microseconds:
            length = dt.timedelta(seconds=length.total_seconds() // 1, microseconds=round(length.microseconds, -3))
        return length
    days, fraction = divmod(serial, 1)
    time_of_day = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= serial < 1 and time_of_day.days == 0:
        minutes, seconds = divmod(time_of_day.seconds, 60)
        return dt.time(minutes // 60, minutes % 60, seconds, time_of_day.microseconds)
    if 0 < serial < 60 and epoch == EPOCH_1900:
        days += 1
    return epoch + dt.timedelta(days=days) + time_of_day


_ISO_DATETIME = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION = re.compile(r"PT(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,3})?)S)?")


def from_iso8601(text: str) -> dt.date | dt.datetime | dt.time | dt.timedelta:
    """A t="d" cell's ISO 8601 text: a date, a time, both, or a duration (PT1H30M) as strict OOXML writes it."""
    found = _ISO_DATETIME.match(text)
    if found and (found["date"] or found["time"]):
        parts = {key: int(value) for key, value in found.groupdict().items()
                 if value and key not in ("date", "time", "fraction")}
        microsecond = int(float(found["fraction"]) * 1_000_000) if found["fraction"] else 0
        if not found["date"]:
            return dt.time(parts["hour"], parts["minute"], parts.get("second", 0), microsecond)
        if not found["time"]:
            return dt.date(parts["year"], parts["month"], parts["day"])
        return dt.datetime(**parts, microsecond=microsecond)
    found = _ISO_DURATION.match(text)
    if found and any(found.groups()):
        return dt.timedelta(**{key: float(value) for key, value in found.groupdict().items() if value})
    raise ValueError(f"Invalid datetime value {text}")


def is_percent_format(number_format: str | None) -> bool:
    """True when a number format shows its value multiplied by 100 with a % sign."""
    if not number_format:
        return False
    shown = number_format.split(";")[0]
    # Quoted text and escaped characters are printed literally, not as the percent operator.
    shown = re.sub(r'"[^"]*"|\\.', "", shown)
    return "%" in shown
