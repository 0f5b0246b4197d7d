"""Atom feeds, the sitemap, robots.txt and GitHub Pages' own files, checked against their schemas."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree

from ssg.routes import FEED_ENTRIES
from tests.support import REPO, piece, read_tree, soup

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://user.github.io/anthology/"


def valid_atom(file: Path) -> etree._Element:
    """The feed's root, after RELAX NG (RFC 4287 Appendix B), the RFC's Schematron rules, and feedparser."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    document = etree.parse(str(file))
    assert schema.validate(document), schema.error_log
    feed = document.getroot()
    entries = feed.findall("a:entry", ATOM)
    # An atom:feed must have an atom:author unless all of its atom:entry children have one.
    assert feed.find("a:author", ATOM) is not None or all(e.find("a:author", ATOM) is not None for e in entries)
    for entry in entries:
        # An atom:entry must have an alternate link (or a link without rel), or an atom:content.
        assert entry.xpath("a:link[@rel='alternate'] or a:link[not(@rel)] or a:content", namespaces=ATOM)
    parsed = feedparser.parse(file.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return feed


def valid_sitemap(file: Path) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    document = etree.parse(str(file))
    assert schema.validate(document), schema.error_log
    return document.getroot()


@pytest.fixture
def built(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams & <Nightmares>"\nauthor = "The Editors"\n',
            "content/lake.md": piece(
                "Lake of Glass",
                "2026-02-14",
                tags="[moonlight, sea]",
                author="Hana Mori",
                summary="A frozen lake.",
                body="The lake was *glass*[^1] & it <em>rang</em>.\n\n![moon](/static/moon.png)\n\n[the ferry](night/ferry.md)\n\n[^1]: Or ice.",
            ),
            "content/night/ferry.md": piece("Night Ferry", "2026-03-01T21:30:00+02:00", tags="[sea]"),
            "content/old.md": piece("Old Dream", "2025-12-01", tags="[moonlight]"),
            "content/secret.md": piece("Secret", "2026-04-01", tags="[sea]", draft="true"),
            "content/static/moon.png": b"png",
        }
    )
    run = ssg("build", "-s", site, "-b", BASE, "--drafts")
    assert run.code == 0, run
    return site / "output"


def test_the_site_feed_is_valid_atom_with_every_piece_newest_first(built):
    feed = valid_atom(built / "feed.xml")
    assert feed.findtext("a:id", namespaces=ATOM) == BASE + "feed.xml"
    assert feed.findtext("a:title", namespaces=ATOM) == "Dreams & <Nightmares>"
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == BASE + "feed.xml"
    assert feed.find("a:link[@rel='alternate']", ATOM).get("href") == BASE
    assert feed.findtext("a:author/a:name", namespaces=ATOM) == "The Editors"
    entries = feed.findall("a:entry", ATOM)
    assert [e.findtext("a:title", namespaces=ATOM) for e in entries] == ["Night Ferry", "Lake of Glass", "Old Dream"]  # no draft
    # updated: the newest piece's date, never the clock
    assert feed.findtext("a:updated", namespaces=ATOM) == "2026-03-01T21:30:00+02:00"


def test_an_entry_has_a_stable_id_its_dates_author_tags_and_full_text(built):
    entry = valid_atom(built / "feed.xml").find("a:entry[a:title='Lake of Glass']", ATOM)
    assert entry.findtext("a:id", namespaces=ATOM) == BASE + "lake/"
    assert entry.find("a:link[@rel='alternate']", ATOM).get("href") == BASE + "lake/"
    assert entry.findtext("a:published", namespaces=ATOM) == entry.findtext("a:updated", namespaces=ATOM) == "2026-02-14T00:00:00Z"
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == "Hana Mori"
    assert [c.get("term") for c in entry.findall("a:category", ATOM)] == ["moonlight", "sea"]
    assert entry.findtext("a:summary", namespaces=ATOM) == "A frozen lake."
    content = entry.find("a:content", ATOM)
    assert content.get("type") == "html"
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == BASE + "lake/"
    html = content.text  # the body, as HTML, escaped once in the XML
    assert "<em>glass</em>" in html and "&amp;" in html and "<em>rang</em>" in html
    assert 'src="https://user.github.io/anthology/static/moon.png"' in html
    assert 'href="https://user.github.io/anthology/ferry/"' in html
    assert 'href="#fn:1"' in html  # resolved against xml:base, on the piece's page
    assert b"&lt;em&gt;glass&lt;/em&gt;" in (built / "feed.xml").read_bytes()


def test_every_tag_has_a_feed_of_its_pieces(built):
    sea = valid_atom(built / "tags/sea/feed.xml")
    assert sea.findtext("a:id", namespaces=ATOM) == BASE + "tags/sea/feed.xml"
    assert sea.find("a:link[@rel='alternate']", ATOM).get("href") == BASE + "tags/sea/"
    assert [e.findtext("a:id", namespaces=ATOM) for e in sea.findall("a:entry", ATOM)] == [BASE + "ferry/", BASE + "lake/"]
    assert valid_atom(built / "tags/moonlight/feed.xml").findtext("a:updated", namespaces=ATOM) == "2026-02-14T00:00:00Z"


