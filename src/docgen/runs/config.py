"""An organisation's defaults from docgen.toml, found in the working folder or given with --config.

docs/templates.md has the reference: the file only supplies defaults, which options and the info sheet override.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import ConfigError, Location, UsageError
from docgen.text.language import parse_language
from docgen.text.messages import Phrase, say
from docgen.text.nearest import nearest_names

if TYPE_CHECKING:
    from docgen.report.narrative import TrendThresholds

# The narrative and naming modules are imported where used: `docgen --help` reads this module for
# docgen.toml's interface_language and should not load the report's phrasebook to do it.

CONFIG_NAME = "docgen.toml"

# Every key the file may hold, by table ("" is the top level); what each expects is said by the
# catalogue (config.expects.TABLE.KEY in text/phrases/messages.*.toml).
_KEYS: dict[str, tuple[str, ...]] = {
    "": (
        "organization", "language", "interface_language", "currency_unit", "core_indicators",
        "templates", "trend_words", "output", "checks", "render",
    ),
    "templates": ("libraries", "variant"),
    "trend_words": ("slight", "marked"),
    "output": ("naming",),
    "checks": ("deviation", "tolerance", "share_tolerance", "intro_limit"),
    "render": ("memory_mb", "cpu_seconds", "output_mb"),
}

# A variant is one segment of a file name: no dots, slashes or spaces.
_VARIANT = re.compile(r"^[^\s./\\]+$")


def _default_thresholds() -> TrendThresholds:
    from docgen.report.narrative import DEFAULT_THRESHOLDS

    return DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class Config:
    """What docgen.toml says; None (or empty) where it says nothing."""

    source: Path | None = None  # the file read; None when there is none
    organization: str | None = None  # used when the info sheet names none
    language: str | None = None  # zh or en, used when neither --lang nor the info sheet says
    # zh or en: the language docgen speaks to the user in, unless DOCGEN_LANG or `docgen --lang` says (docs/language.md)
    interface_language: str | None = None
    currency_unit: str | None = None  # used when neither the info sheet nor a money target says
    core_indicators: tuple[str, ...] | None = None  # None: docgen's own list
    libraries: tuple[Path, ...] = ()  # template library folders, absolute
    variant: str | None = None  # used when --variant is not given
    thresholds: TrendThresholds = field(default_factory=_default_thresholds)
    output_naming: str | None = None  # pattern for output file names
    # docgen check's thresholds ([checks] table: deviation, tolerance, share_tolerance, intro_limit).
    checks: dict[str, float] = field(default_factory=dict)
    # The render limits ([render] table: memory_mb, cpu_seconds, output_mb; docgen.word.limits).
    render_limits: dict[str, int] = field(default_factory=dict)

    def output_name(self, fields: dict[str, str], fallback: str) -> str:
        """The file name the naming pattern gives a report's fields (as --name would), or `fallback` without one."""
        if not self.output_naming:
            return fallback
        from docgen.output.naming import name_from_pattern

        return name_from_pattern(self.output_naming, fields, fallback=Path(fallback).stem)


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_CONFIG":  # built on first use, with the narrative's default thresholds
        return _default_config()
    raise AttributeError(name)


@functools.cache
def _default_config() -> Config:
    return Config()


