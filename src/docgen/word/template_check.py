"""docgen templates check and vars: every problem of a template at once, each with its place, and the variable reference.

A template is read as a person wrote it in Word: paragraph by paragraph, in
the body, headers and footers, with each paragraph's text whole however its
runs are split. Jinja is used here only to parse tags (never to render);
rendering against a workbook is a run: docgen.runs.template_trial.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes
from lxml import etree

from docgen.errors import Location, TemplateError
from docgen.word.filters import FILTER_NAMES
from docgen.word.package_check import refuse_unsafe_template

ERROR, WARNING, INFO = "error", "warning", "info"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENER = re.compile(r"\{\{|\{%|\{#")
_STATEMENT = re.compile(r"^\{%-?\s*(p|tr|tc|r)?(\s+|(?=\w))(\w+)?(.*?)-?%\}$", re.S)
_SPACED_KIND = re.compile(r"^\{%-?\s+(p|tr|tc|r)\s+(if|for|endif|endfor|else|elif)\b")
_FULL_WIDTH = re.compile(r"[｛{][｛{％%].*?[％%｝}][｝}]|[｛{][｛{％%]|[％%｝}][｝}]")
# What is left of a tag that was not read as one: braces and percent signs, half- or full-width, maybe spaced.
_LITERAL = re.compile(r"[{｛]\s*[{｛%％]|[%％}｝]\s*[}｝]")

# docxtpl's own tags, which Jinja does not know.
_DOCXTPL_TAGS = {"colspan", "cellbg", "vm", "hm"}
_BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "filter": "endfilter", "macro": "endmacro",
           "call": "endcall", "block": "endblock", "raw": "endraw"}  # fmt: skip
_CLOSERS = {closer: opener for opener, closer in _BLOCKS.items()}
_MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
_KEYWORDS = ("if", "for", "endif", "endfor", "else", "elif", "set")
_GLOBALS = {"range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none",
            "True", "False", "None"}  # fmt: skip
# Filters that keep a list's items as they are, so a loop over their result sees the same rows.
_ROW_KEEPING_FILTERS = {"list", "selectattr", "rejectattr", "sort", "reverse", "unique", "batch", "slice"}


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a template: what, where (part and paragraph), how bad and how to fix it."""

    code: str
    severity: str  # error: the template fails or prints wrongly; warning: it renders but not as meant; info
    message: str
    location: Location
    hint: str | None = None

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}. {self.hint}" if self.hint else f"{text}."


# -- reading a template paragraph by paragraph ------------------------------------


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
            part += f", table {self.table} row {self.row} column {self.column}"
        return Location(file=str(file), part=part, paragraph=self.text or "(empty paragraph)")


def read_parts(path: Path) -> tuple[dict[str, etree._Element], etree._Element | None]:
    """The XML of the body, headers and footers by label, and styles.xml; raises TemplateError when unreadable."""
    if not path.is_file():
        raise TemplateError("template not found", location=Location(file=str(path)), hint="Check the path.")
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
            f"is not a readable Word .docx file ({error})",
            location=Location(file=str(path)),
            hint="Save the template from Word or LibreOffice as .docx (Word 2007-365).",
        ) from None
    if "body" not in parts:
        raise TemplateError("is not a readable Word .docx file (it has no document body)",
                            location=Location(file=str(path)),
                            hint="Save the template from Word or LibreOffice as .docx (Word 2007-365).")
    return parts, styles


def _part_number(name: str) -> int:
    digits = re.findall(r"\d+", name)
    return int(digits[0]) if digits else 0


def places(part: str, root: etree._Element) -> list[Place]:
    """Every paragraph of a part in document order, with its table position."""
    tables: dict[int, int] = {}
    found = []
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
        place = Place(part, text, element=paragraph)
        cell = next(paragraph.iterancestors(f"{_W}tc"), None)
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            number = tables.setdefault(id(table), len(tables) + 1)
            place.table = number
            place.row = list(table.iterchildren(f"{_W}tr")).index(row) + 1
            place.column = list(row.iterchildren(f"{_W}tc")).index(cell) + 1
            place.cell, place.table_row = cell, row
        found.append(place)
    return found


# -- the checks --------------------------------------------------------------------


@dataclass
class _Open:
    """A block tag waiting for its end."""

    keyword: str
    kind: str | None  # p, tr, tc or None
    place: Place
    names: dict[str, object]  # loop variables it binds, with their reference shapes


