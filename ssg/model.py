"""The plain, frozen data that flows between the build stages.

``load`` makes :class:`Config` and :class:`Piece`; ``index`` makes
:class:`Site` and :class:`Tag`; ``routes`` makes :class:`Page`; ``render``
makes :class:`Output`.  Relations are held as keys (slugs, tag keys), never as
object references, so that "did it change?" is always ``old != new``.

These are also the objects layouts receive; their fields are documented in
the README.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MOODS = ("mist", "moonlight", "dawn")
"""Tags that carry a mood of the theme without any setting."""


def names_text(names: tuple[str, ...]) -> str:
    """Names as a sentence joins them: ``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def bytes_digest(data: bytes) -> bytes:
    """The digest of bytes that ssg compares and keeps (a file's, a page's): 16 bytes of BLAKE2b, the same on every run."""
    return hashlib.blake2b(data, digest_size=16).digest()


def value_digest(*parts: object) -> str:
    """A digest of plain values, the same in every process and on every run.

    Built from ``repr``, which for the frozen dataclasses here, strings,
    numbers, dates, tuples and dicts (in their insertion order) is a pure
    function of the value: equal values, equal digests.
    """
    return bytes_digest(repr(parts).encode("utf-8", "surrogatepass")).hex()


@dataclass(frozen=True)
class TagSettings:
    """``[tool.ssg.tags.<name>]``: what the settings say about one tag."""

    description: str = ""
    mood: str | None = None


@dataclass(frozen=True)
class ContributorSettings:
    """``[tool.ssg.contributors."Name"]``: what the settings say about one contributor."""

    bio: str = ""
    url: str = ""
    """Their own site, linked from their page."""


@dataclass(frozen=True)
class ColophonSettings:
    """``[tool.ssg.colophon]``: the facts of the book's making, as the editors state them."""

    editors: tuple[str, ...] = ()
    licence: str = ""
    typefaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """The site's settings, from ``[tool.ssg]`` in its pyproject.toml."""

    site_dir: Path
    """The site folder (where pyproject.toml is)."""
    content_dir: Path
    layouts_dir: Path
    output_dir: Path
    title: str = "Dreams"
    subtitle: str = ""
    description: str = ""
    """For search engines and feeds; defaults to the subtitle."""
    base_url: str = "/"
    """Where the site is published: a full URL or a path such as ``/anthology/``."""
    base_path: str = "/"
    """The path part of base_url, always with a leading and trailing slash."""
    language: str = "en"
    author: str = ""
    """Author of pieces that name none."""
    per_page: int = 50
    """Pieces on one page of a tag."""
    home_per_page: int = 100
    """Pieces on one page of the home listing; larger anthologies get /page/2/…"""
    cname: str = ""
    """The custom domain GitHub Pages serves the site at (written to CNAME), or empty."""
    tags: Mapping[str, TagSettings] = field(default_factory=dict)
    """Per-tag settings, keyed by the tag's key (see ``slugs.tag_key``)."""
    ignore_keys: tuple[str, ...] = ()
    """Front-matter keys of other tools, known to be there: no warning names them."""
    dashes: str = ""
    """The house style of a dash between words: ``""`` (as typed), ``em`` or ``spaced-en`` (see ``typography``)."""
    urls: str = "flat"
    """``flat``: a piece at ``/<slug>/``; ``folders``: at its section's path, ``/<section>/<slug>/``."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Front matter every piece starts from (``[tool.ssg.defaults]``), checked, as text."""
    contributors: Mapping[str, ContributorSettings] = field(default_factory=dict)
    """Bios and links by name, as written in the pieces."""
    colophon: ColophonSettings = ColophonSettings()
    search: bool = True
    """Whether the build writes the search index (``/pagefind/``) and the ``/search/`` page."""
    epub: bool = False
    """Whether the build writes the EPUB edition (``/<slug of the title>.epub``)."""
    pdf: bool = False
    """Whether the build writes the print-ready PDF (``/<slug of the title>.pdf``)."""
    pdf_page: str = "A5"
    """The PDF's trim size, as CSS's ``@page { size }`` takes it."""

    @cached_property
    def digest(self) -> str:
        """Of every setting but the output folder: what a page made with these settings is made from.

        A page is the same wherever it is written: the preview, building into a
        folder of its own, takes the pages of the last ``ssg build`` that are
        made from the same values (see ``build._Seed``)."""
        return value_digest(replace(self, output_dir=Path()))

    def relative(self, file: Path) -> str:
        """How a file of the site is named in messages: relative to the site folder."""
        try:
            return file.relative_to(self.site_dir).as_posix()
        except ValueError:
            return str(file)


