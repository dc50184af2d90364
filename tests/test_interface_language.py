"""The interface language: every command's help in Chinese and English, no line mixing the two, Chinese values.

docs/language.md gives the order: `docgen --lang`, DOCGEN_LANG, docgen.toml's
interface_language, the system's language, the workbook's, English.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import click
import click.testing
import pytest
from click.testing import CliRunner

from conftest import write_workbook
from docgen.cli import main
from docgen.cli.localised import cli_text, wrap
from docgen.runs.config import configured_interface_language, load_config
from docgen.text.catalogue import book
from docgen.text.language import interface_language

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"

# The system's language stated, and the workbook's left to decide (C names no language).
NO_LANGUAGE = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "LANGUAGE": None, "DOCGEN_LANG": None}
CHINESE_SYSTEM = {**NO_LANGUAGE, "LANG": "zh_CN.UTF-8"}
ENGLISH_SYSTEM = {**NO_LANGUAGE, "LANG": "en_US.UTF-8"}


def commands(command: click.Command = main, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, path + (name,))


COMMANDS = {" ".join(path) or "docgen": path for path, _ in commands()}


def run(args, env, **kwargs):
    result = CliRunner().invoke(main, [str(arg) for arg in args], env=env, prog_name="docgen", **kwargs)
    assert "Traceback" not in result.output, result.output
    return result


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def catalogue_help(path: tuple[str, ...], lang: str) -> str:
    return cli_text(f"{'.'.join(path) or 'main'}.help", lang)


# -- every command's help, both ways of asking for each language


HOW = {
    "zh": [(CHINESE_SYSTEM, ()), ({**NO_LANGUAGE, "DOCGEN_LANG": "zh"}, ()), (ENGLISH_SYSTEM, ("--lang", "zh"))],
    "en": [(ENGLISH_SYSTEM, ()), ({**CHINESE_SYSTEM, "DOCGEN_LANG": "en"}, ()), (CHINESE_SYSTEM, ("--lang", "en"))],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_helps_in_both_languages(name, lang):
    path = COMMANDS[name]
    wanted = squeezed(catalogue_help(path, lang))
    other = squeezed(catalogue_help(path, "en" if lang == "zh" else "zh").split("\n\n")[0])
    for env, before in HOW[lang]:
        result = run([*before, *path, "--help"], env)
        assert result.exit_code == 0, result.output
        assert wanted in squeezed(result.output), (env, before, result.output)
        assert other not in squeezed(result.output)
        assert ("用法：" in result.output) == (lang == "zh")
        assert mixed_lines(result.output, lang) == []


def test_the_group_lists_each_command_by_its_catalogue_help():
    result = run(["--help"], CHINESE_SYSTEM)
    assert "命令：" in result.output and "选项：" in result.output
    assert "把一个工作簿 WORKBOOK 生成一份 Word 报告。" in result.output


def test_the_version_is_said_in_the_interface_language():
    from docgen import __version__

    assert run(["--version"], CHINESE_SYSTEM).output == f"docgen，版本 {__version__}\n"
    assert run(["--lang", "en", "--version"], CHINESE_SYSTEM).output == f"docgen, version {__version__}\n"


def test_an_option_shows_its_chinese_values_in_a_chinese_interface():
    chinese = run(["render", "--help"], CHINESE_SYSTEM).output
    english = run(["render", "--help"], ENGLISH_SYSTEM).output
    assert "[日报|周报|月报|季报|年报]" in chinese and "[个人|团队|部门]" in chinese and "[中文|英文]" in chinese
    assert "[daily|weekly|monthly|quarterly|annual]" in english


def test_chinese_lines_are_wrapped_by_the_columns_they_take():
    text = "每个问题都有编号（DG101 …）、严重程度（错误、警告或提示）、所在的表和单元格，以及该怎么改的说明。"
    lines = wrap(text, 30, chinese=True)
    assert all(sum(2 if ord(ch) > 0x2e80 else 1 for ch in line) <= 30 for line in lines)
    assert not any(line[0] in "，。、）" for line in lines)  # no line starts with closing punctuation
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("a summary (销售工作总结).", 12) == ["a summary", "(销售工作总结)."]  # English breaks at spaces only


# -- no line mixes the two languages


def _words(table, found: set[str]) -> set[str]:
    for value in table.values():
        if isinstance(value, dict):
            _words(value, found)
        elif isinstance(value, str):
            found.update(word.casefold() for word in re.findall(r"[A-Za-z]{2,}", value))
    return found


ENGLISH_WORDS = set().union(*(_words(book(area, "en"), set()) for area in ("cli", "messages", "checks")))

# What a Chinese line may hold in Latin letters: what the user types or reads as it is.
ALLOWED = [
    r"“[^”]*”|‘[^’]*’|'[^'\n]*'|\"[^\"\n]*\"|`[^`]*`",  # something quoted: the user's own words (first: it may hold a dot)
    r"^\s*(docgen|\$)\s.*$",  # an example command line
    r"\bpip install \S+",  # a command to type
    r"\b\w+://\S+",  # an address
    r"--?[\w-]+",  # an option
    r"\$?\b[A-Z][A-Z0-9_]+\b",  # a metavar, a code (DG103), an environment variable, an acronym
    r"[\w~:/\\.{}*…-]*[/\\.][\w*{}…][\w.*/\\{}…-]*",  # a file name or path (docs/checks.md, out/*.docx, .zip)
    r"\b[\w.]+\[\]",  # a list variable (name[], targets.rows[])
    r"\b\w+_\w+\b",  # a key or field (core_indicators, start_date)
    r"\{[^}]*\}+",  # a field of a name pattern
    r"[^\s!：:]+![A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?",  # a cell as Excel writes it (Targets!G3), the sheet the user's
    r"(?<=DG\d{3} )[^!：:\n]+![A-Z]{1,3}\d+",  # a finding's cell, its sheet's name with a space (Report info!B9)
    r"（[a-z_]+）",  # a field's key beside its name, as workbook show gives it: 指标（indicator）
    r"\[[^\]]*\]",  # Click's [default], a table of docgen.toml ([output])
    r"\b(monthly|weekly|daily|quarterly|annual|individual|team|department)-\w+\b",  # a template key
]
# Words that are names: of programs, of values the user types, of the fields a name pattern holds.
NAMES = {
    "docgen", "word", "excel", "libreoffice", "soffice", "poppler", "jinja", "docxtpl", "mergefield", "english",
    "daily", "weekly", "monthly", "quarterly", "annual", "individual", "team", "department",
    "person", "region", "organization", "author", "title", "period", "level", "lang", "file", "row", "naming",
    "east", "output", "interface", "language", "vars", "list", "explain", "copy", "check", "render", "batch",
    "merge", "preview", "doctor", "workbook", "new", "show", "templates", "pdf", "serve", "docx", "xlsx", "png",
    "zh", "en", "dask", "pip", "install",
    "windows", "macos", "debian", "ubuntu", "simsun", "simhei", "noto", "sans", "serif", "dejavu",  # a system, fonts
    "arial", "calibri", "cambria", "times", "roman", "pdftoppm", "python",
}
_ALLOWED = re.compile("|".join(f"(?:{pattern})" for pattern in ALLOWED), re.MULTILINE)
_CHINESE = re.compile("[\u3400-\u9fff]")


def mixed_lines(output: str, lang: str) -> list[str]:
    """Lines that say something in the other language than `lang`, once names, values and paths are set aside.

    Chinese lines must not hold an English word of the catalogue's English; an
    English line must not hold Chinese sentence punctuation (a Chinese name, a
    sheet or a file is the user's and may stand in it).
    """
    mixed = []
    for line in output.splitlines():
        rest = _ALLOWED.sub(" ", line)
        if lang == "zh" and _CHINESE.search(line):
            words = {word.casefold() for word in re.findall(r"[A-Za-z]{2,}", rest)}
            if (words & ENGLISH_WORDS) - NAMES:
                mixed.append(line)
        elif lang == "en" and re.search("[，。；：！？]", rest):
            mixed.append(line)
    return mixed


def test_the_mixing_rule_catches_what_the_issue_found():
    assert mixed_lines("应为标题为 实际 or Actual 的列", "zh")
    assert mixed_lines("警告：华东销售一组-2026年10月-团队月报.xlsx, roll-up: warning DG103 …", "zh")
    assert not mixed_lines("警告：DG103 目标达成!G3：“实际”列为空，见 docs/checks.md。", "zh")
    assert mixed_lines("Error: 文件是空的。", "en")


USAGE_ERRORS = [
    (["render", "--outptu", "x.docx"], ["错误：没有 '--outptu' 这个选项。您是不是要用 '--output'？"]),
    (["render", "--foo"], ["错误：没有 '--foo' 这个选项。（您是不是要用其中之一：'--force'、'--pdf'？）"]),
    (["rendr"], ["错误：没有 'rendr' 这个命令。您是不是要用 'render'？"]),
    (["render"], ["错误：缺少参数 'WORKBOOK'。"]),
    (["pdf"], ["错误：缺少参数 'DOCUMENTS...'。"]),
    (["render", "a.xlsx", "b", "c"], ["错误：多出了参数（b c）。"]),
    (["batch", "x", "-o", "out"], ["'x' 不存在。"]),
    (["check", "x.xlsx", "--period", "monthy"], ["“monthy”不是以下之一：daily（日报）、weekly（周报）", "。您是不是要用 monthly？"]),
    (["check", "x.xlsx", "--level", "团"], ["“团”不是以下之一", "您是不是要用 团队"]),
    (["workbook", "new", "--period", "月报", "--level", "团队"], ["错误：缺少选项 '-o' / '--output'。"]),
    (["--lang", "fr", "--help"], ["“fr”不是以下之一：zh（中文）、en（英文）。"]),
    (["batch", "-j", "0", "x"], ["'-j' / '--jobs' 的值无效：0 不在 x>=1 范围内。"]),
]


@pytest.mark.parametrize(("args", "said"), USAGE_ERRORS)
def test_clicks_own_usage_errors_speak_chinese(args, said):
    result = run(args, CHINESE_SYSTEM)
    assert result.exit_code == 2
    for text in said:
        assert text in result.output, result.output
    assert "用法：docgen" in result.output and "错误：" in result.output and "Error" not in result.output
    assert mixed_lines(result.output, "zh") == []
    assert not_chinese_punctuation(result.output) == []
    english = run(args, ENGLISH_SYSTEM)
    assert english.exit_code == 2 and "Error: " in english.output and mixed_lines(english.output, "en") == []


def not_chinese_punctuation(output: str) -> list[str]:
    """Chinese lines that end in an English full stop or hold a space beside full-width punctuation."""
    return [
        line for line in output.splitlines()
        if _CHINESE.search(line) and (re.search(r"[^.]\.$", line) or re.search(r"[。：；？！，、）] | [（。：；？！，、]", line))
    ]


def test_chinese_punctuation_tidies_what_click_joins_in_english():
    from docgen.cli.localised import chinese_punctuation

    assert chinese_punctuation("缺少参数 'WORKBOOK'. 可选值：a") == "缺少参数 'WORKBOOK'。可选值：a"
    assert chinese_punctuation("没有 '--foo' 这个选项。 （您是不是要用其中之一：'--force', '--pdf'？）") == (
        "没有 '--foo' 这个选项。（您是不是要用其中之一：'--force'、'--pdf'？）")
    assert chinese_punctuation("缺少参数 'DOCUMENTS...'.") == "缺少参数 'DOCUMENTS...'。"
    assert chinese_punctuation("“out.docx”已存在。") == "“out.docx”已存在。"
    assert chinese_punctuation("Missing argument 'X'. Try it.") == "Missing argument 'X'. Try it."


# -- the samples under LANG=C: the workbook's Chinese is the interface's


def render_sample(folder: Path, env: dict) -> click.testing.Result:
    result = run(["render", SAMPLE, "-o", folder / "团队月报.docx", "--today", "2026-11-02", "--force"], env)
    assert result.exit_code == 0, result.output
    assert (folder / "团队月报.docx").is_file()
    return result


def test_the_sample_renders_with_a_chinese_interface_under_lang_c(tmp_path):
    result = render_sample(tmp_path, NO_LANGUAGE)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and all(line.startswith(("已写入", "警告：")) for line in lines), result.output
    assert mixed_lines(result.output, "zh") == []
    english = render_sample(tmp_path, {**NO_LANGUAGE, "DOCGEN_LANG": "en"})
    assert english.output.startswith("Wrote ") and mixed_lines(english.output, "en") == []


@pytest.mark.parametrize("sample", sorted(path.name for path in (ROOT / "sample_inputs").glob("*.xlsx")))
def test_every_sample_renders_in_its_own_language_under_lang_c(sample, tmp_path):
    """No interface language set: a Chinese sample is spoken of in Chinese, an English one in English."""
    workbook = ROOT / "sample_inputs" / sample
    result = run(["render", workbook, "-o", tmp_path / "report.docx", "--today", "2026-11-02"], NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    lang = "zh" if _CHINESE.search(sample) else "en"
    lines = said_lines(result.output)
    assert lines[-1].startswith("已写入" if lang == "zh" else "Wrote "), result.output
    assert mixed_lines(result.output, lang) == [], result.output
    if lang == "zh":
        assert all(_CHINESE.search(line) for line in lines), result.output


def test_check_speaks_chinese_under_lang_c():
    result = run(["check", SAMPLE, "--today", "2026-11-02"], NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    assert all(_CHINESE.search(line) for line in result.output.splitlines() if line.strip()), result.output
    assert mixed_lines(result.output, "zh") == []


# -- what docgen says is in the interface language; the report stays in its own


ENGLISH_INFO = [
    ["Item", "Value"], ["Title", "October summary"], ["Organization", "Acme"], ["Team", "East 1"],
    ["Author", "Alex Chen"], ["Level", "team"], ["Period", "monthly"], ["Start date", "2026-10-01"],
    ["End date", "2026-10-31"], ["Currency unit", "k CNY"], ["Language", "English"],
]
# Three core indicators missing (DG101) and sales far short with no note (DG103).
ENGLISH_TARGETS = [["Indicator", "Unit", "Target", "Actual", "Previous", "Last year", "Note"],
                   ["Sales", "k CNY", 1000, 500, 900, 850, None]]


@pytest.fixture
def english_workbook(make_workbook):
    return make_workbook({"Report info": ENGLISH_INFO, "Targets": ENGLISH_TARGETS}, name="east-1-2026-10.xlsx")


def test_an_english_workbooks_findings_are_said_in_a_chinese_interface(english_workbook):
    result = run(["check", english_workbook, "--today", "2026-11-02"], CHINESE_SYSTEM)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(line.startswith("错误 DG101") for line in lines) and any("DG103" in line for line in lines), result.output
    assert all(_CHINESE.search(line) for line in lines) and mixed_lines(result.output, "zh") == [], result.output
    english = run(["check", english_workbook, "--today", "2026-11-02"], ENGLISH_SYSTEM)
    assert "error DG101" in english.output and not _CHINESE.search(english.output), english.output


def test_render_warns_in_the_interface_language_and_writes_the_report_in_its_own(english_workbook, tmp_path):
    from docx import Document

    output = tmp_path / "report.docx"
    result = run(["render", english_workbook, "-o", output, "--today", "2026-11-02", "--findings-appendix"],
                 CHINESE_SYSTEM)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "DG10" in line]
    assert warnings and all(line.startswith("警告：") for line in warnings), result.output
    assert mixed_lines(result.output, "zh") == [], result.output
    text = "\n".join(paragraph.text for paragraph in Document(output).paragraphs)
    assert "Sales" in text and "core indicator" in text and not re.search("[，。；]", text)  # the appendix: English
    strict = run(["render", english_workbook, "-o", tmp_path / "strict.docx", "--today", "2026-11-02", "--strict"],
                 CHINESE_SYSTEM)
    assert strict.exit_code == 1 and "DG101" in strict.output and mixed_lines(strict.output, "zh") == [], strict.output


# -- a batch or merge under LANG=C: the language of the workbooks in hand


TEAM_FOLDER = ROOT / "sample_inputs" / "2026-10-华东销售一组-个人月报"
MERGE = ROOT / "sample_inputs" / "merge"


def said_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_a_batch_of_chinese_workbooks_is_spoken_of_in_chinese_under_lang_c(tmp_path):
    batch = ["batch", TEAM_FOLDER, "-o", tmp_path / "out", "--today", "2026-11-02"]
    result = run(batch, NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    lines = said_lines(result.output)
    assert lines[-1].startswith("已写入 4 份") and any(line.startswith("成功") for line in lines), result.output
    assert all(_CHINESE.search(line) for line in lines) and mixed_lines(result.output, "zh") == [], result.output
    header = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("输入,销售员,类型")
    again = run(batch, NO_LANGUAGE)  # a refusal before the run: the workbooks' language too
    assert again.exit_code == 2 and said_lines(again.output)[-1].startswith("错误："), again.output
    english = run([*batch[:3], tmp_path / "en", "--today", "2026-11-02"], {**NO_LANGUAGE, "DOCGEN_LANG": "en"})
    assert said_lines(english.output)[-1].startswith("4 written") and mixed_lines(english.output, "en") == []


def test_a_workbook_that_cannot_be_read_is_said_in_the_language_of_the_others(tmp_path):
    folder = tmp_path / "十月"
    shutil.copytree(TEAM_FOLDER, folder)
    (folder / "坏的.xlsx").write_text("not a workbook", encoding="utf-8")  # read before the run knows its language
    result = run(["batch", folder, "-o", tmp_path / "out", "--today", "2026-11-02", "--dry-run"], NO_LANGUAGE)
    assert result.exit_code == 1, result.output
    failed = [line for line in said_lines(result.output) if "坏的.xlsx" in line]
    assert failed and failed[0].startswith("失败") and "这不是 Excel .xlsx 工作簿" in failed[0], result.output
    assert mixed_lines(result.output, "zh") == [], result.output


def test_a_batch_of_english_workbooks_is_spoken_of_in_english_under_lang_c(tmp_path):
    workbook = ROOT / "sample_inputs" / "alex-chen-2026-10-individual-monthly.xlsx"
    result = run(["batch", workbook, "-o", tmp_path / "out", "--today", "2026-11-02"], NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    assert said_lines(result.output)[-1].startswith("1 written") and not _CHINESE.search(result.output), result.output
    assert mixed_lines(result.output, "en") == [], result.output


def test_a_merge_over_a_chinese_sheet_is_spoken_of_in_chinese_under_lang_c(tmp_path):
    merge = ["merge", MERGE / "邀请函.docx", MERGE / "客户名单.xlsx", "-o", tmp_path / "out"]
    result = run(merge, NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    lines = said_lines(result.output)
    assert lines[-1].startswith("已写入") and mixed_lines(result.output, "zh") == [], result.output
    again = run(merge, NO_LANGUAGE)
    assert again.exit_code == 2 and said_lines(again.output)[-1].startswith("错误："), again.output


def test_the_language_in_hand_is_what_most_workbooks_are_in():
    from docgen.text.language import language_in_hand, workbooks_in_hand

    assert language_in_hand(["zh", "zh", "en"]) == "zh"
    assert language_in_hand(["zh", "en"]) is None and language_in_hand([None]) is None
    with workbooks_in_hand("zh"):
        assert interface_language(None, {"LANG": "C"}) == "zh"
        assert interface_language("en", {"LANG": "C"}) == "en"  # a workbook of its own says first
        assert interface_language(None, {"LANG": "en_US.UTF-8"}) == "en"  # the system's before any workbook's
    assert interface_language(None, {"LANG": "C"}) == "en"


# -- every command run, in each interface language: no line mixes the two


BUILTIN = ROOT / "templates" / "docx"


def runs_of_every_command(folder: Path, soffice: Path) -> dict[str, tuple[list, set[int]]]:
    """Each command as a user runs it (and a few ways it fails), with the exit codes it may end with."""
    english_workbook = write_workbook(folder / "east-1.xlsx", {"Report info": ENGLISH_INFO, "Targets": ENGLISH_TARGETS})
    lock = folder / "~$团队月报.xlsx"
    lock.write_bytes(b"\x00" * 162)
    report = folder / "团队月报.docx"
    shutil.copyfile(BUILTIN / "monthly-team.zh.docx", report)
    return {
        "render": (["render", SAMPLE, "-o", folder / "r" / "团队月报.docx", "--today", "2026-11-02"], {0}),
        "render an English workbook": (["render", english_workbook, "-o", folder / "r" / "east.docx"], {0}),
        "render a lock file": (["render", lock], {2}),
        "render --pdf": (["render", SAMPLE, "-o", folder / "p" / "月报.docx", "--pdf", "--soffice", soffice], {0}),
        "check": (["check", SAMPLE, "--today", "2026-11-02"], {0}),
        "check an English workbook": (["check", english_workbook, "--today", "2026-11-02", "--strict"], {1}),
        "check a missing workbook": (["check", folder / "没有.xlsx"], {2}),
        "batch": (["batch", TEAM_FOLDER, "-o", folder / "b", "--today", "2026-11-02", "--dry-run"], {0}),
        "batch --split-by on a team": (["batch", SAMPLE, "-o", folder / "s", "--split-by", "--rollup"], {0, 1}),
        "merge": (["merge", MERGE / "邀请函.docx", MERGE / "客户名单.xlsx", "-o", folder / "m"], {0}),
        "merge a misspelt sheet": (["merge", MERGE / "邀请函.docx", MERGE / "客户名单.xlsx", "-o", folder / "m2",
                                    "--sheet", "客户明单"], {2}),
        "pdf": (["pdf", report, "-o", folder / "pdf", "--soffice", soffice], {0}),
        "preview a missing document": (["preview", folder / "没有.docx", "-o", folder / "pages"], {2}),
        "doctor": (["doctor"], {0}),
        "templates list": (["templates", "list"], {0}),
        "templates explain": (["templates", "explain", "--period", "月报", "--level", "团队", "--lang", "中文"], {0}),
        "templates copy": (["templates", "copy", "monthly-team.zh", folder / "华东模板"], {0}),
        "templates check": (["templates", "check", BUILTIN / "monthly-team.zh.docx", "--workbook", SAMPLE], {0}),
        "templates vars": (["templates", "vars"], {0}),
        "workbook new": (["workbook", "new", "--period", "月报", "--level", "团队", "-o", folder / "空白.xlsx"], {0}),
        "workbook show": (["workbook", "show", SAMPLE], {0}),
        "serve --help": (["serve", "--help"], {0}),
        "--version": (["--version"], {0}),
    }


EVERY_RUN = [
    "render", "render an English workbook", "render a lock file", "render --pdf", "check", "check an English workbook",
    "check a missing workbook", "batch", "batch --split-by on a team", "merge", "merge a misspelt sheet", "pdf",
    "preview a missing document", "doctor", "templates list", "templates explain", "templates copy",
    "templates check", "templates vars", "workbook new", "workbook show", "serve --help", "--version",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", EVERY_RUN)
def test_every_command_speaks_one_language_a_line(name, lang, tmp_path, pdf_writing_soffice):
    args, codes = runs_of_every_command(tmp_path, pdf_writing_soffice)[name]
    result = run(args, {**NO_LANGUAGE, "DOCGEN_LANG": lang})
    assert result.exit_code in codes, result.output
    assert mixed_lines(result.output, lang) == []
    if lang == "zh":
        assert not_chinese_punctuation(result.output) == [], result.output
    else:
        said = _ALLOWED.sub(" ", result.output)
        assert not re.search("[，。；：！？（）]", said), result.output  # the user's names may be Chinese, not the prose


def test_every_command_is_run_in_both_languages(tmp_path):
    assert list(runs_of_every_command(tmp_path, tmp_path / "soffice")) == EVERY_RUN
    run_commands = {" ".join(word for word in name.split() if not word.startswith("-")) for name in EVERY_RUN}
    for command in COMMANDS:
        if command not in ("docgen", "templates", "workbook"):  # groups: their --help is tested above
            assert any(run.startswith(command) for run in run_commands), command


# -- Chinese values wherever the workbook accepts them


@pytest.mark.parametrize(
    ("period", "level", "lang", "file"),
    [("月报", "团队", "中文", "团队月报"), ("周报", "个人", "英文", "个人周报"), ("季报", "部门", "zh", "部门季报")],
)
def test_a_blank_workbook_takes_chinese_values(tmp_path, period, level, lang, file):
    output = tmp_path / f"{file}.xlsx"
    result = run(["workbook", "new", "--period", period, "--level", level, "--lang", lang, "-o", output], NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    assert output.is_file()
    english_name = {"月报": "monthly", "周报": "weekly", "季报": "quarterly"}[period]
    again = run(["--lang", "en", "workbook", "new", "--period", english_name, "--level", "team", "-o", output, "--force"],
                NO_LANGUAGE)
    assert again.exit_code == 0, again.output


def test_check_and_templates_take_chinese_values():
    result = run(["check", SAMPLE, "--period", "月报", "--level", "团队", "--lang", "中文", "--today", "2026-11-02"],
                 NO_LANGUAGE)
    assert result.exit_code == 0, result.output
    result = run(["templates", "explain", "--period", "季报", "--level", "部门", "--lang", "英文"], NO_LANGUAGE)
    assert result.exit_code == 0 and "quarterly-department.en" in result.output, result.output
    result = run(["check", SAMPLE, "--period", "Monthly", "--level", "TEAM", "--today", "2026-11-02"], NO_LANGUAGE)
    assert result.exit_code == 0, result.output


def test_docgen_toml_takes_chinese_language_names(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text('language = "英文"\ninterface_language = "中文"\n', encoding="utf-8")
    loaded = load_config(config)
    assert (loaded.language, loaded.interface_language) == ("en", "zh")
    config.write_text('interface_language = "français"\n', encoding="utf-8")
    with pytest.raises(Exception, match="interface_language"):
        load_config(config)


# -- the order: --lang, DOCGEN_LANG, docgen.toml, the system, the workbook, English


@pytest.mark.parametrize(
    ("environ", "workbook", "expected"),
    [
        ({"DOCGEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh", "en"),
        ({"DOCGEN_LANG": "中文", "LANG": "en_US.UTF-8"}, "en", "zh"),
        ({"DOCGEN_LANG": "klingon", "LANG": "zh_CN.UTF-8"}, "en", "zh"),  # not a language: the next says
        ({"LANG": "zh_CN.UTF-8"}, "en", "zh"),
        ({"LANG": "en_US.UTF-8"}, "zh", "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "en", "zh"),
        ({"LANG": "C.UTF-8"}, "zh", "zh"),
        ({"LANG": "POSIX"}, "en", "en"),
        ({"LANG": "C"}, None, "en"),
    ],
)
def test_the_order_docgen_lang_then_system_then_workbook(environ, workbook, expected):
    assert interface_language(workbook, environ) == expected


def test_docgen_toml_sets_the_interface_unless_docgen_lang_or_lang_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docgen.toml").write_text('interface_language = "中文"\n', encoding="utf-8")
    assert configured_interface_language() == "zh"
    assert "用法：" in run(["--help"], ENGLISH_SYSTEM).output  # docgen.toml over the system
    assert "Usage:" in run(["--help"], {**ENGLISH_SYSTEM, "DOCGEN_LANG": "en"}).output  # DOCGEN_LANG over docgen.toml
    assert "Usage:" in run(["--lang", "en", "--help"], CHINESE_SYSTEM).output  # --lang over both
    assert "Usage:" in run(["--lang", "en", "render", "--help"], {**CHINESE_SYSTEM, "DOCGEN_LANG": "zh"}).output
    (tmp_path / "docgen.toml").write_text("interface_language = [not toml", encoding="utf-8")
    assert "Usage:" in run(["--help"], ENGLISH_SYSTEM).output  # a broken file is the command's to report


def test_the_config_given_with_dash_dash_config_sets_the_interface_as_it_sets_the_rest(tmp_path, monkeypatch):
    """docgen.toml is found one way for every key: the file given with --config, else the working folder's."""
    monkeypatch.chdir(tmp_path)
    region = tmp_path / "华东" / "docgen.toml"
    region.parent.mkdir()
    region.write_text('interface_language = "中文"\n', encoding="utf-8")
    check = ["check", SAMPLE, "--today", "2026-11-02", "--config", region]
    chinese = run(check, ENGLISH_SYSTEM).output
    assert "没有发现问题" in chinese and mixed_lines(chinese, "zh") == []
    assert "finding" in run(check, {**ENGLISH_SYSTEM, "DOCGEN_LANG": "en"}).output  # DOCGEN_LANG over the file
    assert "finding" in run(["--lang", "en", *check], CHINESE_SYSTEM).output  # --lang over the file
    (tmp_path / "docgen.toml").write_text('interface_language = "English"\n', encoding="utf-8")
    assert "finding" in run(check[:-2], CHINESE_SYSTEM).output  # the working folder's, when none is given
    assert "finding" not in run(check, CHINESE_SYSTEM).output  # the file given takes its place
    explain = ["templates", "explain", "--period", "monthly", "--level", "team", "--config", region]
    assert mixed_lines(run(explain, ENGLISH_SYSTEM).output, "zh") == [] and _CHINESE.search(run(explain, ENGLISH_SYSTEM).output)


def test_the_language_of_a_run_does_not_outlive_it(monkeypatch):
    monkeypatch.delenv("DOCGEN_LANG", raising=False)
    run(["--lang", "zh", "--help"], ENGLISH_SYSTEM)
    run(["--lang", "zh", "render"], ENGLISH_SYSTEM)
    assert "DOCGEN_LANG" not in os.environ


def test_every_catalogue_text_of_the_command_line_is_in_both_languages():
    def keys(table, prefix=""):
        for key, value in table.items():
            if isinstance(value, dict):
                yield from keys(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    english, chinese = (set(keys(book("cli", lang))) for lang in ("en", "zh"))
    assert english == chinese
    for lang in ("en", "zh"):
        tomllib.loads((ROOT / f"src/docgen/text/phrases/click.{lang}.toml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _isolated_from_docgen_toml(tmp_path, monkeypatch):
    """A docgen.toml in the folder the tests run from must not set their language."""
    if (Path.cwd() / "docgen.toml").is_file():
        monkeypatch.chdir(tmp_path)


def test_one_rule_reads_a_language_name_everywhere():
    from docgen.input import schema
    from docgen.text import language

    assert schema.parse_language is language.parse_language  # the info sheet, --lang and docgen.toml
    assert [schema.parse_language(name) for name in ("中文", "English", "zh_CN.UTF-8", " 英文 ", "klingon")] == [
        "zh", "en", "zh", "en", None]


def test_render_pdf_under_lang_c_says_every_line_in_the_workbooks_language(tmp_path, pdf_writing_soffice):
    made = run(["render", SAMPLE, "-o", tmp_path / "月报.docx", "--pdf", "--soffice", pdf_writing_soffice,
                "--today", "2026-11-02"], NO_LANGUAGE)
    assert made.exit_code == 0, made.output
    assert f"已写入 {tmp_path / '月报.pdf'}。" in made.output.splitlines()
    assert mixed_lines(made.output, "zh") == [] and "Wrote" not in made.output
    missing = run(["render", SAMPLE, "-o", tmp_path / "二.docx", "--pdf", "--soffice", tmp_path / "nowhere",
                   "--today", "2026-11-02"], NO_LANGUAGE)
    assert missing.output.startswith("警告：不生成 PDF 副本") and "错误：" in missing.output
    assert mixed_lines(missing.output, "zh") == []
