"""Front matter: split it from a piece's body and type its fields.

Three forms, as Hugo reads them: YAML between ``---`` lines, TOML between
``+++`` lines, and a JSON object opening the file (its closing ``}`` ends
it).  Each field is checked once, here; layouts never see raw dicts.
Messages give the file's own line numbers (the opening line is line 1).

The YAML is read as the text written (:mod:`ssg.yamltext`), and TOML and
JSON values are turned back into text (``true``, ``10``, a date in ISO
form), so every field is converted here by its own type whatever the form:
``title: 4:30`` is "4:30", ``weight: 010`` is 10, and a field gets the same
checks and messages in all three.
"""

from __future__ import annotations

import json
import re
import reprlib
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from ssg import yamltext
from ssg.errors import Problem, did_you_mean

FIELDS = {
    "title": "the piece's title (required)",
    "date": "YYYY-MM-DD or a full timestamp; undated pieces come after dated ones, by weight then title",
    "author": "who wrote it",
    "authors": "several who wrote it together: a list",
    "translator": "who translated it (or a list)",
    "translators": "as translator",
    "lang": "its language, when not the site's (a BCP 47 tag: fr, pt-BR): its typography, hyphenation and voice in a screen reader",
    "tags": "a list, or a comma-separated string",
    "summary": "one sentence for listings and feeds",
    "slug": "the URL segment; defaults to the file name",
    "draft": "true to leave it out of the built site",
    "form": "prose or verse",
    "epigraph": "a quotation shown above the piece",
    "dedication": "shown under the title",
    "weight": "explicit reading order (lower first)",
    "line_numbers": "for verse: show every n-th line number",
    "publishDate": "Hugo's: published from then on; the date when 'date' is absent",
    "expiryDate": "Hugo's: unpublished from then on",
    "lastmod": "Hugo's: when the piece was last changed (feeds, sitemap)",
    "description": "Hugo's and Jekyll's: the summary when there is no 'summary'",
    "categories": "Hugo's and Jekyll's: more tags",
    "published": "Jekyll's: false makes the piece a draft",
    "aliases": "Hugo's: old URLs of the piece, each a page that redirects to it",
    "redirect_from": "Jekyll's: as aliases",
    "category": "Jekyll's: one more tag",
    "permalink": "Jekyll's: the piece's old URL; when it is not its URL here, a page there redirects to it",
    "url": "Hugo's: as permalink",
}
_HUGO_SPELLINGS = {"publishdate": "publishDate", "expirydate": "expiryDate", "lastMod": "lastmod"}
"""Hugo reads its keys in any case; these are the spellings its sites use."""
_JEKYLL_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)", re.ASCII)
FORMS = ("prose", "verse")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
"""A BCP 47 tag, as far as a page's lang attribute needs: ``fr``, ``pt-BR``, ``zh-Hant``."""
_YAML_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_THREE_FORMS = "start the file with front matter: YAML between '---' lines, TOML between '+++' lines, or a JSON object { … }; with at least a title"


@dataclass(frozen=True)
class FrontMatter:
    """The typed fields of one piece's front matter."""

    title: str
    date: datetime | None
    """None for an undated piece."""
    timed: bool
    authors: tuple[str, ...]
    """Who wrote it (``author`` and ``authors``), in the order written; empty when it names none."""
    translators: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str | None
    slug: str | None
    draft: bool
    form: str
    epigraph: str
    dedication: str
    weight: int | None
    line_numbers: int
    publish_date: datetime | None = None
    """Published from then on (Hugo's publishDate), when it differs from ``date``."""
    expiry_date: datetime | None = None
    """Unpublished from then on (Hugo's expiryDate)."""
    lastmod: datetime | None = None
    """Last changed (Hugo's lastmod)."""
    aliases: tuple[str, ...] = ()
    """Old URL paths of the piece (Hugo's aliases, Jekyll's redirect_from), ``/old/lake/``."""
    lang: str = ""
    """Its language when it is not the site's (``fr``), else empty."""
    permalink: str | None = None
    """The URL path it had (Jekyll's permalink, Hugo's url): an alias unless it is its URL here."""


