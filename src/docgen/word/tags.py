"""Template tags as people leave them in Word, read whole by docxtpl; and the paragraph a Jinja error happened in."""

from __future__ import annotations

import html
import re

import jinja2
from docxtpl import DocxTemplate

# Tags as Word and LibreOffice leave them after a person edits a template:
# a tag's text split over runs (formatting, spell-check marks, bookmarks),
# typographic quotes, no-break or ideographic spaces, a capitalised keyword.
_TAG_BRACES = re.compile(r"(?<=\{)(?:<[^>]*>)+(?=[{%#])|(?<=[%}#])(?:<[^>]*>)+(?=\})")
_TAG_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_BETWEEN_TEXTS = re.compile(r"</w:t>.*?<w:t(?: [^>]*)?>", re.S)
_TAG_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u3000": " "})
_SPACED_KIND = re.compile(r"^\{%\s+(p|tr|tc|r)\s+(?=\w)")  # "{% p if" means "{%p if"
_KEYWORD = re.compile(r"^(\{%(?:p|tr|tc|r)?\s*)(If|IF|For|FOR|Endif|EndIf|ENDIF|Endfor|EndFor|ENDFOR|Else|ELSE|Elif|Set)\b")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")


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


def paragraph_per_line(xml: str) -> str:
    """A part's XML with every paragraph on a line of its own, as docxtpl renders it: Jinja's line is the paragraph."""
    return _PARAGRAPH_START.sub(r"\n<w:p\1", xml)


class EditedTemplate(DocxTemplate):
    """docxtpl, reading tags as people leave them in Word (see tidy_tags)."""

    def patch_xml(self, src_xml: str) -> str:
        return super().patch_xml(tidy_tags(src_xml))

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as error:
            # docxtpl names seven lines around a syntax error and nothing for an error
            # while rendering: find the one paragraph, for the message.
            error.docgen_paragraph = failing_paragraph(src_xml, error)
            raise


def failing_paragraph(xml: str, error: BaseException) -> str | None:
    """The text of the paragraph a Jinja error happened in, from its template line number."""
    line = error.lineno if isinstance(error, jinja2.TemplateSyntaxError) else None
    trace = error.__traceback__ if line is None else None
    while trace is not None:
        # Jinja rewrites its traceback so that a template's frames carry the template's own line.
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    lines = paragraph_per_line(xml).splitlines()
    if not line or not 0 < line <= len(lines):
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])).strip() or None
