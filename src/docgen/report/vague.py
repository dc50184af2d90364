"""Vague trend words (有所提升, slightly lower): a change said without its size, which the checks point out."""

from __future__ import annotations

import re

_UP_ZH = "提升|提高|增长|上升|增加|改善|好转|上涨"
_DOWN_ZH = "下降|回落|减少|下滑|降低|下跌|萎缩"
_UP_EN = "improved|improving|better|higher|increased|grew|rose|up|stronger"
_DOWN_EN = "worse|lower|decreased|declined|fell|down|dropped|weaker"
_HEDGE_EN = "somewhat|slightly|a little|a bit|marginally"
_AFTER_EN = "somewhat|slightly|a little|a bit|marginally|to some extent"

VAGUE_WORDS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"(?:有所|略有|稍有|有一定(?:的)?)(?:{_UP_ZH})|稳中有升"), "up"),
    (re.compile(rf"(?:有所|略有|稍有|有一定(?:的)?)(?:{_DOWN_ZH})|稳中有降"), "down"),
    (re.compile(r"一定程度上|有一定幅度"), "neutral"),
    (re.compile(rf"\b(?:{_HEDGE_EN}) (?:{_UP_EN})\b|\b(?:{_UP_EN}) (?:{_AFTER_EN})\b", re.IGNORECASE), "up"),
    (re.compile(rf"\b(?:{_HEDGE_EN}) (?:{_DOWN_EN})\b|\b(?:{_DOWN_EN}) (?:{_AFTER_EN})\b", re.IGNORECASE), "down"),
    (re.compile(r"\bto (?:some|a certain) (?:extent|degree)\b", re.IGNORECASE), "neutral"),
)


_SIZED = re.compile(r"^\W{0,3}[+\-−]?\d")


def vague_words(text: str | None) -> list[tuple[str, str]]:
    """The vague trend words in a text, in order, each with its direction (up, down or neutral).

    A word followed by its figure ("略有下降2.1%", "rose slightly (+2.1%)") says how large
    the change is, so it is not vague.
    """
    text = text or ""
    found = []
    for pattern, direction in VAGUE_WORDS:
        found += [
            (match.start(), match.group(0), direction)
            for match in pattern.finditer(text)
            if not _SIZED.match(text[match.end() :])
        ]
    return [(word, direction) for _start, word, direction in sorted(found)]
