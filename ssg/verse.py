"""Verse that keeps its shape: a Python-Markdown extension for poems.

Markdown joins a poem's lines, eats its indentation and makes a stanza one
paragraph.  Inside verse this extension keeps every line, turns blank lines
into stanza breaks and leading spaces into indentation levels, while inline
Markdown (emphasis, links, code, footnote references) still works in a line.

Where verse is:

- the whole body of a piece whose front matter says ``form: verse``;
- a passage between a line ``::: verse`` and a line ``:::`` in any piece
  (both at the start of the line).  Inside a fenced code block such lines are
  code, and a fenced code block inside verse stays code.

Within verse:

- each line is a line; a blank line separates stanzas; there are no lists,
  headings or block quotes, so ``1. `` or ``# `` or ``*so*`` start plain text;
- leading spaces are indentation: two spaces a level (odd ones round down),
  at most :data:`MAX_LEVEL`; a tab goes to the next multiple of four columns,
  as everywhere in Markdown, so a leading tab is two levels;
- a line ``* * *``, ``***``, ``*``, ``\\*`` or ``⁂`` is a section break,
  shown as ``⁂``;
- a line of only a backslash (`` \\``, as Hugo sites write a blank line
  between stanzas in one paragraph) is a stanza break, like a blank line;
- a last line starting with ``—``, ``–``, ``--`` or ``---``, after a blank
  line, is the attribution; the dash is always set as an em dash;
- trailing spaces and one or two trailing backslashes are dropped: they are
  Markdown's hard breaks (CommonMark's ``\\``, kramdown's ``\\\\``), and in
  verse every line breaks anyway;
- footnote and link definitions (``[^1]: …``, ``[id]: url``) at the start of
  a stanza end the verse: from there on, up to the end of the passage, the
  text is ordinary Markdown, so a poem's notes go after its last stanza.

The HTML, and why.  Stanzas are set as Standard Ebooks sets poetry::

    <div class="verse">
    <p class="stanza"><span class="line">First line</span><br>
    <span class="line indent-1"><span class="line-number" data-n="5" aria-hidden="true"></span>fifth line</span></p>
    <p class="verse-break" role="separator" aria-label="section break">⁂</p>
    <p class="stanza">…</p>
    <p class="attribution">— Someone</p>
    </div>

- Copying: browsers end a copied block with one line break, and a paragraph
  with a blank line (Chromium: a ``<p>`` whose bottom margin is at least
  half its font size).  With the theme's ``.line {display: block}`` and
  ``.stanza > br {display: none}``, a copied poem pastes as its lines with
  exactly one blank line between stanzas.  ``<div>`` stanzas would paste
  with no blank line between them; ``<div>`` lines cannot go in a ``<p>``.
- Without CSS (feed readers, reader modes, text browsers) the ``<br>`` keep
  the lines apart and the ``<p>`` the stanzas.
- A line is one element, so a line too long for the screen runs over onto a
  second row that the theme's hanging indent sets further in.
- The line number is an empty element that shows its number through CSS
  ``::before {content: attr(data-n)}``: it is never copied nor read aloud.  It
  comes first in its line so that a runover line's number sits by its first row.
- The section break is a paragraph holding the ornament, so it is copied on
  its own between blank lines; ``role="separator"`` makes screen readers say
  "section break" rather than the glyph's name.

How.  A preprocessor runs after whitespace is normalised (so tabs are already
spaces) and before fenced code is taken out: it sees the body's own lines, so
a verse block never closed is reported at its file line.  It replaces each
passage of verse by a placeholder line and keeps the parsed passage aside;
a block processor puts the passage into the tree in the placeholder's place,
where the inline patterns (and smarty) then work on each line's text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from ssg.errors import Problem, SiteError

SPACES_PER_LEVEL = 2
"""Leading spaces that make one indentation level."""
TAB_SIZE = 4
"""Columns between tab stops, as in Markdown; a leading tab is two levels."""
MAX_LEVEL = 6
"""The deepest indentation class the theme styles; deeper lines get this one."""
ORNAMENT = "⁂"

_OPEN = re.compile(r":::[ ]*verse[ ]*")
_CLOSE = re.compile(r":::[ ]*")
_BREAK = re.compile(r"(?:\\?\*[ ]*)*\\?\*|⁂")
_HARD_BREAK = re.compile(r"[ ]*\\{1,2}$")
"""A hard break ending a line: a backslash (CommonMark, Hugo) or two (kramdown, Jekyll)."""
_ATTRIBUTION = re.compile(r"(?:—|–|-{2,3})[ ]*(?P<text>\S.*)")
_DEFINITION = re.compile(r"\*?\[[^\]]+\]:")
# STX/ETX cannot come from the writer: Markdown strips them from the source.
_PLACEHOLDER = "\x02verse:{}\x03"
_PLACEHOLDER_RE = re.compile("\x02verse:([0-9]+)\x03")


@dataclass(frozen=True)
class Settings:
    """What one document asks of the extension; set before each conversion."""

    verse: bool = False
    """The whole body is verse (``form: verse``)."""
    line_numbers: int = 0
    """Show the number of every n-th line; 0 for none."""
    source: str = ""
    """The file, for messages (``content/mist.md``)."""
    first_line: int = 1
    """The file line of the body's first line, for messages."""


