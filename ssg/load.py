"""content/ → Pieces: read every Markdown file, check its front matter, render its body.

Loading collects the problems of every file before failing, so a writer sees
all of them at once.  It never skips a broken file silently.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

from ssg import frontmatter, links, markup, shortcodes
from ssg.config import SETTINGS_FILE
from ssg.errors import Problem, SiteError
from ssg.firstlines import first_line_of
from ssg.model import Colophon, Config, Piece, Section, bytes_digest, compressed
from ssg.sections import ContentTree, Folder, Place, content_tree, is_content_file
from ssg.sitefiles import list_files
from ssg.slugs import MAX_SLUG_BYTES, slugify, tag_key, too_long
from ssg.typography import typeset
from ssg.urls import url_for

STATIC_DIR = "static"
"""Files under content/static/ are copied as they are, to /static/."""


@dataclass(frozen=True)
class Loaded:
    """What loading a site's content gives."""

    pieces: tuple[Piece, ...]
    """Every piece, drafts and future ones included, in source order."""
    sections: tuple[Section, ...]
    """Every folder that holds pieces or describes itself, content/ first, by path; their pieces not filled in yet."""
    static_files: tuple[str, ...]
    """Paths under content/static/, ``/``-separated, sorted."""
    warnings: tuple[Problem, ...]
    problems: tuple[Problem, ...] = ()
    """What stops the build; the pieces that loaded are indexed all the same, so that one run reports every problem."""
    failed: frozenset[str] = frozenset()
    """Sources of the pieces that did not load (``content/lake.md``): a link to one is not also a broken link."""
    colophon: Colophon = field(default_factory=Colophon)
    """The acknowledgements of content/_colophon.md."""

    @property
    def welcome_html(self) -> str:
        return self.sections[0].intro_html


