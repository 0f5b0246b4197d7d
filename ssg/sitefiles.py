"""Which files ssg may read: the one policy for symbolic links, and the listing that applies it.

As on GitHub Pages, a link is followed only when its target lies inside the
site folder (``config.site_dir``, the resolved folder of pyproject.toml).  A
link out of it is never read, whether it names a file or a folder: it is a
problem at the link's own path, so that ``ln -s /etc/passwd
content/static/passwd.txt`` or a link to ``/proc/self/environ`` in CI can
never publish what it points to.  A link to nothing and a folder that links to
one of the folders holding it (a cycle, which would list files forever) are
problems too.  Every reader (the pieces, static files, theme assets and the
Jinja loader) goes through :func:`link_problem` or :func:`list_files`.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from ssg.errors import Problem
from ssg.model import Config

OUTSIDE = "links outside the site folder"
_OUTSIDE_HINT = "copy what it points to into the site folder instead of linking to it: like GitHub Pages, ssg follows only links that stay inside the site folder"


def is_inside(site_dir: Path, resolved: Path) -> bool:
    """Whether a resolved path lies in the (resolved) site folder: a test of path parts, never a string prefix."""
    return resolved.is_relative_to(site_dir)


def link_problem(config: Config, path: Path) -> Problem | None:
    """Why ssg must not read through `path`, or None when it may.

    The path is resolved through every link on its way, so a link in a parent
    folder counts as well.  A path that does not exist and is not a link is
    no business of this policy: its reader reports it missing.
    """
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        if not path.is_symlink():
            return None
        return Problem(config.relative(path), None, "links to nothing: its target does not exist", "fix the link or delete it")
    except (OSError, RuntimeError):  # a loop of links: RuntimeError before Python 3.13, ELOOP after
        return Problem(config.relative(path), None, "is a loop of links that never reaches a file", "fix the link or delete it")
    if not is_inside(config.site_dir, target):
        return Problem(config.relative(path), None, OUTSIDE, _OUTSIDE_HINT)
    return None


def list_files(config: Config, folder: Path, *, skip: Collection[str] = ()) -> tuple[list[Path], list[Problem]]:
    """The files under a folder, sorted, and the problems of the links that were refused.

    Hidden names (``.git``, ``.DS_Store``) are skipped, and so are the
    top-level folders named in `skip`.  Links whose target is inside the site
    folder are followed, folders included; a link that is refused is never
    listed, so a reader that reads only listed files reads nothing from
    outside.  Only links are resolved: the entries of a folder say for free
    whether they are links, so listing 10,000 plain files costs no more than before.
    """
    problem = link_problem(config, folder)
    if problem:
        return [], [problem]
    if not folder.is_dir():
        return [], []
    files: list[Path] = []
    problems: list[Problem] = []
    real = folder.resolve()
    # Each folder to list, with the real folders the walk went through to it:
    # a link to a folder holding one of them would reach it again, forever.
    todo: list[tuple[Path, tuple[Path, ...]]] = [(folder, (real,))]
    while todo:
        here, chain = todo.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as error:
            problems.append(Problem(config.relative(here), None, f"cannot list the folder: {error.strerror}", "check that it exists and is readable"))
            continue
        for entry in entries:
            if entry.name.startswith(".") or (here is folder and entry.name in skip):
                continue
            path = here / entry.name
            if entry.is_symlink():
                problem = link_problem(config, path)
                if problem:
                    problems.append(problem)
                    continue
                target = path.resolve()
                if target.is_dir():
                    if any(above.is_relative_to(target) for above in chain):
                        problems.append(
                            Problem(config.relative(path), None, "links to a folder that holds it, so its files would be listed forever", "link to a folder beside it instead, or delete the link")
                        )
                    else:
                        todo.append((path, (*chain, target)))
                elif target.is_file():
                    files.append(path)
            elif entry.is_dir(follow_symlinks=False):
                todo.append((path, (*chain, chain[-1] / entry.name)))
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
    files.sort()
    problems.sort(key=lambda problem: problem.path)
    return files, problems
