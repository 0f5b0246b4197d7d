"""Building a site: load → index → plan → render → write, once or again and again.

``ssg build`` makes a :class:`Builder` and builds once.  ``ssg serve`` and
``ssg watch`` keep one and call :meth:`Builder.build` after every change: it
re-reads only changed files, re-renders only pages whose inputs changed and
writes only files whose bytes changed.  Both paths run the same code, so a
rebuild's output is always what a clean build would give.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ssg.deps import Indexed, Readers, changed_keys, due_after, references, swap_changed_pieces
from ssg.errors import Problem, SiteError
from ssg.index import index_site
from ssg.links import resolve_links
from ssg.load import STATIC_DIR, ContentLoader, files_under
from ssg.model import Config, Output, Page, Site
from ssg.render import page_context, render_page
from ssg.routes import plan
from ssg.templates import LayoutReader, make_environment
from ssg.write import check_output_dir, write_changes, write_site

ASSETS_DIR = "assets"
"""layouts/assets/ (the theme's CSS and images) is copied to /assets/."""


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


def build(config: Config, *, drafts: bool = False, future: bool = False, now: datetime | None = None, strict: bool = True) -> BuildReport:
    """Build the site into config.output_dir, or raise SiteError leaving it untouched."""
    return Builder(config, drafts=drafts, future=future, now=now, strict=strict).build()


class Builder:
    """Builds one site, remembering enough to rebuild only what a change touched."""

    def __init__(self, config: Config, *, drafts: bool = False, future: bool = False, now: datetime | None = None, strict: bool = True):
        self.config = config
        self.drafts = drafts
        self.future = future
        self.now = now
        self.strict = strict
        """Whether a broken link in a piece fails the build (else it is a warning)."""
        self.env = make_environment(config)
        self.layouts = LayoutReader(self.env)
        self.content = ContentLoader(config)
        self.copies = _CopyReader()
        self._inputs: dict[str, object] = {}
        """out_file → what its page was last rendered from."""
        self._digests: dict[str, bytes] | None = None
        """out_file → digest of the bytes in the output folder; None before the first build."""
        self._site: Site | None = None
        """The site of the last good build."""
        self._indexed: Indexed | None = None
        """Its index and plan, reused when an edit leaves the structure as it was."""
        self._layout_digests: dict[str, str] = {}
        self._readers = Readers()
        """Which pages read which pieces and tags, from the last full comparison."""

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
        loaded = self.content.load(changed, rescan=rescan)
        now = self.now or datetime.now(timezone.utc)
        last = self._indexed
        indexed = swap_changed_pieces(last, loaded, now) if last else None
        if indexed is not None:
            pages = last.pages
        else:
            indexed = index_site(config, loaded, drafts=self.drafts, future=self.future, now=now)
            pages = plan(indexed)
        site, link_warnings = resolve_links(indexed, pages, loaded.pieces, loaded.static_files, strict=self.strict)
        site = self._reuse_unchanged(site)
        static_files = frozenset(loaded.static_files)
        self.layouts.start_rebuild()
        layout_digests = {page.layout: self.layouts.use_of(page.layout).digest for page in _one_page_per_layout(pages)}

        if last and pages is last.pages and layout_digests == self._layout_digests:
            to_compare = self._readers.of(changed_keys(self._site, site))
        else:
            to_compare = None  # every page
            self._readers.clear()
        inputs = dict(self._inputs) if to_compare is not None else {}
        outputs: list[Output] = []
        rendered = 0
        for page in pages:
            if to_compare is not None and page.out_file not in to_compare:
                continue
            context = page_context(site, page, static_files, pages)
            inputs[page.out_file] = self._inputs_of(site, page, context)
            if to_compare is None:
                self._readers.record(page.out_file, references(inputs[page.out_file]))
            if self._inputs.get(page.out_file) != inputs[page.out_file]:
                outputs.append(render_page(self.env, site, page, context))
                rendered += bool(page.layout)
        for out_dir, source_dir, names in (
            (STATIC_DIR, config.content_dir / STATIC_DIR, loaded.static_files),
            (ASSETS_DIR, config.layouts_dir / ASSETS_DIR, files_under(config.layouts_dir / ASSETS_DIR)),
        ):
            for name in names:
                data = self.copies.read(config, source_dir / name, changed)
                inputs[f"{out_dir}/{name}"] = hashlib.blake2b(data, digest_size=16).digest()
                if self._inputs.get(f"{out_dir}/{name}") != inputs[f"{out_dir}/{name}"]:
                    outputs.append(Output(f"{out_dir}/{name}", data))

        written = self._write(outputs, inputs.keys())
        self._inputs = inputs
        self._site = site
        self._indexed = Indexed(loaded, indexed, pages, due_after(loaded, now))
        self._layout_digests = layout_digests
        return BuildReport(
            pages=sum(1 for page in pages if page.layout),
            pieces=len(site.pieces),
            tags=len(site.tags),
            files=len(inputs),
            rendered=rendered,
            written=tuple(written),
            seconds=time.perf_counter() - started,
            warnings=loaded.warnings + link_warnings,
        )

    def _reuse_unchanged(self, site: Site) -> Site:
        """The site, with each piece and tag equal to the last build's replaced by that very object.

        Indexing makes new objects on every rebuild; comparing page inputs is
        then an identity check for everything that did not change, instead
        of a field-by-field comparison on every page.
        """
        old = self._site
        if old is None:
            return site
        pieces = tuple(_same_or_new(old._pieces_by_slug.get(piece.slug), piece) for piece in site.pieces)
        tags = tuple(_same_or_new(old._tags_by_key.get(tag.key), tag) for tag in site.tags)
        return replace(site, pieces=pieces, tags=tags)

    def _inputs_of(self, site: Site, page: Page, context: dict) -> object:
        """Everything a page's bytes are made from: equal inputs, equal bytes."""
        if not page.layout:  # made in Python from their context and the settings
            return (page, {name: value for name, value in context.items() if name != "site"}, site.config)
        layout = self.layouts.use_of(page.layout)
        used = {name: value for name, value in context.items() if name != "site" or "site" in layout.variables}
        return (layout.digest, used)

    def _write(self, outputs: list[Output], out_files: Collection[str]) -> list[str]:
        digests = {output.out_file: hashlib.blake2b(output.data, digest_size=16).digest() for output in outputs}
        if self._digests is None:
            write_site(self.config, outputs)
            self._digests = digests
            return sorted(digests)
        changed = [output for output in outputs if self._digests.get(output.out_file) != digests[output.out_file]]
        removed = self._digests.keys() - set(out_files)
        written = write_changes(self.config, changed, removed)
        for name in removed:
            del self._digests[name]
        self._digests.update({output.out_file: digests[output.out_file] for output in changed})
        return written


def _one_page_per_layout(pages: tuple[Page, ...]) -> list[Page]:
    return list({page.layout: page for page in pages if page.layout}.values())


def _same_or_new(old, new):
    return old if old is not None and old == new else new


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
