"""Links written by authors: to pieces by their source file, to static files and pages; broken ones at their line."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssg.urls import split_url
from tests.support import piece, soup

BASE = "https://user.github.io/anthology/"


def links_of(page) -> dict[str, str]:
    """Text (or alt) → href (or src) of the links and images in a piece's body."""
    body = page.find(class_="piece-body") or page.find("main")
    found = {a.get_text(strip=True): a["href"] for a in body.find_all("a", href=True)}
    found.update({img["alt"]: img["src"] for img in body.find_all("img", src=True)})
    return found


def test_links_to_pieces_and_static_files_become_their_urls_under_the_base(make_site, ssg):
    site = make_site(
        {
            "content/lake-of-glass.md": piece("Lake of Glass", slug="the-lake", body="## The shore\n\nIce."),
            "content/night/ferry.md": piece(
                "Night Ferry",
                body=(
                    "[the lake](../lake-of-glass.md) and [its shore](/lake-of-glass.md#the-shore), "
                    "[the porter](porter.md), [back here](ferry.md?x=1#deck).\n\n"
                    "![moon](/static/moon.png) ![stars](static/img/stars.png)\n\n"
                    "[mist](/tags/mist/) [mist again](/tags/mist) [contents](/) [feed](/feed.xml)\n\n"
                    "[away](https://example.org/x.md) [mail](mailto:me@example.org) [note](#deck) `[code](nowhere.md)`\n\n"
                    "## Deck"
                ),
                tags="[mist]",
            ),
            "content/night/porter.md": piece("The Porter"),
            "content/static/moon.png": b"png",
            "content/static/img/stars.png": b"png",
        }
    )
    run = ssg("build", "-s", site, "-b", BASE)
    assert run.code == 0, run
    assert links_of(soup(site / "output/ferry/index.html")) == {
        "the lake": "/anthology/the-lake/",
        "its shore": "/anthology/the-lake/#the-shore",
        "the porter": "/anthology/porter/",
        "back here": "/anthology/ferry/?x=1#deck",
        "moon": "/anthology/static/moon.png",
        "stars": "/anthology/static/img/stars.png",
        "mist": "/anthology/tags/mist/",
        "mist again": "/anthology/tags/mist/",
        "contents": "/anthology/",
        "feed": "/anthology/feed.xml",
        "away": "https://example.org/x.md",
        "mail": "mailto:me@example.org",
        "note": "#deck",
    }
    assert "<code>[code](nowhere.md)</code>" in (site / "output/ferry/index.html").read_text()
    assert ssg("check", "-s", site, "-b", BASE).code == 0


