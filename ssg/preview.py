"""What the preview shows: the build visible now, what the tabs are told, and the gate between builds and requests.

``ssg serve`` rebuilds the site in the folder it serves.  Requests read that
folder only between builds, and each answers from one build (its files, its
base path, its version), so a half-built site is never served.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ssg.errors import Problem

EXCERPT_LINES = 3
"""Lines of source shown above and below an error's line."""
DRAIN_SECONDS = 5.0
"""How long a build waits for the requests reading the folder (each reads one file)."""
KEPT_BASE_PATHS = 8
"""Earlier base paths still redirected to the current one after base_url changed."""


@dataclass(frozen=True)
class Visible:
    """The build a request is answered from: which one, and where it is mounted."""

    version: str
    base_path: str
    old_base_paths: tuple[str, ...] = ()
    problems: tuple[dict, ...] = ()
    """What stopped the last build (see :func:`problem_details`)."""
    built: bool = False
    """Whether any build was good: until then the folder holds nothing to show."""

    def moved(self, url: str) -> str | None:
        """Where a URL under an earlier base path is now, if it was under one."""
        for old in self.old_base_paths:
            if url + "/" == old:
                return self.base_path
            # Only from a longer base to a shorter one inside the current one, or
            # from outside it: either way the path shrinks, so redirects end.
            if url.startswith(old) and (len(old) > len(self.base_path) or not url.startswith(self.base_path)):
                return self.base_path + url[len(old) :]
        return None


class PreviewState:
    """The build the server shows and the tabs are told about, and the gate between builds and requests.

    A build closes the gate and waits for the requests reading files to
    finish; requests arriving meanwhile wait, and all of them are let in when
    it ends, before the next build may start: constant saving never starves
    them, and no request ever reads a folder being written.
    """

    def __init__(self, base_path: str = "/"):
        self.server_id = uuid.uuid4().hex[:8]
        self.epoch = 0
        """Counts the good builds that changed something."""
        self.problems: list[dict] | None = None
        self.built = False
        """Whether a build was ever good (the overlay must not speak of a last good build before)."""
        self.visible = Visible(self.version, base_path)
        self.building = True
        self.closed = False
        """Set when the server stops: live-reload streams end."""
        self.waiting = 0
        """Requests waiting for the build in progress."""
        self._reading = 0
        self._admitted = 0
        """Requests let in by the last build that have not started reading yet."""
        self._builds = 0
        lock = threading.Lock()
        self._gate = threading.Condition(lock)
        self._news = threading.Condition(lock)

    @property
    def version(self) -> str:
        return f"{self.server_id}-{self.epoch}"

    def message(self) -> str:
        return json.dumps({"version": self.version, "problems": self.problems, "built": self.built})

    def start_build(self) -> None:
        with self._gate:
            self.building = True
            self._gate.wait_for(lambda: self._reading == 0 and self._admitted == 0, timeout=DRAIN_SECONDS)

    def finish_build(self, changed: bool, problems: list[dict] | None, base_path: str | None = None) -> bool:
        """Open the gate on the new build; returns whether its base path moved."""
        with self._gate:
            old = self.visible.base_path
            new = old if base_path is None or problems else base_path  # the last good build stays where it was
            moved = new != old
            if (changed or moved) and not problems:
                self.epoch += 1
            self.built = self.built or not problems
            self.problems = problems
            kept = self.visible.old_base_paths
            if moved:
                kept = tuple(dict.fromkeys(path for path in (old, *kept) if path != new))[:KEPT_BASE_PATHS]
            self.visible = Visible(self.version, new, kept, tuple(problems or ()), self.built)
            self.building = False
            self._builds += 1
            self._admitted = self.waiting
            self._gate.notify_all()
            self._news.notify_all()
            return moved

    @contextmanager
    def reading(self, timeout: float) -> Iterator[Visible | None]:
        """Between builds: the build to answer from, or None if the one in progress took longer than timeout."""
        with self._gate:
            let_in = not self.building
            if not let_in:
                self.waiting += 1
                builds = self._builds
                let_in = self._gate.wait_for(lambda: self._builds != builds, timeout=timeout)
                self.waiting -= 1
                if let_in:
                    self._admitted -= 1
            if let_in:
                self._reading += 1
            visible = self.visible
        if not let_in:
            yield None
            return
        try:
            yield visible
        finally:
            with self._gate:
                self._reading -= 1
                self._gate.notify_all()

    def next_message(self, last: str | None, timeout: float) -> str | None:
        """The state for the tabs once it differs from `last` and no build runs (or `last` after timeout); None once closed."""
        with self._news:
            self._news.wait_for(lambda: self.closed or (not self.building and self.message() != last), timeout=timeout)
            if self.closed:
                return None
            return last if self.building else self.message()

    def close(self) -> None:
        with self._news:
            self.closed = True
            self._news.notify_all()


def problem_details(problem: Problem, site_dir: Path) -> dict:
    """A problem for the overlay, with a few lines of the file around it."""
    excerpt = []
    if problem.line:
        try:
            lines = (site_dir / problem.path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        first = max(problem.line - EXCERPT_LINES, 1)
        excerpt = [[number, lines[number - 1]] for number in range(first, min(problem.line + EXCERPT_LINES, len(lines)) + 1)]
    return {"location": problem.location, "line": problem.line, "message": problem.message, "hint": problem.hint, "excerpt": excerpt}
