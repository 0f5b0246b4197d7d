"""Typography: curly quotes, dashes, ellipses, apostrophes, and French spacing.

This does what Python-Markdown's ``smarty`` extension does, with its very
rules (quotes guessed from the characters around them, ``--`` en dash, ``---``
em dash, ``...`` ellipsis), but as one tree pass of plain regular-expression
searches instead of smarty's fifteen inline patterns run through Markdown's
inline machinery, which doubled the cost of converting a piece.  Like smarty,
it sees only text: never code, attributes or URLs.

It also sets what smarty gets wrong or leaves out.  Smarty guesses an opening
quote for every apostrophe that starts a word: ``'twas`` would come out as
‘twas, ``rock 'n' roll`` as rock ‘n’ roll.  An apostrophe stands for missing
letters and is always a right single quote (’), so the common elisions and
two-digit years (``'69``; smarty already sets ``the '90s``) are set first.

For a site in French it also puts a no-break space where French typography
wants one, in place of the space the writer typed: a narrow one (U+202F)
before ``; ! ?`` and a full one (U+00A0) before ``:`` and ``»`` and after
``«``, so the mark never starts a line on its own.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.extensions import smarty
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

LSQUO, RSQUO, LDQUO, RDQUO = "&lsquo;", "&rsquo;", "&ldquo;", "&rdquo;"
ELISIONS = tuple("tis twas twere twill twould til till em n cause cos bout round neath gainst fore mid midst tween twixt cept nother kay scuse im".split())
"""Words that lose their first letters to an apostrophe: ``'twas``, ``'n'``, ``'em``."""
_APOSTROPHE_RE = rf"(?<![\w'’])'(?=(?i:{'|'.join(ELISIONS)})\b|\d\d(?![\w'’]))"
"""An opening ' that is an apostrophe: an elision (``'twas``) or a year (``'69``)."""

NARROW_NBSP = "&#8239;"
NBSP = "&nbsp;"
_FRENCH = (
    (r"[ \u00a0\u202f]+(?=[;!?])", (NARROW_NBSP,)),
    (r"[ \u00a0\u202f]+(?=[:»])", (NBSP,)),
    (r"(?<=«)[ \u00a0\u202f]+", (NBSP,)),
)

# Smarty's rules, in the order of its priorities; a replacement is a sequence of
# text (stashed as raw HTML) and group numbers (the matched text, kept).
_RULES = (
    (r"(?<!-)---(?!-)", ("&mdash;",)),
    (r"(?<!-)--(?!-)", ("&ndash;",)),
    (_APOSTROPHE_RE, (RSQUO,)),
    (smarty.singleQuoteStartRe, (RSQUO,)),
    (smarty.doubleQuoteStartRe, (RDQUO,)),
    (smarty.doubleQuoteSetsRe, (LDQUO + LSQUO,)),
    (smarty.singleQuoteSetsRe, (LSQUO + LDQUO,)),
    (smarty.doubleQuoteSetsRe2, (RSQUO + RDQUO,)),
    (smarty.singleQuoteSetsRe2, (RDQUO + RSQUO,)),
    (smarty.decadeAbbrRe, (RSQUO,)),
    (smarty.openingSingleQuotesRegex, (1, LSQUO)),
    (smarty.closingSingleQuotesRegex, (RSQUO,)),
    (smarty.closingSingleQuotesRegex2, (RSQUO, 1)),
    (smarty.remainingSingleQuotesRegex, (LSQUO,)),
    (smarty.openingDoubleQuotesRegex, (1, LDQUO)),
    (smarty.closingDoubleQuotesRegex, (RDQUO,)),
    (smarty.closingDoubleQuotesRegex2, (RDQUO,)),
    (smarty.remainingDoubleQuotesRegex, (LDQUO,)),
    (r"(?<!\.)\.{3}(?!\.)", ("&hellip;",)),
)
DASHES = ("", "em", "spaced-en")
"""``[tool.ssg] dashes``: as typed (``--`` en, ``---`` em), or one house style for a dash between words."""
_BEFORE_SPACED_DASH = (r"[ ](?=(?:---?(?!-)|[–—])[ ])", (NBSP,))
"""A spaced dash never starts a line: a no-break space before it."""
_HOUSE_DASHES = {
    "em": (r"[ \u00a0]+(?:---?(?!-)|[–—])[ \u00a0]+|(?<=\w)---(?=\w)", ("&mdash;",)),
    "spaced-en": (r"[ \u00a0]*(?:---(?!-)|—)[ \u00a0]*|[ \u00a0]+(?:--(?!-)|–)[ \u00a0]+", (NBSP, "&ndash; ")),
}
"""A dash between words in the house style: closed-up em (word—word), or spaced en (word – word)."""
_FRENCH_QUOTES = {LDQUO: "&laquo;" + NBSP, RDQUO: NBSP + "&raquo;"}
"""French sets its quotation marks « » with no-break spaces inside."""
_TRIGGERS = re.compile(r"['\".-]|[ \u00a0\u202f–—]")
"""Text without any of these has nothing to educate (the usual case for most words)."""
_TOKEN = re.compile("\x02ssg-typography:(\\d+)\x03")


def rules_for(french: bool, dashes: str) -> list[tuple[re.Pattern, tuple, str]]:
    """The rules of a language and a house style of dashes, compiled, in the order they apply."""
    first = [_HOUSE_DASHES[dashes]] if dashes else [_BEFORE_SPACED_DASH]
    rules = [*first, *_RULES, *(_FRENCH if french else ())]
    if french:
        rules = [(pattern, tuple(_FRENCH_QUOTES.get(part, part) for part in replacement)) for pattern, replacement in rules]
    return [(re.compile(pattern), replacement, _needs(pattern)) for pattern, replacement in rules]


def _needs(pattern: str) -> str:
    """The characters a rule cannot match without (one of them): a text with none is not searched by it.

    Most texts hold a space but no dash or quote: checking a few characters
    costs far less than a search of each rule through the whole text."""
    if "'" in pattern or '"' in pattern:
        return "'\""
    if "\\.{3}" in pattern:
        return "."
    if "-" in pattern or "–" in pattern:
        return "-–—"
    return " \u00a0\u202f"


class TypographyExtension(Extension):
    """Smart punctuation and apostrophes, a house style of dashes; French spacing and quotes when `french`."""

    def __init__(self, french: bool = False, dashes: str = "", **kwargs):
        super().__init__(**kwargs)
        self.french = french
        """Fixed per Markdown instance: every rule costs a search of every text."""
        self.dashes = dashes

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Where smarty runs: after the inline patterns, before the table of contents.
        md.treeprocessors.register(_Educate(md, rules_for(self.french, self.dashes)), "typography", 6)
        md.ESCAPED_CHARS.extend(['"', "'"])  # \" and \' stay straight, as with smarty


class _Educate(Treeprocessor):
    def __init__(self, md: Markdown, rules: list[tuple[re.Pattern, tuple, str]]):
        super().__init__(md)
        self.rules = rules

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element is root:
                continue
            if element.text and not isinstance(element.text, AtomicString):
                element.text = self.educate(element.text)
            if element.tail and not isinstance(element.tail, AtomicString):
                element.tail = self.educate(element.tail)

    def educate(self, text: str) -> str:
        return educate(text, self.rules, self.md.htmlStash.store)


def educate(text: str, rules: list[tuple[re.Pattern, tuple, str]], store: Callable[[str], str]) -> str:
    """Apply each rule in turn; what one rule set is hidden from the next, as in smarty.

    `store` turns a rule's HTML (``&rsquo;``) into what the text holds: a
    placeholder of Markdown's stash in a body, the character itself in plain text.
    """
    if not _TRIGGERS.search(text):
        return text
    results: list[str] = []
    for pattern, replacement, needs in rules:
        if not any(mark in text for mark in needs):
            continue
        position = 0
        while match := pattern.search(text, position):
            results.append("".join(match.group(part) if isinstance(part, int) else store(part) for part in replacement))
            token = f"\x02ssg-typography:{len(results) - 1}\x03"
            text = text[: match.start()] + token + text[match.end() :]
            position = match.start() + len(token)
    if not results:
        return text
    # Group text kept by a rule may hold tokens of earlier rules.
    while _TOKEN.search(text):
        text = _TOKEN.sub(lambda found: results[int(found.group(1))], text)
    return text


@functools.lru_cache(maxsize=16)
def _plain_rules(french: bool, dashes: str) -> list[tuple[re.Pattern, tuple, str]]:
    return rules_for(french, dashes)


@functools.lru_cache(maxsize=65536)
def typeset(text: str, language: str = "en", dashes: str = "") -> str:
    """Plain text set as a body is: a title, a summary, an epigraph, a name (``The Keeper's Daughter`` → ``The Keeper’s Daughter``).

    The same rules as the Markdown bodies get, with characters instead of
    HTML entities, so the text can go anywhere: a heading, ``<title>``, a meta
    tag, a feed.  A backslash keeps a quote straight, as in a body.
    """
    for written, kept in _KEPT_QUOTES:
        text = text.replace(written, kept)
    text = educate(text, _plain_rules(is_french(language), dashes), html.unescape)
    for written, kept in _KEPT_QUOTES:
        text = text.replace(kept, written[1])
    return text


_KEPT_QUOTES = (("\\'", "\x02ssg-quote:1\x03"), ('\\"', "\x02ssg-quote:2\x03"))


def is_french(language: str) -> bool:
    """Whether a BCP 47 tag (``fr``, ``fr-CA``) names French."""
    return language.lower().replace("_", "-").split("-")[0] == "fr"
