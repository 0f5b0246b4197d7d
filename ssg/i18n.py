"""The theme's words in the site's language: a catalogue a language, and Babel's plural rules and dates.

A catalogue is a TOML file of ``ssg/theme/locales/`` named by its language
(``fr.toml``): ``[messages]`` maps each English text of the theme to its
translation, ``[plurals]`` each English singular to its forms by Babel's
plural categories (``one``, ``other``, …).  A text missing from a catalogue
stays English; English itself needs none.  Layouts call ``_("Contents")``,
``ngettext("%(num)d piece", "%(num)d pieces", n)`` and ``date | long_date``.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

LOCALES_DIR = Path(__file__).resolve().parent / "theme" / "locales"
DATE_FORMAT = "d MMMM y"
"""A date as the theme writes it, in every language: 5 January 2026, 5 janvier 2026."""


@dataclass(frozen=True)
class Catalogue:
    """The words of one language."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, dict[str, str]] = field(default_factory=dict)

    def gettext(self, message: str, **values: object) -> str:
        text = self.messages.get(message, message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, number: int, **values: object) -> str:
        forms = self.plurals.get(singular)
        if forms:
            text = forms.get(_locale(self.language).plural_form(number)) or forms.get("other") or plural
        else:
            text = singular if number == 1 else plural
        return text % {"num": number, **values}

    def long_date(self, value: date | datetime | None) -> str:
        return "" if value is None else format_date(value, DATE_FORMAT, locale=_locale(self.language))


@functools.cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of a BCP 47 tag: ``fr-CA`` reads ``fr-CA.toml``, else ``fr.toml``; a language without one is English."""
    for name in (language, language.split("-")[0]):
        file = LOCALES_DIR / f"{name}.toml"
        if file.is_file():
            table = tomllib.loads(file.read_text(encoding="utf-8"))
            return Catalogue(language, dict(table.get("messages", {})), {key: dict(forms) for key, forms in table.get("plurals", {}).items()})
    return Catalogue(language)


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")