class _Checker:
    def __init__(self, path: Path, reference: dict) -> None:
        self.path = path
        self.reference = reference
        self.environment = jinja2.Environment()
        self.filters = set(self.environment.filters) | set(FILTER_NAMES)
        self.tests = set(self.environment.tests)
        self.problems: list[TemplateProblem] = []

    def add(self, code: str, severity: str, message: str, place: Place, hint: str | None = None) -> None:
        self.problems.append(TemplateProblem(code, severity, message, place.location(self.path), hint))

    # each paragraph

    def check_part(self, part: str, paragraphs: list[Place]) -> None:
        stack: list[_Open] = []
        assigned: dict[str, object] = {}
        for place in paragraphs:
            self._full_width(place)
            self._split_runs(place)
            text = place.text
            tags = _TAG.findall(text)
            self._unclosed(place, text)
            kinds = [tag for tag in tags if (m := _STATEMENT.match(tag)) and m.group(1) in ("p", "tr", "tc")]
            self._kind_tags(place, tags, kinds)
            for tag in tags:
                if tag.startswith("{#"):
                    continue
                if tag.startswith("{{"):
                    self._expression(place, tag, stack, assigned)
                else:
                    self._statement(place, tag, stack, assigned)
        for block in stack:
            self.add(
                "block-not-closed",
                ERROR,
                f"{{%{block.kind or ''} {block.keyword} … %}} is never closed",
                block.place,
                f"Add {{%{block.kind or ''} {_BLOCKS[block.keyword]} %}} where the block should end"
                + (", alone in its paragraph." if block.kind == "p" else "."),
            )

    def _full_width(self, place: Place) -> None:
        for found in _FULL_WIDTH.finditer(place.text):
            snippet = found.group(0)
            if not any(ch in snippet for ch in "｛｝％＃"):
                continue
            fixed = snippet.translate(str.maketrans("｛｝％＃", "{}%#"))
            self.add(
                "full-width",
                ERROR,
                f"“{snippet}” is typed with full-width characters (a Chinese input method), so it is not a tag",
                place,
                f"Switch the input method to English (half-width) and type “{fixed}”.",
            )

    def _split_runs(self, place: Place) -> None:
        runs = [r for r in place.element.iterchildren(f"{_W}r") if r.find(f"{_W}t") is not None]
        if len(runs) < 2:
            return
        offsets, position = [], 0
        for run in runs:
            length = sum(len(t.text or "") for t in run.iter(f"{_W}t"))
            offsets.append((position, position + length))
            position += length
        for found in _TAG.finditer(place.text):
            spanned = [i for i, (start, end) in enumerate(offsets) if start < found.end() and end > found.start()]
            if len(spanned) > 1:
                self.add(
                    "split-tag",
                    INFO,
                    f"the tag “{found.group(0)}” is split over {len(spanned)} runs (formatting changes inside it)",
                    place,
                    "docgen joins them and the tag takes the formatting of its first character; "
                    "select the tag and clear its formatting if the output looks wrong.",
                )

    def _unclosed(self, place: Place, text: str) -> None:
        rest = _TAG.sub("", text)
        opener = _OPENER.search(rest)
        if opener:
            closing = {"{{": "}}", "{%": "%}", "{#": "#}"}[opener.group(0)]
            self.add(
                "syntax",
                ERROR,
                f"a tag opened with “{opener.group(0)}” is not closed with “{closing}” in this paragraph",
                place,
                "A tag must start and end in the same paragraph; add the closing braces.",
            )

    def _kind_tags(self, place: Place, tags: list[str], kinds: list[str]) -> None:
        if not kinds:
            return
        kind = _STATEMENT.match(kinds[0]).group(1)
        unit = {"p": "paragraph", "tr": "table row", "tc": "table cell"}[kind]
        if kind in ("tr", "tc") and place.table is None:
            self.add(
                "tag-kind",
                ERROR,
                f"“{kinds[0]}” stands outside a table: {{%{kind} %}} repeats or hides a {unit}",
                place,
                "Move it into the table row it should repeat, or write {%p … %} for paragraphs.",
            )
        if len(kinds) > 1:
            self.add(
                "tag-kind",
                ERROR,
                f"this {unit} holds {len(kinds)} {{%{kind} %}} tags; docgen replaces the whole {unit} with the first",
                place,
                f"Give each {{%{kind} … %}} tag a {unit} of its own.",
            )
        elif kind == "p":
            other = _TAG.sub("", place.text).strip()
            if other or len(tags) > 1:
                self.add(
                    "tag-kind",
                    WARNING,
                    f"the paragraph with “{kinds[0]}” also holds other text, which is dropped with it",
                    place,
                    "A {%p … %} tag must be alone in its paragraph; move the other text to a paragraph of its own.",
                )

    # tags

    def _statement(self, place: Place, tag: str, stack: list[_Open], assigned: dict) -> None:
        spaced = _SPACED_KIND.match(tag)
        if spaced:
            self.add(
                "tag-kind",
                WARNING,
                f"“{tag}” has a space after “{{%”; docgen reads it as {{%{spaced.group(1)} {spaced.group(2)}",
                place,
                f"Write {{%{spaced.group(1)} without a space, as docxtpl documents it.",
            )
        match = _STATEMENT.match(_normal_statement(tag))
        if not match or not match.group(3):
            self.add("syntax", ERROR, f"“{tag}” is not a statement Jinja knows", place,
                     "Statements read {% if … %}, {% for … in … %}, {% endif %}, {% endfor %}.")  # fmt: skip
            return
        kind, keyword, rest = match.group(1), match.group(3), match.group(4)
        if keyword != keyword.lower() and keyword.lower() in _KEYWORDS:
            self.add("tag-kind", WARNING, f"“{tag}” has a capital letter in “{keyword}”", place,
                     f"Write “{keyword.lower()}”: Word's AutoCorrect capitalises the first word of a sentence.")  # fmt: skip
            keyword = keyword.lower()
        if keyword in _DOCXTPL_TAGS:
            return
        if keyword in _BLOCKS:
            names = self._opener(place, tag, keyword, rest, stack, assigned)
            stack.append(_Open(keyword, kind, place, names))
        elif keyword in _CLOSERS:
            self._closer(place, tag, keyword, kind, stack)
        elif keyword in _MIDDLES:
            if not stack or stack[-1].keyword not in _MIDDLES[keyword]:
                self.add("block-mismatch", ERROR, f"“{tag}” is not inside an {{% if %}} block", place,
                         "Move it between the {% if … %} and its {% endif %}.")  # fmt: skip
            elif keyword == "elif":
                self._parse_and_check(place, f"{{% if {rest.strip()} %}}{{% endif %}}", tag, stack, assigned)
        elif keyword == "set":
            tree = self._parse(place, f"{{% set {rest.strip()} %}}", tag)
            if tree is not None:
                self._check_names(place, tree, stack, assigned, tag)
                for target in tree.find_all(nodes.Name):
                    if target.ctx == "store":
                        assigned[target.name] = None
        else:
            close = difflib.get_close_matches(keyword, [*_BLOCKS, *_CLOSERS, *_MIDDLES, "set"], n=1)
            guess = f" (did you mean “{close[0]}”?)" if close else ""
            self.add("syntax", ERROR, f"“{tag}” uses an unknown tag “{keyword}”{guess}", place,
                     "See docs/templates.md for the tags a template may use.")  # fmt: skip

    def _opener(self, place: Place, tag: str, keyword: str, rest: str, stack, assigned) -> dict[str, object]:
        closer = _BLOCKS[keyword]
        tree = self._parse(place, f"{{% {keyword} {rest.strip()} %}}{{% {closer} %}}", tag)
        if tree is None:
            return {}
        self._check_names(place, tree, stack, assigned, tag)
        if keyword != "for":
            return {}
        loop = tree.find(nodes.For)
        element = _element_shape(self._shape(loop.iter, stack, assigned))
        bound: dict[str, object] = {"loop": None}
        if isinstance(loop.target, nodes.Name):
            bound[loop.target.name] = element
        else:  # for key, value in …: shapes unknown
            bound.update({target.name: None for target in loop.target.find_all(nodes.Name)})
        return bound

    def _closer(self, place: Place, tag: str, keyword: str, kind: str | None, stack: list[_Open]) -> None:
        opener = _CLOSERS[keyword]
        if not stack:
            self.add("block-mismatch", ERROR, f"“{tag}” closes a block that was never opened", place,
                     f"Remove it, or add the {{% {opener} … %}} it should close.")  # fmt: skip
            return
        block = stack[-1]
        if block.keyword != opener:
            self.add(
                "block-mismatch",
                ERROR,
                f"“{tag}” closes {{% {opener} %}} but the open block is the {{% {block.keyword} %}} "
                f"in paragraph “{_short(block.place.text)}”",
                place,
                f"Close the {{% {block.keyword} %}} first with {{% {_BLOCKS[block.keyword]} %}}.",
            )
            return
        stack.pop()
        if block.kind != kind:
            self.add(
                "tag-kind",
                ERROR,
                f"“{tag}” closes a block opened with {{%{block.kind or ''} {block.keyword} %}} "
                f"in paragraph “{_short(block.place.text)}”; both tags need the same kind",
                place,
                f"Write {{%{block.kind or ''} {keyword} %}}.",
            )
            return
        self._block_span(block, place, tag)

    def _block_span(self, block: _Open, place: Place, tag: str) -> None:
        if block.kind is None and block.place.element is not place.element:
            crosses_cells = block.place.cell is not place.cell
            self.add(
                "tag-kind",
                ERROR if crosses_cells else WARNING,
                f"{{% {block.keyword} %}} opens in paragraph “{_short(block.place.text)}” and closes in another"
                + (" table cell" if crosses_cells else " paragraph"),
                place,
                "A block over whole paragraphs needs {%p … %} tags, each alone in its paragraph; "
                "over table rows, {%tr … %}.",
            )
        elif block.kind == "p" and block.place.cell is not place.cell:
            self.add(
                "tag-kind",
                ERROR,
                f"{{%p {block.keyword} %}} opens in one table cell and closes in another",
                place,
                "To repeat or hide table rows use {%tr … %} tags in rows of their own; for columns, {%tc … %}.",
            )
        elif block.kind == "tr" and place.table is not None and block.place.table_row is place.table_row:
            self.add("tag-kind", ERROR, "a {%tr %} block opens and closes in the same table row", place,
                     "Put {%tr for … %} in a row above the repeated row and {%tr endfor %} in a row below it.")  # fmt: skip

    def _expression(self, place: Place, tag: str, stack, assigned) -> None:
        inner = tag[2:-2]
        if re.match(r"^\s*(r|p|tr|tc)\s", inner):
            inner = re.sub(r"^\s*(r|p|tr|tc)\s", " ", inner, count=1)  # docxtpl's {{r … }} rich text
        self._parse_and_check(place, "{{" + inner + "}}", tag, stack, assigned)

    def _parse_and_check(self, place: Place, source: str, tag: str, stack, assigned) -> None:
        tree = self._parse(place, source, tag)
        if tree is not None:
            self._check_names(place, tree, stack, assigned, tag)

    def _parse(self, place: Place, source: str, tag: str) -> nodes.Template | None:
        text = source.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u3000": " "}))
        try:
            return self.environment.parse(text)
        except jinja2.TemplateSyntaxError as error:
            self.add("syntax", ERROR, f"“{tag}” has a Jinja syntax error: {error.message}", place,
                     "Check the brackets and quotes inside the tag.")  # fmt: skip
            return None

    # names

    def _check_names(self, place: Place, tree: nodes.Node, stack, assigned, tag: str) -> None:
        # Found outermost first (a.__class__.__mro__ gives __mro__, then __class__): say them as written.
        reached = list(dict.fromkeys(reversed(list(_unsafe_reaches(tree)))))
        if reached:
            self.add("unsafe", ERROR, f"“{tag}” asks for {', '.join(reached)}, which the sandbox refuses: "
                     "rendering fails", place, "Templates may only use the documented variables and filters; "
                     "see docs/template-variables.md.")  # fmt: skip
        for node in tree.find_all(nodes.Filter):
            if node.name not in self.filters:
                close = difflib.get_close_matches(node.name, sorted(self.filters), n=1)
                guess = f" (did you mean “{close[0]}”?)" if close else ""
                self.add("unknown-filter", ERROR, f"“{tag}” uses a filter “{node.name}” that does not exist{guess}",
                         place, "docs/templates.md lists docgen's filters.")  # fmt: skip
        for chain in _chains(tree):
            self._check_chain(place, chain, stack, assigned, tag)

    def _check_chain(self, place: Place, chain: list[str], stack, assigned, tag: str) -> None:
        root = chain[0]
        scope = self._scope(stack, assigned)
        if root in scope:
            shape = scope[root]
        elif root in self.reference:
            shape = self.reference[root]
        elif root in _GLOBALS:
            return
        else:
            candidates = [*self.reference, *scope]
            close = difflib.get_close_matches(root, candidates, n=1, cutoff=0.6)
            if not close and root.lower() in candidates:
                close = [root.lower()]
            guess = f" (did you mean “{close[0]}”?)" if close else ""
            self.add("unknown-variable", ERROR, f"“{tag}” uses “{root}”, which is not in the template context{guess}",
                     place, "See docs/template-variables.md for the variables a template may use.")  # fmt: skip
            return
        path = root
        for name in chain[1:]:
            if isinstance(shape, dict):
                if name not in shape:
                    close = difflib.get_close_matches(name, list(shape), n=1, cutoff=0.6)
                    guess = f" (did you mean “{path}.{close[0]}”?)" if close else ""
                    self.add(
                        "unknown-variable",
                        ERROR,
                        f"“{tag}” uses “{path}.{name}”, which is not in the template context{guess}",
                        place,
                        f"{path} has: {', '.join(shape)}." if len(shape) <= 20 else None,
                    )
                    return
                shape = shape[name]
            elif isinstance(shape, (str, list)):
                if not hasattr(shape, name):
                    what = "text" if isinstance(shape, str) else "a list"
                    self.add("unknown-variable", ERROR, f"“{tag}” uses “{path}.{name}”, but {path} is {what}", place,
                             "Loop over a list with {% for … in … %}; print text as it is.")  # fmt: skip
                return
            else:
                return  # a value of unknown shape: nothing more to check
            path += f".{name}"

    def _scope(self, stack: list[_Open], assigned: dict) -> dict:
        scope = dict(assigned)
        for block in stack:
            scope.update(block.names)
        return scope

    def _shape(self, node: nodes.Node, stack, assigned) -> object:
        """The reference value an expression stands for, or None when it cannot be told."""
        while isinstance(node, nodes.Filter) and node.name in _ROW_KEEPING_FILTERS and node.node is not None:
            node = node.node
        chain = _chain(node)
        if not chain:
            return None
        scope = self._scope(stack, assigned)
        shape = scope.get(chain[0], self.reference.get(chain[0]))
        for name in chain[1:]:
            shape = shape.get(name) if isinstance(shape, dict) else None
        return shape

    # whole-template checks

    def styles(self, parts: dict[str, etree._Element], styles: etree._Element | None) -> None:
        defined = set()
        if styles is not None:
            defined = {s.get(f"{_W}styleId") for s in styles.iter(f"{_W}style")}
        reported = set()
        for part, root in parts.items():
            for paragraph_place in places(part, root):
                for element in paragraph_place.element.iter(f"{_W}pStyle", f"{_W}rStyle"):
                    self._style(element.get(f"{_W}val"), defined, reported, paragraph_place)
            for table in root.iter(f"{_W}tblStyle"):
                cell_paragraph = next(table.getparent().getparent().iter(f"{_W}p"), None)
                place = Place(part, "".join(t.text or "" for t in cell_paragraph.iter(f"{_W}t")) if cell_paragraph
                              is not None else "", element=cell_paragraph)  # fmt: skip
                self._style(table.get(f"{_W}val"), defined, reported, place, what="table")

    def _style(self, style: str | None, defined: set, reported: set, place: Place, what: str = "paragraph") -> None:
        if not style or style in defined or style in reported:
            return
        reported.add(style)
        self.add(
            "missing-style",
            WARNING,
            f"the {what} uses the style “{style}”, which the template does not define (Word falls back to Normal)",
            place,
            "Copy the style into the template (Word: Styles > Manage Styles > Import/Export), or apply a style it has.",
        )

    def tracked_changes(self, parts: dict[str, etree._Element]) -> None:
        for part, root in parts.items():
            change = next(root.iter(f"{_W}ins", f"{_W}del"), None)
            if change is not None:
                paragraph = next(change.iterancestors(f"{_W}p"), None)
                if paragraph is None:
                    paragraph = next(change.iter(f"{_W}p"), None)
                text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t")) if paragraph is not None else ""
                self.add("tracked-changes", WARNING, "the template has tracked changes", Place(part, text),
                         "Accept or reject all changes (Review > Accept All) and save, so no deleted tag comes back.")  # fmt: skip


