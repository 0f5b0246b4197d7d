"""Building a site: load → index → plan → render → write, once or again and again.

Every build, the first, a warm ``ssg build`` from ``.ssg-cache/`` or a
watcher's rebuild, runs the same steps:

1. load the content (each file parsed again only when its bytes changed);
2. index and plan it, or reuse the last index when the structure of the site
   is as it was (:func:`_reuse_index`);
3. work out what every output file is made from, as a digest of plain values
   (:func:`ssg.deps.made_from` for pages, the bytes for copied files);
4. diff that map against the last build's: render and read what changed,
   delete what is no longer wanted, write only the bytes that differ.

Nothing depends on object identity: a cache read back from disk and a
builder kept alive by ``ssg serve`` take the same decisions.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from ssg.cache import CACHE_DIR, build_key, content_key
from ssg.cache import read as read_cache
from ssg.cache import write as write_cache
from ssg.deps import Readers, changed_sources, made_from, piece_dependency, structure_of
from ssg.editions import Made, edition, kinds
from ssg.errors import Problem, SiteError
from ssg.figures import ImageInfo, image_info, is_image, make_variant, variant_file, variant_name
from ssg.index import index_site
from ssg.links import Resolver, resolve_links
from ssg.load import STATIC_DIR, WORKERS, ContentLoader, Loaded, Stamp, files_under, stamp_of
from ssg.model import Config, Output, Page, Piece, Site, StaticFiles, bytes_digest
from ssg.render import page_context, render_in_workers, render_page
from ssg.routes import plan
from ssg.sections import NOT_CONTENT
from ssg.sitefiles import list_files
from ssg.slugs import folder_segment
from ssg.templates import ASSETS_DIR, THEME_DIR, LayoutReader, make_environment, set_assets
from ssg.write import MARKER, check_output_dir, replace_site, write_changes, write_site

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
    editions: tuple[str, ...]
    """The files of the search index and the editions made by this build (a part of `written` when their bytes changed)."""
    seconds: float
    warnings: tuple[Problem, ...]


def build(
    config: Config, *, drafts: bool = False, future: bool = False, now: datetime | None = None, strict: bool = True, cache: bool = False, progress: Callable[[str, int, int], None] | None = None
) -> BuildReport:
    """Build the site into config.output_dir, or raise SiteError leaving it untouched."""
    return Builder(config, drafts=drafts, future=future, now=now, strict=strict, cache=cache, atomic=True, progress=progress).build()


@dataclass(frozen=True)
class Indexed:
    """What indexing, planning and resolving links gave, reusable while the structure holds."""

    sources: Mapping[str, bytes]
    """Every Markdown file of content/ (``content/lake.md``) → the digest of what it was loaded from (its bytes; a piece's place too)."""
    loaded: Loaded
    loaded_by_source: Mapping[str, Piece]
    """The pieces of `loaded` by source, drafts and future ones included."""
    site: Site
    """The published site, links resolved."""
    position_by_source: Mapping[str, int]
    """Where each published piece stands in site.pieces."""
    pages: tuple[Page, ...]
    page_numbers: Mapping[str, int]
    """Where each page's out_file stands in pages."""
    layouts: tuple[str, ...]
    """The layouts the pages use."""
    layout_pages: int
    """How many pages have a layout (HTML pages; feeds and the sitemap are made in Python)."""
    static_files: StaticFiles
    resolver: Resolver
    link_problems: Mapping[str, tuple[Problem, ...]]
    """Broken links (warnings unless strict) by the source they are written in."""
    next_due: datetime | None
    """The earliest moment still in the future at which a piece appears (its date or publishDate) or expires: when it comes, the site changes."""


@dataclass(frozen=True, slots=True)
class Copy:
    """A file copied into the output as it is (content/static/, the theme's and layouts/assets/)."""

    file: Path
    stamp: Stamp | None
    """When its digest was taken: unchanged, it need not be read again."""
    digest: bytes
    """Of its bytes: what the copy is made from."""


@dataclass(frozen=True, slots=True)
class Written:
    """A file of the output: the digest of its bytes, and its stat when written."""

    digest: bytes
    stamp: tuple[int, int] | None
    """(mtime, size) when written: a file edited by hand is made again.  Not a source's
    Stamp: hard-linking a kept file into the next output moves its ctime."""


@dataclass
class BuildMemory:
    """What a builder knows after a good build; what .ssg-cache/ keeps for the next `ssg build`."""

    made_from: dict[str, bytes] = field(default_factory=dict)
    """The out_file of every page → the digest of what it was made from."""
    written: dict[str, Written] = field(default_factory=dict)
    """out_file → what the output folder holds."""
    indexed: Indexed | None = None
    layouts: dict[str, str] = field(default_factory=dict)
    """layout → digest of every layout file it reaches."""
    readers: Readers = field(default_factory=Readers)
    copies: dict[str, Copy] = field(default_factory=dict)
    """The out_file of every file copied as it is → where from, and what it was made from."""
    images: dict[bytes, ImageInfo] = field(default_factory=dict)
    """The digest of every image file's bytes → its size and narrower copies: read once."""
    editions: dict[str, Made] = field(default_factory=dict)
    """The search index, the EPUB and the PDF, by kind: what each was made from, and its files."""


@dataclass(frozen=True)
class Media:
    """The files of content/ that are not pieces, as links see them."""

    resources: Mapping[str, str]
    """A file beside the pieces (``night/moon.jpg``) → the site path it is published at (``/night/moon.jpg``)."""
    images: Mapping[str, ImageInfo]
    """The site path of every image file, static or beside the pieces → its size and narrower copies."""


@dataclass(frozen=True, slots=True)
class Seeded:
    """A file of the first build taken as it is from another build's output folder (hard-linked, or copied)."""

    out_file: str
    file: Path
    digest: bytes


@dataclass(frozen=True)
class _Seed:
    """The output folder of the site's last `ssg build`, and what each of its files was made from."""

    output_dir: Path
    memory: BuildMemory

    @classmethod
    def of(cls, config: Config, content: ContentLoader) -> _Seed | None:
        """What `ssg build` (without --drafts, --future or --no-strict) left for these settings, if it is still there as it left it.

        `content` holds the pieces that build loaded (its memory names them).
        """
        memory = _checked_against_output(config, read_cache(config, "build", build_key(config, False, False, True), BuildMemory, shared=content.referenced))
        return cls(config.output_dir, memory) if memory.written else None

    def edition(self, kind: str, made_from: bytes) -> list[Seeded] | None:
        """The files of an edition made from the same values there, if they are all still there."""
        known = self.memory.editions.get(kind)
        if known is None or known.made_from != made_from or not all(out_file in self.memory.written for out_file in known.files):
            return None
        return [Seeded(out_file, self.output_dir / out_file, self.memory.written[out_file].digest) for out_file in known.files]

    def page(self, out_file: str, made_from: bytes) -> Seeded | None:
        """The page there, if it was made from the same values: the same bytes, taken, not rendered again."""
        written = self.memory.written.get(out_file)
        if written is None or self.memory.made_from.get(out_file) != made_from:
            return None
        return Seeded(out_file, self.output_dir / out_file, written.digest)

    def copy(self, out_file: str, copy: Copy) -> Seeded | None:
        """The copied file there, if it has the same bytes as the one to copy."""
        written, known = self.memory.written.get(out_file), self.memory.copies.get(out_file)
        if written is None or known is None or known.digest != copy.digest:
            return None
        return Seeded(out_file, self.output_dir / out_file, written.digest)


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
        seed: Config | None = None,
        editions_made: Collection[str] | None = None,
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
        self.content = ContentLoader(config, progress=self.progress)
        self.memory = BuildMemory()
        self._resources: dict[str, tuple[str, Path]] | None = None
        """The files published beside the pieces, as last listed (see :func:`_resources`)."""
        if cache or seed is not None:
            self.content.remember(read_cache(config, "content", content_key(config), dict) or {})
        if cache:
            self.memory = _checked_against_output(config, read_cache(config, "build", self._build_key(), BuildMemory, shared=self.content.referenced))
        self.editions_made = editions_made
        """The editions this builder makes (None: every one the settings ask for); the pages link them all, as the site published will."""
        self.seed = _Seed.of(seed, self.content) if seed is not None else None
        """What the last `ssg build` of `seed` (its settings) left: the first build takes every file it made from the same values from there."""

    def build(self, changed: Collection[Path] = (), *, rescan: bool = True, editions: bool = True, before_write: Callable[[], None] = lambda: None) -> BuildReport:
        """Build, or rebuild after `changed` files changed; raise SiteError on problems.

        With rescan=False, `changed` must name every file that changed (a
        watcher's events), and content/ is not listed again.  With
        editions=False, the search index, the EPUB and the PDF stay as the
        last build made them (the preview makes them again once edits settle).
        before_write is called once everything is made, before the output is
        touched (the preview closes its door to requests there).

        When it fails, the output folder and the builder's memory are left as
        they were, so the next build after a fix redoes everything needed.
        """
        started = time.perf_counter()
        config = self.config
        check_output_dir(config)
        last = self.memory
        base = self._base()
        loaded = self.content.load(changed, rescan=rescan)
        sources = self.content.digests()
        now = self.now or datetime.now(UTC)
        content_copies, media, images = self._content_copies(loaded, changed, rescan, base)
        try:
            same_media = base.indexed is not None and (base.indexed.resolver.resources, base.indexed.resolver.images) == (media.resources, media.images)
            reused = _reuse_index(base.indexed, loaded, sources, now, self.strict) if not loaded.problems and same_media else None
            if reused is not None:
                indexed, changed_pieces = reused
            else:
                indexed, changed_pieces = self._index(loaded, sources, now, media), None
        except SiteError as error:  # a broken link or a URL taken twice: reported with the load's problems and warnings
            raise SiteError(loaded.problems + error.problems, error.warnings + loaded.warnings) from None
        if loaded.problems:
            raise SiteError(loaded.problems, loaded.warnings + tuple(problem for problems in indexed.link_problems.values() for problem in problems))
        if rescan or any(path.is_relative_to(config.layouts_dir) for path in changed):
            self.layouts.start_rebuild()  # else a watcher saw no layout change: the layouts' digests hold
        assets = self._assets()
        set_assets(self.env, frozenset(assets))
        layouts = {layout: self.layouts.use_of(layout).digest for layout in indexed.layouts}
        if changed_pieces is not None and layouts == base.layouts:
            readers, to_compare = base.readers, base.readers.of(changed_pieces)
        else:
            readers, to_compare = Readers(), None
        copies = self._copies(content_copies, assets, changed, base.copies)
        _check_no_clash(config, copies, indexed.page_numbers)
        made_editions, edition_outputs = self._editions(indexed.site, content_copies, last, editions)
        removed = last.written.keys() - indexed.page_numbers.keys() - copies.keys() - {out_file for edition in made_editions.values() for out_file in edition.files}

        seed = self.seed if self.seed is not None and not last.written else None
        made = dict(base.made_from) if to_compare is not None else {}
        numbers = range(len(indexed.pages)) if to_compare is None else sorted(indexed.page_numbers[out_file] for out_file in to_compare)
        rendered: list[str] = []
        outputs = chain(
            self._pages(indexed, numbers, last.made_from, made, readers if to_compare is None else None, seed, rendered),
            self._copied(copies, last.copies, seed),
            edition_outputs,
        )
        before_write()
        written, on_disk = self._write(outputs, removed, last.written)
        if self.seed is not None and (editions or not self.seed.memory.editions):
            self.seed = None  # all it could give is taken: the pages now, the editions (kept until made) too

        self.memory = BuildMemory(
            made_from=made,
            written=on_disk,
            indexed=indexed,
            layouts=layouts,
            readers=readers,
            copies=copies,
            images=images,
            editions=made_editions,
        )
        if self.cache:
            if self.content.files_loaded:
                write_cache(config, "content", content_key(config), self.content.remembered())
            if written or made != last.made_from or made_editions != last.editions or last.indexed is None or sources != last.indexed.sources:
                write_cache(config, "build", self._build_key(), self.memory, shared=self.content.reference_to())
        return BuildReport(
            pages=indexed.layout_pages,
            pieces=len(indexed.site.pieces),
            tags=len(indexed.site.tags),
            files=len(made) + len(copies) + sum(len(edition.files) for edition in made_editions.values()),
            rendered=sum(1 for out_file in rendered if out_file.endswith(".html")),
            written=tuple(written),
            editions=tuple(output.out_file for output in edition_outputs),
            seconds=time.perf_counter() - started,
            warnings=loaded.warnings + tuple(problem for problems in indexed.link_problems.values() for problem in problems),
        )

    def _base(self) -> BuildMemory:
        """What this build is a rebuild of: the builder's last build; on the preview's first build, the `ssg build` it starts from.

        That build's index and what its pages were made from hold for the
        preview when it published every piece loaded (no draft, nothing
        scheduled or expired, which the preview would show or leave out
        otherwise): then only what changed since is worked out again, and
        every other file is taken from its output.
        """
        last = self.memory
        if self.seed is None or last.written:
            return last
        indexed = self.seed.memory.indexed
        same_site = indexed is not None and len(indexed.site.pieces) == len(indexed.loaded.pieces) and indexed.next_due is None and not indexed.site.scheduled
        return self.seed.memory if same_site else last

    def _build_key(self) -> str:
        return build_key(self.config, self.drafts, self.future, self.strict)

    def _index(self, loaded: Loaded, sources: Mapping[str, bytes], now: datetime, media: Media) -> Indexed:
        """Index, plan and resolve the links of the whole site."""
        site, problems = index_site(self.config, loaded, drafts=self.drafts, future=self.future, now=now)
        pages = plan(site)
        failed = loaded.failed | {problem.path for problem in problems}  # their problems are reported already
        resolver = Resolver(site, pages, loaded.pieces, loaded.static_files, failed, media.resources, media.images)
        site, broken_links = resolve_links(site, pages, loaded.pieces, loaded.static_files, resolver=resolver)
        stopping = problems + list(broken_links) if self.strict else problems
        if stopping:
            raise SiteError(stopping, () if self.strict else broken_links)
        by_source: dict[str, tuple[Problem, ...]] = defaultdict(tuple)
        for problem in broken_links:
            by_source[problem.path] += (problem,)
        return Indexed(
            sources=sources,
            loaded=loaded,
            loaded_by_source={piece.source: piece for piece in loaded.pieces},
            site=site,
            position_by_source={piece.source: number for number, piece in enumerate(site.pieces)},
            pages=pages,
            page_numbers={page.out_file: number for number, page in enumerate(pages)},
            layouts=tuple(sorted({page.layout for page in pages if page.layout})),
            layout_pages=sum(1 for page in pages if page.layout),
            static_files=StaticFiles.of(loaded.static_files),
            resolver=resolver,
            link_problems=dict(by_source),
            next_due=min((moment for piece in loaded.pieces for moment in (piece.published_from, piece.expiry_date) if moment is not None and moment > now), default=None),
        )

    def _pages(
        self, indexed: Indexed, numbers: Sequence[int], last: Mapping[str, bytes], made: dict[str, bytes], readers: Readers | None, seed: _Seed | None, rendered: list[str]
    ) -> Iterator[Output | Seeded]:
        """The pages at `numbers` whose bytes may have changed, each as it is worked out: rendered, or taken from the seed.

        Fills `made` with what each page is made from (and `readers`, when
        given, with what each holds), page by page: a page's context is
        dropped once the page is made, so a build never holds every page's
        context at once.  A page made from what it was last time is left as
        it is.  Many pages to render, in a process without threads: made from
        their values here, rendered by forked workers.
        """
        pages, site = indexed.pages, indexed.site
        if seed is not None and len(numbers) < len(pages):
            # The preview's first build, a rebuild of the seed's: the pages not compared again are taken as it made them.
            compared, missing = set(numbers), []
            for number, page in enumerate(pages):
                if number not in compared:
                    taken = seed.page(page.out_file, made[page.out_file])
                    if taken is None:
                        missing.append(number)  # gone from its output folder: made here
                    else:
                        yield taken
            numbers = sorted(compared.union(missing))
        parallel = len(numbers) in PARALLEL_PAGES and WORKERS > 1 and threading.active_count() == 1
        to_render: list[int] = []
        for number in numbers:
            page = pages[number]
            context = page_context(site, page, indexed.static_files, pages)
            keys: set[str] = set()
            made[page.out_file] = digest = made_from(self._layout_digest(page), self.config, self._read_by(page, context), keys)
            if readers is not None:
                readers.record(page.out_file, keys)
            if last.get(page.out_file) == digest:
                continue
            seeded = seed.page(page.out_file, digest) if seed is not None else None
            if seeded is not None:
                yield seeded
            elif parallel:
                to_render.append(number)
            else:
                rendered.append(page.out_file)
                yield render_page(self.env, site, page, context)
                self.progress("rendered", len(rendered), len(numbers))
        if to_render:
            for output in render_in_workers(self.env, site, pages, indexed.static_files, to_render, WORKERS):
                rendered.append(output.out_file)
                yield output
                self.progress("rendered", len(rendered), len(to_render))

    def _layout_digest(self, page: Page) -> str:
        return self.layouts.use_of(page.layout).digest if page.layout else f"python:{page.kind}"

    def _read_by(self, page: Page, context: dict) -> dict:
        """The part of a page's context its bytes can depend on.

        ``site`` is in every context but counts only for layouts that use it;
        pages made in Python read only their own context and the settings.
        """
        if page.layout and "site" in self.layouts.use_of(page.layout).variables:
            return context
        return {name: value for name, value in context.items() if name != "site"}

    def _assets(self) -> dict[str, Path]:
        """What /assets/ holds, by name: the theme's assets, each replaced by the site's layouts/assets/ file of that name."""
        site_assets = self.config.layouts_dir / ASSETS_DIR
        files = {name: THEME_DIR / ASSETS_DIR / name for name in files_under(THEME_DIR / ASSETS_DIR)}
        files.update((name, site_assets / name) for name in files_under(site_assets, self.config))
        return dict(sorted(files.items()))

    def _copies(self, content_copies: Mapping[str, Copy], assets: Mapping[str, Path], changed: Collection[Path], known: Mapping[str, Copy]) -> dict[str, Copy]:
        """Every file copied as it is (content/'s files that are not pieces, their narrower copies, the assets), by out_file."""
        copies = dict(content_copies)
        copies.update((f"{ASSETS_DIR}/{name}", _copy_of(self.config, file, known.get(f"{ASSETS_DIR}/{name}"), changed)) for name, file in assets.items())
        return copies

    def _content_copies(self, loaded: Loaded, changed: Collection[Path], rescan: bool, last: BuildMemory) -> tuple[dict[str, Copy], Media, dict[bytes, ImageInfo]]:
        """The files of content/ copied as they are, by out_file; what links know of them; the images' sizes, by digest.

        content/static/ is published at /static/; any other file that is not
        a piece (``content/night/moon.jpg``) beside its folder's section page
        (``/night/moon.jpg``), so a piece links it by its name in both URL
        styles.  An image's size is read once per digest; a wide raster image
        gets narrower copies, made once into .ssg-cache/images/.
        """
        config = self.config
        known = last.copies
        files = {f"{STATIC_DIR}/{name}": config.content_dir / STATIC_DIR / name for name in loaded.static_files}
        if rescan or self._resources is None or any(not path.name.endswith(".md") and path.is_relative_to(config.content_dir) for path in changed):
            self._resources = _resources(config)  # else a watcher saw only pieces change: the listing holds
        resources = self._resources
        files.update((url_path[1:], file) for url_path, file in resources.values())
        copies = {out_file: _copy_of(config, file, known.get(out_file), changed) for out_file, file in files.items()}
        images: dict[bytes, ImageInfo] = {}
        by_url: dict[str, ImageInfo] = {}
        cache_dir = config.site_dir / CACHE_DIR
        for out_file, copy in list(copies.items()):
            if not is_image(out_file):
                continue
            info = last.images.get(copy.digest) or image_info(_read(config, copy.file), out_file)
            narrower = {}
            try:
                for width in info.widths:
                    made = variant_file(cache_dir, copy.digest.hex(), out_file, width)
                    if not made.is_file():
                        make_variant(_read(config, copy.file), width, made)
                    narrower[variant_name(out_file, width)] = made
            except (OSError, ValueError) as error:  # a header that reads, pixels that do not
                info, narrower = ImageInfo(error=str(error) or error.__class__.__name__), {}
            images[copy.digest] = by_url["/" + out_file] = info
            for name, made in narrower.items():
                copies.setdefault(name, _copy_of(config, made, known.get(name), changed))
        return copies, Media({place: url_path for place, (url_path, _) in resources.items()}, by_url), images

    def _editions(self, site: Site, content_copies: Mapping[str, Copy], last: BuildMemory, now: bool) -> tuple[dict[str, Made], list[Output | Seeded]]:
        """The editions the settings ask for, and the files of those made again because what they are made from changed.

        Made before anything is written: an edition that fails leaves the output as it was.
        Not `now`, each stays as the last build made it (or waits, if there was none).
        """
        files = {"/" + out_file: (copy.file, copy.digest) for out_file, copy in content_copies.items()}
        made: dict[str, Made] = {}
        outputs: list[Output | Seeded] = []
        for kind in kinds(self.config):
            if self.editions_made is not None and kind not in self.editions_made:
                continue
            known = last.editions.get(kind)
            if not now:
                if known is not None:
                    made[kind] = known
                continue
            wanted = edition(kind, site, files, self.config.site_dir / CACHE_DIR)
            seeded = self.seed.edition(kind, wanted.made_from) if self.seed is not None and known is None else None
            if known is not None and known.made_from == wanted.made_from and all(out_file in last.written for out_file in known.files):
                made[kind] = known
            elif seeded is not None:
                outputs += seeded
                made[kind] = Made(wanted.made_from, tuple(file.out_file for file in seeded))
            else:
                files_made = wanted.make()
                outputs += files_made
                made[kind] = Made(wanted.made_from, tuple(output.out_file for output in files_made))
        return made, outputs

    def _copied(self, copies: Mapping[str, Copy], last: Mapping[str, Copy], seed: _Seed | None) -> Iterator[Output | Seeded]:
        """The copied files whose bytes changed (or are new), read, or taken from the seed."""
        for out_file, copy in copies.items():
            if out_file in last and last[out_file].digest == copy.digest:
                continue
            seeded = seed.copy(out_file, copy) if seed is not None else None
            yield seeded if seeded is not None else Output(out_file, _read(self.config, copy.file))

    def _write(self, outputs: Iterator[Output | Seeded], removed: Collection[str], known: Mapping[str, Written]) -> tuple[list[str], dict[str, Written]]:
        """Write what changed and delete what is no longer wanted; returns those files, and what the output now holds."""
        config = self.config
        if not known:  # nothing known of the output folder: everything, streamed into a new folder
            digests: dict[str, bytes] = {}
            write_site(config, _noting_digests(outputs, digests))
            return sorted(digests), _stamped(config, digests)
        changed = [output for output in map(_with_bytes, outputs) if output.out_file not in known or known[output.out_file].digest != bytes_digest(output.data)]
        on_disk = dict(known)
        for out_file in removed:
            del on_disk[out_file]
        if not changed and not removed:
            return [], on_disk
        if self.atomic:
            replaced = {output.out_file for output in changed}
            replace_site(config, changed, kept=[name for name in on_disk if name not in replaced])
            written = sorted([output.out_file for output in changed] + list(removed))
        else:
            written = write_changes(config, changed, removed)
        on_disk.update(_stamped(config, {output.out_file: bytes_digest(output.data) for output in changed}))
        return written, on_disk


def _resources(config: Config) -> dict[str, tuple[str, Path]]:
    """Every file of content/ published beside the pieces: content path → (site path, file).

    Not the pieces and sections' Markdown, not content/static/, not a file
    whose name starts with ``_`` or ``.``, nothing in Jekyll's own folders.
    Listed through the site's policy for links: a refused link (reported by
    the loader) is never listed, so never read.
    """
    content_dir = config.content_dir
    files, _ = list_files(config, content_dir, skip=(STATIC_DIR,))
    found: dict[str, tuple[str, Path]] = {}
    for file in files:
        if file.name.endswith(".md") or file.name.startswith(("_", ".")):
            continue
        *folders, name = parts = file.relative_to(content_dir).parts
        if any(part in NOT_CONTENT for part in folders):
            continue
        url_path = "/" + "".join(f"{folder_segment(folder)}/" for folder in folders) + name
        found.setdefault("/".join(parts), (url_path, file))
    return found


def _check_no_clash(config: Config, copies: Mapping[str, Copy], pages: Mapping[str, int]) -> None:
    """A file of content/ published where the site has a page (out_file → its number) is a problem at the file."""
    clashes = sorted(copies.keys() & pages.keys())
    if clashes:
        raise SiteError(
            [
                Problem(config.relative(copies[out_file].file), None, f"would be published at /{out_file}, where the site has a page of its own", "rename the file, or move it into content/static/")
                for out_file in clashes
            ]
        )


def _reuse_index(last: Indexed | None, loaded: Loaded, sources: Mapping[str, bytes], now: datetime, strict: bool) -> tuple[Indexed, set[str]] | None:
    """The last index with the changed pieces swapped in, and their keys; None if the structure changed.

    The structure holds when the same files are there, none came due, and
    every changed piece has the structure it had (:func:`structure_of`):
    then the plan and every URL are as they were.  Pieces are matched by
    their source file, never by slug: a draft may share a published piece's.
    """
    if last is None or (last.next_due is not None and now >= last.next_due):
        return None
    if loaded.sections != last.loaded.sections or loaded.static_files != last.loaded.static_files:
        return None
    changed = changed_sources(last.sources, sources)
    if changed is None:
        return None
    loaded_by_source = dict(last.loaded_by_source)
    swapped: dict[int, Piece] = {}
    link_problems = dict(last.link_problems)
    for new in (piece for piece in loaded.pieces if piece.source in changed) if changed else ():
        if structure_of(last.loaded_by_source[new.source]) != structure_of(new):
            return None
        loaded_by_source[new.source] = new
        position = last.position_by_source.get(new.source)
        if position is None:  # a draft or a future piece, not published by this build
            continue
        body_html, problems = last.resolver.rewrite(new.body_html, new.source, new.links)
        swapped[position] = new.with_body(body_html) if new.links else new
        link_problems[new.source] = tuple(problems)
    if strict and any(link_problems.values()):
        raise SiteError([problem for problems in link_problems.values() for problem in problems])
    site = last.site.with_pieces_swapped(swapped) if swapped else last.site
    indexed = replace(last, sources=sources, loaded=loaded, loaded_by_source=loaded_by_source, site=site, link_problems=link_problems)
    return indexed, {piece_dependency(piece.url_path) for piece in swapped.values()}


def _checked_against_output(config: Config, memory: BuildMemory | None) -> BuildMemory:
    """The memory, forgetting every output file that is not as it was left (edited, deleted)."""
    if memory is None or not (config.output_dir / MARKER).is_file():
        return BuildMemory()
    for out_file, written in list(memory.written.items()):
        try:
            status = (config.output_dir / out_file).stat()
            stamp = (status.st_mtime_ns, status.st_size)
            intact = written.stamp == stamp or _same_bytes(config.output_dir / out_file, written, status.st_size)
        except OSError:
            intact = False
        if intact and written.stamp != stamp:
            memory.written[out_file] = Written(written.digest, stamp)
        if not intact:
            del memory.written[out_file]
            memory.made_from.pop(out_file, None)
            memory.copies.pop(out_file, None)
            memory.layouts = {}  # so that every page is worked out again
    return memory


def _same_bytes(file: Path, written: Written, size: int) -> bool:
    """Whether a file whose stamp moved holds the bytes written: an output folder restored by a
    tool that keeps mtimes to the second only (a CI cache's archive) is not made again."""
    return written.stamp is not None and written.stamp[1] == size and bytes_digest(file.read_bytes()) == written.digest


def _noting_digests(outputs: Iterator[Output | Seeded], digests: dict[str, bytes]) -> Iterator[Output | tuple[str, Path]]:
    for output in outputs:
        if isinstance(output, Seeded):
            digests[output.out_file] = output.digest
            yield output.out_file, output.file
        else:
            digests[output.out_file] = bytes_digest(output.data)
            yield output


def _with_bytes(output: Output | Seeded) -> Output:
    """A file taken from the seed as the bytes it holds, for an output folder written file by file.

    Pages and copied files are taken from the seed only into a new folder; an
    edition may be taken later, when the first build left the editions to follow.
    """
    return output if isinstance(output, Output) else Output(output.out_file, output.file.read_bytes())


def _stamped(config: Config, digests: Mapping[str, bytes]) -> dict[str, Written]:
    stamped = {}
    for out_file, digest in digests.items():
        status = (config.output_dir / out_file).stat()
        stamped[out_file] = Written(digest, (status.st_mtime_ns, status.st_size))
    return stamped


def _copy_of(config: Config, file: Path, known: Copy | None, changed: Collection[Path]) -> Copy:
    """A copied file and the digest of its bytes, read again only when its stamp moved or a watcher named it."""
    stamp = stamp_of(file)
    if known is not None and known.file == file and known.stamp == stamp and file not in changed:
        return known
    return Copy(file, stamp, bytes_digest(_read(config, file)))


def _read(config: Config, file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise SiteError.at(config.relative(file), None, f"cannot read the file: {error.strerror}", "check that it exists and is readable") from None
