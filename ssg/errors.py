"""The one exception a user sees, and the problems it carries.

Every mistake in a site (settings, front matter, Markdown, layouts) becomes a
:class:`Problem` that names the file and line, says what is wrong and how to
fix it.  Stages collect problems and raise them together as one
:class:`SiteError`, so a writer sees every broken file of a build at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a site, at a place in one of its files."""

    path: str
    """The file, relative to the site folder (``content/mist.md``)."""
    line: int | None
    """1-based line in that file, or None when the whole file is at fault."""
    message: str
    """What is wrong, in one line."""
    hint: str | None = None
    """How to fix it, when we can tell."""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def format(self, label: str = "") -> str:
        """The text shown to a user: ``path:line: message`` then the hint."""
        text = f"{self.location}: {label}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SiteError(Exception):
    """A site cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], warnings: list[Problem] | tuple[Problem, ...] = ()):
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        """What was found on the way that does not stop a build, shown with the problems."""
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, line: int | None, message: str, hint: str | None = None) -> SiteError:
        """A SiteError carrying a single problem."""
        return cls([Problem(path, line, message, hint)])


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    """The hint for a misspelt name, only when one of `known` is close to it (``tittle`` → ``title``)."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else None
