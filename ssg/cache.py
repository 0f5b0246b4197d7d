"""The persistent cache, ``.ssg-cache/`` beside the site: what a build knew, for the next one.

Two files, each keyed so that stale knowledge can never be used:

- ``content-<key>.pickle``: every file's parsed and rendered piece, by the
  digest of its bytes.  The key covers the ssg version, the Markdown settings
  and the settings a piece's HTML depends on (base path, language, default
  author), so a new ssg or a changed setting starts afresh (pelican#1544).
- ``build-<key>.pickle``: what the last ``ssg build`` into an output folder
  rendered and wrote, so that a build with nothing changed writes nothing.
  Its key covers every setting and option.

A missing, truncated or corrupt cache is ignored and rebuilt, never fatal.
Pickle is safe here because the cache is the user's own, beside their sources.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from typing import Any

from ssg import __version__, markup
from ssg.model import Config

CACHE_DIR = ".ssg-cache"


def content_key(config: Config) -> str:
    return _digest(__version__, markup.SETTINGS_VERSION, config.site_dir, config.content_dir, config.base_path, config.author, config.language)


def build_key(config: Config, *options: object) -> str:
    return _digest(__version__, markup.SETTINGS_VERSION, repr(config), *options)


def read(config: Config, name: str, key: str) -> Any | None:
    """What was stored under name and key, or None."""
    try:
        with (config.site_dir / CACHE_DIR / f"{name}-{key}.pickle").open("rb") as stored:
            stored_key, value = pickle.load(stored)
    except Exception:  # missing, truncated, from another version: start afresh
        return None
    return value if stored_key == key else None


def write(config: Config, name: str, key: str, value: Any) -> None:
    """Store value under name and key, replacing older entries of that name; never fails a build."""
    folder = config.site_dir / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        temporary = folder / f".{name}-{key}.{os.getpid()}.tmp"
        with temporary.open("wb") as stored:
            pickle.dump((key, value), stored, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(folder / f"{name}-{key}.pickle")
        for old in folder.glob(f"{name}-*.pickle"):
            if old.name != f"{name}-{key}.pickle":
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _digest(*parts: object) -> str:
    return hashlib.blake2b("\0".join(str(part) for part in parts).encode(), digest_size=8).hexdigest()
