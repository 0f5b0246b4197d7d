"""Site settings: ``[tool.ssg]`` of the site's pyproject.toml → :class:`Config`.

Every key is checked here, once; a wrong type or an unknown key is a
:class:`Problem` at its line in pyproject.toml, with a "did you mean" hint.
A site without a pyproject.toml, or without ``[tool.ssg]``, gets defaults.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ssg.errors import Problem, SiteError, did_you_mean
from ssg.frontmatter import LANGUAGE_TAG, as_text, check_defaults
from ssg.model import ColophonSettings, Config, ContributorSettings, TagSettings
from ssg.sections import URLS
from ssg.sitefiles import OUTSIDE, is_inside
from ssg.slugs import slugify, tag_key
from ssg.typography import DASHES, typeset
from ssg.urls import base_path_of

SETTINGS_FILE = "pyproject.toml"


@dataclass(frozen=True)
class _Key:
    kind: type
    doc: str


_SITE_KEYS = {
    "title": _Key(str, "the anthology's title"),
    "subtitle": _Key(str, "a line shown under the title"),
    "description": _Key(str, "for search engines and feeds"),
    "base_url": _Key(str, "where the site is published"),
    "language": _Key(str, "the pages' lang, e.g. 'en'"),
    "author": _Key(str, "author of pieces that name none"),
    "content_dir": _Key(str, "folder of the pieces"),
    "layouts_dir": _Key(str, "folder of the layouts"),
    "output_dir": _Key(str, "folder the site is built into"),
    "per_page": _Key(int, "pieces on one page of a tag"),
    "home_per_page": _Key(int, "pieces on one page of the home listing"),
    "cname": _Key(str, "the custom domain GitHub Pages serves the site at"),
    "tags": _Key(dict, "per-tag settings"),
    "ignore_keys": _Key(list, "front-matter keys of other tools, never warned about"),
    "urls": _Key(str, "'flat' (/slug/) or 'folders' (/section/slug/)"),
    "defaults": _Key(dict, "front matter every piece starts from"),
    "contributors": _Key(dict, "bios and links of the contributors, by name"),
    "colophon": _Key(dict, "the editors, the licence and the typefaces, for /colophon/"),
    "dashes": _Key(str, "the house style of a dash between words: 'em' (word—word) or 'spaced-en' (word – word)"),
    "search": _Key(bool, "whether to write the search index and the /search/ page (true by default)"),
    "epub": _Key(bool, "whether every build writes the EPUB edition (as ssg build --epub)"),
    "pdf": _Key(bool, "whether every build writes the print-ready PDF (as ssg build --pdf)"),
    "pdf_page": _Key(str, "the PDF's trim size, as CSS's @page size: 'A5' (the default), 'A4', '6in 9in', …"),
}
_COLOPHON_KEYS = {
    "editors": _Key(list, "who edited the anthology"),
    "licence": _Key(str, "under which licence it is published, e.g. 'CC BY-NC-SA 4.0'"),
    "typefaces": _Key(list, "the typefaces it is set in"),
}
_CONTRIBUTOR_KEYS = {
    "bio": _Key(str, "a few lines shown on their page and the list of contributors"),
    "url": _Key(str, "their own site, linked from their page"),
}
_TAG_KEYS = {
    "description": _Key(str, "shown on the tag's page"),
    "mood": _Key(str, "the theme's atmosphere: mist, moonlight, dawn, …"),
}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dict: "a table", list: "a list of strings"}
_PAGE_SIZE = re.compile(
    r"^\s*(?:(?:a[3-6]|b[45]|jis-b[45]|letter|legal|ledger)(?:\s+(?:portrait|landscape))?"
    r"|(?:portrait|landscape)\s+(?:a[3-6]|b[45]|jis-b[45]|letter|legal|ledger)"
    r"|\d+(?:\.\d+)?(?:mm|cm|in|pt|pc|px|q)(?:\s+\d+(?:\.\d+)?(?:mm|cm|in|pt|pc|px|q))?)\s*$",
    re.IGNORECASE,
)
"""A trim size as CSS's ``@page { size }`` takes it: a named size (and an orientation), or a width and a height."""
_HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def load_config(
    site_dir: Path,
    *,
    output_dir: Path | None = None,
    base_url: str | None = None,
    editions: Collection[str] = (),
) -> Config:
    """Read and check the settings of the site in site_dir.

    output_dir and base_url, when given (from the command line), win over the
    settings file; `editions` (``epub``, ``pdf``: ``--epub``, ``--pdf``) are
    made whatever the settings say.
    """
    site_dir = site_dir.resolve()
    settings_file = site_dir / SETTINGS_FILE
    settings, lines = _read_settings(settings_file)
    where = _Locator(SETTINGS_FILE, lines)
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    for key, value in settings.items():
        spec = _SITE_KEYS.get(key)
        if spec is None:
            problems.append(where.unknown(("tool", "ssg"), key, _SITE_KEYS))
        elif not _is_kind(value, spec.kind):
            problems.append(where.wrong_type(("tool", "ssg"), key, value, spec.kind))
        else:
            values[key] = value

    tags = _tag_settings(values.pop("tags", {}), where, problems)
    values["contributors"] = _contributor_settings(values.pop("contributors", {}), where, problems)
    values["colophon"] = _colophon_settings(values.pop("colophon", {}), where, problems)
    if "defaults" in values:
        values["defaults"] = _defaults(values["defaults"], where, problems, values.get("ignore_keys", ()))
    if values.get("dashes", "") not in DASHES:
        problems.append(
            where.problem(
                ("tool", "ssg"),
                "dashes",
                f"'dashes' must be 'em' or 'spaced-en' (got {values['dashes']!r})",
                'dashes = "em" sets word—word, dashes = "spaced-en" sets word – word; leave it out to keep the dashes as typed',
            )
        )
    if values.get("urls", "flat") not in URLS:
        problems.append(
            where.problem(
                ("tool", "ssg"),
                "urls",
                f"'urls' must be 'flat' or 'folders' (got {values['urls']!r})",
                'urls = "flat" publishes a piece at /<slug>/, urls = "folders" at its folder\'s path, /<section>/<slug>/',
            )
        )
    if "ignore_keys" in values:
        not_text = [key for key in values["ignore_keys"] if not isinstance(key, str)]
        if not_text:
            problems.append(where.problem(("tool", "ssg"), "ignore_keys", f"'ignore_keys' must be a list of strings (got {not_text[0]!r} in it)", 'for example: ignore_keys = ["locale", "toc"]'))
        values["ignore_keys"] = tuple(key for key in values["ignore_keys"] if isinstance(key, str))
    for key in ("per_page", "home_per_page"):
        if values.get(key, 1) < 1:
            problems.append(where.problem(("tool", "ssg"), key, f"'{key}' must be at least 1", f"for example: {key} = 10"))
    if "pdf_page" in values and not _PAGE_SIZE.match(values["pdf_page"]):
        problems.append(
            where.problem(("tool", "ssg"), "pdf_page", f"'pdf_page' is not a page size (got {values['pdf_page']!r})", 'a CSS page size: pdf_page = "A5", "A4", "letter", "6in 9in" or "148mm 210mm"')
        )
    if "language" in values and not LANGUAGE_TAG.match(values["language"]):
        problems.append(where.problem(("tool", "ssg"), "language", f"'language' is not a language tag (got {values['language']!r})", "use a BCP 47 tag such as 'en', 'fr' or 'pt-BR'"))
    if base_url is not None:
        values["base_url"] = base_url
    values.update((kind, True) for kind in editions)
    if "base_url" in values and not _is_base_url(values["base_url"]):
        problems.append(
            where.problem(
                ("tool", "ssg"),
                "base_url",
                f"'base_url' must be an http(s) URL or a path starting with '/' (got {values['base_url']!r})",
                'for example: base_url = "https://user.github.io/anthology/"',
            )
        )
    problems += _cname_problems(values, where)
    for key in ("content_dir", "layouts_dir", "output_dir"):
        if "\x00" in values.get(key, ""):
            problems.append(where.problem(("tool", "ssg"), key, f"'{key}' holds a NUL character, which no folder name may", f'for example: {key} = "{key.removesuffix("_dir")}"'))
    if problems:
        raise SiteError(problems)

    tags = _typeset(values, tags)
    values.setdefault("description", values.get("subtitle", ""))
    set_folders: dict[str, str] = {name: values[name] for name in ("content_dir", "layouts_dir") if name in values}
    folders = {name: site_dir / values.pop(name, default) for name, default in (("content_dir", "content"), ("layouts_dir", "layouts"), ("output_dir", "output"))}
    if output_dir is not None:
        folders["output_dir"] = output_dir
    folders = {name: folder.resolve() for name, folder in folders.items()}
    problems = _outside_folders(site_dir, folders, set_folders, where)
    if problems:
        raise SiteError(problems)
    return Config(
        site_dir=site_dir,
        base_path=base_path_of(values.get("base_url", "/")),
        tags=tags,
        **folders,
        **values,
    )