def jekyll_name(stem: str) -> tuple[str | None, str]:
    """A file name as Jekyll writes a post's, ``2024-01-02-lake`` → ("2024-01-02", "lake"); else (None, stem)."""
    named = _JEKYLL_NAME.fullmatch(stem)
    return (named[1], named[2]) if named else (None, stem)


@dataclass(frozen=True)
class Split:
    """A piece's text cut in two."""

    fields: dict[str, Any]
    lines: dict[str, int]
    """The file line of each top-level key."""
    body: str
    body_line: int
    """The file line where the body starts."""


def starts_with_front_matter(text: str) -> bool:
    """Whether a file opens with front matter in one of the three forms."""
    return text.startswith(("---", "+++", "{"))


def split(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """Cut the front matter from the body and parse it (YAML, TOML or JSON)."""
    if text.startswith("---"):
        return _split_fenced(text, path, _YAML_FENCE, "---", "three dashes", yamltext.parse)
    if text.startswith("+++"):
        return _split_fenced(text, path, _TOML_FENCE, "+++", "three plus signs", _parse_toml)
    if text.startswith("{"):
        return _split_json(text, path)
    return None, [Problem(path, 1, "no front matter", _THREE_FORMS)]


Reader = Callable[[str, str, int], tuple[Any, dict[str, int], list[Problem]]]


def _split_fenced(text: str, path: str, fence: re.Pattern, mark: str, named: str, read: Reader) -> tuple[Split | None, list[Problem]]:
    first = fence.match(text)
    closing = fence.search(text, first.end()) if first else None
    if first is None or closing is None:
        return None, [Problem(path, 1, "front matter is never closed", f"end the front matter with a line of {named}: {mark}")]
    inner = text[first.end() + 1 : closing.start()]
    body_start = closing.end() + (1 if text[closing.end() : closing.end() + 1] == "\n" else 0)
    fields, lines, problems = read(inner, path, 2)
    return _split_of(fields, lines, problems, text, body_start, path)


def _split_of(fields: Any, lines: dict[str, int], problems: list[Problem], text: str, body_start: int, path: str) -> tuple[Split | None, list[Problem]]:
    if problems:
        return None, problems
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return None, [Problem(path, 2, "front matter must be 'key: value' lines", "for example: title: The Lake of Glass")]
    return Split(fields, lines, text[body_start:], text.count("\n", 0, body_start) + 1), []


def _parse_toml(toml_text: str, path: str, first_line: int) -> tuple[Any, dict[str, int], list[Problem]]:
    """TOML front matter as text values (see :func:`as_text`), the line of each top-level key, and the problems."""
    try:
        value = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = re.search(r" \(at line (\d+), column \d+\)$", message)
        if at:
            line, detail = first_line + int(at[1]) - 1, message[: at.start()]
        else:  # "(at end of document)": the last line
            line, detail = first_line + toml_text.rstrip("\n").count("\n"), message.removesuffix(" (at end of document)")
        return (
            None,
            {},
            [
                Problem(
                    path, line, f"invalid TOML: {detail}", 'check the TOML syntax: key = value, text in double quotes (title = "The Lake"), lists in brackets (tags = ["mist", "dawn"]), each key once'
                )
            ],
        )
    return as_text(value), _key_lines(toml_text, first_line, _TOML_KEY), []


def _split_json(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """A JSON object opening the file; its closing brace ends the front matter."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        value, end = json.JSONDecoder(object_pairs_hook=pairs).raw_decode(text)
    except json.JSONDecodeError as error:  # the object starts on line 1: its lines are the file's
        return None, [
            Problem(path, error.lineno, f"invalid JSON: {error.msg}", 'check the JSON syntax: "key": value pairs separated by commas, text in double quotes, and a closing } on its own line')
        ]
    lines = _key_lines(text[:end], 1, _JSON_KEY)
    if duplicates:
        key = duplicates[0]
        return None, [
            Problem(
                path,
                _key_lines(text[:end], 1, _JSON_KEY, last=True).get(key, 1),
                f"duplicate key {key!r} (first at line {lines.get(key, 1)})",
                "remove one of the two: JSON would silently keep only the last",
            )
        ]
    rest = re.match(r"[ \t]*\n?", text[end:])
    assert rest is not None  # the pattern matches the empty string
    return _split_of(as_text(value), lines, [], text, end + rest.end(), path)


_TOML_KEY = re.compile(r"""^[ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))[ \t]*=""")
_TOML_TABLE = re.compile(r"""^[ \t]*\[\[?[ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))""")
"""A table header, ``[params]``, ``[[resources]]``, ``[menu.main]``: its first name is a top-level key."""
_JSON_KEY = re.compile(r"""^[ \t{,]*"((?:[^"\\]|\\.)*)"[ \t]*:""")


