"""docgen.toml: an organisation's defaults, found in the working folder or given, every mistake reported at once."""

from __future__ import annotations

import pytest

from docgen.runs.config import DEFAULT_CONFIG, find_config, load_config
from docgen.errors import UsageError
from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds

FULL = """
organization = "星辰科技有限公司"
language = "中文"
currency_unit = "万元"
core_indicators = ["销售额", "新增客户", "复购率", "客户流失率", "回款率"]

[templates]
libraries = ["华东模板", "../shared"]
variant = "east"

[trend_words]
slight = 0.03
marked = 0.15

[output]
naming = "{team}-{period_label}-{level_label}.docx"

[checks]
tolerance = 0.01
deviation = 0.08
intro_limit = 250
"""


def write(folder, text: str, name: str = "docgen.toml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_is_read(tmp_path):
    path = write(tmp_path, FULL)
    config = load_config(path)
    assert config.source == path
    assert config.organization == "星辰科技有限公司"
    assert config.language == "zh"
    assert config.currency_unit == "万元"
    assert config.core_indicators == ("销售额", "新增客户", "复购率", "客户流失率", "回款率")
    # Library folders are read relative to the file's own folder.
    assert config.libraries == ((tmp_path / "华东模板").resolve(), (tmp_path.parent / "shared").resolve())
    assert config.variant == "east"
    assert config.thresholds == TrendThresholds(slight=0.03, marked=0.15)
    assert config.output_naming == "{team}-{period_label}-{level_label}.docx"
    assert config.checks == {"tolerance": 0.01, "deviation": 0.08, "intro_limit": 250}


def test_the_working_folders_file_is_found_and_a_given_one_wins(tmp_path):
    write(tmp_path, 'organization = "here"')
    other = tmp_path / "other"
    other.mkdir()
    given = write(other, 'organization = "given"', "org.toml")
    assert find_config(folder=tmp_path) == tmp_path / "docgen.toml"
    assert load_config(folder=tmp_path).organization == "here"
    assert load_config(given, folder=tmp_path).organization == "given"


def test_without_a_file_the_defaults_hold(tmp_path):
    config = load_config(folder=tmp_path)
    assert config == DEFAULT_CONFIG
    assert config.thresholds == DEFAULT_THRESHOLDS and config.libraries == () and config.core_indicators is None


def test_a_given_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_config(tmp_path / "missing.toml")
    assert "missing.toml: the config file does not exist" in str(caught.value)
    assert "--config" in str(caught.value)


def test_every_mistake_is_reported_at_once_with_the_nearest_key(tmp_path):
    path = write(
        tmp_path,
        """
organisation = "x"
language = "fr"
core_indicators = "销售额"

[templates]
librarys = ["a"]
variant = "east.1"

[trend_words]
slight = 0.2
marked = 0.1

[output]
naming = "{team}-{perod}.docx"
""",
    )
    with pytest.raises(UsageError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "docgen.toml: the config file has 7 mistakes" in message
    for expected in (
        "unknown key “organisation” (did you mean “organization”?)",
        "“language” must be zh or en, found 'fr'",
        "“core_indicators” must be a list of indicator names",
        "unknown key “templates.librarys” (did you mean “templates.libraries”?)",
        "“templates.variant” must be one word without dots",
        "“trend_words.slight” (0.2) must be below “trend_words.marked” (0.1)",
        "“output.naming” uses an unknown field {perod} (did you mean {period}?)",
    ):
        assert expected in message, expected
    assert "docs/templates.md" in message


def test_a_file_that_is_not_toml_says_so(tmp_path):
    path = write(tmp_path, "organization = 星辰科技\n")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert "is not valid TOML" in str(caught.value) and "quotes" in str(caught.value)


def test_thresholds_must_be_fractions(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_config(write(tmp_path, "[trend_words]\nmarked = 10\n"))
    assert "“trend_words.marked” must be a fraction between 0 and 1 (0.02 is 2%), found 10" in str(caught.value)


def test_check_thresholds_must_be_positive_numbers(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_config(write(tmp_path, "[checks]\ntolerance = \"0.5%\"\nintro_limit = 0\n"))
    message = str(caught.value)
    assert "“checks.tolerance” must be a fraction such as 0.005, found '0.5%'" in message
    assert "“checks.intro_limit” must be a number of characters such as 300, found 0" in message


def test_output_names_come_from_the_pattern_and_are_safe(tmp_path):
    config = load_config(write(tmp_path, '[output]\nnaming = "{team}: {period_label} {level_label}"\n'))
    fields = {"team": "华东/一组", "period_label": "2026年10月", "level_label": "团队"}
    assert config.output_name(fields, "fallback.docx") == "华东_一组_ 2026年10月 团队.docx"
    assert DEFAULT_CONFIG.output_name(fields, "fallback.docx") == "fallback.docx"


def test_a_naming_pattern_is_held_to_the_rules_of_name(tmp_path):
    """A folder in the pattern is refused, as --name refuses it; a field that is no known one's slip is an info key."""
    with pytest.raises(UsageError) as caught:
        load_config(write(tmp_path, '[output]\nnaming = "../{team}.docx"\n'))
    assert "“output.naming” is not a valid pattern (it has a folder in it" in str(caught.value)
    config = load_config(write(tmp_path, '[output]\nnaming = "{团队}-{大区编号}.docx"\n'))
    assert config.output_name({"团队": "华东一组"}, "fallback.docx") == "华东一组.docx"