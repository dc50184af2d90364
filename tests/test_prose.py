"""A reviewer reads every report: no sentence twice, no word doubled, no share word against its figure, no empty heading.

The rules are docs/narrative.md's ("Shares in tenths", "Saying a thing once",
"Periods and comparisons", "Joining the workbook's words"). Every sample in
sample_inputs/ is rendered in both languages (a Chinese workbook in English
too), and so are workbooks made for the cases issue 16 found.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from pathlib import Path

import docx
import pytest
from conftest import write_workbook

from docgen.input.workbook import load_workbook
from docgen.report import formatting as fmt
from docgen.runs.report import ReportOptions, build_report

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
SAMPLE_WORKBOOKS = sorted(SAMPLES.glob("*.xlsx")) + sorted((SAMPLES / "2026-10-华东销售一组-个人月报").glob("*.xlsx"))
TODAY = dt.date(2026, 11, 2)


TABLE = ("Table", "")  # where a table stands among the paragraphs: content under a heading, but not prose


@functools.cache
def _rendered(path: Path, lang: str) -> tuple[tuple[str, str], ...]:
    """(style name, text) of each body paragraph of the report, in order, with TABLE where a table stands."""
    return _paragraphs(build_report(load_workbook(path), ReportOptions(today=TODAY, lang=lang)).document)


def _paragraphs(report: bytes) -> tuple[tuple[str, str], ...]:
    document = docx.Document(io.BytesIO(report))
    paragraphs = iter(document.paragraphs)
    found = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}tbl"):
            found.append(TABLE)
        elif child.tag.endswith("}p"):
            paragraph = next(paragraphs)
            found.append((paragraph.style.name if paragraph.style is not None else "", paragraph.text))
    return tuple(found)


def _text(paragraphs) -> str:
    return "\n".join(text for _, text in paragraphs)


# -- the reviewer's checks -----------------------------------------------------

_ZH_END = re.compile(r"(?<=[。！？])")
_EN_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u4e00-\u9fff])")


def sentences(paragraphs) -> list[str]:
    """The sentences of the prose: paragraphs that end like a sentence, split at their full stops."""
    found = []
    for style, text in paragraphs:
        text = text.strip()
        if style.startswith(("Heading", "Title", "Subtitle")) or not text.endswith(("。", ".", "！", "？", "!", "?", "）")):
            continue
        for part in _EN_END.split(text):
            found += [s.strip() for s in _ZH_END.split(part) if len(s.strip()) >= 12]
    return found


def repeated_sentences(paragraphs) -> list[str]:
    seen, repeated = set(), []
    for sentence in sentences(paragraphs):
        if sentence in seen:
            repeated.append(sentence)
        seen.add(sentence)
    return repeated


# "影响是影响", "原因是原因", "the the": a word the phrase says and the workbook's text says again.
_ZH_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})[是为的]?\1")
_EN_DOUBLED = re.compile(r"\b([A-Za-z]{2,})\s+\1\b", re.IGNORECASE)


def doubled_words(text: str) -> list[str]:
    return [m.group(0) for m in _ZH_DOUBLED.finditer(text)] + [m.group(0) for m in _EN_DOUBLED.finditer(text)]


_SHARE = re.compile(r"(不到|近|逾)?([一两三四五六七八九十])成（(\d+(?:\.\d)?)%）")


def contradicting_shares(text: str) -> list[str]:
    """Share words that docs/narrative.md's rule would not give for the figure beside them."""
    wrong = []
    for m in _SHARE.finditer(text):
        said = (m.group(1) or "") + m.group(2) + "成"
        expected = fmt.tenths(float(m.group(3)) / 100)
        if said != expected:
            wrong.append(f"{m.group(0)} (the rule says {expected})")
    return wrong


def empty_headings(paragraphs) -> list[str]:
    """Headings with nothing under them before the next heading of their level or above."""
    empty = []
    items = list(paragraphs)
    for i, (style, text) in enumerate(items):
        level = _heading_level(style)
        if level is None:
            continue
        following = next(((s, t) for s, t in items[i + 1 :] if t.strip() or (s, t) == TABLE), None)
        if following is None:
            empty.append(text)
            continue
        next_level = _heading_level(following[0])
        if next_level is not None and next_level <= level:
            empty.append(text)
    return empty


