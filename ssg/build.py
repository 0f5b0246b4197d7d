"""Building a site: load → index → plan → render → write, once or again and again.

``ssg build`` makes a :class:`Builder` and builds once.  ``ssg serve`` and
``ssg watch`` keep one and call :meth:`Builder.build` after every change: it
re-reads only changed files, re-renders only pages whose inputs changed and
writes only files whose bytes changed.  Both paths run the same code, so a
rebuild's output is always what a clean build would give.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from ssg.cache import build_key, content_key
from ssg.cache import read as read_cache
from ssg.cache import write as write_cache
from ssg.deps import (
    Indexed,
    Readers,
    changed_keys,
    due_after,
    references,
    swap_changed_pieces,
)
from ssg.errors import Problem, SiteError
from ssg.index import index_site
from ssg.links import Resolver, resolve_links
from ssg.load import STATIC_DIR, WORKERS, ContentLoader, files_under
from ssg.model import Config, Output, Page, Site
from ssg.render import page_context, render_in_workers, render_page
from ssg.routes import plan
from ssg.templates import LayoutReader, make_environment
from ssg.write import MARKER, check_output_dir, replace_site, write_changes, write_site

ASSETS_DIR = "assets"
"""layouts/assets/ (the theme's CSS and images) is copied to /assets/."""
PARALLEL_PAGES = range(400, 4000)
"""How many pages to render make forked workers share the rendering (never with threads running).

Fewer, and starting them costs more than it saves; more, and the copies of the
site that the workers come to hold cost more memory than the time they save
(at 10,000 pieces: 450 MiB for all processes instead of 170, for 2.5 s of 25)."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the line printed at its end and for the preview server."""

    pages: int
    """HTML pages (feeds, the sitemap and other files made in Python count as files only)."""
    pieces: int
    tags: int
    files: int
    """Files in the output."""
    rendered: int
    """HTML pages rendered by this build (all of them, the first time)."""
    written: tuple[str, ...]
    """Output files written or deleted, because their bytes changed."""
    seconds: float
    warnings: tuple[Problem, ...]


def build(config: Config, *, drafts: bool = False, future: bool = False, now: datetime | None = None, strict: bool = True, cache: bool = False, progress: Callable[[str, int, int], None] | None = None) -> BuildReport:
    """Build the site into config.output_dir, or raise SiteError leaving it untouched."""
    return Builder(config, drafts=drafts, future=future, now=now, strict=strict, cache=cache, atomic=True, progress=progress).build()


class Builder:
    """Builds one site, remembering enough to rebuild only what a change touched.

    `ssg build` uses one with cache=True (what it knows is kept in
    .ssg-cache/ for the next build) and atomic=True (the output folder is
    swapped as a whole); `ssg serve` and `ssg watch` keep one alive and let it
    write changed files in place, between two requests.
    """

    def __init__(
        self,
        config: Config,
        *,
        drafts: bool = False,
        future: bool = False,
        now: datetime | None = None,
        strict: bool = True,
        cache: bool = False,
        atomic: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.config = config
        self.drafts = drafts
        self.future = future
        self.now = now
        self.strict = strict
        """Whether a broken link in a piece fails the build (else it is a warning)."""
        self.cache = cache
        self.atomic = atomic
        self.progress = progress or (lambda stage, done, total: None)
        self.env = make_environment(config)
        self.layouts = LayoutReader(self.env)
        self.content = ContentLoader(config)
        self.content.progress = self.progress
        self.copies = _CopyReader()
        self.memory = BuildMemory()
        if cache:
            self.content.remember(read_cache(config, "content", content_key(config)) or {})
            self.memory = _checked_against_output(config, read_cache(config, "build", self._build_key()))

    def build(self, changed: Collection[Path] = (), *, rescan: bool = True) -> BuildReport:
        """Build, or rebuild after `changed` files changed; raise SiteError on problems.

        With rescan=False, `changed` must name every file that changed (a
        watcher's events), and content/ is not listed again.

        When it fails, the output folder and the builder's memory are left as
        they were, so the next build after a fix redoes everything needed.
        """
        started = time.perf_counter()
        config = self.config
        check_output_dir(config)
        last = self.memory
        loaded = self.content.load(changed, rescan=rescan)
        now = self.now or datetime.now(timezone.utc)
        indexed = swap_changed_pieces(last.indexed, loaded, now) if last.indexed else None
        if indexed is not None:
            pages, resolver = last.indexed.pages, last.resolver
        else:
            indexed = index_site(config, loaded, drafts=self.drafts, future=self.future, now=now)
            pages = plan(indexed)
            resolver = Resolver(indexed, pages, loaded.pieces, loaded.static_files)
        site, link_warnings = resolve_links(indexed, pages, loaded.pieces, loaded.static_files, strict=self.strict, resolver=resolver)
        site = _reuse_unchanged(last.site, site)
        static_files = frozenset(loaded.static_files)
        self.layouts.start_rebuild()
        layout_digests = {page.layout: self.layouts.use_of(page.layout).digest for page in _one_page_per_layout(pages)}

        if last.site and pages is last.indexed.pages and layout_digests == last.layout_digests:
            readers = last.readers
            to_compare = readers.of(changed_keys(last.site, site))
            inputs = dict(last.inputs)
        else:
            readers, to_compare, inputs = Readers(), None, {}
        rendered: list[str] = []

        def outputs() -> Iterator[Output]:
            """Every file whose inputs changed, rendered or read."""
            to_render: list[tuple[int, dict]] = []
            for number, page in enumerate(pages):
                if to_compare is not None and page.out_file not in to_compare:
                    continue
                context = page_context(site, page, static_files, pages)
                inputs[page.out_file] = self._inputs_of(site, page, context)
                if to_compare is None:
                    readers.record(page.out_file, references(inputs[page.out_file]))
                if last.inputs.get(page.out_file) != inputs[page.out_file]:
                    to_render.append((number, context))
            if len(to_render) in PARALLEL_PAGES and WORKERS > 1 and threading.active_count() == 1:
                made = render_in_workers(self.env, site, pages, static_files, [number for number, _ in to_render], WORKERS)
            else:
                made = (render_page(self.env, site, pages[number], context) for number, context in to_render)
            for done, output in enumerate(made, start=1):
                yield output
                rendered.append(output.out_file)
                self.progress("rendered", done, len(to_render))
            for out_dir, source_dir, names in (
                (STATIC_DIR, config.content_dir / STATIC_DIR, loaded.static_files),
                (ASSETS_DIR, config.layouts_dir / ASSETS_DIR, files_under(config.layouts_dir / ASSETS_DIR)),
            ):
                for name in names:
                    data = self.copies.read(config, source_dir / name, changed)
                    out_file = f"{out_dir}/{name}"
                    inputs[out_file] = hashlib.blake2b(data, digest_size=16).digest()
                    if last.inputs.get(out_file) != inputs[out_file]:
                        yield Output(out_file, data)

        written, digests = self._write(outputs(), lambda: inputs.keys())
        self.memory = BuildMemory(
            inputs=inputs,
            digests=digests,
            site=site,
            indexed=Indexed(loaded, indexed, pages, due_after(loaded, now)),
            layout_digests=layout_digests,
            readers=readers,
            resolver=resolver,
        )
        if self.cache:
            if self.content.files_loaded:
                write_cache(config, "content", content_key(config), self.content.remembered())
            if written or last.site is None:
                write_cache(config, "build", self._build_key(), self.memory)
        return BuildReport(
            pages=sum(1 for page in pages if page.layout),
            pieces=len(site.pieces),
            tags=len(site.tags),
            files=len(inputs),
            rendered=sum(1 for out_file in rendered if out_file.endswith(".html")),
            written=tuple(written),
            seconds=time.perf_counter() - started,
            warnings=loaded.warnings + link_warnings,
        )

    def _build_key(self) -> str:
        return build_key(self.config, self.drafts, self.future, self.strict)

    def _inputs_of(self, site: Site, page: Page, context: dict) -> object:
        """Everything a page's bytes are made from: equal inputs, equal bytes."""
        if not page.layout:  # made in Python from their context and the settings
            return (page, {name: value for name, value in context.items() if name != "site"}, site.config)
        layout = self.layouts.use_of(page.layout)
        used = {name: value for name, value in context.items() if name != "site" or "site" in layout.variables}
        return (layout.digest, used)

    def _write(self, outputs: Iterator[Output], out_files: Callable[[], Collection[str]]) -> tuple[list[str], dict[str, _Written]]:
        """Write what changed; returns the files written or deleted, and what the output now holds."""
        config = self.config
        known = self.memory.digests
        if self.memory.site is None:  # the first build: everything, streamed into a new folder
            digests: dict[str, _Written] = {}
            write_site(config, _noting_digests(outputs, digests))
            return sorted(digests), _with_stamps(config, digests)
        fresh = {output.out_file: output for output in outputs}
        changed = [output for output in fresh.values() if known.get(output.out_file, _Written(b"", None)).digest != _digest(output.data)]
        removed = known.keys() - set(out_files())
        digests = {name: written for name, written in known.items() if name not in removed}
        if not changed and not removed:
            return [], digests
        if self.atomic:
            replace_site(config, changed, kept=[name for name in digests if name not in {output.out_file for output in changed}])
            written = sorted([output.out_file for output in changed] + list(removed))
        else:
            written = write_changes(config, changed, removed)
        digests.update(_with_stamps(config, {output.out_file: _Written(_digest(output.data), None) for output in changed}))
        return written, digests


@dataclass(frozen=True)
class _Written:
    """A file of the output: the digest of its bytes, and its stat when written."""

    digest: bytes
    stamp: tuple[int, int] | None


@dataclass
class BuildMemory:
    """What a builder knows after a good build; what .ssg-cache/ keeps for the next `ssg build`."""

    inputs: dict[str, object] = field(default_factory=dict)
    """out_file → what it was last made from."""
    digests: dict[str, _Written] = field(default_factory=dict)
    """out_file → what the output folder holds."""
    site: Site | None = None
    indexed: Indexed | None = None
    layout_digests: dict[str, str] = field(default_factory=dict)
    readers: Readers = field(default_factory=Readers)
    resolver: Resolver | None = None
    """What links resolve to; it holds as long as the structure does."""


def _checked_against_output(config: Config, memory: BuildMemory | None) -> BuildMemory:
    """The memory, forgetting every output file that is not as it was left (edited, deleted)."""
    if memory is None or not (config.output_dir / MARKER).is_file():
        return BuildMemory()
    for out_file, written in list(memory.digests.items()):
        try:
            status = (config.output_dir / out_file).stat()
            intact = written.stamp == (status.st_mtime_ns, status.st_size)
        except OSError:
            intact = False
        if not intact:
            del memory.digests[out_file]
            memory.inputs.pop(out_file, None)
            memory.layout_digests = {}  # so that the next build compares every page
    return memory


def _noting_digests(outputs: Iterator[Output], digests: dict[str, _Written]) -> Iterator[Output]:
    for output in outputs:
        digests[output.out_file] = _Written(_digest(output.data), None)
        yield output


def _with_stamps(config: Config, digests: dict[str, _Written]) -> dict[str, _Written]:
    stamped = {}
    for out_file, written in digests.items():
        status = (config.output_dir / out_file).stat()
        stamped[out_file] = _Written(written.digest, (status.st_mtime_ns, status.st_size))
    return stamped


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _reuse_unchanged(old: Site | None, site: Site) -> Site:
    """The site, with each piece and tag equal to the old site's replaced by that very object.

    Indexing makes new objects on every rebuild; comparing page inputs is
    then an identity check for everything that did not change, instead of a
    field-by-field comparison on every page.
    """
    if old is None:
        return site
    pieces = tuple(_same_or_new(old.find_piece(piece.slug), piece) for piece in site.pieces)
    tags = tuple(_same_or_new(old.find_tag(tag.key), tag) for tag in site.tags)
    return replace(site, pieces=pieces, tags=tags)


def _one_page_per_layout(pages: tuple[Page, ...]) -> list[Page]:
    return list({page.layout: page for page in pages if page.layout}.values())


def _same_or_new(old, new):
    return old if old is new or (old is not None and old == new) else new


class _CopyReader:
    """Reads files copied as they are, again only when their stat changed."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[tuple[int, int, int], bytes]] = {}

    def read(self, config: Config, file: Path, changed: Collection[Path]) -> bytes:
        try:
            status = file.stat()
            stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
            seen = self._seen.get(file)
            if seen and seen[0] == stamp and file not in changed:
                return seen[1]
            data = file.read_bytes()
        except OSError as error:
            raise SiteError.at(config.relative(file), None, f"cannot read the file: {error.strerror}", "check that it exists and is readable") from None
        self._seen[file] = (stamp, data)
        return data
