"""Front matter: split the ``---`` YAML block from a piece and type its fields.

Each field is checked once, here; layouts never see raw dicts.  Messages give
the file's own line numbers (the ``---`` line is line 1).

The YAML is read as the text written (:mod:`ssg.yamltext`); each field is
converted here by its own type, so ``title: 4:30`` is "4:30" and
``weight: 010`` is 10.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from ssg import yamltext
from ssg.errors import Problem

FIELDS = {
    "title": "the piece's title (required)",
    "date": "YYYY-MM-DD or a full timestamp (required)",
    "author": "who wrote it",
    "tags": "a list, or a comma-separated string",
    "summary": "one sentence for listings and feeds",
    "slug": "the URL segment; defaults to the file name",
    "draft": "true to leave it out of the built site",
    "form": "prose or verse",
    "epigraph": "a quotation shown above the piece",
    "dedication": "shown under the title",
    "weight": "explicit reading order (lower first)",
    "line_numbers": "for verse: show every n-th line number",
}
FORMS = ("prose", "verse")
_DELIMITER = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    """The typed fields of one piece's front matter."""

    title: str
    date: datetime
    timed: bool
    author: str | None
    tags: tuple[str, ...]
    summary: str | None
    slug: str | None
    draft: bool
    form: str
    epigraph: str
    dedication: str
    weight: int | None
    line_numbers: int


@dataclass(frozen=True)
class Split:
    """A piece's text cut in two."""

    fields: dict[str, Any]
    lines: dict[str, int]
    """The file line of each top-level key."""
    body: str
    body_line: int
    """The file line where the body starts."""


def split(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """Cut ``---`` front matter from the body and parse it as YAML."""
    if not text.startswith("---"):
        return None, [Problem(path, 1, "no front matter", "start the file with a '---' line, then 'title:' and 'date:', then '---'")]
    first = _DELIMITER.match(text)
    closing = _DELIMITER.search(text, first.end()) if first else None
    if closing is None:
        return None, [Problem(path, 1, "front matter is never closed", "end the front matter with a line of three dashes: ---")]
    yaml_text = text[first.end() + 1 : closing.start()]
    body_start = closing.end() + (1 if text[closing.end() : closing.end() + 1] == "\n" else 0)
    body_line = text.count("\n", 0, body_start) + 1
    fields, lines, problems = yamltext.parse(yaml_text, path, first_line=2)
    if problems:
        return None, problems
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return None, [Problem(path, 2, "front matter must be 'key: value' lines", "for example: title: The Lake of Glass")]
    return Split(fields, lines, text[body_start:], body_line), []


def check(parsed: Split, path: str) -> tuple[FrontMatter | None, list[Problem], list[Problem]]:
    """Type every field; returns the front matter, the errors and the warnings.

    Values arrive as text (see :mod:`ssg.yamltext`); an empty value counts
    as absent for the optional fields.
    """
    fields, lines = parsed.fields, parsed.lines
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def fail(key: str, message: str, hint: str) -> None:
        errors.append(Problem(path, lines.get(key, 1), message, hint))

    for key in fields:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(FIELDS)
            warnings.append(Problem(path, lines.get(key, 1), f"unknown front matter key {_shown(key)}", hint))

    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", "missing 'title'" if "title" not in fields else "'title' must be some text", "add a line such as: title: The Lake of Glass")

    when, timed = None, False
    if fields.get("date") is None:
        fail("date", "missing 'date'" if "date" not in fields else "'date' is empty", "add a line such as: date: 2026-05-01")
    else:
        try:
            when, timed = parse_date(fields["date"])
        except ValueError as error:
            fail("date", f"'date' is not a date (got {_shown(fields['date'])}): {error}", "use YYYY-MM-DD, or a timestamp such as 2026-05-01T21:30:00+02:00")

    tags = _tags(fields.get("tags"))
    if tags is None:
        fail("tags", f"'tags' must be a list of words (got {_shown(fields['tags'])})", "write tags: [mist, dawn] or tags: mist, dawn")

    texts = {}
    for key in ("author", "summary", "slug", "epigraph", "dedication"):
        value = texts[key] = fields.get(key)
        if value is not None and not isinstance(value, str):
            fail(key, f"'{key}' must be text (got {_shown(value)})", f"write it as {key}: some words")

    draft = _boolean(fields.get("draft"))
    if draft is None:
        fail("draft", f"'draft' must be true or false (got {_shown(fields['draft'])})", "write draft: true, or draft: false")
    form = fields.get("form")
    form = "prose" if form is None else form
    if form not in FORMS:
        fail("form", f"'form' must be 'prose' or 'verse' (got {_shown(form)})", "write form: verse for a poem")
    weight = _whole(fields.get("weight"))
    if weight is _NOT_WHOLE:
        fail("weight", f"'weight' must be a whole number (got {_shown(fields['weight'])})", "write weight: 1 to put a piece first")
    line_numbers = _whole(fields.get("line_numbers"))
    if line_numbers is _NOT_WHOLE or (line_numbers or 0) < 0:
        fail("line_numbers", f"'line_numbers' must be a whole number, 0 or more (got {_shown(fields['line_numbers'])})", "write line_numbers: 5 to number every fifth line")

    if errors:
        return None, errors, warnings
    return (
        FrontMatter(
            title=title.strip(),
            date=when,
            timed=timed,
            author=(texts["author"] or "").strip() or None,
            tags=tags,
            summary=texts["summary"],
            slug=texts["slug"],
            draft=draft,
            form=form,
            epigraph=texts["epigraph"] or "",
            dedication=texts["dedication"] or "",
            weight=weight,
            line_numbers=line_numbers or 0,
        ),
        errors,
        warnings,
    )


def parse_date(value: Any) -> tuple[datetime, bool]:
    """A front-matter date → (aware datetime, whether a time was given)."""
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc), False
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text, re.ASCII):
        raise ValueError("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment, True


_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
"""YAML's spellings of a boolean, in any case."""


def _boolean(value: Any) -> bool | None:
    """True or false as YAML spells them; False when absent, None for anything else."""
    if value is None:
        return False
    return _BOOLEANS.get(value.strip().lower()) if isinstance(value, str) else None


_WHOLE = re.compile(r"[+-]?[0-9]+")
_NOT_WHOLE = object()


def _whole(value: Any) -> Any:
    """A whole number written as text; None for an absent value, _NOT_WHOLE for anything else."""
    if value is None:
        return None
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts
            pass
    return _NOT_WHOLE


def _tags(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        names = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        names = value
    else:
        return None
    return tuple(name.strip() for name in names if name.strip())


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlevel = 3


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, whatever its size or depth."""
    return "nothing" if value is None else _REPR.repr(value)
