"""What a command tells the terminal of a build: its problems, its warnings, the line after each rebuild.

``ssg build``, ``ssg watch`` and ``ssg serve`` report alike, so a writer reads
one form everywhere: ``path:line: message`` and its hint, on stderr.  Here
rather than in the command line's module, so that the preview server, which
the command line starts, prints through it without importing its caller.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from ssg.errors import Problem, SiteError

FOLDED = ("unknown front matter key ", "Hugo shortcode ", "Liquid tag ", "Liquid variable ")
"""Warnings that say one thing of a site's habits, folded into one line each.

A site brought over from Hugo has a key or a shortcode in hundreds of pieces;
its first place tells what to do.  Other warnings (a broken link) are each a
place to fix, and every one is shown.
"""


def fold_warnings(warnings: Iterable[Problem]) -> list[tuple[Problem, int, int]]:
    """Alike warnings of a FOLDED kind as one: the first of each message, how many there are, and in how many files."""
    alike: dict[str | int, list[Problem]] = {}
    for index, warning in enumerate(warnings):
        alike.setdefault(warning.message if warning.message.startswith(FOLDED) else index, []).append(warning)
    return [(group[0], len(group), len({warning.path for warning in group})) for group in alike.values()]


def print_warnings(warnings: Iterable[Problem]) -> None:
    """Each kind of warning once, at its first place, with how many more there are.

    9,000 warnings about 120 keys read as 120 lines, and a real one stays in sight.
    """
    for first, count, files in fold_warnings(warnings):
        if count == 1:
            more = ""
        elif files == 1:
            more = f" (and {count - 1} more in this file)"
        elif files == count:
            more = f" (and in {count - 1} more file{'s' if count > 2 else ''})"
        else:
            more = f" (and {count - 1} more, in {files} files in all)"
        print(Problem(first.path, first.line, first.message + more, first.hint).format("warning: "), file=sys.stderr)


def print_problems(error: SiteError, failed_build: bool = True, what: str | None = None) -> None:
    """The warnings found on the way, every problem as `path:line: message` and its hint, then what happened (`what`, if the command says)."""
    print_warnings(error.warnings)
    for problem in error.problems:
        print(problem.format(), file=sys.stderr)
    count = len(error.problems)
    what = what or ("the output folder was left as it was" if failed_build else "still showing the last good build; waiting for the fix")
    print(f"ssg: failed with {count} problem{'s' if count != 1 else ''}; {what}.", file=sys.stderr, flush=True)


def rebuild_line(report, seconds: float) -> str:
    """What `ssg serve` and `ssg watch` print after each good build."""
    return f"{time.strftime('%H:%M:%S')} built in {seconds * 1000:.0f} ms: {report.rendered} pages rendered, {len(report.written)} files changed"