def compressed(html: str) -> bytes:
    """HTML as a piece keeps it between the stages: deflated, a third of its size as text.

    An anthology's pieces are held from loading to writing; their bodies are
    most of that memory (100,000 pieces: over 300 MiB as text).  zlib's output
    is the same for the same input, so digests of pieces stay plain values.
    """
    return zlib.compress(html.encode("utf-8", "surrogatepass"), 6)


@dataclass(frozen=True, slots=True)
class Piece:
    """One dream piece: a Markdown file of content/ with its front matter.

    Slotted (no ``__dict__``): a large anthology holds tens of thousands of them.
    """

    source: str
    """The file, relative to the site folder (``content/night/lake.md``)."""
    slug: str
    url_path: str
    """Site-relative URL path, ``/<slug>/`` (or ``/<section>/<slug>/`` with ``urls = "folders"``).
    Unique in a site: pieces are known by it (``site.piece(url_path)``, ``Tag.pieces``, ``Page.entries``)."""
    url: str
    """The href of its page, base path included and percent-encoded."""
    title: str
    date: datetime | None
    """Timezone-aware; a date without a time is midnight UTC.  None: an undated piece (a classic, a magazine's)."""
    timed: bool
    """Whether the front matter gave a time of day, not only a date."""
    authors: tuple[str, ...]
    """Who wrote it, in the order the front matter names them (the settings' ``author`` when it names none)."""
    tags: tuple[str, ...]
    """Tag names as written, duplicates removed, in front-matter order."""
    tag_keys: tuple[str, ...]
    """The same tags normalised (see ``slugs.tag_key``), to look them up."""
    summary: str
    """From front matter, else the opening words of the body."""
    body: bytes
    """The body's HTML, :func:`compressed`: read it as ``body_html``."""
    form: str = "prose"
    """``prose`` or ``verse``."""
    draft: bool = False
    epigraph: str = ""
    dedication: str = ""
    weight: int | None = None
    """Explicit reading order; weighted pieces come first, lightest first."""
    line_numbers: int = 0
    """Show every n-th line number of verse (0: none)."""
    lines: Mapping[str, int] = field(default_factory=dict, compare=True)
    """The file line of each front-matter key, for messages."""
    body_line: int = 1
    """The file line where the body starts."""
    links: tuple[tuple[str, int], ...] = ()
    """Internal links of the body as written, with their file lines (see ``links.outgoing``)."""
    publish_date: datetime | None = None
    """Published from then on (Hugo's ``publishDate``) when that is not ``date``."""
    expiry_date: datetime | None = None
    """Left out of the site from then on (Hugo's ``expiryDate``)."""
    lastmod: datetime | None = None
    """When it last changed (Hugo's ``lastmod``): the feeds' ``updated``, the sitemap's ``lastmod``."""
    aliases: tuple[str, ...] = ()
    """Old URL paths (``/old/lake/``), each a page that redirects here."""
    section: str = ""
    """The path of its section's folder under content/ (``seasons/autumn``); ``""``: content/ itself."""
    translators: tuple[str, ...] = ()
    lang: str = ""
    """Its language when it is not the site's (front matter ``lang``), else empty: see ``language``."""
    first_line: str = ""
    """How it begins, as the index of first lines quotes it (see ``firstlines.first_line_of``)."""
    _digest: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def digest(self) -> str:
        """Of every field: equal digests, equal pieces (see ``deps.made_from``).  Worked out once, when first asked."""
        if self._digest is None:
            object.__setattr__(self, "_digest", value_digest(self))
        return self._digest  # type: ignore[return-value]

    @property
    def body_html(self) -> str:
        """The body as HTML, ready for a layout (``{{ piece.body_html | safe }}``)."""
        return zlib.decompress(self.body).decode("utf-8", "surrogatepass")

    def with_body(self, body_html: str) -> Piece:
        """The piece with another body (its links rewritten)."""
        return replace(self, body=compressed(body_html))

    @property
    def author(self) -> str:
        """The byline: ``Hana Mori``, ``Hana Mori and Ines Albarrán``, ``A, B and C``; empty when no one is named."""
        return names_text(self.authors)

    @property
    def published_from(self) -> datetime | None:
        """When the piece appears on the site: ``publishDate``, else its date; None (always) for an undated piece."""
        return self.publish_date or self.date

    @property
    def updated(self) -> datetime | None:
        """When it last changed: ``lastmod``, else its date; None when the piece says neither."""
        return self.lastmod or self.date

    def line_of(self, key: str) -> int:
        """The line of a front-matter key, or of the front matter's start."""
        return self.lines.get(key, 1)

    @property
    def date_iso(self) -> str:
        """The date for ``<time datetime>``: a day, or a full timestamp."""
        if self.date is None:
            return ""
        return self.date.isoformat() if self.timed else self.date.date().isoformat()

    @property
    def date_text(self) -> str:
        """The date as a reader sees it: ``5 January 2026``."""
        return "" if self.date is None else f"{self.date.day} {self.date:%B %Y}"


