"""Checks an Office package (.docx, .xlsx) before it is parsed: part count, unpacked size, ratios, DOCTYPEs."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import Location, TemplateError
from docgen.text.messages import say


@dataclass(frozen=True)
class PackageLimits:
    """What a package may hold. A template's text, styles and a few pictures come far below these."""

    max_parts: int = 5_000
    max_unpacked_bytes: int = 256 << 20
    max_part_ratio: int = 100  # unpacked / packed size of one part, for parts bigger than ratio_checked_from
    ratio_checked_from: int = 10 << 20  # small parts may compress very well (a table of empty cells)


TEMPLATE_LIMITS = PackageLimits()


class PackageRefused(Exception):
    """A package refused before parsing: `key` is the message's key in docgen.text.messages, `fields` its fields."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def check_directory(archive: zipfile.ZipFile, limits: PackageLimits = TEMPLATE_LIMITS) -> None:
    """Refuse, from the zip's directory alone, a package with too many parts or that would unpack to too much.

    The sizes the directory states are the most Python's zipfile will unpack
    (it stops at the stated size), so checking them is enough.
    """
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise PackageRefused("package.parts", count=len(parts), limit=limits.max_parts)
    total = sum(part.file_size for part in parts)
    if total > limits.max_unpacked_bytes:
        raise PackageRefused("package.size", size=_megabytes(total), limit=_megabytes(limits.max_unpacked_bytes))
    for part in parts:
        if part.file_size > limits.ratio_checked_from and part.file_size > part.compress_size * limits.max_part_ratio:
            raise PackageRefused(
                "package.ratio", part=part.filename, size=_megabytes(part.file_size),
                packed=f"{part.compress_size / 1024:,.0f}", ratio=part.file_size // max(part.compress_size, 1),
            )  # fmt: skip


_HEAD_SIZE = 1 << 16  # a part's root element starts within this; a longer prolog may hide a DOCTYPE
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def check_xml_prologs(archive: zipfile.ZipFile) -> None:
    """Refuse a package one of whose XML parts declares a DOCTYPE (entity expansion, external entities).

    Only a part's prolog, before its root element, may hold one; a prolog
    longer than 64 KB is refused too, as no genuine part has one.
    """
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            head = stream.read(_HEAD_SIZE)
        text = head.replace(b"\0", b"")  # UTF-16 markup read as ASCII
        for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
            text = text.removeprefix(mark)
        rest = text[_PROLOG.match(text).end():]
        if rest[:9].upper() == b"<!DOCTYPE":
            raise PackageRefused("package.doctype", part=info.filename)
        if (not rest or rest[:2] in (b"<!", b"<?")) and len(head) >= _HEAD_SIZE:
            raise PackageRefused("package.doctype", part=info.filename)


def check_package(archive: zipfile.ZipFile, limits: PackageLimits = TEMPLATE_LIMITS) -> None:
    """Both checks: the directory, then each XML part's prolog."""
    check_directory(archive, limits)
    check_xml_prologs(archive)


def refuse_unsafe_template(path: Path, archive: zipfile.ZipFile) -> None:
    """check_package for a template: a TemplateError naming the file and what is wrong with it."""
    try:
        check_package(archive)
    except PackageRefused as refused:
        raise TemplateError(
            say(refused.key, **refused.fields), location=Location(file=str(path)), hint=say("package.hint")
        ) from None


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.0f}"
