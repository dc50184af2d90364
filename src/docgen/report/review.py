"""The closed loop: last period's actions matched to this period's, their status now, and the overdue ones (docs/checks.md)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docgen.report import formatting as fmt
from docgen.report.due import next_working_day
from docgen.input.model import Action
from docgen.input.schema import normalize_name

DONE, IN_PROGRESS, NOT_STARTED, CANCELLED, UNKNOWN = "done", "in_progress", "not_started", "cancelled", "unknown"
TEXT_MATCH_RATIO = 0.8

# Read in this order: "未完成" and "not started" must not be taken for done or in progress.
_STATUS_WORDS: tuple[tuple[str, str, bool], ...] = (
    (r"取消|终止|放弃|作废|cancel|dropped|abandon", CANCELLED, False),
    (r"逾期|延期|超期|延误|overdue|delayed|late|postponed|slipped", IN_PROGRESS, True),
    (r"未开始|未启动|待启动|待开始|尚未开始|计划中|not started|planned|to ?do|pending", NOT_STARTED, False),
    (r"未完成|部分完成|not done|incomplete|partly|partially", IN_PROGRESS, False),
    (r"完成|达成|关闭|验收|done|complete|closed|finished|achieved", DONE, False),
    (r"进行|推进|执行|跟进|处理中|in progress|ongoing|underway|started|on track|wip", IN_PROGRESS, False),
)


def read_status(text: str | None) -> tuple[str, bool]:
    """The kind of a typed status (DONE, IN_PROGRESS, …, UNKNOWN) and whether it says overdue itself."""
    word = normalize_name(text or "")
    if not word:
        return UNKNOWN, False
    for pattern, kind, overdue in _STATUS_WORDS:
        if re.search(pattern, word):
            return kind, overdue
    return UNKNOWN, False


@dataclass(frozen=True)
class ReviewedAction:
    previous: Action  # the action as last period's workbook planned it
    index: int  # its row among last period's actions
    current: Action | None  # this period's row for it; None when it has gone
    matched_by: str | None  # "id", "text" or None
    status: str  # DONE, IN_PROGRESS, NOT_STARTED, CANCELLED or UNKNOWN
    overdue: bool

    @property
    def vanished(self) -> bool:
        return self.current is None

    @property
    def deadline(self) -> dt.date | None:
        """The deadline promised last period (this period's row's when last period gave none)."""
        return self.previous.deadline or (self.current.deadline if self.current else None)


def _id_key(action: Action) -> str:
    return normalize_name(action.id or "").replace(" ", "")


def _text_key(action: Action) -> str:
    return re.sub(r"[\s\W_]+", "", normalize_name(action.action))


def match_actions(previous: Sequence[Action], current: Sequence[Action]) -> list[tuple[int | None, str | None]]:
    """For each previous action, the index of its row in `current` and how it was matched (or None, None)."""
    matches: list[tuple[int | None, str | None]] = [(None, None)] * len(previous)
    used: set[int] = set()
    by_id: dict[str, int] = {}
    for j, action in enumerate(current):
        if _id_key(action):
            by_id.setdefault(_id_key(action), j)
    for i, action in enumerate(previous):
        j = by_id.get(_id_key(action)) if _id_key(action) else None
        if j is not None and j not in used:
            matches[i] = (j, "id")
            used.add(j)
    # Text: exact first, for every action, so that a near match never takes an exact one's row.
    for exact in (True, False):
        for i, action in enumerate(previous):
            if matches[i][0] is not None:
                continue
            wanted = _text_key(action)
            best, best_ratio = None, 0.0
            for j, candidate in enumerate(current):
                if j in used:
                    continue
                text = _text_key(candidate)
                ratio = 1.0 if text == wanted else 0.0 if exact else difflib.SequenceMatcher(None, wanted, text).ratio()
                if ratio > best_ratio:
                    best, best_ratio = j, ratio
            if best is not None and best_ratio >= (1.0 if exact else TEXT_MATCH_RATIO):
                matches[i] = (best, "text")
                used.add(best)
    return matches


def review_actions(previous: Sequence[Action], current: Sequence[Action], as_of: dt.date) -> list[ReviewedAction]:
    """Every previous action with its status now; overdue when not done by `as_of` (this period's end)."""
    reviewed = []
    for i, (action, (j, how)) in enumerate(zip(previous, match_actions(previous, current))):
        row = current[j] if j is not None else None
        status, says_overdue = read_status(row.status) if row is not None else (UNKNOWN, False)
        deadline = action.deadline or (row.deadline if row is not None else None)
        late = deadline is not None and deadline <= as_of
        overdue = status not in (DONE, CANCELLED) and (says_overdue or late)
        reviewed.append(ReviewedAction(action, i, row, how, status, overdue))
    return reviewed


@dataclass(frozen=True)
class ReviewCounts:
    total: int
    done: int
    in_progress: int  # in progress or not started, and not overdue
    overdue: int
    cancelled: int
    unknown: int  # no status now, and not overdue


def count_review(reviewed: Sequence[ReviewedAction]) -> ReviewCounts:
    def kind(item: ReviewedAction) -> str:
        if item.overdue:
            return "overdue"
        if item.status in (IN_PROGRESS, NOT_STARTED):
            return "in_progress"
        return item.status

    kinds = [kind(item) for item in reviewed]
    return ReviewCounts(
        total=len(reviewed),
        done=kinds.count(DONE),
        in_progress=kinds.count("in_progress"),
        overdue=kinds.count("overdue"),
        cancelled=kinds.count(CANCELLED),
        unknown=kinds.count(UNKNOWN),
    )


# -- the sentences ----------------------------------------------------------------


def status_label(item: ReviewedAction, say) -> str:
    """The status now in the report's words; an unrecognised status as it was typed."""
    if item.vanished:
        return say("review.status.vanished")
    if item.status == UNKNOWN and fmt.text(item.current.status):
        return fmt.text(item.current.status)
    return say(f"review.status.{item.status}")


def review_summary(reviewed: Sequence[ReviewedAction], say, lang: str) -> str:
    """上期行动共四项：一项已完成，两项进行中，一项已逾期。"""
    if not reviewed:
        return ""
    counts = count_review(reviewed)
    parts = [
        say(f"review.part.{name}", count=fmt.count_word(number, lang))
        for name, number in (
            ("done", counts.done),
            ("in_progress", counts.in_progress),
            ("overdue", counts.overdue),
            ("cancelled", counts.cancelled),
            ("unknown", counts.unknown),
        )
        if number
    ]
    text = say("review.summary", count=fmt.count_word(counts.total, lang), parts=say("review.part_join").join(parts))
    return text[:1].upper() + text[1:]


def review_point(item: ReviewedAction, say, lang: str) -> str:
    """One action: what, who, by when, and its status now."""
    details = [
        say(f"label.field.{key}") + say("join.label") + value
        for key, value in (
            ("owner", fmt.text(item.previous.owner)),
            ("deadline", fmt.date(item.deadline, lang) if item.deadline else ""),
        )
        if value
    ]
    action = fmt.text(item.previous.action).rstrip("。.；;，, ")
    ident = fmt.text(item.previous.id)
    return say(
        "review.point",
        id_part=say("review.id_part", id=ident) if ident else "",
        action=action,
        details=say("actions.details", details=say("join.part").join(details)) if details else "",
        status=status_label(item, say),
        overdue_part=say("review.overdue_part") if item.overdue else "",
    )


# -- finding last period's workbook ------------------------------------------------

_ZH_QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


def _period_names(period: str, start: dt.date) -> list[str]:
    """The ways a file name may write the period that starts on `start`."""
    y, m, d = start.year, start.month, start.day
    if period == "daily":
        return [f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日", f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}",
                f"{y}_{m:02d}_{d:02d}", f"{y}{m:02d}{d:02d}"]
    if period == "weekly":
        year, week, _ = start.isocalendar()
        return [f"{year}年第{week}周", f"{year}年第{week:02d}周", f"{year}-W{week:02d}", f"{year}W{week:02d}",
                f"{year}-w{week:02d}", f"{year}w{week:02d}"]
    if period == "monthly":
        return [f"{y}年{m}月", f"{y}年{m:02d}月", f"{y}-{m:02d}", f"{y}.{m:02d}", f"{y}_{m:02d}", f"{y}{m:02d}"]
    if period == "quarterly":
        q = (m - 1) // 3 + 1
        return [f"{y}年第{_ZH_QUARTERS[q]}季度", f"{y}年Q{q}", f"{y}-Q{q}", f"{y}Q{q}", f"{y}_Q{q}", f"{y}-q{q}",
                f"{y}q{q}", f"Q{q}-{y}"]
    if period == "annual":
        return [f"{y}年度", f"{y}年", f"{y}"]
    raise ValueError(f"unknown period {period!r}")


def previous_period_start(period: str, start: dt.date) -> dt.date:
    """The first day of the period before the one that starts on `start` (a daily report's: the working day before)."""
    if period == "daily":
        day = start - dt.timedelta(days=1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return day
    return fmt.period_bounds(period, start - dt.timedelta(days=1))[0]


def find_previous(path: str | Path, period: str, start: dt.date) -> Path | None:
    """Last period's workbook beside this one: the same file name with the period in it moved back one.

    华东销售一组-2026年10月-团队月报.xlsx looks for 华东销售一组-2026年9月-团队月报.xlsx
    (or -2026年09月-); alex-chen-2026-10-monthly.xlsx for alex-chen-2026-09-monthly.xlsx;
    a weekly 2026-W45 for 2026-W44, a quarterly 2026Q4 for 2026Q3, a daily
    2026-11-02 (a Monday) for 2026-10-30. None when the name holds no period or
    no such file exists.
    """
    path = Path(path)
    before = previous_period_start(period, start)
    current_names, previous_names = _period_names(period, start), _period_names(period, before)
    for name in current_names:
        if name not in path.stem:
            continue
        # Every way of writing the period that reads the same for this period (10月 is 10月 with or without a 0).
        for same, earlier in zip(current_names, previous_names):
            if same != name:
                continue
            candidate = path.with_name(path.stem.replace(name, earlier) + path.suffix)
            if candidate != path and candidate.is_file():
                return candidate
        return None
    return None


def coming_period(period: str, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period after the one ending on `end`, which this report's actions plan for."""
    start = end + dt.timedelta(days=1)
    if period == "daily":
        return start, next_working_day(end)
    return start, fmt.period_bounds(period, start)[1]
