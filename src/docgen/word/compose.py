"""Joins finished .docx reports into one printable bundle: a contents page, then each report as it stands alone (docxcompose)."""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path

from docgen.errors import Location, OutputError
from docgen.output.files import write_atomic
from docgen.text.catalogue import lookup
from docgen.text.language import language_of
from docgen.text.messages import say

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RT_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_RT_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
# What a contents entry holds while its page is worked out: as wide as a three-digit page number.
_STAND_IN = "888"
# Children of w:sectPr that come after w:pgNumType, and after w:type, in schema order.
_AFTER_PAGE_NUMBERS = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")
_AFTER_TYPE = ("pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType") + _AFTER_PAGE_NUMBERS
# Children of w:pPr after w:numPr, and of w:settings after w:updateFields, in schema order.
_AFTER_NUMBERING = (
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)  # fmt: skip


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def combine_documents(documents: Sequence[Path], target: Path, *, force: bool = False, contents: bool = True) -> Path:
    """Write a contents page (unless `contents` is false: letters of a mail merge need none), then every
    document in order, into one .docx at `target`.

    Each document starts on a new page in its own sections, with its own
    headers and footers, its heading numbers starting again at one and its
    page numbers at 1; "of N pages" counts its own pages. The contents page
    lists each document's title and the bundle page it starts on, from the
    pages LibreOffice lays out (without LibreOffice, its page count, a field
    Word fills in). The page set-up of the contents page is the first
    document's. docs/rendering.md says more.
    """
    # Imported here: only a run that combines pays for docxcompose.
    import docx
    from docxcompose.composer import Composer

    if not documents:
        raise OutputError(say("combine.nothing"), location=Location(file=str(target)), hint=say("combine.nothing.hint"))
    try:
        reports = [docx.Document(str(path)) for path in documents]
        titles = [_title(report, Path(path)) for report, path in zip(reports, documents)]
        bundle = docx.Document(str(documents[0]))
        if not contents:  # letters: one after another, each on a new page, the first one's page set-up for all
            composer = Composer(bundle)
            for report in reports[1:]:
                composer.doc.add_page_break()
                composer.append(report)
            buffer = io.BytesIO()
            composer.save(buffer)
            return write_atomic(Path(target), buffer.getvalue(), force=force)
        lang = language_of("".join(titles))
        numbers = _contents_page(bundle, titles, lang)
        _write_first_pages(bundle, numbers, documents, lang)
        composer = Composer(bundle)
        for number, report in enumerate(reports, start=1):
            kept = _prepare(report, number)
            before = len(_section_breaks(composer.doc))
            composer.append(report)
            _attach_headers_and_footers(composer.doc, _section_breaks(composer.doc)[before:], kept, number)
        _close_last_section(composer.doc)
        _ask_for_field_update(composer.doc)
        buffer = io.BytesIO()
        composer.save(buffer)
    except OutputError:
        raise
    except Exception as error:  # docxcompose and python-docx raise many kinds on odd documents
        raise OutputError(
            say("combine.failed", kind=type(error).__name__, error=error),
            location=Location(file=str(target)),
            hint=say("combine.failed.hint"),
        ) from None
    return write_atomic(Path(target), buffer.getvalue(), force=force)


def _title(report, path: Path) -> str:
    """The report's title: its document title, else its first Title paragraph, else the file's name."""
    if (report.core_properties.title or "").strip():
        return report.core_properties.title.strip()
    for paragraph in report.paragraphs:
        if paragraph.style is not None and "Title" in paragraph.style.name and paragraph.text.strip():
            return paragraph.text.strip()
    return path.stem


def _start_name(number: int) -> str:
    return f"docgen_report_{number}"


def _end_name(number: int) -> str:
    return f"docgen_report_{number}_end"


def _field(instruction: str) -> list:
    """The runs of a complex field with no stored result, so a viewer that does not compute it shows nothing rather than a wrong number."""
    from docx.oxml import parse_xml

    ns = f'xmlns:w="{_W}"'
    runs = [
        parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'),
        parse_xml(f'<w:r {ns}><w:instrText xml:space="preserve"/></w:r>'),
        parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>'),
        parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]
    runs[1][0].text = f" {instruction} "
    return runs


