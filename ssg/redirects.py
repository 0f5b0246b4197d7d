"""The page at an old URL of a piece (Hugo's ``aliases``, Jekyll's ``redirect_from``).

A page of the plan (kind ``redirect``) rendered here in Python, as Hugo and
jekyll-redirect-from make it: a meta refresh for browsers, a canonical link
for search engines, and a plain link for anything that follows neither.
"""

from __future__ import annotations

from html import escape

from ssg.model import Page, Site
from ssg.urls import absolute_url


def render_redirect(site: Site, page: Page, context: dict) -> bytes:
    """A small HTML page sending the reader on to context["piece"]."""
    piece = context["piece"]
    title, href = escape(piece.title), escape(piece.url)
    canonical = escape(absolute_url(site.config.base_url, piece.url_path))
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(site.config.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This piece has moved: <a href="{href}">{title}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    ).encode()