def _normal_statement(tag: str) -> str:
    """ "{% p if" read as "{%p if", as the renderer does."""
    spaced = _SPACED_KIND.match(tag)
    if spaced:
        return "{%" + spaced.group(1) + tag[spaced.end(1) :]
    return tag


def _chain(node: nodes.Node) -> list[str] | None:
    """["report", "title"] for report.title or report["title"]; None when it does not start at a name."""
    names: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            names.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            names.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            names.append(node.name)
            return list(reversed(names))
        else:
            return None


def _chains(tree: nodes.Node) -> Iterator[list[str]]:
    """Every name and attribute chain an expression reads, outermost first; inner pieces are not repeated."""

    def visit(node: nodes.Node) -> Iterator[list[str]]:
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
            chain = _chain(node)
            if chain is not None:
                if not (isinstance(node, nodes.Name) and node.ctx != "load"):
                    yield chain
                return
        for child in node.iter_child_nodes():
            yield from visit(child)

    for node in tree.iter_child_nodes():
        if isinstance(node, nodes.For):
            yield from visit(node.iter)
        elif isinstance(node, nodes.Assign):
            yield from visit(node.node)
        else:
            yield from visit(node)


# Filters that read an attribute named by a string: attr('x'), map(attribute='x'), sort(attribute='x') …
_ATTRIBUTE_ARGUMENT = "attribute"
_MAX_RANGE = 100_000  # Jinja's sandbox refuses a range() longer than this
_FORMAT_FIELD_INTERNAL = re.compile(r"\{[^{}]*[.\[]\s*_")  # "{0.__class__}", "{x[_y]}"