def _key_lines(text: str, first_line: int, key: re.Pattern, *, last: bool = False) -> dict[str, int]:
    """The file line of each key written at the start of a line; in TOML, after the first [table], of each table's name.

    A scan, not a parse: good enough to point a message at its line.
    """
    lines: dict[str, int] = {}
    in_tables = False
    for number, line in enumerate(text.split("\n")):
        if key is _TOML_KEY and line.lstrip().startswith("["):
            in_tables = True
        found = (_TOML_TABLE if in_tables else key).match(line)
        if found:
            name = next(group for group in found.groups() if group is not None)
            if last or name not in lines:
                lines[name] = first_line + number
    return lines


def as_text(value: Any) -> Any:
    """A TOML or JSON value written back as text, as YAML front matter is read (see :mod:`ssg.yamltext`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    return value


def check(parsed: Split, path: str, ignore_keys: Collection[str] = ()) -> tuple[FrontMatter | None, list[Problem], list[Problem]]:
    """Type every field; returns the front matter, the errors and the warnings.

    A key that is not a field warns, unless it is one of `ignore_keys`
    (``[tool.ssg] ignore_keys``: keys of other tools, kept on purpose).

    Values arrive as text (see :mod:`ssg.yamltext`).  An empty value
    (``date:``, ``description = ""``, ``tags: []``) is as if absent.
    """
    matter = _Matter.of(parsed, path)
    warnings = matter.unknown_keys(FIELDS, ignore_keys, "front matter")
    title = _title(matter)
    moments = _moments(matter)
    when, timed = moments["date"] or moments["publishDate"] or _date_in_name(path)
    tags = _all_tags(matter)
    authors, translators = _people(matter)
    lang = _lang(matter)
    aliases = _aliases(matter)
    texts = _texts(matter, ("summary", "description", "slug", "epigraph", "dedication"))
    draft = _flag(matter, "draft", "write draft: true, or draft: false")
    published = _flag(matter, "published", "write published: false to keep the piece a draft", absent="true")
    form = _form(matter)
    weight = _weight(matter, "a piece")
    line_numbers = _line_numbers(matter)
    if matter.errors:
        return None, matter.errors, warnings
    return (
        FrontMatter(
            title=title,
            date=when,
            timed=timed,
            authors=authors,
            translators=translators,
            tags=tags,
            summary=texts["summary"] or texts["description"],
            slug=texts["slug"],
            draft=draft or not published,
            form=form,
            epigraph=texts["epigraph"] or "",
            dedication=texts["dedication"] or "",
            weight=weight,
            line_numbers=line_numbers,
            publish_date=moments["publishDate"][0] if moments["publishDate"] and moments["publishDate"][0] != when else None,
            expiry_date=moments["expiryDate"] and moments["expiryDate"][0],
            lastmod=moments["lastmod"] and moments["lastmod"][0],
            aliases=aliases,
            permalink=_permalink(matter),
            lang=lang,
        ),
        [],
        warnings,
    )


@dataclass
class _Matter:
    """Front matter being typed: its values and lines by Hugo's spelling of each key, and the errors found so far.

    Each field's function below reads its value here and adds its error
    here, so that every mistake of a file is reported together.
    """

    values: dict[str, Any]
    """Each key's value; None for an empty one (``date:``, ``tags: []``), which is as if absent."""
    lines: dict[str, int]
    path: str
    errors: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, parsed: Split, path: str) -> _Matter:
        values = {_HUGO_SPELLINGS.get(key, key): None if _empty(value) else value for key, value in parsed.fields.items()}
        lines = {_HUGO_SPELLINGS.get(key, key): line for key, line in parsed.lines.items()}
        return cls(values, lines, path)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def fail(self, key: str, message: str, hint: str) -> None:
        self.errors.append(Problem(self.path, self.line(key), message, hint))

    def unknown_keys(self, known: Collection[str], ignore_keys: Collection[str], where: str) -> list[Problem]:
        """A warning for each key that is neither known nor ignored."""
        return [unknown_key(key, self.path, self.line(key), known, where) for key in self.values if key not in known and key not in ignore_keys]


