"""Pieces → Site: choose what is published, order it, gather the tags.

A pure function of its inputs.  Two pieces with one slug, a reserved slug,
and two tags that would share a page are errors naming every file involved:
never a silent merge or a lost page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from ssg.errors import Problem, SiteError
from ssg.load import Loaded
from ssg.model import MOODS, Config, Piece, Site, Tag
from ssg.slugs import slugify
from ssg.urls import url_for

RESERVED_SLUGS = frozenset({"tags", "assets", "static", "page", "feed", "feeds", "search", "sitemap", "404", "index", "pagefind"})
"""Top-level names the site itself uses; a piece cannot take them."""


def index_site(config: Config, loaded: Loaded, *, drafts: bool = False, future: bool = False, now: datetime) -> Site:
    """The published Site: pieces in reading order and their tags."""
    pieces = [
        piece
        for piece in loaded.pieces
        if (drafts or not piece.draft)
        and (future or piece.published_from is None or piece.published_from <= now)
        and (piece.expiry_date is None or now < piece.expiry_date)
    ]
    pieces.sort(key=reading_order)
    problems = _slug_problems(pieces)
    problems += _alias_problems(pieces)
    tags, tag_problems = _gather_tags(config, pieces)
    problems += tag_problems
    if problems:
        raise SiteError(problems)
    scheduled = frozenset(piece.slug for piece in pieces if piece.published_from is not None and piece.published_from > now)
    return Site(config=config, pieces=tuple(pieces), tags=tags, welcome_html=loaded.welcome_html, scheduled=scheduled)


NO_DATE = datetime.min.replace(tzinfo=timezone.utc)
"""Stands for an undated piece's date in a sort key, after `date is None` has sorted it apart."""


def reading_order(piece: Piece) -> tuple:
    """Weighted pieces first (lightest first), then by date, then by title; undated ones after the dated of their weight."""
    return (piece.weight is None, piece.weight or 0, piece.date is None, piece.date or NO_DATE, piece.title.casefold(), piece.slug)


def newest_first(piece: Piece) -> tuple:
    """Newest first, then by title; undated pieces last."""
    return (piece.date is None, -piece.date.timestamp() if piece.date else 0, piece.title.casefold(), piece.slug)


def _alias_problems(pieces: list[Piece]) -> list[Problem]:
    """Two pieces at one URL, through an alias: each old URL redirects to one piece, and never replaces a page."""
    problems = []
    owner: dict[str, Piece] = {piece.url_path: piece for piece in pieces}
    for piece in sorted(pieces, key=lambda p: p.source):
        key = "aliases" if "aliases" in piece.lines else "redirect_from"
        for alias in piece.aliases:
            top = alias.strip("/").split("/")[0]
            if alias == "/" or top in RESERVED_SLUGS:
                problems.append(Problem(piece.source, piece.line_of(key), f"the alias '{alias}' is a place the site uses for its own pages", "remove it from the aliases"))
            elif alias in owner:
                other = owner[alias]
                whose = "its own URL" if other is piece else f"the URL of {other.source}" if other.url_path == alias else f"an alias of {other.source} too"
                problems.append(Problem(piece.source, piece.line_of(key), f"the alias '{alias}' is {whose}", "remove it from one of the two, so each old URL leads to one piece"))
            else:
                owner[alias] = piece
    return problems


def _slug_problems(pieces: list[Piece]) -> list[Problem]:
    problems = []
    first_with_slug: dict[str, Piece] = {}
    for piece in sorted(pieces, key=lambda p: p.source):
        if piece.slug in RESERVED_SLUGS:
            problems.append(Problem(piece.source, piece.line_of("slug"), f"the slug '{piece.slug}' is reserved for the site's own pages", "give the piece another slug: slug: my-dream"))
        elif piece.slug in first_with_slug:
            other = first_with_slug[piece.slug]
            problems.append(Problem(piece.source, piece.line_of("slug"), f"the slug '{piece.slug}' is already the slug of {other.source}", "give one of the two pieces another slug: slug: another-name"))
        else:
            first_with_slug[piece.slug] = piece
    return problems


def _gather_tags(config: Config, pieces: list[Piece]) -> tuple[tuple[Tag, ...], list[Problem]]:
    names: dict[str, str] = {}
    carriers: dict[str, list[Piece]] = defaultdict(list)
    for piece in pieces:
        for key, name in zip(piece.tag_keys, piece.tags):
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
            problems.append(Problem(here.source, here.line_of("tags"), f"tags '{names[key]}' ({here.source}) and '{names[other]}' ({there.source}) would share the page /tags/{slug}/", "spell them the same way, or rename one of them"))
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
                pieces=tuple(piece.slug for piece in sorted(carriers[key], key=newest_first)),
            )
        )
    return tuple(tags), problems