def _read_settings(settings_file: Path) -> tuple[dict[str, Any], list[str]]:
    if not settings_file.is_file():
        return {}, []
    text = settings_file.read_text(encoding="utf-8", errors="replace")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        if message == "Cannot overwrite a value":  # tomllib's words for a key or table given twice
            message = "a key or table is set twice"
        raise SiteError.at(SETTINGS_FILE, int(match.group(1)) if match else None, f"invalid TOML: {message}", "see https://toml.io for the syntax") from None
    tool = document.get("tool", {})
    settings = tool.get("ssg", {}) if isinstance(tool, dict) else None
    if not isinstance(settings, dict):
        raise SiteError.at(SETTINGS_FILE, None, "'tool.ssg' must be a table", "write the settings under a [tool.ssg] header")
    return settings, text.splitlines()


def _tag_settings(table: dict, where: _Locator, problems: list[Problem]) -> dict[str, TagSettings]:
    tags: dict[str, TagSettings] = {}
    problems += _one_table_per_tag(table, where)
    for name, settings in table.items():
        table_path = ("tool", "ssg", "tags", name)
        if not isinstance(settings, dict):
            problems.append(where.wrong_type(("tool", "ssg", "tags"), name, settings, dict))
            continue
        fields: dict[str, str] = {}
        for key, value in settings.items():
            spec = _TAG_KEYS.get(key)
            if spec is None:
                problems.append(where.unknown(table_path, key, _TAG_KEYS))
            elif not _is_kind(value, spec.kind):
                problems.append(where.wrong_type(table_path, key, value, spec.kind))
            else:
                fields[key] = value
        mood = fields.get("mood")
        if mood is not None and slugify(mood) != mood:
            problems.append(where.problem(table_path, "mood", f"'mood' must be a lowercase word (got {mood!r})", 'for example: mood = "mist"'))
        tags[tag_key(name)] = TagSettings(**fields)
    return tags


