"""Which language a piece of text is written in: the one detector every guess goes through."""

from __future__ import annotations

import re

# CJK Unified Ideographs and Extension A: a name with any of them is Chinese.
_CHINESE = re.compile("[\u3400-\u9fff]")


def is_chinese(text: object) -> bool:
    return _CHINESE.search(str(text or "")) is not None


def language_of(text: object) -> str:
    """ "zh" when the text holds a Chinese character, else "en"."""
    return "zh" if is_chinese(text) else "en"
