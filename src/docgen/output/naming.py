"""Output names: the one vocabulary of name fields and the pattern engine that --name and docgen.toml share."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from docgen.errors import UsageError
from docgen.output.files import FORBIDDEN_CHARACTERS, MAX_NAME_BYTES, safe_filename
from docgen.text.messages import Listed, say

# The fields of a report's name, for `docgen batch --name` and docgen.toml's [output] naming alike.
# Documented once, in README.md ("Names"); the values are worked out by docgen.runs.report.name_fields.
# Besides these: the Chinese names of the info keys ({团队}, {周期}, {销售员} …) and any other info key.
REPORT_FIELDS = (
    "person",  # the salesperson; a roll-up's is 团队汇总 / team summary
    "team",
    "region",
    "organization",
    "author",
    "title",
    "period",  # the period as the report says it: 2026年10月, October 2026
    "period_label",  # the same as period
    "period_name",  # 月度 / Monthly
    "level",  # 个人, 团队, 部门 / individual, team, department
    "level_label",  # 个人, 团队, 部门 / Individual, Team, Department
    "lang",  # zh or en
    "start_date",  # YYYY-MM-DD
    "end_date",
    "file",  # the workbook's name without .xlsx
    "workbook",  # the same as file
)

_PATTERN_FIELD = re.compile(r"\{([^{}]*)\}")
# Put where a field came out empty, so the separator before it can go too.
_EMPTY = "\x00"
_SEPARATORS = "-_ ·、"


def pattern_fields(pattern: str) -> list[str]:
    """The field names a name pattern uses, in order: "{team}-{person}.docx" → ["team", "person"].

    Raises ValueError for a brace without its partner, and for a folder in the
    pattern's own text ("../{person}", "out/{person}"): every output goes
    straight into the output folder. (A value with a "/" is made safe instead.)
    """
    leftover = _PATTERN_FIELD.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise ValueError(say("naming.unpaired_brace"))
    if "/" in leftover or "\\" in leftover:
        raise ValueError(say("naming.folder"))
    return [name.strip() for name in _PATTERN_FIELD.findall(pattern)]


def check_pattern(pattern: str, known: Iterable[str] | None = None) -> None:
    """Refuse a --name pattern that is malformed or (given the fields there are) uses a field no record has."""
    try:
        used = pattern_fields(pattern)
    except ValueError as error:
        problem = error.args[0]
        hint = say("naming.folder.hint" if problem.key == "naming.folder" else "naming.fields.hint.write")
        raise UsageError(say("naming.bad_pattern", pattern=pattern, problem=problem), hint=hint) from None
    if known is None:
        return
    known = set(known)
    unknown = [name for name in used if name not in known]
    if unknown:
        raise UsageError(
            say("naming.unknown_fields", fields=Listed("{" + n + "}" for n in unknown)),
            hint=say(
                "naming.fields.hint",
                fields=Listed("{" + n + "}" for n in sorted(known, key=lambda n: (not n.isascii(), n))),
            ),
        )


def misspelt_field(name: str, known: Iterable[str]) -> str | None:
    """The known field a name in a pattern is a slip for ({perod} for {period}); None when it is none's."""
    known = list(known)
    if name in known:
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def name_from_pattern(
    pattern: str, fields: dict[str, object], *, extension: str = ".docx", fallback: str = "report"
) -> str:
    """A safe file name from a pattern such as "{team}-{person}-{period}.docx" and the fields' values.

    Each value is made safe on its own first (a "/" in a value cannot make a
    folder), a field with no value drops out with the separator before it
    ("华东一组--2026年10月" does not happen), and the whole name then goes
    through safe_filename. The name always ends with `extension`.
    """

    def value(match: re.Match) -> str:
        raw = fields.get(match.group(1).strip())
        text = "" if raw is None else FORBIDDEN_CHARACTERS.sub("_", str(raw))
        text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
        text = re.sub(r"\s+", " ", text).strip()
        return text or _EMPTY

    name = _PATTERN_FIELD.sub(value, pattern)
    name = re.sub(f"[{_SEPARATORS}]*{_EMPTY}+", "", name)
    name = name.lstrip(_SEPARATORS).replace(_EMPTY, "")
    if not name.casefold().endswith(extension.casefold()):
        name += extension
    stem = name[: -len(extension)].rstrip(_SEPARATORS)
    return safe_filename(stem + extension, fallback=fallback)


def numbered_name(name: str, taken: set[str]) -> str:
    """`name`, or "name (2).docx", "name (3).docx" … when a name already in `taken` is the same.

    Names are compared as case-insensitive file systems (Windows, macOS) do.
    The chosen name is added to `taken`. The number fits within the byte limit.
    """
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    candidate, number = name, 1
    while _name_key(candidate) in taken:
        number += 1
        mark = f" ({number})"
        room = MAX_NAME_BYTES - len((mark + suffix).encode("utf-8"))
        trimmed = stem
        while len(trimmed.encode("utf-8")) > room:
            trimmed = trimmed[:-1]
        candidate = f"{trimmed}{mark}{suffix}"
    taken.add(_name_key(candidate))
    return candidate


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()
