"""The search index as ssg build writes it: every published piece, each in its language, only on /search/, and never stale.

What a reader finds with it is tested in a real browser (tests/browser/test_search.py).
"""

from __future__ import annotations

import json

from tests.support import piece, read_tree, soup

SETTINGS = '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://user.github.io/anthology/"\n'


def site_files(settings: str = SETTINGS) -> dict[str, str]:
    return {
        "pyproject.toml": settings,
        "content/lake.md": piece("Lake of Glass", "2026-01-01", tags="[moonlight]", author="Hana Mori", body="The lake was glass."),
        "content/fog.md": piece("Fog Hymn", "2026-01-02", tags="[mist]", body="Grey on grey."),
        "content/lune.md": piece("La lune", "2026-01-03", lang="fr", body="La lune est tombée dans le lac."),
        "content/secret.md": piece("Secret", "2026-01-04", draft="true", body="Never to be found."),
    }


def index_of(out) -> dict:
    return json.loads((out / "pagefind/pagefind-entry.json").read_text())


def test_the_index_holds_every_published_piece_in_its_language(ssg, make_site):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    out = site / "output"
    assert (out / "pagefind/pagefind.js").is_file()
    languages = index_of(out)["languages"]
    assert {language: index["page_count"] for language, index in languages.items()} == {"en": 2, "fr": 1}  # the draft is not there
    assert not (site / ".ssg-cache/search").exists()  # Pagefind's scratch folder is gone


def test_only_the_search_page_loads_a_script(ssg, make_site):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    out = site / "output"
    search = soup(out / "search/index.html")
    form = search.find("form", role="search")
    assert form["action"] == "/anthology/search/" and form["method"] == "get"
    assert form["data-bundle"] == "/anthology/pagefind/"
    assert [script["src"] for script in search.find_all("script", src=True)] == ["/anthology/assets/search.js"]
    assert "Search needs JavaScript" in search.find("noscript").get_text()
    options = {select["name"]: [option["value"] for option in select.find_all("option")] for select in form.find_all("select")}
    assert options == {"contributor": ["", "Hana Mori"], "mood": ["", "mist", "moonlight"], "form": ["", "verse", "prose"]}
    for page in ("index.html", "lake/index.html", "tags/mist/index.html", "contributors/index.html"):
        html = soup(out / page)
        assert html.find("script") is None, page
        assert html.find("a", href="/anthology/search/") is not None, page  # the way to the search page


def test_search_false_writes_no_index_and_no_page(ssg, make_site):
    site = make_site(site_files(SETTINGS + "search = false\n"))
    assert ssg("build", "-s", site, "-q").code == 0
    out = site / "output"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert soup(out / "index.html").find("a", href="/anthology/search/") is None


def test_the_index_is_the_same_from_build_to_build_and_rebuilt_only_when_a_piece_changes(ssg, make_site, tmp_path):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    first = read_tree(site / "output/pagefind")
    stamps = {file: file.stat().st_mtime_ns for file in (site / "output/pagefind").rglob("*")}
    assert ssg("build", "-s", site, "-q").code == 0  # warm, nothing changed: nothing written
    assert {file: file.stat().st_mtime_ns for file in (site / "output/pagefind").rglob("*")} == stamps
    assert ssg("build", "-s", site, "-o", tmp_path / "again", "-q").code == 0
    assert read_tree(tmp_path / "again/pagefind") == first

    (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-01-01", tags="[moonlight]", author="Hana Mori", body="The lake had thawed."))
    assert ssg("build", "-s", site, "-q").code == 0
    edited = read_tree(site / "output/pagefind")
    assert edited != first
    # No stale file: what an edit leaves is what a fresh build of the edited site writes.
    assert ssg("build", "-s", site, "-o", tmp_path / "fresh", "-q").code == 0
    assert edited == read_tree(tmp_path / "fresh/pagefind")


def test_a_setting_that_is_not_a_boolean_is_an_error_at_its_line(ssg, make_site):
    site = make_site(site_files(SETTINGS + 'search = "yes"\n'))
    run = ssg("build", "-s", site)
    assert run.code != 0
    assert "pyproject.toml:4: 'search' must be true or false (got str 'yes')" in run.err
    assert not (site / "output").exists()
