"""The closed loop: last period's actions matched to this period's, their status now, the overdue ones."""

import datetime as dt

import pytest

from docgen.report import review
from docgen.input.model import Action
from docgen.report.narrative import Phrasebook

D = dt.date
OCTOBER_END = D(2026, 10, 31)

SEPTEMBER = (
    Action("推进两家延期大客户签约", "A-01", "李明", D(2026, 10, 20), "合同签订", "进行中"),
    Action("电话营销话术集训", "A-02", "王芳", D(2026, 10, 15), "转化率提升至15%", "未开始"),
    Action("申请区域特价审批权限", "A-03", "王芳", D(2026, 11, 10), "审批时长缩短至2天", "未开始"),
    Action("流失客户回访", "A-04", "张伟", D(2026, 10, 25), "挽回1家", "进行中"),
    Action("整理 A 类客户档案", None, "赵磊", D(2026, 10, 30), "档案齐全", "未开始"),
)
OCTOBER = (
    Action("推进两家延期大客户签约（已签一家）", "A-01", "李明", D(2026, 10, 20), "合同签订", "已完成"),
    Action("电话营销话术集训", "B-07", "王芳", D(2026, 10, 15), "转化率提升至15%", "进行中"),
    Action("申请区域特价审批权限", "A-03", "王芳", D(2026, 11, 10), "审批时长缩短至2天", "进行中"),
    Action("整理A类客户档案。", None, "赵磊", D(2026, 10, 30), "档案齐全", "已取消"),
    Action("新品推介会", "N-01", "杨帆", D(2026, 11, 20), "到场客户30家", "未开始"),
)


@pytest.mark.parametrize(
    "typed, kind, says_overdue",
    [
        ("已完成", review.DONE, False),
        ("完成", review.DONE, False),
        ("Done", review.DONE, False),
        ("completed", review.DONE, False),
        ("未完成", review.IN_PROGRESS, False),
        ("部分完成", review.IN_PROGRESS, False),
        ("进行中", review.IN_PROGRESS, False),
        ("In progress", review.IN_PROGRESS, False),
        ("未开始", review.NOT_STARTED, False),
        ("Not started", review.NOT_STARTED, False),
        ("已取消", review.CANCELLED, False),
        ("Cancelled", review.CANCELLED, False),
        ("延期", review.IN_PROGRESS, True),
        ("overdue", review.IN_PROGRESS, True),
        ("", review.UNKNOWN, False),
        (None, review.UNKNOWN, False),
        ("看情况", review.UNKNOWN, False),
    ],
)
def test_typed_statuses_are_read(typed, kind, says_overdue):
    assert review.read_status(typed) == (kind, says_overdue)


def test_actions_are_matched_by_id_then_by_text():
    matches = review.match_actions(SEPTEMBER, OCTOBER)
    assert matches == [
        (0, "id"),  # A-01, though its text changed
        (1, "text"),  # renumbered B-07, same words
        (2, "id"),
        (None, None),  # A-04 has gone
        (3, "text"),  # no ID; the same words up to spaces and punctuation
    ]


def test_a_nearly_identical_text_matches_but_a_different_one_does_not():
    previous = (Action("每周拜访重点客户三家"), Action("完成季度培训"))
    current = (Action("每周拜访重点客户四家"), Action("开拓新行业客户"))
    assert review.match_actions(previous, current) == [(0, "text"), (None, None)]


def test_an_exact_text_match_is_not_taken_by_a_near_one():
    previous = (Action("拜访客户甲乙"), Action("拜访客户甲乙丙"))
    current = (Action("拜访客户甲乙丙"), Action("拜访客户甲乙"))
    assert review.match_actions(previous, current) == [(1, "text"), (0, "text")]


def test_status_now_and_overdue_at_the_end_of_this_period():
    reviewed = review.review_actions(SEPTEMBER, OCTOBER, OCTOBER_END)
    assert [(item.status, item.overdue) for item in reviewed] == [
        (review.DONE, False),
        (review.IN_PROGRESS, True),  # due 15 October, still in progress
        (review.IN_PROGRESS, False),  # due in November
        (review.UNKNOWN, True),  # gone without a status, and its deadline has passed
        (review.CANCELLED, False),
    ]
    assert reviewed[3].vanished and not reviewed[0].vanished
    assert review.count_review(reviewed) == review.ReviewCounts(
        total=5, done=1, in_progress=1, overdue=2, cancelled=1, unknown=0
    )


