"""Watching a site: watchdog events → debounced change sets → rebuilds.

Shared by ``ssg watch`` and ``ssg serve``.  Editors save in bursts (a temp
file, a rename, a chmod), so events are gathered until the files settle and
each burst gives one rebuild.  Editor scratch files are ignored; a change of
the settings file rebuilds everything with the new settings.  Folders of the
site that do not exist yet (content/ of a new site) are waited for, and
watched from the moment they are made.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from ssg.build import Builder, BuildReport
from ssg.config import SETTINGS_FILE, load_config
from ssg.errors import SiteError

SETTLE_SECONDS = 0.05
"""Quiet time after the last event before a rebuild starts."""
LONGEST_WAIT_SECONDS = 1.0
"""A steady stream of events still gets a rebuild this often."""
EDITIONS_SETTLE_SECONDS = 1.5
"""Quiet time after a rebuild before the search index (and an EPUB or PDF asked for) is made again:
a writer saving every few seconds waits on the pages alone."""

EDITOR_FILES = (
    "*~",
    "*.swp",
    "*.swo",
    "*.swx",
    "*.swpx",
    ".#*",
    "#*#",
    "4913",
    "*.tmp",
    "*.bak",
    "*___jb_tmp___",
    "*___jb_old___",
    ".goutputstream-*",
    "*.crdownload",
    ".DS_Store",
    "*.ssg-tmp",
)
"""Scratch files editors write beside the real one (Vim, Emacs, JetBrains, gedit…)."""


def is_scratch(path: Path) -> bool:
    """Whether a path is an editor's temporary file, not a real change."""
    return any(fnmatch.fnmatch(path.name, pattern) for pattern in EDITOR_FILES)


@dataclass(frozen=True)
class Changes:
    """One settled burst of file events."""

    paths: frozenset[Path]
    settings: bool
    """Whether the settings file changed: everything is rebuilt."""
    folders: frozenset[Path] = frozenset()
    """Folders created, moved or deleted."""

    @property
    def rescan(self) -> bool:
        """Whether the files must be listed again (a folder came or went with what it holds)."""
        return bool(self.folders)


class ChangeCollector(FileSystemEventHandler):
    """Gathers the events that matter to a site until they settle."""

    def __init__(self, config_site_dir: Path, watched: tuple[Path, ...], ignored: tuple[Path, ...]):
        self.site_dir = config_site_dir
        self.watched = watched
        self.ignored = ignored
        self._paths: set[Path] = set()
        self._folders: set[Path] = set()
        self._last_event = 0.0
        self._first_event = 0.0
        self._condition = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [Path(os.fsdecode(event.src_path))]  # str, as the folders were scheduled; bytes only for bytes
        if getattr(event, "dest_path", ""):
            paths.append(Path(os.fsdecode(event.dest_path)))
        relevant = {path for path in paths if self._matters(path)}
        if not relevant:
            return
        with self._condition:
            now = time.monotonic()
            if not self._paths:
                self._first_event = now
            self._paths |= relevant
            if event.is_directory and event.event_type in ("created", "deleted", "moved"):
                self._folders |= relevant
            self._last_event = now
            self._condition.notify_all()

    def _matters(self, path: Path) -> bool:
        if is_scratch(path) or any(path.is_relative_to(folder) for folder in self.ignored):
            return False
        if path == self.site_dir / SETTINGS_FILE:
            return True
        relative = path.relative_to(self.site_dir) if path.is_relative_to(self.site_dir) else path
        if any(part.startswith(".") for part in relative.parts):
            return False
        # A folder above a watched one (src/ of src/content) may be the one just made.
        return any(path.is_relative_to(folder) or folder.is_relative_to(path) for folder in self.watched)

    def wait(self, stop: threading.Event, quiet: float | None = None) -> Changes | None:
        """Block until a burst of changes has settled; None when stopped.

        With `quiet` (seconds), no change for that long gives an empty Changes.
        """
        give_up = None if quiet is None else time.monotonic() + quiet
        with self._condition:
            while not self._paths:
                if stop.is_set():
                    return None
                if give_up is not None and time.monotonic() >= give_up:
                    return Changes(frozenset(), False)
                self._condition.wait(timeout=0.2 if give_up is None else min(0.2, max(give_up - time.monotonic(), 0)))
            while True:
                now = time.monotonic()
                quiet_until = self._last_event + SETTLE_SECONDS
                give_up_at = self._first_event + LONGEST_WAIT_SECONDS
                if now >= quiet_until or now >= give_up_at or stop.is_set():
                    break
                self._condition.wait(timeout=min(quiet_until, give_up_at) - now)
            paths, self._paths = frozenset(self._paths), set()
            folders, self._folders = frozenset(self._folders), set()
        return Changes(paths, self.site_dir / SETTINGS_FILE in paths, folders)