def _title(matter: _Matter) -> str:
    title = matter.get("title")
    if not isinstance(title, str) or not title.strip():
        matter.fail("title", "missing 'title'" if "title" not in matter.values else "'title' must be some text", "add a line such as: title: The Lake of Glass")
        return ""
    return title.strip()


def _moments(matter: _Matter) -> dict[str, tuple[datetime, bool] | None]:
    """Each date field as (moment, whether a time was given), None when absent."""
    moments: dict[str, tuple[datetime, bool] | None] = {}
    for key in ("date", "publishDate", "expiryDate", "lastmod"):
        moments[key] = None
        value = matter.get(key)
        if value is not None:
            try:
                moments[key] = parse_date(value)
            except ValueError as error:
                matter.fail(key, f"'{key}' is not a date (got {_shown(value)}): {error}", "use YYYY-MM-DD, or a timestamp such as 2026-05-01T21:30:00+02:00")
    return moments


def _date_in_name(path: str) -> tuple[datetime | None, bool]:
    """The date of a file named as Jekyll names a post (``2024-01-02-lake.md``), for a piece that gives none."""
    named_date, _ = jekyll_name(path.rsplit("/", 1)[-1].removesuffix(".md"))
    return parse_date(named_date) if named_date and _real_day(named_date) else (None, False)


def _all_tags(matter: _Matter) -> tuple[str, ...]:
    """``tags``, then Hugo's and Jekyll's ``categories``, then Jekyll's ``category``."""
    tags = _tags(matter.get("tags"))
    if tags is None:
        matter.fail("tags", f"'tags' must be a list of words (got {_shown(matter.get('tags'))})", "write tags: [mist, dawn] or tags: mist, dawn")
    categories = _tags(matter.get("categories"))
    if categories is None:
        matter.fail("categories", f"'categories' must be a list of words (got {_shown(matter.get('categories'))})", "write categories: [poems, night] or categories: poems, night")
    category = matter.get("category")
    if category is not None and not isinstance(category, str):
        matter.fail("category", f"'category' must be a word (got {_shown(category)})", "write category: poems")
    return (tags or ()) + (categories or ()) + ((category.strip(),) if isinstance(category, str) and category.strip() else ())


