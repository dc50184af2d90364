"""Renders a .docx template with a context in a Jinja sandbox, to the bytes of a new document."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from docgen.errors import Location, TemplateError
from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds
from docgen.text.messages import say
from docgen.text.nearest import did_you_mean, nearest_names
from docgen.word.environment import make_environment, sanitise
from docgen.word.limits import LimitExceeded, RenderLimitError, limit_error, run_isolated
from docgen.word.ooxml import clean_text, part_label
from docgen.word.package_check import refuse_unsafe_template
from docgen.word.sandbox import TooBig
from docgen.word.tags import EditedTemplate

def render_docx(
    template_path: Path,
    context: dict[str, Any],
    *,
    title: str | None = None,
    author: str | None = None,
    images: dict[str, tuple[bytes, float]] | None = None,
    thresholds: TrendThresholds = DEFAULT_THRESHOLDS,
) -> bytes:
    """Render a docxtpl template with the context and return the new document's bytes.

    `title` and `author` become the document's properties (File > Info in
    Word), in place of the template's own. `images` maps a context path such
    as "charts.trend" to (PNG bytes, width in cm): the picture is put there.
    `thresholds` are the trend_word filter's. The render runs under the
    limits of docgen.word.limits, in a child process of its own.
    """
    template_path = Path(template_path)
    return run_isolated(
        template_path, _render_docx, template_path, context, title=title, author=author, images=images,
        thresholds=thresholds,
    )


def _render_docx(
    template_path: Path,
    context: dict[str, Any],
    *,
    title: str | None,
    author: str | None,
    images: dict[str, tuple[bytes, float]] | None,
    thresholds: TrendThresholds,
    lenient: bool = False,
) -> bytes:
    template = _open(template_path)
    try:
        context = sanitise(context)
        for path, (png, width_cm) in (images or {}).items():
            # An InlineImage belongs to its template: it adds the picture to that document's parts.
            *parents, name = path.split(".")
            holder = context
            for parent in parents:
                holder = holder.setdefault(parent, {})
            holder[name] = InlineImage(template, io.BytesIO(png), width=Cm(width_cm))
        template.render(context, jinja_env=make_environment(thresholds, lenient=lenient), autoescape=True)
        properties = template.docx.core_properties
        properties.comments = ""  # the template's own note is not the report's
        if title is not None:
            properties.title = clean_text(title)
        if author is not None:
            properties.author = clean_text(author)
        buffer = io.BytesIO()
        template.save(buffer)
    except jinja2.TemplateSyntaxError as error:
        raise _template_error(
            template, template_path, error, say("template.syntax"), hint=say("template.syntax.hint")
        ) from None
    except (LimitExceeded, MemoryError) as error:
        raise limit_error(template_path, error, _location(template, template_path, error)) from None
    except RecursionError as error:
        raise _template_error(
            template, template_path, error, say("template.recursion"), hint=say("template.recursion.hint"),
            cls=RenderLimitError,
        ) from None
    except TooBig as error:
        raise _template_error(
            template, template_path, error, say("template.forbidden"), hint=say("template.too_big.hint"),
            cls=RenderLimitError,
        ) from None
    except (jinja2.exceptions.SecurityError, jinja2.UndefinedError, OverflowError, TypeError) as error:
        if isinstance(error, jinja2.UndefinedError) and "unsafe" not in str(error):
            raise _template_error(
                template,
                template_path,
                error,
                say("template.unknown_variable"),
                hint=say("template.unknown_variable.hint"),
                detail=_undefined_detail(error, context),
            ) from None
        # The sandbox answers an unsafe attribute with an undefined value, which
        # StrictUndefined raises; it caps range() with an OverflowError; and a template
        # may not include or import files (no loader: TypeError). Nothing ran either way.
        if isinstance(error, (jinja2.exceptions.SecurityError, jinja2.UndefinedError)) or _forbidden(error):
            raise _template_error(
                template,
                template_path,
                error,
                say("template.forbidden"),
                hint=say("template.forbidden.hint"),
            ) from None
        raise _template_error(template, template_path, error, say("template.not_rendered")) from None
    except (jinja2.TemplateError, ArithmeticError, ValueError) as error:
        raise _template_error(template, template_path, error, say("template.not_rendered")) from None
    except Exception as error:  # noqa: BLE001 - a template can raise anything: [1].pop(5), {}.pop('x'), '{0}'.format()
        raise _template_error(
            template, template_path, error, say("template.not_rendered"), hint=say("template.raised.hint"),
            kind=True,
        ) from None
    return buffer.getvalue()


def trial_render(template_path: Path, context: dict[str, Any]) -> None:
    """Render a template as render_docx does, under the same limits, but with unknown variables printed as nothing.

    For templates check, and the check batch and merge make before they
    start: every tag runs, whatever the context lacks, so a template that
    goes past a limit (RenderLimitError) is found before a run of many.
    """
    template_path = Path(template_path)
    run_isolated(
        template_path, _render_docx, template_path, context, title=None, author=None, images=None,
        thresholds=DEFAULT_THRESHOLDS, lenient=True,
    )


# Jinja's words for what a template asked for and the context lacks: "'autor' is undefined",
# "'dict object' has no attribute 'autor'".
_UNDEFINED = re.compile(r"^'(?P<root>.*)' is undefined$|has no attribute '(?P<attribute>.*)'$", re.S)


def _undefined_detail(error: jinja2.UndefinedError, context: Any) -> str | None:
    """What a render found missing, with the nearest names the context holds (report.author for autor); None when
    Jinja's words cannot be read, and its own are kept."""
    found = _UNDEFINED.search(str(error.message or ""))
    if not found:
        return None
    name = found.group("root") if found.group("root") is not None else found.group("attribute")
    candidates: dict[str, list[str]] = {}

    def walk(value: Any, path: str, depth: int) -> None:
        if isinstance(value, list) and value:
            walk(value[0], f"{path}[0]", depth)
        elif isinstance(value, Mapping) and depth < 4:
            for key in value:
                if isinstance(key, str):
                    shown = f"{path}.{key}" if path and key.isidentifier() else f"{path}['{key}']" if path else key
                    candidates.setdefault(key, []).append(shown)
                    walk(value[key], shown, depth + 1)

    walk(context, "", 0)
    nearest = [shown for close in nearest_names(name, candidates) for shown in candidates[close]]
    return say("names.undefined", name=name, guess=did_you_mean(list(dict.fromkeys(nearest))))