def _heading_level(style: str) -> int | None:
    m = re.fullmatch(r"Heading (\d)", style)
    return int(m.group(1)) if m else None


def problems(paragraphs) -> dict[str, list[str]]:
    text = _text(paragraphs)
    found = {
        "repeated sentences": repeated_sentences(paragraphs),
        "doubled words": [word for _, paragraph in paragraphs for word in doubled_words(paragraph)],
        "share words against their figure": contradicting_shares(text),
        "empty headings": empty_headings(paragraphs),
    }
    return {name: items for name, items in found.items() if items}


# -- the samples ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", SAMPLE_WORKBOOKS, ids=lambda path: path.stem)
def test_a_sample_report_reads_like_a_careful_persons(path, lang, sample_report):
    paragraphs = _paragraphs(sample_report(path, lang)[0])
    assert len(sentences(paragraphs)) > 5  # the checks have prose to read
    assert problems(paragraphs) == {}


def test_the_checks_catch_what_issue_16_found():
    # The guard itself: each case of the issue is caught.
    body = [("Body Text", "本月销售额完成1,152.0万元。"), ("List Bullet", "本月销售额完成1,152.0万元。")]
    assert repeated_sentences(body) == ["本月销售额完成1,152.0万元。"]
    assert doubled_words("由此带来的影响是影响本月达成率约6个百分点") == ["影响是影响"]
    assert doubled_words("we met the the target") == ["the the"]
    assert contradicting_shares("占团队业绩近四成（35.0%）") == ["近四成（35.0%） (the rule says 逾三成)"]
    assert contradicting_shares("前三名合计占近八成（78.4%）") == []
    headings = [("Heading 1", "问题与反思"), ("Heading 1", "经验提炼"), ("Body Text", "……。")]
    assert empty_headings(headings) == ["问题与反思"]


# -- workbooks made for issue 16's cases ---------------------------------------------

SOUTH = {  # a team's year: one follow-up, one market event, an impact that starts with 影响, four members
    "报告信息": [["项目", "内容"], ["单位", "星辰科技有限公司"], ["区域", "华南大区"], ["团队", "华南销售二组"],
             ["姓名", "陈立"], ["层级", "团队"], ["周期", "年报"], ["开始日期", "2026-01-01"],
             ["结束日期", "2026-12-31"], ["货币单位", "万元"], ["语言", "中文"]],
    "目标达成": [["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
             ["销售额", "万元", 4000, 4572, 4000, 4000, None], ["新增客户", "家", 60, 66, 55, 55, None],
             ["复购率", "%", 0.40, 0.38, 0.36, 0.36, "主要原因是老客户预算收紧"]],
    "月度趋势": [["指标", *[f"{m}月" for m in range(1, 13)]],
             ["销售额", 300, 320, 340, 350, 360, 370, 380, 390, 400, 420, 440, 465]],
    "客户跟进": [["客户", "日期", "方式", "内容", "结果", "下一步"],
             ["广州华信", "2026-06-12", "上门拜访", "年度采购计划", "确认下单", "准备报价单"]],
    "市场动态": [["事件", "影响", "来源", "应对"], ["竞品降价", "影响中小客户续约", "市场部", "推出返利方案"]],
    "问题反思": [["现象", "原因", "影响", "内外部", "对策"],
             ["大客户签约推迟", "客户预算冻结", "影响本月达成率约6个百分点", "外部", "提前介入立项"]],
    "行动计划": [["序号", "措施", "负责人", "完成时限", "验收标准", "状态"],
             ["S-01", "推进框架协议续签", "陈立", "2027-03-31", "合同签订", "未开始"]],
    "团队贡献": [["成员", "贡献事项", "业绩", "占比"], ["陈立", "框架协议", 1602, None], ["周敏", "新渠道", 1097, None],
             ["吴昊", "带教", 987, None], ["郑爽", "老客户", 886, None]],
}

PARTIAL_WEEK = {  # the blank monthly workbook's weeks run to 第49周, which holds one day of November, left empty
    "报告信息": [["项目", "内容"], ["团队", "华东销售三组"], ["层级", "团队"], ["周期", "月报"],
             ["开始日期", "2026-11-01"], ["结束日期", "2026-11-30"], ["货币单位", "万元"], ["语言", "中文"]],
    "目标达成": [["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"], ["销售额", "万元", 1400, 1212.7, 1300, 1250, None]],
    "月度趋势": [["指标", "第44周", "第45周", "第46周", "第47周", "第48周", "第49周"],
             ["销售额", 320, 300, 310, 296, 286.7, None]],
}

ENGLISH = {  # an English workbook: common nouns, a churn reason, actions that start with a verb
    "Report info": [["Key", "Value"], ["Organization", "Northwind Trading Ltd."], ["Region", "East"],
                    ["Team", "East Team 2"], ["Author", "Dana Wu"], ["Level", "Team"], ["Period", "Monthly"],
                    ["Start date", "2026-10-01"], ["End date", "2026-10-31"], ["Currency unit", "USD"],
                    ["Language", "English"]],
    "Targets": [["Indicator", "Unit", "Target", "Actual", "Previous", "Last year", "Note"],
                ["Sales", "USD", 250000, 271500, 243000, 226000, None],
                ["New customers", "accounts", 8, 6, 7, 5, "Two trade-show leads slipped to November"]],
    "Churn": [["Customer", "Reason", "Amount", "Recovered", "Measure"], ["Harbor Foods", "Price", 12000, "No", None]],
    "Actions": [["ID", "Action", "Owner", "Deadline", "Acceptance", "Status"],
                ["N-01", "Close the two trade-show leads", "Dana Wu", "2026-11-20", "Two signed orders", "In progress"],
                ["N-02", "Qualify the cold-call list", "Dana Wu", "2026-11-10", "Top 50 leads scored", "Not started"]],
}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prose")
    return {name: write_workbook(folder / f"{name}.xlsx", sheets)
            for name, sheets in (("south", SOUTH), ("partial", PARTIAL_WEEK), ("english", ENGLISH))}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["south", "partial", "english"])
