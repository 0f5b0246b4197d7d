"""Search in a real browser: Pagefind's index of the pieces, queried from /search/ under a project sub-path."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.sites import build
from tests.support import piece, serve, wait_for

DEADLINE_MS = 15_000
MOUNT = "/anthology/"


def book(make_site) -> Path:
    """Five pieces by three people (one translated, one in French), in two sections, verse and prose."""
    return make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://user.github.io/anthology/"\n',
            "content/night/_index.md": "---\ntitle: Night Shift\n---\n",
            "content/night/lake.md": piece("Lake of Glass", "2026-01-01", tags="[moonlight]", author="Hana Mori", form="verse", body="The lake was glass\nand a heron stood on it\nas on a table.\n"),
            "content/night/bells.md": piece("Bells", "2026-01-02", tags="[mist]", author="Hana Mori", body="Grey bells rang over the lake at dawn."),
            "content/day/_index.md": "---\ntitle: Day Book\n---\n",
            "content/day/ferry.md": piece("The Ferry", "2026-01-03", tags="[mist, sea]", author="Tomás Aranda", body="The ferry crossed the lake twice, then the sea."),
            "content/day/orchard.md": piece("Orchard", "2026-01-04", tags="[dawn]", author="Saoirse Brennan", body="Apples fell upward into the lake of the sky."),
            "content/day/traversee.md": piece("La traversée", "2026-01-05", tags="[sea]", author="Ines Varga", translator="Saoirse Brennan", lang="fr", body="Le passeur chantait sur le lac gelé."),
        }
    )


def open_search(page, url: str, query: str) -> list[tuple[str, str]]:
    """The results of /search/?query, as (title, byline) pairs, once the status says how many."""
    page.goto(f"{url}search/?{query}")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"found|Nothing"), timeout=DEADLINE_MS)
    return [(item.locator("h2").inner_text(), item.locator(".byline").inner_text()) for item in page.locator(".search-result").all()]


def test_a_word_of_one_piece_brings_it_first_under_a_sub_path(make_site, tmp_path, page):
    out = build(book(make_site), tmp_path / "out", "https://user.github.io/anthology/")
    with serve(out, MOUNT) as url:
        results = open_search(page, url, "q=heron")
        assert results[0] == ("Lake of Glass", "Hana Mori")
        link = page.locator(".search-result a").first
        assert link.get_attribute("href") == "/anthology/lake/"
        expect(page.locator(".search-excerpt mark").first).to_have_text("heron")
        link.click()
        expect(page.locator("h1")).to_have_text("Lake of Glass")

        # "lake" is in four English pieces: all four, each with its byline.
        results = open_search(page, url, "q=lake")
        assert {("Lake of Glass", "Hana Mori"), ("Bells", "Hana Mori"), ("The Ferry", "Tomás Aranda"), ("Orchard", "Saoirse Brennan")} <= set(results)


def test_filters_leave_only_a_contributors_pieces_a_mood_a_section_a_form(make_site, tmp_path, page):
    out = build(book(make_site), tmp_path / "out", "https://user.github.io/anthology/")
    with serve(out, MOUNT) as url:
        page.goto(url + "search/?q=lake")
        expect(page.locator("#search-status")).to_have_text(re.compile(r"\d pieces found\."), timeout=DEADLINE_MS)
        page.select_option("#filter-contributor", "Hana Mori")  # the form is sent on change
        expect(page.locator("#search-status")).to_have_text("2 pieces found.", timeout=DEADLINE_MS)
        assert {item.inner_text() for item in page.locator(".search-result .byline").all()} == {"Hana Mori"}
        assert "contributor=Hana+Mori" in page.url  # the address is the search: it can be shared

        assert {title for title, _ in open_search(page, url, "q=lake&mood=mist")} == {"Bells", "The Ferry"}
        assert {title for title, _ in open_search(page, url, "section=Day+Book")} == {"The Ferry", "Orchard", "La traversée"}
        assert {title for title, _ in open_search(page, url, "form=verse")} == {"Lake of Glass"}
        # A translator is a contributor too.
        assert {title for title, _ in open_search(page, url, "contributor=Saoirse+Brennan")} == {"Orchard", "La traversée"}


def test_a_piece_in_another_language_is_found_in_its_own(make_site, tmp_path, page):
    out = build(book(make_site), tmp_path / "out", "https://user.github.io/anthology/")
    with serve(out, MOUNT) as url:
        assert open_search(page, url, "q=passeur") == [("La traversée", "Ines Varga")]


def test_without_javascript_the_page_says_search_needs_it(make_site, tmp_path, browser):
    out = build(book(make_site), tmp_path / "out", "https://user.github.io/anthology/")
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        with serve(out, MOUNT) as url:
            tab.goto(url + "search/?q=heron")
            expect(tab.locator(".search-note")).to_be_visible()
            expect(tab.locator(".search-note")).to_contain_text("Search needs JavaScript")
    finally:
        context.close()


def test_the_preview_index_follows_an_edit(make_site, preview, page):
    site = book(make_site)
    server = preview(site)
    assert open_search(page, server.url, "q=heron")[0][0] == "Lake of Glass"
    (site / "content/day/orchard.md").write_text(piece("Orchard", "2026-01-04", tags="[dawn]", author="Saoirse Brennan", body="A cormorant slept in the apple tree."))

    wait_for(lambda: open_search(page, server.url, "q=cormorant") == [("Orchard", "Saoirse Brennan")], message="the preview's index to find the new word")
