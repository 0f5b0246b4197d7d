"""Search by word, contributor, mood, section and form: the Pagefind index of the pieces.

Pagefind (the ``pagefind-bin`` package ships its binary) indexes HTML pages
into a folder of small files that the browser fetches as a reader types.  It
does not index the site's pages: every piece is written as a *record*, a
small page made of its plain values (title, byline, language, filters and
body), so the index depends on the site's values alone, never on a layout
(what it is made from: see ``editions``).  Pagefind runs
over the records in a scratch folder of ``.ssg-cache/``; its files come back
as the build's outputs, under ``/pagefind/``, and are written with the rest.

Only the ``/search/`` page loads the search code: the pieces' pages stay free
of scripts (the navigation links to ``/search/``, whose form is a plain GET).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cbor2
import pagefind_bin

from ssg.errors import Problem, SiteError
from ssg.model import Output, Piece, Site

SEARCH_DIR = "pagefind"
"""Where the index is published: ``/pagefind/``, beside the site's pages."""

FILTERS = ("contributor", "mood", "section", "form")
"""What the search page filters by, as the index names them."""

_SCRATCH = "search"
"""The folder of .ssg-cache/ Pagefind works in (a folder a process, removed after)."""


def search_filters(site: Site) -> list[tuple[str, tuple[str, ...]]]:
    """What the search page offers to filter by, each with its values as the records name them."""
    return [
        ("contributor", tuple(person.name for person in site.contributors)),
        ("mood", tuple(tag.name for tag in site.tags)),
        ("section", tuple(dict.fromkeys(section.title for section in site.sections if section.depth > 0))),
        ("form", ("verse", "prose")),
    ]


def records(site: Site) -> Iterator[tuple[str, str]]:
    """Every published piece as Pagefind reads it: the record's file (``lake/index.html``) and its HTML, one at a time.

    The file's path gives the result's URL (``/lake/``, under the site's base
    path in the browser); ``lang`` the index it goes to (each piece in its own
    language); ``data-pagefind-meta`` what a result shows; ``data-pagefind-filter``
    what narrows the results.  Made one at a time as Pagefind's scratch files
    are written, never held together: together they are every piece's HTML over again.
    """
    for piece in site.pieces:
        yield _record_file(piece.url_path), _record(site, piece)


def _record_file(url_path: str) -> str:
    folder = url_path.strip("/")
    return f"{folder}/index.html" if folder else "index.html"


def _record(site: Site, piece: Piece) -> str:
    section = site.section_of(piece)
    filters = [("contributor", name) for name in piece.authors + piece.translators]
    filters += [("mood", tag.name) for tag in site.tags_of(piece)]
    if section is not None and section.depth > 0:
        filters.append(("section", section.title))
    filters.append(("form", piece.form))
    head = "".join(f'<meta data-pagefind-filter="{name}[content]" content="{html.escape(value)}">' for name, value in filters)
    byline = f'<p data-pagefind-meta="author">{html.escape(piece.author)}</p>' if piece.author else ""
    return (
        f'<!DOCTYPE html><html lang="{html.escape(piece.lang or site.config.language)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(piece.title)}</title>{head}</head><body><main data-pagefind-body>"
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="5">{html.escape(piece.title)}</h1>{byline}'
        f"{piece.body_html}</main></body></html>"
    )


def index_files(site: Site, cache_dir: Path) -> list[Output]:
    """Pagefind's index of the site's records, as the output files of ``/pagefind/``; SiteError if Pagefind fails.

    No records, no index (Pagefind stops on a site without pages): the search page then says there is nothing to search.
    """
    if not site.pieces:
        return []
    scratch = cache_dir / _SCRATCH / str(os.getpid())
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        site_dir, bundle = scratch / "records", scratch / "bundle"
        for name, page in records(site):
            file = site_dir / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(page, encoding="utf-8")
        _run_pagefind(site_dir, bundle)
        made = {file.relative_to(bundle).as_posix(): file.read_bytes() for file in sorted(bundle.rglob("*")) if file.is_file()}
        return [Output(f"{SEARCH_DIR}/{name}", data) for name, data in sorted(_settled(made).items())]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            scratch.parent.rmdir()  # unless another process is indexing too


