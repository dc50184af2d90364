"""The Jinja sandbox templates render in: Jinja's own, also refusing to build a value too big to hold (docs/rendering.md)."""

from __future__ import annotations

import math
import re
import types
from itertools import islice
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup

from docgen.word.limits import LimitExceeded

# Past these sizes the sandbox refuses to compute: a template must not stall a run or fill
# the memory with 10 ** (10 ** 10) or 'x' * 10**10 (Jinja itself caps range() at 100,000 items).
MAX_ITEMS = 1_000_000  # characters of a text, items of a list
MAX_INTEGER_BITS = 4096
_MAX_PIECES = 100_000  # slices, and lipsum's words: as Jinja's range() cap


class TooBig(jinja2.exceptions.SecurityError):
    """A value the template would build is past the sandbox's sizes; nothing was built."""


def _refuse(what: str) -> TooBig:
    return TooBig(f"{what} would be too big (more than {MAX_ITEMS:,} characters or items)")


def _size(value: Any) -> int:
    """What a value costs to print or join: a text's characters, a list's texts' characters."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(len(item) if isinstance(item, (str, bytes)) else 1 for item in value)
    return 1


def _width(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# --- the format mini-languages: str.format, % and the format filter --------------------------

# A %-conversion: its width and precision, each a number or * (taken from the arguments).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\d+|\*)?(?:\.(\d+|\*))?[hlL]?[diouxXeEfFgGcrsab%]")
_DIGITS = re.compile(r"\d+")


def check_percent(text: str, arguments: Any) -> None:
    """Refuse text % arguments whose widths, precisions or repeated values would make a huge text."""
    conversions = _PERCENT.findall(text)
    if not conversions:
        return
    values = list(arguments.values()) if isinstance(arguments, dict) else (
        list(arguments) if isinstance(arguments, tuple) else [arguments])
    # Each conversion prints at most its width and precision, or the biggest value given.
    largest = max((_size(value) for value in values), default=0)
    widths = 0
    for width, precision in conversions:
        for number in (width, precision):
            if number == "*":
                number = max((_width(value) for value in values), default=0)
            widths += int(number or 0)
    if len(text) + widths + len(conversions) * largest > MAX_ITEMS:
        raise _refuse("the % formatting")


class _CountingFormatter:
    """str.format's fields, each refused when its width or precision, or the text so far, is too big."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if any(int(number) > MAX_ITEMS for number in _DIGITS.findall(format_spec)):
            raise _refuse(f"the format “{{:{format_spec}}}”")
        text = super().format_field(value, format_spec)
        self.built = getattr(self, "built", 0) + len(text)
        if self.built > MAX_ITEMS:
            raise _refuse("the formatted text")
        return text


class _Formatter(_CountingFormatter, jinja2.sandbox.SandboxedFormatter):
    pass


class _EscapeFormatter(_CountingFormatter, jinja2.sandbox.SandboxedEscapeFormatter):
    pass


# --- string methods ----------------------------------------------------------------------------


def _replaced_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(text, (str, bytes)) or not isinstance(new, (str, bytes)) or not isinstance(old, (str, bytes)):
        return 0
    if len(new) <= len(old):
        return len(text)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _method_result_size(method: Any, args: tuple, kwargs: dict) -> int:
    """How big a str or bytes method's result would be, for the methods that can make one far bigger.

    0 when the arguments are wrong: the method itself then says what is wrong with them.
    """
    try:
        return _result_size(method.__self__, method.__name__, args, kwargs)
    except (TypeError, ValueError):
        return 0


def _result_size(text: str | bytes, name: str, args: tuple, kwargs: dict) -> int:
    if name in ("ljust", "rjust", "center", "zfill"):
        width = args[0] if args else kwargs.get("width")
        return max(len(text), _width(width))
    if name == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        return len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(_width(tabsize), 0)
    if name == "replace":
        return _replaced_size(text, *args, **kwargs)
    if name == "join" and args:
        return _size(args[0]) + len(text) * max(len(args[0]) - 1, 0)
    if name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, (str, bytes))), default=1)
        return len(text) * longest
    return 0


# --- filters and globals -----------------------------------------------------------------------


def _checked_filters() -> dict[str, Any]:
    """Jinja's filters that can build a value far bigger than their input, each refusing past the sizes."""

    def center(value, width=80):
        if _width(width) > MAX_ITEMS:
            raise _refuse("the centred text")
        return jinja_filters.do_center(value, width)

    def indent(value, width=4, first=False, blank=False):
        text = str(value)
        per_line = len(width) if isinstance(width, str) else _width(width)
        if len(text) + (text.count("\n") + 1) * per_line > MAX_ITEMS:
            raise _refuse("the indented text")
        return jinja_filters.do_indent(value, width, first, blank)

    def batch(value, linecount, fill_with=None):
        if _width(linecount) > MAX_ITEMS:
            raise _refuse("a batch")
        return jinja_filters.do_batch(value, linecount, fill_with)

    def slice_(value, slices, fill_with=None):
        if _width(slices) > _MAX_PIECES:
            raise TooBig(f"a slice into more than {_MAX_PIECES:,} parts would be too big")
        return jinja_filters.sync_do_slice(value, slices, fill_with)

    @jinja2.pass_eval_context
    def replace(eval_ctx, value, old, new, count=None):
        if _replaced_size(str(value), str(old), str(new), -1 if count is None else count) > MAX_ITEMS:
            raise _refuse("the replaced text")
        return jinja_filters.do_replace(eval_ctx, value, old, new, count)

    @jinja2.pass_eval_context
    def join(eval_ctx, value, d="", attribute=None):
        items = list(value) if attribute is None else value
        if attribute is None and _size(items) + len(str(d)) * max(len(items) - 1, 0) > MAX_ITEMS:
            raise _refuse("the joined text")
        joined = jinja_filters.sync_do_join(eval_ctx, items, d, attribute)
        if len(joined) > MAX_ITEMS:
            raise _refuse("the joined text")
        return joined

    @jinja2.pass_environment
    def wordwrap(environment, s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
        lines = len(s) // max(_width(width), 1) + s.count("\n") + 1
        if len(s) + lines * len(wrapstring or environment.newline_sequence) > MAX_ITEMS:
            raise _refuse("the wrapped text")
        return jinja_filters.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)

    def format_(value, *args, **kwargs):
        check_percent(str(value), kwargs or args)
        return jinja_filters.do_format(value, *args, **kwargs)

    @jinja2.pass_environment
    def sum_(environment, iterable, attribute=None, start=0):
        if isinstance(start, (str, list, tuple)):
            items = list(iterable)
            if _size(start) + sum(_size(item) for item in items) > MAX_ITEMS:
                raise _refuse("the sum")
            iterable = items
        return jinja_filters.sync_do_sum(environment, iterable, attribute, start)

    return {"center": center, "indent": indent, "batch": batch, "slice": slice_, "replace": replace,
            "join": join, "wordwrap": wordwrap, "format": format_, "sum": sum_}  # fmt: skip


