"""The persistent cache and the parallel loader: faster builds, never different output."""

from __future__ import annotations

import shutil

import pytest

from ssg import cache, load, markup
from ssg.config import load_config
from tests.support import piece, read_tree


def site_files(count: int = 12) -> dict[str, str]:
    files = {f"content/p{n:02}.md": piece(f"Piece {n}", f"2026-01-{n + 1:02}", tags=f"[{['mist', 'dawn', 'sea'][n % 3]}]", body=f"Body *{n}* -- with \"quotes\"...") for n in range(count)}
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
    before = stamps(site / "output")
    (site / "content/p03.md").write_text(piece("Piece 3", "2026-01-04", tags="[mist]", body="A new body."))
    (site / "content/p05.md").unlink()
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


def test_changed_markdown_settings_or_version_never_serve_stale_html(make_site, ssg, monkeypatch):
    site = make_site({"content/a.md": piece("A", body="## Part two\n\nText.")})
    assert ssg("build", "-s", site, "-q").code == 0
    assert 'id="part-two"' in (site / "output/a/index.html").read_text()
    monkeypatch.setattr(markup, "EXTENSIONS", [name for name in markup.EXTENSIONS if name != "toc"])
    monkeypatch.setattr(markup, "_markdown", {})
    assert ssg("build", "-s", site, "-q").code == 0
    assert 'id="part-two"' in (site / "output/a/index.html").read_text()  # why SETTINGS_VERSION must change with them
    monkeypatch.setattr(markup, "SETTINGS_VERSION", markup.SETTINGS_VERSION + "-changed")
    assert ssg("build", "-s", site, "-q").code == 0
    assert 'id="part-two"' not in (site / "output/a/index.html").read_text()
    config = load_config(site)
    key = cache.content_key(config), cache.build_key(config)
    monkeypatch.setattr(cache, "__version__", "999.0")  # a new ssg never reads an old cache
    assert cache.content_key(config) != key[0] and cache.build_key(config) != key[1]


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

    site = make_site(site_files(10))
    (site / "layouts/piece.html").write_text("<h1>{{ piece.title }}</h1>\n{{ piece.no_such_field }}\n")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", range(2, 10**6))
    monkeypatch.setattr(build_module, "WORKERS", 2)
    run = ssg("build", "-s", site)
    assert run.code == 1 and "layouts/piece.html:2: error in layout while rendering" in run.err
    assert "Traceback" not in run.err