def test_pages_link_their_feeds_and_carry_social_meta(built):
    lake = soup(built / "lake/index.html")
    feeds = [link["href"] for link in lake.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feeds == ["/anthology/feed.xml"]
    meta = {m.get("property") or m.get("name"): m["content"] for m in lake.find_all("meta", content=True)}
    assert meta["og:type"] == "article" and meta["og:url"] == BASE + "lake/" and meta["og:title"] == "Lake of Glass"
    assert meta["og:description"] == "A frozen lake." and meta["og:site_name"] == "Dreams & <Nightmares>"
    assert meta["twitter:card"] == "summary" and meta["twitter:title"] == "Lake of Glass"
    assert lake.find("link", rel="canonical")["href"] == BASE + "lake/"
    tag = soup(built / "tags/sea/index.html")
    assert [link["href"] for link in tag.find_all("link", rel="alternate", type="application/atom+xml")] == ["/anthology/feed.xml", "/anthology/tags/sea/feed.xml"]
    assert {m.get("property"): m["content"] for m in tag.find_all("meta", property=True)}["og:type"] == "website"


def test_the_sitemap_lists_every_published_page_with_dates_from_content(built):
    urls = {url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP) for url in valid_sitemap(built / "sitemap.xml").findall("s:url", SITEMAP)}
    assert urls == {
        BASE: "2026-03-01T21:30:00+02:00",
        BASE + "old/": "2025-12-01",
        BASE + "lake/": "2026-02-14",
        BASE + "ferry/": "2026-03-01T21:30:00+02:00",
        BASE + "night/": "2026-03-01T21:30:00+02:00",
        BASE + "first-lines/": "2026-03-01T21:30:00+02:00",
        BASE + "contributors/": "2026-03-01T21:30:00+02:00",
        BASE + "contributors/hana-mori/": "2026-02-14",
        BASE + "contributors/the-editors/": "2026-03-01T21:30:00+02:00",
        BASE + "colophon/": "2026-03-01T21:30:00+02:00",
        BASE + "tags/": "2026-03-01T21:30:00+02:00",
        BASE + "tags/moonlight/": "2026-02-14",
        BASE + "tags/sea/": "2026-03-01T21:30:00+02:00",
    }  # not the draft, not 404.html


def test_robots_points_at_the_sitemap_and_github_pages_files_are_there(built):
    assert (built / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    assert (built / ".nojekyll").read_bytes() == b""
    assert not (built / "CNAME").exists()


def test_a_feed_carries_the_newest_pieces_only(make_site, ssg):
    files = {f"content/p{n:02}.md": piece(f"Piece {n}", f"2026-01-01T{n // 60:02}:{n % 60:02}:00Z", tags="[mist]") for n in range(FEED_ENTRIES + 5)}
    site = make_site(files)
    assert ssg("build", "-s", site, "-b", "https://dreams.example.org/").code == 0
    for name in ("feed.xml", "tags/mist/feed.xml"):
        entries = valid_atom(site / "output" / name).findall("a:entry", ATOM)
        assert len(entries) == FEED_ENTRIES
        assert entries[0].findtext("a:title", namespaces=ATOM) == f"Piece {FEED_ENTRIES + 4}"


def test_an_empty_site_has_a_valid_feed_with_a_fixed_date(make_site, ssg):
    site = make_site({})
    assert ssg("build", "-s", site, "-b", "https://dreams.example.org/").code == 0
    feed = valid_atom(site / "output/feed.xml")
    assert feed.findtext("a:updated", namespaces=ATOM) == "1970-01-01T00:00:00Z"
    assert feed.findtext("a:author/a:name", namespaces=ATOM) == "Dreams"  # the title, when no author is set
    valid_sitemap(site / "output/sitemap.xml")


def test_feeds_and_sitemap_are_the_same_bytes_on_every_build(make_site, ssg, tmp_path):
    site = make_site({"content/a.md": piece("A", tags="[mist]"), "content/b.md": piece("B", "2026-02-01")})
    for name in ("one", "two"):
        assert ssg("build", "-s", site, "-b", BASE, "-o", tmp_path / name).code == 0
    one, two = read_tree(tmp_path / "one"), read_tree(tmp_path / "two")
    assert one == two and {"feed.xml", "tags/mist/feed.xml", "sitemap.xml", "robots.txt"} <= one.keys()


def test_a_custom_domain_writes_cname(make_site, ssg):
    site = make_site({"pyproject.toml": '[tool.ssg]\ncname = "dreams.example.org"\nbase_url = "https://dreams.example.org/"\n', "content/a.md": piece("A")})
    assert ssg("build", "-s", site).code == 0
    assert (site / "output/CNAME").read_text() == "dreams.example.org\n"
    assert (site / "output/robots.txt").read_text().endswith("Sitemap: https://dreams.example.org/sitemap.xml\n")


@pytest.mark.parametrize(
    ("cname", "base_url", "message"),
    [
        ("https://dreams.example.org/", "/", "pyproject.toml:2: 'cname' must be a host name such as 'dreams.example.org' (got 'https://dreams.example.org/')"),
        ("dreams", "/", "pyproject.toml:2: 'cname' must be a host name"),
        ("dreams.example.org", "https://user.github.io/anthology/", "pyproject.toml:2: 'cname' is 'dreams.example.org' but base_url is on 'user.github.io'"),
    ],
)
def test_a_wrong_cname_is_an_error_at_its_line(make_site, ssg, cname, base_url, message):
    site = make_site({"pyproject.toml": f'[tool.ssg]\ncname = "{cname}"\nbase_url = "{base_url}"\n', "content/a.md": piece("A")})
    run = ssg("build", "-s", site)
    assert run.code == 1 and run.err.startswith(message), run.err


def test_the_anthology_feeds_and_sitemap_are_valid(ssg, tmp_path):
    assert ssg("build", "-s", REPO, "-b", BASE, "-o", tmp_path / "out").code == 0
    out = tmp_path / "out"
    feeds = sorted(out.rglob("feed.xml"))
    assert len(feeds) > 5
    for feed in feeds:
        valid_atom(feed)
    assert len(valid_sitemap(out / "sitemap.xml").findall("s:url", SITEMAP)) == len(list(out.rglob("index.html"))) - 1  # not /search/: it shows nothing of its own
