"""A workbook split while it is read gives each salesperson the workbook a whole-workbook split gives them.

`docgen batch --split-by` streams a team workbook into a spill file and each
worker rebuilds one person's workbook from their rows (docgen.team.split). These
tests hold it to the split of the whole model (split_workbook), the
one docgen had first, on workbooks made to find where the two could differ.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.team import split
from docgen.cli import main
from docgen.errors import InvalidWorkbook
from docgen.team.split import load_person, person_workbook, split_file, split_workbook, with_team_shares
from docgen.input.workbook import load_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "sample_inputs"

INFO = [["项目", "内容"], ["团队", "销售一组"], ["层级", "团队"], ["周期", "月报"],
        ["开始日期", "2026-10-01"], ["结束日期", "2026-10-31"], ["语言", "中文"]]


def both_ways(path: Path) -> list[tuple[str, object, object]]:
    """(person, whole-workbook split, streamed split) for everyone the workbook names."""
    whole = split_workbook(load_workbook(path))
    streamed = split_file(path)
    try:
        assert [part.person for part in streamed.people] == [person for person, _ in whole]
        rebuilt = []
        for part in streamed.people:
            workbook, shares = load_person(part)
            rebuilt.append(with_team_shares(person_workbook(workbook, part.person), shares))
    finally:
        streamed.remove()
    assert not any(Path(spill).exists() for spill in streamed.spills)
    return [(person, old, new) for (person, old), new in zip(whole, rebuilt)]


def assert_same_split(path: Path) -> None:
    for person, old, new in both_ways(path):
        assert new == old, person


def interleaved() -> dict:
    """Rows in no order, rows that name nobody, a percentage column judged whole, a sheet of the team's own."""
    return {
        "报告信息": [list(row) for row in INFO],
        "目标达成": [["销售工作目标", None, None, None, None], [None] * 5, ["指标", "单位", "目标", "实际", "销售员"],
                 ["销售额", "万元", 200, 180, "张三"], ["销售额", "万元", 200, 230, "李四"],
                 ["复购率", "%", 30, 0.32, "张三"], ["销售额", "万元", 600, 410, None],  # the team's own row
                 ["复购率", "%", 0.3, 0.28, "李四"], ["销售额", "万元", 200, 0, " 王五 "]],
        "客户分层": [["层级", "客户数", "满意度", "销售员"],
                 ["A", 5, 0.9, "张三"], ["B", 7, 85, "李四"], ["C", 2, None, "张三"]],  # 85: the column is in %
        "客户流失": [["客户", "原因", "金额", "是否挽回", "销售员"],
                 ["甲公司", "价格", 10, "否", None], ["乙公司", "服务", 5, "是", None]],  # nobody named: everyone's
        "市场动态": [["事件", "影响", "来源"], ["竞品降价", "价格压力", "市场部"]],
        "拜访记录": [["客户", "销售员", "备注", "附件"],  # a sheet docgen does not know, split by its 销售员 column
                 ["丙公司", "张三", "首次拜访", None], ["丁公司", "李四", "复访", "合同草稿"], ["戊公司", None, "无人", None]],
        "团队贡献": [["成员", "贡献事项", "业绩", "占比"],
                 ["李四", "大单", 230, None], ["张三", "新客户", 180, 40], ["王五", "支持", 0, None], ["赵六", "培训", 20, None]],
    }


def test_samples_split_the_same_both_ways():
    for path in sorted(SAMPLES.rglob("*.xlsx")):
        try:
            load_workbook(path)
        except InvalidWorkbook:
            continue
        assert_same_split(path)


def test_rows_in_no_order_and_rows_naming_nobody_split_the_same(make_workbook, monkeypatch):
    monkeypatch.setattr(split, "_FLUSH_ROWS", 2)  # a person's rows of a sheet in several pieces
    path = make_workbook(interleaved())
    pairs = both_ways(path)
    assert [person for person, _, _ in pairs] == ["张三", "李四", "王五", "赵六"]
    for person, old, new in pairs:
        assert new == old, person
    zhang = pairs[0][2]
    assert [(t.indicator, t.target) for t in zhang.targets] == [("销售额", 200), ("复购率", 0.3)]
    assert [tier.satisfaction for tier in zhang.accounts] == [pytest.approx(0.009), None]  # judged with 李四's 85
    assert [c.customer for c in zhang.churn] == ["甲公司", "乙公司"]
    assert [row[0] for row in zhang.generic[0].rows] == ["丙公司"] and len(zhang.generic[0].columns) == 4
    assert zhang.team[0].share == pytest.approx(0.40)
    assert pairs[1][2].team[0].share == pytest.approx(230 / 430)  # 李四: of the whole team, not of their one row


