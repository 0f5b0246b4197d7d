"""The Jinja environment that layouts are rendered in, and what each layout reads.

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

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path

from ssg.errors import SiteError
from ssg.model import Config
from ssg.sitefiles import link_problem, list_files
from ssg.urls import absolute_url, url_for


def make_environment(config: Config) -> jinja2.Environment:
    """Layouts from the site's layouts folder, autoescaped, strict about typos.

    StrictUndefined makes a misspelt variable an error at its line instead of
    an empty string that nobody notices.
    """
    env = jinja2.Environment(
        loader=SiteLoader(config),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Jinja's own check compares mtimes, which miss two saves within one
        # tick; LayoutReader compares the bytes and clears the cache instead.
        auto_reload=False,
    )
    env.globals.update(
        config=config,
        url=partial(url_for, config.base_path),
        absolute_url=partial(absolute_url, config.base_url),
    )
    return env


class SiteLoader(jinja2.FileSystemLoader):
    """Jinja's loader of the layouts folder, under the site's policy for links.

    A layout or partial that links outside the site folder is never read: it
    is a SiteError at its path.  Listing follows the links that stay inside,
    and stops at a cycle instead of walking it until paths grow too long.
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
    """Of the bytes of every layout file it reaches."""
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
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            return "missing", frozenset(), frozenset()
        digest = hashlib.sha256(source.encode()).hexdigest()
        cached = self._parsed.get(name)
        if cached and cached[0] == digest:
            return cached
        if cached:
            self.env.cache.clear()  # the compiled layout is stale
        try:
            ast = self.env.parse(source)
            referenced = list(meta.find_referenced_templates(ast))
            result = (
                digest,
                frozenset(meta.find_undeclared_variables(ast)),
                None if None in referenced else frozenset(referenced),
            )
        except jinja2.TemplateSyntaxError:
            # Rendering will report the error; until then, assume the worst.
            result = (digest, frozenset({"site"}), None)
        self._parsed[name] = result
        return result
