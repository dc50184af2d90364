"""The zip and its parts: which part holds what, parsed safely (no DOCTYPE, no entities), and no zip bomb."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from docgen.errors import Location, WorkbookError
from docgen.input.limits import ReadLimits
from docgen.text.messages import say

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKBOOK_TYPES = tuple(  # in the order openpyxl looked for them
    f"application/vnd.{kind}.main+xml" for kind in (
        "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHEET_STATES = {"visible": False, "hidden": True, "veryHidden": True, "none": True}  # state → hidden

# No entity is expanded, no DTD loaded, nothing fetched; comments and processing
# instructions are dropped so that an element's children are elements only.
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       remove_comments=True, remove_pis=True)
_PARSER = etree.XMLParser(**_PARSER_OPTIONS)


@dataclass(frozen=True)
class Package:
    sheets: list[tuple[str, bool, str]]  # name, hidden, the part holding it
    date1904: bool  # the workbook counts days from 1904 (older Mac Excel), not 1900
    shared_strings: str | None  # the part, if the workbook has one
    styles: str | None  # the part, if the workbook has one


class Damage(Exception):
    """What is wrong in the file, in a user's words (a Phrase), and the cell where it is when there is one."""

    def __init__(self, message: str, cell: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell


def part_key(name: str) -> str:
    """A part's name as Excel compares them: either slash, any case, with or without a leading slash."""
    return name.replace("\\", "/").lstrip("/").lower()


class Parts:
    """The zip's parts, found by name as Excel finds them (see part_key)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            self._infos.setdefault(part_key(info.filename), info)

    def __contains__(self, part: str) -> bool:
        return part_key(part) in self._infos

    def info(self, part: str) -> zipfile.ZipInfo:
        return self._infos[part_key(part)]

    def name(self, part: str) -> str:
        """The part's name as the zip spells it, for messages."""
        info = self._infos.get(part_key(part))
        return info.filename if info else part

    def open(self, part: str):
        return self._archive.open(self.info(part))

    def read(self, part: str) -> bytes:
        return self._archive.read(self.info(part))


_OFFICE_DOCUMENT = "/officeDocument"  # the end of the package relationship type that points at the workbook


def content_types(package: Parts) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml: content type by part (overrides) and by extension (defaults); empty when it is missing."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    if "[Content_Types].xml" not in package:
        return overrides, defaults
    for element in parse_part(package, "[Content_Types].xml", "file.damaged_package"):
        if local_name(element.tag) == "Override":
            overrides.setdefault(part_key(element.get("PartName", "")), element.get("ContentType", ""))
        elif local_name(element.tag) == "Default":
            defaults.setdefault(element.get("Extension", "").lower(), element.get("ContentType", ""))
    return overrides, defaults


def find_workbook_part(package: Parts) -> str | None:
    """The part holding the workbook, as Excel finds it; None when the package has none.

    First the package's own relationship (_rels/.rels), unless it points at a
    part of another kind (a Word document's); then a part whose content type
    is a workbook's; then the usual place.
    """
    overrides, defaults = content_types(package)
    if "_rels/.rels" in package:
        for kind, target in relationships(package, "_rels/.rels", "").values():
            if not kind.endswith(_OFFICE_DOCUMENT) or target not in package:
                continue
            content_type = overrides.get(part_key(target)) or defaults.get(target.rpartition(".")[2].lower(), "")
            if content_type in _WORKBOOK_TYPES or content_type in ("", "application/xml"):
                return target
    for kind in _WORKBOOK_TYPES:
        for part, content_type in overrides.items():
            if content_type == kind and part in package:
                return part
    return "xl/workbook.xml" if "xl/workbook.xml" in package else None


def read_package(package: Parts) -> Package:
    """The worksheets in workbook order, the date system and where the shared strings and styles are."""
    workbook_part = find_workbook_part(package)
    if workbook_part is None:  # check_file has refused such a file already
        raise Damage(say("file.damaged_package"))
    workbook = parse_part(package, workbook_part, "file.damaged_sheet_list")
    listed: list[etree._Element] = []
    date1904 = False
    for element in workbook:
        if local_name(element.tag) == "sheets":
            listed = list(element)
        elif local_name(element.tag) == "workbookPr":
            date1904 = element.get("date1904") not in (None, "", "false", "f", "0")
    folder, file_name = posixpath.split(workbook_part.replace("\\", "/"))
    rels = posixpath.join(folder, "_rels", f"{file_name}.rels")
    targets = relationships(package, rels, folder) if rels in package else {}
    sheets = []
    for element in listed:
        name, state, number = element.get("name"), element.get("state", "visible"), element.get("sheetId", "")
        if name is None or state not in _SHEET_STATES or not number.strip().isdigit():
            raise Damage(say("file.damaged_sheet_list"))
        if not element.get(_RELATIONSHIP_ID):
            continue  # an invalid entry older .xlsm files hold: Excel drops it too
        if element.get(_RELATIONSHIP_ID) not in targets:
            raise Damage(say("file.damaged_sheet_list"))
        kind, part = targets[element.get(_RELATIONSHIP_ID)]
        if part not in package or "chartsheet" in kind:
            continue
        sheets.append((name, _SHEET_STATES[state], part))
    overrides, _defaults = content_types(package)
    shared_strings = next((part for part, kind in overrides.items() if kind == _SHARED_STRINGS_TYPE), None)
    styles = None
    for kind, target in targets.values():
        if kind.endswith("/sharedStrings") and shared_strings is None:
            shared_strings = target
        elif kind.endswith("/styles") and styles is None:
            styles = target
    if shared_strings is None and "xl/sharedStrings.xml" in package:
        shared_strings = "xl/sharedStrings.xml"
    if styles is None and "xl/styles.xml" in package:
        styles = "xl/styles.xml"
    present = lambda part: part if part is not None and part in package else None  # noqa: E731
    return Package(sheets, date1904, present(shared_strings), present(styles))


def relationships(package: Parts, part: str, folder: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, the target's part name), targets made absolute from `folder`."""
    found = {}
    for element in parse_part(package, part, "file.damaged_package"):
        target = element.get("Target", "").replace("\\", "/")
        if element.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[element.get("Id")] = (element.get("Type", ""), target)
    return found


def parse_part(package: Parts, part: str, damage: str) -> etree._Element:
    """A small part (content types, workbook, relationships, styles), parsed whole.

    `damage` is the message key that says what is wrong when the part's XML is broken.
    """
    content = package.read(part)
    refuse_doctype(package.name(part), content[:HEAD_SIZE])
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise Damage(say(damage)) from exc


def iterparse(stream, tags: tuple[str, ...]):
    return etree.iterparse(stream, events=("end",), tag=tags, **_PARSER_OPTIONS)


def forget(element: etree._Element) -> None:
    """Free a parsed element and the siblings before it: what keeps a streamed parse small."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# A part's head, in which its root element must start: a workbook's parts start with
# it at once, after an XML declaration. One longer may hide a DOCTYPE past it.
HEAD_SIZE = 1 << 16
# The start of an XML part up to its root element: a declaration, comments and
# processing instructions, and the DOCTYPE if there is one (it can be nowhere else).
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def refuse_doctype(part: str, head: bytes) -> None:
    """Refuse a part whose XML declares a DOCTYPE (or whose first 64 KB, `head`, do not reach its root element)."""
    # NUL bytes are dropped, so that UTF-16 and UTF-32 text reads as ASCII would (markup is all ASCII).
    text = head.replace(b"\0", b"")
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(mark):
            text = text[len(mark):]
            break
    position = 0
    while found := _PROLOG_ITEM.match(text, position):
        position = found.end()
    rest = text[position:].lstrip()
    if rest.startswith(b"<!DOCTYPE"):
        raise Damage(say("file.doctype", part=part))
    reached_root = rest.startswith(b"<") and not rest.startswith((b"<?", b"<!")) and b">" in rest
    if not reached_root and len(head) >= HEAD_SIZE:
        raise Damage(say("file.doctype.hidden", part=part))
    # A part that ends before its root element is left to the parser to report.


def refuse_streamed_doctype(package: Parts, part: str) -> None:
    with package.open(part) as stream:
        refuse_doctype(package.name(part), stream.read(HEAD_SIZE))


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def refuse_zip_bomb(where: Location, parts: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Refuse, from the zip's directory alone, a file that would unpack to far more than it holds.

    The sizes the directory states are the most Python's zipfile will unpack
    (it stops at the stated size), so checking them is enough.
    """
    megabytes = lambda size: f"{size / (1 << 20):,.0f}"  # noqa: E731
    total = sum(part.file_size for part in parts)
    if total > limits.max_unpacked_bytes:
        raise WorkbookError(
            say("file.bomb.size", size=megabytes(total), limit=megabytes(limits.max_unpacked_bytes)),
            location=where, hint=say("file.bomb.hint"),
        )
    # The ratio alone proves nothing (a genuine sheet of repeated text packs well): a part
    # is refused only when it is big as well, see ReadLimits.
    for part in parts:
        if (part.file_size > limits.part_ratio_checked_from
                and part.file_size > part.compress_size * limits.max_part_ratio):
            raise WorkbookError(
                say("file.bomb.ratio", part=part.filename, size=megabytes(part.file_size),
                    packed=f"{part.compress_size / 1024:,.0f}",
                    ratio=part.file_size // max(part.compress_size, 1)),
                location=where, hint=say("file.bomb.hint"),
            )
