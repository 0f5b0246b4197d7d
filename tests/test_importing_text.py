"""Pieces written for Hugo or Jekyll build as their writers meant them.

Each test builds a real site of original dream poems, written in the habits
of those sites (hard wraps with backslashes, `` \\`` lines between stanzas,
escaped punctuation), and reads the pages a reader gets.
"""

from __future__ import annotations

from tests.support import piece, soup

HUGO_POEM = """\
the house had a lake where the cellar should be \\
and I went down with a lamp \\
 \\
the fish wore my grandmother's rings \\
they asked for \\$10 and a song \\
 \\
\\* \\* \\*
 \\
I paid in \\<3 and woke \\
with wet sleeves
"""

HUGO_PROSE = """\
Written on waking, \\
before the birds: \\
 \\
the stairs went down into \\#water\\#. \\

A last line, \\~ almost \\~ asleep.
"""


def lines_and_stanzas(page) -> list[list[str]]:
    return [[line.get_text() for line in stanza.select(".line")] for stanza in page.select(".verse > .stanza")]


def test_a_hugo_poem_keeps_its_lines_and_stanzas_and_shows_no_backslash(make_site, ssg):
    site = make_site({
        "content/cellar-lake.md": piece("Cellar Lake", form="verse", body=HUGO_POEM),
        "content/waking.md": piece("Waking", body=HUGO_PROSE),
    })
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run

    poem = soup(site / "output/cellar-lake/index.html")
    assert lines_and_stanzas(poem) == [
        ["the house had a lake where the cellar should be", "and I went down with a lamp"],
        ["the fish wore my grandmother’s rings", "they asked for $10 and a song"],
        ["I paid in <3 and woke", "with wet sleeves"],
    ]
    assert len(poem.select(".verse-break")) == 1
    assert "\\" not in poem.select_one("main").get_text()

    prose = soup(site / "output/waking/index.html")
    body = prose.select_one("main")
    assert "\\" not in body.get_text()
    assert "the stairs went down into #water#." in " ".join(body.get_text().split())
    assert "A last line, ~ almost ~ asleep." in body.get_text()
    assert len(body.select("p br")) >= 2
