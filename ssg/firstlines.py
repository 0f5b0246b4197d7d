"""The index of first lines and titles: every piece by its first line and by its title, in the order of the language.

A book of poems is looked up by how a poem begins as often as by its name,
so the index lists both, in one alphabet.  A poem begins with its first
line; prose with its opening words, up to the first natural break.

The order is the Unicode Collation Algorithm's (pyuca, with the default
table, which already sorts French and English as their dictionaries do: É
with E, Œ as OE), on the text with its punctuation and symbols left out, so
that « Ailleurs » and "Ailleurs" file under A.
"""

from __future__ import annotations

import functools
import html
import re
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pyuca

from ssg.model import Piece, PieceRef, Site
from ssg.urls import url_for

MAX_WORDS = 12
"""Prose's opening words stop here when no break comes sooner, ending in an ellipsis."""

KINDS = ("title", "first line")
"""The kinds of entry, in the order they take when their texts collate alike."""

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_SKIPPED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "pre", "table", "hr", "aside", "header", "nav", "script", "style", "template", "ul", "ol", "dl"})
"""Blocks that are not the text itself: headings, an epigraph quoted, figures, code, lists, tables."""
_SKIPPED_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\b(?:epigraph|dedication|footnote|toc|codehilite|verse-break|attribution)\b""")
"""Blocks known by their class: an epigraph or dedication written in HTML, a poem's ornament or attribution, notes."""
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"})
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_HAS_TEXT = re.compile(r"(?:^|>)[ \t\n\r]*[^\s<]")
_UNFINISHED = re.compile(r"<[^>]*$|&[#\w]*$")
"""A tag or an entity cut in two at the end of a fragment."""
_ENOUGH_HTML = 400
"""Enough of a paragraph's HTML for MAX_WORDS words, as a rule; when not, the whole paragraph is read."""
_BR = re.compile(r"<br\b[^>]*>")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
"""Whitespace a browser collapses; a no-break space is typography and stays."""
_BREAK = re.compile(r"[.!?](?:\u00a0?[”’\"'»)\]])*(?=\s|$)|\s*[;:](?=\s|$)|\s*—")
"""A natural break in prose: a sentence's end (with its closing quotes), a semicolon, a colon, an em dash."""
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Mt|Jr|Sr|Prof|Rev|Mme|Mlle|Mgr|vs|cf|No)|\b[A-Z]|\.[a-z])\.$")
"""A full stop that ends an abbreviation or an initial (``Mr.``, ``J.``, ``e.g.``), not a sentence."""
_NEXT_WORD = re.compile(r"\s+(\w)")
"""The first letter of the word after a mark: in lower case after ! or ?, the sentence goes on."""


ONE_PAGE = 400
"""An index of up to this many lines is one page; a longer one has a page a letter, as a large book's index has its
sections: a reader finds a letter at once, and a new first line re-renders one letter's page, not the whole index."""
LETTER_PAGE = 200
"""A letter with more lines than this goes on over several pages (``/first-lines/a/page/2/``), as a long listing
does: a page stays light to read and to make again, however large the anthology."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the index: a piece's first line, or its title."""

    text: str
    kind: str
    """``first line`` or ``title``."""
    url: str
    """The href of its piece."""
    piece: PieceRef
    """The piece it stands for: the page holds only the line, and is compared again when the piece changes."""
    lang: str = ""
    """The piece's language when it is not the site's."""


@dataclass(frozen=True, slots=True)
class Letter:
    """The entries that sort under one letter."""

    letter: str
    """The heading: a base letter in capitals (``E`` for É, ``O`` for Œ), ``0–9`` for digits, ``#`` for the rest."""
    entries: tuple[Entry, ...]
    """Its lines, when the page shows them (every letter's on a one-page index; one letter's on a letter's page)."""
    count: int = 0
    """How many lines file under it."""
    url: str = ""
    """Its page, when the index has a page a letter."""

    @property
    def anchor(self) -> str:
        """The id of its heading, for the row of letters: ``letter-E``, ``letter-0-9``, ``letter-other``."""
        return "letter-other" if self.letter == "#" else "letter-" + self.letter.replace("–", "-")

    @property
    def slug(self) -> str:
        """Its page's folder: ``e``, ``0-9``, ``other``."""
        return "other" if self.letter == "#" else self.letter.replace("–", "-").lower()