def test_an_action_whose_deadline_is_the_last_day_is_overdue_when_not_done():
    previous = (Action("A", deadline=OCTOBER_END),)
    assert review.review_actions(previous, (Action("A", status="进行中"),), OCTOBER_END)[0].overdue
    assert not review.review_actions(previous, (Action("A", status="已完成"),), OCTOBER_END)[0].overdue


def test_the_summary_counts_done_in_progress_and_overdue():
    reviewed = review.review_actions(SEPTEMBER, OCTOBER, OCTOBER_END)
    zh, en = Phrasebook("zh"), Phrasebook("en")
    assert review.review_summary(reviewed, zh, "zh") == "上期行动共五项：一项已完成，一项进行中，两项已逾期，一项已取消。"
    assert review.review_summary(reviewed, en, "en") == (
        "Last period's actions: five in all; one done, one in progress, two overdue, one cancelled."
    )
    assert review.review_summary([], zh, "zh") == ""


def test_each_action_reads_with_its_owner_deadline_and_status():
    reviewed = review.review_actions(SEPTEMBER, OCTOBER, OCTOBER_END)
    zh = Phrasebook("zh")
    assert review.review_point(reviewed[1], zh, "zh") == (
        "A-02 电话营销话术集训（负责人：王芳；完成时限：2026年10月15日）：进行中，已逾期。"
    )
    assert review.review_point(reviewed[3], zh, "zh").endswith("：本期未更新，已逾期。")
    english = review.review_point(reviewed[0], Phrasebook("en"), "en")
    assert english == "A-01 推进两家延期大客户签约 (owner: 李明; deadline: 20 October 2026): done."


def test_an_unknown_status_word_is_shown_as_typed():
    reviewed = review.review_actions((Action("A"),), (Action("A", status="看情况"),), OCTOBER_END)
    assert review.status_label(reviewed[0], Phrasebook("zh")) == "看情况"


# -- finding last period's workbook


@pytest.mark.parametrize(
    "period, start, current, previous",
    [
        ("monthly", D(2026, 10, 1), "华东销售一组-2026年10月-团队月报.xlsx", "华东销售一组-2026年9月-团队月报.xlsx"),
        ("monthly", D(2026, 10, 1), "华东销售一组-2026年10月-团队月报.xlsx", "华东销售一组-2026年09月-团队月报.xlsx"),
        ("monthly", D(2026, 1, 1), "alex-2026-01-monthly.xlsx", "alex-2025-12-monthly.xlsx"),
        ("monthly", D(2026, 10, 1), "team_202610.xlsx", "team_202609.xlsx"),
        ("quarterly", D(2026, 10, 1), "east-2026Q4.xlsx", "east-2026Q3.xlsx"),
        ("quarterly", D(2026, 10, 1), "华东-2026年第四季度.xlsx", "华东-2026年第三季度.xlsx"),
        ("weekly", D(2026, 11, 2), "alex-2026-W45.xlsx", "alex-2026-W44.xlsx"),
        ("daily", D(2026, 11, 2), "张三-2026-11-02.xlsx", "张三-2026-10-30.xlsx"),  # Monday → Friday
        ("annual", D(2026, 1, 1), "华东大区-2026年度.xlsx", "华东大区-2025年度.xlsx"),
    ],
)
def test_the_previous_workbook_is_found_by_its_name(tmp_path, period, start, current, previous):
    (tmp_path / current).write_bytes(b"")
    (tmp_path / previous).write_bytes(b"")
    assert review.find_previous(tmp_path / current, period, start) == tmp_path / previous


def test_no_previous_workbook_without_a_period_in_the_name_or_a_file(tmp_path):
    (tmp_path / "team.xlsx").write_bytes(b"")
    assert review.find_previous(tmp_path / "team.xlsx", "monthly", D(2026, 10, 1)) is None
    (tmp_path / "team-2026-10.xlsx").write_bytes(b"")
    assert review.find_previous(tmp_path / "team-2026-10.xlsx", "monthly", D(2026, 10, 1)) is None


def test_the_coming_period_follows_this_one():
    assert review.coming_period("monthly", OCTOBER_END) == (D(2026, 11, 1), D(2026, 11, 30))
    assert review.coming_period("quarterly", D(2026, 9, 30)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert review.coming_period("weekly", D(2026, 11, 1)) == (D(2026, 11, 2), D(2026, 11, 8))
    assert review.coming_period("daily", D(2026, 10, 30)) == (D(2026, 10, 31), D(2026, 11, 2))
    assert review.coming_period("annual", D(2026, 12, 31)) == (D(2027, 1, 1), D(2027, 12, 31))
