"""build(): the whole pipeline, load → index → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ssg.errors import Problem, SiteError
from ssg.index import index_site
from ssg.load import STATIC_DIR, files_under, load_content
from ssg.model import Config, Output
from ssg.render import render_page
from ssg.routes import plan
from ssg.templates import make_environment
from ssg.write import check_output_dir, write_site

ASSETS_DIR = "assets"
"""layouts/assets/ (the theme's CSS and images) is copied to /assets/."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the one line printed at its end."""

    pages: int
    pieces: int
    tags: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...]


def build(config: Config, *, drafts: bool = False, future: bool = False, now: datetime | None = None) -> BuildReport:
    """Build the site into config.output_dir, or raise SiteError leaving it untouched."""
    started = time.perf_counter()
    check_output_dir(config)
    loaded = load_content(config)
    site = index_site(config, loaded, drafts=drafts, future=future, now=now or datetime.now(timezone.utc))
    pages = plan(site)
    env = make_environment(config)
    static_files = frozenset(loaded.static_files)
    outputs = [render_page(env, site, page, static_files) for page in pages]
    outputs += copied_files(config, config.content_dir / STATIC_DIR, STATIC_DIR, loaded.static_files)
    outputs += copied_files(config, config.layouts_dir / ASSETS_DIR, ASSETS_DIR, files_under(config.layouts_dir / ASSETS_DIR))
    files = write_site(config, outputs)
    return BuildReport(len(pages), len(site.pieces), len(site.tags), files, time.perf_counter() - started, loaded.warnings)


def copied_files(config: Config, source_dir: Path, out_dir: str, names: tuple[str, ...]) -> list[Output]:
    """Files copied as they are, from source_dir to out_dir of the output."""
    outputs = []
    for name in names:
        try:
            outputs.append(Output(f"{out_dir}/{name}", (source_dir / name).read_bytes()))
        except OSError as error:
            raise SiteError.at(config.relative(source_dir / name), None, f"cannot read the file: {error.strerror}", "check that it exists and is readable") from None
    return outputs
