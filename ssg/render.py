"""Page → Output: a layout rendered with typed objects.

Jinja errors become Problems at the layout's own line.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from traceback import extract_tb

import jinja2

from ssg import firstlines
from ssg.errors import Problem, SiteError
from ssg.feeds import entry_tags, render_feed
from ssg.model import Contributor, Output, Page, Piece, Section, Site, StaticFiles, Tag
from ssg.redirects import render_redirect
from ssg.routes import listing_page_path
from ssg.search import search_filters
from ssg.sitemap import (
    render_cname,
    render_nojekyll,
    render_robots,
    render_sitemap,
    sitemap_urls,
)
from ssg.templates import theme_layout_name
from ssg.urls import url_for

PYTHON_RENDERERS = {"feed": render_feed, "sitemap": render_sitemap, "robots": render_robots, "nojekyll": render_nojekyll, "cname": render_cname, "redirect": render_redirect}
"""Pages without a layout, by kind: their bytes are made in Python from the whole site."""


LISTED_TAGS = 5
"""How many of a piece's tags a listing gives (``tags_of(piece)``): its first ones, for a card's chips.

A card says "+N more" for the rest, which the piece's own page lists: so a
piece with thousands of tags costs each of its thousands of tag pages a
handful of chips, not thousands."""


@dataclass(frozen=True)
class TagsOf:
    """``tags_of(piece)`` in listings: the Tag objects of each listed piece, at most :data:`LISTED_TAGS` (in a feed, those of its entry).

    A value, not a view of the whole site, so that a listing page depends
    only on the tags it shows of the pieces it lists.
    """

    tags: dict[str, tuple[Tag, ...]]

    def __call__(self, piece: Piece) -> tuple[Tag, ...]:
        return self.tags[piece.url_path]


@dataclass(frozen=True)
class Group:
    """Pieces of a contents listing that stand in one section (``groups`` in home.html and section.html).

    A listing in reading order runs section by section, so a page of it is a
    few runs of pieces, each under its section's heading.
    """

    section: Section | None
    """None for the pieces right in the listed section (content/ on the home page)."""
    trail: tuple[Section, ...]
    """The sections from the listed one down to `section`, outermost first: ``Seasons``, ``Autumn``."""
    pieces: tuple[Piece, ...]
    continued: bool
    """Whether the section's first pieces are on an earlier page."""


@dataclass(frozen=True)
class NumberOf:
    """``number_of(piece)`` in listings: its place in the book, from 1 (a value, as :class:`TagsOf`)."""

    numbers: dict[str, int]

    def __call__(self, piece: Piece) -> int:
        return self.numbers[piece.url_path]


@dataclass(frozen=True)
class MoodOf:
    """``mood_of(piece)`` in listings: the mood of its first tag that has one, or None."""

    moods: dict[str, str | None]

    def __call__(self, piece: Piece) -> str | None:
        return self.moods[piece.url_path]


@dataclass(frozen=True)
class AuthorsOf:
    """``authors_of(piece)`` in listings: the Contributors who wrote it, for bylines that link to their pages."""

    authors: dict[str, tuple[Contributor, ...]]

    def __call__(self, piece: Piece) -> tuple[Contributor, ...]:
        return self.authors[piece.url_path]


@dataclass(frozen=True)
class Pagination:
    """Where a page stands in a paginated listing (``pagination`` in tag.html)."""

    number: int
    count: int
    previous_url: str | None
    next_url: str | None


def page_context(site: Site, page: Page, static_files: StaticFiles, pages: tuple[Page, ...] = ()) -> dict:
    """Every variable the page's layout receives (listed in the README).

    `pages` (the whole plan) is read only by the sitemap.
    """
    if page.kind == "sitemap":
        return {"site": site, "page": page, "urls": sitemap_urls(site, pages)}
    return {"site": site, "page": page, "static_files": static_files, "mood": None, "lang": site.config.language, **_kind_context(site, page)}


def render_page(env: jinja2.Environment, site: Site, page: Page, context: dict) -> Output:
    """Render one page with its layout; raise SiteError at the layout's line on failure."""
    if page.kind in PYTHON_RENDERERS:
        return Output(page.out_file, PYTHON_RENDERERS[page.kind](site, page, context))
    try:
        html = env.get_template(page.layout).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise SiteError([_syntax_problem(site, error)]) from None
    except jinja2.TemplateNotFound as error:
        raise SiteError([_runtime_problem(site, error, f"layout '{error.name}' does not exist", "create it in the layouts folder, or fix the name")]) from None
    except Exception as error:
        raise SiteError([_runtime_problem(site, error, f"error in layout while rendering {page.url_path}: {error}", _hint_for(error))]) from None
    return Output(page.out_file, html.encode("utf-8"))


