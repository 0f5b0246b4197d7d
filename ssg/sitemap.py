"""What crawlers and the host read at the root of a site.

``/sitemap.xml`` (sitemaps.org 0.9) and ``/robots.txt`` are pages of the plan
(kinds ``sitemap`` and ``robots``) rendered here in Python; ``.nojekyll`` and
``CNAME`` (kinds ``nojekyll``, ``cname``) are GitHub Pages' own files.
Dates come from the pieces, never from the clock, so the bytes are the same
on every build of the same sources.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ssg.model import Page, Piece, Site
from ssg.routes import plan
from ssg.urls import absolute_url

SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LISTED_KINDS = ("home", "piece", "tags", "tag")
"""Pages a search engine should know about: every HTML page but 404.html."""


def render_sitemap(site: Site, page: Page) -> bytes:
    """Every published HTML page with its absolute URL and the date of its newest piece."""
    urlset = ET.Element("urlset", xmlns=SITEMAPS)
    for listed in plan(site):
        if listed.kind not in LISTED_KINDS:
            continue
        shown = [site.piece(listed.piece)] if listed.piece else [site.piece(slug) for slug in listed.entries]
        if listed.kind in ("home", "tags"):
            shown = list(site.pieces)
        shown = [piece for piece in shown if not piece.draft]
        if listed.kind == "piece" and not shown:
            continue  # a draft (built with --drafts) is not for search engines
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(site.config.base_url, listed.url_path)
        if shown:
            ET.SubElement(url, "lastmod").text = _lastmod(max(shown, key=lambda p: p.date))
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def render_robots(site: Site, page: Page) -> bytes:
    """Allow every crawler and point it at the sitemap.

    Crawlers read robots.txt only at the root of a host, so this one counts
    for a custom domain or a user site, not under a project's sub-path.
    """
    sitemap = absolute_url(site.config.base_url, "/sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def render_nojekyll(site: Site, page: Page) -> bytes:
    """Empty: its presence tells GitHub Pages to serve the files as they are, without Jekyll."""
    return b""


def render_cname(site: Site, page: Page) -> bytes:
    """The custom domain, for GitHub Pages (planned only when the settings name one)."""
    return f"{site.config.cname}\n".encode()


def _lastmod(piece: Piece) -> str:
    """A day, or a full time with seconds (the sitemap schema rejects a time without them)."""
    return piece.date.isoformat(timespec="seconds") if piece.timed else piece.date.date().isoformat()
