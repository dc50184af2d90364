"""Renders a .docx template with a context in a Jinja sandbox, to the bytes of a new document."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from .errors import Location, TemplateError
from .filters import make_filters
from .narrative import DEFAULT_THRESHOLDS, TrendThresholds

# Characters XML 1.0 forbids even when escaped; a workbook cell can hold them
# (pasted from other programs) and they would make Word refuse the document.
# docxtpl also turns \a and \f inside text into new paragraphs and pages.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop characters that cannot stand in a Word document; keep tabs and line breaks."""
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def sanitise(value: Any) -> Any:
    """A copy of a context with every string made safe for WordprocessingML."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: sanitise(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitise(item) for item in value]
    return value


def make_environment(thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaped, strict, with docgen's filters."""
    # StrictUndefined turns a misspelt variable into an error that names it,
    # instead of a report with a silent hole in it.
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters.update(make_filters(thresholds))
    return environment


# Tags as Word and LibreOffice leave them after a person edits a template:
# a tag's text split over runs (formatting, spell-check marks, bookmarks),
# typographic quotes, no-break or ideographic spaces, a capitalised keyword.
_TAG_BRACES = re.compile(r"(?<=\{)(?:<[^>]*>)+(?=[{%#])|(?<=[%}#])(?:<[^>]*>)+(?=\})")
_TAG_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_BETWEEN_TEXTS = re.compile(r"</w:t>.*?<w:t(?: [^>]*)?>", re.S)
_TAG_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u3000": " "})
_SPACED_KIND = re.compile(r"^\{%\s+(p|tr|tc|r)\s+(?=\w)")  # "{% p if" means "{%p if"
_KEYWORD = re.compile(r"^(\{%(?:p|tr|tc|r)?\s*)(If|IF|For|FOR|Endif|EndIf|ENDIF|Endfor|EndFor|ENDFOR|Else|ELSE|Elif|Set)\b")


def tidy_tags(xml: str) -> str:
    """A part's XML with every Jinja tag's text in one run, straight quotes and plain keywords.

    Runs inside a tag are merged (the tag keeps its first run's formatting),
    so that docxtpl sees the tag whole, however Word split it.
    """

    def tidy(found: re.Match) -> str:
        if "</w:p>" in found.group(0):
            return found.group(0)  # a tag left open: Jinja reports it where it starts
        tag = _BETWEEN_TEXTS.sub("", found.group(0)).translate(_TAG_QUOTES)
        if tag.startswith("{%"):
            tag = _SPACED_KIND.sub(r"{%\1 ", tag)
            tag = _KEYWORD.sub(lambda m: m.group(1) + m.group(2).lower(), tag)
        return tag

    return _TAG_SPAN.sub(tidy, _TAG_BRACES.sub("", xml))


class _EditedTemplate(DocxTemplate):
    """docxtpl, reading tags as people leave them in Word (see tidy_tags)."""

    def patch_xml(self, src_xml: str) -> str:
        return super().patch_xml(tidy_tags(src_xml))


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
    `thresholds` are the trend_word filter's.
    """
    template_path = Path(template_path)
    _ensure_docx(template_path)
    try:
        template = _EditedTemplate(str(template_path))
        context = sanitise(context)
        for path, (png, width_cm) in (images or {}).items():
            # An InlineImage belongs to its template: it adds the picture to that document's parts.
            *parents, name = path.split(".")
            holder = context
            for parent in parents:
                holder = holder.setdefault(parent, {})
            holder[name] = InlineImage(template, io.BytesIO(png), width=Cm(width_cm))
        template.render(context, jinja_env=make_environment(thresholds), autoescape=True)
        properties = template.docx.core_properties
        properties.comments = ""  # the template's own note is not the report's
        if title is not None:
            properties.title = clean_text(title)
        if author is not None:
            properties.author = clean_text(author)
        buffer = io.BytesIO()
        template.save(buffer)
    except jinja2.TemplateSyntaxError as error:
        raise _template_error(template, template_path, error, "has a Jinja syntax error") from None
    except (jinja2.exceptions.SecurityError, jinja2.UndefinedError) as error:
        if isinstance(error, jinja2.UndefinedError) and "unsafe" not in str(error):
            raise _template_error(
                template,
                template_path,
                error,
                "uses a variable docgen does not provide",
                hint="See docs/template-variables.md for the variables a template may use.",
            ) from None
        # The sandbox answers an unsafe attribute with an undefined value, which
        # StrictUndefined raises: either way nothing ran, and the user should know why.
        raise _template_error(
            template,
            template_path,
            error,
            "tries something the sandbox forbids (it was not run)",
            hint="Templates may only use the documented variables and filters; "
            "see docs/template-variables.md.",
        ) from None
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError) as error:
        raise _template_error(template, template_path, error, "could not be rendered") from None
    return buffer.getvalue()


def _ensure_docx(path: Path) -> None:
    if not path.is_file():
        raise TemplateError(
            "template not found",
            location=Location(file=str(path)),
            hint="Check the path, or leave out --template to use the built-in library.",
        )
    if not zipfile.is_zipfile(path):
        raise TemplateError(
            "is not a Word .docx file",
            location=Location(file=str(path)),
            hint="Save the template from Word or LibreOffice as .docx (Word 2007-365).",
        )


def _template_error(
    template: DocxTemplate,
    template_path: Path,
    error: Exception,
    what: str,
    hint: str | None = None,
) -> TemplateError:
    part = getattr(getattr(template, "current_rendering_part", None), "partname", None)
    lines = [line.strip() for line in getattr(error, "docx_context", []) or [] if line.strip()]
    location = Location(
        file=str(template_path),
        part=_part_label(str(part)) if part else None,
        paragraph=" ".join(lines) if lines else None,
    )
    detail = getattr(error, "message", None) or str(error)
    return TemplateError(f"the template {what}: {detail}", location=location, hint=hint)


def _part_label(partname: str) -> str:
    if "header" in partname:
        return "header"
    if "footer" in partname:
        return "footer"
    if "footnote" in partname:
        return "footnotes"
    return "body"
