"""A template read as a person wrote it in Word: its body, headers and footers, paragraph by paragraph."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docgen.errors import Location, TemplateError, part_words
from docgen.text.language import language_of
from docgen.text.messages import say
from docgen.word.ooxml import W, paragraph_text
from docgen.word.package_check import refuse_unsafe_template


@dataclass
class Place:
    """A paragraph of a template: its part, where it sits in a table, and its text."""

    part: str  # body, header or footer (header 2, … for further ones)
    text: str
    table: int | None = None  # 1-based table number in the part
    row: int | None = None
    column: int | None = None
    element: object = field(default=None, repr=False)
    cell: object = field(default=None, repr=False)  # the w:tc, to tell cells apart
    table_row: object = field(default=None, repr=False)  # the w:tr

    def location(self, file: Path) -> Location:
        part = self.part
        if self.table is not None:
            part = say("where.in_table", part=part_words(part), table=self.table, row=self.row, column=self.column)
        return Location(file=str(file), part=part, paragraph=self.text or say("where.empty_paragraph"))


def read_parts(path: Path) -> tuple[dict[str, etree._Element], etree._Element | None]:
    """The XML of the body, headers and footers by label, and styles.xml; raises TemplateError when unreadable."""
    if not path.is_file():
        raise TemplateError(
            say("merge.template_not_found"), location=Location(file=str(path)), hint=say("batch.not_found.hint")
        )
    try:
        with zipfile.ZipFile(path) as archive:
            refuse_unsafe_template(path, archive)
            names = archive.namelist()
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            parts = {}
            for label, pattern in (("body", r"word/document\.xml"), ("header", r"word/header(\d*)\.xml"),
                                   ("footer", r"word/footer(\d*)\.xml")):  # fmt: skip
                matches = sorted((n for n in names if re.fullmatch(pattern, n)), key=_part_number)
                for index, name in enumerate(matches, start=1):
                    key = label if len(matches) == 1 or label == "body" else f"{label} {index}"
                    parts[key] = etree.fromstring(archive.read(name), parser)
            styles = etree.fromstring(archive.read("word/styles.xml"), parser) if "word/styles.xml" in names else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise TemplateError(
            say("template.unreadable", detail=error),
            location=Location(file=str(path)),
            hint=say("template.not_docx.hint"),
        ) from None
    if "body" not in parts:
        raise TemplateError(say("template.no_body"), location=Location(file=str(path)), hint=say("template.not_docx.hint"))
    return parts, styles


def _part_number(name: str) -> int:
    digits = re.findall(r"\d+", name)
    return int(digits[0]) if digits else 0


def places(part: str, root: etree._Element) -> list[Place]:
    """Every paragraph of a part in document order, with its table position."""
    tables: dict[int, int] = {}
    found = []
    for paragraph in root.iter(f"{W}p"):
        text = paragraph_text(paragraph)
        place = Place(part, text, element=paragraph)
        cell = next(paragraph.iterancestors(f"{W}tc"), None)
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            number = tables.setdefault(id(table), len(tables) + 1)
            place.table = number
            place.row = list(table.iterchildren(f"{W}tr")).index(row) + 1
            place.column = list(row.iterchildren(f"{W}tc")).index(cell) + 1
            place.cell, place.table_row = cell, row
        found.append(place)
    return found


def template_language(parts: dict[str, etree._Element]) -> str:
    """The language a template is written in: "zh" when its text holds Chinese, else "en"."""
    return language_of("".join(paragraph_text(root) for root in parts.values()))


def short(text: str, limit: int = 40) -> str:
    """A text on one line, cut to `limit` characters with an ellipsis: a paragraph or value quoted in a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
