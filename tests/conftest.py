"""Shared fixtures: real sites written into tmp_path and built with the real pipeline."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ssg.templates import THEME_DIR
from tests.support import Preview, start_preview, write_files


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site(files={...}): a site folder in tmp_path, built with ssg's own theme.

    With layouts=True the theme's files are copied into the site's layouts/
    (as `ssg theme copy` does), for tests that edit or replace them.
    """

    def make(files: dict[str, str | bytes] | None = None, *, layouts: bool = False, name: str = "site") -> Path:
        site = tmp_path / name
        site.mkdir()
        if layouts:
            shutil.copytree(THEME_DIR, site / "layouts")
        write_files(site, files or {})
        (site / "content").mkdir(exist_ok=True)
        return site

    return make


class Run:
    """The outcome of one ``ssg`` command run in-process."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def ssg(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """ssg("build", "-s", dir): run the real command line, capture what it prints."""
    from ssg.cli import main

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit:  # argparse's usage errors and --help
            code = exit.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def preview() -> Iterator[Callable[..., Preview]]:
    """preview(site, *args) → a running `ssg serve`, stopped after the test."""
    started: list[Preview] = []

    def start(site: Path, *args: str) -> Preview:
        started.append(start_preview(site, *args))
        return started[-1]

    yield start
    for running in started:
        running.process.terminate()
        try:
            running.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            running.process.kill()
