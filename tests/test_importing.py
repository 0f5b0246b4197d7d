"""Pieces written for Hugo or Jekyll build as they are: TOML and JSON front matter, their keys and their meaning."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest

from ssg.build import build
from ssg.config import load_config
from tests.support import soup

HUGO_TOML = """+++
title = "The Lake Under the Bed"
date = 2024-03-02T21:30:00+01:00
tags = ["water", "night"]
weight = 2
draft = false
+++

I slept above a lake that had no shore,
and every fish was someone I had known.
"""

HUGO_JSON = """{
  "title": "Salt Stairs",
  "date": "2024-03-04",
  "tags": ["sea"],
  "summary": "Stairs that go down into singing."
}

The stairs went down to where the salt was singing.
"""

YAML = """---
title: A Door of Snow
date: 2024-01-09
tags: [night]
---

The door was snow, and still it opened inward.
"""


def test_toml_json_and_yaml_front_matter_build_alike(make_site, ssg):
    site = make_site({"content/lake.md": HUGO_TOML, "content/stairs.md": HUGO_JSON, "content/door.md": YAML})
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    lake = soup(site / "output/lake/index.html")
    assert lake.find("h1").get_text(strip=True) == "The Lake Under the Bed"
    assert lake.find("time")["datetime"] == "2024-03-02T21:30:00+01:00"
    assert "every fish was someone I had known" in lake.get_text()
    assert "+++" not in lake.get_text()
    stairs = soup(site / "output/stairs/index.html")
    assert stairs.find("h1").get_text(strip=True) == "Salt Stairs"
    assert "{" not in stairs.get_text() and '"title"' not in stairs.get_text()
    night = soup(site / "output/tags/night/index.html").get_text()
    assert "The Lake Under the Bed" in night and "A Door of Snow" in night
    assert "Stairs that go down into singing." in stairs.find("meta", attrs={"name": "description"})["content"]


def test_toml_and_json_values_get_the_checks_yaml_gets(make_site, ssg):
    site = make_site(
        {
            "content/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\nweight = 1.5\n+++\nA.\n',
            "content/b.md": '{\n  "title": "B",\n  "date": "2024-01-01",\n  "draft": "maybe"\n}\nB.\n',
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/a.md:4: 'weight' must be a whole number (got '1.5')" in run.err
    assert "content/b.md:4: 'draft' must be true or false (got 'maybe')" in run.err


def test_an_unknown_toml_key_warns_at_its_line(make_site, ssg):
    site = make_site({"content/c.md": '+++\ntitle = "C"\ndate = 2024-01-01\nautor = "Hana"\n+++\nC.\n'})
    run = ssg("build", "-s", site)
    assert run.code == 0
    assert "content/c.md:4: warning: unknown front matter key 'autor'\n  hint: did you mean 'author'?" in run.err


def test_a_json_duplicate_key_is_an_error_at_its_line(make_site, ssg):
    site = make_site({"content/a.md": '{\n  "title": "A",\n  "date": "2024-01-01",\n  "title": "B"\n}\nA.\n'})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/a.md:4: duplicate key 'title' (first at line 2)" in run.err


def test_no_front_matter_names_the_three_forms(make_site, ssg):
    site = make_site({"content/a.md": "Only a dream, no front matter.\n"})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/a.md:1: no front matter" in run.err
    assert "'---'" in run.err and "'+++'" in run.err and "JSON" in run.err


def test_an_empty_key_is_as_if_absent(make_site, ssg):
    site = make_site(
        {
            "content/a.md": '+++\ntitle = "Moth Lantern"\ndate = 2024-01-01\nsummary = ""\nauthor = ""\ntags = []\n+++\nThe moth carried the lantern home.\n',
            "content/b.md": "---\ntitle: Owl Hours\ndate: 2024-01-02\nsummary:\nslug:\n---\nThe owl kept the hours I had lost.\n",
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    moth = soup(site / "output/a/index.html")
    assert "The moth carried the lantern home." in moth.find("meta", attrs={"name": "description"})["content"]
    assert (site / "output/b/index.html").exists()


JEKYLL_POST = """---
layout: post
title: "The Orchard at Low Tide"
date: 2024-01-02 10:00:00 +0100
categories: [poems, sea]
---

The apples floated out to meet the moon.
"""

JEKYLL_UNDATED_IN_FRONT_MATTER = """---
title: "Owl Hours"
description: The owl kept the hours I had lost.
---

