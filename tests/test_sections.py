"""Sections: every folder of content/ is a section with its page and feed; _index.md gives its title,
description, weight, cascade and introduction; Hugo's bundles and Jekyll's _posts/_drafts keep their meaning."""

from __future__ import annotations

import feedparser
import pytest

from ssg.build import Builder
from ssg.config import load_config
from tests.support import failed_build, piece, read_tree, soup

FOLDERS = {"pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\nurls = "folders"\n'}


def is_verse(page) -> bool:
    return page.select_one("article.piece") is not None and bool(page.select(".piece-body .stanza"))


def toc_titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".contents .toc-title")]


def part_titles(page) -> list[str]:
    """The sections' headings of a contents page, each by its own title (the sections above it left out)."""
    titles = []
    for heading in page.select(".part-title a"):
        above = "".join(part.get_text() for part in heading.select(".part-above, .sep"))
        titles.append(heading.get_text().removeprefix(above).strip())
    return titles


def built(ssg, site, *args):
    run = ssg("build", "-s", site, *args)
    assert run.code == 0, run
    assert "Traceback" not in run.err
    return run


NIGHT_INDEX = "---\ntitle: Night Pieces\ndescription: Poems for after dark.\ncascade:\n  form: verse\n---\n\nRead these *after* the lamps are out.\n"


def test_an_index_gives_its_section_a_title_description_and_introduction_and_cascades_to_its_pieces(make_site, ssg):
    site = make_site(
        {
            "content/night/_index.md": NIGHT_INDEX,
            "content/night/owl.md": piece("Owl", body="The owl counts\nthe hours I lost"),
            "content/night/essay.md": piece("On Owls", form="prose", body="Owls are\nquiet birds."),
            "content/day.md": piece("Day", body="The sun\nrose late."),
        }
    )
    built(ssg, site)
    night = soup(site / "output/night/index.html")
    assert night.select_one("h1.page-title").get_text(strip=True) == "Night Pieces"
    assert night.select_one(".lede").get_text(strip=True) == "Poems for after dark."
    assert "Read these after the lamps are out." in night.select_one(".intro").get_text(" ", strip=True).replace("  ", " ")
    assert night.select_one(".intro em").get_text() == "after"
    assert sorted(toc_titles(night)) == ["On Owls", "Owl"]
    owl = soup(site / "output/owl/index.html")
    assert is_verse(owl) and [line.get_text() for line in owl.select(".line")] == ["The owl counts", "the hours I lost"]
    assert not is_verse(soup(site / "output/essay/index.html"))
    assert not is_verse(soup(site / "output/day/index.html"))
    assert "form: verse" not in night.get_text() and "---" not in night.select_one("main").get_text()


def test_site_defaults_apply_where_no_cascade_says_otherwise_and_the_nearest_cascade_wins(make_site, ssg):
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\n\n[tool.ssg.defaults]\nform = "verse"\n',
            "content/top.md": piece("Top", body="One\nTwo"),
            "content/essays/_index.md": "---\ntitle: Essays\ncascade:\n  form: prose\n---\n",
            "content/essays/plain.md": piece("Plain", body="One\nTwo"),
            "content/essays/own.md": piece("Own", form="verse", body="One\nTwo"),
            "content/essays/songs/_index.md": "---\ntitle: Songs\ncascade:\n  form: verse\n---\n",
            "content/essays/songs/song.md": piece("Song", body="One\nTwo"),
            "content/essays/notes/note.md": piece("Note", body="One\nTwo"),
        }
    )
    built(ssg, site)
    forms = {name: is_verse(soup(site / f"output/{name}/index.html")) for name in ("top", "plain", "own", "song", "note")}
    assert forms == {"top": True, "plain": False, "own": True, "song": True, "note": False}


def test_weight_orders_sections_on_the_home_page_and_pieces_within_a_section(make_site, ssg):
    site = make_site(
        {
            "content/autumn/_index.md": "---\ntitle: Autumn\nweight: 2\n---\n",
            "content/autumn/leaf.md": piece("Leaf"),
            "content/winter/_index.md": "---\ntitle: Winter\nweight: 10\n---\n",
            "content/winter/snow.md": piece("Snow"),
            "content/spring/_index.md": "---\ntitle: Spring\nweight: 1\n---\n",
            "content/spring/a.md": piece("Bud", "2024-01-03"),
            "content/spring/b.md": piece("Rain", "2024-01-01", weight="2"),
            "content/spring/c.md": piece("Thaw", "2024-01-02", weight="1"),
        }
    )
    built(ssg, site)
    home = soup(site / "output/index.html")
    assert part_titles(home) == ["Spring", "Autumn", "Winter"]
    assert toc_titles(home)[:3] == ["Thaw", "Rain", "Bud"]
    assert toc_titles(soup(site / "output/spring/index.html")) == ["Thaw", "Rain", "Bud"]


