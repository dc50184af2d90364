"""docgen templates list, explain, copy, check and vars: the template library from the command line."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from docgen.input import schema
from docgen.errors import Location, UsageError
from .app import main
from .common import EXAMPLE_WORKBOOK, _date, library_options, reports_errors


@main.group(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen templates list\n"
        "  docgen templates explain --period monthly --level team --variant east\n"
        "  docgen templates copy monthly-team.zh 我的模板\n"
        "  docgen templates check 我的模板/monthly-team.zh.docx --workbook team.xlsx\n"
        "  docgen templates vars"
    )
)
def templates() -> None:
    """The template library: which template serves each report, and tools to adapt one safely.

    Templates are chosen in one order: --template FILE; then your libraries
    (--templates folders, $DOCGEN_TEMPLATES, docgen.toml), in each the
    variant's file before the plain one; then the built-ins. See
    docs/templates.md.
    """


def _libraries(templates_dirs, config_path):
    from docgen.runs.config import load_config
    from docgen.word.library import search_path

    config = load_config(config_path)
    return search_path(templates_dirs, config.libraries), config


def _where(library) -> str:
    return "built-in" if library.builtin else f"{library.folder} ({library.origin})"


@templates.command(
    "list",
    epilog="Examples:\n\n\b\n  docgen templates list\n  docgen templates list --templates 华东模板 --variant east",
)
@library_options
@reports_errors
def list_templates(templates, variant, config_path):
    """Every period × level × language, the file that serves it and the library it comes from."""
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


@templates.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen templates explain --period monthly --level team\n"
        "  docgen templates explain --period quarterly --level department --lang en --templates 华东模板 --variant east"
    )
)
@click.option("--period", type=click.Choice(schema.PERIODS), required=True, help="The report's period.")
@click.option("--level", type=click.Choice(schema.LEVELS), required=True, help="The report's level.")
@click.option("--lang", type=click.Choice(schema.LANGUAGES), help="The report's language (default: docgen.toml's, else zh).")
@library_options
@reports_errors
def explain(period, level, lang, templates, variant, config_path):
    """Every template considered for a report, in order, and why the chosen one won."""
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


@templates.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen templates copy monthly-team.zh 华东模板\n"
        "  docgen templates copy monthly-team.zh 华东模板 --variant east"
    )
)
@click.argument("key")
@click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--variant", help="Name the copy as this variant's template: monthly-team.zh.east.docx.")
@click.option("--force", is_flag=True, help="Replace a file of the same name in DEST_DIR.")
@reports_errors
def copy(key, dest_dir, variant, force):
    """Copy the built-in template KEY (e.g. monthly-team.zh) to DEST_DIR, to start one of your own.

    Open the copy in Word or LibreOffice, change wording, logo, fonts or
    section order, then check it with `docgen templates check`. Use
    DEST_DIR as a library with --templates DEST_DIR.
    """
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


@templates.command(
    epilog=(
        "Examples:\n\n\b\n"
        "  docgen templates check 华东模板/monthly-team.zh.docx\n"
        f"  docgen templates check 华东模板/monthly-team.zh.docx --workbook {EXAMPLE_WORKBOOK}"
    )
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also render against this workbook and report tags left literally in the output.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD", help="The date to render with (default: today).")
@reports_errors
def check(file, workbook, strict, today):
    """Check a template FILE: every problem at once, each with where it is.

    Finds Jinja syntax errors, variables and filters that do not exist
    (with the nearest right name), {%p %} / {%tr %} misuse, braces or %
    typed full-width by a Chinese input method, styles the template uses
    but does not define, and tracked changes. Exit 1 when there are errors
    (or, with --strict, warnings).
    """
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


@templates.command(
    "vars",
    epilog=f"Examples:\n\n\b\n  docgen templates vars\n  docgen templates vars --workbook {EXAMPLE_WORKBOOK}",
)
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Show the values this workbook gives (default: a built-in example).",
)
@click.option("--lang", type=click.Choice(schema.LANGUAGES), help="The language of the values (default: zh).")
@reports_errors
def variables(workbook, lang):
    """The variables a template may use, each with an example value (docs/template-variables.md explains them)."""
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
