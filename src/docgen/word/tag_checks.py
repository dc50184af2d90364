"""The checks of a template's tags paragraph by paragraph, and of its styles and tracked changes."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes
from lxml import etree

from docgen.errors import Location
from docgen.text.messages import Listed, say
from docgen.text.nearest import did_you_mean, nearest_names
from docgen.word.environment import make_environment
from docgen.word.expressions import element_shape, name_chain, name_chains, unsafe_reaches
from docgen.word.ooxml import W, paragraph_text
from docgen.word.places import Place, places, short

ERROR, WARNING, INFO = "error", "warning", "info"

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENER = re.compile(r"\{\{|\{%|\{#")
_STATEMENT = re.compile(r"^\{%-?\s*(p|tr|tc|r)?(\s+|(?=\w))(\w+)?(.*?)-?%\}$", re.S)
_SPACED_KIND = re.compile(r"^\{%-?\s+(p|tr|tc|r)\s+(if|for|endif|endfor|else|elif)\b")
_FULL_WIDTH = re.compile(r"[｛{][｛{％%].*?[％%｝}][｝}]|[｛{][｛{％%]|[％%｝}][｝}]")

# docxtpl's own tags, which Jinja does not know.
_DOCXTPL_TAGS = {"colspan", "cellbg", "vm", "hm"}
_BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "filter": "endfilter", "macro": "endmacro",
           "call": "endcall", "block": "endblock", "raw": "endraw"}  # fmt: skip
_CLOSERS = {closer: opener for opener, closer in _BLOCKS.items()}
_MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
_KEYWORDS = ("if", "for", "endif", "endfor", "else", "elif", "set")
_GLOBALS = {"range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none",
            "True", "False", "None"}  # fmt: skip
# What a dict (and a merge's row) answers besides its keys: row.get('x'), report.items().
_MAPPING_METHODS = {"get", "items", "keys", "values"}
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


# -- the checks --------------------------------------------------------------------


@dataclass
class _Open:
    """A block tag waiting for its end."""

    keyword: str
    kind: str | None  # p, tr, tc or None
    place: Place
    names: dict[str, object]  # loop variables it binds, with their reference shapes
    guarded: tuple[tuple, ...] = ()  # name chains an {% if x is defined %} lets its body use though unknown
    tested: tuple[tuple, ...] = ()  # name chains an {% if %} condition reads: an empty one never reaches its body


class Checker:
    def __init__(self, path: Path, reference: dict, *, sheet: str | None = None, columns: tuple[str, ...] = ()) -> None:
        """`reference`: the context's shape (docgen.word.reference). For a mail merge, `sheet` and its
        `columns`: then an unknown name is said to be no column of the sheet, and the columns are suggested."""
        self.path = path
        self.reference = reference
        self.sheet = sheet
        self.columns = tuple(columns)
        self.used: dict[str, None] = {}  # a mail merge's columns printed without a test first, in order
        self.environment = make_environment()  # the renderer's: its filters and tests are the ones a template has
        self.filters = set(self.environment.filters)
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
        runs = [r for r in place.element.iterchildren(f"{W}r") if r.find(f"{W}t") is not None]
        if len(runs) < 2:
            return
        offsets, position = [], 0
        for run in runs:
            length = sum(len(t.text or "") for t in run.iter(f"{W}t"))
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
            guarded, tested = _condition(self.environment, rest) if keyword == "if" else ((), ())
            stack.append(_Open(keyword, kind, place, names, guarded, tested))
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
        if keyword == "macro":  # its name serves the rest of the part; its parameters, its body
            macro = tree.find(nodes.Macro)
            assigned[macro.name] = None
            return {name: None for name in [*(arg.name for arg in macro.args), "varargs", "kwargs", "caller"]}
        if keyword == "call":
            call = tree.find(nodes.CallBlock)
            return {name: None for name in [*(arg.name for arg in call.args), "caller"]}
        if keyword == "with":
            return {target.name: None for target in tree.find(nodes.With).targets if isinstance(target, nodes.Name)}
        if keyword != "for":
            return {}
        loop = tree.find(nodes.For)
        element = element_shape(self._shape(loop.iter, stack, assigned))
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
                f"in paragraph “{short(block.place.text)}”",
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
                f"in paragraph “{short(block.place.text)}”; both tags need the same kind",
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
                f"{{% {block.keyword} %}} opens in paragraph “{short(block.place.text)}” and closes in another"
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
        self._parse_and_check(place, "{{" + inner + "}}", tag, stack, assigned, printed=True)

    def _parse_and_check(self, place: Place, source: str, tag: str, stack, assigned, *, printed: bool = False) -> None:
        tree = self._parse(place, source, tag)
        if tree is not None:
            self._check_names(place, tree, stack, assigned, tag, printed=printed)

    def _parse(self, place: Place, source: str, tag: str) -> nodes.Template | None:
        text = source.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u3000": " "}))
        try:
            return self.environment.parse(text)
        except jinja2.TemplateSyntaxError as error:
            self.add("syntax", ERROR, f"“{tag}” has a Jinja syntax error: {error.message}", place,
                     "Check the brackets and quotes inside the tag.")  # fmt: skip
            return None

    # names

    def _check_names(self, place: Place, tree: nodes.Node, stack, assigned, tag: str, *, printed: bool = False) -> None:
        # Found outermost first (a.__class__.__mro__ gives __mro__, then __class__): say them as written.
        reached = list(dict.fromkeys(reversed(list(unsafe_reaches(tree)))))
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
        for chain in name_chains(tree):
            self._check_chain(place, chain, stack, assigned, tag, printed=printed)

    def _check_chain(self, place: Place, chain: list[str | int], stack, assigned, tag: str, *,
                     printed: bool = False) -> None:
        if any(tuple(chain[: len(guarded)]) == guarded for block in stack for guarded in block.guarded):
            return
        root = chain[0]
        if printed and self.columns and not any(tuple(chain[: len(t)]) == t for block in stack for t in block.tested):
            # A merge column printed in {{ }} where no {% if %} tested it: an empty cell leaves a gap.
            column = root  # 联系人, row['联系人'] or row.text['联系人']
            if root == "row" and len(chain) > 1:
                column = chain[2] if chain[1] == "text" and len(chain) > 2 else chain[1]
            if column in self.columns:
                self.used[column] = None
        scope = self._scope(stack, assigned)
        if root in scope:
            shape = scope[root]
        elif root in self.reference:
            shape = self.reference[root]
        elif root in _GLOBALS:
            return
        else:
            self._unknown(place, root, root, self._root_candidates(scope))
            return
        path = root
        for name in chain[1:]:
            if isinstance(name, int):  # rows[0]: the rows' first, which stands for them all
                if not isinstance(shape, list):
                    return
                shape, path = element_shape(shape), f"{path}[{name}]"
                continue
            if isinstance(shape, dict):
                if name not in shape:
                    if name not in _MAPPING_METHODS:
                        self._unknown(place, f"{path}.{name}", name, self._member_candidates(path, shape), (path, shape))
                    return
                shape = shape[name]
            elif isinstance(shape, (str, list)):
                if not hasattr(shape, name):
                    key = "names.of_text" if isinstance(shape, str) else "names.of_list"
                    self.add("unknown-variable", ERROR, say(key, name=f"{path}.{name}", parent=path), place,
                             say("names.of_list.hint"))  # fmt: skip
                return
            else:
                return  # a value of unknown shape: nothing more to check
            path += f".{name}"

    def _unknown(self, place: Place, written: str, leaf: str, candidates: dict[str, list[str]], parent=None) -> None:
        """An unknown name or attribute (`leaf`, in `written`) with the nearest names; `candidates` maps a name as
        compared to how it is written."""
        if self.sheet is not None and parent is not None:
            written = leaf  # row['联糸人'] or row.text['联糸人']: the column is what is misspelt
        guesses = [shown for name in nearest_names(leaf, candidates, n=3) for shown in candidates[name]]
        guess = did_you_mean(list(dict.fromkeys(guesses)))
        if self.sheet is not None:
            message = say("names.not_a_column", name=written, sheet=self.sheet, guess=guess)
            hint = say("merge.columns.hint", names=Listed(self.columns))
        else:
            message = say("names.not_a_variable", name=written, guess=guess)
            members = parent[1] if parent else {}
            hint = (say("names.members.hint", parent=parent[0], names=Listed(members))
                    if parent and len(members) <= 20 else say("names.report.hint"))  # fmt: skip
        self.add("unknown-variable", ERROR, message, place, hint)

    def _root_candidates(self, scope: dict) -> dict[str, list[str]]:
        """The names a misspelt first name may be meant as: the context's, the template's own, and (for a report)
        the keys one level down, written in full (autor: report.author)."""
        candidates: dict[str, list[str]] = {}
        if self.sheet is not None:
            for column in self.columns:
                shown = column if column.isidentifier() and column != "row" else f"row['{column}']"
                candidates.setdefault(column, []).append(shown)
        else:
            for name, value in self.reference.items():
                candidates.setdefault(name, []).append(name)
            for name, value in self.reference.items():
                for key in value if isinstance(value, dict) else ():
                    candidates.setdefault(key, []).append(f"{name}.{key}")
        for name in [*scope, "row"] if self.sheet is not None else scope:
            candidates.setdefault(name, []).insert(0, name)
        return candidates

    def _member_candidates(self, path: str, shape: dict) -> dict[str, list[str]]:
        if self.sheet is not None:
            return {key: [key] for key in self.columns}
        return {key: [f"{path}.{key}"] for key in shape}

    def _scope(self, stack: list[_Open], assigned: dict) -> dict:
        scope = dict(assigned)
        for block in stack:
            scope.update(block.names)
        return scope

    def _shape(self, node: nodes.Node, stack, assigned) -> object:
        """The reference value an expression stands for, or None when it cannot be told."""
        while isinstance(node, nodes.Filter) and node.name in _ROW_KEEPING_FILTERS and node.node is not None:
            node = node.node
        chain = name_chain(node)
        if not chain:
            return None
        scope = self._scope(stack, assigned)
        shape = scope.get(chain[0], self.reference.get(chain[0]))
        for name in chain[1:]:
            if isinstance(name, int):
                shape = element_shape(shape)
            else:
                shape = shape.get(name) if isinstance(shape, dict) else None
        return shape

    # whole-template checks

    def styles(self, parts: dict[str, etree._Element], styles: etree._Element | None) -> None:
        defined = set()
        if styles is not None:
            defined = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
        reported = set()
        for part, root in parts.items():
            for paragraph_place in places(part, root):
                for element in paragraph_place.element.iter(f"{W}pStyle", f"{W}rStyle"):
                    self._style(element.get(f"{W}val"), defined, reported, paragraph_place)
            for table in root.iter(f"{W}tblStyle"):
                cell_paragraph = next(table.getparent().getparent().iter(f"{W}p"), None)
                text = paragraph_text(cell_paragraph) if cell_paragraph is not None else ""
                place = Place(part, text, element=cell_paragraph)
                self._style(table.get(f"{W}val"), defined, reported, place, what="table")

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
            change = next(root.iter(f"{W}ins", f"{W}del"), None)
            if change is not None:
                paragraph = next(change.iterancestors(f"{W}p"), None)
                if paragraph is None:
                    paragraph = next(change.iter(f"{W}p"), None)
                text = paragraph_text(paragraph) if paragraph is not None else ""
                self.add("tracked-changes", WARNING, "the template has tracked changes", Place(part, text),
                         "Accept or reject all changes (Review > Accept All) and save, so no deleted tag comes back.")  # fmt: skip


def _condition(environment: jinja2.Environment, condition: str) -> tuple[tuple[tuple, ...], tuple[tuple, ...]]:
    """What an {% if … %} condition tells its body: the name chains it tests with `is defined` (the body may use
    them though unknown), and every chain it reads (an empty one never reaches the body)."""
    try:
        tree = environment.parse(f"{{% if {condition.strip()} %}}{{% endif %}}")
    except jinja2.TemplateSyntaxError:
        return (), ()
    tests = [test for test in tree.find_all(nodes.Test) if test.name == "defined"]
    guarded = tuple(tuple(chain) for test in tests if (chain := name_chain(test.node)))
    return guarded, tuple(tuple(chain) for chain in name_chains(tree.find(nodes.If)))


def _normal_statement(tag: str) -> str:
    """ "{% p if" read as "{%p if", as the renderer does."""
    spaced = _SPACED_KIND.match(tag)
    if spaced:
        return "{%" + spaced.group(1) + tag[spaced.end(1) :]
    return tag