@dataclass(frozen=True)
class Line:
    text: str
    """The line's Markdown, without its indentation."""
    level: int
    number: int
    """Its place in the poem, counted across stanzas."""


@dataclass(frozen=True)
class Stanza:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Break:
    """A section break between stanzas."""


@dataclass(frozen=True)
class Attribution:
    text: str
    """The Markdown after the dash."""


Part = Stanza | Break | Attribution


def parse(lines: list[str], first_number: int = 1) -> tuple[tuple[Part, ...], int]:
    """A passage of verse → its parts, and the number the next line would have."""
    groups: list[list[tuple[int, str]] | Break] = []
    stanza: list[tuple[int, str]] = []
    for raw in lines:
        text = raw.expandtabs(TAB_SIZE).rstrip()
        text = _HARD_BREAK.sub("", text)
        content = text.lstrip(" ")
        if content and not _BREAK.fullmatch(content):
            stanza.append((indent_level(len(text) - len(content)), content))
            continue
        if stanza:
            groups.append(stanza)
            stanza = []
        if content:
            groups.append(Break())
    if stanza:
        groups.append(stanza)

    attribution = None
    last = groups[-1] if groups else None
    if len(groups) > 1 and isinstance(last, list) and len(last) == 1:
        match = _ATTRIBUTION.fullmatch(last[0][1])
        if match:
            attribution = Attribution(match["text"])
            groups.pop()

    parts: list[Part] = []
    number = first_number
    for group in groups:
        if isinstance(group, Break):
            parts.append(group)
            continue
        parts.append(Stanza(tuple(Line(text, level, number + i) for i, (level, text) in enumerate(group))))
        number += len(group)
    if attribution:
        parts.append(attribution)
    return tuple(parts), number


