"""Which fonts this machine sets a document's text in (fontconfig's fc-match, as LibreOffice finds them), said for people."""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from docgen.output.doctor import Check, ask
from docgen.text.messages import Listed, Phrase, say


@dataclass(frozen=True)
class FontMatch:
    """A font asked for, and what the machine sets its text in."""

    asked: str
    east_asian: bool  # asked for Chinese (East Asian) text; matched as fontconfig does for Chinese
    used: str | None  # the family the machine uses; None when fontconfig names none
    installed: bool  # the font itself is on the machine

    @property
    def substituted(self) -> bool:
        return not self.installed

    @property
    def same_widths(self) -> bool:
        """Replaced by a font made with the same character widths: lines and pages break as with the real one."""
        return not self.installed and self.used is not None and _folded(self.used) in _TWINS.get(_folded(self.asked), ())

    @property
    def replaced(self) -> bool:
        """Replaced by a font that sets its text differently."""
        return self.substituted and not self.same_widths


# Free fonts made to the widths of common Windows fonts (Liberation, Carlito, Caladea; on Debian
# fonts-liberation2, fonts-crosextra-carlito, fonts-crosextra-caladea), as fontconfig's metric aliases pair them.
_TWINS = {
    "arial": ("liberationsans", "arimo"),
    "timesnewroman": ("liberationserif", "tinos"),
    "couriernew": ("liberationmono", "cousine"),
    "calibri": ("carlito",),
    "cambria": ("caladea",),
}


def match_fonts(asked: Mapping[str, bool]) -> list[FontMatch] | None:
    """Each font asked for (East Asian ones first, then by name) as the machine matches it; None without fc-match.

    Windows and macOS have no fc-match; their LibreOffice finds fonts another way, which docgen does not check.
    """
    if shutil.which("fc-match") is None:
        return None
    order = sorted(asked.items(), key=lambda item: (not item[1], item[0].casefold()))
    return [_match(font, east_asian) for font, east_asian in order]


def _match(font: str, east_asian: bool) -> FontMatch:
    families = _fc_match(font, east_asian)
    installed = any(_folded(family) == _folded(font) for family in families)
    return FontMatch(font, east_asian, families[0] if families else None, installed)


def _folded(name: str) -> str:
    return "".join(name.split()).casefold()


@functools.lru_cache(maxsize=256)
def _fc_match(font: str, east_asian: bool) -> tuple[str, ...]:
    """The family names (the first is the one in use, then its other names: SimSun, 宋体) fontconfig gives a font."""
    pattern = "".join("\\" + ch if ch in "\\-:,=" else ch for ch in font)
    if east_asian:
        pattern += ":lang=zh-cn"  # as LibreOffice asks for Chinese text: a Chinese font, not the first Latin one
    try:
        found = ask(["fc-match", "-f", "%{family}", pattern]).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    names = found.replace("\\,", "\0").split(",")  # fontconfig escapes a comma inside a name
    return tuple(name.replace("\0", ",").strip() for name in names if name.strip())


def font_checks(asked: Mapping[str, bool]) -> list[Check]:
    """docgen doctor's lines for the fonts the templates ask for: one a font, a warning where one is replaced."""
    matches = match_fonts(asked)
    if matches is None:
        return [Check(say("doctor.template_fonts"), True, say("doctor.template_fonts.unchecked",
                                                              fonts=Listed(sorted(asked))))]
    replaced = [match for match in matches if match.replaced]
    hint = _hint(replaced) if replaced else None
    checks = []
    for match in matches:
        name = say("doctor.font.east_asian" if match.east_asian else "doctor.font.latin", font=match.asked)
        if not match.substituted:
            checks.append(Check(name, True, say("doctor.font.installed")))
        elif match.same_widths:
            checks.append(Check(name, True, say("doctor.font.same_widths", used=match.used)))
        elif match.used is None:
            checks.append(Check(name, False, say("doctor.font.none"), hint=hint))
        else:
            checks.append(Check(name, True, say("doctor.font.substituted", used=match.used), hint=hint, warning=True))
    return checks


def substituted_fonts(asked: Mapping[str, bool]) -> Phrase | None:
    """The warning a PDF step gives once for its run: the fonts replaced, by what, and what to do; None if none is."""
    matches = match_fonts(asked) or []
    replaced = [match for match in matches if match.replaced]
    if not replaced:
        return None
    pairs = Listed(
        say("fonts.pair", asked=match.asked, used=match.used) if match.used else say("fonts.pair.none", asked=match.asked)
        for match in replaced
    )
    return say("fonts.substituted", pairs=pairs, hint=_hint(replaced))


def _hint(replaced: list[FontMatch]) -> Phrase:
    """How to get the replaced fonts, or others: the real ones, fonts of the same widths where there are some."""
    twins = any(_folded(match.asked) in _TWINS for match in replaced)
    return say("fonts.hint", fonts=Listed(match.asked for match in replaced), twins=say("fonts.twins") if twins else "")
