"""The anthology as a book: what the EPUB and the PDF editions are made from.

The web site is planned page by page (:mod:`ssg.routes`); an edition is one
document, read from front to back: a title page, the parts (sections) with
their pieces in reading order, the contributors, the index of first lines and
the colophon.  :func:`book_of` gathers that from the published site, and
:func:`book_html` turns a piece's web HTML into the book's: links between
pieces point inside the book, files of the site point to the edition's copy
of them, anything else to the web site (or nowhere, for a site without a
full ``base_url``).
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import unquote

from ssg import firstlines
from ssg.model import Contributor, Piece, Section, Site
from ssg.slugs import slugify
from ssg.urls import absolute_url
from ssg.verse import MAX_LEVEL

EDITIONS = ("epub", "pdf")
"""The file kinds of the book, as settings (``epub = true``) and file suffixes."""

UNDATED = datetime(2000, 1, 1, tzinfo=UTC)
"""When a book without a single dated piece says it was last modified: a fixed date, never the clock."""


@dataclass(frozen=True)
class Chapter:
    """A piece as the book holds it."""

    piece: Piece
    number: int
    """Its place in the book, from 1 (the web pages' "XIV of XIV")."""
    id: str
    """Its name inside the book: ``piece-0014`` (the EPUB's file, the PDF's anchor)."""


@dataclass(frozen=True)
class Part:
    """A section of the site as a part of the book, with the pieces right in it."""

    section: Section
    chapters: tuple[Chapter, ...]
    id: str
    """``part-03``: its name inside the book."""

    @property
    def depth(self) -> int:
        """1 for a folder of content/, 2 for a folder in it, …; 0 for content/ itself (pieces before any part)."""
        return self.section.depth


@dataclass(frozen=True)
class Book:
    """The whole book, in reading order."""

    site: Site
    slug: str
    """Its file name without the suffix: the slug of the title (``the-book-of-dreams``)."""
    identifier: str
    """``urn:uuid:…``, made from the title: the same from build to build, so e-readers keep their place."""
    modified: datetime
    """The latest date (or lastmod) of its pieces: the edition's date, never the clock."""
    parts: tuple[Part, ...]
    """Every section with pieces, in reading order; content/'s own pieces first, as a part of depth 0 (no title of its own)."""
    chapters: tuple[Chapter, ...]
    """Every piece, in reading order."""
    first_lines: tuple[firstlines.Letter, ...]
    """The index of first lines and titles, by letter, in the collation of the site's language."""

    @property
    def title(self) -> str:
        return self.site.config.title

    @property
    def language(self) -> str:
        return self.site.config.language

    @property
    def contributors(self) -> tuple[Contributor, ...]:
        return self.site.contributors

    def chapter_of(self, url_path: str) -> Chapter | None:
        """The chapter of the piece at a site URL path (``/lake/``), if it is in the book."""
        return self._chapters_by_path.get(url_path)

    @cached_property
    def _chapters_by_path(self) -> dict[str, Chapter]:
        return {chapter.piece.url_path: chapter for chapter in self.chapters}


def book_of(site: Site) -> Book:
    """The book of a published site."""
    chapters = tuple(Chapter(piece, number, f"piece-{number:04d}") for number, piece in enumerate(site.pieces, start=1))
    by_path = {chapter.piece.url_path: chapter for chapter in chapters}
    parts = tuple(Part(section, tuple(by_path[url_path] for url_path in section.pieces), f"part-{number:02d}") for number, section in enumerate(site.sections) if section.pieces or section.depth > 0)
    dates = [moment for piece in site.pieces for moment in (piece.lastmod, piece.date) if moment is not None]
    return Book(
        site=site,
        slug=edition_slug(site.config.title),
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'ssg:book:' + site.config.title)}",
        modified=max(dates, default=UNDATED).astimezone(UTC),
        parts=parts,
        chapters=chapters,
        first_lines=firstlines.index(site),
    )


def edition_slug(title: str) -> str:
    """The file name of the editions, without suffix: ``The Book of Dreams`` → ``the-book-of-dreams``."""
    return slugify(title) or "anthology"


def edition_path(title: str, kind: str) -> str:
    """The site URL path of an edition: ``/the-book-of-dreams.epub``."""
    return f"/{edition_slug(title)}.{kind}"


_LINK = re.compile(r"""(\s)(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SRCSET = re.compile(r"""\s(?:srcset|sizes)\s*=\s*(?:"[^"]*"|'[^']*')""")


def book_html(body_html: str, book: Book, chapter_href: Callable[[Chapter, str], str], file_href: Callable[[str], str | None]) -> str:
    """A piece's (or an introduction's) HTML as the book shows it.

    - A link to a piece of the book → ``chapter_href(chapter, fragment)``
      (``piece-0014.xhtml#note`` in the EPUB, ``#piece-0014`` in the PDF);
    - a file of the site (an image, a download) → ``file_href(site_path)``:
      its copy in the edition;
    - any other page or file of the site → its address on the web when
      ``base_url`` is a full URL, else the link is dropped (its words stay);
    - ``srcset`` and ``sizes`` go: an edition carries one copy of each image.

    Links to other sites are kept as written.
    """
    config = book.site.config
    full = config.base_url.startswith(("http://", "https://"))

    def rewritten(match: re.Match) -> str:
        space, name = match.group(1), match.group(2)
        site_path, fragment = _site_path(book, match)
        if site_path is None:
            return match.group(0)
        chapter = book.chapter_of(site_path)
        target = chapter_href(chapter, fragment) if chapter is not None else file_href(site_path)
        if target is None:
            if not full:
                return "" if name == "href" else match.group(0)
            target = absolute_url(config.base_url, site_path) + (f"#{fragment}" if fragment else "")
        return f'{space}{name}="{html.escape(target, quote=True)}"'

    return _LINK.sub(rewritten, _SRCSET.sub("", body_html))


_VERSE = re.compile(r'<div class="verse">(.*?)</div>', re.DOTALL)
_INDENT = re.compile(r"\bindent-([0-9]+)\b")


def with_deepest_indent(body_html: str) -> str:
    """Each poem marked with the deepest indent it uses (``verse deepest-2``): its runovers hang past it.

    The web theme finds that depth with ``:has()`` and CSS variables; e-readers
    and WeasyPrint know neither, so the books' stylesheets have a rule a depth.
    """

    def marked(match: re.Match) -> str:
        deepest = max((int(level) for level in _INDENT.findall(match.group(1))), default=0)
        return f'<div class="verse deepest-{min(deepest, MAX_LEVEL)}">{match.group(1)}</div>'

    return _VERSE.sub(marked, body_html) if '<div class="verse">' in body_html else body_html


def _site_path(book: Book, match: re.Match) -> tuple[str | None, str]:
    """The site path (``/static/moon.jpg``) and fragment of a link to the site itself; (None, "") for any other."""
    base = book.site.config.base_path
    value = html.unescape(match.group(3) if match.group(3) is not None else match.group(4))
    if not value.startswith(base) or value.startswith("//"):
        return None, ""
    path, _, fragment = value.partition("#")
    return "/" + unquote(path.partition("?")[0][len(base) :]), fragment