class ContentLoader:
    """Loads content/ again and again (ssg serve), redoing only files that changed.

    A file is read again when its stat changed or the caller names it (a
    watcher's event: two saves can fall within one mtime tick), and parsed
    again only when its bytes changed.
    """

    def __init__(self, config: Config, *, progress: Callable[[str, int, int], None] | None = None):
        self.config = config
        self.progress: Callable[[str, int, int], None] = progress or (lambda stage, done, total: None)
        """Told how loading goes (a terminal shows it): the stage, how many files are done, of how many."""
        self._seen: dict[Path, _Seen] = {}
        self._files: list[Path] | None = None
        self._refused: list[Problem] = []
        """The links of content/ that the last listing refused."""
        self.files_loaded = 0
        """How many files the last load read and parsed."""
        self._digests: dict[str, bytes] = {}
        self._remembered: dict[str, _Seen] = {}
        """Source → what the persistent cache gave for it, until the first load (see :meth:`referenced`)."""
        """Source (``content/lake.md``) → the digest of its bytes, for every file of the last load."""
        self._tree: ContentTree | None = None
        """The roles of the files of the last listing (worked out again when it changes)."""
        self._by_path: dict[str, Path] = {}
        """Content path (``night/lake.md``) → file, for the last listing."""
        self._places: dict[str, Place] = {}
        """Content path → the place each piece was last loaded with."""
        self._places_of: ContentTree | None = None
        self._places_by_file_cache: dict[Path, Place] = {}
        self._places_by_file_of: dict[str, Place] | None = None

    def load(self, changed: Collection[Path] = (), *, rescan: bool = True) -> Loaded:
        """Load the content; with rescan=False, trust `changed` to name every file that changed.

        A watcher that saw every event passes rescan=False, so a rebuild
        neither lists the folder nor stats its thousands of unchanged files.

        This is also where a build's files are listed through the site's
        policy for links (ssg.sitefiles): the pieces, content/static/ and
        layouts/.  A refused link is never read, and is reported with the
        problems of the pieces, so that one run shows them all.

        Sections' files are loaded first: what their ``cascade`` gives is
        part of what each piece below is made from (its :class:`Place`), and
        a piece whose place changed is loaded again, its bytes unchanged.
        """
        config = self.config
        content_dir = config.content_dir
        self._remembered = {}  # the caches are read: what is remembered lives on in _seen alone
        if not content_dir.is_dir():
            raise SiteError([missing_content(config)])
        # A new link must pass the policy before it is read, and a refused one
        # keeps being reported until it is gone: both list the folder again.
        trusted = not rescan and self._files is not None and not self._refused and not any(path.is_symlink() for path in changed if path.is_relative_to(content_dir))
        tree = self._tree_after(changed, trusted)
        static_files, static_refused = _listing(config, content_dir / STATIC_DIR)
        _, layouts_refused = list_files(config, config.layouts_dir)
        described = [self._by_path[path] for path in (*(folder.file for folder in tree.folders.values() if folder.file), tree.colophon) if path]
        loaded_sections = self._refresh(described, changed, trusted, {})
        sections, errors, warnings = self._sections(tree)
        colophon = self._colophon(tree, errors, warnings)
        moved = self._place_pieces(tree) if loaded_sections or tree is not self._places_of else []
        pieces_files = [self._by_path[path] for path in tree.pieces]
        candidates = [*moved, *(file for file in changed if file in self._places_by_file)] if trusted else pieces_files
        self.files_loaded = loaded_sections + self._refresh(candidates, changed, trusted, self._places_by_file)
        self._forget_gone()

        pieces: list[Piece] = []
        failed = []
        errors = self._refused + static_refused + layouts_refused + list(tree.problems) + errors
        for file in pieces_files:
            piece, problems, notes = self._seen[file].result
            errors += problems
            warnings += notes
            if piece:
                pieces.append(piece)
            else:
                failed.append(config.relative(file))
        return Loaded(tuple(pieces), sections, static_files, tuple(warnings), tuple(errors), frozenset(failed), colophon)

    def _colophon(self, tree: ContentTree, errors: list[Problem], warnings: list[Problem]) -> Colophon:
        """What content/_colophon.md gives (read as a section's file: front matter optional, the body its text)."""
        if tree.colophon is None:
            return Colophon()
        described, problems, notes = self._seen[self._by_path[tree.colophon]].result
        errors += problems
        warnings += notes
        return Colophon(described.intro_html, self.config.relative(self._by_path[tree.colophon]), described.links) if described else Colophon()

    def _tree_after(self, changed: Collection[Path], trusted: bool) -> ContentTree:
        """The roles of content/'s files after the changes: worked out again only when files came or went."""
        if trusted:
            files = self._listing_after(changed)
        else:
            files, self._refused = _markdown_files(self.config)
        if files is not self._files or self._tree is None:
            self._by_path = {self._content_path(file): file for file in files}
            self._tree = content_tree(self._by_path, self.config.urls, self.config.relative(self.config.content_dir))
        self._files = files
        return self._tree

    def _forget_gone(self) -> None:
        """Drop what is remembered of files that are no longer there."""
        files = self._files
        assert files is not None  # load lists the files before it forgets
        if len(self._seen) > len(files):
            for gone in self._seen.keys() - set(files):
                del self._seen[gone]
                del self._digests[self.config.relative(gone)]

    def _content_path(self, file: Path) -> str:
        """``content/seasons/aube.md`` → ``seasons/aube.md`` (a string cut: 10,000 files, no Path arithmetic)."""
        return str(file)[len(str(self.config.content_dir)) + 1 :].replace(os.sep, "/")

    def _refresh(self, candidates: list[Path], changed: Collection[Path], trusted: bool, places: Mapping[Path, Place]) -> int:
        """Load again the candidates whose remembered result no longer holds; returns how many."""
        stale = [file for file in candidates if not self._still_good(file, changed, trusted, places.get(file))]
        for file, seen in zip(stale, self._load_all(stale, [places.get(file) for file in stale]), strict=True):
            self._seen[file] = seen
            self._digests[self.config.relative(file)] = seen.made_from
        return len(stale)

    def _sections(self, tree: ContentTree) -> tuple[tuple[Section, ...], list[Problem], list[Problem]]:
        """Every section of the tree, from what its file gave (or its folder's name), with the problems of those files."""
        config = self.config
        sections = []
        errors: list[Problem] = []
        warnings: list[Problem] = []
        for folder in tree.folders.values():
            described = None
            if folder.file:
                described, problems, notes = self._seen[self._by_path[folder.file]].result
                errors += problems
                warnings += notes
            sections.append(_section(config, folder, described))
        return tuple(sections), errors, warnings

    def _place_pieces(self, tree: ContentTree) -> list[Path]:
        """Give every piece its place with the defaults it starts from: the settings', then each section's cascade down to
        its own; returns the pieces whose place moved (they are loaded again, their bytes unchanged)."""
        defaults: dict[str, Mapping[str, Any]] = {}
        for folder in tree.folders.values():  # by path: a section comes after the sections it is in
            described = self._seen[self._by_path[folder.file]].result[0] if folder.file else None
            cascade = described.matter.cascade if described else {}
            above = defaults[folder.parent] if folder.parent is not None else self.config.defaults
            defaults[folder.path] = {**above, **cascade} if cascade else above
        places = {path: replace(place, defaults=defaults[place.section]) if defaults[place.section] else place for path, place in tree.pieces.items()}
        moved = [self._by_path[path] for path, place in places.items() if self._places.get(path) != place]
        self._places, self._places_of = places, tree
        return moved

    @property
    def _places_by_file(self) -> dict[Path, Place]:
        if self._places_by_file_of is not self._places:
            self._places_by_file_cache = {self._by_path[path]: place for path, place in self._places.items()}
            self._places_by_file_of = self._places
        return self._places_by_file_cache

    def digests(self) -> dict[str, bytes]:
        """Every source of the last load (``content/lake.md``) → the digest of what its result is made from: its bytes, and a piece's place."""
        return dict(self._digests)

    def remembered(self) -> dict[Path, _Seen]:
        """What the loader knows, for the persistent cache."""
        return self._seen

    def reference_to(self) -> Callable[[object], tuple[str, str, bytes] | None]:
        """Names a piece this loader holds as the persistent cache can find it again (its source and what it was loaded from), or None.

        The build's memory holds the same pieces as the content's: named, they are written once.
        """
        names = {id(seen.result[0]): ("piece", self.config.relative(file), seen.made_from) for file, seen in self._seen.items() if isinstance(seen.result[0], Piece)}
        return lambda value: names.get(id(value)) if type(value) is Piece else None

    def referenced(self, name: tuple[str, str, bytes]) -> Piece:
        """The piece a name of :meth:`reference_to` stands for; KeyError if this loader does not hold it as it was."""
        _, source, made_from = name
        if self._digests.get(source) != made_from:
            raise KeyError(source)
        return self._remembered[source].result[0]

    def remember(self, seen: dict[Path, _Seen]) -> None:
        """Start from what an earlier build knew (entries are checked against the files' bytes)."""
        self._seen = dict(seen)
        self._remembered = {self.config.relative(file): entry for file, entry in seen.items()}
        self._digests = {source: entry.made_from for source, entry in self._remembered.items()}

    def _listing_after(self, changed: Collection[Path]) -> list[Path]:
        """The Markdown files of content/ after the changes, without listing the folder."""
        content_dir = self.config.content_dir
        files = self._files
        assert files is not None  # trusted only after a listing
        if all(path.is_file() == (path in self._seen) for path in changed if _is_markdown_source(content_dir, path)):
            return files  # only edits of files it already had
        members = set(files)
        before = len(members)
        for path in changed:
            if _is_markdown_source(self.config.content_dir, path):
                if path.is_file():
                    members.add(path)
                else:
                    members.discard(path)
        return sorted(members) if len(members) != before or not members.issuperset(files) else files

    def _still_good(self, file: Path, changed: Collection[Path], trusted: bool, place: Place | None) -> bool:
        """Whether the remembered result of a file holds (same bytes, same place); refreshes its stamp when only that moved."""
        seen = self._seen.get(file)
        if seen is None or seen.place != place:
            return False
        if trusted and file not in changed:
            return True
        stamp = stamp_of(file)
        if stamp is None:
            return False
        if seen.stamp == stamp and file not in changed:
            return True
        digest = _digest_of(file)
        if digest is None or digest != seen.digest:
            return False
        self._seen[file] = _Seen(stamp, digest, seen.result, place)
        return True

    def _load_all(self, files: list[Path], places: list[Place | None]) -> list[_Seen]:
        """Read, parse and render files (a piece with its place, a section's file with None); in worker processes when there are many."""
        # An unreadable file gets the digest of no bytes, which no readable file has: it is read again next time.
        stamps = [(stamp_of(file) or (0, 0, 0, 0), _digest_of(file) or b"") for file in files]
        load = partial(_load_source, self.config)
        if len(files) < PARALLEL_THRESHOLD or WORKERS < 2:
            results = []
            for number, (file, place) in enumerate(zip(files, places, strict=True), start=1):
                results.append(load(file, place))
                self.progress("loaded", number, len(files))
        else:
            # Spawned, not forked: a forked child is counted with every page of
            # the parent it maps (all of ssg, the theme, what was loaded before),
            # a spawned one with what loading needs (about 30 MiB); it starts in
            # a fifth of a second, and never deadlocks on a lock held by a thread
            # of the parent (the preview's watcher).
            # The parent is one of the WORKERS: it loads every WORKERS-th chunk
            # itself while the others are loaded in the pool, instead of waiting
            # idle beside one more process.
            chunks = [(files[start : start + _CHUNK], places[start : start + _CHUNK]) for start in range(0, len(files), _CHUNK)]
            results = []
            with ProcessPoolExecutor(WORKERS - 1, mp_context=multiprocessing.get_context("spawn")) as pool:
                elsewhere = {number: pool.submit(_load_chunk, self.config, *chunk) for number, chunk in enumerate(chunks) if number % WORKERS}
                try:
                    for number, chunk in enumerate(chunks):
                        results += elsewhere.pop(number).result() if number in elsewhere else _load_chunk(self.config, *chunk)
                        self.progress("loaded", len(results), len(files))
                except BaseException:  # interrupted: the chunks not started are dropped, not loaded before stopping
                    pool.shutdown(cancel_futures=True)
                    raise
            _stop_resource_tracker()
        return [_Seen(stamp, digest, result, place) for (stamp, digest), result, place in zip(stamps, results, places, strict=True)]