def _unsafe_reaches(tree: nodes.Node) -> Iterator[str]:
    """What an expression reaches for that the sandbox refuses: Python internals (“__class__”), or a huge range()."""

    def internal(name: object) -> bool:
        # "__class__", "_TemplateReference__context". A dict's key may start with one underscore
        # (row._id reads the column "_id"), so that alone is not refused.
        return isinstance(name, str) and "__" in name

    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call, nodes.Pow, nodes.Mul)):
        if isinstance(node, (nodes.Pow, nodes.Mul)):
            if _too_big_to_compute(node):
                yield f"a {'power' if isinstance(node, nodes.Pow) else 'product'} too big to compute"
            continue
        if isinstance(node, nodes.Getattr) and internal(node.attr):
            yield f"“{node.attr}”"
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and internal(node.arg.value):
            yield f"“{node.arg.value}”"
        elif isinstance(node, nodes.Filter):
            named = [arg.value for arg in node.args[:1] if node.name == "attr" and isinstance(arg, nodes.Const)]
            named += [kw.value.value for kw in node.kwargs
                      if kw.key == _ATTRIBUTE_ARGUMENT and isinstance(kw.value, nodes.Const)]  # fmt: skip
            yield from (f"“{name}” through the {node.name} filter" for name in named if internal(name))
        elif (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr)
              and node.node.attr in ("format", "format_map") and isinstance(node.node.node, nodes.Const)
              and _FORMAT_FIELD_INTERNAL.search(str(node.node.node.value))):  # fmt: skip
            yield f"a Python internal inside the format string “{node.node.node.value}”"
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
            bounds = [_small_constant(arg) for arg in node.args]
            if bounds and None not in bounds and len(range(*bounds)) > _MAX_RANGE:
                yield f"a range of {len(range(*bounds)):,} numbers (at most {_MAX_RANGE:,})"


