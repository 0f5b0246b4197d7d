"""The index of first lines and titles, /first-lines/: how pieces begin, and the order of the language."""

from __future__ import annotations

import re

from ssg.firstlines import first_line_of
from tests.support import piece, soup

FRENCH = '[tool.ssg]\ntitle = "Songes"\nlanguage = "fr"\n'


def built(make_site, ssg, files: dict[str, str]):
    """Build a site of these files; the parsed /first-lines/ page and the site folder."""
    site = make_site(files)
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    return soup(site / "output/first-lines/index.html"), site


def entries(page) -> list[tuple[str, str, str]]:
    """(kind, text, href) of every entry, in the page's order."""
    found = []
    for item in page.select("li.index-entry"):
        kind = "title" if "index-title" in item["class"] else "first line"
        found.append((kind, item.get_text(), item.a["href"]))
    return found


def first_lines(page) -> dict[str, str]:
    """href → the first line the index lists for it."""
    return {href: text for kind, text, href in entries(page) if kind == "first line"}


def test_a_poem_is_listed_by_its_first_line_as_a_reader_sees_it(make_site, ssg):
    poem = "The *fog* comes up the river --\nbefore the bakers & the bells,\n\nit's late.\n"
    page, _ = built(make_site, ssg, {"content/fog.md": piece("Fog Liturgy", body=poem, form="verse", line_numbers="1")})
    assert first_lines(page) == {"/fog/": "The fog comes up the river –"}


def test_prose_is_listed_by_its_opening_words_up_to_a_natural_break(make_site, ssg):
    long = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen."
    page, _ = built(
        make_site,
        ssg,
        {
            "content/sentence.md": piece("Sentence", body="I slept above a lake. It had no shore."),
            "content/clause.md": piece("Clause", body="The door was snow; still it opened inward."),
            "content/colon.md": piece("Colon", body="Here is what I saw: a field of clocks."),
            "content/dash.md": piece("Dash", body="The ferry left at midnight --- nobody asked for tickets."),
            "content/long.md": piece("Long", body=long),
            "content/abbreviation.md": piece("Abbreviation", body="Mr. Moth came late. He stayed."),
            "content/dialogue.md": piece("Dialogue", body='"Wake up!" she said, and I did. Then the sea.'),
            "content/hard-break.md": piece("Hard Break", body="Dear sleeper,\\\nyou left the lamp on."),
            "content/epigraph.md": piece("Epigraph", body="> Sleep is a borrowed house.\n\n## I\n\nThe house was mine again, for a night."),
            "content/front-epigraph.md": piece("Front Epigraph", epigraph="Sleep is a borrowed house.", body="Morning came in sideways."),
            "content/picture.md": piece("Picture", body="![A lake](https://example.org/lake.png)\n\nThe lake was glass."),
            "content/verse-first.md": piece("Verse First", body="::: verse\nAt three the house forgets\nit is a house.\n:::\n\nSo it began."),
            "content/empty.md": piece("Empty", body=""),
        },
    )
    assert first_lines(page) == {
        "/sentence/": "I slept above a lake.",
        "/clause/": "The door was snow",
        "/colon/": "Here is what I saw",
        "/dash/": "The ferry left at midnight",
        "/long/": "One two three four five six seven eight nine ten eleven twelve…",
        "/abbreviation/": "Mr. Moth came late.",
        "/dialogue/": "“Wake up!” she said, and I did.",
        "/hard-break/": "Dear sleeper,",
        "/epigraph/": "The house was mine again, for a night.",
        "/front-epigraph/": "Morning came in sideways.",
        "/picture/": "The lake was glass.",
        "/verse-first/": "At three the house forgets",
    }


def test_first_line_of_reads_only_text():
    body = '<h2 id="i">I</h2>\n<div class="verse">\n<p class="stanza"><span class="line"><span aria-hidden="true" class="line-number" data-n="1"></span>Rock &amp; <em>roll</em>&rsquo;s   ghost<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></span><br>\n<span class="line">second</span></p>\n</div>'
    assert first_line_of(body, "verse") == "Rock & roll’s ghost"
    assert first_line_of("", "prose") == first_line_of("", "verse") == ""
    assert first_line_of("<p>Dit-il&#8239;? Oui.</p>", "prose") == "Dit-il\u202f?"


