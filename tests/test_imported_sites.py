"""Sites brought over from Hugo and Jekyll build as they are: each fixture site of tests/sites/ is
copied as a writer would copy it, built with the real command line, and read back as a reader sees it,
against what its EXPECTED.toml says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import pytest

from tests.support import soup

SITES = Path(__file__).parent / "sites"
NAMES = ("hugo-seasons", "jekyll-verse")
EXPECTED = {name: tomllib.loads((SITES / name / "EXPECTED.toml").read_text(encoding="utf-8")) for name in NAMES}


def cases(kind: str, label=lambda item: item["source"]) -> list:
    """One test case a item of `kind` in every site's EXPECTED.toml."""
    return [pytest.param(name, item, id=f"{name}:{label(item)}") for name in NAMES for item in EXPECTED[name].get(kind, [])]


def reader_text(text: str) -> str:
    """Text as compared here: typographic apostrophes and no-break spaces made plain, spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\xa0", " ")).strip()


@dataclass
class Built:
    site: Path
    code: int
    err: str
    pages: dict[str, object] = field(default_factory=dict)
    """URL path (``/poems/ariane/``, ``/2019/lake.html``) → parsed page, for every HTML file of output/."""

    @property
    def output(self) -> Path:
        return self.site / "output"

    def pieces_titled(self, title: str) -> list[str]:
        return [url for url, page in self.pages.items() if (h1 := page.select_one("h1.piece-title")) and h1.get_text(strip=True) == title]

    def url_of(self, source: str) -> str:
        """The URL of the one page of the piece published from source (its title from EXPECTED)."""
        title = next(item["title"] for item in EXPECTED[self.site.name]["published"] if item["source"] == source)
        urls = self.pieces_titled(title)
        assert len(urls) == 1, (title, urls)
        return urls[0]


def url_path(output: Path, file: Path) -> str:
    relative = file.relative_to(output).as_posix()
    if relative == "index.html":
        return "/"
    return "/" + (relative.removesuffix("index.html") if relative.endswith("/index.html") else relative)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Built]:
    """Each fixture site copied into a fresh folder and built once with `ssg build -s <copy>`."""
    sites = {}
    for name in NAMES:
        site = tmp_path_factory.mktemp("imported") / name
        shutil.copytree(SITES / name, site)
        run = subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(site)], capture_output=True, text=True, timeout=120)
        result = Built(site, run.returncode, run.stderr)
        if (site / "output").is_dir():
            result.pages = {url_path(site / "output", file): soup(file) for file in sorted((site / "output").rglob("*.html"))}
        sites[name] = result
    return sites


@pytest.mark.parametrize("name", NAMES)
def test_the_site_builds_as_it_is(built, name):
    site = built[name]
    assert site.code == 0, site.err
    assert "Traceback" not in site.err
    assert site.pages


def first_stanza_lines(page) -> int:
    """How many lines the first stanza of a piece shows: verse's `.line`s, or prose's breaks."""
    body = page.select_one(".piece-body")
    stanza = body.select_one(".stanza") or body.find("p")
    lines = stanza.select(".line")
    return len(lines) if lines else len(stanza.find_all("br")) + 1


@pytest.mark.parametrize("name, item", cases("published"))
def test_a_published_piece_has_one_page_with_its_title_and_first_stanza(built, name, item):
    site = built[name]
    urls = site.pieces_titled(item["title"])
    assert len(urls) == 1, f"{item['title']!r} is the title of the pages {urls}"
    page = site.pages[urls[0]]
    body = page.select_one(".piece-body")
    assert reader_text(item["first_line"]) in reader_text(body.get_text())
    if item["lines"]:
        assert first_stanza_lines(page) == item["lines"], body


def front_matter_title(file: Path) -> str:
    return re.search(r'^title\s*[:=]\s*"?(.+?)"?\s*$', file.read_text(encoding="utf-8"), re.MULTILINE).group(1)


@pytest.mark.parametrize("name, item", cases("unpublished"))
def test_an_unpublished_piece_is_nowhere_in_the_output(built, name, item):
    site = built[name]
    title = front_matter_title(site.site / item["source"])
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", Path(item["source"]).stem)
    showing = [file.relative_to(site.output).as_posix() for file in site.output.rglob("*") if file.is_file() and title in file.read_text(encoding="utf-8", errors="replace")]
    assert showing == [], f"{title!r} ({item['why']}) is in {showing}"
    assert not [file for file in site.output.rglob("*") if slug in file.as_posix()]


@pytest.mark.parametrize("name, item", cases("links", lambda item: f"{item['from']}:{item['line']}"))
def test_a_link_points_to_its_target_piece(built, name, item):
    site = built[name]
    page = site.pages[site.url_of(item["from"])]
    hrefs = [a.get("href") for a in page.select(".piece-body a")]
    assert site.url_of(item["to"]) in hrefs, f"{item['written']!r} became {hrefs}"


@pytest.mark.parametrize("name, item", cases("aliases", lambda item: item["alias"]))
def test_an_alias_is_a_redirect_to_its_piece(built, name, item):
    site = built[name]
    alias = item["alias"] if item["alias"].endswith(".html") else item["alias"].rstrip("/") + "/"
    page = site.pages[alias]
    url = site.url_of(item["source"])
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={url}"
    assert page.find("link", rel="canonical")["href"].endswith(url)
    assert page.find("a", href=url) is not None


def section_url(source: str) -> str:
    return "/" + str(Path(source).parent.relative_to("content").as_posix()) + "/"


def title_of(name: str, source: str) -> str:
    return next(item["title"] for item in EXPECTED[name]["published"] if item["source"] == source)


@pytest.mark.parametrize("name, item", cases("sections"))
def test_a_section_has_its_page_its_order_and_its_feed(built, name, item):
    site = built[name]
    page = site.pages[section_url(item["source"])]
    assert page.select_one("h1.page-title").get_text(strip=True) == item["title"]
    if "description" in item:
        assert page.select_one(".lede").get_text(strip=True) == item["description"]
    listed = [a.get_text(strip=True) for a in page.select(".contents .toc-title")]
    if "pieces" in item:
        assert listed == [title_of(name, source) for source in item["pieces"]]
    feed = feedparser.parse((site.output / section_url(item["source"]).lstrip("/") / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert sorted(entry.title for entry in feed.entries) == sorted(listed)


@pytest.mark.parametrize("name", [name for name in NAMES if EXPECTED[name].get("sections")])
def test_sections_come_in_their_order_on_the_home_page(built, name):
    site = built[name]
    home = site.pages["/"]
    headings = []
    for heading in home.select(".part-title a"):
        above = "".join(part.get_text() for part in heading.select(".part-above, .sep"))
        headings.append(heading.get_text().removeprefix(above).strip())
    sections = EXPECTED[name]["sections"]
    assert headings == [section["title"] for section in sections if section.get("pieces")]
    tops = [a.get_text(strip=True) for a in home.select(".parts > ul > li > a")]
    assert tops == [section["title"] for section in sections if "parent" not in section]


@pytest.mark.parametrize(
    "name, item",
    # A link tag ({% post_url %}, {{< ref >}}) is resolved as a link (see the links' test), not left out with a warning.
    [case for case in cases("shortcodes", lambda item: f"{item['source']}:{item['line']}") if case.values[1]["kind"] != "link"],
)
def test_a_shortcode_or_liquid_tag_left_out_is_a_warning_at_its_line(built, name, item):
    site = built[name]
    assert f"{item['source']}:{item['line']}: warning: " in site.err
    warning = next(line for line in site.err.splitlines() if line.startswith(f"{item['source']}:{item['line']}: warning: "))
    assert item["name"].split(".")[0] in warning


@pytest.mark.parametrize("name", NAMES)
def test_no_page_shows_template_code_or_front_matter(built, name):
    for url, page in built[name].pages.items():
        main = page.find("main")
        text = main.get_text() if main else page.get_text()
        assert "{{" not in text and "{%" not in text, url
        assert "+++" not in text, url
        assert not re.search(r"^\s*---\s*$", text, re.MULTILINE), url
        assert not re.search(r"\\\s*$", text, re.MULTILINE), url
        assert " \\" not in text, url


@pytest.mark.parametrize("name, item", cases("conventions", lambda item: f"{item['source']}:{item['kind']}"))
def test_a_verse_convention_keeps_its_stanzas(built, name, item):
    site = built[name]
    page = site.pages[site.url_of(item["source"])]
    body = page.select_one(".piece-body")
    # In prose a written break ("\\*", "* * *") is a paragraph of its own with no words: not a stanza.
    stanzas = body.select(".stanza") or [p for p in body.find_all("p") if re.search(r"\w", p.get_text())]
    counts = [len(stanza.select(".line")) or len(stanza.find_all("br")) + 1 for stanza in stanzas]
    assert counts == item["stanzas"], body


@pytest.mark.parametrize("name, item", cases("escapes", lambda item: f"{item['source']}:{item['line']}"))
def test_an_escape_shows_the_character_alone(built, name, item):
    site = built[name]
    text = reader_text(site.pages[site.url_of(item["source"])].select_one(".piece-body").get_text())
    assert reader_text(item["rendered"]) in text