def first_line_of(body_html: str, form: str) -> str:
    """How a piece begins, as a reader quotes it: a poem's first line, prose's opening words up to a natural break.

    Read from the first paragraph or stanza that holds text, past headings,
    epigraphs, figures and code; a stanza (a poem, or a passage of verse
    opening a prose piece) gives its first line.  Plain text: no markup, no
    line numbers or note references, entities read, quotes as typeset.
    """
    found = _first_paragraph(body_html)
    if found is None:
        return ""
    attributes, inner = found
    verse = form == "verse" or "stanza" in attributes
    inner = _FOOTNOTE_REF.sub("", inner) if "fnref" in inner else inner
    # A line break ends a poem's line, and is a natural break in prose too.
    inner = _BR.split(inner, 1)[0]
    if verse:
        return _plain(inner)
    # The first words are all that is wanted of what may be a long paragraph.
    text = _plain(_UNFINISHED.sub("", inner[:_ENOUGH_HTML]))
    if len(inner) > _ENOUGH_HTML and text.count(" ") < MAX_WORDS:
        text = _plain(inner)
    return _opening_words(text)


def _first_paragraph(body_html: str) -> tuple[str, str] | None:
    """The attributes and inner HTML of the first ``<p>`` with text, outside the skipped blocks."""
    position = 0
    while True:
        tag = _TAG.search(body_html, position)
        if tag is None:
            return None
        closing, name, attributes = tag[1], tag[2].lower(), tag[3]
        position = tag.end()
        if closing or name in _VOID:
            continue
        if name in _SKIPPED or _SKIPPED_CLASS.search(attributes):
            position = _end_of(body_html, name, position)
        elif name == "p":
            end = body_html.find("</p>", position)
            end = len(body_html) if end < 0 else end
            inner = body_html[position:end]
            if _HAS_TEXT.search(inner):
                return attributes, inner
            position = end


def _end_of(body_html: str, name: str, position: int) -> int:
    """Where the element opened just before position ends (its like nested inside counted)."""
    if name in _VOID:
        return position
    same = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for tag in same.finditer(body_html, position):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return len(body_html)


