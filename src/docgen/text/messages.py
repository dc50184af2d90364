"""A message as a Phrase: its English text as a str, its Chinese on request; and the language a user is told in."""

from __future__ import annotations

import os

from docgen.text.catalogue import lookup


class Phrase(str):
    """A message in English (its str value) that can also say itself in Chinese."""

    key: str
    params: dict

    def __new__(cls, key: str, /, **params: object) -> Phrase:
        english = lookup("messages", key, "en").format(**params)
        phrase = super().__new__(cls, english)
        phrase.key = key
        phrase.params = params
        return phrase

    def in_language(self, lang: str) -> str:
        if lang != "zh":
            return str.__str__(self)
        localised = {name: localise(value, lang) for name, value in self.params.items()}
        return lookup("messages", self.key, "zh").format(**localised)

    def __reduce__(self):
        # Errors travel from batch workers as data; a Phrase goes as its key and parameters.
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict) -> Phrase:
    return Phrase(key, **params)


def say(key: str, /, **params: object) -> Phrase:
    """The catalogue's message `key`, filled with `params`; str() of it is the English text."""
    return Phrase(key, **params)


def localise(text: object, lang: str) -> object:
    """A Phrase in `lang`; anything else as it is (a number keeps its type so that format specs still apply)."""
    return text.in_language(lang) if isinstance(text, Phrase) else text


def locale_language(environ: dict[str, str] | None = None) -> str:
    """ "zh" when the locale is Chinese (LC_ALL, else LC_MESSAGES, else LANG starts with zh), else "en"."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def message_language(report_language: str | None = None) -> str:
    """The language to tell a user in: the report's when known, else the locale's."""
    if report_language in ("zh", "en"):
        return report_language
    return locale_language()


__all__ = ["Phrase", "locale_language", "localise", "message_language", "say"]
