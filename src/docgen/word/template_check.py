"""docgen templates check: every problem of a template at once, each with its place; and the refusal before a run."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from docgen.errors import TemplateError
from docgen.text.messages import Listed, Phrase, say
from docgen.word.limits import RenderLimitError
from docgen.word.places import places, read_parts, template_language
from docgen.word.reference import reference_context
from docgen.word.tag_checks import ERROR, INFO, WARNING, Checker, TemplateProblem

__all__ = ["ERROR", "INFO", "WARNING", "TemplateProblem", "by_severity", "check_template", "limit_problems",
           "literal_tag_problems", "merge_reference", "refuse_broken_template"]  # fmt: skip

# What is left of a tag that was not read as one: braces and percent signs, half- or full-width, maybe spaced.
_LITERAL = re.compile(r"[{｛]\s*[{｛%％]|[%％}｝]\s*[}｝]")


def check_template(path: Path) -> list[TemplateProblem]:
    """Every problem of a template, at once, errors first (a trial against a workbook: docgen.runs.template_trial)."""
    path = Path(path)
    parts, styles = read_parts(path)
    lang = template_language(parts)
    checker = Checker(path, reference_context(lang))
    for part, root in parts.items():
        checker.check_part(part, places(part, root))
    checker.styles(parts, styles)
    checker.tracked_changes(parts)
    if not any(p.severity == ERROR for p in checker.problems):
        checker.problems += limit_problems(path, checker.reference)
    return by_severity(checker.problems)


def by_severity(problems: list[TemplateProblem]) -> list[TemplateProblem]:
    """Errors first, then warnings, then notes; in the order found within each."""
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    return sorted(problems, key=lambda p: order[p.severity])


# Problems no context can mend: every document rendered from the template would fail.
_BREAKING = {"syntax", "unsafe", "block-mismatch", "block-not-closed", "limit"}


def refuse_broken_template(
    path: Path, *, sheet: str | None = None, columns: Sequence[str] | None = None, names_only: bool = False
) -> None:
    """Raise TemplateError, before a run starts, for a template that every document would fail on.

    That is: not a .docx, a Jinja syntax error, a block never closed, a tag
    the sandbox refuses, a name the context will not hold (a report's
    documented variables, or for a mail merge, `sheet` and its `columns`),
    told with the nearest known ones; then a trial render that goes past a
    limit (a huge value, endless recursion, the memory, time or output limit).

    `names_only`: only the unknown names, for one document, whose render
    says every other fault in its own words as soon (an unreadable template
    is then left to it too).
    """
    path = Path(path)
    try:
        parts, _styles = read_parts(path)
    except TemplateError:
        if names_only:
            return
        raise
    lang = template_language(parts)
    if columns is None:
        checker = Checker(path, reference_context(lang))
    else:
        checker = Checker(path, merge_reference(columns), sheet=sheet, columns=tuple(columns))
    for part, root in parts.items():
        checker.check_part(part, places(part, root))
    # A broken tag first: the names in a template that cannot run matter less.
    broken = [problem for problem in checker.problems if problem.code in _BREAKING]
    if broken and names_only:
        return
    if broken:
        more = say("template.unusable.more", count=len(broken) - 1) if len(broken) > 1 else ""
        _refuse(broken[0], more)
    unknown = [problem for problem in checker.problems if problem.code == "unknown-variable"]
    if unknown:
        others = [p.message.params.get("name") for p in unknown[1:] if isinstance(p.message, Phrase)]
        others = [f"“{name}”" for name in dict.fromkeys(others) if name is not None]
        _refuse(unknown[0], say("names.more", count=len(others), names=Listed(others)) if others else "")
    if not names_only and (limits := limit_problems(path, reference_context(lang))):
        _refuse(limits[0], "")


def _refuse(problem: TemplateProblem, more: object) -> None:
    raise TemplateError(say("template.unusable", message=problem.message, more=more), location=problem.location,
                        hint=problem.hint)


def merge_fields_used(path: Path, columns: Sequence[str]) -> tuple[str, ...]:
    """The data columns a mail merge template prints as they are, where an empty cell would leave a hole
    ("尊敬的  女士"); not those it tests first (`{% if 联系人 %}`) or gives a default."""
    parts, _styles = read_parts(Path(path))
    checker = Checker(Path(path), merge_reference(columns), columns=tuple(columns))
    for part, root in parts.items():
        checker.check_part(part, places(part, root))
    return tuple(checker.used)


def merge_reference(columns: Sequence[str]) -> dict:
    """The shape of a mail merge's context (docgen.runs.merge.row_context): each column that is a name, and `row`."""
    values = dict.fromkeys(columns)
    context: dict = {name: None for name in columns if name.isidentifier() and name != "row"}
    context["row"] = {**values, "text": dict(values)}
    return context


def limit_problems(template: Path, context: dict) -> list[TemplateProblem]:
    """A trial render with the documented context, every tag run whatever it lacks: the limit it goes past, if any.

    Other failures are left to the checks that say them better (an unknown
    variable) or to a render against a workbook.
    """
    from docgen.word.render import trial_render  # docxtpl: loaded when a template is checked, not with this module

    try:
        trial_render(template, context)
    except RenderLimitError as error:
        return [TemplateProblem("limit", ERROR, f"a trial render fails: {error.message}", error.location, error.hint)]
    except TemplateError:
        pass
    return []


def literal_tag_problems(document: bytes, output: Path) -> list[TemplateProblem]:
    """Every tag a rendered document still shows literally, each at its place in `output` (the document's label)."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        for name in archive.namelist():
            found = re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
            if not found:
                continue
            part = {"document": "body"}.get(found.group(1), re.sub(r"\d+", "", found.group(1)))
            for place in places(part, etree.fromstring(archive.read(name), parser)):
                for literal in _LITERAL.finditer(place.text):
                    problems.append(
                        TemplateProblem(
                            "literal-tag",
                            ERROR,
                            f"the output still shows “{literal.group(0)}”: a tag was not read as a tag",
                            place.location(output),
                            "Look for full-width braces, a stray brace, or a tag split over two paragraphs "
                            "at this place in the template.",
                        )
                    )
    return problems
