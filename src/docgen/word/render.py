"""Renders a .docx template with a context in a Jinja sandbox, to the bytes of a new document."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import Location, TemplateError
from docgen.word.filters import make_filters
from docgen.word.limits import LimitExceeded, RenderLimitError, current_limits, limit_error, run_isolated
from docgen.text.messages import say
from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds
from docgen.word.package_check import refuse_unsafe_template
from docgen.word.sandbox import Sandbox, TooBig

if TYPE_CHECKING:
    from docgen.word.compiled import CompiledTemplate

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


def make_environment(thresholds: TrendThresholds = DEFAULT_THRESHOLDS, *, lenient: bool = False) -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaped, strict, with docgen's filters.

    A render's output (a part's XML) is capped at the output limit (docgen.word.limits).
    `lenient` lets an unknown variable print as nothing: trial_render's.
    """
    # StrictUndefined turns a misspelt variable into an error that names it,
    # instead of a report with a silent hole in it.
    environment = Sandbox(
        autoescape=True,
        undefined=jinja2.ChainableUndefined if lenient else jinja2.StrictUndefined,
        output_characters=current_limits().output_characters,
    )
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

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as error:
            # docxtpl names seven lines around a syntax error and nothing for an error
            # while rendering: find the one paragraph, for the message.
            error.docgen_paragraph = _failing_paragraph(src_xml, error)
            raise


def _failing_paragraph(xml: str, error: BaseException) -> str | None:
    """The text of the paragraph a Jinja error happened in, from its template line number."""
    line = error.lineno if isinstance(error, jinja2.TemplateSyntaxError) else None
    trace = error.__traceback__ if line is None else None
    while trace is not None:
        # Jinja rewrites its traceback so that a template's frames carry the template's own line.
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    # docxtpl renders a part with every paragraph on a line of its own, as here.
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()
    if not line or not 0 < line <= len(lines):
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])).strip() or None


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


def compile_template(template_path: Path, thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> CompiledTemplate:
    """The template compiled once, to render many documents: `.render(context, title=, author=, images=)` → bytes.

    The documents are render_docx's, made at about the cost of Jinja and a zip
    (docgen.word.compiled); a template or document the fast path does not handle
    (pictures put in by images, footnotes with tags) is rendered by render_docx.
    """
    from docgen.word.compiled import CompiledTemplate

    return CompiledTemplate(Path(template_path), thresholds)


def _forbidden(error: BaseException) -> bool:
    """A range() past the sandbox's cap, or an include, import or extends (the sandbox has no files to give)."""
    text = str(error)
    return "MAX_RANGE" in text or "no loader" in text


def _open(path: Path) -> _EditedTemplate:
    """The template, opened now, so that a damaged one is said to be damaged and not a traceback."""
    _ensure_docx(path)
    template = _EditedTemplate(str(path))
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
) -> TemplateError:
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
        part=_part_label(str(part)) if part else None,
        paragraph=paragraph,
    )


def _part_label(partname: str) -> str:
    if "header" in partname:
        return "header"
    if "footer" in partname:
        return "footer"
    if "footnote" in partname:
        return "footnotes"
    return "body"
