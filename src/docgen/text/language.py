"""Which language text is in, and which language the user is spoken to in: the one place for both."""

from __future__ import annotations

import contextlib
import locale
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

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
    3. the language of the workbook in hand (its info sheet's, or its text's): `workbook_language`,
       else that of the workbooks a run has in hand (`workbooks_in_hand`);
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
    if _IN_HAND:
        return _IN_HAND[-1]
    return "en"


# The language of the workbooks a run over many has in hand (a batch's, a merge's data sheet), innermost last.
_IN_HAND: list[str] = []


@contextlib.contextmanager
def workbooks_in_hand(lang: str | None) -> Iterator[None]:
    """While a run works on workbooks in `lang`, that language is the one in hand (step 3 above) for every line
    said without a workbook of its own: progress, notes, the manifest's headers. None: no language is known."""
    if lang not in LANGUAGES:
        yield
        return
    _IN_HAND.append(lang)
    try:
        yield
    finally:
        _IN_HAND.pop()


def language_in_hand(languages: Iterable[str | None]) -> str | None:
    """The language of many workbooks: the one most of them are in; None when none is known or they are evenly split."""
    counts = Counter(lang for lang in languages if lang in LANGUAGES).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]
