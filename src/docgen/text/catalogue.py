"""The catalogue: every word docgen says, in phrase files by area and language, and the one lookup."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

LANGUAGES = ("zh", "en")

# The areas of the catalogue, one pair of files each in text/phrases/ (AREA.zh.toml, AREA.en.toml):
# messages: errors, warnings and command-line lines; report: the report's phrasebook;
# checks: docgen check's findings; blank: the blank workbook's words; click: Click's own words;
# cli: the commands' help and the lines they print; web: the page docgen serve shows.
AREAS = ("messages", "report", "checks", "blank", "click", "cli", "web")


@functools.cache
def book(area: str, lang: str) -> dict:
    """The phrase file of an area in a language, as its tables."""
    if area not in AREAS or lang not in LANGUAGES:
        raise KeyError(f"no phrase file {area}.{lang}")
    raw = resources.files("docgen.text").joinpath("phrases", f"{area}.{lang}.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def lookup(area: str, key: str, lang: str) -> str:
    """One text of the catalogue: `key` is dotted through the area's tables ("message.DG101")."""
    found: object = book(area, lang)
    if key in found:  # a flat key that holds dots itself ("file.not_found")
        return found[key]
    for part in key.split("."):
        found = found[part]
    return found