def _colophon_settings(table: dict, where: _Locator, problems: list[Problem]) -> ColophonSettings:
    """``[tool.ssg.colophon]``: the facts the colophon states, and only those."""
    table_path = ("tool", "ssg", "colophon")
    fields: dict[str, Any] = {}
    for key, value in table.items():
        spec = _COLOPHON_KEYS.get(key)
        if spec is None:
            problems.append(where.unknown(table_path, key, _COLOPHON_KEYS))
        elif not _is_kind(value, spec.kind) or (spec.kind is list and not all(isinstance(item, str) for item in value)):
            problems.append(where.wrong_type(table_path, key, value, spec.kind))
        else:
            fields[key] = tuple(item.strip() for item in value if item.strip()) if spec.kind is list else value.strip()
    return ColophonSettings(**fields)


def _typeset(values: dict[str, Any], tags: dict[str, TagSettings]) -> dict[str, TagSettings]:
    """Set the settings' text as the pieces' is set: the title, subtitle and description, bios, names; returns the tags' with their descriptions set."""
    language, dashes = values.get("language", "en"), values.get("dashes", "")
    for key in ("title", "subtitle", "description", "author"):
        if key in values:
            values[key] = typeset(values[key], language, dashes)
    values["contributors"] = {typeset(name, language, dashes): replace(settings, bio=typeset(settings.bio, language, dashes)) for name, settings in values["contributors"].items()}
    values["colophon"] = replace(values["colophon"], editors=tuple(typeset(name, language, dashes) for name in values["colophon"].editors))
    return {key: replace(settings, description=typeset(settings.description, language, dashes)) for key, settings in tags.items()}