def _contents_page(bundle, titles: list[str], lang: str) -> list:
    """Empty the first document's body and write the contents page into it, in a section of its own with no header or footer.

    Returns each entry's page-number run, holding a stand-in as wide as a
    page number until the report's first page is known.
    """
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    body = bundle.element.body
    final = body.find(_w("sectPr"))
    for child in list(body):
        if child is not final:
            body.remove(child)
    for child in list(final):
        if child.tag in (_w("headerReference"), _w("footerReference"), _w("pgNumType"), _w("titlePg")):
            final.remove(child)
    # The first document's headers, footers and pictures are no longer used here: its report brings its own copies.
    for rel_id, rel in list(bundle.part.rels.items()):
        if rel.reltype in (_RT_HEADER, _RT_FOOTER, _RT_IMAGE):
            bundle.part.drop_rel(rel_id)
    section = bundle.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    styles = {style.name for style in bundle.styles}
    heading = bundle.add_paragraph(lookup("report", "bundle.contents", lang))
    if "Title" in styles:
        heading.style = bundle.styles["Title"]
    numbers = []
    for number, title in enumerate(titles, start=1):
        entry = bundle.add_paragraph()
        if "Body Text" in styles:
            entry.style = bundle.styles["Body Text"]
        entry.paragraph_format.first_line_indent = 0
        entry.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        entry.add_run(f"{number}. {title}\t")
        numbers.append(entry.add_run(_STAND_IN))
    # The contents page ends its own section: the body's last w:sectPr will be the last report's.
    holder = entry._p.get_or_add_pPr()
    holder.append(copy.deepcopy(final))
    return numbers


def _write_first_pages(bundle, numbers: list, documents: Sequence[Path], lang: str) -> None:
    """Put on each contents entry the bundle page its report starts on, from the pages LibreOffice lays out.

    A report's pages are numbered from 1, so no field can say where it
    starts in the bundle (a PAGEREF to its start says 1; LibreOffice leaves
    a formula adding the counts uncomputed): the contents page and each
    report are laid out once, in one LibreOffice, and their page counts
    added up. Without LibreOffice the entry says the report's page count
    instead, a PAGEREF to its end bookmark that Word computes on opening.
    """
    import tempfile

    from docgen.errors import DocgenError
    from docgen.output.pdf import page_counts

    try:
        with tempfile.TemporaryDirectory(prefix="docgen-contents-", ignore_cleanup_errors=True) as folder:
            # Laid out alone, the contents page is the whole document: its closing section break would add a blank page.
            own_break = _section_breaks(bundle)[-1]
            holder = own_break.getparent()
            holder.remove(own_break)
            contents = Path(folder) / "contents.docx"
            bundle.save(str(contents))
            holder.append(own_break)
            counts = page_counts([contents, *documents])
    except DocgenError:
        before, after = lookup("report", "bundle.pages", lang).split("{pages}")
        for number, run in enumerate(numbers, start=1):
            run.text = before
            run._parent._p.extend(_field(f"PAGEREF {_end_name(number)}"))
            run._parent.add_run(after)
        return
    page = counts[0] + 1
    for run, count in zip(numbers, counts[1:]):
        run.text = str(page)
        page += count


def _section_breaks(document) -> list:
    """The paragraph-level w:sectPr elements of the body, in order."""
    return document.element.body.findall(f"{_w('p')}/{_w('pPr')}/{_w('sectPr')}")


def _prepare(report, number: int) -> list[list[tuple[str, str, object]]]:
    """Make one report ready to be appended; returns its sections' header and footer references (kind, type, part), now removed.

    Every section of the report, the last too, is closed by a paragraph's
    w:sectPr, so it travels with the report's content; its first section
    starts a new page numbered 1; its headings get a numbering of their own.
    """
    body = report.element.body
    final = body.find(_w("sectPr"))
    if final is not None:
        last = body[body.index(final) - 1] if body.index(final) > 0 else None
        if last is None or last.tag != _w("p") or last.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
            last = report.add_paragraph()._p
            body.remove(last)
            final.addprevious(last)
        last.get_or_add_pPr().append(final)
    breaks = _section_breaks(report)
    kept = []
    for sect_pr in breaks:
        references = []
        for child in list(sect_pr):
            if child.tag in (_w("headerReference"), _w("footerReference")):
                kind = "header" if child.tag == _w("headerReference") else "footer"
                references.append((kind, child.get(_w("type")), report.part.related_parts[child.get(f"{{{_R}}}id")]))
                sect_pr.remove(child)
        kept.append(references)
    if breaks:
        _restart_pages(breaks[0])
    _bookmark(report, number)
    _own_heading_numbers(report)
    return kept


