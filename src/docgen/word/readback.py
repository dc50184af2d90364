"""Reading back a document a run wrote: whether it can be kept, or must be made again."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree


def document_opens(path: Path) -> bool:
    """Whether a .docx is whole: every part matches its checksum and the main part parses as a w:document.

    A file cut short, emptied or replaced (an empty zip, a zip of something
    else) is made again rather than trusted because it exists.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:  # every part read back against its checksum
                return False
            with archive.open("word/document.xml") as part:
                root = etree.parse(part, parser).getroot()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    return etree.QName(root).localname == "document"