def _stop_resource_tracker() -> None:
    """Stop the process that spawning started to watch the pool's semaphores, now all released.

    It would otherwise live as long as ssg (about 12 MiB of memory beside a
    build), until the next pool starts another.  A private function of
    multiprocessing (Python 3.8 to 3.13): where it is missing, the tracker stays.
    """
    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()


PARALLEL_THRESHOLD = 200
_CHUNK = 32
"""Files a worker loads at a time: enough to make sending them cheap, few enough to share the work evenly."""
"""Below this many files to parse, starting worker processes costs more than it saves."""
WORKERS = os.cpu_count() or 1


Stamp = tuple[int, int, int, int]
"""What a source file's stat says of its bytes: unchanged stamp, unchanged bytes.

The ctime is in it because tools that keep mtimes (cp -p, rsync -t, tar)
can rewrite a file with its old size and mtime, but never its old ctime."""


def stamp_of(file: Path) -> Stamp | None:
    """The stamp of a file, or None when it cannot be read."""
    try:
        status = file.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)


def _digest_of(file: Path) -> bytes | None:
    try:
        return bytes_digest(file.read_bytes())
    except OSError:
        return None


def _load_chunk(config: Config, files: list[Path], places: list[Place | None]) -> list[Any]:
    """The results of loading a run of files, in their order (a worker's share of the work, or the parent's)."""
    return [_load_source(config, file, place) for file, place in zip(files, places, strict=True)]