def _lipsum(n=5, html=True, min=20, max=100):  # noqa: A002 - Jinja's own argument names
    if _width(n) * _width(max) > _MAX_PIECES or _width(n) * _width(min) > _MAX_PIECES:
        raise TooBig(f"lipsum of more than {_MAX_PIECES:,} words would be too big")
    return generate_lorem_ipsum(n, html, min, max)


# --- the environment ---------------------------------------------------------------------------


class _CountingCodeGenerator(CodeGenerator):
    """Jinja's code, with every ~ concatenation's result measured (Jinja joins it with no hook of its own)."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.measured(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing powers, products, texts and lists too big to build.

    `output_characters` caps what a whole render (a part's XML) may come to.
    """

    # Intercepted operators are also not folded when a template is compiled, so a
    # constant 10 ** (10 ** 10) is refused instead of hanging the compiler.
    intercepted_binops = frozenset({"**", "*", "+", "%"})
    code_generator_class = _CountingCodeGenerator

    def __init__(self, *args, output_characters: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters.update(_checked_filters())
        self.globals["lipsum"] = _lipsum
        self.output_characters = output_characters

    def concat(self, pieces) -> str:  # Template.render's join: the render's output, counted as it comes
        if self.output_characters is None:
            return "".join(pieces)
        # Joined a few thousand pieces at a time and measured as texts: the cap costs a render
        # nothing measurable, where a piece-by-piece count in Python would cost a batch a few per cent.
        texts: list[str] = []
        total = 0
        while chunk := list(islice(pieces, 4096)):
            texts.append("".join(chunk))
            total += len(texts[-1])
            if total > self.output_characters:
                raise LimitExceeded("output", self.output_characters >> 20)
            if len(chunk) < 4096:
                break
        return texts[0] if len(texts) == 1 else "".join(texts)

    def measured(self, text: Any) -> Any:
        if len(text) > MAX_ITEMS:
            raise _refuse("the text joined with ~")
        return text

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        # Jinja answers an unsafe attribute with an undefined value, which a filter
        # such as map(attribute='__class__') prints as "Undefined": refuse at once.
        raise jinja2.exceptions.SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe"
        )

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            check_percent(left, right)
        elif too_big(operator, left, right):
            raise TooBig(f"the result of {operator} would be too big to compute")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        if isinstance(__obj, types.BuiltinMethodType) and isinstance(getattr(__obj, "__self__", None), (str, bytes)):
            if __obj.__name__ == "join" and args and not isinstance(args[0], (list, tuple)):
                args = (list(args[0]), *args[1:])  # measured, then joined: an iterator is read once
            if _method_result_size(__obj, args, kwargs) > MAX_ITEMS:
                raise _refuse(f"the result of {__obj.__name__}()")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        if not (isinstance(value, (types.MethodType, types.BuiltinMethodType))
                and value.__name__ in ("format", "format_map") and isinstance(value.__self__, str)):  # fmt: skip
            return None
        text = value.__self__
        mapping = value.__name__ == "format_map"

        def format_checked(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            formatter = _EscapeFormatter(self, escape=text.escape) if isinstance(text, Markup) else _Formatter(self)
            return type(text)(formatter.vformat(text, args, kwargs))

        return format_checked


def too_big(operator: str, left: Any, right: Any) -> bool:
    """Whether left operator right would be past the sandbox's sizes."""

    def integer(value: Any) -> bool:
        return isinstance(value, int)

    def sized(value: Any) -> bool:
        return isinstance(value, (str, list, tuple))

    if operator == "**" and integer(left) and integer(right):
        return right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > MAX_INTEGER_BITS
    if operator == "*":
        if integer(left) and integer(right):
            return left.bit_length() + right.bit_length() > MAX_INTEGER_BITS
        if sized(left) and integer(right) or sized(right) and integer(left):
            sequence, times = (left, right) if sized(left) else (right, left)
            return _size(sequence) * times > MAX_ITEMS
    if operator == "+" and sized(left) and sized(right):
        return _size(left) + _size(right) > MAX_ITEMS
    return False


__all__ = ["MAX_INTEGER_BITS", "MAX_ITEMS", "Sandbox", "TooBig", "check_percent", "too_big"]
