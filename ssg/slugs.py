"""Slugs, tag keys, and joining paths that can never leave their folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

_NOT_WORD = re.compile(r"[^\w]+")
_NOT_WORD_OR_UNDERSCORE = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’ʼ]")


def tag_key(name: str) -> str:
    """How tags compare: ``Mist``, ``mist`` and `` mist `` are one tag."""
    return unicodedata.normalize("NFC", name).strip().casefold()


MAX_SLUG_BYTES = 200
"""The longest slug, in bytes of UTF-8.

A slug names a folder of output/ (``/<slug>/``, ``/tags/<slug>/``), and file
systems refuse a name over 255 bytes (ext4, APFS, NTFS's 255 UTF-16 units are
more).  200 leaves room for what a host or tool adds to a name (``.html``,
``.orig``), and is far longer than any slug worth reading.
"""


def too_long(slug: str) -> bool:
    """Whether a slug is longer than a folder name may safely be (see MAX_SLUG_BYTES)."""
    return len(slug.encode("utf-8")) > MAX_SLUG_BYTES


def slugify(text: str) -> str:
    """A URL segment that keeps letters of every script and loses punctuation.

    ``Lake of Glass!`` → ``lake-of-glass``, ``Keeper's`` → ``keepers``, ``rêve`` → ``rêve``, ``夢`` → ``夢``,
    ``tes_mains`` → ``tes-mains`` (underscores are word breaks, as Jekyll and Zola make them).
    The result never contains ``/``, ``.`` or ``\\``, so it cannot climb out of
    a folder; it may be empty, which callers must treat as an error.
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text).casefold())
    return _NOT_WORD_OR_UNDERSCORE.sub("-", text).strip("-")


def folder_segment(name: str) -> str:
    """The URL segment of a folder of content/: as :func:`slugify`, but underscores kept.

    A folder's path is its section's URL (``seasons/10_dixieme_saison`` →
    ``/seasons/10_dixieme_saison/``), as Hugo publishes it; only case and
    punctuation change.
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFC", name).casefold())
    return _NOT_WORD.sub("-", text).strip("-_")


def fresh_join(root: Path, relative: str) -> Path:
    """``root / relative`` inside a folder ssg has just made (no link in it to follow), checked by the name alone.

    As safe_join, without resolving each path on disk: a build swapping in a
    folder of 10,000 files would spend seconds on it.
    """
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or "\0" in relative:
        raise ValueError(f"{relative!r} would be written outside {root}")
    return root.joinpath(*parts)


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would land outside ``root``."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"{relative!r} would be written outside {root}")
    return target
