"""Pieces → Site: choose what is published, order it, gather the tags.

A pure function of its inputs.  Two pages at one URL (two pieces, a piece
and a section), a reserved slug, and two tags that would share a page are
errors naming every file involved: never a silent merge or a lost page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ssg.errors import Problem
from ssg.model import MOODS, Config, Contributor, ContributorSettings, Piece, Section, Site, Tag
from ssg.slugs import slugify
from ssg.urls import url_for

if TYPE_CHECKING:  # a name for the type only: load brings Markdown, which ordering pieces and planning URLs never need
    from ssg.load import Loaded

RESERVED_SLUGS = frozenset({"tags", "assets", "static", "page", "feed", "feeds", "search", "sitemap", "404", "index", "pagefind", "contributors", "first-lines", "colophon"})
"""Top-level names the site itself uses; a piece cannot take them."""


def index_site(config: Config, loaded: Loaded, *, drafts: bool = False, future: bool = False, now: datetime) -> tuple[Site, list[Problem]]:
    """The published Site: pieces in reading order, their sections and their tags; and the problems that stop it.

    A piece whose URL is taken is left out of the site it returns, so that
    the rest can still be planned and its links checked: a build that fails
    reports every problem at once.
    """
    pieces = [
        piece
        for piece in loaded.pieces
        if (drafts or not piece.draft) and (future or piece.published_from is None or piece.published_from <= now) and (piece.expiry_date is None or now < piece.expiry_date)
    ]
    rank = _section_ranks(loaded.sections)
    pieces.sort(key=lambda piece: (rank[piece.section], reading_order(piece)))
    sections = _published_sections(loaded.sections, pieces, rank)
    problems = _url_problems(config, pieces, sections)
    if problems:
        left_out = {problem.path for problem in problems}
        pieces = [piece for piece in pieces if piece.source not in left_out]
    alias_problems = _alias_problems(pieces, sections)
    if alias_problems:
        left_out = {problem.path for problem in alias_problems}
        pieces = [replace(piece, aliases=()) if piece.source in left_out else piece for piece in pieces]
    tags, tag_problems = _gather_tags(config, pieces)
    contributors, contributor_problems = _gather_contributors(config, pieces)
    scheduled = frozenset(piece.url_path for piece in pieces if piece.published_from is not None and piece.published_from > now)
    site = Site(config=config, pieces=tuple(pieces), tags=tags, sections=sections, scheduled=scheduled, contributors=contributors, colophon=loaded.colophon)
    return site, problems + alias_problems + tag_problems + contributor_problems


NO_DATE = datetime.min.replace(tzinfo=UTC)
"""Stands for an undated piece's date in a sort key, after `date is None` has sorted it apart."""


def reading_order(piece: Piece) -> tuple:
    """Within a section: weighted pieces first (lightest first), then by date, then by title; undated ones after the dated of their weight.

    Across sections, the book reads section by section (see :func:`_section_ranks`).
    """
    return (piece.weight is None, piece.weight or 0, piece.date is None, piece.date or NO_DATE, piece.title.casefold(), piece.slug)


def newest_first(piece: Piece) -> tuple:
    """Newest first, then by title; undated pieces last."""
    return (piece.date is None, -piece.date.timestamp() if piece.date else 0, piece.title.casefold(), piece.slug)


def _section_ranks(sections: tuple[Section, ...]) -> dict[str, int]:
    """Where each section stands in the book: content/ first, then each section before the ones in it, and sections
    beside each other by weight (weighted first, lightest first), then title, then folder name."""
    children: dict[str | None, list[Section]] = defaultdict(list)
    for section in sections:
        children[section.parent].append(section)
    ranks: dict[str, int] = {}
    todo = list(children[None])
    while todo:
        section = todo.pop()
        ranks[section.path] = len(ranks)
        todo += sorted(children[section.path], key=_section_order, reverse=True)
    return ranks


def _section_order(section: Section) -> tuple:
    return (section.weight is None, section.weight or 0, section.title.casefold(), section.path)


