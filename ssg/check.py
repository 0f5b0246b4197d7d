"""``ssg check``: every link of a built site, resolved the way the host will serve it.

The output folder is read as GitHub Pages serves it under base_url: a URL
``/anthology/x/`` is the file ``output/x/index.html``, ``/anthology/x`` is
``x``, else ``x/index.html`` (after a redirect), else ``x.html``; paths are
percent-decoded; anything outside the base path is not the site's.  Checked:
``href``, ``src``, ``srcset`` and ``og:url``/``og:image`` of every HTML page,
``#fragments`` (an element with that id must exist on the target page),
``link href`` and the HTML content of Atom feeds, ``loc`` of sitemaps, the
``Sitemap:`` of robots.txt and ``url()`` in stylesheets.  404.html must use no
relative link, since it is served for missing URLs at every depth.

External links are listed, and fetched only when asked (``--external``).
Parsing uses the standard library only (html.parser), which is fast enough
for thousands of pages.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from ssg.errors import SiteError
from ssg.urls import base_path_of, origin_of

NOT_FOUND_PAGE = "404.html"
"""Served by GitHub Pages for every missing URL, at any depth."""
_LOCAL_ORIGIN = "http://ssg-check.invalid"
"""Stands for the host of a base_url given as a path only."""
_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAPS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_LINK_ATTRIBUTES = {"href": ("a", "area", "link"), "src": ("img", "script", "iframe", "source", "audio", "video", "track", "embed", "input"), "poster": ("video",)}
_META_URLS = ("og:url", "og:image", "twitter:image")
_FETCHED_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Broken:
    """One link that does not resolve."""

    page: str
    """The file it is written in, relative to the output folder."""
    link: str
    """As written."""
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} → {self.reason}"


@dataclass(frozen=True)
class CheckReport:
    """What a check found."""

    files: int
    """Documents read (HTML pages, feeds, sitemaps, stylesheets, robots.txt)."""
    links: int
    """Internal links checked."""
    broken: tuple[Broken, ...]
    external: tuple[str, ...]
    """Distinct external URLs, sorted."""
    fetched: bool = False
    """Whether the external URLs were fetched (and their failures are in broken)."""


@dataclass
class _Document:
    """The links and ids of one file of the output."""

    links: list[tuple[str, str]] = field(default_factory=list)
    """(link as written, the URL it is relative to)."""
    ids: set[str] = field(default_factory=set)
    html: bool = False
    error: str | None = None
    """Why the file could not be read, if it could not."""


def check_site(output_dir: Path, base_url: str, *, external: bool = False, timeout: float = 10.0) -> CheckReport:
    """Check every link of the site built in output_dir, published at base_url."""
    if not output_dir.is_dir():
        raise SiteError.at(str(output_dir), None, "the output folder does not exist", "build the site first: ssg build")
    site = _Site(output_dir.resolve(), origin_of(base_url) or _LOCAL_ORIGIN, base_path_of(base_url))

    documents = {name: site.read(name) for name in site.files if _readable(name)}
    broken: list[Broken] = []
    externals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    checked = 0
    for name, document in documents.items():
        if document.error:
            broken.append(Broken(name, "", document.error))
        for link, relative_to in document.links:
            link = link.strip()
            if name == NOT_FOUND_PAGE and _is_relative(link):
                broken.append(Broken(name, link, "404.html is served for missing URLs at any depth, so its links must start with / or a scheme"))
                continue
            url = urljoin(relative_to, link)
            scheme, netloc = urlsplit(url)[:2]
            if scheme not in _FETCHED_SCHEMES:
                continue
            if netloc != site.netloc:
                externals[urldefrag(url).url].append((name, link))
                continue
            checked += 1
            reason = site.resolve(url, documents)
            if reason:
                broken.append(Broken(name, link, reason))
    if external:
        broken += _fetch_all(externals, timeout)
    return CheckReport(len(documents), checked, tuple(broken), tuple(sorted(externals)), fetched=external)


class _Site:
    """The output folder, seen as the host serves it."""

    def __init__(self, root: Path, origin: str, base_path: str):
        self.root = root
        self.origin = origin
        self.netloc = urlsplit(origin).netloc
        self.base_path = base_path
        self.files = sorted(f.relative_to(root).as_posix() for f in root.rglob("*") if f.is_file())
        self._file_set = set(self.files)

    def url_of(self, name: str) -> str:
        """The URL a file of the output is served at."""
        return self.origin + quote(self.base_path + name)

    def read(self, name: str) -> _Document:
        return _read(name, (self.root / name).read_text(encoding="utf-8", errors="replace"), self.url_of(name))

    def resolve(self, url: str, documents: dict[str, _Document]) -> str | None:
        """Why an internal URL does not resolve, or None when it does."""
        split = urlsplit(url)
        path = split.path or "/"
        if not (path + "/").startswith(self.base_path):
            return f"outside the site's base path {self.base_path}"
        try:
            relative = unquote(path[len(self.base_path) :], errors="strict") if path != self.base_path.rstrip("/") else ""
        except UnicodeDecodeError:
            return "the path's percent-encoding is not UTF-8"
        name, reason = self.served_file(relative)
        if name is None:
            return reason
        fragment = unquote(split.fragment)
        if fragment and fragment.lower() != "top":
            document = documents.get(name)
            if document is not None and document.html and fragment not in document.ids:
                return f"no element with id '{fragment}' in {name}"
        return None

    def served_file(self, relative: str) -> tuple[str | None, str]:
        """The file a site-relative path is served from, or None and why."""
        if "\\" in relative or any(part in ("..", ".") for part in relative.split("/")):
            return None, "the path climbs out of the site"
        if relative == "" or relative.endswith("/"):
            index = relative + "index.html"
            if index in self._file_set:
                return index, ""
            return None, f"no {index} in the output" + (" (the folder exists but has no index.html)" if (self.root / relative).is_dir() else "")
        for candidate in (relative, relative + "/index.html", relative + ".html"):
            if candidate in self._file_set:
                return candidate, ""
        return None, f"no file {relative} in the output"


def links_in(name: str, text: str, url: str) -> list[str]:
    """The links of one file of a site (HTML, feed, sitemap, CSS, robots.txt), absolute against the URL it is served at."""
    return [urljoin(base, link.strip()) for link, base in _read(name, text, url).links]


def _read(name: str, text: str, url: str) -> _Document:
    if name.endswith((".html", ".htm")):
        return _parse_html(text, url)
    if name.endswith(".xml"):
        return _parse_xml(text, url)
    if name.endswith(".css"):
        return _Document(links=[(m.group(2) or m.group(4), url) for m in _CSS_URL.finditer(text) if not (m.group(2) or m.group(4) or "").startswith("data:")])
    return _Document(links=[(line.split(":", 1)[1].strip(), url) for line in text.splitlines() if line.lower().startswith("sitemap:")])


def _readable(name: str) -> bool:
    return name.endswith((".html", ".htm", ".xml", ".css")) or name == "robots.txt"


def _is_relative(link: str) -> bool:
    return bool(link) and not link.startswith(("/", "#", "?")) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", link)


class _PageParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.document = _Document(html=True)
        self.base = url

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.document.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.document.ids.add(values["name"])
        if tag == "base" and "href" in values:
            self.base = urljoin(self.base, values["href"])
            return
        for attribute, tags in _LINK_ATTRIBUTES.items():
            if tag in tags and attribute in values:
                self.document.links.append((values[attribute], self.base))
        if "srcset" in values and tag in ("img", "source"):
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.document.links.append((candidate.split()[0], self.base))
        if tag == "meta" and (values.get("property") in _META_URLS or values.get("name") in _META_URLS) and "content" in values:
            self.document.links.append((values["content"], self.base))

    handle_startendtag = handle_starttag


def _parse_html(text: str, url: str) -> _Document:
    parser = _PageParser(url)
    parser.feed(text)
    parser.close()
    return parser.document


def _parse_xml(text: str, url: str) -> _Document:
    """Links of an Atom feed (with xml:base, and its entries' HTML) or of a sitemap."""
    document = _Document()
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as error:
        document.error = f"not well-formed XML: {error}"
        return document

    def walk(element: ET.Element, base: str) -> None:
        base = urljoin(base, element.get(_XML_BASE, ""))
        href = element.get("href")
        if element.tag == f"{_ATOM}link" and href is not None:
            document.links.append((href, base))
        elif element.tag == f"{_ATOM}content" and element.get("type") == "html" and element.text:
            document.links.extend(_parse_html(element.text, base).links)
        elif element.tag == f"{_SITEMAPS}loc" and element.text:
            document.links.append((element.text.strip(), base))
        for child in element:
            walk(child, base)

    walk(root, url)
    return document


def _fetch_all(externals: dict[str, list[tuple[str, str]]], timeout: float) -> list[Broken]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        reasons = dict(zip(externals, pool.map(lambda url: _fetch(url, timeout), externals), strict=True))
    broken = []
    for url, reason in reasons.items():
        if reason:
            (page, link), *others = externals[url]
            more = f" (and {len(others)} more)" if others else ""
            broken.append(Broken(page, link, reason + more))
    return broken


def _fetch(url: str, timeout: float) -> str | None:
    """Why an external URL fails, or None when it answers."""
    headers = {"User-Agent": "ssg-check (link checker)"}
    for method in ("HEAD", "GET"):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers, method=method), timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD but answer GET
            return f"HTTP {error.code} {error.reason}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            return f"cannot fetch: {getattr(error, 'reason', error)}"
    return None
