"""Batch runs: split workbooks, folders, the roll-up, fault isolation, the manifest, resume and names."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import report_text as text_of, write_workbook
from docgen.runs import batch
from docgen.report.analysis import analyse_targets
from docgen.runs.engine import BatchInterrupted, Job, RunSettings, run_jobs
from docgen.word.readback import document_opens as report_opens
from docgen.runs.records import Document
from docgen.team.rollup import combine_workbooks, rollup_workbook
from docgen.team.split import people, person_workbook
from docgen.cli import main
from docgen.input.workbook import load_workbook

FAKES = Path(__file__).parent / "fakes"
TODAY = "2026-11-02"

# Three salespeople whose figures appear nowhere else, so a report can be searched for them.
SALES = {"张三": 123.4, "李四": 234.5, "王五": 345.6}


def info_rows(*, author: str | None, level: str) -> list[list]:
    rows = [
        ["项目", "内容"],
        ["单位", "测试公司"],
        ["区域", "华东"],
        ["团队", "销售一组"],
        ["层级", level],
        ["周期", "月报"],
        ["开始日期", "2026-10-01"],
        ["结束日期", "2026-10-31"],
        ["货币单位", "万元"],
        ["语言", "中文"],
    ]
    if author is not None:
        rows.insert(4, ["姓名", author])
    return rows


def person_sheets(name: str, sales: float, *, author: str | None = "same") -> dict:
    """One salesperson's own workbook."""
    return {
        "报告信息": info_rows(author=name if author == "same" else author, level="个人"),
        "目标达成": [
            ["指标", "单位", "目标", "实际", "上期", "去年同期"],
            ["销售额", "万元", 200, sales, 100, 90],
            ["复购率", "%", 0.30, 0.32, 0.31, 0.29],
        ],
        "客户流失": [["客户", "原因", "金额", "是否挽回"], [f"{name}的流失客户", "价格", 10, "否"]],
        "团队贡献": [["成员", "贡献事项", "业绩"], [name, f"{name}的贡献", sales]],
    }


def team_sheets(names=tuple(SALES)) -> dict:
    """One workbook holding everyone: a 销售员 column on the sheets that are per person."""
    return {
        "报告信息": info_rows(author="组长", level="团队"),
        "目标达成": [["指标", "单位", "目标", "实际", "销售员"]]
        + [["销售额", "万元", 200, SALES.get(name, 50), name] for name in names]
        + [["复购率", "%", 0.30, 0.32, name] for name in names],
        "客户流失": [["客户", "原因", "金额", "是否挽回", "销售员"]]
        + [[f"{name}的流失客户", "价格", 10, "否", name] for name in names],
        "市场动态": [["事件", "影响", "来源"], ["竞品降价", "价格压力", "市场部"]],
        "团队贡献": [["成员", "贡献事项", "业绩"]] + [[name, f"{name}的贡献", SALES.get(name, 50)] for name in names],
    }


def killed_run_environment(tmp_path: Path) -> dict[str, str]:
    """The environment of a run the test kills: its spill files go to the test's folder, not the machine's /tmp."""
    spills = tmp_path / "tmp"
    spills.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(spills)}


