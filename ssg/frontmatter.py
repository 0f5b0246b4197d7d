"""Front matter: split the ``---`` YAML block from a piece and type its fields.

Each field is checked once, here; layouts never see raw dicts.  Messages give
the file's own line numbers (the ``---`` line is line 1).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import yaml

from ssg.errors import Problem

# Dates are parsed by us, not by YAML, so that "2024-13-01" is reported at its
# line as an impossible date instead of failing deep inside the YAML loader.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


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
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        fields = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        # The context (an unclosed '[' or quote) is where the writer's mistake
        # starts; the problem mark is often only where YAML gave up.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 2 if mark else 1
        detail = f"{error.problem} ({error.context})" if error.problem and error.context else error.problem or error.context
        return None, [Problem(path, line, f"invalid YAML: {detail}", "check the indentation, and quote values that contain ': ' or start with a special character")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"invalid YAML: {error}", "check the front matter's syntax")]
    finally:
        loader.dispose()
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return None, [Problem(path, 2, "front matter must be 'key: value' lines", "for example: title: The Lake of Glass")]
    lines = {str(key.value): key.start_mark.line + 2 for key, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    return Split({str(k): v for k, v in fields.items()}, lines, text[body_start:], body_line), []


def check(parsed: Split, path: str) -> tuple[FrontMatter | None, list[Problem], list[Problem]]:
    """Type every field; returns the front matter, the errors and the warnings."""
    fields, lines = parsed.fields, parsed.lines
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def fail(key: str, message: str, hint: str) -> None:
        errors.append(Problem(path, lines.get(key, 1), message, hint))

    for key in fields:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(FIELDS)
            warnings.append(Problem(path, lines.get(key, 1), f"unknown front matter key '{key}'", hint))

    title = _text(fields.get("title"))
    if title is None or not title.strip():
        fail("title", "missing 'title'" if "title" not in fields else "'title' must be some text", "add a line such as: title: The Lake of Glass")

    when, timed = None, False
    if "date" not in fields:
        fail("date", "missing 'date'", "add a line such as: date: 2026-05-01")
    else:
        try:
            when, timed = parse_date(fields["date"])
        except ValueError as error:
            fail("date", f"'date' is not a date (got {fields['date']!r}): {error}", "use YYYY-MM-DD, or a timestamp such as 2026-05-01T21:30:00+02:00")

    tags = _tags(fields.get("tags"))
    if tags is None:
        fail("tags", f"'tags' must be a list of words (got {fields['tags']!r})", "write tags: [mist, dawn] or tags: mist, dawn")

    texts = {}
    for key in ("author", "summary", "slug", "epigraph", "dedication"):
        value = fields.get(key)
        texts[key] = _text(value)
        if value is not None and texts[key] is None:
            fail(key, f"'{key}' must be text (got {value!r})", f"write it as {key}: some words")

    draft = fields.get("draft", False)
    if not isinstance(draft, bool):
        fail("draft", f"'draft' must be true or false (got {draft!r})", "write draft: true")
    form = fields.get("form", "prose")
    if form not in FORMS:
        fail("form", f"'form' must be 'prose' or 'verse' (got {form!r})", "write form: verse for a poem")
    weight = fields.get("weight")
    if weight is not None and not _is_int(weight):
        fail("weight", f"'weight' must be a whole number (got {weight!r})", "write weight: 1 to put a piece first")
    line_numbers = fields.get("line_numbers", 0)
    if not _is_int(line_numbers) or line_numbers < 0:
        fail("line_numbers", f"'line_numbers' must be a whole number, 0 or more (got {line_numbers!r})", "write line_numbers: 5 to number every fifth line")

    if errors:
        return None, errors, warnings
    return (
        FrontMatter(
            title=title.strip(),
            date=when,
            timed=timed,
            author=texts["author"] or None,
            tags=tags,
            summary=texts["summary"],
            slug=texts["slug"],
            draft=draft,
            form=form,
            epigraph=texts["epigraph"] or "",
            dedication=texts["dedication"] or "",
            weight=weight,
            line_numbers=line_numbers,
        ),
        errors,
        warnings,
    )


def parse_date(value: Any) -> tuple[datetime, bool]:
    """A front-matter date → (aware datetime, whether a time was given)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc), False
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text):
        raise ValueError("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment, True


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tags(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        names = value.split(",")
    elif isinstance(value, list) and all(_text(item) is not None for item in value):
        names = [_text(item) for item in value]
    else:
        return None
    return tuple(name.strip() for name in names if name.strip())
