"""The narrator's settings and the small pieces every sentence is made of."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docgen.report import formatting as fmt
from docgen.report.analysis import (
    Change,
)
from docgen.report.narrative.words import (
    DEFAULT_THRESHOLDS,
    Phrasebook,
    TrendThresholds,
    capitalise,
    clause,
    common,
    trend_word,
)


class NarratorBase:
    """What every sentence needs: the report's language, period, level, currency unit, and small pieces."""

    def __init__(
        self,
        *,
        lang: str,
        period: str,
        level: str,
        currency_unit: str,
        thresholds: TrendThresholds = DEFAULT_THRESHOLDS,
        seed: str = "",
    ) -> None:
        self.lang = lang
        self.period = period
        self.level = level
        self.currency_unit = currency_unit
        self.thresholds = thresholds
        self.say = Phrasebook(lang, seed)  # seed: whose report and which period, to vary the phrasing

    # -- small pieces --------------------------------------------------------

    @property
    def this(self) -> str:
        return self.say(f"period.this.{self.period}")

    @property
    def in_this(self) -> str:
        return self.say(f"period.in_this.{self.period}")

    @property
    def next(self) -> str:
        return self.say(f"period.next.{self.period}")

    def term(self, value: object) -> str:
        """A cell's text set mid-sentence: in English a capitalised common word is lowered ("sales")."""
        text = clause(value)
        return text if fmt.is_zh(self.lang) else common(text)

    def lead_in(self, key: str, name: str, text: str, **values: object) -> str:
        """The phrase `key` around a cell's text, without saying its first words twice.

        "由此带来的影响是" before "影响本月达成率" would read 影响是影响: where the text
        starts with one of the words the phrasebook lists under `key_echo`, the
        phrase's `key_bare` form joins it instead ("，影响本月达成率约6个百分点").
        """
        echoes = [word for word in self.say(f"{key}_echo").split("|") if word]
        bare = any(text.casefold().startswith(word.casefold()) for word in echoes)
        return self.say(f"{key}_bare" if bare else key, **{name: text}, **values)

    def label(self, key: str) -> str:
        return self.say(f"label.{key}")

    def sentences(self, parts: Iterable[str]) -> str:
        return self.say("join.space").join(capitalise(p) for p in parts if p)

    def end(self, text: str) -> str:
        return capitalise(text + self.say("join.end"))

    def join_list(self, items: Sequence[str], limit: int | None = None) -> str:
        """A, B and C / A、B和C; with a limit, the first few and "and others" (等)."""
        items = [i for i in items if i]
        if limit is not None and len(items) > limit:
            return self.say("join.more", items=self.say("join.list").join(items[:limit]))
        if len(items) <= 1:
            return "".join(items)
        return self.say("join.list").join(items[:-1]) + self.say("join.last") + items[-1]

    def labelled(self, pairs: Iterable[tuple[str, object]]) -> list[str]:
        """Labelled pieces, "结果：……", for the cells that have text."""
        return [
            # An owner is a name and keeps its capital; the rest are the workbook's words.
            self.say(f"label.field.{key}") + self.say("join.label") + (clause(value) if key == "owner" else self.term(value))
            for key, value in pairs
            if clause(value)
        ]

    def count(self, number: int) -> str:
        return fmt.count_word(number, self.lang)

    def money(self, value: object) -> str:
        return fmt.money(value, self.currency_unit, self.lang)

    def share(self, share: object) -> str:
        """A share with its tenths in Chinese: 逾两成（23.5%）; a plain percentage in English."""
        percent = fmt.percent(share, self.lang)
        tenths = fmt.tenths(share) if fmt.is_zh(self.lang) else None
        if tenths:
            return self.say("share.with_tenths", tenths=tenths, percent=percent)
        return self.say("share.percent_only", percent=percent)

    def change_phrase(self, change: Change, *, plain: bool = False) -> str | None:
        """A change in words and figures: 小幅增长6.7% / rose slightly (+6.7%); None when unknown.

        `plain` says only the direction (下降0.9个百分点): for an indicator where less
        is better, 明显下滑 would call an improvement a slump.
        """
        if change.shown is None:
            return None
        size, signed = fmt.magnitude(change, self.lang), fmt.change(change, self.lang)
        word = None if plain else trend_word(change.relative, self.thresholds)
        if word is not None:
            return self.say(f"trend.phrase.{word}", size=size, signed=signed)
        return self.say(f"trend.plain.{change.direction}", size=size, signed=signed)

    # -- title, introduction, conclusion ---------------------------------------