def _load_source(config: Config, file: Path, place: Place | None) -> Any:
    """The result of loading one Markdown file of content/ (worker processes run this): a piece at its place, else a section's file."""
    if place is None:
        return load_section_file(config, file)
    return load_piece(config, file, place)


@dataclass(frozen=True, slots=True)
class _Seen:
    stamp: Stamp
    digest: bytes
    result: Any
    place: Place | None = None
    """What a piece was loaded with besides its bytes (None for a section's file)."""

    @property
    def made_from(self) -> bytes:
        """The digest of the bytes and the place: a piece whose cascade changed is a changed source (a few microseconds: not kept)."""
        return self.digest if self.place is None else bytes_digest(self.digest + repr(self.place).encode("utf-8", "surrogatepass"))


def load_piece(config: Config, file: Path, place: Place) -> tuple[Piece | None, list[Problem], list[Problem]]:
    """One Markdown file at its place in content/ → a Piece, or the problems that stop it (and its warnings)."""
    source = config.relative(file)
    read, problems, warnings = _front_matter_of(config, file, source, place)
    if read is None:
        return None, problems, warnings
    parsed, fields = read
    slug = slugify(fields.slug if fields.slug is not None else frontmatter.jekyll_name(place.name)[1])
    problem = _slug_problem(source, parsed, fields, place, slug) or _tags_problem(source, parsed, fields)
    if problem is not None:
        return None, [problem], warnings
    language = fields.lang or config.language
    body, shortcode_warnings = shortcodes.strip(parsed.body, source, parsed.body_line, verse=fields.form == "verse")
    warnings = [*warnings, *shortcode_warnings]
    try:
        body_html = markup.to_html(
            body,
            verse=fields.form == "verse",
            line_numbers=fields.line_numbers,
            source=source,
            first_line=parsed.body_line,
            language=language,
            dashes=config.dashes,
        )
    except SiteError as error:
        return None, list(error.problems), warnings
    return _piece(config, source, place, parsed, fields, slug, language, body_html), [], warnings


