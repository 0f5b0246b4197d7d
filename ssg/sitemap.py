"""What crawlers and the host read at the root of a site.

``/sitemap.xml`` (sitemaps.org 0.9) and ``/robots.txt`` are pages of the plan
(kinds ``sitemap`` and ``robots``) rendered here in Python; ``.nojekyll`` and
``CNAME`` (kinds ``nojekyll``, ``cname``) are GitHub Pages' own files.
Dates come from the pieces, never from the clock, so the bytes are the same
on every build of the same sources.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, time

from ssg.index import NO_DATE
from ssg.model import Page, Piece, Site
from ssg.urls import absolute_url

SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LISTED_KINDS = ("home", "section", "piece", "tags", "tag", "first-lines", "contributors", "contributor", "colophon")
"""Pages a search engine should know about: every HTML page but 404.html."""


def sitemap_urls(site: Site, pages: tuple[Page, ...]) -> tuple[tuple[str, str | None], ...]:
    """(URL path, lastmod) of every published HTML page: what the sitemap is made of.

    A page's lastmod is when the newest piece it shows last changed (its
    ``lastmod``, else its date; every piece, for the home pages and the list
    of tags); None when none of them is dated.
    """
    newest_overall = max((piece for piece in site.pieces if not piece.draft), key=_date, default=None)
    urls = []
    for listed in pages:
        if listed.kind not in LISTED_KINDS:
            continue
        if listed.kind == "piece":
            assert listed.piece is not None  # a piece page names its piece
            shown = [site.piece(listed.piece)]
        elif listed.kind in ("home", "tags", "first-lines", "contributors", "colophon"):
            shown = [newest_overall] if newest_overall else []
        else:
            shown = [site.piece(url_path) for url_path in listed.entries]
        shown = [piece for piece in shown if not piece.draft]
        if listed.kind == "piece" and not shown:
            continue  # a draft (built with --drafts) is not for search engines
        urls.append((listed.url_path, _lastmod(max(shown, key=_date)) if shown else None))
    return tuple(urls)


def render_sitemap(site: Site, page: Page, context: dict) -> bytes:
    """The sitemap of context["urls"] (see sitemap_urls), with absolute URLs."""
    urlset = ET.Element("urlset", xmlns=SITEMAPS)
    for url_path, lastmod in context["urls"]:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(site.config.base_url, url_path)
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def _date(piece: Piece):
    return (piece.updated is not None, piece.updated or NO_DATE)


def render_robots(site: Site, page: Page, context: dict) -> bytes:
    """Allow every crawler and point it at the sitemap.

    Crawlers read robots.txt only at the root of a host, so this one counts
    for a custom domain or a user site, not under a project's sub-path.
    """
    sitemap = absolute_url(site.config.base_url, "/sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def render_nojekyll(site: Site, page: Page, context: dict) -> bytes:
    """Empty: its presence tells GitHub Pages to serve the files as they are, without Jekyll."""
    return b""


def render_cname(site: Site, page: Page, context: dict) -> bytes:
    """The custom domain, for GitHub Pages (planned only when the settings name one)."""
    return f"{site.config.cname}\n".encode()


def _lastmod(piece: Piece) -> str | None:
    """A day, or a full time with seconds (the sitemap schema rejects a time without them)."""
    if piece.lastmod is not None:
        day_only = piece.lastmod.timetz() == time(0, tzinfo=UTC)
        return piece.lastmod.date().isoformat() if day_only else piece.lastmod.isoformat(timespec="seconds")
    if piece.date is None:
        return None  # lastmod is optional: better none than a made-up one
    return piece.date.isoformat(timespec="seconds") if piece.timed else piece.date.date().isoformat()
