"""The EPUB 3 edition: the anthology as one e-book, read from its cover to its colophon.

What it holds, in reading order: a cover drawn from the title (SVG), a title
page, the contents (the navigation document), each part's title page and its
pieces, the contributors, the index of first lines and the colophon.  The
pages are the theme's own words (:mod:`ssg.i18n`) in XHTML made by the
layouts of ``ssg/theme/epub/``; a piece's body is its web HTML with its links
pointing into the book (:func:`ssg.book.book_html`), made XML
(:mod:`ssg.xhtml`).  Images the pieces show are packed; anything else of the
site is linked on the web.

The file is the same, byte for byte, from build to build: entries in a fixed
order, fixed dates and modes, the ``mimetype`` first and stored, as the OCF
container asks, and the package's date is the book's (never the clock).
"""

from __future__ import annotations

import functools
import html
import io
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from ssg.book import Book, Chapter, Part, book_html, with_deepest_indent
from ssg.figures import WIDTHS, variant_name
from ssg.i18n import catalogue
from ssg.model import names_text
from ssg.templates import THEME_DIR
from ssg.urls import absolute_url
from ssg.xhtml import to_xhtml

LAYOUTS_DIR = THEME_DIR / "epub"
"""The e-book's layouts and stylesheet."""
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}
"""The images an EPUB reading system must show (its core media types); any other is linked on the web."""
IMAGES = "images/"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the earliest a ZIP file can say, the same in every build."""
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
_IMAGE_LINK = re.compile(r'\shref="images/([^"#]*)"')
_IMAGE_SOURCE = re.compile(r'\ssrc="(images/[^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_FRAGMENT_LINK = re.compile(r'(\shref=")((?:piece|part)-[0-9]+\.xhtml)#([^"]*)"')
_UNDESCRIBED = re.compile(r"""<img(?![^>]*\salt=["'][^"']*[^\s"'])[^>]*>""")
"""An image without a text alternative (no alt, or an empty one)."""


@dataclass(frozen=True)
class Document:
    """One XHTML file of the book."""

    name: str
    """Its file name in OEBPS/ (``piece-0014.xhtml``)."""
    text: str
    properties: str = ""
    """The manifest's properties (``nav``, ``svg``)."""


@dataclass(frozen=True)
class NavEntry:
    """A line of the contents: a part with what it holds, or a piece."""

    title: str
    href: str
    lang: str = ""
    children: tuple[NavEntry, ...] = ()


def make_epub(book: Book, files: Mapping[str, Path]) -> bytes:
    """The EPUB of a book; `files` maps the site path of each file of content/ published as it is to its file."""
    images = ImageNames(book, files)
    render = _renderer(book)
    documents = _without_lost_fragments(_documents(book, images, render))
    shown = sorted({name for document in documents for name in _IMAGE_SOURCE.findall(document.text)})
    packed = {name: images.files[name] for name in shown}
    media_types = {name: MEDIA_TYPES[os.path.splitext(name)[1].lower()] for name in packed}
    package = render("package.opf", documents=documents, images=media_types, **_metadata(book, documents, bool(packed)))
    entries = [
        ("META-INF/container.xml", CONTAINER.encode()),
        ("OEBPS/package.opf", package.encode()),
        ("OEBPS/book.css", (LAYOUTS_DIR / "book.css").read_bytes()),
        ("OEBPS/cover.svg", _cover(book, render).encode()),
        *((f"OEBPS/{document.name}", document.text.encode()) for document in documents),
        *((f"OEBPS/{name}", file.read_bytes()) for name, file in packed.items()),
    ]
    return _zipped(entries)


def _documents(book: Book, images: ImageNames, render: Callable[..., str]) -> list[Document]:
    """Every page of the book, in reading order."""
    chapter_of = _chapter_finder(book)
    acknowledgements = Markup(_book_xhtml(book, book.site.colophon.html, images))
    return [
        Document("cover.xhtml", render("cover.xhtml")),
        Document("title.xhtml", render("title.xhtml", editors=book.site.config.colophon.editors)),
        Document("nav.xhtml", render("nav.xhtml", contents=_contents(book), first=_first_document(book)), "nav"),
        *_body(book, images, render),
        Document("contributors.xhtml", render("contributors.xhtml", contributors=book.contributors, chapter_of=chapter_of)),
        Document("first-lines.xhtml", render("first-lines.xhtml", letters=book.first_lines, chapter_of=chapter_of)),
        Document("colophon.xhtml", render("colophon.xhtml", editors=book.site.config.colophon.editors, acknowledgements=acknowledgements)),
    ]


