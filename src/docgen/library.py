"""Finds the template for a report's period, level and language, and says why it chose it."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import Location, TemplateError


@dataclass(frozen=True)
class TemplateChoice:
    path: Path
    reason: str


def template_key(period: str, level: str, lang: str) -> str:
    """The file name a template for this report has: `{period}-{level}.{lang}.docx`."""
    return f"{period}-{level}.{lang}.docx"


def builtin_dir() -> Path:
    """The folder of built-in templates, from the installed package or the source tree."""
    # An installed docgen carries them as docgen/builtin_templates (see pyproject.toml).
    packaged = Path(str(resources.files("docgen"))) / "builtin_templates"
    if packaged.is_dir() and any(packaged.glob("*.docx")):
        return packaged
    # Running from a source checkout without installing: templates/docx/ beside src/.
    return Path(__file__).resolve().parents[2] / "templates" / "docx"


def builtin_templates() -> list[Path]:
    return sorted(builtin_dir().glob("*.docx"))


def choose_template(
    period: str, level: str, lang: str, *, explicit: Path | None = None
) -> TemplateChoice:
    """The template a run uses: the one given with --template, else the built-in for the key."""
    if explicit is not None:
        return TemplateChoice(Path(explicit), "given with --template")
    key = template_key(period, level, lang)
    candidate = builtin_dir() / key
    if candidate.is_file():
        return TemplateChoice(candidate, f"the built-in template for {key[:-5]}")
    available = ", ".join(path.name for path in builtin_templates()) or "none"
    raise TemplateError(
        f"no built-in template for {key[:-5]}",
        location=Location(file=str(candidate)),
        hint=f"Built-in templates: {available}. Give one with --template FILE.",
    )
