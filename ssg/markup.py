"""Markdown → HTML for one piece's body.

One :class:`markdown.Markdown` instance per process, reset between pieces
(building a new one for every piece costs about a millisecond each).  What
differs from one piece to the next (verse or prose, line numbers, language)
is set on our extensions just before converting, never by building anew.
"""

from __future__ import annotations

import html
import re
import string
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode, unique
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.formatters.html import HtmlFormatter

from ssg.figures import FigureExtension
from ssg.typography import TypographyExtension, is_french
from ssg.verse import Settings, VerseExtension, fenced_code_lines


class CodeFormatter(HtmlFormatter):
    """Pygments' HTML, with a tab stop on each code block.

    A long line makes a code block scroll sideways on a phone; a reader with
    a keyboard must be able to focus it to scroll it too (WCAG 2.1.1).
    """

    def wrap(self, source):
        for kind, text in super().wrap(source):
            yield kind, text.replace("<pre>", '<pre tabindex="0">', 1) if text.startswith("<pre>") else text


THEME_IDS = frozenset(
    {
        "main",
        "contents-heading",
        "listing-heading",
        "moods-heading",
        "themes-heading",
        "wrote-heading",
        "translated-heading",
        "acknowledgements-heading",
        "search-q",
        "search-status",
        "search-results",
        "search-words",
    }
)
"""Every id the theme's layouts give an element (layouts/*.html): no element of a body takes one.

A heading ``# Main`` would otherwise get ``id="main"``, the skip link's
target, and its page would hold two elements with one id.  It gets toc's
suffix for an id already taken instead: ``main_1``.  An id written in raw
HTML is the author's own and left as it is.
"""


def _heading_id(value: str, separator: str) -> str:
    """toc's id of a heading, never one of THEME_IDS (toc then makes it unique in the body)."""
    slug = slugify_unicode(value, separator)
    return f"{slug}_1" if slug in THEME_IDS else slug


class _NoThemeIds(Treeprocessor):
    """Renames an id of THEME_IDS written with attr_list (``# Main {#main}``), before toc numbers the rest."""

    def run(self, root):
        taken = None
        for element in root.iter():
            if element.get("id") in THEME_IDS:
                taken = taken or set(THEME_IDS) | {other.get("id") for other in root.iter() if other.get("id")}
                element.set("id", unique(element.get("id"), taken))


class _HardBreak(InlineProcessor):
    """A backslash that ends a line is a ``<br>``: one as in CommonMark (Hugo), or two as in kramdown (Jekyll).

    One that ends a paragraph after a space (Hugo's `` \\`` habit) breaks
    nothing and is left out, so a reader never sees it.  Code spans are
    taken before (backtick, 190) and code blocks never reach inline patterns.
    """

    # InlineProcessor's handleMatch has another signature than Pattern's, its base: its own stub ignores that too.
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str, int, int]:  # type: ignore[override]
        return (etree.Element("br") if m[0].endswith("\n") else ""), m.start(0), m.end(0)


_LONE_BACKSLASH = re.compile(r"[ ]{0,3}\\{1,2}[ ]*")


class _LoneBackslashes(Preprocessor):
    """Leave out a line of only a backslash beside a blank line: it breaks nothing, and must not show."""

    def run(self, lines):
        if not any(_LONE_BACKSLASH.fullmatch(line) for line in lines):
            return lines
        code = fenced_code_lines(lines)

        def blank(index: int) -> bool:
            return not 0 <= index < len(lines) or not lines[index].strip()

        return ["" if index not in code and _LONE_BACKSLASH.fullmatch(line) and (blank(index - 1) or blank(index + 1)) else line for index, line in enumerate(lines)]


class CommonMarkExtension(Extension):
    """What Hugo's and Jekyll's Markdown do that Python-Markdown does not.

    A backslash escapes any ASCII punctuation (``\\$10``, ``\\<3``), and a
    backslash at the end of a line is a hard break.
    """

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.ESCAPED_CHARS.extend(c for c in string.punctuation if c not in md.ESCAPED_CHARS)
        # Before escape (180), after backtick (190): a code span keeps its backslashes.
        md.inlinePatterns.register(_HardBreak(r"\\\\?\n|(?:(?<=\s)|^)\\$|\\\\$", md), "hard-break", 185)
        # After verse (27) took its passages, before fenced code (25).
        md.preprocessors.register(_LoneBackslashes(md), "lone-backslashes", 26)


EXTENSIONS = ["extra", "toc", "codehilite"]
"""With ssg's own verse and typography (smarty's rules, faster) added by _instance()."""
EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False, "pygments_formatter": CodeFormatter},
    "toc": {"slugify": _heading_id},
}
SETTINGS_VERSION = "7"
"""Changes whenever the Markdown settings do, so caches keyed on it go stale."""

_TAG = re.compile(r"<[^>]+>")
_NOT_SUMMARY = re.compile(r'<sup id="fnref[^"]*">.*?</sup>|<div class="footnote">.*|<span[^>]*class="line-number"[^>]*></span>', re.DOTALL)
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?…’”)\]])")
_SPACE_AFTER = re.compile(r"([“‘(\[])\s+")
_SUMMARY_WORDS = 40

_markdown: dict[tuple[bool, str], tuple[markdown.Markdown, VerseExtension]] = {}
"""One Markdown instance per process and typography (French or not, a house style of dashes)."""


def _instance(french: bool, dashes: str) -> tuple[markdown.Markdown, VerseExtension]:
    if (french, dashes) not in _markdown:
        verse = VerseExtension()
        md = markdown.Markdown(extensions=[*EXTENSIONS, verse, TypographyExtension(french=french, dashes=dashes), CommonMarkExtension()], extension_configs=EXTENSION_CONFIGS, output_format="html")
        md.treeprocessors.register(_NoThemeIds(md), "theme-ids", 7)  # after attr_list (8), before toc (5)
        FigureExtension().extendMarkdown(md)
        _markdown[french, dashes] = md, verse
    return _markdown[french, dashes]


def to_html(body: str, *, verse: bool = False, line_numbers: int = 0, source: str = "", first_line: int = 1, language: str = "en", dashes: str = "") -> str:
    """The HTML of a Markdown body.

    ``verse``: the whole body is verse (``form: verse``), not only its
    ``::: verse`` blocks.  ``line_numbers``: show every n-th line's number in
    verse.  ``source`` and ``first_line`` (the file line of the body's first
    line) place errors; ``language`` is the piece's (else the site's), for its
    typography, and ``dashes`` the house style of the settings.
    Raises SiteError for a verse block that is never closed.
    """
    md, verse_extension = _instance(is_french(language), dashes)
    verse_extension.settings = Settings(verse=verse, line_numbers=line_numbers, source=source, first_line=first_line)
    try:
        return md.convert(body)
    finally:
        md.reset()


def summarize(body_html: str) -> str:
    """The opening words of a body as plain text, for listings without a summary."""
    text = _NOT_SUMMARY.sub("", body_html.split("<hr", 1)[0])
    text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", " ".join(text.split())))
    words = text.split()
    if len(words) <= _SUMMARY_WORDS:
        return " ".join(words)
    return " ".join(words[:_SUMMARY_WORDS]).rstrip(",;:—–-") + "…"
