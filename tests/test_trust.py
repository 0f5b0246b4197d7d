"""A build never publishes what it must not, and never keeps what it must not.

Each test runs `ssg build` twice or more, with its cache, as a writer would,
and compares the output with a clean build of the same sources.
"""

from __future__ import annotations

import os
import shutil

from tests.support import piece, read_tree, soup


def clean_build(site, ssg, tmp_path) -> dict[str, bytes]:
    """The output of a build from scratch: no cache, an empty output folder."""
    shutil.rmtree(site / ".ssg-cache", ignore_errors=True)
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    assert ssg("build", "-q", "-s", site, "-o", out).code == 0
    return read_tree(out)


def test_a_draft_sharing_a_published_slug_never_leaks_on_a_warm_build(make_site, ssg, tmp_path):
    site = make_site(
        {
            "content/lake.md": piece("The Lake", body="The published lake."),
            "content/new-lake.md": piece("The New Lake", "2026-01-02", body="SECRET DRAFT TEXT.", slug="lake", draft="true"),
        }
    )
    for _ in range(3):  # the first build, then warm builds from .ssg-cache/
        assert ssg("build", "-q", "-s", site).code == 0
        built = read_tree(site / "output")
        assert not any(b"SECRET DRAFT TEXT" in data for data in built.values())
        assert "The published lake." in soup(site / "output/lake/index.html").get_text()
    (site / "content/new-lake.md").write_text(piece("The New Lake", "2026-01-02", body="SECRET DRAFT TEXT, edited.", slug="lake", draft="true"))
    assert ssg("build", "-q", "-s", site).code == 0
    assert not any(b"SECRET DRAFT TEXT" in data for data in read_tree(site / "output").values())
    assert read_tree(site / "output") == clean_build(site, ssg, tmp_path)


def test_an_edited_draft_sharing_a_slug_never_replaces_the_published_piece_in_the_preview(make_site):
    from ssg.build import Builder
    from ssg.config import load_config

    site = make_site(
        {
            "content/lake.md": piece("The Lake", body="The published lake."),
            "content/new-lake.md": piece("The New Lake", "2026-01-02", body="Draft.", slug="lake", draft="true"),
        }
    )
    builder = Builder(load_config(site))  # as `ssg watch --no-drafts` keeps one
    builder.build()
    draft = site / "content/new-lake.md"
    draft.write_text(piece("The New Lake", "2026-01-02", body="SECRET DRAFT, edited.", slug="lake", draft="true"))
    builder.build(changed={draft}, rescan=False)
    assert not any(b"SECRET DRAFT" in data for data in read_tree(site / "output").values())


def test_a_file_deleted_from_the_theme_assets_or_static_leaves_the_output(make_site, ssg, tmp_path):
    site = make_site(
        {
            "content/a.md": piece("A"),
            "content/static/old.txt": "an old static file\n",
            "layouts/assets/old.css": "body { color: red }\n",
        }
    )
    assert ssg("build", "-q", "-s", site).code == 0
    assert (site / "output/assets/old.css").is_file() and (site / "output/static/old.txt").is_file()
    (site / "layouts/assets/old.css").unlink()
    assert ssg("build", "-q", "-s", site).code == 0
    assert not (site / "output/assets/old.css").exists()
    (site / "content/static/old.txt").unlink()
    assert ssg("build", "-q", "-s", site).code == 0
    assert not (site / "output/static/old.txt").exists()
    assert read_tree(site / "output") == clean_build(site, ssg, tmp_path)


def test_a_file_rewritten_with_its_old_size_and_mtime_is_read_again(make_site, ssg):
    """Tools that keep mtimes (cp -p, rsync -t, tar) must not make ssg publish old bytes."""
    site = make_site({"content/a.md": piece("A", body="Old words."), "layouts/assets/extra.css": "a { color: red }\n"})
    assert ssg("build", "-q", "-s", site).code == 0
    for file, text in ((site / "layouts/assets/extra.css", "a { color: tan }\n"), (site / "content/a.md", piece("A", body="New words."))):
        before = file.stat()
        file.write_text(text)
        os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert file.stat().st_size == before.st_size and file.stat().st_mtime_ns == before.st_mtime_ns
    assert ssg("build", "-q", "-s", site).code == 0
    assert (site / "output/assets/extra.css").read_text() == "a { color: tan }\n"
    assert "New words." in soup(site / "output/a/index.html").get_text()