_SHARED: tuple | None = None
"""What forked render workers work from: inherited from the parent, never pickled."""
_CHUNK = 100


def render_in_workers(env: jinja2.Environment, site: Site, pages: tuple[Page, ...], static_files: StaticFiles, numbers: list[int], workers: int) -> Iterator[Output]:
    """The pages at `numbers`, rendered by forked worker processes, in order.

    Only for a process without other threads (forking those can deadlock).
    A layout error stops the build as it would in one process.
    """
    global _SHARED
    _SHARED = (env, site, pages, static_files)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = [numbers[start : start + _CHUNK] for start in range(0, len(numbers), _CHUNK)]
            for made in pool.map(_render_chunk, chunks):
                if isinstance(made, tuple):
                    raise SiteError(made)
                yield from made
    finally:
        _SHARED = None


def _render_chunk(numbers: list[int]) -> list[Output] | tuple[Problem, ...]:
    assert _SHARED is not None  # set by render_in_workers before it forked this worker
    env, site, pages, static_files = _SHARED
    outputs = []
    for number in numbers:
        page = pages[number]
        try:
            outputs.append(render_page(env, site, page, page_context(site, page, static_files, pages)))
        except SiteError as error:  # returned, not raised: an exception crosses processes badly
            return error.problems
    return outputs


def _kind_context(site: Site, page: Page) -> dict:
    if page.kind == "feed":  # not for a layout: what render_feed reads, so that rebuilds know it
        pieces = [site.piece(url_path) for url_path in page.entries]
        return {
            "pieces": pieces,
            "tags_of": TagsOf({piece.url_path: entry_tags(site, piece) for piece in pieces}),
            "tag": site.tag(page.tag) if page.tag else None,
            "section": site.section(page.section) if page.section is not None else None,
        }
    if page.kind == "redirect":  # what render_redirect reads
        assert page.piece is not None  # routes give every redirect its piece
        return {"piece": site.piece(page.piece)}
    if page.kind == "piece":
        assert page.piece is not None  # routes give every piece page its piece
        piece = site.piece(page.piece)
        return {
            "piece": piece,
            "tags": site.tags_of(piece),
            "authors": site.authors_of(piece),
            "translators": site.translators_of(piece),
            "also_by": _also_by(site, piece),
            "number": site.number_of(piece),
            "total": len(site.pieces),
            "section": site.section_of(piece),
            "previous": site.previous(piece),
            "next": site.next(piece),
            "mood": site.mood_of(piece),
            "scheduled": piece.url_path in site.scheduled,
            "lang": piece.lang or site.config.language,
        }
    if page.kind in ("home", "section"):
        return _contents_context(site, page)
    if page.kind == "tags":
        return {"tags": list(site.tags)}
    if page.kind == "first-lines":
        split = firstlines.is_split(site)
        if page.letter:
            first_page = firstlines.letter_path(page.letter)
            return {"letters": firstlines.index(site, page.letter, page.number), "split": split, "letter": page.letter, "pagination": _pagination(site, page, first_page)}
        return {"letters": firstlines.index(site) if not split else firstlines.letters(site), "split": split, "letter": None}
    if page.kind == "search":
        return {"filters": search_filters(site), "searchable": bool(site.pieces)}
    if page.kind == "colophon":
        return {"colophon": site.colophon, "editors": [_person(site, name) for name in site.config.colophon.editors]}
    if page.kind == "contributors":
        return {"contributors": list(site.contributors)}
    if page.kind == "contributor":
        assert page.contributor is not None  # routes give every contributor page its contributor
        person = site.contributor(page.contributor)
        own = set(person.pieces)
        wrote = [site.piece(url_path) for url_path in page.entries if url_path in own]
        translated = [site.piece(url_path) for url_path in page.entries if url_path not in own]
        return {"contributor": person, "pieces": wrote, "translated": translated, **_listing_helpers(site, wrote + translated), "pagination": _pagination(site, page, person.url_path)}
    if page.kind == "tag":
        assert page.tag is not None  # routes give every tag page its tag
        tag = site.tag(page.tag)
        pagination = _pagination(site, page, tag.url_path)
        pieces = [site.piece(url_path) for url_path in page.entries]
        return {"tag": tag, "pieces": pieces, "groups": [Group(None, (), tuple(pieces), False)], **_listing_helpers(site, pieces), "pagination": pagination, "mood": tag.mood}
    return {}


ALSO_BY = 5
"""How many other pieces "Also by" names, for each author."""


def _person(site: Site, name: str) -> tuple[str, str | None]:
    """A name as the colophon credits it: with the link to their page when they are a contributor too."""
    found = site.find_contributor(name)
    return (name, found.url if found else None)


