"""Sentences about customers, the market, problems, lessons, actions, the team and reconciliation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from docgen.input.model import (
    Action,
    FollowUp,
    Lesson,
    LostCustomer,
    MarketEvent,
    Problem,
)
from docgen.report import formatting as fmt
from docgen.report.analysis import (
    BALANCED,
    CONCENTRATED,
    AccountFigures,
    ChurnFigures,
    MemberFigures,
    ProblemGroups,
    ReconcileFigures,
    TeamFigures,
    finite,
    problem_kind,
)
from docgen.report.narrative.figures import FigureSentences
from docgen.report.narrative.words import NAMED_SOURCE, capitalise, clause


class Narrator(FigureSentences):
    """Writes the sentences of one report: its language, period, level and currency unit."""

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
                reason_part = self.say("churn.reason_single", reasons=self.term(figures.reasons[0][0]))
            elif top == 1 and len(figures.reasons) > 1:
                reason_part = self.say(
                    "churn.reasons_each", reasons=self.join_list([self.term(r) for r, _ in figures.reasons], limit=4)
                )
            else:
                key = "churn.main_reasons_tied" if len(figures.main_reasons) > 1 else "churn.main_reason"
                reason_part = self.say(
                    key, reasons=self.join_list([self.term(r) for r in figures.main_reasons]), count=self.count(top)
                )
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
        reason = self.term(lost.reason)
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
        customers = list(dict.fromkeys(clause(f.customer) for f in followups if clause(f.customer)))
        ways = Counter(self.term(f.way) for f in followups if self.term(f.way))
        count = len(followups)
        values = dict(this=self.this, count=self.count(count), customers=self.count(len(customers)))
        if count == 1:
            # One follow-up is said with whom and how, not counted: "跟进客户一次（华信科技，上门拜访）".
            way = next(iter(ways), "")
            customer = customers[0] if customers else ""
            details = self.say("followups.single_details", customer=customer, way=way) if customer and way else customer or way
            if not details:
                return capitalise(self.say("followups.summary", **values, way_part=""))
            return capitalise(self.say.counted("followups.summary", 1, **values, details=details))
        way_part = ""
        if ways:
            way, times = ways.most_common(1)[0]
            if times == count:
                way_part = self.say("followups.way_all", way=way)
            elif times > 1:
                way_part = self.say("followups.way_part", way=way, count=self.count(times))
        if len(customers) == 1:
            return capitalise(self.say("followups.summary_one_customer", **values, customer=customers[0], way_part=way_part))
        if len(customers) == count:
            return capitalise(self.say("followups.summary_each_once", **values, way_part=way_part))
        return capitalise(self.say("followups.summary", **values, way_part=way_part))

    def followup_sentence(self, followup: FollowUp) -> str:
        details = [d for d in (fmt.short_date(followup.date, self.lang), self.term(followup.way)) if d]
        if details:
            head = self.say(
                "followups.head", customer=clause(followup.customer), details=self.say("join.clause").join(details)
            )
        else:
            head = self.say("followups.head_plain", customer=clause(followup.customer))
        pieces = [p for p in [self.term(followup.content)] if p]
        pieces += self.labelled([("result", followup.result), ("next_step", followup.next_step)])
        if not pieces:
            return self.end(head)
        return self.end(head + self.say("join.label") + self.say("join.part").join(pieces))

    # -- market ----------------------------------------------------------------

    def market_sentence(self, event: MarketEvent) -> str:
        """The event naming its source: 据市场部消息，…… / According to marketing, …"""
        source, impact, response = clause(event.source), self.term(event.impact), self.term(event.response)
        values = dict(
            source=source,
            event=self.term(event.event),
            impact_part=self.lead_in("market.impact_part", "impact", impact) if impact else "",
            response_part=self.lead_in("market.response_part", "response", response) if response else "",
        )
        if not source:
            return capitalise(self.say("market.unsourced", **values))
        key = "market.sourced_named" if NAMED_SOURCE.search(source) else "market.sourced"
        return capitalise(self.say(key, **values))

    def market_summary(self, events: Sequence[MarketEvent]) -> str:
        if not events:
            return ""
        # A source is a name (Marketing, Industry association) and keeps its capital.
        sources = list(dict.fromkeys(clause(e.source) for e in events if clause(e.source)))
        source_part = ""
        if len(sources) == 1:
            # One source is named as where the news came from, not as a list "including" it.
            all_one = len(events) > 1 and all(clause(e.source) for e in events)
            source_part = self.say("market.source_part_all_one" if all_one else "market.source_part_one", sources=sources[0])
        elif sources:
            source_part = self.say("market.source_part", sources=self.join_list(sources, limit=4))
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
        cause, impact = self.term(problem.cause), self.term(problem.impact)
        return capitalise(
            self.say(
                "problems.sentence",
                symptom=self.term(problem.symptom),
                cause_part=self.lead_in("problems.cause_part", "cause", cause) if cause else self.say("problems.no_cause"),
                impact_part=self.lead_in("problems.impact_part", "impact", impact) if impact else "",
            )
        )

    def problem_point(self, problem: Problem) -> str:
        """The sentence tagged internal or external, with its solution."""
        sentence = self.problem_sentence(problem)
        kind = problem_kind(problem)
        if kind:
            sentence = self.say("problems.tagged", kind=self.label(kind), sentence=sentence)
        solution = self.term(problem.solution)
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
        if len(problems) == 1:
            kind = problem_kind(problems[0])
            kinds = [self.say("problems.kind_single", kind=self.say(f"problems.kind.{kind}"))] if kind else []
        return self.sentences(
            [
                self.say.counted(
                    "problems.summary",
                    len(problems),
                    this=self.this,
                    in_this=self.in_this,
                    count=self.count(len(problems)),
                    kinds=self.say("problems.kind_join").join(kinds),
                    main=self.term(problems[0].symptom),
                )
            ]
        )

    # -- lessons ---------------------------------------------------------------

    def lesson_sentence(self, lesson: Lesson) -> str:
        applies, steps, result = self.term(lesson.applies_to), self.term(lesson.steps), self.term(lesson.result)
        return capitalise(
            self.say(
                "lessons.sentence",
                practice=self.term(lesson.practice),
                applies_part=self.say("lessons.applies_part", applies_to=applies) if applies else "",
                steps_part=self.say("lessons.steps_part", steps=steps) if steps else "",
                result_part=self.say("lessons.result_part", result=result) if result else "",
            )
        )

    def lessons_summary(self, lessons: Sequence[Lesson]) -> str:
        if not lessons:
            return ""
        practices = self.join_list([self.term(lesson.practice) for lesson in lessons], limit=3)
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
        return self.end(self.say("actions.point", action=self.term(action.action), details=detail_text))

    def actions_summary(self, actions: Sequence[Action]) -> str:
        if not actions:
            return ""
        names = [self.term(a.action) for a in actions]
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
        smallest = figures.ranked[-1]
        if figures.concentration == BALANCED and smallest.rank != 1:
            # An even spread is shown by the smallest share, not by the top three's (three of four is most of it).
            top3_part = self.say("team.top3_join") + self.say(
                "team.smallest", member=clause(smallest.member.member), share=self.share(smallest.share)
            )
        elif figures.top3_share is not None and len(figures.ranked) >= 5:
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
        details = [self.term(member.member.contribution)]
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
        contribution = self.term(member.member.contribution)
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
        if member.share is not None and (len(figures.ranked) > 1 or finite(member.member.share) is not None):
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
        indicator = self.term(row.indicator)
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
