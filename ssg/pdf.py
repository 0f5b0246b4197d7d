"""The print-ready PDF edition: the book (:mod:`ssg.book`) laid out in pages by WeasyPrint.

The whole book is one HTML document (``theme/book/book.html``) styled by one
print stylesheet (``theme/book/book.css``), rendered once: the contents and
the indexes get their page numbers from ``target-counter``, the running heads
from ``string-set``.  It is set in EB Garamond, shipped in ``theme/fonts/``,
so the book looks the same on every machine.

WeasyPrint reads nothing but the files of the book: a fetcher serves the
theme's fonts and the site's own files (``files``), and refuses anything
else, so a piece cannot make a build read ``/etc/passwd`` or the network.

The same site gives the same bytes: the PDF's dates are the book's
``modified``, its identifier the book's ``identifier``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

import jinja2

from ssg.book import Book, Chapter, book_html, with_deepest_indent
from ssg.errors import SiteError
from ssg.figures import is_image
from ssg.i18n import catalogue
from ssg.templates import THEME_DIR
from ssg.urls import url_for
from ssg.verse import MAX_LEVEL

FONTS_DIR = THEME_DIR / "fonts"
SITE_ORIGIN = "https://site.book.invalid/"
"""Where the document's links to the site's files point, for the fetcher to find them (``.invalid`` never resolves)."""
FONTS_ORIGIN = "https://fonts.book.invalid/"
INDENT_EM = 1.5
"""One level of a poem's indent."""
HANG_EM = 2
"""How far a runover hangs past the poem's deepest indent."""
MAX_CREDITED = 4
"""A title page without editors names the authors when they are this few; an anthology of many names none."""

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(THEME_DIR / "book"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ID = re.compile(r"""(\s)(id\s*=\s*["']|href\s*=\s*["']#)""")


def make_pdf(book: Book, files: Mapping[str, Path]) -> bytes:
    """The PDF of the book; `files` maps a site path (``/night/moon.jpg``) to the file published there."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=book_document(book, files), base_url=SITE_ORIGIN, url_fetcher=_fetcher(files))
    return document.write_pdf(pdf_identifier=hashlib.md5(book.identifier.encode()).hexdigest().encode())


def book_document(book: Book, files: Mapping[str, Path]) -> str:
    """The book as one HTML document, its stylesheet inline."""
    config = book.site.config
    words = catalogue(book.language)
    authors = tuple(dict.fromkeys(name for chapter in book.chapters for name in chapter.piece.authors))
    return _ENV.get_template("book.html").render(
        book=book,
        config=config,
        _=words.gettext,
        credit=authors if len(authors) <= MAX_CREDITED else (),
        bodies={chapter.id: _book_body(chapter.piece.body_html, chapter.id, book, files) for chapter in book.chapters},
        intros={part.id: _book_body(part.section.intro_html, part.id, book, files) for part in book.parts},
        acknowledgements=_book_body(book.site.colophon.html, "colophon", book, files),
        modified=book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        edition_date=words.long_date(book.modified),
        page_size=config.pdf_page,
        font_url=FONTS_ORIGIN,
        max_level=MAX_LEVEL,
        indent=INDENT_EM,
        hang=HANG_EM,
    )


def _book_body(body_html: str, scope: str, book: Book, files: Mapping[str, Path]) -> str:
    """A piece's (or an introduction's) HTML in the book: its ids its own, links inside the book, poems marked."""
    if not body_html:
        return ""

    def file_href(site_path: str) -> str | None:
        # Only images are shown in the book; a link to another file goes to the web site.
        return url_for("/", site_path) if site_path in files and is_image(site_path) else None

    return with_deepest_indent(book_html(_scoped_ids(body_html, scope), book, _chapter_href, file_href))


def _chapter_href(chapter: Chapter, fragment: str) -> str:
    return f"#{chapter.id}-{fragment}" if fragment else f"#{chapter.id}"


def _scoped_ids(body_html: str, scope: str) -> str:
    """Every id of a piece prefixed with its chapter's (``fn:1`` → ``piece-0003-fn:1``), and its own links with them.

    One document holds every piece, and each piece's footnotes are ``fn:1``,
    ``fn:2``…: unscoped, every note reference would lead to the first piece's notes.
    """
    return _ID.sub(lambda match: f"{match.group(1)}{match.group(2)}{scope}-", body_html)


def _weasyprint():
    """WeasyPrint, an optional extra: imported only when a PDF is wanted, and named as the fix when missing."""
    try:
        import weasyprint
    except ImportError as error:
        raise SiteError.at("pyproject.toml", None, "the PDF edition needs WeasyPrint, which is not installed", "pip install 'ssg[print]'") from error
    except OSError as error:  # WeasyPrint is there, the Pango library it draws text with is not
        raise SiteError.at(
            "pyproject.toml",
            None,
            f"the PDF edition needs WeasyPrint, which cannot start: {error}",
            "install Pango (apt-get install libpango-1.0-0, brew install pango): https://doc.courtbouillon.org/weasyprint/stable/first_steps.html",
        ) from error
    return weasyprint


def _fetcher(files: Mapping[str, Path]):
    """A WeasyPrint URL fetcher that serves the theme's fonts and the site's files, and refuses anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BookFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            file = book_file(url, files)
            if file is None:
                raise ValueError(f"{url} is not a file of the book: a PDF edition reads nothing from outside the site")
            media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": media_type})

    return BookFetcher()


def book_file(url: str, files: Mapping[str, Path]) -> Path | None:
    """The file a URL of the book document stands for: a font of the theme, a file of the site; None for any other."""
    if url.startswith(FONTS_ORIGIN):
        name = unquote(url[len(FONTS_ORIGIN) :])
        font = FONTS_DIR / name
        return font if "/" not in name and font.suffix == ".otf" and font.is_file() else None
    if url.startswith(SITE_ORIGIN):
        return files.get("/" + unquote(url[len(SITE_ORIGIN) :].partition("#")[0].partition("?")[0]))
    return None