def _people(matter: _Matter) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The authors and the translators, each named once, in the order written."""
    people: dict[str, tuple[str, ...]] = {}
    for key in ("author", "authors", "translator", "translators"):
        value = matter.get(key)
        # One name may hold a comma ("Mori, Hana"); a list, or `authors: A, B`, holds several.
        names = (value.strip(),) if isinstance(value, str) and not key.endswith("s") else _tags(value)
        if names is None:
            matter.fail(key, f"'{key}' must be a name or a list of names (got {_shown(value)})", f"write {key}: Hana Mori, or {key}: [Hana Mori, Ines Albarrán]")
        people[key] = names or ()
    return tuple(dict.fromkeys(people["author"] + people["authors"])), tuple(dict.fromkeys(people["translator"] + people["translators"]))


def _lang(matter: _Matter) -> str:
    lang = matter.get("lang")
    if lang is not None and not (isinstance(lang, str) and LANGUAGE_TAG.match(lang.strip())):
        matter.fail("lang", f"'lang' is not a language tag (got {_shown(lang)})", "use a BCP 47 tag such as lang: fr or lang: pt-BR")
    return lang.strip() if isinstance(lang, str) else ""


def _permalink(matter: _Matter) -> str | None:
    """Jekyll's permalink or Hugo's url as a path; None for a pattern (``/:year/:title/``), which is no path."""
    permalink = matter.get("permalink") or matter.get("url")
    return alias_path(permalink) if isinstance(permalink, str) and ":" not in permalink else None


def _aliases(matter: _Matter) -> tuple[str, ...]:
    """Hugo's aliases and Jekyll's redirect_from, as site paths, each once."""
    aliases: list[str] = []
    for key in ("aliases", "redirect_from"):
        written = _tags(matter.get(key))
        if written is None:
            matter.fail(key, f"'{key}' must be a list of URL paths (got {_shown(matter.get(key))})", f"write {key}: [/old/lake/, /2019/lake.html]")
            continue
        for text in written:
            path = alias_path(text)
            if path is None:
                matter.fail(key, f"'{key}' holds {_shown(text)}, which is not a path of this site", f"write a path from the site's root, such as {key}: [/old/lake/]")
            elif path not in aliases:
                aliases.append(path)
    return tuple(aliases)


def _texts(matter: _Matter, keys: tuple[str, ...]) -> dict[str, Any]:
    """The fields of `keys` that are text, None when absent."""
    texts = {}
    for key in keys:
        value = texts[key] = matter.get(key)
        if value is not None and not isinstance(value, str):
            matter.fail(key, f"'{key}' must be text (got {_shown(value)})", f"write it as {key}: some words")
    return texts


def _flag(matter: _Matter, key: str, hint: str, absent: str | None = None) -> bool:
    """A true-or-false field, as YAML spells it; `absent` is read when the key is not written at all (false unless said)."""
    flag = _boolean(matter.values.get(key, absent))
    if flag is None:
        matter.fail(key, f"'{key}' must be true or false (got {_shown(matter.values[key])})", hint)
    return bool(flag)


def _form(matter: _Matter) -> str:
    form = matter.get("form")
    form = "prose" if form is None else form
    if form not in FORMS:
        matter.fail("form", f"'form' must be 'prose' or 'verse' (got {_shown(form)})", "write form: verse for a poem")
    return form


def _weight(matter: _Matter, what: str) -> int | None:
    """The reading order of a piece or a section among those beside it; None when it gives none."""
    weight = _whole(matter.get("weight"))
    if weight is _NOT_WHOLE:
        matter.fail("weight", f"'weight' must be a whole number (got {_shown(matter.get('weight'))})", f"write weight: 1 to put {what} first")
        return None
    return weight


def _line_numbers(matter: _Matter) -> int:
    line_numbers = _whole(matter.get("line_numbers"))
    if line_numbers is _NOT_WHOLE or (line_numbers or 0) < 0:
        matter.fail("line_numbers", f"'line_numbers' must be a whole number, 0 or more (got {_shown(matter.get('line_numbers'))})", "write line_numbers: 5 to number every fifth line")
        return 0
    return line_numbers or 0


def unknown_key(key: str, path: str, line: int | None, known: Collection[str], where: str = "front matter") -> Problem:
    """The warning of a key ssg does not read: "did you mean" only when one of `known` is close."""
    hint = did_you_mean(key, known) or "ssg does not read it; to keep it without a warning, list it in [tool.ssg] ignore_keys"
    return Problem(path, line, f"unknown {where} key {_shown(key)}", hint)


PER_PIECE = ("title", "slug", "aliases", "redirect_from", "permalink", "url")
"""Fields no two pieces share: never a default."""


def check_defaults(
    values: dict[str, Any], path: str, lines: Mapping[str, int | None], ignore_keys: Collection[str] = (), where: str = "defaults"
) -> tuple[dict[str, Any], list[Problem], list[Problem]]:
    """Front matter that pieces start from (``[tool.ssg.defaults]``, a section's ``cascade``), checked once where it is written.

    Returns the known fields (as text, by their own spelling), the errors and
    the warnings; a piece's own front matter overrides each field.
    """
    kept: dict[str, Any] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for written, value in values.items():
        key = _HUGO_SPELLINGS.get(written, written)
        if key in PER_PIECE:
            errors.append(Problem(path, lines.get(written), f"'{key}' cannot be one of the {where}: every piece has its own", f"remove it here, and give each piece its own {key}"))
        elif key not in FIELDS:
            if key not in ignore_keys:
                warnings.append(unknown_key(written, path, lines.get(written), FIELDS, where))
        elif not _empty(value):
            kept[key] = value
    _, problems, _ = check(Split({"title": "-", **kept}, {key: lines.get(key) or lines.get("cascade") or 1 for key in kept}, "", 1), path)
    return kept, errors + problems, warnings


SECTION_FIELDS = {
    "title": "the section's title; defaults to its folder's name",
    "description": "a line under the title, for listings, feeds and search engines",
    "summary": "as description",
    "weight": "the order among the sections beside it (lower first)",
    "cascade": "front matter for every piece below (form: verse, author, tags, …)",
    "draft": "true makes every piece below a draft",
    "date": "read and not used",
    "lastmod": "read and not used",
    "publishDate": "read and not used",
}


@dataclass(frozen=True)
class SectionMatter:
    """The typed fields of a section's ``_index.md``."""

    title: str | None = None
    description: str = ""
    weight: int | None = None
    cascade: Mapping[str, Any] = field(default_factory=dict)
    """Checked defaults for the pieces below, as text (see :func:`check_defaults`)."""


def check_section(parsed: Split, path: str, ignore_keys: Collection[str] = ()) -> tuple[SectionMatter | None, list[Problem], list[Problem]]:
    """Type the front matter of a section's ``_index.md``: errors and warnings at their lines."""
    matter = _Matter.of(parsed, path)
    warnings = matter.unknown_keys(SECTION_FIELDS, ignore_keys, "section")
    texts = _texts(matter, ("title", "description", "summary"))
    weight = _weight(matter, "a section")
    draft = _flag(matter, "draft", "write draft: true, or draft: false")
    cascade, cascade_errors, cascade_warnings = _cascade(matter.get("cascade"), path, matter.line("cascade"), ignore_keys)
    errors = matter.errors + cascade_errors
    warnings += cascade_warnings
    if draft:
        cascade["draft"] = "true"
    if errors:
        return None, errors, warnings
    title = texts["title"].strip() if isinstance(texts["title"], str) else None
    return SectionMatter(title or None, (texts["description"] or texts["summary"] or "").strip(), weight, cascade), errors, warnings


def _cascade(value: Any, path: str, line: int, ignore_keys: Collection[str]) -> tuple[dict[str, Any], list[Problem], list[Problem]]:
    """Hugo's ``cascade``: a table of front matter, or a list of them; those aimed elsewhere with ``_target`` are left out, with a warning."""
    if value is None:
        return {}, [], []
    tables = value if isinstance(value, list) else [value]
    if not all(isinstance(table, dict) for table in tables):
        return {}, [Problem(path, line, f"'cascade' must be a table of front matter (got {_shown(value)})", 'for example, in YAML: cascade: {form: verse}; in TOML: [cascade] then form = "verse"')], []
    merged: dict[str, Any] = {}
    warnings = []
    for table in tables:
        if "_target" in table:
            warnings.append(
                Problem(
                    path,
                    line,
                    "a cascade with '_target' is not applied: ssg gives a section's cascade to every piece below it",
                    "move those pieces into their own folder with its own _index.md, or set the keys in each piece",
                )
            )
            continue
        merged.update(table)
    kept, errors, more = check_defaults(merged, path, dict.fromkeys(merged, line), ignore_keys, "cascade")
    return kept, errors, warnings + more


def parse_date(value: Any) -> tuple[datetime, bool]:
    """A front-matter date → (aware datetime, whether a time was given)."""
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC), False
    # Jekyll writes its dates "2024-01-02 10:00:00 +0100": a space before the zone.
    written = re.fullmatch(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ?(Z|[+-]\d{2}:?\d{2})?", text, re.ASCII)
    if not written:
        raise ValueError("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
    moment = datetime.fromisoformat(written[1] + (written[2] or ""))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment, True


_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
"""YAML's spellings of a boolean, in any case."""


def alias_path(text: str) -> str | None:
    """An alias as a site-relative URL path (``old/lake`` → ``/old/lake/``, ``/2019/lake.html`` kept); None if it is not one.

    A path with a file extension names that file; any other is a folder.
    Nothing that could leave the output folder (``..``, a backslash) or name
    another site (``https://…``, ``//host``) is a path.
    """
    text = text.strip()
    if not text or "://" in text or text.startswith("//") or any(mark in text for mark in "\\?#\0"):
        return None
    segments = text.strip("/").split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    path = "/" + "/".join(segments)
    return path if "." in segments[-1] else path + "/"


def _real_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:  # 2024-13-45-notes.md is a name, not a date
        return False
    return True


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


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlevel = 3


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, whatever its size or depth."""
    return "nothing" if value is None else _REPR.repr(value)