def test_a_made_report_reads_like_a_careful_persons(made, name, lang):
    assert problems(_rendered(made[name], lang)) == {}


def test_a_year_compares_with_the_year_before_once(made):
    text = _text(_rendered(made["south"], "zh"))
    assert "环比" not in text.split("结语")[0].replace("环比 ", "")  # the sentences; the table's header is the template's
    assert "同比显著增长14.3%" in text
    assert "1月至12月累计" not in text
    assert "全年以12月最高（465.0万元），1月最低（300.0万元）" in text


def test_counts_of_one_and_the_users_words_read_naturally(made):
    text = _text(_rendered(made["south"], "zh"))
    assert "本年度跟进客户一次（广州华信，上门拜访）。" in text
    assert "一次，涉及一家客户" not in text and "（一次）" not in text
    assert "本年度收集到一条市场动态，来自市场部。" in text or "本年度共掌握一条市场动态，来自市场部。" in text
    assert "大客户签约推迟，原因是客户预算冻结，影响本月达成率约6个百分点。" in text
    assert "原因是主要原因" not in text
    assert "华南大区华南销售二组" not in text and "华南销售二组" in text


def test_share_words_and_concentration_agree(made):
    text = _text(_rendered(made["south"], "zh"))
    assert "占团队业绩逾三成（35.0%）" in text
    assert "前三名" not in text  # three of four members are most of any team


def test_an_empty_last_week_does_not_make_the_trend_unknown(made):
    text = _text(_rendered(made["partial"], "zh"))
    assert "数据不足" not in text
    assert "销售额连续两周下滑，降幅收窄至3.1%；第44周至第48周累计明显下滑10.4%。" in text


def test_english_reads_as_english(made):
    text = _text(_rendered(made["english"], "en"))
    assert "Sales reached 108.6% of target" not in text and "sales reached 108.6% of target" in text
    assert "one customer was lost, worth USD 12,000, on price" in text and "over Price" not in text
    assert "close the two trade-show leads and qualify the cold-call list" in text
    chinese = _text(_rendered(made["south"], "en"))
    assert "华南大区 华南销售二组" not in chinese
    assert "the sales work of 华南销售二组" in chinese or "summarises the sales work of 华南销售二组" in chinese