def test_folder_urls_publish_a_piece_under_its_folder_and_allow_one_file_name_twice(make_site, ssg):
    site = make_site({**FOLDERS, "content/one/hands.md": piece("Hands in Spring"), "content/two/hands.md": piece("Hands in Summer")})
    built(ssg, site)
    assert soup(site / "output/one/hands/index.html").find("h1").get_text(strip=True) == "Hands in Spring"
    assert soup(site / "output/two/hands/index.html").find("h1").get_text(strip=True) == "Hands in Summer"
    assert not (site / "output/hands").exists()


def test_flat_urls_make_one_file_name_in_two_folders_an_error_naming_both(make_site, ssg):
    site = make_site({"content/one/hands.md": piece("Hands in Spring"), "content/two/hands.md": piece("Hands in Summer")})
    errors = failed_build(site, ssg)
    assert len(errors) == 1
    assert "content/one/hands.md" in errors[0] and "content/two/hands.md" in errors[0], errors
    hints = [line for line in ssg("build", "-s", site).err.splitlines() if line.startswith("  hint: ")]
    assert any('urls = "folders"' in hint for hint in hints), hints


def test_a_piece_and_a_section_at_one_url_is_an_error(make_site, ssg):
    site = make_site({"content/night.md": piece("Night"), "content/night/owl.md": piece("Owl")})
    errors = failed_build(site, ssg)
    assert any(error.startswith("content/night.md") and "section night/" in error and "/night/" in error for error in errors), errors


def test_a_folder_named_tags_at_the_top_is_an_error(make_site, ssg):
    site = make_site({"content/tags/owl.md": piece("Owl")})
    errors = failed_build(site, ssg)
    assert any("tags/" in error and "keeps for its own pages" in error for error in errors), errors


def test_a_piece_in_drafts_is_published_only_with_drafts(make_site, ssg):
    site = make_site({"content/_drafts/unsent.md": piece("Unsent Letter"), "content/sent.md": piece("Sent Letter")})
    built(ssg, site)
    assert not (site / "output/unsent").exists()
    assert "Unsent Letter" not in (site / "output/index.html").read_text()
    built(ssg, site, "--drafts")
    assert soup(site / "output/unsent/index.html").find("h1").get_text(strip=True) == "Unsent Letter"


def test_a_post_is_at_its_slug_without_the_date(make_site, ssg):
    site = make_site({"content/_posts/2024-01-02-x.md": "---\ntitle: Ex\n---\nA post.\n"})
    built(ssg, site)
    page = soup(site / "output/x/index.html")
    assert page.find("h1").get_text(strip=True) == "Ex"
    assert page.find("time")["datetime"] == "2024-01-02"
    assert not (site / "output/_posts").exists() and not (site / "output/posts").exists()


@pytest.mark.parametrize("files, url", [({}, "ariane"), (FOLDERS, "poems/ariane")], ids=["flat", "folders"])
def test_a_leaf_bundle_is_the_piece_of_its_folder(make_site, ssg, files, url):
    site = make_site({**files, "content/poems/ariane/index.md": piece("Ariane", body="She holds a red thread.")})
    built(ssg, site)
    page = soup(site / f"output/{url}/index.html")
    assert page.find("h1").get_text(strip=True) == "Ariane"
    assert "She holds a red thread." in page.get_text()


def test_links_without_md_resolve_to_the_piece(make_site, ssg):
    site = make_site(
        {
            **FOLDERS,
            "content/a/reread.md": piece("Reread", body="[the passion](../b/passion) and [Ariane](/poems/ariane/)"),
            "content/b/passion.md": piece("Passion"),
            "content/poems/ariane/index.md": piece("Ariane"),
        }
    )
    built(ssg, site)
    hrefs = {a.get_text(): a["href"] for a in soup(site / "output/a/reread/index.html").select(".piece-body a")}
    assert hrefs == {"the passion": "/b/passion/", "Ariane": "/poems/ariane/"}


@pytest.mark.parametrize(
    "slugs",
    [
        pytest.param({"x.md": "ex", "x/index.md": "x-bundle"}, id="neither-at-the-path"),
        pytest.param({"x/index.md": "x-bundle"}, id="one-at-the-path"),
    ],
)
def test_a_link_naming_two_pieces_fails_with_a_hint_naming_both(make_site, ssg, slugs):
    site = make_site(
        {
            "content/x.md": piece("Ex File", **({"slug": slugs["x.md"]} if "x.md" in slugs else {})),
            "content/x/index.md": piece("Ex Bundle", slug=slugs["x/index.md"]),
            "content/a.md": piece("A", body="[which?](x)"),
        }
    )
    errors = failed_build(site, ssg)
    assert errors == ["content/a.md:6: broken link 'x'"]
    hint = ssg("build", "-s", site).err.splitlines()[1]
    assert "content/x.md" in hint and "content/x/index.md" in hint, hint