def _restart_pages(sect_pr) -> None:
    from docx.oxml import parse_xml

    ns = f'xmlns:w="{_W}"'
    kind = sect_pr.find(_w("type"))
    if kind is None:
        kind = parse_xml(f'<w:type {ns}/>')
        _insert_before(sect_pr, kind, _AFTER_TYPE)
    kind.set(_w("val"), "nextPage")
    numbers = sect_pr.find(_w("pgNumType"))
    if numbers is None:
        numbers = parse_xml(f"<w:pgNumType {ns}/>")
        _insert_before(sect_pr, numbers, _AFTER_PAGE_NUMBERS)
    numbers.set(_w("start"), "1")


def _insert_before(parent, element, later_tags: tuple[str, ...]) -> None:
    for child in parent:
        if child.tag in {_w(tag) for tag in later_tags}:
            child.addprevious(element)
            return
    parent.append(element)


def _bookmark(report, number: int) -> None:
    """Bookmarks on the report's first paragraph and on its last (which holds its last w:sectPr)."""
    from docx.oxml import parse_xml

    ns = f'xmlns:w="{_W}"'
    paragraphs = list(report.element.body.iter(_w("p")))
    for paragraph, name, mark in ((paragraphs[0], _start_name(number), 9000 + 2 * number), (paragraphs[-1], _end_name(number), 9001 + 2 * number)):
        start = parse_xml(f'<w:bookmarkStart {ns} w:id="{mark}" w:name="{name}"/>')
        end = parse_xml(f'<w:bookmarkEnd {ns} w:id="{mark}"/>')
        properties = paragraph.find(_w("pPr"))
        if properties is not None:
            properties.addnext(start)
        else:
            paragraph.insert(0, start)
        paragraph.append(end)


def _own_heading_numbers(report) -> None:
    """Give each paragraph numbered through its style a numbering instance of this report's own, restarting at one.

    docxcompose keeps the first document's styles, so a later report's
    headings would go on counting in the first report's list (九、, 十七、…).
    """
    from docx.oxml import parse_xml

    ns = f'xmlns:w="{_W}"'
    styles = report.styles.element
    numbering = report.part.numbering_part.element if _has_numbering(report) else None
    if numbering is None:
        return
    fresh: dict[str, str] = {}
    next_id = max((int(num.get(_w("numId"))) for num in numbering.findall(_w("num"))), default=0) + 1
    for paragraph in report.element.body.iter(_w("p")):
        properties = paragraph.find(_w("pPr"))
        if properties is None or properties.find(_w("numPr")) is not None:
            continue
        style_id = properties.find(_w("pStyle"))
        if style_id is None:
            continue
        style = styles.get_by_id(style_id.get(_w("val")))
        style_numbers = style.find(f"{_w('pPr')}/{_w('numPr')}") if style is not None else None
        if style_numbers is None or style_numbers.find(_w("numId")) is None:
            continue
        num_id = style_numbers.find(_w("numId")).get(_w("val"))
        level = style_numbers.find(_w("ilvl"))
        if num_id not in fresh:
            source = numbering.find(f"{_w('num')}[@{_w('numId')}='{num_id}']")
            if source is None:
                continue
            instance = parse_xml(f'<w:num {ns} w:numId="{next_id}"/>')
            instance.append(copy.deepcopy(source.find(_w("abstractNumId"))))
            for ilvl in range(9):
                instance.append(parse_xml(f'<w:lvlOverride {ns} w:ilvl="{ilvl}"><w:startOverride w:val="1"/></w:lvlOverride>'))
            numbering.append(instance)
            fresh[num_id] = str(next_id)
            next_id += 1
        level_value = level.get(_w("val")) if level is not None else "0"
        own = parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level_value}"/><w:numId w:val="{fresh[num_id]}"/></w:numPr>')
        _insert_before(properties, own, _AFTER_NUMBERING)


def _has_numbering(report) -> bool:
    try:
        return report.part.numbering_part is not None
    except (KeyError, NotImplementedError):
        return False