# The interface language stated, where a test reads the words of manifest.csv.
ENGLISH = {"DOCGEN_LANG": "en", "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
CHINESE = {"DOCGEN_LANG": "zh", "LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


def run(*args, env=None):
    # Told in English unless `env` says: under LANG=C, Chinese workbooks would be spoken of in Chinese (docs/language.md).
    result = CliRunner().invoke(main, [str(a) for a in args], env={"DOCGEN_LANG": "en", **(env or {})})
    assert "Traceback" not in result.output, result.output
    return result


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["records"]


def figure(value: float) -> str:
    return f"{value:,.1f}"


def assert_own_figures_only(path: Path, name: str) -> None:
    text = text_of(path)
    assert name in text
    assert figure(SALES[name]) in text
    assert f"{name}的流失客户" in text
    for other, sales in SALES.items():
        if other != name:
            assert figure(sales) not in text, f"{other}'s sales in {name}'s report"
            assert f"{other}的流失客户" not in text


def team_table_rows(path: Path) -> dict[str, list[str]]:
    """The team contribution table of a report: member → the row's cells."""
    document = docx.Document(str(path))
    for table in document.tables:
        if table.rows[0].cells[0].text == "成员":
            return {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    raise AssertionError("no team contribution table")


@pytest.fixture
def folder_of_people(tmp_path) -> Path:
    folder = tmp_path / "2026-10"
    folder.mkdir()
    for name, sales in SALES.items():
        write_workbook(folder / f"{name}.xlsx", person_sheets(name, sales))
    return folder


# --- splitting and the roll-up, in the library --------------------------------


def test_people_are_found_in_rows_and_in_the_team_sheet(tmp_path):
    workbook = load_workbook(write_workbook(tmp_path / "team.xlsx", team_sheets()))
    assert people(workbook) == list(SALES)


def test_person_workbook_keeps_their_rows_shares_the_rest_and_their_team_row_with_share(tmp_path):
    workbook = load_workbook(write_workbook(tmp_path / "team.xlsx", team_sheets()))
    own = person_workbook(workbook, "李四")
    assert [t.actual for t in own.targets if t.indicator == "销售额"] == [234.5]
    assert [c.customer for c in own.churn] == ["李四的流失客户"]
    assert [e.event for e in own.market] == ["竞品降价"]  # no 销售员 column: shared by all
    assert [m.member for m in own.team] == ["李四"]
    assert own.team[0].share == pytest.approx(234.5 / sum(SALES.values()))
    assert own.info.author == "李四" and own.info.level == "individual"


def test_rollup_of_a_workbook_without_team_sheet_lists_every_salesperson(tmp_path):
    sheets = team_sheets()
    del sheets["团队贡献"]
    rollup = rollup_workbook(load_workbook(write_workbook(tmp_path / "team.xlsx", sheets)))
    assert rollup.info.level == "team"
    assert {m.member: m.value for m in rollup.team} == SALES
    assert "team" in rollup.present


def test_combined_workbooks_add_amounts_average_rates_and_give_each_member_a_row(tmp_path):
    members = [
        (name, load_workbook(write_workbook(tmp_path / f"{name}.xlsx", person_sheets(name, sales))))
        for name, sales in SALES.items()
    ]
    team = combine_workbooks(members)
    figures = {f.target.indicator: f.target for f in analyse_targets(team.targets)}
    assert figures["销售额"].actual == pytest.approx(sum(SALES.values()))
    assert figures["销售额"].target == pytest.approx(600)
    assert figures["复购率"].actual == pytest.approx(0.32)
    assert [(m.member, m.value, m.contribution) for m in team.team] == [
        (name, sales, f"{name}的贡献") for name, sales in SALES.items()
    ]
    assert team.info.level == "team" and team.info.team == "销售一组" and team.info.author is None


# --- docgen batch over a folder and over a split workbook ------------------------


def test_batch_over_a_folder_writes_each_persons_report_and_the_rollup(folder_of_people, tmp_path):
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--rollup", "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    for name in SALES:
        assert_own_figures_only(out / f"销售一组-{name}-2026年10月.docx", name)
    rollup = out / "销售一组-团队汇总-2026年10月.docx"
    rows = team_table_rows(rollup)
    assert set(rows) == set(SALES)
    for name, sales in SALES.items():
        assert figure(sales) in rows[name]
    assert figure(sum(SALES.values())) in text_of(rollup)
    assert "4 written, 0 already up to date, 0 failed" in result.output
    records = manifest(out)
    assert [r["status"] for r in records] == ["ok"] * 4
    assert records[0]["kind"] == "rollup"


def test_a_person_with_two_workbooks_is_never_counted_twice_in_the_rollup(folder_of_people, tmp_path):
    # A copy left beside the original ("李明 (1).xlsx", as Windows names one): the roll-up would add 李明 twice.
    name = next(iter(SALES))
    shutil.copyfile(folder_of_people / f"{name}.xlsx", folder_of_people / f"{name} (1).xlsx")
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--rollup", "--today", TODAY, "-j", "1")
    assert result.exit_code == 1, result.output
    rollup = manifest(out)[0]
    assert (rollup["kind"], rollup["status"], rollup["output"]) == ("rollup", "failed", "")
    assert rollup["error"] == (f"No roll-up made: {name} ({name} (1).xlsx, {name}.xlsx) each have more than one workbook, "
                               "so the roll-up would count their figures twice. Keep one of each and run again "
                               "(--resume makes only what is left).")
    assert not list(out.glob("*团队汇总*"))
    assert sorted(r["status"] for r in manifest(out)[1:]) == ["ok"] * (len(SALES) + 1)  # every person's own report


def test_a_misspelt_name_in_one_row_makes_no_report_for_a_person_who_is_not_there(tmp_path):
    sheets = team_sheets()
    name = next(iter(SALES))
    misspelt = name[0] + "韦"  # 张伟 typed 张韦 in one 客户流失 row: a "person" with no figures of their own
    sheets["客户流失"][1][-1] = misspelt
    out = tmp_path / "out"
    result = run("batch", write_workbook(tmp_path / "全员.xlsx", sheets), "--split-by", "-o", out, "--today", TODAY)
    assert result.exit_code == 1, result.output
    [failed] = [r for r in manifest(out) if r["status"] == "failed"]
    assert (failed["person"], failed["output"]) == (misspelt, "")
    assert failed["error"] == (f"No report made for “{misspelt}”: the '目标达成' sheet has no figures for that name "
                               f"(first found in row 2 of the '客户流失' sheet), so it is most likely “{name}” misspelt. "
                               "Correct the name and run again.")
    assert sorted(r["person"] for r in manifest(out) if r["status"] == "ok") == sorted(SALES)


def test_batch_splits_one_workbook_by_person_in_parallel_workers(tmp_path):
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets())
    out = tmp_path / "out"
    result = run(
        "batch", workbook, "--split-by", "销售员", "--rollup", "-o", out, "--today", TODAY, "-j", "2", env=ENGLISH
    )
    assert result.exit_code == 0, result.output
    for name in SALES:
        report = out / f"销售一组-{name}-2026年10月.docx"
        assert_own_figures_only(report, name)
        assert "竞品降价" in text_of(report)  # the shared sheet
        assert f"{name}的贡献" in text_of(report)
    rows = team_table_rows(out / "销售一组-团队汇总-2026年10月.docx")
    assert set(rows) == set(SALES)
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as stream:
        listed = list(csv.DictReader(stream))
    assert sorted(row["person"] for row in listed if row["kind"] == "report") == sorted(SALES)
    assert {row["input_hash"] for row in listed} == {batch.file_hash(workbook)}


def test_split_by_alone_means_the_salesperson_column(tmp_path):
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets())
    result = run("batch", workbook, "-o", tmp_path / "out", "--today", TODAY, "-j", "1", "--split-by")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == sorted(
        f"销售一组-{name}-2026年10月.docx" for name in SALES
    )


def test_split_by_another_column_is_refused(tmp_path):
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets())
    result = run("batch", workbook, "--split-by", "区域", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "cannot split by “区域”" in result.output and "销售员" in result.output
    assert not (tmp_path / "out").exists()


def test_a_workbook_without_salespeople_cannot_be_split(tmp_path, minimal_sheets):
    workbook = write_workbook(tmp_path / "team.xlsx", minimal_sheets)
    result = run("batch", workbook, "--split-by", "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 1
    assert "no sheet has a salesperson column" in result.output
    assert manifest(tmp_path / "out")[0]["status"] == "failed"


# --- one bad workbook -----------------------------------------------------------


def test_a_corrupt_workbook_fails_alone_and_is_named_in_the_manifest(folder_of_people, tmp_path):
    (folder_of_people / "坏的.xlsx").write_text("姓名,销售额\n赵六,100\n", encoding="utf-8")
    bad_cell = person_sheets("钱七", 99.9)
    bad_cell["目标达成"][1][2] = "一百"  # text where the target should be
    write_workbook(folder_of_people / "钱七.xlsx", bad_cell)
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "2")
    assert result.exit_code == 1
    for name in SALES:
        assert_own_figures_only(out / f"销售一组-{name}-2026年10月.docx", name)
    records = {Path(r["input"]).name: r for r in manifest(out)}
    corrupt = records["坏的.xlsx"]
    assert corrupt["status"] == "failed"
    assert "坏的.xlsx" in corrupt["error"] and "not an Excel .xlsx workbook" in corrupt["error"]
    cell = records["钱七.xlsx"]
    assert cell["status"] == "failed" and (cell["sheet"], cell["cell"]) == ("目标达成", "C2")
    assert "一百" in cell["error"]
    assert "坏的.xlsx" in result.output and "2 failed" in result.output
    assert len(list(out.glob("*.docx"))) == 3


def test_dry_run_checks_everything_and_writes_nothing(folder_of_people, tmp_path):
    (folder_of_people / "坏的.xlsx").write_bytes(b"")
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--rollup", "--dry-run", "--today", TODAY, "-j", "1")
    assert result.exit_code == 1
    assert not out.exists()
    assert "Checked 5 records: 4 fine, 1 with problems; nothing was written." in result.output
    assert "the file is empty" in result.output


# --- outputs that exist, resume, interruption ---------------------------------------


def test_existing_reports_are_not_replaced_without_resume_or_force(folder_of_people, tmp_path):
    out = tmp_path / "out"
    assert run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1").exit_code == 0
    again = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1")
    assert again.exit_code == 2
    assert "already exist" in again.output and "--resume" in again.output and "--force" in again.output
    report = out / "销售一组-张三-2026年10月.docx"
    before = report.stat().st_mtime_ns
    time.sleep(0.01)
    forced = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1", "--force")
    assert forced.exit_code == 0
    assert report.stat().st_mtime_ns != before


def test_resume_redoes_only_what_changed_or_is_missing(folder_of_people, tmp_path):
    out = tmp_path / "out"
    assert run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1").exit_code == 0
    kept = out / "销售一组-张三-2026年10月.docx"
    missing = out / "销售一组-李四-2026年10月.docx"
    changed = out / "销售一组-王五-2026年10月.docx"
    kept_time = kept.stat().st_mtime_ns
    missing.unlink()
    write_workbook(folder_of_people / "王五.xlsx", person_sheets("王五", 456.7))
    (out / ".~docgen-leftover.tmp").write_bytes(b"half a report")

    result = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1", "--resume")
    assert result.exit_code == 0, result.output
    assert kept.stat().st_mtime_ns == kept_time
    assert missing.exists() and "456.7" in text_of(changed)
    statuses = {Path(r["output"]).name: r["status"] for r in manifest(out)}
    assert statuses == {kept.name: "skipped", missing.name: "ok", changed.name: "ok"}
    assert not list(out.glob(".~docgen-*"))


def _interrupting_render(number: int) -> Document:
    if number == 2:
        raise KeyboardInterrupt
    document = docx.Document()
    document.add_paragraph(f"document {number}")
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(buffer.getvalue())


def test_ctrl_c_keeps_finished_reports_and_leaves_a_true_manifest(tmp_path):
    out = tmp_path / "out"
    jobs = [
        Job(key=f"k{n}", input="in.xlsx", person=f"p{n}", kind="report", output=str(out / f"{n}.docx"),
            input_hash="h", render=_interrupting_render, args=(n,))
        for n in range(4)
    ]
    with pytest.raises(BatchInterrupted) as caught:
        run_jobs(jobs, RunSettings(out, jobs=1))
    assert "2 of 4 records finished" in str(caught.value) and "--resume" in str(caught.value)
    assert sorted(p.name for p in out.iterdir()) == ["0.docx", "1.docx", "manifest.csv", "manifest.json"]
    assert [r["status"] for r in manifest(out)] == ["ok", "ok", "pending", "pending"]


def test_a_killed_run_leaves_no_partial_report_and_resume_finishes_it(tmp_path):
    # Enough records that the run is still going when the manifest first shows two finished (reports are quick).
    names = [f"销售{n:03d}" for n in range(80)]
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets(names))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(workbook), "--split-by", "-o", str(out),
               "--today", TODAY, "-j", "1", "-q"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=killed_run_environment(tmp_path))
    try:
        finished = []
        deadline = time.monotonic() + 120
        while len(finished) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            if (out / "manifest.json").exists():
                finished = [r for r in manifest(out) if r["status"] == "ok"]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        _, said = process.communicate()
    assert process.returncode == -signal.SIGKILL, said.decode()
    assert 2 <= len(finished) < len(names)

    for report in out.glob("*.docx"):
        docx.Document(str(report))  # every .docx there is whole
    times = {Path(r["output"]).name: (out / Path(r["output"]).name).stat().st_mtime_ns for r in finished}

    result = run("batch", workbook, "--split-by", "-o", out, "--today", TODAY, "-j", "1", "--resume")
    assert result.exit_code == 0, result.output
    records = manifest(out)
    assert sorted(r["person"] for r in records) == sorted(names)
    for record in records:
        name = Path(record["output"]).name
        if name in times:
            assert record["status"] == "skipped"
            assert (out / name).stat().st_mtime_ns == times[name]
        else:
            assert record["status"] == "ok"
        assert record["person"] in text_of(out / name)
    assert not list(out.glob(".~docgen-*"))


