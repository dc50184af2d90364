"""The sentences of a sales summary, in Chinese or English, from the phrasebook and the figures.

The wording lives in text/phrases/report.zh.toml and report.en.toml; this module only
chooses which phrase to use and fills it in. docs/narrative.md explains the
choices (trend-word thresholds, shares in tenths, what leads a summary).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


from docgen.text import catalogue
from docgen.report import formatting as fmt
from docgen.report.analysis import (
    BALANCED,
    CONCENTRATED,
    DOWN,
    FLAT,
    MET,
    MISSED,
    NOT_APPLICABLE,
    UP,
    AccountFigures,
    Change,
    ChurnFigures,
    MemberFigures,
    PipelineFigures,
    ProblemGroups,
    ReconcileFigures,
    TargetFigures,
    TeamFigures,
    TrendFigures,
    finite,
    problem_kind,
)
from docgen.input.model import Action, FollowUp, Lesson, LostCustomer, MarketEvent, Problem

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


class Phrasebook:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.phrases = load_phrases(lang)

    def __call__(self, key: str, **values: object) -> str:
        return self.phrases[key].format(**values)

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


_NAMED_SOURCE = re.compile(r"(消息|报告|报道|数据|公告|通报|统计|调研|反馈|通知|系统|平台)$")

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


class Narrator:
    """Writes the sentences of one report: its language, period, level and currency unit."""

    def __init__(
        self,
        *,
        lang: str,
        period: str,
        level: str,
        currency_unit: str,
        thresholds: TrendThresholds = DEFAULT_THRESHOLDS,
    ) -> None:
        self.lang = lang
        self.period = period
        self.level = level
        self.currency_unit = currency_unit
        self.thresholds = thresholds
        self.say = Phrasebook(lang)

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
            self.say(f"label.field.{key}") + self.say("join.label") + clause(value)
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

    def title(self, who: str, period_label: str) -> str:
        level_word = self.say("title.individual_word") if self.level == "individual" else ""
        key = "title.with_who" if who else "title.without_who"
        return self.say(key, who=who, period_label=period_label, level_word=level_word)

    def headline(self, figure: TargetFigures) -> str:
        """销售额目标达成率96.0%: the one-line result an introduction and a conclusion lead with."""
        t = figure.target
        if figure.achievement is not None:
            return self.say(
                "target.headline", indicator=clause(t.indicator), achievement=fmt.percent(figure.achievement, self.lang)
            )
        return self.say(
            "target.headline_no_rate", indicator=clause(t.indicator), actual=fmt.quantity(t.actual, t.unit, self.lang)
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
        opening = self.say("intro.opening_with_who" if who else "intro.opening", who=who, period_label=period_label)
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
            names = [clause(f.target.indicator) for f in figures]
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
            cause = clause(main.cause)
            cause_part = self.say("problems.cause_part", cause=cause) if cause else ""
            parts.append(self.say("conclusion.problem", symptom=clause(main.symptom), cause_part=cause_part))
        focus = [clause(a.action) for a in actions if clause(a.action)]
        if focus:
            parts.append(self.say("conclusion.focus", next=self.next, actions=self.join_list(focus, limit=3)))
        return self.sentences(parts)

    # -- targets ---------------------------------------------------------------

    def target_sentence(self, figure: TargetFigures, *, lead: bool = False) -> str:
        """One indicator in a sentence: actual, target, achievement, gap, 环比 and 同比, and its note."""
        t, lang = figure.target, self.lang
        values = dict(
            indicator=clause(t.indicator),
            actual=fmt.quantity(t.actual, t.unit, lang),
            target=fmt.quantity(t.target, t.unit, lang),
        )
        if finite(t.actual) is None:
            return self.end(self.say("target.no_actual", **values))
        if figure.status == NOT_APPLICABLE:
            main = self.say("target.actual_no_target", **values)
        else:
            key = "actual_reverse" if figure.lower_is_better else "actual_rate" if figure.is_rate else "actual"
            clauses = [self.say(f"target.{key}", **values)]
            if figure.achievement is not None:
                clauses.append(self.say("target.achievement", achievement=fmt.percent(figure.achievement, lang)))
            clauses.append(self._status_clause(figure))
            main = self.say("join.clause").join(clauses)
        items = []
        for name, change in (("mom", figure.mom), ("yoy", figure.yoy)):
            phrase = self.change_phrase(change, plain=figure.lower_is_better)
            if phrase:
                items.append(self.say("target.change", name=self.say(f"period.{name}.{self.period}"), phrase=phrase))
        changes = self.say("target.changes", items=self.say("target.change_join").join(items)) if items else ""
        lead_text = self.say("target.lead", this=self.this) if lead else ""
        parts = [self.say("target.sentence", lead=lead_text, main=main, changes=changes)]
        note, source = split_source(clause(t.note))
        if note:
            key = "target.note_missed" if figure.status == MISSED else "target.note_other"
            # A note naming its source keeps it, said the way the language says it (据财务系统，……).
            parts.append(self.say(key + "_sourced" if source else key, note=note, source=source))
        return self.sentences(parts)

    def _status_clause(self, figure: TargetFigures) -> str:
        t = figure.target
        gap = fmt.difference(abs(figure.gap), t.unit, self.lang, signed=False) if figure.gap is not None else ""
        if figure.status == MET and not any(digit in gap for digit in "123456789"):
            return self.say("target.met_exactly")  # the gap rounds to nothing as printed
        if figure.lower_is_better:
            return self.say("target.met_reverse" if figure.status == MET else "target.missed_reverse", gap=gap)
        return self.say("target.met" if figure.status == MET else "target.missed", gap=gap)

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
                missed = [clause(f.target.indicator) for f in judged if f.status == MISSED]
                parts.append(
                    self.say(
                        "target.count_some_met", count=count, met=self.count(len(met)), missed=self.join_list(missed)
                    )
                )
        return self.sentences(parts)

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
                indicator=clause(t.indicator),
                actual=fmt.quantity(t.actual, t.unit, self.lang),
                target_part=target_part,
                change_part=change_part,
            )
        ]
        # Where the figure comes from (an industry body's statistics, say) is named (SPEC rule 8).
        note, source = split_source(clause(t.note))
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
            self.say("trend.row", indicator=clause(figures.series.indicator), sentence=self._trend_text(figures))
        )

    def trend_summary(self, figures: TrendFigures | None) -> str:
        """The lead series' movement, and over three or more sub-periods its change from first to last."""
        if figures is None:
            return ""
        text = self.say("trend.row", indicator=clause(figures.series.indicator), sentence=self._trend_text(figures))
        values = [(label, v) for label, v in zip(figures.series.labels, figures.series.values) if finite(v) is not None]
        phrase = self.change_phrase(figures.overall)
        if len(values) >= 3 and phrase:
            overall = self.say("trend.overall", phrase=phrase, first_label=values[0][0], last_label=values[-1][0])
            text += self.say("join.part") + overall
        return self.end(text)

    # -- pipeline --------------------------------------------------------------

    def channel_name(self, name: str) -> str:
        name = clause(name)
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
        return self.sentences(parts)

    def pipeline_points(self, figures: PipelineFigures) -> list[str]:
        points = []
        for f in figures.channels:
            c = f.channel
            amount_part = (
                self.say("pipeline.amount_part", amount=self.money(c.amount)) if finite(c.amount) is not None else ""
            )
            text = self.say(
                "pipeline.point",
                channel=self.channel_name(c.channel),
                leads=fmt.number(c.leads, self.lang),
                deals=fmt.number(c.deals, self.lang),
                conversion=fmt.percent(f.conversion, self.lang),
                amount_part=amount_part,
            )
            points.append(self.end(self.say("join.part").join([text, *self.labelled([("note", c.note)])])))
        return points

    # -- accounts --------------------------------------------------------------

    def tier_name(self, tier: str) -> str:
        """A类客户 / tier A customers, from the tier column's A, A类 or A类客户."""
        name = clause(tier)
        if name.casefold().endswith(("客户", "customers", "customer")):
            return name
        if fmt.is_zh(self.lang) and name.endswith("类"):
            return self.say("accounts.tier_customers", tier=name)
        if fmt.is_zh(self.lang) or len(name) <= 3:
            return self.say("accounts.tier_class", tier=name)
        return self.say("accounts.tier_customers", tier=name)

    def accounts_summary(self, figures: AccountFigures) -> str:
        if not figures.tiers:
            return ""
        parts = [
            self.say(
                "accounts.part",
                tier=self.tier_name(f.tier.tier),
                customers=fmt.number(f.tier.customers, self.lang),
                share=self.share(f.share),
            )
            for f in figures.tiers
        ]
        sentences = [
            self.say(
                "accounts.total",
                customers=fmt.number(figures.customers, self.lang),
                parts=self.say("accounts.part_join").join(parts),
            )
        ]
        least = figures.least_satisfied
        if least is not None:
            sentences.append(
                self.say(
                    "accounts.least_satisfied",
                    tier=self.tier_name(least.tier.tier),
                    satisfaction=fmt.percent(least.tier.satisfaction, self.lang),
                )
            )
        return self.sentences(sentences)

    def accounts_points(self, figures: AccountFigures) -> list[str]:
        points = []
        for f in figures.tiers:
            text = self.say(
                "accounts.point",
                tier=self.tier_name(f.tier.tier),
                customers=fmt.number(f.tier.customers, self.lang),
                share=self.share(f.share),
            )
            if finite(f.tier.satisfaction) is not None:
                text += self.say("join.clause") + self.say(
                    "accounts.satisfaction", satisfaction=fmt.percent(f.tier.satisfaction, self.lang)
                )
            points.append(self.end(self.say("join.part").join([text, *self.labelled([("upkeep", f.tier.upkeep)])])))
        return points

    # -- churn -----------------------------------------------------------------

    def churn_summary(self, figures: ChurnFigures) -> str:
        if figures.count == 0:
            return capitalise(self.say("churn.none", this=self.this))
        amount_part = (
            self.say("churn.amount_part", amount=self.money(figures.amount)) if figures.amount is not None else ""
        )
        reason_part = ""
        if figures.reasons:
            top = figures.reasons[0][1]
            if figures.count == 1:
                reason_part = self.say("churn.reason_single", reasons=figures.reasons[0][0])
            elif top == 1 and len(figures.reasons) > 1:
                reason_part = self.say(
                    "churn.reasons_each", reasons=self.join_list([r for r, _ in figures.reasons], limit=4)
                )
            else:
                key = "churn.main_reasons_tied" if len(figures.main_reasons) > 1 else "churn.main_reason"
                reason_part = self.say(key, reasons=self.join_list(list(figures.main_reasons)), count=self.count(top))
        recovered = [clause(r.customer) for r in figures.recovered]
        if recovered:
            recovered_part = self.say(
                "churn.recovered", count=self.count(len(recovered)), customers=self.join_list(recovered, limit=3)
            )
        else:
            recovered_part = self.say("churn.recovered_none")
        return capitalise(
            self.say.counted(
                "churn.summary",
                figures.count,
                this=self.this,
                count=self.count(figures.count),
                amount_part=amount_part,
                reason_part=reason_part,
                recovered_part=recovered_part,
            )
        )

    def lost_customer_sentence(self, lost: LostCustomer) -> str:
        reason = clause(lost.reason)
        reason_part = self.say("churn.point_reason", reason=reason) if reason else self.say("churn.point_lost")
        amount_part = (
            self.say("churn.point_amount", amount=self.money(lost.amount)) if finite(lost.amount) is not None else ""
        )
        recovered = {True: "point_recovered", False: "point_not_recovered", None: "point_recovery_unknown"}[
            lost.recovered
        ]
        text = self.say(
            "churn.point",
            customer=clause(lost.customer),
            reason_part=reason_part,
            amount_part=amount_part,
            recovered=self.say(f"churn.{recovered}"),
        )
        return self.end(self.say("join.part").join([text, *self.labelled([("measure", lost.measure)])]))

    # -- follow-ups ------------------------------------------------------------

    def followups_summary(self, followups: Sequence[FollowUp]) -> str:
        if not followups:
            return ""
        customers = {clause(f.customer) for f in followups if clause(f.customer)}
        ways = Counter(clause(f.way) for f in followups if clause(f.way))
        way_part = ""
        if ways:
            way, times = ways.most_common(1)[0]
            if times > 1 or len(ways) == 1:
                way_part = self.say("followups.way_part", way=way, count=self.count(times))
        return capitalise(
            self.say.counted(
                "followups.summary",
                len(followups),
                this=self.this,
                count=self.count(len(followups)),
                customers=self.count(len(customers)),
                way_part=way_part,
            )
        )

    def followup_sentence(self, followup: FollowUp) -> str:
        details = [d for d in (fmt.short_date(followup.date, self.lang), clause(followup.way)) if d]
        if details:
            head = self.say(
                "followups.head", customer=clause(followup.customer), details=self.say("join.clause").join(details)
            )
        else:
            head = self.say("followups.head_plain", customer=clause(followup.customer))
        pieces = [p for p in [clause(followup.content)] if p]
        pieces += self.labelled([("result", followup.result), ("next_step", followup.next_step)])
        if not pieces:
            return self.end(head)
        return self.end(head + self.say("join.label") + self.say("join.part").join(pieces))

    # -- market ----------------------------------------------------------------

    def market_sentence(self, event: MarketEvent) -> str:
        """The event naming its source: 据市场部消息，…… / According to marketing, …"""
        source, impact, response = clause(event.source), clause(event.impact), clause(event.response)
        values = dict(
            source=source,
            event=clause(event.event),
            impact_part=self.say("market.impact_part", impact=impact) if impact else "",
            response_part=self.say("market.response_part", response=response) if response else "",
        )
        if not source:
            return capitalise(self.say("market.unsourced", **values))
        key = "market.sourced_named" if _NAMED_SOURCE.search(source) else "market.sourced"
        return capitalise(self.say(key, **values))

    def market_summary(self, events: Sequence[MarketEvent]) -> str:
        if not events:
            return ""
        sources = list(dict.fromkeys(clause(e.source) for e in events if clause(e.source)))
        source_part = self.say("market.source_part", sources=self.join_list(sources, limit=4)) if sources else ""
        return capitalise(
            self.say.counted(
                "market.summary",
                len(events),
                this=self.this,
                in_this=self.in_this,
                count=self.count(len(events)),
                source_part=source_part,
            )
        )

    # -- problems --------------------------------------------------------------

    def problem_sentence(self, problem: Problem) -> str:
        """Symptom → cause → impact in one sentence."""
        cause, impact = clause(problem.cause), clause(problem.impact)
        return capitalise(
            self.say(
                "problems.sentence",
                symptom=clause(problem.symptom),
                cause_part=self.say("problems.cause_part", cause=cause) if cause else self.say("problems.no_cause"),
                impact_part=self.say("problems.impact_part", impact=impact) if impact else "",
            )
        )

    def problem_point(self, problem: Problem) -> str:
        """The sentence tagged internal or external, with its solution."""
        sentence = self.problem_sentence(problem)
        kind = problem_kind(problem)
        if kind:
            sentence = self.say("problems.tagged", kind=self.label(kind), sentence=sentence)
        solution = clause(problem.solution)
        return self.sentences([sentence, self.say("problems.solution", solution=solution) if solution else ""])

    def problems_summary(self, problems: Sequence[Problem], groups: ProblemGroups) -> str:
        if not problems:
            return ""
        kinds = [
            self.say("problems.kind_count", kind=self.say(f"problems.kind.{name}"), count=self.count(len(rows)))
            for name, rows in (("internal", groups.internal), ("external", groups.external))
            if rows
        ]
        if groups.unknown:
            kinds.append(self.say("problems.unknown_kind_count", count=self.count(len(groups.unknown))))
        return self.sentences(
            [
                self.say.counted(
                    "problems.summary",
                    len(problems),
                    this=self.this,
                    in_this=self.in_this,
                    count=self.count(len(problems)),
                    kinds=self.say("problems.kind_join").join(kinds),
                    main=clause(problems[0].symptom),
                )
            ]
        )

    # -- lessons ---------------------------------------------------------------

    def lesson_sentence(self, lesson: Lesson) -> str:
        applies, steps, result = clause(lesson.applies_to), clause(lesson.steps), clause(lesson.result)
        return capitalise(
            self.say(
                "lessons.sentence",
                practice=clause(lesson.practice),
                applies_part=self.say("lessons.applies_part", applies_to=applies) if applies else "",
                steps_part=self.say("lessons.steps_part", steps=steps) if steps else "",
                result_part=self.say("lessons.result_part", result=result) if result else "",
            )
        )

    def lessons_summary(self, lessons: Sequence[Lesson]) -> str:
        if not lessons:
            return ""
        practices = self.join_list([clause(lesson.practice) for lesson in lessons], limit=3)
        return capitalise(
            self.say.counted(
                "lessons.summary",
                len(lessons),
                this=self.this,
                in_this=self.in_this,
                count=self.count(len(lessons)),
                practices=practices,
            )
        )

    # -- actions ---------------------------------------------------------------

    def action_point(self, action: Action) -> str:
        """The action with its owner, deadline, acceptance criterion and status."""
        deadline = fmt.date(action.deadline, self.lang) if action.deadline else None
        details = self.labelled(
            [
                ("owner", action.owner),
                ("deadline", deadline),
                ("acceptance", action.acceptance),
                ("status", action.status),
            ]
        )
        detail_text = self.say("actions.details", details=self.say("join.part").join(details)) if details else ""
        return self.end(self.say("actions.point", action=clause(action.action), details=detail_text))

    def actions_summary(self, actions: Sequence[Action]) -> str:
        if not actions:
            return ""
        names = [clause(a.action) for a in actions]
        return capitalise(
            self.say.counted(
                "actions.summary",
                len(actions),
                next=self.next,
                count=self.count(len(actions)),
                actions=self.join_list(names, limit=3),
            )
        )

    # -- team ------------------------------------------------------------------

    def team_summary(self, figures: TeamFigures) -> str:
        """Who led and how concentrated the result is."""
        if len(figures.ranked) < 2 or figures.leader is None:
            return ""
        whole = self.say(f"level.whole.{self.level}")
        leaders = [m for m in figures.ranked if m.rank == 1]
        share = self.share(figures.leader.share)
        if len(leaders) > 1:
            names = self.join_list([clause(m.member.member) for m in leaders])
            leader_part = self.say("team.leaders_tied", leaders=names, whole=whole, share=share)
        else:
            leader_part = self.say("team.leader", leader=clause(figures.leader.member.member), whole=whole, share=share)
        top3_part = ""
        if figures.top3_share is not None:
            top3_name = self.say(f"level.top3.{self.level}")
            top3_part = self.say("team.top3_join") + self.say(
                "team.top3", top3_name=top3_name, share=self.share(figures.top3_share)
            )
        judgement = {CONCENTRATED: self.say("team.concentrated"), BALANCED: self.say("team.balanced")}.get(
            figures.concentration, ""
        )
        return capitalise(self.say("team.summary", leader_part=leader_part, top3_part=top3_part, judgement=judgement))

    def member_point(self, member: MemberFigures, *, ranked: bool = True) -> str:
        """A member's contribution, result, share and (when there is more than one to rank) rank."""
        details = [clause(member.member.contribution)]
        if finite(member.member.value) is not None:
            details.append(self.say("team.value", value=self.money(member.member.value)))
        # A lone member's computed share is always 100%: say it only when the workbook states one.
        if member.share is not None and (ranked or finite(member.member.share) is not None):
            details.append(self.say("team.share", share=self.share(member.share)))
        if member.rank is not None and ranked:
            details.append(self.say("team.rank", rank=self._rank(member.rank)))
        details = [d for d in details if d]
        if not details:
            return self.end(clause(member.member.member))
        return self.end(
            self.say("team.point", member=clause(member.member.member), details=self.say("join.clause").join(details))
        )

    def _rank(self, rank: int) -> str:
        return str(rank) if fmt.is_zh(self.lang) else fmt.ordinal(rank)

    def individual_team_summary(self, member: MemberFigures | None, figures: TeamFigures) -> str:
        """What the person did for the team: their contribution, result, share and rank."""
        if member is None:
            return self.team_summary(figures)
        parts = []
        contribution = clause(member.member.contribution)
        if contribution:
            parts.append(
                self.say(
                    "team.individual", this=self.this, person=clause(member.member.member), contribution=contribution
                )
            )
        pieces = []
        if finite(member.member.value) is not None:
            pieces.append(self.say("team.individual_value", value=self.money(member.member.value)))
        whole = self.say(f"level.whole.{self.level}")
        # A lone row's share means something only when the workbook states it.
        if member.share is not None and (len(figures.members) > 1 or finite(member.member.share) is not None):
            pieces.append(self.say("team.individual_share", share=self.share(member.share), whole=whole))
        if member.rank is not None and len(figures.ranked) > 1:
            pieces.append(
                self.say("team.individual_rank", rank=self._rank(member.rank), count=self.count(len(figures.ranked)))
            )
        if pieces:
            parts.append(self.end(self.say("join.clause").join(pieces)))
        return self.sentences(parts)

    # -- reconciliation ----------------------------------------------------------

    def reconcile_sentence(self, figures: ReconcileFigures, unit: str | None) -> str:
        row = figures.row
        indicator = clause(row.indicator)
        if figures.within is None:
            return capitalise(self.say("reconcile.unknown", indicator=indicator))
        gap = fmt.percent(figures.gap, self.lang)
        # Each system's figure is named, agreeing or not: the reader sees what was compared.
        values = [
            self.say("reconcile.value", source=clause(source), value=fmt.quantity(value, unit, self.lang))
            for source, value in zip(row.sources, row.values)
            if finite(value) is not None
        ]
        if figures.within:
            return capitalise(
                self.say("reconcile.agrees", indicator=indicator, gap=gap, values=self.say("join.list").join(values))
            )
        return capitalise(
            self.say(
                "reconcile.differs",
                indicator=indicator,
                gap=gap,
                tolerance=fmt.percent(figures.tolerance, self.lang),
                values=self.say("join.list").join(values),
            )
        )

    def reconcile_summary(self, figures: Sequence[ReconcileFigures], units: Sequence[str | None]) -> str:
        if not figures:
            return ""
        tolerance = fmt.percent(figures[0].tolerance, self.lang)
        differing = [(f, u) for f, u in zip(figures, units) if f.within is False]
        unknown = [f for f in figures if f.within is None]
        count = len(figures)
        parts = []
        if differing:
            parts.append(
                self.say.counted(
                    "reconcile.summary_some_differ",
                    count,
                    count=self.count(count),
                    agree=self.count(sum(f.within is True for f in figures)),
                    differ=self.count(len(differing)),
                    differing=self.say("join.part").join(self.reconcile_sentence(f, u) for f, u in differing),
                )
            )
        elif not unknown:
            parts.append(
                self.say.counted("reconcile.summary_all_agree", count, count=self.count(count), tolerance=tolerance)
            )
        elif unknown:
            agree = sum(f.within is True for f in figures)
            rest = self.say("reconcile.rest_agree") if agree else ""
            parts.append(
                self.say.counted(
                    "reconcile.summary_unknown",
                    count,
                    count=self.count(count),
                    unknown=self.count(len(unknown)),
                    rest=rest,
                )
            )
        agreeing = [self.reconcile_sentence(f, u) for f, u in zip(figures, units) if f.within is True]
        if agreeing:
            parts.append(self.end(self.say("join.part").join(agreeing)))
        return self.sentences(parts)