def _front_matter_of(config: Config, file: Path, source: str, place: Place) -> tuple[tuple[frontmatter.Split, frontmatter.FrontMatter] | None, list[Problem], list[Problem]]:
    """The file's front matter, read, split from its body and checked, with the place's defaults under its own keys."""
    text, problems = _read_text(file, source)
    if text is None:
        return None, problems, []
    parsed, problems = frontmatter.split(text, source)
    if parsed is None:
        return None, problems, []
    if place.defaults:  # its own front matter wins over the defaults, key by key
        parsed = replace(parsed, fields={**place.defaults, **parsed.fields})
    fields, errors, warnings = frontmatter.check(parsed, source, config.ignore_keys)
    if fields is None:
        return None, errors, warnings
    return (parsed, fields), [], warnings


def _slug_problem(source: str, parsed: frontmatter.Split, fields: frontmatter.FrontMatter, place: Place, slug: str) -> Problem | None:
    """A slug that cannot name the piece's folder: empty, or longer than a folder name may be."""
    line = parsed.lines.get("slug", 1)
    if not slug:
        return Problem(source, line, f"the slug of this piece is empty (from {fields.slug or place.name!r})", "give it a slug with letters or digits: slug: my-dream")
    if too_long(slug):
        fix = "write a shorter slug" if fields.slug is not None else "rename the file, or give the piece a shorter slug"
        return Problem(source, line, f"the slug of this piece is {len(slug.encode())} bytes long, more than the {MAX_SLUG_BYTES} a folder name of the site may take", f"{fix}, such as: slug: my-dream")
    return None