I counted feathers until the clock gave up.
"""


def test_jekyll_posts_take_their_date_and_slug_from_the_file_name(make_site, ssg):
    site = make_site({"content/_posts/2024-01-02-orchard.md": JEKYLL_POST, "content/_posts/2024-02-03-owl-hours.md": JEKYLL_UNDATED_IN_FRONT_MATTER})
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    orchard = soup(site / "output/orchard/index.html")
    assert orchard.find("time")["datetime"] == "2024-01-02T10:00:00+01:00"
    owl = soup(site / "output/owl-hours/index.html")
    assert owl.find("time")["datetime"] == "2024-02-03"
    assert "The owl kept the hours I had lost." in owl.find("meta", attrs={"name": "description"})["content"]
    assert (site / "output/tags/poems/index.html").exists() and (site / "output/tags/sea/index.html").exists()


def test_publish_date_stands_for_an_empty_date_and_lastmod_is_when_it_changed(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\nbase_url = "https://dreams.example/"\n',
            "content/later.md": '+++\ntitle = "Later"\ndate = ""\npublishDate = 2024-05-03\nlastmod = 2025-01-01T10:00:00Z\n+++\nThe tide came in a year late.\n',
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    assert soup(site / "output/later/index.html").find("time")["datetime"] == "2024-05-03"
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert feed.entries[0].published.startswith("2024-05-03")
    assert feed.entries[0].updated == "2025-01-01T10:00:00Z"
    assert feed.feed.updated == "2025-01-01T10:00:00Z"
    sitemap = (site / "output/sitemap.xml").read_text()
    assert "<loc>https://dreams.example/later/</loc>\n    <lastmod>2025-01-01T10:00:00+00:00</lastmod>" in sitemap


@pytest.mark.parametrize(
    "fields, flag",
    [("date: 2024-01-01\npublished: false", "--drafts"), ("date: 2024-01-01\npublishDate: 2999-01-01", "--future")],
    ids=["jekyll-published-false-is-a-draft", "a-future-publishDate-holds-a-dated-piece-back"],
)
def test_pieces_held_back_until_asked(fields, flag, make_site, ssg):
    site = make_site({"content/a.md": f"---\ntitle: Unsent Letter\n{fields}\n---\nDear river.\n"})
    assert ssg("build", "-s", site).code == 0
    assert not (site / "output/a").exists()
    assert ssg("build", "-s", site, flag).code == 0
    assert (site / "output/a/index.html").exists()


def test_an_expired_piece_leaves_the_site_when_its_expiry_date_passes(make_site, tmp_path):
    site = make_site(
        {
            "content/a.md": "---\ntitle: Snowman\ndate: 2024-01-01\nexpiryDate: 2024-03-01\n---\nHe melted politely.\n",
            "content/b.md": "---\ntitle: Spring\ndate: 2024-01-02\n---\nGreen.\n",
        }
    )
    build(load_config(site), now=datetime(2024, 2, 1, tzinfo=UTC), cache=True)
    assert (site / "output/a/index.html").exists()
    build(load_config(site), now=datetime(2024, 3, 2, tzinfo=UTC), cache=True)
    assert not (site / "output/a").exists()
    assert "Snowman" not in (site / "output/index.html").read_text()
    build(load_config(site, output_dir=tmp_path / "clean"), now=datetime(2024, 3, 2, tzinfo=UTC))
    assert (site / "output/index.html").read_bytes() == (tmp_path / "clean/index.html").read_bytes()


def test_aliases_and_redirect_from_make_redirect_pages(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\nbase_url = "https://dreams.example/anthology/"\n',
            "content/heron.md": '+++\ntitle = "The Heron Who Read Aloud"\ndate = 2024-04-01\naliases = ["/poems/heron/", "old/heron.html"]\n+++\nShe read the river to the reeds.\n',
            "content/2024-04-02-kite.md": "---\ntitle: Kite\nredirect_from:\n  - /2019/kite/\n---\nThe kite held the field up by a string.\n",
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    for old, title, url in [
        ("poems/heron/index.html", "The Heron Who Read Aloud", "/anthology/heron/"),
        ("old/heron.html", "The Heron Who Read Aloud", "/anthology/heron/"),
        ("2019/kite/index.html", "Kite", "/anthology/kite/"),
    ]:
        page = soup(site / "output" / old)
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={url}"
        assert page.find("link", rel="canonical")["href"] == f"https://dreams.example{url}"
        assert page.find("a", href=url).get_text() == title
    assert "poems/heron" not in (site / "output/sitemap.xml").read_text()
    assert ssg("check", "-s", site).code == 0


def test_two_pieces_claiming_one_old_url_is_an_error_naming_both(make_site, ssg):
    site = make_site(
        {
            "content/a.md": "---\ntitle: Ash\ndate: 2024-01-01\naliases: [/old/dream/]\n---\nAsh.\n",
            "content/b.md": "---\ntitle: Birch\ndate: 2024-01-02\ntags: [night]\nredirect_from: [/old/dream/, /a/]\n---\nBirch.\n",
            "content/c.md": "---\ntitle: Cedar\ndate: 2024-01-03\naliases: [/tags/night/, ../../etc]\n---\nCedar.\n",
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/c.md:4: 'aliases' holds '../../etc', which is not a path of this site" in run.err
    site_c = site / "content/c.md"
    site_c.write_text(site_c.read_text().replace(", ../../etc", ""))
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/b.md:5: the alias '/old/dream/' is an alias of content/a.md too" in run.err
    assert "content/b.md:5: the alias '/a/' is the URL of content/a.md" in run.err
    assert "content/c.md:4: the alias '/tags/night/' is a place the site uses for its own pages" in run.err


CLASSICS = {
    "content/dated.md": "---\ntitle: Zinnia Night\ndate: 2024-06-01T08:00:00Z\n---\nThe zinnias dreamed of rain.\n",
    "content/ode.md": "---\ntitle: An Ode to the Unslept\nauthor: Anonymous\n---\nO hours that never closed their eyes.\n",
    "content/ballad.md": "---\ntitle: Ballad of the Lantern Ferry\n---\nThe ferryman rowed the lantern home.\n",
    "content/first.md": "---\ntitle: Prologue of Sand\nweight: 1\n---\nBefore the dream, a beach.\n",
}


def test_undated_pieces_follow_the_dated_by_weight_then_title_and_show_no_date(make_site, ssg):
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\nbase_url = "https://dreams.example/"\n', **CLASSICS})
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    titles = [
        link.get_text(strip=True)
        for link in soup(site / "output/index.html").select("main a[href$='/']")
        if link.get_text(strip=True) in {"Zinnia Night", "An Ode to the Unslept", "Ballad of the Lantern Ferry", "Prologue of Sand"}
    ]
    assert titles == ["Prologue of Sand", "Zinnia Night", "An Ode to the Unslept", "Ballad of the Lantern Ferry"]
    ode = soup(site / "output/ode/index.html")
    assert ode.find("time") is None
    assert ode.select_one(".meta").get_text(strip=True) == "Anonymous"

    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    by_title = {entry.title: entry for entry in feed.entries}
    assert by_title["An Ode to the Unslept"].updated == "2024-06-01T08:00:00Z"
    assert "published" not in by_title["An Ode to the Unslept"]
    assert feed.feed.updated == "2024-06-01T08:00:00Z"
    sitemap = (site / "output/sitemap.xml").read_text()
    assert "<loc>https://dreams.example/ode/</loc>\n  </url>" in sitemap


def test_a_site_of_undated_pieces_takes_its_dates_from_the_epoch_never_the_clock(make_site, ssg, tmp_path):
    files = {name: text for name, text in CLASSICS.items() if name != "content/dated.md"}
    site = make_site(files)
    assert ssg("build", "-s", site).code == 0
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert {entry.updated for entry in feed.entries} == {feed.feed.updated}
    assert feed.feed.updated == "1970-01-01T00:00:00Z"


def test_an_undated_piece_shows_no_date_and_no_stray_separator_in_listings(make_site, ssg):
    site = make_site({"content/ode.md": "---\ntitle: An Ode to the Unslept\nauthor: Anonymous\nform: verse\n---\nO hours that never closed their eyes.\n"})
    assert ssg("build", "-s", site).code == 0
    entry = soup(site / "output/index.html").select_one(".toc-entry .toc-meta")
    assert entry.find("time") is None
    assert entry.get_text() == "Anonymous"


def test_hugo_tables_in_toml_warn_at_their_header_line(make_site, ssg):
    site = make_site({"content/a.md": '+++\ntitle = "Heron"\ndate = 2024-01-01\n\n[params]\n  mood = "grey"\n\n[[resources]]\n  src = "heron.jpg"\n+++\nThe heron stood in the rain.\n'})
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    assert "content/a.md:5: warning: unknown front matter key 'params'" in run.err
    assert "content/a.md:8: warning: unknown front matter key 'resources'" in run.err


def test_a_welcome_with_toml_front_matter_shows_only_its_body(make_site, ssg):
    site = make_site({"content/_index.md": '+++\ntitle = "Home"\n+++\nWelcome, sleeper.\n', "content/a.md": HUGO_TOML})
    assert ssg("build", "-s", site).code == 0
    home = soup(site / "output/index.html").get_text()
    assert "Welcome, sleeper." in home and "+++" not in home and 'title = "Home"' not in home
