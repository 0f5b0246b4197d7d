"""The anthology as a book: contributors and their pages, the contents with numerals and moods, each
piece's place, "Also by", the end of the book, and the colophon (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.support import failed_build, piece, soup

ATOM = {"a": "http://www.w3.org/2005/Atom"}

TOGETHER = piece("Two Voices", "2026-01-03", "We dreamt one dream between us.", authors="[Anna Lee, Ben Ito]", translator="Chiara Neri")
ALONE = piece("Salt Stairs", "2026-01-01", "The stairs went down to where the salt was singing.", author="Anna Lee")
TRANSLATED = piece("Moth Lantern", "2026-01-02", "The moth carried the lantern home.", author="Dora Vale", translators="[Chiara Neri]")
SETTINGS = """\
[tool.ssg]
title = "Night Book"

[tool.ssg.contributors."Anna Lee"]
bio = "Anna Lee writes down her dreams at dawn."
url = "https://annalee.example/"
"""


def built(ssg, site: Path) -> Path:
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    return site / "output"


def text(tag) -> str:
    return " ".join(tag.get_text().split())


def hrefs(tag) -> list[str]:
    return [a["href"] for a in tag.find_all("a", href=True)]


def toc(page) -> list[dict]:
    """The lines of a page's contents, as a reader sees them."""
    lines = []
    for entry in page.select("main .toc-entry"):
        number = entry.select_one(".toc-number")
        mood = entry.select_one(".toc-mood")
        lines.append(
            {
                "numeral": number.find(attrs={"aria-hidden": "true"}).get_text(strip=True),
                "figure": number.select_one(".visually-hidden").get_text(strip=True),
                "title": entry.select_one(".toc-title").get_text(strip=True),
                "href": entry.select_one(".toc-title")["href"],
                "authors": [(a.get_text(strip=True), a["href"]) for a in entry.select(".toc-meta a.author")],
                "mood": mood.get_text(strip=True) if mood else None,
            }
        )
    return lines


def numbered(count: int, **fields: str) -> dict[str, str]:
    """count pieces p01…, dated a day apart, so that reading order is p01 first."""
    return {f"content/p{n:02}.md": piece(f"Piece {n:02}", f"2026-01-{n:02}", f"Dream number {n}.", **fields) for n in range(1, count + 1)}


# Contributors


def test_two_authors_and_a_translator_are_credited_on_the_piece_each_linked_to_their_page(make_site, ssg):
    out = built(ssg, make_site({"content/two-voices.md": TOGETHER}))
    meta = soup(out / "two-voices/index.html").select_one("main .meta")
    assert text(meta).startswith("Anna Lee and Ben Ito, translated by Chiara Neri")
    assert [(a.get_text(strip=True), a["href"]) for a in meta.select("a.author")] == [("Anna Lee", "/contributors/anna-lee/"), ("Ben Ito", "/contributors/ben-ito/")]
    assert [(a.get_text(strip=True), a["href"]) for a in meta.select("a.translator")] == [("Chiara Neri", "/contributors/chiara-neri/")]
    for slug in ("anna-lee", "ben-ito", "chiara-neri"):
        assert (out / f"contributors/{slug}/index.html").is_file(), slug


def test_a_contributor_page_lists_their_pieces_then_their_translations_in_reading_order(make_site, ssg):
    out = built(ssg, make_site({"content/two-voices.md": TOGETHER, "content/salt-stairs.md": ALONE, "content/moth.md": TRANSLATED}))
    anna = soup(out / "contributors/anna-lee/index.html")
    assert anna.find("h1").get_text(strip=True) == "Anna Lee"
    assert [line["title"] for line in toc(anna)] == ["Salt Stairs", "Two Voices"]  # by date: the 1st, then the 3rd
    assert "Translated" not in text(anna.find("main"))
    assert [line["title"] for line in toc(soup(out / "contributors/ben-ito/index.html"))] == ["Two Voices"]
    chiara = soup(out / "contributors/chiara-neri/index.html")
    sections = chiara.select("main section.contents")
    assert [section.find("h2").get_text(strip=True) for section in sections] == ["Translated"]
    assert [line["title"] for line in toc(sections[0])] == ["Moth Lantern", "Two Voices"]
    dora = soup(out / "contributors/dora-vale/index.html")
    assert [section.find("h2").get_text(strip=True) for section in dora.select("main section.contents")] == ["1 piece"]


