"""Front matter: split the ``---`` YAML block from a piece and type its fields.

Each field is checked once, here; layouts never see raw dicts.  Messages give
the file's own line numbers (the ``---`` line is line 1).

YAML 1.1 guesses types (``4:30`` is 270, ``No`` false, ``010`` eight) and
keeps the last of two equal keys; a writer means the text they wrote and one
value per key.  So every scalar is read as its text, then converted by its
field's type, and a duplicate key is an error.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import yaml

from ssg.errors import Problem

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Only its parser is used (libyaml's when installed, for speed): the values are built by _compose."""

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
    try:
        parser = _Parser(yaml_text)  # without libyaml, this reads and checks the characters
        try:
            fields, lines, problems = _compose(parser, path)
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, yaml_text, path)]
    except yaml.reader.ReaderError as error:
        code = error.character if isinstance(error.character, int) else ord(error.character)
        # Its position counts bytes under libyaml, characters without it.
        line = yaml_text.count("\n", 0, max(yaml_text.find(chr(code)), 0)) + 2
        return None, [Problem(path, line, f"invalid YAML: the character U+{code:04X} is not allowed", "remove it: YAML allows no control characters (an editor may show one as a box, or as ^ and a letter)")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"invalid YAML: {' '.join(str(error).split())}", "check the front matter's syntax")]
    if problems:
        return None, problems
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return None, [Problem(path, 2, "front matter must be 'key: value' lines", "for example: title: The Lake of Glass")]
    return Split(fields, lines, text[body_start:], body_line), []


def _syntax_problem(error: yaml.MarkedYAMLError, yaml_text: str, path: str) -> Problem:
    # The context (an unclosed '[' or quote) is where the writer's mistake
    # starts; the problem mark is often only where YAML gave up.
    mark = error.context_mark or error.problem_mark
    line = mark.line + 2 if mark else 1
    detail = f"{error.problem} ({error.context})" if error.problem and error.context else error.problem or error.context
    written = yaml_text.split("\n")[line - 2 : line - 1] if mark else []
    if written and re.match(r"[ \t]*\t", written[0]):
        return Problem(path, line, f"invalid YAML: {detail}", "indent with spaces: YAML does not allow tabs for indentation")
    return Problem(path, line, f"invalid YAML: {detail}", "check the indentation, and quote values that contain ': ' or start with a special character")


_YAML = "tag:yaml.org,2002:"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_KEPT_TAGS = {
    yaml.ScalarEvent: (None, "!", _YAML + "str"),
    yaml.SequenceStartEvent: (None, "!", _YAML + "seq"),
    yaml.MappingStartEvent: (None, "!", _YAML + "map"),
}
_NO_KEY = object()


def _compose(parser: Any, path: str) -> tuple[Any, dict[str, int], list[Problem]]:
    """The document's value: mappings, lists, and every scalar as the text written.

    Nothing is guessed, unlike YAML 1.1's resolver: ``4:30`` stays "4:30"
    (not 270), ``010`` "010", ``No`` "No", ``2024-01-01`` "2024-01-01"; each
    field is converted by its own type in :func:`check`.  Only an unquoted
    empty value, ``~`` or ``null`` is None, an absent value.

    Returns the value, the file line of each of its keys (when it is a
    mapping), and the problems: a duplicate key at any depth (YAML keeps the
    last one silently), an alias, a tag other than !!str, !!seq and !!map
    (``!!python/object`` and friends), a key that is not text.  Built from
    the parser's events on an explicit stack, so no nesting can exhaust
    Python's recursion.
    """
    problems: list[Problem] = []
    # Each open collection: [value, line, first line of each key, pending key, its line].
    stack: list[list[Any]] = []
    root: Any = None
    root_lines: dict[str, int] = {}
    documents = 0
    aliased = False
    while True:
        event = parser.get_event()
        kind = type(event)
        line = event.start_mark.line + 2
        if kind is yaml.ScalarEvent:
            if event.tag not in _KEPT_TAGS[kind]:
                problems.append(_tag_problem(event.tag, path, line))
            value = None if event.tag is None and event.implicit[0] and event.value in _NULLS else event.value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _KEPT_TAGS[kind]:
                problems.append(_tag_problem(event.tag, path, line))
            stack.append([{} if kind is yaml.MappingStartEvent else [], line, {}, _NO_KEY, 0])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value, line, lines, _, _ = stack.pop()
            if not stack:
                root_lines = lines
        elif kind is yaml.AliasEvent:
            if not aliased:  # one is enough: a "billion laughs" holds thousands
                problems.append(Problem(path, line, f"YAML aliases such as '*{event.anchor}' are not supported in front matter", "write the value out in full where you need it"))
            aliased, value = True, None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                problems.append(Problem(path, line, "a line starting with '---' starts a second YAML document here", "only a line of three dashes alone ends the front matter: quote this value, or remove the line"))
                break
            continue
        elif kind is yaml.StreamEndEvent:
            break
        else:
            continue
        if not stack:
            root = value
            continue
        frame = stack[-1]
        if type(frame[0]) is list:
            frame[0].append(value)
        elif frame[3] is _NO_KEY:
            frame[3], frame[4] = value, line
        else:
            key, key_line, first_lines = frame[3], frame[4], frame[2]
            frame[3] = _NO_KEY
            if type(key) is not str:
                problems.append(Problem(path, key_line, f"a key must be a word (got {_shown(key)})", "write each key as a plain word followed by a colon, such as: title: The Lake of Glass"))
            elif key in first_lines:
                problems.append(Problem(path, key_line, f"duplicate key {_shown(key)} (first at line {first_lines[key]})", "remove one of the two: YAML would silently keep only the last"))
            else:
                first_lines[key] = key_line
                frame[0][key] = value
    return root, root_lines, problems


def _tag_problem(tag: str, path: str, line: int) -> Problem:
    shown = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
    return Problem(path, line, f"the YAML tag {_shown(shown)} is not supported in front matter", "remove the tag: every value is read as the text written, then as its field's type")


def check(parsed: Split, path: str) -> tuple[FrontMatter | None, list[Problem], list[Problem]]:
    """Type every field; returns the front matter, the errors and the warnings.

    Values arrive as text (see :func:`_compose`); an empty value counts as
    absent for the optional fields.
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
