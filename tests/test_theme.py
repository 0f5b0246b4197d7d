"""The theme inside ssg, overridden one file at a time by a site's layouts/."""

from __future__ import annotations

import pytest

from ssg.build import Builder
from ssg.config import load_config
from ssg.templates import THEME_DIR
from tests.support import piece, read_tree, soup

PIECES = {
    "content/lake.md": piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake was glass."),
    "content/fog.md": piece("Fog Hymn", "2026-01-02", tags="[mist]", body="Grey on grey."),
}


def stylesheets(page) -> list[str]:
    return [link["href"] for link in page.select('link[rel="stylesheet"]')]


@pytest.mark.parametrize("settings", [None, "", '[project]\nname = "my-dreams"\n', '[tool.ssg]\ntitle = "Night Book"\n'])
def test_content_and_a_pyproject_build_the_whole_themed_site(make_site, ssg, settings):
    files = dict(PIECES)
    if settings is not None:
        files["pyproject.toml"] = settings
    site = make_site(files)
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    output = site / "output"
    built = read_tree(output)
    for page in ("index.html", "lake/index.html", "fog/index.html", "tags/index.html", "tags/mist/index.html", "404.html", "feed.xml", "sitemap.xml"):
        assert page in built, page
    assert built["assets/style.css"] == (THEME_DIR / "assets/style.css").read_bytes() and len(built["assets/style.css"]) > 10_000
    assert built["assets/favicon.svg"] == (THEME_DIR / "assets/favicon.svg").read_bytes()
    lake = soup(output / "lake/index.html")
    assert stylesheets(lake) == ["/assets/style.css"]
    assert lake.select_one('link[rel="icon"]')["href"] == "/assets/favicon.svg"
    assert lake.body["data-mood"] == "moonlight"
    assert soup(output / "tags/mist/index.html").body["data-mood"] == "mist"
    assert lake.select_one("h1.piece-title").text == "Lake of Glass"
    assert "Night Book" in lake.title.text if settings and "Night Book" in settings else "Dreams" in lake.title.text


def test_a_site_layout_replaces_only_the_theme_file_of_its_name(make_site, ssg):
    site = make_site({**PIECES, "layouts/piece.html": '{% extends "base.html" %}{% block content %}<h1 class="mine">{{ piece.title }}</h1>{% endblock %}\n'})
    assert ssg("build", "-s", site).code == 0
    lake = soup(site / "output/lake/index.html")
    assert lake.select_one("h1.mine").text == "Lake of Glass"
    assert lake.select_one(".site-nav") is not None  # the theme's base.html around it
    assert soup(site / "output/index.html").select_one(".site-title") is not None  # home.html is the theme's


def test_a_site_layout_extends_the_theme_layout_it_replaces(make_site, ssg):
    site = make_site(
        {
            **PIECES,
            "layouts/piece.html": '{% extends "theme/piece.html" %}\n{% block head %}{{ super() }}<meta name="mine" content="{{ piece.slug }}">{% endblock %}\n',
            "layouts/base.html": '{% extends "theme/base.html" %}\n{% block feeds %}<meta name="site-base" content="yes">{% endblock %}\n',
        }
    )
    assert ssg("build", "-s", site).code == 0
    lake = soup(site / "output/lake/index.html")
    assert lake.select_one('meta[name="mine"]')["content"] == "lake"
    assert lake.select_one('meta[name="site-base"]') is not None  # theme/piece.html extends "base.html": the site's
    assert lake.select_one("h1.piece-title").text == "Lake of Glass"
    assert soup(site / "output/tags/index.html").select_one('meta[name="site-base"]') is not None


def test_custom_css_is_linked_after_the_theme_stylesheet_and_an_asset_replaces_the_theme_one(make_site, ssg):
    site = make_site({**PIECES, "layouts/assets/custom.css": "body { letter-spacing: .01em }\n", "layouts/assets/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert ssg("build", "-s", site).code == 0
    output = site / "output"
    for page in ("index.html", "lake/index.html", "tags/mist/index.html", "404.html"):
        assert stylesheets(soup(output / page)) == ["/assets/style.css", "/assets/custom.css"], page
    assert (output / "assets/custom.css").read_text() == "body { letter-spacing: .01em }\n"
    assert (output / "assets/favicon.svg").read_text() == "<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert (output / "assets/style.css").read_bytes() == (THEME_DIR / "assets/style.css").read_bytes()


def test_removing_an_override_brings_the_theme_back_in_a_rebuild_and_in_ssg_build(make_site, ssg):
    site = make_site(PIECES)
    assert ssg("build", "-s", site).code == 0
    themed = read_tree(site / "output")
    overrides = {
        site / "layouts/piece.html": '{% extends "base.html" %}{% block content %}Mine.{% endblock %}\n',
        site / "layouts/assets/style.css": "body { color: red }\n",
        site / "layouts/assets/custom.css": "a { color: red }\n",
    }
    builder = Builder(load_config(site, output_dir=site / "watched"))
    builder.build()
    for file, text in overrides.items():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    report = builder.build(changed=set(overrides))
    assert "Mine." in (site / "watched/lake/index.html").read_text()
    assert "assets/custom.css" in report.written and "index.html" in report.written  # every page now links it
    assert ssg("build", "-s", site).code == 0
    assert (site / "output/assets/style.css").read_text() == "body { color: red }\n"
    for file in overrides:
        file.unlink()
    builder.build(changed=set(overrides))
    assert read_tree(site / "watched") == themed
    assert ssg("build", "-s", site).code == 0
    assert read_tree(site / "output") == themed


def test_layout_errors_name_the_site_file_or_the_theme_file(make_site, ssg):
    site = make_site({**PIECES, "layouts/piece.html": '{% extends "theme/piece.html" %}\n{% block head %}\n{{ piece.no_such_field }}\n{% endblock %}\n'})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "layouts/piece.html:3: error in layout while rendering /lake/" in run.err, run.err

    site = make_site({**PIECES, "layouts/home.html": '{% set groups = 3 %}\n{% include "theme/home.html" %}\n'}, name="other")
    run = ssg("build", "-s", site)
    assert run.code == 1
    line = next(number for number, text in enumerate((THEME_DIR / "partials/contents.html").read_text().splitlines(), start=1) if "for group in groups" in text)
    assert f"theme/partials/contents.html:{line}: error in layout while rendering /: 'int' object is not iterable" in run.err, run.err


def test_a_layout_syntax_error_in_an_override_is_at_its_line(make_site, ssg):
    site = make_site({**PIECES, "layouts/tags.html": '{% extends "theme/tags.html" %}\n{% block content %}{% if %}{% endblock %}\n'})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "layouts/tags.html:2: layout syntax error" in run.err, run.err


@pytest.mark.parametrize("layout", ["home.html", "piece.html", "base.html", "404.html"])
def test_each_layout_is_read_once_per_build(layout, make_site):
    """Its files are read and digested once, then every page of that layout reuses it.

    A layout reading the 'assets' global once kept its digest under the
    global's name, so every page read the theme again (a cold build 60 % slower).
    """
    from ssg.templates import LayoutReader, make_environment

    site = make_site({"content/a.md": piece("A"), f"layouts/{layout}": "{% extends 'theme/" + layout + "' %}\n"})
    reader = LayoutReader(make_environment(load_config(site)))
    first = reader.use_of(layout)
    (site / "layouts" / layout).write_text("<p>changed, but not before the next build</p>\n")
    assert reader.use_of(layout) == first
    reader.start_rebuild()
    assert reader.use_of(layout) != first
