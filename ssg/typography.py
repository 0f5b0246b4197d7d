"""Typography that the smarty extension gets wrong or leaves out.

Smarty curls quotes by guessing from the characters around them, and guesses
an opening quote for every apostrophe that starts a word: ``'twas`` would come
out as ‘twas, ``rock 'n' roll`` as rock ‘n’ roll.  An apostrophe stands for
missing letters and is always a right single quote (’), so this extension
knows the common elisions and sets them first.  (Smarty already sets the
decades right, ``the '90s``; years such as ``'69`` are added here.)

For a site in French it also puts a no-break space where French typography
wants one, in place of the space the writer typed: a narrow one (U+202F)
before ``; ! ?`` and a full one (U+00A0) before ``:`` and ``»`` and after ``«``,
so the mark never starts a line on its own.

Both work as patterns of smarty's own inline pass, so, like smarty, they see
only text: never code, attributes or URLs.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.extensions.smarty import SubstituteTextPattern

RSQUO = "&rsquo;"
ELISIONS = (
    "tis", "twas", "twere", "twill", "twould", "til", "till", "em", "n", "cause", "cos",
    "bout", "round", "neath", "gainst", "fore", "mid", "midst", "tween", "twixt",
    "cept", "nother", "kay", "scuse", "im",
)
"""Words that lose their first letters to an apostrophe: ``'twas``, ``'n'``, ``'em``."""
_APOSTROPHE_RE = r"(?<![\w'’])'(?=(?i:%s)\b|\d\d(?![\w'’]))" % "|".join(ELISIONS)
"""An opening ' that is an apostrophe: an elision (``'twas``) or a year (``'90s``)."""

NARROW_NBSP = "&#8239;"
NBSP = "&nbsp;"
_FRENCH = (
    (r"[ \u00a0\u202f]+(?=[;!?])", NARROW_NBSP),
    (r"[ \u00a0\u202f]+(?=[:»])", NBSP),
    (r"(?<=«)[ \u00a0\u202f]+", NBSP),
)


class TypographyExtension(Extension):
    """Apostrophes everywhere, French spacing when :attr:`language` is French.

    Must come after ``smarty`` in the extension list: it adds to smarty's patterns.
    """

    def __init__(self, french: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.french = french
        """Whether to add French spacing; fixed per Markdown instance, since every
        inline pattern costs time on every text of every document."""

    def extendMarkdown(self, md: Markdown) -> None:
        if "smarty" not in md.treeprocessors:
            raise ValueError("the typography extension needs smarty: list 'smarty' before it")
        md.registerExtension(self)
        patterns = md.treeprocessors["smarty"].inlinePatterns
        # Smarty's quote patterns start at priority 30; these must see the quotes first.
        patterns.register(SubstituteTextPattern(_APOSTROPHE_RE, (RSQUO,), md), "typography-apostrophe", 32)
        if self.french:
            for index, (pattern, space) in enumerate(_FRENCH):
                patterns.register(SubstituteTextPattern(pattern, (space,), md), f"typography-french-{index}", 5 - index)


def is_french(language: str) -> bool:
    """Whether a BCP 47 tag (``fr``, ``fr-CA``) names French."""
    return language.lower().replace("_", "-").split("-")[0] == "fr"
