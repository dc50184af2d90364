"""Sentences about the figures: title, introduction, conclusion, targets, trend and pipeline."""

from __future__ import annotations

from collections.abc import Sequence

from docgen.input.model import Action, Problem
from docgen.report import formatting as fmt
from docgen.report.analysis import (
    DOWN,
    FLAT,
    MET,
    MISSED,
    NOT_APPLICABLE,
    UP,
    Change,
    PipelineFigures,
    TargetFigures,
    finite,
)
from docgen.report.narrative.base import NarratorBase
from docgen.report.trend import TrendFigures
from docgen.report.narrative.words import capitalise, clause, split_source


class FigureSentences(NarratorBase):
    """The sentences of the results: what was reached, how it moved, where it came from."""

    def _who(self, who: str, period_label: str) -> str:
        """Whose report, set before the period label: "East Team 1 2026年", not "East Team 12026年"."""
        if fmt.is_zh(self.lang) and who[-1:].isascii() and who[-1:].isalnum() and period_label[:1].isdigit():
            return who + " "
        return who

    def title(self, who: str, period_label: str) -> str:
        level_word = self.say("title.individual_word") if self.level == "individual" else ""
        who = self._who(who, period_label)
        key = "title.with_who" if who else "title.without_who"
        return self.say(key, who=who, period_label=period_label, level_word=level_word)

    def headline(self, figure: TargetFigures) -> str:
        """销售额目标达成率96.0%: the one-line result an introduction and a conclusion lead with."""
        t = figure.target
        if figure.achievement is not None:
            return self.say(
                "target.headline", indicator=self.term(t.indicator), achievement=fmt.percent(figure.achievement, self.lang)
            )
        return self.say(
            "target.headline_no_rate", indicator=self.term(t.indicator), actual=fmt.quantity(t.actual, t.unit, self.lang)
        )

    def introduction(
        self,
        *,
        who: str,
        period_label: str,
        figures: Sequence[TargetFigures],
        headline: TargetFigures | None,
        sections: Sequence[str],
        limit: int = 300,
    ) -> str:
        """The introduction written from the data, shortened until it fits in `limit` characters."""
        opening = self.say(
            "intro.opening_with_who" if who else "intro.opening", who=self._who(who, period_label), period_label=period_label
        )
        candidates = []
        if figures and headline is not None:
            judged = [f for f in figures if f.status != NOT_APPLICABLE]
            met = sum(f.status == MET for f in judged)
            met_part = ""
            if len(judged) == 1:
                met_part = self.say("intro.met_one" if met else "intro.missed_one")
            elif judged and met == len(judged):
                met_part = self.say("intro.met_all")
            elif judged and met == 0:
                met_part = self.say("intro.met_none")
            elif judged:
                met_part = self.say("intro.met_some", met=self.count(met))
            names = [self.term(f.target.indicator) for f in figures]
            # Too long? Name fewer indicators first.
            for shown in (None, 4, 1):
                indicators = self.join_list(names, limit=shown)
                targets = self.say.counted(
                    "intro.targets",
                    len(figures),
                    this=self.this,
                    indicators=indicators,
                    count=self.count(len(figures)),
                    met_part=met_part,
                    headline=self.headline(headline),
                )
                candidates.append(self.sentences([opening, targets]))
        elif sections:
            names = [self.say(f"section.name.{key}") for key in sections]
            candidates.append(
                self.sentences([opening, self.say("intro.sections", sections=self.join_list(names, limit=4))])
            )
        candidates.append(capitalise(opening))
        for text in candidates:
            if len(text) <= limit:
                return text
        return opening[: limit - 1] + "…"

    def conclusion(
        self,
        *,
        figures: Sequence[TargetFigures],
        headline: TargetFigures | None,
        problems: Sequence[Problem],
        actions: Sequence[Action],
    ) -> str:
        """Headline result, the main problem (the first listed) and the next period's focus."""
        parts = []
        if headline is not None:
            judged = [f for f in figures if f.status != NOT_APPLICABLE]
            met = sum(f.status == MET for f in judged)
            met_part = ""
            if len(judged) >= 2:
                key = "met_all" if met == len(judged) else "met_none" if met == 0 else "met_some"
                met_part = self.say(f"conclusion.{key}", count=self.count(len(judged)), met=self.count(met))
            parts.append(
                self.say(
                    "conclusion.opening", in_this=self.in_this, headline=self.headline(headline), met_part=met_part
                )
            )
        else:
            parts.append(self.say("conclusion.opening_plain", in_this=self.in_this))
        if problems:
            main = problems[0]
            cause = self.term(main.cause)
            # Worded apart from the problem's own sentence, which says the cause too.
            cause_part = self.lead_in("conclusion.cause_part", "cause", cause) if cause else ""
            parts.append(self.say("conclusion.problem", symptom=self.term(main.symptom), cause_part=cause_part))
        focus = [self.term(a.action) for a in actions if self.term(a.action)]
        if focus:
            parts.append(self.say("conclusion.focus", next=self.next, actions=self.join_list(focus, limit=3)))
        return self.sentences(parts)

    # -- targets ---------------------------------------------------------------

    def target_sentence(self, figure: TargetFigures, *, lead: bool = False, main: str | None = None) -> str:
        """One indicator in a sentence: actual, target, achievement, gap, 环比 and 同比, and its note.

        `main` replaces the sentence's first part (actual, target, achievement, gap).
        """
        t, lang = figure.target, self.lang
        values = dict(
            indicator=self.term(t.indicator),
            actual=fmt.quantity(t.actual, t.unit, lang),
            target=fmt.quantity(t.target, t.unit, lang),
        )
        if finite(t.actual) is None:
            return self.end(self.say("target.no_actual", **values))
        if main is None and figure.status == NOT_APPLICABLE:
            # A usable target beside an actual no rate can be worked from (a negative one): not "no usable target".
            usable = (finite(t.target) or 0) > 0 or (figure.lower_is_better and finite(t.target) == 0)
            main = self.say("target.actual_not_comparable" if usable else "target.actual_no_target", **values)
        elif main is None:
            key = "actual_reverse" if figure.lower_is_better else "actual_rate" if figure.is_rate else "actual"
            clauses = [self.say(f"target.{key}", **values)]
            if figure.achievement is not None:
                clauses.append(self.say("target.achievement", achievement=fmt.percent(figure.achievement, lang)))
            clauses.append(self._status_clause(figure))
            main = self.say("join.clause").join(clauses)
        items = []
        for name, change in self.comparisons(figure):
            phrase = self.change_phrase(change, plain=figure.lower_is_better)
            if phrase:
                items.append(self.say("target.change", name=self.say(f"period.{name}.{self.period}"), phrase=phrase))
        changes = self.say("target.changes", items=self.say("target.change_join").join(items)) if items else ""
        lead_text = self.say("target.lead", this=self.this) if lead else ""
        parts = [self.say("target.sentence", lead=lead_text, main=main, changes=changes)]
        note, source = split_source(clause(t.note))
        note = self.term(note)  # a source is a name (Finance, Industry association) and keeps its capital
        if note:
            key = "target.note_missed" if figure.status == MISSED else "target.note_other"
            # A note naming its source keeps it, said the way the language says it (据财务系统，……).
            if key == "target.note_missed":
                parts.append(self.lead_in(key + "_sourced" if source else key, "note", note, source=source))
            else:
                parts.append(self.say(key + "_sourced" if source else key, note=note, source=source))
        return self.sentences(parts)

    def target_point(self, figure: TargetFigures) -> str:
        """An indicator below the table that shows its figures: how far from target, how it moved, and why.

        Actual, target and achievement rate stand in the table; the point says
        what the table leaves to the reader: the gap in words, the change with
        its trend word, and the note.
        """
        if finite(figure.target.actual) is None or figure.status == NOT_APPLICABLE:
            return self.target_sentence(figure)
        main = self.say("target.point", indicator=self.term(figure.target.indicator), status=self._status_clause(figure))
        return self.target_sentence(figure, main=main)

    def comparisons(self, figure: TargetFigures) -> list[tuple[str, Change]]:
        """The changes a sentence states: 环比 and 同比; a year only on the year before, once.

        A year's previous period is the year before, so its 环比 is its 同比:
        said once, from the same-period figure, else from the previous one.
        """
        if self.period == "annual":
            return [("yoy", figure.yoy if figure.yoy.shown is not None else figure.mom)]
        return [("mom", figure.mom), ("yoy", figure.yoy)]

    def _status_clause(self, figure: TargetFigures) -> str:
        t = figure.target
        gap = fmt.difference(abs(figure.gap), t.unit, self.lang, signed=False) if figure.gap is not None else ""
        key = ("met" if figure.status == MET else "missed") + ("_reverse" if figure.lower_is_better else "")
        shown = any(ch.isdigit() for ch in gap)  # not when there is no gap, or it cannot be shown
        if shown and any(digit in gap for digit in "123456789"):
            return self.say(f"target.{key}", gap=gap)
        if figure.status == MET and (not shown or abs(figure.gap) <= 1e-9 * max(1.0, abs(t.target or 0))):
            return self.say("target.met_exactly")
        if not shown:
            return self.say(f"target.{key}", gap=gap)
        # 0.0万元 printed for 0.38 against 0.35万元: less than the last digit shown, never "exactly".
        last = max(i for i, ch in enumerate(gap) if ch.isdigit())
        return self.say(f"target.{key}_within", step=gap[:last] + "1" + gap[last + 1 :])

    def targets_summary(self, figures: Sequence[TargetFigures], headline: TargetFigures | None) -> str:
        if headline is None:
            return ""
        parts = [self.target_sentence(headline, lead=True)]
        judged = [f for f in figures if f.status != NOT_APPLICABLE]
        if len(judged) >= 2:
            met = [f for f in judged if f.status == MET]
            count = self.count(len(judged))
            if len(met) == len(judged):
                parts.append(self.say("target.count_all_met", count=count))
            elif not met:
                parts.append(self.say("target.count_none_met", count=count))
            else:
                missed = [self.term(f.target.indicator) for f in judged if f.status == MISSED]
                parts.append(
                    self.say(
                        "target.count_some_met", count=count, met=self.count(len(met)), missed=self.join_list(missed)
                    )
                )
        parts.append(self._achievement_range(judged))
        return self.sentences(parts)

    def _achievement_range(self, judged: Sequence[TargetFigures]) -> str:
        """Where the table's achievement rates run from and to: what matters in it, said once."""
        rated = [f for f in judged if f.achievement is not None]
        if len(rated) < 3:
            return ""
        shown = {id(f): fmt.percent(f.achievement, self.lang) for f in rated}
        best_rate = shown[id(max(rated, key=lambda f: f.achievement))]
        worst_rate = shown[id(min(rated, key=lambda f: f.achievement))]
        if best_rate == worst_rate:
            return ""
        # Indicators tied as printed are named together: none of them is the highest alone.
        best = [self.term(f.target.indicator) for f in rated if shown[id(f)] == best_rate]
        worst = [self.term(f.target.indicator) for f in rated if shown[id(f)] == worst_rate]
        return self.say(
            "target.range",
            best=self.join_list(best, limit=3),
            best_rate=best_rate,
            worst=self.join_list(worst, limit=3),
            worst_rate=worst_rate,
        )

    def market_share_sentence(self, figure: TargetFigures) -> str:
        """The market share in a sentence: the share, against its target, and on the same period last year."""
        t = figure.target
        target_part = ""
        if figure.status in (MET, MISSED):
            key = "market_share.target_part_met" if figure.status == MET else "market_share.target_part_missed"
            target_part = self.say(key, target=fmt.quantity(t.target, t.unit, self.lang))
        phrase = self.change_phrase(figure.yoy)
        change_part = self.say("market_share.change_part", phrase=phrase) if phrase else ""
        parts = [
            self.say(
                "market_share.sentence",
                this=self.this,
                indicator=self.term(t.indicator),
                actual=fmt.quantity(t.actual, t.unit, self.lang),
                target_part=target_part,
                change_part=change_part,
            )
        ]
        # Where the figure comes from (an industry body's statistics, say) is named (SPEC rule 8).
        note, source = split_source(clause(t.note))
        note = self.term(note)  # a source is a name (Finance, Industry association) and keeps its capital
        if note:
            parts.append(self.say("target.note_other_sourced" if source else "target.note_other", note=note, source=source))
        return self.sentences(parts)

    # -- trend -----------------------------------------------------------------

    def trend_sentence(self, figures: TrendFigures) -> str:
        """The latest movement of a series in words: 连续三个月下滑，降幅收窄至5.0%."""
        return capitalise(self._trend_text(figures))

    def _trend_text(self, figures: TrendFigures) -> str:
        last = figures.last
        unknown = self.say("trend.step.unknown")
        if last is None or last.direction is None:
            return unknown
        size = fmt.magnitude(last.change, self.lang)
        known_size = last.change.shown is not None
        if figures.run_length >= 2:
            span = self.say(f"trend.span.{figures.unit}", count=self.count(figures.run_length))
            direction = figures.run_direction
            if direction == FLAT:
                key = "flat"
            elif not known_size:
                key = f"{direction}_plain"
            elif figures.pace:
                key = f"{direction}_{figures.pace}"
            else:
                key = direction
            return self.say(f"trend.run.{key}", span=span, size=size, label=last.label)
        values = dict(label=last.label, previous_label=last.previous_label)
        if last.direction == FLAT:
            return self.say("trend.step.flat", **values)
        phrase = self.change_phrase(last.change)
        if phrase is None:
            return unknown
        before = figures.steps[-2].direction if len(figures.steps) >= 2 else None
        if last.direction == UP and before == DOWN:
            key = "turn_up"
        elif last.direction == DOWN and before == UP:
            key = "turn_down"
        else:
            key = "single"
        return self.say(f"trend.step.{key}", phrase=phrase, **values)

    def trend_point(self, figures: TrendFigures) -> str:
        return self.end(
            self.say("trend.row", indicator=self.term(figures.series.indicator), sentence=self._trend_text(figures))
        )

    def trend_summary(self, figures: TrendFigures | None, unit: str | None = None) -> str:
        """The lead series' movement, and over three or more sub-periods its change from first to last.

        A year is compared with the year before once, in the targets; across its
        months the summary names the highest and the lowest month instead.
        """
        if figures is None:
            return ""
        text = self.say("trend.row", indicator=self.term(figures.series.indicator), sentence=self._trend_text(figures))
        values = [(label, v) for label, v in zip(figures.series.labels, figures.series.values) if finite(v) is not None]
        if self.period == "annual":
            high, low = max(values, key=lambda pair: pair[1], default=None), min(values, key=lambda pair: pair[1], default=None)
            if len(values) >= 3 and high[1] != low[1]:
                text += self.say("join.part") + self.say(
                    "trend.extremes",
                    high_label=high[0],
                    high=fmt.quantity(high[1], unit, self.lang),
                    low_label=low[0],
                    low=fmt.quantity(low[1], unit, self.lang),
                )
            return self.end(text)
        phrase = self.change_phrase(figures.overall)
        if len(values) >= 3 and phrase:
            overall = self.say("trend.overall", phrase=phrase, first_label=values[0][0], last_label=values[-1][0])
            text += self.say("join.part") + overall
        return self.end(text)

    # -- pipeline --------------------------------------------------------------

    def channel_name(self, name: str) -> str:
        name = self.term(name)
        return name if name.endswith("渠道") else self.say("pipeline.channel_name", channel=name)

    def pipeline_summary(self, figures: PipelineFigures) -> str:
        if not figures.channels:
            return ""
        lang = self.lang
        amount_part = (
            self.say("pipeline.amount_part", amount=self.money(figures.amount)) if figures.amount is not None else ""
        )
        parts = [
            self.say(
                "pipeline.total",
                this=self.this,
                leads=fmt.number(figures.leads, lang),
                deals=fmt.number(figures.deals, lang),
                conversion=fmt.percent(figures.conversion, lang),
                amount_part=amount_part,
            )
        ]
        best, weakest = figures.best, figures.weakest
        if best is not None and weakest is not None:
            # "Far" ahead: at least twice the weakest rate, or ten percentage points above it.
            far = best.conversion >= 2 * weakest.conversion or best.conversion - weakest.conversion >= 0.10
            parts.append(
                self.say(
                    "pipeline.best",
                    best=self.channel_name(best.channel.channel),
                    best_rate=fmt.percent(best.conversion, lang),
                    compare=self.say("pipeline.far_ahead" if far else "pipeline.ahead"),
                    weakest=self.channel_name(weakest.channel.channel),
                    weakest_rate=fmt.percent(weakest.conversion, lang),
                )
            )
        parts.append(self._largest_channel(figures))
        return self.sentences(parts)

    def _largest_channel(self, figures: PipelineFigures) -> str:
        """The channel that brought the most business and its share, with three or more channels."""
        amounts = [(finite(f.channel.amount), f) for f in figures.channels]
        if len(amounts) < 3 or any(a is None for a, _ in amounts) or not figures.amount:
            return ""
        amount, largest = max(amounts, key=lambda pair: pair[0])
        if sum(a == amount for a, _ in amounts) > 1:
            return ""
        return self.say(
            "pipeline.largest",
            channel=self.channel_name(largest.channel.channel),
            amount=self.money(amount),
            share=self.share(amount / figures.amount),
        )

    def pipeline_points(self, figures: PipelineFigures) -> list[str]:
        """What the channel table leaves out: each channel's note ("转介绍奖励政策9月上线")."""
        points = []
        for f in figures.channels:
            note = self.term(f.channel.note)
            if note:
                points.append(self.end(self.say("pipeline.note_point", channel=self.channel_name(f.channel.channel), note=note)))
        return points

    # -- accounts --------------------------------------------------------------