def _contributor_settings(table: dict, where: _Locator, problems: list[Problem]) -> dict[str, ContributorSettings]:
    """``[tool.ssg.contributors."Name"]``: a bio and a link for each name, as the pieces write it."""
    contributors = {}
    for name, settings in table.items():
        table_path = ("tool", "ssg", "contributors", name)
        if not isinstance(settings, dict):
            problems.append(where.wrong_type(("tool", "ssg", "contributors"), name, settings, dict))
            continue
        fields = {}
        for key, value in settings.items():
            spec = _CONTRIBUTOR_KEYS.get(key)
            if spec is None:
                problems.append(where.unknown(table_path, key, _CONTRIBUTOR_KEYS))
            elif not _is_kind(value, spec.kind):
                problems.append(where.wrong_type(table_path, key, value, spec.kind))
            else:
                fields[key] = value.strip()
        if fields.get("url") and not re.match(r"^(https?://|mailto:|/)", fields["url"]):
            problems.append(where.problem(table_path, "url", f"'url' must be a web address (got {fields['url']!r})", 'for example: url = "https://hanamori.example"'))
        contributors[name.strip()] = ContributorSettings(**fields)
    return contributors


def _defaults(table: dict, where: _Locator, problems: list[Problem], ignore_keys: Any) -> dict[str, Any]:
    """``[tool.ssg.defaults]``: front matter checked as a piece's would be, at its lines here."""
    table_path = ("tool", "ssg", "defaults")
    lines = {key: where.line_of(table_path, key) for key in table}
    keys_to_ignore = [key for key in ignore_keys if isinstance(key, str)] if isinstance(ignore_keys, list) else ()
    defaults, errors, warnings = check_defaults(as_text(table), SETTINGS_FILE, lines, keys_to_ignore)
    problems += errors + warnings  # a setting that does nothing is a mistake, not a warning
    return defaults


def _outside_folders(site_dir: Path, folders: dict[str, Path], set_folders: dict[str, str], where: _Locator) -> list[Problem]:
    """The folders ssg reads must be in the site folder, as on GitHub Pages (see ssg.sitefiles); the output may be anywhere."""
    problems = []
    for name, default in (("content_dir", "content"), ("layouts_dir", "layouts")):
        if is_inside(site_dir, folders[name]):
            continue
        if name in set_folders:
            problems.append(
                where.problem(
                    ("tool", "ssg"),
                    name,
                    f"'{name}' is outside the site folder (got {set_folders[name]!r})",
                    "ssg reads only files inside the site folder: move the folder into it and name it relative to pyproject.toml",
                )
            )
        else:
            problems.append(Problem(default, None, OUTSIDE, "ssg reads only files inside the site folder: put the folder itself there instead of a link"))
    return problems