@dataclass(frozen=True)
class Tag:
    """A tag (a mood, a theme) and the pieces that carry it."""

    key: str
    """Normalised name: NFC, trimmed, case-folded.  Tags compare by key."""
    name: str
    """As first written (in reading order)."""
    slug: str
    url_path: str
    url: str
    description: str
    mood: str | None
    """The theme's atmosphere for this tag, if it has one."""
    pieces: tuple[str, ...]
    """URL paths of the pieces with this tag, in reading order."""

    @property
    def count(self) -> int:
        return len(self.pieces)

    @cached_property
    def digest(self) -> str:
        """Of every field: equal digests, equal tags."""
        return value_digest(self)


@dataclass(frozen=True)
class Contributor:
    """Someone who wrote or translated pieces of the book."""

    name: str
    slug: str
    url_path: str
    """Their page: ``/contributors/<slug>/``."""
    url: str
    bio: str
    link: str
    """Their own site (``[tool.ssg.contributors."Name"] url``), or empty."""
    pieces: tuple[str, ...]
    """URL paths of the pieces they wrote, in reading order."""
    translated: tuple[str, ...] = ()
    """URL paths of the pieces they translated, in reading order."""

    @property
    def count(self) -> int:
        return len(self.pieces) + len(self.translated)

    @cached_property
    def digest(self) -> str:
        return value_digest(self)


@dataclass(frozen=True)
class Section:
    """A folder of content/ and the pieces below it: a part of the book.

    The one of content/ itself (path ``""``) is the home page's.
    """

    path: str
    """Its folder under content/, ``/``-separated (``seasons/autumn``); ``""`` for content/ itself."""
    url_path: str
    """Its page, at its folder's path: ``/seasons/autumn/``."""
    url: str
    title: str
    """From its ``_index.md``, else its folder's name."""
    description: str = ""
    intro_html: str = ""
    """The body of its ``_index.md``: the introduction of its page (the home's welcome for content/)."""
    weight: int | None = None
    """Its order among the sections beside it; weighted first, then by title."""
    source: str = ""
    """The file that describes it (``content/seasons/_index.md``), or ``""``."""
    parent: str | None = None
    """The path of the section it is in; None for content/ itself."""
    depth: int = 0
    """0 for content/, 1 for a folder in it, …"""
    pieces: tuple[str, ...] = ()
    """URL paths of the published pieces right in it (not in its sub-sections), in reading order."""
    sections: tuple[str, ...] = ()
    """Paths of its published sub-sections, in reading order."""
    count: int = 0
    """Published pieces in it and below it."""
    links: tuple[tuple[str, int], ...] = ()
    """Internal links of its introduction, with their file lines."""

    @cached_property
    def digest(self) -> str:
        return value_digest(self)


@dataclass(frozen=True)
class Colophon:
    """The colophon's acknowledgements: the body of content/_colophon.md (its facts are ``config.colophon``)."""

    html: str = ""
    source: str = ""
    links: tuple[tuple[str, int], ...] = ()

    @cached_property
    def digest(self) -> str:
        return value_digest(self)


