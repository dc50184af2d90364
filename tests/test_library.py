"""Choosing a template: user libraries before the built-ins, variants, manifests, and the explanation."""

from __future__ import annotations

import os
import shutil

import pytest

from docgen.errors import TemplateError, UsageError
from docgen.word.library import (
    FROM_CONFIG,
    FROM_ENV,
    FROM_OPTION,
    Library,
    TemplateKey,
    builtin_dir,
    charts_used,
    choose_template,
    explain_choice,
    listing,
    parse_key,
    search_path,
)


@pytest.fixture
def make_library(tmp_path):
    """make_library("east", ["monthly-team.zh.docx", …], manifest=None) -> folder holding copies of a built-in."""
    source = builtin_dir() / "monthly-team.zh.docx"

    def make(name: str, files: list[str], manifest: str | None = None):
        folder = tmp_path / name
        folder.mkdir()
        for file in files:
            shutil.copyfile(source, folder / file)
        if manifest is not None:
            (folder / "templates.toml").write_text(manifest, encoding="utf-8")
        return folder

    return make


def test_keys_are_read_from_file_names():
    assert parse_key("monthly-team.zh.docx") == TemplateKey("monthly", "team", "zh")
    assert parse_key("Monthly-Team.ZH.east.docx") == TemplateKey("monthly", "team", "zh", "east")
    assert parse_key("monthly-team.zh") == TemplateKey("monthly", "team", "zh")
    assert str(TemplateKey("annual", "department", "en", "华东")) == "annual-department.en.华东"
    for bad in ("monthly-teams.zh.docx", "notes.docx", "monthly-team.fr.docx", "hourly-team.zh.docx"):
        assert parse_key(bad) is None, bad


def test_without_user_libraries_the_builtin_is_chosen():
    choice = choose_template("quarterly", "team", "zh")
    assert choice.path == builtin_dir() / "quarterly-team.zh.docx"
    assert choice.reason == "the built-in template for quarterly-team.zh"


def test_a_given_template_wins_and_no_library_is_searched(tmp_path):
    given = tmp_path / "mine.docx"
    choice = choose_template("monthly", "team", "zh", explicit=given)
    assert (choice.path, choice.reason) == (given, "given with --template")
    assert explain_choice(choice, "en") == [f"1. {given}  <- chosen: given with --template, so no library is searched"]


def test_a_user_library_wins_for_its_keys_only(make_library):
    east = make_library("east", ["monthly-team.zh.docx"])
    libraries = search_path([east], environ={})
    mine = choose_template("monthly", "team", "zh", libraries=libraries)
    assert mine.path == east / "monthly-team.zh.docx"
    assert mine.reason == f"the plain template for monthly-team.zh in the library {east} (--templates)"
    # Another key, another language: the built-ins still serve.
    for period, level, lang in (("monthly", "team", "en"), ("monthly", "individual", "zh"), ("daily", "team", "zh")):
        other = choose_template(period, level, lang, libraries=libraries)
        assert other.library.builtin and other.path == builtin_dir() / f"{period}-{level}.{lang}.docx"
        assert other.reason.endswith("no user library has one")


def test_the_variant_comes_first_within_a_library_then_the_plain_one(make_library):
    east = make_library("east", ["monthly-team.zh.docx", "monthly-team.zh.east.docx", "monthly-team.zh.north.docx"])
    libraries = search_path([east], environ={})
    assert choose_template("monthly", "team", "zh", libraries=libraries, variant="east").path.name == (
        "monthly-team.zh.east.docx"
    )
    # A variant the library lacks falls back to its plain template, not to the built-in.
    assert choose_template("monthly", "team", "zh", libraries=libraries, variant="south").path == (
        east / "monthly-team.zh.docx"
    )
    assert choose_template("monthly", "team", "zh", libraries=libraries).path.name == "monthly-team.zh.docx"


def test_libraries_are_searched_in_order_option_environment_config(make_library):
    first = make_library("first", ["monthly-team.zh.docx"])
    second = make_library("second", ["monthly-team.zh.east.docx", "weekly-team.zh.docx"])
    from_env = make_library("env", ["daily-team.zh.docx", "weekly-team.zh.docx"])
    from_config = make_library("config", ["annual-team.zh.docx", "daily-team.zh.docx"])
    libraries = search_path([first, second], [from_config], environ={"DOCGEN_TEMPLATES": str(from_env)})
    assert [(lib.folder, lib.origin) for lib in libraries[:-1]] == [
        (first, FROM_OPTION), (second, FROM_OPTION), (from_env, FROM_ENV), (from_config, FROM_CONFIG),
    ]  # fmt: skip
    assert libraries[-1].builtin

    def chosen(period, variant=None):
        return choose_template(period, "team", "zh", libraries=libraries, variant=variant).path

    # Library order beats the variant: the first library's plain template wins over a later library's variant.
    assert chosen("monthly", "east") == first / "monthly-team.zh.docx"
    assert chosen("weekly") == second / "weekly-team.zh.docx"
    assert chosen("daily") == from_env / "daily-team.zh.docx"
    assert chosen("annual") == from_config / "annual-team.zh.docx"
    assert chosen("quarterly") == builtin_dir() / "quarterly-team.zh.docx"


def test_the_environment_variable_holds_a_path_list(make_library):
    one, two = make_library("one", []), make_library("two", ["daily-team.zh.docx"])
    libraries = search_path(environ={"DOCGEN_TEMPLATES": f"{one}{os.pathsep}{os.pathsep}{two}"})
    assert [lib.folder for lib in libraries[:-1]] == [one, two]
    assert choose_template("daily", "team", "zh", libraries=libraries).path == two / "daily-team.zh.docx"