@dataclass(frozen=True)
class Mention:
    """A piece named on another's page ("Also by"): its title and href only, so that editing its body leaves that page alone."""

    title: str
    url: str


def _also_by(site: Site, piece: Piece) -> list[tuple[Contributor, list[Mention]]]:
    """For each author of a piece who wrote others: them, and up to ALSO_BY of their other pieces, in reading order."""
    also = []
    for person in site.authors_of(piece):
        others = [Mention(other.title, other.url) for other in map(site.piece, islice((path for path in person.pieces if path != piece.url_path), ALSO_BY))]
        if others:
            also.append((person, others))
    return also


def _listing_helpers(site: Site, pieces: list[Piece]) -> dict:
    """What a listing's layout asks of each piece it lists: its tags, its authors, its place in the book, its mood."""
    return {
        "tags_of": _tags_of(site, pieces),
        "number_of": NumberOf({piece.url_path: site.number_of(piece) for piece in pieces}),
        "mood_of": MoodOf({piece.url_path: site.mood_of(piece) for piece in pieces}),
        "authors_of": AuthorsOf({piece.url_path: tuple(site.authors_of(piece)) for piece in pieces}),
    }


def _contents_context(site: Site, page: Page) -> dict:
    """A page of contents: the home's, or a section's (its introduction, its pieces by sub-section, the sections above it)."""
    section = site.section(page.section or "")
    pieces = [site.piece(url_path) for url_path in page.entries]
    context = {
        "pieces": pieces,
        "groups": _groups(site, section, pieces),
        "sections": site.sections_in(section),
        "subsections": {part.path: site.sections_in(part) for part in site.sections_in(section)},
        **_listing_helpers(site, pieces),
        "pagination": _pagination(site, page, section.url_path),
    }
    if page.kind == "home":
        return {**context, "welcome": site.welcome_html}
    above: list[Section] = []
    parent = section.parent
    while parent:
        above.insert(0, site.section(parent))
        parent = site.section(parent).parent
    return {**context, "section": section, "parents": above}


def _groups(site: Site, listed: Section, pieces: list[Piece]) -> list[Group]:
    """The pieces of a page of contents in runs of one section each (see :class:`Group`)."""
    groups: list[Group] = []
    for piece in pieces:
        if groups and groups[-1].pieces[-1].section == piece.section:
            groups[-1] = replace(groups[-1], pieces=(*groups[-1].pieces, piece))
            continue
        before = site.previous(piece)
        continued = not groups and before is not None and before.section == piece.section and listed.path != piece.section
        if piece.section == listed.path:
            groups.append(Group(None, (), (piece,), continued))
            continue
        trail = [site.section(piece.section)]
        while (parent := trail[0].parent) != listed.path:
            assert parent is not None  # the piece is listed under `listed`: its trail reaches it before the root
            trail.insert(0, site.section(parent))
        groups.append(Group(trail[-1], tuple(trail), (piece,), continued))
    return groups


def _pagination(site: Site, page: Page, first_page: str) -> Pagination:
    base = site.config.base_path
    return Pagination(
        number=page.number,
        count=page.count,
        previous_url=url_for(base, listing_page_path(first_page, page.number - 1)) if page.number > 1 else None,
        next_url=url_for(base, listing_page_path(first_page, page.number + 1)) if page.number < page.count else None,
    )


def _tags_of(site: Site, pieces: list[Piece]) -> TagsOf:
    return TagsOf({piece.url_path: tuple(map(site.tag, piece.tag_keys[:LISTED_TAGS])) for piece in pieces})


def _syntax_problem(site: Site, error: jinja2.TemplateSyntaxError) -> Problem:
    path = _layout_path(site, error.filename) if error.filename else f"layouts/{error.name}"
    return Problem(path, error.lineno, f"layout syntax error: {error.message}", "check the {% %} and {{ }} tags around this line")


def _runtime_problem(site: Site, error: Exception, message: str, hint: str) -> Problem:
    """Place a rendering error at the innermost layout line in its traceback, the site's or the theme's."""
    layouts_dir = site.config.layouts_dir
    place = None
    for frame in extract_tb(sys.exc_info()[2] or error.__traceback__):
        if Path(frame.filename).is_relative_to(layouts_dir) or theme_layout_name(frame.filename):
            place = frame
    if place is None:
        return Problem(site.config.relative(site.config.layouts_dir), None, message, hint)
    return Problem(_layout_path(site, place.filename), place.lineno, message, hint)


def _layout_path(site: Site, filename: str) -> str:
    """``layouts/piece.html`` for a file of the site, ``theme/piece.html`` for one of ssg's theme."""
    return theme_layout_name(filename) or site.config.relative(Path(filename))


def _hint_for(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return "layouts receive only the variables listed in the README; check the spelling"
    return "fix the expression on this line of the layout"