@dataclass(frozen=True)
class Site:
    """Every published piece and tag, ordered and related."""

    config: Config
    pieces: tuple[Piece, ...]
    """In reading order: section by section (see ``index.reading_order``), and in each by weight, then date, then title."""
    tags: tuple[Tag, ...]
    """Sorted by name."""
    sections: tuple[Section, ...] = ()
    """Every section with published pieces, in reading order: content/'s first."""
    scheduled: frozenset[str] = frozenset()
    """URL paths of pieces dated in the future (published only with --future, or in preview)."""
    contributors: tuple[Contributor, ...] = ()
    """Everyone who wrote or translated a published piece, by name."""
    colophon: Colophon = Colophon()

    @cached_property
    def digest(self) -> str:
        """Of the whole site: what a layout that reads ``site`` is made from."""
        return value_digest(
            self.config.digest,
            [piece.digest for piece in self.pieces],
            [tag.digest for tag in self.tags],
            [section.digest for section in self.sections],
            [contributor.digest for contributor in self.contributors],
            self.colophon.digest,
            sorted(self.scheduled),
        )

    @property
    def welcome_html(self) -> str:
        """The home page's welcome: the introduction of content/_index.md."""
        return self.sections[0].intro_html if self.sections else ""

    @cached_property
    def _pieces_by_path(self) -> dict[str, Piece]:
        return {piece.url_path: piece for piece in self.pieces}

    @cached_property
    def _sections_by_path(self) -> dict[str, Section]:
        return {section.path: section for section in self.sections}

    @cached_property
    def _contributors_by_name(self) -> dict[str, Contributor]:
        return {contributor.name: contributor for contributor in self.contributors}

    def contributor(self, name: str) -> Contributor:
        return self._contributors_by_name[name]

    def find_contributor(self, name: str) -> Contributor | None:
        return self._contributors_by_name.get(name)

    def authors_of(self, piece: Piece) -> list[Contributor]:
        return [self._contributors_by_name[name] for name in piece.authors]

    def translators_of(self, piece: Piece) -> list[Contributor]:
        return [self._contributors_by_name[name] for name in piece.translators]

    def number_of(self, piece: Piece) -> int:
        """Its place in the book, from 1."""
        return self._position[piece.url_path] + 1

    @cached_property
    def _tags_by_key(self) -> dict[str, Tag]:
        return {tag.key: tag for tag in self.tags}

    @cached_property
    def _position(self) -> dict[str, int]:
        return {piece.url_path: n for n, piece in enumerate(self.pieces)}

    def with_pieces_swapped(self, swapped: Mapping[int, Piece]) -> Site:
        """The site with the pieces at these positions replaced by pieces at the same URLs.

        For a rebuild that changed only bodies: the lookups by URL and
        position stay true, so they are carried over instead of made again.
        """
        pieces = list(self.pieces)
        for position, piece in swapped.items():
            pieces[position] = piece
        site = replace(self, pieces=tuple(pieces))
        site.__dict__["_pieces_by_path"] = self._pieces_by_path | {piece.url_path: piece for piece in swapped.values()}
        site.__dict__["_position"] = self._position
        site.__dict__["_tags_by_key"] = self._tags_by_key
        site.__dict__["_sections_by_path"] = self._sections_by_path
        site.__dict__["_contributors_by_name"] = self._contributors_by_name
        if "_moods" in self.__dict__:  # the swapped pieces have the tags they had
            site.__dict__["_moods"] = self._moods
        site.__dict__["_by_structure"] = self.__dict__.setdefault("_by_structure", {})
        return site

    def __getstate__(self) -> dict:
        """What .ssg-cache/ keeps of a site: its fields; its lookups and what other stages derived from it are worked out again when asked."""
        return {name: self.__dict__[name] for name in self.__dataclass_fields__}

    def derived(self, key: Hashable, compute: Callable[[], T], *, structural: bool = False) -> T:
        """A value another stage works out from the whole site (an index of first lines, say), worked out once a site.

        With structural=True, the value depends only on what ``deps.structure_of``
        reads of each piece, which a swap of pieces keeps (see
        :meth:`with_pieces_swapped`): it is carried over to the swapped site,
        so an edit does not work it out again from every piece.
        """
        memo = self.__dict__.setdefault("_by_structure" if structural else "_derived", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def piece(self, url_path: str) -> Piece:
        """The published piece at a URL path (``/lake/``)."""
        return self._pieces_by_path[url_path]

    def find_piece(self, url_path: str) -> Piece | None:
        return self._pieces_by_path.get(url_path)

    def section(self, path: str) -> Section:
        """The section of a folder (``seasons/autumn``; ``""`` for content/ itself)."""
        return self._sections_by_path[path]

    def section_of(self, piece: Piece) -> Section | None:
        """The section a piece is in, or None when it is right in content/."""
        return self._sections_by_path[piece.section] if piece.section else None

    def sections_in(self, section: Section) -> list[Section]:
        """The sub-sections of a section, in reading order."""
        return [self._sections_by_path[path] for path in section.sections]

    def pieces_under(self, section: Section) -> tuple[Piece, ...]:
        """The published pieces of a section and of its sub-sections, in reading order."""
        if not section.path:
            return self.pieces
        prefix = section.path + "/"
        return tuple(piece for piece in self.pieces if piece.section == section.path or piece.section.startswith(prefix))

    def find_tag(self, key: str) -> Tag | None:
        return self._tags_by_key.get(key)

    def tag(self, key: str) -> Tag:
        return self._tags_by_key[key]

    def tags_of(self, piece: Piece) -> list[Tag]:
        """The Tag objects of a piece, in its own order."""
        return [self._tags_by_key[key] for key in piece.tag_keys]

    def mood_of(self, piece: Piece) -> str | None:
        """The atmosphere of a piece's page: the mood of its first tag that has one."""
        return self._moods[piece.url_path]

    @cached_property
    def _moods(self) -> dict[str, str | None]:
        """Each piece's mood, found once: a piece with thousands of tags is listed on thousands of pages."""
        return {piece.url_path: next((tag.mood for tag in self.tags_of(piece) if tag.mood), None) for piece in self.pieces}

    def previous(self, piece: Piece) -> Piece | None:
        n = self._position[piece.url_path]
        return self.pieces[n - 1] if n > 0 else None

    def next(self, piece: Piece) -> Piece | None:
        n = self._position[piece.url_path]
        return self.pieces[n + 1] if n + 1 < len(self.pieces) else None


@dataclass(frozen=True, slots=True)
class PieceRef:
    """A piece as a page names it, by its URL path alone.

    The page shows only what it copied from the piece (its first line in the
    index): it is made from those values, not the whole piece, yet it is
    compared again whenever the piece changes (see ``deps.Readers``).
    """

    url_path: str


@dataclass(frozen=True)
class StaticFiles:
    """The names of the files under content/static/ (``static_files`` in layouts).

    A layout asks ``'favicon.svg' in static_files``; a page that does is made
    from the whole list, which its digest stands for.
    """

    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str]) -> StaticFiles:
        return cls(frozenset(names))

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)

    @cached_property
    def digest(self) -> str:
        return value_digest(sorted(self.names))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the output: its URL, its layout and what it shows."""

    url_path: str
    """Site-relative, ``/tags/mist/page/2/``."""
    out_file: str
    """Relative to the output folder, ``tags/mist/page/2/index.html``."""
    layout: str
    """The Jinja layout, ``tag.html``; empty for pages rendered in Python (feeds, sitemap, …)."""
    kind: str
    """``home``, ``section``, ``piece``, ``tags``, ``tag``, ``contributors``, ``contributor``, ``first-lines``, ``colophon``
    or ``404``; without a layout: ``feed``, ``sitemap``,
    ``robots``, ``nojekyll``, ``cname`` or ``redirect`` (an old URL of a piece)."""
    title: str
    piece: str | None = None
    """URL path of the piece shown (piece pages), or redirected to (redirect pages)."""
    tag: str | None = None
    """Key of the tag shown (tag pages, their feeds)."""
    section: str | None = None
    """Path of the section shown (section pages, their feeds)."""
    contributor: str | None = None
    """Name of the contributor shown (contributor pages)."""
    letter: str | None = None
    """The letter shown (a page of the index of first lines, when it has a page a letter)."""
    entries: tuple[str, ...] = ()
    """URL paths of the pieces listed on this page (home, section and tag pages, feeds)."""
    number: int = 1
    """Which page of a paginated listing, from 1."""
    count: int = 1
    """How many pages the listing has."""


@dataclass(frozen=True)
class Output:
    """A file of the built site and its bytes."""

    out_file: str
    """Relative to the output folder, ``/``-separated."""
    data: bytes