def _plain(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it, on one line."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def _opening_words(text: str) -> str:
    """Prose's words up to its first natural break, or its first MAX_WORDS words and an ellipsis."""
    words = text.split(" ", MAX_WORDS)
    head = " ".join(words[:MAX_WORDS])
    start = next((n for n, char in enumerate(head) if char.isalnum()), len(head))
    for match in _BREAK.finditer(text, start, len(head)):
        mark = match[0][0]
        after = _NEXT_WORD.match(text, match.end()) if mark in "!?" else None
        if after and after[1].islower():
            continue  # "Wake up!” she said": the sentence goes on
        if mark == "." and _ABBREVIATION.search(text, max(0, match.start() - 6), match.end()):
            continue
        return text[: match.end()] if mark in ".!?" else text[: match.start()]
    if len(words) <= MAX_WORDS:
        return head
    return head.rstrip(",;:—–-\u00a0\u202f") + "…"


def filing(piece: Piece) -> tuple[str, str | None]:
    """Where a piece files: its title's letter, and its first line's when the first line has a line of its own."""
    return _filing(piece.title, piece.first_line)


@functools.lru_cache(maxsize=65536)
def _filing(title: str, first_line: str) -> tuple[str, str | None]:
    """Asked of every piece whenever the filing of a site is worked out: once a text."""
    own_line = bool(first_line) and _bare(first_line).casefold() != _bare(title).casefold()
    return letter_of(title), letter_of(first_line) if own_line else None


def _filed(site: Site) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """Every letter of the index → the (kind, URL path) of the lines that file under it, in reading order.

    Part of the site's structure (``deps.structure_of`` holds each piece's
    filing): worked out once, and kept while an edit leaves the structure as it was.
    """

    def work_out() -> dict[str, tuple[tuple[str, str], ...]]:
        filed: dict[str, list[tuple[str, str]]] = {}
        for piece in site.pieces:
            title_letter, line_letter = filing(piece)
            filed.setdefault(title_letter, []).append(("title", piece.url_path))
            if line_letter is not None:
                filed.setdefault(line_letter, []).append(("first line", piece.url_path))
        return {letter: tuple(lines) for letter, lines in filed.items()}

    return site.derived("first lines: filed", work_out, structural=True)


def is_split(site: Site) -> bool:
    """Whether the index has a page a letter (more than ONE_PAGE lines)."""
    return sum(map(len, _filed(site).values())) > ONE_PAGE


def letter_path(letter: str) -> str:
    """The URL path of a letter's page: ``/first-lines/e/``."""
    return f"/first-lines/{Letter(letter, ()).slug}/"


def letters(site: Site) -> tuple[Letter, ...]:
    """The letters of an index with a page a letter, in the order of the collation: each with its count and page, no lines."""
    filed, base = _filed(site), site.config.base_path
    return site.derived(
        "first lines: letters", lambda: tuple(Letter(letter, (), len(filed[letter]), url_for(base, letter_path(letter))) for letter in sorted(filed, key=_letter_order)), structural=True
    )


def pages_of(letter: Letter) -> int:
    """How many pages a letter's lines take (see LETTER_PAGE)."""
    return max(1, -(-letter.count // LETTER_PAGE))


def index(site: Site, only: str | None = None, page: int = 1) -> tuple[Letter, ...]:
    """Every published piece by its first line and by its title, in the collation of the site's language, by letter.

    With `only` (a letter's page), that letter's lines (those of its `page`), and the other letters with their counts for the row of letters.
    """
    if only is not None:
        shown = _entries(site, only)[(page - 1) * LETTER_PAGE : page * LETTER_PAGE]
        return tuple(replace(letter, entries=shown) if letter.letter == only else letter for letter in letters(site))
    filed = _filed(site)
    return tuple(Letter(letter, entries, len(entries)) for letter, entries in ((letter, _entries(site, letter)) for letter in sorted(filed, key=_letter_order)))


def _entries(site: Site, letter: str) -> tuple[Entry, ...]:
    """The lines filed under a letter, in the order of the collation; worked out once a site."""

    def work_out() -> tuple[Entry, ...]:
        entries = []
        for kind, url_path in _filed(site).get(letter, ()):
            piece = site.piece(url_path)
            entries.append(_entry(piece.title if kind == "title" else piece.first_line, kind, piece.url, url_path, piece.lang))
        entries.sort(key=lambda entry: (_sort_key(entry.text), KINDS.index(entry.kind), entry.url))
        return tuple(entries)

    return site.derived(("first lines", letter), work_out)


@functools.lru_cache(maxsize=65536)
def _entry(text: str, kind: str, url: str, url_path: str, lang: str) -> Entry:
    """A line of the index, made once: after an edit, a letter's lines are gathered again, nearly all as they were."""
    return Entry(text, kind, url, PieceRef(url_path), lang)


def _letter_order(letter: str) -> tuple:
    return (_sort_key(letter), letter)


@functools.cache
def collator() -> pyuca.Collator:
    """The Unicode collator, built once per process: reading its table takes a fifth of a second."""
    return pyuca.Collator()


@functools.lru_cache(maxsize=65536)
def _sort_key(text: str) -> bytes:
    """pyuca's sort key of the text as filed, made from its words' collation elements, as bytes.

    The same order as ``collator().sort_key``, about three times faster on an index:
    words recur from line to line, and no contraction of the table spans a space.
    Each weight (16 bits in the Unicode table) is written as two big-endian bytes, so that the keys compare as
    the tuples of weights do, but at the speed of comparing bytes (a letter of
    thousands of lines is sorted again after each edit).
    """
    elements: list = []
    for number, word in enumerate(_bare(text).split(" ")):
        if number:
            elements += _elements(" ")
        elements += _elements(word)
    weights = collator().sort_key_from_collation_elements(elements)
    return struct.pack(f">{len(weights)}H", *weights)


@functools.lru_cache(maxsize=65536)
def _elements(word: str) -> tuple:
    return tuple(collator().collation_elements(unicodedata.normalize("NFD", word)))


@functools.lru_cache(maxsize=65536)
def _bare(text: str) -> str:
    """The text as it is filed: without punctuation, symbols and controls (Unicode P*, S*, C*), spaces collapsed."""
    kept = "".join(" " if char.isspace() else char for char in text if char.isspace() or unicodedata.category(char)[0] not in "PSC")
    return " ".join(kept.split())


_SEPARATE_LETTERS = {"Œ": "O", "Æ": "A", "Ø": "O", "Ł": "L", "Đ": "D", "Ð": "D"}
"""Letters that do not decompose but sort with a base letter (Œ as OE, Æ as AE, Ø with O)."""


def letter_of(text: str) -> str:
    """The heading an entry files under: its first letter without accents, in capitals; ``0–9``; else ``#``."""
    bare = _bare(text)
    if not bare:
        return "#"
    first = unicodedata.normalize("NFD", bare[0])[0].upper()
    first = _SEPARATE_LETTERS.get(first, first)
    if first.isdigit():
        return "0–9"
    return first[0] if first.isalpha() else "#"
