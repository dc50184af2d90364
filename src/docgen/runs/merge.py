"""Classic mail merge: a Word template filled once per row of a sheet, docxtpl tags or Word MERGEFIELDs alike.

- **The data.** One sheet (`--sheet`, else the first visible one): its header
  row is the first row that is not a title (one value, or one merged range,
  above wider rows); each later non-blank row is one document.
- **Typed values and shown text.** A cell keeps its type (a number, TRUE or
  FALSE, a date), so `{% if %}`, comparisons and arithmetic work; printed,
  it reads as the sheet shows it. `row.text` holds every cell as that text
  (docs/merge.md).
- **docxtpl templates.** Each column is a variable: `{{ 姓名 }}` works for any
  header that is a valid name (Chinese included); every column is also in
  the mapping `row`, so a header with spaces or punctuation reads
  `{{ row['客户 名称'] }}`.
- **Word mail-merge templates.** Each MERGEFIELD («姓名», simple or complex
  field) is replaced by the tag of the column's shown text (case, width,
  spaces and underscores do not matter) before rendering; a field naming no
  column stops the run before anything is written. Field switches (\\* Upper,
  \\@ "date format", \\b, \\f) and Word's other mail-merge fields (IF,
  NEXT, AddressBlock) are not interpreted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from lxml import etree

from docgen.input import schema
from docgen.errors import CellError, DocgenError, Location, TemplateError, UsageError
from docgen.output.files import path_inside
from docgen.output.naming import check_pattern, name_from_pattern, numbered_name, pattern_fields
from docgen.report.narrative import DEFAULT_THRESHOLDS
from docgen.runs.engine import Job, Progress, RunSettings, run_jobs
from docgen.runs.records import Document, Failure, Kind, Outcome, RunResult
from docgen.runs.template_cache import compiled_template
from docgen.input.reader import Cell, ErrorValue, FormulaWithoutValue, Sheet, read_workbook
from docgen.word.template_check import refuse_broken_template
from docgen.input.workbook import cell_text

HEADER_SEARCH_ROWS = 20


# --- the data sheet --------------------------------------------------------------


# What a cell gives a template: its text, a whole number as an int, TRUE/FALSE as a
# bool, a date or time as Python's own; "" for an empty cell.
MergeValue = Union[str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta]


@dataclass(frozen=True)
class DataRow:
    number: int  # the sheet's row number, as Excel shows it
    values: dict[str, MergeValue]  # column header → the cell's typed value
    texts: dict[str, str]  # column header → the cell as the sheet shows it
    problem: DocgenError | None = None  # a cell that holds no usable value


@dataclass(frozen=True)
class DataTable:
    source: str
    sheet: str
    columns: tuple[str, ...]
    rows: tuple[DataRow, ...]


def read_table(path: str | Path, sheet: str | None = None) -> DataTable:
    """The rows of one sheet, each as {header: typed value} and {header: text as shown}, for a mail merge."""
    sheets = read_workbook(path)
    chosen = _choose_sheet(str(path), sheets, sheet)
    rows = [row for row in chosen.rows if any(cell_text(cell) for cell in row)]
    where = Location(file=str(path), sheet=chosen.name)
    if not rows:
        raise UsageError("the sheet is empty", location=where, hint="Put a header row and one row per document.")
    header = _header_row(rows)
    columns: dict[int, str] = {}
    seen: dict[str, Cell] = {}
    for cell in header:
        name = cell_text(cell)
        if not name:
            continue
        folded = _folded(name)
        if folded in seen:
            raise CellError(
                f"the column “{name}” appears twice (first in {seen[folded].coordinate})",
                location=Location(file=str(path), sheet=chosen.name, cell=cell.coordinate),
                hint="Rename one of the two columns: a template names a column by its header.",
            )
        seen[folded] = cell
        columns[cell.column] = name
    data = []
    for row in rows:
        if row[0].row <= header[0].row:
            continue
        values, texts, problem = {}, {}, None
        for cell in row:
            if cell.column not in columns:
                continue
            if isinstance(cell.value, (FormulaWithoutValue, ErrorValue)) and problem is None:
                problem = CellError(
                    f"column “{columns[cell.column]}”: "
                    + (f"the cell shows the error {cell.value}" if isinstance(cell.value, ErrorValue)
                       else "the formula has no computed value"),
                    location=Location(file=str(path), sheet=chosen.name, cell=cell.coordinate),
                    hint="Open the file in Excel, WPS or LibreOffice, correct or recalculate it, and save it.",
                )
            values[columns[cell.column]] = typed_value(cell)
            texts[columns[cell.column]] = cell_text(cell)
        row_texts = {name: texts.get(name, "") for name in columns.values()}
        if any(row_texts.values()):
            row_values = {name: values.get(name, "") for name in columns.values()}
            data.append(DataRow(row[0].row, row_values, row_texts, problem))
    if not data:
        raise UsageError(
            "the sheet has a header row but no rows below it",
            location=where,
            hint="Add one row per document under the header.",
        )
    return DataTable(str(path), chosen.name, tuple(columns.values()), tuple(data))


def typed_value(cell: Cell) -> MergeValue:
    """A cell's value for a template: whole numbers as int; "" for an empty cell, an error, an uncomputed formula."""
    value = cell.value
    if value is None or isinstance(value, (FormulaWithoutValue, ErrorValue)):
        return ""
    if isinstance(value, str):
        return value.strip()  # as cell_text shows it
    # The file stores 1200 as 1200.0: as an int, {{ 金额 + 1 }} prints 1201 and range(数量) works.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _header_row(rows: Sequence[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """The first row that is not a title: one value (a cell, or one merged range) above wider rows."""
    window = rows[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(window):
        filled = [cell for cell in row if cell_text(cell)]
        one_value = len(filled) == 1 or (len({cell_text(c) for c in filled}) == 1 and filled[0].merged_range)
        wider_below = any(sum(1 for cell in later if cell_text(cell)) > 1 for later in window[index + 1 :])
        if not (one_value and wider_below):
            return row
    return rows[0]


def _choose_sheet(path: str, sheets: Sequence[Sheet], wanted: str | None) -> Sheet:
    if wanted is not None:
        for sheet in sheets:
            if schema.normalize_name(sheet.name) == schema.normalize_name(wanted):
                return sheet
        raise UsageError(
            f"there is no sheet “{wanted}”",
            location=Location(file=path),
            hint="Sheets: " + ", ".join(sheet.name for sheet in sheets) + ".",
        )
    for sheet in sheets:
        if not sheet.hidden and sheet.rows:
            return sheet
    raise UsageError("the workbook has no sheet with data", location=Location(file=path),
                     hint="Put the rows on the first sheet, or name the sheet with --sheet.")


def _folded(name: str) -> str:
    """A column or field name for matching: width, case, spaces and Word's underscores do not matter."""
    return schema.normalize_name(name.replace("_", " "))


class _PrintsAsShown:
    """A typed value that prints as its cell shows it (1200, 12.5%, 2026-10-31 09:30), and computes as a value.

    A result of arithmetic is a plain value again, printed as Python prints it.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return getattr(self, "shown", None) or super().__str__()


class CellInt(_PrintsAsShown, int):
    pass


class CellFloat(_PrintsAsShown, float):
    pass


class CellDate(_PrintsAsShown, dt.date):
    pass


class CellDateTime(_PrintsAsShown, dt.datetime):
    pass


class CellTime(_PrintsAsShown, dt.time):
    pass


def _printing_as_shown(value: MergeValue, text: str) -> MergeValue:
    # bool cannot be subclassed (it prints True/False; row.text has TRUE/FALSE); a text is its own text.
    if isinstance(value, (bool, str, dt.timedelta)):
        return value
    if isinstance(value, int):
        typed = CellInt(value)
    elif isinstance(value, float):
        typed = CellFloat(value)
    elif isinstance(value, dt.datetime):
        typed = CellDateTime.combine(value.date(), value.timetz())
    elif isinstance(value, dt.date):
        typed = CellDate.fromordinal(value.toordinal())
    elif isinstance(value, dt.time):
        typed = CellTime(value.hour, value.minute, value.second, value.microsecond, value.tzinfo, fold=value.fold)
    else:
        return value
    typed.shown = text
    return typed


class TemplateRow(Mapping):
    """The `row` a template sees: row['金额'] the typed value, row.text['金额'] the text the sheet shows.

    A Mapping, not a dict: the renderer copies every dict of a context into a
    plain one, which would lose `text`, and makes the texts in those dicts safe
    for Word, so row_context does that for a TemplateRow.
    """

    __slots__ = ("_values", "text")

    def __init__(self, values: dict[str, MergeValue], texts: dict[str, str]) -> None:
        self._values = values
        self.text = texts

    def __getitem__(self, column: str) -> MergeValue:
        return self._values[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"TemplateRow({self._values!r}, text={self.text!r})"


def row_context(values: dict[str, MergeValue], texts: dict[str, str]) -> dict:
    """What a template sees for one row: each column by name where it is one, and all of them in `row`."""
    from docgen.word.ooxml import clean_text  # the word layer's rule for what Word can hold; docxtpl loads with it

    texts = {name: clean_text(text) for name, text in texts.items()}
    typed = {
        name: clean_text(value) if isinstance(value, str) else _printing_as_shown(value, texts[name])
        for name, value in values.items()
    }
    context = {name: value for name, value in typed.items() if name.isidentifier() and name != "row"}
    context["row"] = TemplateRow(typed, texts)
    return context


# --- Word MERGEFIELDs --------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MERGEFIELD = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)
# The parts of a document that can hold fields.
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


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
    by_name = {_folded(column): column for column in columns}
    unknown = [name for name in merge_field_names(template) if _folded(name) not in by_name]
    if unknown:
        suggestions = []
        for name in unknown:
            close = difflib.get_close_matches(_folded(name), list(by_name), n=1, cutoff=0.5)
            suggestions.append(f"«{name}»" + (f" (did you mean “{by_name[close[0]]}”?)" if close else ""))
        raise UsageError(
            "the template's merge fields " + ", ".join(suggestions) + " name no column of the data sheet",
            location=Location(file=str(template)),
            hint="Columns: " + ", ".join(columns) + ". Rename the column or the field so that they match.",
        )
    converted = 0
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item)
            if _PARTS.match(item.filename):
                root = etree.fromstring(data, _parser())
                count = _replace_fields(root, lambda name: _tag(by_name[_folded(name)]))
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


# --- rendering a row ----------------------------------------------------------------

# Jinja names the class of what it could not find a key in: say "row" instead.
_NO_SUCH_COLUMN = re.compile(r"'[\w.]*TemplateRow object' has no attribute ('[^']*')")


def render_row(template: Path, row: DataRow, columns: tuple[str, ...]) -> Document:
    """A worker's job for one row: the filled template's .docx (the template compiled once per worker)."""
    # The context is made here, in the worker: the job carries the row's plain values.
    context = row_context(row.values, row.texts)
    try:
        return Document(compiled_template(template, DEFAULT_THRESHOLDS).render(context))
    except TemplateError as error:
        if "does not provide" not in error.message:
            raise
        raise TemplateError(
            _NO_SUCH_COLUMN.sub(r"row has no column \1",
                                error.message.replace("docgen does not provide", "the data sheet does not have")),
            location=error.location,
            hint="Columns: " + ", ".join(columns) + ". A header that is not a plain name is written "
            "{{ row['客户 名称'] }}.",
        ) from None


# --- a merge run -------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeOptions:
    sheet: str | None = None
    name: str | None = None  # the --name pattern; None: "{n}-{first column}.docx"


def default_name(columns: Sequence[str]) -> str:
    first = next((column for column in columns if "{" not in column and "}" not in column), None)
    return "{n}-{" + first + "}.docx" if first else "{n}.docx"


def run_merge(
    template: str | Path,
    data: str | Path,
    options: MergeOptions,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
) -> RunResult:
    """Fill the template once per row of the data sheet, one document each, into settings.output_dir."""
    template, data = Path(template), Path(data)
    _require_template(template)
    # A template every row would fail on (a syntax error, a tag the sandbox refuses) stops the run at once.
    refuse_broken_template(template)
    table = read_table(data, options.sheet)
    pattern = options.name or default_name(table.columns)
    check_pattern(pattern, ["n", "row", "file", *table.columns])
    digest = hashlib.sha256()
    for path in (data, template):
        digest.update(path.read_bytes())
    work = Path(tempfile.mkdtemp(prefix="docgen-merge-"))
    try:
        prepared = work / template.name  # errors name the file the user gave
        if merge_field_names(template):
            convert_merge_fields(template, prepared, table.columns)
        else:
            shutil.copyfile(template, prepared)
        jobs, failures = _plan(table, prepared, pattern, digest.hexdigest(), settings)
        return run_jobs(jobs, settings, failures=failures, progress=progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _require_template(template: Path) -> None:
    from docgen.paths import check_input

    check_input(template)  # a FIFO or a device would never end
    if not template.is_file():
        raise TemplateError("template not found", location=Location(file=str(template)), hint="Check the path.")
    if not zipfile.is_zipfile(template):
        raise TemplateError(
            "is not a Word .docx file",
            location=Location(file=str(template)),
            hint="Save the template from Word or LibreOffice as .docx (Word 2007-365).",
        )


def _plan(table: DataTable, template: Path, pattern: str, digest: str, settings: RunSettings):
    width = len(str(len(table.rows)))
    taken: set[str] = set()
    if settings.combine is not None:
        taken.add(Path(settings.combine).name.casefold())
    jobs, failures = [], []
    label_column = next((c for c in table.columns if c in pattern_fields(pattern)), table.columns[0])
    for index, row in enumerate(table.rows, start=1):
        fields = {**row.texts, "n": str(index).zfill(width), "row": str(row.number), "file": Path(table.source).stem}
        name = numbered_name(name_from_pattern(pattern, fields, fallback=f"row-{row.number}"), taken)
        key = f"{Kind.MERGE}:{Path(table.source).resolve()}:{table.sheet}:{row.number}"
        person = row.texts.get(label_column, "")
        if row.problem is not None:
            failures.append(
                Outcome.failure(Failure.of(row.problem), input=table.source, person=person, kind=Kind.MERGE,
                                row=str(row.number), output=str(settings.output_dir / name), input_hash=digest,
                                key=key)
            )
            continue
        jobs.append(
            Job(
                key=key,
                input=table.source,
                person=person,
                kind=Kind.MERGE,
                output=str(path_inside(settings.output_dir, name)),
                input_hash=digest,
                render=render_row,
                args=(template, row, table.columns),
                row=row.number,
            )
        )
    return jobs, failures


__all__ = [
    "DataRow",
    "DataTable",
    "MergeOptions",
    "MergeValue",
    "TemplateRow",
    "convert_merge_fields",
    "default_name",
    "merge_field_names",
    "read_table",
    "render_row",
    "row_context",
    "run_merge",
    "typed_value",
]