_MAX_INTEGER_BITS = 4096  # as the renderer's sandbox (docgen.word.render): past this it refuses
_MAX_ITEMS = 1_000_000


def _too_big_to_compute(node: nodes.Pow | nodes.Mul) -> bool:
    """A power or product of constants that the sandbox would refuse: 10 ** (10 ** 10), 'x' * 10**10."""
    right = _small_constant(node.right)
    if right is None:
        return False
    if isinstance(node, nodes.Pow):
        left = _small_constant(node.left)
        return left is not None and abs(left) > 1 and right > 0 and right * math.log2(abs(left)) > _MAX_INTEGER_BITS
    if isinstance(node.left, nodes.Const) and isinstance(node.left.value, str):
        return len(node.left.value) * right > _MAX_ITEMS
    return False


def _small_constant(node: nodes.Node) -> int | None:
    """An integer constant such as 10 or 10**10, worked out only when that is cheap; else None."""
    if isinstance(node, nodes.Const) and isinstance(node.value, int):
        return node.value
    if isinstance(node, (nodes.Pow, nodes.Mul)):
        left, right = _small_constant(node.left), _small_constant(node.right)
        if left is None or right is None or abs(left) > 10**6 or not 0 <= right <= 64 or abs(left) ** right > 10**30:
            return None
        return left**right if isinstance(node, nodes.Pow) else left * right
    return None


