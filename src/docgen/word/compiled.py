"""The fast path: one template compiled once renders many documents, each the one docxtpl would make (docs/rendering.md)."""

from __future__ import annotations

import copy
import io
import re
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docx.oxml.ns import qn
from docxtpl import InlineImage, Subdoc
from lxml import etree
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import Location
from docgen.report.narrative import DEFAULT_THRESHOLDS, TrendThresholds
from docgen.word.environment import make_environment, sanitise
from docgen.word.limits import LimitExceeded, confined, current_limits, limit_error
from docgen.word.ooxml import NAMESPACES, W, W_NS, clean_text, part_label
from docgen.word.package_check import refuse_unsafe_template
from docgen.word.render import render_docx
from docgen.word.tags import EditedTemplate, failing_paragraph, paragraph_per_line

# The core properties docxtpl renders as templates (DocxTemplate.render_properties), in its order.
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
# Objects that add parts to the document they are rendered into: docxtpl's job.
_DOCUMENT_OBJECTS = (InlineImage, Subdoc)
_TAG_IN_TEXT = re.compile(r"\{[{%#]")
_XML_MARKUP = re.compile(r"<[^>]+>")
# How hard the parts rendered per document are deflated: level 1 is five times quicker than zlib's
# default and makes a document.xml about a tenth bigger; the template's own parts keep level 6.
_LEVEL = 1


