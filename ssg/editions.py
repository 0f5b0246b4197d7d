"""Files made from the whole site at once: the search index, the EPUB and the PDF.

A page is made from a few values; these are made from every piece, so each
is one unit for the build: what it is made from (a digest of plain values,
compared ``old != new`` as pages are), and a way to make its files when that
changed.  Each is made from the site (its digest: every piece, tag, section and
setting) and the bytes of the files of content/ a book may carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ssg import search
from ssg.book import book_of, edition_path
from ssg.epub import make_epub
from ssg.model import Config, Output, Site, value_digest
from ssg.pdf import make_pdf  # which imports WeasyPrint, an optional extra, only when a PDF is made


@dataclass(frozen=True)
class Made:
    """An edition as the last build made it."""

    made_from: bytes
    files: tuple[str, ...]
    """Its output files (``the-book-of-dreams.epub``; every file of ``pagefind/``)."""


@dataclass(frozen=True)
class Edition:
    """An edition the settings ask for: what it is made from, and how to make it."""

    kind: str
    """``search``, ``epub`` or ``pdf``."""
    made_from: bytes
    make: Callable[[], list[Output]]


def kinds(config: Config) -> tuple[str, ...]:
    """The editions the settings ask for, in the order they are made."""
    return tuple(kind for kind, wanted in (("search", config.search), ("epub", config.epub), ("pdf", config.pdf)) if wanted)


def edition(kind: str, site: Site, files: Mapping[str, tuple[Path, bytes]], cache_dir: Path) -> Edition:
    """One edition of the site.

    `files`: every file of content/ published as it is, by site path
    (``/static/moon.jpg``) → the file and the digest of its bytes: what a
    book may carry of them counts in what it is made from.
    """
    made_from = bytes.fromhex(value_digest(kind, site.digest, sorted((site_path, digest.hex()) for site_path, (_, digest) in files.items())))
    if kind == "search":
        return Edition(kind, made_from, lambda: search.index_files(site, cache_dir))
    paths = {site_path: file for site_path, (file, _) in files.items()}
    return Edition(kind, made_from, lambda: [_book_file(site, kind, paths)])


_MAKERS = {"epub": make_epub, "pdf": make_pdf}


def _book_file(site: Site, kind: str, files: Mapping[str, Path]) -> Output:
    return Output(edition_path(site.config.title, kind).lstrip("/"), _MAKERS[kind](book_of(site), files))
