"""The index of first lines and titles: every piece by its first line and by its title, in the order of the language.

A book of poems is looked up by how a poem begins as often as by its name,
so the index lists both, in one alphabet.  (To be completed: the first line
of prose, collation with pyuca, grouping by letter.)
"""

from __future__ import annotations

from dataclasses import dataclass

from ssg.model import Piece, Site


@dataclass(frozen=True)
class Entry:
    """One line of the index: a piece's first line, or its title."""

    text: str
    kind: str
    """``first line`` or ``title``."""
    piece: Piece


@dataclass(frozen=True)
class Letter:
    """The entries that sort under one letter."""

    letter: str
    entries: tuple[Entry, ...]


def first_line_of(body_html: str, form: str) -> str:
    """How a piece begins, as a reader quotes it: a poem's first line, prose's opening words up to a natural break."""
    return ""


def index(site: Site) -> tuple[Letter, ...]:
    """Every published piece by its first line and by its title, in the collation of the site's language, by letter."""
    entries = [Entry(piece.title, "title", piece) for piece in site.pieces]
    return (Letter("", tuple(entries)),) if entries else ()