def _cover(book: Book, render: Callable[..., str]) -> str:
    """The cover, drawn from the title and subtitle: SVG text does not wrap, so the lines are cut here, the title's size set by its longest."""
    lines = _wrapped(book.title, 16)
    return render("cover.svg", lines=lines, size=min(110, 1800 // max(map(len, lines), default=1)), subtitle_lines=_wrapped(book.site.config.subtitle, 30))


class ImageNames:
    """The name in the book of each image of the site a page shows: ``/night/moon.jpg`` → ``images/night-moon.jpg``.

    A wide photo is carried as its widest narrower copy (1280 pixels) when that
    is lighter: sharp on any e-reader's screen, at a fraction of the weight.

    Names are plain ASCII (some reading systems stumble on others) and are
    given in the order the pages ask for them, so they are the same in every build.
    """

    def __init__(self, book: Book, files: Mapping[str, Path]):
        self.book = book
        self.site_files = files
        self.names: dict[str, str] = {}
        """Site path → href in the book."""
        self.files: dict[str, Path] = {}
        """Href in the book → the file."""

    def href(self, site_path: str) -> str | None:
        """Where the book keeps a site file: an image of a kind every reading system shows; None for any other file."""
        stem, suffix = os.path.splitext(site_path)
        if site_path not in self.site_files or suffix.lower() not in MEDIA_TYPES:
            return None
        if site_path not in self.names:
            name = base = IMAGES + (re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "image")
            count = 1
            while name + suffix.lower() in self.files:
                count += 1
                name = f"{base}-{count}"
            self.names[site_path] = name + suffix.lower()
            self.files[name + suffix.lower()] = self._lightest(site_path)
        return self.names[site_path]

    def _lightest(self, site_path: str) -> Path:
        """The image itself or its widest narrower copy, whichever is fewer bytes (a drawing's PNG may be lighter whole)."""
        copy = self.site_files.get(variant_name(site_path, max(WIDTHS)))
        original = self.site_files[site_path]
        return copy if copy is not None and copy.stat().st_size < original.stat().st_size else original

    def web_link(self, match: re.Match) -> str:
        """An ``href`` to a packed image (a link, not a picture: e-books link only to their pages), as the web site's."""
        site_path = next(path for path, name in self.names.items() if name == IMAGES + match.group(1))
        base_url = self.book.site.config.base_url
        return f' href="{absolute_url(base_url, site_path)}"' if base_url.startswith(("http://", "https://")) else ""


def _body(book: Book, images: ImageNames, render: Callable[..., str]) -> list[Document]:
    """The parts and their pieces, in reading order: a title page for each part below content/ itself."""
    documents = []
    for part in book.parts:
        if part.depth > 0:
            intro = Markup(_book_xhtml(book, part.section.intro_html, images))
            documents.append(Document(f"{part.id}.xhtml", render("part.xhtml", part=part, intro=intro)))
        for chapter in part.chapters:
            documents.append(_chapter_document(book, chapter, images, render))
    return documents


def _chapter_document(book: Book, chapter: Chapter, images: ImageNames, render: Callable[..., str]) -> Document:
    piece = chapter.piece
    site = book.site
    body = Markup(_book_xhtml(book, with_deepest_indent(piece.body_html), images))
    text = render("piece.xhtml", chapter=chapter, piece=piece, lang=piece.lang or book.language, body=body, authors=site.authors_of(piece), translators=site.translators_of(piece))
    return Document(f"{chapter.id}.xhtml", text, "svg" if "<svg" in body else "")


def _book_xhtml(book: Book, html: str, images: ImageNames) -> str:
    """Web HTML as the book's XHTML: links into the book, images packed (or, when they cannot be, their alt text)."""
    rewritten = book_html(html, book, _chapter_href, images.href)
    return _IMAGE_LINK.sub(images.web_link, to_xhtml(rewritten, keep_image=lambda src: src.startswith(IMAGES)))


def _chapter_href(chapter: Chapter, fragment: str) -> str:
    return f"{chapter.id}.xhtml" + (f"#{fragment}" if fragment else "")


def _without_lost_fragments(documents: list[Document]) -> list[Document]:
    """The documents with each link to a chapter's anchor that the chapter lacks pointed at the chapter itself.

    The web page of a piece has ids its body has not (the page's own); a link
    to one finds the piece in the book, where a reading system would find nothing.
    """
    ids = {document.name: {html.unescape(found) for found in _ID.findall(document.text)} for document in documents}

    def checked(match: re.Match) -> str:
        name, fragment = match.group(2), unquote(html.unescape(match.group(3)))
        return match.group(0) if fragment in ids.get(name, ()) else f'{match.group(1)}{name}"'

    return [replace(document, text=_FRAGMENT_LINK.sub(checked, document.text)) for document in documents]


def _contents(book: Book) -> list[NavEntry]:
    """The contents, parts nested as the sections are, each piece under its part."""
    parts = {part.section.path: part for part in book.parts}

    def pieces(part: Part | None) -> list[NavEntry]:
        return [NavEntry(chapter.piece.title, _chapter_href(chapter, ""), chapter.piece.lang) for chapter in part.chapters] if part else []

    def entry(path: str) -> NavEntry:
        part = parts[path]
        children = pieces(part) + [entry(sub) for sub in part.section.sections if sub in parts]
        return NavEntry(part.section.title, f"{part.id}.xhtml", "", tuple(children))

    root = book.site.sections[0] if book.site.sections else None
    return pieces(parts.get("")) + [entry(path) for path in (root.sections if root else ()) if path in parts]


def _first_document(book: Book) -> str:
    """Where the body of the book begins: its first part or piece (the colophon, for a book of none)."""
    for part in book.parts:
        if part.depth > 0:
            return f"{part.id}.xhtml"
        if part.chapters:
            return _chapter_href(part.chapters[0], "")
    return "colophon.xhtml"


def _chapter_finder(book: Book) -> Callable[[str], str]:
    """For the layouts: a site URL path → the href of its chapter."""

    def href(url_path: str) -> str:
        chapter = book.chapter_of(url_path)
        assert chapter is not None, url_path  # the book's lists (contributors, first lines) name only its own pieces
        return _chapter_href(chapter, "")

    return href


def _metadata(book: Book, documents: list[Document], has_images: bool) -> dict:
    """What the package says of the book: who made it, when, and how it can be read.

    It claims EPUB Accessibility 1.1 (WCAG 2.1 AA) only when every image the
    pieces show has a text alternative: the rest (structure, order, language
    of each part, navigation) the book's layouts provide.
    """
    contributors = book.contributors
    return {
        "creators": [person for person in contributors if person.pieces],
        "translators": [person for person in contributors if person.translated and not person.pieces],
        "modified": book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "has_images": has_images,
        "summary": _accessibility_summary(has_images),
        "conforms": not any(_UNDESCRIBED.search(document.text) for document in documents),
    }


def _accessibility_summary(has_images: bool) -> str:
    summary = (
        "A book of text in reading order, with a table of contents, headings for every part and piece, "
        "an index of first lines and a stylesheet that leaves fonts, sizes and colours to the reader. "
        "Verse keeps its lines and indents with markup, not with spaces."
    )
    return summary + (" Every image has a text alternative written by its author." if has_images else "")


def _renderer(book: Book) -> Callable[..., str]:
    """A function that renders a layout of the e-book with the book's words in its language."""
    words = catalogue(book.language)
    base = {"book": book, "config": book.site.config, "site": book.site, "lang": book.language, "names": names_text}
    environment = _environment()

    def render(layout: str, **context) -> str:
        return environment.get_template(layout).render(base, _=words.gettext, ngettext=words.ngettext, **context)

    return render


@functools.cache
def _environment() -> jinja2.Environment:
    """The layouts of the e-book, compiled once a process."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(LAYOUTS_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _wrapped(text: str, width: int) -> list[str]:
    """Words in lines of about `width` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _zipped(entries: list[tuple[str, bytes]]) -> bytes:
    """The OCF container: ``mimetype`` first, stored, no extra field; every entry with a fixed date and mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [("mimetype", b"application/epub+zip"), *entries]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
