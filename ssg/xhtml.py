"""HTML as XHTML: a piece's body, as Markdown and its writer made it, made well-formed XML for the EPUB.

Python-Markdown writes HTML5 (``<br>``, ``<img …>`` never closed, ``&nbsp;``),
and a writer may type raw HTML that a browser forgives and an XML parser does
not: a ``<p>`` left open, a stray ``</div>``, ``<center>``.  :func:`to_xhtml`
reads it with the standard library's forgiving parser and writes it again as
XML: void elements closed, characters as UTF-8 (XML knows five named entities,
HTML some two thousand), every element closed in order, and what an e-book may
not hold (scripts, frames, remote images) left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from xml.sax.saxutils import escape, quoteattr

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
DROPPED = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "video", "audio", "canvas", "form", "input", "button", "select", "textarea", "link", "meta", "base"})
"""Left out with all they hold: scripts and styles (an EPUB with them must declare them), frames and players of
other sites (remote resources), forms (nothing to send them to)."""
OBSOLETE = {"center": "div", "font": "span", "big": "span", "tt": "code", "strike": "s", "acronym": "abbr"}
"""Elements HTML5 no longer has, as their nearest own, so the words stay and the file validates."""
_CLOSES_P = frozenset("address article aside blockquote details div dl fieldset figcaption figure footer h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul".split())
"""Blocks whose start ends an open paragraph, as in HTML."""
_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"}}
"""An element whose start ends an open sibling of these kinds (``<li>a<li>b``), within its list or table."""
_SCOPES = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot"})
_NAME = re.compile(r"[a-z_][a-z0-9_.-]*\Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DROPPED_ATTRIBUTES = frozenset({"loading", "decoding", "fetchpriority", "srcset", "sizes", "xmlns"})


def to_xhtml(html: str, keep_image: Callable[[str], bool] = lambda src: True) -> str:
    """`html` (a fragment) as well-formed XHTML; an ``<img>`` whose src `keep_image` refuses becomes its alt text."""
    writer = _Writer(keep_image)
    writer.feed(html)
    writer.close()
    return writer.result()


class _Writer(HTMLParser):
    def __init__(self, keep_image: Callable[[str], bool]):
        super().__init__(convert_charrefs=True)
        self.keep_image = keep_image
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0
        """How deep inside a dropped element the parser is (0: not inside one)."""

    def result(self) -> str:
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = OBSOLETE.get(tag, tag)
        if self.dropping or tag in DROPPED:
            self.dropping += tag not in VOID
            return
        if not _NAME.match(tag):
            return
        self._close_implied(tag)
        values = _attributes(attrs)
        if tag == "img" and not self.keep_image(values.get("src", "")):
            self._write_words_of(values)
            return
        text = "".join(f" {name}={quoteattr(_xml_text(value))}" for name, value in values.items())
        if tag in VOID:
            self.out.append(f"<{tag}{text}/>")
        else:
            self.out.append(f"<{tag}{text}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if OBSOLETE.get(tag, tag) not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = OBSOLETE.get(tag, tag)
        if self.dropping:
            self.dropping -= tag not in VOID
            return
        if tag not in self.open:
            return  # a stray end tag, as browsers ignore it
        while self.open:
            name = self.open.pop()
            self.out.append(f"</{name}>")
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(_xml_text(data)))

    def _write_words_of(self, image: dict[str, str]) -> None:
        """An image the book cannot carry, as its alt text in a span that keeps its id (a link may point to it)."""
        kept = "".join(f" {name}={quoteattr(_xml_text(value))}" for name, value in image.items() if name in ("id", "class", "lang", "xml:lang"))
        self.out.append(f"<span{kept}>{escape(_xml_text(image.get('alt', '')))}</span>")

    def _close_implied(self, tag: str) -> None:
        """Close what HTML closes without an end tag: a paragraph before a block, a list item before the next."""
        if tag in _CLOSES_P and self.open and self.open[-1] == "p":
            self.handle_endtag("p")
        siblings = _SIBLINGS.get(tag)
        if siblings:
            for name in reversed(self.open):
                if name in _SCOPES:
                    return
                if name in siblings:
                    self.handle_endtag(name)
                    return


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    """Attributes XML can hold: valid names, each once, a value for each (``hidden`` → ``hidden="hidden"``); no event handlers.

    ``lang`` is doubled as ``xml:lang``, which is what an XML reader looks at.
    """
    values: dict[str, str] = {}
    for name, value in attrs:
        if name in values or not _NAME.match(name) or name.startswith("on") or name in _DROPPED_ATTRIBUTES:
            continue
        values[name] = name if value is None else value
    if "lang" in values:
        values["xml:lang"] = values["lang"]
    return values


def _xml_text(text: str) -> str:
    """Text without the characters XML forbids (control characters a writer pasted in)."""
    return _NOT_XML.sub("", text)