def indent_level(spaces: int) -> int:
    """The indentation level of a line starting with this many spaces."""
    return min(spaces // SPACES_PER_LEVEL, MAX_LEVEL)


def render(parent: etree.Element, parts: tuple[Part, ...], line_numbers: int = 0) -> etree.Element:
    """Append a passage's ``<div class="verse">`` to parent; inline Markdown is left to the inline patterns."""
    verse = etree.SubElement(parent, "div", {"class": "verse"})
    for part in parts:
        if isinstance(part, Stanza):
            stanza = etree.SubElement(verse, "p", {"class": "stanza"})
            for i, line in enumerate(part.lines):
                if i:
                    etree.SubElement(stanza, "br")
                classes = f"line indent-{line.level}" if line.level else "line"
                element = etree.SubElement(stanza, "span", {"class": classes})
                if line_numbers and line.number % line_numbers == 0:
                    number = etree.SubElement(element, "span", {"class": "line-number", "data-n": str(line.number), "aria-hidden": "true"})
                    number.tail = line.text
                else:
                    element.text = line.text
        elif isinstance(part, Break):
            ornament = etree.SubElement(verse, "p", {"class": "verse-break", "role": "separator", "aria-label": "section break"})
            ornament.text = AtomicString(ORNAMENT)
        else:
            etree.SubElement(verse, "p", {"class": "attribution"}).text = f"— {part.text}"
    return verse


class VerseExtension(Extension):
    """Verse blocks and verse pieces; set :attr:`settings` before each conversion."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.settings = Settings()
        self.passages: list[tuple[Part, ...]] = []
        """The current document's passages, by placeholder number."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After normalize_whitespace (30), before fenced_code_block (25).
        md.preprocessors.register(_VersePreprocessor(md, self), "verse", 27)
        # Before every other block processor: the placeholder is ours alone.
        md.parser.blockprocessors.register(_VerseBlockProcessor(md.parser, self), "verse", 105)

    def reset(self) -> None:
        self.settings = Settings()
        self.passages = []


class _VersePreprocessor(Preprocessor):
    """Cut the passages of verse out of the body, leaving a placeholder for each."""

    def __init__(self, md: Markdown, extension: VerseExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        settings = self.extension.settings
        if not settings.verse and not any(line.startswith(":::") for line in lines):
            return lines
        cut = _Cut(settings, self.extension.passages)
        code = fenced_code_lines(lines)
        for index, line in enumerate(lines):
            cut.take(index, line, in_code=index in code)
        return cut.finish()


class _Cut:
    """One body being cut, line by line: the lines kept, the passage of verse being gathered, the block open."""

    def __init__(self, settings: Settings, passages: list[tuple[Part, ...]]):
        self.settings = settings
        self.passages = passages
        """The document's passages, where each placeholder's number points."""
        self.kept: list[str] = []
        """The body's lines so far, a placeholder in place of each passage."""
        self.passage: list[str] = []
        """The lines of verse since the last placeholder."""
        self.opened: int | None = None
        """The index of the line ``::: verse`` of the block being read; None outside a block."""
        self.number = 1
        """The number of the next line of verse: counted through a verse piece, anew in each block of a prose one."""
        self.problems: list[Problem] = []

    def take(self, index: int, line: str, *, in_code: bool) -> None:
        if in_code:
            self.end_passage()
            self.kept.append(line)
        elif _OPEN.fullmatch(line):
            self.open_block(index)
        elif self.opened is not None and _CLOSE.fullmatch(line):
            self.end_passage()
            self.opened = None
        elif self.settings.verse or self.opened is not None:
            self.passage.append(line)
        else:
            self.kept.append(line)

    def open_block(self, index: int) -> None:
        if self.opened is not None:
            first_line = self.settings.first_line
            self.problems.append(
                Problem(self.settings.source, first_line + index, "a verse block cannot open inside another one", f"close the block opened at line {first_line + self.opened} with a line ':::' first")
            )
            return
        self.end_passage()
        self.opened = index
        if not self.settings.verse:
            self.number = 1

    def end_passage(self) -> None:
        """Set the passage gathered aside and keep its placeholder; the definitions that end it stay Markdown."""
        if not self.passage:
            return
        verse, markdown = _split_definitions(self.passage)
        parts, self.number = parse(verse, self.number)
        if parts:
            self.passages.append(parts)
            self.kept.extend(["", _PLACEHOLDER.format(len(self.passages) - 1), ""])
        self.kept.extend(markdown)
        self.passage = []

    def finish(self) -> list[str]:
        """The body's lines to convert; or every problem of its blocks at once."""
        if self.opened is not None:
            self.problems.append(Problem(self.settings.source, self.settings.first_line + self.opened, "verse block opened here is never closed", "close it with a line ':::'"))
        if self.problems:
            raise SiteError(self.problems)
        self.end_passage()
        return self.kept


class _VerseBlockProcessor(BlockProcessor):
    """Put a passage into the tree where its placeholder is."""

    def __init__(self, parser: BlockParser, extension: VerseExtension):
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return _PLACEHOLDER_RE.fullmatch(block.strip()) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = _PLACEHOLDER_RE.fullmatch(blocks.pop(0).strip())
        assert match is not None  # the parser runs this only on a block test() matched
        render(parent, self.extension.passages[int(match[1])], self.extension.settings.line_numbers)


def fenced_code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks, fences included.

    Found with fenced_code's own pattern, so that what it will take as code
    is exactly what we leave alone.
    """
    text = "\n".join(lines)
    inside: set[int] = set()
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text):
        first = text.count("\n", 0, match.start())
        inside.update(range(first, first + match[0].count("\n") + 1))
    return inside


def _split_definitions(passage: list[str]) -> tuple[list[str], list[str]]:
    """The verse, and the footnote or link definitions that end it."""
    for index, line in enumerate(passage):
        if _DEFINITION.match(line) and (index == 0 or not passage[index - 1].strip()):
            return passage[:index], passage[index:]
    return passage, []
