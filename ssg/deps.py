"""What every output file is made from, and which pages a change can reach.

A page is made from its layout (every file its ``extends``, ``include`` and
``import`` reach), the settings, and the values of its context: the pieces,
tags and other plain values the layout receives.  :func:`made_from` reduces
all of that to one digest; a build renders a page again exactly when its
digest differs from the last build's: ``old != new``, never ``is``.

Computing that digest for every page of a large site on every edit would
cost more than the edit, so :class:`Readers` remembers which pages hold each
piece and tag.  It is only an index of the digests' own inputs: when the
structure of the site (see :func:`structure_of`), the layouts and the
settings are as they were, a changed piece can reach no other page than
those that hold it.  Anything else compares every page: an unsure dependency
widens a rebuild, never narrows it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from ssg.firstlines import filing
from ssg.model import Colophon, Config, Contributor, Page, Piece, PieceRef, Section, Site, StaticFiles, Tag, bytes_digest

ALWAYS = "*"
"""The key of pages that read the whole site: they are compared on every rebuild."""

_DIGESTED = (Piece, Tag, Section, Contributor, Colophon, Site, Config, StaticFiles)
"""Values that carry a digest of themselves: a page holds them by that digest."""
_PLAIN = (str, int, float, bool, type(None), datetime, date, Page)
"""Values printed as they are (a Page holds only strings, numbers and tuples of them)."""
_PLAIN_TYPES = frozenset(_PLAIN)


def structure_of(piece: Piece) -> tuple:
    """What indexing and planning read of a piece; equal structures, equal plans.

    Of its first line, only where it files in the index of first lines: the
    page of that letter names the piece (a PieceRef), so a new first line
    under the same letter re-renders that page alone."""
    return (
        piece.source,
        piece.url_path,
        piece.section,
        piece.title,
        piece.date,
        piece.publish_date,
        piece.expiry_date,
        piece.aliases,
        piece.weight,
        piece.tags,
        piece.tag_keys,
        piece.draft,
        piece.authors,
        piece.translators,
        filing(piece),
    )


def made_from(layout_digest: str, config: Config, context: Mapping[str, object], keys: set[str] | None = None) -> bytes:
    """The digest of everything a page's bytes are made from: equal digests, equal bytes.

    With `keys`, also collects the keys of the pieces and tags the context
    holds (see :class:`Readers`).
    """
    value = (layout_digest, config.digest, _plain(context, keys if keys is not None else set()))
    return bytes_digest(repr(value).encode("utf-8", "surrogatepass"))


def _plain(value: object, keys: set[str]) -> object:
    """A value with every piece, tag and site replaced by its digest: cheap to compare and to print."""
    if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
        return value
    if type(value) is PieceRef:
        keys.add(piece_dependency(value.url_path))
        return ("PieceRef", value.url_path)
    if isinstance(value, _DIGESTED):
        if isinstance(value, Piece):
            keys.add(piece_dependency(value.url_path))
        elif isinstance(value, Tag):
            keys.add(tag_dependency(value.key))
        elif isinstance(value, Site):
            keys.add(ALWAYS)
        return (type(value).__name__, value.digest)
    if isinstance(value, Mapping):
        return tuple((name, _plain(item, keys)) for name, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item, keys) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_plain(getattr(value, field.name), keys) for field in dataclasses.fields(value)))
    # A new kind of value in a page's context must say what it is made of.
    raise TypeError(f"cannot tell what a {type(value).__name__} in a page's context is made of; teach deps._plain")


def piece_dependency(url_path: str) -> str:
    """The key under which :class:`Readers` knows the pages that hold a piece."""
    return f"piece:{url_path}"


def tag_dependency(key: str) -> str:
    """The key under which :class:`Readers` knows the pages that hold a tag (of ``slugs.tag_key``, the tag's own key)."""
    return f"tag:{key}"


def changed_sources(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> set[str] | None:
    """The sources whose bytes differ, or None when files were added or removed."""
    if old.keys() != new.keys():
        return None
    return {source for source, _ in new.items() - old.items()}


class Readers:
    """Which pages hold which pieces and tags: key → out_files.

    Lists, not sets: a page is recorded once, with each key once, and a
    large anthology has a list for every piece (a set costs six times the memory).
    """

    def __init__(self) -> None:
        self._pages: dict[str, list[str]] = defaultdict(list)

    def record(self, out_file: str, keys: Iterable[str]) -> None:
        for key in keys:
            self._pages[key].append(out_file)

    def of(self, keys: Iterable[str]) -> set[str]:
        """The pages to compare again when the pieces and tags of `keys` changed."""
        pages = set(self._pages.get(ALWAYS, ()))
        for key in keys:
            if key == ALWAYS:
                return {page for pages_of_key in self._pages.values() for page in pages_of_key}
            pages.update(self._pages.get(key, ()))
        return pages
