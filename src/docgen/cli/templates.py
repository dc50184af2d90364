"""docgen templates list, explain, copy, check and vars: the template library from the command line."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from docgen.errors import Location, UsageError
from .app import main
from .common import LANGUAGE, LEVEL, PERIOD, _date, library_options, reports_errors

# Help, examples and each option's help: the catalogue's [templates] and [templates.list] … [templates.vars]
# (text/phrases/cli.*.toml).


@main.group()
def templates() -> None:
    pass


def _libraries(templates_dirs, config_path):
    from docgen.runs.config import load_config
    from docgen.word.library import search_path

    config = load_config(config_path)
    return search_path(templates_dirs, config.libraries), config


def _where(library) -> str:
    return "built-in" if library.builtin else f"{library.folder} ({library.origin})"


@templates.command("list")
@library_options
@reports_errors
def list_templates(templates, variant, config_path):
    from docgen.word.library import listing

    libraries, config = _libraries(templates, config_path)
    variant = variant or config.variant
    chosen, others = listing(libraries, variant)
    click.echo("Search order: " + "; ".join(f"{i}. {_where(lib)}" for i, lib in enumerate(libraries, start=1)))
    if variant:
        click.echo(f"Variant: {variant} (its templates first where a library has them)")
    click.echo("")
    width = max(len(str(row.key)) for row in chosen) + 2
    file_width = max(len(row.path.name) for row in chosen) + 2
    click.echo(f"{'key':<{width}}{'file':<{file_width}}library")
    for row in chosen:
        about = f"  — {row.description}" if row.description else ""
        click.echo(f"{str(row.key):<{width}}{row.path.name:<{file_width}}{_where(row.library)}{about}")
    own = sum(1 for row in chosen if not row.library.builtin)
    click.echo(f"\n{len(chosen)} keys: {len(chosen) - own} built-in, {own} from your libraries.")
    if others:
        click.echo("\nOther templates in your libraries (other variants, or not chosen):")
        for row in others:
            missing = "" if row.path.is_file() else "  (listed in templates.toml, file missing)"
            click.echo(f"  {str(row.key):<{width}}{row.path}{missing}")
    ignored = [(lib, name, why) for lib in libraries if not lib.builtin for name, why in lib.ignored]
    if ignored:
        click.echo("\nIgnored files:")
        for library, name, why in ignored:
            click.echo(f"  {library.folder / name}: {why}")


@templates.command()
@click.option("--period", type=PERIOD, required=True)
@click.option("--level", type=LEVEL, required=True)
@click.option("--lang", type=LANGUAGE)
@library_options
@reports_errors
def explain(period, level, lang, templates, variant, config_path):
    from docgen.word.library import choose_template, explain_choice

    libraries, config = _libraries(templates, config_path)
    lang = lang or config.language or "zh"
    variant = variant or config.variant
    choice = choose_template(period, level, lang, libraries=libraries, variant=variant)
    wanted = f"{period}-{level}.{lang}" + (f", variant {variant}" if variant else "")
    click.echo(f"Template for {wanted}; candidates in the order they are considered:")
    for line in explain_choice(choice):
        click.echo(f"  {line}")
    winner = next(c for c in choice.candidates if c.exists)
    click.echo(f"\nChosen: {choice.path}")
    click.echo(f"Why: {choice.reason}; it is the first candidate that exists.")
    if variant and not winner.entry.key.variant:
        click.echo(f"No library has a {variant} template for this report, so the plain one serves.")


@templates.command()
@click.argument("key")
@click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--variant")
@click.option("--force", is_flag=True)
@reports_errors
def copy(key, dest_dir, variant, force):
    from docgen.word.library import TemplateKey, builtin_library, parse_key
    from docgen.output.files import write_atomic

    parsed = parse_key(key)
    library = builtin_library()
    if parsed is None or parsed.plain not in library.entries:
        known = sorted(str(k) for k in library.entries)
        close = difflib.get_close_matches(key.removesuffix(".docx"), known, n=1)
        raise UsageError(
            f"there is no built-in template “{key}”",
            hint=(f"Did you mean {close[0]}? " if close else "")
            + "Keys read {period}-{level}.{lang}, e.g. monthly-team.zh; `docgen templates list` shows them all.",
        )
    source = library.entries[parsed.plain].path
    target_key = TemplateKey(parsed.period, parsed.level, parsed.lang, variant or parsed.variant)
    target = dest_dir / target_key.filename
    write_atomic(target, source.read_bytes(), force=force)
    click.echo(f"Copied {source.name} to {target}.")
    click.echo(f"Edit it, check it with: docgen templates check {target}")
    click.echo(f"Use it with: docgen render WORKBOOK --templates {dest_dir}" + (f" --variant {variant}" if variant else ""))


@templates.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True)
@click.option("--today", callback=_date, metavar="YYYY-MM-DD")
@reports_errors
def check(file, workbook, strict, today):
    from docgen.runs.report import ReportOptions
    from docgen.runs.template_trial import check_with_workbook
    from docgen.word.template_check import ERROR, INFO, WARNING, check_template

    if workbook is None:
        problems = check_template(file)
    else:
        problems = check_with_workbook(file, workbook, ReportOptions(today=today))
    for problem in problems:
        label = {ERROR: "Error", WARNING: "Warning", INFO: "Note"}[problem.severity]
        click.echo(f"{label}: {problem}")
    counts = {severity: sum(1 for p in problems if p.severity == severity) for severity in (ERROR, WARNING, INFO)}
    if not problems:
        rendered = f", and it renders {workbook.name} with no tag left over" if workbook else ""
        click.echo(f"{file.name}: no problems found{rendered}.")
        return
    click.echo(
        f"{file.name}: {counts[ERROR]} error{'s' if counts[ERROR] != 1 else ''}, "
        f"{counts[WARNING]} warning{'s' if counts[WARNING] != 1 else ''}, {counts[INFO]} note{'s' if counts[INFO] != 1 else ''}."
    )
    if counts[ERROR] or (strict and counts[WARNING]):
        raise SystemExit(1)


@templates.command("vars")
@click.option("--workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGUAGE)
@reports_errors
def variables(workbook, lang):
    from docgen.word.reference import reference_context, variable_reference

    loaded = None
    if workbook is not None:
        from docgen.input.workbook import load_workbook

        loaded = load_workbook(workbook)
        lang = lang or loaded.info.language or "zh"
        if not (loaded.info.period and loaded.info.level):
            raise UsageError(
                "the workbook does not say its period and level",
                location=Location(file=str(workbook)),
                hint="Add 周期 (Period) and 层级 (Level) rows to its info sheet.",
            )
    lines = variable_reference(reference_context(lang or "zh", loaded))
    width = max(len(path) for path, _ in lines) + 2
    for path, value in lines:
        click.echo(f"{path:<{width}}{value}")
    click.echo(f"\n{len(lines)} variables; rows of a list are shown by their first row (name[]).")
    click.echo("Print one with {{ name }}; see docs/template-variables.md and docs/templates.md.")
