"""Atom feeds (RFC 4287): ``/feed.xml`` for the anthology, ``/tags/<tag>/feed.xml`` per tag, ``/<section>/feed.xml`` per section.

A feed is a page of the output like any other (``routes.plan`` gives it, kind
``feed``, with its entries: the newest :data:`ssg.routes.FEED_ENTRIES` pieces,
newest first), rendered here in Python instead of by a layout, so that its
bytes are exactly what a feed reader needs and the same on every build:

- entries carry their pieces' full text as escaped HTML (``<content type="html">``);
- ids are the pieces' absolute URLs, so an entry keeps its id from one build
  to the next and is the same entry in the site's feed and a tag's feed;
- ``updated`` comes from the pieces, never from the clock: an entry's is its
  piece's ``lastmod``, else its date (an undated piece's, the newest of the
  site's: see :func:`undated_updated`), a feed's is its newest entry's, and an
  empty feed's is :data:`EMPTY_FEED_UPDATED`; an undated piece's entry has no
  ``published``;
- an entry names its piece's first :data:`ENTRY_CATEGORIES` tags as
  categories, the same in every feed it is in (a piece with thousands of tags
  is in thousands of feeds);
- every link is absolute (``base_url`` with its host), and the HTML of an
  entry carries ``xml:base`` so that its footnote links resolve on its page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from ssg.model import Page, Piece, Site, Tag
from ssg.urls import absolute_url, origin_of

ATOM = "http://www.w3.org/2005/Atom"
ENTRY_CATEGORIES = 12
"""How many of its piece's tags an entry names (its first ones): enough to file it by, and a few hundred bytes in each of its tags' feeds."""
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""``updated`` of a feed without entries: a fixed date, since there is no piece to take one from."""
MEDIA_TYPE = "application/atom+xml"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_ROOT_RELATIVE = re.compile(r"""(<[a-zA-Z][^>]*?\s(?:href|src)\s*=\s*)(["'])(/(?!/)[^"']*)\2""")


def render_feed(site: Site, page: Page, context: dict) -> bytes:
    """The Atom document of a feed page: a tag's, a section's, or else the site's."""
    config = site.config
    if page.tag is not None:
        tag = site.tag(page.tag)
        title, listing_path, subtitle = f"{tag.name} — {config.title}", tag.url_path, tag.description
    elif page.section is not None:
        section = site.section(page.section)
        title, listing_path, subtitle = f"{section.title} — {config.title}", section.url_path, section.description
    else:
        title, listing_path, subtitle = config.title, "/", config.description
    pieces = [site.piece(url_path) for url_path in page.entries]

    feed = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: config.language})
    _text(feed, "id", absolute_url(config.base_url, page.url_path))
    _text(feed, "title", title)
    if subtitle:
        _text(feed, "subtitle", subtitle)
    ET.SubElement(feed, "link", rel="self", type=MEDIA_TYPE, href=absolute_url(config.base_url, page.url_path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=absolute_url(config.base_url, listing_path))
    undated = undated_updated(site)
    _text(feed, "updated", _timestamp(max((p.updated or undated for p in pieces), default=EMPTY_FEED_UPDATED)))
    _person(feed, "author", config.author or config.title)
    _text(feed, "generator", "ssg")
    for piece in pieces:
        feed.append(_entry(site, piece, undated))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def entry_tags(site: Site, piece: Piece) -> tuple[Tag, ...]:
    """The tags an entry names as its categories: the piece's first :data:`ENTRY_CATEGORIES`."""
    return tuple(map(site.tag, piece.tag_keys[:ENTRY_CATEGORIES]))


def undated_updated(site: Site) -> datetime:
    """The ``updated`` of a piece that has neither a date nor a lastmod: the newest of the
    published pieces' (so it is the same in every feed), else :data:`EMPTY_FEED_UPDATED`."""
    return max((piece.updated for piece in site.pieces if piece.updated is not None and not piece.draft), default=EMPTY_FEED_UPDATED)


def _entry(site: Site, piece: Piece, undated: datetime) -> ET.Element:
    base_url = site.config.base_url
    url = absolute_url(base_url, piece.url_path)
    entry = ET.Element("entry", {_XML_LANG: piece.lang} if piece.lang else {})
    _text(entry, "id", url)
    _text(entry, "title", piece.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    if piece.date is not None:
        _text(entry, "published", _timestamp(piece.date))
    _text(entry, "updated", _timestamp(piece.updated or undated))
    for name in piece.authors:
        _person(entry, "author", name)
    for name in piece.translators:
        _person(entry, "contributor", name)
    for tag in entry_tags(site, piece):
        ET.SubElement(entry, "category", term=tag.name, label=tag.name)
    if piece.summary:
        _text(entry, "summary", piece.summary)
    content = _text(entry, "content", absolute_links(base_url, piece.body_html))
    content.set("type", "html")
    content.set(_XML_BASE, url)
    return entry


def absolute_links(base_url: str, body_html: str) -> str:
    """body_html with its root-relative hrefs and srcs made absolute, for readers that ignore xml:base."""
    origin = origin_of(base_url)
    if not origin:
        return body_html
    return _ROOT_RELATIVE.sub(lambda m: f"{m[1]}{m[2]}{origin}{m[3]}{m[2]}", body_html)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _person(parent: ET.Element, role: str, name: str) -> None:
    _text(ET.SubElement(parent, role), "name", name)


def _timestamp(moment: datetime) -> str:
    """RFC 3339, as Atom wants it: ``2026-02-14T00:00:00Z``, or with the piece's own offset."""
    text = moment.isoformat(timespec="seconds")
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