def _attach_headers_and_footers(bundle, breaks: list, kept: list[list[tuple[str, str, object]]], number: int) -> None:
    """Give the report's sections, now in the bundle, copies of their own headers and footers.

    The report's first section gets an empty header or footer for each kind
    it leaves undefined, so nothing is inherited from the report before it.
    """
    from docx.oxml import parse_xml

    ns = f'xmlns:w="{_W}" xmlns:r="{_R}"'
    for index, (sect_pr, references) in enumerate(zip(breaks, kept)):
        present = {(kind, kind_type) for kind, kind_type, _ in references}
        if index == 0:
            for kind in ("header", "footer"):
                for kind_type in ("default", "first", "even"):
                    if (kind, kind_type) not in present:
                        references.append((kind, kind_type, None))
        for kind, kind_type, part in reversed(references):
            rel_id = bundle.part.relate_to(_copy_part(bundle, kind, part, number), _RT_HEADER if kind == "header" else _RT_FOOTER)
            sect_pr.insert(0, parse_xml(f'<w:{kind}Reference {ns} w:type="{kind_type}" r:id="{rel_id}"/>'))


def _copy_part(bundle, kind: str, part, number: int):
    """A copy of a header or footer part in the bundle (empty when `part` is None), its "of N pages" counting this report's pages only."""
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.parts.hdrftr import FooterPart, HeaderPart

    cls, content_type = (HeaderPart, _CT_HEADER) if kind == "header" else (FooterPart, _CT_FOOTER)
    package = bundle.part.package
    partname = package.next_partname(f"/word/{kind}%d.xml")
    if part is None:
        root = "hdr" if kind == "header" else "ftr"
        element = parse_xml(f'<w:{root} xmlns:w="{_W}"><w:p/></w:{root}>')
        return cls(PackURI(partname), content_type, element, package)
    element = copy.deepcopy(part.element)
    _count_own_pages(element, number)
    copied = cls(PackURI(partname), content_type, element, package)
    for rel_id, rel in part.rels.items():
        if rel.is_external:
            new_id = copied.relate_to(rel.target_ref, rel.reltype, is_external=True)
        elif rel.reltype == _RT_IMAGE:
            image = package.get_or_add_image_part(io.BytesIO(rel.target_part.blob))
            new_id = copied.relate_to(image, _RT_IMAGE)
        else:
            continue
        for holder in element.xpath(f".//*[@r:id='{rel_id}' or @r:embed='{rel_id}']", namespaces={"r": _R}):
            for attribute in ("id", "embed"):
                if holder.get(f"{{{_R}}}{attribute}") == rel_id:
                    holder.set(f"{{{_R}}}{attribute}", new_id)
    return copied


def _count_own_pages(part_element, number: int) -> None:
    """NUMPAGES counts the whole bundle: count the report's own pages instead, the page number at its end bookmark.

    The fields' stored results ("1") are dropped, so a viewer that does not
    compute fields shows no number rather than 1 on every page.
    """
    for instruction in part_element.iter(_w("instrText")):
        if instruction.text and instruction.text.split()[:1] == ["NUMPAGES"]:
            instruction.text = f" PAGEREF {_end_name(number)} "
    for simple in part_element.iter(_w("fldSimple")):
        if simple.get(_w("instr"), "").split()[:1] == ["NUMPAGES"]:
            simple.set(_w("instr"), f" PAGEREF {_end_name(number)} ")
            for result in list(simple):
                simple.remove(result)
    for paragraph in part_element.iter(_w("p")):
        in_result = False
        for run in list(paragraph.iter(_w("r"))):
            mark = run.find(_w("fldChar"))
            if mark is not None:
                in_result = mark.get(_w("fldCharType")) == "separate"
            elif in_result and run.find(_w("t")) is not None:
                run.getparent().remove(run)


def _close_last_section(bundle) -> None:
    """Move the last report's closing w:sectPr to the end of the body, so no empty section (a blank page) follows it."""
    body = bundle.element.body
    breaks = _section_breaks(bundle)
    final = body.find(_w("sectPr"))
    if not breaks or final is None:
        return
    last = breaks[-1]
    if last.getparent().getparent() is not body[body.index(final) - 1]:
        return
    last.getparent().remove(last)
    final.addprevious(last)
    body.remove(final)


def _ask_for_field_update(bundle) -> None:
    """Each report's "page n of N" (and, without LibreOffice, the contents page's counts) are fields: ask Word to compute them when it opens the bundle."""
    from docx.oxml import parse_xml

    settings = bundle.settings.element
    if settings.find(_w("updateFields")) is None:
        update = parse_xml(f'<w:updateFields xmlns:w="{_W}" w:val="true"/>')
        _insert_before(settings, update, _AFTER_UPDATE_FIELDS)