def _one_table_per_tag(table: dict, where: _Locator) -> list[Problem]:
    """Two tables that name one tag (``Mist`` and ``mist``) would merge silently: a problem at each."""
    names_of: dict[str, list[str]] = {}
    for name in table:
        names_of.setdefault(tag_key(name), []).append(name)
    problems = []
    for key, names in names_of.items():
        for name in names if len(names) > 1 else ():
            others = " and ".join(_tag_table(other, where) for other in names if other != name)
            problems.append(
                where.problem(
                    ("tool", "ssg", "tags"),
                    name,
                    f"[tool.ssg.tags.{_toml_key(name)}] and {others} are settings of one tag, {key!r}",
                    "tags are the same whatever their case and surrounding spaces: merge them into one table",
                )
            )
    return sorted(problems, key=lambda problem: problem.line or 0)


def _tag_table(name: str, where: _Locator) -> str:
    line = where.line_of(("tool", "ssg", "tags"), name)
    return f"[tool.ssg.tags.{_toml_key(name)}]" + (f" (line {line})" if line else "")


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_kind(value: Any, kind: type) -> bool:
    # TOML booleans are ints to Python; a boolean is never a count.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _cname_problems(values: dict[str, Any], where: _Locator) -> list[Problem]:
    """A custom domain is a bare host name, and the one base_url is on (else every link breaks)."""
    cname = values.get("cname")
    if not cname:
        return []
    if not _HOST_NAME.match(cname):
        return [where.problem(("tool", "ssg"), "cname", f"'cname' must be a host name such as 'dreams.example.org' (got {cname!r})", "write only the domain: no https://, no path, no trailing slash")]
    host = urlsplit(values.get("base_url", "/")).hostname
    if host and host != cname.lower():
        return [
            where.problem(
                ("tool", "ssg"),
                "cname",
                f"'cname' is {cname!r} but base_url is on {host!r}: GitHub Pages would serve the site at {cname!r} and its links would point elsewhere",
                f'set base_url = "https://{cname}/", or build with -b https://{cname}/',
            )
        ]
    return []


def _is_base_url(url: str) -> bool:
    return re.match(r"^(/|https?://[^/\s\x00-\x1f\x7f]+/?)[^\s\x00-\x1f\x7f]*$", url) is not None


class _Locator:
    """Finds the line of a key in pyproject.toml, for messages.

    tomllib keeps no positions, so we scan the text: the line of the key
    inside its table, else the table's header, else no line at all.
    """

    def __init__(self, path: str, lines: list[str]):
        self.path = path
        self.lines = lines

    def line_of(self, table: tuple[str, ...], key: str) -> int | None:
        wanted = (*table, key)
        table_line = None
        current: tuple[str, ...] = ()
        for number, text in enumerate(self.lines, start=1):
            stripped = text.strip()
            header = re.match(r"^\[\s*([^\[\]]+?)\s*\]$", stripped)
            assignment = re.match(r"^([^=#\[]+?)\s*=", stripped)
            if header:
                current = full = _dotted(header.group(1))
                if current == table and table_line is None:
                    table_line = number
            elif assignment:
                full = current + _dotted(assignment.group(1))
            else:
                continue
            if full[: len(wanted)] == wanted:
                return number
        return table_line

    def problem(self, table: tuple[str, ...], key: str, message: str, hint: str | None) -> Problem:
        return Problem(self.path, self.line_of(table, key), message, hint)

    def unknown(self, table: tuple[str, ...], key: str, known: dict[str, _Key]) -> Problem:
        hint = did_you_mean(key, known) or "known keys: " + ", ".join(known)
        return self.problem(table, key, f"unknown setting '{key}' in [{'.'.join(table)}]", hint)

    def wrong_type(self, table: tuple[str, ...], key: str, value: Any, kind: type) -> Problem:
        got = type(value).__name__ if not isinstance(value, bool) else "a boolean"
        example = {str: f'{key} = "…"', int: f"{key} = 10", bool: f"{key} = true", dict: f"[{'.'.join((*table, key))}]", list: f'{key} = ["…"]'}[kind]
        return self.problem(table, key, f"'{key}' must be {_TYPE_NAMES[kind]} (got {got} {value!r})", f"for example: {example}")


def _dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', name))
