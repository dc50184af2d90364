"""WordprocessingML for every module that walks it: the namespace, the text Word can hold, part and paragraph labels."""

from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"  # an element's qualified name is W + "p", W + "tbl", …
NAMESPACES = {"w": W_NS}  # for XPath

# Characters XML 1.0 forbids even when escaped; a workbook cell can hold them
# (pasted from other programs) and they would make Word refuse the document.
# docxtpl also turns \a and \f inside text into new paragraphs and pages.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop characters that cannot stand in a Word document; keep tabs and line breaks."""
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def paragraph_text(paragraph) -> str:
    """A w:p's text, whole however its runs split it."""
    return "".join(node.text or "" for node in paragraph.iter(f"{W}t"))


def part_label(partname: str) -> str:
    """What a person calls the part a name such as /word/header2.xml stands for: body, header, footer or footnotes."""
    if "header" in partname:
        return "header"
    if "footer" in partname:
        return "footer"
    if "footnote" in partname:
        return "footnotes"
    return "body"