# --- names ------------------------------------------------------------------------


def test_hostile_names_stay_inside_the_output_folder(tmp_path):
    hostile = ["../../x", "CON", "销" * 200, "a/b\\c"]
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets(hostile))
    nameless = write_workbook(tmp_path / "无名.xlsx", person_sheets("无名", 1.0, author=None))
    out = tmp_path / "out"
    result = run("batch", workbook, "--split-by", "-o", out, "--name", "{person}.docx", "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    second = run("batch", nameless, "-o", out, "--name", "{person}", "--today", TODAY, "-j", "1")
    assert second.exit_code == 0, second.output
    written = sorted(out.glob("*.docx"))
    assert len(written) == 5
    for path in written:
        assert path.resolve().parent == out.resolve()
        assert len(path.name.encode("utf-8")) <= 240
        assert not path.name.startswith(".")
    names = {p.name for p in written}
    assert "_CON.docx" in names and "report.docx" in names
    assert not (tmp_path / "x.docx").exists() and not (tmp_path.parent / "x.docx").exists()


def test_same_names_are_numbered(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for file in ("a.xlsx", "b.xlsx"):
        write_workbook(folder / file, person_sheets("张三", 123.4))
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "--name", "{团队}-{销售员}", "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["销售一组-张三 (2).docx", "销售一组-张三.docx"]


@pytest.mark.parametrize(
    ("sheets", "pattern", "name"),
    [
        (team_sheets(), "{team}-{period}-{level}-{period_name}-{团队}-{file}.docx",
         "销售一组-2026年10月-团队-月度-销售一组-团队.docx"),
        (person_sheets("张三", 123.4), "{person}-{period_label}-{level_label}-{lang}.docx", "张三-2026年10月-个人-zh.docx"),
    ],
    ids=["team", "individual"],
)
def test_a_name_pattern_gives_the_same_name_through_docgen_toml_and_name(tmp_path, monkeypatch, sheets, pattern, name):
    """One vocabulary: docgen.toml's [output] naming (docgen render) and --name (docgen batch) agree."""
    workbook = write_workbook(tmp_path / "团队.xlsx", sheets)
    (tmp_path / "docgen.toml").write_text(f'[output]\nnaming = "{pattern}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rendered = run("render", workbook, "--today", TODAY, "--no-previous")
    assert rendered.exit_code == 0, rendered.output
    batched = run("batch", workbook, "-o", tmp_path / "out", "--name", pattern, "--today", TODAY, "-j", "1", "-q")
    assert batched.exit_code == 0, batched.output
    assert (tmp_path / name).is_file() and (tmp_path / "out" / name).is_file()


def test_a_name_field_nobody_has_is_refused_before_anything_is_written(folder_of_people, tmp_path):
    result = run("batch", folder_of_people, "-o", tmp_path / "out", "--name", "{nickname}.docx", "-j", "1")
    assert result.exit_code == 2
    assert "{nickname}" in result.output and "{person}" in result.output
    assert not (tmp_path / "out").exists()


# --- output styles, combine, PDF ---------------------------------------------------


def test_json_summary_and_quiet(folder_of_people, tmp_path):
    result = run("batch", folder_of_people, "-o", tmp_path / "out", "--json", "--today", TODAY, "-j", "1")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert (summary["records"][0]["status"], summary["ok"], summary["failed"]) == ("ok", 3, 0)
    quiet = run("batch", folder_of_people, "-o", tmp_path / "quiet", "-q", "--today", TODAY, "-j", "1")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_combine_puts_every_report_in_one_document_each_on_a_new_page(folder_of_people, tmp_path):
    out = tmp_path / "out"
    combined = tmp_path / "打印.docx"
    result = run("batch", folder_of_people, "-o", out, "--rollup", "--combine", combined, "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    text = text_of(combined)
    for name in SALES:
        assert f"{name}2026年10月个人销售工作总结" in text
    assert text.index("销售一组2026年10月销售工作总结") < text.index("张三2026年10月个人销售工作总结")
    xml = docx.Document(str(combined)).element.body.xml
    assert xml.count('w:type="page"') >= 3


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    shutil.copyfile(FAKES / "soffice", program)
    program.chmod(0o755)
    record = tmp_path / "record"
    record.mkdir()
    monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(record))
    return program


def test_pdf_copies_are_made_in_the_workers(folder_of_people, tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-pdf")
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", fake_soffice, "--today", TODAY, "-j", "2")
    assert result.exit_code == 0, result.output
    for record in manifest(out):
        assert record["pdf_status"] == "ok"
        assert Path(record["pdf"]).read_bytes().startswith(b"%PDF")


def test_a_failed_pdf_keeps_the_report_and_is_recorded(folder_of_people, tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-nothing")
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", fake_soffice, "--today", TODAY, "-j", "1")
    assert result.exit_code == 1
    for record in manifest(out):
        assert (record["status"], record["pdf_status"]) == ("ok", "failed")
        assert "wrote no PDF" in record["pdf_error"]
        assert_own_figures_only(Path(record["output"]), record["person"])
    assert "pdf failed" in result.output


@pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")
def test_a_soffice_that_cannot_be_kept_running_converts_each_pdf_on_its_own(folder_of_people, tmp_path,
                                                                          fake_soffice, monkeypatch):
    from docgen.output.office import find_uno_python

    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-pdf")
    calls = tmp_path / "calls"
    logged = tmp_path / "bin" / "logged-soffice"  # the fake, each start written down
    logged.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {fake_soffice} "$@"\n', encoding="utf-8")
    logged.chmod(0o755)
    out = tmp_path / "out"

    started = time.monotonic()
    result = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", logged, "--today", TODAY, "-j", "1")

    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 60, "the failed start of the kept LibreOffice is not waited out"
    lines = calls.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "--accept=" in line]
    assert len(kept) == (1 if find_uno_python() else 0), "one try at a kept LibreOffice for the run's one worker"
    assert len([line for line in lines if "--convert-to" in line]) == len(SALES)
    for record in manifest(out):
        assert record["pdf_status"] == "ok" and Path(record["pdf"]).read_bytes().startswith(b"%PDF")


def test_no_libreoffice_says_how_to_install_it_and_keeps_the_reports(folder_of_people, tmp_path):
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", tmp_path / "nowhere", "-j", "1",
                 "--today", TODAY)
    assert result.exit_code == 1
    for record in manifest(out):
        assert record["status"] == "ok" and record["pdf_status"] == "failed"
        assert "libreoffice-writer-nogui" in record["pdf_error"]
    assert len(list(out.glob("*.docx"))) == 3


@pytest.mark.skipif(sys.platform != "linux", reason="counts LibreOffice's processes with pgrep")
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_worker_keeps_one_libreoffice_for_all_its_pdfs(tmp_path, monkeypatch, require_soffice, jobs):
    from docgen.output.office import find_uno_python

    if find_uno_python() is None:
        pytest.skip("no Python here can import uno (apt-get install python3-uno)")
    names = ["赵一", "钱二", "孙三", "李四"]
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets(names))
    starts = tmp_path / "starts"
    soffice = tmp_path / "bin" / "soffice"  # LibreOffice itself, each start written down
    soffice.parent.mkdir()
    soffice.write_text(f'#!/bin/sh\necho "$*" >> {starts}\nexec {shutil.which("soffice")} "$@"\n', encoding="utf-8")
    soffice.chmod(0o755)
    temp = tmp_path / "temp"  # LibreOffice's profiles go here: it names this run's LibreOffices
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)
    out = tmp_path / "out"

    result = run("batch", workbook, "--split-by", "-o", out, "--pdf", "--soffice", soffice, "--today", TODAY,
                 "-j", jobs, env=ENGLISH)

    assert result.exit_code == 0, result.output
    started = starts.read_text(encoding="utf-8").splitlines()
    assert all("--accept=pipe" in line for line in started), "no PDF went the one-LibreOffice-per-file way"
    assert 1 <= len(started) <= jobs, f"one LibreOffice per worker, not per document: {started}"
    deadline = time.monotonic() + 5
    left = ["pgrep", "-f", str(temp)]
    while subprocess.run(left, capture_output=True).returncode == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert subprocess.run(left, capture_output=True, text=True).stdout == "", "LibreOffice outlived the run"
    records = manifest(out)
    assert sorted(record["person"] for record in records) == sorted(names)
    for record in records:
        assert record["pdf_status"] == "ok", record
        text = subprocess.run(["pdftotext", record["pdf"], "-"], capture_output=True, text=True).stdout
        assert record["person"] in "".join(text.split()) and "的流失客户" in "".join(text.split())


@pytest.mark.skipif(sys.platform != "linux", reason="counts LibreOffice's processes with pgrep")
def test_the_libreoffices_of_a_killed_runs_workers_do_not_linger(tmp_path, require_soffice):
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets([f"销售{n:02d}" for n in range(8)]))
    environment = killed_run_environment(tmp_path)  # LibreOffice's profiles go under this run's TMPDIR
    ours = ["pgrep", "-f", environment["TMPDIR"]]
    command = [sys.executable, "-m", "docgen", "batch", str(workbook), "--split-by", "-o", str(tmp_path / "out"),
               "--pdf", "--today", TODAY, "-j", "2", "-q"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if "soffice" in subprocess.run([*ours, "-a"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before a worker's LibreOffice was seen"
        process.kill()  # the run alone: its workers see their pipe close and end, and LibreOffice's watchers with them
        process.wait()
        deadline = time.monotonic() + 20
        while subprocess.run(ours, capture_output=True).returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert subprocess.run([*ours, "-a"], capture_output=True, text=True).stdout == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in subprocess.run(ours, capture_output=True, text=True).stdout.split():
            os.kill(int(pid), signal.SIGKILL)


def _living_members(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies do not count), from /proc."""
    living = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(stat.parent.name))
    return living


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_of_a_killed_run_do_not_linger(tmp_path):
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets([f"销售{n:02d}" for n in range(24)]))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(workbook), "--split-by", "-o", str(out),
               "--today", TODAY, "-j", "2", "-q"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=killed_run_environment(tmp_path))
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*.docx")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.kill()  # the run alone, as `kill -9 PID` does; its workers are told by a closed pipe
        process.wait()
        deadline = time.monotonic() + 30
        while _living_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _living_members(process.pid) == []
    finally:
        for pid in _living_members(process.pid):
            os.kill(pid, signal.SIGKILL)
    for report in out.glob("*.docx"):
        docx.Document(str(report))


# --- help and the samples -----------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"


def test_batch_help_shows_examples():
    result = run("batch", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output and "docgen batch" in result.output and "--split-by" in result.output


def test_the_sample_month_folder_and_the_all_in_one_workbook_agree(tmp_path):
    folder = SAMPLES / "2026-10-华东销售一组-个人月报"
    all_in_one = SAMPLES / "华东销售一组-2026年10月-全员明细.xlsx"
    before = {path: batch.file_hash(path) for path in [*folder.iterdir(), all_in_one]}
    from_folder = run("batch", folder, "-o", tmp_path / "folder", "--rollup", "--today", TODAY)
    from_split = run("batch", all_in_one, "--split-by", "-o", tmp_path / "split", "--rollup", "--today", TODAY)
    assert from_folder.exit_code == 0 and from_split.exit_code == 0, from_folder.output + from_split.output
    rollup = "华东销售一组-团队汇总-2026年10月.docx"
    assert team_table_rows(tmp_path / "folder" / rollup) == team_table_rows(tmp_path / "split" / rollup)
    assert set(team_table_rows(tmp_path / "folder" / rollup)) == {"李明", "张伟", "刘洋", "陈静"}
    for name in ("李明", "张伟", "刘洋", "陈静"):
        report = f"华东销售一组-{name}-2026年10月.docx"
        # Up to the team part: only the split workbook knows the whole team, so only there has a share.
        folder_text, split_text = (text_of(tmp_path / kind / report) for kind in ("folder", "split"))
        assert folder_text.split("对团队的贡献")[0] == split_text.split("对团队的贡献")[0]
        assert "占团队业绩" in split_text.split("对团队的贡献", 1)[1]
    assert before == {path: batch.file_hash(path) for path in before}, "an input was modified"


def test_batch_prints_check_findings_and_strict_fails_those_records(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # No 新增客户 or 客户流失率 row: docgen check's DG101 (a core indicator missing).
    write_workbook(folder / "张三.xlsx", person_sheets("张三", SALES["张三"]))
    result = run("batch", folder, "-o", tmp_path / "out", "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Warning: 张三.xlsx" in result.output and "DG101" in result.output
    (record,) = manifest(tmp_path / "out")
    assert record["status"] == "ok" and any("DG101" in finding for finding in record["findings"])

    strict = run("batch", folder, "-o", tmp_path / "strict", "--today", TODAY, "--jobs", "1", "--strict")
    assert strict.exit_code == 1
    (record,) = manifest(tmp_path / "strict")
    assert record["status"] == "failed" and "DG101" in record["error"]
    assert list((tmp_path / "strict").glob("*.docx")) == []


# --- hostile files, names and values -------------------------------------------------------------


def manifest_csv(folder: Path) -> list[dict]:
    """manifest.csv's rows by column position, named as manifest.json names them (the headers are in the user's language)."""
    from docgen.runs.records import MANIFEST_COLUMNS

    rows = list(csv.reader(io.StringIO((folder / "manifest.csv").read_text(encoding="utf-8-sig"))))
    return [dict(zip(MANIFEST_COLUMNS, row, strict=True)) for row in rows[1:]]


def manifest_csv_lines(folder: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / "manifest.csv").read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize(
    ("env", "header", "statuses"),
    [
        (CHINESE, ["输入", "销售员", "类型", "行", "输出", "状态", "错误"], {"成功", "失败"}),
        (ENGLISH, ["input", "person", "kind", "row", "output", "status", "error"], {"ok", "failed"}),
    ],
)
def test_manifest_csv_speaks_the_users_language_and_manifest_json_keeps_its_codes(tmp_path, env, header, statuses):
    folder = tmp_path / "in"
    folder.mkdir()
    write_workbook(folder / "张三.xlsx", person_sheets("张三", 123.4))
    (folder / "坏的.xlsx").write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "--today", TODAY, "-j", "1", env=env)
    assert result.exit_code == 1, result.output
    lines = manifest_csv_lines(out)
    assert lines[0][:7] == header
    assert {row["status"] for row in manifest_csv(out)} == statuses
    kinds = {row["kind"] for row in manifest_csv(out)}
    assert kinds == ({"报告"} if env is CHINESE else {"report"})
    # manifest.json is read by programs and by --resume: English keys and codes in any language.
    assert {record["status"] for record in manifest(out)} == {"ok", "failed"}
    assert {record["kind"] for record in manifest(out)} == {"report"}


def test_values_that_start_a_formula_are_inert_in_manifest_csv_and_never_start_a_name(tmp_path):
    import openpyxl

    hostile = ['=HYPERLINK("http://example.com/x","click")', "+1+1", "@SUM(1)", "-2+3"]
    workbook = write_workbook(tmp_path / "全员.xlsx", team_sheets(hostile))
    book = openpyxl.load_workbook(workbook)
    for sheet in book:  # typed as text in Excel: a text cell, not a formula
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(workbook)
    out = tmp_path / "out"
    result = run("batch", workbook, "--split-by", "-o", out, "--name", "{person}.docx", "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.docx"))
    # (a leading "-" goes as a separator before an empty field would)
    assert names == ['2+3.docx', '_+1+1.docx', '_=HYPERLINK(_http___example.com_x_,_click_).docx', '_@SUM(1).docx']
    in_csv = {row["person"] for row in manifest_csv(out)}
    assert in_csv == {"'" + name for name in hostile}
    assert {row["person"] for row in manifest(out)} == set(hostile)  # the JSON keeps them as they are
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in manifest_csv(out) for cell in row.values())


def test_resume_remakes_a_report_that_does_not_open(folder_of_people, tmp_path):
    import zipfile

    out = tmp_path / "out"
    assert run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1").exit_code == 0
    emptied = out / "销售一组-张三-2026年10月.docx"
    zipfile.ZipFile(emptied, "w").close()  # an empty zip: a zip, but no document
    cut = out / "销售一组-李四-2026年10月.docx"
    with zipfile.ZipFile(cut, "w") as archive:
        archive.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body>")  # cut off half-way
    kept = out / "销售一组-王五-2026年10月.docx"
    kept_time = kept.stat().st_mtime_ns

    result = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1", "--resume")
    assert result.exit_code == 0, result.output
    statuses = {Path(r["output"]).name: r["status"] for r in manifest(out)}
    assert statuses == {emptied.name: "ok", cut.name: "ok", kept.name: "skipped"}
    assert "张三" in text_of(emptied) and "李四" in text_of(cut)
    assert kept.stat().st_mtime_ns == kept_time
    assert report_opens(emptied) and not report_opens(tmp_path / "absent.docx")


@pytest.mark.skipif(os.name == "nt", reason="FIFOs are POSIX's")
def test_a_folders_fifo_and_subfolder_are_listed_as_not_read(folder_of_people, tmp_path):
    os.mkfifo(folder_of_people / "管道.xlsx")  # opening it would wait for ever
    (folder_of_people / "文件夹.xlsx").mkdir()
    out = tmp_path / "out"
    started = time.monotonic()
    result = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1")
    assert time.monotonic() - started < 60
    assert result.exit_code == 0, result.output
    assert "3 written, 0 already up to date, 0 failed, 2 not read (not a regular file)" in result.output
    records = {Path(r["input"]).name: r for r in manifest(out)}
    assert records["管道.xlsx"]["status"] == "skipped" and not records["管道.xlsx"]["output"]
    assert records["管道.xlsx"]["note"] == "管道.xlsx: not read: this is a named pipe (FIFO), not a file docgen can read"
    assert records["文件夹.xlsx"]["note"] == "文件夹.xlsx: not read: this is a folder, not a file docgen can read"
    assert len(list(out.glob("*.docx"))) == 3


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes as a name")
def test_a_workbook_whose_name_is_not_utf8_fails_alone_and_the_manifest_names_it_safely(folder_of_people, tmp_path):
    undecodable = folder_of_people / "bad\udcff.xlsx"  # the bytes b"bad\xff.xlsx"
    shutil.copyfile(folder_of_people / "张三.xlsx", undecodable)
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--today", TODAY, "-j", "1")
    assert result.exit_code == 1
    assert "bad\\xff.xlsx: the name is not valid UTF-8 text" in result.output
    records = {Path(r["input"]).name: r for r in manifest(out)}
    failed = records["bad\\xff.xlsx"]
    assert failed["status"] == "failed" and "Rename the file or folder" in failed["error"]
    assert {r["input"].rsplit("/", 1)[-1] for r in manifest_csv(out)} == set(records)
    assert len(list(out.glob("*.docx"))) == 3  # the others' reports (张三's twice: the copy failed)


def test_merge_values_that_start_a_formula_are_inert_in_manifest_csv_and_names(tmp_path):
    import openpyxl

    letter = docx.Document()
    letter.add_paragraph("尊敬的{{ 姓名 }}：")
    letter.save(tmp_path / "letter.docx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名"])
    for value in ["+1+1", "@SUM(1)", "=1+1", "COM¹", "CONIN$"]:
        sheet.append([value])
        sheet.cell(sheet.max_row, 1).data_type = "s"  # typed as text, not a formula
    book.save(tmp_path / "data.xlsx")
    out = tmp_path / "out"
    result = run("merge", tmp_path / "letter.docx", tmp_path / "data.xlsx", "-o", out, "--name", "{姓名}.docx", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == [
        "_+1+1.docx", "_=1+1.docx", "_@SUM(1).docx", "_COM¹.docx", "_CONIN$.docx"
    ]
    assert [row["person"] for row in manifest_csv(out)] == ["'+1+1", "'@SUM(1)", "'=1+1", "COM¹", "CONIN$"]
    assert "尊敬的+1+1：" in text_of(out / "_+1+1.docx")


def test_the_manifest_names_a_report_made_only_once_it_and_its_folder_are_synced(tmp_path, monkeypatch):
    from docgen.runs import engine
    from docgen.runs.manifest import Manifest

    synced: set[str] = set()
    claimed_unsynced: list[str] = []
    sync_files, flush = engine.sync_files, Manifest.flush

    def recording_sync(paths):
        paths = list(paths)
        sync_files(paths)
        synced.update(map(str, paths))

    def checking_flush(self, *, now=False):
        claimed_unsynced.extend(r.output for r in self.rows.values() if r.status == "ok" and r.output not in synced)
        flush(self, now=now)

    monkeypatch.setattr(engine, "sync_files", recording_sync)
    monkeypatch.setattr(Manifest, "flush", checking_flush)
    out = tmp_path / "out"
    numbers = [0, 1, 3, 4, 5]  # 2 would interrupt
    jobs = [
        Job(key=f"k{n}", input="in.xlsx", person=f"p{n}", kind="report", output=str(out / f"{n}.docx"),
            input_hash="h", render=_interrupting_render, args=(n,))
        for n in numbers
    ]
    run_jobs(jobs, RunSettings(out, jobs=1))
    assert not claimed_unsynced
    assert synced == {str(out / f"{n}.docx") for n in numbers}
    assert [r["status"] for r in manifest(out)] == ["ok"] * len(numbers)


def test_a_run_says_once_why_each_pdf_started_a_libreoffice_of_its_own(folder_of_people, tmp_path, fake_soffice,
                                                                      monkeypatch):
    # No Python that can import uno (Debian's python3-uno missing): slower PDFs, and the user is told why and what to do.
    monkeypatch.setenv("FAKE_SOFFICE_BEHAVIOUR", "writes-pdf")
    monkeypatch.setenv("DOCGEN_UNO_PYTHON", str(tmp_path / "no-such-python"))
    out = tmp_path / "out"
    result = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", fake_soffice, "--today", TODAY, "-j", "1")
    assert result.exit_code == 0, result.output
    assert all(record["pdf_status"] == "ok" for record in manifest(out))
    assert result.output.count("python3-uno") == 1

    again = run("batch", folder_of_people, "-o", out, "--pdf", "--soffice", fake_soffice, "--today", TODAY, "--force",
                env={"DOCGEN_LANG": "zh"})
    assert again.exit_code == 0, again.output
    assert "每个 PDF 都会单独启动一个 LibreOffice" in again.output