class SiteWatcher:
    """Builds a site, then rebuilds it after every settled burst of changes.

    on_build is called after every build with its report, or with the
    SiteError that stopped it; the watcher itself never dies from content.
    """

    def __init__(
        self,
        site_dir: Path,
        on_build: Callable[[BuildReport | None, SiteError | None, float], None],
        *,
        output_dir: Path | None = None,
        base_url: str | None = None,
        drafts: bool = True,
        editions: tuple[str, ...] | None = None,
        on_start: Callable[[], None] = lambda: None,
    ):
        self.site_dir = site_dir.resolve()
        self.output_dir = output_dir
        self.base_url = base_url
        self.drafts = drafts
        self.editions = editions
        """The books to make (``epub``, ``pdf``: the preview's --epub, --pdf), and only those; None: those the settings ask for."""
        self.editions_due: float | None = None
        """Seconds of quiet after which the search index and the editions are made again; None: they are up to date."""
        self.on_build = on_build
        self.on_start = on_start
        self.stop_event = threading.Event()
        self.builder: Builder | None = None

    def new_builder(self) -> Builder:
        """A builder for the current settings (raises SiteError if they are wrong)."""
        config = load_config(self.site_dir, output_dir=self.output_dir, base_url=self.base_url, editions=self.editions or ())
        # A folder of its own (the preview's): start from what the last `ssg build` made, the pieces read and the pages
        # written there, taking every page made from the same values (`ssg watch` builds in output/ itself).
        seed = replace(config, output_dir=load_config(self.site_dir).output_dir) if self.output_dir is not None else None
        made = None if self.editions is None else ("search", *self.editions)
        return Builder(config, drafts=self.drafts, future=self.drafts, seed=seed, editions_made=made)

    def rebuild(self, changes: Changes | None) -> None:
        """One rebuild after `changes` (None: the first build).

        A first build (or one with new settings) makes the search index and the
        editions with the pages, so that the search page never opens on no
        index (after an `ssg build`, they are taken from its output); after an
        edit, they follow once edits settle.
        """
        builder = self.builder
        if builder is None or changes is None or changes.settings:
            report, editions_due = self._build(self._first_build), None
        else:
            report, editions_due = self._build(lambda: builder.build(changed=changes.paths, rescan=changes.rescan, editions=False)), EDITIONS_SETTLE_SECONDS
        if report is not None:
            self.editions_due = editions_due

    def make_editions(self) -> None:
        """Make the search index and the editions asked for again, after the last rebuild's edits settled."""
        self.editions_due = None
        builder = self.builder
        if builder is not None:  # Pagefind and a PDF take seconds: the preview keeps serving until they are written
            self._build(lambda: builder.build((), rescan=False, editions=True, before_write=self.on_start), starting=False)

    def _first_build(self) -> BuildReport:
        """A new builder for the settings as they are now, and its first build, editions included."""
        self.builder = None  # a broken settings file leaves none until it is fixed
        self.builder = self.new_builder()
        return self.builder.build()

    def _build(self, build: Callable[[], BuildReport], *, starting: bool = True) -> BuildReport | None:
        """Run a build and tell on_build how it went; the report, or None when it failed.

        on_start is called first, unless `starting` is False (the build calls it itself before writing).
        """
        started = time.perf_counter()
        if starting:
            self.on_start()
        report = None
        try:
            report = build()
        except SiteError as error:
            self.on_build(None, error, time.perf_counter() - started)
        except OSError as error:  # a file deleted mid-save, a folder renamed under us
            problem = SiteError.at(str(getattr(error, "filename", "") or self.site_dir), None, f"cannot read the site: {error.strerror or error}", "the next save will retry")
            self.on_build(None, problem, time.perf_counter() - started)
        except Exception as error:  # a bug of ours must not stop the preview either
            traceback.print_exc()
            self.builder = None  # its memory may be inconsistent: start afresh next time
            problem = SiteError.at("ssg", None, f"internal error: {error.__class__.__name__}: {error}", "please report it with the traceback printed in the terminal; the next save will retry")
            self.on_build(None, problem, time.perf_counter() - started)
        else:
            self.on_build(report, None, time.perf_counter() - started)
        return report

    def folders(self) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        """(watched, ignored) folders for the current settings; none while they are broken.

        Broken settings fail every build, so until they are fixed only the
        settings file matters; the build after the fix reads everything.
        """
        try:
            config = load_config(self.site_dir, output_dir=self.output_dir, base_url=self.base_url)
        except SiteError:
            return (), ()
        cache = self.site_dir / ".ssg-cache"
        return (config.content_dir, config.layouts_dir), (config.output_dir, cache)

    def run(self) -> None:
        """Build, then watch until stop() is called."""
        watched, ignored = self.folders()
        collector = ChangeCollector(self.site_dir, watched, ignored)
        observer = Observer()
        # The site folder itself only for the settings file and new folders:
        # recursing into it would also watch .git, .venv and output/.
        observer.schedule(collector, str(self.site_dir), recursive=False)
        scheduled: dict[tuple[Path, bool], ObservedWatch] = {}
        self._reschedule(observer, collector, scheduled)
        observer.start()
        try:
            self.rebuild(None)
            while not self.stop_event.is_set():
                changes = collector.wait(self.stop_event, quiet=self.editions_due)
                if changes is None:
                    break
                if not changes.paths:  # quiet since the last rebuild
                    self.make_editions()
                    continue
                if changes.settings:
                    collector.watched, collector.ignored = self.folders()
                # A watched folder made, deleted or moved, or one above it: its watch died with it.
                renew = any(folder.is_relative_to(gone) for gone in changes.folders for folder in collector.watched)
                if self._reschedule(observer, collector, scheduled, renew=renew):
                    self.builder = None  # the folders are not what the builder knew: build afresh rather than guess
                self.rebuild(changes)
        finally:
            observer.stop()
            observer.join(timeout=5)

    def _reschedule(self, observer: BaseObserver, collector: ChangeCollector, scheduled: dict[tuple[Path, bool], ObservedWatch], *, renew: bool = False) -> bool:
        """Watch what the watched folders need now (all anew if renew); returns whether that changed.

        An existing folder is watched with all it holds; a missing one from its
        nearest existing parent, to see it made (the site folder is watched already).
        """
        wanted = set()
        for folder in collector.watched:
            parent = folder
            while not parent.is_dir() and parent != self.site_dir and parent.is_relative_to(self.site_dir):
                parent = parent.parent
            if parent.is_dir() and (parent != self.site_dir or parent == folder):
                wanted.add((parent, parent == folder))
        if wanted == scheduled.keys() and not renew:
            return False
        for key in list(scheduled) if renew else scheduled.keys() - wanted:
            with suppress(KeyError, OSError):  # the folder was deleted and its watch went with it
                observer.unschedule(scheduled.pop(key))
        for folder, recursive in wanted - scheduled.keys():
            try:
                scheduled[folder, recursive] = observer.schedule(collector, str(folder), recursive=recursive)
            except OSError as error:  # deleted again already, or out of inotify watches
                print(f"ssg: warning: cannot watch {folder}: {error.strerror or error}", file=sys.stderr, flush=True)
        return True

    def stop(self) -> None:
        self.stop_event.set()
