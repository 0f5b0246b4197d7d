"""Building real sites: every page kind, ordering, tags, drafts, base paths."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

from ssg.markup import THEME_IDS
from ssg.scaffold import NOT_REPLACEABLE
from ssg.templates import THEME_DIR
from tests.support import REPO, piece, read_tree, soup


def hrefs(page) -> list[str]:
    return [a["href"] for a in page.find_all("a", href=True)]


def test_every_page_kind_is_written(make_site, ssg):
    site = make_site(
        {
            "content/lake.md": piece("Lake of Glass", "2026-02-01", tags="[moonlight, sea]", author="Hana Mori"),
            "content/night/fog.md": piece("Fog", "2026-03-01", tags="mist"),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    out = site / "output"
    for file in (
        "index.html",
        "lake/index.html",
        "fog/index.html",
        "tags/index.html",
        "tags/moonlight/index.html",
        "tags/sea/index.html",
        "tags/mist/index.html",
        "404.html",
        "night/index.html",
        "first-lines/index.html",
        "contributors/index.html",
        "contributors/hana-mori/index.html",
        "colophon/index.html",
        "search/index.html",
        "pagefind/pagefind.js",
    ):
        assert (out / file).is_file(), file
    assert "Built 14 pages" in run.out and "2 pieces" in run.out and "3 tags" in run.out

    page = soup(out / "lake/index.html")
    assert page.find("h1").get_text(strip=True) == "Lake of Glass"
    assert page.html["lang"] == "en"
    assert page.find("time")["datetime"] == "2026-02-01"
    assert "Hana Mori" in page.get_text()
    assert "/tags/moonlight/" in hrefs(page) and "/tags/sea/" in hrefs(page)
    assert page.find("link", rel="stylesheet")["href"].startswith("/assets/")
    assert (out / page.find("link", rel="stylesheet")["href"].lstrip("/")).is_file()


def test_home_lists_pieces_in_reading_order(make_site, ssg):
    site = make_site(
        {
            "content/c.md": piece("Cedar", "2026-01-03"),
            "content/a.md": piece("Alder", "2026-01-05"),
            "content/b.md": piece("Birch", "2026-01-04", weight="1"),
            "content/d.md": piece("Aspen", "2026-01-05"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    home = soup(site / "output/index.html")
    listed = [a["href"] for a in home.find("main").find_all("a", href=True) if not a["href"].startswith("/tags/")]
    assert listed[:4] == ["/b/", "/c/", "/a/", "/d/"]  # weight, then date, then title


def test_piece_links_to_previous_and_next(make_site, ssg):
    site = make_site(
        {
            "content/one.md": piece("One", "2026-01-01"),
            "content/two.md": piece("Two", "2026-01-02"),
            "content/three.md": piece("Three", "2026-01-03"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    out = site / "output"
    first, middle, last = (soup(out / f"{s}/index.html") for s in ("one", "two", "three"))
    assert first.find("a", rel="prev") is None and first.find("a", rel="next")["href"] == "/two/"
    assert middle.find("a", rel="prev")["href"] == "/one/" and middle.find("a", rel="next")["href"] == "/three/"
    assert last.find("a", rel="next") is None and last.find("a", rel="prev")["href"] == "/two/"


def test_piece_shows_epigraph_dedication_and_body(make_site, ssg):
    site = make_site(
        {
            "content/lake.md": piece("Lake", epigraph='"Water remembers."', dedication="for my sister", body="The *lake* was glass -- and I walked on it..."),
        }
    )
    assert ssg("build", "-s", site).code == 0
    text = soup(site / "output/lake/index.html").get_text()
    assert "Water remembers." in text and "for my sister" in text
    assert "The lake was glass – and I walked on it…" in " ".join(text.split())


def test_tags_are_one_tag_whatever_the_case_and_spacing(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", "2026-01-01", tags="[Mist]"),
            "content/b.md": piece("B", "2026-01-02", tags="[mist]"),
            "content/c.md": piece("C", "2026-01-03", tags="' mist '"),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    assert "1 tags" in run.out
    tag_page = soup(site / "output/tags/mist/index.html")
    assert tag_page.find("h1").get_text(strip=True).startswith("Mist")  # as first written
    listed = [h for h in hrefs(tag_page.find("main")) if h in ("/a/", "/b/", "/c/")]
    assert listed == ["/a/", "/b/", "/c/"]  # in reading order


def test_non_latin_tags_keep_their_letters(make_site, ssg):
    site = make_site({"content/a.md": piece("A", tags="[rêve, 夢]")})
    assert ssg("build", "-s", site).code == 0
    out = site / "output"
    assert (out / "tags/rêve/index.html").is_file() and (out / "tags/夢/index.html").is_file()
    links = hrefs(soup(out / "a/index.html"))
    assert "/tags/r%C3%AAve/" in links and "/tags/%E5%A4%A2/" in links
    assert unquote("/tags/%E5%A4%A2/") == "/tags/夢/"


def test_tag_pages_are_paginated(make_site, ssg):
    files = {f"content/p{n:02}.md": piece(f"Piece {n}", f"2026-01-{n:02}", tags="[moonlight]") for n in range(1, 8)}
    files["pyproject.toml"] = "[tool.ssg]\nper_page = 3\n"
    site = make_site(files)
    assert ssg("build", "-s", site).code == 0
    out = site / "output"
    pages = [soup(out / f) for f in ("tags/moonlight/index.html", "tags/moonlight/page/2/index.html", "tags/moonlight/page/3/index.html")]
    assert not (out / "tags/moonlight/page/4").exists()
    shown = [[h for h in hrefs(p.find("main")) if h.startswith("/p")] for p in pages]
    assert shown == [["/p01/", "/p02/", "/p03/"], ["/p04/", "/p05/", "/p06/"], ["/p07/"]]  # in reading order
    assert pages[0].find("a", rel="next")["href"] == "/tags/moonlight/page/2/"
    assert pages[1].find("a", rel="prev")["href"] == "/tags/moonlight/"
    assert pages[2].find("a", rel="next") is None
    assert "Page 2 of 3" in pages[1].get_text()


def test_drafts_and_future_pieces_are_left_out_unless_asked(make_site, ssg):
    site = make_site(
        {
            "content/now.md": piece("Now", "2026-01-01"),
            "content/draft.md": piece("Draft", "2026-01-02", draft="true", tags="[secret]"),
            "content/later.md": piece("Later", "2999-01-01"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    out = site / "output"
    assert (out / "now/index.html").is_file()
    assert not (out / "draft").exists() and not (out / "later").exists() and not (out / "tags/secret").exists()
    assert "/draft/" not in hrefs(soup(out / "index.html"))

    assert ssg("build", "-s", site, "--drafts", "--future").code == 0
    assert (out / "draft/index.html").is_file() and (out / "later/index.html").is_file() and (out / "tags/secret/index.html").is_file()


def test_sub_path_base_url_reaches_every_link(make_site, ssg):
    site = make_site(
        {
            "content/lake.md": piece("Lake", tags="[moonlight]"),
            "content/static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    assert ssg("build", "-s", site, "-b", "https://user.github.io/anthology/").code == 0
    out = site / "output"
    for file in ("index.html", "lake/index.html", "tags/index.html", "tags/moonlight/index.html", "404.html"):
        page = soup(out / file)
        urls = hrefs(page) + [link["href"] for link in page.find_all("link", href=True)] + [s["src"] for s in page.find_all(src=True)]
        internal = [u for u in urls if not u.startswith(("http:", "https:", "#", "mailto:"))]
        assert internal, file
        for url in internal:
            assert url.startswith("/anthology/"), (file, url)
            target = out / unquote(url.removeprefix("/anthology/").split("#")[0])
            assert target.is_file() or (target / "index.html").is_file(), (file, url)


def test_titles_tags_and_authors_are_escaped(make_site, ssg):
    site = make_site(
        {
            "content/x.md": piece('"<script>alert(1)</script>"', author='"<b>Eve</b> & co"', tags='["<i>mist</i>"]', summary='"a \\"quoted\\" <summary>"'),
        }
    )
    assert ssg("build", "-s", site).code == 0
    for file in (site / "output").rglob("*.html"):
        html = file.read_text()
        assert "<script>alert(1)" not in html and "<b>Eve" not in html and "<i>mist" not in html, file
    page = soup(site / "output/x/index.html")
    assert page.find("h1").get_text(strip=True) == "<script>alert(1)</script>"
    assert "<b>Eve</b> & co" in page.get_text()


def test_same_input_gives_identical_output(make_site, ssg, tmp_path):
    site = make_site(
        {
            "content/a.md": piece("A", "2026-01-01", tags="[mist, dawn]", body="```python\nprint('x')\n```\n\nText[^1].\n\n[^1]: Note."),
            "content/b.md": piece("B", "2026-01-02", tags="[dawn]"),
        }
    )
    assert ssg("build", "-s", site, "-o", tmp_path / "one").code == 0
    assert ssg("build", "-s", site, "-o", tmp_path / "two").code == 0
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_files_of_removed_pieces_disappear(make_site, ssg):
    site = make_site({"content/a.md": piece("A"), "content/b.md": piece("B", "2026-01-02")})
    assert ssg("build", "-s", site).code == 0
    (site / "content/b.md").unlink()
    assert ssg("build", "-s", site).code == 0
    assert not (site / "output/b").exists()


def test_static_files_are_copied_as_they_are(make_site, ssg):
    image = bytes(range(256))
    site = make_site({"content/a.md": piece("A"), "content/static/img/moon.png": image})
    assert ssg("build", "-s", site).code == 0
    assert (site / "output/static/img/moon.png").read_bytes() == image


def test_code_is_highlighted_with_css_classes(make_site, ssg):
    site = make_site({"content/a.md": piece("A", body="```python\ndef dream():\n    return 'mist'\n```")})
    assert ssg("build", "-s", site).code == 0
    block = soup(site / "output/a/index.html").find(class_="codehilite")
    assert block is not None and block.find("span", class_="k") is not None
    assert "style=" not in str(block)


def test_markdown_extras_render(make_site, ssg):
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\nTerm\n:   Definition\n\nA dream[^n].\n\n[^n]: A note.\n\n## Part two\n"
    site = make_site({"content/a.md": piece("A", body=body)})
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/a/index.html")
    assert page.find("table") and page.find("dl") and page.find(class_="footnote")
    assert page.find("h2", id="part-two")


def test_a_site_without_settings_builds_with_defaults(make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    assert not (site / "pyproject.toml").exists()
    assert ssg("build", "-s", site).code == 0
    assert (site / "output/index.html").is_file()


def test_the_anthology_builds(ssg, tmp_path):

    run = ssg("build", "-s", REPO, "-o", tmp_path / "out")
    assert run.code == 0, run
    assert not run.err, run.err
    out = tmp_path / "out"
    seed = REPO.parent / "shared/seed/i-am-dreaming.txt"
    page = soup(out / "i-am-dreaming/index.html")
    if seed.is_file():  # word for word; only the typography of quotes changes
        straight = str.maketrans("‘’“”", "''\"\"")
        shown = " ".join(page.find("article").get_text().translate(straight).split())
        for paragraph in seed.read_text(encoding="utf-8").split("\n\n"):
            assert " ".join(paragraph.split()) in shown
    assert len(list(out.glob("*/index.html"))) >= 13


def test_the_ids_of_the_theme_are_never_given_to_headings(make_site, ssg):
    web_layouts = [layout for layout in THEME_DIR.rglob("*.html") if not layout.relative_to(THEME_DIR).as_posix().startswith(NOT_REPLACEABLE)]  # the EPUB and PDF keep their own
    written = {m for layout in web_layouts for m in re.findall(r'\bid="([^"{]*)"', layout.read_text())}
    assert written == THEME_IDS, "THEME_IDS must name every id the layouts give"
    headings = "# Main\n\nText.\n\n## Contents heading\n\n## Listing heading\n\n## Moods heading\n\n## Themes heading\n\n## Main\n\n# Top {#main}"
    site = make_site(
        {
            "content/_index.md": headings,
            "content/main.md": piece("Main", body=headings, tags="[mist]"),
            "content/contents.md": piece("Contents", body="# Contents\n\nMore.", tags="[mist]"),
            "pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\n\n[tool.ssg.tags.mist]\nmood = "mist"\n',
        }
    )
    assert ssg("build", "-s", site).code == 0
    for file in (site / "output").rglob("*.html"):
        ids = Counter(element["id"] for element in soup(file).find_all(id=True))
        assert [id for id, count in ids.items() if count > 1] == [], file
    page = soup(site / "output/main/index.html")
    assert [h.get_text() for h in page.find_all("h1")] == ["Main", "Main", "Top"]
    assert page.find(id="main").name == "main"
    assert page.find("h1", string="Main", id=True)["id"] != "main"