def test_the_contributors_list_is_sorted_by_name_with_each_ones_count(make_site, ssg):
    out = built(ssg, make_site({"content/two-voices.md": TOGETHER, "content/salt-stairs.md": ALONE, "content/moth.md": TRANSLATED, "content/zebra.md": piece("Zebra Night", author="aaron Zed")}))
    page = soup(out / "contributors/index.html")
    entries = page.select("main .contributor-entry")
    names = [entry.select_one(".contributor-name a").get_text(strip=True) for entry in entries]
    assert names == ["aaron Zed", "Anna Lee", "Ben Ito", "Chiara Neri", "Dora Vale"]
    counts = [entry.select_one(".contributor-count").get_text(strip=True) for entry in entries]
    assert counts == ["1 piece", "2 pieces", "1 piece", "2 pieces", "1 piece"]  # translations count
    assert entries[1].select_one(".contributor-name a")["href"] == "/contributors/anna-lee/"


def test_a_bio_and_a_url_from_the_settings_are_shown_the_url_as_a_link(make_site, ssg):
    out = built(ssg, make_site({"pyproject.toml": SETTINGS, "content/salt-stairs.md": ALONE, "content/moth.md": TRANSLATED}))
    anna = soup(out / "contributors/anna-lee/index.html")
    head = anna.select_one("main .page-head")
    assert "Anna Lee writes down her dreams at dawn." in text(head)
    link = head.find("a", href="https://annalee.example/")
    assert link is not None and link.get_text(strip=True) == "annalee.example"
    listing = soup(out / "contributors/index.html")
    assert [text(bio) for bio in listing.select("main .bio")] == ["Anna Lee writes down her dreams at dawn."]
    dora = soup(out / "contributors/dora-vale/index.html")
    assert dora.select_one("main .lede") is None and dora.select_one("main .contributor-link") is None


def test_also_by_names_the_authors_other_pieces_never_the_piece_itself(make_site, ssg):
    files = numbered(7, author="Anna Lee")
    files["content/moth.md"] = TRANSLATED
    out = built(ssg, make_site(files))
    also = soup(out / "p03/index.html").select_one("main .also-by")
    assert also is not None
    assert also.find("h2").get_text(" ", strip=True) == "Also by Anna Lee"
    assert also.find("h2").find("a")["href"] == "/contributors/anna-lee/"
    listed = [a["href"] for a in also.select(".also-list a")]
    assert listed == ["/p01/", "/p02/", "/p04/", "/p05/", "/p06/"]  # up to five, in reading order, without p03
    assert "/p03/" not in listed
    assert soup(out / "moth/index.html").select_one(".also-by") is None  # Dora Vale wrote nothing else


def test_also_by_is_absent_when_the_author_has_no_other_piece(make_site, ssg):
    out = built(ssg, make_site({"content/salt-stairs.md": ALONE, "content/moth.md": TRANSLATED}))
    for slug in ("salt-stairs", "moth"):
        page = soup(out / f"{slug}/index.html")
        assert page.select_one(".also-by") is None, slug
        assert "Also by" not in text(page), slug


# Contents, place, end of the book


def test_home_contents_number_pieces_in_reading_order_weight_first_and_the_piece_shows_its_place(make_site, ssg):
    files = {
        "content/a.md": piece("Apple Moon", "2026-01-01", author="Anna Lee", tags="[mist]"),
        "content/b.md": piece("Blue Ferry", "2026-01-02"),
        "content/c.md": piece("Cedar Clock", "2026-01-03", weight="1"),
        "content/d.md": piece("Dune Letter", "2026-01-04", weight="2"),
    }
    out = built(ssg, make_site(files))
    lines = toc(soup(out / "index.html"))
    assert [line["title"] for line in lines] == ["Cedar Clock", "Dune Letter", "Apple Moon", "Blue Ferry"]
    assert [line["numeral"] for line in lines] == ["I", "II", "III", "IV"]
    assert [line["figure"] for line in lines] == ["1.", "2.", "3.", "4."]
    apple = lines[2]
    assert apple["authors"] == [("Anna Lee", "/contributors/anna-lee/")]
    assert apple["mood"] == "mist"
    assert lines[1]["mood"] is None and lines[1]["authors"] == []
    place = soup(out / "a/index.html").select_one("main .place")
    assert place.find(attrs={"aria-hidden": "true"}).get_text(strip=True) == "III of IV"
    assert place.select_one(".visually-hidden").get_text(strip=True) == "Piece 3 of 4"