def test_a_french_site_sorts_as_french_does(make_site, ssg):
    titles = ["Ombre", "Fable", "Œuvre", "Écume", "Eau", "Oasis", "« Ailleurs »", "Bise"]
    files = {"pyproject.toml": FRENCH}
    # Each body is its title: the first line is then the title, and listed once.
    files |= {f"content/p{n}.md": piece(f'"{title}"', body=title) for n, title in enumerate(titles)}
    page, _ = built(make_site, ssg, files)
    assert [text for _, text, _ in entries(page)] == ["«\u00a0Ailleurs\u00a0»", "Bise", "Eau", "Écume", "Fable", "Oasis", "Œuvre", "Ombre"]
    assert [kind for kind, _, _ in entries(page)] == ["title"] * len(titles)
    headings = [h2.get_text() for h2 in page.select("section.index-letter h2")]
    assert headings == ["A", "B", "E", "F", "O"]
    under = {h2.get_text(): [li.get_text() for li in h2.find_parent("section").select("li")] for h2 in page.select("section.index-letter h2")}
    assert under["E"] == ["Eau", "Écume"] and under["O"] == ["Oasis", "Œuvre", "Ombre"] and under["A"] == ["«\u00a0Ailleurs\u00a0»"]  # typeset as French: no-break spaces


def test_punctuation_is_ignored_and_digits_have_their_heading(make_site, ssg):
    page, _ = built(
        make_site,
        ssg,
        {
            "content/a.md": piece('"…and then the tide"', body="Zebras at night."),
            "content/b.md": piece("Apples", body="Apples."),
            "content/c.md": piece("3 a.m.", body="Three."),
        },
    )
    texts = [text for _, text, _ in entries(page)]
    assert texts == ["3 a.m.", "…and then the tide", "Apples", "Three.", "Zebras at night."]
    assert [h2.get_text() for h2 in page.select("h2")] == ["0–9", "A", "T", "Z"]


def test_entries_link_to_their_pieces_title_and_first_line_once_each(make_site, ssg):
    page, site = built(
        make_site,
        ssg,
        {
            "content/lake.md": piece("Lake of Glass", body="In the dream the lake has frozen\nand I walk out on it.", form="verse"),
            "content/snow.md": piece("Snow", body="Snow, all night."),
            "content/dreaming.md": piece("I Am Dreaming", body="I am dreaming. Then I wake."),
            "content/hidden.md": piece("Hidden Draft", body="Nobody sees this yet.", draft="true"),
        },
    )
    assert sorted(entries(page)) == sorted(
        [
            ("title", "Lake of Glass", "/lake/"),
            ("first line", "In the dream the lake has frozen", "/lake/"),
            ("title", "Snow", "/snow/"),
            ("first line", "Snow, all night.", "/snow/"),
            ("title", "I Am Dreaming", "/dreaming/"),  # its first line is its title: listed once
        ]
    )
    for _, _text, href in entries(page):
        assert soup(site / "output" / href.strip("/") / "index.html").find("h1").get_text(strip=True) in {"Lake of Glass", "Snow", "I Am Dreaming"}
    assert page.select("li.index-title cite") and not page.select("li.index-first-line cite")
    assert "Nobody sees" not in page.get_text() and "Hidden Draft" not in page.get_text()