def _tags_problem(source: str, parsed: frontmatter.Split, fields: frontmatter.FrontMatter) -> Problem | None:
    """A tag that cannot name the folder of its page: no letters or digits, or too long."""
    line = parsed.lines.get("tags", 1)
    bad = [name for name in fields.tags if not slugify(name)]
    if bad:
        return Problem(source, line, f"tag {bad[0]!r} has no letters or digits, so it cannot have a page", "use tags made of words, such as: tags: [mist, dawn]")
    long_tags = [name for name in fields.tags if too_long(slugify(name))]
    if long_tags:
        shown = long_tags[0] if len(long_tags[0]) <= 40 else long_tags[0][:40] + "…"
        return Problem(source, line, f"tag {shown!r} is too long to name the folder of its page (more than {MAX_SLUG_BYTES} bytes)", "use a short tag, such as: tags: [mist, dawn]")
    return None


def _piece(config: Config, source: str, place: Place, parsed: frontmatter.Split, fields: frontmatter.FrontMatter, slug: str, language: str, body_html: str) -> Piece:
    """The Piece of checked front matter and a rendered body: its text typeset in its language, its links and first line read."""
    names: dict[str, str] = {}
    for name in fields.tags:
        names.setdefault(tag_key(name), name)
    url_path = f"{place.url_prefix}{slug}/"
    return Piece(
        source=source,
        slug=slug,
        url_path=url_path,
        url=url_for(config.base_path, url_path),
        title=typeset(fields.title, language, config.dashes),
        date=fields.date,
        timed=fields.timed,
        authors=tuple(typeset(name, language, config.dashes) for name in fields.authors) or ((config.author,) if config.author else ()),
        tags=tuple(names.values()),
        tag_keys=tuple(names),
        summary=typeset(fields.summary.strip(), language, config.dashes) if fields.summary else markup.summarize(body_html),
        body=compressed(body_html),
        form=fields.form,
        draft=fields.draft or place.draft,
        epigraph=typeset(fields.epigraph, language, config.dashes),
        dedication=typeset(fields.dedication, language, config.dashes),
        weight=fields.weight,
        line_numbers=fields.line_numbers,
        lines=parsed.lines,
        body_line=parsed.body_line,
        links=links.outgoing(body_html, parsed.body, parsed.body_line),
        publish_date=fields.publish_date,
        expiry_date=fields.expiry_date,
        lastmod=fields.lastmod,
        aliases=fields.aliases + ((fields.permalink,) if fields.permalink is not None and fields.permalink not in (url_path, *fields.aliases) else ()),
        section=place.section,
        translators=tuple(typeset(name, language, config.dashes) for name in fields.translators),
        lang=fields.lang if fields.lang and fields.lang != config.language else "",
        first_line=first_line_of(body_html, fields.form),
    )


def missing_content(config: Config) -> Problem:
    """The problem of a folder without its content folder, naming everything it lacks at once.

    Without pyproject.toml either, it is most likely not a site at all (an
    empty folder, the wrong one): the message says so, and how to start one.
    """
    content = config.relative(config.content_dir)
    start = "`ssg init NEW-FOLDER` makes a new anthology to start from, with sample pieces"
    if (config.site_dir / SETTINGS_FILE).is_file():
        return Problem(content, None, "the content folder does not exist", f'create {content}/ and put your pieces there (`ssg new "Title"` writes one), or set content_dir in [tool.ssg]; {start}')
    empty = not any(not entry.name.startswith(".") for entry in config.site_dir.iterdir())  # .git, and the lock beside output/
    return Problem(
        str(config.site_dir),
        None,
        f"this folder is not an anthology yet: {content}/ (the pieces) and {SETTINGS_FILE} (the settings) are missing",
        "`ssg init` makes a new anthology here, with sample pieces to start from" if empty else f"{start}; or create {content}/ here and put your pieces in it",
    )


def _markdown_files(config: Config) -> tuple[list[Path], list[Problem]]:
    """The pieces and sections' files of content/, sorted (see :func:`ssg.sections.is_content_file`); and the refused links."""
    content_dir = config.content_dir
    files, refused = list_files(config, content_dir, skip=(STATIC_DIR,))
    return [file for file in files if _is_markdown_source(content_dir, file)], refused


def _is_markdown_source(content_dir: Path, file: Path) -> bool:
    """Whether a path names a piece of content/, or a file describing a section."""
    if file.suffix != ".md" or not file.is_relative_to(content_dir):
        return False
    parts = file.relative_to(content_dir).parts
    return parts[0] != STATIC_DIR and is_content_file(parts)


