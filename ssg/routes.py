"""plan(site) → Pages: every URL of the output, its layout and what it shows.

The only place that decides where things live in the output.
"""

from __future__ import annotations

from collections.abc import Iterable

from ssg import firstlines
from ssg.index import newest_first
from ssg.model import Page, Piece, Section, Site, Tag

HOME = "/"
TAGS = "/tags/"
FIRST_LINES = "/first-lines/"
CONTRIBUTORS = "/contributors/"
COLOPHON = "/colophon/"
SEARCH = "/search/"
NOT_FOUND = "/404.html"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
FEED_FILE = "feed.xml"
"""The name of a feed inside its listing's folder: ``/feed.xml``, ``/tags/mist/feed.xml``."""
FEED_ENTRIES = 50
"""How many of the newest pieces a feed carries: full texts, so a reader's first fetch stays small."""


def plan(site: Site) -> tuple[Page, ...]:
    """Every page of the site, in a stable order."""
    per_page = site.config.home_per_page
    pages = _listing_pages(HOME, tuple(p.url_path for p in site.pieces), per_page, "home.html", "home", site.config.title)
    for section in site.sections[1:]:
        pages += _section_pages(site, section, per_page)
    pages += [Page(piece.url_path, out_file_of(piece.url_path), "piece.html", "piece", piece.title, piece=piece.url_path) for piece in site.pieces]
    pages += [Page(alias, out_file_of(alias), "", "redirect", piece.title, piece=piece.url_path) for piece in site.pieces for alias in piece.aliases]
    pages.append(Page(TAGS, out_file_of(TAGS), "tags.html", "tags", "Tags"))
    pages += _first_lines_pages(site)
    pages.append(Page(CONTRIBUTORS, out_file_of(CONTRIBUTORS), "contributors.html", "contributors", "Contributors"))
    pages.append(Page(COLOPHON, out_file_of(COLOPHON), "colophon.html", "colophon", "Colophon"))
    if site.config.search:
        pages.append(Page(SEARCH, out_file_of(SEARCH), "search.html", "search", "Search"))
    for person in site.contributors:
        pages += _listing_pages(person.url_path, person.pieces + person.translated, site.config.per_page, "contributor.html", "contributor", person.name, contributor=person.name)
    for tag in site.tags:
        pages += _tag_pages(tag, site.config.per_page)
    pages.append(Page(NOT_FOUND, "404.html", "404.html", "404", "Not found"))
    pages += _files_for_readers_and_hosts(site)
    return tuple(pages)


def feed_path(listing_path: str) -> str:
    """The URL path of a listing's Atom feed: ``/`` → ``/feed.xml``, ``/tags/mist/`` → ``/tags/mist/feed.xml``."""
    return f"{listing_path}{FEED_FILE}"


def feed_entries(pieces: Iterable[Piece]) -> tuple[str, ...]:
    """URL paths of the pieces a feed carries: the newest :data:`FEED_ENTRIES`, newest first, drafts left out."""
    newest = sorted((piece for piece in pieces if not piece.draft), key=newest_first)
    return tuple(piece.url_path for piece in newest[:FEED_ENTRIES])


def listing_page_path(first_page: str, number: int) -> str:
    """The URL path of page ``number`` of a listing: ``/tags/mist/page/2/``."""
    return first_page if number == 1 else f"{first_page}page/{number}/"


def out_file_of(url_path: str) -> str:
    """Pretty URLs: ``/lake/`` is written as ``lake/index.html``."""
    if not url_path.endswith("/"):
        return url_path.lstrip("/")
    folder = url_path.strip("/")
    return f"{folder}/index.html" if folder else "index.html"


def _first_lines_pages(site: Site) -> list[Page]:
    """The index of first lines: one page, or (more than firstlines.ONE_PAGE lines) a page of letters and a page a letter."""
    title = "First lines and titles"
    pages = [Page(FIRST_LINES, out_file_of(FIRST_LINES), "first-lines.html", "first-lines", title)]
    if firstlines.is_split(site):
        for letter in firstlines.letters(site):
            first_page, count = firstlines.letter_path(letter.letter), firstlines.pages_of(letter)
            for number in range(1, count + 1):
                path = listing_page_path(first_page, number)
                page_title = f"{title}: {letter.letter}" if number == 1 else f"{title}: {letter.letter} (page {number})"
                pages.append(Page(path, out_file_of(path), "first-lines.html", "first-lines", page_title, letter=letter.letter, number=number, count=count))
    return pages


def _tag_pages(tag: Tag, per_page: int) -> list[Page]:
    return _listing_pages(tag.url_path, tag.pieces, per_page, "tag.html", "tag", tag.name, tag=tag.key)


def _section_pages(site: Site, section: Section, per_page: int) -> list[Page]:
    """A section's contents: its pieces and those of its sub-sections, in reading order, as the home lists them."""
    entries = tuple(piece.url_path for piece in site.pieces_under(section))
    return _listing_pages(section.url_path, entries, per_page, "section.html", "section", section.title, section=section.path)


def _listing_pages(
    first_page: str, entries: tuple[str, ...], per_page: int, layout: str, kind: str, title: str, tag: str | None = None, section: str | None = None, contributor: str | None = None
) -> list[Page]:
    """A listing split into pages of per_page pieces: page 1 at first_page, then ``page/2/``…"""
    chunks = [entries[start : start + per_page] for start in range(0, len(entries), per_page)] or [()]
    return [
        Page(
            listing_page_path(first_page, number),
            out_file_of(listing_page_path(first_page, number)),
            layout,
            kind,
            title if number == 1 else f"{title} (page {number})",
            tag=tag,
            section=section,
            contributor=contributor,
            entries=chunk,
            number=number,
            count=len(chunks),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _files_for_readers_and_hosts(site: Site) -> list[Page]:
    """Pages rendered in Python, without a layout: feeds, sitemap, robots.txt, GitHub Pages' files."""
    title = site.config.title
    pages = [Page(feed_path(HOME), FEED_FILE, "", "feed", title, entries=feed_entries(site.pieces))]
    for tag in site.tags:
        path = feed_path(tag.url_path)
        pages.append(Page(path, out_file_of(path), "", "feed", tag.name, tag=tag.key, entries=feed_entries(site.piece(url_path) for url_path in tag.pieces)))
    for section in site.sections[1:]:
        path = feed_path(section.url_path)
        pages.append(Page(path, out_file_of(path), "", "feed", section.title, section=section.path, entries=feed_entries(site.pieces_under(section))))
    pages.append(Page(SITEMAP, out_file_of(SITEMAP), "", "sitemap", "Sitemap"))
    pages.append(Page(ROBOTS, out_file_of(ROBOTS), "", "robots", "robots.txt"))
    pages.append(Page("/.nojekyll", ".nojekyll", "", "nojekyll", ".nojekyll"))
    if site.config.cname:
        pages.append(Page("/CNAME", "CNAME", "", "cname", "CNAME"))
    return pages
