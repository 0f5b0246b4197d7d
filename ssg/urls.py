"""The one way every internal link of a site is built.

Links are root-relative and carry the path of base_url, so a site published
under a sub-path (``https://user.github.io/anthology/``) works from any page,
404.html included.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit


def base_path_of(base_url: str) -> str:
    """The path of a base URL, with leading and trailing slashes: ``/anthology/``."""
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"


def url_for(base_path: str, url_path: str) -> str:
    """The href of a site-relative path under base_path, percent-encoded.

    ``url_for("/anthology/", "/tags/rêve/")`` → ``/anthology/tags/r%C3%AAve/``.
    A fragment or query in url_path is kept as it is.
    """
    path, mark, rest = _split_fragment(url_path)
    return quote(base_path + path.lstrip("/"), safe="/~@!$&'()*+,;=:%-._") + mark + rest


def absolute_url(base_url: str, url_path: str) -> str:
    """A full URL, for canonical links and feeds; root-relative when base_url has no host."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return origin + url_for(base_path_of(base_url), url_path)


def _split_fragment(url_path: str) -> tuple[str, str, str]:
    for mark in ("?", "#"):
        if mark in url_path:
            path, rest = url_path.split(mark, 1)
            return path, mark, rest
    return url_path, "", ""
