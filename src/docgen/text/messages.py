"""A message as a Phrase: its English text as a str, its Chinese on request; and the language a user is told in."""

from __future__ import annotations

from docgen.text.catalogue import lookup
from docgen.text.language import interface_language


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


class Listed(str):
    """Several values (Phrases or names) said as one list: "a, b" in English (its str value), "a、b" in Chinese."""

    separators = {"en": ", ", "zh": "、"}
    items: tuple

    def __new__(cls, items) -> Listed:
        items = tuple(items)
        listed = super().__new__(cls, cls.separators["en"].join(str(item) for item in items))
        listed.items = items
        return listed

    def in_language(self, lang: str) -> str:
        if lang != "zh":
            return str.__str__(self)
        return self.separators["zh"].join(str(localise(item, lang)) for item in self.items)

    def __reduce__(self):
        return (type(self), (self.items,))


class Clauses(Listed):
    """Several whole statements in one message: "a; b" in English, "a；b" in Chinese."""

    separators = {"en": "; ", "zh": "；"}


def localise(text: object, lang: str) -> object:
    """A Phrase in `lang`; anything else as it is (a number keeps its type so that format specs still apply)."""
    return text.in_language(lang) if isinstance(text, (Phrase, Listed)) else text


def message_language(workbook_language: str | None = None) -> str:
    """The language to tell a user in: the interface language (docgen.text.language.interface_language).

    DOCGEN_LANG (set by `docgen --lang` and docgen.toml's interface_language),
    else the operating system's language, else `workbook_language` (the
    language of the workbook in hand, when known), else English.
    """
    return interface_language(workbook_language=workbook_language)


__all__ = ["Clauses", "Listed", "Phrase", "localise", "message_language", "say"]
