"""The page's words from the catalogue (text/phrases/web.*.toml), and which language a request is answered in."""

from __future__ import annotations

from docgen.text.catalogue import LANGUAGES, book

DEFAULT_LANGUAGE = "zh"  # the office the page is for reads Chinese; English is one click away
LANGUAGE_COOKIE = "docgen_lang"


def words(lang: str) -> dict:
    """Every table of the web area in `lang`: templates read them as words.report.heading."""
    return book("web", lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def say(lang: str, key: str, **params: object) -> str:
    """One text of the web area ("batch.summary"), its {fields} filled."""
    found: object = words(lang)
    for part in key.split("."):
        found = found[part]  # type: ignore[index]
    return str(found).format(**params) if params else str(found)


def request_language(query_lang: str | None, cookie_lang: str | None) -> str:
    """?lang= first (the switch), then the cookie it left, then Chinese."""
    for lang in (query_lang, cookie_lang):
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE
