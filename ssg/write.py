"""The only stage that touches the output folder.

A build is written into a staging folder beside output/ and swapped in, so
output/ is always a whole site, old or new, and files of removed pieces
disappear.  ssg refuses an output folder that would destroy the sources or
a folder it did not create.

The swap exchanges the two folders in one step (Linux's renameat2 with
RENAME_EXCHANGE), so no moment exists without an output/ for a SIGKILL to
land in.  output/ stays a plain folder: a symlink to a versioned folder would
also swap atomically, but ``tar`` without -h, ``rsync -a``, ``cp -r`` and
``git add`` would copy the link instead of the site.  Where the exchange is
not available (another system, some network file systems) the old folder is
renamed aside and the new one into place; a kill between those two renames
leaves the whole old site aside, and the next build puts it back.

Leftovers of a killed build (staging folder, old folder, temporary files)
live beside output/, never in it, so they are never published, and the next
command to take the output lock removes them.

That lock (``output_lock``) keeps two ssg commands from writing one output
folder at once: a build waits for another build, then goes on from what that
one left; it refuses at once a folder that ``ssg watch`` keeps, since that
never ends.  It is a POSIX record lock, released by the kernel when its
process dies, and, unlike flock, not inherited by the forked render workers,
which may outlive a killed build.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ssg.errors import SiteError
from ssg.model import Config, Output
from ssg.slugs import fresh_join, safe_join

MARKER = ".ssg-output"
"""Marks a folder as built by ssg, so that it may be replaced."""
MARKER_TEXT = b"This folder is built by ssg and replaced on every build.\n"

WAIT_SECONDS = 60.0
"""How long a build waits for another one writing the same output folder."""
_HELD: set[Path] = set()
"""Lock files this process holds: closing a second descriptor would release a POSIX lock."""


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
    if output_dir.is_dir() and not (output_dir / MARKER).is_file() and _has_entries(output_dir):
        raise SiteError.at(shown, None, "the output folder is not empty and was not made by ssg", "empty it, or choose another folder with --output")


def write_site(config: Config, outputs: Iterable[Output | tuple[str, Path]]) -> int:
    """Write every output into a staging folder, then swap it in; returns the count.

    An output is a file's bytes, or (name, existing file) to hard-link.
    """
    check_output_dir(config)
    output_dir = config.output_dir
    _tidy(output_dir)
    staging = _beside(output_dir, "new")
    staging.mkdir(parents=True)
    count = 0
    try:
        made_folders: set[Path] = set()
        for output in outputs:
            name = output.out_file if isinstance(output, Output) else output[0]
            out_file = fresh_join(staging, name)
            if out_file.parent not in made_folders:
                out_file.parent.mkdir(parents=True, exist_ok=True)
                made_folders.add(out_file.parent)
            if isinstance(output, Output):
                out_file.write_bytes(output.data)
            else:
                _link_or_copy(output[1], out_file)
            count += 1
        (staging / MARKER).write_bytes(MARKER_TEXT)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, output_dir)
    return count


def _link_or_copy(existing: Path, new: Path) -> None:
    """A hard link to a file of an output folder (never written in place, so safe to share); a copy across file systems."""
    try:
        os.link(existing, new)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copyfile(existing, new)


def replace_site(config: Config, changed: Iterable[Output], kept: Iterable[str]) -> None:
    """Swap in a new output folder holding the changed files and the kept ones.

    Kept files are hard links to the current ones: nothing is copied, and
    their mtimes stay as they were.
    """
    output_dir = config.output_dir

    def files() -> Iterator[Output | tuple[str, Path]]:
        yield from changed
        for name in kept:
            yield name, fresh_join(output_dir, name)  # a file this build keeps, named by ssg: linked, never written through

    write_site(config, files())


def write_changes(config: Config, outputs: Iterable[Output], removed: Iterable[str]) -> list[str]:
    """Update a built output folder in place: write the given files, delete the removed ones.

    For rebuilds (ssg serve / watch), where the preview server makes requests
    wait until the rebuild is done.  Each file is written beside output/ and
    renamed into place, so a reader never sees half a file and a killed
    rebuild leaves none in output/.  Returns the files written and deleted.
    """
    check_output_dir(config)
    output_dir = config.output_dir
    temporary = _beside(output_dir, "tmp")
    temporary.mkdir(exist_ok=True)
    touched: list[str] = []
    try:
        for output in outputs:
            out_file = safe_join(output_dir, output.out_file)
            out_file.parent.mkdir(parents=True, exist_ok=True)
            written = temporary / str(len(touched))
            written.write_bytes(output.data)
            written.replace(out_file)
            touched.append(output.out_file)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
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


@contextmanager
def output_lock(config: Config, command: str, *, on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold the output folder for one ssg command (build, deploy, watch), from reading the cache to the last write.

    A lock file beside output/ (never in it) names the holder.  A build
    waits up to WAIT_SECONDS for another build, telling on_wait once; a
    folder held by ``ssg watch`` is refused at once.  Raises SiteError.
    """
    check_output_dir(config)
    lock_file = _beside(config.output_dir, "lock")
    if lock_file in _HELD:
        yield
        return
    try:
        descriptor = _acquire(lock_file, command, config.relative(config.output_dir), on_wait)
    except OSError as error:  # a read-only or virtual folder (/proc), no permission
        raise SiteError.at(
            config.relative(config.output_dir), None, f"cannot write beside the output folder: {error.strerror or error}", "choose an output folder you can write to, with --output or output_dir"
        ) from None
    _HELD.add(lock_file)
    try:
        _tidy(config.output_dir)
        yield
    finally:
        _HELD.discard(lock_file)
        lock_file.unlink(missing_ok=True)  # while still locked: a waiter then sees a new file
        os.close(descriptor)


def _acquire(lock_file: Path, command: str, shown: str, on_wait: Callable[[str], None]) -> int:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    give_up_at = time.monotonic() + WAIT_SECONDS
    told = False
    while True:
        descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                os.close(descriptor)
                raise
            pid, _, other = os.pread(descriptor, 200, 0).decode(errors="replace").partition(" ")
            os.close(descriptor)
            pid, other = pid or "?", other.strip() or "build"  # empty: the holder is writing its name
            if other == "watch":
                raise SiteError.at(
                    shown, None, f"ssg watch (process {pid}) is keeping this folder up to date", "stop it before building into this folder, or build into another one with --output"
                ) from None
            if time.monotonic() >= give_up_at:
                raise SiteError.at(
                    shown, None, f"another ssg {other} (process {pid}) is writing this folder, for over {WAIT_SECONDS:.0f} s", "wait for it to finish, or stop it, then build again"
                ) from None
            if not told:
                on_wait(f"{shown}: waiting for another ssg {other} (process {pid}) writing this folder…")
                told = True
            time.sleep(0.05)
            continue
        if _is_linked(descriptor, lock_file):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()} {command}\n".encode(), 0)
            return descriptor
        os.close(descriptor)  # its holder removed it as we locked it: lock the new one


def _is_linked(descriptor: int, file: Path) -> bool:
    try:
        status = file.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (status.st_dev, status.st_ino) == (opened.st_dev, opened.st_ino)


def _beside(output_dir: Path, what: str) -> Path:
    """A working file or folder of ssg beside output/: new, old, tmp or lock."""
    return output_dir.with_name(f".{output_dir.name}.ssg-{what}")


def _tidy(output_dir: Path) -> None:
    """Put back the site a killed swap left aside, and remove what killed commands left."""
    retired = _beside(output_dir, "old")
    if not output_dir.exists() and (retired / MARKER).is_file():
        retired.rename(output_dir)
    for leftover in (_beside(output_dir, "new"), retired, _beside(output_dir, "tmp")):
        if leftover.exists():
            shutil.rmtree(leftover)


def _swap_in(staging: Path, output_dir: Path) -> None:
    """Make the whole staging folder output/, leaving no moment without one where the system allows."""
    if not output_dir.exists():
        staging.rename(output_dir)
    elif _exchange(staging, output_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
    else:
        retired = _beside(output_dir, "old")
        output_dir.rename(retired)
        staging.rename(output_dir)
        shutil.rmtree(retired, ignore_errors=True)


def _exchange(one: Path, other: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(other))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's renameat2 (2.28 and later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
        function.restype = ctypes.c_int
    return function


def _has_entries(folder: Path) -> bool:
    """Whether a folder holds anything, without listing all of it (Path.iterdir lists it whole)."""
    with os.scandir(folder) as entries:
        return next(entries, None) is not None
