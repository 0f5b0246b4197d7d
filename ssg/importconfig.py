"""``ssg import-config``: a Hugo or Jekyll site's settings, as ``[tool.ssg]`` to paste.

A writer bringing an anthology over from Hugo or Jekyll has its title, its
address, its language and its habits (a poem's line breaks kept as written)
in a configuration file ssg never reads.  This converts that file once, into
text printed for the writer to read and paste into pyproject.toml; nothing is
written, so nothing is changed behind their back.  Each setting a reader
would miss and ssg cannot carry over is printed as a ``# not converted:``
comment saying what ssg does instead, so nothing is lost in silence.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssg.errors import SiteError

HUGO_FILES = ("config.toml", "config.yaml", "config.yml", "config.json", "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
JEKYLL_FILES = ("_config.yml", "_config.yaml")
ACCEPTED = "Hugo's config.toml, hugo.toml, hugo.yaml or hugo.json (or config.yaml, config.json), or Jekyll's _config.yml"
SETTING_ORDER = ("title", "subtitle", "description", "base_url", "language", "author", "urls", "per_page", "home_per_page")
"""The order settings are printed in, whatever the order of the source."""
LONGEST_VALUE = 100
"""Characters of a value shown in a comment; the rest is cut, as the source still holds it."""
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class Conversion:
    """What a source configuration becomes: settings, front matter defaults, and what is left behind."""

    settings: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    not_converted: list[tuple[str, Any, str]] = field(default_factory=list)
    """(key as written, its value, why it is left behind), in the order found."""


def convert(config_file: Path) -> str:
    """The [tool.ssg] block, as TOML text, converted from a Hugo or Jekyll configuration file."""
    name = config_file.name
    if name not in HUGO_FILES + JEKYLL_FILES:
        raise SiteError.at(str(config_file), None, f"'{name}' is not the name of a Hugo or Jekyll configuration", f"pass {ACCEPTED}")
    document = read_document(config_file)
    if name in JEKYLL_FILES:
        return render("Jekyll", name, from_jekyll(document))
    return render("Hugo", name, from_hugo(document))


def read_document(config_file: Path) -> dict:
    """The file's table of settings; a file that cannot be read or parsed is a SiteError at its line."""
    shown = str(config_file)
    try:
        data = config_file.read_bytes()
    except OSError as error:
        raise SiteError.at(shown, None, f"cannot read the file: {error.strerror}", f"pass the path of {ACCEPTED}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SiteError.at(shown, line, "the file is not UTF-8 text", "save it as UTF-8 in your editor") from None
    document = {".toml": _parse_toml, ".json": _parse_json}.get(config_file.suffix, _parse_yaml)(text, shown)
    if document is None:
        return {}  # an empty file: every setting at its default
    if not isinstance(document, dict):
        raise SiteError.at(shown, 1, "the file holds no table of settings", "a configuration is key: value pairs at the top level")
    return document


def _parse_toml(text: str, shown: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r" \(at line (\d+), column \d+\)$", str(error))
        line = int(at[1]) if at else text.rstrip("\n").count("\n") + 1
        detail = str(error)[: at.start()] if at else str(error).removesuffix(" (at end of document)")
        raise SiteError.at(shown, line, f"invalid TOML: {detail}", "see https://toml.io for the syntax") from None


def _parse_yaml(text: str, shown: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.context_mark or error.problem_mark
        detail = error.problem or error.context
        raise SiteError.at(shown, mark.line + 1 if mark else None, f"invalid YAML: {detail}", "check the indentation, and quote values holding ': '") from None
    except yaml.YAMLError as error:
        raise SiteError.at(shown, None, f"invalid YAML: {' '.join(str(error).split())}", "check the YAML syntax") from None


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SiteError.at(shown, error.lineno, f"invalid JSON: {error.msg}", 'check the JSON syntax: "key": value pairs separated by commas') from None


class Keys:
    """Every key of a nested table by its dotted path, so `a.b.c` finds a key written nested or dotted.

    Hugo ignores the case of keys (baseURL, baseurl); Jekyll does not, so a
    Jekyll configuration is looked up with ignore_case=False.
    """

    def __init__(self, document: dict, ignore_case: bool):
        self.ignore_case = ignore_case
        self.found: dict[str, tuple[str, Any]] = {}
        self._add(document, "")

    def _add(self, table: dict, prefix: str) -> None:
        for key, value in table.items():
            written = f"{prefix}{key}"
            self.found.setdefault(self._folded(written), (written, value))
            if isinstance(value, dict):
                self._add(value, written + ".")

    def _folded(self, path: str) -> str:
        return path.lower() if self.ignore_case else path

    def get(self, *paths: str) -> Any:
        """The value of the first of paths that is set, else None."""
        for path in paths:
            if self._folded(path) in self.found:
                return self.found[self._folded(path)][1]
        return None

    def written(self, path: str) -> tuple[str, Any] | None:
        """The key as the source writes it, and its value; None when it is not set."""
        return self.found.get(self._folded(path))


def from_hugo(document: dict) -> Conversion:
    """Hugo's settings → ssg's; Hugo publishes a page at its folder path, /poems/ariane/, as urls = "folders" does."""
    keys = Keys(document, ignore_case=True)
    conversion = Conversion()
    _put_text(conversion, keys, "title", "title")
    _put_text(conversion, keys, "subtitle", "params.subtitle")
    _put_text(conversion, keys, "description", "params.description", "description")
    _put_base_url(conversion, keys.get("baseURL"))
    _put_language(conversion, keys, "languageCode", "defaultContentLanguage")
    _put_author(conversion, keys.get("params.author"), keys.get("author"))
    conversion.settings["urls"] = "folders"
    per_page = keys.get("pagination.pagerSize", "paginate")
    if _is_count(per_page):
        conversion.settings["per_page"] = per_page
    if keys.get("markup.goldmark.renderer.hardWraps") is True:
        conversion.defaults["form"] = "verse"
    _note_left_behind(conversion, keys, HUGO_LEFT_BEHIND)
    return conversion


def from_jekyll(document: dict) -> Conversion:
    """Jekyll's settings → ssg's; urls is left at ssg's default, flat (/<slug>/), as Jekyll has no folder sections."""
    keys = Keys(document, ignore_case=False)
    conversion = Conversion()
    _put_text(conversion, keys, "title", "title")
    _put_text(conversion, keys, "subtitle", "subtitle", "tagline")
    _put_text(conversion, keys, "description", "description")
    _put_jekyll_base_url(conversion, keys.get("url"), keys.get("baseurl"))
    _put_language(conversion, keys, "lang", "locale")
    _put_author(conversion, keys.get("author"))
    home_per_page = keys.get("paginate")  # jekyll-paginate pages the home page only
    if _is_count(home_per_page):
        conversion.settings["home_per_page"] = home_per_page
    if _jekyll_hard_wraps(keys):
        conversion.defaults["form"] = "verse"
    _note_left_behind(conversion, keys, JEKYLL_LEFT_BEHIND)
    for plugin_key in ("plugins", "gems"):
        for plugin in _as_list(keys.get(plugin_key)):
            conversion.not_converted.append((plugin_key, plugin, JEKYLL_PLUGINS.get(plugin, "ssg runs no plugins: what it did is not done")))
    return conversion


def _put_text(conversion: Conversion, keys: Keys, setting: str, *paths: str) -> None:
    value = keys.get(*paths)
    if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, datetime.date) else str(value)  # YAML read `title: 1984` as a number
    if isinstance(value, str) and value:
        conversion.settings[setting] = value


def _put_base_url(conversion: Conversion, base_url: Any) -> None:
    if not isinstance(base_url, str) or base_url in ("", "/"):
        return
    if base_url.startswith(("http://", "https://", "/")):
        conversion.settings["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    else:
        conversion.not_converted.append(("baseURL", base_url, 'not a URL: set base_url = "https://…/" yourself'))


def _put_jekyll_base_url(conversion: Conversion, url: Any, baseurl: Any) -> None:
    site = url.rstrip("/") if isinstance(url, str) else ""
    path = baseurl.strip("/") if isinstance(baseurl, str) else ""
    _put_base_url(conversion, f"{site}/{path}/" if path else f"{site}/")


def _put_language(conversion: Conversion, keys: Keys, *paths: str) -> None:
    for path in paths:
        written = keys.written(path)
        if written is None or not isinstance(written[1], str):
            continue
        tag = language_tag(written[1])
        if _LANGUAGE_TAG.match(tag):
            conversion.settings["language"] = tag
        else:
            conversion.not_converted.append((written[0], written[1], 'not a BCP 47 language tag: set language = "fr" (say) yourself'))
        return


def language_tag(code: str) -> str:
    """A language code in BCP 47's case: fr-fr → fr-FR, zh-hant-tw → zh-Hant-TW, en_US → en-US."""
    first, *rest = code.strip().replace("_", "-").split("-")
    subtags = [first.lower()]
    for subtag in rest:
        if len(subtags[-1]) == 1 or len(subtag) not in (2, 3, 4) or (len(subtag) == 3 and not subtag.isdigit()):
            subtags.append(subtag.lower())  # after a singleton (x-, u-) every subtag is lower case
        else:
            subtags.append(subtag.title() if len(subtag) == 4 else subtag.upper())
    return "-".join(subtags)


def _put_author(conversion: Conversion, *candidates: Any) -> None:
    for author in candidates:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name:
            conversion.settings["author"] = name
            return


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _jekyll_hard_wraps(keys: Keys) -> bool:
    """Whether the Markdown processor Jekyll is set to use keeps each line break (kramdown, CommonMark or Redcarpet)."""
    processor = str(keys.get("markdown") or "kramdown").lower()
    names = {processor, "kramdown"} | ({"commonmark"} if processor.startswith("commonmark") else set())
    for name in sorted(names):
        options = keys.get(name)
        if not isinstance(options, dict):
            continue
        if options.get("hard_wrap") is True or "hard_wrap" in _as_list(options.get("extensions")) or "HARDBREAKS" in _as_list(options.get("options")):
            return True
    return False


@dataclass(frozen=True)
class LeftBehind:
    """A source setting a reader would miss, which ssg has no setting for."""

    path: str
    reason: str
    applies: Callable[[Any, Keys], bool] = lambda value, keys: True
    """Whether this value of it differs from what ssg does anyway."""


def _several_languages(value: Any, keys: Keys) -> bool:
    return isinstance(keys.get("languages"), dict) and len(keys.get("languages")) > 1


HUGO_LEFT_BEHIND = (
    LeftBehind("theme", "ssg draws every page with its own theme: `ssg theme copy NAME` copies a layout to change"),
    LeftBehind("permalinks", "ssg publishes a piece at its path in content/; set slug to rename one, and aliases to keep an old URL alive"),
    LeftBehind("taxonomies", "ssg makes pages for tags only; other taxonomies stay in front matter, unused", lambda value, keys: value != {"tag": "tags"}),
    LeftBehind("defaultContentLanguage", "ssg builds one language: build each language as a site of its own", _several_languages),
    LeftBehind("uglyURLs", "ssg publishes a piece as a folder, /poems/ariane/, never as .html: keep an old URL alive with aliases", lambda value, keys: value is not False),
    LeftBehind("menus", "ssg's theme has no menu: add links in layouts/base.html"),
    LeftBehind("menu", "ssg's theme has no menu: add links in layouts/base.html"),
    LeftBehind("copyright", "ssg's theme shows no copyright line: add it in layouts/base.html"),
    LeftBehind("enableEmoji", "ssg leaves :emoji: codes as written", lambda value, keys: value is True),
    LeftBehind("services.disqus.shortname", "ssg's theme has no comments"),
    LeftBehind("disqusShortname", "ssg's theme has no comments"),
)
JEKYLL_LEFT_BEHIND = (
    LeftBehind("theme", "ssg draws every page with its own theme: `ssg theme copy NAME` copies a layout to change"),
    LeftBehind("remote_theme", "ssg draws every page with its own theme: `ssg theme copy NAME` copies a layout to change"),
    LeftBehind("permalink", "ssg publishes a piece at its path in content/; set slug to rename one, and redirect_from to keep an old URL alive", lambda value, keys: value != "/:title/"),
    LeftBehind("collections", "ssg reads every piece under content/, subfolders included: move each collection's folder there"),
    LeftBehind("defaults", "[tool.ssg.defaults] holds front matter for every piece: copy there the values that hold for all"),
    LeftBehind("future", "ssg leaves out pieces dated in the future unless built with `ssg build --future`", lambda value, keys: value is True),
    LeftBehind("disqus", "ssg's theme has no comments"),
)
JEKYLL_PLUGINS = {
    "jekyll-feed": "nothing to do: ssg writes the Atom feed itself, at /feed.xml",
    "jekyll-sitemap": "nothing to do: ssg writes /sitemap.xml itself",
    "jekyll-seo-tag": "nothing to do: ssg's theme writes the title, description and canonical link of each page",
    "jekyll-redirect-from": "nothing to do: ssg reads redirect_from in front matter itself",
    "jekyll-paginate": "ssg paginates the home page (home_per_page) and tags (per_page) itself",
    "jekyll-paginate-v2": "ssg paginates the home page (home_per_page) and tags (per_page) itself",
    "jemoji": "ssg leaves :emoji: codes as written",
}


def _note_left_behind(conversion: Conversion, keys: Keys, left_behind: tuple[LeftBehind, ...]) -> None:
    for setting in left_behind:
        written = keys.written(setting.path)
        if written is not None and setting.applies(written[1], keys):
            conversion.not_converted.append((written[0], written[1], setting.reason))


def render(kind: str, file_name: str, conversion: Conversion) -> str:
    """The TOML text printed: settings in SETTING_ORDER, the comments, then [tool.ssg.defaults]."""
    lines = [f"# converted by ssg import-config from {kind}'s {file_name}", "[tool.ssg]"]
    lines += [f"{name} = {toml_value(conversion.settings[name])}" for name in SETTING_ORDER if name in conversion.settings]
    for key, value, reason in conversion.not_converted:
        lines.append(f"# not converted: {_toml_key(key)} = {_shortened(toml_value(value))} — {reason}")
    if conversion.defaults:
        lines += ["", "[tool.ssg.defaults]"]
        lines += [f"{name} = {toml_value(value)}" for name, value in sorted(conversion.defaults.items())]
    return "\n".join(lines) + "\n"


def toml_value(value: Any) -> str:
    """A value as TOML writes it inline (in a comment, a YAML null shows as null)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(key)} = {toml_value(item)}" for key, item in value.items()) + "}"
    return toml_string(str(value))


_STRING_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\", ord("\b"): "\\b", ord("\t"): "\\t", ord("\n"): "\\n", ord("\f"): "\\f", ord("\r"): "\\r"}
_STRING_ESCAPES |= {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F] if code not in _STRING_ESCAPES}
_STRING_ESCAPES |= dict.fromkeys(range(0xD800, 0xE000), "\\uFFFD")  # a lone surrogate (JSON's "\ud800") is no character TOML can hold


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, other characters as they are."""
    return '"' + text.translate(_STRING_ESCAPES) + '"'


def _toml_key(key: str) -> str:
    """A key, or a dotted path of keys, quoted where TOML needs it."""
    return ".".join(part if _BARE_KEY.match(part) else toml_string(part) for part in str(key).split("."))


def _shortened(text: str) -> str:
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"
