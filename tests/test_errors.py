"""Broken sites fail with `path:line: message` and a hint, and lose nothing.

Each folder of tests/invalid/ is a site (built with ssg's theme; its layouts/ override it)
and its `expected.txt` holds the exact error lines the build must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import failed_build, piece, read_tree

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(case.name for case in INVALID.iterdir() if case.is_dir())


def site_from_case(tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    shutil.copytree(INVALID / name, site, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    (site / "content").mkdir(exist_ok=True)
    return site


@pytest.mark.parametrize("name", CASES)
def test_invalid_site_reports_the_exact_place(name, tmp_path, ssg):
    site = site_from_case(tmp_path, name)
    expected = (INVALID / name / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    assert failed_build(site, ssg) == expected


def test_unknown_front_matter_key_warns_with_a_hint(make_site, ssg):
    site = make_site({"content/a.md": "---\ntitle: A\ndate: 2026-01-01\nautor: Hana\n---\nBody.\n"})
    run = ssg("build", "-s", site)
    assert run.code == 0
    assert "content/a.md:4: warning: unknown front matter key 'autor'\n  hint: did you mean 'author'?" in run.err


@pytest.mark.parametrize("output", [".", "content", "layouts", "..", "content/out", "layouts/out"])
def test_dangerous_output_folders_are_refused(output, make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    before = read_tree(site.parent)
    run = ssg("build", "-s", site, "-o", site / output)
    assert run.code == 1 and "output folder" in run.err, run
    assert read_tree(site.parent) == before


def test_a_non_empty_folder_ssg_did_not_make_is_refused(make_site, ssg, tmp_path):
    site = make_site({"content/a.md": piece("A")})
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.txt").write_text("years of work")
    run = ssg("build", "-s", site, "-o", theirs)
    assert run.code == 1
    assert "the output folder is not empty and was not made by ssg" in run.err
    assert (theirs / "thesis.txt").read_text() == "years of work"
    assert ssg("build", "-s", site, "-o", tmp_path / "fresh").code == 0
    assert ssg("build", "-s", site, "-o", tmp_path / "fresh").code == 0


@pytest.mark.parametrize("slug", ["../../escape", "/etc/passwd", "..", "a/../../b", "..\\..\\x"])
def test_no_slug_or_tag_writes_outside_the_output(slug, make_site, ssg, tmp_path):
    site = make_site({"content/a.md": piece("A", slug=f'"{slug}"', tags=f'["{slug}"]')})
    run = ssg("build", "-s", site)
    outside = {p for p in tmp_path.rglob("*") if not p.is_relative_to(site)}
    assert outside == set()
    if run.code == 0:
        written = [p for p in site.rglob("*") if p.is_file() and not p.is_relative_to(site / "output")]
        allowed = [site / "content", site / "layouts", site / ".ssg-cache"]  # sources, and the cache beside them
        assert all(any(p.is_relative_to(folder) for folder in allowed) for p in written)
