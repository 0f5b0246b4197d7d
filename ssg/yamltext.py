"""YAML read as the text written: mappings, lists and strings, nothing guessed.

YAML 1.1 guesses the type of every plain scalar: ``4:30`` is 270 (base 60),
``010`` is 8, ``0x1F`` 31, ``No`` false, ``2024-01-01`` a date, ``1_000``
1000; and of two equal keys it keeps the last, silently.  A writer of front
matter means the text they wrote and one value per key, so here every
scalar stays its text (only an unquoted empty value, ``~`` or ``null`` is
None, an absent value) and the caller converts each field by its own type.

The values are built from the parser's events (libyaml's when installed):
faster than PyYAML's constructor, and on an explicit stack, so no nesting
can exhaust Python's recursion.  Every mistake is a :class:`Problem` at its
file line: a syntax error, a character YAML refuses, a duplicate key at any
depth, an alias, a tag other than ``!!str``, ``!!seq`` and ``!!map``
(``!!python/object`` and its friends), a key that is not text, a second
document.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ssg.errors import Problem

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Only its parser is used, for its events."""
_YAML = "tag:yaml.org,2002:"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_KEPT_TAGS = {
    yaml.ScalarEvent: (None, "!", _YAML + "str"),
    yaml.SequenceStartEvent: (None, "!", _YAML + "seq"),
    yaml.MappingStartEvent: (None, "!", _YAML + "map"),
}
_NO_KEY = object()


def parse(yaml_text: str, path: str, first_line: int = 1) -> tuple[Any, dict[str, int], list[Problem]]:
    """The value of one YAML document, the file line of each of its keys (when it is a mapping), and the problems.

    first_line is the file line the YAML text starts on, for messages.  The
    value is None for an empty document, and not to be used when there are
    problems.
    """
    try:
        parser = _Parser(yaml_text)  # without libyaml, this reads and checks the characters
        try:
            return _compose(parser, path, first_line)
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as error:
        return None, {}, [_syntax_problem(error, yaml_text, path, first_line)]
    except yaml.reader.ReaderError as error:
        code = error.character if isinstance(error.character, int) else ord(error.character)
        # Its position counts bytes under libyaml, characters without it.
        line = first_line + yaml_text.count("\n", 0, max(yaml_text.find(chr(code)), 0))
        return (
            None,
            {},
            [Problem(path, line, f"invalid YAML: the character U+{code:04X} is not allowed", "remove it: YAML allows no control characters (an editor may show one as a box, or as ^ and a letter)")],
        )
    except yaml.YAMLError as error:
        return None, {}, [Problem(path, first_line, f"invalid YAML: {' '.join(str(error).split())}", "check the syntax of the YAML")]


def _compose(parser: Any, path: str, first_line: int) -> tuple[Any, dict[str, int], list[Problem]]:
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
        line = event.start_mark.line + first_line
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
                problems.append(
                    Problem(
                        path, line, "a line starting with '---' starts a second YAML document here", "only a line of three dashes alone ends the front matter: quote this value, or remove the line"
                    )
                )
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
                kind_of = "nothing" if key is None else "a list" if type(key) is list else "a mapping"
                problems.append(Problem(path, key_line, f"a key must be a word (got {kind_of})", "write each key as a plain word followed by a colon, such as: title: The Lake of Glass"))
            elif key in first_lines:
                problems.append(Problem(path, key_line, f"duplicate key {_quoted(key)} (first at line {first_lines[key]})", "remove one of the two: YAML would silently keep only the last"))
            else:
                first_lines[key] = key_line
                frame[0][key] = value
    return root, root_lines, problems


def _tag_problem(tag: str, path: str, line: int) -> Problem:
    short = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
    return Problem(path, line, f"the YAML tag {_quoted(short)} is not supported in front matter", "remove the tag: every value is read as the text written, then as its field's type")


def _syntax_problem(error: yaml.MarkedYAMLError, yaml_text: str, path: str, first_line: int) -> Problem:
    # The context (an unclosed '[' or quote) is where the writer's mistake
    # starts; the problem mark is often only where YAML gave up.
    mark = error.context_mark or error.problem_mark
    line = mark.line + first_line if mark else first_line
    detail = f"{error.problem} ({error.context})" if error.problem and error.context else error.problem or error.context
    written = yaml_text.split("\n")[mark.line : mark.line + 1] if mark else []
    if written and re.match(r"[ \t]*\t", written[0]):
        return Problem(path, line, f"invalid YAML: {detail}", "indent with spaces: YAML does not allow tabs for indentation")
    return Problem(path, line, f"invalid YAML: {detail}", "check the indentation, and quote values that contain ': ' or start with a special character")


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:60] + "…")
