"""The persistent cache, ``.ssg-cache/`` beside the site: what a build knew, for the next one.

Two files, each keyed so that knowledge made by other code or other settings
is never used:

- ``content-<key>.pickle``: every file's parsed and rendered piece, by the
  digest of its bytes;
- ``build-<key>.pickle``: what the last ``ssg build`` into an output folder
  made every file from, so that a build with nothing changed writes nothing.

Both keys start from :func:`code_key`: a digest of ssg's own files and the
versions of Python and of every library that shapes the output.  Changed
ssg code (even an uncommitted edit) or a new Markdown, Pygments, Jinja2 or
PyYAML starts afresh (pelican#1544); no version number has to be bumped by
hand.  The content key adds the settings a piece's HTML depends on; the
build key adds every setting and option.

The folder may come from an earlier checkout of the site, as the Pages
workflow restores it with the output folder (actions/cache; a runner checks
out to the same folder every time, and the keys hold the site's folder): a
stamp is never trusted alone, since a checkout gives every file a new one.  A source whose stamp moved is known unchanged by the digest of its
bytes (ssg.load), and so is an output file (ssg.build).

A missing, truncated, corrupt or foreign cache is ignored and rebuilt, never
fatal.  Pickle is safe here because the cache is the user's own, beside their
sources.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ssg.model import Config, value_digest

CACHE_DIR = ".ssg-cache"
OUTPUT_LIBRARIES = (
    "Markdown",
    "Pygments",
    "Jinja2",
    "MarkupSafe",
    "PyYAML",
    "pyuca",
    "pillow",
    "babel",
    "pagefind-bin",
    "cbor2",
    "weasyprint",
    "pydyf",
    "pyphen",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "fonttools",
)
"""The distributions whose code shapes the bytes ssg writes; add any new one here."""
_PACKAGE = Path(__file__).resolve().parent


@cache
def code_key() -> str:
    """ssg's own code and the versions of what it builds with, as one digest."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"python {sys.version_info[:3]}\0".encode())
    for name in OUTPUT_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name} {version}\0".encode())
    for file in sorted(_PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(f"{file.relative_to(_PACKAGE).as_posix()}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def content_key(config: Config) -> str:
    """What a parsed piece is kept under: the code, and every setting its HTML is made with (its place aside, kept with it)."""
    return _key(code_key(), config.site_dir, config.content_dir, config.base_path, config.author, config.language, config.ignore_keys, config.dashes)


def _key(*parts: object) -> str:
    """A short name for what the parts are (16 hex digits, in a file name)."""
    return value_digest(*parts)[:16]


def build_key(config: Config, *options: object) -> str:
    """What a build's memory is kept under: the code, the settings, the output folder it describes, the build's options."""
    return _key(code_key(), config.digest, config.output_dir, *options)


_PART = 2000
"""A dict is stored in parts of this many items, each a pickle of its own (see :func:`write`)."""


def read(config: Config, name: str, key: str, kind: type, *, shared: Callable[[Any], Any] | None = None) -> Any | None:
    """What was stored under name and key, if it is a `kind`; else None.

    `shared` gives back the objects `write` named by reference (raising if one is not there as it was).
    """
    try:
        with (config.site_dir / CACHE_DIR / f"{name}-{key}.pickle").open("rb") as stored:
            unpickler = pickle.Unpickler(stored)
            if shared is not None:
                unpickler.persistent_load = shared  # type: ignore[method-assign]
            stored_key, value = unpickler.load()
            if stored_key != key:
                return None
            if isinstance(value, _Parts):
                parts = value
                value = {}
                for _ in range(parts.count):
                    value.update(pickle.load(stored))
    except Exception:  # missing, truncated, written by other code: start afresh
        return None
    return value if isinstance(value, kind) else None


def write(config: Config, name: str, key: str, value: Any, *, shared: Callable[[Any], Any] | None = None) -> None:
    """Store value under name and key, replacing older entries of that name; never fails a build.

    `shared` names the objects kept in another file of the cache (the pieces,
    in the content file): they are written as that name, not again.
    """
    folder = config.site_dir / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        temporary = folder / f".{name}-{key}.{os.getpid()}.tmp"
        with temporary.open("wb") as stored:
            if isinstance(value, dict) and len(value) > _PART:
                # A pickler remembers every object it wrote until the end: for
                # 100,000 pieces, hundreds of MiB.  A dict's items are written
                # in parts, each forgetting the last's.
                items = list(value.items())
                parts = range(0, len(items), _PART)
                pickle.dump((key, _Parts(len(parts))), stored, protocol=pickle.HIGHEST_PROTOCOL)
                for start in parts:
                    pickle.dump(dict(items[start : start + _PART]), stored, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                pickler = pickle.Pickler(stored, protocol=pickle.HIGHEST_PROTOCOL)
                if shared is not None:
                    pickler.persistent_id = shared  # type: ignore[method-assign]
                pickler.dump((key, value))
        temporary.replace(folder / f"{name}-{key}.pickle")
        for old in folder.glob(f"{name}-*.pickle"):
            if old.name != f"{name}-{key}.pickle":
                old.unlink(missing_ok=True)
        for left in folder.glob(f".{name}-*.tmp"):  # left by a build killed while writing
            pid = left.name.rsplit(".", 2)[-2]
            if not (pid.isdigit() and _alive(int(pid))):
                left.unlink(missing_ok=True)
    except OSError:
        pass


@dataclass(frozen=True)
class _Parts:
    """Stands for a dict stored in `count` parts after it."""

    count: int


def _alive(pid: int) -> bool:
    """Whether a process of that id runs (its temporary file may be in the making)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
