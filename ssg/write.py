"""The only stage that touches the output folder.

A build is written into a staging folder beside output/ and swapped in, so
output/ is always a whole site, old or new, and files of removed pieces
disappear.  ssg refuses an output folder that would destroy the sources or
a folder it did not create.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from ssg.errors import SiteError
from ssg.model import Config, Output
from ssg.slugs import safe_join

MARKER = ".ssg-output"
"""Marks a folder as built by ssg, so that it may be replaced."""
MARKER_TEXT = b"This folder is built by ssg and replaced on every build.\n"


def check_output_dir(config: Config) -> None:
    """Refuse an output folder whose replacement would lose the user's files."""
    output_dir = config.output_dir
    shown = config.relative(output_dir)
    for name, folder in (("site", config.site_dir), ("content", config.content_dir), ("layouts", config.layouts_dir)):
        if output_dir == folder or folder.is_relative_to(output_dir):
            raise SiteError.at(shown, None, f"the output folder would contain the {name} folder, and every build replaces it", "choose another folder with --output, such as 'output'")
        if name != "site" and output_dir.is_relative_to(folder):
            raise SiteError.at(shown, None, f"the output folder is inside the {name} folder", "choose a folder outside content/ and layouts/, such as 'output'")
    if output_dir.exists() and not output_dir.is_dir():
        raise SiteError.at(shown, None, "the output path is a file, not a folder", "remove it or choose another --output")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise SiteError.at(shown, None, "the output folder is not empty and was not made by ssg", "empty it, or choose another folder with --output")


def write_site(config: Config, outputs: Iterable[Output | tuple[str, Path]]) -> int:
    """Write every output into a staging folder, then swap it in; returns the count.

    An output is a file's bytes, or (name, existing file) to hard-link.
    """
    check_output_dir(config)
    output_dir = config.output_dir
    staging = output_dir.with_name(f".{output_dir.name}.ssg-new")
    retired = output_dir.with_name(f".{output_dir.name}.ssg-old")
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    count = 0
    try:
        made_folders: set[Path] = set()
        for output in outputs:
            name = output.out_file if isinstance(output, Output) else output[0]
            out_file = safe_join(staging, name)
            if out_file.parent not in made_folders:
                out_file.parent.mkdir(parents=True, exist_ok=True)
                made_folders.add(out_file.parent)
            if isinstance(output, Output):
                out_file.write_bytes(output.data)
            else:
                os.link(output[1], out_file)
            count += 1
        (staging / MARKER).write_bytes(MARKER_TEXT)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if output_dir.exists():
        output_dir.rename(retired)
    staging.rename(output_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return count


def replace_site(config: Config, changed: Iterable[Output], kept: Iterable[str]) -> None:
    """Swap in a new output folder holding the changed files and the kept ones.

    Kept files are hard links to the current ones: nothing is copied, and
    their mtimes stay as they were.
    """
    output_dir = config.output_dir

    def files() -> Iterator[Output | tuple[str, Path]]:
        yield from changed
        for name in kept:
            yield name, safe_join(output_dir, name)

    write_site(config, files())


def write_changes(config: Config, outputs: Iterable[Output], removed: Iterable[str]) -> list[str]:
    """Update a built output folder in place: write the given files, delete the removed ones.

    For rebuilds (ssg serve / watch), where the preview server makes requests
    wait until the rebuild is done.  Each file is replaced atomically, so a
    reader never sees half a file.  Returns the files written and deleted.
    """
    check_output_dir(config)
    output_dir = config.output_dir
    touched = []
    for output in outputs:
        out_file = safe_join(output_dir, output.out_file)
        out_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = out_file.with_name(f".{out_file.name}.ssg-tmp")
        temporary.write_bytes(output.data)
        temporary.replace(out_file)
        touched.append(output.out_file)
    for name in sorted(removed):
        out_file = safe_join(output_dir, name)
        out_file.unlink(missing_ok=True)
        _prune_empty_folders(out_file.parent, output_dir)
        touched.append(name)
    return touched


def _prune_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
