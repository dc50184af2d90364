"""The phrasebook, the trend-word thresholds, and small helpers for setting a cell's text in a sentence."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from docgen.report import formatting as fmt
from docgen.report.analysis import (
    finite,
)
from docgen.text import catalogue


@dataclass(frozen=True)
class TrendThresholds:
    """Where the trend words change, as fractions of the base: see docs/narrative.md."""

    slight: float = 0.02  # from here on a change is 小幅 (slight); below it, 基本持平 (steady)
    marked: float = 0.10  # from here on a change is 显著/明显 (marked)


DEFAULT_THRESHOLDS = TrendThresholds()


def trend_word(relative: object, thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> str | None:
    """The trend word's key for a relative change, judged on the change as printed (one decimal)."""
    figure = finite(relative)
    scaled = finite(figure * 100) if figure is not None else None
    if scaled is None:
        return None
    shown = round(scaled, 1)
    # round() so that 0.1 * 100 is 10.0 and not 10.000000000000002.
    marked, slight = round(thresholds.marked * 100, 6), round(thresholds.slight * 100, 6)
    if shown >= marked:
        return "up_marked"
    if shown >= slight:
        return "up_slight"
    if shown > -slight:
        return "steady"
    if shown > -marked:
        return "down_slight"
    return "down_marked"


# -- the phrasebook ----------------------------------------------------------


@functools.cache
def load_phrases(lang: str) -> dict[str, str]:
    """The phrasebook of a language, flattened to dotted keys."""
    return _flatten(catalogue.book("report", lang))


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# Between the phrasings of one phrase: "本报告总结…… || 本报告回顾……".
VARIANTS = " || "


class Phrasebook:
    """The phrases of a language; `seed` (whose report, which period) picks among a phrase's phrasings.

    A phrase may give several phrasings, so that a run of reports does not read
    the same; each report always gets the same one (a hash of the seed and the
    key), and without a seed the first.
    """

    def __init__(self, lang: str, seed: str = "") -> None:
        self.lang = lang
        self.seed = seed
        self.phrases = load_phrases(lang)
        self._chosen: dict[str, str] = {}  # a report asks for the same phrases many times

    def __call__(self, key: str, **values: object) -> str:
        return self.phrasing(key).format(**values)

    def phrasing(self, key: str) -> str:
        chosen = self._chosen.get(key)
        if chosen is None:
            chosen = self._chosen[key] = self._choose(key)
        return chosen

    def _choose(self, key: str) -> str:
        options = self.phrases[key].split(VARIANTS)
        if len(options) == 1 or not self.seed:
            return options[0]
        digest = hashlib.sha256(f"{self.seed}\0{key}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]

    def counted(self, key: str, number: int, **values: object) -> str:
        """The phrase for `number` things: the phrasebook's singular form when there is one thing."""
        singular = "plural." + key.replace(".", "_")
        if number == 1 and singular in self.phrases:
            key = singular
        return self(key, **values)


# -- helpers -----------------------------------------------------------------

_TRAILING = "。．.；;，,、！!？?：: \t\n"


def clause(value: object) -> str:
    """A cell's text to set inside a sentence: trimmed, without its own closing punctuation."""
    return fmt.text(value).rstrip(_TRAILING).strip()


def capitalise(sentence: str) -> str:
    """English sentences start with a capital; Chinese ones are left alone."""
    return sentence[:1].upper() + sentence[1:] if sentence[:1].islower() else sentence


# A capitalised first word followed by a word that is not: "Sales", "New customers", "Close the leads".
_COMMON_START = re.compile(r"^(?:A(?=\s)|[A-Z][a-z]+(?=$|[\s,;:.!?)(-]))(?!\s+[A-Z])")


def common(text: str) -> str:
    """A cell's English text set mid-sentence: "Sales" → "sales", "Close the leads" → "close the leads".

    Only a first word written as a capitalised common word is lowered, and only when the
    next word is not capitalised too: "Harbor Foods", "CRM leads" and "A-tier" stay as written.
    """
    if _COMMON_START.match(text):
        return text[:1].lower() + text[1:]
    return text


NAMED_SOURCE = re.compile(r"(消息|报告|报道|数据|公告|通报|统计|调研|反馈|通知|系统|平台)$")

# A source named in a note: "……（据财务系统）", "(according to finance)", "据财务系统，……", "Per finance, …".
_SOURCE_AFTER = re.compile(
    r"\s*[（(]\s*(?:据|来源[:：]?|数据来源[:：]?|according to\s|source[:：]|per\s)\s*([^（）()]+?)\s*[）)]$", re.IGNORECASE
)
_SOURCE_BEFORE = re.compile(r"^(?:据([^，,：:]{1,20})|(?:according to|per)\s+([^,:]{1,40}))\s*[，,：:]\s*", re.IGNORECASE)


def split_source(note: str) -> tuple[str, str | None]:
    """A note and the source it names, if any: ("两笔回款延至11月上旬到账", "财务系统")."""
    after = _SOURCE_AFTER.search(note)
    if after and after.start() > 0:
        return clause(note[: after.start()]), after.group(1).strip()
    before = _SOURCE_BEFORE.match(note)
    if before and before.end() < len(note):
        return clause(note[before.end() :]), (before.group(1) or before.group(2)).strip()
    return note, None