def _element_shape(shape: object) -> object:
    if isinstance(shape, list) and shape:
        return shape[0]
    return None


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the public front ------------------------------------------------------------------


def check_template(path: Path) -> list[TemplateProblem]:
    """Every problem of a template, at once, errors first (a trial against a workbook: docgen.runs.template_trial)."""
    path = Path(path)
    parts, styles = read_parts(path)
    lang = _language(parts)
    checker = _Checker(path, reference_context(lang))
    for part, root in parts.items():
        checker.check_part(part, places(part, root))
    checker.styles(parts, styles)
    checker.tracked_changes(parts)
    if not any(p.severity == ERROR for p in checker.problems):
        checker.problems += limit_problems(path, checker.reference)
    return by_severity(checker.problems)


def by_severity(problems: list[TemplateProblem]) -> list[TemplateProblem]:
    """Errors first, then warnings, then notes; in the order found within each."""
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    return sorted(problems, key=lambda p: order[p.severity])


# Problems no context can mend: every document rendered from the template would fail.
_BREAKING = {"syntax", "unsafe", "block-mismatch", "block-not-closed", "limit"}


def refuse_broken_template(path: Path) -> None:
    """Raise TemplateError, before a run of many documents starts, for a template that every render would fail on.

    That is: not a .docx, a Jinja syntax error, a block never closed, a tag
    the sandbox refuses, or a trial render that goes past a limit (a huge
    value, endless recursion, the memory, time or output limit). Variables
    are not checked here (a mail-merge template's variables are its sheet's
    columns).
    """
    path = Path(path)
    parts, _styles = read_parts(path)
    checker = _Checker(path, {})
    for part, root in parts.items():
        checker.check_part(part, places(part, root))
    broken = [problem for problem in checker.problems if problem.code in _BREAKING]
    if not broken:
        broken = limit_problems(path, reference_context(_language(parts)))
    if broken:
        first = broken[0]
        more = f" ({len(broken) - 1} more: docgen templates check lists them all)" if len(broken) > 1 else ""
        raise TemplateError(f"the template cannot be used: {first.message}{more}", location=first.location,
                            hint=first.hint)


