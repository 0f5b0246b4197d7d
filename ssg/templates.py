"""The Jinja environment that layouts are rendered in, and what each layout reads.

Layouts come from two places: the site's ``layouts/`` folder and the theme
that ships inside ssg (``ssg/theme/``).  A site's ``layouts/<name>`` wins over
the theme's ``<name>``, one file at a time; ``theme/<name>`` always names the
theme's own file, so that a site's layout can extend or include the one it
replaces.

A layout's output depends on its own file, on every layout it reaches through
``extends``, ``include`` and ``import``, and on the variables it uses.  When a
layout names another one with an expression Jinja cannot resolve, it is taken
to depend on every layout: an uncertain dependency widens a rebuild, never
narrows it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path

from ssg.book import EDITIONS, edition_path
from ssg.errors import SiteError
from ssg.i18n import catalogue
from ssg.model import Config
from ssg.sitefiles import link_problem, list_files
from ssg.urls import absolute_url, url_for

THEME_DIR = Path(__file__).resolve().parent / "theme"
"""The default theme: every layout, and assets/ (the stylesheet, the favicon)."""
THEME_PREFIX = "theme/"
"""``theme/base.html`` names the theme's base.html, whatever the site's layouts/ holds."""
ASSETS_DIR = "assets"
"""The theme's and the site's assets/ are copied to /assets/."""


class _CompiledLayouts(jinja2.BytecodeCache):
    """Layouts compiled once a process, by file and the digest of their source (Jinja checks it).

    Every build makes an environment of its own, and a process that builds
    again and again (the tests, a preview whose settings change) would
    otherwise parse and compile the same theme each time.  Only environments
    of :func:`make_environment`, all made alike, share it.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledLayouts()


def make_environment(config: Config) -> jinja2.Environment:
    """Layouts from the site's layouts folder, then the theme; autoescaped, strict about typos.

    StrictUndefined makes a misspelt variable an error at its line instead of
    an empty string that nobody notices.
    """
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                # First, as a site's layouts/theme/ must never hide the theme's files.
                jinja2.PrefixLoader({THEME_PREFIX.rstrip("/"): jinja2.FileSystemLoader(THEME_DIR)}),
                SiteLoader(config),
                jinja2.FileSystemLoader(THEME_DIR),
            ]
        ),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Jinja's own check compares mtimes, which miss two saves within one
        # tick; LayoutReader compares the bytes and clears the cache instead.
        auto_reload=False,
        bytecode_cache=_COMPILED,
    )
    env.globals.update(
        assets=frozenset(),
        config=config,
        url=partial(url_for, config.base_path),
        absolute_url=partial(absolute_url, config.base_url),
        editions=[(kind, url_for(config.base_path, edition_path(config.title, kind))) for kind in EDITIONS if getattr(config, kind)],
    )
    env.filters["roman"] = roman
    words = catalogue(config.language)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["long_date"] = words.long_date
    return env


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """``7`` → ``VII``: how a book numbers its pieces (``{{ n | roman }}`` in layouts); 0 and below stay digits."""
    if number < 1:
        return str(number)
    numeral = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        numeral += letters * count
    return numeral


CHANGING_GLOBALS = frozenset({"assets"})
"""Globals whose value can change from one build to the next (``config`` and ``url`` change
with the settings, which every page's digest holds already)."""


def _changing_globals_read(ast: jinja2.nodes.Template) -> frozenset[str]:
    """The CHANGING_GLOBALS a layout reads (jinja2.meta leaves every global out of what it finds)."""
    return frozenset(node.name for node in ast.find_all(jinja2.nodes.Name) if node.ctx == "load" and node.name in CHANGING_GLOBALS)


def set_assets(env: jinja2.Environment, names: frozenset[str]) -> None:
    """Tell the layouts which files /assets/ holds (``'custom.css' in assets``).

    A global rather than a page variable: it is the same for every page, and
    :class:`LayoutReader` puts it in the digest of the layouts that read it.
    """
    env.globals["assets"] = names