def test_a_folder_named_twice_is_searched_once(make_library):
    east = make_library("east", [])
    libraries = search_path([east, east], [east], environ={"DOCGEN_TEMPLATES": str(east)})
    assert len(libraries) == 2


@pytest.mark.parametrize(
    "kind, hint",
    [("option", "--templates"), ("env", "DOCGEN_TEMPLATES"), ("config", "docgen.toml")],
)
def test_a_missing_library_folder_is_an_error_that_says_where_it_was_named(tmp_path, kind, hint):
    missing = tmp_path / "nowhere"
    with pytest.raises(UsageError) as caught:
        if kind == "option":
            search_path([missing], environ={})
        elif kind == "env":
            search_path(environ={"DOCGEN_TEMPLATES": str(missing)})
        else:
            search_path(config_folders=[missing], environ={})
    assert "nowhere" in str(caught.value) and "does not exist" in str(caught.value)
    assert hint in str(caught.value)


def test_explain_lists_every_candidate_in_order_with_why(make_library):
    east = make_library("east", ["monthly-team.zh.docx"])
    choice = choose_template("monthly", "team", "zh", libraries=search_path([east], environ={}), variant="east")
    lines = explain_choice(choice, "en")
    assert lines == [
        f"1. {east / 'monthly-team.zh.east.docx'}  [--templates {east}]  not there",
        f"2. {east / 'monthly-team.zh.docx'}  [--templates {east}]  <- chosen: the first candidate that exists",
        f"3. {builtin_dir() / 'monthly-team.zh.docx'}  [built-in]  exists, but comes after the chosen one",
    ]


def test_a_manifest_maps_other_file_names_to_keys(make_library):
    manifest = """
[[template]]
file = "华东团队月报.docx"
period = "月报"
level = "team"
lang = "zh"
variant = "east"
description = "华东区团队月报，带区域标志"

[[template]]
file = "gone.docx"
period = "weekly"
level = "team"
lang = "zh"
"""
    east = make_library("east", ["华东团队月报.docx", "monthly-team.zh.east.docx"], manifest)
    library = Library(east, FROM_OPTION)
    entry = library.entries[TemplateKey("monthly", "team", "zh", "east")]
    assert entry.path == east / "华东团队月报.docx" and entry.from_manifest
    assert entry.description == "华东区团队月报，带区域标志"
    # The conventionally named file for the same key is shadowed, and says so.
    assert ("monthly-team.zh.east.docx", "templates.toml gives 华东团队月报.docx for monthly-team.zh.east") in (
        library.ignored
    )
    libraries = [library, *search_path(environ={})]
    assert choose_template("monthly", "team", "zh", libraries=libraries, variant="east").path == entry.path
    # A listed file that is missing is considered and passed over, and explain says why.
    weekly = choose_template("weekly", "team", "zh", libraries=libraries)
    assert weekly.library.builtin
    assert "listed in templates.toml but the file is missing" in explain_choice(weekly, "en")[0]


def test_a_broken_manifest_is_reported_with_the_entry(make_library):
    east = make_library("east", [], '[[template]]\nfile = "x.docx"\nperiod = "hourly"\nlevel = "team"\nlang = "zh"\n')
    with pytest.raises(UsageError) as caught:
        Library(east, FROM_OPTION).entries
    assert "templates.toml" in str(caught.value)
    assert "[[template]] number 1: period 'hourly' is not one of daily, weekly" in str(caught.value)


def test_files_that_serve_no_key_are_listed_with_the_reason(make_library):
    east = make_library("east", ["monthly-teams.zh.docx", "notes.docx", "~$nthly-team.zh.docx", "monthly-team.zh.docx"])
    (east / "old.dotx").write_bytes(b"")
    ignored = dict(Library(east, FROM_OPTION).ignored)
    assert ignored["monthly-teams.zh.docx"] == "level “teams” is not one of individual, team, department"
    assert "not listed in templates.toml" in ignored["notes.docx"]
    assert "save it from Word or LibreOffice as Word Document (.docx)" in ignored["old.dotx"]
    assert "~$nthly-team.zh.docx" not in ignored  # Word's lock file is no template and no mistake


def test_listing_shows_the_thirty_keys_and_the_other_user_templates(make_library):
    east = make_library("east", ["monthly-team.zh.docx", "monthly-team.zh.north.docx"])
    chosen, others = listing(search_path([east], environ={}))
    assert len(chosen) == 30
    served = {str(row.key): row for row in chosen}
    assert served["monthly-team.zh"].path == east / "monthly-team.zh.docx"
    assert sum(1 for row in chosen if row.library.builtin) == 29
    assert [str(row.key) for row in others] == ["monthly-team.zh.north"]


def test_no_template_anywhere_is_an_error_naming_the_candidates(tmp_path):
    empty = Library(tmp_path, FROM_OPTION)
    with pytest.raises(TemplateError) as caught:
        choose_template("monthly", "team", "zh", libraries=[empty])
    assert "no template for monthly-team.zh" in str(caught.value)
    assert "monthly-team.zh.docx" in str(caught.value)


def test_charts_are_found_even_in_a_tag_split_over_runs(tmp_path):
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("{{ cha", "rts.", "trend }}"):
        paragraph.add_run(piece)
    path = tmp_path / "split.docx"
    document.save(path)
    assert charts_used(path) == {"trend"}
    assert charts_used(builtin_dir() / "monthly-team.zh.docx") == set()