def limit_problems(template: Path, context: dict) -> list[TemplateProblem]:
    """A trial render with the documented context, every tag run whatever it lacks: the limit it goes past, if any.

    Other failures are left to the checks that say them better (an unknown
    variable) or to a render against a workbook.
    """
    from docgen.word.limits import RenderLimitError
    from docgen.word.render import trial_render

    try:
        trial_render(template, context)
    except RenderLimitError as error:
        return [TemplateProblem("limit", ERROR, f"a trial render fails: {error.message}", error.location, error.hint)]
    except TemplateError:
        pass
    return []


def literal_tag_problems(document: bytes, output: Path) -> list[TemplateProblem]:
    """Every tag a rendered document still shows literally, each at its place in `output` (the document's label)."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        for name in archive.namelist():
            found = re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
            if not found:
                continue
            part = {"document": "body"}.get(found.group(1), re.sub(r"\d+", "", found.group(1)))
            for place in places(part, etree.fromstring(archive.read(name), parser)):
                for literal in _LITERAL.finditer(place.text):
                    problems.append(
                        TemplateProblem(
                            "literal-tag",
                            ERROR,
                            f"the output still shows “{literal.group(0)}”: a tag was not read as a tag",
                            place.location(output),
                            "Look for full-width braces, a stray brace, or a tag split over two paragraphs "
                            "at this place in the template.",
                        )
                    )
    return problems


def _language(parts: dict[str, etree._Element]) -> str:
    text = "".join("".join(t.text or "" for t in root.iter(f"{_W}t")) for root in parts.values())
    return "zh" if re.search("[\u4e00-\u9fff]", text) else "en"


# -- the reference context -------------------------------------------------------------


def example_workbook(lang: str = "zh"):
    """A workbook with one or two rows in every section, built in code: the example values of `templates vars`."""
    from docgen.input.model import (AccountTier, Action, Channel, FollowUp, GenericSection, Lesson, LostCustomer,
                        MarketEvent, Problem, Reconciliation, ReportInfo, SalesWorkbook, Target,
                        TeamContribution, TrendSeries)  # fmt: skip

    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    sections = ("targets", "trend", "pipeline", "accounts", "churn", "followups", "market", "problems",
                "lessons", "actions", "team", "reconcile")  # fmt: skip
    return SalesWorkbook(
        source=t("华东销售一组-2026年10月-团队月报.xlsx", "east-team-1-2026-10.xlsx"),
        info=ReportInfo(
            organization=t("星辰科技有限公司", "Northwind Trading Ltd."), region=t("华东", "East"),
            team=t("华东销售一组", "East Team 1"), author=t("王芳", "Wang Fang"), level="team", period="monthly",
            start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 31), currency_unit=t("万元", "USD"),
            language=lang,
        ),  # fmt: skip
        targets=(
            Target(t("销售额", "Sales"), t("万元", "USD"), 1200, 1152, 1080, 1010, t("两家大客户签约推迟", "Two signings slipped"), next_target=1300),
            Target(t("新增客户", "New customers"), t("家", "accounts"), 30, 34, 27, 25),
            Target(t("复购率", "Repurchase rate"), "%", 0.35, 0.385, 0.36, 0.33),
            Target(t("客户流失率", "Churn rate"), "%", 0.05, 0.042, 0.051, 0.06),
            Target(t("市场份额", "Market share"), "%", 0.12, 0.125, 0.12, 0.112),
        ),  # fmt: skip
        trend=(TrendSeries(t("销售额", "Sales"), (t("8月", "Aug"), t("9月", "Sep"), t("10月", "Oct")), (1050, 1080, 1152)),),
        pipeline=(Channel(t("老客户转介绍", "Referrals"), 80, 28, 310),),
        accounts=(AccountTier("A", 18, 0.95, t("季度高层拜访", "Quarterly review")),),
        churn=(LostCustomer(t("苏州恒达贸易", "Harbor Foods"), t("价格", "Price"), 45, False, t("提交特价申请", "Offered a discount")),),
        followups=(FollowUp(t("上海瑞丰集团", "Bluewater Retail"), dt.date(2026, 10, 9), t("上门拜访", "Visit"),
                            t("年度框架协议续签", "Contract renewal"), t("达成续签意向", "Verbal yes"),
                            t("11月10日前提交合同", "Send the contract by 10 Nov")),),  # fmt: skip
        market=(MarketEvent(t("竞品华信推出低价套餐", "A competitor launched a low-cost range"), t("C类客户询价比较", "Price pressure"), t("市场部", "Marketing"), t("推出以旧换新方案", "Bundles")),),  # fmt: skip
        problems=(Problem(t("大客户签约周期拉长", "Signings take longer"), t("审批层级增加", "More approval steps"), t("销售额缺口48万元", "A gap of USD 4,800"), "external", t("提前介入立项", "Engage earlier")),),  # fmt: skip
        lessons=(Lesson(t("老客户转介绍激励", "Referral rewards"), t("A/B类客户", "A and B accounts"), t("成交后返点", "A reward per deal"), t("成交28单", "28 deals")),),  # fmt: skip
        actions=(Action(t("推进两家延期大客户签约", "Close the two slipped signings"), "A-01", t("李明", "Li Ming"), dt.date(2026, 11, 20), t("合同签订", "Contracts signed"), t("进行中", "In progress")),),  # fmt: skip
        team=(TeamContribution(t("李明", "Li Ming"), t("签约上海瑞丰", "Signed Bluewater"), 210), TeamContribution(t("王芳", "Wang Fang"), t("统筹团队目标", "Led the team"), 185)),  # fmt: skip
        reconcile=(Reconciliation(t("销售额", "Sales"), (t("销售系统", "CRM"), t("财务系统", "Finance")), (1152, 1148)),),
        generic=(GenericSection(t("重点项目", "Key projects"), (t("项目", "Project"), t("阶段", "Stage")), ((t("新能源产线", "New line"), t("报价", "Quote")),)),),  # fmt: skip
        present=("info", *sections, "generic:" + t("重点项目", "Key projects")),
    )


def reference_context(lang: str = "zh", workbook=None) -> dict:
    """The documented context with example values: from `workbook`, else from `example_workbook`."""
    from dataclasses import replace

    from docgen.report.checks import WARNING as FINDING_WARNING
    from docgen.report.checks import Finding
    from docgen.report.context import build_context

    workbook = workbook or example_workbook(lang)
    # Last period's actions, so that review.rows has its keys; one finding, for findings.rows.
    previous = replace(workbook, actions=workbook.actions)
    finding = Finding("DG103", FINDING_WARNING, "目标达成" if lang == "zh" else "Targets", "G3", "…")
    period = workbook.info.period or "monthly"
    level = workbook.info.level or "team"
    today = (workbook.info.end_date or dt.date(2026, 10, 31)) + dt.timedelta(days=2)
    return build_context(workbook, period=period, level=level, lang=lang, today=today, previous=previous,
                         findings=[finding])  # fmt: skip


def variable_reference(context: dict) -> list[tuple[str, str]]:
    """(path, example value) for every variable, lists of rows shown by their first row: `templates vars`."""
    lines: list[tuple[str, str]] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            walk(value[0], f"{path}[]")
        elif isinstance(value, list):
            shown = ", ".join(f"“{_short(str(v), 30)}”" for v in value[:3])
            lines.append((path, f"[{shown}{', …' if len(value) > 3 else ''}] ({len(value)} items)"))
        else:
            lines.append((path, repr(value) if not isinstance(value, str) else f"“{_short(value, 70)}”"))

    walk(context, "")
    return lines
