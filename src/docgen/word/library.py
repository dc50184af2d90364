"""Finds the template for a report's period, level, language and variant, and says why (docs/templates.md)."""

from __future__ import annotations

import functools
import os
import re
import tomllib
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from docgen.input import schema
from docgen.errors import Location, TemplateError, UsageError
from docgen.text.messages import Clauses, Listed, Phrase, say
from docgen.word.package_check import PackageRefused, check_package

MANIFEST_NAME = "templates.toml"
ENV_VARIABLE = "DOCGEN_TEMPLATES"

# Where a library comes from, in the order libraries are searched.
FROM_OPTION = "--templates"
FROM_ENV = ENV_VARIABLE
FROM_CONFIG = "docgen.toml"
FROM_BUILTIN = "built-in"

_NAME = re.compile(r"^(?P<period>[^-.]+)-(?P<level>[^.]+)\.(?P<lang>[^.]+)(?:\.(?P<variant>[^.]+))?\.docx$", re.I)


@dataclass(frozen=True)
class TemplateKey:
    """What a template is for: `monthly-team.zh`, or `monthly-team.zh.east` for a variant."""

    period: str
    level: str
    lang: str
    variant: str | None = None

    def __str__(self) -> str:
        return f"{self.period}-{self.level}.{self.lang}" + (f".{self.variant}" if self.variant else "")

    @property
    def filename(self) -> str:
        return f"{self}.docx"

    @property
    def plain(self) -> TemplateKey:
        return TemplateKey(self.period, self.level, self.lang)


def parse_key(text: str) -> TemplateKey | None:
    """A key from `monthly-team.zh`, `monthly-team.zh.east` or a file name; None when it is not one."""
    name = text if text.lower().endswith(".docx") else f"{text}.docx"
    found = _NAME.match(Path(name).name)
    if not found:
        return None
    period, level, lang = (found.group(g).lower() for g in ("period", "level", "lang"))
    if period not in schema.PERIODS or level not in schema.LEVELS or lang not in schema.LANGUAGES:
        return None
    return TemplateKey(period, level, lang, found.group("variant"))


@dataclass(frozen=True)
class Entry:
    """One template of a library: the file that serves a key."""

    key: TemplateKey
    path: Path
    description: str = ""
    from_manifest: bool = False

    @property
    def exists(self) -> bool:
        return self.path.is_file()


@dataclass(frozen=True)
class Library:
    """A folder of templates, and where it was named (--templates, DOCGEN_TEMPLATES, docgen.toml, built-in)."""

    folder: Path
    origin: str

    @property
    def builtin(self) -> bool:
        return self.origin == FROM_BUILTIN

    def __str__(self) -> str:
        return "built-in" if self.builtin else f"{self.folder} ({self.origin})"

    @functools.cached_property
    def _index(self) -> tuple[dict[TemplateKey, Entry], list[tuple[str, str]]]:
        # A batch run chooses a template per report: each folder is read once while it is unchanged.
        manifest = self.folder / MANIFEST_NAME
        manifest_version = manifest.stat().st_mtime_ns if manifest.is_file() else 0
        return _scan_once(str(self.folder), self.folder.stat().st_mtime_ns, manifest_version)

    @property
    def entries(self) -> dict[TemplateKey, Entry]:
        """The templates the library serves, by key; read once."""
        return self._index[0]

    @property
    def ignored(self) -> list[tuple[str, str]]:
        """Files in the folder that serve no key, each with the reason."""
        return self._index[1]

    def entry(self, key: TemplateKey) -> Entry:
        """The library's entry for a key; one whose file does not exist when the library has none."""
        return self.entries.get(key) or Entry(key, self.folder / key.filename)


@functools.lru_cache(maxsize=32)
def _scan_once(folder: str, _version: int, _manifest_version: int) -> tuple[dict, list]:
    return _scan(Path(folder))


def _scan(folder: Path) -> tuple[dict[TemplateKey, Entry], list[tuple[str, str]]]:
    entries: dict[TemplateKey, Entry] = {}
    ignored: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        name = path.name
        if name.startswith(("~$", ".")) or not path.is_file():
            continue  # Word's lock files, hidden files, sub-folders
        lower = name.lower()
        if lower.endswith((".dotx", ".doc", ".odt")):
            ignored.append((name, say("library.not_docx_file")))
            continue
        if not lower.endswith(".docx"):
            continue
        key = parse_key(name)
        if key is None:
            ignored.append((name, _why_not_a_key(name)))
        elif key in entries:
            ignored.append((name, say("library.same_key", name=entries[key].path.name)))
        else:
            entries[key] = Entry(key, path)
    manifest = folder / MANIFEST_NAME
    if manifest.is_file():
        for entry in read_manifest(manifest):
            shadowed = entries.get(entry.key)
            if shadowed is not None and shadowed.path != entry.path:
                gives = say("library.manifest_gives", manifest=MANIFEST_NAME, name=entry.path.name, key=entry.key)
                ignored.append((shadowed.path.name, gives))
            entries[entry.key] = entry
    return entries, ignored


