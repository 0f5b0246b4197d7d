"""Symbolic links: nothing from outside the site folder is ever read or published.

As on GitHub Pages, a link is followed only when its target is inside the site
folder; any other is a problem at the link's own path, with a hint, for files
and folders alike.  The links are made by the tests themselves: links stored
in git would be copied as plain files by other tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ssg.build import Builder
from ssg.config import load_config
from ssg.errors import SiteError
from ssg.templates import THEME_DIR
from tests.support import failed_build, piece, read_tree, write_files

SECRET = "TOKEN-4f1c-never-publish-me"
OUTSIDE = "links outside the site folder"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder beside the site holding what must never be published."""
    folder = tmp_path / "private"
    write_files(
        folder,
        {
            "passwd.txt": f"root:x:0:0:{SECRET}\n",
            "dream.md": piece("Stolen", body=SECRET),
            "layout.html": f"{SECRET}\n",
            "pieces/hidden.md": piece("Hidden", body=SECRET),
        },
    )
    return folder


def link(path: Path, target: Path | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def test_a_static_file_linking_outside_is_refused_by_name(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/static/passwd.txt", secret / "passwd.txt")
    run_errors = failed_build(site, ssg)
    assert run_errors == [f"content/static/passwd.txt: {OUTSIDE}"]


def test_the_hint_says_what_to_do(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/static/passwd.txt", secret / "passwd.txt")
    run = ssg("build", "-s", site)
    assert f"content/static/passwd.txt: {OUTSIDE}\n  hint: copy what it points to into the site folder" in run.err


def test_a_piece_linking_outside_is_refused(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/dream.md", secret / "dream.md")
    link(site / "content/_index.md", secret / "dream.md")
    assert failed_build(site, ssg) == [f"content/_index.md: {OUTSIDE}", f"content/dream.md: {OUTSIDE}"]


def test_a_folder_linking_outside_is_refused_not_skipped(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/night", secret / "pieces")
    link(site / "content/static/private", secret)
    assert failed_build(site, ssg) == [f"content/night: {OUTSIDE}", f"content/static/private: {OUTSIDE}"]


def test_layouts_partials_and_assets_linking_outside_are_refused(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A")})
    for name in ("layouts/piece.html", "layouts/partials/tag-list.html", "layouts/assets/style.css"):
        link(site / name, secret / "layout.html")
    link(site / "layouts/assets/fonts", secret)
    assert failed_build(site, ssg) == [
        f"layouts/assets/fonts: {OUTSIDE}",
        f"layouts/assets/style.css: {OUTSIDE}",
        f"layouts/partials/tag-list.html: {OUTSIDE}",
        f"layouts/piece.html: {OUTSIDE}",
    ]


def test_the_jinja_loader_refuses_a_layout_linking_outside(make_site, secret):
    """The loader checks on its own too: a layout is never read through a link out of the site."""
    from ssg.templates import make_environment

    site = make_site({"content/a.md": piece("A")})
    link(site / "layouts/piece.html", secret / "layout.html")
    env = make_environment(load_config(site))
    with pytest.raises(SiteError) as caught:
        env.get_template("piece.html")
    assert [str(problem) for problem in caught.value.problems] == [f"layouts/piece.html: {OUTSIDE}"]
    assert env.get_template("theme/piece.html").filename == str(THEME_DIR / "piece.html")  # ssg's own theme is read


def test_links_inside_the_site_folder_work(make_site, ssg):
    base = (THEME_DIR / "base.html").read_text(encoding="utf-8")
    site = make_site(
        layouts=True,
        files={
            "notes/lake.md": piece("Lake", body="A linked lake."),
            "shared/night/owl.md": piece("Owl", body="A linked owl."),
            "art/logo.svg": "<svg>logo</svg>\n",
            "theme/base.html": base + "<!-- the linked base -->\n",
        },
    )
    link(site / "content/lake.md", "../notes/lake.md")
    link(site / "content/shared", "../shared")
    link(site / "content/static/logo.svg", "../../art/logo.svg")
    (site / "layouts/base.html").unlink()
    link(site / "layouts/base.html", "../theme/base.html")
    link(site / "layouts/assets/linked.css", "style.css")

    run = ssg("build", "-s", site)

    assert run.code == 0, run
    output = site / "output"
    assert "A linked lake." in (output / "lake/index.html").read_text(encoding="utf-8")
    assert "A linked owl." in (output / "owl/index.html").read_text(encoding="utf-8")
    assert (output / "static/logo.svg").read_text() == "<svg>logo</svg>\n"
    assert "<!-- the linked base -->" in (output / "index.html").read_text(encoding="utf-8")
    assert (output / "assets/linked.css").read_bytes() == (site / "layouts/assets/style.css").read_bytes()


def test_a_link_to_nothing_and_a_loop_of_links_are_problems(make_site, tmp_path, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/static/gone.txt", tmp_path / "nothing-here.txt")
    link(site / "content/left.md", "right.md")
    link(site / "content/right.md", "left.md")
    assert failed_build(site, ssg) == [
        "content/left.md: is a loop of links that never reaches a file",
        "content/right.md: is a loop of links that never reaches a file",
        "content/static/gone.txt: links to nothing: its target does not exist",
    ]


def test_a_folder_linking_to_a_folder_that_holds_it_is_a_cycle_not_an_endless_walk(make_site, ssg):
    site = make_site({"content/night/a.md": piece("A")})
    link(site / "content/night/again", "..")
    link(site / "content/everything", "..")  # the site folder, which holds content/
    assert failed_build(site, ssg) == [
        "content/everything: links to a folder that holds it, so its files would be listed forever",
        "content/night/again: links to a folder that holds it, so its files would be listed forever",
    ]


def test_content_dir_outside_the_site_folder_is_refused_at_its_line(make_site, tmp_path, ssg):
    write_files(tmp_path / "elsewhere", {"a.md": piece("A")})
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\ncontent_dir = "../elsewhere"\n'})
    assert failed_build(site, ssg) == ["pyproject.toml:3: 'content_dir' is outside the site folder (got '../elsewhere')"]


def test_a_content_folder_that_links_outside_is_refused(make_site, secret, ssg):
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Dreams"\n'})
    (site / "content").rmdir()
    link(site / "content", secret / "pieces")
    assert failed_build(site, ssg) == [f"content: {OUTSIDE}"]


def test_every_problem_of_a_run_is_reported_at_once(make_site, secret, ssg):
    site = make_site({"content/a.md": piece("A"), "content/b.md": "---\ntitle: B\ndate: someday\n---\nB.\n"})
    link(site / "content/static/passwd.txt", secret / "passwd.txt")
    link(site / "content/dream.md", secret / "dream.md")
    link(site / "content/night", secret / "pieces")
    link(site / "layouts/piece.html", secret / "layout.html")
    errors = failed_build(site, ssg)
    assert f"content/static/passwd.txt: {OUTSIDE}" in errors
    assert f"content/dream.md: {OUTSIDE}" in errors
    assert f"content/night: {OUTSIDE}" in errors
    assert f"layouts/piece.html: {OUTSIDE}" in errors
    assert any(line.startswith("content/b.md:3: ") for line in errors), errors
    assert len(errors) == 5, errors


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/environ is Linux's")
def test_the_environment_of_a_ci_runner_is_never_published(make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    link(site / "content/static/environ.txt", "/proc/self/environ")
    assert failed_build(site, ssg) == [f"content/static/environ.txt: {OUTSIDE}"]
    path_entry = next(entry for entry in Path("/proc/self/environ").read_bytes().split(b"\0") if entry.startswith(b"PATH="))
    assert all(path_entry not in data for data in read_tree(site / "output").values())


def test_a_rebuild_after_a_link_appears_reports_it(make_site, secret):
    """What `ssg serve` and `ssg watch` do: one builder, rebuilt after each change."""
    site = make_site({"content/a.md": piece("A")})
    builder = Builder(load_config(site))
    builder.build()
    good = read_tree(site / "output")

    link(site / "content/static/passwd.txt", secret / "passwd.txt")
    with pytest.raises(SiteError) as caught:
        builder.build()
    assert [str(problem) for problem in caught.value.problems] == [f"content/static/passwd.txt: {OUTSIDE}"]
    assert read_tree(site / "output") == good


def test_a_watcher_event_for_a_new_link_lists_the_folder_again(make_site, secret):
    """A watcher names the changed files and skips the listing: a link among them must still be checked."""
    site = make_site({"content/a.md": piece("A")})
    builder = Builder(load_config(site))
    builder.build()
    good = read_tree(site / "output")

    dream = site / "content/dream.md"
    link(dream, secret / "dream.md")
    with pytest.raises(SiteError) as caught:
        builder.build(changed={dream}, rescan=False)
    assert [str(problem) for problem in caught.value.problems] == [f"content/dream.md: {OUTSIDE}"]
    assert read_tree(site / "output") == good

    night = site / "content/night"
    link(night, secret / "pieces")
    with pytest.raises(SiteError) as caught:
        builder.build(changed={night}, rescan=False)
    assert [str(problem) for problem in caught.value.problems] == [f"content/dream.md: {OUTSIDE}", f"content/night: {OUTSIDE}"]

    dream.unlink()
    night.unlink()
    builder.build(changed={dream, night}, rescan=False)
    assert read_tree(site / "output") == good
    assert all(SECRET not in data.decode(errors="replace") for data in read_tree(site / "output").values())


def test_listing_stays_cheap_for_plain_files(make_site, monkeypatch):
    """Only links are resolved: plain files are listed from the folder's entries alone."""
    from ssg import sitefiles
    from ssg.load import _markdown_files

    site = make_site({f"content/d{number % 10}/p{number}.md": piece(f"P{number}") for number in range(200)})
    config = load_config(site)
    resolved = []
    real_link_problem = sitefiles.link_problem

    def counting(config, path):
        resolved.append(path)
        return real_link_problem(config, path)

    monkeypatch.setattr(sitefiles, "link_problem", counting)
    files, refused = _markdown_files(config)
    assert len(files) == 200 and refused == []
    assert resolved == [config.content_dir]
    assert os.fspath(files[0]).endswith("content/d0/p0.md")
