"""The one way every internal link of a site is built.

Links are root-relative and carry the path of base_url, so a site published
under a sub-path (``https://user.github.io/anthology/``) works from any page,
404.html included.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit


def base_path_of(base_url: str) -> str:
    """The path of a base URL, with leading and trailing slashes: ``/anthology/``."""
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"


def url_for(base_path: str, url_path: str) -> str:
    """The href of a site-relative path under base_path, percent-encoded.

    ``url_for("/anthology/", "/tags/rêve/")`` → ``/anthology/tags/r%C3%AAve/``.
    A query or fragment after the path is kept as written, but for the
    characters a URL may not hold there (spaces, quotes, ``<``, ``>``).
    """
    path, query, fragment = split_url(url_path)
    return quote(base_path + path.lstrip("/"), safe="/~@!$&'()*+,;=:%-._") + _NOT_IN_URL.sub(_percent, query + fragment)


def origin_of(base_url: str) -> str:
    """The scheme and host of a base URL, ``https://user.github.io``; empty when base_url is a path only."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def absolute_url(base_url: str, url_path: str) -> str:
    """A full URL, for canonical links and feeds; root-relative when base_url has no host."""
    return origin_of(base_url) + url_for(base_path_of(base_url), url_path)


def split_url(url: str) -> tuple[str, str, str]:
    """A URL's path, query and fragment, cut as urllib.parse.urlsplit cuts them, each with its mark.

    The fragment is all after the first ``#``, ``?`` included; the query is
    what lies between a ``?`` before it and it: ``lake.md?x=1#why?`` →
    (``lake.md``, ``?x=1``, ``#why?``).  The marks are kept, so the three
    joined give back the URL as written (urlsplit drops an empty ``?`` or ``#``).
    """
    rest, hash_mark, fragment = url.partition("#")
    path, question_mark, query = rest.partition("?")
    return path, question_mark + query, hash_mark + fragment


_NOT_IN_URL = re.compile(r'[\x00-\x20"<>`\x7f]')
"""What the URL standard percent-encodes in a query or fragment (its fragment percent-encode set)."""


def _percent(match: re.Match) -> str:
    return quote(match.group(), safe="")