def _why_not_a_key(name: str) -> str:
    found = _NAME.match(name)
    if not found:
        return say("library.not_named", manifest=MANIFEST_NAME)
    bad = []
    for part, allowed in (("period", schema.PERIODS), ("level", schema.LEVELS), ("lang", schema.LANGUAGES)):
        if found.group(part).lower() not in allowed:
            bad.append(say("library.not_one_of", part=part, value=found.group(part), allowed=Listed(allowed)))
    return Clauses(bad)


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a library's templates.toml: [[template]] tables with file, period, level, lang."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise _manifest_error(path, say("library.manifest.not_toml", error=error)) from None
    tables = raw.get("template", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise _manifest_error(path, say("library.manifest.not_tables"))
    entries = []
    for number, table in enumerate(tables, start=1):
        problems = []
        values = {}
        for name, parse in (
            ("period", schema.parse_period),
            ("level", schema.parse_level),
            ("lang", schema.parse_language),
        ):
            value = parse(table.get(name)) if isinstance(table.get(name), str) else None
            if value is None:
                allowed = Listed(_allowed(name))
                problems.append(say("library.manifest.not_one_of", name=name, value=repr(table.get(name)), allowed=allowed))
            values[name] = value
        file = table.get("file")
        if not isinstance(file, str) or not file.strip():
            problems.append(say("library.manifest.no_file"))
        variant = table.get("variant")
        if variant is not None and (not isinstance(variant, str) or not re.fullmatch(r"[^\s./\\]+", variant)):
            problems.append(say("library.manifest.variant", value=repr(variant)))
        unknown = sorted(set(table) - {"file", "period", "level", "lang", "variant", "description"})
        if unknown:
            key = "library.manifest.unknown.plural" if len(unknown) > 1 else "library.manifest.unknown"
            problems.append(say(key, keys=Listed(unknown)))
        if problems:
            raise _manifest_error(path, say("library.manifest.entry", number=number, problems=Clauses(problems)))
        key = TemplateKey(values["period"], values["level"], values["lang"], variant)
        description = table.get("description", "")
        entries.append(Entry(key, path.parent / file.strip(), str(description), from_manifest=True))
    return entries


def _allowed(name: str) -> tuple[str, ...]:
    return {"period": schema.PERIODS, "level": schema.LEVELS, "lang": schema.LANGUAGES}[name]


def _manifest_error(path: Path, what: str) -> UsageError:
    return UsageError(
        say("library.manifest", what=what), location=Location(file=str(path)), hint=say("library.manifest.hint")
    )


# -- what a template shows ----------------------------------------------------------

_CHART_TAG = re.compile(r"\bcharts\s*(?:\.\s*(\w+)|\[\s*[\'\"](\w+)[\'\"]\s*\])")
_XML_TAG = re.compile(r"<[^>]+>")


def charts_used(template: Path) -> frozenset[str]:
    """The chart names a template refers to (`charts.trend`), read from its body, headers and footers."""
    path = Path(template)
    stat = path.stat()
    return _charts_used(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _charts_used(path: str, _mtime: int, _size: int) -> frozenset[str]:
    # Cached by file version: a batch run reads each template once.
    names: set[str] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            check_package(archive)  # a zip bomb is not unpacked here either
            for name in archive.namelist():
                if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                    # Tags may be split over runs: the text without its XML reads them whole.
                    text = _XML_TAG.sub("", archive.read(name).decode("utf-8", "replace"))
                    names |= {a or b for a, b in _CHART_TAG.findall(text)}
    except (OSError, zipfile.BadZipFile, PackageRefused):
        return frozenset()  # render_docx reports an unreadable or unsafe template
    return frozenset(names)


# -- where the libraries are --------------------------------------------------------


def builtin_dir() -> Path:
    """The folder of built-in templates, from the installed package or the source tree."""
    # An installed docgen carries them as docgen/builtin_templates (see pyproject.toml).
    packaged = Path(str(resources.files("docgen"))) / "builtin_templates"
    if packaged.is_dir() and any(packaged.glob("*.docx")):
        return packaged
    # Running from a source checkout without installing: templates/docx/ beside src/.
    return Path(__file__).resolve().parents[3] / "templates" / "docx"


def builtin_templates() -> list[Path]:
    return sorted(builtin_dir().glob("*.docx"))


def builtin_library() -> Library:
    return Library(builtin_dir(), FROM_BUILTIN)


def search_path(
    option_folders: Sequence[Path] = (),
    config_folders: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
) -> list[Library]:
    """The libraries in the order they are searched, the built-ins last; a folder named twice counts once."""
    environ = os.environ if environ is None else environ
    env_folders = [Path(p) for p in environ.get(ENV_VARIABLE, "").split(os.pathsep) if p.strip()]
    libraries: list[Library] = []
    seen: set[Path] = set()
    for origin, folders in ((FROM_OPTION, option_folders), (FROM_ENV, env_folders), (FROM_CONFIG, config_folders)):
        for folder in folders:
            folder = Path(folder)
            if not folder.is_dir():
                raise UsageError(
                    say("library.no_folder"),
                    location=Location(file=str(folder)),
                    hint=_missing_library_hint(origin),
                )
            resolved = folder.resolve()
            if resolved not in seen:
                seen.add(resolved)
                libraries.append(Library(folder, origin))
    libraries.append(builtin_library())
    return libraries


def _missing_library_hint(origin: str) -> str:
    if origin == FROM_ENV:
        return say("library.no_folder.env", variable=ENV_VARIABLE, separator=os.pathsep)
    return say("library.no_folder.option" if origin == FROM_OPTION else "library.no_folder.config")


# -- choosing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One file considered for a report, in the order of the search."""

    entry: Entry
    library: Library | None  # None for a file given with --template

    @property
    def exists(self) -> bool:
        return self.entry.exists


@dataclass(frozen=True)
class TemplateChoice:
    path: Path
    reason: Phrase  # why this template, said in any language
    key: TemplateKey | None = None
    library: Library | None = None
    candidates: tuple[Candidate, ...] = field(default=())


def candidates(key: TemplateKey, libraries: Iterable[Library]) -> list[Candidate]:
    """Every file considered for a key, in order: per library the variant's, then the plain one."""
    found = []
    for library in libraries:
        keys = [key, key.plain] if key.variant and not library.builtin else [key.plain]
        for wanted in keys:
            found.append(Candidate(library.entry(wanted), library))
    return found


def choose_template(
    period: str,
    level: str,
    lang: str,
    *,
    explicit: Path | None = None,
    libraries: Sequence[Library] | None = None,
    variant: str | None = None,
) -> TemplateChoice:
    """The template a run uses: --template when given, else the first candidate of the fallback order."""
    key = TemplateKey(period, level, lang, variant or None)
    if explicit is not None:
        given = Candidate(Entry(key, Path(explicit)), None)
        return TemplateChoice(Path(explicit), say("library.given"), key, None, (given,))
    libraries = list(libraries) if libraries is not None else [builtin_library()]
    considered = candidates(key, libraries)
    winner = next((c for c in considered if c.exists), None)
    if winner is None:
        raise TemplateError(
            say("library.none", key=key),
            location=Location(file=str(considered[-1].entry.path) if considered else None),
            hint=say("library.none.hint", tried=Listed(str(c.entry.path) for c in considered)),
        )
    return TemplateChoice(
        winner.entry.path, _reason(winner, considered), key, winner.library, tuple(considered)
    )


def _reason(winner: Candidate, considered: list[Candidate]) -> Phrase:
    entry, library = winner.entry, winner.library
    if library is not None and library.builtin:
        key = "library.reason.builtin_only" if considered.index(winner) > 0 else "library.reason.builtin"
        return say(key, key=entry.key)
    via = say("library.reason.via", manifest=MANIFEST_NAME) if entry.from_manifest else ""
    what = "library.reason.variant" if entry.key.variant else "library.reason.plain"
    return say(what, key=entry.key, folder=library.folder, origin=library.origin, via=via)


def explain_choice(choice: TemplateChoice, lang: str) -> list[str]:
    """Every candidate in the order considered, marked, and why the winner won, said in `lang`: for `templates explain`."""
    lines = []
    if choice.library is None and choice.candidates and choice.reason == say("library.given"):
        return [say("library.explain.given", path=choice.path).in_language(lang)]
    winner_index = next((i for i, c in enumerate(choice.candidates) if c.exists), None)
    for index, candidate in enumerate(choice.candidates):
        if candidate.library.builtin:
            where = say("templates.builtin").in_language(lang)
        else:
            where = f"{candidate.library.origin} {candidate.library.folder}"
        if index == winner_index:
            mark = say("library.mark.chosen")
        elif candidate.exists:
            mark = say("library.mark.later")
        elif candidate.entry.from_manifest:
            mark = say("library.mark.listed_missing", manifest=MANIFEST_NAME)
        else:
            mark = say("library.mark.absent")
        lines.append(f"{index + 1}. {candidate.entry.path}  [{where}]  {mark.in_language(lang)}")
    return lines


@dataclass(frozen=True)
class ListingRow:
    """One line of `templates list`: a key, the file serving it and its library."""

    key: TemplateKey
    path: Path
    library: Library
    description: str = ""


def listing(libraries: Sequence[Library], variant: str | None = None) -> tuple[list[ListingRow], list[ListingRow]]:
    """(the chosen template for every period × level × language, the other templates of the user libraries)."""
    chosen: list[ListingRow] = []
    used: set[Path] = set()
    for period in schema.PERIODS:
        for level in schema.LEVELS:
            for lang in schema.LANGUAGES:
                try:
                    choice = choose_template(period, level, lang, libraries=libraries, variant=variant)
                except TemplateError:
                    continue  # a broken install: `templates list` shows what there is
                entry = next(c.entry for c in choice.candidates if c.exists)
                chosen.append(ListingRow(choice.key.plain, choice.path, choice.library, entry.description))
                used.add(choice.path)
    others = [
        ListingRow(entry.key, entry.path, library, entry.description)
        for library in libraries
        if not library.builtin
        for entry in sorted(library.entries.values(), key=lambda e: str(e.key))
        if entry.path not in used
    ]
    return chosen, others
