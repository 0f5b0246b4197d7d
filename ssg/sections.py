"""The shape of content/: which folder is a section, which file describes it, where each piece belongs.

Every folder under content/ is a section, as in Hugo: its page is at its
folder's path, and its pieces are listed there in reading order.  The
conventions of the tools writers come from keep their meaning, so a site
copied as it is builds as it was:

- ``_index.md`` describes its folder (Hugo's branch bundle): title,
  description, weight, ``cascade:`` defaults, and an introduction (its body).
  The one at the top of content/ is the home page's welcome.
- ``index.md`` alone in a folder is a piece at the folder's place (Hugo's leaf
  bundle: ``poems/ariane/index.md`` is the piece ``ariane``); beside other
  pieces, or at the top of content/, it describes its folder as ``_index.md``
  would (Jekyll's index pages).
- ``_posts/`` holds pieces of the folder above it (Jekyll's posts), and so
  does ``_drafts/``, as drafts; any other ``_name/`` is the section ``name``
  (a Jekyll collection); Jekyll's own folders (:data:`NOT_CONTENT`) are not
  content at all.  Other files whose name starts with ``_`` are not pieces.

A pure function of the list of files (:func:`content_tree`), so a rebuild
works it out again whenever a file comes or goes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssg.errors import Problem
from ssg.slugs import folder_segment

SECTION_FILE = "_index.md"
COLOPHON_FILE = "_colophon.md"
"""At the top of content/: the acknowledgements of the colophon (``/colophon/``)."""
INDEX_FILE = "index.md"
POSTS = "_posts"
DRAFTS = "_drafts"
TRANSPARENT = (POSTS, DRAFTS)
"""Folders whose pieces belong to the folder above them."""
NOT_CONTENT = frozenset({"_layouts", "_includes", "_data", "_sass", "_site", "_plugins", "_config", "_pages_site"})
"""Jekyll's folders of templates, data and output: never pieces."""
URLS = ("flat", "folders")
"""``[tool.ssg] urls``: pieces at ``/<slug>/``, or at their section's path ``/<section>/<slug>/``."""


@dataclass(frozen=True)
class Place:
    """What a piece's place in content/ says about it."""

    section: str
    """The path of its section's folder under content/ (``seasons/10_dixieme_saison``); ``""`` for content/ itself."""
    name: str
    """Its slug unless its front matter gives one: the file's name, or a leaf bundle's folder's name."""
    url_prefix: str
    """What its URL starts with: ``/`` (``urls = "flat"``), or its section's URL path (``"folders"``)."""
    draft: bool = False
    """Under ``_drafts/``: a draft whatever its front matter says."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Front matter it starts from: ``[tool.ssg.defaults]`` and its sections' ``cascade`` (filled in by the loader)."""


@dataclass(frozen=True)
class Folder:
    """A section's folder: where it is, where it is published, and the file that describes it."""

    path: str
    url_path: str
    parent: str | None
    """The path of the section above it; None for content/ itself."""
    file: str | None
    """The content path of its ``_index.md`` (or describing ``index.md``), if it has one."""


@dataclass(frozen=True)
class ContentTree:
    """Every Markdown file of content/ by its role."""

    pieces: dict[str, Place]
    """Content path (``seasons/1/aube.md``) → its place."""
    folders: dict[str, Folder]
    """Section path → its folder, for every folder that holds a piece or describes itself, and content/ itself."""
    problems: tuple[Problem, ...] = ()
    colophon: str | None = None
    """``_colophon.md`` when content/ has it."""


def is_content_file(parts: tuple[str, ...]) -> bool:
    """Whether a file, by its path's parts under content/, is a piece or describes a section.

    The watcher asks this of every path an event names, so it reads only names.
    """
    name = parts[-1]
    if not name.endswith(".md") or any(part.startswith(".") or part in NOT_CONTENT for part in parts):
        return False
    return not name.startswith("_") or name == SECTION_FILE or parts == (COLOPHON_FILE,)


def content_tree(paths: Iterable[str], urls: str, content_name: str = "content") -> ContentTree:
    """The role of every Markdown file of content/, from their paths (``/``-separated, under content/)."""
    paths = sorted(paths)
    markdown_in: dict[str, int] = {}
    """Folder → how many Markdown files it holds, at any depth (section files aside)."""
    for path in paths:
        if posixpath.basename(path) not in (SECTION_FILE, COLOPHON_FILE):
            for folder in _folders_above(path):
                markdown_in[folder] = markdown_in.get(folder, 0) + 1
    pieces: dict[str, Place] = {}
    describing: dict[str, str] = {}
    problems: list[Problem] = []
    colophon = COLOPHON_FILE if COLOPHON_FILE in paths else None
    for path in paths:
        if path == colophon:
            continue
        folder, name = posixpath.split(path)
        section = section_of(folder)
        if name == SECTION_FILE or (name == INDEX_FILE and (folder == "" or markdown_in[folder] > 1)):
            if section in describing:
                first, second = sorted((describing[section], path))
                problems.append(
                    Problem(
                        f"{content_name}/{second}",
                        None,
                        f"{content_name}/{first} describes this folder already",
                        f"keep one: {SECTION_FILE} describes a section (its title and introduction); rename {INDEX_FILE} to make it a piece",
                    )
                )
            else:
                describing[section] = path
            continue
        if name == INDEX_FILE:  # alone in its folder: a leaf bundle
            folder, name = posixpath.split(folder)
            section = section_of(folder)
        pieces[path] = Place(section, name.removesuffix(".md"), "", DRAFTS in path.split("/")[:-1])
    folders = _folders(set(describing) | {place.section for place in pieces.values()}, describing)
    if urls == "folders":
        pieces = {path: Place(place.section, place.name, folders[place.section].url_path, place.draft) for path, place in pieces.items()}
    else:
        pieces = {path: Place(place.section, place.name, "/", place.draft) for path, place in pieces.items()}
    return ContentTree(pieces, folders, tuple(problems), colophon)


def section_of(folder: str) -> str:
    """The section a folder's files belong to: the folder itself, or above it for ``_posts/`` and ``_drafts/``."""
    parts = folder.split("/") if folder else []
    while parts and parts[-1] in TRANSPARENT:
        parts.pop()
    return "/".join(parts)


def _folders_above(path: str) -> Iterable[str]:
    folder = posixpath.dirname(path)
    while folder:
        yield folder
        folder = posixpath.dirname(folder)
    yield ""


def _folders(sections: set[str], describing: dict[str, str]) -> dict[str, Folder]:
    """Every section folder, its ancestors included (a folder of folders is a section too)."""
    every = {""}
    for section in sections:
        parts = section.split("/") if section else []
        every.update(section_of("/".join(parts[:n])) for n in range(1, len(parts) + 1))
    folders = {}
    for path in sorted(every):
        parts = [part for part in path.split("/") if part not in TRANSPARENT] if path else []
        url_path = "/" + "".join(f"{folder_segment(part)}/" for part in parts)
        parent = None if not path else section_of(posixpath.dirname(path))
        folders[path] = Folder(path, url_path, parent, describing.get(path))
    return folders