def test_a_piece_numbers_as_the_book_does_vii_of_xiv(make_site, ssg):
    out = built(ssg, make_site(numbered(14)))
    place = soup(out / "p07/index.html").select_one("main .place")
    assert place.find(attrs={"aria-hidden": "true"}).get_text(strip=True) == "VII of XIV"
    assert place.select_one(".visually-hidden").get_text(strip=True) == "Piece 7 of 14"
    assert toc(soup(out / "index.html"))[13]["numeral"] == "XIV"


def test_section_and_contributor_contents_keep_the_pieces_number_in_the_book(make_site, ssg):
    files = {
        "content/first.md": piece("First Light", "2026-01-01", author="Anna Lee"),
        "content/night/_index.md": "---\ntitle: Night\n---\n",
        "content/night/owl.md": piece("Owl Hours", "2026-01-02", author="Anna Lee", tags="[moonlight]"),
    }
    out = built(ssg, make_site(files))
    night = toc(soup(out / "night/index.html"))
    assert [(line["numeral"], line["title"], line["mood"]) for line in night] == [("II", "Owl Hours", "moonlight")]
    anna = toc(soup(out / "contributors/anna-lee/index.html"))
    assert [(line["numeral"], line["title"]) for line in anna] == [("I", "First Light"), ("II", "Owl Hours")]


def test_a_tag_with_twelve_pieces_is_one_page_in_reading_order(make_site, ssg):
    files = numbered(12, tags="[moonlight]")
    files["content/p05.md"] = piece("Piece 05", "2026-01-05", "Dream number 5.", tags="[moonlight]", weight="1")
    out = built(ssg, make_site(files))
    assert not (out / "tags/moonlight/page/2").exists()
    lines = toc(soup(out / "tags/moonlight/index.html"))
    assert [line["href"] for line in lines] == ["/p05/"] + [f"/p{n:02}/" for n in range(1, 13) if n != 5]
    assert [line["numeral"] for line in lines][:3] == ["I", "II", "III"]
    assert all(line["mood"] == "moonlight" for line in lines)


def test_the_last_piece_ends_the_book_and_every_piece_links_to_the_contents(make_site, ssg):
    out = built(ssg, make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\n', **numbered(3)}))
    last = soup(out / "p03/index.html")
    assert text(last.select_one("main .book-end")) == "End of Night Book"
    turn = last.find("nav", attrs={"aria-label": "Turn the page"})
    assert turn.find("a", rel="prev")["href"] == "/p02/" and turn.find("a", rel="next") is None
    assert turn.select_one("a.turn-contents")["href"] == "/"
    middle = soup(out / "p02/index.html")
    assert middle.select_one(".book-end") is None and "End of" not in text(middle.find("main"))
    turn = middle.find("nav", attrs={"aria-label": "Turn the page"})
    assert [turn.find("a", rel="prev")["href"], turn.find("a", rel="next")["href"], turn.select_one("a.turn-contents")["href"]] == ["/p01/", "/p03/", "/"]
    assert soup(out / "p01/index.html").select_one("main .fin") is not None  # the end mark


# Colophon


def test_the_colophon_states_the_given_facts_and_acknowledgements(make_site, ssg):
    settings = SETTINGS + '\n[tool.ssg.colophon]\neditors = ["Anna Lee", "Mira Sol"]\nlicence = "CC BY-NC-SA 4.0"\ntypefaces = ["Garamond", "Inter"]\n'
    files = {
        "pyproject.toml": settings,
        "content/salt-stairs.md": ALONE,
        "content/_colophon.md": "Thanks to the night ferry, where [Salt Stairs](salt-stairs.md) was written.\n",
    }
    out = built(ssg, make_site(files))
    page = soup(out / "colophon/index.html")
    body = page.select_one("main .colophon-page")
    lines = [text(p) for p in body.find_all("p", recursive=False)]
    assert lines == ["Night Book.", "Edited by Anna Lee and Mira Sol.", "Published under CC BY-NC-SA 4.0.", "Set in Garamond and Inter.", "Made with ssg."]
    editors = body.find_all("p", recursive=False)[1]
    assert [(a.get_text(strip=True), a["href"]) for a in editors.find_all("a")] == [("Anna Lee", "/contributors/anna-lee/")]  # Mira Sol is no contributor
    thanks = body.select_one(".acknowledgements")
    assert "Thanks to the night ferry" in text(thanks)
    assert thanks.find("a", string="Salt Stairs")["href"] == "/salt-stairs/"
    assert "/colophon/" in hrefs(soup(out / "salt-stairs/index.html").find("footer"))


def test_a_colophon_with_nothing_given_invents_nothing(make_site, ssg):
    out = built(ssg, make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\n', "content/salt-stairs.md": ALONE}))
    body = soup(out / "colophon/index.html").select_one("main .colophon-page")
    assert [text(p) for p in body.find_all("p")] == ["Night Book.", "Made with ssg."]
    assert body.find("section") is None and body.find("a") is None


def test_a_broken_link_in_the_colophon_fails_the_build_at_its_line(make_site, ssg):
    site = make_site({"content/salt-stairs.md": ALONE, "content/_colophon.md": "Thanks to all.\n\nAnd to [the ferry](ferry.md).\n"})
    errors = failed_build(site, ssg)
    assert len(errors) == 1 and errors[0].startswith("content/_colophon.md:3: "), errors
    assert "ferry.md" in errors[0]


# Errors in the settings and the front matter


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ('[tool.ssg.colophon]\nlicence = "CC0"\neditors = "Anna Lee"\n', 5, "'editors' must be a list of strings"),
        ('[tool.ssg.colophon]\nlicense = "CC0"\n', 4, "unknown setting 'license' in [tool.ssg.colophon]"),
        ('[tool.ssg.contributors."Anna Lee"]\nbio = "Dreams."\nurl = "not a url"\n', 5, "'url' must be a web address (got 'not a url')"),
    ],
    ids=["editors-not-a-list", "unknown-colophon-key", "contributor-url-not-a-url"],
)
def test_wrong_book_settings_are_errors_at_their_line(make_site, ssg, table, line, words):
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\n' + table, "content/salt-stairs.md": ALONE})
    errors = failed_build(site, ssg)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"pyproject.toml:{line}: {words}"), errors