def find_config(explicit: Path | None = None, folder: Path | None = None) -> Path | None:
    """The config file a run uses: the one given, else docgen.toml in `folder` (the working folder)."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(
                say("config.not_found"),
                location=Location(file=str(path)),
                hint=say("config.not_found.hint", name=CONFIG_NAME),
            )
        return path
    candidate = (Path(folder) if folder is not None else Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(explicit: Path | None = None, folder: Path | None = None) -> Config:
    """Read the config file a run uses; the defaults when there is none."""
    path = find_config(explicit, folder)
    if path is None:
        return _default_config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise _error(path, say("config.not_utf8"), hint=say("config.not_utf8.hint")) from None
    except tomllib.TOMLDecodeError as error:
        raise _error(path, say("config.not_toml", error=error), hint=say("config.not_toml.hint")) from None
    except OSError as error:
        raise _error(path, say("config.unreadable", reason=error.strerror)) from None
    config = parse_config(raw, path)
    if config.render_limits:
        from docgen.word.limits import adopt_settings

        adopt_settings(config.render_limits)  # through the environment, to every worker of the run
    return config


def parse_config(raw: dict[str, Any], path: Path) -> Config:
    """A Config from the parsed TOML of `path`; every mistake is reported at once."""
    problems: list[Phrase] = []
    _check_keys(raw, "", problems)
    for table in ("templates", "trend_words", "output", "checks", "render"):
        value = raw.get(table, {})
        if isinstance(value, dict):
            _check_keys(value, table, problems)
        else:
            problems.append(say("config.not_a_table", table=table))
    templates = _table(raw, "templates")
    trend_words = _table(raw, "trend_words")
    output = _table(raw, "output")

    organization = _text(raw, "organization", problems)
    currency_unit = _text(raw, "currency_unit", problems)
    language = _language(raw, "language", problems)
    interface_language = _language(raw, "interface_language", problems)
    core = None
    if "core_indicators" in raw:
        core = _text_list(raw, "core_indicators", problems)
    folders = _text_list(templates, "libraries", problems, "templates.") if "libraries" in templates else None
    libraries = tuple((path.parent / folder).resolve() for folder in (folders or ()))
    variant = _text(templates, "variant", problems, "templates.")
    if variant is not None and not _VARIANT.match(variant):
        problems.append(say("config.variant", value=repr(variant)))
    thresholds = _thresholds(trend_words, problems)
    checks = _check_thresholds(_table(raw, "checks"), problems)
    render_limits = _render_limits(_table(raw, "render"), problems)
    naming = _text(output, "naming", problems, "output.")
    if naming is not None:
        _check_naming(naming, problems)
    if problems:
        raise ConfigError(problems, file=str(path), hint=say("config.mistakes.hint"))
    return Config(
        source=path,
        organization=organization,
        language=language,
        interface_language=interface_language,
        currency_unit=currency_unit,
        core_indicators=tuple(core) if core is not None else None,
        libraries=libraries,
        variant=variant,
        thresholds=thresholds,
        output_naming=naming,
        checks=checks,
        render_limits=render_limits,
    )


def _language(raw: dict, key: str, problems: list[Phrase]) -> str | None:
    """A language as people write it (zh, 中文, English, en_US …): "zh", "en", or None and a problem."""
    if key not in raw:
        return None
    language = parse_language(raw[key]) if isinstance(raw[key], str) else None
    if language is None:
        problems.append(say("config.must_be", key=key, expects=_expects("", key), value=repr(raw[key])))
    return language


def configured_interface_language(explicit: Path | None = None, folder: Path | None = None) -> str | None:
    """The interface_language of the config file a run uses (as find_config finds it), read alone and quickly.

    The file given (--config), else docgen.toml in `folder` (the working
    folder). None when there is no file or it does not say; a file that cannot
    be read says nothing here: the command that reads all of it reports the mistake.
    """
    path = Path(explicit) if explicit is not None else (Path(folder) if folder is not None else Path.cwd()) / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    value = raw.get("interface_language")
    return parse_language(value) if isinstance(value, str) else None


def _render_limits(table: dict, problems: list[Phrase]) -> dict[str, int]:
    """The [render] table: each limit a whole number above 0."""
    from docgen.word.limits import parse_limit

    limits: dict[str, int] = {}
    for key, value in table.items():
        if key not in _KEYS["render"]:
            continue  # reported by _check_keys
        number = parse_limit(value) if not isinstance(value, str) else None
        if number is None:
            problems.append(say("config.must_be", key=f"render.{key}", expects=_expects("render", key), value=repr(value)))
        else:
            limits[key] = number
    return limits


def _check_thresholds(table: dict, problems: list[Phrase]) -> dict[str, float]:
    """The [checks] table: each value a positive number (intro_limit a whole one)."""
    thresholds: dict[str, float] = {}
    for key, value in table.items():
        if key not in _KEYS["checks"]:
            continue  # reported by _check_keys
        whole = key == "intro_limit"
        valid = isinstance(value, int) if whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not valid or value <= 0:
            problems.append(say("config.must_be", key=f"checks.{key}", expects=_expects("checks", key), value=repr(value)))
            continue
        thresholds[key] = value
    return thresholds


def _error(path: Path, what: Phrase, hint: Phrase | None = None) -> UsageError:
    return UsageError(what, location=Location(file=str(path)), hint=hint)


def _expects(table: str, key: str) -> Phrase:
    """What a key of docgen.toml expects, in words ("a fraction such as 0.05")."""
    return say(f"config.expects.{table}.{key}" if table else f"config.expects.{key}")


def _table(raw: dict, name: str) -> dict:
    value = raw.get(name, {})
    return value if isinstance(value, dict) else {}


def _check_keys(table: dict, name: str, problems: list[Phrase]) -> None:
    known = _KEYS[name]
    prefix = f"{name}." if name else ""
    for key in table:
        if key not in known:
            close = [f"{prefix}{near}" for near in nearest_names(key, known, n=1)]
            if not close:  # a key of another table, nearly as written: `language` under [output]
                elsewhere = {f"{other}.{k}" if other else k: k for other, keys in _KEYS.items() if other != name
                             for k in keys}  # fmt: skip
                close = [path for path, k in elsewhere.items() if k in nearest_names(key, elsewhere.values(), n=1, cutoff=0.8)][:1]
            if close:
                problems.append(say("config.unknown_key.guess", key=f"{prefix}{key}", guess=close[0]))
            else:
                problems.append(say("config.unknown_key", key=f"{prefix}{key}"))


def _text(table: dict, key: str, problems: list[Phrase], prefix: str = "") -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        expects = _expects(prefix.rstrip("."), key)
        problems.append(say("config.must_be_quoted", key=f"{prefix}{key}", expects=expects, value=repr(value)))
        return None
    return value.strip()


def _text_list(table: dict, key: str, problems: list[Phrase], prefix: str = "") -> list[str] | None:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        expects = _expects(prefix.rstrip("."), key)
        problems.append(say("config.must_be_quoted", key=f"{prefix}{key}", expects=expects, value=repr(value)))
        return None
    return [item.strip() for item in value]


def _thresholds(table: dict, problems: list[Phrase]) -> TrendThresholds:
    values = {}
    for key in ("slight", "marked"):
        if key not in table:
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            problems.append(say("config.fraction", key=key, value=repr(value)))
        else:
            values[key] = float(value)
    from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds

    thresholds = TrendThresholds(**{**DEFAULT_THRESHOLDS.__dict__, **values})
    if thresholds.slight >= thresholds.marked:
        problems.append(say("config.slight_below_marked", slight=thresholds.slight, marked=thresholds.marked))
    return thresholds


def _check_naming(pattern: str, problems: list[Phrase]) -> None:
    """The [output] naming pattern, held to --name's rules.

    Any info key may be a field, so only a slip of an English field ({perod}) is refused here.
    """
    from docgen.output.naming import REPORT_FIELDS, misspelt_field, pattern_fields

    try:
        fields = pattern_fields(pattern)
    except ValueError as error:
        problems.append(say("config.naming_invalid", problem=error.args[0]))
        return
    for name in fields:
        slip = misspelt_field(name, REPORT_FIELDS) if name.isascii() else None
        if slip is not None:
            problems.append(say("config.naming_unknown", name=name, slip=slip))