def test_links_follow_a_piece_when_its_slug_changes(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", body="[to b](b.md)"),
            "content/b.md": piece("B"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    assert links_of(soup(site / "output/a/index.html"))["to b"] == "/b/"
    (site / "content/b.md").write_text(piece("B", slug="bee"), encoding="utf-8")
    assert ssg("build", "-s", site).code == 0
    assert links_of(soup(site / "output/a/index.html"))["to b"] == "/bee/"


def test_links_in_the_welcome_and_raw_html_are_rewritten(make_site, ssg):
    site = make_site(
        {
            "content/_index.md": "Start with [the lake](lake.md).\n",
            "content/lake.md": piece("Lake", body='<a href=\'night.md\'>raw</a> <img alt="m" src="static/m.png">'),
            "content/night.md": piece("Night"),
            "content/static/m.png": b"png",
        }
    )
    assert ssg("build", "-s", site, "-b", "/dreams/").code == 0
    home = soup(site / "output/index.html")
    assert home.find(class_="welcome").find("a")["href"] == "/dreams/lake/"
    assert links_of(soup(site / "output/lake/index.html")) == {"raw": "/dreams/night/", "m": "/dreams/static/m.png"}


def test_a_broken_link_fails_the_build_at_its_line(make_site, ssg):
    site = make_site(
        {
            "content/night/ferry.md": piece("Ferry", body="First line.\n\nSee [the lake](lake-of-glas.md).\n\n![moon](/static/moon.png)\n\n[tags](/tagz/)"),
            "content/lake-of-glass.md": piece("Lake"),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert run.err.splitlines()[:6] == [
        "content/night/ferry.md:8: broken link 'lake-of-glas.md'",
        "  hint: there is no piece content/night/lake-of-glas.md; did you mean '../lake-of-glass.md' (content/lake-of-glass.md)? (paths are relative to the piece's folder, or to content/ with a leading /)",
        "content/night/ferry.md:10: broken link '/static/moon.png'",
        "  hint: link a piece by its file (lake-of-glass.md), a static file under content/static/ as /static/name, or a page by its path (/tags/mist/)",
        "content/night/ferry.md:12: broken link '/tagz/'",
        "  hint: link a piece by its file (lake-of-glass.md), a static file under content/static/ as /static/name, or a page by its path (/tags/mist/)",
    ]
    assert not (site / "output").exists()


def test_no_strict_makes_broken_links_warnings(make_site, ssg):
    site = make_site({"content/a.md": piece("A", body="[gone](gone.md) and [gone again](gone.md)\n\n[gone](gone.md)")})
    run = ssg("build", "-s", site, "--no-strict")
    assert run.code == 0, run
    assert run.err.count("warning: broken link 'gone.md'") == 3
    assert "content/a.md:6: warning" in run.err and "content/a.md:8: warning" in run.err
    assert links_of(soup(site / "output/a/index.html"))["gone"] == "gone.md"  # left as written


def test_a_link_to_a_draft_says_why_it_is_missing(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", body="[soon](b.md)"),
            "content/b.md": piece("B", draft="true"),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/a.md:6: broken link 'b.md'" in run.err
    assert "content/b.md is a draft, left out of this build: build with --drafts" in run.err
    assert ssg("build", "-s", site, "--drafts").code == 0


def test_a_link_cannot_climb_out_of_the_content_folder(make_site, ssg):
    site = make_site({"content/a.md": piece("A", body="[up](../pyproject.toml)")})
    run = ssg("build", "-s", site)
    assert run.code == 1 and "broken link '../pyproject.toml'" in run.err and "climbs out of the content folder" in run.err


def test_a_reference_link_is_placed_at_its_definition(make_site, ssg):
    site = make_site({"content/a.md": piece("A", body="See [the lake][lake].\n\n[lake]: nowhere.md")})
    run = ssg("build", "-s", site)
    assert "content/a.md:8: broken link 'nowhere.md'" in run.err


def test_a_fragment_may_hold_a_question_mark_and_follow_a_query(make_site, ssg):
    site = make_site(
        {
            "content/lake.md": piece("Lake", body="## Why? {#why?}\n\nBecause.\n\n## Y\n\nYes."),
            "content/a.md": piece("A", body="[see](lake.md#why?) [query](lake.md?x=1#y) [both](/lake.md?a=1&b=2#why?) [spaced](<lake.md#a b>)"),
        }
    )
    assert ssg("build", "-s", site, "--no-strict").code == 0
    assert links_of(soup(site / "output/a/index.html")) == {
        "see": "/lake/#why?",
        "query": "/lake/?x=1#y",
        "both": "/lake/?a=1&b=2#why?",
        "spaced": "/lake/#a%20b",
    }
    (site / "content/a.md").write_text(piece("A", body="[see](lake.md#why?) [query](lake.md?x=1#y)"), encoding="utf-8")
    assert ssg("build", "-s", site).code == 0
    run = ssg("check", "-s", site)
    assert run.code == 0, run


@given(st.text(alphabet="ab/.?#=&é%", max_size=20).filter(lambda url: not url.startswith("//")))
def test_the_one_url_splitter_cuts_as_urlsplit_does(url):
    path, query, fragment = split_url(url)
    assert path + query + fragment == url
    assert (path, query[1:], fragment[1:]) == tuple(urlsplit(url))[2:]


@pytest.mark.parametrize(
    ("url", "cut"),
    [
        ("lake.md?x=1#why", ("lake.md", "?x=1", "#why")),
        ("lake.md#why?x=1", ("lake.md", "", "#why?x=1")),  # a '?' after the '#' is the fragment's
        ("lake.md?a=1#b?c#d", ("lake.md", "?a=1", "#b?c#d")),  # only the first '#' cuts
        ("lake.md?#", ("lake.md", "?", "#")),  # empty marks are kept: the three join back to the link
        ("#top", ("", "", "#top")),
        ("?page=2", ("", "?page=2", "")),
    ],
)
def test_a_url_is_cut_into_its_path_then_query_then_fragment(url, cut):
    assert split_url(url) == cut