def _settled(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files with its filters in a fixed order, so that the same records give the same bytes.

    Pagefind lists a filter's values, and a language's filters, in the order
    of a hash map seeded anew in every run.  Its filter and meta files are
    gzipped CBOR (``pagefind_dcd`` and an array): the lists are sorted, the
    files named again by the digest of what they now hold (as Pagefind names
    them, ``en_1a2b3c4``), and the names they are known by changed to match.
    """
    renamed: dict[str, str] = {}
    settled = dict(files)
    for name in [name for name in files if name.startswith("filter/")]:
        label, values = _read_cbor(files[name])
        renamed[_hash_of(name)] = _write_cbor(settled, name, "filter/{}.pf_filter", 7, [label, sorted(values)])
    for name in [name for name in files if name.endswith(".pf_meta")]:
        meta = _read_cbor(files[name])
        meta[3] = sorted([label, renamed.get(file_hash, file_hash)] for label, file_hash in meta[3])
        renamed[_hash_of(name)] = _write_cbor(settled, name, "pagefind.{}.pf_meta", 10, meta)
    entry = json.loads(files["pagefind-entry.json"])
    entry["languages"] = {language: {**index, "hash": renamed.get(index["hash"], index["hash"])} for language, index in sorted(entry["languages"].items())}
    settled["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return settled


_CBOR_SIGNATURE = b"pagefind_dcd"


def _read_cbor(data: bytes) -> list:
    raw = gzip.decompress(data)
    if not raw.startswith(_CBOR_SIGNATURE):  # another Pagefind than the one ssg knows
        raise SiteError(
            [Problem("pyproject.toml", None, "the search index could not be made: Pagefind wrote a file ssg cannot read", "install the Pagefind ssg is made for: pip install 'pagefind-bin>=1.1,<2'")]
        )
    return cbor2.loads(raw[len(_CBOR_SIGNATURE) :])


def _write_cbor(files: dict[str, bytes], old_name: str, pattern: str, digits: int, value: list) -> str:
    """Replace files[old_name] by value, gzipped, under its new name; returns its new hash (``en_1a2b3c4``)."""
    raw = _CBOR_SIGNATURE + cbor2.dumps(value)
    language = _hash_of(old_name).partition("_")[0]
    new_hash = f"{language}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    del files[old_name]
    files[pattern.format(new_hash)] = gzip.compress(raw, compresslevel=9, mtime=0)
    return new_hash


def _hash_of(name: str) -> str:
    """``filter/en_1a2b3c4.pf_filter`` → ``en_1a2b3c4``; ``pagefind.en_1a2b3c4d5e.pf_meta`` → ``en_1a2b3c4d5e``."""
    stem = name.rpartition("/")[2].rpartition(".")[0]
    return stem.removeprefix("pagefind.")


def _run_pagefind(site_dir: Path, bundle: Path) -> None:
    try:
        command = [str(pagefind_bin.get_executable()), "--site", str(site_dir), "--output-path", str(bundle), "--silent"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:  # no binary for this platform, or it would not start
        raise SiteError([Problem("pyproject.toml", None, f"the search index could not be made: {error}", _NO_SEARCH)]) from None
    if run.returncode != 0:
        said = (run.stderr or run.stdout).strip().splitlines()
        raise SiteError([Problem("pyproject.toml", None, f"the search index could not be made: Pagefind said {said[-1] if said else f'nothing (exit {run.returncode})'}", _NO_SEARCH)])


_NO_SEARCH = "reinstall ssg (its pagefind-bin dependency ships Pagefind for Linux, macOS and Windows), or set search = false in [tool.ssg]"
