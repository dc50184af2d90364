"""Word's mail-merge fields: the MERGEFIELDs a template asks for, and a copy with each one a docxtpl tag."""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from docgen.errors import Location, UsageError
from docgen.input import schema
from docgen.text.messages import Listed, say
from docgen.word.ooxml import W


def field_key(name: str) -> str:
    """A column or field name for matching: width, case, spaces and Word's underscores do not matter."""
    return schema.normalize_name(name.replace("_", " "))


_MERGEFIELD = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)
# The parts of a document that can hold fields.
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _w(tag: str) -> str:
    return W + tag


def _field_name(instruction: str) -> str | None:
    match = _MERGEFIELD.match(instruction or "")
    if not match:
        return None
    return (match.group(1) if match.group(1) is not None else match.group(2)).strip()


def _parser() -> etree.XMLParser:
    # A template is a document from someone else: no entities, no network.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def merge_field_names(template: str | Path) -> list[str]:
    """The column names the MERGEFIELDs of a Word template ask for, in order, each once."""
    names: dict[str, None] = {}
    with zipfile.ZipFile(template) as archive:
        for part in archive.namelist():
            if _PARTS.match(part):
                root = etree.fromstring(archive.read(part), _parser())
                for name in _fields_in(root):
                    names.setdefault(name)
    return list(names)


def _fields_in(root) -> list[str]:
    found = [_field_name(simple.get(_w("instr"))) for simple in root.iter(_w("fldSimple"))]
    found += [_field_name(text.text) for text in root.iter(_w("instrText"))]
    return [name for name in found if name]


def _tag(column: str) -> str:
    # Word's mail merge inserts the text the sheet shows (TRUE, 12%), so does the tag.
    literal = column.replace("\\", "\\\\").replace("'", "\\'")
    return "{{ row.text['" + literal + "'] }}"


def convert_merge_fields(template: Path, target: Path, columns: Sequence[str]) -> int:
    """Write a copy of a Word mail-merge template whose MERGEFIELDs are docxtpl tags; how many were converted.

    Raises UsageError, naming the fields and the nearest columns, when a field
    names no column of the sheet.
    """
    by_name = {field_key(column): column for column in columns}
    unknown = [name for name in merge_field_names(template) if field_key(name) not in by_name]
    if unknown:
        suggestions = []
        for name in unknown:
            close = difflib.get_close_matches(field_key(name), list(by_name), n=1, cutoff=0.5)
            suggestions.append(say("mergefield.field.guess", name=name, column=by_name[close[0]]) if close else f"«{name}»")
        raise UsageError(
            say("mergefield.unknown", fields=Listed(suggestions)),
            location=Location(file=str(template)),
            hint=say("mergefield.columns.hint", names=Listed(columns)),
        )
    converted = 0
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item)
            if _PARTS.match(item.filename):
                root = etree.fromstring(data, _parser())
                count = _replace_fields(root, lambda name: _tag(by_name[field_key(name)]))
                if count:
                    converted += count
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy.writestr(item, data)
    return converted


def _replace_fields(root, tag_for) -> int:
    count = 0
    for simple in list(root.iter(_w("fldSimple"))):
        name = _field_name(simple.get(_w("instr")))
        if name is None:
            continue
        first_run = simple.find(_w("r"))
        parent = simple.getparent()
        parent.replace(simple, _run(tag_for(name), first_run))
        count += 1
    for paragraph in list(root.iter(_w("p"))):
        count += _replace_complex_fields(paragraph, tag_for)
    return count


def _replace_complex_fields(paragraph, tag_for) -> int:
    """Replace each top-level complex MERGEFIELD (begin … instrText … separate … result … end) in a paragraph."""
    count = 0
    open_fields: list[dict] = []
    for run in list(paragraph.iter(_w("r"))):
        for field in open_fields:
            field["runs"].append(run)
        char = run.find(_w("fldChar"))
        kind = char.get(_w("fldCharType")) if char is not None else None
        if kind == "begin":
            open_fields.append({"runs": [run], "instruction": "", "result_run": None, "separated": False})
            continue
        if not open_fields:
            continue
        field = open_fields[-1]
        instruction = run.find(_w("instrText"))
        if instruction is not None and not field["separated"]:
            field["instruction"] += instruction.text or ""
        elif kind == "separate":
            field["separated"] = True
        elif field["separated"] and field["result_run"] is None and run.find(_w("t")) is not None:
            field["result_run"] = run
        if kind == "end":
            open_fields.pop()
            name = _field_name(field["instruction"])
            # A field inside another one (IF … MERGEFIELD …) is left to Word.
            if name is None or open_fields:
                continue
            runs = field["runs"]
            begin = runs[0]
            looks = field["result_run"] if field["result_run"] is not None else begin
            begin.getparent().replace(begin, _run(tag_for(name), looks))
            for other in runs[1:]:
                if other.getparent() is not None:
                    other.getparent().remove(other)
            count += 1
    return count


def _run(text: str, formatted_like) -> etree._Element:
    """A run holding `text`, with the character formatting of the given run (the field's result)."""
    run = etree.Element(_w("r"))
    properties = formatted_like.find(_w("rPr")) if formatted_like is not None else None
    if properties is not None:
        run.append(_copy(properties))
    text_element = etree.SubElement(run, _w("t"))
    text_element.text = text
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _copy(element):
    return etree.fromstring(etree.tostring(element))