def test_the_page_is_accessible_and_in_the_sitemap(make_site, ssg):
    page, site = built(
        make_site,
        ssg,
        {
            "content/a.md": piece("Écume", body="Eau vive."),
            "content/b.md": piece("Zéro", body="Ailleurs."),
        },
    )
    assert page.title.get_text().startswith("First lines and titles")
    assert [h.name for h in page.find("main").find_all(re.compile(r"^h[1-6]$"))] == ["h1", "h2", "h2", "h2"]
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[^\s]+", value) for value in ids)
    jumps = [a["href"] for a in page.select("nav.index-letters a")]
    assert jumps == ["#letter-A", "#letter-E", "#letter-Z"]
    for jump in jumps:
        heading = page.find(id=jump[1:])
        assert heading.name == "h2" and heading.find_parent("section")["aria-labelledby"] == jump[1:]
    assert not page.find(attrs={"aria-label": True}, name=re.compile("^(a|li|ul)$"))
    sitemap = (site / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "/first-lines/</loc>" in sitemap


def test_an_empty_site_has_an_empty_index(make_site, ssg):
    page, _ = built(make_site, ssg, {})
    assert not page.select("li.index-entry") and not page.select("nav.index-letters")


WORDS = ["amber", "birch", "cinder", "dune", "ember", "fern", "gull", "heron", "iris", "juniper"]
NO_SEARCH = {"pyproject.toml": "[tool.ssg]\nsearch = false\n"}
"""For the sites of hundreds of pieces here: their search index (seconds each build) is not what they test."""


def long_index_site(make_site):
    """A site of 250 pieces: 500 lines, past ONE_PAGE, so the index has a page a letter."""
    files = dict(NO_SEARCH)
    for n in range(250):
        word = WORDS[n % len(WORDS)]
        files[f"content/p{n:03}.md"] = piece(f"{word.title()} {n}", body=f"{WORDS[(n + 3) % len(WORDS)].title()} light on the water, number {n}.\n")
    return make_site(files)


def test_a_long_index_has_a_page_a_letter(make_site, ssg):
    site = long_index_site(make_site)
    assert ssg("build", "-s", site).code == 0
    main = soup(site / "output/first-lines/index.html")
    assert not main.select("li.index-entry")  # the letters only, with their counts
    letters = {a.get_text(): a["href"] for a in main.select(".index-letters a")}
    assert letters["A"] == "/first-lines/a/" and set(letters) == {word[0].upper() for word in WORDS}
    assert "(50)" in main.select_one(".index-letters").get_text()  # 25 titles and 25 first lines under A
    page_a = soup(site / "output/first-lines/a/index.html")
    assert page_a.find("h1").get_text() == "A"
    texts = [item.get_text() for item in page_a.select("li.index-entry")]
    assert len(texts) == 50 and all(text.startswith("Amber") for text in texts)
    assert page_a.select_one('.index-letters a[aria-current="page"]').get_text() == "A"


def test_a_new_first_line_rewrites_its_letter_page_and_equals_a_clean_build(make_site, tmp_path):
    from ssg.build import Builder, build
    from ssg.config import load_config
    from tests.support import read_tree

    site = long_index_site(make_site)
    builder = Builder(load_config(site))
    builder.build()
    edited = site / "content/p000.md"  # "Amber 0", whose first line is "Dune light on the water, number 0."
    edited.write_text(piece("Amber 0", body="Dusk came down the water instead.\n"))
    report = builder.build({edited}, rescan=False)
    assert "first-lines/d/index.html" in report.written
    assert not any(name.startswith("first-lines/") and name != "first-lines/d/index.html" for name in report.written)
    edited.write_text(piece("Amber 0", body="Gulls came down the water instead.\n"))  # from D to G
    builder.build({edited}, rescan=False)
    clean = tmp_path / "clean"
    build(load_config(site, output_dir=clean))
    assert read_tree(site / "output") == read_tree(clean)
    assert "Gulls came down the water instead." in (clean / "first-lines/g/index.html").read_text()


def test_a_letter_of_more_than_200_lines_goes_on_over_pages_and_a_new_line_rewrites_the_page_it_falls_on(make_site, tmp_path):
    """450 pieces titled A…: 450 lines under A, on three pages; every line once, in order, across them."""
    from ssg.build import Builder, build
    from ssg.config import load_config
    from tests.support import read_tree

    files = {f"content/a{n:03}.md": piece(f"Amber {n:03}", body=f"Amber {n:03}.\n") for n in range(450)}
    site = make_site(NO_SEARCH | files)
    builder = Builder(load_config(site))
    builder.build()
    pages = [soup(site / f"output/first-lines/a/{path}index.html") for path in ("", "page/2/", "page/3/")]
    assert not (site / "output/first-lines/a/page/4").exists()
    texts = [item.get_text() for page in pages for item in page.select("li.index-entry")]
    assert texts == [f"Amber {n:03}" for n in range(450)]
    assert [len(page.select("li.index-entry")) for page in pages] == [200, 200, 50]
    second = pages[1]
    assert second.select_one(".pagination .page-of").get_text() == "Page 2 of 3"
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/first-lines/a/"
    assert second.select_one('.pagination a[rel="next"]')["href"] == "/first-lines/a/page/3/"
    assert second.select_one('.index-letters a[aria-current="true"]')["href"] == "/first-lines/a/"
    assert "/first-lines/a/page/3/</loc>" in (site / "output/sitemap.xml").read_text(encoding="utf-8")

    edited = site / "content/a300.md"
    edited.write_text(piece("Amber 300", body="Amber three hundred.\n"))  # its own first line now, filed under A, on page 3
    report = builder.build({edited}, rescan=False)
    # A new line after every "Amber NNN": the last page, and the count of A on the page of letters.
    assert {name for name in report.written if name.startswith("first-lines/")} == {"first-lines/a/page/3/index.html", "first-lines/index.html"}
    clean = tmp_path / "clean"
    build(load_config(site, output_dir=clean))
    assert read_tree(site / "output") == read_tree(clean)
