"""Which known names a misspelt one is nearest to, and the “did you mean” that offers them, in either language."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from docgen.text.language import is_chinese
from docgen.text.messages import Phrase, say

# A Chinese character carries a word's meaning, so two names of two or three characters
# that share all but one (金颔/金额, 联糸人/联系人) are alike although their ratio is only 0.5.
_CUTOFF = 0.6
_CUTOFF_CHINESE = 0.5


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def nearest_names(name: str, candidates: Iterable[str], n: int = 3, cutoff: float | None = None) -> list[str]:
    """Up to `n` of `candidates` nearest to `name`, nearest first; compared character by character, case and width aside.

    `cutoff`: how alike (0 to 1) a candidate must be; by default less for a Chinese name than for another.
    """
    known = list(dict.fromkeys(str(c) for c in candidates))
    folded: dict[str, list[str]] = {}
    for candidate in known:
        folded.setdefault(_folded(candidate), []).append(candidate)
    wanted = _folded(name)
    exact = folded.get(wanted, [])
    if cutoff is None:
        cutoff = _CUTOFF_CHINESE if is_chinese(name) else _CUTOFF
    close = difflib.get_close_matches(wanted, [f for f in folded if f != wanted], n=n, cutoff=cutoff)
    found = [*exact, *(original for f in close for original in folded[f])]
    return [candidate for candidate in found if candidate != name][:n]


def did_you_mean(names: list[str]) -> Phrase | str:
    """ " (did you mean “a”?)" for up to three names, in the user's language; "" for none."""
    names = names[:3]
    if not names:
        return ""
    return say(f"names.guess.{len(names)}", **dict(zip("abc", names)))


__all__ = ["did_you_mean", "nearest_names"]
