"""The preview's first build starts from the last `ssg build`: the same files, made only where the preview's site differs."""

from __future__ import annotations

from dataclasses import replace

from ssg.build import Builder, build
from ssg.config import load_config
from ssg.write import MARKER
from tests.support import piece, read_tree

PIECES = {f"content/p{n:02}.md": piece(f"Piece {n:02}", date=f"2026-01-{n + 1:02}", tags="[mist]", body=f"Dream number {n}.\n") for n in range(12)}


def preview_of(site, tmp_path) -> tuple[Builder, object]:
    """A builder as `ssg serve` makes one after `ssg build`: drafts and scheduled pieces shown, a private output folder."""
    config = load_config(site)
    build(config, cache=True)  # as `ssg build` does, keeping what it made from what in .ssg-cache/
    private = replace(config, output_dir=tmp_path / "private")
    return Builder(private, drafts=True, future=True, seed=config), private


def clean(site, tmp_path, name: str) -> dict[str, bytes]:
    """What a fresh preview build of the site holds, for comparison."""
    config = replace(load_config(site), output_dir=tmp_path / name)
    Builder(config, drafts=True, future=True).build()
    return {path: data for path, data in read_tree(config.output_dir).items() if path != MARKER}


def test_a_site_without_drafts_is_taken_whole_from_the_build_and_an_edit_after_it_is_as_a_fresh_build(make_site, tmp_path):
    site = make_site(PIECES)
    builder, private = preview_of(site, tmp_path)
    report = builder.build()
    assert report.rendered == 0  # every page taken from output/
    held = {path: data for path, data in read_tree(private.output_dir).items() if path != MARKER}
    assert held == {path: data for path, data in read_tree(site / "output").items() if path in held} and held == clean(site, tmp_path, "fresh")
    edited = site / "content/p03.md"
    edited.write_text(piece("Piece 03", date="2026-01-04", tags="[mist]", body="A new dream, number three.\n"))
    report = builder.build({edited}, rescan=False)
    assert "p03/index.html" in report.written
    after = {path: data for path, data in read_tree(private.output_dir).items() if path != MARKER}
    assert after == clean(site, tmp_path, "fresh-after")
    assert b"A new dream, number three." in after["p03/index.html"]


def test_a_draft_the_build_left_out_is_shown_by_the_preview_and_listed_where_it_belongs(make_site, tmp_path):
    site = make_site({**PIECES, "content/draft.md": piece("A Draft", date="2026-01-20", tags="[mist]", draft="true")})
    builder, private = preview_of(site, tmp_path)
    assert not (site / "output/draft").exists()
    builder.build()
    held = {path: data for path, data in read_tree(private.output_dir).items() if path != MARKER}
    assert "draft/index.html" in held
    assert b"A Draft" in held["tags/mist/index.html"] and b"A Draft" in held["index.html"]
    assert held == clean(site, tmp_path, "fresh")