def compile_template(template_path: Path, thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> CompiledTemplate:
    """The template compiled once, to render many documents: `.render(context, title=, author=, images=)` → bytes.

    The documents are render_docx's, made at about the cost of Jinja and a zip;
    a template or document the fast path does not handle (pictures put in by
    images, footnotes with tags) is rendered by render_docx.
    """
    return CompiledTemplate(Path(template_path), thresholds)


class CompiledTemplate:
    """A .docx template compiled once, rendering each context to the bytes docxtpl would save.

    `fast` says whether documents are made by the fast path; when it is False,
    `reason` says why, and every document is rendered by render.render_docx.
    `fallbacks` counts the documents docxtpl rendered although the template is
    fast (pictures, or a record whose fast render failed). Rendering is safe
    from several threads.
    """

    def __init__(self, path: Path, thresholds: TrendThresholds = DEFAULT_THRESHOLDS) -> None:
        self.path = Path(path)
        self.thresholds = thresholds
        self.reason: str | None = None
        self.fallbacks = 0
        self.limits = current_limits()  # a run's limits: its environment does not change while it runs
        self._package: _FastPackage | None = None
        try:
            self._package = _FastPackage(self.path, make_environment(thresholds))
        except _Unsupported as unsupported:
            self.reason = str(unsupported)
        except Exception as error:  # noqa: BLE001 - docxtpl reports it, record by record, in its own words
            self.reason = f"the template could not be compiled ({type(error).__name__}: {error})"

    @property
    def fast(self) -> bool:
        return self._package is not None

    def render(
        self,
        context: dict[str, Any],
        *,
        title: str | None = None,
        author: str | None = None,
        images: dict[str, tuple[bytes, float]] | None = None,
    ) -> bytes:
        """The document for a context; the arguments are render.render_docx's.

        It is rendered in this process under the limits of docgen.word.limits, set
        for this document alone: a batch or merge worker renders many, and a
        child process for each would cost more than the render.
        """
        limits = self.limits
        with confined(limits):
            if self._package is not None and not images and not _holds_document_objects(context):
                try:
                    return self._package.render(sanitise(context), title, author)
                except (LimitExceeded, MemoryError) as error:  # docxtpl would only go past it again
                    raise limit_error(self.path, error, self._package.location(error), limits) from None
                except Exception:  # noqa: BLE001 - docxtpl renders it again and says what is wrong, as it always has
                    pass
            if self._package is not None:
                self.fallbacks += 1
            return render_docx(
                self.path, context, title=title, author=author, images=images, thresholds=self.thresholds
            )

    def uses_fast_path(self, *, images: dict | None = None, context: dict | None = None) -> bool:
        """Whether a document with these pictures and this context is made by the fast path."""
        return self.fast and not images and not (context is not None and _holds_document_objects(context))


class _Unsupported(Exception):
    """Something in the template that only docxtpl renders."""


def _holds_document_objects(context: Any) -> bool:
    """Whether a context holds an InlineImage or Subdoc anywhere (docgen's contexts never do: plain data)."""
    waiting = [context]
    while waiting:
        value = waiting.pop()
        kind = type(value)
        if kind is str:
            continue
        if kind is dict or isinstance(value, dict):
            waiting.extend(value.values())
        elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
            waiting.extend(value)
        elif isinstance(value, _DOCUMENT_OBJECTS):
            return True
    return False


@dataclass(frozen=True)
class _Member:
    """One zip member, deflated and ready to write."""

    name: bytes
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes, level: int = _LEVEL) -> _Member:
        # zlib's default memory level costs more to set up than a small part takes to deflate.
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 8 if len(data) > 4096 else 1)
        return cls(name.encode("utf-8"), zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


@dataclass(frozen=True)
class _RenderedPart:
    """A part Jinja renders: its zip member's name and its compiled template."""

    member: str
    template: jinja2.Template
    source: str  # the XML Jinja compiled (before its line per paragraph), to find the paragraph of an error

    def render(self, context: dict[str, Any]) -> str:
        try:
            return self.template.render(context)
        except BaseException as error:
            error.docgen_part = self  # which part, for the message
            raise


class _FastPackage:
    """The compiled template: the parts Jinja renders, and every other part as python-docx saves it."""

    def __init__(self, path: Path, environment: SandboxedEnvironment) -> None:
        self.environment = environment
        self.path = path
        with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before python-docx unpacks it
            refuse_unsafe_template(path, archive)
        self.helper = EditedTemplate(str(path))  # docxtpl's own preprocessing and post-processing
        document = Document(str(path))  # the template as docxtpl opens it
        package = document.part.package
        for part in package.iter_parts():
            # docxtpl renders footnotes as a template too, in its own way: a tag there is its job.
            if part.content_type == CT.WML_FOOTNOTES:
                if _TAG_IN_TEXT.search(_XML_MARKUP.sub("", part.blob.decode("utf-8", "replace"))):
                    raise _Unsupported("its footnotes have template tags")

        # The document element around the body, as python-docx saves it, and its namespace
        # declarations, which the body then need not repeat.
        shell = copy.deepcopy(document.element)
        shell.replace(shell.body, etree.SubElement(shell, qn("w:body")))
        self.document_head, _, self.document_tail = serialize_part_xml(shell).partition(b"<w:body/>")
        self.root_namespaces = set(_INHERITED_NAMESPACES.findall(etree.tostring(shell).partition(b">")[0]))
        # The body: docxtpl's get_xml, patch_xml and render_xml_part's first step.
        self.body_part = _RenderedPart(
            str(document.part.partname).lstrip("/"), *self._compile(self.helper.xml_to_string(document.element.body))
        )

        # Headers then footers, as DocxTemplate.render takes them.
        self.hf_parts: list[_RenderedPart] = []
        for reltype in (RT.HEADER, RT.FOOTER):
            for rel in document.part.rels.values():
                part = rel.target_part if not rel.is_external else None
                if rel.reltype != reltype or part is None or not part.blob:
                    continue
                member = str(part.partname).lstrip("/")
                if any(rendered.member == member for rendered in self.hf_parts):
                    continue
                self.hf_parts.append(_RenderedPart(member, *self._compile(self.helper.get_part_xml(part))))

        # The document properties, as docxtpl's render_properties and render_docx set them.
        properties = document.core_properties  # python-docx adds the part when the template has none
        self.core_member = str(package._core_properties_part.partname).lstrip("/")
        self.core_element = properties._element
        # A property without a tag renders to the same text for every document: rendered once, here.
        self.property_templates = {
            name: environment.from_string(getattr(properties, name)) for name in _RENDERED_PROPERTIES
        }
        self.property_texts = {
            name: template.render()
            for name, template in self.property_templates.items()
            if "{" not in getattr(properties, name)
        }

        # Everything else, as python-docx saves it: the parts, their relationships, the content types.
        saved = io.BytesIO()
        document.save(saved)
        rendered = {self.body_part.member, self.core_member, *(part.member for part in self.hf_parts)}
        self.order: list[str | _Member] = []
        with zipfile.ZipFile(saved) as archive:
            for info in archive.infolist():
                if info.filename in rendered:
                    self.order.append(info.filename)
                else:
                    self.order.append(_Member.of(info.filename, archive.read(info), level=6))
        missing = rendered - {item for item in self.order if isinstance(item, str)}
        if missing:
            raise _Unsupported(f"python-docx does not save the part {sorted(missing)[0]}")
        self.lock = threading.Lock()
        self.last_members: dict[str, tuple[object, _Member]] = {}  # a header's (or the properties') last output
        if not self.document_tail:
            raise _Unsupported("its body could not be found")

    def _compile(self, xml: str) -> tuple[jinja2.Template, str]:
        patched = self.helper.patch_xml(xml)
        # render_xml_part's first step: a line per paragraph, so that Jinja's line numbers find the paragraph.
        source = paragraph_per_line(patched)
        return self.environment.from_string(source), patched

    def location(self, error: BaseException) -> Location:
        """Where an error of a fast render happened: the part, and the paragraph as render_docx finds it."""
        part = getattr(error, "docgen_part", None)
        if part is None:
            return Location(file=str(self.path))
        return Location(file=str(self.path), part=part_label(part.member), paragraph=failing_paragraph(part.source, error))

    def render(self, context: dict[str, Any], title: str | None, author: str | None) -> bytes:
        members = {self.body_part.member: _Member.of(self.body_part.member, self._render_body(context))}
        for part in self.hf_parts:
            xml = part.render(context)
            # Headers and footers often come out the same for every record: finished once, then reused.
            last = self.last_members.get(part.member)
            if last is None or last[0] != xml:
                # docxtpl's map_headers_footers_xml: python-docx reads the part again and saves it.
                data = serialize_part_xml(parse_xml(_finish(self.helper, xml).encode("utf-8")))
                last = self.last_members[part.member] = (xml, _Member.of(part.member, data))
            members[part.member] = last[1]
        texts = tuple(
            self.property_texts[name] if name in self.property_texts else template.render(context)
            for name, template in self.property_templates.items()
        )
        # The properties too, which in a merge or a batch differ only when a tag or the title or author does.
        key = (texts, title, author)
        last = self.last_members.get(self.core_member)
        if last is None or last[0] != key:
            data = self._properties(texts, title, author)
            last = self.last_members[self.core_member] = (key, _Member.of(self.core_member, data))
        members[self.core_member] = last[1]
        return _zip(self.order, members)

    def _render_body(self, context: dict[str, Any]) -> bytes:
        xml = _finish(self.helper, self.body_part.render(context))
        tree, changed = _fix_tables(self.helper, xml)
        if changed or "docPr" in xml:
            with self.lock:  # the helper's id counter
                self.helper.docx_ids_index = 1000  # as DocxTemplate.render_init sets it
                self.helper.fix_docpr_ids(tree)
            body = etree.tostring(tree, encoding="UTF-8")
        else:
            body = xml.encode("utf-8")  # well-formed, and nothing in it to fix: the same XML as the tree's
        # docxtpl puts the body in the document element, which python-docx saves; moving a big
        # tree between lxml documents costs more than the rest, so the body is spliced in as text.
        end = body.index(b">")
        return self.document_head + _INHERITED_NAMESPACES.sub(
            lambda found: b"" if found.group(0) in self.root_namespaces else found.group(0), body[:end]
        ) + body[end:] + self.document_tail

    def _properties(self, texts: tuple[str, ...], title: str | None, author: str | None) -> bytes:
        properties = CoreProperties(copy.deepcopy(self.core_element))
        for name, text in zip(self.property_templates, texts):
            setattr(properties, name, text)
        # render_docx's own: the template's note is not the report's; the report's title and author.
        properties.comments = ""
        if title is not None:
            properties.title = clean_text(title)
        if author is not None:
            properties.author = clean_text(author)
        return serialize_part_xml(properties._element)


_ROW_SPANS = etree.XPath("w:tc/w:tcPr/w:gridSpan[1]/@w:val", namespaces=NAMESPACES)  # as fix_tables' find()
_HAS_SPANS = etree.XPath("boolean(.//w:tc/w:tcPr/w:gridSpan)", namespaces=NAMESPACES)


def _fix_tables(helper: EditedTemplate, xml: str) -> tuple[etree._Element, bool]:
    """The body parsed as docxtpl's fix_tables parses it, fixed by it where a table needs it; and whether
    the tree differs from the text (the parser recovered from an error, or fix_tables changed a table).

    fix_tables widens or narrows a table's grid to the cells its rows have
    after {%tc%} loops; its walk over every cell costs more than the rest of
    the body's finishing, so it runs only for a table whose grid and rows differ.
    """
    parser = etree.XMLParser(recover=True)  # fix_tables' own parser
    tree = etree.fromstring(xml, parser=parser)
    if tree.nsmap.get("w") != W_NS or any(_grid_differs(table) for table in tree.iter(W + "tbl")):
        return helper.fix_tables(xml), True
    return tree, len(parser.error_log) > 0


def _grid_differs(table: etree._Element) -> bool:
    """Whether fix_tables would change a table: a row with more cells than grid columns, or no row as wide."""
    grid = table.find(W + "tblGrid")
    if grid is None:
        return True  # fix_tables cannot handle it either: let it say so
    columns = len(grid.findall(W + "gridCol"))
    spanned = _HAS_SPANS(table)
    widest = 0
    for row in table.iter(W + "tr"):  # as fix_tables, rows of tables inside count too
        width = len(row.findall(W + "tc"))
        if width > columns:
            return True
        for span in _ROW_SPANS(row) if spanned else ():
            if not span.isdigit():
                return True
            width += int(span) - 1
        widest = max(widest, width)
    return widest < columns


_INHERITED_NAMESPACES = re.compile(rb' xmlns:[\w.-]+="[^"]*"')
_LISTING_CHARACTERS = ("\n", "\t", "\a", "\f")


def _finish(helper: EditedTemplate, xml: str) -> str:
    """docxtpl's render_xml_part after Jinja: paragraphs joined again, escaped tags restored, listings resolved."""
    xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")  # re.sub(r"\n<w:p([ >])", …), faster
    if "{_" in xml or "_}" in xml:  # docxtpl's escapes for tags meant to stay as text
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing only changes these characters; most documents have none.
    if any(character in xml for character in _LISTING_CHARACTERS):
        xml = helper.resolve_listing(xml)
    return xml


def _zip(order: list[str | _Member], rendered: dict[str, _Member]) -> bytes:
    """The .docx package: the template's members in their order, the rendered ones in their places."""
    year, month, day, hour, minute, second = time.localtime()[:6]
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    out = io.BytesIO()
    directory = []
    for item in order:
        member = rendered[item] if isinstance(item, str) else item
        flags = 0 if member.name.isascii() else 0x800  # UTF-8 names
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date,
                member.crc, len(member.deflated), member.size, len(member.name), 0,
            )
        )
        out.write(member.name)
        out.write(member.deflated)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, flags, 8, dos_time, dos_date,
                member.crc, len(member.deflated), member.size, len(member.name), 0, 0, 0, 0, 0o600 << 16, offset,
            )
            + member.name
        )
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start, start, 0))
    return out.getvalue()
