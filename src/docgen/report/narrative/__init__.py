"""The sentences of a sales summary, in Chinese or English, from the phrasebook and the figures (docs/narrative.md)."""

from docgen.report.narrative.narrator import Narrator
from docgen.report.narrative.words import (
    DEFAULT_THRESHOLDS,
    Phrasebook,
    TrendThresholds,
    capitalise,
    clause,
    load_phrases,
    split_source,
    trend_word,
)

__all__ = ["DEFAULT_THRESHOLDS", "Narrator", "Phrasebook", "TrendThresholds", "capitalise", "clause",
           "load_phrases", "split_source", "trend_word"]