def _published_sections(sections: tuple[Section, ...], pieces: list[Piece], rank: dict[str, int]) -> tuple[Section, ...]:
    """The sections with published pieces in them or below them (content/'s always), in reading order, their pieces filled in."""
    own: dict[str, list[str]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    by_path = {section.path: section for section in sections}
    for piece in pieces:
        own[piece.section].append(piece.url_path)
        path: str | None = piece.section
        while path is not None:
            count[path] += 1
            path = by_path[path].parent
    published = sorted((section for section in sections if count[section.path] or not section.path), key=lambda section: rank[section.path])
    inside: dict[str, list[str]] = defaultdict(list)
    for section in published:
        if section.parent is not None:
            inside[section.parent].append(section.path)
    return tuple(replace(section, pieces=tuple(own[section.path]), sections=tuple(inside[section.path]), count=count[section.path]) for section in published)


def _url_problems(config: Config, pieces: list[Piece], sections: tuple[Section, ...]) -> list[Problem]:
    """Two pages at one URL, or a page where the site keeps its own: each an error naming every file involved."""
    problems = []
    section_at: dict[str, Section] = {}
    for section in sections[1:]:
        where = section.source or f"{config.relative(config.content_dir)}/{section.path}/"
        top = section.url_path.strip("/").split("/")[0]
        other = section_at.get(section.url_path)
        if section.depth == 1 and top in RESERVED_SLUGS:
            problems.append(Problem(where, None, f"the folder {section.path}/ would be published at {section.url_path}, which the site keeps for its own pages", "rename the folder"))
        elif other is not None:
            problems.append(
                Problem(
                    where,
                    None,
                    f"the folders {other.path}/ and {section.path}/ would both be published at {section.url_path}",
                    "rename one of them: folder names are compared without case and punctuation",
                )
            )
        else:
            section_at[section.url_path] = section
    piece_at: dict[str, Piece] = {}
    for piece in sorted(pieces, key=lambda p: p.source):
        other_section = section_at.get(piece.url_path)
        other_piece = piece_at.get(piece.url_path)
        if piece.slug in RESERVED_SLUGS and (config.urls == "flat" or not piece.section or piece.slug == "page"):
            problems.append(Problem(piece.source, piece.line_of("slug"), f"the slug '{piece.slug}' is reserved for the site's own pages", "give the piece another slug: slug: my-dream"))
        elif other_section is not None:
            problems.append(
                Problem(
                    piece.source,
                    piece.line_of("slug"),
                    f"this piece and the section {other_section.path}/ would both be published at {piece.url_path}",
                    "give the piece another slug (slug: another-name), or rename the folder",
                )
            )
        elif other_piece is not None:
            problems.append(Problem(piece.source, piece.line_of("slug"), _taken(config, piece, other_piece), _untaken(config, piece, other_piece)))
        else:
            piece_at[piece.url_path] = piece
    return problems


def _taken(config: Config, piece: Piece, other: Piece) -> str:
    if config.urls == "flat":
        return f"the slug '{piece.slug}' is already the slug of {other.source}"
    return f"the URL {piece.url_path} is already the URL of {other.source}"


def _untaken(config: Config, piece: Piece, other: Piece) -> str:
    hint = "give one of the two pieces another slug: slug: another-name"
    if config.urls == "flat" and piece.section != other.section:
        hint += '; or publish each piece at its folder\'s path, with urls = "folders" in [tool.ssg]'
    return hint


def _alias_problems(pieces: list[Piece], sections: tuple[Section, ...]) -> list[Problem]:
    """Two pieces at one URL, through an alias: each old URL redirects to one piece, and never replaces a page."""
    problems = []
    owner: dict[str, Piece] = {piece.url_path: piece for piece in pieces}
    section_at = {section.url_path: section for section in sections}
    for piece in sorted(pieces, key=lambda p: p.source):
        key = next((key for key in ("aliases", "redirect_from", "permalink", "url") if key in piece.lines), "aliases")
        for alias in piece.aliases:
            top = alias.strip("/").split("/")[0]
            if alias in section_at or top in RESERVED_SLUGS:
                where = "the home page" if alias == "/" else f"the page of the section {section_at[alias].path}/" if alias in section_at else "a place the site uses for its own pages"
                problems.append(Problem(piece.source, piece.line_of(key), f"the alias '{alias}' is {where}", "remove it from the aliases"))
            elif alias in owner:
                other = owner[alias]
                whose = "its own URL" if other is piece else f"the URL of {other.source}" if other.url_path == alias else f"an alias of {other.source} too"
                problems.append(Problem(piece.source, piece.line_of(key), f"the alias '{alias}' is {whose}", "remove it from one of the two, so each old URL leads to one piece"))
            else:
                owner[alias] = piece
    return problems


def _gather_contributors(config: Config, pieces: list[Piece]) -> tuple[tuple[Contributor, ...], list[Problem]]:
    """Everyone who wrote or translated a published piece, by name, with their pieces in reading order."""
    wrote: dict[str, list[Piece]] = defaultdict(list)
    translated: dict[str, list[Piece]] = defaultdict(list)
    for piece in pieces:
        for name in piece.authors:
            wrote[name].append(piece)
        for name in piece.translators:
            translated[name].append(piece)
    problems = []
    name_of_slug: dict[str, str] = {}
    contributors = []
    for name in sorted(wrote.keys() | translated.keys(), key=lambda name: (name.casefold(), name)):
        slug = slugify(name)
        first = (wrote.get(name) or translated[name])[0]
        if not slug or slug in name_of_slug:
            why = f"'{name}' and '{name_of_slug[slug]}' would share the page /contributors/{slug}/" if slug else f"the name '{name}' has no letters or digits, so it cannot have a page"
            problems.append(Problem(first.source, first.line_of("authors" if "authors" in first.lines else "author"), why, "spell one name the same way everywhere, or tell the two apart"))
            continue
        name_of_slug[slug] = name
        settings = config.contributors.get(name, ContributorSettings())
        url_path = f"/contributors/{slug}/"
        contributors.append(
            Contributor(
                name=name,
                slug=slug,
                url_path=url_path,
                url=url_for(config.base_path, url_path),
                bio=settings.bio,
                link=settings.url,
                pieces=tuple(piece.url_path for piece in wrote.get(name, ())),
                translated=tuple(piece.url_path for piece in translated.get(name, ())),
            )
        )
    return tuple(contributors), problems


def _gather_tags(config: Config, pieces: list[Piece]) -> tuple[tuple[Tag, ...], list[Problem]]:
    names: dict[str, str] = {}
    carriers: dict[str, list[Piece]] = defaultdict(list)
    for piece in pieces:
        for key, name in zip(piece.tag_keys, piece.tags, strict=True):
            names.setdefault(key, name)
            carriers[key].append(piece)

    problems = []
    key_of_slug: dict[str, str] = {}
    tags = []
    for key in sorted(names, key=lambda k: (names[k].casefold(), k)):
        slug = slugify(names[key])
        if slug in key_of_slug:
            other = key_of_slug[slug]
            here, there = carriers[key][0], carriers[other][0]
            problems.append(
                Problem(
                    here.source,
                    here.line_of("tags"),
                    f"tags '{names[key]}' ({here.source}) and '{names[other]}' ({there.source}) would share the page /tags/{slug}/",
                    "spell them the same way, or rename one of them",
                )
            )
            continue
        key_of_slug[slug] = key
        settings = config.tags.get(key)
        url_path = f"/tags/{slug}/"
        tags.append(
            Tag(
                key=key,
                name=names[key],
                slug=slug,
                url_path=url_path,
                url=url_for(config.base_path, url_path),
                description=settings.description if settings else "",
                mood=(settings.mood if settings and settings.mood else None) or (slug if slug in MOODS else None),
                pieces=tuple(piece.url_path for piece in carriers[key]),
            )
        )
    return tuple(tags), problems
