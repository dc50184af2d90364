"""The fonts a Word document asks for: its defaults, the styles it uses and its runs (w:rFonts), theme fonts resolved."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from docgen.word.ooxml import NAMESPACES, W

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

# What a font is asked for: East Asian text (w:eastAsia) or Latin text (w:ascii, w:hAnsi). Complex-script
# fonts (w:cs) are left out: a report in Chinese or English holds no Arabic or Hebrew text to set in them.
_EAST_ASIAN, _LATIN = ("eastAsia",), ("ascii", "hAnsi")
_THEME = {"eastAsia": "eastAsiaTheme", "ascii": "asciiTheme", "hAnsi": "hAnsiTheme"}

# The parts whose text is printed, whose styles are the ones in use.
_CONTENT = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def fonts_asked(docx: str | Path) -> dict[str, bool]:
    """Each font the document asks for, by name, and whether it is asked for East Asian text (SimSun: True).

    Only what a reader sees counts: the document defaults, the styles its
    paragraphs, runs and tables use (and those they are based on, and each
    kind's default style), and fonts set on runs directly; the many styles a
    template carries unused are passed over. A theme font (majorEastAsia …)
    is the theme's typeface; one the theme leaves empty asks for nothing.
    An East Asian font also asked for Latin text counts as East Asian.
    """
    with zipfile.ZipFile(docx) as package:
        names = package.namelist()
        content = [name for name in names if name in _CONTENT or _is_header_or_footer(name)]
        used: set[str] = set()
        asked: dict[str, bool] = {}
        theme = _theme_fonts(_read(package, next((n for n in names if n.startswith("word/theme/")), None)))
        for name in content:
            root = etree.fromstring(package.read(name))
            used.update(_style_ids(root))
            _collect(root.iter(f"{W}rFonts"), theme, asked)
        styles = package.getinfo("word/styles.xml") if "word/styles.xml" in names else None
        if styles is not None:
            # A batch's documents share their template's styles: each set of styles in use is read once.
            key = (styles.CRC, styles.file_size, frozenset(used), tuple(sorted(theme.items())))
            if key not in _STYLE_FONTS:
                if len(_STYLE_FONTS) > 32:
                    _STYLE_FONTS.clear()
                _STYLE_FONTS[key] = _style_fonts(package.read(styles.filename), used, theme)
            for font, east_asian in _STYLE_FONTS[key]:
                asked[font] = asked.get(font, False) or east_asian
    return asked


_STYLE_FONTS: dict[tuple, tuple[tuple[str, bool], ...]] = {}


def fonts_of_documents(documents: Iterable[str | Path]) -> dict[str, bool]:
    """The fonts many documents ask for, together (fonts_asked); a document that cannot be read asks for none."""
    asked: dict[str, bool] = {}
    for document in documents:
        try:
            found = fonts_asked(document)
        except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
            continue
        for font, east_asian in found.items():
            asked[font] = asked.get(font, False) or east_asian
    return asked


def _is_header_or_footer(name: str) -> bool:
    return name.startswith(("word/header", "word/footer")) and name.endswith(".xml")


def _read(package: zipfile.ZipFile, name: str | None) -> bytes | None:
    return package.read(name) if name else None


def _theme_fonts(theme: bytes | None) -> dict[str, str]:
    """The theme's typefaces by the names w:rFonts gives them (majorEastAsia, minorHAnsi …); empty ones left out."""
    if not theme:
        return {}
    root = etree.fromstring(theme)
    found = {}
    for which in ("major", "minor"):
        scheme = root.find(f".//{_A}{which}Font")
        if scheme is None:
            continue
        for element, names in (("latin", ("HAnsi", "Ascii")), ("ea", ("EastAsia",))):
            node = scheme.find(f"{_A}{element}")
            typeface = (node.get("typeface") or "").strip() if node is not None else ""
            if typeface:
                found.update({f"{which}{name}": typeface for name in names})
    return found


def _style_ids(root) -> set[str]:
    return {
        node.get(f"{W}val")
        for tag in ("pStyle", "rStyle", "tblStyle")
        for node in root.iter(f"{W}{tag}")
        if node.get(f"{W}val")
    }


def _collect(rfonts: Iterable, theme: dict[str, str], asked: dict[str, bool]) -> None:
    for node in rfonts:
        for attributes, east_asian in ((_EAST_ASIAN, True), (_LATIN, False)):
            for attribute in attributes:
                font = node.get(f"{W}{attribute}") or theme.get(node.get(f"{W}{_THEME[attribute]}") or "")
                if font and font.strip():
                    asked[font.strip()] = asked.get(font.strip(), False) or east_asian


def _style_fonts(styles: bytes, used: set[str], theme: dict[str, str]) -> tuple[tuple[str, bool], ...]:
    root = etree.fromstring(styles)
    by_id = {style.get(f"{W}styleId"): style for style in root.iterfind("w:style", NAMESPACES)}
    wanted = set(used) | {style_id for style_id, style in by_id.items() if style.get(f"{W}default") in ("1", "true")}
    seen: set[str] = set()
    while wanted:  # each style in use, and the styles it is based on
        style_id = wanted.pop()
        if style_id in seen or style_id not in by_id:
            continue
        seen.add(style_id)
        based_on = by_id[style_id].find("w:basedOn", NAMESPACES)
        if based_on is not None and based_on.get(f"{W}val"):
            wanted.add(based_on.get(f"{W}val"))
    asked: dict[str, bool] = {}
    defaults = root.find("w:docDefaults", NAMESPACES)
    if defaults is not None:
        _collect(defaults.iter(f"{W}rFonts"), theme, asked)
    for style_id in sorted(seen):
        _collect(by_id[style_id].iter(f"{W}rFonts"), theme, asked)
    return tuple(asked.items())
