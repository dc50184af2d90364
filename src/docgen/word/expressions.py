"""What a Jinja expression reads (its name chains) and reaches for that the sandbox refuses, read from its syntax tree."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from jinja2 import nodes
from jinja2.sandbox import MAX_RANGE

from docgen.word.sandbox import MAX_INTEGER_BITS, MAX_ITEMS


def name_chain(node: nodes.Node) -> list[str | int] | None:
    """["report", "title"] for report.title or report["title"], ["targets", "rows", 0, "name"] for
    targets.rows[0].name; None when it does not start at a name."""
    names: list[str | int] = []
    while True:
        if isinstance(node, nodes.Getattr):
            names.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            names.append(node.arg.value)
            node = node.node
        elif (isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
              and type(node.arg.value) is int):  # fmt: skip
            names.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            names.append(node.name)
            return list(reversed(names))
        else:
            return None


# What a template asks of a name that may be missing: `x is defined`, `x|default("")`. Such a name is not a typo to stop for.
_MAY_BE_MISSING_TESTS = {"defined", "undefined"}
_MAY_BE_MISSING_FILTERS = {"default", "d"}


def name_chains(tree: nodes.Node) -> Iterator[list[str | int]]:
    """Every name and attribute chain an expression reads, outermost first; inner pieces are not repeated.

    A name the expression allows to be missing (`x is defined`, `x|default('')`) is left out.
    """

    def visit(node: nodes.Node) -> Iterator[list[str | int]]:
        if isinstance(node, nodes.Test) and node.name in _MAY_BE_MISSING_TESTS:
            return
        if isinstance(node, nodes.Filter) and node.name in _MAY_BE_MISSING_FILTERS:
            for child in [*node.args, *node.kwargs]:
                yield from visit(child)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
            chain = name_chain(node)
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
_FORMAT_FIELD_INTERNAL = re.compile(r"\{[^{}]*[.\[]\s*_")  # "{0.__class__}", "{x[_y]}"


def unsafe_reaches(tree: nodes.Node) -> Iterator[str]:
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
            if bounds and None not in bounds and len(range(*bounds)) > MAX_RANGE:
                yield f"a range of {len(range(*bounds)):,} numbers (at most {MAX_RANGE:,})"


def _too_big_to_compute(node: nodes.Pow | nodes.Mul) -> bool:
    """A power or product of constants that the sandbox would refuse: 10 ** (10 ** 10), 'x' * 10**10."""
    right = _small_constant(node.right)
    if right is None:
        return False
    if isinstance(node, nodes.Pow):
        left = _small_constant(node.left)
        return left is not None and abs(left) > 1 and right > 0 and right * math.log2(abs(left)) > MAX_INTEGER_BITS
    if isinstance(node.left, nodes.Const) and isinstance(node.left.value, str):
        return len(node.left.value) * right > MAX_ITEMS
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


def element_shape(shape: object) -> object:
    if isinstance(shape, list) and shape:
        return shape[0]
    return None
