"""Which pages a change makes dirty.

A full rebuild compares the inputs of every page.  Most edits, though, leave
the structure of the site as it was: the same pieces with the same slugs,
titles, dates, weights, tags and drafts — a changed body or summary.  Then
the plan is the same, and a page's inputs can change only through the pieces
and tags it reads: the :class:`Readers` index names those pages, and only
they are compared.  Anything else (a new, removed or re-dated piece, new
tags, a layout, a static file, a piece coming due) takes the full path: an
unsure dependency widens a rebuild, never narrows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from ssg.load import Loaded
from ssg.model import Config, Page, Piece, Site, Tag

ALWAYS = "*"
"""The key of pages that read the whole site: they are compared on every rebuild."""


def structure_of(piece: Piece) -> tuple:
    """What the index and the plan read of a piece; equal structures, equal plans."""
    return (piece.source, piece.slug, piece.title, piece.date, piece.weight, piece.tags, piece.tag_keys, piece.draft)


@dataclass(frozen=True)
class Indexed:
    """What the last good build indexed and planned, to be reused when the structure holds."""

    loaded: Loaded
    site: Site
    """The indexed site, before links were resolved."""
    pages: tuple[Page, ...]
    next_due: datetime | None
    """The earliest date of a piece still in the future at that build: when it comes, the site changes."""


def due_after(loaded: Loaded, now: datetime) -> datetime | None:
    return min((piece.date for piece in loaded.pieces if piece.date > now), default=None)


def swap_changed_pieces(last: Indexed, loaded: Loaded, now: datetime) -> Site | None:
    """The last indexed site with the changed pieces swapped in, or None if its structure changed."""
    if last.next_due is not None and now >= last.next_due:
        return None
    if loaded.welcome_html != last.loaded.welcome_html or loaded.static_files != last.loaded.static_files:
        return None
    if len(loaded.pieces) != len(last.loaded.pieces):
        return None
    swapped: dict[str, Piece] = {}
    for new, old in zip(loaded.pieces, last.loaded.pieces):
        if new is not old:
            if structure_of(new) != structure_of(old):
                return None
            swapped[new.slug] = new
    if not swapped:
        return last.site
    return replace(last.site, pieces=tuple(swapped.get(piece.slug, piece) for piece in last.site.pieces))


def changed_keys(old: Site, new: Site) -> set[str]:
    """Keys of the pieces and tags that are not the very objects of the old site."""
    keys = {piece_key(piece.slug) for piece, before in zip(new.pieces, old.pieces) if piece is not before}
    keys |= {tag_key(tag.key) for tag, before in zip(new.tags, old.tags) if tag is not before}
    if len(new.pieces) != len(old.pieces) or len(new.tags) != len(old.tags):
        keys.add(ALWAYS)
    return keys


def piece_key(slug: str) -> str:
    return f"piece:{slug}"


def tag_key(key: str) -> str:
    return f"tag:{key}"


def references(value: object) -> Iterable[str]:
    """The keys of every piece and tag a page's context holds, however deep."""
    if isinstance(value, Piece):
        yield piece_key(value.slug)
    elif isinstance(value, Tag):
        yield tag_key(value.key)
    elif isinstance(value, Site):
        yield ALWAYS
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from references(item)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, (Page, Config)):
        for name in value.__dataclass_fields__:
            yield from references(getattr(value, name))


class Readers:
    """Which pages read which pieces and tags: key → out_files."""

    def __init__(self) -> None:
        self._pages: dict[str, set[str]] = defaultdict(set)

    def clear(self) -> None:
        self._pages.clear()

    def record(self, out_file: str, keys: Iterable[str]) -> None:
        for key in keys:
            self._pages[key].add(out_file)

    def of(self, keys: Iterable[str]) -> set[str]:
        """The pages to compare again when the pieces and tags of `keys` changed."""
        pages = set(self._pages.get(ALWAYS, ()))
        for key in keys:
            if key == ALWAYS:
                return {page for pages_of_key in self._pages.values() for page in pages_of_key}
            pages |= self._pages.get(key, set())
        return pages