def test_a_misspelt_link_names_the_close_file_as_a_relative_link(make_site, ssg):
    site = make_site({"content/night/lake-of-glass.md": piece("Lake of Glass"), "content/day/walk.md": piece("Walk", body="[the lake](../night/lake-of-glas.md)")})
    errors = failed_build(site, ssg)
    assert errors == ["content/day/walk.md:6: broken link '../night/lake-of-glas.md'"]
    err = ssg("build", "-s", site).err
    assert "did you mean '../night/lake-of-glass.md' (content/night/lake-of-glass.md)?" in err, err


def test_a_cascade_that_is_not_a_table_is_an_error_at_its_line(make_site, ssg):
    site = make_site({"content/night/_index.md": "---\ntitle: Night\ncascade: 3\n---\n", "content/night/owl.md": piece("Owl")})
    errors = failed_build(site, ssg)
    assert any(error.startswith("content/night/_index.md:3: 'cascade' must be a table") for error in errors), errors


def test_an_unknown_key_in_a_section_file_is_a_warning(make_site, ssg):
    site = make_site({"content/night/_index.md": "---\ntitle: Night\nlayout: list\n---\n", "content/night/owl.md": piece("Owl")})
    run = built(ssg, site)
    assert "content/night/_index.md:3: warning: unknown section key 'layout'" in run.err
    assert soup(site / "output/night/index.html").find("h1").get_text(strip=True) == "Night"


def test_a_cascade_with_a_target_is_a_warning_and_not_applied(make_site, ssg):
    site = make_site(
        {
            "content/night/_index.md": "---\ntitle: Night\ncascade:\n  - _target:\n      path: /night/**\n    form: verse\n---\n",
            "content/night/owl.md": piece("Owl", body="One\nTwo"),
        }
    )
    run = built(ssg, site)
    assert "content/night/_index.md:3: warning: a cascade with '_target' is not applied" in run.err
    assert not is_verse(soup(site / "output/owl/index.html"))


def test_a_section_of_drafts_only_has_no_page(make_site, ssg):
    site = make_site({"content/later/_index.md": "---\ntitle: Later\n---\n", "content/later/unsent.md": piece("Unsent", draft="true"), "content/now.md": piece("Now")})
    built(ssg, site)
    assert not (site / "output/later").exists()
    home = soup(site / "output/index.html")
    assert "Later" not in home.select_one("main").get_text()


def test_a_section_has_its_own_feed_of_its_pieces(make_site, ssg):
    site = make_site(
        {
            "content/night/_index.md": "---\ntitle: Night\n---\n",
            "content/night/owl.md": piece("Owl", "2024-01-02"),
            "content/night/moth.md": piece("Moth", "2024-01-03"),
            "content/day.md": piece("Day", "2024-01-04"),
        }
    )
    built(ssg, site)
    feed = feedparser.parse((site / "output/night/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Moth", "Owl"]
    assert "Night" in feed.feed.title
    page = soup(site / "output/night/index.html")
    assert page.find("link", rel="alternate", href="/night/feed.xml") is not None


@pytest.mark.parametrize(
    "edited",
    [
        pytest.param("---\ntitle: Night\ncascade:\n  form: verse\n---\n", id="cascade-only"),
        pytest.param("---\ntitle: Nocturnes\ncascade:\n  form: verse\n---\n", id="cascade-and-title"),
    ],
)
def test_editing_a_cascade_rerenders_the_pieces_below_as_a_clean_build_would(make_site, tmp_path, edited):
    site = make_site(
        {
            "content/night/_index.md": "---\ntitle: Night\n---\n",
            "content/night/owl.md": piece("Owl", body="The owl counts\nthe hours I lost"),
            "content/day.md": piece("Day", body="The sun\nrose late."),
        }
    )
    builder = Builder(load_config(site))
    builder.build()
    assert not is_verse(soup(site / "output/owl/index.html"))
    index = site / "content/night/_index.md"
    index.write_text(edited)
    builder.build(changed=[index], rescan=False)
    owl = soup(site / "output/owl/index.html")
    assert is_verse(owl) and len(owl.select(".line")) == 2
    assert not is_verse(soup(site / "output/day/index.html"))
    Builder(load_config(site, output_dir=tmp_path / "clean")).build()
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
