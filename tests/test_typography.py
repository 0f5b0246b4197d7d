"""Typography everywhere text appears (titles, summaries, epigraphs, dedications, names: pages, <title>, meta, feeds), the house style of dashes, and a piece's own language."""

from __future__ import annotations

import feedparser

from tests.support import failed_build, piece, soup

NBSP = "\u00a0"


def test_titles_summaries_epigraphs_and_names_are_set_everywhere(make_site, ssg):
    site = make_site(
        {
            "content/keeper.md": piece(
                "The Lighthouse Keeper's Daughter",
                "2026-01-01",
                author="Seán O'Hara",
                summary="A lamp -- and what it kept.",
                epigraph="'\"Keep the light,\" she said.'",
                dedication="for my father's boat",
            ),
            "content/after.md": piece("After", "2026-01-02"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/keeper/index.html")
    title = "The Lighthouse Keeper’s Daughter"
    assert page.find("h1").get_text() == title and page.find("title").get_text().startswith(title)
    assert page.find("meta", property="og:title")["content"] == title
    assert page.find("meta", attrs={"name": "description"})["content"] == f"A lamp{NBSP}– and what it kept."
    assert page.select_one(".epigraph").get_text(strip=True) == "“Keep the light,” she said."
    assert page.select_one(".dedication").get_text() == "for my father’s boat"
    assert page.select_one(".meta .author").get_text() == "Seán O’Hara"
    after = soup(site / "output/after/index.html")
    assert title in after.select_one(".turn-prev").get_text()
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    entry = next(entry for entry in feed.entries if entry.link.endswith("/keeper/"))
    assert entry.title == title and entry.summary == f"A lamp{NBSP}– and what it kept." and entry.author == "Seán O’Hara"
    assert (site / "output/contributors/seán-ohara/index.html").is_file()


def test_a_spaced_dash_never_starts_a_line_and_the_house_style_sets_every_dash(make_site, ssg):
    body = "The sea -- as if the number matters -- came back.\n\nFrom 1990--1995, and then---nothing.\n"
    plain = make_site({"content/a.md": piece("Tide -- Again", body=body)})
    assert ssg("build", "-s", plain).code == 0
    text = soup(plain / "output/a/index.html").select_one(".piece-body").get_text()
    assert f"sea{NBSP}– as if the number matters{NBSP}– came back" in text and "1990–1995" in text and "then—nothing" in text
    em = make_site({"pyproject.toml": '[tool.ssg]\ndashes = "em"\n', "content/a.md": piece("Tide -- Again", body=body)}, name="em")
    assert ssg("build", "-s", em).code == 0
    page = soup(em / "output/a/index.html")
    assert "sea—as if the number matters—came back" in page.select_one(".piece-body").get_text() and "1990–1995" in page.get_text()
    assert page.find("h1").get_text() == "Tide—Again"
    spaced = make_site({"pyproject.toml": '[tool.ssg]\ndashes = "spaced-en"\n', "content/a.md": piece("Tide -- Again", body=body)}, name="spaced")
    assert ssg("build", "-s", spaced).code == 0
    assert f"then{NBSP}– nothing" in soup(spaced / "output/a/index.html").select_one(".piece-body").get_text()


def test_a_wrong_house_style_is_an_error_at_its_line(make_site, ssg):
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "X"\ndashes = "long"\n', "content/a.md": piece("A")})
    assert failed_build(site, ssg) == ["pyproject.toml:3: 'dashes' must be 'em' or 'spaced-en' (got 'long')"]


def test_a_piece_in_french_speaks_french(make_site, ssg):
    site = make_site(
        {
            "content/reve.md": piece("L'écume", "2026-01-01", lang="fr", body='Elle dit : "Viens !" et la mer se tut.\n'),
            "content/dream.md": piece("The Dream", "2026-01-02", body='She said: "Come!"\n'),
        }
    )
    assert ssg("build", "-s", site).code == 0
    reve = soup(site / "output/reve/index.html")
    assert reve.find("html")["lang"] == "fr" and reve.find("h1").get_text() == "L’écume"
    assert f"Elle dit{NBSP}: «{NBSP}Viens\u202f!{NBSP}» et la mer se tut." in reve.select_one(".piece-body").get_text()
    dream = soup(site / "output/dream/index.html")
    assert dream.find("html")["lang"] == "en" and "“Come!”" in dream.select_one(".piece-body").get_text()
    home = soup(site / "output/index.html")
    assert home.find("a", string="L’écume")["lang"] == "fr" and not home.find("a", string="The Dream").has_attr("lang")
    feed = (site / "output/feed.xml").read_text()
    assert 'xml:lang="fr"' in feed.split("<entry")[2] or 'xml:lang="fr"' in feed.split("<entry")[1]


def test_a_wrong_lang_is_an_error_at_its_line(make_site, ssg):
    site = make_site({"content/a.md": "---\ntitle: A\nlang: french language\n---\nx\n"})
    assert failed_build(site, ssg) == ["content/a.md:3: 'lang' is not a language tag (got 'french language')"]


def test_a_french_site_speaks_french_in_the_theme_and_its_dates(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Songes"\nlanguage = "fr"\n',
            "content/a.md": piece("L'aube", "2026-01-05", tags="[mer]"),
            "content/b.md": piece("La marée", "2026-02-01", tags="[mer]"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    home = soup(site / "output/index.html")
    assert home.find("html")["lang"] == "fr"
    assert [a.get_text() for a in home.select(".site-nav a")] == ["Sommaire", "Contributeurs", "Premiers vers", "Thèmes", "Recherche"]
    aube = soup(site / "output/a/index.html")
    assert aube.find("time").get_text() == "5 janvier 2026"
    assert aube.select_one(".place .visually-hidden").get_text() == "Texte 1 sur 2"
    assert aube.select_one(".turn-next .turn-label").get_text() == "Suivant"
    assert soup(site / "output/tags/mer/index.html").find("h2").get_text() == "2 textes"
    assert soup(site / "output/404.html").find("h1").get_text() == "Perdu dans le rêve"


def test_a_language_without_a_catalogue_keeps_the_theme_in_english_and_its_dates_in_its_own(make_site, ssg):
    site = make_site({"pyproject.toml": '[tool.ssg]\nlanguage = "de"\n', "content/a.md": piece("Traum", "2026-03-05")})
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/a/index.html")
    assert page.find("time").get_text() == "5 März 2026" and page.select_one(".turn-contents").get_text() == "Contents"