def files_under(folder: Path, config: Config | None = None) -> tuple[str, ...]:
    """Paths of the files under a folder, ``/``-separated and sorted; hidden ones skipped.

    Links are followed only when they stay in the site folder; a refused link
    is never listed, and is a SiteError here (ContentLoader.load reports the
    refusals of content/ and layouts/ together with the other problems of a
    build, before anything is read).  Without `config`, links must stay
    inside `folder` itself.
    """
    config = config or Config(site_dir=folder.resolve(), content_dir=folder, layouts_dir=folder, output_dir=folder)
    names, refused = _listing(config, folder)
    if refused:
        raise SiteError(refused)
    return names


def _listing(config: Config, folder: Path) -> tuple[tuple[str, ...], list[Problem]]:
    files, refused = list_files(config, folder)
    return tuple(file.relative_to(folder).as_posix() for file in files), refused


def _read_text(file: Path, source: str) -> tuple[str | None, list[Problem]]:
    """A file's text with Unix line ends; a file that is not UTF-8 is a problem at its line."""
    try:
        data = file.read_bytes()
    except OSError as error:
        return None, [Problem(source, None, f"cannot read the file: {error.strerror}", "check that it exists and is readable")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(source, line, f"the file is not UTF-8 (byte 0x{data[error.start]:02x})", "save it as UTF-8 in your editor")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


@dataclass(frozen=True)
class SectionFile:
    """What a section's ``_index.md`` gives: its fields and its introduction."""

    matter: frontmatter.SectionMatter
    intro_html: str
    links: links.Links


def load_section_file(config: Config, file: Path) -> tuple[SectionFile | None, list[Problem], list[Problem]]:
    """A section's ``_index.md`` (or describing ``index.md``): front matter optional, the body its introduction."""
    source = config.relative(file)
    text, problems = _read_text(file, source)
    if text is None:
        return None, problems, []
    matter, body, body_line = frontmatter.SectionMatter(), text, 1
    warnings: list[Problem] = []
    if frontmatter.starts_with_front_matter(text):
        parsed, problems = frontmatter.split(text, source)
        if parsed is None:
            return None, problems, []
        checked, problems, warnings = frontmatter.check_section(parsed, source, config.ignore_keys)
        if checked is None:
            return None, problems, warnings
        matter, body, body_line = checked, parsed.body, parsed.body_line
    body, shortcode_warnings = shortcodes.strip(body, source, body_line)
    try:
        intro_html = markup.to_html(body, source=source, first_line=body_line, language=config.language, dashes=config.dashes)
    except SiteError as error:
        return None, list(error.problems), warnings + shortcode_warnings
    return SectionFile(matter, intro_html, links.outgoing(intro_html, body, body_line)), [], warnings + shortcode_warnings


def _section(config: Config, folder: Folder, described: SectionFile | None) -> Section:
    """A section as loading knows it: its folder, and what its file says (its pieces come with the index)."""
    matter = described.matter if described else frontmatter.SectionMatter()
    return Section(
        path=folder.path,
        url_path=folder.url_path,
        url=url_for(config.base_path, folder.url_path),
        title=typeset(matter.title, config.language, config.dashes) if matter.title else config.title if not folder.path else _folder_title(folder.path),
        description=typeset(matter.description, config.language, config.dashes),
        intro_html=described.intro_html if described else "",
        weight=matter.weight,
        source=f"{config.relative(config.content_dir)}/{folder.file}" if folder.file else "",
        parent=folder.parent,
        depth=folder.path.count("/") + 1 if folder.path else 0,
        links=described.links if described else (),
    )


def _folder_title(path: str) -> str:
    """A section's title when its folder does not give one: ``10_dixieme_saison`` → ``10 dixieme saison``, ``_poems`` → ``Poems``."""
    words = path.rsplit("/", 1)[-1].lstrip("_").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else path
