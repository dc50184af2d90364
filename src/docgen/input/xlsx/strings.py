"""The shared strings and Excel's escapes (_x0007_) in text."""

from __future__ import annotations

import re
from array import array

from lxml import etree

from docgen.input.xlsx.package import (
    MAIN_NS,
    Damage,
    Parts,
    forget,
    iterparse,
    local_name,
    refuse_streamed_doctype,
)
from docgen.text.messages import say

_STRING_ITEM, _TEXT = (f"{{{MAIN_NS}}}{name}" for name in ("si", "t"))


def read_shared_strings(package: Parts, part: str) -> tuple[StringTable, frozenset[int]]:
    """The shared strings, and which of them had characters replaced (see unescape)."""
    refuse_streamed_doctype(package, part)
    table = StringTable()
    repaired = set()
    try:
        with package.open(part) as stream:
            for _event, element in iterparse(stream, (_STRING_ITEM,)):
                text = text_of(element)
                if "_x" in text:
                    text, replaced = unescape(text)
                    if replaced:
                        repaired.add(len(table))
                table.append(text)
                forget(element)
    except etree.XMLSyntaxError as exc:
        raise Damage(say("file.damaged_strings")) from exc
    table.close()
    return table, frozenset(repaired)


class StringTable:
    """The shared strings as one long text and where each one ends.

    A workbook of thousands of salespeople has tens of thousands of strings;
    as one text they take a quarter of the memory of a list of str, and the
    table is held for as long as the workbook is read.
    """

    __slots__ = ("_text", "_ends", "_pending", "_chunks")

    def __init__(self) -> None:
        self._text = ""
        self._ends = array("q")
        self._pending: list[str] = []  # appended strings not yet joined to a chunk
        self._chunks: list[str] = []

    def append(self, text: str) -> None:
        self._ends.append((self._ends[-1] if self._ends else 0) + len(text))
        self._pending.append(text)
        if len(self._pending) >= 1024:
            self._chunks.append("".join(self._pending))
            self._pending.clear()

    def close(self) -> None:
        self._text = "".join([*self._chunks, *self._pending])
        self._chunks, self._pending = [], []

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            raise IndexError(f"no shared string {index}")
        return self._text[self._ends[index - 1] if index else 0:self._ends[index]]


def text_of(element: etree._Element) -> str:
    """A string item's text: its <t>, then its runs' <t> (rich text); phonetic guides (<rPh>) left out."""
    plain = None
    runs = []
    for child in element:
        tag = child.tag
        if tag == _TEXT or local_name(tag) == "t":
            plain = child.text
        elif local_name(tag) == "r":
            run = None
            for grandchild in child:
                if local_name(grandchild.tag) == "t":
                    run = grandchild.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


# How Excel writes a character XML cannot hold (_x0007_), and an underscore that would read as one (_x005F_).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape(text: str) -> tuple[str, int]:
    """Text with Excel's escapes read, and how many characters had to be replaced by U+FFFD.

    One pass from left to right, as Excel reads them: "_x005F_x000D_" is an
    escaped underscore followed by the text "x000D_". Two escapes that make a
    UTF-16 pair (_xD83D__xDE00_) are the one character they stand for; half a
    pair alone can be neither encoded nor written, so it is replaced.
    """
    text = _EXCEL_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
    if not _SURROGATE.search(text):
        return text, 0
    before = text.count("\ufffd")
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text, text.count("\ufffd") - before