def test_two_names_with_one_slug_are_an_error(make_site, ssg):
    site = make_site({"content/a.md": piece("Apple Moon", author="Anna Lee"), "content/b.md": piece("Blue Ferry", author="anna lee")})
    errors = failed_build(site, ssg)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/b.md:4: "), errors  # at the second spelling, in its author line
    assert "'Anna Lee'" in errors[0] and "'anna lee'" in errors[0] and "/contributors/anna-lee/" in errors[0]


def test_an_author_that_is_a_mapping_is_an_error_at_its_line(make_site, ssg):
    site = make_site({"content/a.md": "---\ntitle: Apple Moon\ndate: 2026-01-01\nauthor: {name: Anna Lee}\n---\nA dream.\n"})
    errors = failed_build(site, ssg)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/a.md:4: 'author' must be a name or a list of names"), errors


# Feeds


def test_the_feed_gives_each_author_an_author_and_each_translator_a_contributor(make_site, ssg):
    settings = '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://night.example/"\n'
    out = built(ssg, make_site({"pyproject.toml": settings, "content/two-voices.md": TOGETHER}))
    entry = etree.parse(str(out / "feed.xml")).getroot().find("a:entry", ATOM)
    assert [name.text for name in entry.findall("a:author/a:name", ATOM)] == ["Anna Lee", "Ben Ito"]
    assert [name.text for name in entry.findall("a:contributor/a:name", ATOM)] == ["Chiara Neri"]


def test_a_contributor_with_more_pieces_than_a_page_holds_has_pages_and_the_whole_count(make_site, ssg):
    files = {f"content/p{n:02}.md": piece(f"Piece {n:02}", date=f"2026-01-{n + 1:02}", author="Anna Lee") for n in range(12)}
    files["content/moth.md"] = piece("Moth", date="2026-02-01", author="Ben Ito", translator="Anna Lee")
    files["pyproject.toml"] = '[tool.ssg]\ntitle = "Paged"\nper_page = 5\n'
    site = make_site(files)
    assert ssg("build", "-s", site).code == 0
    out = site / "output"
    pages = [soup(out / f"contributors/anna-lee/{path}index.html") for path in ("", "page/2/", "page/3/")]
    assert [[line["title"] for line in toc(page)] for page in pages] == [[f"Piece {n:02}" for n in range(5)], [f"Piece {n:02}" for n in range(5, 10)], ["Piece 10", "Piece 11", "Moth"]]
    assert [page.select_one("main section.contents h2").get_text(strip=True) for page in pages] == ["12 pieces"] * 3
    last = pages[2]
    assert [section.find("h2").get_text(strip=True) for section in last.select("main section.contents")] == ["12 pieces", "Translated"]
    assert last.select_one(".pagination .page-of").get_text() == "Page 3 of 3"
    assert last.select_one('.pagination a[rel="prev"]')["href"] == "/contributors/anna-lee/page/2/"
