"""Markdown → HTML for one piece's body.

One :class:`markdown.Markdown` instance per process, reset between pieces
(building a new one for every piece costs about a millisecond each).
"""

from __future__ import annotations

import html
import re

import markdown
from markdown.extensions.toc import slugify_unicode

EXTENSIONS = ["extra", "smarty", "toc", "codehilite"]
EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False},
    "toc": {"slugify": slugify_unicode},
}
SETTINGS_VERSION = "1"
"""Changes whenever the Markdown settings do, so caches keyed on it go stale."""

_TAG = re.compile(r"<[^>]+>")
_NOT_SUMMARY = re.compile(r'<sup id="fnref[^"]*">.*?</sup>|<div class="footnote">.*|<span class="line-number"[^>]*></span>', re.DOTALL)
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?…’”)\]])")
_SPACE_AFTER = re.compile(r"([“‘(\[])\s+")
_SUMMARY_WORDS = 40

_markdown: markdown.Markdown | None = None


def _instance() -> markdown.Markdown:
    global _markdown
    if _markdown is None:
        _markdown = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    return _markdown


def to_html(body: str) -> str:
    """The HTML of a Markdown body."""
    md = _instance()
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
