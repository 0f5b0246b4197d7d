"""The persistent cache and the parallel loader: faster builds, never different output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ssg import cache, load
from ssg.config import load_config
from tests.support import REPO, piece, read_tree


def site_files(count: int = 12) -> dict[str, str]:
    files = {f"content/p{n:02}.md": piece(f"Piece {n}", f"2026-01-{n + 1:02}", tags=f"[{['mist', 'dawn', 'sea'][n % 3]}]", body=f'Body *{n}* -- with "quotes"...') for n in range(count)}
    files["pyproject.toml"] = '[tool.ssg]\ntitle = "Cached"\nbase_url = "https://example.org/b/"\n'
    return files


def stamps(folder):
    return {f.relative_to(folder).as_posix(): f.stat().st_mtime_ns for f in folder.rglob("*") if f.is_file()}


def test_a_warm_build_with_nothing_changed_writes_nothing(make_site, ssg):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    assert (site / ".ssg-cache").is_dir()
    before, bytes_before = stamps(site / "output"), read_tree(site / "output")
    run = ssg("build", "-s", site)
    assert run.code == 0 and "Built" in run.out
    assert stamps(site / "output") == before
    assert read_tree(site / "output") == bytes_before


def test_a_warm_build_after_an_edit_equals_a_clean_build_and_keeps_unchanged_files(make_site, ssg, tmp_path):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    (site / "content/p05.md").unlink()  # every piece after it moves up a place ("VI of VII")
    assert ssg("build", "-s", site, "-q").code == 0
    before = stamps(site / "output")
    (site / "content/p03.md").write_text(piece("Piece 3", "2026-01-04", tags="[mist]", body="A new body."))
    assert ssg("build", "-s", site, "-q").code == 0
    shutil.rmtree(site / ".ssg-cache")
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "clean").code == 0
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    after = stamps(site / "output")
    assert after["p03/index.html"] != before["p03/index.html"]
    assert after["p07/index.html"] == before["p07/index.html"]  # untouched: not even rewritten
    assert "p05/index.html" not in after


def test_an_output_file_changed_by_hand_is_restored(make_site, ssg):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    good = (site / "output/p02/index.html").read_bytes()
    (site / "output/p02/index.html").write_text("scribbled over")
    (site / "output/p04/index.html").unlink()
    assert ssg("build", "-s", site, "-q").code == 0
    assert (site / "output/p02/index.html").read_bytes() == good
    assert (site / "output/p04/index.html").is_file()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05truncated"])
def test_a_corrupt_cache_is_ignored(damage, make_site, ssg, tmp_path):
    site = make_site(site_files())
    assert ssg("build", "-s", site, "-q").code == 0
    for stored in (site / ".ssg-cache").glob("*.pickle"):
        stored.write_bytes(damage)
    (site / "content/p01.md").write_text(piece("Piece 1 again", "2026-01-02", body="Changed."))
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "clean").code == 0
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")


def test_changed_ssg_code_never_serves_stale_html(make_site, tmp_path):
    """A copy of ssg whose Markdown settings differ: its first build must not reuse our cache."""
    site = make_site({"content/a.md": piece("A", body="## Part two\n\nText.")})
    changed = tmp_path / "changed-ssg"
    shutil.copytree(REPO / "ssg", changed / "ssg", ignore=shutil.ignore_patterns("__pycache__"))
    markup_file = changed / "ssg" / "markup.py"
    markup_file.write_text(markup_file.read_text().replace('EXTENSIONS = ["extra", "toc", "codehilite"]', 'EXTENSIONS = ["extra", "codehilite"]'))

    def build_with(package_root: Path) -> str:
        environment = {**os.environ, "PYTHONPATH": str(package_root)}
        subprocess.run([sys.executable, "-m", "ssg", "build", "-q", "-s", str(site)], check=True, env=environment, cwd=tmp_path)
        return (site / "output/a/index.html").read_text()

    assert 'id="part-two"' in build_with(REPO)
    assert 'id="part-two"' not in build_with(changed)  # not the cached HTML of the other code
    assert 'id="part-two"' in build_with(REPO)


@pytest.mark.parametrize("library", cache.OUTPUT_LIBRARIES)
def test_a_new_version_of_a_library_that_shapes_output_changes_every_key(library, make_site, monkeypatch):
    config = load_config(make_site({}))
    cache.code_key.cache_clear()  # ssg's files as they are now, not as when an earlier test read them
    before = cache.content_key(config), cache.build_key(config)
    real_version = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version", lambda name: "999.0" if name == library else real_version(name))
    cache.code_key.cache_clear()
    try:
        assert cache.content_key(config) != before[0] and cache.build_key(config) != before[1]
    finally:
        monkeypatch.undo()
        cache.code_key.cache_clear()
    assert (cache.content_key(config), cache.build_key(config)) == before


def test_a_changed_setting_rebuilds_what_it_touches(make_site, ssg):
    site = make_site(site_files(3))
    assert ssg("build", "-s", site, "-q").code == 0
    settings = site / "pyproject.toml"
    settings.write_text(settings.read_text().replace("https://example.org/b/", "https://example.org/elsewhere/"))
    assert ssg("build", "-s", site, "-q").code == 0
    assert 'href="/elsewhere/' in (site / "output/index.html").read_text()
    assert "/b/" not in (site / "output/p01/index.html").read_text()


def test_parallel_and_single_process_builds_are_identical(make_site, ssg, tmp_path, monkeypatch):
    site = make_site(site_files(30))
    monkeypatch.setattr(load, "PARALLEL_THRESHOLD", 10**9)
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "serial").code == 0
    shutil.rmtree(site / ".ssg-cache")
    monkeypatch.setattr(load, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(load, "WORKERS", 2)
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "parallel").code == 0
    assert read_tree(tmp_path / "serial") == read_tree(tmp_path / "parallel")


def test_errors_found_in_worker_processes_are_reported_at_their_lines(make_site, ssg, monkeypatch):
    files = site_files(10)
    files["content/p04.md"] = "---\ntitle: Broken\ndate: 2026-02-30\n---\n"
    site = make_site(files)
    monkeypatch.setattr(load, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(load, "WORKERS", 2)
    run = ssg("build", "-s", site)
    assert run.code == 1 and "content/p04.md:3: 'date' is not a date" in run.err


def test_pages_rendered_by_workers_are_the_same_bytes(make_site, ssg, tmp_path, monkeypatch):
    from ssg import build as build_module

    site = make_site(site_files(30))
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", range(0))
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "one").code == 0
    shutil.rmtree(site / ".ssg-cache")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", range(2, 10**6))
    monkeypatch.setattr(build_module, "WORKERS", 2)
    assert ssg("build", "-s", site, "-q", "-o", tmp_path / "workers").code == 0
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "workers")


def test_a_layout_error_in_a_render_worker_is_reported_at_its_line(make_site, ssg, monkeypatch):
    from ssg import build as build_module

    site = make_site({**site_files(10), "layouts/piece.html": "<h1>{{ piece.title }}</h1>\n{{ piece.no_such_field }}\n"})
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", range(2, 10**6))
    monkeypatch.setattr(build_module, "WORKERS", 2)
    run = ssg("build", "-s", site)
    assert run.code == 1 and "layouts/piece.html:2: error in layout while rendering" in run.err
    assert "Traceback" not in run.err


def test_temporary_files_of_a_killed_build_leave_the_cache(make_site, ssg):
    site = make_site(site_files(2))
    assert ssg("build", "-s", site, "-q").code == 0
    left = site / ".ssg-cache" / ".build-0123456789abcdef.999999999.tmp"  # no process has that id
    left.write_bytes(b"half a pickle")
    (site / "content/p01.md").write_text(piece("Piece 1 again", "2026-01-02"))
    assert ssg("build", "-s", site, "-q").code == 0
    assert not left.exists()


def test_a_new_house_style_of_dashes_is_applied_to_every_piece_by_a_warm_build(make_site, ssg, tmp_path):
    site = make_site({"pyproject.toml": '[tool.ssg]\ntitle = "Dashes"\ndashes = "em"\n', "content/a.md": piece("A", body="Night -- and then the sea.")})
    assert ssg("build", "-s", site).code == 0
    assert "Night—and then the sea." in (site / "output/a/index.html").read_text(encoding="utf-8")
    (site / "pyproject.toml").write_text('[tool.ssg]\ntitle = "Dashes"\ndashes = "spaced-en"\n')
    assert ssg("build", "-s", site).code == 0
    assert ssg("build", "-s", site, "-o", tmp_path / "clean").code == 0
    assert (site / "output/a/index.html").read_bytes() == (tmp_path / "clean/a/index.html").read_bytes()
    page = (site / "output/a/index.html").read_text(encoding="utf-8")
    assert "Night—and" not in page and "– and then the sea." in page
