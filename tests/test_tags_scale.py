"""A piece with many tags and a tag with many pieces (issue 16): what a reader sees stays a handful a piece, and a tag's pages each list their own."""

from __future__ import annotations

from lxml import etree

from tests.support import piece, soup

ATOM = {"a": "http://www.w3.org/2005/Atom"}
TAGS = [f"tag {number:02d}" for number in range(1, 41)]
"""Forty tags, in the piece's own order."""
CARD_LAYOUT = """{% extends "base.html" %}
{% block content %}{% for piece in pieces %}{% include "partials/piece-card.html" %}{% endfor %}{% endblock %}
"""


def many_tags_site(make_site, **files: str):
    return make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\nbase_url = "https://example.org/"\n',
            "content/many.md": piece("Many", "2026-01-02", tags="[" + ", ".join(TAGS) + "]"),
            "content/few.md": piece("Few", "2026-01-01", tags="[tag 01, tag 40]"),
            **files,
        }
    )


def chip_names(element) -> list[str]:
    return [a.get_text() for a in element.select("a.chip")]


def test_a_piece_page_shows_a_dozen_tags_and_the_others_behind_more_every_one_a_link(make_site, ssg):
    site = many_tags_site(make_site)
    assert ssg("build", "-s", site).code == 0
    head = soup(site / "output/many/index.html").select_one(".piece-head")
    assert chip_names(head.find("ul", class_="chips", recursive=False)) == TAGS[:12]
    more = head.select_one("details.more-tags")
    assert more.summary.get_text() == "+28 more"
    assert chip_names(more) == TAGS[12:]
    for link in head.select("a.chip"):
        assert (site / "output" / link["href"].strip("/") / "index.html").is_file()


def test_a_piece_with_a_dozen_tags_has_no_more(make_site, ssg):
    site = make_site({"content/twelve.md": piece("Twelve", tags="[" + ", ".join(TAGS[:12]) + "]")})
    assert ssg("build", "-s", site).code == 0
    head = soup(site / "output/twelve/index.html").select_one(".piece-head")
    assert chip_names(head) == TAGS[:12] and head.select_one("details") is None


def test_a_french_piece_page_says_more_in_french(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\nlanguage = "fr"\n',
            "content/many.md": piece("Beaucoup", tags="[" + ", ".join(TAGS[:14]) + "]"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    assert soup(site / "output/many/index.html").select_one("details.more-tags summary").get_text() == "+2 autres"


def test_a_card_in_a_listing_shows_a_handful_of_tags_and_more_leads_to_the_piece(make_site, ssg):
    site = many_tags_site(make_site, **{"layouts/tag.html": CARD_LAYOUT})
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/tags/tag-40/index.html")
    few, many = page.select("article.card")  # in reading order: by date
    assert chip_names(many) == [*TAGS[:5], "+35 more"]
    assert many.select_one("a.chip-more")["href"] == "/many/"
    assert chip_names(few) == ["tag 01", "tag 40"] and few.select_one(".chip-more") is None


def test_a_feed_entry_names_the_first_dozen_tags_in_every_feed_it_is_in(make_site, ssg):
    site = many_tags_site(make_site)
    assert ssg("build", "-s", site).code == 0
    for feed in ("feed.xml", "tags/tag-01/feed.xml", "tags/tag-40/feed.xml"):
        entries = etree.parse(str(site / "output" / feed)).getroot().findall("a:entry", ATOM)
        terms = {entry.findtext("a:title", namespaces=ATOM): [c.get("term") for c in entry.findall("a:category", ATOM)] for entry in entries}
        assert terms["Many"] == TAGS[:12], feed
        if "Few" in terms:
            assert terms["Few"] == ["tag 01", "tag 40"]


def test_a_tag_of_120_pieces_has_three_pages_each_listing_its_own_in_reading_order(make_site, ssg):
    files = {"pyproject.toml": "[tool.ssg]\nper_page = 50\n"}
    titles = [f"Mist {number:03d}" for number in range(120)]
    for number, title in enumerate(titles):
        files[f"content/mist-{number:03d}.md"] = piece(title, f"2025-{1 + number // 28:02d}-{1 + number % 28:02d}", tags="[mist]")
    site = make_site(files)
    assert ssg("build", "-s", site).code == 0
    listed = []
    for url, count in (("tags/mist/", 50), ("tags/mist/page/2/", 50), ("tags/mist/page/3/", 20)):
        page = soup(site / "output" / url / "index.html")
        titles_here = [a.get_text() for a in page.select("a.toc-title")]
        assert len(titles_here) == count, url
        listed += titles_here
    assert listed == titles
    assert not (site / "output/tags/mist/page/4").exists()
    last = soup(site / "output/tags/mist/page/3/index.html")
    assert last.select_one(".page-of").get_text() == "Page 3 of 3" and last.select_one(".page-next") is None