def test_a_mistake_in_one_persons_rows_fails_only_their_report(make_workbook):
    sheets = interleaved()
    sheets["目标达成"][3][3] = "一百八"  # 张三's actual
    path = make_workbook(sheets)
    streamed = split_file(path)
    try:
        parts = {part.person: part for part in streamed.people}
        with pytest.raises(InvalidWorkbook) as raised:
            load_person(parts["张三"])
        assert [(p.location.sheet, p.location.cell) for p in raised.value.problems] == [("目标达成", "D4")]
        assert load_person(parts["李四"])[0].targets
    finally:
        streamed.remove()


@pytest.mark.parametrize("sheet, row, column", [("报告信息", 3, 1), ("目标达成", 7, 3), ("团队贡献", 2, 2)])
def test_a_mistake_everyone_shares_stops_the_whole_workbook(make_workbook, sheet, row, column, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    sheets = interleaved()
    sheets[sheet][row - 1][column] = "一百" if sheet != "报告信息" else "季度"  # not a number, not a period
    path = make_workbook(sheets)
    with pytest.raises(InvalidWorkbook):
        split_file(path)
    assert not list(tmp_path.glob("docgen-split-*")), "the spill is removed when the split fails"


def test_batch_split_fails_only_the_person_with_a_bad_cell_and_leaves_no_spill(make_workbook, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    sheets = interleaved()
    sheets["目标达成"][3][3] = "一百八"
    path = make_workbook(sheets)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(path), "--split-by", "销售员", "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1, result.output
    records = {row["person"]: row for row in json.loads((out / "manifest.json").read_text("utf-8"))["records"]}
    assert records["张三"]["status"] == "failed"
    assert (records["张三"]["sheet"], records["张三"]["cell"]) == ("目标达成", "D4")
    assert "一百八" in records["张三"]["error"]
    assert {records[name]["status"] for name in ("李四", "王五", "赵六")} == {"ok"}
    assert not list(tmp_path.glob("docgen-split-*"))


def test_sheets_shared_out_among_workers_split_the_same(make_workbook):
    from docgen.runs.engine import open_pool

    path = make_workbook(interleaved())
    alone = split_file(path)
    pool = open_pool(2)
    try:
        shared_out = split_file(path, pool=pool, workers=2)
    finally:
        pool.shutdown()
    try:
        assert len(shared_out.spills) == 3  # one file for each worker's sheets, one for what the workbook shares
        assert [part.person for part in shared_out.people] == [part.person for part in alone.people]
        for one, other in zip(alone.people, shared_out.people):
            assert load_person(one) == load_person(other), one.person
    finally:
        alone.remove()
        shared_out.remove()


def test_a_killed_runs_spill_folder_is_removed_by_the_next_split(make_workbook, tmp_path, monkeypatch):
    import os
    import subprocess

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    finished = subprocess.Popen(["true"])
    finished.wait()  # a process that is gone: its spill folder was abandoned
    abandoned = tmp_path / f"docgen-split-{finished.pid}-abcd1234"
    recent = tmp_path / f"docgen-split-{finished.pid}-recent00"
    running = tmp_path / f"docgen-split-{os.getpid()}-efgh5678"
    for folder in (abandoned, recent, running):
        folder.mkdir()
        (folder / "piece.bin").write_bytes(b"rows")
    for folder in (abandoned, running):
        os.utime(folder, (0, 0))  # written long ago
    split_file(make_workbook(interleaved())).remove()
    assert not abandoned.exists()
    assert recent.exists(), "a folder written in the last hour may be another machine's run"
    assert running.exists(), "a folder of a process still running is in use"
    assert sorted(path.name for path in tmp_path.glob("docgen-split-*")) == sorted([recent.name, running.name])
