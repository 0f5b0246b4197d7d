"""Links that authors write in Markdown: to other pieces by their file, to static files.

An author links a piece the way their editor does, by its source file,
relative to the piece's folder (``[the lake](lake-of-glass.md)``,
``[ferry](../night/night-ferry.md#deck)``) or from content/ with a leading
slash (``/night/night-ferry.md``); a static file by its place under content/
(``![moon](/static/moon.jpg)``, or ``static/moon.jpg``); a page of the site by
its path (``/tags/mist/``).  ssg turns each into the URL it is published at,
base path included, so a moved slug or a site under a sub-path never breaks
a link; a link to a piece or file that does not exist is a problem at its
line.  External links (``https:``, ``mailto:``, ``//host``) and bare
``#fragments`` are left as written.

Two steps, because the URL of another piece is known only once every file is
loaded:

- :func:`outgoing` (at load, per piece; cacheable with it) lists the internal
  links of a body with the line each is written on, found by searching the
  Markdown for the link as written;
- :func:`resolve_links` (after index, over the whole site; pure) rewrites
  them in every body and reports the broken ones.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from ssg.errors import Problem
from ssg.figures import ImageInfo, attributes
from ssg.model import Colophon, Page, Piece, Section, Site
from ssg.urls import split_url, url_for

# A start tag as Markdown writes it (text inside code is escaped to &lt;, so
# never matches), and its href/src attributes in any of HTML's three quotings.
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_IMG = re.compile(r"<img(?=[\s/>])", re.IGNORECASE)
_SIZED = re.compile(r"\s(?:width|srcset)\s*=", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

Links = tuple[tuple[str, int], ...]
"""(target as written, file line) of each internal link of a body, in order."""


def is_internal(target: str) -> bool:
    """Whether a link points into the site: not external, not only a fragment or query."""
    return bool(target) and not target.startswith(("#", "?", "//")) and not _SCHEME.match(target)


def outgoing(body_html: str, body_markdown: str, body_line: int) -> Links:
    """The internal links of a body, each with the file line it is written on.

    The k-th link to a target is placed at the k-th place the target is
    written in the Markdown (a reference definition counts), else at the
    place before; a target the Markdown does not spell as written (an
    HTML entity in raw HTML) falls back to the body's first line.
    """
    links = []
    searched_from: dict[str, int] = {}
    for target in _targets(body_html):
        if not is_internal(target):
            continue
        start = searched_from.get(target, 0)
        found = body_markdown.find(target, start)
        if found < 0:
            found = body_markdown.find(target)
        searched_from[target] = found + len(target) if found >= 0 else start
        line = body_line + body_markdown.count("\n", 0, found) if found >= 0 else body_line
        links.append((target, line))
    return tuple(links)


def resolve_links(site: Site, pages: Iterable[Page], all_pieces: Iterable[Piece], static_files: Iterable[str], *, resolver: Resolver | None = None) -> tuple[Site, tuple[Problem, ...]]:
    """The site with every internal link of every body and introduction rewritten to its URL, and the broken links.

    pages are the site's planned pages (links may name them by path); the
    plan does not depend on bodies, so it stays true of the returned site.
    A broken link is left as written; the caller decides whether it stops
    the build (``--strict``, the default) or warns.  all_pieces are every loaded
    piece, drafts and future ones included, only to explain why a link to
    one of them is broken.  A resolver made for a site of the same structure
    (the same sources, slugs, pages and static files) may be passed to reuse.
    """
    resolver = resolver or Resolver(site, pages, all_pieces, static_files)
    problems: list[Problem] = []
    pieces = tuple(_rewritten(resolver, piece, "body_html", problems) for piece in site.pieces)
    sections = tuple(_rewritten(resolver, section, "intro_html", problems) for section in site.sections)
    colophon = _rewritten(resolver, site.colophon, "html", problems)
    return replace(site, pieces=pieces, sections=sections, colophon=colophon), tuple(problems)


def _rewritten(resolver: Resolver, holder: Piece | Section | Colophon, field: str, problems: list[Problem]) -> Any:
    """A piece (its body), a section (its introduction) or the colophon with its links rewritten; the broken ones added to problems."""
    if not holder.links:
        return holder
    html_text, broken = resolver.rewrite(getattr(holder, field), holder.source, holder.links)
    problems += broken
    if isinstance(holder, Piece):
        return holder.with_body(html_text)
    rewritten: dict[str, Any] = {field: html_text}
    return replace(holder, **rewritten)


def _targets(body_html: str) -> Iterable[str]:
    for tag in _TAG.finditer(body_html):
        for attribute in _ATTRIBUTE.finditer(tag.group()):
            yield html.unescape(_value(attribute))


def _value(attribute: re.Match) -> str:
    return next(group for group in attribute.groups()[1:] if group is not None)


class Resolver:
    """What a link may point to in one site: its pieces by source, its static files and pages."""

    def __init__(
        self,
        site: Site,
        pages: Iterable[Page],
        all_pieces: Iterable[Piece],
        static_files: Iterable[str],
        failed: Iterable[str] = (),
        resources: Mapping[str, str] | None = None,
        images: Mapping[str, ImageInfo] | None = None,
    ):
        config = site.config
        self.base_path = config.base_path
        self.content_prefix = config.relative(config.content_dir) + "/"
        self.published = {self._content_path(piece.source): piece for piece in site.pieces}
        self.unpublished = {self._content_path(piece.source): piece for piece in all_pieces if self._content_path(piece.source) not in self.published}
        self.static_paths = {f"/static/{name}" for name in static_files}
        self.page_paths = {page.url_path for page in pages}
        self.resources = dict(resources or {})
        """A file of content/ beside the pieces (``night/moon.jpg``) → the site path it is published at."""
        self.images = dict(images or {})
        """The site path of every image file (static or beside the pieces) → its size and narrower copies."""
        self.failed = {self._content_path(source) for source in failed}
        """Pieces that did not load (the build reports them): a link to one is not broken too."""
        self.folders = {section.path: section.url_path for section in site.sections}
        """A section's folder (``seasons/autumn``) → its page."""
        self.folders.update((self._content_path(section.source), section.url_path) for section in site.sections if section.source)
        self.by_name: dict[str, list[str]] = {}
        """A piece's file name (``passion.md``) → the places of the published pieces so named."""
        for place in self.published:
            self.by_name.setdefault(posixpath.basename(place), []).append(place)

    def rewrite(self, body_html: str, source: str, links: tuple[tuple[str, int | None], ...]) -> tuple[str, list[Problem]]:
        """body_html with its resolvable links rewritten, and a Problem for each broken one."""
        folder = posixpath.dirname(self._content_path(source))
        urls: dict[str, str] = {}
        sizes: dict[str, str] = {}
        """Target → the attributes an image of it gains (width, height, srcset)."""
        problems = []
        for target, line in links:
            url, url_path, hint = self._resolve(target, folder)
            if url is None:
                problems.append(Problem(source, line, f"broken link '{target}'", hint))
                continue
            urls[target] = url
            if not url_path or (image := self.images.get(url_path)) is None:
                continue
            if image.error and url_path.startswith("/static/"):
                continue  # content/static/ is copied as it is, placeholders too: it goes out without a size
            if image.error:
                problems.append(
                    Problem(
                        source, line, f"cannot read the image '{target}': {image.error}", "save it again as a JPEG, PNG, WebP, GIF or SVG file (is it whole, and named for its kind?), or remove it"
                    )
                )
            else:
                sizes[target] = attributes(image, url)

        def rewritten(attribute: re.Match) -> str:
            url = urls.get(html.unescape(_value(attribute)))
            return attribute.group() if url is None else f'{attribute.group(1)}"{html.escape(url)}"'

        def rewritten_tag(tag: re.Match) -> str:
            text = tag.group()
            if sizes and _IMG.match(text) and not _SIZED.search(text):
                source_attribute = next((attribute for attribute in _ATTRIBUTE.finditer(text) if attribute.group(1).strip().lower().startswith("src")), None)
                extra = sizes.get(html.unescape(_value(source_attribute))) if source_attribute else None
                if extra:
                    text = f"<img {extra}{text[4:]}"
            return _ATTRIBUTE.sub(rewritten, text)

        return _TAG.sub(rewritten_tag, body_html), problems

    def resolve(self, target: str, folder: str) -> tuple[str | None, str]:
        """The URL of a link written in a piece of folder, or None and a hint saying why not."""
        url, _, hint = self._resolve(target, folder)
        return url, hint

    def _resolve(self, target: str, folder: str) -> tuple[str | None, str | None, str]:
        """The URL of a link, the site path it names (None when unknown), or None and a hint saying why not."""
        path, query, fragment = split_url(target)
        written = unquote(path)
        if written.startswith("/"):
            candidates = [written.lstrip("/")]
        else:
            candidates = [posixpath.join(folder, written), written] if folder else [written]
        places = [place for place in map(_normalize, candidates) if place is not None]
        for place in places:
            url_path = self._url_path(place)
            if url_path is not None:
                return url_for(self.base_path, url_path + query + fragment), url_path, ""
            if {place, place.rstrip("/") + ".md", place.rstrip("/") + "/index.md"} & self.failed:
                return target, None, ""  # this build fails on that piece already
        if written.endswith(".md") and len(self.by_name.get(posixpath.basename(written), ())) == 1:
            # A file name found once in content/, as Hugo's ref finds it, and Jekyll's post_url.
            return url_for(self.base_path, self.published[self.by_name[posixpath.basename(written)][0]].url_path + query + fragment), None, ""
        return None, None, self._hint(written, places, folder)

    def _url_path(self, place: str) -> str | None:
        """The site path a content-relative place is published at, if it is published.

        A piece by its file (``night/lake.md``) or by its path without
        ``.md`` (``night/lake``, ``night/lake/``, as Hugo sites link), a
        section by its folder or its ``_index.md``, a static file, a page
        of the site by its path.
        """
        if place.endswith(".md"):
            piece = self.published.get(place)
            return piece.url_path if piece else self.folders.get(place)
        pieces = self._pieces_at(place)
        if pieces:  # a piece by its path: only when it names one piece (the hint names both)
            return pieces[0].url_path if len(pieces) == 1 else None
        if place in self.resources:
            return self.resources[place]
        url_path = "/" + place
        if url_path in self.static_paths or url_path in self.page_paths:
            return url_path
        if url_path + "/" in self.page_paths:
            return url_path + "/"
        return self.folders.get(place.rstrip("/"))

    def _pieces_at(self, place: str) -> list[Piece]:
        """The published pieces a path without ``.md`` can name: ``lake`` is ``lake.md`` or ``lake/index.md``."""
        stem = place.rstrip("/")
        return [self.published[name] for name in (f"{stem}.md", f"{stem}/index.md") if name in self.published]

    def _hint(self, written: str, places: list[str], folder: str) -> str:
        if not places:
            return "the link climbs out of the content folder; link pieces by their file inside content/"
        for place in places:
            both = self._pieces_at(place) if not place.endswith(".md") else []
            if len(both) > 1:
                return "it names two pieces: " + " and ".join(piece.source for piece in both) + "; link the one you mean by its file"
        for place in places:
            piece = self.unpublished.get(place if place.endswith(".md") else place.rstrip("/") + ".md")
            if piece is not None:
                reason = "a draft" if piece.draft else "dated in the future"
                flag = "--drafts" if piece.draft else "--future"
                return f"{self.content_prefix}{self._content_path(piece.source)} is {reason}, left out of this build: build with {flag}, or remove the link"
        same_name = self.by_name.get(posixpath.basename(written.rstrip("/")) if written.endswith(".md") else posixpath.basename(written.rstrip("/")) + ".md", [])
        close = same_name or difflib.get_close_matches(places[0] if places[0].endswith(".md") else places[0].rstrip("/") + ".md", list(self.published), n=3, cutoff=0.7)
        there = f"there is no piece {self.content_prefix}{places[0]}"
        where = "(paths are relative to the piece's folder, or to content/ with a leading /)"
        if close:
            named = " or ".join(f"'{posixpath.relpath(name, folder or '.')}' ({self.content_prefix}{name})" for name in close[:3])
            return f"{there}; did you mean {named}? {where}"
        if not written.endswith(".md"):
            return "link a piece by its file (lake-of-glass.md), a static file under content/static/ as /static/name, or a page by its path (/tags/mist/)"
        return f"{there} {where}"

    def _content_path(self, source: str) -> str:
        return source.removeprefix(self.content_prefix)


def _normalize(place: str) -> str | None:
    """A content-relative place without ``.`` and ``..``; None when it climbs out of content/."""
    trailing = "/" if place.endswith("/") else ""
    normal = posixpath.normpath(place) if place else "."
    if normal == "..":
        return None
    if normal.startswith(("../", "/")):
        return None
    return "" if normal == "." else normal + trailing
