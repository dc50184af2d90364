"""Which language text is in, and which language the user is spoken to in: the one place for both."""

from __future__ import annotations

import locale
import os
import re
import sys
import unicodedata

LANGUAGES = ("zh", "en")

# CJK Unified Ideographs and Extension A: a name with any of them is Chinese.
_CHINESE = re.compile("[\u3400-\u9fff]")

# How people write a language's name; compared case- and width-insensitively.
LANGUAGE_NAMES = {
    "zh": ("zh", "中文", "chinese", "zh-cn", "zh_cn", "简体中文", "汉语", "cn", "zh-hans"),
    "en": ("en", "english", "英文", "英语", "en-us", "en_us", "en-gb", "en_gb"),
}
_NAMES = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}

# The variable that sets the interface language (the CLI's `docgen --lang` and docgen.toml set it too).
INTERFACE_VARIABLE = "DOCGEN_LANG"


def is_chinese(text: object) -> bool:
    return _CHINESE.search(str(text or "")) is not None


def language_of(text: object) -> str:
    """ "zh" when the text holds a Chinese character, else "en"."""
    return "zh" if is_chinese(text) else "en"


def parse_language(text: object) -> str | None:
    """ "zh" or "en" for a language's name as people write it (中文, English, zh_CN.UTF-8 …); None if unknown."""
    folded = unicodedata.normalize("NFKC", str(text or "")).strip().casefold()
    if not folded:
        return None
    found = _NAMES.get(folded)
    if found:
        return found
    code = re.split(r"[._@:]", folded.replace("-", "_"))[0]  # zh_CN.UTF-8 → zh
    return code if code in LANGUAGES else None


def os_language(environ: dict[str, str] | None = None) -> str | None:
    """The operating system's language as Python reads it: "zh", "en", or None when it names none.

    POSIX systems say it in LC_ALL, LC_MESSAGES or LANG (the first that is set)
    and LANGUAGE; "C" and "POSIX" name no language. Windows sets none of these:
    its user interface language is asked of the system. Any language other
    than Chinese is spoken to in English.
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].casefold()
            if code in ("c", "posix"):
                return None
            return "zh" if code.startswith("zh") else "en"
    if environ.get("LANGUAGE"):
        return "zh" if environ["LANGUAGE"].casefold().startswith("zh") else "en"
    if sys.platform == "win32":  # pragma: no cover - only on Windows
        return _windows_language()
    try:
        code = locale.getlocale()[0]
    except ValueError:
        code = None
    if not code or code.casefold() in ("c", "posix"):
        return None
    return "zh" if code.casefold().startswith("zh") else "en"


def _windows_language() -> str | None:  # pragma: no cover - only on Windows
    import ctypes

    language_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()
    return "zh" if language_id & 0x3FF == 0x04 else "en"  # LANG_CHINESE is primary language 0x04


def interface_language(workbook_language: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The language to speak to the user in (docs/language.md gives the order).

    1. DOCGEN_LANG (set by `docgen --lang`, or by docgen.toml's `interface_language`);
    2. the operating system's language;
    3. the language of the workbook in hand (its info sheet's, or its text's);
    4. English.
    """
    environ = os.environ if environ is None else environ
    explicit = parse_language(environ.get(INTERFACE_VARIABLE))
    if explicit:
        return explicit
    found = os_language(environ)
    if found:
        return found
    if workbook_language in LANGUAGES:
        return workbook_language
    return "en"