def theme_layout_name(filename: str) -> str | None:
    """``theme/<name>`` for a file of the theme (as Jinja names it in tracebacks), else None."""
    path = Path(filename)
    if not path.is_relative_to(THEME_DIR):
        return None
    return THEME_PREFIX + path.relative_to(THEME_DIR).as_posix()


class SiteLoader(jinja2.FileSystemLoader):
    """Jinja's loader of the site's layouts folder, under the site's policy for links.

    A layout or partial that links outside the site folder is never read: it
    is a SiteError at its path.  (The theme's files are ssg's own, outside any
    site folder, and have a loader of their own.)  Listing follows the links
    that stay inside, and stops at a cycle instead of walking it until paths
    grow too long.
    """

    def __init__(self, config: Config):
        super().__init__(config.layouts_dir)
        self.config = config

    def get_source(self, environment: jinja2.Environment, template: str):
        problem = link_problem(self.config, self.config.layouts_dir.joinpath(*split_template_path(template)))
        if problem:
            raise SiteError([problem])
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        layouts_dir = self.config.layouts_dir
        files, _ = list_files(self.config, layouts_dir)  # the refused ones are reported by loading
        return [file.relative_to(layouts_dir).as_posix() for file in files]


@dataclass(frozen=True)
class LayoutUse:
    """What rendering with one layout reads, besides the page's own variables."""

    digest: str
    """Of the bytes of every layout file it reaches (and the names in /assets/, if it reads them)."""
    variables: frozenset[str]
    """Every top-level variable it or the layouts it reaches use."""


class LayoutReader:
    """Works out each layout's dependencies, once per layout per rebuild."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._uses: dict[str, LayoutUse] = {}
        self._parsed: dict[str, tuple[str, frozenset[str], frozenset[str] | None]] = {}

    def start_rebuild(self) -> None:
        """Forget the layouts' digests; their files may have changed."""
        self._uses.clear()

    def use_of(self, name: str) -> LayoutUse:
        """The dependencies of the layout `name` (missing layouts count as empty)."""
        if name not in self._uses:
            names = self._closure(name)
            digest = hashlib.sha256()
            variables: set[str] = set()
            for layout in sorted(names):
                source_digest, used, _ = self._parse(layout)
                digest.update(f"{layout}\0{source_digest}\0".encode())
                variables |= used
            for global_name in sorted(CHANGING_GLOBALS & variables):
                value = self.env.globals[global_name]
                assert isinstance(value, frozenset)  # set_assets() keeps a set of file names there
                digest.update(f"{global_name}\0{sorted(value)!r}\0".encode())
            self._uses[name] = LayoutUse(digest.hexdigest(), frozenset(variables))
        return self._uses[name]

    def _closure(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            layout = todo.pop()
            if layout in seen:
                continue
            seen.add(layout)
            _, _, referenced = self._parse(layout)
            if referenced is None:
                todo += self.env.list_templates()
            else:
                todo += referenced
        return seen

    def _parse(self, name: str) -> tuple[str, frozenset[str], frozenset[str] | None]:
        """(digest of the source, variables used, layouts referenced or None if unknowable)."""
        loader = self.env.loader
        assert loader is not None  # make_environment() gives every environment its loader
        try:
            source, _, _ = loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            return "missing", frozenset(), frozenset()
        except UnicodeDecodeError:  # a font or an image beside the layouts: no layout reaches it
            return "not a layout", frozenset(), frozenset()
        digest = hashlib.sha256(source.encode()).hexdigest()
        cached = self._parsed.get(name)
        if cached and cached[0] == digest:
            return cached
        if cached and self.env.cache is not None:
            self.env.cache.clear()  # the compiled layout is stale
        try:
            ast = self.env.parse(source)
            referenced = frozenset(meta.find_referenced_templates(ast))  # None for a name only known when rendering
            result = (
                digest,
                frozenset(meta.find_undeclared_variables(ast)) | _changing_globals_read(ast),
                None if None in referenced else frozenset(name for name in referenced if name is not None),
            )
        except jinja2.TemplateSyntaxError:
            # Rendering will report the error; until then, assume the worst.
            result = (digest, frozenset({"site"}), None)
        self._parsed[name] = result
        return result