def _forbidden(error: BaseException) -> bool:
    """A range() past the sandbox's cap, or an include, import or extends (the sandbox has no files to give)."""
    text = str(error)
    return "MAX_RANGE" in text or "no loader" in text


def _open(path: Path) -> EditedTemplate:
    """The template, opened now, so that a damaged one is said to be damaged and not a traceback."""
    _ensure_docx(path)
    template = EditedTemplate(str(path))
    try:
        template.init_docx()
    except Exception as error:  # python-docx raises many types for a damaged package
        raise TemplateError(
            say("template.damaged", detail=str(error).strip() or type(error).__name__),
            location=Location(file=str(path)),
            hint=say("template.not_docx.hint"),
        ) from None
    return template


def _ensure_docx(path: Path) -> None:
    if not path.is_file():
        raise TemplateError(
            say("template.not_found"),
            location=Location(file=str(path)),
            hint=say("template.not_found.hint"),
        )
    if not zipfile.is_zipfile(path) or not _has_document(path):
        raise TemplateError(
            say("template.not_docx"),
            location=Location(file=str(path)),
            hint=say("template.not_docx.hint"),
        )


def _has_document(path: Path) -> bool:
    """Whether a zip is a package with a document part, after refusing one that is unsafe to unpack."""
    try:
        with zipfile.ZipFile(path) as archive:
            refuse_unsafe_template(path, archive)
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def _template_error(
    template: DocxTemplate,
    template_path: Path,
    error: Exception,
    what: str,
    hint: str | None = None,
    kind: bool = False,
    cls: type[TemplateError] = TemplateError,
    detail: str | None = None,
) -> TemplateError:
    if detail is not None:
        location = _location(template, template_path, error)
        return cls(say("template.failed", what=what, detail=detail), location=location, hint=hint)
    detail = (getattr(error, "message", None) or str(error)).rstrip(".")
    if kind:  # a Python error: its type says more than its text ("'x'" for a KeyError)
        detail = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    location = _location(template, template_path, error)
    return cls(say("template.failed", what=what, detail=detail), location=location, hint=hint)


def _location(template: DocxTemplate, template_path: Path, error: BaseException) -> Location:
    """Where in the template an error happened: the part being rendered and the paragraph."""
    part = getattr(getattr(template, "current_rendering_part", None), "partname", None)
    paragraph = getattr(error, "docgen_paragraph", None)
    if paragraph is None:
        lines = [line.strip() for line in getattr(error, "docx_context", []) or [] if line.strip()]
        paragraph = " ".join(lines) if lines else None
    return Location(
        file=str(template_path),
        part=part_label(str(part)) if part else None,
        paragraph=paragraph,
    )

