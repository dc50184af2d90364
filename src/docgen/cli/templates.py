"""docgen templates list, explain, copy, check and vars: the template library from the command line."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from docgen.errors import Location, UsageError
from docgen.text.messages import Phrase, localise, message_language, say
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


def _where(library, told: str) -> str:
    return say("templates.builtin").in_language(told) if library.builtin else f"{library.folder} ({library.origin})"


@templates.command("list")
@library_options
@reports_errors
def list_templates(templates, variant, config_path):
    from docgen.word.library import listing

    libraries, config = _libraries(templates, config_path)
    variant = variant or config.variant
    chosen, others = listing(libraries, variant)
    told = message_language()
    order = ("；" if told == "zh" else "; ").join(
        f"{i}. {_where(lib, told)}" for i, lib in enumerate(libraries, start=1)
    )
    click.echo(say("templates.search_order", libraries=order).in_language(told))
    if variant:
        click.echo(say("templates.variant", variant=variant).in_language(told))
    click.echo("")
    width = max(len(str(row.key)) for row in chosen) + 2
    file_width = max(len(row.path.name) for row in chosen) + 2
    key, file, library = (say(f"templates.column.{name}").in_language(told) for name in ("key", "file", "library"))
    click.echo(f"{key:<{width}}{file:<{file_width}}{library}")
    for row in chosen:
        about = f"  — {row.description}" if row.description else ""
        click.echo(f"{str(row.key):<{width}}{row.path.name:<{file_width}}{_where(row.library, told)}{about}")
    own = sum(1 for row in chosen if not row.library.builtin)
    total = say("templates.keys_total", count=len(chosen), builtin=len(chosen) - own, own=own)
    click.echo("\n" + total.in_language(told))
    if others:
        click.echo("\n" + say("templates.others").in_language(told))
        for row in others:
            missing = "" if row.path.is_file() else say("templates.listed_missing").in_language(told)
            click.echo(f"  {str(row.key):<{width}}{row.path}{missing}")
    ignored = [(lib, name, why) for lib in libraries if not lib.builtin for name, why in lib.ignored]
    if ignored:
        click.echo("\n" + say("templates.ignored").in_language(told))
        for library, name, why in ignored:
            click.echo(f"  {library.folder / name}{'：' if told == 'zh' else ': '}{localise(why, told)}")


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
    told = message_language()
    wanted = f"{period}-{level}.{lang}"
    if variant:
        wanted = say("templates.wanted_variant", key=wanted, variant=variant)
    click.echo(say("templates.explain", wanted=wanted).in_language(told))
    for line in explain_choice(choice, told):
        click.echo(f"  {line}")
    winner = next(c for c in choice.candidates if c.exists)
    click.echo("\n" + say("templates.chosen", path=choice.path).in_language(told))
    click.echo(say("templates.why", reason=choice.reason).in_language(told))
    if variant and not winner.entry.key.variant:
        click.echo(say("templates.plain_serves", variant=variant).in_language(told))


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
            say("templates.no_builtin", key=key),
            hint=say("templates.keys.hint.guess", guess=close[0]) if close else say("templates.keys.hint"),
        )
    source = library.entries[parsed.plain].path
    target_key = TemplateKey(parsed.period, parsed.level, parsed.lang, variant or parsed.variant)
    target = dest_dir / target_key.filename
    write_atomic(target, source.read_bytes(), force=force)
    told = message_language()
    option = f" --variant {variant}" if variant else ""
    click.echo(say("templates.copied", name=source.name, target=target).in_language(told))
    click.echo(say("templates.copied.check", target=target).in_language(told))
    click.echo(say("templates.copied.use", folder=dest_dir, variant=option).in_language(told))


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
    told = message_language()
    labels = {ERROR: "error", WARNING: "warning", INFO: "info"}
    for problem in problems:
        label = say(f"templates.label.{labels[problem.severity]}").in_language(told)
        click.echo(f"{label}{'：' if told == 'zh' else ': '}{_problem_text(problem, told)}")
    counts = {severity: sum(1 for p in problems if p.severity == severity) for severity in (ERROR, WARNING, INFO)}
    if not problems:
        rendered = say("templates.renders_clean", workbook=workbook.name) if workbook else ""
        click.echo(say("templates.no_problems", name=file.name, rendered=rendered).in_language(told))
        return
    errors, warnings, notes = (
        say(f"templates.count.{labels[severity]}" + ("" if counts[severity] == 1 else ".plural"), count=counts[severity])
        for severity in (ERROR, WARNING, INFO)
    )
    click.echo(say("templates.counts", name=file.name, errors=errors, warnings=warnings, notes=notes).in_language(told))
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
                say("templates.no_period"),
                location=Location(file=str(workbook)),
                hint=say("templates.no_period.hint"),
            )
    lines = variable_reference(reference_context(lang or "zh", loaded))
    width = max(len(path) for path, _ in lines) + 2
    told = message_language(lang)
    for path, value in lines:
        click.echo(f"{path:<{width}}{localise(value, told)}")
    click.echo("\n" + say("templates.vars_total", count=len(lines)).in_language(told))
    click.echo(say("templates.vars_how").in_language(told))


def _problem_text(problem, told: str) -> str:
    """A template check's finding in the user's language; one the catalogue does not have, wholly in English."""
    if told != "zh" or not isinstance(problem.message, Phrase):
        return str(problem)
    where = problem.location.text("zh")
    text = f"{where}：{localise(problem.message, 'zh')}" if where else str(localise(problem.message, "zh"))
    return f"{text}。{localise(problem.hint, 'zh')}" if problem.hint else f"{text}。"
